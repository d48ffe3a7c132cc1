package eval

import (
	"strings"

	"github.com/iamfit/iamfit/internal/arn"
	"github.com/iamfit/iamfit/internal/policy"
)

// Request is one authorization request: who calls which action on which
// resource, with which request context.
type Request struct {
	// Principal is the caller: an IAM user, role or root ARN, a role session
	// ARN (arn:aws:sts::ACCOUNT:assumed-role/ROLE/SESSION), a federated user
	// ARN, a service principal ("ecs-tasks.amazonaws.com") or an identity
	// provider (an OIDC or SAML provider ARN, or the host of a web identity
	// provider built into AWS such as "cognito-identity.amazonaws.com").
	// Anonymous requests set Anonymous instead.
	Principal string
	Anonymous bool
	// Action is "service:Action".
	Action string
	// Resource is the resource ARN, or "*" for actions without resource types.
	Resource string
	// ResourceAccount owns the resource; when empty it is taken from the
	// resource ARN, and for ARNs without an account (S3) it is the
	// principal's account.
	ResourceAccount string
	// Context holds the request's condition keys.
	Context *Context

	prepared    bool
	derivedDone bool
	set         *Set // the Set that last evaluated or checked the request
	actionLC    string
	serviceLC   string // actionLC up to its first ':', "" without one
	resParts    [6]string
	resSplit    bool // Resource split into resParts (arn.Split)
	p           principalInfo
	resAcct     string
	derived     []derivedKey
	memo        *requestMemo // a decoder's, across its requests
}

// requestMemo remembers what prepare derived from the last request of a
// decoder, for the next: a batch repeats its actions and roles.
type requestMemo struct {
	action, actionLC             string
	rolePart, roleAcct, roleName string
	roleARN                      string
	// principal is the last principal classified, info what classify
	// made of it.
	principal string
	info      principalInfo
	// princPrefix is the last principal classified up to its last '/',
	// and princInfo what classify made of it (classify uses it for a
	// principal that differs from the last after that '/').
	princPrefix string
	princInfo   principalInfo
}

// reset empties the request for the next of a decoder, keeping storage.
func (r *Request) reset(m *requestMemo) {
	*r = Request{derived: r.derived[:0], memo: m}
}

// principalKind classifies the caller.
type principalKind int

const (
	pkUser principalKind = iota
	pkRole
	pkSession
	pkRoot
	pkFederatedUser
	pkService
	pkProvider // an identity provider (web identity or SAML federation)
	pkAnonymous
	pkOther
)

type principalInfo struct {
	kind    principalKind
	arn     string // as given
	account string
	roleARN string // for sessions: arn:PART:iam::ACCOUNT:role/NAME
	role    string // role name, for sessions and roles
	user    string // user name, for IAM users
}

// prepare derives what evaluation needs from the principal and resource.
func (r *Request) prepare() {
	if r.prepared {
		return
	}
	r.prepared = true
	if m := r.memo; m != nil && m.action == r.Action && m.action != "" {
		r.actionLC = m.actionLC
	} else {
		r.actionLC = strings.ToLower(r.Action)
		if m != nil {
			m.action, m.actionLC = r.Action, r.actionLC
		}
	}
	r.serviceLC = ""
	if svc, _, ok := strings.Cut(r.actionLC, ":"); ok {
		r.serviceLC = svc
	}
	r.resParts, r.resSplit = arn.Split(r.Resource)
	if m := r.memo; m != nil && !r.Anonymous && r.Principal != "" && m.principal == r.Principal {
		r.p = m.info
	} else {
		r.p = classify(r.Principal, r.Anonymous, r.memo)
		if m != nil && !r.Anonymous {
			m.principal, m.info = r.Principal, r.p
		}
	}
	r.resAcct = r.ResourceAccount
	if r.resAcct == "" {
		if a, ok := arn.FromParts(r.resParts); r.resSplit && ok && a.Account != "" && !hasWildcard(a.Account) {
			r.resAcct = a.Account
		} else {
			r.resAcct = r.p.account
		}
	}
}

// Reset clears what evaluation derived from the request, for a caller that
// changes a Request after evaluating it.
func (r *Request) Reset() { r.prepared, r.derivedDone, r.derived = false, false, r.derived[:0] }

// hasWildcard reports whether s holds '*' or '?'.
func hasWildcard(s string) bool {
	return strings.IndexByte(s, '*') >= 0 || strings.IndexByte(s, '?') >= 0
}

// classify tells what the principal is. With m, principals that only
// differ after their last '/' (the sessions of a role, the users of a
// path) are classified once: what the part before says is remembered.
func classify(p string, anonymous bool, m *requestMemo) principalInfo {
	if anonymous || p == "" {
		return principalInfo{kind: pkAnonymous}
	}
	slash := strings.LastIndexByte(p, '/')
	if m != nil && m.princPrefix != "" && slash >= 0 && p[:slash+1] == m.princPrefix {
		info := m.princInfo
		info.arn = p
		switch info.kind {
		case pkUser:
			info.user = p[slash+1:]
		case pkRole:
			info.role, info.roleARN = p[slash+1:], p
		}
		return info
	}
	info, res := classifyARN(p, m)
	// What the principal's ARN says up to its last '/' does not change
	// with what follows when the '/' is in the resource part (after the
	// five separators) and no policy variable can move a separator.
	if m != nil && res >= 0 && slash >= res && strings.IndexByte(p, '$') < 0 {
		m.princPrefix, m.princInfo = p[:slash+1], info
	}
	return info
}

// classifyARN is classify without the memory of prefixes. res is where
// the resource part of the principal's ARN starts, -1 when it is not an
// ARN or when what it says depends on its last part (a session ARN
// without the session name).
func classifyARN(p string, m *requestMemo) (info principalInfo, res int) {
	info = principalInfo{arn: p, kind: pkOther}
	parts, split := arn.Split(p)
	a, ok := arn.FromParts(parts)
	if !split || !ok {
		if policy.BuiltInWebIdentityProvider(p) {
			info.kind = pkProvider
			return info, -1
		}
		if strings.HasSuffix(p, ".amazonaws.com") || strings.HasSuffix(p, ".amazonaws.com.cn") {
			info.kind = pkService
		} else if isAccountID(p) {
			info.kind, info.account = pkRoot, p
			info.arn = "arn:aws:iam::" + p + ":root"
		} else {
			info.kind = pkProvider // an identity provider named by its host
		}
		return info, -1
	}
	info.account = a.Account
	r := a.Resource
	res = len(p) - len(r)
	switch {
	case a.Service == "iam" && r == "root":
		info.kind = pkRoot
	case a.Service == "iam" && strings.HasPrefix(r, "user/"):
		info.kind = pkUser
		info.user = r[strings.LastIndexByte(r, '/')+1:]
	case a.Service == "iam" && strings.HasPrefix(r, "role/"):
		info.kind = pkRole
		info.role = r[strings.LastIndexByte(r, '/')+1:]
		info.roleARN = p
	case a.Service == "iam" && (strings.HasPrefix(r, "oidc-provider/") || strings.HasPrefix(r, "saml-provider/")):
		info.kind = pkProvider
	case a.Service == "sts" && strings.HasPrefix(r, "assumed-role/"):
		info.kind = pkSession
		role, _, named := strings.Cut(strings.TrimPrefix(r, "assumed-role/"), "/")
		info.role = role
		if !named {
			// The role's name runs to the end: no prefix tells it.
			res = -1
		}
		if m != nil && m.roleARN != "" && m.rolePart == a.Partition && m.roleAcct == a.Account && m.roleName == role {
			info.roleARN = m.roleARN
			break
		}
		info.roleARN = "arn:" + a.Partition + ":iam::" + a.Account + ":role/" + role
		if m != nil {
			m.rolePart, m.roleAcct, m.roleName, m.roleARN = a.Partition, a.Account, role, info.roleARN
		}
	case a.Service == "sts" && strings.HasPrefix(r, "federated-user/"):
		info.kind = pkFederatedUser
	}
	return info, res
}

func isAccountID(s string) bool { return len(s) == 12 && arn.ValidAccount(s) }

// Context is the request context: condition keys (case-insensitive names)
// with one or more string values.
type Context struct {
	m map[string]*ContextValue
}

// ContextValue is one key's value or values.
type ContextValue struct {
	Name   string   // as given
	Values []string // one value for single-valued keys
	// Multi marks a multivalued key (a set), even with one or no values.
	Multi bool
}

// NewContext returns an empty context.
func NewContext() *Context { return &Context{m: map[string]*ContextValue{}} }

// Set sets a single-valued key.
func (c *Context) Set(key, value string) {
	c.m[strings.ToLower(key)] = &ContextValue{Name: key, Values: []string{value}}
}

// Reset removes every key, keeping the storage.
func (c *Context) Reset() { clear(c.m) }

// SetMulti sets a multivalued key.
func (c *Context) SetMulti(key string, values ...string) {
	c.m[strings.ToLower(key)] = &ContextValue{Name: key, Values: values, Multi: true}
}

// Get returns the key's value, or nil.
func (c *Context) Get(key string) *ContextValue {
	if c == nil {
		return nil
	}
	return c.m[strings.ToLower(key)]
}

// get looks up an already lower-cased key.
func (c *Context) get(lc string) *ContextValue {
	if c == nil {
		return nil
	}
	return c.m[lc]
}

// Keys returns the number of keys set.
func (c *Context) Len() int {
	if c == nil {
		return 0
	}
	return len(c.m)
}

// derive computes the keys IAM sets from the principal and the resource
// (aws:PrincipalArn, aws:PrincipalAccount, aws:PrincipalType, aws:username,
// aws:PrincipalIsAWSService, aws:PrincipalServiceName, aws:ResourceAccount).
// Keys the caller set in Context win.
func (r *Request) derive() {
	r.derivedDone = true
	if r.derived == nil {
		r.derived = make([]derivedKey, 0, 8)
	}
	r.derived = r.derived[:0]
	add := func(k, v string) {
		if v != "" {
			r.derived = append(r.derived, derivedKey{lc: derivedLC(k), v: ContextValue{Name: k}, one: [1]string{v}})
		}
	}
	p := r.p
	switch p.kind {
	case pkUser:
		add("aws:PrincipalArn", p.arn)
		add("aws:username", p.user)
		add("aws:PrincipalType", "User")
	case pkRole:
		add("aws:PrincipalArn", p.arn)
		add("aws:PrincipalType", "AssumedRole")
	case pkSession:
		add("aws:PrincipalArn", p.roleARN)
		add("aws:PrincipalType", "AssumedRole")
	case pkRoot:
		add("aws:PrincipalArn", p.arn)
		add("aws:PrincipalType", "Account")
	case pkFederatedUser:
		add("aws:PrincipalArn", p.arn)
		add("aws:PrincipalType", "FederatedUser")
	case pkAnonymous:
		add("aws:PrincipalType", "Anonymous")
	}
	switch p.kind {
	case pkService:
		add("aws:PrincipalServiceName", p.arn)
		add("aws:PrincipalIsAWSService", "true")
	case pkProvider, pkAnonymous:
	default:
		add("aws:PrincipalAccount", p.account)
		add("aws:PrincipalIsAWSService", "false")
	}
	add("aws:ResourceAccount", r.resAcct)
	for i := range r.derived {
		r.derived[i].v.Values = r.derived[i].one[:]
	}
}

// derivedLC is the lower-case name of a key derive sets, without
// lower-casing at every request.
func derivedLC(k string) string {
	switch k {
	case "aws:PrincipalArn":
		return "aws:principalarn"
	case "aws:PrincipalType":
		return "aws:principaltype"
	case "aws:PrincipalServiceName":
		return "aws:principalservicename"
	case "aws:PrincipalIsAWSService":
		return "aws:principalisawsservice"
	case "aws:PrincipalAccount":
		return "aws:principalaccount"
	case "aws:ResourceAccount":
		return "aws:resourceaccount"
	}
	return strings.ToLower(k)
}

// derivable reports whether derive may set the lower-cased key lc, so
// that looking up any other key missing from the context derives nothing.
func derivable(lc string) bool {
	switch lc {
	case "aws:principalarn", "aws:username", "aws:principaltype", "aws:principalservicename",
		"aws:principalisawsservice", "aws:principalaccount", "aws:resourceaccount":
		return true
	}
	return false
}

type derivedKey struct {
	lc  string
	v   ContextValue
	one [1]string
}

// lookup finds a lower-cased key in the context, then among the derived keys.
func (r *Request) lookup(lc string) *ContextValue {
	if v := r.Context.get(lc); v != nil {
		return v
	}
	if !derivable(lc) {
		return nil
	}
	if !r.derivedDone {
		r.derive()
	}
	for i := range r.derived {
		if r.derived[i].lc == lc {
			return &r.derived[i].v
		}
	}
	return nil
}

// Requests makes requests that share what evaluation derives from the
// parts they repeat (the last action and role seen), for a caller that
// decides many requests in turn, such as a proof. It is not safe for
// concurrent use, nor are the requests it makes, across goroutines.
type Requests struct{ memo requestMemo }

// New returns r as a request of q.
func (q *Requests) New(r Request) *Request {
	r.memo = &q.memo
	return &r
}

// Reuse makes dst the request r of q, keeping the storage of dst, for a
// caller that is done with dst's previous request: deciding many requests
// in turn then allocates none.
func (q *Requests) Reuse(dst *Request, r Request) *Request {
	r.memo = &q.memo
	r.derived = dst.derived[:0]
	*dst = r
	return dst
}
