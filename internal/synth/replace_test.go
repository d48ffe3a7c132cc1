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
