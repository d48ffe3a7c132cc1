package explain

import (
	"fmt"
	"strings"

	"github.com/iamfit/iamfit/internal/catalog"
	"github.com/iamfit/iamfit/internal/eval"
	"github.com/iamfit/iamfit/internal/need"
	"github.com/iamfit/iamfit/internal/policy"
)

// Options are what an explanation may use besides the denial itself.
type Options struct {
	Catalog *catalog.Catalog
	// Policies are the policies in force. With any of them, a denial that
	// names its principal is simulated against them.
	Policies eval.Input
	// Trust is the role's trust policy, for web identity denials.
	Trust *eval.Policy
	// Workflows, when not nil, are the repository's workflows: web
	// identity reports say which of them produce the token's subject.
	Workflows *Workflows
}

// Report is the explanation of one denial.
type Report struct {
	Denial *Denial
	// Events is how many logged events repeat the denial; 0 for a message.
	Events int
	// Token is the web identity token presented, when known.
	Token *Token
	// SessionOf is the role of a role-session principal; empty when the
	// principal is not a session.
	SessionOf string
	// Trust is the trust policy given, and WebIdentity its diagnosis of
	// the token: set for a web identity denial with the token's subject.
	// Then there is no Fix: the reasons are the fix.
	Trust       *eval.Policy
	WebIdentity *WebIdentityReport
	// TokenNote explains a token minted for another audience than STS.
	TokenNote string
	// Fix is the smallest change that would allow the call.
	Fix *Advice
	// Simulation is the request evaluated against Options.Policies; nil
	// without policies or principal.
	Simulation *Simulation
}

// Explain diagnoses one denial. tok, when not nil, is the web identity
// token that was refused.
func Explain(d *Denial, tok *Token, opt Options) *Report {
	rep := &Report{Denial: d, Token: tok, Trust: opt.Trust}
	if d.Principal != "" {
		if r := RoleOf(d.Principal); r != d.Principal {
			rep.SessionOf = r
		}
	}
	if d.Type == WebIdentity && tok != nil {
		t := *tok
		if t.ErrorCode == "" {
			t.ErrorCode = d.Code
		}
		if t.ErrorMessage == "" {
			t.ErrorMessage = d.TokenError
		}
		t.SAML = t.SAML || d.Action == "sts:AssumeRoleWithSAML"
		tok = &t
		rep.Token = tok
	}
	if d.Type == WebIdentity && opt.Trust != nil && tok != nil && tok.Subject != "" {
		wi := DiagnoseWebIdentity(opt.Trust, *tok, opt.Workflows, opt.Catalog)
		rep.WebIdentity = &wi
		return rep
	}
	if d.Type == WebIdentity && tok != nil && !tok.SAML && tok.issuer() == need.GitHubOIDC && tok.Audience != "" && tok.Audience != need.STSAudience {
		rep.TokenNote = fmt.Sprintf("audience %q, not sts.amazonaws.com: the workflow sets audience: on configure-aws-credentials, or the token was minted for another service", tok.Audience)
	}
	fix := Fix(d, opt.Catalog)
	rep.Fix = &fix
	in := opt.Policies
	if len(in.Identity)+len(in.Resource)+len(in.Boundary)+len(in.SCPs)+len(in.Session) > 0 && d.Principal != "" {
		rep.Simulation = Simulate(d, in, opt.Catalog)
	}
	return rep
}

// ExplainGroups diagnoses each distinct denial of a log.
func ExplainGroups(groups []*Group, opt Options) []*Report {
	out := make([]*Report, len(groups))
	for i, g := range groups {
		out[i] = Explain(g.Denial, g.Token, opt)
		out[i].Events = g.Count
	}
	return out
}

// Simulation is a denied request evaluated against the policies in force.
type Simulation struct {
	Result eval.Result
	// Statements are the statements that decide the request or come close
	// to allowing it, policy by policy.
	Statements []StatementReport
	// Blocked are the policy kinds that do not allow the request, other
	// than those that deny it explicitly.
	Blocked []eval.Kind
}

// Verdict is what a statement does to a request.
type Verdict int

// The verdicts a simulation reports.
const (
	// Denies: a Deny statement that applies.
	Denies Verdict = iota
	// Allows: an Allow statement that applies.
	Allows
	// OtherResources: an Allow of the action, on other resources.
	OtherResources
	// ConditionsFail: an Allow of the action and resource whose
	// conditions do not hold.
	ConditionsFail
)

// StatementReport is one statement's part in a simulation.
type StatementReport struct {
	Policy    *eval.Policy
	Statement *policy.Statement
	Verdict   Verdict
	// Resources are the statement's resources, for OtherResources:
	// "arn:...", "all but arn:..." or "(any)".
	Resources string
	// Conditions are the conditions that fail, for ConditionsFail:
	// "StringEquals aws:RequestedRegion".
	Conditions []string
}

// Simulate evaluates the denied request against the policies and says
// which statements deny it or come close to allowing it.
func Simulate(d *Denial, in eval.Input, cat *catalog.Catalog) *Simulation {
	ctx := eval.NewContext()
	for k, vs := range d.Conditions {
		if len(vs) == 1 {
			ctx.Set(k, vs[0])
		} else {
			ctx.SetMulti(k, vs...)
		}
	}
	resource := d.Resource
	if resource == "" {
		resource = "*"
	}
	r := &eval.Request{Principal: d.Principal, Action: d.Action, Resource: resource, Context: ctx}
	set := eval.Compile(in, cat)
	dec := set.Evaluate(r)
	sim := &Simulation{Result: dec.Result}
	groups := [][]*eval.Policy{in.Identity, in.Resource, in.Boundary, in.Session}
	for _, l := range in.SCPs {
		groups = append(groups, l.Policies)
	}
	for _, g := range groups {
		for _, p := range g {
			for _, c := range set.Check(p, r) {
				if c.NotInForce != "" {
					// The policy does not govern the request (an SCP for a
					// service principal): none of its statements comes
					// close to allowing it.
					continue
				}
				st := c.Statement
				sr := StatementReport{Policy: p, Statement: st}
				switch {
				case c.Applies() && st.Effect == policy.Deny:
					sr.Verdict = Denies
				case c.Applies():
					sr.Verdict = Allows
				case c.Action && !c.Resource && st.Effect == policy.Allow:
					sr.Verdict, sr.Resources = OtherResources, resources(st)
				case c.Action && c.Resource && len(c.Failed) > 0 && st.Effect == policy.Allow:
					sr.Verdict = ConditionsFail
					for _, f := range c.Failed {
						sr.Conditions = append(sr.Conditions, f.Operator.Value+" "+f.Key.Value)
					}
				default:
					continue
				}
				sim.Statements = append(sim.Statements, sr)
			}
		}
	}
	for _, k := range dec.Blocked {
		if !containsKind(dec.Explicit, k) {
			sim.Blocked = append(sim.Blocked, k)
		}
	}
	return sim
}

func containsKind(ks []eval.Kind, k eval.Kind) bool {
	for _, x := range ks {
		if x == k {
			return true
		}
	}
	return false
}

// resources lists a statement's Resource (or NotResource) values.
func resources(st *policy.Statement) string {
	el := st.Resource
	prefix := ""
	if el == nil {
		el, prefix = st.NotResource, "all but "
	}
	if el == nil {
		return "(any)"
	}
	var out []string
	for _, v := range el.Values {
		out = append(out, v.Value)
	}
	return prefix + strings.Join(out, ", ")
}
