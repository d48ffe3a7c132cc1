package cli

import (
	"bytes"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/iamfit/iamfit/internal/catalog"
	"github.com/iamfit/iamfit/internal/drift"
	"github.com/iamfit/iamfit/internal/need"
	"github.com/iamfit/iamfit/internal/policy"
	"github.com/iamfit/iamfit/internal/render"
	"github.com/iamfit/iamfit/internal/scan"
	"github.com/iamfit/iamfit/internal/source"
	"github.com/iamfit/iamfit/internal/synth"
	"github.com/iamfit/iamfit/internal/tree"
)

const generateDoc = `
Read a repository's GitHub Actions workflows (.github/workflows/*.yml) and
generate, for each role they assume, the OIDC trust policy and the
permission policy they need: every statement with the file:line of the steps
that need it, proven with the evaluator (every call allowed; calls on other
resources, other repositories and other branches denied).

A directory with task definitions and application code but no workflow
gives the task execution and task roles alone.

DIR defaults to the current directory. The repository (owner/name) for the
trust policy's subjects comes from --repo or the checkout's origin remote.
Values the files do not determine (vars.X, secrets.X, an account id) become
named parameters: {{Name}} in text and JSON, Parameters in CloudFormation,
variables in Terraform. Give them with --var Name=value.

Knowledge of steps: aws-actions/configure-aws-credentials (role, region,
role chaining), amazon-ecr-login, docker push/pull/buildx and
docker/build-push-action to ECR, amazon-ecs-render-task-definition,
amazon-ecs-deploy-task-definition (rolling, wait, tags, run-task, CodeDeploy
blue/green), aws CLI commands in run: scripts, and ecspresso with its YAML
config. Other steps that call AWS are reported, not guessed.

From usage instead of workflows: --cloudtrail PATH --principal ROLE_ARN
builds the role's policy from the calls CloudTrail logged (log files,
directories of them as S3 holds them, gzipped or not, lookup-events output,
or the CSV result of the query --cloudtrail-athena-sql prints), within
--since/--until, with the same proof and formats.

Formats: text (default), json (the policy documents), cloudformation (a
template with the role, its inline policy and parameters), terraform.

The drift gate: generate --check [--dir DIR] POLICY_OR_TEMPLATE... compares
what the workflows need now with the permission policies the repository
keeps for the same roles: JSON policies, CloudFormation templates
(AWS::IAM::Role Policies and ManagedPolicyArns, AWS::IAM::Policy,
ManagedPolicy and RolePolicy) and Terraform files (aws_iam_role with
inline_policy, aws_iam_role_policy, aws_iam_policy with
aws_iam_role_policy_attachment; jsonencode, heredoc JSON or
data.aws_iam_policy_document). Every need must be allowed by the kept
policy (the evaluator decides, as for the proof); what the kept policy
grants beyond the generated one is reported to remove. Roles are paired by
--match NAME=KEPT, else by role name, else a role ARN parameter
({{AWS_ROLE_ARN}}) with the kept role whose name or id is that parameter
(aws_role, AwsRole, aws_role_arn alike), else the one role left on each
side. Parameters the workflows leave open take the values the kept policy
has in their place. Exit status 1 when a role drifted; --format text or
json.

Exit status: 0 when the policies are generated and proven, 1 when the proof
fails (a bug: please report it; no policy is printed then) or a
diagnostic is at or over --fail-on (warning counts every step, command
or call not understood and every trust not written), 2 for bad input.`

func (c *Command) generate(args []string) int {
	f := c.newFlags("generate", "[flags] [DIR]", generateDoc)
	format := f.String("format", "text", "output format: text, json, cloudformation or terraform")
	repo := f.String("repo", "", "the GitHub repository owner/name (default: from the origin remote)")
	var vars stringList
	f.Var(&vars, "var", "value of a parameter `Name=value` (repeatable), such as AWS_ROLE_ARN=arn:aws:iam::123456789012:role/deploy")
	provider := f.Bool("oidc-provider", false, "also create the GitHub OIDC provider (cloudformation, terraform)")
	failOnWarning := f.Bool("fail-on-warning", false, "the same as --fail-on warning")
	failOn := f.String("fail-on", "error", "exit 1 when the analysis reports a `severity` at or over this: error, warning or none (warning counts wide triggers, steps and commands not understood, withheld trusts)")
	defaultBranch := f.String("default-branch", "", "the repository's default branch, for triggers that run on it (schedule, workflow_run, repository_dispatch; default: the checkout's branch)")
	ownerID := f.String("owner-id", "", "the repository owner's numeric id: with --repo-id, trust subjects take GitHub's immutable form repo:OWNER@OWNER_ID/REPO@REPO_ID:...")
	repoID := f.String("repo-id", "", "the repository's numeric id (see --owner-id)")
	bothForms := f.Bool("both-subject-forms", false, "with --owner-id and --repo-id: admit both the classic and the immutable subject form")
	var subjects, assumeSteps, actionSources stringList
	f.Var(&actionSources, "action-source", "a local copy of another repository whose reusable workflows or actions the workflows use: `owner/repo=DIR` (repeatable)")
	f.Var(&subjects, "subject", "a subject `repo:OWNER/REPO:CONTEXT` of a caller of a reusable workflow that no workflow of the repository calls (repeatable)")
	f.Var(&assumeSteps, "assume-step", "what an action that iamfit does not know calls: `owner/action=service:Action[@RESOURCE_ARN][,...]` (repeatable)")
	trail := f.String("cloudtrail", "", "CloudTrail log file or directory `PATH`: build the policy from the calls --principal made instead of from workflows")
	principal := f.String("principal", "", "with --cloudtrail: the role (or user) ARN whose calls to keep")
	since := f.String("since", "", "with --cloudtrail: keep calls at or after this time (RFC 3339, or a duration back from the newest event such as 720h)")
	until := f.String("until", "", "with --cloudtrail: keep calls before this time (RFC 3339)")
	includeDenied := f.Bool("include-denied", false, "with --cloudtrail: also grant the calls that were denied")
	athena := f.Bool("cloudtrail-athena-sql", false, "print the Athena SQL that aggregates --principal's calls in CloudTrail's Athena table; give its CSV result to --cloudtrail")
	athenaTable := f.String("athena-table", "cloudtrail_logs", "with --cloudtrail-athena-sql: the CloudTrail table (db.table)")
	check := f.Bool("check", false, "compare the needs with the permission policies kept in the POLICY_OR_TEMPLATE files given as arguments; exit 1 when they drifted")
	checkDir := f.String("dir", ".", "with --check: the repository `DIR` whose workflows to read")
	var matches stringList
	f.Var(&matches, "match", "with --check: pair a generated role with a kept one, `NAME=KEPT` (role name, ARN or parameter = role name, logical id, Terraform address or file; repeatable)")
	maxResources := f.Int("max-resources", 10, "with --cloudtrail: distinct resources under one path (S3 prefix, ECS cluster) before they are generalised to path/*; 0 never generalises")
	rest, code := f.parse(args)
	if code >= 0 {
		return code
	}
	if *athena {
		return c.athenaSQL(*principal, *since, *until, *athenaTable)
	}
	dir := "."
	var outFormat *render.GenerateFormat
	var checkFormat *render.CheckFormat
	var kept []*drift.Kept
	explicit := map[string]string{}
	if *check {
		if len(rest) == 0 {
			return c.fail("generate", "--check needs the POLICY_OR_TEMPLATE files that keep the roles' policies")
		}
		dir = *checkDir
		var ok bool
		if checkFormat, ok = render.LookupCheck(*format); !ok {
			return c.fail("generate", "--check: unknown --format %q (want %s)", *format, render.CheckNames())
		}
		for _, m := range matches {
			k, v, ok := strings.Cut(m, "=")
			if !ok || k == "" || v == "" {
				return c.fail("generate", "--match %q: want NAME=KEPT", m)
			}
			explicit[k] = v
		}
		for _, path := range rest {
			f, err := c.readInput(path)
			if err != nil {
				return c.fail("generate", "%v", err)
			}
			ks, notes, err := drift.Read(f)
			if err != nil {
				return c.fail("generate", "--check: %v", err)
			}
			for _, d := range notes {
				fmt.Fprintln(c.Stderr, d)
			}
			kept = append(kept, ks...)
		}
		if len(kept) == 0 {
			return c.fail("generate", "--check: the files keep no role's permission policy")
		}
	} else {
		switch len(rest) {
		case 0:
		case 1:
			dir = rest[0]
		default:
			return c.fail("generate", "one DIR at most, got %d", len(rest))
		}
		var ok bool
		if outFormat, ok = render.LookupGenerate(*format); !ok {
			return c.fail("generate", "unknown --format %q (want %s)", *format, render.GenerateNames())
		}
	}
	if *repo != "" && (strings.Count(*repo, "/") != 1 || strings.ContainsAny(*repo, "*?{} :") || strings.HasPrefix(*repo, "/") || strings.HasSuffix(*repo, "/")) {
		return c.fail("generate", "--repo %q: want owner/name, without wildcards", *repo)
	}
	if (*ownerID == "") != (*repoID == "") || !numeric(*ownerID) || !numeric(*repoID) {
		return c.fail("generate", "--owner-id and --repo-id go together, as the numeric ids GitHub shows in the repository's API")
	}
	threshold, ok := severityThreshold(*failOn)
	if !ok {
		return c.fail("generate", "--fail-on %q: want error, warning or none", *failOn)
	}
	if *failOnWarning {
		threshold = source.Warning
	}
	values := map[string]string{}
	for _, kv := range vars {
		k, v, ok := strings.Cut(kv, "=")
		if !ok || k == "" {
			return c.fail("generate", "--var %q: want Name=value", kv)
		}
		if strings.ContainsAny(v, "*?") && strings.Contains(strings.ToLower(k), "repo") {
			return c.fail("generate", "--var %s=%q: a repository is never a pattern", k, v)
		}
		values[k] = v
	}
	declared, err := parseAssumeSteps(assumeSteps)
	if err != nil {
		return c.fail("generate", "%v", err)
	}
	sources := map[string]string{}
	for _, v := range actionSources {
		repo, d, ok := strings.Cut(v, "=")
		if !ok || strings.Count(repo, "/") != 1 || d == "" {
			return c.fail("generate", "--action-source %q: want owner/repo=DIR", v)
		}
		if st, err := os.Stat(d); err != nil || !st.IsDir() {
			return c.fail("generate", "--action-source %s: %s is not a directory", repo, d)
		}
		sources[strings.ToLower(repo)] = d
	}
	cat, err := catalog.Load()
	if err != nil {
		return c.exit("generate", internal(err))
	}
	for name, needs := range declared {
		for _, n := range needs {
			if cat.Action(n.Action) == nil {
				return c.fail("generate", "--assume-step %s: %s is not an IAM action the catalog knows", name, n.Action)
			}
		}
	}
	for _, sub := range subjects {
		if !synth.PinnedSubject(sub) {
			return c.fail("generate", "--subject %q: want repo:OWNER/REPO:CONTEXT with no wildcard in OWNER/REPO (such as repo:octo/app:ref:refs/heads/main)", sub)
		}
	}
	// Reading the repository and proving its roles make much short-lived
	// garbage, in proportion to the workflows.
	defer lessGC()()
	var res *need.Inventory
	var repoTree *tree.Tree
	if *trail != "" {
		if *principal == "" {
			return c.fail("generate", "--cloudtrail needs --principal ROLE_ARN")
		}
		res, err = c.fromCloudTrail(*trail, *principal, *since, *until, *includeDenied, *maxResources, cat)
		if err != nil {
			return c.fail("generate", "%v", err)
		}
	} else {
		scanned, err := scan.Analyze(scan.Options{Dir: dir, Repo: *repo, Vars: values, DefaultBranch: *defaultBranch,
			OwnerID: *ownerID, RepoID: *repoID, BothSubjectForms: *bothForms, Subjects: subjects, AssumeSteps: declared,
			ActionSources: sources})
		if err != nil {
			return c.fail("generate", "%v", err)
		}
		res = scanned.Inventory
		repoTree = scanned.Tree
	}
	// --var fills the parameters the readers made too, not only the
	// expressions' ({{AccountId}}, {{Region}}, a template resource's).
	res.Fill(values)
	errs, over := 0, 0
	for _, d := range res.Diagnostics {
		if d.Severity == source.Error {
			errs++
		}
		if d.Severity >= threshold {
			over++
		}
		fmt.Fprintln(c.Stderr, d)
	}
	if errs > 0 {
		fmt.Fprintf(c.Stderr, "iamfit generate: the inputs have errors; fix them first\n")
		return ExitUsage
	}
	if res.Pipelines == 0 && *trail == "" && len(res.Roles) == 0 {
		// Without workflows, the task definitions' roles alone.
		return c.fail("generate", "no workflows in %s/.github/workflows and no task definition with a role", dir)
	}
	if len(res.Roles) == 0 {
		return c.fail("generate", "no workflow step configures AWS credentials (aws-actions/configure-aws-credentials): there is no role to generate")
	}
	var plans []*synth.Plan
	var proofs []*synth.Proof
	failed := false
	prover := synth.NewProver(cat)
	for _, r := range res.Roles {
		p := synth.Generate(r, res.Repo, cat)
		proof, err := prover.Prove(p)
		if err != nil {
			return c.exit("generate", internal(err))
		}
		if len(proof.Failures()) > 0 {
			failed = true
		}
		plans = append(plans, p)
		proofs = append(proofs, proof)
		if d, ok := sizeWarning(p); ok {
			res.Diagnostics = append(res.Diagnostics, d)
			fmt.Fprintln(c.Stderr, d)
			if d.Severity >= threshold && threshold != source.Severity(-1) {
				over++
			}
		}
	}
	if *check {
		if failed {
			writeProofFailures(c.Stderr, plans, proofs)
			return ExitFindings
		}
		return c.checkDrift(plans, kept, explicit, checkFormat, cat)
	}
	g := &render.Generated{Inventory: res, Plans: plans, Proofs: proofs, Provider: *provider}
	if *trail == "" {
		g.Replacements = synth.Replacements(repoTree, plans, cat)
	}
	var out bytes.Buffer
	if err := outFormat.Write(&out, g); err != nil {
		return c.exit("generate", internal(err))
	}
	if failed {
		// A policy whose proof failed is never printed as if it were good.
		writeProofFailures(c.Stderr, plans, proofs)
		return ExitFindings
	}
	c.Stdout.Write(out.Bytes())
	if nu := res.NotUnderstood(); len(nu) > 0 {
		fmt.Fprintf(c.Stderr, "iamfit generate: %d inputs not understood (listed above): the policies lack whatever they need\n", len(nu))
	}
	if threshold != source.Severity(-1) && over > 0 {
		return ExitFindings
	}
	return ExitOK
}

// checkDrift compares the plans with the kept roles and writes the
// report: exit 1 when a role drifted.
func (c *Command) checkDrift(plans []*synth.Plan, kept []*drift.Kept, explicit map[string]string, format *render.CheckFormat, cat *catalog.Catalog) int {
	rep, diags, err := drift.Check(plans, kept, explicit, cat)
	for _, d := range diags {
		fmt.Fprintln(c.Stderr, d)
	}
	if err != nil {
		return c.fail("generate", "--check: %v", err)
	}
	if len(rep.Results) == 0 {
		return c.fail("generate", "--check: no role the workflows assume is kept in the files given (they keep %s); pair them with --match NAME=KEPT", drift.Names(kept))
	}
	if err := format.Write(c.Stdout, rep); err != nil {
		return c.exit("generate", internal(err))
	}
	if rep.Drifted() {
		return ExitFindings
	}
	return ExitOK
}

// writeProofFailures reports every check that did not come out as it
// must, and that no policy is printed.
func writeProofFailures(w io.Writer, plans []*synth.Plan, proofs []*synth.Proof) {
	for i, p := range proofs {
		for _, f := range p.Failures() {
			fmt.Fprintf(w, "iamfit generate: PROOF FAILED for %s: %s: want %s, got %s (%s); this is a bug in iamfit, please report it\n",
				plans[i].Role.ARN, f.Request, f.Want, f.Got, f.Why)
		}
	}
	fmt.Fprintf(w, "iamfit generate: no policy is printed: a generated policy that fails its proof is not to be used\n")
}

func numeric(s string) bool {
	for _, r := range s {
		if r < '0' || r > '9' {
			return false
		}
	}
	return true
}

// severityThreshold reads a --fail-on value; none is Severity(-1).
func severityThreshold(s string) (source.Severity, bool) {
	switch s {
	case "error":
		return source.Error, true
	case "warning":
		return source.Warning, true
	case "none":
		return source.Severity(-1), true
	}
	return 0, false
}

// parseAssumeSteps reads --assume-step owner/action=service:Action[@ARN],...
func parseAssumeSteps(list []string) (map[string][]need.Need, error) {
	out := map[string][]need.Need{}
	for _, v := range list {
		name, acts, ok := strings.Cut(v, "=")
		if !ok || name == "" || acts == "" || strings.Count(name, "/") < 1 {
			return nil, fmt.Errorf("--assume-step %q: want owner/action=service:Action[@RESOURCE_ARN][,...]", v)
		}
		for _, a := range strings.Split(acts, ",") {
			action, res, _ := strings.Cut(strings.TrimSpace(a), "@")
			if !strings.Contains(action, ":") {
				return nil, fmt.Errorf("--assume-step %q: %q is not service:Action", v, action)
			}
			if res == "" {
				res = "*"
			}
			out[strings.ToLower(name)] = append(out[strings.ToLower(name)], need.Need{Action: action, Resource: res, Why: "declared with --assume-step " + name})
		}
	}
	return out, nil
}

// maxInlinePolicies is what AWS accepts in all of a role's inline
// policies together (IAM quotas: "Role policy size cannot exceed 10,240
// characters"); a managed policy holds 6,144.
const maxInlinePolicies = 10240

// sizeWarning warns when a generated permission policy is larger than
// AWS accepts for a role, which a role shared by many workflows reaches.
func sizeWarning(p *synth.Plan) (source.Diagnostic, bool) {
	if p.Policy == nil {
		return source.Diagnostic{}, false
	}
	data, err := policy.MarshalCompact(p.Policy)
	if err != nil || len(data) <= maxInlinePolicies {
		return source.Diagnostic{}, false
	}
	// At the first step that needs the role (the policy has a statement).
	var file string
	var pos source.Pos
	if len(p.Statements) > 0 && len(p.Statements[0].Needs) > 0 {
		file, pos = p.Statements[0].Needs[0].File, p.Statements[0].Needs[0].Pos
	}
	return source.Diagnostic{Severity: source.Warning, Check: "policy-size", File: file, Pos: pos,
		Message: fmt.Sprintf("the permission policy of %s is %d characters without white space: more than the %d AWS accepts in a role's inline policies (6,144 for one managed policy, IAM quotas); give each workflow its own role, or split it into managed policies", p.Role.ARN, len(data), maxInlinePolicies)}, true
}
