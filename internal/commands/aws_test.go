package commands

import (
	"encoding/json"
	"sort"
	"strings"
	"testing"

	"github.com/iamfit/iamfit/internal/source"
)

const (
	ecrRepo = "arn:aws:ecr:eu-west-1:111122223333:repository/"
	evBase  = "arn:aws:events:eu-west-1:111122223333:"
	toEvent = " [iam:PassedToService=events.amazonaws.com]"
)

var awsFiles = map[string]string{
	"td.json":        `{"family": "app", "executionRoleArn": "arn:aws:iam::111122223333:role/app-exec", "taskRoleArn": "app-task", "containerDefinitions": [{"name": "app", "image": "x"}]}`,
	"ops/td.json":    `{"family": "ops", "containerDefinitions": [{"name": "app", "image": "x"}]}`,
	"targets.json":   `[{"Id": "1", "Arn": "arn:aws:ecs:eu-west-1:111122223333:cluster/prod", "RoleArn": "arn:aws:iam::111122223333:role/events-run"}]`,
	"entries.json":   `[{"Source": "app", "DetailType": "d", "Detail": "{}"}, {"Source": "app", "EventBusName": "orders", "DetailType": "d", "Detail": "{}"}]`,
	"svc.yaml":       "cluster: prod\nservice: app\ndesiredCount: 0\n",
	"overrides.json": `{"taskRoleArn": "arn:aws:iam::111122223333:role/one-off", "containerOverrides": []}`,
}

// TestAWSCLI has one row per form of the aws CLI: the run: script and the
// needs (and diagnostics) it gives.
func TestAWSCLI(t *testing.T) {
	tests := []struct {
		name, script string
		want         []string
		warn         string // a substring of one diagnostic, "" for none
	}{
		{"list option", "aws ecr describe-repositories --repository-names web api --output text",
			[]string{"ecr:DescribeRepositories " + ecrRepo + "api", "ecr:DescribeRepositories " + ecrRepo + "web"}, ""},
		{"list option as JSON", `aws ecs describe-services --cluster prod --services '["app","web"]'`,
			[]string{descSvc, "ecs:DescribeServices arn:aws:ecs:eu-west-1:111122223333:service/prod/web"}, ""},
		{"scalar option ending in s", "aws logs put-retention-policy --log-group-name /ecs/app --retention-in-days 7",
			[]string{"logs:PutRetentionPolicy arn:aws:logs:eu-west-1:111122223333:log-group:/ecs/app"}, ""},
		{"structure shorthand list", "aws ecr batch-get-image --repository-name web --image-ids imageTag=latest imageTag=v1",
			[]string{"ecr:BatchGetImage " + ecrRepo + "web"}, ""},
		{"cli-input-yaml", "aws ecs update-service --cli-input-yaml file://svc.yaml",
			[]string{updSvc}, ""},
		{"cli-input-json from a here-document", "aws ecs update-service --cli-input-json file://- <<EOF\n{\"cluster\": \"prod\", \"service\": \"app\"}\nEOF",
			[]string{updSvc}, ""},
		{"cli-input-json inline", `aws ecs update-service --cli-input-json '{"cluster": "prod", "service": "app"}'`,
			[]string{updSvc}, ""},
		{"options override cli-input", `aws ecs update-service --cli-input-yaml file://svc.yaml --service web`,
			[]string{"ecs:UpdateService arn:aws:ecs:eu-west-1:111122223333:service/prod/web"}, ""},
		// The unread input may name the cluster: not the default one.
		{"unreadable cli-input", "aws ecs update-service --cli-input-json file://missing.json",
			[]string{"ecs:UpdateService arn:aws:ecs:eu-west-1:111122223333:service/{{ClusterName}}/{{ServiceName}}"}, "cannot read --cli-input-json file://missing.json"},
		{"unreadable cli-input, options given", "aws ecs update-service --cli-input-json file://missing.json --cluster prod --service web",
			[]string{"ecs:UpdateService arn:aws:ecs:eu-west-1:111122223333:service/prod/web"}, "cannot read --cli-input-json file://missing.json"},
		{"no cluster option: the default cluster", "aws ecs update-service --service web",
			[]string{"ecs:UpdateService arn:aws:ecs:eu-west-1:111122223333:service/default/web"}, ""},

		{"put-events to the default bus", `aws events put-events --entries '[{"Source":"app","DetailType":"d","Detail":"{}"}]'`,
			[]string{"events:PutEvents " + evBase + "event-bus/default"}, ""},
		{"put-events shorthand", `aws events put-events --entries Source=app,DetailType=d,Detail={},EventBusName=orders`,
			[]string{"events:PutEvents " + evBase + "event-bus/orders"}, ""},
		{"put-events from a file", "aws events put-events --entries file://entries.json",
			[]string{"events:PutEvents " + evBase + "event-bus/default", "events:PutEvents " + evBase + "event-bus/orders"}, ""},
		{"put-targets passes the targets' roles", "aws events put-targets --rule nightly --targets file://targets.json",
			[]string{"events:PutTargets " + evBase + "rule/nightly", "iam:PassRole arn:aws:iam::111122223333:role/events-run" + toEvent}, ""},
		{"put-targets shorthand on a custom bus", "aws events put-targets --rule nightly --event-bus-name orders --targets Id=1,Arn=arn:aws:lambda:eu-west-1:111122223333:function:f,RoleArn=arn:aws:iam::111122223333:role/ev",
			[]string{"events:PutTargets " + evBase + "rule/orders/nightly", "iam:PassRole arn:aws:iam::111122223333:role/ev" + toEvent}, ""},
		{"put-rule", "aws events put-rule --name nightly --schedule-expression 'rate(1 day)'",
			[]string{"events:PutRule " + evBase + "rule/nightly"}, ""},

		{"run-task overrides pass roles", `aws ecs run-task --cluster prod --task-definition app --overrides '{"taskRoleArn":"arn:aws:iam::111122223333:role/one-off","executionRoleArn":"app-exec"}'`,
			[]string{"ecs:RunTask " + famARN + onProd, "iam:PassRole arn:aws:iam::111122223333:role/one-off" + passed, passExe}, ""},
		{"run-task overrides from a file", "aws ecs run-task --cluster prod --task-definition app:3 --overrides file://overrides.json",
			[]string{"ecs:RunTask " + famARN + onProd, "iam:PassRole arn:aws:iam::111122223333:role/one-off" + passed, "iam:PassRole {{ExecutionRoleArn_app}}" + passed},
			"starts tasks of task definition app as AWS holds it"},
		{"run-task overrides shorthand", "aws ecs run-task --cluster prod --task-definition app --overrides taskRoleArn=arn:aws:iam::111122223333:role/one-off",
			[]string{"ecs:RunTask " + famARN + onProd, "iam:PassRole arn:aws:iam::111122223333:role/one-off" + passed, "iam:PassRole {{ExecutionRoleArn_app}}" + passed},
			"starts tasks of task definition app as AWS holds it"},
		// A family a step registered from the repository: its roles, no
		// parameters; an override replaces the task role only.
		{"run-task of a family registered from the repository", "aws ecs register-task-definition --cli-input-json file://td.json\naws ecs run-task --cluster prod --task-definition app",
			[]string{regTD, passExe, passTsk, "ecs:RunTask " + famARN + onProd}, ""},
		{"run-task of a registered family with a task role override", "aws ecs register-task-definition --cli-input-json file://td.json\naws ecs run-task --cluster prod --task-definition app --overrides taskRoleArn=arn:aws:iam::111122223333:role/one-off",
			[]string{regTD, passExe, passTsk, "ecs:RunTask " + famARN + onProd, "iam:PassRole arn:aws:iam::111122223333:role/one-off" + passed}, ""},
		// RunTask passes the task definition's roles: registered in AWS,
		// they are parameters, and the command says so.
		{"run-task passes the task definition's roles", "aws ecs run-task --cluster prod --task-definition app:3",
			[]string{"ecs:RunTask " + famARN + onProd, "iam:PassRole {{ExecutionRoleArn_app}}" + passed, "iam:PassRole {{TaskRoleArn_app}}" + passed},
			"starts tasks of task definition app as AWS holds it"},

		{"create-deployment", "aws deploy create-deployment --application-name app-cd --deployment-group-name app-dg --deployment-config-name CodeDeployDefault.ECSAllAtOnce --revision revisionType=AppSpecContent,appSpecContent={content=x}",
			[]string{"codedeploy:CreateDeployment " + cdGroup, "codedeploy:GetDeploymentConfig " + cdBase + "deploymentconfig:CodeDeployDefault.ECSAllAtOnce",
				"codedeploy:RegisterApplicationRevision " + cdApp}, ""},
		{"create-deployment with the group's configuration", "aws deploy create-deployment --application-name app-cd --deployment-group-name app-dg --s3-location bucket=rev,key=app.zip,bundleType=zip",
			[]string{"codedeploy:CreateDeployment " + cdGroup, "codedeploy:GetDeploymentConfig " + cdBase + "deploymentconfig:{{CodeDeployConfig}}",
				"codedeploy:RegisterApplicationRevision " + cdApp}, "s3:GetObject on arn:aws:s3:::rev/app.zip"},
		{"deploy wait", "aws deploy wait deployment-successful --deployment-id d-1",
			[]string{"codedeploy:GetDeployment " + cdBase + "deploymentgroup:{{ApplicationName}}/{{DeploymentGroupName}}"}, ""},
		{"deploy push", "aws deploy push --application-name app-cd --s3-location s3://rev/app.zip --source .",
			[]string{"codedeploy:RegisterApplicationRevision " + cdApp, "s3:PutObject arn:aws:s3:::rev/app.zip"}, ""},

		{"register from a file", "aws ecs register-task-definition --cli-input-json file://td.json",
			[]string{regTD, passExe, passTsk}, ""},
		{"register from a file in the working directory", "cd ops\naws ecs register-task-definition --cli-input-json file://td.json",
			[]string{"ecs:RegisterTaskDefinition arn:aws:ecs:eu-west-1:111122223333:task-definition/ops:*"}, ""},
		{"register from a here-document", "aws ecs register-task-definition --cli-input-json file://- <<'EOF'\n{\"family\": \"app\", \"taskRoleArn\": \"app-task\", \"containerDefinitions\": []}\nEOF",
			[]string{regTD, passTsk}, ""},
		{"register from options", "aws ecs register-task-definition --family app --execution-role-arn app-exec --container-definitions '[{\"name\":\"app\",\"image\":\"x\"}]' --tags key=team,value=a",
			[]string{regTD, passExe, "ecs:TagResource " + famARN + " [ecs:CreateAction=RegisterTaskDefinition]"}, ""},

		{"placeholder cluster", "aws ecs update-service --cluster YOUR_ECS_CLUSTER --service app",
			[]string{"ecs:UpdateService arn:aws:ecs:eu-west-1:111122223333:service/{{Cluster}}/app"}, `"YOUR_ECS_CLUSTER" in --cluster looks like a placeholder`},
		{"placeholder region", "aws logs create-log-group --log-group-name /ecs/app --region MY_AWS_REGION",
			[]string{"logs:CreateLogGroup arn:aws:logs:{{Region}}:111122223333:log-group:/ecs/app"}, "placeholder"},
		{"placeholder account in an ARN", "aws sns publish --topic-arn 'arn:aws:sns:eu-west-1:<aws account id>:events' --message hi",
			[]string{"sns:Publish arn:aws:sns:eu-west-1:{{AccountId}}:events"}, "placeholder"},
		{"placeholder bucket", "aws s3 cp dist/app.zip s3://REPLACE_ME/app.zip",
			[]string{"s3:PutObject arn:aws:s3:::{{BucketName}}/app.zip"}, "placeholder"},
		{"placeholder role in options", "aws ecs register-task-definition --family app --task-role-arn arn:aws:iam::ACCOUNT_ID:role/app-task --container-definitions '[]'",
			[]string{regTD, "iam:PassRole arn:aws:iam::{{AccountId}}:role/app-task" + passed}, "placeholder"},
		{"example account is real", "aws sns publish --topic-arn arn:aws:sns:eu-west-1:123456789012:events --message hi",
			[]string{"sns:Publish arn:aws:sns:eu-west-1:123456789012:events"}, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			env := &fakeEnv{files: map[string]string{}}
			for k, v := range awsFiles {
				env.files[k] = v
			}
			if strings.HasPrefix(tt.script, "cd ops\n") {
				env.wd = "ops"
			}
			Script(env, tt.script, 1, source.Pos{Line: 1}, nil)
			got := dedupe(env.needs)
			want := append([]string(nil), tt.want...)
			sort.Strings(want)
			if strings.Join(got, "\n") != strings.Join(want, "\n") {
				t.Errorf("needs:\n  %s\nwant:\n  %s", strings.Join(got, "\n  "), strings.Join(want, "\n  "))
			}
			warned := tt.warn == ""
			for _, w := range env.warns {
				if tt.warn == "" {
					t.Errorf("unexpected diagnostic: %s", w)
				} else if strings.Contains(w, tt.warn) {
					warned = true
				}
			}
			if !warned {
				t.Errorf("no diagnostic with %q in %q", tt.warn, env.warns)
			}
		})
	}
}

func TestShorthand(t *testing.T) {
	tests := []struct {
		in   string
		want string // JSON
	}{
		{"imageTag=latest", `{"imageTag":"latest"}`},
		{"a=1,b=2", `{"a":"1","b":"2"}`},
		{"a=x,y,z,b=2", `{"a":["x","y","z"],"b":"2"}`},
		{"a=[x,y],b={c=1,d=[2,3]}", `{"a":["x","y"],"b":{"c":"1","d":["2","3"]}}`},
		{`a="x,y",b='z'`, `{"a":"x,y","b":"z"}`},
		{"Source=app,Detail={},EventBusName=orders", `{"Detail":{},"EventBusName":"orders","Source":"app"}`},
	}
	for _, tt := range tests {
		v := parseValue(tt.in)
		got := toJSON(v)
		if got != tt.want {
			t.Errorf("parseValue(%q) = %s, want %s", tt.in, got, tt.want)
		}
	}
	for _, s := range []string{"plain", "a b", "=x", "rate(1 day)", "https://x/?a=b"} {
		if _, ok := parseValue(s).(string); !ok {
			t.Errorf("parseValue(%q) is not the string", s)
		}
	}
}

func toJSON(v any) string {
	b, _ := json.Marshal(v)
	return string(b)
}

// FuzzParseValue: option values from hostile scripts parse without a
// crash or a hang.
func FuzzParseValue(f *testing.F) {
	for _, s := range []string{"a=[x,}", "a={b=[1,{c=2}]}", `a="x`, "a=x,,b=", "{", "[1,2", "a=[}]", "k@=file://x", "a=b,c=[d,e],f={g=h}"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		_ = parseValue(s)
		in := apiInput{"X": parseValue(s)}
		_ = in.args()
	})
}
