package calls_test

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"unicode"

	"github.com/iamfit/iamfit/internal/catalog"
	"github.com/iamfit/iamfit/internal/cloudtrail"
	"github.com/iamfit/iamfit/internal/code"
	"github.com/iamfit/iamfit/internal/need"
	"github.com/iamfit/iamfit/internal/scan"
	"github.com/iamfit/iamfit/internal/usage"
)

const (
	region  = "eu-west-1"
	account = "111122223333"
	queue   = "https://sqs.eu-west-1.amazonaws.com/111122223333/jobs"
	topic   = "arn:aws:sns:eu-west-1:111122223333:events"
	key     = "arn:aws:kms:eu-west-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab"
)

// service names one service on each surface.
type service struct {
	golang, python, js, cli, trail string
}

var (
	s3      = service{"s3", "s3", "s3", "s3api", "s3.amazonaws.com"}
	sqs     = service{"sqs", "sqs", "sqs", "sqs", "sqs.amazonaws.com"}
	ddb     = service{"dynamodb", "dynamodb", "dynamodb", "dynamodb", "dynamodb.amazonaws.com"}
	ssm     = service{"ssm", "ssm", "ssm", "ssm", "ssm.amazonaws.com"}
	secrets = service{"secretsmanager", "secretsmanager", "secrets-manager", "secretsmanager", "secretsmanager.amazonaws.com"}
	sns     = service{"sns", "sns", "sns", "sns", "sns.amazonaws.com"}
	kms     = service{"kms", "kms", "kms", "kms", "kms.amazonaws.com"}
	ecsSvc  = service{"ecs", "ecs", "ecs", "ecs", "ecs.amazonaws.com"}
	logs    = service{"cloudwatchlogs", "logs", "cloudwatch-logs", "logs", "logs.amazonaws.com"}
	states  = service{"sfn", "stepfunctions", "sfn", "stepfunctions", "states.amazonaws.com"}
	lambda  = service{"lambda", "lambda", "lambda", "lambda", "lambda.amazonaws.com"}
)

// arg is one API argument; a list argument has several values.
type arg struct {
	name   string
	values []string
}

func a(name string, values ...string) arg { return arg{name, values} }

// TestSameNeedsOnEverySurface runs each (service, operation, arguments)
// through the SDK scanner, the aws CLI reader of workflows and the
// CloudTrail reader, and expects the same needs from all three: what an
// AWS call needs is known once, in the calls table.
func TestSameNeedsOnEverySurface(t *testing.T) {
	tests := []struct {
		svc  service
		op   string
		args []arg
		lang string // the SDK snippet's language; by default each row takes the next one
		want []string
	}{
		{s3, "GetObject", []arg{a("Bucket", "reports"), a("Key", "daily/1.csv")}, "", []string{"s3:GetObject arn:aws:s3:::reports/daily/1.csv"}},
		{s3, "PutObject", []arg{a("Bucket", "reports"), a("Key", "daily/1.csv")}, "", []string{"s3:PutObject arn:aws:s3:::reports/daily/1.csv"}},
		{s3, "HeadObject", []arg{a("Bucket", "reports"), a("Key", "daily/1.csv")}, "", []string{"s3:GetObject arn:aws:s3:::reports/daily/1.csv"}},
		{s3, "CopyObject", []arg{a("Bucket", "reports"), a("Key", "copy/1.csv"), a("CopySource", "incoming/1.csv")}, "",
			[]string{"s3:GetObject arn:aws:s3:::incoming/1.csv", "s3:PutObject arn:aws:s3:::reports/copy/1.csv"}},
		{s3, "ListObjectsV2", []arg{a("Bucket", "reports"), a("Prefix", "daily/")}, "", []string{"s3:ListBucket arn:aws:s3:::reports"}},
		{s3, "DeleteObject", []arg{a("Bucket", "reports"), a("Key", "daily/1.csv")}, "", []string{"s3:DeleteObject arn:aws:s3:::reports/daily/1.csv"}},
		{sqs, "SendMessage", []arg{a("QueueUrl", queue), a("MessageBody", "hi")}, "", []string{"sqs:SendMessage arn:aws:sqs:eu-west-1:111122223333:jobs"}},
		{sqs, "SendMessageBatch", []arg{a("QueueUrl", queue)}, "", []string{"sqs:SendMessage arn:aws:sqs:eu-west-1:111122223333:jobs"}},
		{sqs, "ReceiveMessage", []arg{a("QueueUrl", queue)}, "", []string{"sqs:ReceiveMessage arn:aws:sqs:eu-west-1:111122223333:jobs"}},
		{ddb, "GetItem", []arg{a("TableName", "orders")}, "", []string{"dynamodb:GetItem arn:aws:dynamodb:eu-west-1:111122223333:table/orders"}},
		{ddb, "PutItem", []arg{a("TableName", "orders")}, "", []string{"dynamodb:PutItem arn:aws:dynamodb:eu-west-1:111122223333:table/orders"}},
		{ddb, "Query", []arg{a("TableName", "orders"), a("IndexName", "by-customer")}, "", []string{
			"dynamodb:Query arn:aws:dynamodb:eu-west-1:111122223333:table/orders",
			"dynamodb:Query arn:aws:dynamodb:eu-west-1:111122223333:table/orders/index/by-customer"}},
		{ssm, "GetParameter", []arg{a("Name", "/app/db-url")}, "", []string{"ssm:GetParameter arn:aws:ssm:eu-west-1:111122223333:parameter/app/db-url"}},
		{secrets, "GetSecretValue", []arg{a("SecretId", "db")}, "", []string{"secretsmanager:GetSecretValue arn:aws:secretsmanager:eu-west-1:111122223333:secret:db-??????"}},
		{sns, "Publish", []arg{a("TopicArn", topic), a("Message", "hi")}, "", []string{"sns:Publish " + topic}},
		{kms, "Decrypt", []arg{a("KeyId", key)}, "", []string{"kms:Decrypt " + key}},
		// ECS's own parameters are lower case (cluster, services) in boto3
		// and the JS SDK, which the scanner does not read yet: Go only.
		{ecsSvc, "DescribeServices", []arg{a("Cluster", "prod"), a("Services", "web", "api")}, "go", []string{
			"ecs:DescribeServices arn:aws:ecs:eu-west-1:111122223333:service/prod/api",
			"ecs:DescribeServices arn:aws:ecs:eu-west-1:111122223333:service/prod/web"}},
		{logs, "PutLogEvents", []arg{a("LogGroupName", "/ecs/app"), a("LogStreamName", "web/1")}, "", []string{
			"logs:PutLogEvents arn:aws:logs:eu-west-1:111122223333:log-group:/ecs/app:log-stream:web/1"}},
		{states, "StartExecution", []arg{a("StateMachineArn", "arn:aws:states:eu-west-1:111122223333:stateMachine:flow")}, "", []string{
			"states:StartExecution arn:aws:states:eu-west-1:111122223333:stateMachine:flow"}},
		{lambda, "Invoke", []arg{a("FunctionName", "resize")}, "", []string{"lambda:InvokeFunction arn:aws:lambda:eu-west-1:111122223333:function:resize"}},
	}
	cat := catalog.MustLoad()
	langs := []string{"go", "python", "js"}
	for i, tt := range tests {
		lang := tt.lang
		if lang == "" {
			lang = langs[i%len(langs)]
		}
		t.Run(tt.svc.cli+" "+tt.op, func(t *testing.T) {
			want := append([]string(nil), tt.want...)
			sort.Strings(want)
			surfaces := map[string][]string{
				"sdk (" + lang + ")": sdkNeeds(t, cat, lang, tt.svc, tt.op, tt.args),
				"aws CLI":            cliNeeds(t, tt.svc, tt.op, tt.args),
				"CloudTrail":         trailNeeds(t, cat, tt.svc, tt.op, tt.args),
			}
			for name, got := range surfaces {
				if strings.Join(got, "\n") != strings.Join(want, "\n") {
					t.Errorf("%s:\n  %s\nwant:\n  %s", name, strings.Join(got, "\n  "), strings.Join(want, "\n  "))
				}
			}
		})
	}
}

func strs(needs []need.Need) []string {
	seen := map[string]bool{}
	var out []string
	for _, n := range needs {
		s := n.Action + " " + n.Resource
		for _, c := range n.Conditions {
			s += " [" + c.String() + "]"
		}
		if !seen[s] {
			seen[s] = true
			out = append(out, s)
		}
	}
	sort.Strings(out)
	return out
}

// snake turns HeadObject into head_object and ListObjectsV2 into
// list_objects_v2, as boto3 names its methods.
func snake(s string) string {
	var b strings.Builder
	for i, r := range s {
		if unicode.IsUpper(r) && i > 0 {
			b.WriteByte('_')
		}
		b.WriteRune(unicode.ToLower(r))
	}
	return b.String()
}

// kebab turns QueueUrl into queue-url and ListObjectsV2 into
// list-objects-v2, as the aws CLI names options and commands.
func kebab(s string) string { return strings.ReplaceAll(snake(s), "_", "-") }

func write(t *testing.T, dir, name, body string) {
	t.Helper()
	p := filepath.Join(dir, filepath.FromSlash(name))
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
		t.Fatal(err)
	}
}

// sdkNeeds writes the call as a one-call program and scans it.
func sdkNeeds(t *testing.T, cat *catalog.Catalog, lang string, svc service, op string, args []arg) []string {
	t.Helper()
	quote := func(v string) string { return fmt.Sprintf("%q", v) }
	if lang == "python" {
		quote = func(v string) string { return "'" + v + "'" }
	}
	var fields []string
	for _, x := range args {
		var v string
		switch {
		case len(x.values) > 1 || x.name == "Services":
			var q []string
			for _, e := range x.values {
				q = append(q, quote(e))
			}
			v = "[" + strings.Join(q, ", ") + "]"
			if lang == "go" {
				v = "[]string{" + strings.Join(q, ", ") + "}"
			}
		case lang == "go":
			v = "aws.String(" + quote(x.values[0]) + ")"
		default:
			v = quote(x.values[0])
		}
		sep := ": "
		if lang == "python" {
			sep = "="
		}
		fields = append(fields, x.name+sep+v)
	}
	dir := t.TempDir()
	var file, body string
	switch lang {
	case "go":
		file = "main.go"
		body = fmt.Sprintf("package main\n\nimport (\n\t\"github.com/aws/aws-sdk-go-v2/aws\"\n\t\"github.com/aws/aws-sdk-go-v2/service/%s\"\n)\n\nfunc f() {\n\t_ = &%s.%sInput{%s}\n}\n",
			svc.golang, svc.golang, op, strings.Join(fields, ", "))
	case "python":
		file = "app.py"
		body = fmt.Sprintf("import boto3\n\nclient = boto3.client('%s')\nclient.%s(%s)\n", svc.python, snake(op), strings.Join(fields, ", "))
	case "js":
		file = "app.ts"
		body = fmt.Sprintf("import { %sCommand } from \"@aws-sdk/client-%s\";\n\nawait client.send(new %sCommand({ %s }));\n", op, svc.js, op, strings.Join(fields, ", "))
	}
	write(t, dir, file, body)
	found, _, err := code.Scan(dir)
	if err != nil || len(found) != 1 {
		t.Fatalf("scan %s: %d calls, %v\n%s", file, len(found), err, body)
	}
	needs, diags := code.Needs(found, code.Context{Region: region, Account: account}, cat)
	for _, d := range diags {
		t.Errorf("sdk: %s", d)
	}
	return strs(needs)
}

// cliNeeds runs the call as an aws CLI command in a workflow.
func cliNeeds(t *testing.T, svc service, op string, args []arg) []string {
	t.Helper()
	line := "aws " + svc.cli + " " + kebab(op)
	for _, x := range args {
		line += " --" + kebab(x.name) + " " + strings.Join(x.values, " ")
	}
	dir := t.TempDir()
	write(t, dir, ".github/workflows/w.yml", `on:
  push:
    branches: [main]
permissions:
  id-token: write
jobs:
  deploy:
    runs-on: ubuntu-latest
    steps:
      - uses: aws-actions/configure-aws-credentials@v4
        with:
          role-to-assume: arn:aws:iam::`+account+`:role/deploy
          aws-region: `+region+`
      - run: `+line+`
`)
	res, err := scan.Analyze(scan.Options{Dir: dir, Repo: "o/r"})
	if err != nil {
		t.Fatal(err)
	}
	for _, d := range res.Diagnostics {
		if d.Check == "unknown-command" {
			t.Errorf("aws CLI: %s", d)
		}
	}
	if len(res.Roles) != 1 {
		t.Fatalf("aws CLI %q: %d roles", line, len(res.Roles))
	}
	return strs(res.Roles[0].Needs)
}

// trailNeeds reads the call as CloudTrail records it: request parameters
// in camel case (S3's bucketName and copy source header), and for S3 data
// events the object and bucket as resources.
func trailNeeds(t *testing.T, cat *catalog.Catalog, svc service, op string, args []arg) []string {
	t.Helper()
	params := map[string]any{}
	var resources []cloudtrail.Resource
	var bucket string
	for _, x := range args {
		name := strings.ToLower(x.name[:1]) + x.name[1:]
		switch {
		case svc == s3 && x.name == "Bucket":
			name, bucket = "bucketName", x.values[0]
		case svc == s3 && x.name == "CopySource":
			name = "x-amz-copy-source"
		}
		if len(x.values) > 1 || x.name == "Services" {
			params[name] = x.values
		} else {
			params[name] = x.values[0]
		}
	}
	if svc == s3 {
		if k, ok := params["key"].(string); ok {
			resources = append(resources, cloudtrail.Resource{Type: "AWS::S3::Object", ARN: "arn:aws:s3:::" + bucket + "/" + k})
		}
		resources = append(resources, cloudtrail.Resource{Type: "AWS::S3::Bucket", ARN: "arn:aws:s3:::" + bucket})
	}
	raw, err := json.Marshal(params)
	if err != nil {
		t.Fatal(err)
	}
	r := &cloudtrail.Record{EventSource: svc.trail, EventName: op, AWSRegion: region, RecipientAccount: account,
		RawParameters: raw, Resources: resources}
	needs, err := usage.Needs(r, "trail", cat)
	if err != nil {
		t.Fatalf("CloudTrail: %v", err)
	}
	return strs(needs)
}
