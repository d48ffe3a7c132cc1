package eval

// principalMode says how a policy kind treats the Principal element.
type principalMode int

const (
	noPrincipal    principalMode = iota // identity-side policies: no Principal
	namedPrincipal                      // resource policies: a statement must name the caller
	anyPrincipal                        // RCPs, endpoint policies: no Principal means everyone
)

// modeFor is how policies of kind k treat the Principal element.
func modeFor(k Kind) principalMode {
	switch k {
	case ResourcePolicy:
		return namedPrincipal
	case RCP, EndpointPolicy:
		return anyPrincipal
	}
	return noPrincipal
}

// match is the one statement matcher: it reports whether the statement
// applies to the request (action, resource, principal and every condition
// match) and, for statements with a Principal, how it named the caller.
// Evaluation calls it with sc == nil and it stops at the first part that
// fails; Check passes sc and it records every part, so that both always
// agree on whether the statement applies.
func (c *cstmt) match(r *Request, mode principalMode, sc *StatementCheck) (bool, grant) {
	ok := true
	action := !c.noAction && c.matchAction(r.actionLC) != c.notAction
	if !action {
		if sc == nil {
			return false, gNone
		}
		ok = false
	}
	resource := c.anyResource || c.matchResource(r) != c.notResource
	if !resource {
		if sc == nil {
			return false, gNone
		}
		ok = false
	}
	principal, g := true, gPrincipal
	if mode != noPrincipal {
		principal, g = c.matchPrincipal(r, mode)
	}
	if !principal {
		if sc == nil {
			return false, gNone
		}
		ok = false
	}
	for i := range c.conds {
		if !c.conds[i].eval(r) {
			if sc == nil {
				return false, gNone
			}
			ok = false
			sc.Failed = append(sc.Failed, c.conds[i].src)
		}
	}
	if sc != nil {
		sc.Action, sc.Resource, sc.Principal = action, resource, principal
	}
	if !ok {
		return false, gNone
	}
	return true, g
}

// matchPrincipal reports whether the statement's Principal or NotPrincipal
// element takes in the caller, and how it named them.
func (c *cstmt) matchPrincipal(r *Request, mode principalMode) (bool, grant) {
	if mode == noPrincipal || (c.principal == nil && mode != namedPrincipal) {
		return true, gPrincipal
	}
	if c.principal == nil {
		// A resource policy statement without Principal names nobody.
		return false, gNone
	}
	g := principalGrant(c.principal, r)
	if !c.notPrinc {
		return g != gNone, g
	}
	// NotPrincipal exempts the principals it names, except that a Deny
	// always applies to IAM users and roles that have a permissions
	// boundary, whatever NotPrincipal names (IAM User Guide, "AWS JSON policy
	// elements: NotPrincipal", key points).
	if g != gNone && !(c.deny && r.hasBoundary) {
		return false, gNone
	}
	return true, gPrincipal
}

// identityApplies reports whether identity-side policies (identity-based
// policies, permissions boundaries, session policies) govern the caller:
// anonymous callers, service principals and identity providers have none.
func identityApplies(p *principalInfo) bool {
	return p.kind != pkAnonymous && p.kind != pkService && p.kind != pkProvider
}

// setup prepares the request for this Set: what the request derives from
// itself, and what it derives from the policies in force.
func (s *Set) setup(r *Request) {
	r.prepare()
	r.set = s
	r.hasBoundary = len(s.in.Boundary) > 0 && identityApplies(&r.p)
}

// inForce reports whether policies of kind k govern the request at all,
// and when they do not, why. Evaluation skips the policies of a kind that
// is not in force, and Check reports it, with the same answer.
func (s *Set) inForce(k Kind, r *Request) (bool, string) {
	switch k {
	case SCP:
		if !scpApplies(&r.p) {
			return false, "SCPs do not apply to service principals, identity providers or anonymous callers"
		}
	case RCP:
		return s.rcpApplies(r)
	case IdentityPolicy, PermissionsBoundary, SessionPolicy:
		if !identityApplies(&r.p) {
			// Constant reasons: evaluation asks too, and must not allocate.
			return false, [...]string{
				IdentityPolicy:      "identity-based policies do not apply to anonymous callers, service principals or identity providers",
				PermissionsBoundary: "permissions boundaries do not apply to anonymous callers, service principals or identity providers",
				SessionPolicy:       "session policies do not apply to anonymous callers, service principals or identity providers",
			}[k]
		}
	}
	return true, ""
}
