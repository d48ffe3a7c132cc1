package explain

import (
	"fmt"
	"strings"

	"github.com/iamfit/iamfit/internal/arn"
	"github.com/iamfit/iamfit/internal/catalog"
	"github.com/iamfit/iamfit/internal/eval"
	"github.com/iamfit/iamfit/internal/need"
	"github.com/iamfit/iamfit/internal/policy"
)

// Workflows are a repository's GitHub Actions workflows as far as a web
// identity diagnosis needs them: the roles they assume and the subjects
// their runs present. The caller reads them; explain reads no repository.
type Workflows struct {
	Repo  string // owner/name
	Roles []WorkflowRole
	// NoIDToken are the jobs that assume a role with OIDC without
	// permissions: id-token: write, as "file:line: job J assumes ROLE".
	NoIDToken []string
}

// WorkflowRole is a role the workflows assume and the OIDC subjects of
// the runs that assume it.
type WorkflowRole struct {
	ARN      string
	Subjects []need.Subject
}

// Token is a web identity token (or a SAML assertion) as far as a trust
// policy sees it: what the denial message, the flags or the CloudTrail
// event (decoded by package cloudtrail) say of it.
type Token struct {
	// SAML is true for an AssumeRoleWithSAML assertion.
	SAML bool
	// Issuer is the issuer host, the prefix of the condition keys
	// ("token.actions.githubusercontent.com"); for SAML the name qualifier.
	Issuer string
	// ProviderARN is the IAM identity provider the event names
	// (arn:aws:iam::ACCOUNT:oidc-provider/ISSUER, a saml-provider ARN),
	// or empty.
	ProviderARN string
	Audience    string
	Subject     string
	RoleARN     string // the role the token was presented for
	// ErrorCode and ErrorMessage are what STS answered, when known.
	ErrorCode, ErrorMessage string
}

// issuer returns the token's issuer, GitHub's when nothing says another.
func (t Token) issuer() string {
	if t.Issuer == "" && !t.SAML {
		return need.GitHubOIDC
	}
	return t.Issuer
}

// action is the STS action the token was presented to.
func (t Token) action() string {
	if t.SAML {
		return "sts:AssumeRoleWithSAML"
	}
	return "sts:AssumeRoleWithWebIdentity"
}

// principal is the Federated principal a trust policy names for the
// token: the IAM provider's ARN, or the host of a provider built into AWS.
func (t Token) principal(account string) string {
	switch {
	case t.ProviderARN != "":
		return t.ProviderARN
	case t.SAML:
		return "arn:aws:iam::" + account + ":saml-provider/{{SAMLProvider}}"
	case policy.BuiltInWebIdentityProvider(t.issuer()):
		return t.issuer()
	}
	return "arn:aws:iam::" + account + ":oidc-provider/" + t.issuer()
}

// claims returns the condition keys the token's recorded claims set.
func (t Token) claims() map[string]string {
	out := map[string]string{}
	set := func(k, v string) {
		if v != "" {
			out[strings.ToLower(k)] = v
		}
	}
	if t.SAML {
		set("SAML:sub", t.Subject)
		set("SAML:aud", t.Audience)
		set("SAML:namequalifier", t.Issuer)
		return out
	}
	set(t.issuer()+":sub", t.Subject)
	set(t.issuer()+":aud", t.Audience)
	return out
}

// WebIdentityReport is the diagnosis of a failed (or working) web
// identity assumption.
type WebIdentityReport struct {
	// Admitted is true when the trust policy admits the token (as far as
	// the recorded claims tell: Unchecked lists the others).
	Admitted bool
	// Reasons say which conditions, principals or actions reject the
	// token; when it is admitted, the first says so and the others what
	// else fails, the likeliest first. A condition the token satisfies is
	// never a reason.
	Reasons []string
	// Unchecked are the conditions on claims the event does not record
	// (SAML:aud, token.actions.githubusercontent.com:job_workflow_ref):
	// neither reasons nor proof of admission.
	Unchecked []string
}

// DiagnoseWebIdentity evaluates the trust policy for the token and says
// exactly which condition rejects it, or, when the policy admits it, what
// else can fail. flows, when not nil, are the repository's workflows: the
// report says which of them produce the subject and which role they assume.
func DiagnoseWebIdentity(trust *eval.Policy, tok Token, flows *Workflows, cat *catalog.Catalog) WebIdentityReport {
	account := "123456789012"
	if a, err := arn.Parse(tok.RoleARN); err == nil && a.Account != "" {
		account = a.Account
	} else if a, err := arn.Parse(tok.ProviderARN); err == nil && a.Account != "" {
		account = a.Account
	}
	claims := tok.claims()
	ctx := eval.NewContext()
	for k, v := range claims {
		ctx.Set(k, v)
	}
	roleARN := tok.RoleARN
	if roleARN == "" {
		roleARN = "arn:aws:iam::" + account + ":role/unknown"
	}
	principal := tok.principal(account)
	r := &eval.Request{Principal: principal, Action: tok.action(), Resource: roleARN, Context: ctx}
	set := eval.Compile(eval.Input{Resource: []*eval.Policy{trust}}, cat)
	d := set.Evaluate(r)
	var rep WebIdentityReport
	rep.Admitted = d.Result == eval.Allowed
	where := func(st *policy.Statement) string {
		return fmt.Sprintf("%s:%d:%d %s", trust.Name, st.Pos.Line, st.Pos.Col, st.Path)
	}
	// Each statement's failing parts; a statement that fails only on
	// claims the event does not record admits the token as far as it shows.
	what := "token"
	if tok.SAML {
		what = "assertion"
	}
	var refusals, unchecked []string
	denied, admittedIfUnknown := false, false
	for _, c := range set.Check(trust, r) {
		st := c.Statement
		if st.Effect == policy.Deny {
			if c.Applies() {
				denied = true
				refusals = append(refusals, where(st)+" denies it explicitly")
			}
			continue
		}
		var reasons, unknown []string
		// Every part that fails is a reason: a statement with a wrong
		// account and a wrong action needs both mended.
		if !c.Principal {
			reasons = append(reasons, fmt.Sprintf("%s trusts %s, not %s", where(st), principals(st), describeProvider(tok, principal, account)))
		}
		if !c.Action {
			reasons = append(reasons, fmt.Sprintf("%s does not allow %s (%s)", where(st), tok.action(), actionHint(tok)))
		}
		for _, cond := range c.Failed {
			var want []string
			for _, v := range cond.Values {
				want = append(want, fmt.Sprintf("%q", v.Value))
			}
			at := fmt.Sprintf("%s:%d:%d %s %s wants %s", trust.Name, cond.Key.Pos.Line, cond.Key.Pos.Col, cond.Operator.Value, cond.Key.Value, strings.Join(want, " or "))
			got, known := claims[strings.ToLower(cond.Key.Value)]
			if !known {
				unknown = append(unknown, at+"; the event does not record "+cond.Key.Value)
				continue
			}
			reason := fmt.Sprintf("%s; the %s has %q", at, what, got)
			if hint := formHint(got, cond.Values); hint != "" {
				reason += ": " + hint
			}
			reasons = append(reasons, reason)
		}
		if len(reasons) == 0 && c.Resource {
			admittedIfUnknown = true
		}
		refusals = append(refusals, reasons...)
		unchecked = append(unchecked, unknown...)
	}
	if !rep.Admitted && admittedIfUnknown && !denied {
		rep.Admitted = true
		rep.Unchecked = unchecked
	}
	// STS validates the token before it reads the trust policy: what it
	// answered about the token comes first, whatever the policy says.
	stsSaid := stsAnswer(tok, account)
	if rep.Admitted {
		first := fmt.Sprintf("the trust policy admits this %s (subject %q", what, tok.Subject)
		if tok.Audience != "" {
			first += fmt.Sprintf(", audience %q", tok.Audience)
		}
		first += ")"
		if len(rep.Unchecked) > 0 {
			first += fmt.Sprintf(" as far as the event shows: %d condition(s) on claims it does not record are listed below", len(rep.Unchecked))
		}
		rep.Reasons = append(rep.Reasons, first)
		rep.Reasons = append(rep.Reasons, stsSaid...)
		rep.Reasons = append(rep.Reasons, elsewhere(tok, account, principal, flows)...)
		for _, u := range rep.Unchecked {
			rep.Reasons = append(rep.Reasons, "not checked: "+u)
		}
	} else {
		rep.Reasons = append(stsSaid, refusals...)
		if len(refusals) == 0 {
			rep.Reasons = append(rep.Reasons, "no statement of the trust policy allows "+tok.action())
		}
	}
	if flows != nil && !tok.SAML {
		rep.Reasons = append(rep.Reasons, workflowReasons(tok, flows)...)
	}
	return rep
}

// elsewhere lists, for a token the trust policy admits, what else refuses
// it, the likeliest first: what STS answered when it said, then the
// provider, its audiences, the deployed trust and the workflow.
func elsewhere(tok Token, account, principal string, flows *Workflows) []string {
	var out []string
	issuer := tok.issuer()
	role := "ROLE"
	if a, err := arn.Parse(tok.RoleARN); err == nil {
		role = strings.TrimPrefix(a.Resource, "role/")
		if i := strings.LastIndexByte(role, '/'); i >= 0 {
			role = role[i+1:]
		}
	}
	getRole := fmt.Sprintf("the trust policy deployed on the role may differ from this file: aws iam get-role --role-name %s --query Role.AssumeRolePolicyDocument shows it", role)
	if tok.SAML {
		return append(out, getRole,
			fmt.Sprintf("the SAML provider %s must exist in account %s with the identity provider's current metadata", principal, account))
	}
	providerARN := tok.ProviderARN
	if providerARN == "" && !policy.BuiltInWebIdentityProvider(issuer) {
		providerARN = "arn:aws:iam::" + account + ":oidc-provider/" + issuer
	}
	missing := fmt.Sprintf("the account %s may lack the IAM OIDC provider %s (aws iam list-open-id-connect-providers; iamfit generate --provider writes it)", account, issuer)
	noAudience := fmt.Sprintf("the provider's client id list may lack the audience %q (aws iam get-open-id-connect-provider --open-id-connect-provider-arn %s; aws iam add-client-id-to-open-id-connect-provider adds it)", tok.Audience, providerARN)
	if len(stsAnswer(tok, account)) > 0 {
		return append(out, getRole)
	}
	fromEvent := tok.ErrorCode != ""
	switch {
	case policy.BuiltInWebIdentityProvider(issuer):
		out = append(out, getRole)
	case tok.ProviderARN != "" && fromEvent:
		// STS validates the token against the provider before it reads the
		// trust policy: a missing provider or audience is answered with
		// InvalidIdentityToken, not AccessDenied.
		out = append(out, getRole,
			fmt.Sprintf("the event names the provider %s: STS found it in account %s and accepted the token (a missing provider or an audience missing from its client ids is answered with InvalidIdentityToken, not %s)", tok.ProviderARN, account, tok.ErrorCode))
	default:
		out = append(out, missing)
		if tok.Audience != "" {
			out = append(out, noAudience)
		}
		out = append(out, getRole)
	}
	switch {
	case flows != nil && len(flows.NoIDToken) > 0:
		for _, j := range flows.NoIDToken {
			out = append(out, "lacks permissions: id-token: write: "+j)
		}
	case fromEvent:
		// The run had a token: its job grants id-token: write.
	case flows == nil:
		out = append(out, "the job may lack permissions: id-token: write (then it has no token to present; --workflows DIR checks)")
	default:
		out = append(out, "every job of "+flows.Repo+" that assumes a role with OIDC grants permissions: id-token: write")
	}
	return out
}

// stsAnswer is what STS answered about a token it could not validate
// (InvalidIdentityToken), as a reason, or nothing.
func stsAnswer(tok Token, account string) []string {
	msg := strings.ToLower(tok.ErrorMessage)
	issuer := tok.issuer()
	switch {
	case strings.Contains(msg, "no openidconnect provider found"):
		return []string{fmt.Sprintf("STS answered %q, before reading the trust policy: the account %s has no IAM OIDC provider for %s; create it with the client id %q (iamfit generate --provider writes it)", tok.ErrorMessage, account, issuer, tok.Audience)}
	case strings.Contains(msg, "incorrect token audience"):
		provider := tok.ProviderARN
		if provider == "" {
			provider = "arn:aws:iam::" + account + ":oidc-provider/" + issuer
		}
		return []string{fmt.Sprintf("STS answered %q, before reading the trust policy: the provider %s lacks the audience %q among its client ids (aws iam add-client-id-to-open-id-connect-provider adds it, if the workflow meant to request it)", tok.ErrorMessage, provider, tok.Audience)}
	}
	return nil
}

// workflowReasons say which workflows produce the token's subject and
// whether they assume the token's role.
func workflowReasons(tok Token, flows *Workflows) []string {
	var out, producers []string
	for _, role := range flows.Roles {
		for _, s := range role.Subjects {
			for _, form := range need.SubjectForms(s.Value, tok.Subject) {
				if form == tok.Subject || catalog.Match(form, tok.Subject) {
					producers = append(producers, fmt.Sprintf("%s:%d (%s) for role %s", s.File, s.Pos.Line, s.Why, role.ARN))
					break
				}
			}
		}
	}
	if len(producers) > 0 {
		out = append(out, "the subject comes from "+strings.Join(producers, "; "))
	} else {
		out = append(out, "no workflow of "+flows.Repo+" produces this subject: it was run from another repository, branch or environment than the workflows name")
	}
	if tok.RoleARN != "" {
		found := false
		for _, role := range flows.Roles {
			found = found || role.ARN == tok.RoleARN
		}
		if !found && len(flows.Roles) > 0 {
			out = append(out, fmt.Sprintf("the event's role %s is not the role-to-assume of any workflow (%s): a mistyped role ARN?", tok.RoleARN, flows.Roles[0].ARN))
		}
	}
	return out
}

// formHint explains a subject refused only for its form: GitHub sent the
// immutable form and the condition names the classic form of the same run,
// or the reverse.
func formHint(got string, want []policy.Value) string {
	g, ok := need.ParseGitHubSubject(got)
	if !ok {
		return ""
	}
	for _, v := range want {
		w, ok := need.ParseGitHubSubject(v.Value)
		if !ok || w.Immutable() == g.Immutable() || !g.SameRepository(w) {
			continue
		}
		if g.Immutable() {
			return fmt.Sprintf("GitHub sent the immutable subject form repo:OWNER@OWNER_ID/REPO@REPO_ID:..., and the condition names the classic form of the same repository; add %q (iamfit generate --owner-id %s --repo-id %s writes it)", g.String(), g.OwnerID, g.RepoID)
		}
		return fmt.Sprintf("the condition names GitHub's immutable subject form, and the token has the classic form of the same repository; add %q, or check that the repository issues immutable subjects", g.Classic())
	}
	return ""
}

// describeProvider names the provider the token came through.
func describeProvider(tok Token, principal, account string) string {
	switch {
	case tok.SAML:
		return "the SAML provider " + principal
	case policy.BuiltInWebIdentityProvider(tok.issuer()):
		return "the provider " + principal + " (built into AWS)"
	}
	return fmt.Sprintf("the provider %s of account %s", principal, account)
}

func actionHint(tok Token) string {
	if tok.SAML {
		return "a SAML provider can only use sts:AssumeRoleWithSAML"
	}
	return "a web identity cannot use sts:AssumeRole"
}

func principals(st *policy.Statement) string {
	if st.Principal == nil {
		return "no principal"
	}
	if st.Principal.Wildcard {
		return `"*"`
	}
	var out []string
	for _, e := range st.Principal.Entries {
		for _, v := range e.Values {
			out = append(out, e.Type+" "+v.Value)
		}
	}
	return strings.Join(out, ", ")
}
