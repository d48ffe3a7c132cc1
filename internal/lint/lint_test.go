package lint

import (
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/iamfit/iamfit/internal/catalog"
	"github.com/iamfit/iamfit/internal/jsonpos"
	"github.com/iamfit/iamfit/internal/policy"
	"github.com/iamfit/iamfit/internal/source"
)

var update = flag.Bool("update", false, "rewrite golden .out files")

// TestCheckList validates the registry: unique kebab-case ids, docs.
func TestCheckList(t *testing.T) {
	kebab := regexp.MustCompile(`^[a-z0-9]+(-[a-z0-9]+)*$`)
	seen := map[string]bool{}
	for _, c := range Checks() {
		if !kebab.MatchString(c.ID) {
			t.Errorf("check id %q is not kebab-case", c.ID)
		}
		if seen[c.ID] {
			t.Errorf("duplicate check id %q", c.ID)
		}
		seen[c.ID] = true
		if len(c.Doc) < 60 || !strings.HasSuffix(strings.TrimSpace(c.Doc), ".") {
			t.Errorf("check %s: doc must be a paragraph ending with a period", c.ID)
		}
		if _, err := os.Stat(filepath.Join("testdata", c.ID)); err != nil {
			t.Errorf("check %s has no testdata/%s", c.ID, c.ID)
		}
	}
}

// typeFor picks a policy type from a case file name prefix.
func typeFor(name string) policy.Type {
	name = strings.TrimPrefix(name, "ok-")
	for _, t := range []string{"trust", "resource", "scp", "rcp", "identity"} {
		if strings.HasPrefix(name, t+"-") {
			typ, _ := policy.ParseType(t)
			return typ
		}
	}
	return policy.Any
}

// TestGolden runs each check alone on testdata/<check>/*.json and compares
// the findings with the .out file beside each case. Cases named ok-* must
// produce no finding.
func TestGolden(t *testing.T) {
	cat := catalog.MustLoad()
	for _, c := range Checks() {
		files, _ := filepath.Glob(filepath.Join("testdata", c.ID, "*.json"))
		yamls, _ := filepath.Glob(filepath.Join("testdata", c.ID, "*.yaml"))
		tfs, _ := filepath.Glob(filepath.Join("testdata", c.ID, "*.tf"))
		files = append(append(files, yamls...), tfs...)
		if len(files) == 0 {
			t.Errorf("check %s: no cases", c.ID)
		}
		hasOK, hasBad := false, false
		for _, in := range files {
			ext := filepath.Ext(in)
			name := strings.TrimSuffix(filepath.Base(in), ext)
			t.Run(c.ID+"/"+name, func(t *testing.T) {
				data, err := os.ReadFile(in)
				if err != nil {
					t.Fatal(err)
				}
				f := source.NewFile(filepath.ToSlash(in), data)
				var diags []source.Diagnostic
				switch ext {
				case ".yaml":
					diags = Template(f, cat, []*Check{c})
				case ".tf":
					diags = Terraform(f, cat, []*Check{c})
				default:
					diags = File(f, cat, Options{Type: typeFor(name), Checks: []*Check{c}}).Diagnostics
				}
				var b bytes.Buffer
				for _, d := range diags {
					b.WriteString(d.String())
					b.WriteByte('\n')
				}
				if strings.HasPrefix(name, "ok") {
					hasOK = true
					if b.Len() > 0 {
						t.Errorf("expected no finding, got:\n%s", b.String())
					}
					return
				}
				hasBad = true
				if b.Len() == 0 {
					t.Errorf("expected findings, got none")
				}
				golden := strings.TrimSuffix(in, ext) + ".out"
				if *update {
					if err := os.WriteFile(golden, b.Bytes(), 0o644); err != nil {
						t.Fatal(err)
					}
					return
				}
				want, err := os.ReadFile(golden)
				if err != nil {
					t.Fatal(err)
				}
				if b.String() != string(want) {
					t.Errorf("findings differ from %s (rerun with -update):\n%s", golden, b.String())
				}
			})
		}
		if c.External {
			hasBad = true // its findings need workflows: see internal/cli/testdata/script
		}
		if len(files) > 0 && (!hasOK || !hasBad) {
			t.Errorf("check %s needs both a bad case and an ok-* case (ok=%v bad=%v)", c.ID, hasOK, hasBad)
		}
	}
}

// TestDocs keeps docs/checks.md in sync with the checks.
func TestDocs(t *testing.T) {
	path := filepath.Join("..", "..", "docs", "checks.md")
	got := Markdown()
	if *update {
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if string(want) != got {
		t.Errorf("docs/checks.md is out of date: run go test ./internal/lint -run TestDocs -update")
	}
}

// TestDetectType: the type guess from the policy and from the JSON tree
// agree.
func TestDetectType(t *testing.T) {
	tests := []struct {
		doc  string
		want policy.Type
	}{
		{`{"Statement":{"Effect":"Allow","Action":"s3:GetObject","Resource":"*"}}`, policy.Identity},
		{`{"Statement":[{"Effect":"Allow","Principal":{"Federated":"x"},"Action":["sts:AssumeRoleWithWebIdentity","sts:TagSession"]}]}`, policy.Trust},
		{`{"Statement":[{"Effect":"Allow","Principal":"*","Action":"s3:GetObject","Resource":"*"}]}`, policy.Resource},
		{`{"Statement":[{"Effect":"Allow","Principal":"*","NotAction":"sts:AssumeRole"}]}`, policy.Resource},
		{`{"Statement":[{"Effect":"Allow","Principal":{"AWS":"x"},"Action":"STS:AssumeRole"},{"Effect":"Deny","Action":"sts:SetSourceIdentity","Principal":"*"}]}`, policy.Trust},
	}
	for _, tt := range tests {
		root, errs := jsonpos.Parse([]byte(tt.doc))
		if len(errs) > 0 {
			t.Fatal(errs)
		}
		if got := detectJSON(root); got != tt.want {
			t.Errorf("detectJSON(%s) = %s, want %s", tt.doc, got, tt.want)
		}
		doc, _ := policy.Parse(source.NewFile("p.json", []byte(tt.doc)), policy.Any)
		if doc == nil {
			t.Fatalf("parse %s", tt.doc)
		}
		if got := DetectType(doc); got != tt.want {
			t.Errorf("DetectType(%s) = %s, want %s", tt.doc, got, tt.want)
		}
	}
}

// TestConfiningKey: the key lowered in a buffer is judged as lowered by
// strings.ToLower, for short and long keys, ASCII or not.
func TestConfiningKey(t *testing.T) {
	var buf [128]byte
	for _, k := range []string{
		"aws:ResourceTag/team", "AWS:REQUESTTAG/x", "iam:PassedToService", "kms:RequestAlias", "iam:AWSServiceName",
		"aws:SourceIp", "s3:prefix", "", "aws:ResourceTäg/x", "aws:ResourceTag/Kelvin\u212A", "\u212Ams:RequestAlias",
		"aws:ResourceTag/" + strings.Repeat("x", 200), strings.Repeat("y", 200),
	} {
		if got, want := confiningKey(k, &buf), confiningLower(strings.ToLower(k)); got != want {
			t.Errorf("confiningKey(%q) = %v, want %v", k, got, want)
		}
	}
}

// TestContainsKey: containsKey is bytes.Contains of the quoted word.
func TestContainsKey(t *testing.T) {
	for _, data := range []string{
		`{"Statement": []}`, `"Statement"`, `Statement"`, `"Statement`, `xStatement" "Statement"`, `""Statement"`,
		`Statement""Statement"`, ``, `"`, `{"Statements": 1}`, `{"aStatement": 1}`, `Statement"Statement"`,
	} {
		if got, want := containsKey([]byte(data), "Statement"), strings.Contains(data, `"Statement"`); got != want {
			t.Errorf("containsKey(%q) = %v, want %v", data, got, want)
		}
	}
}
