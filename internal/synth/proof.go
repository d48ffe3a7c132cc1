package synth

import (
	"fmt"
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
}

// Failures returns the checks that did not come out as they must.
func (p *Proof) Failures() []Check {
	var out []Check
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

// compileDoc parses a generated document with its parameters bound.
func compileDoc(kind eval.Kind, name string, p *policy.Policy, b *binding) (*eval.Policy, error) {
	data, err := policy.Marshal(p)
	if err != nil {
		return nil, err
	}
	return compileText(kind, name, b.bind(string(data)))
}

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

// prover holds what one proof needs.
type prover struct {
	p     *Plan
	cat   *catalog.Catalog
	b     *binding
	proof *Proof
	seen  map[string]bool
	// account is the role's account, bound.
	account string
	// reqs makes the proof's requests.
	reqs eval.Requests
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
func Prove(p *Plan, cat *catalog.Catalog) (*Proof, error) {
	pr := &prover{p: p, cat: cat, b: newBinding(p), proof: &Proof{}, seen: map[string]bool{}}
	pr.account = pr.b.bind(p.Role.Account)
	if !arn.ValidAccount(pr.account) || pr.account == "" {
		pr.account = pr.b.accountID()
	}
	if err := pr.permissions(); err != nil {
		return nil, err
	}
	if err := pr.trust(); err != nil {
		return nil, err
	}
	return pr.proof, nil
}

// request is one request of the proof, before evaluation.
type request struct {
	action, resource string
	ctx              map[string]string
}

func (r request) key() string {
	keys := make([]string, 0, len(r.ctx))
	for k, v := range r.ctx {
		keys = append(keys, strings.ToLower(k)+"="+v)
	}
	sort.Strings(keys)
	return strings.ToLower(r.action) + " " + r.resource + " " + strings.Join(keys, " ")
}

func (r request) eval(q *eval.Requests, principal string) *eval.Request {
	ctx := eval.NewContext()
	for k, v := range r.ctx {
		ctx.Set(k, v)
	}
	return q.New(eval.Request{Principal: principal, Action: r.action, Resource: r.resource, Context: ctx})
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

// permissions proves the permission policy.
func (pr *prover) permissions() error {
	p := pr.p
	var needs []need.Need
	for _, st := range p.Statements {
		needs = append(needs, st.Needs...)
	}
	if len(needs) == 0 && p.Policy == nil {
		return nil
	}
	side, err := delegating(pr.account)
	if err != nil {
		return err
	}
	var identity []*eval.Policy
	if p.Policy != nil {
		pol, err := compileDoc(eval.IdentityPolicy, "generated policy", p.Policy, pr.b)
		if err != nil {
			return err
		}
		identity = append(identity, pol)
	}
	// The needs as a policy, one statement each: a probe it allows is not
	// a probe.
	var each []*Statement
	for i, n := range needs {
		each = append(each, &Statement{Sid: fmt.Sprintf("Need%d", i), Actions: []string{n.Action},
			Resources: []string{n.Resource}, Conditions: n.Conditions})
	}
	var intended []*eval.Policy
	if len(each) > 0 {
		pol, err := compileDoc(eval.IdentityPolicy, "the needs", toPolicy(each), pr.b)
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
		got.EvaluateInto(r.eval(&pr.reqs, principal), &gotD)
		pr.proof.Needs = append(pr.proof.Needs, Check{eval.Allowed, gotD.Result, r.String(), why})
	}
	// deny adds the probe r unless the needs allow it or it was made
	// already; it reports whether r is a probe.
	deny := func(r request, why string) bool {
		if want.EvaluateInto(r.eval(&pr.reqs, principal), &wantD); wantD.Result == eval.Allowed {
			return false
		}
		if k := r.key(); !pr.seen[k] {
			pr.seen[k] = true
			got.EvaluateInto(r.eval(&pr.reqs, principal), &gotD)
			pr.proof.Probes = append(pr.proof.Probes, Check{eval.ImplicitlyDenied, gotD.Result, r.String(), why})
		}
		return true
	}
	// first adds the first candidate that is a probe.
	first := func(why func(request) string, cands ...request) {
		for _, c := range cands {
			if deny(c, why(c)) {
				return
			}
		}
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
			var cands []request
			for _, o := range pr.otherNames(pattern) {
				cands = append(cands, request{r.action, o, r.ctx})
			}
			first(func(request) string { return "another resource of the same type" }, cands...)
			if o, ok := pr.otherPart(pattern, 4, pr.b.otherAccount); ok {
				deny(request{r.action, o, r.ctx}, "the same resource in another account")
			}
			if o, ok := pr.otherPart(pattern, 3, pr.b.otherRegion); ok {
				deny(request{r.action, o, r.ctx}, "the same resource in another region")
			}
		}
		for _, c := range n.Conditions {
			var cands []request
			for _, alt := range pr.otherValues(c) {
				cands = append(cands, r.with(c.Key, alt))
			}
			key := c.Key
			first(func(r request) string { return "the same call with " + key + " = " + r.ctx[key] }, cands...)
		}
	}
	// A write action of the same service and resource type that no step calls.
	for _, st := range p.Statements {
		if probe := unneededWrite(st, pr.cat, needed, pr.b); probe != nil {
			r := pr.needRequest(need.Need{Action: probe.String(), Resource: st.Resources[0], Conditions: st.Conditions})
			deny(r, "a "+string(probe.Access)+" action no step calls")
		}
	}
	return nil
}

// otherNames returns resources of the same type as pattern that differ
// in one name segment (the last literal one first), each with a value no
// input holds.
func (pr *prover) otherNames(pattern string) []string {
	parts, ok := arn.Split(pattern)
	if !ok {
		return []string{instance(pattern) + "-" + pr.b.fresh("iamfit-probe")}
	}
	var out []string
	res := parts[5]
	end := len(res)
	for end > 0 {
		start := strings.LastIndexAny(res[:end], "/:") + 1
		seg := res[start:end]
		if seg != "" && !strings.ContainsAny(seg, "*?") {
			q := parts
			q[5] = res[:start] + pr.b.fresh("iamfit-probe-"+seg) + res[end:]
			out = append(out, instance(strings.Join(q[:], ":")))
		}
		end = start - 1
	}
	return append(out, instance(pattern)+"-"+pr.b.fresh("iamfit-probe"))
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

// otherValues returns candidate values of c's key that the need does not
// give: the first that the needs deny is the probe.
func (pr *prover) otherValues(c need.Cond) []string {
	if len(c.Values) == 0 {
		return nil
	}
	v := pr.b.bind(c.Values[0])
	var out []string
	switch strings.ToLower(c.Key) {
	case "ecs:createaction":
		out = append(out, "CreateService", "RunTask", "StartTask", "RegisterTaskDefinition", "CreateCluster")
	case "aws:requestedregion":
		out = append(out, pr.b.otherRegion())
	}
	switch {
	case strings.HasPrefix(v, "arn:"):
		out = append(out, pr.otherNames(v)...)
		if o, ok := pr.otherPart(v, 4, pr.b.otherAccount); ok {
			out = append(out, o)
		}
	case strings.HasSuffix(v, ".amazonaws.com"):
		out = append(out, servicePrincipals...)
		out = append(out, pr.b.fresh("iamfit-probe")+".amazonaws.com")
	case arn.ValidRegion(v) && v != "":
		out = append(out, pr.b.otherRegion())
	case arn.ValidAccount(v) && v != "":
		out = append(out, pr.b.otherAccount())
	}
	return append(out, pr.b.fresh("iamfit-probe-value"))
}

// unneededWrite picks a write action of the statement's first service that
// fits the statement's first resource and that no need calls.
func unneededWrite(st *Statement, cat *catalog.Catalog, needed map[string]bool, b *binding) *catalog.Action {
	svcName, _, _ := strings.Cut(st.Actions[0], ":")
	svc := cat.Service(svcName)
	if svc == nil || st.Resources[0] == "*" {
		return nil
	}
	res := instance(b.bind(st.Resources[0]))
	cands := svc.Actions()
	names := make([]*catalog.Action, len(cands))
	copy(names, cands)
	sort.Slice(names, func(i, j int) bool { return names[i].Name < names[j].Name })
	for _, a := range names {
		if a.Access != catalog.Write || needed[strings.ToLower(a.String())] || a.WildcardOnly() {
			continue
		}
		if arn.MatchesAction(res, a) {
			return a
		}
	}
	return nil
}
