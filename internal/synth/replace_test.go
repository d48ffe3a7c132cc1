package synth

import (
	"os"
	"path/filepath"
	"reflect"
	"testing"

	"github.com/iamfit/iamfit/internal/catalog"
	"github.com/iamfit/iamfit/internal/need"
	"github.com/iamfit/iamfit/internal/tree"
)

const serviceTemplate = `AWSTemplateFormatVersion: "2010-09-09"
Parameters:
  Env: {Type: String}
Resources:
  TaskRole:
    Type: AWS::IAM::Role
    Properties:
      AssumeRolePolicyDocument:
        Statement:
          - {Effect: Allow, Principal: {Service: ecs-tasks.amazonaws.com}, Action: sts:AssumeRole}
      ManagedPolicyArns:
        - arn:aws:iam::aws:policy/AmazonS3FullAccess
  ExecutionRole:
    Type: AWS::IAM::Role
    Properties:
      AssumeRolePolicyDocument:
        Statement:
          - {Effect: Allow, Principal: {Service: ecs-tasks.amazonaws.com}, Action: sts:AssumeRole}
      ManagedPolicyArns:
        - !Sub "arn:${AWS::Partition}:iam::aws:policy/service-role/AmazonECSTaskExecutionRolePolicy"
  AppPolicy:
    Type: AWS::IAM::Policy
    Properties:
      PolicyName: app
      Roles: [!Ref TaskRole, !Ref OtherRole]
      PolicyDocument:
        Statement:
          - {Effect: Allow, Action: ["sqs:*"], Resource: "*"}
  OtherRole:
    Type: AWS::IAM::Role
    Properties:
      AssumeRolePolicyDocument:
        Statement:
          - {Effect: Allow, Principal: {Service: lambda.amazonaws.com}, Action: sts:AssumeRole}
  Task:
    Type: AWS::ECS::TaskDefinition
    Properties:
      TaskRoleArn: !GetAtt TaskRole.Arn
      ExecutionRoleArn: !Ref ExecutionRole
      ContainerDefinitions: [{Name: app, Image: app}]
`

const sharedTemplate = `Parameters:
  Env: {Type: String}
Resources:
  WorkerRole:
    Type: AWS::IAM::Role
    Properties:
      AssumeRolePolicyDocument:
        Statement:
          - {Effect: Allow, Principal: {Service: ecs-tasks.amazonaws.com}, Action: sts:AssumeRole}
      Policies:
        - PolicyName: worker
          PolicyDocument:
            Statement:
              - {Effect: Allow, Action: "dynamodb:*", Resource: "*"}
Outputs:
  WorkerRoleArn:
    Value: !GetAtt WorkerRole.Arn
    Export:
      Name: !Sub "${Env}:WorkerRole"
`

// TestReplacementsByReference: template roles are the generated roles
// that their task definitions reference (!GetAtt, !Ref) or import, with
// every grant the templates attach to them.
func TestReplacementsByReference(t *testing.T) {
	dir := t.TempDir()
	other := `Resources:
  TaskRole:
    Type: AWS::IAM::Role
    Properties:
      Policies:
        - PolicyName: other
          PolicyDocument:
            Statement:
              - {Effect: Allow, Action: "s3:*", Resource: "*"}
  Task:
    Type: AWS::ECS::TaskDefinition
    Properties:
      TaskRoleArn: !GetAtt TaskRole.Arn
`
	for name, data := range map[string]string{"infra/service.yaml": serviceTemplate, "infra/shared.yaml": sharedTemplate, "other/app.yaml": other} {
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(data), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	tr, err := tree.Walk(dir, tree.Options{})
	if err != nil {
		t.Fatal(err)
	}
	plan := func(arn string, kind need.Kind, actions ...string) *Plan {
		return &Plan{Role: &need.Role{ARN: arn, Kind: kind}, Statements: []*Statement{{Actions: actions, Resources: []string{"*"}}}}
	}
	plans := []*Plan{
		plan("{{InfraServiceTaskRole.Arn}}", need.Task, "sqs:SendMessage"), // both templates use TaskRole
		plan("{{ExecutionRole.Arn}}", need.Execution, "ecr:GetAuthorizationToken", "ecr:BatchGetImage", "ecr:GetDownloadUrlForLayer", "logs:CreateLogStream", "logs:PutLogEvents"),
		plan("{{ImportValueEnvWorkerRole}}", need.Task, "dynamodb:GetItem"),
		// The same logical id in another template: qualified by it.
		plan("{{OtherAppTaskRole.Arn}}", need.Task, "s3:GetObject"),
		// Named like OtherRole, which no task definition references and
		// whose trust is not ECS's: not proposed.
		plan("arn:aws:iam::123456789012:role/other", need.Task),
	}
	cat := catalog.MustLoad()
	reps := Replacements(tr, plans, cat)
	type got struct {
		Resource, MatchedBy       string
		Current, Replace, Shared  []string
		Unread                    []string
		RemovedSQS, RemovedDynamo int
		RemovedECR, RemovedLogs   int
		RemovedS3                 int
	}
	var all []got
	for _, r := range reps {
		all = append(all, got{r.Resource, r.MatchedBy, r.Current, r.Replace, r.Shared, r.Unread,
			r.Removed["sqs"], r.Removed["dynamodb"], r.Removed["ecr"], r.Removed["logs"], r.Removed["s3"]})
	}
	sqsAll, _ := cat.Expand("sqs:*")
	dynamoAll, _ := cat.Expand("dynamodb:*")
	s3All, _ := cat.Expand("s3:*")
	want := []got{
		{Resource: "TaskRole", MatchedBy: "the TaskRoleArn of Task, infra/service.yaml:38",
			Current: []string{"AppPolicy (AWS::IAM::Policy): sqs:* on *",
				"arn:aws:iam::aws:policy/AmazonS3FullAccess (a managed policy whose document the repository does not hold)"},
			Replace: []string{"AppPolicy (AWS::IAM::Policy)", "its ManagedPolicyArns"}, Shared: []string{"AppPolicy (AWS::IAM::Policy)"},
			Unread: []string{"arn:aws:iam::aws:policy/AmazonS3FullAccess"}, RemovedSQS: len(sqsAll) - 1},
		{Resource: "ExecutionRole", MatchedBy: "the ExecutionRoleArn of Task, infra/service.yaml:39",
			Current: []string{"AmazonECSTaskExecutionRolePolicy (AWS managed): ecr:GetAuthorizationToken, ecr:BatchCheckLayerAvailability, ecr:GetDownloadUrlForLayer, ecr:BatchGetImage, logs:CreateLogStream, logs:PutLogEvents on *"},
			Replace: []string{"its ManagedPolicyArns"}, RemovedECR: 1},
		{Resource: "WorkerRole", MatchedBy: "the export ${Env}:WorkerRole, infra/shared.yaml:16, that its task definitions import",
			Current: []string{"dynamodb:* on *"}, Replace: []string{"its Policies"}, RemovedDynamo: len(dynamoAll) - 1},
		{Resource: "TaskRole", MatchedBy: "the TaskRoleArn of Task, other/app.yaml:13",
			Current: []string{"s3:* on *"}, Replace: []string{"its Policies"}, RemovedS3: len(s3All) - 1},
	}
	if !reflect.DeepEqual(all, want) {
		t.Errorf("replacements:\n got %+v\nwant %+v", all, want)
	}
}

// TestTerraformReplacements: a role a Terraform task definition names
// (need.Role.Declared) is compared with what its configuration grants it:
// inline_policy blocks, an aws_iam_role_policy, an aws_iam_policy shared
// with another role (detach it), managed policies, and a policy another
// file attaches (named, not counted).
func TestTerraformReplacements(t *testing.T) {
	dir := t.TempDir()
	files := map[string]string{
		"infra/roles.tf": `resource "aws_iam_role" "task" {
  name = "app-task"
  inline_policy {
    name   = "inline"
    policy = jsonencode({ Statement = [{ Effect = "Allow", Action = "sqs:*", Resource = "*" }] })
  }
}

resource "aws_iam_role_policy" "extra" {
  role   = aws_iam_role.task.id
  policy = jsonencode({ Statement = [{ Effect = "Allow", Action = ["s3:GetObject", "s3:PutObject"], Resource = "*" }] })
}

resource "aws_iam_policy" "shared" {
  policy = jsonencode({ Statement = [{ Effect = "Allow", Action = "dynamodb:*", Resource = "*" }] })
}

resource "aws_iam_role_policy_attachment" "task_shared" {
  role       = aws_iam_role.task.name
  policy_arn = aws_iam_policy.shared.arn
}

resource "aws_iam_role_policy_attachment" "other_shared" {
  role       = aws_iam_role.other.name
  policy_arn = aws_iam_policy.shared.arn
}

resource "aws_iam_role_policy_attachment" "task_managed" {
  role       = aws_iam_role.task.name
  policy_arn = "arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess"
}

resource "aws_iam_role" "other" {
  name = "other"
}

resource "aws_iam_role" "exec" {}

resource "aws_iam_role_policy_attachment" "exec" {
  role       = aws_iam_role.exec.name
  policy_arn = "arn:aws:iam::aws:policy/service-role/AmazonECSTaskExecutionRolePolicy"
}
`,
		"infra/more.tf": `resource "aws_iam_role_policy" "more" {
  role   = aws_iam_role.task.id
  policy = jsonencode({ Statement = [{ Effect = "Allow", Action = "kms:*", Resource = "*" }] })
}
`,
	}
	for name, data := range files {
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(data), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	tr, err := tree.Walk(dir, tree.Options{})
	if err != nil {
		t.Fatal(err)
	}
	plan := func(arn string, kind need.Kind, d *need.Declaration, actions ...string) *Plan {
		return &Plan{Role: &need.Role{ARN: arn, Kind: kind, Service: need.ECSTasks, Declared: d},
			Statements: []*Statement{{Actions: actions, Resources: []string{"*"}}}}
	}
	plans := []*Plan{
		plan("arn:aws:iam::111122223333:role/app-task", need.Task,
			&need.Declaration{File: "infra/roles.tf", Address: "aws_iam_role.task", By: "the task_role_arn of aws_ecs_task_definition.app, infra/app.tf:3"},
			"sqs:SendMessage", "s3:GetObject"),
		plan("{{aws_iam_role.exec.arn}}", need.Execution,
			&need.Declaration{File: "infra/roles.tf", Address: "aws_iam_role.exec", By: "the execution_role_arn of aws_ecs_task_definition.app, infra/app.tf:2"},
			"ecr:GetAuthorizationToken", "ecr:BatchGetImage", "ecr:GetDownloadUrlForLayer", "logs:CreateLogStream", "logs:PutLogEvents"),
		// Not declared: not proposed.
		plan("arn:aws:iam::111122223333:role/other", need.Task, nil),
	}
	cat := catalog.MustLoad()
	reps := Replacements(tr, plans, cat)
	type got struct {
		Source, Resource, MatchedBy              string
		Current, Replace, Shared, Unread, Others []string
		Removed                                  map[string]int
	}
	var all []got
	for _, r := range reps {
		all = append(all, got{r.Source, r.Resource, r.MatchedBy, r.Current, r.Replace, r.Shared, r.Unread, r.Elsewhere, r.Removed})
	}
	sqsAll, _ := cat.Expand("sqs:*")
	dynamoAll, _ := cat.Expand("dynamodb:*")
	want := []got{
		{Source: "Terraform", Resource: "aws_iam_role.task", MatchedBy: "the task_role_arn of aws_ecs_task_definition.app, infra/app.tf:3",
			Current: []string{"sqs:* on *", "aws_iam_role_policy.extra: s3:GetObject, s3:PutObject on *", "aws_iam_policy.shared: dynamodb:* on *",
				"arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess (a managed policy whose document the repository does not hold)"},
			Replace: []string{"its inline_policy blocks", "aws_iam_role_policy.extra", "aws_iam_policy.shared", "its managed policy attachments"},
			Shared:  []string{"aws_iam_policy.shared"}, Unread: []string{"arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess"},
			Others:  []string{"aws_iam_role_policy.more (infra/more.tf:1)"},
			Removed: map[string]int{"sqs": len(sqsAll) - 1, "s3": 1, "dynamodb": len(dynamoAll)}},
		{Source: "Terraform", Resource: "aws_iam_role.exec", MatchedBy: "the execution_role_arn of aws_ecs_task_definition.app, infra/app.tf:2",
			Current: []string{"AmazonECSTaskExecutionRolePolicy (AWS managed): ecr:GetAuthorizationToken, ecr:BatchCheckLayerAvailability, ecr:GetDownloadUrlForLayer, ecr:BatchGetImage, logs:CreateLogStream, logs:PutLogEvents on *"},
			Replace: []string{"its managed policy attachments"}, Removed: map[string]int{"ecr": 1}},
	}
	if !reflect.DeepEqual(all, want) {
		t.Errorf("replacements:\n got %+v\nwant %+v", all, want)
	}
}
