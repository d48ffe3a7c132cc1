package github

import (
	"strings"

	"github.com/iamfit/iamfit/internal/need"
)

// subjects records the OIDC subjects that the job's runs present when
// assuming r: the job's environment, or the refs its workflow's triggers
// produce. Wide triggers get a warning with the narrower alternative.
func (a *analyzer) subjects(st *jobState, r *need.Role) {
	repo := a.opt.Repo
	file := st.w.File.Name
	addSub := func(value, why string, pos interface{}) {
		sub := need.Subject{Issuer: need.GitHubOIDC, Claim: "sub", Value: "repo:" + repo + ":" + value, Why: why, File: file}
		switch p := pos.(type) {
		case String:
			sub.Pos = p.Pos
		}
		for _, existing := range r.Subjects {
			if existing.Value == sub.Value {
				return
			}
		}
		r.Subjects = append(r.Subjects, sub)
	}
	if env := st.job.Environment; env != nil {
		name := st.scope.Expand(env.Value)
		addSub("environment:"+name, "job "+st.job.ID.Value+" runs in environment "+name, *env)
		return
	}
	on := st.w.On
	pinned := st.job.PinnedRef()
	if pinned != "" && st.job.If != nil {
		pinnedWhy := "job " + st.job.ID.Value + " runs only if " + strings.TrimSpace(st.job.If.Value)
		if on.WorkflowDispatch != nil || (on.Push != nil && len(on.Push.Branches) == 0 && len(on.Push.Tags) == 0) {
			addSub("ref:"+pinned, pinnedWhy, *st.job.If)
		}
	}
	if p := on.Push; p != nil {
		switch {
		case len(p.Branches) == 0 && len(p.Tags) == 0 && pinned != "":
			// Narrowed by the job's if: above.
		case len(p.Branches) == 0 && len(p.Tags) == 0:
			addSub("ref:refs/heads/*", "on: push without filters runs on every branch", String{Pos: p.Pos})
			addSub("ref:refs/tags/*", "on: push without filters runs on every tag", String{Pos: p.Pos})
			a.warnf(file, p.Pos, "wide-trigger", "on: push without branches or tags runs this job, and assumes %s, for every branch and tag anyone with write access pushes; add branches: [main] (or an environment with protection rules)", r.ARN)
		default:
			for _, b := range p.Branches {
				if strings.HasPrefix(b.Value, "!") {
					continue
				}
				addSub("ref:refs/heads/"+globToLike(b.Value), "on: push to branch "+b.Value, b)
			}
			for _, t := range p.Tags {
				if strings.HasPrefix(t.Value, "!") {
					continue
				}
				addSub("ref:refs/tags/"+globToLike(t.Value), "on: push of tag "+t.Value, t)
			}
		}
	}
	if pr := on.PullRequest; pr != nil {
		addSub("pull_request", "on: pull_request", String{Pos: pr.Pos})
		a.warnf(file, pr.Pos, "wide-trigger", "on: pull_request lets every pull request's workflow assume %s (the subject is repo:%s:pull_request for all of them); deploy from push or an environment instead", r.ARN, repo)
	}
	if pr := on.PullRequestTarget; pr != nil {
		addSub("pull_request", "on: pull_request_target", String{Pos: pr.Pos})
		a.warnf(file, pr.Pos, "wide-trigger", "on: pull_request_target runs with the base repository's credentials for pull requests from forks; do not assume deploy roles there")
	}
	if d := on.WorkflowDispatch; d != nil && pinned == "" {
		addSub("ref:refs/heads/*", "on: workflow_dispatch can run on any branch", String{Pos: d.Pos})
		a.warnf(file, d.Pos, "wide-trigger", "on: workflow_dispatch can be run on any branch, so the trust admits every branch; put the job in an environment (environment: production) and trust repo:%s:environment:production instead", repo)
	}
	if sch := on.Schedule; sch != nil {
		addSub("ref:refs/heads/"+a.defaultBranch(), "on: schedule runs on the default branch", String{Pos: sch.Pos})
	}
	if rel := on.Release; rel != nil {
		addSub("ref:refs/tags/*", "on: release runs for the release's tag", String{Pos: rel.Pos})
	}
	if wc := on.WorkflowCall; wc != nil {
		a.warnf(file, wc.Pos, "wide-trigger", "this workflow is reusable (workflow_call): the token's subject is the calling workflow's; iamfit derives subjects from this repository's triggers only")
	}
}

// globToLike turns a GitHub filter pattern into a StringLike pattern: both
// use * and ?; GitHub's ** is the same as * for IAM.
func globToLike(p string) string { return strings.ReplaceAll(p, "**", "*") }

func (a *analyzer) defaultBranch() string {
	if a.opt.DefaultBranch != "" {
		return a.opt.DefaultBranch
	}
	return need.Param("DefaultBranch")
}
