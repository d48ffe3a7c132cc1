package explain

import (
	"testing"

	"github.com/iamfit/iamfit/internal/catalog"
)

// TestGrouper groups repeated denials in the order first seen: one by
// message, one by the record's own fields, and web identities by token.
func TestGrouper(t *testing.T) {
	const msg = "User: arn:aws:sts::123456789012:assumed-role/deploy/gh is not authorized to perform: ecs:UpdateService on resource: arn:aws:ecs:us-east-1:123456789012:service/prod/web because no identity-based policy allows the ecs:UpdateService action"
	var g Grouper
	for i := 0; i < 3; i++ {
		g.Add(Event{Principal: "arn:aws:sts::123456789012:assumed-role/deploy/gh", Action: "ecs:UpdateService", Operation: "UpdateService", ErrorCode: "AccessDeniedException", ErrorMessage: msg})
	}
	g.Add(Event{Principal: "arn:aws:iam::123456789012:user/ci", Action: "s3:GetObject", Resource: "arn:aws:s3:::b/k", Operation: "GetObject", ErrorCode: "AccessDenied", ErrorMessage: "Access Denied"})
	for _, sub := range []string{"repo:o/r:ref:refs/heads/a", "repo:o/r:ref:refs/heads/b", "repo:o/r:ref:refs/heads/a"} {
		g.Add(Event{Operation: "AssumeRoleWithWebIdentity", ErrorCode: "AccessDenied",
			WebIdentity: &Token{Subject: sub, Audience: "sts.amazonaws.com", RoleARN: "arn:aws:iam::123456789012:role/deploy"}})
	}
	got := g.Groups()
	want := []struct {
		count          int
		action, form   string
		operation, sub string
	}{
		{3, "ecs:UpdateService", "", "UpdateService", ""},
		{1, "s3:GetObject", "CloudTrail", "GetObject", ""},
		{2, "sts:AssumeRoleWithWebIdentity", "CloudTrail", "AssumeRoleWithWebIdentity", "repo:o/r:ref:refs/heads/a"},
		{1, "sts:AssumeRoleWithWebIdentity", "CloudTrail", "AssumeRoleWithWebIdentity", "repo:o/r:ref:refs/heads/b"},
	}
	if len(got) != len(want) {
		t.Fatalf("%d groups, want %d", len(got), len(want))
	}
	for i, w := range want {
		gr := got[i]
		if gr.Count != w.count || gr.Denial.Action != w.action || gr.Denial.Operation != w.operation || (w.form != "" && gr.Denial.Form != w.form) {
			t.Errorf("group %d: %d x %+v, want %+v", i, gr.Count, gr.Denial, w)
		}
		if (gr.Token == nil) != (w.sub == "") || gr.Token != nil && gr.Token.Subject != w.sub {
			t.Errorf("group %d: token %+v, want subject %q", i, gr.Token, w.sub)
		}
	}
	// Each group's denial is its own: filling in one does not change another.
	if got[0].Denial.Operation != "UpdateService" {
		t.Errorf("operation %q", got[0].Denial.Operation)
	}
	reps := ExplainGroups(got, Options{Catalog: catalog.MustLoad()})
	if len(reps) != len(got) || reps[0].Events != 3 || reps[0].Fix == nil || reps[0].SessionOf != "arn:aws:iam::123456789012:role/deploy" {
		t.Errorf("reports: %+v", reps[0])
	}
}
