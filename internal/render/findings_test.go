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
	if got, want := FindingsFormats(), "text, pretty, json, sarif or github"; got != want {
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

// TestGitHub: workflow commands with the severity, position and check,
// the message and properties escaped as the runner reads them.
func TestGitHub(t *testing.T) {
	ds := []source.Diagnostic{
		{File: "./infra/a,b.json", Pos: source.Pos{Line: 3, Col: 7}, Severity: source.Error, Message: "100% wrong\nreally", Check: "unknown-action"},
		{File: "p.json", Severity: source.Info, Message: "no position"},
		{File: "p.json", Pos: source.Pos{Line: 1, Col: 1}, Severity: source.Warning, Message: "w", Check: "x"},
	}
	var buf bytes.Buffer
	if err := GitHub(&buf, ds); err != nil {
		t.Fatal(err)
	}
	want := "::error file=infra/a%2Cb.json,line=3,col=7,title=unknown-action::100%25 wrong%0Areally [unknown-action]\n" +
		"::notice file=p.json::no position\n" +
		"::warning file=p.json,line=1,col=1,title=x::w [x]\n"
	if buf.String() != want {
		t.Errorf("got\n%s\nwant\n%s", buf.String(), want)
	}
}

// TestSARIFFix: a finding's fix is a SARIF fix replacing its region.
func TestSARIFFix(t *testing.T) {
	d := source.Diagnostic{File: "p.json", Pos: source.Pos{Line: 2, Col: 5}, Severity: source.Error, Message: "typo", Check: "unknown-action",
		Fix: source.Fix{Start: source.Pos{Line: 2, Col: 6}, End: source.Pos{Line: 2, Col: 18}, New: "s3:GetObject", Description: `replace "s3:GetObjekt" with "s3:GetObject"`}}
	var buf bytes.Buffer
	if err := SARIF(&buf, &Findings{Diagnostics: []source.Diagnostic{d}, Version: "test"}); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{`"fixes"`, `"insertedContent"`, `"text": "s3:GetObject"`, `"endColumn": 18`, `"startColumn": 6`} {
		if !bytes.Contains(buf.Bytes(), []byte(want)) {
			t.Errorf("SARIF lacks %s:\n%s", want, buf.String())
		}
	}
}
