package scan

import (
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/iamfit/iamfit/internal/need"
	"github.com/iamfit/iamfit/internal/source"
)

const valueResources = `Parameters:
  Env: {Type: String}
  ExistingTable: {Type: String}
Resources:
  Uploads:
    Type: AWS::S3::Bucket
    Properties:
      BucketName: !Sub "acme-${Env}-uploads"
  Scratch:
    Type: AWS::S3::Bucket
  Jobs:
    Type: AWS::SQS::Queue
    Properties:
      QueueName: jobs
  Done:
    Type: AWS::SNS::Topic
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
  TaskRole:
    Type: AWS::IAM::Role
    Properties:
      AssumeRolePolicyDocument:
        Statement:
          - {Effect: Allow, Principal: {Service: ecs-tasks.amazonaws.com}, Action: sts:AssumeRole}
  Task:
    Type: AWS::ECS::TaskDefinition
    Properties:
      Family: app
      TaskRoleArn: !GetAtt TaskRole.Arn
      ContainerDefinitions:
        - Name: app
          Image: !Sub "${AWS::AccountId}.dkr.ecr.${AWS::Region}.amazonaws.com/app:1"
          Environment:
`

// TestTemplateValueFlow: a task definition's environment, set from the
// template's resources, reaches the code's environment look-ups as the
// names and ARNs CloudFormation gives them (cfn's returnValues table).
func TestTemplateValueFlow(t *testing.T) {
	rows := []struct {
		env, call, want string
	}{
		// !Ref of a bucket is its name; with no BucketName, a parameter.
		{"!Ref Uploads", `s3.put_object(Bucket=os.environ["V0"], Key="a.txt", Body=b"")`, "s3:PutObject arn:aws:s3:::acme-{{Env}}-uploads/a.txt"},
		{"!Ref Scratch", `s3.get_object(Bucket=os.environ["V1"], Key="b")`, "s3:GetObject arn:aws:s3:::{{Scratch}}/b"},
		// !Ref of a queue is its URL.
		{"!Ref Jobs", `sqs.send_message(QueueUrl=os.environ["V2"], MessageBody="x")`, "sqs:SendMessage arn:aws:sqs:eu-west-1:111122223333:jobs"},
		// !Ref of a topic is its ARN.
		{"!Ref Done", `sns.publish(TopicArn=os.environ["V3"], Message="x")`, "sns:Publish arn:aws:sns:eu-west-1:111122223333:{{Done}}"},
		{"!Ref Orders", `ddb.get_item(TableName=os.environ["V4"], Key={})`, "dynamodb:GetItem arn:aws:dynamodb:eu-west-1:111122223333:table/orders"},
		{"!GetAtt Orders.Arn", `ddb.put_item(TableName=os.environ["V5"], Item={})`, "dynamodb:PutItem arn:aws:dynamodb:eu-west-1:111122223333:table/orders"},
		// !Ref of a secret is its ARN, six generated characters at its end.
		{"!Ref Db", `sm.get_secret_value(SecretId=os.environ["V6"])`, "secretsmanager:GetSecretValue arn:aws:secretsmanager:eu-west-1:111122223333:secret:app/db-??????"},
		// !GetAtt Key.Arn: the key id KMS generates is a parameter.
		{"!GetAtt Key.Arn", `kms.decrypt(KeyId=os.environ["V7"], CiphertextBlob=b"")`, "kms:Decrypt arn:aws:kms:eu-west-1:111122223333:key/{{Key}}"},
		{`!Sub "${Uploads}"`, `s3.delete_object(Bucket=os.environ["V8"], Key="c")`, "s3:DeleteObject arn:aws:s3:::acme-{{Env}}-uploads/c"},
		{`!Join ["", [!Ref "AWS::Region", "-", !Ref ExistingTable]]`, `ddb.query(TableName=os.environ["V9"])`, "dynamodb:Query arn:aws:dynamodb:eu-west-1:111122223333:table/eu-west-1-{{ExistingTable}}"},
		// !Ref Key is the key id, which names the key (arn:...:key/ID).
		{"!Ref Key", `kms.generate_data_key(KeyId=os.environ["V10"], KeySpec="AES_256")`, "kms:GenerateDataKey arn:aws:kms:eu-west-1:111122223333:key/{{Key}}"},
	}
	var tpl, code strings.Builder
	tpl.WriteString(valueResources)
	code.WriteString("import os\nimport boto3\ns3 = boto3.client('s3')\nsqs = boto3.client('sqs')\nsns = boto3.client('sns')\nddb = boto3.client('dynamodb')\nsm = boto3.client('secretsmanager')\nkms = boto3.client('kms')\n")
	var want []string
	for i, r := range rows {
		fmt.Fprintf(&tpl, "            - Name: V%d\n              Value: %s\n", i, r.env)
		code.WriteString(r.call + "\n")
		want = append(want, r.want)
	}
	sort.Strings(want)
	dir := t.TempDir()
	for name, body := range map[string]string{"infra/app.yaml": tpl.String(), "app/main.py": code.String(),
		".github/workflows/w.yml": head + "      - run: aws cloudformation deploy --template-file infra/app.yaml --stack-name app\n"} {
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	res, err := Analyze(Options{Dir: dir, Repo: "o/r"})
	if err != nil {
		t.Fatal(err)
	}
	var task *need.Role
	for _, r := range res.Roles {
		if r.Kind == need.Task {
			task = r
		}
	}
	if task == nil {
		t.Fatalf("no task role in %v", res.Roles)
	}
	if got := needStrings(task); strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("task role needs:\n  %s\nwant:\n  %s", strings.Join(got, "\n  "), strings.Join(want, "\n  "))
	}
	// What the values assume is said at the values.
	var notes []string
	for _, d := range res.Diagnostics {
		if d.Check == "template-value" {
			if d.Severity != source.Info {
				t.Errorf("%s: not info", d)
			}
			notes = append(notes, d.String())
		}
	}
	for _, w := range []string{
		"environment V1: Scratch (AWS::S3::Bucket) sets no BucketName",
		"environment V3: Done (AWS::SNS::Topic) sets no TopicName",
		"environment V6: Db: Secrets Manager ends a secret's ARN",
		"environment V7: Key (AWS::KMS::Key): AWS generates its identifier",
	} {
		if !strings.Contains(strings.Join(notes, "\n"), w) {
			t.Errorf("notes lack %q:\n%s", w, strings.Join(notes, "\n"))
		}
	}
}

// TestTemplateRoleRefs: a role that one task definition names with !Ref
// and another with !GetAtt Role.Arn is one role.
func TestTemplateRoleRefs(t *testing.T) {
	dir := t.TempDir()
	tpl := `Resources:
  Exec:
    Type: AWS::IAM::Role
  A:
    Type: AWS::ECS::TaskDefinition
    Properties:
      Family: a
      ExecutionRoleArn: !Ref Exec
      ContainerDefinitions: [{Name: a, Image: "123456789012.dkr.ecr.eu-west-1.amazonaws.com/a:1"}]
  B:
    Type: AWS::ECS::TaskDefinition
    Properties:
      Family: b
      ExecutionRoleArn: !GetAtt Exec.Arn
      ContainerDefinitions: [{Name: b, Image: "123456789012.dkr.ecr.eu-west-1.amazonaws.com/b:1"}]
`
	if err := os.WriteFile(filepath.Join(dir, "app.yaml"), []byte(tpl), 0o644); err != nil {
		t.Fatal(err)
	}
	res, err := Analyze(Options{Dir: dir, Repo: "o/r"})
	if err != nil {
		t.Fatal(err)
	}
	var arns []string
	for _, r := range res.Roles {
		arns = append(arns, r.ARN)
	}
	if len(arns) != 1 || arns[0] != "{{Exec.Arn}}" {
		t.Errorf("roles = %q, want one, {{Exec.Arn}}", arns)
	}
}

// TestTemplateRoleLogicalIDs: two templates whose task definitions use
// the same role logical id make two roles, each qualified by its
// template; a logical id one template uses alone is not qualified.
func TestTemplateRoleLogicalIDs(t *testing.T) {
	dir := t.TempDir()
	tpl := func(family string) string {
		return `Resources:
  TaskRole:
    Type: AWS::IAM::Role
  Task:
    Type: AWS::ECS::TaskDefinition
    Properties:
      Family: ` + family + `
      TaskRoleArn: !GetAtt TaskRole.Arn
      ContainerDefinitions: [{Name: ` + family + `, Image: nginx}]
`
	}
	for name, body := range map[string]string{"svc/a.yaml": tpl("a"), "svc/b.yaml": tpl("b")} {
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	res, err := Analyze(Options{Dir: dir, Repo: "o/r"})
	if err != nil {
		t.Fatal(err)
	}
	var arns []string
	for _, r := range res.Roles {
		arns = append(arns, r.ARN)
	}
	sort.Strings(arns)
	if strings.Join(arns, " ") != "{{SvcATaskRole.Arn}} {{SvcBTaskRole.Arn}}" {
		t.Errorf("roles = %q", arns)
	}
}
