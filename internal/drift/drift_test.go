package drift

import "testing"

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
