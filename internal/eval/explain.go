package eval

import (
	"github.com/iamfit/iamfit/internal/policy"
)

// StatementCheck says which parts of a statement match a request, for
// explaining why a request is not allowed.
type StatementCheck struct {
	Statement                   *policy.Statement
	Action, Resource, Principal bool
	// Failed are the conditions that do not hold ("StringEquals token...:sub").
	Failed []*policy.Condition
}

// Applies reports whether every part matched.
func (c StatementCheck) Applies() bool {
	return c.Action && c.Resource && c.Principal && len(c.Failed) == 0
}

// Check reports, for each statement of p, which parts match r. Statements
// of resource-side kinds are matched against the principal as well.
func Check(p *Policy, r *Request) []StatementCheck {
	p.compile()
	r.prepare()
	mode := noPrincipal
	switch p.Kind {
	case ResourcePolicy:
		mode = namedPrincipal
	case RCP, EndpointPolicy:
		mode = anyPrincipal
	}
	var out []StatementCheck
	for i := range p.stmts {
		st := &p.stmts[i]
		c := StatementCheck{Statement: st.src, Principal: true}
		c.Action = !st.noAction && st.matchAction(r.actionLC) != st.notAction
		c.Resource = st.anyResource || st.matchResource(r) != st.notResource
		if mode != noPrincipal && (st.principal != nil || mode == namedPrincipal) {
			if st.principal == nil {
				c.Principal = false
			} else {
				g := principalGrant(st.principal, r)
				c.Principal = (g != gNone) != st.notPrinc
			}
		}
		for j := range st.conds {
			if !st.conds[j].eval(r) {
				c.Failed = append(c.Failed, st.conds[j].src)
			}
		}
		out = append(out, c)
	}
	return out
}
