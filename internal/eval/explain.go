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
	// NotInForce, when not empty, says why the policy does not govern the
	// request at all ("SCPs do not apply to service principals, ..."): its
	// statements then apply to nothing, whichever parts match.
	NotInForce string
}

// Applies reports whether the statement applies to the request: the policy
// governs the request and every part matched. It is true exactly for the
// statements that Evaluate lists in Decision.Matches.
func (c StatementCheck) Applies() bool {
	return c.NotInForce == "" && c.Action && c.Resource && c.Principal && len(c.Failed) == 0
}

// Check reports, for each statement of p, which parts match r, with the
// matcher that Evaluate uses and in the context of the Set's other policies
// (a permissions boundary changes what NotPrincipal does). p is taken as
// the kind of the Input field that holds it, or as p.Kind when the Set does
// not hold it.
func (s *Set) Check(p *Policy, r *Request) []StatementCheck {
	p.compile()
	s.setup(r)
	k := s.kindOf(p)
	_, why := s.inForce(k, r)
	mode := modeFor(k)
	out := make([]StatementCheck, 0, len(p.stmts))
	for i := range p.stmts {
		st := &p.stmts[i]
		c := StatementCheck{Statement: st.src, NotInForce: why}
		st.match(r, mode, &c)
		out = append(out, c)
	}
	return out
}

// Check reports, for each statement of p, which parts match r.
//
// When r has been evaluated (or checked) by a Set, Check is that Set's
// Check; otherwise it checks p as if it were the only policy in force.
//
// Deprecated: use Set.Check, which names the policies in force explicitly.
func Check(p *Policy, r *Request) []StatementCheck {
	s := r.set
	if s == nil {
		in := Input{}
		switch p.Kind {
		case IdentityPolicy:
			in.Identity = []*Policy{p}
		case ResourcePolicy:
			in.Resource = []*Policy{p}
		case PermissionsBoundary:
			in.Boundary = []*Policy{p}
		case SessionPolicy:
			in.Session = []*Policy{p}
		case EndpointPolicy:
			in.Endpoint = []*Policy{p}
		case SCP:
			in.SCPs = []Level{{Policies: []*Policy{p}}}
		case RCP:
			in.RCPs = []Level{{Policies: []*Policy{p}}}
		}
		s = Compile(in, nil)
	}
	return s.Check(p, r)
}

// kindOf is the kind of the Input field that holds p, which is how
// evaluation treats it, or p.Kind when the Set does not hold p.
func (s *Set) kindOf(p *Policy) Kind {
	in := &s.in
	has := func(ps []*Policy) bool {
		for _, q := range ps {
			if q == p {
				return true
			}
		}
		return false
	}
	levels := func(ls []Level) bool {
		for _, l := range ls {
			if has(l.Policies) {
				return true
			}
		}
		return false
	}
	switch {
	case has(in.Identity):
		return IdentityPolicy
	case has(in.Resource):
		return ResourcePolicy
	case has(in.Boundary):
		return PermissionsBoundary
	case has(in.Session):
		return SessionPolicy
	case has(in.Endpoint):
		return EndpointPolicy
	case levels(in.SCPs):
		return SCP
	case levels(in.RCPs):
		return RCP
	}
	return p.Kind
}
