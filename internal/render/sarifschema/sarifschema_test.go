package sarifschema

import (
	"go/parser"
	"go/token"
	"io/fs"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

const valid = `{"version": "2.1.0", "runs": [{"tool": {"driver": {"name": "t", "informationUri": "https://example.com/t"}},
  "originalUriBaseIds": {"SRCROOT": {"uri": "file:///work/repo/"}},
  "results": [{"ruleId": "r", "message": {"text": "m"}, "locations": [{"physicalLocation": {
    "artifactLocation": {"uri": "a%20b/p.json", "uriBaseId": "SRCROOT"}, "region": {"startLine": 1, "startColumn": 1}}}]}]}]}`

// TestValidate: a log validates; each change that the schema, RFC 3986 or
// §3.14.14 forbids is rejected.
func TestValidate(t *testing.T) {
	if err := Validate([]byte(valid)); err != nil {
		t.Fatalf("the valid log: %v", err)
	}
	for _, tt := range []struct{ old, new string }{
		{`"version": "2.1.0"`, `"version": "2.1"`},
		{`"startLine": 1`, `"startLine": 0`},
		{`"ruleId"`, `"ruleID"`},
		{`"message": {"text": "m"}`, `"message": {}`},
		{`"a%20b/p.json"`, `"a b/p.json"`},
		{`"a%20b/p.json"`, `"a%2/p.json"`},
		{`"https://example.com/t"`, `"example.com/t"`},
		{`"file:///work/repo/"`, `"file:///work/repo"`},
		{`"file:///work/repo/"`, `"work/repo/"`},
		{`{"version"`, `{"version",`},
	} {
		log := strings.Replace(valid, tt.old, tt.new, 1)
		if log == valid {
			t.Fatalf("%s not in the log", tt.old)
		}
		if err := Validate([]byte(log)); err == nil {
			t.Errorf("validates with %s", tt.new)
		}
	}
	// A base relative to another base is fine (§3.14.14).
	rel := strings.Replace(valid, `"SRCROOT": {"uri": "file:///work/repo/"}`,
		`"ROOT": {"uri": "file:///work/"}, "SRCROOT": {"uri": "repo/", "uriBaseId": "ROOT"}`, 1)
	if err := Validate([]byte(rel)); err != nil {
		t.Errorf("a base relative to another: %v", err)
	}
}

// TestTestOnly: no non-test file imports this package, so the schema and
// the validator stay out of the binary.
func TestTestOnly(t *testing.T) {
	const self = "github.com/iamfit/iamfit/internal/render/sarifschema"
	err := filepath.WalkDir("../../..", func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() && (d.Name() == "testdata" || strings.HasPrefix(d.Name(), ".")) && path != "../../.." {
			return filepath.SkipDir
		}
		if d.IsDir() || !strings.HasSuffix(path, ".go") || strings.HasSuffix(path, "_test.go") {
			return nil
		}
		f, err := parser.ParseFile(token.NewFileSet(), path, nil, parser.ImportsOnly)
		if err != nil {
			return err
		}
		for _, imp := range f.Imports {
			if p, _ := strconv.Unquote(imp.Path.Value); p == self {
				t.Errorf("%s imports %s", path, self)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}
