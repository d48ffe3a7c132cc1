package code

import (
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/iamfit/iamfit/internal/catalog"
	"github.com/iamfit/iamfit/internal/source"
	"github.com/iamfit/iamfit/internal/tree"
)

func TestScanLanguages(t *testing.T) {
	dir := filepath.Join("..", "..", "examples", "app-roles")
	calls, _, err := Scan(dir)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, c := range calls {
		got = append(got, show(c))
	}
	want := []string{
		"backend/main.go:29 go ssm.GetParameter Name=/shop/backend/feature-flags",
		"backend/main.go:38 go cloudformation.DescribeStacks StackName=shop-network",
		"backend/main.go:45 go dynamodb.PutItem TableName=$TABLE_NAME",
		"backend/main.go:48 go dynamodb.GetItem TableName=$TABLE_NAME",
		"backend/main.go:51 go dynamodb.Query IndexName=by-customer TableName=$TABLE_NAME",
		"backend/main.go:57 go sqs.SendMessage MessageBody={} QueueUrl=$QUEUE_URL",
		"frontend/src/upload.ts:13 js ssm.GetParameter Name=/shop/frontend/api-base",
		"frontend/src/upload.ts:14 js dynamodb.GetItem TableName=$TABLE_NAME",
		"frontend/src/upload.ts:15 js s3.PutObject Bucket=$UPLOAD_BUCKET Key=uploads/*",
		"frontend/src/upload.ts:16 js sqs.SendMessage QueueUrl=$QUEUE_URL",
		"worker/worker.py:15 python sqs.ReceiveMessage QueueUrl=$QUEUE_URL WaitTimeSeconds=20",
		"worker/worker.py:18 python s3.PutObject Body={} Bucket=$INVOICE_BUCKET Key=invoices/*.json",
		"worker/worker.py:19 python dynamodb.UpdateItem TableName=$TABLE_NAME UpdateExpression=SET invoiced = :t",
		"worker/worker.py:20 python sqs.DeleteMessage QueueUrl=$QUEUE_URL",
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("calls:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}

// show prints a call as file:line lang service.Operation Arg=value ...,
// an environment variable as $NAME.
func show(c Call) string {
	var kv []string
	for k, vs := range c.Args {
		if p, ok := strings.CutPrefix(k, hintPrefix); ok {
			kv = append(kv, p+"={{"+vs[0]+"}}")
			continue
		}
		var shown []string
		for _, v := range vs {
			parts := strings.Split(v, envMark)
			for i := 1; i < len(parts); i += 2 {
				parts[i] = "$" + parts[i]
			}
			shown = append(shown, strings.Join(parts, ""))
		}
		kv = append(kv, k+"="+strings.Join(shown, ","))
	}
	sort.Strings(kv)
	if c.Region != "" {
		kv = append(kv, "@"+strings.ReplaceAll(c.Region, envMark, "$"))
	}
	if c.Unread {
		kv = append(kv, "(unread)")
	}
	return strings.TrimSpace(fmt.Sprintf("%s:%d %s %s.%s %s", c.File, c.Line, c.Lang, c.Service, c.Operation, strings.Join(kv, " ")))
}

func TestNeedsRegion(t *testing.T) {
	cat := catalog.MustLoad()
	ctx := Context{Region: "eu-west-2", Account: "111122223333", Env: map[string]string{"SES_REGION": "eu-west-1"}}
	for region, want := range map[string]string{
		"":                                 "arn:aws:sqs:eu-west-2:111122223333:q",
		"us-east-1":                        "arn:aws:sqs:us-east-1:111122223333:q",
		envMark + "SES_REGION" + envMark:   "arn:aws:sqs:eu-west-1:111122223333:q",
		envMark + "AWS_REGION" + envMark:   "arn:aws:sqs:eu-west-2:111122223333:q", // ECS sets it to the task's region
		envMark + "OTHER_REGION" + envMark: "arn:aws:sqs:{{OTHER_REGION}}:111122223333:q",
		"*-west-1":                         "arn:aws:sqs:eu-west-2:111122223333:q",
	} {
		c := Call{Service: "sqs", Operation: "SendMessage", Args: map[string][]string{"QueueUrl": {"q"}}, Region: region}
		needs, _ := Needs([]Call{c}, ctx, cat)
		if len(needs) != 1 || needs[0].Resource != want {
			t.Errorf("region %q: %v, want %s", region, needs, want)
		}
	}
}

func TestNeedsResources(t *testing.T) {
	cat := catalog.MustLoad()
	ctx := Context{Region: "eu-west-1", Account: "111122223333", Env: map[string]string{
		"Q": "https://sqs.eu-west-1.amazonaws.com/111122223333/jobs", "B": "files"}}
	tests := []struct {
		call Call
		want string
	}{
		{Call{Service: "s3", Operation: "GetObject", Args: map[string][]string{"Bucket": {envMark + "B" + envMark}, "Key": {"a/b"}}}, "s3:GetObject arn:aws:s3:::files/a/b"},
		{Call{Service: "s3", Operation: "ListObjectsV2", Args: map[string][]string{"Bucket": {envMark + "B" + envMark}}}, "s3:ListBucket arn:aws:s3:::files"},
		{Call{Service: "s3", Operation: "PutObject", Args: map[string][]string{"Bucket": {envMark + "MISSING" + envMark}}}, "s3:PutObject arn:aws:s3:::{{MISSING}}/*"},
		{Call{Service: "sqs", Operation: "SendMessage", Args: map[string][]string{"QueueUrl": {envMark + "Q" + envMark}}}, "sqs:SendMessage arn:aws:sqs:eu-west-1:111122223333:jobs"},
		{Call{Service: "sqs", Operation: "GetQueueUrl", Args: map[string][]string{"QueueName": {"jobs"}}}, "sqs:GetQueueUrl arn:aws:sqs:eu-west-1:111122223333:jobs"},
		{Call{Service: "dynamodb", Operation: "Query", Args: map[string][]string{"TableName": {"t"}, "IndexName": {"i"}}}, "dynamodb:Query arn:aws:dynamodb:eu-west-1:111122223333:table/t|dynamodb:Query arn:aws:dynamodb:eu-west-1:111122223333:table/t/index/i"},
		{Call{Service: "ssm", Operation: "GetParametersByPath", Args: map[string][]string{"Path": {"/app/"}}}, "ssm:GetParametersByPath arn:aws:ssm:eu-west-1:111122223333:parameter/app/*"},
		{Call{Service: "secretsmanager", Operation: "GetSecretValue", Args: map[string][]string{"SecretId": {"db"}}}, "secretsmanager:GetSecretValue arn:aws:secretsmanager:eu-west-1:111122223333:secret:db-??????"},
		{Call{Service: "sqs", Operation: "ListQueues"}, "sqs:ListQueues *"},
	}
	for _, tt := range tests {
		needs, diags := Needs([]Call{tt.call}, ctx, cat)
		if len(diags) > 0 {
			t.Errorf("%v: %v", tt.call, diags)
		}
		var got []string
		for _, n := range needs {
			got = append(got, n.Action+" "+n.Resource)
		}
		if strings.Join(got, "|") != tt.want {
			t.Errorf("%s.%s: %q, want %q", tt.call.Service, tt.call.Operation, strings.Join(got, "|"), tt.want)
		}
	}
}

func FuzzScan(f *testing.F) {
	f.Add("go", "import \"github.com/aws/aws-sdk-go-v2/service/s3\"\nx := &s3.GetObjectInput{Bucket: aws.String(\"b\"), Key: aws.String(os.Getenv(\"K\"))}")
	f.Add("py", "import boto3\nc = boto3.client('sqs')\nc.send_message(QueueUrl=os.environ['Q'])\nt = boto3.resource('dynamodb').Table('x')")
	f.Add("js", "import { S3Client, PutObjectCommand } from '@aws-sdk/client-s3';\nnew PutObjectCommand({Bucket: `b-${x}`})")
	f.Add("py", "import boto3\ndef f(s, m, r=None, *a, **kw):\n    if r:\n        x = boto3.Session(aws_access_key_id=r['K'])\n    else:\n        x = boto3.Session()\n    return getattr(x.client(s), m)(**{**kw, 'T': 1})\nf('sqs', 'send_message', QueueUrl='q')")
	f.Add("js", "import { createAmazonBedrock } from '@ai-sdk/amazon-bedrock';\nimport { streamText } from 'ai';\nconst p = createAmazonBedrock({ ...o, [k]: v });\nstreamText({ model: p('m') });\nc[m]({ ...i, RequestItems: { [t]: [] } })")
	f.Fuzz(func(t *testing.T, lang, text string) {
		file := source.NewFile("f", []byte(text))
		r := &results{}
		switch lang {
		case "go":
			scanGoPackage([]*source.File{file}, r)
		case "py":
			scanPython([]*source.File{file}, r)
		default:
			scanJS([]*source.File{file}, r)
		}
	})
}

// BenchmarkScan2000 scans a 2,000-file application tree: the example's
// three apps copied over and over, with files that hold no SDK call.
func BenchmarkScan2000(b *testing.B) {
	dir := b.TempDir()
	srcs := map[string]string{}
	for _, p := range []string{"backend/main.go", "worker/worker.py", "frontend/src/upload.ts"} {
		data, err := os.ReadFile(filepath.Join("..", "..", "examples", "app-roles", p))
		if err != nil {
			b.Fatal(err)
		}
		srcs[filepath.Ext(p)] = string(data)
	}
	filler := strings.Repeat("// ordinary application code without AWS calls\nfunc f() int { return 1 }\n", 40)
	for i := 0; i < 2000; i++ {
		sub := filepath.Join(dir, fmt.Sprintf("pkg%03d", i/20))
		os.MkdirAll(sub, 0o755)
		var name, body string
		switch i % 4 {
		case 0:
			name, body = fmt.Sprintf("f%d.go", i), srcs[".go"]
		case 1:
			name, body = fmt.Sprintf("f%d.py", i), srcs[".py"]
		case 2:
			name, body = fmt.Sprintf("f%d.ts", i), srcs[".ts"]
		default:
			name, body = fmt.Sprintf("f%d.go", i), "package p\n"+filler
		}
		if err := os.WriteFile(filepath.Join(sub, name), []byte(body), 0o644); err != nil {
			b.Fatal(err)
		}
	}
	// CPU time per scan as well as wall time: on a shared machine the
	// wall time measures the neighbours too.
	start := cpuTime()
	for b.Loop() {
		calls, _, err := Scan(dir)
		if err != nil || len(calls) == 0 {
			b.Fatal(err, len(calls))
		}
	}
	b.ReportMetric(float64((cpuTime()-start).Milliseconds())/float64(b.N), "cpu-ms/op")
}

// BenchmarkWalk2000 is the repository walk alone of the same tree (the
// part of BenchmarkScan2000 that is the file system's).
func BenchmarkWalk2000(b *testing.B) {
	dir := b.TempDir()
	for i := 0; i < 2000; i++ {
		sub := filepath.Join(dir, fmt.Sprintf("pkg%03d", i/20))
		os.MkdirAll(sub, 0o755)
		os.WriteFile(filepath.Join(sub, fmt.Sprintf("f%d.go", i)), []byte("package p\n"), 0o644)
	}
	for b.Loop() {
		if _, err := tree.Walk(dir, tree.Options{}); err != nil {
			b.Fatal(err)
		}
	}
}
