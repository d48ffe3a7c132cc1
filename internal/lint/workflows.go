package lint

import (
	"fmt"
	"path"
	"path/filepath"
	"strings"

	"github.com/iamfit/iamfit/internal/catalog"
	"github.com/iamfit/iamfit/internal/eval"
	"github.com/iamfit/iamfit/internal/need"
	"github.com/iamfit/iamfit/internal/policy"
	"github.com/iamfit/iamfit/internal/source"
)

// TrustWorkflows checks a trust policy against the workflows whose runs
// assume the role (iamfit lint --workflows DIR).
var TrustWorkflows = &Check{
	ID:       "trust-workflows",
	Severity: source.Warning,
	External: true,
	Doc:      "With --workflows DIR, each GitHub Actions trust policy is checked against the OIDC subjects that the repository's workflows really produce (their triggers, environments and if: conditions): a run that the trust policy refuses fails with \"Not authorized to perform sts:AssumeRoleWithWebIdentity\", and a subject the policy admits that no workflow produces is access nobody needs. Make the sub condition list exactly the workflows' subjects; iamfit generate writes it.",
}

// Workflows are the OIDC subjects a repository's workflow runs present,
// as the workflow reader found them. The caller reads the workflows and
// passes them in as data: lint does not read repositories.
//
// TODO: these become need.Subject values once the model lives in need.
type Workflows struct {
	// Role, when set, limits the check to the subjects of that role (an
	// ARN the workflows name) and to the trust policies of that role,
	// where the policy says which role it is (an account snapshot).
	Role string
	// Dir is the repository root; the subjects' files are relative to it.
	Dir string
	// Repo is the repository owner/name.
	Repo string
	// Subjects are the subjects of every role assumed with the workflows'
	// web identity.
	Subjects []need.Subject
}

// CheckTrustWorkflows reports, for a trust policy, the workflow subjects
// it refuses and the subject patterns it admits that no workflow needs.
// It does nothing for policies that do not trust GitHub's OIDC provider.
func CheckTrustWorkflows(f *source.File, doc *policy.Policy, flows *Workflows, cat *catalog.Catalog) []source.Diagnostic {
	subjects, repo := flows.Subjects, flows.Repo
	var gh []*policy.Statement
	for _, s := range doc.Statements {
		if s.Effect != policy.Allow || s.Principal == nil {
			continue
		}
		for _, v := range s.Principal.Values("Federated") {
			if strings.Contains(v.Value, "oidc-provider/"+githubHost) {
				gh = append(gh, s)
				break
			}
		}
	}
	if len(gh) == 0 {
		return nil
	}
	var out []source.Diagnostic
	report := func(pos source.Pos, format string, args ...any) {
		out = append(out, source.Diagnostic{File: f.Name, Pos: pos, Severity: TrustWorkflows.Severity,
			Message: fmt.Sprintf(format, args...), Check: TrustWorkflows.ID})
	}
	set := eval.Compile(eval.Input{Resource: []*eval.Policy{eval.NewPolicy(eval.ResourcePolicy, f.Name, doc)}}, cat)
	provider := ""
	for _, v := range gh[0].Principal.Values("Federated") {
		provider = v.Value
	}
	// The sub values the policy names: a workflow subject read without the
	// repository's ids is the same run as the immutable form they name.
	var subValues []string
	for _, st := range gh {
		for _, c := range st.Conditions {
			if strings.EqualFold(c.Key.Value, githubHost+":sub") {
				for _, v := range c.Values {
					subValues = append(subValues, v.Value)
				}
			}
		}
	}
	admits := func(sub string) bool {
		ctx := eval.NewContext()
		ctx.Set(githubHost+":sub", sub)
		ctx.Set(githubHost+":aud", "sts.amazonaws.com")
		r := &eval.Request{Principal: provider, Action: "sts:AssumeRoleWithWebIdentity", Resource: "arn:aws:iam::111122223333:role/checked", Context: ctx}
		return set.Evaluate(r).Result == eval.Allowed
	}
	for _, s := range subjects {
		ok := admits(s.Value)
		for _, v := range subValues {
			for i, form := range need.SubjectForms(s.Value, v) {
				// A workflow subject with a wildcard is every run it
				// stands for (on: push with no filter is ref:refs/heads/*):
				// admitted when one of them is, such as the sub the policy
				// names, refs/heads/main.
				ok = ok || (i > 0 && admits(form)) || (isPattern(form) && catalog.Match(form, v) && admits(v))
			}
		}
		if !ok {
			report(gh[0].Pos, "the workflow run with subject %q (%s:%d, %s) is refused by this trust policy", s.Value, path.Join(filepath.ToSlash(flows.Dir), s.File), s.Pos.Line, s.Why)
		}
	}
	// Admitted subject patterns that no workflow produces.
	for _, st := range gh {
		for _, c := range st.Conditions {
			if !strings.EqualFold(c.Key.Value, githubHost+":sub") || strings.Contains(c.Base, "Not") {
				continue
			}
			like := strings.HasPrefix(c.Base, "StringLike")
			for _, v := range c.Values {
				used := false
				for _, s := range subjects {
					for _, form := range need.SubjectForms(s.Value, v.Value) {
						used = used || v.Value == form || (like && catalog.Match(v.Value, form)) ||
							(isPattern(form) && catalog.Match(form, v.Value))
					}
				}
				if !used {
					report(v.Pos, "subject %q is admitted, but no workflow in the repository (%s) produces it", v.Value, repo)
				}
			}
		}
	}
	return out
}

// isPattern reports whether a workflow subject stands for many runs.
func isPattern(s string) bool { return strings.ContainsAny(s, "*?") }
