package cli

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"sort"
	"strings"

	"github.com/iamfit/iamfit/internal/catalog"
	"github.com/iamfit/iamfit/internal/ecs"
	"github.com/iamfit/iamfit/internal/need"
	"github.com/iamfit/iamfit/internal/policy"
	"github.com/iamfit/iamfit/internal/render"
	"github.com/iamfit/iamfit/internal/scan"
	"github.com/iamfit/iamfit/internal/source"
	"github.com/iamfit/iamfit/internal/synth"
)

const generateDoc = `
Read a repository's GitHub Actions workflows (.github/workflows/*.yml) and
generate, for each role they assume, the OIDC trust policy and the
permission policy they need: every statement with the file:line of the steps
that need it, proven with the evaluator (every call allowed; calls on other
resources, other repositories and other branches denied).

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

Exit status: 0 when the policies are generated and proven, 1 when the proof
fails (a bug: please report it; no policy is printed then) or
--fail-on-warning finds warnings, 2 for bad input.`

func (c *Command) generate(args []string) int {
	f := c.newFlags("generate", "[flags] [DIR]", generateDoc)
	format := f.String("format", "text", "output format: text, json, cloudformation or terraform")
	repo := f.String("repo", "", "the GitHub repository owner/name (default: from the origin remote)")
	var vars stringList
	f.Var(&vars, "var", "value of a parameter `Name=value` (repeatable), such as AWS_ROLE_ARN=arn:aws:iam::123456789012:role/deploy")
	provider := f.Bool("oidc-provider", false, "also create the GitHub OIDC provider (cloudformation, terraform)")
	failOnWarning := f.Bool("fail-on-warning", false, "exit 1 when the analysis reports warnings (wide triggers, unknown steps)")
	trail := f.String("cloudtrail", "", "CloudTrail log file or directory `PATH`: build the policy from the calls --principal made instead of from workflows")
	principal := f.String("principal", "", "with --cloudtrail: the role (or user) ARN whose calls to keep")
	since := f.String("since", "", "with --cloudtrail: keep calls at or after this time (RFC 3339, or a duration back from the newest event such as 720h)")
	until := f.String("until", "", "with --cloudtrail: keep calls before this time (RFC 3339)")
	includeDenied := f.Bool("include-denied", false, "with --cloudtrail: also grant the calls that were denied")
	athena := f.Bool("cloudtrail-athena-sql", false, "print the Athena SQL that aggregates --principal's calls in CloudTrail's Athena table; give its CSV result to --cloudtrail")
	athenaTable := f.String("athena-table", "cloudtrail_logs", "with --cloudtrail-athena-sql: the CloudTrail table (db.table)")
	maxResources := f.Int("max-resources", 10, "with --cloudtrail: distinct resources under one path (S3 prefix, ECS cluster) before they are generalised to path/*; 0 never generalises")
	rest, code := f.parse(args)
	if code >= 0 {
		return code
	}
	if *athena {
		return c.athenaSQL(*principal, *since, *until, *athenaTable)
	}
	dir := "."
	switch len(rest) {
	case 0:
	case 1:
		dir = rest[0]
	default:
		return c.fail("generate", "one DIR at most, got %d", len(rest))
	}
	switch *format {
	case "text", "json", "cloudformation", "terraform":
	default:
		return c.fail("generate", "unknown --format %q (want text, json, cloudformation or terraform)", *format)
	}
	if *repo != "" && strings.Count(*repo, "/") != 1 {
		return c.fail("generate", "--repo %q: want owner/name", *repo)
	}
	values := map[string]string{}
	for _, kv := range vars {
		k, v, ok := strings.Cut(kv, "=")
		if !ok || k == "" {
			return c.fail("generate", "--var %q: want Name=value", kv)
		}
		values[k] = v
	}
	cat, err := catalog.Load()
	if err != nil {
		return c.exit("generate", internal(err))
	}
	var res *need.Inventory
	if *trail != "" {
		if *principal == "" {
			return c.fail("generate", "--cloudtrail needs --principal ROLE_ARN")
		}
		res, err = c.fromCloudTrail(*trail, *principal, *since, *until, *includeDenied, *maxResources, cat)
		if err != nil {
			return c.fail("generate", "%v", err)
		}
	} else {
		scanned, err := scan.Analyze(scan.Options{Dir: dir, Repo: *repo, Vars: values})
		if err != nil {
			return c.fail("generate", "%v", err)
		}
		res = scanned.Inventory
	}
	errs, warns := 0, 0
	for _, d := range res.Diagnostics {
		if d.Severity == source.Error {
			errs++
		} else {
			warns++
		}
		fmt.Fprintln(c.Stderr, d)
	}
	if errs > 0 {
		fmt.Fprintf(c.Stderr, "iamfit generate: the inputs have errors; fix them first\n")
		return ExitUsage
	}
	if res.Pipelines == 0 && *trail == "" {
		return c.fail("generate", "no workflows in %s/.github/workflows", dir)
	}
	if len(res.Roles) == 0 {
		return c.fail("generate", "no workflow step configures AWS credentials (aws-actions/configure-aws-credentials): there is no role to generate")
	}
	var plans []*synth.Plan
	var proofs []*synth.Proof
	failed := false
	for _, r := range res.Roles {
		p := synth.Generate(r, res.Repo, cat)
		proof, err := synth.Prove(p, cat)
		if err != nil {
			return c.exit("generate", internal(err))
		}
		if len(proof.Failures()) > 0 {
			failed = true
		}
		plans = append(plans, p)
		proofs = append(proofs, proof)
	}
	var out bytes.Buffer
	switch *format {
	case "text":
		writeText(&out, res, plans, proofs)
		if *trail == "" {
			writeReplacements(&out, synth.Replacements(dir, plans, cat))
		}
	case "json":
		err = writeJSON(&out, res, plans)
	case "cloudformation":
		err = render.CloudFormation(&out, plans, *provider)
	case "terraform":
		err = render.Terraform(&out, plans, *provider)
	}
	if err != nil {
		return c.exit("generate", internal(err))
	}
	if failed {
		// A policy whose proof failed is never printed as if it were good.
		writeProofFailures(c.Stderr, plans, proofs)
		return ExitFindings
	}
	c.Stdout.Write(out.Bytes())
	if *failOnWarning && warns > 0 {
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

func writeText(w io.Writer, res *need.Inventory, plans []*synth.Plan, proofs []*synth.Proof) {
	for i, p := range plans {
		if i > 0 {
			fmt.Fprintln(w)
		}
		r := p.Role
		fmt.Fprintf(w, "Role %s\n", r.ARN)
		if len(r.Jobs) > 0 {
			fmt.Fprintf(w, "  assumed by: %s\n", strings.Join(r.Jobs, ", "))
		}
		if r.AssumedBy != "" {
			fmt.Fprintf(w, "  assumed from role: %s\n", r.AssumedBy)
		}
		switch r.Kind {
		case need.Execution:
			fmt.Fprintf(w, "  the task execution role: ECS uses it to start the tasks (pull images, write logs, read secrets)\n")
		case need.Task:
			fmt.Fprintf(w, "  the task role: the application uses it\n")
		}
		fmt.Fprintf(w, "\nTrust: who may assume it\n")
		if p.Trust == nil {
			fmt.Fprintf(w, "  not derived: the role exists; its usage shows what it calls, not who assumes it\n")
		} else if r.Service != "" {
			fmt.Fprintf(w, "  the service %s, for tasks of account %s (aws:SourceAccount, aws:SourceArn)\n", r.Service, r.Account)
		} else if r.OIDC {
			fmt.Fprintf(w, "  GitHub Actions OIDC, audience sts.amazonaws.com, repository %s\n", p.Repo)
			for _, s := range p.Subjects {
				fmt.Fprintf(w, "  %-52s %s:%d  %s\n", s.Value, s.File, s.Pos.Line, s.Why)
			}
		} else {
			fmt.Fprintf(w, "  the role %s (sts:AssumeRole, sts:TagSession)\n", r.AssumedBy)
		}
		if len(p.Statements) == 0 {
			fmt.Fprintf(w, "\nPermissions: none needed")
			if r.Kind == need.Task {
				fmt.Fprintf(w, " (no AWS SDK call found in the application source)")
			}
			fmt.Fprintln(w)
		} else {
			fmt.Fprintf(w, "\nPermissions: each statement and the %s that need it\n", map[bool]string{true: "steps", false: "inputs"}[r.Kind == need.Deploy])
		}
		for _, st := range p.Statements {
			fmt.Fprintf(w, "  %s: %s\n", st.Sid, strings.Join(st.Actions, ", "))
			fmt.Fprintf(w, "    on %s\n", strings.Join(st.Resources, ", "))
			for _, c := range st.Conditions {
				fmt.Fprintf(w, "    if %s %s = %s\n", c.Op, c.Key, strings.Join(c.Values, " or "))
			}
			for _, n := range st.Notes {
				fmt.Fprintf(w, "    note: %s\n", n)
			}
			seen := map[string]bool{}
			for _, n := range st.Needs {
				line := fmt.Sprintf("    %s  %s", n.Where(), n.Why)
				if !seen[line] {
					seen[line] = true
					fmt.Fprintln(w, line)
				}
			}
		}
		if r.Kind == need.Execution {
			writeManagedComparison(w, p)
		}
		if len(p.Params) > 0 {
			fmt.Fprintf(w, "\nParameters the inputs do not determine (give them with --var Name=value):\n")
			for _, x := range p.Params {
				fmt.Fprintf(w, "  {{%s}}\n", x)
			}
		}
		pr := proofs[i]
		okNeeds, okProbes := 0, 0
		for _, c := range pr.Needs {
			if c.OK() {
				okNeeds++
			}
		}
		for _, c := range pr.Probes {
			if c.OK() {
				okProbes++
			}
		}
		fmt.Fprintf(w, "\nProof: %d/%d needed calls allowed, %d/%d probes denied (other resources, conditions, repositories, branches, audiences)\n",
			okNeeds, len(pr.Needs), okProbes, len(pr.Probes))
		if p.Trust != nil {
			fmt.Fprintf(w, "\nTrust policy:\n")
			writeIndented(w, p.Trust)
		}
		if p.Policy != nil {
			fmt.Fprintf(w, "\nPermission policy:\n")
			writeIndented(w, p.Policy)
		}
	}
}

func writeIndented(w io.Writer, p *policy.Policy) {
	data, err := policy.Marshal(p)
	if err != nil {
		fmt.Fprintf(w, "  (cannot render: %v)\n", err)
		return
	}
	for _, line := range strings.Split(strings.TrimRight(string(data), "\n"), "\n") {
		fmt.Fprintf(w, "  %s\n", line)
	}
}

type jsonRole struct {
	Role             string          `json:"role"`
	AssumedBy        string          `json:"assumedBy,omitempty"`
	TrustPolicy      json.RawMessage `json:"trustPolicy"`
	PermissionPolicy json.RawMessage `json:"permissionPolicy"`
	Parameters       []string        `json:"parameters"`
}

func writeJSON(w io.Writer, res *need.Inventory, plans []*synth.Plan) error {
	out := struct {
		Repository string     `json:"repository"`
		Roles      []jsonRole `json:"roles"`
	}{Repository: res.Repo}
	for _, p := range plans {
		var err error
		tp := json.RawMessage("null")
		if p.Trust != nil {
			if tp, err = policy.MarshalCompact(p.Trust); err != nil {
				return err
			}
		}
		pp := json.RawMessage("null")
		if p.Policy != nil {
			if pp, err = policy.MarshalCompact(p.Policy); err != nil {
				return err
			}
		}
		params := append([]string{}, p.Params...)
		sort.Strings(params)
		out.Roles = append(out.Roles, jsonRole{Role: p.Role.ARN, AssumedBy: p.Role.AssumedBy, TrustPolicy: tp, PermissionPolicy: pp, Parameters: params})
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(out)
}

// writeManagedComparison says what the generated execution role removes
// from, scopes down from, and adds to AmazonECSTaskExecutionRolePolicy.
func writeManagedComparison(w io.Writer, p *synth.Plan) {
	granted := map[string][]string{} // action -> resources
	for _, st := range p.Statements {
		for _, a := range st.Actions {
			granted[a] = append(granted[a], st.Resources...)
		}
	}
	fmt.Fprintf(w, "\nCompared with AmazonECSTaskExecutionRolePolicy (%s on \"*\"):\n", strings.Join(ecs.ManagedExecutionPolicy, ", "))
	managed := map[string]bool{}
	for _, a := range ecs.ManagedExecutionPolicy {
		managed[a] = true
		res, ok := granted[a]
		switch {
		case !ok:
			fmt.Fprintf(w, "  removed: %s (starting these tasks does not call it)\n", a)
		case len(res) == 1 && res[0] == "*":
			fmt.Fprintf(w, "  kept on \"*\": %s (no resource types)\n", a)
		default:
			fmt.Fprintf(w, "  scoped: %s from \"*\" to %s\n", a, strings.Join(res, ", "))
		}
	}
	var added []string
	for a := range granted {
		if !managed[a] {
			added = append(added, a)
		}
	}
	sort.Strings(added)
	if len(added) > 0 {
		fmt.Fprintf(w, "  added: %s (the managed policy lacks them: the tasks would fail to start with it alone)\n", strings.Join(added, ", "))
	}
	if _, sm := granted["secretsmanager:GetSecretValue"]; sm || len(granted["ssm:GetParameters"]) > 0 {
		fmt.Fprintf(w, "  note: a secret or SecureString encrypted with a customer managed KMS key also needs kms:Decrypt on that key, with \"kms:ViaService\" = \"secretsmanager.REGION.amazonaws.com\" or \"ssm.REGION.amazonaws.com\"; the task definition does not name the key\n")
	}
}

// writeReplacements proposes the generated task role statements in place
// of the broad grants of task roles declared in CloudFormation templates.
func writeReplacements(w io.Writer, reps []synth.Replacement) {
	for _, r := range reps {
		fmt.Fprintf(w, "\nCloudFormation %s:%d: %s (%s) is the task role %s\n", r.File, r.Pos.Line, r.Resource, r.RoleName, r.Plan.Role.ARN)
		fmt.Fprintf(w, "  grants now:\n")
		for _, c := range r.Current {
			fmt.Fprintf(w, "    %s\n", c)
		}
		fmt.Fprintf(w, "  replace its policies with the permission policy generated above for %s", r.Plan.Role.Name())
		if r.Plan.Policy == nil {
			fmt.Fprintf(w, " (none: the code makes no AWS call)")
		}
		fmt.Fprintln(w)
		if len(r.Envs) > 0 {
			fmt.Fprintf(w, "  for each environment (%s) alike: the task definitions name the same resources in every environment; where they differ, make them template parameters\n", strings.Join(r.Envs, ", "))
		}
		names := make([]string, 0, len(r.Removed))
		for svc := range r.Removed {
			names = append(names, svc)
		}
		sort.Strings(names)
		var svcs []string
		total := 0
		for _, svc := range names {
			svcs = append(svcs, fmt.Sprintf("%d %s", r.Removed[svc], svc))
			total += r.Removed[svc]
		}
		if total > 0 {
			fmt.Fprintf(w, "  this removes %d actions the code never calls: %s\n", total, strings.Join(svcs, ", "))
		}
	}
}
