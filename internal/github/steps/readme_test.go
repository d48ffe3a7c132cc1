package steps

import (
	"flag"
	"os"
	"strings"
	"testing"
)

var update = flag.Bool("update", false, "rewrite the README's list of actions")

const (
	begin = "<!-- actions: generated from internal/github/steps by `go test ./internal/github/steps -update` -->\n"
	end   = "<!-- end of actions -->\n"
)

// Markdown is the README's list of the actions iamfit knows.
func Markdown() string {
	var b strings.Builder
	var quiet []string
	for _, a := range All() {
		if a.NoAWS {
			quiet = append(quiet, "`"+a.Name+"`")
			continue
		}
		b.WriteString("- `" + a.Name + "`: " + a.Doc + "\n")
	}
	b.WriteString("- known to make no AWS call: " + strings.Join(quiet, ", ") + "\n")
	return b.String()
}

// TestREADME: the README's list of actions is the registered list.
func TestREADME(t *testing.T) {
	const path = "../../../README.md"
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	s := string(data)
	i, j := strings.Index(s, begin), strings.Index(s, end)
	if i < 0 || j < i {
		t.Fatalf("README.md lacks the markers %q ... %q", begin, end)
	}
	want := s[:i+len(begin)] + Markdown() + s[j:]
	if *update {
		if err := os.WriteFile(path, []byte(want), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	if want != s {
		t.Errorf("README.md's list of actions is out of date: go test ./internal/github/steps -update")
	}
}

// TestAll: every action has a unique lower-case name and a doc line.
func TestAll(t *testing.T) {
	seen := map[string]bool{}
	for _, a := range All() {
		if a.Name != strings.ToLower(a.Name) || strings.Count(a.Name, "/") < 1 || seen[a.Name] || a.Doc == "" {
			t.Errorf("action %q: want a unique lower-case owner/name with a doc", a.Name)
		}
		seen[a.Name] = true
		if !a.NoAWS && a.Run == nil && a.Name != ConfigureAWSCredentials.Name {
			t.Errorf("action %q makes AWS calls but has no Run", a.Name)
		}
	}
}
