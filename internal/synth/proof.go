package synth

import (
	"fmt"
	"iter"
	"sort"
	"strings"

	"github.com/iamfit/iamfit/internal/arn"
	"github.com/iamfit/iamfit/internal/catalog"
	"github.com/iamfit/iamfit/internal/eval"
	"github.com/iamfit/iamfit/internal/need"
	"github.com/iamfit/iamfit/internal/policy"
	"github.com/iamfit/iamfit/internal/source"
)

// Check is one request of the proof and what it must come to.
type Check struct {
	Want    eval.Result // Allowed for needs, not Allowed for probes
	Got     eval.Result
	Request string // "ecr:PutImage on arn:..." for reports
	Why     string
}

// OK reports whether the check came out as it must.
func (c Check) OK() bool {
	if c.Want == eval.Allowed {
		return c.Got == eval.Allowed
	}
	return c.Got != eval.Allowed
}

// Proof is the result of checking a plan with the evaluator.
type Proof struct {
	Needs, Probes []Check
	// Grammar are the problems IAM would reject the generated documents
	// for (a Sid with other characters than letters and digits, a value
	// of the wrong type): each a failure.
	Grammar []Check
}

// Failures returns the checks that did not come out as they must.
func (p *Proof) Failures() []Check {
	out := append([]Check(nil), p.Grammar...)
	for _, c := range append(append([]Check(nil), p.Needs...), p.Probes...) {
		if !c.OK() {
			out = append(out, c)
		}
	}
	return out
}

// instance turns a pattern into one concrete value it matches: a
// wildcard becomes a character, IAM's escapes ${*}, ${?} and ${$} the
// literal character they stand for.
func instance(s string) string {
	if s == "*" || !strings.ContainsAny(s, "*?") && !strings.Contains(s, "${") {
		return s
	}
	return instanceReplacer.Replace(s)
}

// instanceReplacer is instance's replacer, built once: building it costs
// more than using it.
var instanceReplacer = strings.NewReplacer("${*}", "*", "${?}", "?", "${$}", "$", "*", "1", "?", "x")

// compileText parses a document iamfit writes itself for the proof.
func compileText(kind eval.Kind, name, text string) (*eval.Policy, error) {
	doc, diags := policy.ParseBuilt(source.NewFile(name, []byte(text)), policy.Any)
	for _, d := range diags {
		if d.Severity == source.Error {
			return nil, fmt.Errorf("%s does not parse: %s", name, d)
		}
	}
	return eval.NewPolicy(kind, name, doc), nil
}

// delegating is a resource policy that leaves the decision to the
// principal's account (as a key policy or trust policy that delegates to
// IAM does): with it, a request is allowed exactly when the identity policy
// allows it, whichever account owns the resource and whether or not the
// action needs a resource policy (sts:AssumeRole, KMS keys).
func delegating(account string) (*eval.Policy, error) {
	return compileText(eval.ResourcePolicy, "the resource side (delegates to IAM)", `{"Version":"2012-10-17","Statement":[{"Effect":"Allow",`+
		`"Principal":{"AWS":"arn:aws:iam::`+account+`:root"},"Action":"*","Resource":"*"}]}`)
}

// allowAll is the caller's identity policy when the proof checks a trust
// policy: the caller's own permissions are another plan's proof.
func allowAll() (*eval.Policy, error) {
	return compileText(eval.IdentityPolicy, "the caller's identity policy (proven with its own role)",
		`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}`)
}

// Prover proves plans. It keeps what the proofs of many plans share, so
// that proving every role of a large repository makes each of these once:
// the resource side that delegates to IAM (one per account), the caller's
// identity policy of a chained trust, each service's write actions in
// name order, and the generated documents read (one per text). The policies it keeps are compiled once and only read after.
// A Prover is not safe for concurrent use.
type Prover struct {
	cat        *catalog.Catalog
	delegating map[string]*eval.Policy
	allowAll   *eval.Policy
	writes     map[string][]writeAction
	// docs are the generated documents read, by their text.
	docs map[docKey]readDoc
}

// NewProver returns a Prover that looks actions up in cat.
func NewProver(cat *catalog.Catalog) *Prover {
	return &Prover{cat: cat, delegating: map[string]*eval.Policy{}, writes: map[string][]writeAction{}, docs: map[docKey]readDoc{}}
}

func (v *Prover) delegatingPolicy(account string) (*eval.Policy, error) {
	if pol, ok := v.delegating[account]; ok {
		return pol, nil
	}
	pol, err := delegating(account)
	if err != nil {
		return nil, err
	}
	v.delegating[account] = pol
	return pol, nil
}

func (v *Prover) allowAllPolicy() (*eval.Policy, error) {
	if v.allowAll == nil {
		pol, err := allowAll()
		if err != nil {
			return nil, err
		}
		v.allowAll = pol
	}
	return v.allowAll, nil
}

// writeAction is a write action with its name lower-cased.
type writeAction struct {
	a  *catalog.Action
	lc string
}

// writeActions returns the write actions of svc that can be scoped to a
// resource, by name.
func (v *Prover) writeActions(svc *catalog.Service) []writeAction {
	if out, ok := v.writes[svc.Key]; ok {
		return out
	}
	var out []writeAction
	for _, a := range svc.Actions() {
		if a.Access == catalog.Write && !a.WildcardOnly() {
			out = append(out, writeAction{a, strings.ToLower(a.String())})
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].a.Name < out[j].a.Name })
	v.writes[svc.Key] = out
	return out
}

// prover holds what one proof needs.
type prover struct {
	v     *Prover
	p     *Plan
	cat   *catalog.Catalog
	b     *binding
	proof *Proof
	seen  map[string]bool
	// account is the role's account, bound.
	account string
	// reqs makes the proof's requests, in the storage of req and ctx.
	reqs eval.Requests
	req  eval.Request
	ctx  *eval.Context
	// keyAction is the last action key saw, keyActionLC it lower-cased.
	keyAction, keyActionLC string
}

// Prove evaluates every need of the plan against the generated policy (it
// must be allowed) and probes that must be denied: another resource of the
// same type, the same resource in another account and another region,
// another value of each pinning condition, a write action of the same
// service that no step calls, and for the trust policy another repository
// (of the same owner and of another), another branch, a tag, a pull
// request, another environment, another audience and another identity
// provider.
//
// Parameters are bound to one value each for the whole proof (see
// binding); probe values occur nowhere in the inputs, and a probe is only
// made when the needs themselves (or the subjects) deny it, so that a
// probe the policy allows is always a policy wider than its inputs. The
// permission policy is checked with a resource side that delegates to IAM:
// the trust of a chained role, a key policy or another account's resource
// policy are not the generated policy's to prove.
func Prove(p *Plan, cat *catalog.Catalog) (*Proof, error) { return NewProver(cat).Prove(p) }

// Prove is the package function Prove, with what the proofs of v share.
func (v *Prover) Prove(p *Plan) (*Proof, error) {
	pr := &prover{v: v, p: p, cat: v.cat, b: newBinding(p), proof: &Proof{}, seen: map[string]bool{}}
	pr.account = pr.b.bind(p.Role.Account)
	if !arn.ValidAccount(pr.account) || pr.account == "" {
		pr.account = pr.b.accountID()
	}
	// Each generated document is written, bound and read once, as IAM
	// will read it: its grammar is checked and the same reading is
	// evaluated.
	perm, err := pr.document(eval.IdentityPolicy, "generated policy", "permission policy", p.Policy, policy.Identity)
	if err != nil {
		return nil, err
	}
	trust, err := pr.document(eval.ResourcePolicy, "generated trust policy", "trust policy", p.Trust, policy.Trust)
	if err != nil {
		return nil, err
	}
	if err := pr.permissions(perm); err != nil {
		return nil, err
	}
	if err := pr.trust(trust); err != nil {
		return nil, err
	}
	return pr.proof, nil
}

// request is one request of the proof, before evaluation.
type request struct {
	action, resource string
	ctx              map[string]string
}

// key identifies r among the proof's requests (actions and keys compare
// case-insensitively).
func (pr *prover) key(r request) string {
	// The requests of one need come in turn: its action is lower-cased
	// once.
	if r.action != pr.keyAction {
		pr.keyAction, pr.keyActionLC = r.action, strings.ToLower(r.action)
	}
	if len(r.ctx) == 0 {
		return pr.keyActionLC + " " + r.resource + " "
	}
	keys := make([]string, 0, len(r.ctx))
	for k, v := range r.ctx {
		keys = append(keys, strings.ToLower(k)+"="+v)
	}
	sort.Strings(keys)
	return pr.keyActionLC + " " + r.resource + " " + strings.Join(keys, " ")
}

// request makes r the proof's request by principal. The proof decides one
// request at a time: each reuses the storage of the one before.
func (pr *prover) request(r request, principal string) *eval.Request {
	var ctx *eval.Context // none for a request without keys
	if len(r.ctx) > 0 {
		if pr.ctx == nil {
			pr.ctx = eval.NewContext()
		}
		ctx = pr.ctx
		ctx.Reset()
		for k, v := range r.ctx {
			ctx.Set(k, v)
		}
	}
	return pr.reqs.Reuse(&pr.req, eval.Request{Principal: principal, Action: r.action, Resource: r.resource, Context: ctx})
}

func (r request) with(key, value string) request {
	ctx := make(map[string]string, len(r.ctx)+1)
	for k, v := range r.ctx {
		if !strings.EqualFold(k, key) {
			ctx[k] = v
		}
	}
	ctx[key] = value
	return request{r.action, r.resource, ctx}
}

func (r request) String() string { return r.action + " on " + r.resource }

// needRequest is the request a need makes, its parameters bound.
func (pr *prover) needRequest(n need.Need) request {
	r := request{action: n.Action, resource: instance(pr.b.bind(n.Resource)), ctx: map[string]string{}}
	for k, v := range n.Context {
		r.ctx[k] = pr.b.bind(v)
	}
	for _, c := range n.Conditions {
		if len(c.Values) == 0 {
			continue
		}
		v := pr.b.bind(c.Values[0])
		if strings.Contains(c.Op, "Like") {
			v = instance(v)
		}
		r.ctx[c.Key] = v
	}
	return r
}

// permissions proves the permission policy, gen as document read it.
func (pr *prover) permissions(gen *eval.Policy) error {
	p := pr.p
	var needs []need.Need
	for _, st := range p.Statements {
		needs = append(needs, st.Needs...)
	}
	if len(needs) == 0 && p.Policy == nil {
		return nil
	}
	side, err := pr.v.delegatingPolicy(pr.account)
	if err != nil {
		return err
	}
	var identity []*eval.Policy
	if gen != nil {
		identity = append(identity, gen)
	}
	var intended []*eval.Policy
	if len(needs) > 0 {
		pol, err := pr.needsPolicy(needs)
		if err != nil {
			return err
		}
		intended = append(intended, pol)
	}
	got := eval.Compile(eval.Input{Identity: identity, Resource: []*eval.Policy{side}}, pr.cat)
	want := eval.Compile(eval.Input{Identity: intended, Resource: []*eval.Policy{side}}, pr.cat)
	principal := "arn:aws:sts::" + pr.account + ":assumed-role/" + pr.b.bind(p.Role.Name()) + "/GitHubActions"

	// The proof's decisions reuse one Decision each: both sets are
	// indexed, so a decision costs the statements that can apply to it,
	// and the proof stays linear in the needs.
	var gotD, wantD eval.Decision
	allow := func(r request, why string) {
		got.EvaluateInto(pr.request(r, principal), &gotD)
		pr.proof.Needs = append(pr.proof.Needs, Check{eval.Allowed, gotD.Result, r.String(), why})
	}
	// deny adds the probe r unless the needs allow it or it was made
	// already; it reports whether r is a probe. Both sets decide the
	// same request.
	deny := func(r request, why string) bool {
		req := pr.request(r, principal)
		if want.EvaluateInto(req, &wantD); wantD.Result == eval.Allowed {
			return false
		}
		if k := pr.key(r); !pr.seen[k] {
			pr.seen[k] = true
			got.EvaluateInto(req, &gotD)
			pr.proof.Probes = append(pr.proof.Probes, Check{eval.ImplicitlyDenied, gotD.Result, r.String(), why})
		}
		return true
	}
	needed := map[string]bool{}
	for _, n := range needs {
		needed[strings.ToLower(n.Action)] = true
	}
	for _, n := range needs {
		r := pr.needRequest(n)
		allow(r, n.Where()+" "+n.Why)
		if n.Resource != "*" {
			pattern := pr.b.bind(n.Resource)
			// The first candidate that is a probe; each is made when
			// the one before is not.
			for o := range pr.otherNames(pattern) {
				if deny(request{r.action, o, r.ctx}, "another resource of the same type") {
					break
				}
			}
			if o, ok := pr.otherPart(pattern, 4, pr.b.otherAccount); ok {
				deny(request{r.action, o, r.ctx}, "the same resource in another account")
			}
			if o, ok := pr.otherPart(pattern, 3, pr.b.otherRegion); ok {
				deny(request{r.action, o, r.ctx}, "the same resource in another region")
			}
		}
		for _, c := range n.Conditions {
			for alt := range pr.otherValues(c) {
				if deny(r.with(c.Key, alt), "the same call with "+c.Key+" = "+alt) {
					break
				}
			}
		}
	}
	// A write action of the same service and resource type that no step calls.
	for _, st := range p.Statements {
		if probe := pr.unneededWrite(st, needed); probe != nil {
			r := pr.needRequest(need.Need{Action: probe.String(), Resource: st.Resources[0], Conditions: st.Conditions})
			deny(r, "a "+string(probe.Access)+" action no step calls")
		}
	}
	return nil
}

// needsPolicy is the needs as a policy, one statement each (needs that
// are the same request once), their parameters bound: a probe it allows is
// not a probe. It is built as the parser would read it, not written and
// read: no one reads it but the proof.
func (pr *prover) needsPolicy(needs []need.Need) (*eval.Policy, error) {
	doc := &policy.Policy{Version: &policy.String{Value: "2012-10-17"}, StatementList: true}
	seen := map[string]bool{}
	for _, n := range needs {
		k := n.Action + "\x00" + n.Resource + "\x00" + need.CondKey(n.Conditions)
		if seen[k] {
			continue
		}
		seen[k] = true
		st := &policy.Statement{Index: len(doc.Statements), Effect: policy.Allow,
			Action:   &policy.Strings{Values: []policy.String{{Value: pr.b.bind(n.Action)}}},
			Resource: &policy.Strings{Values: []policy.String{{Value: pr.b.bind(n.Resource)}}}}
		keys := map[string]bool{}
		for _, c := range n.Conditions {
			// What the parser would refuse in the written document.
			base, set, ifExists, ok, msg := policy.ParseOperator(c.Op)
			switch k := c.Op + "\x00" + strings.ToLower(c.Key); {
			case !ok:
				return nil, fmt.Errorf("the needs: condition operator %s: %s", c.Op, msg)
			case len(c.Values) == 0:
				return nil, fmt.Errorf("the needs: condition key %s has no values", c.Key)
			case keys[k]:
				return nil, fmt.Errorf("the needs: condition key %s twice under %s", c.Key, c.Op)
			default:
				keys[k] = true
			}
			pc := &policy.Condition{Operator: policy.String{Value: c.Op}, Base: base, Set: set, IfExists: ifExists,
				Key: policy.String{Value: pr.b.bind(c.Key)}, List: len(c.Values) > 1}
			for _, v := range c.Values {
				pc.Values = append(pc.Values, policy.Value{Value: pr.b.bind(v)})
			}
			st.Conditions = append(st.Conditions, pc)
		}
		doc.Statements = append(doc.Statements, st)
	}
	return eval.NewPolicy(eval.IdentityPolicy, "the needs", doc), nil
}

// otherNames yields resources of the same type as pattern that differ in
// one name segment (the last literal one first), each with a value no
// input holds, made when it is asked for.
func (pr *prover) otherNames(pattern string) iter.Seq[string] {
	return func(yield func(string) bool) {
		parts, ok := arn.Split(pattern)
		if !ok {
			yield(instance(pattern) + "-" + pr.b.fresh("iamfit-probe"))
			return
		}
		res := parts[5]
		head := pattern[:len(pattern)-len(res)] // the parts before the resource, with their colons
		end := len(res)
		for end > 0 {
			start := strings.LastIndexAny(res[:end], "/:") + 1
			seg := res[start:end]
			if seg != "" && !strings.ContainsAny(seg, "*?") {
				if !yield(instance(head + res[:start] + pr.b.fresh("iamfit-probe-"+seg) + res[end:])) {
					return
				}
			}
			end = start - 1
		}
		yield(instance(pattern) + "-" + pr.b.fresh("iamfit-probe"))
	}
}

// otherPart returns the ARN pattern with part i (3 region, 4 account)
// replaced, when that part is a concrete value.
func (pr *prover) otherPart(pattern string, i int, other func() string) (string, bool) {
	parts, ok := arn.Split(pattern)
	if !ok || parts[i] == "" || strings.ContainsAny(parts[i], "*?$") {
		return "", false
	}
	parts[i] = other()
	return instance(strings.Join(parts[:], ":")), true
}

// servicePrincipals are candidates for "another service".
var servicePrincipals = []string{"lambda.amazonaws.com", "ec2.amazonaws.com", "glue.amazonaws.com", "sagemaker.amazonaws.com", "ecs-tasks.amazonaws.com"}

// otherValues yields candidate values of c's key that the need does not
// give, each made when it is asked for: the first that the needs deny is
// the probe.
func (pr *prover) otherValues(c need.Cond) iter.Seq[string] {
	return func(yield func(string) bool) {
		if len(c.Values) == 0 {
			return
		}
		v := pr.b.bind(c.Values[0])
		var fixed []string
		switch strings.ToLower(c.Key) {
		case "ecs:createaction":
			fixed = []string{"CreateService", "RunTask", "StartTask", "RegisterTaskDefinition", "CreateCluster"}
		case "aws:requestedregion":
			if !yield(pr.b.otherRegion()) {
				return
			}
		}
		for _, f := range fixed {
			if !yield(f) {
				return
			}
		}
		switch {
		case strings.HasPrefix(v, "arn:"):
			for o := range pr.otherNames(v) {
				if !yield(o) {
					return
				}
			}
			if o, ok := pr.otherPart(v, 4, pr.b.otherAccount); ok && !yield(o) {
				return
			}
		case strings.HasSuffix(v, ".amazonaws.com"):
			for _, s := range servicePrincipals {
				if !yield(s) {
					return
				}
			}
			if !yield(pr.b.fresh("iamfit-probe") + ".amazonaws.com") {
				return
			}
		case arn.ValidRegion(v) && v != "":
			if !yield(pr.b.otherRegion()) {
				return
			}
		case arn.ValidAccount(v) && v != "":
			if !yield(pr.b.otherAccount()) {
				return
			}
		}
		yield(pr.b.fresh("iamfit-probe-value"))
	}
}

// unneededWrite picks a write action of the statement's first service that
// fits the statement's first resource and that no need calls.
func (pr *prover) unneededWrite(st *Statement, needed map[string]bool) *catalog.Action {
	svcName, _, _ := strings.Cut(st.Actions[0], ":")
	svc := pr.cat.Service(svcName)
	if svc == nil || st.Resources[0] == "*" {
		return nil
	}
	res := arn.CompilePattern(instance(pr.b.bind(st.Resources[0])))
	// Actions share resource types: each format is matched once
	// (Pattern.MatchesAction, format by format).
	fits := map[string]bool{}
	for _, w := range pr.v.writeActions(svc) {
		if needed[w.lc] {
			continue
		}
		a := w.a
		for _, r := range a.Resources {
			if r.Type == nil {
				return a
			}
			fit, ok := fits[r.Type.ARN]
			if !ok {
				fit = res.MatchesFormat(r.Type.ARN)
				fits[r.Type.ARN] = fit
			}
			if fit {
				return a
			}
		}
	}
	return nil
}

// document reads a generated document as IAM will: written, its
// parameters bound, parsed with the rules of its policy type. What IAM
// would reject it for is a failure of the proof (its size is warned about
// separately); the reading is what the proof evaluates, as name. A
// document that does not parse at all is an internal error.
func (pr *prover) document(kind eval.Kind, name, what string, doc *policy.Policy, typ policy.Type) (*eval.Policy, error) {
	if doc == nil {
		return nil, nil
	}
	data, err := policy.Marshal(doc)
	if err != nil {
		return nil, err
	}
	text := pr.b.bind(string(data))
	// Roles of one kind often have the same document (the trust of every
	// task execution role of an account): it is read once, and the
	// policy evaluated is the one compiled for the first.
	key := docKey{kind, name, what, typ, text}
	d, ok := pr.v.docs[key]
	if !ok {
		d, err = readDocument(kind, name, what, text, typ)
		if err != nil {
			return nil, err
		}
		pr.v.docs[key] = d
	}
	pr.proof.Grammar = append(pr.proof.Grammar, d.grammar...)
	return d.pol, nil
}

// docKey is a generated document as the proof reads it.
type docKey struct {
	kind       eval.Kind
	name, what string
	typ        policy.Type
	text       string
}

// readDoc is what the proof reads from a document: the policy to evaluate
// and the grammar's failures.
type readDoc struct {
	pol     *eval.Policy
	grammar []Check
}

func readDocument(kind eval.Kind, name, what, text string, typ policy.Type) (readDoc, error) {
	parsed, diags := policy.ParseBuilt(source.NewFile(what, []byte(text)), typ)
	for _, d := range diags {
		// The rules of the type are the grammar's to report; the rest is
		// the shared grammar, which a written document always meets.
		if d.Severity == source.Error && d.Check != policy.CheckType {
			return readDoc{}, fmt.Errorf("%s does not parse: %s", name, d)
		}
	}
	var out readDoc
	if typ == policy.Identity {
		for _, st := range parsed.Statements {
			// An identity policy's Sid holds ASCII letters and digits only
			// (IAM JSON policy elements: Sid).
			if st.Sid != nil && need.Identifier(st.Sid.Value) != st.Sid.Value {
				out.grammar = append(out.grammar, Check{Want: eval.Allowed, Got: eval.ImplicitlyDenied,
					Request: what + " as IAM reads it", Why: fmt.Sprintf("Sid %q may only hold ASCII letters and digits", st.Sid.Value)})
			}
		}
	}
	for _, d := range diags {
		if d.Severity == source.Error {
			out.grammar = append(out.grammar, Check{Want: eval.Allowed, Got: eval.ImplicitlyDenied,
				Request: what + " as IAM reads it", Why: d.String()})
		}
	}
	out.pol = eval.NewPolicy(kind, name, parsed)
	return out, nil
}
