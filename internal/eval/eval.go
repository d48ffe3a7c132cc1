// Package eval decides IAM authorization requests offline, following AWS's
// documented policy evaluation logic: explicit denies in any policy win;
// service and resource control policies, VPC endpoint policies, permissions
// boundaries and session policies must allow; and identity-based and
// resource-based policies grant, with the same-account and cross-account
// rules. Every statement is evaluated, never short-circuited, so that the
// Decision can show all the statements that applied.
package eval

import (
	"strings"

	"github.com/iamfit/iamfit/internal/arn"
	"github.com/iamfit/iamfit/internal/catalog"
	"github.com/iamfit/iamfit/internal/policy"
)

// Result is the outcome of a request.
type Result int

// The results.
const (
	ImplicitlyDenied Result = iota
	Allowed
	ExplicitlyDenied
)

func (r Result) String() string {
	return [...]string{"ImplicitlyDenied", "Allowed", "ExplicitlyDenied"}[r]
}

// Kind is the kind of policy.
type Kind int

// The policy kinds.
const (
	IdentityPolicy Kind = iota
	ResourcePolicy
	PermissionsBoundary
	SCP
	RCP
	SessionPolicy
	EndpointPolicy
)

var kindNames = [...]string{"identity", "resource", "boundary", "scp", "rcp", "session", "endpoint"}

func (k Kind) String() string { return kindNames[k] }

// Policy is one policy document as evaluation sees it.
type Policy struct {
	Kind Kind
	// Name identifies the policy to people: its file name, or a label.
	Name string
	Doc  *policy.Policy
	// Level is the organization level (root, OU, account) of an SCP or RCP.
	Level string

	stmts []cstmt
	index *stmtIndex // nil for small policies
}

// Level is one level of an AWS Organizations hierarchy with the control
// policies attached there. Every level must allow a request.
type Level struct {
	Name     string
	Policies []*Policy
}

// Input is the set of policies in force for a request.
type Input struct {
	Identity []*Policy
	// Resource is the resource-based policy (for sts:AssumeRole*, the role's
	// trust policy; for KMS, the key policy).
	Resource []*Policy
	// Boundary, when non-nil, is the permissions boundary: it must allow.
	Boundary []*Policy
	// SCPs and RCPs are the organization levels; nil when not in an organization.
	SCPs []Level
	RCPs []Level
	// Session, when non-nil, is the session policy: it must allow.
	Session []*Policy
	// Endpoint, when non-nil, are VPC endpoint policies: they must allow.
	Endpoint []*Policy
}

// Set is a compiled Input, ready to evaluate many requests.
type Set struct {
	in  Input
	cat *catalog.Catalog
}

// Compile prepares the policies for evaluation. cat may be nil; with it,
// RCPs apply only to the services that support them.
func Compile(in Input, cat *catalog.Catalog) *Set {
	all := func(ps []*Policy) {
		for _, p := range ps {
			p.compile()
		}
	}
	all(in.Identity)
	all(in.Resource)
	all(in.Boundary)
	all(in.Session)
	all(in.Endpoint)
	for _, l := range in.SCPs {
		all(l.Policies)
	}
	for _, l := range in.RCPs {
		all(l.Policies)
	}
	return &Set{in: in, cat: cat}
}

// NewPolicy wraps a parsed document.
func NewPolicy(kind Kind, name string, doc *policy.Policy) *Policy {
	return &Policy{Kind: kind, Name: name, Doc: doc}
}

// Match is a statement that applied to a request.
type Match struct {
	Policy    *Policy
	Statement *policy.Statement
	Effect    policy.Effect
}

// Decision is the outcome with its reasons.
type Decision struct {
	Result Result
	// Matches are every statement that applied (action, resource, principal
	// and conditions all matched), allows and denies, in evaluation order.
	Matches []Match
	// Blocked are the policy kinds that denied the request, explicitly or
	// by not allowing it, in the order AWS evaluates them.
	Blocked []Kind
	// Explicit are the kinds that denied explicitly.
	Explicit []Kind

	cand []int32 // scratch: candidate statements of one policy
}

// Evaluate decides one request.
func (s *Set) Evaluate(r *Request) Decision {
	var d Decision
	s.EvaluateInto(r, &d)
	return d
}

// tally is what one group of policies says about a request.
type tally struct {
	allow, deny bool
}

// EvaluateInto decides one request, reusing d's storage.
func (s *Set) EvaluateInto(r *Request, d *Decision) {
	s.setup(r)
	d.Result = ImplicitlyDenied
	d.Matches = d.Matches[:0]
	d.Blocked = d.Blocked[:0]
	d.Explicit = d.Explicit[:0]
	in := &s.in
	p := &r.p
	actionLC := r.actionLC

	// Which kinds govern the request: the predicates governs (and so
	// Check) is made of.
	scpOK := scpApplies(p)
	identitySide := identityApplies(p)
	rcpOK := len(in.RCPs) > 0 && s.governs(RCP, r)

	// group evaluates the policies of one kind with the matcher Check uses.
	group := func(ps []*Policy, mode principalMode) (t tally, g grant) {
		one := func(pol *Policy, st *cstmt) {
			ok, gr := st.match(r, mode, nil)
			if !ok {
				return
			}
			d.Matches = append(d.Matches, Match{pol, st.src, st.src.Effect})
			if st.deny {
				t.deny = true
			} else {
				t.allow = true
				if gr > g {
					g = gr
				}
			}
		}
		for _, pol := range ps {
			if pol.index == nil {
				for i := range pol.stmts {
					one(pol, &pol.stmts[i])
				}
				continue
			}
			d.cand = pol.index.candidates(r, d.cand)
			for _, i := range d.cand {
				one(pol, &pol.stmts[i])
			}
		}
		return t, g
	}

	// Organization controls: every level must allow; any deny denies.
	blockedSCP, denySCP := false, false
	if len(in.SCPs) > 0 && scpOK {
		for _, l := range in.SCPs {
			t, _ := group(l.Policies, modeFor(SCP))
			denySCP = denySCP || t.deny
			if !t.allow {
				blockedSCP = true
			}
		}
	}
	// RCPs can only deny: AWS attaches RCPFullAWSAccess to every level and
	// it cannot be detached, so a level never denies by not allowing.
	blockedRCP, denyRCP := false, false
	if rcpOK {
		for _, l := range in.RCPs {
			t, _ := group(l.Policies, modeFor(RCP))
			denyRCP = denyRCP || t.deny
		}
	}
	var ep tally
	if in.Endpoint != nil {
		ep, _ = group(in.Endpoint, modeFor(EndpointPolicy))
	}
	var id, pb, sp tally
	if identitySide {
		id, _ = group(in.Identity, modeFor(IdentityPolicy))
	}
	rp, rpGrant := group(in.Resource, modeFor(ResourcePolicy))
	hasBoundary := s.boundaryGoverns(r)
	if hasBoundary {
		pb, _ = group(in.Boundary, modeFor(PermissionsBoundary))
	}
	if in.Session != nil && identitySide {
		sp, _ = group(in.Session, modeFor(SessionPolicy))
	}

	// Explicit denies, every kind that has one.
	explicit := func(k Kind, deny bool) {
		if deny {
			d.Explicit = append(d.Explicit, k)
		}
	}
	explicit(SCP, denySCP)
	explicit(RCP, denyRCP)
	explicit(EndpointPolicy, ep.deny)
	explicit(IdentityPolicy, id.deny)
	explicit(ResourcePolicy, rp.deny)
	explicit(PermissionsBoundary, pb.deny)
	explicit(SessionPolicy, sp.deny)

	block := func(k Kind) { d.Blocked = append(d.Blocked, k) }
	if blockedSCP || denySCP {
		block(SCP)
	}
	if blockedRCP || denyRCP {
		block(RCP)
	}
	if in.Endpoint != nil && (!ep.allow || ep.deny) {
		block(EndpointPolicy)
	}

	// Grants: identity-based and resource-based policies.
	sameAccount := p.account != "" && p.account == r.resAcct
	boundaryOK := !hasBoundary || pb.allow
	sessionOK := in.Session == nil || !identitySide || sp.allow
	needsResourcePolicy := requiresResourcePolicy(actionLC, r.Resource)
	granted := false
	switch {
	case !identitySide:
		// Anonymous callers, service principals and identity providers
		// have no identity policies: only a resource policy can grant.
		granted = rp.allow && rpGrant >= gPrincipal
	case sameAccount:
		switch {
		case rp.allow && rpGrant == gSession:
			// A resource policy naming the session's own ARN adds its
			// permissions after the session was created: neither the
			// session policy nor a permissions boundary limits them (IAM
			// User Guide, "Session policies",
			// https://docs.aws.amazon.com/IAM/latest/UserGuide/access_policies.html#policies_session).
			granted = true
		case rp.allow && rpGrant == gPrincipal:
			// A resource policy naming the user (or everyone) grants
			// without an identity policy, and a permissions boundary does
			// not limit it; a session policy still does.
			granted = sessionOK
		case rp.allow && rpGrant == gRole:
			granted = boundaryOK && sessionOK
		case needsResourcePolicy:
			// KMS keys and role trust: the resource policy must allow; when
			// it allows the account, the identity policy must allow too.
			granted = rp.allow && rpGrant == gAccount && id.allow && boundaryOK && sessionOK
		default:
			granted = id.allow && boundaryOK && sessionOK
		}
	default:
		// Cross-account: both sides must allow.
		granted = id.allow && boundaryOK && sessionOK && rp.allow
	}
	if !granted {
		if identitySide && !id.allow && !(rp.allow && rpGrant >= gRole) {
			block(IdentityPolicy)
		}
		if (needsResourcePolicy || !sameAccount || !identitySide) && !rp.allow {
			block(ResourcePolicy)
		}
		if !boundaryOK {
			block(PermissionsBoundary)
		}
		if !sessionOK {
			block(SessionPolicy)
		}
	}
	for _, k := range d.Explicit {
		if !hasKind(d.Blocked, k) {
			block(k)
		}
	}

	guarded := protected(actionLC, r.Resource, s.cat)
	if guarded {
		// AWS-managed policies and reserved roles cannot be changed by anyone.
		granted = false
	}
	switch {
	case actionLC == "sts:getcalleridentity":
		// GetCallerIdentity needs no permission and cannot be denied.
		d.Result = Allowed
		d.Blocked, d.Explicit = d.Blocked[:0], d.Explicit[:0]
	case len(d.Explicit) > 0:
		d.Result = ExplicitlyDenied
	case blockedSCP || blockedRCP || (in.Endpoint != nil && !ep.allow):
		d.Result = ImplicitlyDenied
	case granted:
		d.Result = Allowed
	}
}

func hasKind(ks []Kind, k Kind) bool {
	for _, x := range ks {
		if x == k {
			return true
		}
	}
	return false
}

// scpApplies reports whether SCPs govern the principal: they apply to the
// users, roles and root of member accounts, not to service principals,
// identity providers or anonymous callers.
func scpApplies(p *principalInfo) bool {
	switch p.kind {
	case pkService, pkProvider, pkAnonymous:
		return false
	}
	return true
}

// rcpApplies reports whether RCPs govern the request, and why not. RCPs
// apply to every principal that calls a service that supports them,
// service principals and root users included, except service-linked roles
// (their calls, and AWS services assuming them) and kms:RetireGrant
// (AWS Organizations User Guide, "Resource control policies (RCPs)",
// https://docs.aws.amazon.com/organizations/latest/userguide/orgs_manage_policies_rcps.html).
func (s *Set) rcpApplies(r *Request) (bool, string) {
	if serviceLinked(&r.p) {
		return false, "RCPs do not apply to service-linked roles"
	}
	switch r.actionLC {
	case "kms:retiregrant":
		return false, "RCPs do not apply to kms:RetireGrant"
	case "sts:assumerole":
		if strings.Contains(r.Resource, ":role/aws-service-role/") {
			return false, "RCPs do not apply to AWS services assuming a service-linked role"
		}
	}
	if s.cat == nil {
		return true, ""
	}
	svc, _, _ := strings.Cut(r.actionLC, ":")
	if sv := s.cat.Service(svc); sv != nil && !sv.RCP {
		return false, "RCPs do not apply to this service: it does not support them"
	}
	return true, ""
}

// serviceLinked reports whether the caller is a service-linked role: a role
// under the path /aws-service-role/, or a session of a role named
// AWSServiceRoleFor... (a session ARN does not show the role's path, and
// AWS names service-linked roles so).
func serviceLinked(p *principalInfo) bool {
	switch p.kind {
	case pkRole:
		return strings.Contains(p.arn, ":role/aws-service-role/")
	case pkSession:
		return strings.HasPrefix(p.role, "AWSServiceRoleFor")
	}
	return false
}

// requiresResourcePolicy reports whether the request is one whose resource
// policy must allow even within the account: KMS keys (their key policy)
// and roles being assumed (their trust policy).
func requiresResourcePolicy(actionLC, resource string) bool {
	if strings.HasPrefix(actionLC, "kms:") {
		return strings.Contains(resource, ":key/")
	}
	switch actionLC {
	case "sts:assumerole", "sts:assumerolewithwebidentity", "sts:assumerolewithsaml",
		"sts:tagsession", "sts:setsourceidentity", "sts:setcontext":
		return true
	}
	return false
}

// grant is how a resource policy statement named the principal, from the
// weakest to the strongest grant.
type grant int

const (
	gNone      grant = iota
	gAccount         // the principal's account (root ARN or account id)
	gRole            // the role of a role session
	gPrincipal       // the principal itself, or everyone ("*")
	gSession         // a role or federated user session by its own ARN
)

// cstmt is a compiled statement.
type cstmt struct {
	src  *policy.Statement
	deny bool

	actions     []string // lower-case patterns
	actionGlob  []glob   // the form of actions[i]
	notAction   bool
	resources   []template
	resIndex    *prefixIndex // resources by literal prefix, for many
	notResource bool
	anyResource bool // neither Resource nor NotResource (resource and trust policies)
	principal   *policy.Principal
	princs      []cprincipal // the values of principal, read once
	notPrinc    bool
	conds       []ccond
}

func (p *Policy) compile() {
	if p.stmts != nil || p.Doc == nil {
		return
	}
	p.stmts = make([]cstmt, 0, len(p.Doc.Statements))
	// Policy variables exist only in policy language 2012-10-17: under
	// 2008-10-17, or without a Version (which means 2008-10-17),
	// ${aws:username} is literal text (IAM User Guide, "IAM JSON policy
	// elements: Version",
	// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_version.html).
	vars := p.Doc.Version != nil && p.Doc.Version.Value == "2012-10-17"
	for _, s := range p.Doc.Statements {
		if s.Effect != policy.Allow && s.Effect != policy.Deny {
			continue // unusable statement; the parser reported it
		}
		c := cstmt{src: s, deny: s.Effect == policy.Deny}
		switch {
		case s.Action != nil:
			c.actions = lowerAll(s.Action.Values)
		case s.NotAction != nil:
			c.actions, c.notAction = lowerAll(s.NotAction.Values), true
		}
		c.actionGlob = make([]glob, len(c.actions))
		for i, a := range c.actions {
			c.actionGlob[i] = globOf(a)
		}
		// Neither Action nor NotAction: no actions, and the statement
		// matches nothing.
		switch {
		case s.Resource != nil:
			c.resources = templates(s.Resource.Values, vars)
		case s.NotResource != nil:
			c.resources, c.notResource = templates(s.NotResource.Values, vars), true
		default:
			c.anyResource = true
		}
		switch {
		case s.Principal != nil:
			c.principal = s.Principal
		case s.NotPrincipal != nil:
			c.principal, c.notPrinc = s.NotPrincipal, true
		}
		if c.principal != nil {
			c.princs = compilePrincipals(c.principal)
		}
		for _, cond := range s.Conditions {
			c.conds = append(c.conds, compileCondition(cond, vars))
		}
		c.buildResIndex()
		p.stmts = append(p.stmts, c)
	}
	p.buildIndex()
}

func lowerAll(vs []policy.String) []string {
	out := make([]string, len(vs))
	for i, v := range vs {
		// IAM does not trim: "s3:GetObject " matches no action.
		out[i] = strings.ToLower(v.Value)
	}
	return out
}

// templates compiles resource patterns; without vars, their ${...} is text.
func templates(vs []policy.String, vars bool) []template {
	out := make([]template, len(vs))
	for i, v := range vs {
		out[i] = compileTemplate(v.Value, vars)
	}
	return out
}

func (c *cstmt) matchResource(r *Request) bool {
	if x := c.resIndex; x != nil {
		// Only the patterns whose literal prefix the resource starts with
		// can match it.
		for _, i := range x.always {
			if c.matchTemplate(&c.resources[i], r) {
				return true
			}
		}
		for _, n := range x.lens {
			if n > len(r.Resource) {
				break
			}
			for _, i := range x.byPrefix[r.Resource[:n]] {
				if c.matchTemplate(&c.resources[i], r) {
					return true
				}
			}
		}
		return false
	}
	for i := range c.resources {
		if c.matchTemplate(&c.resources[i], r) {
			return true
		}
	}
	return false
}

// matchTemplate reports whether one Resource pattern matches the request's
// resource, as arn.Match does, with the pattern and the resource split once.
func (c *cstmt) matchTemplate(t *template, r *Request) bool {
	if !t.hasVars() {
		if t.raw == "*" {
			return true
		}
		if !t.split || !r.resSplit {
			return t.raw == r.Resource
		}
		for i := range t.rparts {
			if !t.rglob[i].match(t.rparts[i], r.resParts[i]) {
				return false
			}
		}
		return true
	}
	_, toks, ok := t.resolve(r)
	if !ok {
		return false
	}
	if len(toks) == 1 && toks[0].kind == tStar {
		return true
	}
	m, _ := matchARNTokens(toks, r.Resource)
	return m
}

// cprincipal is one value of a Principal element, read once: an AWS
// value is trimmed and, unless it is "*" or an account id, split as an
// ARN.
type cprincipal struct {
	typ   string // "AWS", "Service", "Federated" or "CanonicalUser"
	v     string
	acct  bool // an AWS account id
	arn   arn.ARN
	arnOK bool // v is an ARN arn.Parse accepts
}

func compilePrincipals(pr *policy.Principal) []cprincipal {
	var out []cprincipal
	for _, e := range pr.Entries {
		for _, v := range e.Values {
			cp := cprincipal{typ: e.Type, v: v.Value}
			if e.Type == "AWS" {
				cp.v = strings.TrimSpace(v.Value)
				if cp.v != "*" {
					cp.acct = isAccountID(cp.v)
					if !cp.acct {
						a, err := arn.Parse(cp.v)
						cp.arn, cp.arnOK = a, err == nil
					}
				}
			}
			out = append(out, cp)
		}
	}
	return out
}

// principalGrant tells how the statement's Principal element names the
// caller.
func principalGrant(c *cstmt, r *Request) grant {
	if c.principal.Wildcard {
		return gPrincipal
	}
	p := &r.p
	best := gNone
	for i := range c.princs {
		cp := &c.princs[i]
		g := gNone
		switch cp.typ {
		case "AWS":
			g = awsPrincipalGrant(cp, p)
		case "Service":
			if p.kind == pkService && cp.v == p.arn {
				g = gPrincipal
			}
		case "Federated":
			if (p.kind == pkProvider || p.kind == pkOther) && cp.v == p.arn {
				g = gPrincipal
			}
		case "CanonicalUser":
			if cp.v == p.arn {
				g = gPrincipal
			}
		}
		if g > best {
			best = g
		}
	}
	return best
}

func awsPrincipalGrant(cp *cprincipal, p *principalInfo) grant {
	v := cp.v
	if v == "*" {
		if p.kind == pkAnonymous {
			return gNone
		}
		return gPrincipal
	}
	if p.kind == pkAnonymous || p.kind == pkService || p.kind == pkProvider {
		return gNone
	}
	if cp.acct {
		if v == p.account {
			return gAccount
		}
		return gNone
	}
	if !cp.arnOK {
		return gNone
	}
	a := &cp.arn
	if a.Service == "iam" && a.Resource == "root" {
		if a.Account == p.account {
			return gAccount
		}
		return gNone
	}
	if v == p.arn {
		switch p.kind {
		case pkRole:
			// The role itself (not one of its sessions): its permissions
			// boundary and session policies still apply.
			return gRole
		case pkSession, pkFederatedUser:
			return gSession
		}
		return gPrincipal
	}
	if p.kind == pkSession && a.Service == "iam" && a.Account == p.account && strings.HasPrefix(a.Resource, "role/") {
		name := a.Resource[strings.LastIndexByte(a.Resource, '/')+1:]
		if name == p.role {
			return gRole
		}
	}
	return gNone
}

// protected reports whether the request changes what AWS does not let any
// account change: AWS-managed policies (arn:aws:iam::aws:policy/...) and
// roles under the reserved path /aws-reserved/, and the aliases of
// AWS-managed KMS keys. Reading them is allowed.
func protected(actionLC, resource string, cat *catalog.Catalog) bool {
	if strings.HasPrefix(actionLC, "kms:") {
		// Aliases of AWS-managed keys (alias/aws/...) are AWS's.
		switch actionLC {
		case "kms:createalias", "kms:deletealias", "kms:updatealias":
			return strings.Contains(resource, ":alias/aws/")
		}
		return false
	}
	if !strings.HasPrefix(actionLC, "iam:") {
		return false
	}
	a, err := arn.Parse(resource)
	if err != nil || a.Service != "iam" {
		return false
	}
	managedPolicy := a.Account == "aws" && strings.HasPrefix(a.Resource, "policy/")
	reservedRole := strings.HasPrefix(a.Resource, "role/aws-reserved/")
	if !managedPolicy && !reservedRole {
		return false
	}
	if cat == nil {
		return true
	}
	act := cat.Action(actionLC)
	if act == nil {
		return false
	}
	switch act.Access {
	case catalog.Read, catalog.List:
		return false
	}
	// Attaching an AWS-managed policy to a user, group or role is allowed.
	if managedPolicy && strings.HasPrefix(act.Name, "Attach") {
		return false
	}
	return true
}
