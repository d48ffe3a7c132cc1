package lint

import (
	"path/filepath"
	"strings"
	"testing"

	"github.com/iamfit/iamfit/internal/source"
)

func TestMatchPath(t *testing.T) {
	for _, tt := range []struct {
		pattern, name string
		want          bool
	}{
		{"legacy/**", "legacy/a.json", true},
		{"legacy/**", "legacy/x/y/a.json", true},
		{"legacy/**", "other/legacy/a.json", false},
		{"**/trust-*.json", "infra/prod/trust-ci.json", true},
		{"**/trust-*.json", "trust-ci.json", true},
		{"legacy/", "legacy/x/a.json", true},
		{"*.tf", "infra/main.tf", true},
		{"infra/*.json", "infra/sub/a.json", false},
		{"./infra/a.json", "infra/a.json", true},
	} {
		if got := matchPath(tt.pattern, tt.name); got != tt.want {
			t.Errorf("matchPath(%q, %q) = %v, want %v", tt.pattern, tt.name, got, tt.want)
		}
	}
}

func TestConfig(t *testing.T) {
	dir := t.TempDir()
	c, err := ParseConfig([]byte(`
disable: [resource-star]
severity:
  write-on-star: error
ignore:
  - paths: ["legacy/**"]
    checks: [action-wildcard]
    reason: the legacy stack is deleted in Q3
  - paths: ["site/bucket-policy.json"]
    reason: a public website
`), dir)
	if err != nil {
		t.Fatal(err)
	}
	if got := c.Enabled([]*Check{ResourceStar, WriteOnStar}); len(got) != 1 || got[0] != WriteOnStar {
		t.Errorf("Enabled = %v", got)
	}
	in := []source.Diagnostic{
		{File: filepath.Join(dir, "legacy", "a.json"), Check: "action-wildcard", Severity: source.Warning},
		{File: filepath.Join(dir, "legacy", "a.json"), Check: "write-on-star", Severity: source.Warning},
		{File: filepath.Join(dir, "site", "bucket-policy.json"), Check: "public-resource-policy", Severity: source.Error},
		{File: filepath.Join(dir, "app", "a.json"), Check: "action-wildcard", Severity: source.Warning},
	}
	kept, ignored := c.Apply(in)
	if ignored != 2 || len(kept) != 2 {
		t.Fatalf("kept %v, ignored %d", kept, ignored)
	}
	if kept[0].Check != "write-on-star" || kept[0].Severity != source.Error {
		t.Errorf("severity override not applied: %v", kept[0])
	}
	for _, bad := range []struct{ text, want string }{
		{"disable: [no-such-check]", "unknown check"},
		{"ignore: [{paths: [a.json]}]", "reason"},
		{"severity: {resource-star: fatal}", "unknown severity"},
		{"disabled: [resource-star]", "not found"},
		{"ignore: [{paths: ['[a'], reason: x}]", "bad pattern"},
	} {
		if _, err := ParseConfig([]byte(bad.text), dir); err == nil || !strings.Contains(err.Error(), bad.want) {
			t.Errorf("ParseConfig(%q) = %v, want an error with %q", bad.text, err, bad.want)
		}
	}
}

// TestBaseline: a baseline hides the findings it holds, by file, check and
// message whatever their line, as many times as they occurred, and keeps
// through a catalog date change; new findings stay.
func TestBaseline(t *testing.T) {
	dir := t.TempDir()
	file := filepath.Join(dir, "a.json")
	old := []source.Diagnostic{
		{File: file, Pos: source.Pos{Line: 3, Col: 1}, Check: "resource-star", Message: "star"},
		{File: file, Pos: source.Pos{Line: 9, Col: 1}, Check: "resource-star", Message: "star"},
		{File: file, Pos: source.Pos{Line: 5, Col: 1}, Check: "unknown-action", Message: "not in iamfit's data of 2026-01-01"},
	}
	path := filepath.Join(dir, "iamfit-baseline.json")
	if err := NewBaseline(dir, old).Write(path); err != nil {
		t.Fatal(err)
	}
	b, err := ReadBaseline(path)
	if err != nil {
		t.Fatal(err)
	}
	now := []source.Diagnostic{
		{File: file, Pos: source.Pos{Line: 4, Col: 1}, Check: "resource-star", Message: "star"},
		{File: file, Pos: source.Pos{Line: 10, Col: 1}, Check: "resource-star", Message: "star"},
		{File: file, Pos: source.Pos{Line: 12, Col: 1}, Check: "resource-star", Message: "star"},
		{File: file, Pos: source.Pos{Line: 6, Col: 1}, Check: "unknown-action", Message: "not in iamfit's data of 2026-09-26"},
		{File: file, Pos: source.Pos{Line: 7, Col: 1}, Check: "public-resource-policy", Message: "public"},
	}
	kept, hidden := b.Filter(now)
	if hidden != 3 || len(kept) != 2 || kept[0].Pos.Line != 12 || kept[1].Check != "public-resource-policy" {
		t.Errorf("kept %v, hidden %d", kept, hidden)
	}
}
