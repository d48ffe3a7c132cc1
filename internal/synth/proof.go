package synth

import (
	"fmt"
	"regexp"
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

var paramRe = regexp.MustCompile(`\{\{([A-Za-z0-9_.\-]+)\}\}`)

// sample replaces parameters with concrete stand-ins, the same everywhere,
// so that the evaluator sees well-formed ARNs.
func sample(s string) string {
	return paramRe.ReplaceAllStringFunc(s, func(m string) string {
		name := paramRe.FindStringSubmatch(m)[1]
		switch name {
		case "AccountId":
			return "111122223333"
		case "Region":
			return "us-east-1"
		}
		return "param-" + strings.ToLower(strings.NewReplacer(".", "-", "_", "-").Replace(name))
	})
}

// instance turns a need's resource pattern into one concrete resource.
func instance(s string) string {
	s = sample(s)
	if s == "*" {
		return s
	}
	return strings.NewReplacer("*", "1", "?", "x").Replace(s)
}

// other returns a resource of the same type that the need does not name:
// the last name segment without a wildcard is changed, the rest kept.
func other(pattern string) string {
	s := sample(pattern)
	// Segment boundaries in the resource part.
	parts, ok := arn.Split(s)
	if !ok {
		return instance(s) + "-iamfit-probe"
	}
	res := parts[5]
	end := len(res)
	for end > 0 {
		start := strings.LastIndexAny(res[:end], "/:") + 1
		seg := res[start:end]
		if seg != "" && !strings.ContainsAny(seg, "*?") {
			parts[5] = res[:start] + "iamfit-probe-" + seg + res[end:]
			return instance(strings.Join(parts[:], ":"))
		}
		end = start - 1
	}
	return instance(s) + "-iamfit-probe"
}

func compileDoc(kind eval.Kind, name string, p *policy.Policy) (*eval.Policy, error) {
	data, err := policy.Marshal(p)
	if err != nil {
		return nil, err
	}
	doc, diags := policy.Parse(source.NewFile(name, []byte(sample(string(data)))), policy.Any)
	for _, d := range diags {
		if d.Severity == source.Error {
			return nil, fmt.Errorf("generated %s does not parse: %s", name, d)
		}
	}
	return eval.NewPolicy(kind, name, doc), nil
}

// Prove evaluates every need of the plan against the generated policy (it
// must be allowed) and probes that must be denied: another resource of
// the same type, another value of each pinning condition, a write action
// of the same service that no step calls, and for the trust policy another
// repository, another branch and another audience.
func Prove(p *Plan, cat *catalog.Catalog) (*Proof, error) {
	var identity []*eval.Policy
	if p.Policy != nil {
		pol, err := compileDoc(eval.IdentityPolicy, "generated policy", p.Policy)
		if err != nil {
			return nil, err
		}
		identity = append(identity, pol)
	}
	set := eval.Compile(eval.Input{Identity: identity}, cat)
	account := sample(p.Role.Account)
	principal := "arn:aws:sts::" + account + ":assumed-role/" + sample(p.Role.Name()) + "/GitHubActions"
	proof := &Proof{}
	run := func(want eval.Result, action, resource string, conds []need.Cond, why string, override map[string]string) {
		ctx := eval.NewContext()
		for _, c := range conds {
			v := sample(c.Values[0])
			if o, ok := override[strings.ToLower(c.Key)]; ok {
				v = o
			}
			ctx.Set(c.Key, v)
		}
		r := &eval.Request{Principal: principal, Action: action, Resource: resource, Context: ctx}
		d := set.Evaluate(r)
		proof.Probes = appendIf(proof.Probes, want != eval.Allowed, Check{want, d.Result, action + " on " + resource, why})
		proof.Needs = appendIf(proof.Needs, want == eval.Allowed, Check{want, d.Result, action + " on " + resource, why})
	}
	needed := map[string]bool{}
	seenProbe := map[string]bool{}
	for _, st := range p.Statements {
		for _, n := range st.Needs {
			needed[strings.ToLower(n.Action)] = true
		}
	}
	for _, st := range p.Statements {
		for _, n := range st.Needs {
			res := instance(n.Resource)
			run(eval.Allowed, n.Action, res, n.Conditions, n.Where()+" "+n.Why, nil)
			if n.Resource != "*" {
				o := other(n.Resource)
				if k := n.Action + " " + o; !seenProbe[k] {
					seenProbe[k] = true
					run(eval.ImplicitlyDenied, n.Action, o, n.Conditions, "another resource of the same type", nil)
				}
			}
			for _, c := range n.Conditions {
				alt := "iamfit-probe-value"
				switch strings.ToLower(c.Key) {
				case "iam:passedtoservice":
					alt = "lambda.amazonaws.com"
				case "ecs:cluster":
					alt = other(c.Values[0])
				case "ecs:createaction":
					alt = "CreateService"
				}
				if k := n.Action + " " + res + " " + c.Key + "=" + alt; !seenProbe[k] {
					seenProbe[k] = true
					run(eval.ImplicitlyDenied, n.Action, res, n.Conditions, "the same call with "+c.Key+" = "+alt, map[string]string{strings.ToLower(c.Key): alt})
				}
			}
		}
		// A write action of the same service and resource type that no step calls.
		if probe := unneededWrite(st, cat, needed); probe != nil {
			res := instance(st.Resources[0])
			if k := probe.String() + " " + res; !seenProbe[k] {
				seenProbe[k] = true
				run(eval.ImplicitlyDenied, probe.String(), res, st.Conditions, "a "+string(probe.Access)+" action no step calls", nil)
			}
		}
	}
	if err := proveTrust(p, cat, proof); err != nil {
		return nil, err
	}
	return proof, nil
}

func appendIf(cs []Check, cond bool, c Check) []Check {
	if cond {
		return append(cs, c)
	}
	return cs
}

// unneededWrite picks a write action of the statement's first service that
// fits the statement's first resource and that no need calls.
func unneededWrite(st *Statement, cat *catalog.Catalog, needed map[string]bool) *catalog.Action {
	svcName, _, _ := strings.Cut(st.Actions[0], ":")
	svc := cat.Service(svcName)
	if svc == nil || st.Resources[0] == "*" {
		return nil
	}
	res := instance(st.Resources[0])
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

// proveTrust checks the trust policy: the subjects of the workflows are
// admitted with the sts.amazonaws.com audience; another repository,
// another branch, another audience and another identity provider are not.
func proveTrust(p *Plan, cat *catalog.Catalog, proof *Proof) error {
	if p.Trust == nil {
		return nil
	}
	if p.Role.Service != "" {
		return proveServiceTrust(p, cat, proof)
	}
	if !p.Role.OIDC {
		return nil
	}
	tp, err := compileDoc(eval.ResourcePolicy, "generated trust policy", p.Trust)
	if err != nil {
		return err
	}
	set := eval.Compile(eval.Input{Resource: []*eval.Policy{tp}}, cat)
	account := sample(p.Role.Account)
	roleARN := sample(p.Role.ARN)
	provider := "arn:aws:iam::" + account + ":oidc-provider/" + OIDCHost
	try := func(want eval.Result, principal, sub, aud, why string) {
		ctx := eval.NewContext()
		ctx.Set(OIDCHost+":sub", sub)
		ctx.Set(OIDCHost+":aud", aud)
		r := &eval.Request{Principal: principal, Action: "sts:AssumeRoleWithWebIdentity", Resource: roleARN, Context: ctx}
		d := set.Evaluate(r)
		c := Check{want, d.Result, "sts:AssumeRoleWithWebIdentity with sub " + sub, why}
		if want == eval.Allowed {
			proof.Needs = append(proof.Needs, c)
		} else {
			proof.Probes = append(proof.Probes, c)
		}
	}
	var first string
	for _, s := range p.Subjects {
		sub := instance(s.Value)
		if first == "" {
			first = sub
		}
		try(eval.Allowed, provider, sub, "sts.amazonaws.com", s.Why)
	}
	if first == "" {
		return nil
	}
	repo := sample(p.Repo)
	_, rest, _ := strings.Cut(first, "repo:"+repo+":")
	try(eval.ImplicitlyDenied, provider, "repo:iamfit-probe/other-repo:"+rest, "sts.amazonaws.com", "another repository")
	wild := false
	for _, s := range p.Subjects {
		if strings.Contains(s.Value, "refs/heads/*") {
			wild = true
		}
	}
	if !wild {
		try(eval.ImplicitlyDenied, provider, "repo:"+repo+":ref:refs/heads/iamfit-probe", "sts.amazonaws.com", "another branch of the repository")
	}
	try(eval.ImplicitlyDenied, provider, first, "sigstore", "a token minted for another audience")
	try(eval.ImplicitlyDenied, "arn:aws:iam::"+account+":oidc-provider/gitlab.com", first, "sts.amazonaws.com", "another identity provider")
	return nil
}

// proveServiceTrust checks a service role's trust: the service, for this
// account's tasks, may assume it; another service and another account's
// tasks may not.
func proveServiceTrust(p *Plan, cat *catalog.Catalog, proof *Proof) error {
	tp, err := compileDoc(eval.ResourcePolicy, "generated trust policy", p.Trust)
	if err != nil {
		return err
	}
	set := eval.Compile(eval.Input{Resource: []*eval.Policy{tp}}, cat)
	account := sample(p.Role.Account)
	region := sample(p.Role.Region)
	if region == "" {
		region = "us-east-1"
	}
	try := func(want eval.Result, principal, srcAccount, why string) {
		ctx := eval.NewContext()
		ctx.Set("aws:SourceAccount", srcAccount)
		ctx.Set("aws:SourceArn", "arn:aws:ecs:"+region+":"+srcAccount+":task/cluster/0123456789abcdef")
		r := &eval.Request{Principal: principal, Action: "sts:AssumeRole", Resource: sample(p.Role.ARN), Context: ctx}
		c := Check{want, set.Evaluate(r).Result, "sts:AssumeRole by " + principal, why}
		if want == eval.Allowed {
			proof.Needs = append(proof.Needs, c)
		} else {
			proof.Probes = append(proof.Probes, c)
		}
	}
	try(eval.Allowed, p.Role.Service, account, "ECS starts a task of this account")
	try(eval.ImplicitlyDenied, "lambda.amazonaws.com", account, "another service")
	try(eval.ImplicitlyDenied, p.Role.Service, "444455556666", "a task of another account (confused deputy)")
	return nil
}
