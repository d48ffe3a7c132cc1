package scan

import (
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/iamfit/iamfit/internal/need"
)

// repo writes files into a temporary repository and analyses it.
func repo(t *testing.T, opt Options, files map[string]string) *Result {
	t.Helper()
	dir := t.TempDir()
	for name, body := range files {
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	opt.Dir = dir
	if opt.Repo == "" {
		opt.Repo = "o/r"
	}
	res, err := Analyze(opt)
	if err != nil {
		t.Fatal(err)
	}
	return res
}

func subjects(r *need.Role) []string {
	var out []string
	for _, s := range r.Subjects {
		out = append(out, s.Value)
	}
	sort.Strings(out)
	return out
}

func roleByARN(t *testing.T, res *Result, suffix string) *need.Role {
	t.Helper()
	for _, r := range res.Roles {
		if strings.HasSuffix(r.ARN, suffix) {
			return r
		}
	}
	var arns []string
	for _, r := range res.Roles {
		arns = append(arns, r.ARN)
	}
	t.Fatalf("no role %s among %v", suffix, arns)
	return nil
}

func checks(res *Result) map[string]int {
	out := map[string]int{}
	for _, d := range res.Diagnostics {
		out[d.Check]++
	}
	return out
}

const creds = `      - uses: aws-actions/configure-aws-credentials@v4
        with:
          role-to-assume: arn:aws:iam::111122223333:role/deploy
          aws-region: eu-west-1
`

// TestTriggerSubjects: the subject of each trigger as GitHub documents
// GITHUB_REF for it ("Events that trigger workflows").
func TestTriggerSubjects(t *testing.T) {
	tests := []struct {
		name, on string
		want     []string
		open     bool
	}{
		{"workflow_run runs on the default branch", "on:\n  workflow_run:\n    workflows: [build]\n    types: [completed]\n", []string{"repo:o/r:ref:refs/heads/trunk"}, false},
		{"schedule", "on:\n  schedule:\n    - cron: '0 0 * * *'\n", []string{"repo:o/r:ref:refs/heads/trunk"}, false},
		{"repository_dispatch", "on: repository_dispatch\n", []string{"repo:o/r:ref:refs/heads/trunk"}, false},
		{"issue_comment", "on: [issue_comment]\n", []string{"repo:o/r:ref:refs/heads/trunk"}, false},
		{"merge_group", "on: merge_group\n", []string{"repo:o/r:ref:refs/heads/gh-readonly-queue/*"}, false},
		{"deployment names any ref", "on: deployment\n", []string{"repo:o/r:ref:refs/heads/*", "repo:o/r:ref:refs/tags/*"}, false},
		{"release", "on:\n  release:\n    types: [published]\n", []string{"repo:o/r:ref:refs/tags/*"}, false},
		{"push with branches-ignore", "on:\n  push:\n    branches-ignore: [dev]\n", []string{"repo:o/r:ref:refs/heads/*"}, false},
		{"workflow_call without callers", "on: workflow_call\n", nil, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res := repo(t, Options{DefaultBranch: "trunk"}, map[string]string{
				".github/workflows/w.yml": tt.on + "permissions: {id-token: write}\njobs:\n  d:\n    runs-on: x\n    steps:\n" + creds,
			})
			r := roleByARN(t, res, "role/deploy")
			if got := subjects(r); strings.Join(got, " ") != strings.Join(tt.want, " ") {
				t.Errorf("subjects %v, want %v", got, tt.want)
			}
			if (r.OpenTrust != "") != tt.open {
				t.Errorf("open trust %q, want %v", r.OpenTrust, tt.open)
			}
		})
	}
}

// TestIfNarrows: a job's if: on github.ref pins every trigger to that ref.
func TestIfNarrows(t *testing.T) {
	res := repo(t, Options{}, map[string]string{
		".github/workflows/w.yml": "on:\n  push:\n    branches: [main, dev]\n  workflow_dispatch:\npermissions: {id-token: write}\njobs:\n  d:\n    if: github.ref == 'refs/heads/main'\n    runs-on: x\n    steps:\n" + creds,
	})
	if got := subjects(res.Roles[0]); strings.Join(got, " ") != "repo:o/r:ref:refs/heads/main" {
		t.Errorf("subjects %v", got)
	}
}

// TestReusableWorkflow: a reusable workflow of the same repository is read
// with its caller's triggers and inputs; it is not read on its own.
func TestReusableWorkflow(t *testing.T) {
	res := repo(t, Options{}, map[string]string{
		".github/workflows/main.yml": "on:\n  push:\n    tags: ['v*']\njobs:\n  call:\n    uses: ./.github/workflows/deploy.yml\n    with:\n      service: web\n",
		".github/workflows/deploy.yml": "on:\n  workflow_call:\n    inputs:\n      service: {type: string}\npermissions: {id-token: write}\njobs:\n  d:\n    runs-on: x\n    steps:\n" + creds +
			"      - run: aws ecs update-service --cluster prod --service ${{ inputs.service }}\n",
	})
	r := roleByARN(t, res, "role/deploy")
	if got := subjects(r); strings.Join(got, " ") != "repo:o/r:ref:refs/tags/v*" {
		t.Errorf("subjects %v, want the caller's tag subject", got)
	}
	if len(r.Needs) != 1 || !strings.HasSuffix(r.Needs[0].Resource, "service/prod/web") {
		t.Errorf("needs %+v, want update-service on web", r.Needs)
	}
	if r.OpenTrust != "" {
		t.Errorf("open trust %q for a workflow with a caller", r.OpenTrust)
	}
}

// TestReusableCycle: workflows that call each other are read once each way
// and reported, not followed forever.
func TestReusableCycle(t *testing.T) {
	res := repo(t, Options{}, map[string]string{
		".github/workflows/a.yml": "on: push\njobs:\n  x:\n    uses: ./.github/workflows/b.yml\n",
		".github/workflows/b.yml": "on: workflow_call\njobs:\n  y:\n    uses: ./.github/workflows/a.yml\n",
	})
	if checks(res)["reusable-workflow"] == 0 {
		t.Errorf("no reusable-workflow diagnostic for a cycle: %v", res.Diagnostics)
	}
}

// TestCompositeAction: a local composite action's steps run in the job,
// with inputs bound from with: and defaults; credentials configured inside
// it hold for later steps.
func TestCompositeAction(t *testing.T) {
	res := repo(t, Options{}, map[string]string{
		".github/workflows/w.yml":          "on:\n  push:\n    branches: [main]\npermissions: {id-token: write}\njobs:\n  d:\n    runs-on: x\n    steps:\n      - uses: ./.github/actions/login\n        with:\n          role: deploy\n      - run: aws ecs update-service --cluster prod --service web\n",
		".github/actions/login/action.yml": "name: login\ninputs:\n  role: {required: true}\n  region: {default: eu-west-1}\nruns:\n  using: composite\n  steps:\n    - uses: aws-actions/configure-aws-credentials@v4\n      with:\n        role-to-assume: arn:aws:iam::111122223333:role/${{ inputs.role }}\n        aws-region: ${{ inputs.region }}\n",
	})
	r := roleByARN(t, res, "role/deploy")
	if len(r.Needs) != 1 || r.Needs[0].Resource != "arn:aws:ecs:eu-west-1:111122223333:service/prod/web" {
		t.Errorf("needs %+v", r.Needs)
	}
}

// TestStoredKeys: stored access keys make an IAM user, never a web identity
// role with an open trust; keys plus role-to-assume make the user assume it.
func TestStoredKeys(t *testing.T) {
	res := repo(t, Options{}, map[string]string{
		".github/workflows/a.yml": "on:\n  push:\n    branches: [main]\njobs:\n  d:\n    runs-on: x\n    steps:\n      - uses: aws-actions/configure-aws-credentials@v4\n        with:\n          aws-access-key-id: ${{ secrets.K }}\n          aws-secret-access-key: ${{ secrets.S }}\n          aws-region: eu-west-1\n      - run: aws ecs update-service --cluster c --service s\n",
		".github/workflows/b.yml": "on:\n  push:\n    branches: [main]\njobs:\n  d:\n    runs-on: x\n    env:\n      AWS_ACCESS_KEY_ID: ${{ secrets.K }}\n      AWS_DEFAULT_REGION: us-east-2\n    steps:\n      - run: aws s3 cp x s3://b/x\n",
		".github/workflows/c.yml": "on:\n  push:\n    branches: [main]\njobs:\n  d:\n    runs-on: x\n    steps:\n      - uses: aws-actions/configure-aws-credentials@v4\n        with:\n          aws-access-key-id: ${{ secrets.K }}\n          aws-secret-access-key: ${{ secrets.S }}\n          role-to-assume: arn:aws:iam::111122223333:role/target\n          role-skip-session-tagging: true\n          aws-region: eu-west-1\n",
	})
	u := roleByARN(t, res, ":user/{{DeployUserName}}")
	if u.Kind != need.User || u.OIDC {
		t.Errorf("user %+v", u)
	}
	var acts []string
	for _, n := range u.Needs {
		acts = append(acts, n.Action+" "+n.Resource)
	}
	sort.Strings(acts)
	want := []string{"ecs:UpdateService arn:aws:ecs:eu-west-1:{{AccountId}}:service/c/s", "s3:PutObject arn:aws:s3:::b/x",
		"sts:AssumeRole arn:aws:iam::111122223333:role/target"}
	if strings.Join(acts, "\n") != strings.Join(want, "\n") {
		t.Errorf("user needs:\n%s\nwant (no sts:TagSession with role-skip-session-tagging):\n%s", strings.Join(acts, "\n"), strings.Join(want, "\n"))
	}
	target := roleByARN(t, res, "role/target")
	if target.OIDC || target.AssumedBy != u.ARN {
		t.Errorf("target %+v, want assumed from the user", target)
	}
}

// TestSelfReferenceEnv: X: ${{ env.X }} in a step reads the outer X, as
// GitHub evaluates it, and a chain of such entries cannot blow up.
func TestSelfReferenceEnv(t *testing.T) {
	var b strings.Builder
	b.WriteString("on:\n  push:\n    branches: [main]\npermissions: {id-token: write}\nenv:\n  CLUSTER: prod\n  A: ${{ env.A }}${{ env.A }}${{ env.A }}${{ env.A }}\njobs:\n  d:\n    runs-on: x\n    env:\n      CLUSTER: ${{ env.CLUSTER }}-eu\n      A: ${{ env.A }}${{ env.A }}${{ env.A }}${{ env.A }}\n    steps:\n" + creds)
	b.WriteString("      - env:\n          CLUSTER: ${{ env.CLUSTER }}\n          A: ${{ env.A }}${{ env.A }}${{ env.A }}${{ env.A }}\n        run: aws ecs update-service --cluster $CLUSTER --service web-$A\n")
	start := time.Now()
	res := repo(t, Options{}, map[string]string{".github/workflows/w.yml": b.String()})
	if d := time.Since(start); d > 5*time.Second {
		t.Errorf("took %v", d)
	}
	r := roleByARN(t, res, "role/deploy")
	if len(r.Needs) != 1 || !strings.HasPrefix(r.Needs[0].Resource, "arn:aws:ecs:eu-west-1:111122223333:service/prod-eu/web-") {
		t.Errorf("needs %+v", r.Needs)
	}
}

// TestUnknownCounted: steps and commands that run with the credentials
// and that iamfit does not know are named; known no-AWS ones are not.
func TestUnknownCounted(t *testing.T) {
	res := repo(t, Options{}, map[string]string{
		".github/workflows/w.yml": "on:\n  push:\n    branches: [main]\npermissions: {id-token: write}\njobs:\n  d:\n    runs-on: x\n    steps:\n      - uses: actions/checkout@v4\n      - run: make deploy\n" + creds +
			"      - uses: actions/upload-artifact@v4\n      - uses: octo/in-house-deploy@v1\n      - run: |\n          echo start\n          terraform apply -auto-approve\n          ls | xargs -n1 aws s3 cp --recursive . s3://bucket/site/\n",
	})
	var got []string
	for _, d := range res.NotUnderstood() {
		got = append(got, d.Check+" "+d.Message[:min(len(d.Message), 40)])
	}
	if len(got) != 2 {
		t.Errorf("not understood:\n%s\nwant the in-house action and terraform (make runs before the credentials)", strings.Join(got, "\n"))
	}
	r := roleByARN(t, res, "role/deploy")
	found := false
	for _, n := range r.Needs {
		found = found || n.Action == "s3:PutObject" && n.Resource == "arn:aws:s3:::bucket/site/*"
	}
	if !found {
		t.Errorf("the command behind xargs is not read: %+v", r.Needs)
	}
}

// TestAssumeStep: a declared in-house action's needs are added.
func TestAssumeStep(t *testing.T) {
	res := repo(t, Options{AssumeSteps: map[string][]need.Need{"octo/notify": {{Action: "sns:Publish", Resource: "arn:aws:sns:eu-west-1:111122223333:deploys", Why: "declared"}}}},
		map[string]string{".github/workflows/w.yml": "on:\n  push:\n    branches: [main]\npermissions: {id-token: write}\njobs:\n  d:\n    runs-on: x\n    steps:\n" + creds + "      - uses: octo/notify@v2\n"})
	r := roleByARN(t, res, "role/deploy")
	if len(r.Needs) != 1 || r.Needs[0].Action != "sns:Publish" || len(res.NotUnderstood()) != 0 {
		t.Errorf("needs %+v, not understood %v", r.Needs, res.NotUnderstood())
	}
}

// TestImmutableSubjects: with the ids, subjects take the immutable form
// (GitHub changelog 2026-04-23), or both forms.
func TestImmutableSubjects(t *testing.T) {
	wf := map[string]string{".github/workflows/w.yml": "on:\n  push:\n    branches: [main]\npermissions: {id-token: write}\njobs:\n  d:\n    runs-on: x\n    steps:\n" + creds}
	res := repo(t, Options{OwnerID: "42", RepoID: "4242"}, wf)
	if got := subjects(res.Roles[0]); strings.Join(got, " ") != "repo:o@42/r@4242:ref:refs/heads/main" {
		t.Errorf("immutable: %v", got)
	}
	res = repo(t, Options{OwnerID: "42", RepoID: "4242", BothSubjectForms: true}, wf)
	if got := subjects(res.Roles[0]); strings.Join(got, " ") != "repo:o/r:ref:refs/heads/main repo:o@42/r@4242:ref:refs/heads/main" {
		t.Errorf("both: %v", got)
	}
}

// TestPullRequestInEnvironment: a pull request run in the deploy
// environment is warned about.
func TestPullRequestInEnvironment(t *testing.T) {
	res := repo(t, Options{}, map[string]string{".github/workflows/w.yml": "on: [push, pull_request]\npermissions: {id-token: write}\njobs:\n  d:\n    runs-on: x\n    environment: production\n    steps:\n" + creds})
	if checks(res)["pull-request-deploy"] != 1 {
		t.Errorf("diagnostics %v", res.Diagnostics)
	}
}

// TestMatrixRoles: a matrix of accounts gives one role per account.
func TestMatrixRoles(t *testing.T) {
	res := repo(t, Options{}, map[string]string{".github/workflows/w.yml": "on:\n  push:\n    branches: [main]\npermissions: {id-token: write}\njobs:\n  d:\n    runs-on: x\n    strategy:\n      matrix:\n        account: ['111122223333', '444455556666']\n        svc: [a, b]\n    steps:\n      - uses: aws-actions/configure-aws-credentials@v4\n        with:\n          role-to-assume: arn:aws:iam::${{ matrix.account }}:role/deploy\n          aws-region: eu-west-1\n      - run: aws ecs update-service --cluster c --service ${{ matrix.svc }}\n"})
	if len(res.Roles) != 2 {
		t.Fatalf("roles %d", len(res.Roles))
	}
	for _, r := range res.Roles {
		if len(r.Needs) != 2 {
			t.Errorf("%s needs %+v, want services a and b", r.ARN, r.Needs)
		}
	}
}

// TestIfForms: if: conditions narrow the subjects in the forms users
// write, evaluated with GitHub's expression language.
func TestIfForms(t *testing.T) {
	tests := []struct {
		on, cond string
		want     []string
	}{
		{"on:\n  push:\n    branches: [main]\n  workflow_dispatch:\n", "github.event_name == 'push'", []string{"repo:o/r:ref:refs/heads/main"}},
		{"on:\n  push:\n    branches: [main]\n  pull_request:\n", "github.event_name != 'pull_request'", []string{"repo:o/r:ref:refs/heads/main"}},
		{"on:\n  push:\n    branches: [main]\n    tags: ['*']\n", "startsWith(github.ref, 'refs/tags/v')", []string{"repo:o/r:ref:refs/tags/v*"}},
		{"on: workflow_dispatch\n", "github.ref_name == 'main'", []string{"repo:o/r:ref:refs/heads/main"}},
		{"on: workflow_dispatch\n", "${{ github.ref == 'refs/heads/main' || github.ref == 'refs/heads/release' }}", []string{"repo:o/r:ref:refs/heads/main", "repo:o/r:ref:refs/heads/release"}},
		{"on: [push, pull_request]\n", "github.ref == 'refs/heads/main' && github.event_name == 'push'", []string{"repo:o/r:ref:refs/heads/main"}},
		{"on:\n  push:\n    branches: [main, dev]\n", "github.ref == 'refs/heads/main'", []string{"repo:o/r:ref:refs/heads/main"}},
		{"on:\n  push:\n    branches: [main]\n", "success()", []string{"repo:o/r:ref:refs/heads/main"}},
	}
	for _, tt := range tests {
		res := repo(t, Options{}, map[string]string{
			".github/workflows/w.yml": tt.on + "permissions: {id-token: write}\njobs:\n  d:\n    if: " + tt.cond + "\n    runs-on: x\n    steps:\n" + creds,
		})
		if got := subjects(res.Roles[0]); strings.Join(got, " ") != strings.Join(tt.want, " ") {
			t.Errorf("%q with if: %s: subjects %v, want %v", tt.on, tt.cond, got, tt.want)
		}
	}
}

// TestGithubEnv: values written to $GITHUB_ENV and $GITHUB_OUTPUT reach
// later steps.
func TestGithubEnv(t *testing.T) {
	res := repo(t, Options{}, map[string]string{".github/workflows/w.yml": "on:\n  push:\n    branches: [main]\npermissions: {id-token: write}\njobs:\n  d:\n    runs-on: x\n    steps:\n" + creds +
		"      - run: |\n          echo \"CLUSTER=prod-eu\" >> \"$GITHUB_ENV\"\n          cat <<EOF >> $GITHUB_ENV\n          SERVICE=web\n          EOF\n" +
		"      - id: names\n        run: echo \"bucket=assets-eu\" >> $GITHUB_OUTPUT\n" +
		"      - run: aws ecs update-service --cluster $CLUSTER --service ${{ env.SERVICE }}\n" +
		"      - run: aws s3 cp x s3://${{ steps.names.outputs.bucket }}/x\n"})
	r := roleByARN(t, res, "role/deploy")
	var got []string
	for _, n := range r.Needs {
		got = append(got, n.Resource)
	}
	want := "arn:aws:ecs:eu-west-1:111122223333:service/prod-eu/web arn:aws:s3:::assets-eu/x"
	if strings.Join(got, " ") != want {
		t.Errorf("resources %v, want %s", got, want)
	}
}

// TestActionSource: a reusable workflow and an action of another
// repository are followed from a local copy (--action-source), and
// reported as not understood without one.
func TestActionSource(t *testing.T) {
	shared := t.TempDir()
	write := func(name, body string) {
		p := filepath.Join(shared, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write(".github/workflows/deploy.yml", "on:\n  workflow_call:\n    inputs: {svc: {type: string}}\npermissions: {id-token: write}\njobs:\n  d:\n    runs-on: x\n    steps:\n"+creds+
		"      - run: aws ecs update-service --cluster prod --service ${{ inputs.svc }}\n")
	write("notify/action.yml", "runs:\n  using: composite\n  steps:\n    - shell: bash\n      run: aws sns publish --topic-arn arn:aws:sns:eu-west-1:111122223333:deploys --message done\n")
	files := map[string]string{
		".github/workflows/w.yml": "on:\n  push:\n    branches: [main]\njobs:\n  call:\n    uses: octo/shared/.github/workflows/deploy.yml@v1\n    with: {svc: web}\n" +
			"  own:\n    runs-on: x\n    permissions: {id-token: write}\n    steps:\n" + creds + "      - uses: octo/shared/notify@v1\n",
	}
	res := repo(t, Options{ActionSources: map[string]string{"octo/shared": shared}}, files)
	r := roleByARN(t, res, "role/deploy")
	var got []string
	for _, n := range r.Needs {
		got = append(got, n.Action+" "+n.Resource)
	}
	sort.Strings(got)
	want := "ecs:UpdateService arn:aws:ecs:eu-west-1:111122223333:service/prod/web sns:Publish arn:aws:sns:eu-west-1:111122223333:deploys"
	if strings.Join(got, " ") != want {
		t.Errorf("needs %v, want %s", got, want)
	}
	if got := subjects(r); strings.Join(got, " ") != "repo:o/r:ref:refs/heads/main" {
		t.Errorf("subjects %v: the caller's", got)
	}
	res = repo(t, Options{}, files)
	if n := len(res.NotUnderstood()); n != 2 {
		t.Errorf("without the copy: %d not understood, want 2: %v", n, res.NotUnderstood())
	}
}

// TestActionSourceNested: inside another repository's reusable workflow,
// ./.github/workflows/X is a workflow of that repository (not the
// caller's), and a workflow_call input the caller does not give takes its
// default; a boolean input reads as a boolean.
func TestActionSourceNested(t *testing.T) {
	shared := t.TempDir()
	for name, body := range map[string]string{
		".github/workflows/outer.yml": "on:\n  workflow_call:\njobs:\n  go:\n    uses: ./.github/workflows/inner.yml\n",
		".github/workflows/inner.yml": "on:\n  workflow_call:\n    inputs:\n      cluster: {type: string, default: prod}\n      dry: {type: boolean, default: false}\n" +
			"permissions: {id-token: write}\njobs:\n  d:\n    runs-on: x\n    steps:\n" + creds +
			"      - run: aws ecs update-service --cluster ${{ inputs.cluster }} --service ${{ inputs.dry && 'none' || 'web' }}\n",
	} {
		p := filepath.Join(shared, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	files := map[string]string{
		".github/workflows/w.yml": "on:\n  push:\n    branches: [main]\njobs:\n  call:\n    uses: octo/shared/.github/workflows/outer.yml@v1\n",
	}
	res := repo(t, Options{ActionSources: map[string]string{"octo/shared": shared}}, files)
	r := roleByARN(t, res, "role/deploy")
	var got []string
	for _, n := range r.Needs {
		got = append(got, n.Action+" "+n.Resource)
	}
	if want := "ecs:UpdateService arn:aws:ecs:eu-west-1:111122223333:service/prod/web"; strings.Join(got, " ") != want {
		t.Errorf("needs %v, want %s", got, want)
	}
	if nu := res.NotUnderstood(); len(nu) != 0 {
		t.Errorf("not understood: %v", nu)
	}
}

// TestRepoPrograms: a shell program of the repository run by its path is
// read with its arguments; a program in another language is reported.
func TestRepoPrograms(t *testing.T) {
	res := repo(t, Options{}, map[string]string{
		".github/workflows/w.yml": "on:\n  push:\n    branches: [main]\npermissions: {id-token: write}\njobs:\n  d:\n    runs-on: x\n    steps:\n" + creds +
			"      - run: |\n          ./bin/published web v1\n          ./bin/report.py\n",
		"bin/published": "#!/usr/bin/env bash\nset -eu\naws ecr describe-images --repository-name \"$1\" --image-ids imageTag=\"$2\"\n",
		"bin/report.py": "#!/usr/bin/env python3\nimport boto3\n",
	})
	r := roleByARN(t, res, "role/deploy")
	if len(r.Needs) != 1 || r.Needs[0].Resource != "arn:aws:ecr:eu-west-1:111122223333:repository/web" {
		t.Errorf("needs %+v", r.Needs)
	}
	nu := res.NotUnderstood()
	if len(nu) != 1 || !strings.Contains(nu[0].Message, "python3") {
		t.Errorf("not understood %v, want the python program", nu)
	}
}

// TestPlaceholders: values copied from templates become parameters with a
// warning, in action inputs as in commands.
func TestPlaceholders(t *testing.T) {
	res := repo(t, Options{}, map[string]string{".github/workflows/w.yml": "on:\n  push:\n    branches: [main]\npermissions: {id-token: write}\njobs:\n  d:\n    runs-on: x\n    steps:\n" + creds +
		"      - uses: aws-actions/amazon-ecs-deploy-task-definition@v2\n        with:\n          task-definition: td.json\n          cluster: YOUR_ECS_CLUSTER\n          service: my-service\n",
		"td.json": `{"family": "app", "containerDefinitions": [{"name": "app", "image": "x"}]}`})
	r := roleByARN(t, res, "role/deploy")
	for _, n := range r.Needs {
		if strings.Contains(n.Resource, "YOUR_ECS_CLUSTER") {
			t.Errorf("a placeholder became a name: %s", n.Resource)
		}
	}
	if checks(res)["placeholder"] == 0 {
		t.Errorf("no placeholder warning: %v", res.Diagnostics)
	}
}

// TestUnknownTaskDefinitionsStayApart: two task definitions the files do
// not hold become two parameters, never one.
func TestUnknownTaskDefinitionsStayApart(t *testing.T) {
	res := repo(t, Options{}, map[string]string{".github/workflows/w.yml": "on:\n  push:\n    branches: [main]\npermissions: {id-token: write}\njobs:\n  d:\n    runs-on: x\n    steps:\n" + creds +
		"      - uses: aws-actions/amazon-ecs-deploy-task-definition@v2\n        with: {task-definition: rails.json, cluster: c, service: rails}\n" +
		"      - uses: aws-actions/amazon-ecs-deploy-task-definition@v2\n        with: {task-definition: sidekiq.json, cluster: c, service: sidekiq}\n"})
	r := roleByARN(t, res, "role/deploy")
	families := map[string]bool{}
	for _, n := range r.Needs {
		if n.Action == "ecs:RegisterTaskDefinition" {
			families[n.Resource] = true
		}
	}
	if len(families) != 2 {
		t.Errorf("register resources %v, want two", families)
	}
}

// TestCommandForms: forms real scripts use (survey of public
// repositories): boolean global options before the service, GNU
// parallel with a command string, ':' as a no-op.
func TestCommandForms(t *testing.T) {
	res := repo(t, Options{}, map[string]string{".github/workflows/w.yml": "on:\n  push:\n    branches: [main]\npermissions: {id-token: write}\njobs:\n  d:\n    runs-on: x\n    steps:\n" + creds +
		"      - run: |\n          : noop\n          aws --debug --no-cli-pager ecs update-service --cluster c --service a\n          parallel --tagstring X \"aws ecs update-service --cluster c --service b\" ::: 1\n"})
	r := roleByARN(t, res, "role/deploy")
	var got []string
	for _, n := range r.Needs {
		got = append(got, n.Resource)
	}
	sort.Strings(got)
	if strings.Join(got, " ") != "arn:aws:ecs:eu-west-1:111122223333:service/c/a arn:aws:ecs:eu-west-1:111122223333:service/c/b" {
		t.Errorf("needs %v", got)
	}
	if len(res.NotUnderstood()) != 0 {
		t.Errorf("not understood: %v", res.NotUnderstood())
	}
}

// TestKeysOnlyWhenUsed: stored keys make an IAM user only for jobs that
// call AWS with them; a local emulator's literal key is no AWS key.
func TestKeysOnlyWhenUsed(t *testing.T) {
	res := repo(t, Options{}, map[string]string{
		".github/workflows/ci.yml": "on: [push]\nenv:\n  AWS_ACCESS_KEY_ID: ${{ secrets.K }}\njobs:\n  test:\n    runs-on: x\n    steps:\n      - run: go test ./...\n" +
			"  local:\n    runs-on: x\n    env:\n      AWS_ACCESS_KEY_ID: minio\n      AWS_ENDPOINT_URL: http://localhost:9000\n    steps:\n      - run: aws s3 ls s3://bucket\n",
	})
	for _, r := range res.Roles {
		t.Errorf("role %s (%v): no job calls AWS with stored keys", r.ARN, r.Kind)
	}
}

// TestRepositoryContext: github.repository and $GITHUB_REPOSITORY are the
// repository, not parameters.
func TestRepositoryContext(t *testing.T) {
	res := repo(t, Options{Repo: "octo/app"}, map[string]string{".github/workflows/w.yml": "on:\n  push:\n    branches: [main]\npermissions: {id-token: write}\njobs:\n  d:\n    runs-on: x\n    steps:\n" + creds +
		"      - run: aws s3 cp a s3://artifacts/${{ github.repository }}/a\n      - run: aws s3 cp b s3://artifacts/$GITHUB_REPOSITORY/b\n"})
	r := roleByARN(t, res, "role/deploy")
	var got []string
	for _, n := range r.Needs {
		got = append(got, n.Resource)
	}
	sort.Strings(got)
	if strings.Join(got, " ") != "arn:aws:s3:::artifacts/octo/app/a arn:aws:s3:::artifacts/octo/app/b" {
		t.Errorf("resources %v", got)
	}
}

// TestExecutionAccount: a task definition that names its roles in an
// account gives the execution role's resources in that account, even
// when the deploy role's account is a parameter.
func TestExecutionAccount(t *testing.T) {
	res := repo(t, Options{}, map[string]string{".github/workflows/w.yml": "on:\n  push:\n    branches: [main]\npermissions: {id-token: write}\njobs:\n  d:\n    runs-on: x\n    steps:\n" +
		"      - uses: aws-actions/configure-aws-credentials@v4\n        with: {role-to-assume: '${{ secrets.ROLE }}', aws-region: eu-west-1}\n" +
		"      - uses: aws-actions/amazon-ecs-deploy-task-definition@v2\n        with: {task-definition: td.json, cluster: c, service: s}\n",
		"td.json": `{"family": "app", "executionRoleArn": "arn:aws:iam::444455556666:role/app-exec", "containerDefinitions": [{"name": "app", "image": "444455556666.dkr.ecr.eu-west-1.amazonaws.com/app:1",
  "logConfiguration": {"logDriver": "awslogs", "options": {"awslogs-group": "/ecs/app", "awslogs-region": "eu-west-1", "awslogs-stream-prefix": "app"}}}]}`})
	r := roleByARN(t, res, "role/app-exec")
	for _, n := range r.Needs {
		if strings.Contains(n.Resource, "{{AccountId}}") {
			t.Errorf("%s on %s: the task definition names account 444455556666", n.Action, n.Resource)
		}
	}
}

// TestScriptCaseDispatch: a script run with a known argument runs only
// the case branch it selects; an unknown argument reads every branch.
func TestScriptCaseDispatch(t *testing.T) {
	script := "#!/bin/sh\ncase \"$1\" in\n  read) aws s3 cp s3://b/x . ;;\n  wipe) aws s3 rm s3://b --recursive ;;\n  *) echo usage ;;\nesac\n"
	res := repo(t, Options{}, map[string]string{".github/workflows/w.yml": "on:\n  push:\n    branches: [main]\npermissions: {id-token: write}\njobs:\n  d:\n    runs-on: x\n    steps:\n" + creds +
		"      - run: ./bin/tool read\n", "bin/tool": script})
	for _, n := range roleByARN(t, res, "role/deploy").Needs {
		if n.Action == "s3:DeleteObject" {
			t.Errorf("the wipe branch was granted: %+v", n)
		}
	}
	res = repo(t, Options{}, map[string]string{".github/workflows/w.yml": "on:\n  push:\n    branches: [main]\npermissions: {id-token: write}\njobs:\n  d:\n    runs-on: x\n    steps:\n" + creds +
		"      - run: ./bin/tool ${{ inputs.what }}\n", "bin/tool": script})
	found := false
	for _, n := range roleByARN(t, res, "role/deploy").Needs {
		found = found || n.Action == "s3:DeleteObject"
	}
	if !found {
		t.Errorf("an unknown argument must read every branch")
	}
}

// TestRenderFromFamily: a render step that reads the task definition from
// AWS by family carries the family into the deploy; its roles become
// parameters, named as not derived.
func TestRenderFromFamily(t *testing.T) {
	res := repo(t, Options{}, map[string]string{".github/workflows/w.yml": "on:\n  push:\n    branches: [main]\npermissions: {id-token: write}\njobs:\n  d:\n    runs-on: x\n    steps:\n" + creds +
		"      - id: render\n        uses: aws-actions/amazon-ecs-render-task-definition@v1\n        with: {task-definition-family: web, container-name: web, image: x}\n" +
		"      - uses: aws-actions/amazon-ecs-deploy-task-definition@v2\n        with: {task-definition: '${{ steps.render.outputs.task-definition }}', cluster: c, service: web}\n"})
	r := roleByARN(t, res, "role/deploy")
	var got []string
	for _, n := range r.Needs {
		if n.Action == "ecs:RegisterTaskDefinition" || n.Action == "iam:PassRole" {
			got = append(got, n.Action+" "+n.Resource)
		}
	}
	sort.Strings(got)
	want := "ecs:RegisterTaskDefinition arn:aws:ecs:eu-west-1:111122223333:task-definition/web:* iam:PassRole {{ExecutionRoleArn_web}} iam:PassRole {{TaskRoleArn_web}}"
	if strings.Join(got, " ") != want {
		t.Errorf("needs %v\nwant %s", got, want)
	}
}

// TestJobOutputs: a job's outputs reach the jobs that need it (read in
// dependency order, whatever the file order).
func TestJobOutputs(t *testing.T) {
	res := repo(t, Options{}, map[string]string{".github/workflows/w.yml": "on:\n  push:\n    branches: [main]\npermissions: {id-token: write}\njobs:\n" +
		"  deploy:\n    needs: [setup]\n    runs-on: x\n    steps:\n" + creds + "      - run: aws ecs update-service --cluster c --service ${{ needs.setup.outputs.service }}\n" +
		"  setup:\n    runs-on: x\n    outputs:\n      service: ${{ steps.name.outputs.svc }}\n    steps:\n      - id: name\n        run: echo \"svc=web-prod\" >> $GITHUB_OUTPUT\n"})
	r := roleByARN(t, res, "role/deploy")
	if len(r.Needs) != 1 || !strings.HasSuffix(r.Needs[0].Resource, "service/c/web-prod") {
		t.Errorf("needs %+v", r.Needs)
	}
}

// TestTaskDefinitionKeptInRepository: a workflow that only redeploys a
// service (update-service --force-new-deployment) runs the task
// definition the repository keeps: its task role gets the code of the
// image the workflow builds; a template a deploy tool renders is the
// workflow's input, not a task definition of its own.
func TestTaskDefinitionKeptInRepository(t *testing.T) {
	res := repo(t, Options{}, map[string]string{
		".github/workflows/d.yml": head + `      - run: |
          cd api
          docker build -t 111122223333.dkr.ecr.eu-west-1.amazonaws.com/api:latest .
          docker push 111122223333.dkr.ecr.eu-west-1.amazonaws.com/api:latest
      - run: aws ecs update-service --cluster c --service api --force-new-deployment
`,
		"ops/task.json": `{"family": "api", "taskRoleArn": "arn:aws:iam::111122223333:role/api-task",
 "containerDefinitions": [{"name": "api", "image": "111122223333.dkr.ecr.eu-west-1.amazonaws.com/api:latest",
  "environment": [{"name": "BUCKET", "value": "uploads"}]}]}`,
		"api/Dockerfile": "FROM node:22\nCOPY . .\n",
		"api/src/s.ts":   "import { S3Client, PutObjectCommand } from '@aws-sdk/client-s3';\nawait new S3Client({}).send(new PutObjectCommand({ Bucket: process.env.BUCKET, Key: 'a' }));\n",
	})
	got := strings.Join(needStrings(roleByARN(t, res, ":role/api-task")), "\n")
	if want := "s3:PutObject arn:aws:s3:::uploads/a"; got != want {
		t.Errorf("task role:\n%s\nwant:\n%s", got, want)
	}
}
