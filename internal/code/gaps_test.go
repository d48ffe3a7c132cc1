package code

import (
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/iamfit/iamfit/internal/catalog"
)

// TestInputsNotRead: a call on a client the reader knows is never lost:
// the client from a class's static helper reaches every call made on it,
// and an input the reader cannot read still grants the operation, with
// a diagnostic at the call.
func TestInputsNotRead(t *testing.T) {
	tests := []struct {
		name  string
		files map[string]string
		want  []string
		diags []string
	}{
		{"python client from a static class helper, passed to the class's functions", map[string]string{
			"lib/store.py": `
import os, boto3
class Store:
    def client():
        return boto3.client("dynamodb")
    def recent(client, owner):
        params = {"TableName": os.getenv("EVENTS"), "Limit": 5}
        return client.query(**params)
    def save(client, item):
        client.put_item(TableName=os.getenv("EVENTS"), Item=item)
`,
			"views.py": `
from lib.store import Store
def show(owner):
    db = Store.client()
    Store.save(db, {})
    return Store.recent(db, owner)
`}, []string{"lib/store.py:8 python dynamodb.Query Limit=5 TableName=$EVENTS", "lib/store.py:10 python dynamodb.PutItem TableName=$EVENTS"}, nil},
		{"python **kwargs the reader cannot read", map[string]string{"a.py": `
import boto3
sqs = boto3.client("sqs")
def send(**kwargs):
    sqs.send_message(**kwargs)
def make(extra):
    sqs.send_message(QueueUrl="q", **extra)
`}, []string{"a.py:5 python sqs.SendMessage (unread)", "a.py:7 python sqs.SendMessage QueueUrl=q (unread)"}, []string{
			"a.py:5:9: warning: sqs.SendMessage takes its input from **kwargs, which iamfit cannot read: the action is granted, and a resource the input would name is a parameter [sdk-arguments-not-understood]",
			"a.py:7:9: warning: sqs.SendMessage takes its input from **extra, which iamfit cannot read: the action is granted, and a resource the input would name is a parameter [sdk-arguments-not-understood]",
		}},
		{"js spreads: read when known, said when not", map[string]string{"a.ts": `
import { S3Client, GetObjectCommand, PutObjectCommand } from "@aws-sdk/client-s3";
const s3 = new S3Client({});
const base = { Bucket: "media" };
export async function get(key: string) {
  return s3.send(new GetObjectCommand({ ...base, Key: key }));
}
export async function put(input: any) {
  return s3.send(new PutObjectCommand(input));
}
`}, []string{"a.ts:6 js s3.GetObject Bucket=media", "a.ts:9 js s3.PutObject (unread)"}, []string{
			"a.ts:9:18: warning: s3.PutObject takes its input from input, which iamfit cannot read: the action is granted, and a resource the input would name is a parameter [sdk-arguments-not-understood]",
		}},
		{"js static method of a class returning a client", map[string]string{"a.js": `
const { SQSClient, SendMessageCommand } = require("@aws-sdk/client-sqs");
class Clients {
  static sqs() { return new SQSClient({ region: "eu-west-1" }); }
}
module.exports.send = () => Clients.sqs().send(new SendMessageCommand({ QueueUrl: "q" }));
`}, []string{"a.js:6 js sqs.SendMessage QueueUrl=q @eu-west-1"}, nil},
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

// TestDynamoDBBatchTables: the tables of batch and transaction
// operations are read from their input.
func TestDynamoDBBatchTables(t *testing.T) {
	tests := []struct {
		name  string
		files map[string]string
		want  []string
		diags []string
	}{
		{"python batch write keyed by variables", map[string]string{"a.py": `
import os, boto3
ddb = boto3.client("dynamodb")
ORDERS = os.environ["ORDERS"]
def save(items):
    ddb.batch_write_item(RequestItems={ORDERS: items, "audit": [], f"{ORDERS}-archive": []})
`}, []string{"a.py:6 python dynamodb.BatchWriteItem TableName=$ORDERS,audit,$ORDERS-archive"}, nil},
		{"python transaction items by kind", map[string]string{"a.py": `
import boto3
ddb = boto3.client("dynamodb")
ddb.transact_write_items(TransactItems=[
    {"Put": {"TableName": "orders", "Item": {}}},
    {"Update": {"TableName": "stock", "Key": {}}},
    {"ConditionCheck": {"TableName": "users", "Key": {}}},
])
`}, []string{"a.py:4 python dynamodb.TransactWriteItems TableName=orders,stock,users TransactItems.ConditionCheck=users TransactItems.Put=orders TransactItems.Update=stock"}, nil},
		{"js document client batch get with computed keys and a built transaction", map[string]string{"a.ts": `
import { DynamoDBDocumentClient, BatchGetCommand, TransactWriteCommand } from "@aws-sdk/lib-dynamodb";
const T = process.env.TABLE;
export async function run(doc: DynamoDBDocumentClient) {
  await doc.send(new BatchGetCommand({ RequestItems: { [T]: { Keys: [] }, "users": { Keys: [] } } }));
  const items = [];
  items.push({ Delete: { TableName: "sessions", Key: {} } });
  await doc.send(new TransactWriteCommand({ TransactItems: items }));
}
`}, []string{"a.ts:5 js dynamodb.BatchGetItem TableName=$TABLE,users", "a.ts:8 js dynamodb.TransactWriteItems TableName=sessions TransactItems.Delete=sessions"}, nil},
		{"go batch map keys and transaction items", map[string]string{"main.go": `package main
import (
	"context"
	"os"
	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
)
func run(c *dynamodb.Client) {
	items := map[string][]types.WriteRequest{os.Getenv("ORDERS"): nil, "audit": nil}
	c.BatchWriteItem(context.TODO(), &dynamodb.BatchWriteItemInput{RequestItems: items})
	c.TransactWriteItems(context.TODO(), &dynamodb.TransactWriteItemsInput{TransactItems: []types.TransactWriteItem{
		{Put: &types.Put{TableName: aws.String("orders")}},
		{Delete: &types.Delete{TableName: aws.String("carts")}},
	}})
}
`}, []string{"main.go:11 go dynamodb.BatchWriteItem TableName=$ORDERS,audit",
			"main.go:12 go dynamodb.TransactWriteItems TableName=orders,carts TransactItems.Delete=carts TransactItems.Put=orders"}, nil},
		{"a key the reader cannot read", map[string]string{"a.py": `
import boto3
def save(name, items):
    boto3.client("dynamodb").batch_write_item(RequestItems={name.upper(): items})
`}, []string{"a.py:4 python dynamodb.BatchWriteItem (unread)"}, []string{
			"a.py:4:30: warning: dynamodb.BatchWriteItem takes its input from a table of RequestItems, which iamfit cannot read: the action is granted, and a resource the input would name is a parameter [sdk-arguments-not-understood]",
		}},
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

// TestDynamicDispatch: a client's method named by an expression
// (getattr(client, name), client[name]) is the method when the name is
// known (a parameter each caller gives a literal, the keywords of a
// **kwargs wrapper its callers pass), else a diagnostic at the call.
func TestDynamicDispatch(t *testing.T) {
	tests := []struct {
		name  string
		files map[string]string
		want  []string
		diags []string
	}{
		{"python generic wrapper with **kwargs", map[string]string{
			"aws.py": `
import boto3
def call(service, method, paginate=False, **kwargs):
    client = boto3.client(service)
    api = getattr(client, method)
    return api(**kwargs)
`,
			"users.py": `
from aws import call
def user(uid):
    return call("identitystore", "describe_user", UserId=uid, IdentityStoreId="d-123")
def send(body):
    params = {"QueueUrl": "https://sqs.eu-west-1.amazonaws.com/111122223333/jobs", "MessageBody": body}
    return call("sqs", "send_message", **params)
`}, []string{
			"aws.py:6 python identitystore.DescribeUser IdentityStoreId=d-123 UserId={{user.uid}}",
			"aws.py:6 python sqs.SendMessage QueueUrl=https://sqs.eu-west-1.amazonaws.com/111122223333/jobs",
		}, nil},
		{"a method name no caller gives", map[string]string{"a.py": `
import boto3
s3 = boto3.client("s3")
def run(op, **kw):
    return getattr(s3, op)(**kw)
`}, nil, []string{"a.py:5:12: warning: a method of the s3 client that the code computes (from op); its needs are not included [sdk-call-not-understood]"}},
		{"js computed method", map[string]string{"a.js": `
const AWS = require("aws-sdk");
const sns = new AWS.SNS();
exports.run = (verb, params) => sns[verb](params).promise();
exports.known = (params) => sns["publish"]({ TopicArn: "arn:aws:sns:eu-west-1:111122223333:t" }).promise();
`}, []string{"a.js:5 js sns.Publish TopicArn=arn:aws:sns:eu-west-1:111122223333:t"},
			[]string{"a.js:4:36: warning: a method of the sns client that the code computes (from verb); its needs are not included [sdk-call-not-understood]"}},
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

func TestWrapperWithManyCallers(t *testing.T) {
	// A generic wrapper is read for each caller, beyond the limit other
	// helpers have.
	files := map[string]string{"aws.py": "import boto3\ndef call(service, method, **kw):\n    return getattr(boto3.client(service), method)(**kw)\n"}
	var want []string
	for i := 0; i < 40; i++ {
		files[fmt.Sprintf("m%02d.py", i)] = fmt.Sprintf("from aws import call\ndef f():\n    call(\"sqs\", \"send_message\", QueueUrl=\"q%02d\")\n", i)
		want = append(want, fmt.Sprintf("aws.py:3 python sqs.SendMessage QueueUrl=q%02d", i))
	}
	got, diags := scanFiles(t, files)
	sort.Strings(got)
	if strings.Join(got, "\n") != strings.Join(want, "\n") || len(diags) > 0 {
		t.Errorf("calls:\n%s\nwant:\n%s\ndiagnostics: %v", strings.Join(got, "\n"), strings.Join(want, "\n"), diags)
	}
}

// TestAssumedCredentials: a client made with credentials of
// sts:AssumeRole calls AWS as that role, not as the task role; one made
// with access keys the code gives calls as their user.
func TestAssumedCredentials(t *testing.T) {
	tests := []struct {
		name  string
		files map[string]string
		want  []string
		diags []string
	}{
		{"python session from an assumed role, and a wrapper that assumes only when asked", map[string]string{
			"aws.py": `
import os, boto3
def assume(role_arn):
    out = boto3.client("sts").assume_role(RoleArn=role_arn, RoleSessionName="app")
    creds = out["Credentials"]
    return boto3.Session(aws_access_key_id=creds["AccessKeyId"], aws_secret_access_key=creds["SecretAccessKey"],
                         aws_session_token=creds["SessionToken"])
def client(service, role_arn=None):
    session = assume(role_arn) if role_arn else boto3.Session()
    return session.client(service)
def org_accounts():
    return client("organizations", os.environ["ORG_ROLE"]).list_accounts()
def jobs():
    return client("sqs").send_message(QueueUrl="q")
`}, []string{
			"aws.py:4 python sts.AssumeRole RoleArn=$ORG_ROLE RoleSessionName=app",           // read for the callers' callers
			"aws.py:4 python sts.AssumeRole RoleArn={{assume.role_arn}} RoleSessionName=app", // the call jobs() does not take
			"aws.py:12 python organizations.ListAccounts role=$ORG_ROLE$ at aws.py:4",
			"aws.py:14 python sqs.SendMessage QueueUrl=q",
		}, nil},
		{"python if/else on a role parameter: decided by each caller, the assumed branch when not", map[string]string{"c.py": `
import os, boto3
def get_client(service, role_arn=None):
    if role_arn:
        creds = boto3.client("sts").assume_role(RoleArn=role_arn, RoleSessionName="x")["Credentials"]
        session = boto3.Session(aws_access_key_id=creds["AccessKeyId"])
    else:
        session = boto3.Session()
    return session.client(service)
def a():
    get_client("sqs").send_message(QueueUrl="q")
def b():
    get_client("s3", os.environ["R"]).list_buckets()
def c(opts):
    get_client("sns", **opts).publish(TopicArn="arn:aws:sns:eu-west-1:111122223333:t")
`}, []string{
			"c.py:5 python sts.AssumeRole RoleArn={{get_client.role_arn}} RoleSessionName=x",
			"c.py:5 python sts.AssumeRole RoleArn=$R RoleSessionName=x",
			"c.py:5 python sts.AssumeRole RoleArn={{role_arn}} RoleSessionName=x",
			"c.py:11 python sqs.SendMessage QueueUrl=q",
			"c.py:13 python s3.ListBuckets role=$R$ at c.py:5",
			"c.py:15 python sns.Publish TopicArn=arn:aws:sns:eu-west-1:111122223333:t role={{role_arn}} at c.py:5", // **opts may give role_arn
		}, nil},
		{"js temporary credentials and an assumed role's keys", map[string]string{"a.ts": `
import { S3Client, GetObjectCommand } from "@aws-sdk/client-s3";
import { STSClient, AssumeRoleCommand } from "@aws-sdk/client-sts";
import { fromTemporaryCredentials } from "@aws-sdk/credential-providers";
const audit = new S3Client({ credentials: fromTemporaryCredentials({ params: { RoleArn: "arn:aws:iam::444455556666:role/audit" } }) });
export async function read() {
  await audit.send(new GetObjectCommand({ Bucket: "logs", Key: "a" }));
  const { Credentials } = await new STSClient({}).send(new AssumeRoleCommand({ RoleArn: process.env.PARTNER_ROLE, RoleSessionName: "x" }));
  const partner = new S3Client({ credentials: { accessKeyId: Credentials.AccessKeyId, secretAccessKey: Credentials.SecretAccessKey } });
  await partner.send(new GetObjectCommand({ Bucket: "shared", Key: "b" }));
  const keyed = new S3Client({ credentials: { accessKeyId: process.env.PARTNER_KEY, secretAccessKey: process.env.PARTNER_SECRET } });
  await keyed.send(new GetObjectCommand({ Bucket: "other", Key: "c" }));
}
export class Store {
  constructor(opts) {
    const creds = opts.key ? { accessKeyId: opts.key, secretAccessKey: opts.secret } : undefined;
    this.s3 = new S3Client({ credentials: creds });
  }
  get() { return this.s3.send(new GetObjectCommand({ Bucket: "maybe", Key: "d" })); }
}
`}, []string{
			"a.ts:5 js sts.AssumeRole RoleArn=arn:aws:iam::444455556666:role/audit",
			"a.ts:7 js s3.GetObject Bucket=logs Key=a role=arn:aws:iam::444455556666:role/audit at a.ts:5",
			"a.ts:8 js sts.AssumeRole RoleArn=$PARTNER_ROLE RoleSessionName=x",
			"a.ts:10 js s3.GetObject Bucket=shared Key=b role=$PARTNER_ROLE$ at a.ts:8",
			"a.ts:12 js s3.GetObject Bucket=other Key=c keys=$PARTNER_KEY$",
			"a.ts:19 js s3.GetObject Bucket=maybe Key=d", // credentials it cannot read: the task's, and said
		}, []string{"a.ts:17:15: warning: the s3 client's credentials come from opts.key, which iamfit cannot read: its calls are in the task role, as made with the task's credentials; access keys the code gives instead are their user's [sdk-credentials-not-understood]"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			for name, body := range tt.files {
				if err := os.WriteFile(filepath.Join(dir, name), []byte(body), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			calls, diags, err := Scan(dir)
			if err != nil {
				t.Fatal(err)
			}
			var ds []string
			for _, d := range diags {
				ds = append(ds, d.String())
			}
			if strings.Join(ds, "\n") != strings.Join(tt.diags, "\n") {
				t.Errorf("diagnostics:\n%s\nwant:\n%s", strings.Join(ds, "\n"), strings.Join(tt.diags, "\n"))
			}
			var got []string
			for _, c := range calls {
				s := show(c)
				if c.AssumedRole != "" {
					s += " role=" + strings.ReplaceAll(c.AssumedRole, envMark, "$")
					if c.AssumedAt != "" {
						s += " at " + c.AssumedAt
					}
				}
				if c.Keys != "" {
					s += " keys=" + strings.ReplaceAll(c.Keys, envMark, "$")
				}
				got = append(got, s)
			}
			if strings.Join(got, "\n") != strings.Join(tt.want, "\n") {
				t.Errorf("calls:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(tt.want, "\n"))
			}
		})
	}
}

// TestApplicationLayers: a Python package or a src/ layer named
// infrastructure is application code (a root infra/ directory is not);
// a pydantic settings field reads the environment variable its alias
// names.
func TestApplicationLayers(t *testing.T) {
	got, diags := scanFiles(t, map[string]string{
		"app/infrastructure/__init__.py": "",
		"app/infrastructure/queue.py": `
import boto3
from pydantic import Field
from pydantic_settings import BaseSettings
class QueueSettings(BaseSettings):
    URL: str = Field(default="", alias="JOBS_QUEUE_URL")
def send(body):
    boto3.client("sqs").send_message(QueueUrl=QueueSettings().URL, MessageBody=body)
`,
		"web/src/infrastructure/store.ts": "import { S3Client, PutObjectCommand } from '@aws-sdk/client-s3';\nexport const put = () => new S3Client({}).send(new PutObjectCommand({ Bucket: 'b', Key: 'k' }));\n",
		"infra/setup.py":                  "import boto3\nboto3.client('s3').create_bucket(Bucket='b')\n",
	})
	want := []string{"app/infrastructure/queue.py:8 python sqs.SendMessage QueueUrl=$JOBS_QUEUE_URL", "web/src/infrastructure/store.ts:2 js s3.PutObject Bucket=b Key=k"}
	if strings.Join(got, "\n") != strings.Join(want, "\n") || len(diags) > 0 {
		t.Errorf("calls:\n%s\nwant:\n%s\ndiagnostics: %v", strings.Join(got, "\n"), strings.Join(want, "\n"), diags)
	}
}

// TestParametersNamedAfterSources: a resource argument the reader cannot
// know is a parameter named after the expression it comes from, so that
// two unknown buckets stay two.
func TestParametersNamedAfterSources(t *testing.T) {
	got, _ := scanFiles(t, map[string]string{
		"a.py": `
import boto3
s3 = boto3.client("s3")
class Uploads:
    def __init__(self, bucket):
        self.bucket = bucket
    def put(self, key):
        s3.put_object(Bucket=self.bucket, Key=key)
def archive(target, key):
    s3.copy_object(Bucket=target, Key=key, CopySource="src/" + key)
`,
		"b.ts": `
import { SQSClient, SendMessageCommand } from "@aws-sdk/client-sqs";
const sqs = new SQSClient({});
export const send = (cfg: any) => sqs.send(new SendMessageCommand({ QueueUrl: cfg.queues.jobs, MessageBody: "x" }));
`,
		"main.go": `package main
import (
	"context"
	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sns"
)
type notifier struct{ c *sns.Client; topic string }
func (n *notifier) notify(ctx context.Context) {
	n.c.Publish(ctx, &sns.PublishInput{TopicArn: aws.String(n.topic)})
}
`})
	want := []string{
		"a.py:8 python s3.PutObject Bucket={{Uploads.bucket}}",
		"a.py:10 python s3.CopyObject Bucket={{archive.target}} CopySource=src/*",
		"b.ts:4 js sqs.SendMessage MessageBody=x QueueUrl={{cfg.queues.jobs}}",
		"main.go:9 go sns.Publish TopicArn={{notifier.topic}}",
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("calls:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}

// TestGoClientRegion: the region a Go client is made with is its calls'.
func TestGoClientRegion(t *testing.T) {
	got, _ := scanFiles(t, map[string]string{"main.go": `package main
import (
	"context"
	"os"
	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/config"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/aws-sdk-go-v2/service/sqs"
	"github.com/aws/aws-sdk-go/aws/session"
	awsv1 "github.com/aws/aws-sdk-go/aws"
	dynamov1 "github.com/aws/aws-sdk-go/service/dynamodb"
)
type app struct{ q *sqs.Client }
func newApp(ctx context.Context) *app {
	cfg, _ := config.LoadDefaultConfig(ctx, config.WithRegion(os.Getenv("QUEUE_REGION")))
	return &app{q: sqs.NewFromConfig(cfg)}
}
func main() {
	ctx := context.TODO()
	cfg, _ := config.LoadDefaultConfig(ctx, config.WithRegion("eu-west-1"))
	east := s3.NewFromConfig(cfg, func(o *s3.Options) { o.Region = "us-east-1" })
	east.GetObject(ctx, &s3.GetObjectInput{Bucket: aws.String("b")})
	s3.NewFromConfig(cfg).ListBuckets(ctx, nil)
	a := newApp(ctx)
	a.q.SendMessage(ctx, &sqs.SendMessageInput{QueueUrl: aws.String("q")})
	sess := session.Must(session.NewSession(&awsv1.Config{Region: awsv1.String("ap-south-1")}))
	db := dynamov1.New(sess)
	db.GetItem(&dynamov1.GetItemInput{TableName: awsv1.String("t")})
	plain := s3.NewFromConfig(aws.Config{})
	plain.DeleteObject(ctx, &s3.DeleteObjectInput{Bucket: aws.String("c")})
}
`})
	want := []string{
		"main.go:22 go s3.GetObject Bucket=b @us-east-1",
		"main.go:23 go s3.ListBuckets @eu-west-1",
		"main.go:25 go sqs.SendMessage QueueUrl=q @$QUEUE_REGION$",
		"main.go:28 go dynamodb.GetItem TableName=t @ap-south-1",
		"main.go:30 go s3.DeleteObject Bucket=c",
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("calls:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}

// TestAISDKBedrock: the Vercel AI SDK's Bedrock provider calls Converse
// for the models the code makes (InvokeModel for embeddings and images)
// and ConverseStream where it streams one.
func TestAISDKBedrock(t *testing.T) {
	got, diags := scanFiles(t, map[string]string{
		"llm.ts": `
import { createAmazonBedrock, bedrock } from "@ai-sdk/amazon-bedrock";
import { fromNodeProviderChain } from "@aws-sdk/credential-providers";
import { generateText, streamText, embed } from "ai";
const provider = createAmazonBedrock({ region: "us-east-1", credentialProvider: fromNodeProviderChain() });
const haiku = provider("anthropic.claude-3-haiku-20240307-v1:0");
export async function answer(q: string) {
  await generateText({ model: haiku, prompt: q });
  return streamText({ model: haiku, prompt: q });
}
export const vectors = (text: string) => embed({ model: bedrock.embedding("amazon.titan-embed-text-v2:0"), value: text });
export const relay = (model: any, q: string) => streamText({ model, prompt: q });
`})
	want := []string{
		"llm.ts:6 js bedrock-runtime.Converse ModelId=anthropic.claude-3-haiku-20240307-v1:0 @us-east-1",
		"llm.ts:9 js bedrock-runtime.ConverseStream ModelId=anthropic.claude-3-haiku-20240307-v1:0 @us-east-1",
		"llm.ts:11 js bedrock-runtime.InvokeModel ModelId=amazon.titan-embed-text-v2:0",
	}
	wantDiags := []string{
		"llm.ts:11:65: warning: the AI SDK's Bedrock provider without a credentialProvider signs with AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY from the environment, not with the task role: give it credentialProvider: fromNodeProviderChain() for the task role's permissions below [sdk-credentials]",
		"llm.ts:12:49: warning: a streamed AI SDK model the reader cannot name: a Bedrock model (the code makes some) also needs bedrock:InvokeModelWithResponseStream here; its needs are not included [sdk-call-not-understood]",
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") || strings.Join(diags, "\n") != strings.Join(wantDiags, "\n") {
		t.Errorf("calls:\n%s\nwant:\n%s\ndiagnostics:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"), strings.Join(diags, "\n"), strings.Join(wantDiags, "\n"))
	}
}

// TestAttributeOfManyAssignments: obj.attr of an object the reader
// cannot name is the value the service assigns to that attribute only
// when its assignments agree.
func TestAttributeOfManyAssignments(t *testing.T) {
	got, _ := scanFiles(t, map[string]string{"a.ts": `
import { SQSClient, SendMessageCommand } from "@aws-sdk/client-sqs";
const sqs = new SQSClient({});
const node = { id: "" };
node.id = "__start__";
other.id = "x";
cfg.queue = "jobs";
export const send = (m: any, c: any) => sqs.send(new SendMessageCommand({ QueueUrl: m.id, MessageBody: c.queue }));
export const two = (c: any) => sqs.send(new SendMessageCommand({ QueueUrl: c.queue }));
`})
	want := []string{"a.ts:8 js sqs.SendMessage MessageBody=jobs QueueUrl={{m.id}}", "a.ts:9 js sqs.SendMessage QueueUrl=jobs"}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("calls:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}

func TestHelperOfHelper(t *testing.T) {
	got, _ := scanFiles(t, map[string]string{
		"aws.py": "import boto3\ndef call(service, method, **kw):\n    return getattr(boto3.client(service), method)(**kw)\n",
		"db.py":  "from aws import call\ndef get_item(TableName, **kwargs):\n    return call('dynamodb', 'get_item', TableName=TableName, **kwargs)\n",
		"app.py": "import db\ndef incident(i):\n    return db.get_item(TableName='incidents', Key={})\ndef hook(i):\n    return db.get_item(TableName='webhooks', Key={})\n",
	})
	want := []string{"aws.py:3 python dynamodb.GetItem TableName=incidents", "aws.py:3 python dynamodb.GetItem TableName=webhooks"}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("calls:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}

func TestSubmoduleImportAndEmptyKwargs(t *testing.T) {
	got, diags := scanFiles(t, map[string]string{
		"svc/aws/__init__.py": "",
		"svc/aws/base.py":     "import boto3\ndef call(service, method, **kw):\n    return getattr(boto3.client(service), method)(**kw)\n",
		"svc/aws/db.py":       "from svc.aws.base import call\ndef tables():\n    return call('dynamodb', 'list_tables')\ndef get(TableName):\n    return call('dynamodb', 'get_item', TableName=TableName)\n",
		"svc/app.py":          "from svc.aws import db\ndef run():\n    db.tables()\n    db.get('orders')\n",
	})
	want := []string{"svc/aws/base.py:3 python dynamodb.GetItem TableName=orders", "svc/aws/base.py:3 python dynamodb.ListTables"}
	sort.Strings(got)
	if strings.Join(got, "\n") != strings.Join(want, "\n") || len(diags) > 0 {
		t.Errorf("calls:\n%s\nwant:\n%s\ndiagnostics: %v", strings.Join(got, "\n"), strings.Join(want, "\n"), diags)
	}
}

func TestDocumentClientFrom(t *testing.T) {
	got, _ := scanFiles(t, map[string]string{"a.js": `
const { DynamoDBClient } = require("@aws-sdk/client-dynamodb");
const { DynamoDBDocumentClient, PutCommand } = require("@aws-sdk/lib-dynamodb");
const doc = DynamoDBDocumentClient.from(new DynamoDBClient({ region: "eu-central-1", credentials: { accessKeyId: process.env.KEY } }));
exports.put = () => doc.send(new PutCommand({ TableName: "t" }));
`})
	want := []string{"a.js:5 js dynamodb.PutItem TableName=t @eu-central-1"}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("calls:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	ctx := Context{Region: "eu-west-1", Account: "111122223333", Env: map[string]string{"KEY": ""}}
	c := Call{Service: "dynamodb", Operation: "PutItem", Args: map[string][]string{"TableName": {"t"}}, Keys: envMark + "KEY" + envMark}
	if needs, diags := Needs([]Call{c}, ctx, catalog.MustLoad()); len(needs) != 1 || len(diags) != 0 {
		t.Errorf("an empty key variable is no key: needs %v, diagnostics %v", needs, diags)
	}
	ctx.Env["KEY"] = "AKIA..."
	if needs, diags := Needs([]Call{c}, ctx, catalog.MustLoad()); len(needs) != 0 || len(diags) != 1 {
		t.Errorf("a key the task definition sets: needs %v, diagnostics %v", needs, diags)
	}
}
