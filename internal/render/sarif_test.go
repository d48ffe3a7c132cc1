package render

import (
	"bytes"
	"encoding/json"
	"strconv"
	"strings"
	"testing"

	"github.com/iamfit/iamfit/internal/render/sarifschema"
	"github.com/iamfit/iamfit/internal/source"
)

// validateSARIF checks a SARIF log against the SARIF 2.1.0 schema,
// formats (uri, uri-reference) asserted.
func validateSARIF(t *testing.T, log []byte) {
	t.Helper()
	if err := sarifschema.Validate(log); err != nil {
		t.Errorf("SARIF does not validate: %v\n%s", err, log)
	}
}

// TestSARIFSchemaRejects: the validation is not vacuous; it rejects a
// log with a line 0, a space in a URI, another version, an unknown level,
// a base URI that is not absolute, a misspelt property.
func TestSARIFSchemaRejects(t *testing.T) {
	var buf bytes.Buffer
	if err := SARIF(&buf, sampleFindings()); err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct{ old, new string }{
		{`"startLine": 1,`, `"startLine": 0,`},
		{`"uri": "infra/p.json"`, `"uri": "infra/p q.json"`},
		{`"version": "2.1.0"`, `"version": "2.0.0"`},
		{`"level": "error"`, `"level": "fatal"`},
		{`"uri": "file:///work/repo/"`, `"uri": "work/repo/"`},
		{`"ruleId"`, `"ruleID"`},
	} {
		log := bytes.Replace(buf.Bytes(), []byte(tt.old), []byte(tt.new), 1)
		if bytes.Equal(log, buf.Bytes()) {
			t.Errorf("%s not in the log", tt.old)
			continue
		}
		if sarifschema.Validate(log) == nil {
			t.Errorf("the schema accepts %s", tt.new)
		}
	}
}

// sarifLog is the part of a SARIF log the GitHub assertions read.
type sarifLog struct {
	Runs []struct {
		Tool struct {
			Driver struct {
				Rules []struct {
					ID, Name, HelpURI string
					Help              struct{ Text, Markdown string }
					Properties        map[string]any
				}
			}
		}
		OriginalURIBaseIDs map[string]struct{ URI string } `json:"originalUriBaseIds"`
		Results            []struct {
			RuleID              string
			RuleIndex           int
			PartialFingerprints map[string]string
			Locations           []struct {
				PhysicalLocation struct {
					ArtifactLocation struct{ URI, URIBaseID string } `json:"artifactLocation"`
				}
			}
		}
	}
}

func sampleFindings() *Findings {
	d := func(file string, line int, check, msg string) source.Diagnostic {
		return source.Diagnostic{File: file, Pos: source.Pos{Line: line, Col: 3}, Severity: source.Error, Check: check, Message: msg}
	}
	typo := d("./infra/p.json", 2, "unknown-action", "typo")
	typo.Fix = source.Fix{Start: source.Pos{Line: 2, Col: 6}, End: source.Pos{Line: 2, Col: 18}, New: "s3:GetObject", Description: "replace"}
	return &Findings{
		Diagnostics: []source.Diagnostic{
			typo,
			d("infra/p.json", 7, "github-oidc-subject", "no sub"),
			d("infra/p.json", 9, "github-oidc-subject", "no sub"), // the same finding twice: distinct fingerprints
			d("/work/repo/stacks/a b#1.yaml", 1, "resource-star", "star on the data of 2026-09-26"),
			d("/elsewhere/p.json", 1, "resource-star", "outside"),
			d("../up.json", 1, "resource-star", "above"),
			d("a:b.json", 1, "resource-star", "colon"),
			d(Stdin, 1, "read-error", "not a rule"),
		},
		Rules: []Rule{
			{ID: "unknown-action", Severity: source.Error, Doc: "An action is unknown. Details.", Tags: []string{"correctness", "iam", "grammar"}, Documented: true},
			{ID: "github-oidc-subject", Severity: source.Error, Doc: "No sub.", Tags: []string{"security", "iam", "trust"}, SecuritySeverity: 9, Documented: true},
			{ID: "resource-star", Severity: source.Warning, Doc: "Star.", Tags: []string{"security"}, SecuritySeverity: 5, Documented: true},
		},
		Root:    "/work/repo",
		Dir:     "/work/repo",
		Version: "1.2.3",
	}
}

// TestSARIFSchema: the log validates against SARIF 2.1.0 and has what
// GitHub code scanning reads: rule names, help, tags and
// security-severity; relative URIs against SRCROOT; a partial
// fingerprint for every result; helpUri only for documented rules.
func TestSARIFSchema(t *testing.T) {
	var buf bytes.Buffer
	if err := SARIF(&buf, sampleFindings()); err != nil {
		t.Fatal(err)
	}
	validateSARIF(t, buf.Bytes())
	var log sarifLog
	if err := json.Unmarshal(buf.Bytes(), &log); err != nil {
		t.Fatal(err)
	}
	run := log.Runs[0]
	if got := run.OriginalURIBaseIDs["SRCROOT"].URI; got != "file:///work/repo/" {
		t.Errorf("SRCROOT = %q", got)
	}
	for _, r := range run.Tool.Driver.Rules {
		if r.Name == "" || r.Name == r.ID || r.Help.Text == "" || r.Help.Markdown == "" {
			t.Errorf("rule %s: name %q, help %+v", r.ID, r.Name, r.Help)
		}
		if tags, ok := r.Properties["tags"].([]any); !ok || len(tags) == 0 {
			t.Errorf("rule %s: no tags", r.ID)
		}
		if s, ok := r.Properties["security-severity"].(string); ok {
			if v, err := strconv.ParseFloat(s, 64); err != nil || v <= 0 || v > 10 {
				t.Errorf("rule %s: security-severity %q", r.ID, s)
			}
		} else if _, ok := r.Properties["problem.severity"]; !ok {
			t.Errorf("rule %s: neither security-severity nor problem.severity", r.ID)
		}
		documented := r.ID != "read-error"
		if (r.HelpURI != "") != documented {
			t.Errorf("rule %s: helpUri %q", r.ID, r.HelpURI)
		}
		if documented && r.HelpURI != "https://github.com/iamfit/iamfit/blob/v1.2.3/docs/checks.md#"+r.ID {
			t.Errorf("rule %s: helpUri %q, want the release's docs", r.ID, r.HelpURI)
		}
	}
	var uris []string
	seen := map[string]bool{}
	for _, res := range run.Results {
		if run.Tool.Driver.Rules[res.RuleIndex].ID != res.RuleID {
			t.Errorf("result %s: ruleIndex %d", res.RuleID, res.RuleIndex)
		}
		fp := res.PartialFingerprints[FingerprintKey]
		if fp == "" || seen[fp] {
			t.Errorf("result %s: fingerprint %q missing or repeated", res.RuleID, fp)
		}
		seen[fp] = true
		loc := res.Locations[0].PhysicalLocation.ArtifactLocation
		uris = append(uris, loc.URIBaseID+"|"+loc.URI)
	}
	want := []string{
		"SRCROOT|infra/p.json", "SRCROOT|infra/p.json", "SRCROOT|infra/p.json",
		"SRCROOT|stacks/a%20b%231.yaml", "|file:///elsewhere/p.json", "|file:///work/up.json", "SRCROOT|./a:b.json",
		"|file:///dev/stdin",
	}
	if strings.Join(uris, " ") != strings.Join(want, " ") {
		t.Errorf("URIs\n got %v\nwant %v", uris, want)
	}
}

// TestSARIFFingerprintStable: a finding keeps its fingerprint when lines
// above it move and when the catalog's date changes.
func TestSARIFFingerprintStable(t *testing.T) {
	fp := func(f *Findings) string {
		var buf bytes.Buffer
		if err := SARIF(&buf, f); err != nil {
			t.Fatal(err)
		}
		var log sarifLog
		json.Unmarshal(buf.Bytes(), &log)
		return log.Runs[0].Results[3].PartialFingerprints[FingerprintKey]
	}
	a := sampleFindings()
	b := sampleFindings()
	b.Diagnostics[3].Pos.Line = 40
	b.Diagnostics[3].Message = "star on the data of 2027-01-01"
	if fp(a) != fp(b) {
		t.Error("fingerprint changed with the line or the date")
	}
}

// TestArtifactURI: names relative to a working directory below the
// repository root are relative to the root.
func TestArtifactURI(t *testing.T) {
	for _, tt := range []struct{ name, dir, root, want string }{
		{"p.json", "/r/infra", "/r", "SRCROOT|infra/p.json"},
		{"../p.json", "/r/infra", "/r", "SRCROOT|p.json"},
		{"../../p.json", "/r/infra", "/r", "|file:///p.json"},
		{"/r/x/p.json", "/r/infra", "/r", "SRCROOT|x/p.json"},
		{"p.json", "", "", "|p.json"},
	} {
		loc := ArtifactURI(tt.name, tt.dir, tt.root)
		got := "|" + *loc.URI
		if loc.URIBaseId != nil {
			got = *loc.URIBaseId + got
		}
		if got != tt.want {
			t.Errorf("ArtifactURI(%q, %q, %q) = %s, want %s", tt.name, tt.dir, tt.root, got, tt.want)
		}
	}
}
