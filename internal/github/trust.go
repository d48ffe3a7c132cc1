package github

import (
	"fmt"
	"strings"

	"github.com/iamfit/iamfit/internal/need"
	"github.com/iamfit/iamfit/internal/source"
)

// defaultBranchEvents run on the last commit of the default branch: the
// token's ref (and so its subject) is the default branch. GitHub's
// "Events that trigger workflows" lists GITHUB_REF for each event.
var defaultBranchEvents = map[string]bool{
	"schedule": true, "workflow_run": true, "repository_dispatch": true, "issues": true, "issue_comment": true,
	"discussion": true, "discussion_comment": true, "label": true, "milestone": true, "project": true,
	"project_card": true, "project_column": true, "public": true, "watch": true, "fork": true, "gollum": true,
	"check_run": true, "check_suite": true, "status": true, "page_build": true, "registry_package": true,
	"branch_protection_rule": true, "member": true, "deployment_review": true, "image_version": true,
}

// anyRefEvents run on a ref the event names, which can be any branch or
// tag.
var anyRefEvents = map[string]bool{"create": true, "delete": true, "deployment": true, "deployment_status": true}

// pullRequestEvents present the pull_request subject.
var pullRequestEvents = map[string]bool{"pull_request_review": true, "pull_request_review_comment": true}

// trigger is the context a job's runs come from: the workflow whose
// on: decides the refs (the caller's, for a reusable workflow) and the if:
// conditions on the way (the caller job's, the job's own).
type trigger struct {
	w   *Workflow
	ifs []*String
	// files are the reusable workflows entered on the way (cycles).
	files []string
	// dispatch holds the workflow_dispatch inputs of the run
	// (github.event.inputs.X), nil when unknown.
	dispatch map[string]string
}

// stackOf returns the workflow files being read for st's job.
func (t trigger) stackOf(st *jobState) []string {
	if len(t.files) == 0 {
		return []string{st.w.File.Name}
	}
	return append([]string(nil), t.files...)
}

// candidate is one subject a trigger produces, before the job's if:
// conditions narrow it: the context ("ref:refs/heads/main",
// "pull_request"), the event, and the warning to give if it stays.
type candidate struct {
	ctx, event, why string
	pos             source.Pos
	warn            string
	// narrowedBy is the if: condition that narrowed a wide candidate.
	narrowedBy *String
}

// subjects records the OIDC subjects that the job's runs present when
// assuming r: the job's environment, or the refs its triggers produce as
// the job's if: conditions narrow them. Wide triggers that stay wide get a
// warning with the narrower alternative.
func (a *analyzer) subjects(st *jobState, r *need.Role) {
	file := st.jobFile
	addSub := func(c candidate, at string) {
		why := c.why
		if c.narrowedBy != nil {
			why = "job " + st.job.ID.Value + " runs only if " + strings.TrimSpace(c.narrowedBy.Value)
			c.pos = c.narrowedBy.Pos
		}
		for _, v := range a.subjectForms(c.ctx) {
			sub := need.Subject{Issuer: need.GitHubOIDC, Claim: "sub", Value: v, Why: why, File: at, Pos: c.pos}
			dup := false
			for _, existing := range r.Subjects {
				dup = dup || existing.Value == sub.Value
			}
			if !dup {
				r.Subjects = append(r.Subjects, sub)
			}
		}
	}
	if env := st.job.Environment; env != nil {
		// An expression that is empty in this run (an input other events
		// leave empty) puts the job in no environment.
		if name := st.jobLevel().Expand(env.Value); name != "" {
			addSub(candidate{ctx: "environment:" + name, why: "job " + st.job.ID.Value + " runs in environment " + name, pos: env.Pos}, file)
			a.pullRequestInEnvironment(st, name)
			return
		}
	}
	on := st.trig.w.On
	onFile := st.trig.w.File.Name
	cands := a.triggerCandidates(on, r, onFile)
	for _, cond := range st.trig.ifs {
		if cond == nil {
			continue
		}
		cands = a.narrowAll(st, cond, cands)
	}
	for _, c := range cands {
		addSub(c, onFile)
		if c.warn != "" && c.narrowedBy == nil {
			a.warnf(onFile, c.pos, "wide-trigger", "%s", c.warn)
		}
	}
	if on.WorkflowCall != nil && st.trig.w == st.w && len(r.Subjects) == 0 {
		r.OpenTrust = "the workflow " + st.w.File.Name + " is reusable (on: workflow_call) and no workflow of " + a.opt.Repo +
			" calls it: the token's subject is the caller's, which the files do not name"
		a.warnf(onFile, on.WorkflowCall.Pos, "reusable-trust", "%s; iamfit writes no trust policy for %s: give the callers' subjects with --subject repo:OWNER/REPO:ref:refs/heads/main (or :environment:NAME), or generate from the calling repository", r.OpenTrust, r.ARN)
	}
}

// triggerCandidates are the subjects each trigger of on: produces.
func (a *analyzer) triggerCandidates(on Triggers, r *need.Role, onFile string) []candidate {
	repo := a.opt.Repo
	var out []candidate
	add := func(ctx, event, why string, pos source.Pos, warn string) {
		out = append(out, candidate{ctx: ctx, event: event, why: why, pos: pos, warn: warn})
	}
	if p := on.Push; p != nil {
		switch {
		case len(p.Branches) == 0 && len(p.Tags) == 0 && len(p.BranchesIgnore) == 0 && len(p.TagsIgnore) == 0:
			warn := fmt.Sprintf("on: push without branches or tags runs this job, and assumes %s, for every branch and tag anyone with write access pushes; add branches: [main] (or an environment with protection rules)", r.ARN)
			add("ref:refs/heads/*", "push", "on: push without filters runs on every branch", p.Pos, warn)
			add("ref:refs/tags/*", "push", "on: push without filters runs on every tag", p.Pos, "")
		default:
			if len(p.Branches) == 0 && len(p.BranchesIgnore) > 0 {
				add("ref:refs/heads/*", "push", "on: push with branches-ignore runs on every other branch", p.Pos, "")
			}
			if len(p.Tags) == 0 && len(p.TagsIgnore) > 0 {
				add("ref:refs/tags/*", "push", "on: push with tags-ignore runs on every other tag", p.Pos, "")
			}
			for _, b := range p.Branches {
				if !strings.HasPrefix(b.Value, "!") {
					add("ref:refs/heads/"+globToLike(b.Value), "push", "on: push to branch "+b.Value, b.Pos, "")
				}
			}
			for _, t := range p.Tags {
				if !strings.HasPrefix(t.Value, "!") {
					add("ref:refs/tags/"+globToLike(t.Value), "push", "on: push of tag "+t.Value, t.Pos, "")
				}
			}
		}
	}
	if pr := on.PullRequest; pr != nil {
		add("pull_request", "pull_request", "on: pull_request", pr.Pos,
			fmt.Sprintf("on: pull_request lets every pull request's workflow assume %s (the subject is repo:%s:pull_request for all of them); deploy from push or an environment instead", r.ARN, repo))
	}
	if pr := on.PullRequestTarget; pr != nil {
		add("pull_request", "pull_request_target", "on: pull_request_target", pr.Pos,
			"on: pull_request_target runs with the base repository's credentials for pull requests from forks; do not assume deploy roles there")
	}
	if d := on.WorkflowDispatch; d != nil {
		add("ref:refs/heads/*", "workflow_dispatch", "on: workflow_dispatch can run on any branch", d.Pos,
			fmt.Sprintf("on: workflow_dispatch can be run on any branch, so the trust admits every branch; put the job in an environment (environment: production) and trust repo:%s:environment:production instead", repo))
	}
	if sch := on.Schedule; sch != nil {
		add("ref:refs/heads/"+a.defaultBranch(), "schedule", "on: schedule runs on the default branch", sch.Pos, "")
	}
	if rel := on.Release; rel != nil {
		add("ref:refs/tags/*", "release", "on: release runs for the release's tag", rel.Pos, "")
	}
	for _, ev := range on.Other {
		switch {
		case defaultBranchEvents[ev.Value]:
			add("ref:refs/heads/"+a.defaultBranch(), ev.Value, "on: "+ev.Value+" runs on the default branch", ev.Pos, "")
		case anyRefEvents[ev.Value]:
			warn := fmt.Sprintf("on: %s runs on whichever branch or tag the event names, so the trust admits every one; use an environment with protection rules", ev.Value)
			add("ref:refs/heads/*", ev.Value, "on: "+ev.Value+" runs on the ref the event names, any branch", ev.Pos, warn)
			add("ref:refs/tags/*", ev.Value, "on: "+ev.Value+" runs on the ref the event names, any tag", ev.Pos, "")
		case pullRequestEvents[ev.Value]:
			add("pull_request", ev.Value, "on: "+ev.Value, ev.Pos,
				fmt.Sprintf("on: %s lets every pull request's workflow assume %s; deploy from push or an environment instead", ev.Value, r.ARN))
		case ev.Value == "merge_group":
			add("ref:refs/heads/gh-readonly-queue/*", ev.Value, "on: merge_group runs on the merge queue's temporary branches", ev.Pos, "")
		default:
			a.warnf(onFile, ev.Pos, "unknown-trigger", "iamfit does not know which ref the event %s runs on: the trust admits no subject for it", ev.Value)
		}
	}
	return out
}

// pullRequestInEnvironment warns when a job that runs in an environment
// (so with its deploy role) is triggered by pull requests: every pull
// request's run then assumes the role once the environment admits it.
func (a *analyzer) pullRequestInEnvironment(st *jobState, env string) {
	on := st.trig.w.On
	for _, ev := range []*Event{on.PullRequest, on.PullRequestTarget} {
		if ev != nil {
			a.warnf(st.trig.w.File.Name, ev.Pos, "pull-request-deploy", "a pull request run of job %s runs in environment %s and assumes its deploy role; keep pull requests out of the deploy environment (protection rules with required reviewers, or a separate job)", st.job.ID.Value, env)
		}
	}
}

// subjectForms returns the subject values of one context ("ref:refs/heads/main"):
// the classic repo:OWNER/REPO form, the immutable form with the owner and
// repository ids, or both, as the options ask.
func (a *analyzer) subjectForms(context string) []string {
	classic := "repo:" + a.opt.Repo + ":" + context
	if a.opt.OwnerID == "" || a.opt.RepoID == "" {
		return []string{classic}
	}
	owner, name, _ := strings.Cut(a.opt.Repo, "/")
	immutable := "repo:" + owner + "@" + a.opt.OwnerID + "/" + name + "@" + a.opt.RepoID + ":" + context
	if a.opt.BothSubjectForms {
		return []string{classic, immutable}
	}
	return []string{immutable}
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
