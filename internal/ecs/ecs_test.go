package ecs

import (
	"strings"
	"testing"

	"github.com/iamfit/iamfit/internal/source"
)

func TestExecutionNeeds(t *testing.T) {
	src := `{"taskDefinition": {
  "family": "app",
  "executionRoleArn": "arn:aws:iam::111122223333:role/exec",
  "containerDefinitions": [
    {"name": "app", "image": "111122223333.dkr.ecr.eu-west-1.amazonaws.com/team/app@sha256:abc",
     "logConfiguration": {"logDriver": "awslogs", "options": {"awslogs-group": "/ecs/app", "awslogs-create-group": "true"}},
     "secrets": [
       {"name": "A", "valueFrom": "arn:aws:secretsmanager:eu-west-1:111122223333:secret:db-Ab12Cd:password::"},
       {"name": "B", "valueFrom": "arn:aws:secretsmanager:eu-west-1:111122223333:secret:plain"},
       {"name": "C", "valueFrom": "/app/key"},
       {"name": "D", "valueFrom": "arn:aws:ssm:eu-west-1:111122223333:parameter/app/other"}],
     "environmentFiles": [{"type": "s3", "value": "arn:aws:s3:::cfg/app.env"}],
     "repositoryCredentials": {"credentialsParameter": "arn:aws:secretsmanager:eu-west-1:111122223333:secret:dockerhub-XyZ987"}},
    {"name": "proxy", "image": "public.ecr.aws/nginx/nginx:1",
     "logConfiguration": {"logDriver": "awsfirelens"},
     "firelensConfiguration": {"type": "fluentbit", "options": {"config-file-type": "s3", "config-file-value": "arn:aws:s3:::cfg/fluent.conf"}}}
  ]}}`
	td, diags := Read(source.NewFile("td.json", []byte(src)))
	if len(diags) > 0 {
		t.Fatal(diags)
	}
	var got []string
	needs, _ := ExecutionNeeds(td, Where{Region: "eu-west-1", Account: "111122223333"})
	for _, n := range needs {
		got = append(got, n.Action+" "+n.Resource)
	}
	want := []string{
		"ecr:GetAuthorizationToken *",
		"ecr:BatchGetImage arn:aws:ecr:eu-west-1:111122223333:repository/team/app",
		"ecr:GetDownloadUrlForLayer arn:aws:ecr:eu-west-1:111122223333:repository/team/app",
		"logs:CreateLogStream arn:aws:logs:eu-west-1:111122223333:log-group:/ecs/app:log-stream:*",
		"logs:PutLogEvents arn:aws:logs:eu-west-1:111122223333:log-group:/ecs/app:log-stream:*",
		"logs:CreateLogGroup arn:aws:logs:eu-west-1:111122223333:log-group:/ecs/app",
		"secretsmanager:GetSecretValue arn:aws:secretsmanager:eu-west-1:111122223333:secret:db-Ab12Cd",
		"secretsmanager:GetSecretValue arn:aws:secretsmanager:eu-west-1:111122223333:secret:plain-??????",
		"ssm:GetParameters arn:aws:ssm:eu-west-1:111122223333:parameter/app/key",
		"ssm:GetParameters arn:aws:ssm:eu-west-1:111122223333:parameter/app/other",
		"s3:GetObject arn:aws:s3:::cfg/app.env",
		"s3:GetBucketLocation arn:aws:s3:::cfg",
		"secretsmanager:GetSecretValue arn:aws:secretsmanager:eu-west-1:111122223333:secret:dockerhub-XyZ987",
		"s3:GetObject arn:aws:s3:::cfg/fluent.conf",
		"s3:GetBucketLocation arn:aws:s3:::cfg",
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("needs:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}

func TestReadErrors(t *testing.T) {
	for _, src := range []string{`[]`, `{"family": 3, "containerDefinitions": []}`, `{"family": "a"}`, `{"family": "a",}`} {
		if _, diags := Read(source.NewFile("td.json", []byte(src))); len(diags) == 0 {
			t.Errorf("Read(%s): no diagnostic", src)
		}
	}
}

func FuzzRead(f *testing.F) {
	f.Add([]byte(`{"family": "a", "containerDefinitions": [{"name": "x", "image": "1.dkr.ecr.r.amazonaws.com/a:b", "secrets": [{"valueFrom": "x"}]}]}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		td, _ := Read(source.NewFile("td.json", data))
		if td != nil {
			_, _ = ExecutionNeeds(td, Where{Region: "r", Account: "a"})
		}
	})
}

func TestNames(t *testing.T) {
	for in, want := range map[string]string{
		"web":   "web",
		"web:3": "web",
		"arn:aws:ecs:eu-west-1:1:task-definition/web:42": "web",
		"{{Family}}":                       "{{Family}}",
		"app-{{Env}}:{{Revision}}":         "app-{{Env}}:{{Revision}}",
		"arn:aws:ecs:r:1:service/prod/web": "web",
	} {
		if got := Family(in); got != want {
			t.Errorf("Family(%q) = %q, want %q", in, got, want)
		}
	}
	if got := ServiceARN("eu-west-1", "1", "prod", Name("arn:aws:ecs:eu-west-1:1:service/prod/web")); got != "arn:aws:ecs:eu-west-1:1:service/prod/web" {
		t.Errorf("ServiceARN = %q", got)
	}
}

func TestExecutionNeedsLiteralDollar(t *testing.T) {
	src := `{"family": "a", "containerDefinitions": [{"name": "c", "image": "busybox",
  "logConfiguration": {"logDriver": "awslogs", "options": {"awslogs-group": "/g", "awslogs-stream-prefix": "${prefix-name}/x"}}}]}`
	td, _ := Read(source.NewFile("td.json", []byte(src)))
	needs, _ := ExecutionNeeds(td, Where{Region: "r", Account: "1"})
	if len(needs) == 0 || needs[0].Resource != "arn:aws:logs:r:1:log-group:/g:log-stream:*/x/*" {
		t.Errorf("needs = %+v", needs)
	}
}

func TestTaskNeeds(t *testing.T) {
	src := `{"family": "app", "taskRoleArn": "task",
  "containerDefinitions": [
    {"name": "app", "image": "nginx",
     "logConfiguration": {"logDriver": "awsfirelens", "options": {"Name": "firehose", "region": "eu-west-1", "delivery_stream": "app-logs"}}},
    {"name": "audit", "image": "nginx",
     "logConfiguration": {"logDriver": "awsfirelens", "options": {"Name": "cloudwatch_logs", "log_group_name": "/app/audit", "auto_create_group": "true"}}},
    {"name": "xray", "image": "public.ecr.aws/xray/aws-xray-daemon:latest"}
  ]}`
	td, diags := Read(source.NewFile("td.json", []byte(src)))
	if len(diags) > 0 {
		t.Fatal(diags)
	}
	var got []string
	for _, n := range TaskNeeds(td, Where{Region: "eu-west-1", Account: "111122223333"}) {
		got = append(got, n.Action+" "+n.Resource)
	}
	want := []string{
		"firehose:PutRecordBatch arn:aws:firehose:eu-west-1:111122223333:deliverystream/app-logs",
		"logs:CreateLogStream arn:aws:logs:eu-west-1:111122223333:log-group:/app/audit:log-stream:*",
		"logs:PutLogEvents arn:aws:logs:eu-west-1:111122223333:log-group:/app/audit:log-stream:*",
		"logs:DescribeLogStreams arn:aws:logs:eu-west-1:111122223333:log-group:/app/audit:log-stream:*",
		"logs:CreateLogGroup arn:aws:logs:eu-west-1:111122223333:log-group:/app/audit",
		"xray:PutTraceSegments *", "xray:PutTelemetryRecords *", "xray:GetSamplingRules *", "xray:GetSamplingTargets *", "xray:GetSamplingStatisticSummaries *",
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("needs:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}

func TestUnresolvedImage(t *testing.T) {
	src := `{"family": "app", "executionRoleArn": "exec", "containerDefinitions": [{"name": "web-app", "image": "{{ImageUrl}}"}, {"name": "side", "image": "nginx:1"}]}`
	td, _ := Read(source.NewFile("td.json", []byte(src)))
	needs, diags := ExecutionNeeds(td, Where{Region: "eu-west-1", Account: "111122223333"})
	if len(diags) != 1 || !strings.Contains(diags[0].Message, "{{WebAppImageRepository}}") {
		t.Errorf("diags = %v", diags)
	}
	if len(needs) != 3 || needs[1].Resource != "arn:aws:ecr:eu-west-1:111122223333:repository/{{WebAppImageRepository}}" {
		t.Errorf("needs = %v", needs)
	}
}

// TestECRImage: a registry host is read part by part, a {{Param}} (whose
// name may hold dots) one part; other registries are not ECR.
func TestECRImage(t *testing.T) {
	for _, tc := range []struct {
		ref, want  string
		public, ok bool
	}{
		{"111122223333.dkr.ecr.eu-west-1.amazonaws.com/team/app:v1", "111122223333 eu-west-1 team/app", false, true},
		{"111122223333.dkr.ecr.cn-north-1.amazonaws.com.cn/app@sha256:abc", "111122223333 cn-north-1 app", false, true},
		{"{{AccountId}}.dkr.ecr.{{matrix.region}}.amazonaws.com/app:{{github.sha}}", "{{AccountId}} {{matrix.region}} app", false, true},
		{"{{inputs.account}}.dkr.ecr.us-east-1.amazonaws.com/{{env.REPO}}:latest", "{{inputs.account}} us-east-1 {{env.REPO}}", false, true},
		{"public.ecr.aws/alias/web:1", "  web", true, true},
		{"ghcr.io/o/web:1", "", false, false},
		{"{{ECR_REGISTRY}}/web:1", "", false, false},
		{"web:1", "", false, false},
		{"111122223333.dkr.ecr.eu-west-1.example.com/app", "", false, false},
	} {
		account, region, repo, public, ok := ECRImage(tc.ref)
		got := ""
		if ok {
			got = account + " " + region + " " + repo
		}
		if got != tc.want || public != tc.public || ok != tc.ok {
			t.Errorf("ECRImage(%q) = %q public %v ok %v, want %q %v %v", tc.ref, got, public, ok, tc.want, tc.public, tc.ok)
		}
	}
}

// TestFamily: a family from a name, a revision or an ARN; a parameter that
// holds an ARN gets a family parameter of its own.
func TestFamily(t *testing.T) {
	for in, want := range map[string]string{
		"web": "web", "web:3": "web", "arn:aws:ecs:eu-west-1:111122223333:task-definition/web:3": "web",
		"{{TaskFamily}}": "{{TaskFamily}}", "{{APP_ENV}}": "{{APP_ENV}}", "web-{{env}}:{{rev}}": "web-{{env}}:{{rev}}",
		"{{ARN}}": "{{TaskFamily_ARN}}", "{{TASK_DEF_ARN}}": "{{TaskFamily_TASK_DEF_ARN}}",
		"{{steps.td.outputs.taskDefinitionArn}}": "{{TaskFamily_steps.td.outputs.taskDefinitionArn}}",
		"{{learn}}":                              "{{learn}}", "{{TaskFamily_ARN}}": "{{TaskFamily_ARN}}",
	} {
		if got := Family(in); got != want {
			t.Errorf("Family(%q) = %q, want %q", in, got, want)
		}
	}
}

// TestSecretSource: what reading a secret's valueFrom needs, ARNs with
// parameters (a CloudFormation secret in a stack of unknown region) too.
func TestSecretSource(t *testing.T) {
	at := Where{Region: "eu-west-1", Account: "123456789012"}
	for _, c := range []struct{ in, action, res string }{
		{"arn:aws:secretsmanager:eu-west-1:123456789012:secret:db-Ab12Cd", "secretsmanager:GetSecretValue", "arn:aws:secretsmanager:eu-west-1:123456789012:secret:db-Ab12Cd"},
		{"arn:aws:secretsmanager:eu-west-1:123456789012:secret:db-Ab12Cd:password::", "secretsmanager:GetSecretValue", "arn:aws:secretsmanager:eu-west-1:123456789012:secret:db-Ab12Cd"},
		{"arn:aws:secretsmanager:eu-west-1:123456789012:secret:db", "secretsmanager:GetSecretValue", "arn:aws:secretsmanager:eu-west-1:123456789012:secret:db-??????"},
		{"arn:aws:secretsmanager:{{Region}}:{{AccountId}}:secret:{{Env}}/key-??????", "secretsmanager:GetSecretValue", "arn:aws:secretsmanager:{{Region}}:{{AccountId}}:secret:{{Env}}/key-??????"},
		{"/app/key", "ssm:GetParameters", "arn:aws:ssm:eu-west-1:123456789012:parameter/app/key"},
		{"arn:aws:ssm:{{Region}}:{{AccountId}}:parameter/app/key", "ssm:GetParameters", "arn:aws:ssm:{{Region}}:{{AccountId}}:parameter/app/key"},
	} {
		if a, r := secretSource(c.in, at); a != c.action || r != c.res {
			t.Errorf("secretSource(%q) = %s %s, want %s %s", c.in, a, r, c.action, c.res)
		}
	}
}

func TestPlaceholderRoles(t *testing.T) {
	tests := []struct{ exec, task, wantExec, wantTask string }{
		{"REPLACE_ME_ECS_SERVICE_ROLE_ARN", "REPLACE_ME_ECS_TASK_ROLE_ARN", "{{ExecutionRoleArn_web}}", "{{TaskRoleArn_web}}"},
		{"<execution-role-arn>", "xxx", "{{ExecutionRoleArn_web}}", "{{TaskRoleArn_web}}"},
		{"${EXEC_ROLE}", "$TASK_ROLE", "{{EXEC_ROLE}}", "{{TASK_ROLE}}"},
		{"arn:aws:iam::ACCOUNT_ID:role/ecsTaskExecutionRole", "arn:aws:iam::111122223333:role/YOUR_TASK_ROLE", "arn:aws:iam::{{AccountId}}:role/ecsTaskExecutionRole", "arn:aws:iam::111122223333:role/{{TaskRole}}"},
		// Not placeholders: a role name, an ARN, a parameter.
		{"ecsTaskExecutionRole", "arn:aws:iam::111122223333:role/service/web-task", "ecsTaskExecutionRole", "arn:aws:iam::111122223333:role/service/web-task"},
		{"{{ExecRole.Arn}}", "arn:aws:iam::111122223333:role/xxx-not", "{{ExecRole.Arn}}", "arn:aws:iam::111122223333:role/xxx-not"},
	}
	for _, tt := range tests {
		src := `{"family": "web", "executionRoleArn": "` + tt.exec + `", "taskRoleArn": "` + tt.task + `", "containerDefinitions": [{"name": "web", "image": "nginx"}]}`
		td, diags := Read(source.NewFile("td.json", []byte(src)))
		if td.ExecutionRoleARN.Value != tt.wantExec || td.TaskRoleARN.Value != tt.wantTask {
			t.Errorf("%s, %s: got %s, %s; want %s, %s", tt.exec, tt.task, td.ExecutionRoleARN.Value, td.TaskRoleARN.Value, tt.wantExec, tt.wantTask)
		}
		want := 0
		if tt.wantExec != tt.exec {
			want++
		}
		if tt.wantTask != tt.task {
			want++
		}
		if len(diags) != want {
			t.Errorf("%s, %s: diagnostics %v, want %d", tt.exec, tt.task, diags, want)
		}
		for _, d := range diags {
			if d.Check != "placeholder" || d.Severity != source.Warning || d.Pos.Line != 1 {
				t.Errorf("diagnostic %v", d)
			}
		}
	}
}

func TestPlaceholderLogRegion(t *testing.T) {
	src := `{"family": "web", "executionRoleArn": "exec", "containerDefinitions": [{"name": "web", "image": "nginx",
  "logConfiguration": {"logDriver": "awslogs", "options": {"awslogs-group": "g", "awslogs-region": "REPLACE_ME_REGION"}}}]}`
	td, _ := Read(source.NewFile("td.json", []byte(src)))
	needs, _ := ExecutionNeeds(td, Where{Region: "{{Region}}", Account: "111122223333"})
	for _, n := range needs {
		if strings.HasPrefix(n.Action, "logs:") && n.Resource != "arn:aws:logs:{{Region}}:111122223333:log-group:g:log-stream:*" {
			t.Errorf("%s on %s", n.Action, n.Resource)
		}
	}
}
