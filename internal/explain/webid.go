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
//
// TODO: built from need.Subject values once the model lives in need.
type Workflows struct {
	Repo  string // owner/name
	Roles []WorkflowRole
}

// WorkflowRole is a role the workflows assume and the OIDC subjects of
// the runs that assume it.
type WorkflowRole struct {
	ARN      string
	Subjects []need.Subject
}

// Token is a web identity token as far as a trust policy sees it.
type Token struct {
	Provider string // "token.actions.githubusercontent.com"
	Audience string
	Subject  string
	RoleARN  string // the role the token was presented for
}

// WebIdentityReport is the diagnosis of a failed (or working) web
// identity assumption.
type WebIdentityReport struct {
	Admitted bool
	// Reasons say which conditions, principals or actions reject the token,
	// or, when it is admitted, what else can deny it.
	Reasons []string
}

// DiagnoseWebIdentity evaluates the trust policy for the token and says
// exactly which condition rejects it, or, when the policy admits it, what
// else can fail. flows, when not nil, are the repository's workflows: the
// report says which of them produce the subject and which role they assume.
func DiagnoseWebIdentity(trust *eval.Policy, tok Token, flows *Workflows, cat *catalog.Catalog) WebIdentityReport {
	account := "123456789012"
	if a, err := arn.Parse(tok.RoleARN); err == nil && a.Account != "" {
		account = a.Account
	}
	provider := tok.Provider
	if provider == "" {
		provider = "token.actions.githubusercontent.com"
	}
	ctx := eval.NewContext()
	ctx.Set(provider+":sub", tok.Subject)
	ctx.Set(provider+":aud", tok.Audience)
	roleARN := tok.RoleARN
	if roleARN == "" {
		roleARN = "arn:aws:iam::" + account + ":role/unknown"
	}
	r := &eval.Request{Principal: "arn:aws:iam::" + account + ":oidc-provider/" + provider,
		Action: "sts:AssumeRoleWithWebIdentity", Resource: roleARN, Context: ctx}
	set := eval.Compile(eval.Input{Resource: []*eval.Policy{trust}}, cat)
	d := set.Evaluate(r)
	rep := WebIdentityReport{Admitted: d.Result == eval.Allowed}
	where := func(st *policy.Statement) string {
		return fmt.Sprintf("%s:%d:%d %s", trust.Name, st.Pos.Line, st.Pos.Col, st.Path)
	}
	if rep.Admitted {
		rep.Reasons = append(rep.Reasons,
			fmt.Sprintf("the trust policy admits this token (subject %q, audience %q)", tok.Subject, tok.Audience),
			"so look elsewhere: the account "+account+" may lack the OIDC provider "+provider+", or its client id list may lack the audience "+tok.Audience,
			"the trust policy deployed on the role may differ from this file (aws iam get-role --role-name NAME shows it)",
			"the job may lack permissions: id-token: write")
	} else {
		for _, c := range eval.Check(trust, r) {
			st := c.Statement
			if st.Effect == policy.Deny {
				if c.Applies() {
					rep.Reasons = append(rep.Reasons, where(st)+" denies it explicitly")
				}
				continue
			}
			// Every part that fails is a reason: a statement with a wrong
			// account and a wrong action needs both mended.
			if !c.Principal {
				rep.Reasons = append(rep.Reasons, fmt.Sprintf("%s trusts %s, not the provider %s of account %s", where(st), principals(st), provider, account))
			}
			if !c.Action {
				rep.Reasons = append(rep.Reasons, where(st)+" does not allow sts:AssumeRoleWithWebIdentity (a web identity cannot use sts:AssumeRole)")
			}
			for _, cond := range c.Failed {
				got := tok.Subject
				if strings.HasSuffix(strings.ToLower(cond.Key.Value), ":aud") {
					got = tok.Audience
				}
				var want []string
				for _, v := range cond.Values {
					want = append(want, fmt.Sprintf("%q", v.Value))
				}
				rep.Reasons = append(rep.Reasons, fmt.Sprintf("%s:%d:%d %s %s wants %s; the token has %q",
					trust.Name, cond.Key.Pos.Line, cond.Key.Pos.Col, cond.Operator.Value, cond.Key.Value, strings.Join(want, " or "), got))
			}
		}
		if len(rep.Reasons) == 0 {
			rep.Reasons = append(rep.Reasons, "no statement of the trust policy allows sts:AssumeRoleWithWebIdentity")
		}
	}
	if flows != nil {
		var producers []string
		for _, role := range flows.Roles {
			for _, s := range role.Subjects {
				if s.Value == tok.Subject || catalog.Match(s.Value, tok.Subject) {
					producers = append(producers, fmt.Sprintf("%s:%d (%s) for role %s", s.File, s.Pos.Line, s.Why, role.ARN))
				}
			}
		}
		if len(producers) > 0 {
			rep.Reasons = append(rep.Reasons, "the subject comes from "+strings.Join(producers, "; "))
		} else {
			rep.Reasons = append(rep.Reasons, "no workflow of "+flows.Repo+" produces this subject: it was run from another repository, branch or environment than the workflows name")
		}
		if tok.RoleARN != "" {
			found := false
			for _, role := range flows.Roles {
				found = found || role.ARN == tok.RoleARN
			}
			if !found && len(flows.Roles) > 0 {
				rep.Reasons = append(rep.Reasons, fmt.Sprintf("the event's role %s is not the role-to-assume of any workflow (%s): a mistyped role ARN?", tok.RoleARN, flows.Roles[0].ARN))
			}
		}
	}
	return rep
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
