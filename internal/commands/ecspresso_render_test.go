package commands

import (
	"strings"
	"testing"

	"github.com/iamfit/iamfit/internal/source"
)

// TestEcspressoRender checks the rendering against ecspresso's semantics:
// go-config's env (first set variable, else the last argument) and
// must_env, plugin functions with func_prefix, Jsonnet with native
// functions followed by the template pass, unknown functions, a state file
// of the repository, paths relative to the config.
func TestEcspressoRender(t *testing.T) {
	tests := []struct {
		name  string
		line  string
		wd    string
		files map[string]string
		vars  map[string]string
		// want: the deployed task definition's family, execution role,
		// first image; needs that must be present; warnings that must be.
		family, exec, image string
		needs, warns        []string
	}{
		{
			name: "env defaults and must_env",
			line: "ecspresso register",
			files: map[string]string{
				"ecspresso.yml": "region: '{{ env `REGION` `ap-northeast-1` }}'\ncluster: c\nservice: s\ntask_definition: td.json\n",
				"td.json":       `{"family": "{{ env "FAM" }}", "executionRoleArn": "{{ must_env "EXEC" }}", "containerDefinitions": [{"name": "a", "image": "{{ env "UNSET" "EMPTY" "nginx" }}"}]}`,
			},
			vars:   map[string]string{"EMPTY": ""},
			family: "FAM", exec: "{{EXEC}}", image: "nginx",
			needs: []string{"ecs:RegisterTaskDefinition arn:aws:ecs:ap-northeast-1:111122223333:task-definition/FAM:*"},
		},
		{
			name: "config in a directory, Jsonnet config and definition with natives, func_prefix",
			line: "ecspresso register --config deploy/ecspresso.jsonnet --ext-str stage=prd",
			files: map[string]string{
				"deploy/ecspresso.jsonnet": `local must_env = std.native('must_env');
{
  region: 'eu-west-1', cluster: 'c', service: must_env('SERVICE'),
  task_definition: 'td.jsonnet',
  plugins: [{name: 'tfstate', config: {url: 's3://tf/' + std.extVar('stage') + '.tfstate'}, func_prefix: 'net_'},
            {name: 'cloudformation'}],
}`,
				"deploy/td.jsonnet": `local tfstate = std.native('net_tfstate');
local lib = import 'lib/common.libsonnet';
{
  family: lib.name,
  executionRoleArn: tfstate('aws_iam_role.exec.arn'),
  containerDefinitions: [{name: 'app', image: std.native('must_env')('IMAGE'),
    environment: [{name: 'VPC', value: std.native('cfn_output')('net', 'VpcId')}, {name: 'Q', value: '{{ cfn_export ` + "`queue-url`" + ` }}'}]}],
}`,
				"deploy/lib/common.libsonnet": `{name: 'web'}`,
			},
			vars:   map[string]string{"SERVICE": "web", "IMAGE": "111122223333.dkr.ecr.eu-west-1.amazonaws.com/web:1"},
			family: "web", exec: "arn:aws:iam::111122223333:role/{{tfstate.aws_iam_role.exec.name}}", image: "111122223333.dkr.ecr.eu-west-1.amazonaws.com/web:1",
			needs: []string{
				"s3:GetObject arn:aws:s3:::tf/prd.tfstate",
				"cloudformation:DescribeStacks arn:aws:cloudformation:eu-west-1:111122223333:stack/net/*",
				"cloudformation:ListExports *",
			},
		},
		{
			name: "a state file of the repository is looked up",
			line: "ecspresso register --config ops/ecspresso.yml",
			files: map[string]string{
				"ops/ecspresso.yml": "region: eu-west-1\ncluster: c\nservice: s\ntask_definition: ../td.json\nplugins: [{name: tfstate, config: {path: tf/terraform.tfstate}}]\n",
				"ops/tf/terraform.tfstate": `{"version": 4, "outputs": {"family": {"value": "from-output"}}, "resources": [
  {"mode": "managed", "type": "aws_iam_role", "name": "exec", "instances": [{"attributes": {"arn": "arn:aws:iam::111122223333:role/exec-from-state", "tags": {"k": "v"}}}]},
  {"module": "module.ecr", "mode": "managed", "type": "aws_ecr_repository", "name": "r", "instances": [{"index_key": "web", "attributes": {"repository_url": "111122223333.dkr.ecr.eu-west-1.amazonaws.com/web"}}]}]}`,
				"td.json": `{"family": "{{ tfstate "output.family" }}", "executionRoleArn": "{{ tfstatef "aws_iam_role.%s.arn" "exec" }}",
  "containerDefinitions": [{"name": "a", "image": "{{ tfstate "module.ecr.aws_ecr_repository.r[\"web\"].repository_url" }}:1"}]}`,
			},
			family: "from-output", exec: "arn:aws:iam::111122223333:role/exec-from-state", image: "111122223333.dkr.ecr.eu-west-1.amazonaws.com/web:1",
		},
		{
			name: "the step's working directory, then the config's directory",
			line: "ecspresso register --config ecspresso/ecspresso.yml",
			wd:   "app",
			files: map[string]string{
				"app/ecspresso/ecspresso.yml": "region: eu-west-1\ncluster: c\nservice: s\ntask_definition: td.json\n",
				"app/ecspresso/td.json":       `{"family": "in-app", "executionRoleArn": "exec", "containerDefinitions": []}`,
			},
			family: "in-app", exec: "exec",
		},
		{
			name: "unknown function: a warning with file:line, the value a parameter",
			line: "ecspresso register",
			files: map[string]string{
				"ecspresso.yml": "region: eu-west-1\ncluster: c\nservice: s\ntask_definition: td.json\n",
				"td.json":       "{\"family\": \"web\",\n \"executionRoleArn\": \"{{ vault `x` }}\",\n \"containerDefinitions\": []}",
			},
			family: "web", exec: "{{vault.x}}",
			warns: []string{"td.json:2:26:", `template function "vault" is not one ecspresso or its configured plugins define`},
		},
		{
			name: "Jsonnet that does not end is bounded",
			line: "ecspresso register",
			files: map[string]string{
				"ecspresso.yml": "region: eu-west-1\ncluster: c\nservice: s\ntask_definition: td.jsonnet\n",
				"td.jsonnet":    "local f(x) = f(x + 1); f(0)",
			},
			warns: []string{"td.jsonnet:1:"},
		},
		{
			name: "imports outside the repository are refused",
			line: "ecspresso register",
			files: map[string]string{
				"ecspresso.yml": "region: eu-west-1\ncluster: c\nservice: s\ntask_definition: td.jsonnet\n",
				"td.jsonnet":    "import '../../etc/passwd'",
			},
			warns: []string{"outside the repository"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			env := &fakeEnv{files: tt.files, vars: tt.vars, wd: tt.wd}
			ecspresso(env, source.Pos{Line: 7, Col: 1}, strings.Fields(tt.line))
			warns := strings.Join(env.warns, "\n")
			for _, w := range tt.warns {
				if !strings.Contains(warns, w) {
					t.Errorf("no warning %q in:\n%s", w, warns)
				}
			}
			needs := strings.Join(env.needs, "\n")
			for _, n := range tt.needs {
				if !strings.Contains(needs, n) {
					t.Errorf("no need %q in:\n%s", n, needs)
				}
			}
			if tt.family == "" {
				return
			}
			if len(env.deployed) != 1 {
				t.Fatalf("deployed %d task definitions; warnings:\n%s", len(env.deployed), warns)
			}
			td := env.deployed[0]
			if td.Family == nil || td.Family.Value != tt.family {
				t.Errorf("family = %+v, want %s", td.Family, tt.family)
			}
			if td.ExecutionRoleARN == nil || td.ExecutionRoleARN.Value != tt.exec {
				t.Errorf("executionRoleArn = %+v, want %s", td.ExecutionRoleARN, tt.exec)
			}
			if tt.image != "" && (len(td.Containers) == 0 || td.Containers[0].Image == nil || td.Containers[0].Image.Value != tt.image) {
				t.Errorf("containers = %+v, want image %s", td.Containers, tt.image)
			}
		})
	}
}
