package render

import (
	"bytes"
	"regexp"
	"testing"

	"github.com/iamfit/iamfit/internal/source"
)

// TestFindingsFormats checks the registry: unique lower-case names, each
// writing the findings without error.
func TestFindingsFormats(t *testing.T) {
	if got, want := FindingsFormats(), "text, pretty, json or sarif"; got != want {
		t.Errorf("FindingsFormats() = %q, want %q", got, want)
	}
	f := source.NewFile("p.json", []byte("{\n  \"Statement\": []\n}\n"))
	in := &Findings{
		Diagnostics: []source.Diagnostic{{File: "p.json", Pos: source.Pos{Line: 2, Col: 3}, Severity: source.Warning, Message: "empty", Check: "x"}},
		Files:       []*source.File{f},
		Rules:       []Rule{{ID: "x", Severity: source.Warning, Doc: "X. Details."}},
		Version:     "test",
	}
	seen := map[string]bool{}
	for _, ff := range findingsFormats {
		if !regexp.MustCompile(`^[a-z]+$`).MatchString(ff.Name) || seen[ff.Name] {
			t.Errorf("bad or duplicate format name %q", ff.Name)
		}
		seen[ff.Name] = true
		if got, ok := LookupFindings(ff.Name); !ok || got != ff {
			t.Errorf("LookupFindings(%q) = %v, %v", ff.Name, got, ok)
		}
		var buf bytes.Buffer
		if err := ff.Write(&buf, in); err != nil || buf.Len() == 0 {
			t.Errorf("%s: %v, %d bytes", ff.Name, err, buf.Len())
		}
	}
	if _, ok := LookupFindings("xml"); ok {
		t.Error("LookupFindings(xml) found a format")
	}
}

// TestFormatNames checks the names the other registries list in help and
// error texts.
func TestFormatNames(t *testing.T) {
	for _, tt := range []struct{ got, want string }{
		{DecisionFormats(), "text or json"},
		{DiffFormats(), "text or json"},
		{ActionsFormats(), "text or json"},
		{OrList([]string{"a"}), "a"},
		{OrList([]string{"a", "b", "c"}), "a, b or c"},
	} {
		if tt.got != tt.want {
			t.Errorf("got %q, want %q", tt.got, tt.want)
		}
	}
	if _, ok := LookupDecisions("quiet"); ok {
		t.Error("quiet is a --format value")
	}
}
