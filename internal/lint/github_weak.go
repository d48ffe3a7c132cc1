package lint

import (
	"strings"

	"github.com/iamfit/iamfit/internal/source"
)

// GitHubWeakSubject flags GitHub subjects that pin the repository but
// admit workflows a deploy role should not trust.
//
// GitHub's subject forms are repo:OWNER/REPO:environment:NAME,
// :ref:refs/heads/BRANCH, :ref:refs/tags/TAG and :pull_request
// (https://docs.github.com/en/actions/reference/security/oidc#example-subject-claims);
// an environment a workflow names is created on first use, without
// protection rules
// (https://docs.github.com/en/actions/managing-workflow-runs-and-deployments/managing-deployments/managing-environments-for-deployment).
var GitHubWeakSubject = &Check{
	ID:       "github-oidc-weak-subject",
	Severity: source.Warning,
	Doc:      `A trust policy for GitHub Actions pins the repository, but its subject admits workflows a deploy role should not trust: "repo:OWNER/REPO:pull_request" (any pull request's workflow, running the pull request's code), "ref:*" or "ref:refs/heads/*" (any branch, so anyone who can push a branch), "environment:*" (any environment, and a workflow creates an environment without protection rules by naming it), or a repository claim matched with a wildcard ("OWNER/*": every repository of the owner). Tags ("ref:refs/tags/*") are info: release tags are often pushed by fewer people, but pin the pattern (refs/tags/v*). Subjects that admit every repository are github-oidc-subject's, StringEquals with a wildcard equals-with-wildcard's, a missing audience github-oidc-audience's. Pin the branch (ref:refs/heads/main) or a protected environment (environment:production) (https://docs.github.com/en/actions/reference/security/oidc#example-subject-claims).`,
	Run: func(p *Pass) error {
		for _, s := range githubStatements(p) {
			for _, c := range claimConditions(s, "sub") {
				like := strings.HasPrefix(c.Base, "StringLike")
				for _, v := range c.Values {
					msg, sev := weakSubject(v.Value, like)
					if msg == "" {
						continue
					}
					p.ReportSeverity(sev, v.Pos, "subject %q %s", v.Value, msg)
				}
			}
			if len(claimConditions(s, "sub")) > 0 {
				continue
			}
			for _, c := range claimConditions(s, "repository") {
				if !strings.HasPrefix(c.Base, "StringLike") {
					continue
				}
				for _, v := range c.Values {
					if strings.ContainsAny(v.Value, "*?") {
						p.Reportf(v.Pos, "repository %q with no sub condition admits every matching repository, and any branch, pull request or environment of each: pin sub to repo:OWNER/REPO:ref:refs/heads/main or an environment", v.Value)
					}
				}
			}
		}
		return nil
	},
}

// weakSubject says what a sub value admits that a deploy role should not,
// for a subject whose repository is pinned; like tells whether it is a
// pattern. Subjects github-oidc-subject reports (any repository, any
// repository of an owner, repo:OWNER/REPO:*) are left to it.
func weakSubject(v string, like bool) (string, source.Severity) {
	rest, ok := strings.CutPrefix(v, "repo:")
	if !ok {
		return "", 0
	}
	repo, ctx, ok := strings.Cut(rest, ":")
	if !ok || strings.ContainsAny(repo, "*?") || !strings.Contains(repo, "/") {
		return "", 0
	}
	// Immutable subjects: repo:OWNER@ID/REPO@ID:... read the same way.
	switch {
	case ctx == "pull_request":
		return "admits the workflow of any pull request, which runs the pull request's code: a deploy role should trust a branch or an environment", source.Warning
	case !like:
		return "", 0
	case ctx == "*":
		return "", 0 // github-oidc-subject
	case ctx == "ref:*" || ctx == "ref:refs/*":
		return "admits every branch and tag: anyone who can push a branch can assume the role; pin ref:refs/heads/main or the release tags", source.Warning
	case ctx == "ref:refs/heads/*":
		return "admits every branch: anyone who can push a branch can assume the role; pin ref:refs/heads/main", source.Warning
	case ctx == "environment:*":
		return "admits every environment, and a workflow creates an environment without protection rules by naming it: pin the protected environment (environment:production)", source.Warning
	case ctx == "ref:refs/tags/*":
		return "admits every tag: pin the release tag pattern (ref:refs/tags/v*)", source.Info
	}
	return "", 0
}
