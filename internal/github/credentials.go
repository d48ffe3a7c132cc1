package github

import (
	"strings"

	"github.com/iamfit/iamfit/internal/arn"
	"github.com/iamfit/iamfit/internal/need"
	"github.com/iamfit/iamfit/internal/source"
)

// configureCredentials handles aws-actions/configure-aws-credentials: the
// role the job assumes (by OIDC, or chained from the current role) and the
// region.
func (a *analyzer) configureCredentials(c *Ctx) {
	st, s, with := c.jobState, c.Step, c.With
	if r, _, ok := with("aws-region"); ok {
		st.region = r
	}
	roleARN, pos, ok := with("role-to-assume")
	_, _, keys := with("aws-access-key-id")
	if !ok {
		if keys {
			a.storedKeys(st, s.Pos, "configure-aws-credentials with aws-access-key-id")
		}
		return
	}
	if !strings.HasPrefix(roleARN, "arn:") && !need.HasParams(roleARN) {
		// A role name: the action resolves it in the current account.
		roleARN = arn.RoleARN(roleARN, st.Account())
	}
	chaining := false
	if v, _, ok := with("role-chaining"); ok && strings.EqualFold(v, "true") {
		chaining = true
	}
	if keys && st.role == nil {
		// The keys' user assumes the role.
		a.storedKeys(st, s.Pos, "configure-aws-credentials with aws-access-key-id")
	}
	if st.role != nil && (chaining || keys) {
		// Role chaining: the current role assumes the next one.
		prev := st.role
		why := "configure-aws-credentials: assume " + roleARN + " from " + prev.ARN
		st.Add(pos, why, "sts:AssumeRole", roleARN)
		if v, _, ok := with("role-skip-session-tagging"); !ok || !strings.EqualFold(v, "true") {
			st.Add(pos, why, "sts:TagSession", roleARN)
		}
		next := a.role(roleARN, need.Deploy)
		next.AssumedBy = prev.ARN
		st.role = next
		st.credsAt = st.where(pos)
		return
	}
	r := a.role(roleARN, need.Deploy)
	r.OIDC = true
	if st.region != "" && r.Region == "" {
		r.Region = st.region
	}
	if job := st.jobFile + ":" + st.job.ID.Value; !contains(r.Jobs, job) {
		r.Jobs = append(r.Jobs, job)
	}
	st.role = r
	st.credsAt = st.where(pos)
	a.subjects(st, r)
	perm := st.job.Permissions
	if !perm.Set {
		perm = st.w.Permissions
	}
	if !perm.IDTokenWrite() {
		a.warnf(st.w.File.Name, st.job.ID.Pos, "id-token-permission", "job %s assumes %s with OIDC but does not grant permissions: id-token: write; the step will fail with \"Credentials could not be loaded\"", st.job.ID.Value, roleARN)
	}
}

// storedKeys makes the job's principal the IAM user whose access keys
// the job uses: it gets an identity policy and no trust policy; the
// subjects its runs would present are kept for the note on moving to
// OIDC.
func (a *analyzer) storedKeys(st *jobState, at source.Pos, how string) {
	u := a.role("arn:aws:iam::"+need.Param("AccountId")+":user/"+need.Param("DeployUserName"), need.User)
	u.Kind = need.User
	if u.Region == "" && !need.HasParams(st.Region()) {
		u.Region = st.Region()
	}
	if job := st.jobFile + ":" + st.job.ID.Value; !contains(u.Jobs, job) {
		u.Jobs = append(u.Jobs, job)
	}
	st.role = u
	st.credsAt = st.where(at)
	a.warnf(st.w.File.Name, at, "stored-keys", "job %s uses stored access keys (%s): iamfit writes the IAM user's identity policy and no trust policy; moving to role-to-assume with OIDC (permissions: id-token: write) removes the long-lived keys", st.job.ID.Value, how)
	a.subjects(st, u)
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}
