package code

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/iamfit/iamfit/internal/catalog"
)

// scanFiles writes files into a directory and scans it.
func scanFiles(t *testing.T, files map[string]string) ([]string, []string) {
	t.Helper()
	dir := t.TempDir()
	for name, body := range files {
		p := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	calls, diags, err := Scan(dir)
	if err != nil {
		t.Fatal(err)
	}
	var got, ds []string
	for _, c := range calls {
		got = append(got, show(c))
	}
	for _, d := range diags {
		ds = append(ds, d.String())
	}
	return got, ds
}

func TestPatterns(t *testing.T) {
	tests := []struct {
		name  string
		files map[string]string
		want  []string
		diags []string
	}{
		{"python table handle from a variable", map[string]string{"app.py": `
import os, boto3
TABLE = os.environ.get("ORDERS", "orders")
table = boto3.resource("dynamodb").Table(TABLE)
table.get_item(Key={"id": 1})
`}, []string{"app.py:5 python dynamodb.GetItem TableName=$ORDERS"}, nil},
		{"python same name, two services", map[string]string{"a.py": `
import boto3
def f():
    c = boto3.client("sqs")
    c.send_message(QueueUrl="https://sqs.eu-west-1.amazonaws.com/111122223333/q")
def g():
    c = boto3.client("sns")
    c.publish(TopicArn="arn:aws:sns:eu-west-1:111122223333:t")
`}, []string{"a.py:5 python sqs.SendMessage QueueUrl=https://sqs.eu-west-1.amazonaws.com/111122223333/q",
			"a.py:8 python sns.Publish TopicArn=arn:aws:sns:eu-west-1:111122223333:t"}, nil},
		{"python client on self through a helper module", map[string]string{
			"svc/clients.py": "import boto3\n\ndef make(name):\n    return boto3.client(name)\n",
			"svc/store.py":   "from .clients import make\n\nclass Store:\n    def __init__(self, bucket):\n        self.s3 = make('s3')\n        self.bucket = bucket\n\n    def put(self, key):\n        self.s3.put_object(Bucket=self.bucket, Key='in/' + key)\n\nstore = Store('files')\n",
		}, []string{"svc/store.py:9 python s3.PutObject Bucket=files Key=in/*"}, nil},
		{"python literal star escaped", map[string]string{"a.py": "import boto3\nboto3.client('s3').get_object(Bucket='b', Key='reports/*.csv')\n"},
			[]string{"a.py:2 python s3.GetObject Bucket=b Key=reports/${*}.csv"}, nil},
		{"python computed service is a diagnostic", map[string]string{"a.py": "import boto3\nname = input()\nboto3.client(name).list_things()\n"},
			nil, []string{"a.py:3:7: warning: boto3 client of a service the code computes; its needs are not included [sdk-call-not-understood]"}},
		{"js namespace and default imports of lib-dynamodb", map[string]string{"a.ts": `
import * as ddb from "@aws-sdk/lib-dynamodb";
import lib from "@aws-sdk/lib-dynamodb";
await c.send(new ddb.PutCommand({ TableName: "t1" }));
await c.send(new lib.DeleteCommand({ TableName: "t2" }));
`}, []string{"a.ts:4 js dynamodb.PutItem TableName=t1", "a.ts:5 js dynamodb.DeleteItem TableName=t2"}, nil},
		{"js aggregated client and template literal", map[string]string{"a.js": "import { S3 } from '@aws-sdk/client-s3';\nconst s3 = new S3({});\nconst p = 'up/';\nawait s3.getObject({ Bucket: process.env.B, Key: `${p}${id}.json` });\n"},
			[]string{"a.js:4 js s3.GetObject Bucket=$B Key=up/*.json"}, nil},
		{"js sdk v2", map[string]string{"a.js": "const AWS = require('aws-sdk');\nconst s3 = new AWS.S3();\ns3.upload({ Bucket: 'b', Key: 'k' }).promise();\ns3.listBuckets().promise();\n"},
			[]string{"a.js:3 js s3.PutObject Bucket=b Key=k", "a.js:3 js s3.AbortMultipartUpload Bucket=b Key=k", "a.js:4 js s3.ListBuckets"}, nil},
		{"python client region", map[string]string{"a.py": "import boto3, os\nses = boto3.client('ses', region_name=os.environ.get('SES_REGION'))\nses.send_email(Source='a@b.c')\nboto3.resource('dynamodb', region_name='us-east-1').Table('t').get_item(Key={})\n"},
			[]string{"a.py:3 python ses.SendEmail Source=a@b.c @$SES_REGION$", "a.py:4 python dynamodb.GetItem TableName=t @us-east-1"}, nil},
		{"js client region through send", map[string]string{"a.ts": `
import { SESv2Client, SendEmailCommand } from '@aws-sdk/client-sesv2';
import { SQSClient, SendMessageCommand } from '@aws-sdk/client-sqs';
const ses = new SESv2Client({ region: process.env.SES_REGION || 'eu-west-1' });
const sqs = new SQSClient({});
export async function mail() {
  const cmd = new SendEmailCommand({ FromEmailAddress: 'a@b.c' });
  await ses.send(cmd);
  await sqs.send(new SendMessageCommand({ QueueUrl: 'q' }));
}
`}, []string{"a.ts:7 js sesv2.SendEmail FromEmailAddress=a@b.c @$SES_REGION$", "a.ts:9 js sqs.SendMessage QueueUrl=q"}, nil},
		{"js dynamic import", map[string]string{"a.ts": `
import { S3Client } from '@aws-sdk/client-s3';
export async function head(key: string) {
  const s3 = new S3Client({});
  const { HeadObjectCommand } = await import('@aws-sdk/client-s3');
  await s3.send(new HeadObjectCommand({ Bucket: 'b', Key: key }));
  const sqs = await import("@aws-sdk/client-sqs");
  await new sqs.SQSClient({}).send(new sqs.SendMessageCommand({ QueueUrl: 'q' }));
}
`}, []string{"a.ts:6 js s3.HeadObject Bucket=b", "a.ts:8 js sqs.SendMessage QueueUrl=q"}, nil},
		{"js command class handed to a library", map[string]string{"mail.ts": `
import { SESv2Client, SendEmailCommand } from "@aws-sdk/client-sesv2";
import { createTransport } from "nodemailer";
export const mailer = createTransport({ SES: { sesClient: new SESv2Client({}), SendEmailCommand } });
`}, []string{"mail.ts:4 js sesv2.SendEmail"}, nil},
		{"js another SDK's client on this, beside an S3 class", map[string]string{"store.ts": `
import { S3Client, GetObjectCommand } from "@aws-sdk/client-s3";
import { BlobServiceClient } from "@azure/storage-blob";
class S3Store {
  constructor(bucket) { this.client = new S3Client({}); this.bucket = bucket; }
  get(key) { return this.client.send(new GetObjectCommand({ Bucket: this.bucket, Key: key })); }
}
class AzureStore {
  constructor(url) { this.client = BlobServiceClient.fromConnectionString(url).getContainerClient("c"); }
  async init() { await this.client.createIfNotExists(); await this.client.deleteObject("x"); }
}
export const s3 = new S3Store("media");
`}, []string{"store.ts:6 js s3.GetObject Bucket=media"}, nil},
		{"ts arrow functions with return types", map[string]string{"a.ts": `
import { LambdaClient, InvokeCommand } from "@aws-sdk/client-lambda";
const client = new LambdaClient({});
export const a = async (id: string): Promise<Result> => {
  return read(await client.send(new InvokeCommand({ FunctionName: "f1" })));
};
export const b = (): Promise<(x: A) => B> => client.send(new InvokeCommand({ FunctionName: "f2" }));
`}, []string{"a.ts:5 js lambda.Invoke FunctionName=f1", "a.ts:7 js lambda.Invoke FunctionName=f2"}, nil},
		{"go v1 and v2, nil and variable inputs", map[string]string{"main.go": `package main
import (
	"os"
	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	sqsv1 "github.com/aws/aws-sdk-go/service/sqs"
)
type app struct{ s3 *s3.Client; q *sqsv1.SQS }
func (a *app) run() {
	a.s3.ListBuckets(ctx, nil)
	in := &s3.GetObjectInput{Bucket: aws.String(os.Getenv("B"))}
	in.Key = aws.String("k/" + name)
	a.s3.GetObject(ctx, in)
	a.q.ReceiveMessage(&sqsv1.ReceiveMessageInput{QueueUrl: aws.String("q")})
}
`}, []string{"main.go:10 go s3.ListBuckets", "main.go:13 go s3.GetObject Bucket=$B Key=k/*", "main.go:14 go sqs.ReceiveMessage QueueUrl=q"}, nil},
		{"go pointer to a variable and a helper's parameter", map[string]string{"main.go": `package main
import (
	"context"
	"os"
	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/sqs"
)
func main() {
	url := os.Getenv("QUEUE")
	table := os.Getenv("TABLE")
	var q *sqs.Client
	var db *dynamodb.Client
	q.DeleteMessage(context.TODO(), &sqs.DeleteMessageInput{QueueUrl: &url})
	save(context.TODO(), db, table)
	save(context.TODO(), db, os.Getenv("TABLE"))
	log(db, "a")
	log(db, "b")
}
func save(ctx context.Context, c *dynamodb.Client, name string) {
	c.PutItem(ctx, &dynamodb.PutItemInput{TableName: aws.String(name)})
}
func log(c *dynamodb.Client, t string) {
	c.PutItem(context.TODO(), &dynamodb.PutItemInput{TableName: aws.String("log-" + t)})
}
`}, []string{"main.go:14 go sqs.DeleteMessage QueueUrl=$QUEUE", "main.go:21 go dynamodb.PutItem TableName=$TABLE", "main.go:24 go dynamodb.PutItem TableName=log-*"}, nil},
		{"not application code", map[string]string{
			"app_test.go":     "package main\nimport \"github.com/aws/aws-sdk-go-v2/service/s3\"\nvar _ = &s3.DeleteBucketInput{}\n",
			"tests/test_a.py": "import boto3\nboto3.client('s3').delete_bucket(Bucket='b')\n",
			"fn/handler.py":   "import boto3\ndef lambda_handler(event, context):\n    boto3.client('s3').delete_bucket(Bucket='b')\n",
			"cdk/stack.ts":    "import * as cdk from 'aws-cdk-lib';\n",
			"src/x.test.ts":   "import { DeleteBucketCommand } from '@aws-sdk/client-s3';\nnew DeleteBucketCommand({});\n",
			"src/lambda.ts":   "import { DeleteBucketCommand } from '@aws-sdk/client-s3';\nexport const handler = async (event) => { new DeleteBucketCommand({}); };\n",
		}, nil, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, diags := scanFiles(t, tt.files)
			if strings.Join(got, "\n") != strings.Join(tt.want, "\n") {
				t.Errorf("calls:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(tt.want, "\n"))
			}
			if strings.Join(diags, "\n") != strings.Join(tt.diags, "\n") {
				t.Errorf("diagnostics:\n%s\nwant:\n%s", strings.Join(diags, "\n"), strings.Join(tt.diags, "\n"))
			}
		})
	}
}

func TestVendoredPackages(t *testing.T) {
	// pip install --target: the packages a .dist-info's RECORD lists, or
	// its top_level.txt names, are libraries, not the application.
	got, diags := scanFiles(t, map[string]string{
		"svc/app.py":                            "import boto3\nboto3.client('sqs').send_message(QueueUrl='q')\n",
		"svc/lib/__init__.py":                   "import boto3\nboto3.client('s3').delete_bucket(Bucket='b')\n",
		"svc/lib-1.0.dist-info/RECORD":          "lib/__init__.py,sha256=x,10\nlib-1.0.dist-info/RECORD,,\n../../bin/tool,sha256=y,3\n",
		"svc/other.py":                          "import boto3\nboto3.client('s3').delete_object(Bucket='b', Key='k')\n",
		"svc/other-2.0.dist-info/top_level.txt": "other\n",
		"svc/plain/__init__.py":                 "import boto3\nboto3.client('kms').schedule_key_deletion(KeyId='k')\n",
		"svc/plain-3.1.dist-info/METADATA":      "Name: plain\n",
	})
	want := []string{"svc/app.py:2 python sqs.SendMessage QueueUrl=q"}
	if strings.Join(got, "\n") != strings.Join(want, "\n") || len(diags) > 0 {
		t.Errorf("calls:\n%s\nwant:\n%s\ndiagnostics: %v", strings.Join(got, "\n"), strings.Join(want, "\n"), diags)
	}
}

func TestSharedAttributeNamesStayLinear(t *testing.T) {
	// Hundreds of classes assigning the same attribute names from
	// parameters: obj.attr falls back to every assignment of the name,
	// which without memoization is exponential in the chain's depth.
	files := map[string]string{"app.py": "import boto3\nboto3.client('sqs').send_message(QueueUrl='q')\n"}
	for i := 0; i < 60; i++ {
		files[fmt.Sprintf("pkg/m%d.py", i)] = fmt.Sprintf(`
class C%d:
    def __init__(self, parent):
        self.endpoint = parent.endpoint
        self.meta = parent.meta
        self.config = parent.meta.config
    def call(self, name):
        return self.meta.client.make_request(self.endpoint.host, self.config.region, name)
`, i)
	}
	start := time.Now()
	got, _ := scanFiles(t, files)
	if d := time.Since(start); d > 10*time.Second {
		t.Errorf("scan took %v", d)
	}
	if len(got) != 1 {
		t.Errorf("calls: %v", got)
	}
}

func TestResourceElements(t *testing.T) {
	tests := []struct {
		name  string
		files map[string]string
		want  []string
	}{
		{"sqs messages through a list a helper returns", map[string]string{"w.py": `
import os, boto3
sqs = boto3.resource("sqs")
def fetch():
    out = []
    q = sqs.get_queue_by_name(QueueName=os.environ["Q"])
    for m in q.receive_messages(WaitTimeSeconds=20):
        out.append(m)
    return out
def run():
    for msg in fetch():
        try:
            work(msg.body)
        except Exception:
            msg.change_visibility(VisibilityTimeout=0)
        else:
            msg.delete()
`}, []string{
			"w.py:6 python sqs.GetQueueUrl QueueName=$Q",
			"w.py:7 python sqs.ReceiveMessage QueueUrl=$Q WaitTimeSeconds=20",
			"w.py:15 python sqs.ChangeMessageVisibility QueueUrl=$Q VisibilityTimeout=0",
			"w.py:17 python sqs.DeleteMessage QueueUrl=$Q",
		}},
		{"objects of a filtered collection", map[string]string{"c.py": `
import boto3
b = boto3.resource("s3").Bucket("logs")
for o in b.objects.filter(Prefix="tmp/"):
    o.delete()
`}, []string{"c.py:4 python s3.ListObjects Bucket=logs Prefix=tmp/", "c.py:5 python s3.DeleteObject Bucket=logs Key=tmp/*"}},
		{"a message named by its queue and receipt handle", map[string]string{"m.py": `
import boto3
boto3.resource("sqs").Message("https://sqs.eu-west-1.amazonaws.com/111122223333/q", handle).delete()
`}, []string{"m.py:3 python sqs.DeleteMessage QueueUrl=https://sqs.eu-west-1.amazonaws.com/111122223333/q"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, diags := scanFiles(t, tt.files)
			if strings.Join(got, "\n") != strings.Join(tt.want, "\n") || len(diags) > 0 {
				t.Errorf("calls:\n%s\nwant:\n%s\ndiagnostics: %v", strings.Join(got, "\n"), strings.Join(tt.want, "\n"), diags)
			}
		})
	}
}

func TestLangChainBedrock(t *testing.T) {
	tests := []struct {
		name  string
		files map[string]string
		want  []string
		diags []string
	}{
		{"python converse model, streamed", map[string]string{"a.py": `
from langchain_aws import ChatBedrockConverse
llm = ChatBedrockConverse(model="anthropic.claude-3-haiku-20240307-v1:0", region_name="us-east-1").bind_tools([])
for chunk in llm.stream("hi"):
    pass
`}, []string{"a.py:3 python bedrock-runtime.Converse ModelId=anthropic.claude-3-haiku-20240307-v1:0 @us-east-1",
			"a.py:4 python bedrock-runtime.ConverseStream ModelId=anthropic.claude-3-haiku-20240307-v1:0 @us-east-1"}, nil},
		{"python init_chat_model with a provider prefix and a kwargs dict", map[string]string{"b.py": `
import os
from langchain.chat_models import init_chat_model
opts = {"model": os.environ["MODEL"], "model_provider": "bedrock"}
m1 = init_chat_model(**opts)
m2 = init_chat_model("bedrock_converse:amazon.nova-lite-v1:0")
m3 = init_chat_model("gpt-4o", model_provider="openai")
`}, []string{"b.py:5 python bedrock-runtime.InvokeModel ModelId=$MODEL", "b.py:6 python bedrock-runtime.Converse ModelId=amazon.nova-lite-v1:0"}, nil},
		{"python provider from the environment", map[string]string{"c.py": `
import os
from langchain.chat_models import init_chat_model
llm = init_chat_model(model="m", model_provider=os.getenv("PROVIDER"))
`}, []string{"c.py:4 python bedrock-runtime. ModelId=m"}, nil},
		{"js embeddings", map[string]string{"d.ts": `
import { BedrockEmbeddings } from "@langchain/aws";
export const emb = new BedrockEmbeddings({ model: "amazon.titan-embed-text-v2:0", region: process.env.BEDROCK_REGION });
`}, []string{"d.ts:3 js bedrock-runtime.InvokeModel ModelId=amazon.titan-embed-text-v2:0 @$BEDROCK_REGION$"}, nil},
		{"provider not named", map[string]string{"e.py": "from langchain.chat_models import init_chat_model\nllm = init_chat_model(model_name)\n"},
			nil, []string{"e.py:2:7: warning: a LangChain chat model whose provider the code does not name (a Bedrock provider calls Amazon Bedrock); its needs are not included [sdk-call-not-understood]"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, diags := scanFiles(t, tt.files)
			if strings.Join(got, "\n") != strings.Join(tt.want, "\n") || strings.Join(diags, "\n") != strings.Join(tt.diags, "\n") {
				t.Errorf("calls:\n%s\nwant:\n%s\ndiagnostics:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(tt.want, "\n"), strings.Join(diags, "\n"), strings.Join(tt.diags, "\n"))
			}
		})
	}
}

func TestLangChainProviderFromTaskDefinition(t *testing.T) {
	cat := catalog.MustLoad()
	c := Call{Service: "bedrock-runtime", Args: map[string][]string{"ModelId": {"anthropic.claude-3-haiku-20240307-v1:0"}}, provider: envMark + "P" + envMark}
	for env, want := range map[string]string{"bedrock_converse": "bedrock:InvokeModel", "bedrock": "bedrock:InvokeModel", "openai": "", "": ""} {
		ctx := Context{Region: "eu-west-1", Account: "111122223333", Env: map[string]string{}}
		if env != "" {
			ctx.Env["P"] = env
		}
		needs, diags := Needs([]Call{c}, ctx, cat)
		got := ""
		if len(needs) > 0 {
			got = needs[0].Action
		}
		if got != want || (env == "") != (len(diags) == 1) {
			t.Errorf("provider %q: needs %v diagnostics %v, want %q", env, needs, diags, want)
		}
	}
}

func TestOtherLanguagesSDKs(t *testing.T) {
	_, diags := scanFiles(t, map[string]string{
		"web/Gemfile":        "source 'https://rubygems.org'\n# gem 'aws-sdk-sqs'\ngem 'rails'\ngem \"aws-sdk-s3\", \"~> 1\"\n",
		"api/pom.xml":        "<dependency>\n  <groupId>software.amazon.awssdk</groupId>\n  <artifactId>s3</artifactId>\n</dependency>\n",
		"svc/Cargo.toml":     "[dependencies]\ntokio = \"1\"\naws-sdk-dynamodb = \"1.2\"\n",
		"net/App.csproj":     "<PackageReference Include=\"AWSSDK.SQS\" Version=\"3.7.0\" />\n",
		"tests/Gemfile":      "gem 'aws-sdk-s3'\n",
		"infra/build.gradle": "implementation 'software.amazon.awssdk:s3'\n",
		"lambda/pom.xml":     "<artifactId>aws-lambda-java-core</artifactId>\n",
		"site/composer.json": `{"require": {"aws/aws-sdk-php": "^3.0"}}`,
		"plain/Cargo.toml":   "[dependencies]\nserde = \"1\"\n",
	})
	want := []string{
		"api/pom.xml:2:1: warning: the application depends on the AWS SDK for Java (software.amazon.awssdk), which iamfit does not read: the needs of the calls it makes are not included [sdk-not-read]",
		"net/App.csproj:1:1: warning: the application depends on the AWS SDK for .NET (AWSSDK.SQS), which iamfit does not read: the needs of the calls it makes are not included [sdk-not-read]",
		"site/composer.json:1:1: warning: the application depends on the AWS SDK for PHP (aws/aws-sdk-php), which iamfit does not read: the needs of the calls it makes are not included [sdk-not-read]",
		"svc/Cargo.toml:3:1: warning: the application depends on the AWS SDK for Rust (aws-sdk-dynamodb), which iamfit does not read: the needs of the calls it makes are not included [sdk-not-read]",
		"web/Gemfile:4:1: warning: the application depends on the AWS SDK for Ruby (aws-sdk-s3), which iamfit does not read: the needs of the calls it makes are not included [sdk-not-read]",
	}
	if strings.Join(diags, "\n") != strings.Join(want, "\n") {
		t.Errorf("diagnostics:\n%s\nwant:\n%s", strings.Join(diags, "\n"), strings.Join(want, "\n"))
	}
}
