package cfn

import (
	"strings"
	"testing"

	"github.com/iamfit/iamfit/internal/jsonpos"
	"github.com/iamfit/iamfit/internal/source"
)

const evalTemplate = `AWSTemplateFormatVersion: "2010-09-09"
Parameters:
  Env:
    Type: String
  ExistingBucket:
    Type: String
Resources:
  Named:
    Type: AWS::S3::Bucket
    Properties:
      BucketName: !Sub "acme-${Env}-uploads"
  Generated:
    Type: AWS::S3::Bucket
  Jobs:
    Type: AWS::SQS::Queue
    Properties:
      QueueName: jobs
  Events:
    Type: AWS::SNS::Topic
    Properties:
      TopicName: !Join ["-", [!Ref Env, events]]
  Orders:
    Type: AWS::DynamoDB::Table
    Properties:
      TableName: orders
  Db:
    Type: AWS::SecretsManager::Secret
    Properties:
      Name: app/db
  Key:
    Type: AWS::KMS::Key
  Flag:
    Type: AWS::SSM::Parameter
    Properties:
      Name: /app/flag
      Type: String
      Value: "on"
  Logs:
    Type: AWS::Logs::LogGroup
    Properties:
      LogGroupName: /ecs/app
  Repo:
    Type: AWS::ECR::Repository
    Properties:
      RepositoryName: app
  Worker:
    Type: AWS::IAM::Role
    Properties:
      Path: /service/
      RoleName: worker
  Chooser:
    Type: AWS::S3::Bucket
    Properties:
      BucketName: !If [Prod, a, b]
  Balancer:
    Type: AWS::ElasticLoadBalancingV2::LoadBalancer
`

func TestEval(t *testing.T) {
	tp := parse(t, "app.yaml", []byte(evalTemplate))
	st := Stack{Region: "eu-west-1", Account: "123456789012"}
	for _, c := range []struct {
		name, in, want string
		pattern        bool
		note           string // a substring of one of the notes
	}{
		// AWS::S3::Bucket: Ref returns the bucket name, Fn::GetAtt Arn
		// arn:aws:s3:::NAME (aws-resource-s3-bucket.html#...-return-values).
		{"bucket name", "!Ref Named", "acme-{{Env}}-uploads", false, ""},
		{"bucket arn", "!GetAtt Named.Arn", "arn:aws:s3:::acme-{{Env}}-uploads", false, ""},
		{"bucket generated", "!Ref Generated", "{{Generated}}", false, "sets no BucketName: CloudFormation generates the name"},
		{"bucket in sub", `!Sub "s3://${Named}/in/"`, "s3://acme-{{Env}}-uploads/in/", false, ""},
		{"bucket regional domain", "!GetAtt Named.RegionalDomainName", "acme-{{Env}}-uploads.s3.eu-west-1.amazonaws.com", false, ""},
		// AWS::SQS::Queue: Ref returns the queue URL; Arn, QueueName.
		{"queue url", "!Ref Jobs", "https://sqs.eu-west-1.amazonaws.com/123456789012/jobs", false, ""},
		{"queue arn", "!GetAtt Jobs.Arn", "arn:aws:sqs:eu-west-1:123456789012:jobs", false, ""},
		{"queue name", "!GetAtt Jobs.QueueName", "jobs", false, ""},
		// AWS::SNS::Topic: Ref returns the topic ARN.
		{"topic", "!Ref Events", "arn:aws:sns:eu-west-1:123456789012:{{Env}}-events", false, ""},
		// AWS::DynamoDB::Table: Ref returns the table name; StreamArn has a
		// label DynamoDB generates.
		{"table", "!Ref Orders", "orders", false, ""},
		{"table arn", "!GetAtt Orders.Arn", "arn:aws:dynamodb:eu-west-1:123456789012:table/orders", false, ""},
		{"table stream", "!GetAtt Orders.StreamArn", "arn:aws:dynamodb:eu-west-1:123456789012:table/orders/stream/*", true, "label it generates"},
		// AWS::SecretsManager::Secret: Ref returns the ARN, which ends in six
		// random characters.
		{"secret", "!Ref Db", "arn:aws:secretsmanager:eu-west-1:123456789012:secret:app/db-??????", true, "six characters"},
		// AWS::KMS::Key: Ref returns the key id, which KMS generates.
		{"key id", "!Ref Key", "{{Key}}", false, "AWS generates its identifier"},
		{"key arn", "!GetAtt Key.Arn", "arn:aws:kms:eu-west-1:123456789012:key/{{Key}}", false, "AWS generates its identifier"},
		{"ssm parameter", "!Ref Flag", "/app/flag", false, ""},
		// AWS::Logs::LogGroup: Arn ends in a literal :*.
		{"log group arn", "!GetAtt Logs.Arn", "arn:aws:logs:eu-west-1:123456789012:log-group:/ecs/app:*", false, ""},
		{"repository uri", "!GetAtt Repo.RepositoryUri", "123456789012.dkr.ecr.eu-west-1.amazonaws.com/app", false, ""},
		{"role arn with path", "!GetAtt Worker.Arn", "arn:aws:iam::123456789012:role/service/worker", false, ""},
		{"pseudo parameters", `!Sub "arn:${AWS::Partition}:s3:::x-${AWS::Region}-${AWS::AccountId}.${AWS::URLSuffix}"`, "arn:aws:s3:::x-eu-west-1-123456789012.amazonaws.com", false, ""},
		{"template parameter", "!Ref ExistingBucket", "{{ExistingBucket}}", false, ""},
		{"join", `!Join ["", ["arn:aws:s3:::", !Ref Named, "/*"]]`, "arn:aws:s3:::acme-{{Env}}-uploads/*", false, ""},
		{"sub with a variable map", `!Sub ["https://${Host}/q", {Host: !GetAtt Named.DomainName}]`, "https://acme-{{Env}}-uploads.s3.amazonaws.com/q", false, ""},
		{"literal star in a pattern is escaped", `!Sub "${Db}*"`, "arn:aws:secretsmanager:eu-west-1:123456789012:secret:app/db-??????${*}", true, "six characters"},
		{"name from a function", "!Ref Chooser", "{{Chooser}}", false, "functions iamfit does not evaluate"},
		{"unknown type", "!Ref Balancer", "{{Balancer}}", false, "does not know what Ref of AWS::ElasticLoadBalancingV2::LoadBalancer returns"},
		{"unknown attribute", "!GetAtt Jobs.Nope", "{{Jobs.Nope}}", false, "Fn::GetAtt Nope"},
		{"stack name", `!Sub "${AWS::StackName}-x"`, "{{AWS.StackName}}-x", false, ""},
	} {
		t.Run(c.name, func(t *testing.T) {
			got := tp.Eval(envValue(t, c.in), st)
			if got.Text != c.want || got.Pattern != c.pattern {
				t.Errorf("Eval(%s) = %q pattern %v, want %q pattern %v", c.in, got.Text, got.Pattern, c.want, c.pattern)
			}
			if c.note != "" && !strings.Contains(strings.Join(got.Notes, "\n"), c.note) {
				t.Errorf("notes %q lack %q", got.Notes, c.note)
			}
			if c.note == "" && len(got.Notes) > 0 {
				t.Errorf("unexpected notes %q", got.Notes)
			}
		})
	}
}

// envValue parses a YAML value as a template property and returns its
// string.
func envValue(t *testing.T, yamlValue string) string {
	t.Helper()
	tp := parse(t, "v.yaml", []byte("Resources:\n  X:\n    Type: AWS::ECS::TaskDefinition\n    Properties:\n      V: "+yamlValue+"\n"))
	v := tp.Root.Get("Resources").Get("X").Get("Properties").Get("V")
	if v == nil || v.Kind != jsonpos.String {
		t.Fatalf("%s: not a string: %+v", yamlValue, v)
	}
	return v.Str
}

func TestEvalRegionUnknown(t *testing.T) {
	tp := parse(t, "app.yaml", []byte(evalTemplate))
	got := tp.Eval(envValue(t, "!GetAtt Jobs.Arn"), Stack{})
	if got.Text != "arn:aws:sqs:{{Region}}:{{AccountId}}:jobs" {
		t.Errorf("got %q", got.Text)
	}
	got = tp.Eval(envValue(t, "!GetAtt Named.Arn"), Stack{Region: "cn-north-1"})
	if got.Text != "arn:aws-cn:s3:::acme-{{Env}}-uploads" {
		t.Errorf("china: got %q", got.Text)
	}
}

func TestEvalImports(t *testing.T) {
	exporter := parse(t, "infra/resources.yaml", []byte(`Parameters:
  EnvironmentName: {Type: String}
Resources:
  UsersTable:
    Type: AWS::DynamoDB::Table
    Properties:
      TableName: !Sub "${EnvironmentName}_Users"
  TaskRole:
    Type: AWS::IAM::Role
Outputs:
  Users:
    Value: !Ref UsersTable
    Export:
      Name: !Sub "${EnvironmentName}:UsersTable"
  Role:
    Value: !GetAtt TaskRole.Arn
    Export:
      Name: !Sub "${EnvironmentName}:TaskRole"
`))
	importer := parse(t, "infra/service.yaml", []byte(`Parameters:
  EnvironmentName: {Type: String}
Resources:
  X:
    Type: AWS::ECS::TaskDefinition
`))
	var ex Exports
	ex.Add(exporter)
	st := Stack{Region: "eu-west-1", Account: "123456789012", Exports: &ex}
	got := importer.Eval(envValue(t, `!ImportValue {"Fn::Sub": "${EnvironmentName}:UsersTable"}`), st)
	if got.Text != "{{EnvironmentName}}_Users" || len(got.Notes) != 1 || !strings.Contains(got.Notes[0], "infra/resources.yaml:11") {
		t.Errorf("import: %+v", got)
	}
	if x, ok := ex.Export("ImportValueEnvironmentNameTaskRole"); !ok || x.Template != exporter || x.Value != "${TaskRole.Arn}" || x.Name != "${EnvironmentName}:TaskRole" || x.Pos.Line != 15 {
		t.Errorf("Export = %+v %v", x, ok)
	}
	got = importer.Eval(envValue(t, `!ImportValue other-stack-table`), st)
	if got.Text != "{{ImportValueOtherStackTable}}" {
		t.Errorf("unknown import: %+v", got)
	}
	ex.Add(parse(t, "copy.yaml", exporter.File.Data))
	got = importer.Eval(envValue(t, `!ImportValue {"Fn::Sub": "${EnvironmentName}:UsersTable"}`), st)
	if got.Text != "{{ImportValueEnvironmentNameUsersTable}}" || len(got.Notes) != 1 || !strings.Contains(got.Notes[0], "2 templates export it") {
		t.Errorf("ambiguous import: %+v", got)
	}
}

// TestEvalTable checks the table itself: every type's documentation page
// and formats.
func TestEvalTable(t *testing.T) {
	for typ, rv := range returnValues {
		if !strings.HasPrefix(rv.doc, refDocs+"aws-resource-") || !strings.Contains(rv.doc, "-return-values") {
			t.Errorf("%s: doc %q", typ, rv.doc)
		}
		if rv.ref == "" {
			t.Errorf("%s: no Ref value", typ)
		}
		for _, f := range append([]string{rv.ref}, values(rv.attrs)...) {
			for _, m := range varRe().FindAllStringSubmatch(f, -1) {
				switch m[1] {
				case "Name", "Region", "Account", "Partition", "URLSuffix", "Path", "Star":
				default:
					t.Errorf("%s: format %q uses ${%s}", typ, f, m[1])
				}
			}
			if strings.ContainsAny(f, "*?") && wildNotes[typ] == "" {
				t.Errorf("%s: format %q has a wildcard that wildNotes does not explain", typ, f)
			}
		}
	}
}

func values(m map[string]string) []string {
	var out []string
	for _, v := range m {
		out = append(out, v)
	}
	return out
}

// FuzzEval: any string of any template evaluates without a panic or a
// hang, whatever its placeholders name (resources whose names refer to
// each other included).
func FuzzEval(f *testing.F) {
	for _, s := range []string{"${Named}", "${Jobs.Arn}-${AWS.Region}", "${Db}*?$", "${", "${}", "${!x}", "${ImportValueX}", "${Worker.Arn}${Chooser}"} {
		f.Add(s, "Loop: {Type: AWS::S3::Bucket, Properties: {BucketName: !Sub '${Loop}-x'}}")
	}
	f.Fuzz(func(t *testing.T, s, resource string) {
		tp, err := Parse(source.NewFile("t.yaml", []byte(evalTemplate+"  "+resource+"\n")))
		if err != nil {
			return
		}
		var ex Exports
		ex.Add(tp)
		tp.Eval(s, Stack{Exports: &ex})
		tp.Eval("${Loop}", Stack{Exports: &ex})
		tp.Roles()
	})
}

// TestEvalResource: !Ref of a KMS key is its key id, which names the key
// whose ARN IAM grants on.
func TestEvalResource(t *testing.T) {
	tp := parse(t, "app.yaml", []byte(evalTemplate))
	st := Stack{Region: "eu-west-1", Account: "123456789012"}
	if got := tp.Eval("${Key}", st).Resource; got != "arn:aws:kms:eu-west-1:123456789012:key/{{Key}}" {
		t.Errorf("!Ref Key: Resource = %q", got)
	}
	for _, s := range []string{"${Jobs}", "${Key.Arn}", "x-${Key}"} {
		if got := tp.Eval(s, st).Resource; got != "" {
			t.Errorf("%s: Resource = %q, want none", s, got)
		}
	}
}
