package policy

import (
	"testing"

	"github.com/iamfit/iamfit/internal/source"
)

var fiveStatements = []byte(`{
  "Version": "2012-10-17",
  "Statement": [
    {"Sid": "Token", "Effect": "Allow", "Action": "ecr:GetAuthorizationToken", "Resource": "*"},
    {"Sid": "Push", "Effect": "Allow", "Action": ["ecr:BatchCheckLayerAvailability", "ecr:CompleteLayerUpload", "ecr:InitiateLayerUpload", "ecr:PutImage", "ecr:UploadLayerPart"], "Resource": "arn:aws:ecr:us-east-1:123456789012:repository/app"},
    {"Sid": "Register", "Effect": "Allow", "Action": "ecs:RegisterTaskDefinition", "Resource": "arn:aws:ecs:us-east-1:123456789012:task-definition/app:*"},
    {"Sid": "Deploy", "Effect": "Allow", "Action": ["ecs:DescribeServices", "ecs:UpdateService"], "Resource": "arn:aws:ecs:us-east-1:123456789012:service/prod/app"},
    {"Sid": "Pass", "Effect": "Allow", "Action": "iam:PassRole", "Resource": ["arn:aws:iam::123456789012:role/app-exec", "arn:aws:iam::123456789012:role/app-task"], "Condition": {"StringEquals": {"iam:PassedToService": "ecs-tasks.amazonaws.com"}}}
  ]
}`)

// BenchmarkParse5 parses a realistic 5-statement deploy policy.
func BenchmarkParse5(b *testing.B) {
	b.SetBytes(int64(len(fiveStatements)))
	for b.Loop() {
		pol, diags := Parse(source.NewFile("p.json", fiveStatements), Identity)
		if pol == nil || len(diags) != 0 {
			b.Fatal(diags)
		}
	}
}
