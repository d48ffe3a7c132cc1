package need

import "strings"

// Fill puts the values given for parameters (--var Name=value) in place of
// their {{Name}}s everywhere in the roles: ARNs, accounts, regions, needs'
// resources, conditions and context, subjects and the texts that say why.
// Expressions (vars.X, secrets.X, inputs.X) take the values as the
// workflows are read; Fill covers the parameters the readers make
// themselves ({{AccountId}}, {{Region}}, a CloudFormation resource's
// {{LogicalId}}). Roles that become one ARN become one role.
func (inv *Inventory) Fill(values map[string]string) {
	if len(values) == 0 {
		return
	}
	fill := func(s string) string {
		if !strings.Contains(s, "{{") {
			return s
		}
		return paramRe().ReplaceAllStringFunc(s, func(m string) string {
			if v, ok := values[m[2:len(m)-2]]; ok {
				return v
			}
			return m
		})
	}
	var set RoleSet
	for _, r := range inv.Roles {
		r.ARN, r.Account, r.Region, r.AssumedBy = fill(r.ARN), fill(r.Account), fill(r.Region), fill(r.AssumedBy)
		for i := range r.Needs {
			n := &r.Needs[i]
			n.Resource, n.Why = fill(n.Resource), fill(n.Why)
			if len(n.Conditions) > 0 {
				cs := make([]Cond, len(n.Conditions))
				for j, c := range n.Conditions {
					c.Values = append([]string(nil), c.Values...)
					for k := range c.Values {
						c.Values[k] = fill(c.Values[k])
					}
					cs[j] = c
				}
				n.Conditions = cs
			}
			if len(n.Context) > 0 {
				ctx := make(map[string]string, len(n.Context))
				for k, v := range n.Context {
					ctx[k] = fill(v)
				}
				n.Context = ctx
			}
		}
		for i := range r.Subjects {
			r.Subjects[i].Value, r.Subjects[i].Why = fill(r.Subjects[i].Value), fill(r.Subjects[i].Why)
		}
		if first, ok := set.byARN[r.ARN]; ok {
			first.Needs = append(first.Needs, r.Needs...)
			for _, s := range r.Subjects {
				if !hasSubject(first.Subjects, s.Value) {
					first.Subjects = append(first.Subjects, s)
				}
			}
			first.Jobs = append(first.Jobs, r.Jobs...)
			continue
		}
		set.Add(r)
	}
	inv.Roles = set.List()
}

func hasSubject(subs []Subject, v string) bool {
	for _, s := range subs {
		if s.Value == v {
			return true
		}
	}
	return false
}
