package drift

import (
	"strings"
	"testing"

	"github.com/iamfit/iamfit/internal/jsonpos"
)

func TestNorm(t *testing.T) {
	for _, s := range []string{"AWS_ROLE_ARN", "AwsRoleName", "aws_role", "AWSROLEARNRole", "aws-role-policy.json"} {
		if got := norm(s); got != "aws" {
			t.Errorf("norm(%q) = %q, want aws", s, got)
		}
	}
	if got := norm("deploy"); got != "deploy" {
		t.Errorf("norm(deploy) = %q", got)
	}
}

func TestInfer(t *testing.T) {
	gen := []string{"arn:aws:ecr:{{Region}}:{{AccountId}}:repository/web", "arn:aws:ecs:eu-west-1:{{AccountId}}:service/{{CLUSTER}}/web", "{{ROLE}}"}
	kept := []string{"arn:aws:ecr:eu-west-1:123456789012:repository/web", "arn:aws:ecs:eu-west-1:123456789012:service/{{cluster}}/web", "arn:aws:ecs:*:*:service/x/web"}
	got := infer(gen, kept)
	want := map[string]string{"Region": "eu-west-1", "AccountId": "123456789012", "CLUSTER": "{{cluster}}"}
	for k, v := range want {
		if got[k] != v {
			t.Errorf("infer: %s = %q, want %q (all: %v)", k, got[k], v, got)
		}
	}
}

// TestInferWholeParams: a generated parameter that is a whole value (a
// role ARN from AWS) takes the kept parameter the template spells the same
// way, not whatever string comes first or most often.
func TestInferWholeParams(t *testing.T) {
	gen := []string{"{{ExecutionRoleArn_web-app}}", "{{TaskRoleArn_web-app}}", "arn:aws:ecs:eu-west-1:{{AccountId}}:service/prod/web"}
	kept := []string{"{{TaskRoleArnWebApp}}", "{{ExecutionRoleArnWebApp}}", "arn:aws:ecs:eu-west-1:123456789012:service/prod/web"}
	got := infer(gen, kept)
	want := map[string]string{"ExecutionRoleArn_web-app": "{{ExecutionRoleArnWebApp}}", "TaskRoleArn_web-app": "{{TaskRoleArnWebApp}}", "AccountId": "123456789012"}
	for k, v := range want {
		if got[k] != v {
			t.Errorf("infer: %s = %q, want %q (all: %v)", k, got[k], v, got)
		}
	}
}

// TestValueStrings: only resources and condition values of a kept policy
// are where parameter values come from.
func TestValueStrings(t *testing.T) {
	v, err := jsonpos.Parse([]byte(`{"Version": "2012-10-17", "Statement": [{"Sid": "A", "Effect": "Allow", "Action": "iam:PassRole",
		"Resource": ["arn:aws:iam::1:role/x"], "Condition": {"StringEquals": {"iam:PassedToService": "ecs-tasks.amazonaws.com"}}}]}`))
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	valueStrings(v, &got)
	if strings.Join(got, " ") != "arn:aws:iam::1:role/x ecs-tasks.amazonaws.com" {
		t.Errorf("valueStrings = %q", got)
	}
}
