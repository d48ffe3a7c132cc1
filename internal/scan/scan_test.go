package scan

import (
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/iamfit/iamfit/internal/need"
)

const head = `on:
  push:
    branches: [main]
permissions:
  id-token: write
jobs:
  deploy:
    runs-on: ubuntu-latest
    steps:
      - uses: aws-actions/configure-aws-credentials@v4
        with:
          role-to-assume: arn:aws:iam::111122223333:role/deploy
          aws-region: eu-west-1
`

const taskDef = `{"family": "app", "executionRoleArn": "arn:aws:iam::111122223333:role/app-exec", "taskRoleArn": "app-task",
 "containerDefinitions": [{"name": "app", "image": "x"}]}`

// analyzeSteps runs Analyze on a repository whose one workflow is head
// followed by steps, with extra files.
func analyzeSteps(t *testing.T, steps string, files map[string]string) *Result {
	t.Helper()
	dir := t.TempDir()
	write := func(name, body string) {
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write(".github/workflows/w.yml", head+steps)
	write("td.json", taskDef)
	for name, body := range files {
		write(name, body)
	}
	res, err := Analyze(Options{Dir: dir, Repo: "o/r"})
	if err != nil {
		t.Fatal(err)
	}
	return res
}

func needStrings(r *need.Role) []string {
	seen := map[string]bool{}
	var out []string
	for _, n := range r.Needs {
		s := n.Action + " " + n.Resource
		for _, c := range n.Conditions {
			s += " [" + c.Key + "=" + strings.Join(c.Values, "|") + "]"
		}
		if !seen[s] {
			seen[s] = true
			out = append(out, s)
		}
	}
	sort.Strings(out)
	return out
}

const push = "ecr:BatchCheckLayerAvailability R|ecr:CompleteLayerUpload R|ecr:InitiateLayerUpload R|ecr:PutImage R|ecr:UploadLayerPart R"

func expand(s, repo string) []string {
	if s == "" {
		return nil
	}
	var out []string
	for _, x := range strings.Split(s, "|") {
		out = append(out, strings.ReplaceAll(x, " R", " "+repo))
	}
	sort.Strings(out)
	return out
}

// TestStepKnowledge has one row per action, command or flag that changes
// what a pipeline needs.
func TestStepKnowledge(t *testing.T) {
	const repo = "arn:aws:ecr:eu-west-1:111122223333:repository/app"
	const svc = "arn:aws:ecs:eu-west-1:111122223333:service/prod/app"
	const tdARN = "arn:aws:ecs:eu-west-1:111122223333:task-definition/app:*"
	const passExec = "iam:PassRole arn:aws:iam::111122223333:role/app-exec [iam:PassedToService=ecs-tasks.amazonaws.com]"
	const passTask = "iam:PassRole arn:aws:iam::111122223333:role/app-task [iam:PassedToService=ecs-tasks.amazonaws.com]"
	register := "ecs:RegisterTaskDefinition " + tdARN + "|" + passExec + "|" + passTask
	passRoles := passExec + "|" + passTask
	const autoScaling = "application-autoscaling:DescribeScalableTargets *|application-autoscaling:DescribeScalingPolicies *"
	tests := []struct {
		name, steps, want string
	}{
		{"ecr login", `      - uses: aws-actions/amazon-ecr-login@v2
`, "ecr:GetAuthorizationToken *"},
		{"ecr login public", `      - uses: aws-actions/amazon-ecr-login@v2
        with: {registry-type: public}
`, "ecr-public:GetAuthorizationToken *|sts:GetServiceBearerToken *"},
		{"docker push to the login registry", `      - id: ecr
        uses: aws-actions/amazon-ecr-login@v2
      - run: docker push ${{ steps.ecr.outputs.registry }}/app:${{ github.sha }}
`, "ecr:GetAuthorizationToken *|" + push},
		{"docker pull", `      - run: docker pull 111122223333.dkr.ecr.eu-west-1.amazonaws.com/app@sha256:abc
`, "ecr:BatchGetImage R|ecr:GetDownloadUrlForLayer R"},
		{"docker push elsewhere", `      - run: docker push ghcr.io/o/app:1
`, ""},
		{"buildx build --push", `      - run: docker buildx build --push -t 111122223333.dkr.ecr.eu-west-1.amazonaws.com/app:1 .
`, push},
		{"docker build without push", `      - run: docker build -t 111122223333.dkr.ecr.eu-west-1.amazonaws.com/app:1 .
`, ""},
		{"build-push-action push", `      - uses: docker/build-push-action@v6
        with:
          push: true
          tags: 111122223333.dkr.ecr.eu-west-1.amazonaws.com/app:1,ghcr.io/o/app:1
`, push},
		{"build-push-action without push", `      - uses: docker/build-push-action@v6
        with: {tags: 111122223333.dkr.ecr.eu-west-1.amazonaws.com/app:1}
`, ""},
		{"render from file", `      - uses: aws-actions/amazon-ecs-render-task-definition@v1
        with: {task-definition: td.json, container-name: app, image: x}
`, ""},
		{"render from family", `      - uses: aws-actions/amazon-ecs-render-task-definition@v1
        with: {task-definition-family: app, container-name: app, image: x}
`, "ecs:DescribeTaskDefinition *"},
		{"deploy rolling", `      - id: td
        uses: aws-actions/amazon-ecs-render-task-definition@v1
        with: {task-definition: td.json, container-name: app, image: x}
      - uses: aws-actions/amazon-ecs-deploy-task-definition@v2
        with: {task-definition: "${{ steps.td.outputs.task-definition }}", service: app, cluster: prod, wait-for-service-stability: true}
`, register + "|ecs:DescribeServices " + svc + "|ecs:UpdateService " + svc},
		{"deploy without service registers only", `      - uses: aws-actions/amazon-ecs-deploy-task-definition@v2
        with: {task-definition: td.json}
`, register},
		{"deploy to the default cluster", `      - uses: aws-actions/amazon-ecs-deploy-task-definition@v2
        with: {task-definition: td.json, service: app}
`, register + "|ecs:DescribeServices arn:aws:ecs:eu-west-1:111122223333:service/default/app|ecs:UpdateService arn:aws:ecs:eu-west-1:111122223333:service/default/app"},
		{"deploy with tags", `      - uses: aws-actions/amazon-ecs-deploy-task-definition@v2
        with: {task-definition: td.json, tags: "key=team,value=a"}
`, register + "|ecs:TagResource " + tdARN + " [ecs:CreateAction=RegisterTaskDefinition]"},
		{"deploy run-task and wait", `      - uses: aws-actions/amazon-ecs-deploy-task-definition@v2
        with: {task-definition: td.json, cluster: prod, run-task: true, wait-for-task-stopped: true}
`, register + "|ecs:RunTask " + tdARN + " [ecs:cluster=arn:aws:ecs:eu-west-1:111122223333:cluster/prod]|ecs:DescribeTasks arn:aws:ecs:eu-west-1:111122223333:task/prod/*"},
		{"deploy CodeDeploy blue/green", `      - uses: aws-actions/amazon-ecs-deploy-task-definition@v2
        with: {task-definition: td.json, service: app, cluster: prod, codedeploy-appspec: appspec.yaml, wait-for-service-stability: true}
`, register + "|ecs:DescribeServices " + svc +
			"|codedeploy:GetDeploymentGroup arn:aws:codedeploy:eu-west-1:111122223333:deploymentgroup:AppECS-prod-app/DgpECS-prod-app" +
			"|codedeploy:CreateDeployment arn:aws:codedeploy:eu-west-1:111122223333:deploymentgroup:AppECS-prod-app/DgpECS-prod-app" +
			"|codedeploy:GetDeployment arn:aws:codedeploy:eu-west-1:111122223333:deploymentgroup:AppECS-prod-app/DgpECS-prod-app" +
			"|codedeploy:RegisterApplicationRevision arn:aws:codedeploy:eu-west-1:111122223333:application:AppECS-prod-app" +
			"|codedeploy:GetDeploymentConfig arn:aws:codedeploy:eu-west-1:111122223333:deploymentconfig:{{CodeDeployConfig}}"},
		{"aws ecr get-login-password", `      - run: aws ecr get-login-password | docker login --username AWS --password-stdin x
`, "ecr:GetAuthorizationToken *"},
		{"aws ecs update-service", `      - run: aws ecs update-service --cluster prod --service app --desired-count 0
`, "ecs:UpdateService " + svc},
		{"aws ecs wait services-stable", `      - run: aws ecs wait services-stable --cluster prod --services app
`, "ecs:DescribeServices " + svc},
		{"aws ecs run-task", `      - run: aws --region eu-west-1 ecs run-task --cluster prod --task-definition app:7
`, "ecs:RunTask " + tdARN + " [ecs:cluster=arn:aws:ecs:eu-west-1:111122223333:cluster/prod]|" +
			"iam:PassRole {{ExecutionRoleArn_app}} [iam:PassedToService=ecs-tasks.amazonaws.com]|" +
			"iam:PassRole {{TaskRoleArn_app}} [iam:PassedToService=ecs-tasks.amazonaws.com]"},
		{"aws ecs register-task-definition", `      - run: aws ecs register-task-definition --cli-input-json file://td.json
`, register},
		{"aws logs create-log-group and retention", `      - run: |
          aws logs create-log-group --log-group-name /ecs/app || true
          aws logs put-retention-policy --log-group-name /ecs/app --retention-in-days 7
`, "logs:CreateLogGroup arn:aws:logs:eu-west-1:111122223333:log-group:/ecs/app|logs:PutRetentionPolicy arn:aws:logs:eu-west-1:111122223333:log-group:/ecs/app"},
		{"aws s3 sync --delete", `      - run: aws s3 sync dist s3://site/www --delete
`, "s3:ListBucket arn:aws:s3:::site|s3:PutObject arn:aws:s3:::site/www*|s3:DeleteObject arn:aws:s3:::site/www*"},
		{"aws s3 cp down", `      - run: aws s3 cp s3://cfg/app.env .
`, "s3:GetObject arn:aws:s3:::cfg/app.env"},
		{"aws cloudformation deploy", `      - run: aws cloudformation deploy --stack-name app --template-file t.yaml
`, "cloudformation:CreateChangeSet S|cloudformation:DescribeChangeSet S|cloudformation:DescribeStackEvents S|cloudformation:DescribeStacks S|cloudformation:ExecuteChangeSet S|cloudformation:GetTemplateSummary S"},
		{"aws sts get-caller-identity", `      - run: aws sts get-caller-identity
`, ""},
		{"aws ssm get-parameter", `      - run: aws ssm get-parameter --name /app/db-url --with-decryption
`, "ssm:GetParameter arn:aws:ssm:eu-west-1:111122223333:parameter/app/db-url"},
		{"aws ssm get-parameters", `      - run: aws ssm get-parameters --names /app/a /app/b
`, "ssm:GetParameters arn:aws:ssm:eu-west-1:111122223333:parameter/app/a|ssm:GetParameters arn:aws:ssm:eu-west-1:111122223333:parameter/app/b"},
		{"aws generic command", `      - run: aws ecs describe-clusters --cluster prod
`, "ecs:DescribeClusters arn:aws:ecs:eu-west-1:111122223333:cluster/prod"},
		{"aws logs tail --follow", `      - run: aws logs tail /ecs/app --follow
`, "logs:FilterLogEvents arn:aws:logs:eu-west-1:111122223333:log-group:/ecs/app|logs:StartLiveTail arn:aws:logs:eu-west-1:111122223333:log-group:/ecs/app"},
		{"aws s3api head-object and copy-object", `      - run: |
          aws s3api head-object --bucket in --key a.csv
          aws s3api copy-object --copy-source in/a.csv --bucket out --key b.csv
`, "s3:GetObject arn:aws:s3:::in/a.csv|s3:PutObject arn:aws:s3:::out/b.csv"},
		{"aws sqs send-message-batch", `      - run: aws sqs send-message-batch --queue-url https://sqs.eu-west-1.amazonaws.com/111122223333/jobs --entries file://m.json
`, "sqs:SendMessage arn:aws:sqs:eu-west-1:111122223333:jobs"},
		{"aws generic wildcard-only command", `      - run: aws ecs list-clusters
`, "ecs:ListClusters *"},
		{"ecspresso deploy", `      - run: ecspresso deploy --config ecspresso.yml
`, register + "|" + autoScaling + "|ecs:DescribeServices " + svc + "|ecs:UpdateService " + svc},
		{"ecspresso deploy --skip-task-definition --wait-until=deployed", `      - run: ecspresso deploy --skip-task-definition --wait-until=deployed
`, autoScaling + "|ecs:DescribeServices " + svc + "|ecs:UpdateService " + svc + "|ecs:ListServiceDeployments " + svc + "|ecs:DescribeServiceDeployments " + svc + "|ecs:DescribeServiceDeployments arn:aws:ecs:eu-west-1:111122223333:service-deployment/prod/app/*"},
		{"ecspresso run --no-wait --latest-task-definition", `      - run: ecspresso run --no-wait --latest-task-definition
`, "ecs:DescribeServices " + svc + "|ecs:ListTaskDefinitions *|ecs:DescribeTaskDefinition *|ecs:RunTask " + tdARN + " [ecs:cluster=arn:aws:ecs:eu-west-1:111122223333:cluster/prod]|" + passRoles},
		{"ecspresso rollback --deregister-task-definition", `      - run: ecspresso rollback --deregister-task-definition
`, autoScaling + "|ecs:DescribeServices " + svc + "|ecs:ListTaskDefinitions *|ecs:UpdateService " + svc + "|ecs:DeregisterTaskDefinition *"},
	}
	ecspressoYML := "region: eu-west-1\ncluster: prod\nservice: app\ntask_definition: td.json\n"
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res := analyzeSteps(t, tt.steps, map[string]string{"ecspresso.yml": ecspressoYML})
			if len(res.Roles) == 0 || res.Roles[0].Kind != need.Deploy {
				t.Fatalf("roles = %+v", res.Roles)
			}
			want := expand(strings.ReplaceAll(tt.want, " S", " arn:aws:cloudformation:eu-west-1:111122223333:stack/app/*"), repo)
			got := needStrings(res.Roles[0])
			if strings.Join(got, "\n") != strings.Join(want, "\n") {
				t.Errorf("needs:\n  %s\nwant:\n  %s", strings.Join(got, "\n  "), strings.Join(want, "\n  "))
			}
		})
	}
}

func TestRoleChaining(t *testing.T) {
	res := analyzeSteps(t, `      - uses: aws-actions/configure-aws-credentials@v4
        with:
          role-to-assume: arn:aws:iam::444455556666:role/prod-deploy
          role-chaining: true
          aws-region: eu-west-1
      - run: aws ecs update-service --cluster prod --service app
`, nil)
	if len(res.Roles) < 2 {
		t.Fatalf("roles = %d", len(res.Roles))
	}
	first, second := res.Roles[0], res.Roles[1]
	if got := strings.Join(needStrings(first), ","); got != "sts:AssumeRole arn:aws:iam::444455556666:role/prod-deploy,sts:TagSession arn:aws:iam::444455556666:role/prod-deploy" {
		t.Errorf("first role needs: %s", got)
	}
	if second.AssumedBy != first.ARN || second.OIDC || len(second.Needs) != 1 || second.Needs[0].Resource != "arn:aws:ecs:eu-west-1:444455556666:service/prod/app" {
		t.Errorf("second role: %+v", second)
	}
}

func TestSubjects(t *testing.T) {
	tests := []struct {
		on, jobExtra string
		want         []string
		warn         bool
	}{
		{"on:\n  push:\n    branches: [main, 'release/**']\n", "", []string{"repo:o/r:ref:refs/heads/main", "repo:o/r:ref:refs/heads/release/*"}, false},
		{"on:\n  push:\n    tags: ['v*']\n", "", []string{"repo:o/r:ref:refs/tags/v*"}, false},
		{"on: push\n", "", []string{"repo:o/r:ref:refs/heads/*", "repo:o/r:ref:refs/tags/*"}, true},
		{"on: [push, pull_request]\n", "    environment: production\n", []string{"repo:o/r:environment:production"}, false},
		{"on: pull_request\n", "", []string{"repo:o/r:pull_request"}, true},
		{"on: workflow_dispatch\n", "", []string{"repo:o/r:ref:refs/heads/*"}, true},
		{"on: workflow_dispatch\n", "    if: github.ref == 'refs/heads/main'\n", []string{"repo:o/r:ref:refs/heads/main"}, false},
	}
	for _, tt := range tests {
		dir := t.TempDir()
		wf := tt.on + "permissions: {id-token: write}\njobs:\n  d:\n" + tt.jobExtra + "    steps:\n      - uses: aws-actions/configure-aws-credentials@v4\n        with: {role-to-assume: 'arn:aws:iam::111122223333:role/x', aws-region: us-east-1}\n"
		os.MkdirAll(filepath.Join(dir, ".github", "workflows"), 0o755)
		os.WriteFile(filepath.Join(dir, ".github", "workflows", "w.yml"), []byte(wf), 0o644)
		res, err := Analyze(Options{Dir: dir, Repo: "o/r"})
		if err != nil {
			t.Fatal(err)
		}
		var got []string
		for _, s := range res.Roles[0].Subjects {
			got = append(got, s.Value)
		}
		sort.Strings(got)
		if strings.Join(got, " ") != strings.Join(tt.want, " ") {
			t.Errorf("%q%q: subjects %v, want %v", tt.on, tt.jobExtra, got, tt.want)
		}
		warned := false
		for _, d := range res.Diagnostics {
			warned = warned || d.Check == "wide-trigger"
		}
		if warned != tt.warn {
			t.Errorf("%q: wide-trigger warning = %v, want %v (%v)", tt.on, warned, tt.warn, res.Diagnostics)
		}
	}
}

func TestRepoFromURL(t *testing.T) {
	for in, want := range map[string]string{
		"git@github.com:octo/app.git":       "octo/app",
		"https://github.com/octo/app":       "octo/app",
		"https://github.com/octo/app.git/":  "octo/app",
		"ssh://git@github.com/octo/app.git": "octo/app",
		"https://gitlab.com/octo/app.git":   "",
		"git@github.com:octo/app/extra.git": "",
	} {
		if got := repoFromURL(in); got != want {
			t.Errorf("repoFromURL(%q) = %q, want %q", in, got, want)
		}
	}
}

// TestBrokenTaskDefTemplate: a template with a task definition that does
// not parse is a warning at the template's own position, not silence.
func TestBrokenTaskDefTemplate(t *testing.T) {
	res := analyzeSteps(t, "      - run: echo\n", map[string]string{
		"cfn/app.yaml": "AWSTemplateFormatVersion: '2010-09-09'\nResources:\n  Td:\n    Type: AWS::ECS::TaskDefinition\n    Properties: [a, b\n",
		// Fixtures and hidden directories are not the repository's templates.
		"testdata/bad.yaml": "AWSTemplateFormatVersion: '2010-09-09'\nResources: {Td: {Type: AWS::ECS::TaskDefinition, Properties: [\n",
	})
	var got []string
	for _, d := range res.Diagnostics {
		if d.Check == "template" {
			got = append(got, d.String())
		}
	}
	if len(got) != 1 || !strings.Contains(got[0], "cfn/app.yaml:") || strings.Contains(got[0], "cfn/app.yaml:1:1:") {
		t.Errorf("template diagnostics = %q, want one for cfn/app.yaml at the error's position", got)
	}
}

// TestDescribedTaskDefinition: a task definition file written by `aws ecs
// describe-task-definition ... > FILE` (not in the repository) is what a
// later render and deploy of FILE read: the family from the command, its
// execution and task roles parameters (as for a render from the family),
// said once, and no "cannot read" diagnostic.
func TestDescribedTaskDefinition(t *testing.T) {
	res := analyzeSteps(t, `      - run: aws ecs describe-task-definition --task-definition app --query taskDefinition > task-definition.json
      - id: td
        uses: aws-actions/amazon-ecs-render-task-definition@v1
        with: {task-definition: task-definition.json, container-name: app, image: x}
      - uses: aws-actions/amazon-ecs-deploy-task-definition@v2
        with: {task-definition: "${{ steps.td.outputs.task-definition }}", service: app, cluster: prod}
`, nil)
	const svc = "arn:aws:ecs:eu-west-1:111122223333:service/prod/app"
	want := []string{
		"ecs:DescribeServices " + svc,
		"ecs:DescribeTaskDefinition *",
		"ecs:RegisterTaskDefinition arn:aws:ecs:eu-west-1:111122223333:task-definition/app:*",
		"ecs:UpdateService " + svc,
		"iam:PassRole {{ExecutionRoleArn_app}} [iam:PassedToService=ecs-tasks.amazonaws.com]",
		"iam:PassRole {{TaskRoleArn_app}} [iam:PassedToService=ecs-tasks.amazonaws.com]",
	}
	if got := needStrings(res.Roles[0]); strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("needs:\n  %s\nwant:\n  %s", strings.Join(got, "\n  "), strings.Join(want, "\n  "))
	}
	said := 0
	for _, d := range res.Diagnostics {
		switch {
		case strings.Contains(d.Message, "cannot read"):
			t.Errorf("diagnostic: %s", d)
		case d.Check == "task-definition" && strings.Contains(d.Message, "family app comes from AWS"):
			said++
		case d.Check == "task-definition":
			t.Errorf("diagnostic: %s", d)
		}
	}
	if said != 1 {
		t.Errorf("%d diagnostics say the task definition comes from AWS, want 1", said)
	}
}
