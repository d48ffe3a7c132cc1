package render

import (
	"encoding/json"
	"fmt"
	"io"
	"sort"
	"strings"

	"github.com/iamfit/iamfit/internal/ecs"
	"github.com/iamfit/iamfit/internal/need"
	"github.com/iamfit/iamfit/internal/policy"
	"github.com/iamfit/iamfit/internal/synth"
)

// Generated is what generate writes: the inventory the readers made, the
// plan and proof of each role, and the replacement proposals for the
// task roles of CloudFormation templates.
type Generated struct {
	Inventory    *need.Inventory
	Plans        []*synth.Plan
	Proofs       []*synth.Proof
	Replacements []synth.Replacement
	// Provider also creates the GitHub OIDC provider (CloudFormation,
	// Terraform).
	Provider bool
}

// GenerateFormat writes generate's result in one format.
type GenerateFormat struct {
	Name  string
	Write func(w io.Writer, g *Generated) error
}

func (f *GenerateFormat) formatName() string { return f.Name }

// GenerateFormats are generate's formats.
var GenerateFormats = []*GenerateFormat{
	{Name: "text", Write: generateText},
	{Name: "json", Write: generateJSON},
	{Name: "cloudformation", Write: func(w io.Writer, g *Generated) error { return CloudFormation(w, g.Plans, g.Provider) }},
	{Name: "terraform", Write: func(w io.Writer, g *Generated) error { return Terraform(w, g.Plans, g.Provider) }},
}

// LookupGenerate returns generate's format of that name.
func LookupGenerate(name string) (*GenerateFormat, bool) { return lookup(GenerateFormats, name) }

// GenerateNames lists generate's formats for help and errors.
func GenerateNames() string { return names(GenerateFormats) }

func generateText(w io.Writer, g *Generated) error {
	textRoles(w, g)
	replacements(w, g.Replacements)
	return nil
}

// textRoles writes each role: who assumes it, each statement with the
// inputs that need it, the parameters, the proof and the policies.
func textRoles(w io.Writer, g *Generated) {
	plans, proofs := g.Plans, g.Proofs
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
			managedComparison(w, p)
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
			IndentedPolicy(w, p.Trust)
		}
		if p.Policy != nil {
			fmt.Fprintf(w, "\nPermission policy:\n")
			IndentedPolicy(w, p.Policy)
		}
	}
}

type jsonRole struct {
	Role             string          `json:"role"`
	AssumedBy        string          `json:"assumedBy,omitempty"`
	TrustPolicy      json.RawMessage `json:"trustPolicy"`
	PermissionPolicy json.RawMessage `json:"permissionPolicy"`
	Parameters       []string        `json:"parameters"`
}

func generateJSON(w io.Writer, g *Generated) error {
	res, plans := g.Inventory, g.Plans
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
func managedComparison(w io.Writer, p *synth.Plan) {
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
func replacements(w io.Writer, reps []synth.Replacement) {
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
