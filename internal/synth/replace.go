package synth

import (
	"sort"
	"strings"

	"github.com/iamfit/iamfit/internal/catalog"
	"github.com/iamfit/iamfit/internal/cfn"
	"github.com/iamfit/iamfit/internal/jsonpos"
	"github.com/iamfit/iamfit/internal/policy"
	"github.com/iamfit/iamfit/internal/source"
	"github.com/iamfit/iamfit/internal/tree"
)

// Replacement proposes, for a task role declared in a CloudFormation
// template, the generated statements in place of the template's grants.
type Replacement struct {
	File     string
	Pos      source.Pos
	Resource string   // the template's logical id
	RoleName string   // as written, with ${Param} placeholders
	Envs     []string // allowed values of the parameter in the role name
	Current  []string // "sqs:* on *" for each statement
	Plan     *Plan
	// Removed counts the actions the template grants that the replacement
	// does not, by service.
	Removed map[string]int
}

// Replacements finds, in the repository, CloudFormation templates whose ECS task
// roles match generated task roles by name, and compares their grants.
func Replacements(t *tree.Tree, plans []*Plan, cat *catalog.Catalog) []Replacement {
	var out []Replacement
	if t == nil {
		return nil
	}
	cfn.Templates(t, nil, func(_ *source.File, t *cfn.Template, err error) {
		if err == nil {
			out = append(out, replacementsIn(t, plans, cat)...)
		}
	})
	return out
}

func replacementsIn(t *cfn.Template, plans []*Plan, cat *catalog.Catalog) []Replacement {
	var out []Replacement
	res := t.Root.Get("Resources")
	if res == nil {
		return nil
	}
	params := t.Parameters()
	for _, m := range res.Members {
		typ := m.Value.Get("Type")
		props := m.Value.Get("Properties")
		if typ == nil || typ.Str != "AWS::IAM::Role" || props == nil {
			continue
		}
		trust := props.Get("AssumeRolePolicyDocument")
		if trust == nil || !strings.Contains(jsonText(trust), "ecs-tasks.amazonaws.com") {
			continue
		}
		name := ""
		if n := props.Get("RoleName"); n != nil && n.Kind == jsonpos.String {
			name = n.Str
		}
		plan := matchPlan(name, m.Key, plans)
		if plan == nil {
			continue
		}
		r := Replacement{File: t.File.Name, Pos: t.File.Position(m.KeyOffset), Resource: m.Key, RoleName: name,
			Plan: plan, Removed: map[string]int{}}
		for p, vals := range params {
			if strings.Contains(name, "${"+p+"}") {
				r.Envs = vals
			}
		}
		granted := map[*catalog.Action]bool{}
		if pols := props.Get("Policies"); pols != nil {
			for _, pd := range pols.Elems {
				doc := pd.Get("PolicyDocument")
				if doc == nil {
					continue
				}
				pol, _ := policy.ParseValue(t.File, doc, policy.Identity)
				if pol == nil {
					continue
				}
				for _, s := range pol.Statements {
					if s.Effect != policy.Allow || s.Action == nil {
						continue
					}
					var acts, ress []string
					for _, a := range s.Action.Values {
						acts = append(acts, a.Value)
						if as, err := cat.Expand(a.Value); err == nil {
							for _, x := range as {
								granted[x] = true
							}
						}
					}
					if s.Resource != nil {
						for _, v := range s.Resource.Values {
							ress = append(ress, v.Value)
						}
					}
					r.Current = append(r.Current, strings.Join(acts, ", ")+" on "+strings.Join(ress, ", "))
				}
			}
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
