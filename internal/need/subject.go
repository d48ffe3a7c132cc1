package need

import "strings"

// GitHubSubject is a GitHub Actions subject claim taken apart. GitHub
// writes it in two forms: the classic repo:OWNER/REPO:CONTEXT, and the
// immutable form repo:OWNER@OWNER_ID/REPO@REPO_ID:CONTEXT that new
// repositories get, where the numeric ids survive a rename. Context is
// "ref:refs/heads/main", "environment:production", "pull_request", ...
type GitHubSubject struct {
	Owner, OwnerID, Repo, RepoID, Context string
}

// ParseGitHubSubject takes a subject value (or a StringLike pattern of
// one) apart; ok is false when it is not of the form repo:OWNER/REPO:....
func ParseGitHubSubject(v string) (GitHubSubject, bool) {
	rest, ok := strings.CutPrefix(v, "repo:")
	if !ok {
		return GitHubSubject{}, false
	}
	name, ctx, ok := strings.Cut(rest, ":")
	if !ok {
		return GitHubSubject{}, false
	}
	owner, repo, ok := strings.Cut(name, "/")
	if !ok || owner == "" || repo == "" {
		return GitHubSubject{}, false
	}
	s := GitHubSubject{Owner: owner, Repo: repo, Context: ctx}
	if o, id, ok := strings.Cut(owner, "@"); ok {
		s.Owner, s.OwnerID = o, id
	}
	if r, id, ok := strings.Cut(repo, "@"); ok {
		s.Repo, s.RepoID = r, id
	}
	return s, true
}

// Immutable reports whether the subject is in the immutable form.
func (s GitHubSubject) Immutable() bool { return s.OwnerID != "" && s.RepoID != "" }

// String returns the subject in its own form.
func (s GitHubSubject) String() string {
	owner, repo := s.Owner, s.Repo
	if s.OwnerID != "" {
		owner += "@" + s.OwnerID
	}
	if s.RepoID != "" {
		repo += "@" + s.RepoID
	}
	return "repo:" + owner + "/" + repo + ":" + s.Context
}

// Classic returns the subject in the classic form repo:OWNER/REPO:CONTEXT.
func (s GitHubSubject) Classic() string {
	return "repo:" + s.Owner + "/" + s.Repo + ":" + s.Context
}

// SameRepository reports whether both name the same repository: by ids
// when both have them, else by name (GitHub's names ignore case).
func (s GitHubSubject) SameRepository(o GitHubSubject) bool {
	if s.Immutable() && o.Immutable() {
		return s.OwnerID == o.OwnerID && s.RepoID == o.RepoID
	}
	return strings.EqualFold(s.Owner, o.Owner) && strings.EqualFold(s.Repo, o.Repo)
}

// SubjectForms returns the values the run whose subject is value may
// present, as far as other names it: value itself and, when value is in
// the classic form (a workflow read without the repository's ids, so the
// form GitHub issues is not known) and other is an immutable subject or
// pattern of the same repository, value in the immutable form with
// other's ids. The forms are the same run: explain and lint compare a
// subject with a token or a trust value through them. A value already in
// the immutable form is what GitHub sends: it has no other form.
func SubjectForms(value, other string) []string {
	forms := []string{value}
	v, ok1 := ParseGitHubSubject(value)
	o, ok2 := ParseGitHubSubject(other)
	if !ok1 || !ok2 || v.Immutable() || !o.Immutable() || strings.ContainsAny(o.Owner+o.OwnerID+o.Repo+o.RepoID, "*?$") {
		return forms
	}
	if !v.SameRepository(o) {
		return forms
	}
	v.OwnerID, v.RepoID = o.OwnerID, o.RepoID
	return append(forms, v.String())
}
