package commands

import (
	"fmt"
	"os"
	"sort"
	"strings"
	"testing"

	"github.com/iamfit/iamfit/internal/ecs"
	"github.com/iamfit/iamfit/internal/need"
	"github.com/iamfit/iamfit/internal/source"
)

// fakeEnv is a CI job with files, an environment and a role.
type fakeEnv struct {
	files    map[string]string
	vars     map[string]string
	needs    []string
	warns    []string
	deployed []*ecs.TaskDefinition
	read     []*ecs.TaskDefinition // read with TaskDefinition (a real Env records them as deployed)
	region   string
	wd       string
}

func (f *fakeEnv) File() string { return "ci.yml" }
func (f *fakeEnv) Add(pos source.Pos, why, action, resource string, conds ...need.Cond) {
	s := action + " " + resource
	for _, c := range conds {
		s += " [" + c.Key + "=" + strings.Join(c.Values, "|") + "]"
	}
	f.needs = append(f.needs, s)
}
func (f *fakeEnv) Warnf(pos source.Pos, check, format string, args ...any) {
	f.warns = append(f.warns, fmt.Sprintf("%d: %s [%s]", pos.Line, fmt.Sprintf(format, args...), check))
}
func (f *fakeEnv) Diag(d source.Diagnostic) { f.warns = append(f.warns, d.String()) }
func (f *fakeEnv) Region() string {
	if f.region != "" {
		return f.region
	}
	return "eu-west-1"
}
func (f *fakeEnv) SetRegion(r string) func() {
	saved := f.region
	f.region = r
	return func() { f.region = saved }
}
func (f *fakeEnv) Account() string { return "111122223333" }
func (f *fakeEnv) ReadFile(name string) (*source.File, error) {
	s, ok := f.files[strings.TrimPrefix(name, "./")]
	if !ok {
		return nil, os.ErrNotExist
	}
	return source.NewFile(name, []byte(s)), nil
}
func (f *fakeEnv) TaskDefinition(name string, pos source.Pos) *ecs.TaskDefinition {
	file, err := f.ReadFile(name)
	if err != nil {
		return nil
	}
	td, _ := ecs.Read(file)
	if td != nil {
		f.read = append(f.read, td)
	}
	return td
}
func (f *fakeEnv) EnableExec(string)        {}
func (f *fakeEnv) SetEnv(string, string)    {}
func (f *fakeEnv) SetOutput(string, string) {}
func (f *fakeEnv) Credentials() bool        { return true }
func (f *fakeEnv) Getenv(name string) (string, bool) {
	v, ok := f.vars[name]
	return v, ok
}
func (f *fakeEnv) Deployed(td *ecs.TaskDefinition) { f.deployed = append(f.deployed, td) }
func (f *fakeEnv) Registered(family string) *ecs.TaskDefinition {
	for _, td := range append(f.deployed, f.read...) {
		if td.Family != nil && td.Family.Value == family {
			return td
		}
	}
	return nil
}
func (f *fakeEnv) WorkingDirectory() string { return f.wd }
func (f *fakeEnv) WroteFile(name string, data []byte) {
	if f.files == nil {
		f.files = map[string]string{}
	}
	f.files[name] = string(data)
}

const (
	acct    = "111122223333"
	svcARN  = "arn:aws:ecs:eu-west-1:111122223333:service/prod/app"
	famARN  = "arn:aws:ecs:eu-west-1:111122223333:task-definition/app:*"
	tasks   = "arn:aws:ecs:eu-west-1:111122223333:task/prod/*"
	onProd  = " [ecs:cluster=arn:aws:ecs:eu-west-1:111122223333:cluster/prod]"
	passed  = " [iam:PassedToService=ecs-tasks.amazonaws.com]"
	passExe = "iam:PassRole arn:aws:iam::111122223333:role/app-exec" + passed
	passTsk = "iam:PassRole arn:aws:iam::111122223333:role/app-task" + passed
	aasT    = "application-autoscaling:DescribeScalableTargets *"
	aasP    = "application-autoscaling:DescribeScalingPolicies *"
	descSvc = "ecs:DescribeServices " + svcARN
	updSvc  = "ecs:UpdateService " + svcARN
	regTD   = "ecs:RegisterTaskDefinition " + famARN
	cdBase  = "arn:aws:codedeploy:eu-west-1:111122223333:"
	cdApp   = cdBase + "application:app-cd"
	cdGroup = cdBase + "deploymentgroup:app-cd/app-dg"
)

var ecspressoFiles = map[string]string{
	"deploy/ecspresso.yml": "region: eu-west-1\ncluster: '{{ must_env `CLUSTER` }}'\nservice: app\n" +
		"task_definition: td.json\nservice_definition: sd.json\n" +
		"plugins:\n  - name: tfstate\n    config: {url: 's3://state/{{ env `STAGE` `dev` }}/terraform.tfstate'}\n",
	"deploy/td.json": `{"family": "{{ must_env ` + "`FAMILY`" + ` }}",
  "executionRoleArn": "arn:aws:iam::111122223333:role/app-exec",
  "taskRoleArn": "{{ tfstate ` + "`aws_iam_role.task.arn`" + ` }}",
  "containerDefinitions": [{"name": "app", "image": "111122223333.dkr.ecr.eu-west-1.amazonaws.com/app:{{ must_env ` + "`TAG`" + ` }}",
    "logConfiguration": {"logDriver": "awslogs", "options": {"awslogs-group": "/ecs/app", "awslogs-stream-prefix": "web"}},
    "secrets": [{"name": "DB", "valueFrom": "{{ secretsmanager_arn ` + "`db`" + ` }}"},
                {"name": "KEY", "valueFrom": "{{ ssm ` + "`/app/key`" + ` }}"}]}]}`,
	"deploy/sd.json": `{"desiredCount": 1}`,
}

// TestEcspresso has one row per subcommand and flag: the calls ecspresso
// makes (the kayac/ecspresso source file is named) -> the needs.
func TestEcspresso(t *testing.T) {
	// Rendering (config.go, plugin.go, ssm/, secretsmanager/,
	// tfstate-lookup): the state object at config load, GetParameter and
	// DescribeSecret when the task definition is rendered.
	tfstate := "s3:GetObject arn:aws:s3:::state/prod/terraform.tfstate"
	renderTD := []string{tfstate,
		"secretsmanager:DescribeSecret arn:aws:secretsmanager:eu-west-1:111122223333:secret:db-??????",
		"ssm:GetParameter arn:aws:ssm:eu-west-1:111122223333:parameter/app/key"}
	passTF := "iam:PassRole arn:aws:iam::111122223333:role/{{tfstate.aws_iam_role.task.name}}" + passed
	register := []string{regTD, passExe, passTF}
	status := []string{descSvc, aasT, aasP}
	cat := func(parts ...[]string) []string {
		var out []string
		for _, p := range parts {
			out = append(out, p...)
		}
		return out
	}
	tests := []struct {
		name  string
		line  string
		files map[string]string
		want  []string
	}{
		// deploy.go Deploy: DescribeServiceStatus, register, UpdateService
		// (attributes, then tasks), wait.go WaitServiceStable.
		{"deploy", "ecspresso deploy --config deploy/ecspresso.yml", nil,
			cat(status, register, []string{updSvc}, renderTD)},
		// --no-update-service: the service definition is not applied.
		{"deploy --no-update-service --no-wait", "ecspresso deploy --config deploy/ecspresso.yml --no-update-service --no-wait", nil,
			cat(status, register, []string{updSvc}, renderTD)},
		// --skip-task-definition: no RegisterTaskDefinition, no rendering.
		{"deploy --skip-task-definition", "ecspresso deploy --config=deploy/ecspresso.yml --skip-task-definition", nil,
			cat(status, []string{updSvc, tfstate})},
		// --latest-task-definition: ListTaskDefinitions, no register.
		{"deploy --latest-task-definition", "ecspresso deploy --config deploy/ecspresso.yml --latest-task-definition", nil,
			cat(status, []string{"ecs:ListTaskDefinitions *", updSvc, tfstate})},
		// wait.go WaitServiceDeployCompleted.
		{"deploy --wait-until=deployed", "ecspresso deploy --config deploy/ecspresso.yml --skip-task-definition --wait-until deployed", nil,
			cat(status, []string{updSvc, "ecs:ListServiceDeployments " + svcARN, "ecs:DescribeServiceDeployments " + svcARN,
				"ecs:DescribeServiceDeployments arn:aws:ecs:eu-west-1:111122223333:service-deployment/prod/app/*", tfstate})},
		// --dry-run: reads only.
		{"deploy --dry-run", "ecspresso deploy --config deploy/ecspresso.yml --dry-run", nil, cat(status, renderTD)},
		// autoscaling.go modifyAutoScaling.
		{"deploy --suspend-auto-scaling", "ecspresso deploy --config deploy/ecspresso.yml --skip-task-definition --suspend-auto-scaling", nil,
			cat(status, []string{updSvc, "application-autoscaling:RegisterScalableTarget arn:aws:application-autoscaling:eu-west-1:111122223333:scalable-target/*", tfstate})},
		// refresh.go / scale.go: deploy --skip-task-definition --no-update-service.
		{"refresh", "ecspresso refresh --config deploy/ecspresso.yml", nil, cat(status, []string{updSvc, tfstate})},
		{"scale", "ecspresso scale --config deploy/ecspresso.yml --tasks 2", nil, cat(status, []string{updSvc, tfstate})},
		// Service tags (deploy.go UpdateServiceTags).
		{"deploy with service tags", "ecspresso deploy --config deploy/ecspresso.yml --skip-task-definition --no-wait",
			map[string]string{"deploy/sd.json": `{"tags": [{"key": "team", "value": "web"}]}`},
			cat(status, []string{"ecs:TagResource " + svcARN, "ecs:UntagResource " + svcARN, updSvc, tfstate})},
		// deploy.go DeployByCodeDeploy, createDeployment, wait.go WaitForCodeDeploy.
		{"deploy CodeDeploy", "ecspresso deploy --config deploy/ecspresso.yml --skip-task-definition",
			map[string]string{"deploy/sd.json": `{"deploymentController": {"type": "CODE_DEPLOY"}}`,
				"deploy/ecspresso.yml": "region: eu-west-1\ncluster: prod\nservice: app\nservice_definition: sd.json\ncodedeploy: {application_name: app-cd, deployment_group_name: app-dg}\n"},
			[]string{descSvc, aasT, aasP, updSvc, "codedeploy:BatchGetApplications " + cdApp, "codedeploy:BatchGetDeploymentGroups " + cdGroup,
				"codedeploy:CreateDeployment " + cdGroup, "codedeploy:RegisterApplicationRevision " + cdApp,
				"codedeploy:GetDeploymentConfig " + cdBase + "deploymentconfig:{{CodeDeployConfig}}",
				"codedeploy:ListDeployments " + cdGroup, "codedeploy:GetDeployment " + cdGroup, "codedeploy:GetDeploymentTarget *"}},
		// CodeDeploy without names in the config: every application is listed.
		{"deploy CodeDeploy --no-wait, names listed", "ecspresso deploy --config deploy/ecspresso.yml --skip-task-definition --no-wait",
			map[string]string{"deploy/sd.json": `{"deploymentController": {"type": "CODE_DEPLOY"}}`,
				"deploy/ecspresso.yml": "region: eu-west-1\ncluster: prod\nservice: app\nservice_definition: sd.json\n"},
			[]string{descSvc, aasT, aasP, updSvc, "codedeploy:ListApplications *", "codedeploy:BatchGetApplications " + cdBase + "application:*",
				"codedeploy:ListDeploymentGroups " + cdBase + "application:*", "codedeploy:BatchGetDeploymentGroups " + cdBase + "deploymentgroup:*/*",
				"codedeploy:CreateDeployment " + cdBase + "deploymentgroup:*/*", "codedeploy:RegisterApplicationRevision " + cdBase + "application:*",
				"codedeploy:GetDeploymentConfig " + cdBase + "deploymentconfig:{{CodeDeployConfig}}"}},
		// register.go.
		{"register", "ecspresso register --config deploy/ecspresso.yml", nil, cat(register, renderTD)},
		// run.go Run: register, DescribeTaskDefinition, RunTask, the
		// stopped waiter, GetLogEvents of the first container's stream.
		{"run", "ecspresso run --config deploy/ecspresso.yml", nil,
			cat(register, []string{"ecs:DescribeTaskDefinition *", "ecs:RunTask " + famARN + onProd,
				"ecs:DescribeTasks " + tasks, "logs:GetLogEvents arn:aws:logs:eu-west-1:111122223333:log-group:/ecs/app:log-stream:web/app/*"}, renderTD)},
		// --no-wait: no DescribeTasks, no logs.
		{"run --no-wait --skip-task-definition", "ecspresso run --config deploy/ecspresso.yml --no-wait --skip-task-definition", nil,
			cat([]string{descSvc, "ecs:DescribeTaskDefinition *", "ecs:RunTask " + famARN + onProd, passExe, passTF}, renderTD)},
		// --task-def, --tags, --propagate-tags=SERVICE, --overrides with a role.
		{"run --task-def --tags --propagate-tags --overrides", "ecspresso run --config deploy/ecspresso.yml --task-def deploy/oneoff.json --tags a=b --propagate-tags SERVICE --overrides {\"taskRoleArn\":\"oneoff\"} --watch-container none --no-wait",
			map[string]string{"deploy/oneoff.json": `{"family": "oneoff", "containerDefinitions": [{"name": "x", "image": "busybox"}]}`},
			[]string{"ecs:RegisterTaskDefinition arn:aws:ecs:eu-west-1:111122223333:task-definition/oneoff:*", "ecs:DescribeTaskDefinition *",
				"ecs:RunTask arn:aws:ecs:eu-west-1:111122223333:task-definition/oneoff:*" + onProd,
				"iam:PassRole arn:aws:iam::111122223333:role/oneoff" + passed, "ecs:ListTagsForResource " + svcARN,
				"ecs:TagResource " + tasks + " [ecs:CreateAction=RunTask]", tfstate}},
		// rollback.go: deregisters by default after waiting.
		{"rollback", "ecspresso rollback --config deploy/ecspresso.yml", nil,
			cat(status, []string{"ecs:ListTaskDefinitions *", updSvc, descSvc, "ecs:DeregisterTaskDefinition *", tfstate})},
		{"rollback --no-deregister-task-definition --no-wait", "ecspresso rollback --config deploy/ecspresso.yml --no-deregister-task-definition --no-wait", nil,
			cat(status, []string{"ecs:ListTaskDefinitions *", updSvc, tfstate})},
		// wait.go, status.go, diff.go, appspec.go, delete.go, tasks.go.
		{"wait", "ecspresso wait --config deploy/ecspresso.yml", nil, cat(status, []string{descSvc, tfstate})},
		{"status", "ecspresso status --config deploy/ecspresso.yml --events 5", nil, cat(status, []string{tfstate})},
		{"diff", "ecspresso diff --config deploy/ecspresso.yml", nil, cat([]string{descSvc, "ecs:DescribeTaskDefinition *"}, renderTD)},
		{"appspec", "ecspresso appspec --config deploy/ecspresso.yml", nil, []string{descSvc, "ecs:DescribeTaskDefinition *", tfstate}},
		{"delete", "ecspresso delete --config deploy/ecspresso.yml --force", nil, cat(status, []string{"ecs:DeleteService " + svcARN, tfstate})},
		{"tasks", "ecspresso tasks --config deploy/ecspresso.yml", nil, []string{descSvc, "ecs:DescribeTaskDefinition *",
			"ecs:ListTasks arn:aws:ecs:eu-west-1:111122223333:container-instance/prod/*" + onProd, "ecs:DescribeTasks " + tasks, tfstate}},
		// render.go: no call but the rendering's own.
		{"render", "ecspresso render --config deploy/ecspresso.yml taskdef", nil, renderTD},
		// verify.go: roles, images, secrets, logs (as the deploy role), cluster.
		{"verify --no-put-logs", "ecspresso verify --config deploy/ecspresso.yml --no-put-logs", nil,
			cat([]string{"iam:GetRole arn:aws:iam::111122223333:role/app-exec", "iam:GetRole arn:aws:iam::111122223333:role/{{tfstate.aws_iam_role.task.name}}",
				"ecr:GetAuthorizationToken *", "ecr:BatchGetImage arn:aws:ecr:eu-west-1:111122223333:repository/app",
				"secretsmanager:GetSecretValue arn:aws:secretsmanager:eu-west-1:111122223333:secret:db-??????",
				"ssm:GetParameters arn:aws:ssm:eu-west-1:111122223333:parameter/{{ssm.app.key}}",
				"ecs:DescribeClusters arn:aws:ecs:eu-west-1:111122223333:cluster/prod"}, renderTD)},
		// A config chosen at run time (xargs, a loop over files).
		{"config placeholder", "ecspresso --config={} status", nil, []string{"ecs:DescribeServices arn:aws:ecs:eu-west-1:111122223333:service/{{ClusterName}}/{{ServiceName}}", aasT, aasP}},
		// exec.go: interactive.
		{"exec", "ecspresso exec --config deploy/ecspresso.yml", nil, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			files := map[string]string{}
			for k, v := range ecspressoFiles {
				files[k] = v
			}
			for k, v := range tt.files {
				files[k] = v
			}
			env := &fakeEnv{files: files, vars: map[string]string{"CLUSTER": "prod", "STAGE": "prod", "TAG": "v1", "FAMILY": "app"}}
			ecspresso(env, source.Pos{Line: 3, Col: 1}, strings.Fields(tt.line))
			got, want := dedupe(env.needs), dedupe(tt.want)
			if strings.Join(got, "\n") != strings.Join(want, "\n") {
				t.Errorf("needs:\n  %s\nwant:\n  %s\nwarnings:\n  %s", strings.Join(got, "\n  "), strings.Join(want, "\n  "), strings.Join(env.warns, "\n  "))
			}
		})
	}
}

func dedupe(s []string) []string {
	seen := map[string]bool{}
	var out []string
	for _, x := range s {
		if !seen[x] {
			seen[x] = true
			out = append(out, x)
		}
	}
	sort.Strings(out)
	return out
}
