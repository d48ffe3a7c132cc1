package cfn

import (
	"os"
	"reflect"
	"strings"
	"testing"

	"github.com/iamfit/iamfit/internal/policy"
	"github.com/iamfit/iamfit/internal/source"
)

func parse(t *testing.T, name string, data []byte) *Template {
	t.Helper()
	tp, err := Parse(source.NewFile(name, data))
	if err != nil {
		t.Fatal(err)
	}
	return tp
}

func TestYAMLShortTags(t *testing.T) {
	src := `AWSTemplateFormatVersion: "2010-09-09"
Resources:
  TaskRole:
    Type: AWS::IAM::Role
    Properties:
      AssumeRolePolicyDocument:
        Statement:
          - Effect: Allow
            Principal: {Service: ecs-tasks.amazonaws.com}
            Action: sts:AssumeRole
      Policies:
        - PolicyName: app
          PolicyDocument:
            Statement:
              - Effect: Allow
                Action: [sqs:ReceiveMessage]
                Resource: !GetAtt Jobs.Arn
              - Effect: Allow
                Action: s3:PutObject
                Resource: !Sub "arn:${AWS::Partition}:s3:::${Bucket}/*"
              - Effect: Allow
                Action: ssm:GetParameter
                Resource: !Join ["", ["arn:aws:ssm:", !Ref "AWS::Region", ":", !Ref "AWS::AccountId", ":parameter/app/*"]]
              - Effect: Allow
                Action: dynamodb:GetItem
                Resource:
                  Fn::ImportValue: !Sub "${EnvType}-TableArn"
`
	tp := parse(t, "t.yaml", []byte(src))
	docs, _ := tp.Policies()
	if len(docs) != 2 || docs[0].Type != policy.Trust || docs[1].Type != policy.Identity || docs[1].Where != "Policies[0] (app)" {
		t.Fatalf("docs = %+v", docs)
	}
	f := source.NewFile("t.yaml", []byte(src))
	pol, diags := policy.ParseValue(f, docs[1].Value, policy.Identity)
	for _, d := range diags {
		if d.Check != policy.CheckType {
			t.Errorf("diag %s", d)
		}
	}
	var got []string
	for _, s := range pol.Statements {
		got = append(got, s.Resource.Values[0].Value)
	}
	want := []string{"${Jobs.Arn}", "arn:${AWS.Partition}:s3:::${Bucket}/*", "arn:aws:ssm:${AWS.Region}:${AWS.AccountId}:parameter/app/*", "${ImportValueEnvTypeTableArn}"}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("resources = %q\nwant %q", got, want)
	}
	// Positions are the template's own.
	if p := pol.Statements[1].Resource.Values[0].Pos; p.Line != 20 || p.Col != 27 {
		t.Errorf("position of !Sub value = %v, want 20:27", p)
	}
}

func TestJSONTemplate(t *testing.T) {
	data, err := os.ReadFile("testdata/roles.json")
	if err != nil {
		t.Fatal(err)
	}
	tp := parse(t, "roles.json", data)
	docs, _ := tp.Policies()
	if len(docs) != 2 {
		t.Fatalf("docs = %+v", docs)
	}
	f := source.NewFile("roles.json", data)
	trust, _ := policy.ParseValue(f, docs[0].Value, policy.Trust)
	if v := trust.Statements[0].Principal.Values("Federated")[0].Value; v != "arn:aws:iam::${AWS.AccountId}:oidc-provider/token.actions.githubusercontent.com" {
		t.Errorf("federated = %q", v)
	}
	deploy, _ := policy.ParseValue(f, docs[1].Value, policy.Identity)
	if v := deploy.Statements[0].Resource.Values[0].Value; v != "arn:aws:ecs:${AWS.Region}:${AWS.AccountId}:service/prod/web" {
		t.Errorf("joined = %q", v)
	}
	if got := tp.Parameters()["EnvType"]; strings.Join(got, ",") != "Dev,Production,Staging" {
		t.Errorf("parameters = %v", got)
	}
}

func TestParseErrors(t *testing.T) {
	for _, in := range []string{"", "a: [", "{\"Resources\": ", "key: value\n\tbad: tab"} {
		if _, err := Parse(source.NewFile("x", []byte(in))); err == nil {
			t.Errorf("Parse(%q) succeeded", in)
		}
	}
}

func TestAliasBomb(t *testing.T) {
	var b strings.Builder
	b.WriteString("a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n")
	for i := 1; i < 12; i++ {
		b.WriteString("a" + string(rune('0'+i%10)) + string(rune('a'+i)) + ": &a" + string(rune('a'+i)) + " [")
		for k := 0; k < 10; k++ {
			if k > 0 {
				b.WriteString(", ")
			}
			prev := "a0"
			if i > 1 {
				prev = "a" + string(rune('a'+i-1))
			}
			b.WriteString("*" + prev)
		}
		b.WriteString("]\n")
	}
	if _, err := Parse(source.NewFile("bomb.yaml", []byte(b.String()))); err == nil || !strings.Contains(err.Error(), "too many values") {
		t.Errorf("alias bomb: err = %v", err)
	}
}

func FuzzParse(f *testing.F) {
	f.Add([]byte("Resources:\n  R:\n    Type: AWS::IAM::Policy\n    Properties:\n      PolicyDocument: {Statement: [{Effect: Allow, Action: !Ref A, Resource: !Sub '${X}'}]}\n"))
	f.Add([]byte(`{"Resources": {"R": {"Type": "AWS::S3::BucketPolicy", "Properties": {"PolicyDocument": {"Statement": {"Fn::If": ["c", 1, 2]}}}}}}`))
	f.Add([]byte("a: &x [*x]\n"))
	f.Add([]byte("Resources:\n  F:\n    Type: AWS::Serverless::Function\n    Properties:\n      Policies:\n        - S3ReadPolicy: {BucketName: !Ref B}\n        - SQSPollerPolicy: {}\n        - NoSuchPolicy: {}\n        - {A: 1, B: 2}\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		tp, err := Parse(source.NewFile("fuzz", data))
		if err != nil {
			return
		}
		docs, problems := tp.Policies()
		for _, d := range docs {
			policy.ParseValue(tp.File, d.Value, d.Type)
		}
		for _, p := range problems {
			if p.Offset < 0 || p.Offset > len(data) || p.Msg == "" {
				t.Errorf("problem %+v", p)
			}
		}
		tp.Parameters()
	})
}
