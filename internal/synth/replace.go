package synth

import (
	"fmt"
	"sort"
	"strings"

	"github.com/iamfit/iamfit/internal/catalog"
	"github.com/iamfit/iamfit/internal/cfn"
	"github.com/iamfit/iamfit/internal/jsonpos"
	"github.com/iamfit/iamfit/internal/need"
	"github.com/iamfit/iamfit/internal/policy"
	"github.com/iamfit/iamfit/internal/source"
	"github.com/iamfit/iamfit/internal/tree"
)

// Replacement proposes, for a task or execution role declared in a
// CloudFormation template or a Terraform configuration, the generated
// statements in place of what the template grants it.
type Replacement struct {
	// Source is "CloudFormation" or "Terraform".
	Source   string
	File     string
	Pos      source.Pos
	Resource string   // the template's logical id
	RoleName string   // as written, with ${Param} placeholders; "" when generated
	Envs     []string // allowed values of the parameter in the role name
	// MatchedBy says how the role was found to be the generated one when
	// it is not by its name: "the TaskRoleArn of TaskDefinition, file:line",
	// "the export ${Env}:TaskRole, file:line, that its task definitions import".
	MatchedBy string
	// Current lists what the template grants now: "sqs:* on *" for each
	// statement of the role's Policies, "AppPolicy (AWS::IAM::Policy):
	// dynamodb:* on *" for a policy resource attached to it, a managed
	// policy by its ARN.
	Current []string
	// Replace names what to change: "its Policies", each policy resource
	// ("AppPolicy (AWS::IAM::Policy)"), "its ManagedPolicyArns".
	Replace []string
	// Shared lists the policy resources that are also attached to other
	// roles: detach them from this one rather than rewrite them.
	Shared []string
	// Unread are the managed policies whose documents the repository does
	// not hold: what they grant is not counted in Removed.
	Unread []string
	// Elsewhere are the policy resources of other files that attach to
	// the role (Terraform): what they grant is not counted in Removed.
	Elsewhere []string
	Plan      *Plan
	// Removed counts the actions the template grants that the replacement
	// does not, by service.
	Removed map[string]int
}

// Replacements finds, in the repository, CloudFormation templates and
// Terraform configurations whose ECS task and execution roles are
// generated roles, and compares their grants. A
// template role is a generated role when a task definition of the same
// template references it (TaskRoleArn: !GetAtt TaskRole.Arn or !Ref
// TaskRole), when a task definition imports it from this template's
// exports (Fn::ImportValue of an Output whose Value is !GetAtt
// TaskRole.Arn), or, for task roles, by its name or logical id.
func Replacements(t *tree.Tree, plans []*Plan, cat *catalog.Catalog) []Replacement {
	var out []Replacement
	if t == nil {
		return nil
	}
	var tpls []*cfn.Template
	var exports cfn.Exports
	cfn.Templates(t, nil, func(_ *source.File, t *cfn.Template, err error) {
		if err == nil {
			tpls = append(tpls, t)
			exports.Add(t)
		}
	})
	for _, tpl := range tpls {
		out = append(out, replacementsIn(tpl, plans, &exports, cat)...)
	}
	return append(out, terraformReplacements(t, plans, cat)...)
}

// roleUse is a task definition's reference to a role of its template.
type roleUse struct {
	kind  need.Kind
	where string // "the TaskRoleArn of TaskDefinition, file:line"
	more  int    // other task definitions that reference it
}

// roleUses finds the template's task definitions' references to its
// roles, by role logical id.
func roleUses(t *cfn.Template) map[string]roleUse {
	out := map[string]roleUse{}
	res := t.Root.Get("Resources")
	if res == nil || res.Kind != jsonpos.Object {
		return out
	}
	for _, m := range res.Members {
		typ, props := m.Value.Get("Type"), m.Value.Get("Properties")
		if typ == nil || typ.Str != "AWS::ECS::TaskDefinition" || props == nil {
			continue
		}
		for _, p := range []struct {
			prop string
			kind need.Kind
		}{{"TaskRoleArn", need.Task}, {"ExecutionRoleArn", need.Execution}} {
			v := props.Get(p.prop)
			if v == nil || v.Kind != jsonpos.String {
				continue
			}
			id, ok := cfn.RoleRef(v.Str)
			if !ok {
				continue
			}
			if u, seen := out[id]; seen {
				u.more++
				out[id] = u
				continue
			}
			out[id] = roleUse{kind: p.kind, where: fmt.Sprintf("the %s of %s, %s:%d", p.prop, m.Key, t.File.Name, t.File.Position(v.Offset).Line)}
		}
	}
	return out
}

func replacementsIn(t *cfn.Template, plans []*Plan, exports *cfn.Exports, cat *catalog.Catalog) []Replacement {
	var out []Replacement
	roles, others := t.Roles()
	if len(roles) == 0 {
		return nil
	}
	params := t.Parameters()
	uses := roleUses(t)
	// attached counts the roles each policy resource is attached to.
	attached := map[*jsonpos.Value]int{}
	for _, r := range roles {
		for _, p := range r.Policies {
			attached[p.Doc]++
		}
	}
	for _, a := range others {
		attached[a.Policy.Doc] += len(a.Roles)
	}
	for _, role := range roles {
		plan, matchedBy := referencedPlan(t, role, uses, plans, exports)
		if plan == nil {
			if role.Trust == nil || !strings.Contains(jsonText(role.Trust), "ecs-tasks.amazonaws.com") {
				continue
			}
			if plan = matchPlan(role.Name, role.ID, plans); plan == nil {
				continue
			}
		}
		r := Replacement{Source: "CloudFormation", File: t.File.Name, Pos: t.File.Position(role.KeyOffset), Resource: role.ID, RoleName: role.Name,
			MatchedBy: matchedBy, Plan: plan, Removed: map[string]int{}}
		for p, vals := range params {
			if strings.Contains(role.Name, "${"+p+"}") {
				r.Envs = vals
			}
		}
		granted := map[*catalog.Action]bool{}
		grant := func(acts []string) {
			for _, a := range acts {
				if as, err := cat.Expand(a); err == nil {
					for _, x := range as {
						granted[x] = true
					}
				}
			}
		}
		own := false
		for _, pd := range role.Policies {
			prefix := ""
			if pd.HolderType == "AWS::IAM::Role" {
				own = true
			} else {
				prefix = pd.Where() + ": "
				r.Replace = append(r.Replace, pd.Where())
				if attached[pd.Doc] > 1 {
					r.Shared = append(r.Shared, pd.Where())
				}
			}
			pol, _ := policy.ParseValue(t.File, pd.Doc, policy.Identity)
			if pol == nil {
				continue
			}
			r.Current = append(r.Current, allowed(pol, prefix, grant)...)
		}
		if own {
			r.Replace = append([]string{"its Policies"}, r.Replace...)
		}
		for _, a := range role.Managed {
			if isManagedExecutionPolicy(a) {
				grant(catalog.ManagedExecutionPolicy)
				r.Current = append(r.Current, "AmazonECSTaskExecutionRolePolicy (AWS managed): "+strings.Join(catalog.ManagedExecutionPolicy, ", ")+" on *")
			} else {
				r.Current = append(r.Current, a+" (a managed policy whose document the repository does not hold)")
				r.Unread = append(r.Unread, a)
			}
		}
		if len(role.Managed) > 0 {
			r.Replace = append(r.Replace, "its ManagedPolicyArns")
		}
		kept := map[string]bool{}
		for _, st := range plan.Statements {
			for _, a := range st.Actions {
				kept[strings.ToLower(a)] = true
			}
		}
		for a := range granted {
			if !kept[strings.ToLower(a.String())] {
				r.Removed[a.Service.Key]++
			}
		}
		out = append(out, r)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Pos.Line < out[j].Pos.Line })
	return out
}

// referencedPlan finds the generated role a template role is by
// reference: the role a task definition of the template names with
// !GetAtt Role.Arn or !Ref Role (the generated role's ARN is then the
// parameter {{Role.Arn}}, or {{TemplateRole.Arn}} when other templates
// use the logical id too), or the role an Fn::ImportValue
// reads from this template's exports ({{ImportValue...}}).
func referencedPlan(t *cfn.Template, role *cfn.Role, uses map[string]roleUse, plans []*Plan, exports *cfn.Exports) (*Plan, string) {
	if u, ok := uses[role.ID]; ok {
		for _, p := range plans {
			if usedAs(p.Role, u.kind) && (p.Role.ARN == need.Param(role.ID+".Arn") || p.Role.ARN == need.Param(t.Qualifier()+role.ID+".Arn")) {
				if u.more > 0 {
					return p, fmt.Sprintf("%s, and of %d more", u.where, u.more)
				}
				return p, u.where
			}
		}
	}
	for _, p := range plans {
		if !p.Role.IsTask() && p.Role.Kind != need.Execution || !need.IsParam(p.Role.ARN) {
			continue
		}
		name := strings.TrimSuffix(strings.TrimPrefix(p.Role.ARN, "{{"), "}}")
		x, ok := exports.Export(name)
		if !ok || x.Template != t {
			continue
		}
		if id, ok := cfn.RoleRef(x.Value); ok && id == role.ID {
			return p, fmt.Sprintf("the export %s, %s:%d, that its task definitions import", x.Name, t.File.Name, x.Pos.Line)
		}
	}
	return nil, ""
}

// usedAs reports whether a generated role serves as the kind of role a
// task definition property names: an execution role that task
// definitions also name as their task role serves as both.
func usedAs(r *need.Role, kind need.Kind) bool {
	if kind == need.Task {
		return r.IsTask()
	}
	return r.Kind == kind
}

// isManagedExecutionPolicy reports whether a ManagedPolicyArns entry is
// the AWS managed AmazonECSTaskExecutionRolePolicy, in any partition.
func isManagedExecutionPolicy(a string) bool {
	return strings.HasPrefix(a, "arn:") && strings.HasSuffix(a, ":iam::aws:policy/service-role/AmazonECSTaskExecutionRolePolicy")
}

// matchPlan finds the generated task role a template role stands for: by
// role name without its ${...} parts ("shop-backend-task-${EnvType}" is
// shop-backend-task), else by logical id ("BackendTaskRole").
func matchPlan(roleName, logicalID string, plans []*Plan) *Plan {
	norm := func(s string) string {
		var b strings.Builder
		for _, r := range strings.ToLower(s) {
			if r >= 'a' && r <= 'z' || r >= '0' && r <= '9' {
				b.WriteRune(r)
			}
		}
		return b.String()
	}
	stripped := roleName
	for {
		i := strings.Index(stripped, "${")
		if i < 0 {
			break
		}
		j := strings.IndexByte(stripped[i:], '}')
		if j < 0 {
			break
		}
		stripped = stripped[:i] + stripped[i+j+1:]
	}
	stripped = strings.Trim(stripped, "-_.")
	for _, p := range plans {
		if !p.Role.IsTask() {
			continue
		}
		if stripped != "" && norm(p.Role.Name()) == norm(stripped) {
			return p
		}
	}
	id := norm(strings.TrimSuffix(logicalID, "Role"))
	for _, p := range plans {
		if p.Role.IsTask() && id != "" && strings.HasSuffix(norm(p.Role.Name()), id) {
			return p
		}
	}
	return nil
}

func jsonText(v *jsonpos.Value) string {
	var b strings.Builder
	var walk func(*jsonpos.Value)
	walk = func(v *jsonpos.Value) {
		switch v.Kind {
		case jsonpos.String:
			b.WriteString(v.Str + " ")
		case jsonpos.Array:
			for _, e := range v.Elems {
				walk(e)
			}
		case jsonpos.Object:
			for _, m := range v.Members {
				b.WriteString(m.Key + " ")
				walk(m.Value)
			}
		}
	}
	walk(v)
	return b.String()
}

// allowed describes the Allow statements of a role's current policy, one
// line each ("prefix" + actions + " on " + resources), and hands their
// actions to grant.
func allowed(pol *policy.Policy, prefix string, grant func([]string)) []string {
	var out []string
	for _, s := range pol.Statements {
		if s.Effect != policy.Allow || s.Action == nil {
			continue
		}
		var acts, ress []string
		for _, a := range s.Action.Values {
			acts = append(acts, a.Value)
		}
		grant(acts)
		if s.Resource != nil {
			for _, v := range s.Resource.Values {
				ress = append(ress, v.Value)
			}
		}
		out = append(out, prefix+strings.Join(acts, ", ")+" on "+strings.Join(ress, ", "))
	}
	return out
}
