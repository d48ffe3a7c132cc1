package eval

import (
	"strings"

	"github.com/iamfit/iamfit/internal/catalog"
)

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
// fails; Check passes sc and it records every part. Each part is decided
// by one predicate (actionMatches, resourceMatches, matchPrincipal,
// ccond.eval) that both ways share, so they always agree.
func (c *cstmt) match(r *Request, mode principalMode, sc *StatementCheck) (bool, grant) {
	if sc != nil {
		return c.checkParts(r, mode, sc)
	}
	if !c.actionMatches(r) || !c.resourceMatches(r) {
		return false, gNone
	}
	g := gPrincipal
	if mode != noPrincipal {
		var ok bool
		if ok, g = c.matchPrincipal(r, mode); !ok {
			return false, gNone
		}
	}
	for i := range c.conds {
		if !c.conds[i].eval(r) {
			return false, gNone
		}
	}
	return true, g
}

// checkParts is match recording every part in sc.
func (c *cstmt) checkParts(r *Request, mode principalMode, sc *StatementCheck) (bool, grant) {
	sc.Action = c.actionMatches(r)
	sc.Resource = c.resourceMatches(r)
	var g grant
	sc.Principal, g = true, gPrincipal
	if mode != noPrincipal {
		sc.Principal, g = c.matchPrincipal(r, mode)
	}
	for i := range c.conds {
		if !c.conds[i].eval(r) {
			sc.Failed = append(sc.Failed, c.conds[i].src)
		}
	}
	if !sc.Action || !sc.Resource || !sc.Principal || len(sc.Failed) > 0 {
		return false, gNone
	}
	return true, g
}

// actionMatches reports whether the statement's Action or NotAction
// element takes in the request's action. A statement with neither has no
// actions and matches nothing.
func (c *cstmt) actionMatches(r *Request) bool {
	lc := r.actionLC
	for i, a := range c.actions {
		if c.actionGlob[i].match(a, lc) {
			return !c.notAction
		}
	}
	return c.notAction
}

// resourceMatches reports whether the statement's Resource or NotResource
// element takes in the request's resource.
func (c *cstmt) resourceMatches(r *Request) bool {
	return c.anyResource || c.matchResource(r) != c.notResource
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
	g := principalGrant(c, r)
	if !c.notPrinc {
		return g != gNone, g
	}
	// NotPrincipal exempts the principals it names, except that a Deny
	// always applies to IAM users and roles that have a permissions
	// boundary, whatever NotPrincipal names (IAM User Guide, "AWS JSON policy
	// elements: NotPrincipal", key points).
	if g != gNone && !(c.deny && r.set.boundaryGoverns(r)) {
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
}

// boundaryGoverns reports whether a permissions boundary governs the
// caller: one is in force and the caller is an IAM user or role.
func (s *Set) boundaryGoverns(r *Request) bool {
	return len(s.in.Boundary) > 0 && identityApplies(&r.p)
}

// governs reports whether policies of kind k govern the request at all.
// Evaluation skips the policies of a kind that does not, and Check says
// why (inForce), from this same answer.
func (s *Set) governs(k Kind, r *Request) bool {
	switch k {
	case SCP:
		return scpApplies(&r.p)
	case RCP:
		ok, _ := s.rcpApplies(r)
		return ok
	case IdentityPolicy, PermissionsBoundary, SessionPolicy:
		return identityApplies(&r.p)
	}
	return true
}

// inForce is governs with the reason when policies of kind k do not
// govern the request.
func (s *Set) inForce(k Kind, r *Request) (bool, string) {
	if s.governs(k, r) {
		return true, ""
	}
	switch k {
	case SCP:
		return false, "SCPs do not apply to service principals, identity providers or anonymous callers"
	case RCP:
		return s.rcpApplies(r)
	case IdentityPolicy:
		return false, "identity-based policies do not apply to anonymous callers, service principals or identity providers"
	case PermissionsBoundary:
		return false, "permissions boundaries do not apply to anonymous callers, service principals or identity providers"
	case SessionPolicy:
		return false, "session policies do not apply to anonymous callers, service principals or identity providers"
	}
	return false, k.String() + " policies do not govern the request"
}

// glob is the form of a wildcard pattern, found once when a policy is
// compiled, so that the common forms are matched without catalog.Match.
type glob uint8

const (
	globGeneral glob = iota // anything else: catalog.Match
	globLiteral             // no wildcard: the pattern only matches itself
	globAny                 // "*": everything
	globPrefix              // "text*", no other wildcard: the strings that start with text
)

// globOf classifies pattern p (wildcards '*' and '?').
func globOf(p string) glob {
	switch i := strings.IndexAny(p, "*?"); {
	case i < 0:
		return globLiteral
	case p == "*":
		return globAny
	case i == len(p)-1 && p[i] == '*':
		return globPrefix
	}
	return globGeneral
}

// match reports whether s matches p, which g classifies, as
// catalog.Match(p, s) does.
func (g glob) match(p, s string) bool {
	switch g {
	case globLiteral:
		return p == s
	case globAny:
		return true
	case globPrefix:
		return strings.HasPrefix(s, p[:len(p)-1])
	}
	// A pattern matches itself: equal strings need no matching.
	return p == s || catalog.Match(p, s)
}
