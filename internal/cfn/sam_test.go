package cfn

import (
	"regexp"
	"strings"
	"testing"

	"github.com/iamfit/iamfit/internal/jsonpos"
	"github.com/iamfit/iamfit/internal/policy"
	"github.com/iamfit/iamfit/internal/source"
)

// TestSAMTable keeps the table of SAM policy templates well formed: each
// template has statements with actions and resources, every ${...} of a
// value is one of its parameters or a pseudo parameter, every parameter is
// used, and the names the guide's common templates have are there.
func TestSAMTable(t *testing.T) {
	action := regexp.MustCompile(`^[a-z0-9-]+:[A-Za-z0-9*]+$`)
	vars := regexp.MustCompile(`\$\{([^}]*)\}`)
	for name, tmpl := range samPolicyTemplates {
		used := map[string]bool{}
		check := func(v string) {
			for _, m := range vars.FindAllStringSubmatch(v, -1) {
				switch {
				case contains(tmpl.Params, m[1]):
					used[m[1]] = true
				case !strings.HasPrefix(m[1], "AWS::"):
					t.Errorf("%s: %q uses ${%s}, which is no parameter", name, v, m[1])
				}
			}
		}
		if len(tmpl.Statements) == 0 {
			t.Errorf("%s: no statements", name)
		}
		for _, st := range tmpl.Statements {
			if len(st.Actions) == 0 || len(st.Resources) == 0 {
				t.Errorf("%s: a statement without actions or resources", name)
			}
			for _, a := range st.Actions {
				if !action.MatchString(a) {
					t.Errorf("%s: action %q", name, a)
				}
			}
			for _, r := range st.Resources {
				check(r)
			}
			for _, c := range st.Conditions {
				check(c.Value)
			}
		}
		for _, p := range tmpl.Params {
			if !used[p] {
				t.Errorf("%s: parameter %s is not used", name, p)
			}
		}
	}
	if n := len(samPolicyTemplates); n != 81 {
		t.Errorf("%d templates, want the translator's 81", n)
	}
	for _, name := range []string{"DynamoDBCrudPolicy", "DynamoDBReadPolicy", "DynamoDBWritePolicy", "S3CrudPolicy", "S3ReadPolicy",
		"S3WritePolicy", "SQSPollerPolicy", "SQSSendMessagePolicy", "SNSPublishMessagePolicy", "LambdaInvokePolicy", "KMSDecryptPolicy",
		"KMSEncryptPolicy", "AWSSecretsManagerGetSecretValuePolicy", "SSMParameterReadPolicy", "StepFunctionsExecutionPolicy",
		"EventBridgePutEventsPolicy", "CloudWatchPutMetricPolicy", "SESCrudPolicy", "SESSendBouncePolicy", "KinesisStreamReadPolicy",
		"KinesisCrudPolicy", "VPCAccessPolicy"} {
		if _, ok := samPolicyTemplates[name]; !ok {
			t.Errorf("%s is not in the table", name)
		}
	}
}

// TestSAMExpand: a policy template becomes the document SAM makes of it,
// its statements at the template's name and the values built from a
// parameter at the parameter; what cannot be expanded is a problem.
func TestSAMExpand(t *testing.T) {
	src := `Transform: AWS::Serverless-2016-10-31
Resources:
  Fn:
    Type: AWS::Serverless::Function
    Properties:
      Policies:
        - SSMParameterReadPolicy:
            ParameterName: !Sub "${Env}/db"
        - Version: "2012-10-17"
          Statement: [{Effect: Allow, Action: s3:GetObject, Resource: "*"}]
        - AWSLambdaBasicExecutionRole
        - NoSuchPolicy: {}
        - S3ReadPolicy: {}
        - KMSDecryptPolicy: {KeyId: !GetAtt Key.Arn, Alias: x}
        - [not, a, policy]
  Flow:
    Type: AWS::Serverless::StateMachine
    Properties:
      Policies:
        EFSWriteAccessPolicy:
          FileSystem: !Ref FS
          AccessPoint: !Ref AP
`
	tp := parse(t, "t.yaml", []byte(src))
	docs, problems := tp.Policies()
	var where []string
	for _, d := range docs {
		where = append(where, d.Resource+" "+d.Where+" "+d.SAMTemplate)
	}
	want := []string{"Fn Policies[0] (SSMParameterReadPolicy) SSMParameterReadPolicy", "Fn Policies[1] ",
		"Fn Policies[5] (KMSDecryptPolicy) KMSDecryptPolicy", "Flow Policies (EFSWriteAccessPolicy) EFSWriteAccessPolicy"}
	if strings.Join(where, "|") != strings.Join(want, "|") {
		t.Fatalf("docs\n got %q\nwant %q", where, want)
	}
	f := source.NewFile("t.yaml", []byte(src))
	pol, diags := policy.ParseValue(f, docs[0].Value, policy.Identity)
	if len(diags) > 0 {
		t.Fatalf("diags %v", diags)
	}
	if len(pol.Statements) != 2 {
		t.Fatalf("%d statements", len(pol.Statements))
	}
	read := pol.Statements[1]
	if got := read.Resource.Values[0].Value; got != "arn:${AWS.Partition}:ssm:${AWS.Region}:${AWS.AccountId}:parameter/${Env}/db" {
		t.Errorf("resource %q", got)
	}
	if p := read.Resource.Values[0].Pos; p != (source.Pos{Line: 8, Col: 28}) {
		t.Errorf("resource at %v, want the parameter's value, 8:28", p)
	}
	if p := read.Action.Values[0].Pos; p != (source.Pos{Line: 7, Col: 11}) {
		t.Errorf("action at %v, want the template's name, 7:11", p)
	}
	if got := pol.Statements[0].Resource.Values[0].Value; got != "*" {
		t.Errorf("DescribeParameters on %q", got)
	}
	// The generic document leaves the parameter unknown.
	gen, _ := policy.ParseValue(f, docs[0].SAMGeneric, policy.Identity)
	if got := gen.Statements[1].Resource.Values[0].Value; got != "arn:${AWS.Partition}:ssm:${AWS.Region}:${AWS.AccountId}:parameter/${SAM.ParameterName}" ||
		docs[0].SAMParams["ParameterName"] != "${Env}/db" {
		t.Errorf("generic %q, params %v", got, docs[0].SAMParams)
	}
	// A condition value built from a parameter.
	efs, _ := policy.ParseValue(f, docs[3].Value, policy.Identity)
	if c := efs.Statements[0].Conditions; len(c) != 1 || c[0].Values[0].Value != "arn:${AWS.Partition}:elasticfilesystem:${AWS.Region}:${AWS.AccountId}:access-point/${AP}" {
		t.Errorf("condition %+v", c)
	}
	wantProblems := []string{ // prefixes
		`12:11 not-understood SAM policy template "NoSuchPolicy" is not one iamfit knows`,
		"13:11 invalid SAM policy template S3ReadPolicy lacks the parameter BucketName",
		"14:37 mismatch parameter KeyId of SAM policy template KMSDecryptPolicy is an ARN (!GetAtt Key.Arn)",
		"14:54 ignored SAM policy template KMSDecryptPolicy takes no parameter Alias",
		"15:11 not-understood a Policies entry that is a JSON array",
	}
	if len(problems) != len(wantProblems) {
		t.Errorf("%d problems, want %d: %+v", len(problems), len(wantProblems), problems)
	}
	for i, p := range problems {
		got := f.Position(p.Offset).String() + " " + kindName[p.Kind] + " " + p.Msg
		if i < len(wantProblems) && !strings.HasPrefix(got, wantProblems[i]) {
			t.Errorf("problem %d\n got %s\nwant %s...", i, got, wantProblems[i])
		}
	}
}

var kindName = map[ProblemKind]string{NotUnderstood: "not-understood", Invalid: "invalid", Ignored: "ignored", Mismatch: "mismatch"}

// TestSAMParameterValues: a value that is no name inside an ARN (an ARN, a
// URL) is a mismatch where the template builds an ARN around it, and fine
// where the template takes an ARN.
func TestSAMParameterValues(t *testing.T) {
	entry := func(name, param, value string) *jsonpos.Value {
		return &jsonpos.Value{Kind: jsonpos.Object, Members: []jsonpos.Member{{Key: name, Value: &jsonpos.Value{Kind: jsonpos.Object,
			Members: []jsonpos.Member{{Key: param, Value: &jsonpos.Value{Kind: jsonpos.String, Str: value}}}}}}}
	}
	for _, tt := range []struct {
		name, param, value string
		mismatch           bool
	}{
		{"SQSPollerPolicy", "QueueName", "${Queue.QueueName}", false},
		{"SQSPollerPolicy", "QueueName", "${Queue.Arn}", true},
		{"SQSPollerPolicy", "QueueName", "https://sqs.us-east-1.amazonaws.com/123456789012/q", true},
		{"DynamoDBStreamReadPolicy", "StreamName", "${Table.StreamArn}", true},
		{"SNSPublishMessagePolicy", "TopicName", "${Topic.TopicName}", false},
		{"AWSSecretsManagerGetSecretValuePolicy", "SecretArn", "${Secret.Arn}", false},
		{"AcmGetCertificatePolicy", "CertificateArn", "arn:aws:acm:us-east-1:123456789012:certificate/1", false},
		{"S3ReadPolicy", "BucketName", "arn:aws:s3:::site", true},
	} {
		_, probs := samEntry(entry(tt.name, tt.param, tt.value))
		var mismatch bool
		for _, p := range probs {
			mismatch = mismatch || p.Kind == Mismatch
		}
		if mismatch != tt.mismatch {
			t.Errorf("%s %s=%s: mismatch %v, want %v (%v)", tt.name, tt.param, tt.value, mismatch, tt.mismatch, probs)
		}
	}
}
