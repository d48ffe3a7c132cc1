package policy

import (
	"fmt"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/iamfit/iamfit/internal/jsonpos"
	"github.com/iamfit/iamfit/internal/source"
)

// Check ids of the diagnostics that parsing reports.
const (
	CheckJSON      = "json-syntax"    // the bytes are not JSON
	CheckDuplicate = "duplicate-key"  // an object repeats a key
	CheckSyntax    = "policy-syntax"  // the JSON is not a policy
	CheckType      = "policy-type"    // an element the policy type requires or forbids
	CheckEmpty     = "empty-list"     // an element is an empty list
	CheckVersion   = "policy-version" // Version missing or old
	CheckLimit     = "policy-limit"   // past a size AWS rejects
)

// Limits AWS applies to a policy, applied before anything else so that a
// hostile document costs little. Past them AWS rejects the document, so
// nothing else about it matters.
const (
	// MaxDocument is the IAM API's limit on a policy document,
	// PolicyDocument "Maximum length of 131072" (CreatePolicy,
	// PutRolePolicy, UpdateAssumeRolePolicy; docs.aws.amazon.com/IAM/latest/APIReference/API_CreatePolicy.html).
	// The per-type quotas of the IAM and STS quotas page
	// (docs.aws.amazon.com/IAM/latest/UserGuide/reference_iam-quotas.html:
	// 6,144 characters for a managed policy, 10,240 for a role's inline
	// policies) are lower, and depend on where the policy is attached.
	// AWS's own managed policies are not held to it (AWSSupportServiceRolePolicy
	// has 152,297 characters), so a document is read up to four times
	// MaxDocument, white space not counted, and refused past that.
	MaxDocument = 131072
	// MaxStatements bounds the statements of a document: one of
	// MaxDocument characters holds fewer (a statement takes at least 32),
	// and AWS's managed policies have at most 162.
	MaxStatements = 4096
	// MaxARN is the IAM API's limit on an ARN (arnType: "Maximum length
	// of 2048", docs.aws.amazon.com/IAM/latest/APIReference/API_Policy.html),
	// applied to Resource, NotResource and Principal values.
	MaxARN = 2048
	// MaxAction bounds an action: AWS documents no limit of its own, but
	// the longest service prefix it defines has 35 characters and the
	// longest action name 63 (the catalog); 128 leaves room for new ones.
	MaxAction = 128
)

// Parse parses a policy document from f, applying the rules of typ, and
// returns the document (nil when the input is not usable as one) with every
// problem found. Diagnostics are sorted by position.
func Parse(f *source.File, typ Type) (*Policy, []source.Diagnostic) { return parse(f, typ, false) }

func parse(f *source.File, typ Type, built bool) (*Policy, []source.Diagnostic) {
	root, jerrs := jsonpos.Parse(f.Data)
	p := &parser{f: f, built: built, short: len(f.Data) <= MaxDocument}
	for _, e := range jerrs {
		p.diags = append(p.diags, source.Diagnostic{File: f.Name, Pos: f.Position(e.Offset),
			Severity: source.Error, Message: e.Msg, Check: CheckJSON})
	}
	if root == nil {
		return nil, p.diags
	}
	pol := p.policy(root, typ)
	source.Sort(p.diags)
	return pol, p.diags
}

// ParseBuilt is Parse for a document iamfit builds itself (the proof's
// policy of every need): AWS's size and statement limits, which bound
// inputs, do not apply.
func ParseBuilt(f *source.File, typ Type) (*Policy, []source.Diagnostic) { return parse(f, typ, true) }

// ParseValue is Parse for a document already read as JSON (for example from
// inside a larger file); offsets are those of f.
func ParseValue(f *source.File, root *jsonpos.Value, typ Type) (*Policy, []source.Diagnostic) {
	p := &parser{f: f}
	pol := p.policy(root, typ)
	source.Sort(p.diags)
	return pol, p.diags
}

// ParseTree is ParseValue for the tree that jsonpos.Parse made of all of
// f.Data: a text of at most MaxDocument bytes has a compact size of at
// most four times that (a value never counts more than four times its
// text: "1" counts 4), so the document's size is only measured when the
// text is longer.
func ParseTree(f *source.File, root *jsonpos.Value, typ Type) (*Policy, []source.Diagnostic) {
	p := &parser{f: f, short: len(f.Data) <= MaxDocument}
	pol := p.policy(root, typ)
	source.Sort(p.diags)
	return pol, p.diags
}

// Arena is memory for the documents that its ParseTree reads one after
// another, each into the memory of the one before: a linter going
// through thousands of files allocates almost nothing for them. What
// ParseTree returns is valid until the next ParseTree of the Arena. The
// zero Arena is ready for use; it is not safe for concurrent use.
type Arena struct {
	pol   Policy
	stmts slab[Statement]
	ptrs  slab[*Statement]
	elems slab[Strings]
	strs  slab[String]
}

// ParseTree is the package function ParseTree, into the memory of the
// last document.
func (a *Arena) ParseTree(f *source.File, root *jsonpos.Value, typ Type) (*Policy, []source.Diagnostic) {
	a.stmts.reset()
	a.ptrs.reset()
	a.elems.reset()
	a.strs.reset()
	p := &parser{f: f, short: len(f.Data) <= MaxDocument, arena: a}
	pol := p.policy(root, typ)
	source.Sort(p.diags)
	return pol, p.diags
}

// slab hands out runs of zeroed values from one array, and starts a
// larger one when the array is used up; reset reuses the last array.
type slab[T any] struct {
	buf  []T
	used int
}

// take returns n zeroed values (of capacity n), at least min of them
// made at once when a new array is needed.
func (s *slab[T]) take(n, min int) []T {
	if s.used+n > len(s.buf) {
		s.buf, s.used = make([]T, max(n, min, 2*len(s.buf))), 0
	}
	out := s.buf[s.used : s.used+n : s.used+n]
	s.used += n
	clear(out)
	return out
}

func (s *slab[T]) reset() { s.used = 0 }

type parser struct {
	// short is set when the document is known to be within the size limit.
	short bool
	f     *source.File
	diags []source.Diagnostic
	// built is set for documents iamfit builds itself (the proof's), which
	// AWS's limits on documents do not bound.
	built bool

	// The document's statements, elements, strings and values are carved
	// from slabs: a policy is read in a few allocations, not dozens. The
	// slabs are arena's when it is set, else the parser's own.
	arena *Arena
	own   Arena
}

func (p *parser) slabs() *Arena {
	if p.arena != nil {
		return p.arena
	}
	return &p.own
}

// newPolicy returns a zero Policy.
func (p *parser) newPolicy() *Policy {
	if p.arena != nil {
		p.arena.pol = Policy{}
		return &p.arena.pol
	}
	return new(Policy)
}

// statements returns zero Statements for a document of n, and an empty
// list of capacity n to hold them.
func (p *parser) statements(n int) ([]Statement, []*Statement) {
	a := p.slabs()
	return a.stmts.take(n, n), a.ptrs.take(n, n)[:0]
}

// newStrings returns a zero Strings from the slab.
func (p *parser) newStrings() *Strings { return &p.slabs().elems.take(1, 8)[0] }

// newString returns a String from the slab.
func (p *parser) newString(v string, pos source.Pos) *String {
	s := &p.values(1)[:1][0]
	*s = String{v, pos}
	return s
}

// values returns an empty slice of capacity n from the slab.
func (p *parser) values(n int) []String { return p.slabs().strs.take(n, 16)[:0] }

func (p *parser) pos(off int) source.Pos { return p.f.Position(off) }

func (p *parser) report(off int, path, check string, format string, args ...any) {
	p.diags = append(p.diags, source.Diagnostic{File: p.f.Name, Pos: p.pos(off), Severity: source.Error,
		Message: fmt.Sprintf(format, args...), Check: check, Path: path})
}

func join(path, key string) string {
	if path == "" {
		return key
	}
	return path + "." + key
}

// members checks an object's keys: duplicates are reported, unknown keys are
// reported at "path.#Key", and the last value of each known key is returned.
func (p *parser) members(v *jsonpos.Value, path string, known []string, what string) fields {
	out := fields{keys: known}
	for i := range v.Members {
		m := &v.Members[i]
		idx := -1
		for j, k := range known {
			if m.Key == k {
				idx = j
				break
			}
		}
		if idx < 0 {
			msg := fmt.Sprintf("unknown key %q in %s", m.Key, what)
			for _, k := range known {
				if strings.EqualFold(k, m.Key) {
					msg += fmt.Sprintf("; keys are case-sensitive: write %q", k)
				}
			}
			p.report(m.KeyOffset, join(path, "#"+m.Key), CheckSyntax, "%s", msg)
			continue
		}
		if prev := out.vals[idx]; prev != nil {
			p.report(m.KeyOffset, join(path, "#"+m.Key), CheckDuplicate,
				"duplicate key %q (first at %s): only one of them takes effect, and tools disagree on which", m.Key, p.pos(prev.KeyOffset))
		}
		out.vals[idx] = m
	}
	return out
}

// fields are the known members of an object, the last of each key. The
// values live in an array, not a slice, so that a fields value needs no
// allocation (no object has more than nine known keys).
type fields struct {
	keys []string
	vals [9]*jsonpos.Member
}

// at returns the member of the i-th known key and whether it is present.
func (f fields) at(i int) (jsonpos.Member, bool) {
	if v := f.vals[i]; v != nil {
		return *v, true
	}
	return jsonpos.Member{}, false
}

// get returns the member named k and whether it is present.
func (f fields) get(k string) (jsonpos.Member, bool) {
	for i, key := range f.keys {
		if key == k && f.vals[i] != nil {
			return *f.vals[i], true
		}
	}
	return jsonpos.Member{}, false
}

// index returns "path[i]".
func index(path string, i int) string { return path + "[" + strconv.Itoa(i) + "]" }

// statementPaths are the first statementPath answers, made once.
var statementPaths = func() (out [64]string) {
	for i := range out {
		out[i] = index("Statement", i)
	}
	return out
}()

// statementPath returns "Statement[i]".
func statementPath(i int) string {
	if i < len(statementPaths) {
		return statementPaths[i]
	}
	return index("Statement", i)
}

func typeErr(v *jsonpos.Value, want string) string {
	return fmt.Sprintf("found %s, want %s", v.Kind, want)
}

func (p *parser) policy(root *jsonpos.Value, typ Type) *Policy {
	if root.Kind != jsonpos.Object {
		p.report(root.Offset, "", CheckSyntax, "a policy must be a JSON object, found %s", root.Kind)
		return nil
	}
	if !p.short && !p.built && compactSize(root, 4*MaxDocument) > 4*MaxDocument {
		p.report(root.Offset, "", CheckLimit, "the policy is more than %d characters without white space, four times the %d IAM accepts for a policy document (PolicyDocument, IAM API); not checked further", 4*MaxDocument, MaxDocument)
		return nil
	}
	if st := root.Get("Statement"); st != nil && len(st.Elems) > MaxStatements && !p.built {
		p.report(st.Offset, "Statement", CheckLimit, "the policy has %d statements: a document of the %d characters IAM accepts holds at most %d; not checked further", len(st.Elems), MaxDocument, MaxStatements)
		return nil
	}
	pol := p.newPolicy()
	*pol = Policy{File: p.f, Pos: p.pos(root.Offset)}
	m := p.members(root, "", policyKeys, "the policy")
	if v, ok := m.at(kVersion); ok {
		if v.Value.Kind != jsonpos.String {
			p.report(v.Value.Offset, "Version", CheckSyntax, "Version must be a string: %s", typeErr(v.Value, "string"))
		} else {
			pol.Version = p.newString(v.Value.Str, p.pos(v.Value.Offset))
			switch v.Value.Str {
			case "2012-10-17":
			case "2008-10-17":
				if typ == RCP {
					p.report(v.Value.Offset, "Version", CheckType, `Version must be "2012-10-17" in a resource control policy`)
				}
			default:
				p.report(v.Value.Offset, "Version", CheckSyntax, `unsupported Version %q: write "2012-10-17"`, v.Value.Str)
			}
		}
	} else if typ == RCP {
		p.report(root.Offset, "", CheckType, `Version must be "2012-10-17" in a resource control policy`)
	}
	if v, ok := m.at(kID); ok {
		if v.Value.Kind != jsonpos.String {
			p.report(v.Value.Offset, "Id", CheckSyntax, "Id must be a string: %s", typeErr(v.Value, "string"))
		} else {
			pol.ID = p.newString(v.Value.Str, p.pos(v.Value.Offset))
		}
	}
	st, ok := m.at(kStatement)
	if !ok {
		p.report(root.Offset, "", CheckSyntax, "the policy has no Statement")
		return pol
	}
	switch sv := st.Value; sv.Kind {
	case jsonpos.Object:
		stmts, ptrs := p.statements(1)
		pol.Statements = append(ptrs, p.statement(&stmts[0], sv, "Statement", 0, typ))
	case jsonpos.Array:
		pol.StatementList = true
		var stmts []Statement
		if n := len(sv.Elems); n > 0 {
			stmts, pol.Statements = p.statements(n)
		}
		if len(sv.Elems) == 0 {
			p.report(sv.Offset, "Statement", CheckEmpty, "Statement is an empty list: the policy grants and denies nothing")
		}
		for i, e := range sv.Elems {
			path := statementPath(i)
			if e.Kind != jsonpos.Object {
				p.report(e.Offset, path, CheckSyntax, "a statement must be an object: %s", typeErr(e, "object"))
				continue
			}
			pol.Statements = append(pol.Statements, p.statement(&stmts[i], e, path, i, typ))
		}
	default:
		p.report(sv.Offset, "Statement", CheckSyntax, "Statement must be an object or an array of objects: %s", typeErr(sv, "object or array"))
	}
	return pol
}

// policyKeys are the keys of a policy, kVersion... their indexes.
var policyKeys = []string{"Version", "Id", "Statement"}

const (
	kVersion = iota
	kID
	kStatement
)

// statementKeys are the keys of a statement, kSid... their indexes.
var statementKeys = []string{"Sid", "Effect", "Principal", "NotPrincipal", "Action", "NotAction",
	"Resource", "NotResource", "Condition"}

const (
	kSid = iota
	kEffect
	kPrincipal
	kNotPrincipal
	kAction
	kNotAction
	kResource
	kNotResource
	kCondition
)

var typePhrase = map[Type]string{
	Identity: "an identity policy", Resource: "a resource policy", Trust: "a trust policy",
	SCP: "a service control policy", RCP: "a resource control policy", Session: "a session policy",
	Endpoint: "an endpoint policy",
}

// statement reads the statement v into s, and returns s.
func (p *parser) statement(s *Statement, v *jsonpos.Value, path string, index int, typ Type) *Statement {
	*s = Statement{Index: index, Pos: p.pos(v.Offset), Path: path}
	m := p.members(v, path, statementKeys, "a statement")
	if sid, ok := m.at(kSid); ok {
		if sid.Value.Kind != jsonpos.String {
			p.report(sid.Value.Offset, path+".Sid", CheckSyntax, "Sid must be a string: %s", typeErr(sid.Value, "string"))
		} else {
			s.Sid = p.newString(sid.Value.Str, p.pos(sid.Value.Offset))
		}
	}
	if e, ok := m.at(kEffect); !ok {
		p.report(v.Offset, path, CheckSyntax, `the statement has no Effect: write "Allow" or "Deny"`)
	} else if e.Value.Kind != jsonpos.String || (e.Value.Str != "Allow" && e.Value.Str != "Deny") {
		msg := `Effect must be exactly "Allow" or "Deny"`
		if e.Value.Kind == jsonpos.String && (strings.EqualFold(e.Value.Str, "allow") || strings.EqualFold(e.Value.Str, "deny")) {
			msg += " (it is case-sensitive)"
		}
		p.report(e.Value.Offset, path+".Effect", CheckSyntax, "%s", msg)
	} else {
		s.Effect = Effect(e.Value.Str)
		s.EffectPos = p.pos(e.Value.Offset)
	}
	for _, pair := range [...][2]int{{kAction, kNotAction}, {kResource, kNotResource}, {kPrincipal, kNotPrincipal}} {
		_, a := m.at(pair[0])
		_, b := m.at(pair[1])
		if a && b {
			p.report(v.Offset, path, CheckSyntax, "the statement has both %s and %s: use one", statementKeys[pair[0]], statementKeys[pair[1]])
		}
	}
	if x, ok := m.at(kPrincipal); ok {
		s.Principal = p.principal(x.Value, path, "Principal")
	}
	if x, ok := m.at(kNotPrincipal); ok {
		s.NotPrincipal = p.principal(x.Value, path, "NotPrincipal")
	}
	if x, ok := m.at(kAction); ok {
		s.Action = p.strings(x.Value, path, "Action", "Action", MaxAction, p.checkAction)
	}
	if x, ok := m.at(kNotAction); ok {
		s.NotAction = p.strings(x.Value, path, "NotAction", "NotAction", MaxAction, p.checkAction)
	}
	if x, ok := m.at(kResource); ok {
		s.Resource = p.strings(x.Value, path, "Resource", "Resource", MaxARN, nil)
	}
	if x, ok := m.at(kNotResource); ok {
		s.NotResource = p.strings(x.Value, path, "NotResource", "NotResource", MaxARN, nil)
	}
	if x, ok := m.at(kCondition); ok {
		s.Conditions = p.conditions(x.Value, path+".Condition")
	}
	p.typeRules(s, v, m, typ)
	return s
}

func (p *parser) typeRules(s *Statement, v *jsonpos.Value, m fields, typ Type) {
	if typ == Any {
		return
	}
	phrase := typePhrase[typ]
	has := func(k int) bool { return m.vals[k] != nil }
	forbid := func(k int) {
		if x, ok := m.at(k); ok {
			p.report(x.KeyOffset, s.Path+".#"+statementKeys[k], CheckType, "%s is not allowed in %s", statementKeys[k], phrase)
		}
	}
	requireOne := func(a, b int) {
		if !has(a) && !has(b) {
			p.report(v.Offset, s.Path, CheckType, "one of %s or %s is required in %s", statementKeys[a], statementKeys[b], phrase)
		}
	}
	switch typ {
	case Identity, Session, SCP:
		forbid(kPrincipal)
		forbid(kNotPrincipal)
		requireOne(kAction, kNotAction)
		requireOne(kResource, kNotResource)
	case Resource:
		requireOne(kAction, kNotAction)
		if svc := resourceRequired(s); svc != "" && !has(kResource) && !has(kNotResource) {
			p.report(v.Offset, s.Path, CheckType, "one of Resource or NotResource is required in %s policy", svc)
		}
	case Trust:
		forbid(kResource)
		forbid(kNotResource)
		requireOne(kAction, kNotAction)
		requireOne(kPrincipal, kNotPrincipal)
	case Endpoint:
		requireOne(kAction, kNotAction)
		requireOne(kResource, kNotResource)
		if !has(kPrincipal) {
			p.report(v.Offset, s.Path, CheckType, "Principal is required in %s", phrase)
		} else if !s.Principal.isWildcard() {
			p.report(principalOffset(m), s.Path+".Principal", CheckType, `Principal must be "*" in %s`, phrase)
		}
	case RCP:
		if x, ok := m.at(kEffect); ok && s.Effect == Allow {
			p.report(x.Value.Offset, s.Path+".Effect", CheckType, `Effect must be "Deny" in %s`, phrase)
		}
		if !has(kPrincipal) {
			p.report(v.Offset, s.Path, CheckType, `Principal must be "*" in %s`, phrase)
		} else if !s.Principal.isWildcard() {
			p.report(principalOffset(m), s.Path+".Principal", CheckType, `Principal must be "*" in %s`, phrase)
		}
		forbid(kNotPrincipal)
		if !has(kAction) {
			p.report(v.Offset, s.Path, CheckType, "Action is required in %s", phrase)
		}
		forbid(kNotAction)
		requireOne(kResource, kNotResource)
		if x, ok := m.at(kAction); ok && s.Action != nil {
			av := x.Value
			for i, a := range s.Action.Values {
				if a.Value == "*" {
					path, off := s.Path+".Action", av.Offset
					if s.Action.List {
						path, off = index(s.Path+".Action", i), av.Elems[i].Offset
					}
					p.report(off, path, CheckType, `Action cannot be "*" in %s`, phrase)
				}
			}
		}
	}
}

// resourceRequiredIn names the services whose resource policies require
// Resource in every statement, with the kind of policy: a KMS key policy
// ("Resource – (Required)",
// https://docs.aws.amazon.com/kms/latest/developerguide/key-policy-overview.html)
// and an S3 bucket policy. Other resource policies may omit it (an ECR
// repository policy names no resource: it is the repository's).
var resourceRequiredIn = map[string]string{"kms": "a KMS key", "s3": "an S3 bucket"}

// resourceRequired returns the kind of policy that requires Resource when
// every action of the statement is of one such service, or "".
func resourceRequired(s *Statement) string {
	if s.Action == nil || len(s.Action.Values) == 0 {
		return ""
	}
	kind := ""
	for _, a := range s.Action.Values {
		svc, _, ok := strings.Cut(strings.ToLower(a.Value), ":")
		k := resourceRequiredIn[svc]
		if !ok || k == "" || (kind != "" && k != kind) {
			return ""
		}
		kind = k
	}
	return kind
}

func principalOffset(m fields) int {
	x, _ := m.at(kPrincipal)
	return x.Value.Offset
}

func (pr *Principal) isWildcard() bool {
	if pr == nil {
		return false
	}
	if pr.Wildcard {
		return true
	}
	return false
}

// elemPath is the path of element i of parent.key, or of parent.key when i < 0.
// Paths are only built when a problem is reported.
func elemPath(parent, key string, i int) string {
	if i < 0 {
		return join(parent, key)
	}
	return index(join(parent, key), i)
}

// strings reads the string-or-array element parent.key. Values longer
// than maxLen are reported and left out; check, when set, validates each
// value.
func (p *parser) strings(v *jsonpos.Value, parent, key, name string, maxLen int, check func(val *jsonpos.Value, parent, key string, i int)) *Strings {
	out := p.newStrings()
	*out = Strings{Pos: p.pos(v.Offset)}
	long := func(e *jsonpos.Value, i int) bool {
		if len(e.Str) <= maxLen {
			return false
		}
		what := "an ARN (the IAM API's limit)"
		if maxLen == MaxAction {
			what = "an action iamfit allows (the longest action name AWS defines has 63 after its service prefix)"
		}
		p.report(e.Offset, elemPath(parent, key, i), CheckLimit, "%s value of %d characters: longer than the %d characters of %s; left out", name, len(e.Str), maxLen, what)
		return true
	}
	switch v.Kind {
	case jsonpos.String:
		if long(v, -1) {
			break
		}
		out.Values = append(p.values(1), String{v.Str, p.pos(v.Offset)})
		if check != nil {
			check(v, parent, key, -1)
		}
	case jsonpos.Array:
		out.List = true
		out.Values = p.values(len(v.Elems))
		if len(v.Elems) == 0 {
			p.report(v.Offset, join(parent, key), CheckEmpty, "%s is an empty list", name)
		}
		for i, e := range v.Elems {
			if e.Kind != jsonpos.String {
				p.report(e.Offset, elemPath(parent, key, i), CheckSyntax, "%s values must be strings: %s", name, typeErr(e, "string"))
				continue
			}
			if long(e, i) {
				continue
			}
			out.Values = append(out.Values, String{e.Str, p.pos(e.Offset)})
			if check != nil {
				check(e, parent, key, i)
			}
		}
	default:
		p.report(v.Offset, join(parent, key), CheckSyntax, "%s must be a string or an array of strings: %s", name, typeErr(v, "string or array"))
	}
	return out
}

func isAlnum(c byte) bool {
	return 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9'
}

func validService(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		if c := s[i]; !isAlnum(c) && c != '-' {
			return false
		}
	}
	return true
}

func validActionName(s string) bool {
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case isAlnum(c), c == '*', c == '?', c == ',', c == ' ', c == '-':
		default:
			return false
		}
	}
	return true
}

// checkAction applies the grammar of an action: "*" or "service:action",
// where the service holds letters, digits and hyphens, and the action also
// wildcards. Whether the action exists is for the linter to say.
func (p *parser) checkAction(v *jsonpos.Value, parent, key string, i int) {
	a := v.Str
	if a == "*" || placeholder(a) {
		return
	}
	svc, name, ok := strings.Cut(a, ":")
	if !ok || strings.IndexByte(name, ':') >= 0 {
		p.report(v.Offset, elemPath(parent, key, i), CheckSyntax, `action %q must be "*" or "service:action"`, a)
		return
	}
	if !validService(svc) {
		p.report(v.Offset, elemPath(parent, key, i), CheckSyntax, "service prefix %q of action %q may only hold letters, digits and hyphens", svc, a)
		return
	}
	if !validActionName(name) {
		p.report(v.Offset, elemPath(parent, key, i), CheckSyntax, "action name %q may only hold letters, digits, hyphens and the wildcards * and ?", name)
	}
}

// placeholder reports whether an action is one value built by a template
// (a CloudFormation !Split or !Ref of a list parameter, read as "${Split}"),
// unknown until it is deployed: not for the grammar to judge.
func placeholder(a string) bool {
	return strings.HasPrefix(a, "${") && strings.HasSuffix(a, "}") && strings.Count(a, "${") == 1 && !strings.Contains(a, ":")
}

var principalKeys = []string{"AWS", "Service", "Federated", "CanonicalUser"}

func (p *parser) principal(v *jsonpos.Value, parent, name string) *Principal {
	pr := &Principal{Pos: p.pos(v.Offset)}
	path := join(parent, name)
	switch v.Kind {
	case jsonpos.String:
		if v.Str != "*" {
			p.report(v.Offset, path, CheckSyntax, `%s must be "*" or an object such as {"AWS": %q}`, name, v.Str)
			// Read it as the AWS principal it was meant to be, so that the
			// rest of the document can still be checked.
			pr.Entries = []PrincipalEntry{{Type: "AWS", Pos: p.pos(v.Offset), Values: []String{{v.Str, p.pos(v.Offset)}}}}
			return pr
		}
		pr.Wildcard = true
	case jsonpos.Object:
		m := p.members(v, path, principalKeys, name)
		for _, mem := range v.Members {
			if x, ok := m.get(mem.Key); !ok || x.KeyOffset != mem.KeyOffset {
				continue
			}
			s := p.strings(mem.Value, path, mem.Key, name+"."+mem.Key, MaxARN, nil)
			pr.Entries = append(pr.Entries, PrincipalEntry{Type: mem.Key, Pos: p.pos(mem.KeyOffset), List: s.List, Values: s.Values})
		}
		if len(v.Members) == 0 {
			p.report(v.Offset, path, CheckEmpty, "%s is an empty object: it names no principal", name)
		}
	default:
		p.report(v.Offset, path, CheckSyntax, "%s must be \"*\" or an object: %s", name, typeErr(v, "string or object"))
	}
	return pr
}

func (p *parser) conditions(v *jsonpos.Value, path string) []*Condition {
	switch v.Kind {
	case jsonpos.Object:
	case jsonpos.Null:
		p.report(v.Offset, path, CheckSyntax, "Condition must be an object, found null")
		return nil
	default:
		p.report(v.Offset, path, CheckSyntax, "Condition must be an object: %s", typeErr(v, "object"))
		return nil
	}
	var out []*Condition
	// Paths and sets of the keys seen are only made where they can be
	// needed: a path when a problem is reported, a set for more than one.
	var seenOp map[string]int
	if len(v.Members) > 1 {
		seenOp = make(map[string]int, len(v.Members))
	}
	for _, om := range v.Members {
		opPath := func() string { return path + "." + om.Key }
		if prev, dup := seenOp[om.Key]; dup {
			p.report(om.KeyOffset, path+".#"+om.Key, CheckDuplicate,
				"duplicate condition operator %q (first at %s): only one of them takes effect", om.Key, p.pos(prev))
		}
		if seenOp != nil {
			seenOp[om.Key] = om.KeyOffset
		}
		base, set, ifExists, ok, msg := ParseOperator(om.Key)
		if !ok {
			p.report(om.KeyOffset, path+".#"+om.Key, CheckSyntax, "%s", msg)
		}
		if om.Value.Kind != jsonpos.Object {
			p.report(om.Value.Offset, opPath(), CheckSyntax, "condition operator %s must map condition keys to values: %s", om.Key, typeErr(om.Value, "object"))
			continue
		}
		if len(om.Value.Members) == 0 {
			p.report(om.Value.Offset, opPath(), CheckEmpty, "condition operator %s has no keys", om.Key)
		}
		var seenKey map[string]int
		if len(om.Value.Members) > 1 {
			seenKey = make(map[string]int, len(om.Value.Members))
		}
		for _, km := range om.Value.Members {
			keyPath := func() string { return opPath() + "." + km.Key }
			if seenKey != nil {
				lk := strings.ToLower(km.Key)
				if prev, dup := seenKey[lk]; dup {
					p.report(km.KeyOffset, opPath()+".#"+km.Key, CheckDuplicate,
						"duplicate condition key %q under %s (first at %s): only one of them takes effect", km.Key, om.Key, p.pos(prev))
				}
				seenKey[lk] = km.KeyOffset
			}
			c := &Condition{Operator: String{om.Key, p.pos(om.KeyOffset)}, Base: base, IfExists: ifExists, Set: set,
				Key: String{km.Key, p.pos(km.KeyOffset)}}
			vals := []*jsonpos.Value{km.Value}
			if km.Value.Kind == jsonpos.Array {
				c.List = true
				vals = km.Value.Elems
				if len(vals) == 0 {
					p.report(km.Value.Offset, keyPath(), CheckEmpty, "condition key %s has an empty list of values", km.Key)
				}
			}
			for i, cv := range vals {
				switch cv.Kind {
				case jsonpos.String:
					c.Values = append(c.Values, Value{cv.Str, StringValue, p.pos(cv.Offset)})
				case jsonpos.Bool:
					s := "false"
					if cv.Bool {
						s = "true"
					}
					c.Values = append(c.Values, Value{s, BoolValue, p.pos(cv.Offset)})
				case jsonpos.Number:
					c.Values = append(c.Values, Value{cv.Str, NumberValue, p.pos(cv.Offset)})
				default:
					vp := keyPath()
					if c.List {
						vp = index(vp, i)
					}
					p.report(cv.Offset, vp, CheckSyntax, "condition values must be strings, booleans or numbers: %s", typeErr(cv, "string, boolean or number"))
				}
			}
			if ok {
				out = append(out, c)
			}
		}
	}
	return out
}

// compactSize returns the length of v written as JSON without white
// space, counting string characters as written (escapes as one), or a
// number past limit as soon as it is known to be past it.
func compactSize(v *jsonpos.Value, limit int) int {
	n := 0
	var walk func(v *jsonpos.Value)
	walk = func(v *jsonpos.Value) {
		if n > limit {
			return
		}
		switch v.Kind {
		case jsonpos.String:
			n += utf8.RuneCountInString(v.Str) + 2
		case jsonpos.Array:
			n += 1 + max(len(v.Elems), 1)
			for _, e := range v.Elems {
				walk(e)
			}
		case jsonpos.Object:
			n += 1 + max(len(v.Members), 1)
			for _, m := range v.Members {
				n += utf8.RuneCountInString(m.Key) + 3
				walk(m.Value)
			}
		default:
			n += max(len(v.Str), 4)
		}
	}
	walk(v)
	return n
}
