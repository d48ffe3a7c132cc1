package synth

import (
	"strings"

	"github.com/iamfit/iamfit/internal/catalog"
	"github.com/iamfit/iamfit/internal/eval"
)

// trust proves the trust policy: GitHub's workflows, the ECS service or
// the chaining role may assume the role, and nobody the inputs do not name.
func (pr *prover) trust(tp *eval.Policy) error {
	p := pr.p
	if tp == nil {
		return nil
	}
	switch {
	case p.Role.Service != "":
		return pr.serviceTrust(tp)
	case p.Role.OIDC:
		return pr.oidcTrust(tp)
	case p.Role.AssumedBy != "":
		return pr.chainedTrust(tp)
	}
	return nil
}

// trustCheck evaluates one sts:AssumeRole* request against set.
func (pr *prover) trustCheck(set *eval.Set, want eval.Result, principal, action string, ctx map[string]string, request, why string) {
	r := pr.request(request0(action, pr.b.bind(pr.p.Role.ARN), ctx), principal)
	c := Check{want, set.Evaluate(r).Result, request, why}
	if want == eval.Allowed {
		pr.proof.Needs = append(pr.proof.Needs, c)
	} else {
		pr.proof.Probes = append(pr.proof.Probes, c)
	}
}

func request0(action, resource string, ctx map[string]string) request {
	return request{action: action, resource: resource, ctx: ctx}
}

// oidcTrust checks the trust of the role the workflows assume: each
// subject is admitted with the sts.amazonaws.com audience; another
// repository (of the same owner, and of another owner), another branch, a
// tag, a pull request and another environment are not, when no subject
// admits them; nor another audience or another identity provider.
func (pr *prover) oidcTrust(tp *eval.Policy) error {
	p, b := pr.p, pr.b
	set := eval.Compile(eval.Input{Resource: []*eval.Policy{tp}}, pr.cat)
	provider := "arn:aws:iam::" + pr.account + ":oidc-provider/" + OIDCHost
	const aud = "sts.amazonaws.com"
	try := func(want eval.Result, principal, sub, audience, why string) {
		ctx := map[string]string{OIDCHost + ":sub": sub, OIDCHost + ":aud": audience}
		pr.trustCheck(set, want, principal, "sts:AssumeRoleWithWebIdentity", ctx, "sts:AssumeRoleWithWebIdentity with sub "+sub+" aud "+audience, why)
	}
	var subjects []string
	for _, s := range p.Subjects {
		subjects = append(subjects, b.bind(s.Value))
	}
	admitted := func(sub string) bool {
		for _, s := range subjects {
			if catalog.Match(s, sub) {
				return true
			}
		}
		return false
	}
	var first string
	for i, s := range p.Subjects {
		sub := instance(subjects[i])
		if first == "" {
			first = sub
		}
		try(eval.Allowed, provider, sub, aud, s.Why)
	}
	if first == "" {
		return nil
	}
	repo := b.bind(p.Repo)
	owner, name, _ := strings.Cut(repo, "/")
	rest := "ref:refs/heads/main"
	if r, ok := strings.CutPrefix(first, "repo:"+repo+":"); ok {
		rest = r
	}
	probe := func(sub, why string) {
		if !admitted(sub) {
			try(eval.ImplicitlyDenied, provider, sub, aud, why)
		}
	}
	probe("repo:"+owner+"/"+b.fresh(name+"-iamfit-probe")+":"+rest, "another repository of the same owner")
	probe("repo:"+b.fresh(owner+"-iamfit-probe")+"/"+name+":"+rest, "the repository's name under another owner")
	probe("repo:"+repo+":ref:refs/heads/"+b.fresh("iamfit-probe-branch"), "another branch of the repository")
	probe("repo:"+repo+":ref:refs/tags/"+b.fresh("iamfit-probe-tag"), "a tag of the repository")
	probe("repo:"+repo+":pull_request", "a pull request (its code is not reviewed yet)")
	probe("repo:"+repo+":environment:"+b.fresh("iamfit-probe-env"), "another environment of the repository")
	other := b.pick("iamfit-probe-audience", "sigstore", "https://github.com/"+owner)
	try(eval.ImplicitlyDenied, provider, first, other, "a token minted for another audience")
	try(eval.ImplicitlyDenied, "arn:aws:iam::"+pr.account+":oidc-provider/"+b.pick("iamfit-probe.example.com", "gitlab.com", "token.actions.example.com"),
		first, aud, "another identity provider")
	try(eval.ImplicitlyDenied, "arn:aws:iam::"+b.otherAccount()+":oidc-provider/"+OIDCHost, first, aud, "GitHub's identity provider in another account")
	return nil
}

// serviceTrust checks a service role's trust: the service, for this
// account's tasks, may assume it; another service and another account's
// tasks may not.
func (pr *prover) serviceTrust(tp *eval.Policy) error {
	p, b := pr.p, pr.b
	set := eval.Compile(eval.Input{Resource: []*eval.Policy{tp}}, pr.cat)
	region := b.bind(p.Role.Region)
	if region == "" {
		region = b.otherRegion()
	}
	try := func(want eval.Result, principal, srcAccount, why string) {
		ctx := map[string]string{"aws:SourceAccount": srcAccount,
			"aws:SourceArn": "arn:aws:ecs:" + region + ":" + srcAccount + ":task/cluster/0123456789abcdef"}
		pr.trustCheck(set, want, principal, "sts:AssumeRole", ctx, "sts:AssumeRole by "+principal+" for account "+srcAccount, why)
	}
	try(eval.Allowed, p.Role.Service, pr.account, "ECS starts a task of this account")
	var others []string
	for _, s := range servicePrincipals {
		if s != p.Role.Service {
			others = append(others, s)
		}
	}
	try(eval.ImplicitlyDenied, others[0], pr.account, "another service")
	try(eval.ImplicitlyDenied, p.Role.Service, b.otherAccount(), "a task of another account (confused deputy)")
	return nil
}

// chainedTrust checks the trust of a role assumed from another role: a
// session of that role may assume it; a session of another role of the
// same account, and of a role with the same name in another account, may
// not. The caller's identity policy allows everything here: it is proven
// with the caller's own plan.
func (pr *prover) chainedTrust(tp *eval.Policy) error {
	p, b := pr.p, pr.b
	caller, err := pr.v.allowAllPolicy()
	if err != nil {
		return err
	}
	set := eval.Compile(eval.Input{Identity: []*eval.Policy{caller}, Resource: []*eval.Policy{tp}}, pr.cat)
	from := b.bind(p.Role.AssumedBy)
	parts := strings.SplitN(from, ":", 6)
	if len(parts) != 6 || !strings.HasPrefix(parts[5], "role/") {
		return nil
	}
	account, roleName := parts[4], parts[5][strings.LastIndexByte(parts[5], '/')+1:]
	session := func(acct, role string) string {
		return "arn:aws:sts::" + acct + ":assumed-role/" + role + "/GitHubActions"
	}
	try := func(want eval.Result, principal, why string) {
		pr.trustCheck(set, want, principal, "sts:AssumeRole", nil, "sts:AssumeRole by "+principal, why)
	}
	try(eval.Allowed, session(account, roleName), "the role it is chained from")
	try(eval.ImplicitlyDenied, session(account, b.fresh("iamfit-probe-role")), "another role of the same account")
	try(eval.ImplicitlyDenied, session(b.otherAccount(), roleName), "a role of the same name in another account")
	return nil
}
