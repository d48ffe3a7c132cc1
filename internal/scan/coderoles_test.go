package scan

import (
	"strings"
	"testing"

	"github.com/iamfit/iamfit/internal/need"
)

// TestAssumedRoles: calls made with an assumed role's credentials are
// that role's (which trusts the task role), not the task role's; the
// task role gets sts:AssumeRole on it. Calls made with access keys the
// task definition gives are not the task role's either.
func TestAssumedRoles(t *testing.T) {
	res := repo(t, Options{}, map[string]string{
		"ops/task.json": `{"family": "api", "taskRoleArn": "arn:aws:iam::111122223333:role/api-task",
 "containerDefinitions": [{"name": "api", "image": "111122223333.dkr.ecr.eu-west-1.amazonaws.com/api:latest",
  "logConfiguration": {"logDriver": "awslogs", "options": {"awslogs-region": "eu-west-1"}},
  "environment": [{"name": "AUDIT_ROLE", "value": "arn:aws:iam::444455556666:role/audit-reader"}],
  "secrets": [{"name": "PARTNER_KEY_ID", "valueFrom": "arn:aws:ssm:eu-west-1:111122223333:parameter/partner-key"}]}]}`,
		"app/main.py": `
import os, boto3
def session_for(role_arn):
    c = boto3.client("sts").assume_role(RoleArn=role_arn, RoleSessionName="api")["Credentials"]
    return boto3.Session(aws_access_key_id=c["AccessKeyId"], aws_secret_access_key=c["SecretAccessKey"], aws_session_token=c["SessionToken"])
def audit():
    return session_for(os.environ["AUDIT_ROLE"]).client("s3").get_object(Bucket="trail", Key="log")
def own():
    boto3.client("sqs").send_message(QueueUrl="https://sqs.eu-west-1.amazonaws.com/111122223333/jobs")
def partner():
    boto3.client("s3", aws_access_key_id=os.environ["PARTNER_KEY_ID"]).put_object(Bucket="partner", Key="x")
def local():
    boto3.client("s3", aws_access_key_id=os.environ.get("DEV_KEY_ID")).put_object(Bucket="dev", Key="y")
`,
	})
	task := strings.Join(needStrings(roleByARN(t, res, ":role/api-task")), "\n")
	want := strings.Join([]string{
		"s3:PutObject arn:aws:s3:::dev/y", // DEV_KEY_ID is unset in the task: the default credentials
		"sqs:SendMessage arn:aws:sqs:eu-west-1:111122223333:jobs",
		"sts:AssumeRole arn:aws:iam::444455556666:role/audit-reader",
	}, "\n")
	if task != want {
		t.Errorf("task role:\n%s\nwant:\n%s", task, want)
	}
	audit := roleByARN(t, res, ":role/audit-reader")
	if audit.Kind != need.Assumed || audit.AssumedBy != "arn:aws:iam::111122223333:role/api-task" || audit.Account != "444455556666" {
		t.Errorf("assumed role: kind %v, assumed by %q, account %q", audit.Kind, audit.AssumedBy, audit.Account)
	}
	if got := strings.Join(needStrings(audit), "\n"); got != "s3:GetObject arn:aws:s3:::trail/log" {
		t.Errorf("assumed role's needs:\n%s", got)
	}
	var keys []string
	for _, d := range res.Diagnostics {
		if d.Check == "sdk-other-credentials" {
			keys = append(keys, d.String())
		}
	}
	if len(keys) != 1 || !strings.Contains(keys[0], "app/main.py:11:1:") || !strings.Contains(keys[0], "PARTNER_KEY_ID") {
		t.Errorf("access keys diagnostics: %v", keys)
	}
}

func TestTaskDefinitionKeys(t *testing.T) {
	res := repo(t, Options{}, map[string]string{
		"task.json": `{"family": "api", "taskRoleArn": "arn:aws:iam::111122223333:role/api-task",
 "containerDefinitions": [{"name": "api", "image": "111122223333.dkr.ecr.eu-west-1.amazonaws.com/api:latest",
  "secrets": [{"name": "AWS_ACCESS_KEY_ID", "valueFrom": "arn:aws:ssm:eu-west-1:111122223333:parameter/key"}]}]}`,
		"app.py": "import boto3\nboto3.client('sqs').send_message(QueueUrl='https://sqs.eu-west-1.amazonaws.com/111122223333/q')\n",
	})
	var got []string
	for _, d := range res.Diagnostics {
		if d.Check == "task-role-keys" {
			got = append(got, d.String())
		}
	}
	if len(got) != 1 || !strings.HasPrefix(got[0], "task.json:3:") {
		t.Errorf("diagnostics: %v", got)
	}
	if n := needStrings(roleByARN(t, res, ":role/api-task")); len(n) != 1 {
		t.Errorf("task role: %v", n)
	}
}
