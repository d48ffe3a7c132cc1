package github

import (
	"strings"

	"github.com/iamfit/iamfit/internal/arn"
	"github.com/iamfit/iamfit/internal/need"
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
	if !ok {
		if _, _, keys := with("aws-access-key-id"); keys {
			a.warnf(st.w.File.Name, s.Pos, "stored-keys", "this step uses stored access keys: iamfit derives the permissions, but there is no OIDC trust to generate; prefer role-to-assume with id-token: write")
			st.role = a.role(need.Param("DeployPrincipalArn"), need.Deploy)
			st.credsAt = st.where(s.Pos)
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
	_, _, keys := with("aws-access-key-id")
	if st.role != nil && (chaining || keys) {
		// Role chaining: the current role assumes the next one.
		prev := st.role
		why := "configure-aws-credentials: assume " + roleARN + " from " + prev.ARN
		st.Add(pos, why, "sts:AssumeRole", roleARN)
		st.Add(pos, why, "sts:TagSession", roleARN)
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
	r.Jobs = append(r.Jobs, st.w.File.Name+":"+st.job.ID.Value)
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
