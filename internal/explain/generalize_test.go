package explain

import "testing"

func TestGeneralize(t *testing.T) {
	const p = "arn:aws:ecs:us-east-1:123456789012:"
	tests := []struct{ in, want string }{
		{p + "task-definition/httpd:5", p + "task-definition/httpd:*"},
		{p + "task-definition/httpd:99", p + "task-definition/httpd:*"},
		{p + "task/prod/0f3a5e2b9c8d4e1f8a7b6c5d4e3f2a1b", p + "task/prod/*"},
		{p + "task/3f2b8c1e-7d4a-4b9e-a6f5-0c1d2e3f4a5b", p + "task/*"},
		{p + "task-set/prod/web/ecs-svc/7340186927114519273", p + "task-set/prod/web/*"},
		{p + "container-instance/prod/0f3a5e2b9c8d4e1f8a7b6c5d4e3f2a1b", p + "container-instance/prod/*"},
		{"arn:aws:logs:us-east-1:123456789012:log-group:/ecs/web:log-stream:ecs/web/0f3a5e2b9c8d4e1f8a7b6c5d4e3f2a1b", "arn:aws:logs:us-east-1:123456789012:log-group:/ecs/web:log-stream:*"},
		{"arn:aws:ecr:us-east-1:123456789012:repository/team/web@sha256:9b2d", "arn:aws:ecr:us-east-1:123456789012:repository/team/web"},
		{"arn:aws:ecr:us-east-1:123456789012:repository/web:v1.2.3", "arn:aws:ecr:us-east-1:123456789012:repository/web"},
		{"arn:aws:cloudformation:us-east-1:123456789012:stack/web-prod/6c1b7a40-9f2e-11ee-8c90-0a1b2c3d4e5f", "arn:aws:cloudformation:us-east-1:123456789012:stack/web-prod/*"},
		// What does not change from run to run stays.
		{p + "task-definition/httpd", ""},
		{p + "task-definition/httpd:*", ""},
		{p + "service/prod/web", ""},
		{p + "cluster/prod", ""},
		{"arn:aws:logs:us-east-1:123456789012:log-group:/ecs/web:log-stream:deploy", ""},
		{"arn:aws:logs:us-east-1:123456789012:log-group:/ecs/web", ""},
		{"arn:aws:ecr:us-east-1:123456789012:repository/web", ""},
		{"arn:aws:iam::123456789012:role/web-task", ""},
		{"*", ""},
		{"not an arn", ""},
	}
	for _, tt := range tests {
		g, ok := Generalize(tt.in)
		if ok != (tt.want != "") || g.To != tt.want {
			t.Errorf("Generalize(%s) = %q, %v; want %q", tt.in, g.To, ok, tt.want)
		}
		if ok && (g.From != tt.in || g.Why == "") {
			t.Errorf("Generalize(%s): %+v", tt.in, g)
		}
	}
	if next("9") != "10" || next("199") != "200" || next("5") != "6" {
		t.Error("next")
	}
}

// TestGrouperGeneralizes: two revisions of a family are one denial.
func TestGrouperGeneralizes(t *testing.T) {
	var g Grouper
	for _, rev := range []string{"5", "6"} {
		g.Add(Event{Principal: "arn:aws:sts::123456789012:assumed-role/deploy/gh", Action: "ecs:RegisterTaskDefinition",
			Resource: "arn:aws:ecs:us-east-1:123456789012:task-definition/httpd:" + rev, Operation: "RegisterTaskDefinition", ErrorCode: "AccessDeniedException"})
	}
	if n := len(g.Groups()); n != 1 || g.Groups()[0].Count != 2 {
		t.Errorf("%d groups", n)
	}
}
