package cli

import (
	"bytes"
	"encoding/json"
	"os"
	"strings"
	"testing"

	"github.com/santhosh-tekuri/jsonschema/v6"
)

// TestLintSARIF lints the copied-policies example (findings of many
// checks, and standard input) as SARIF: the log validates against the
// SARIF 2.1.0 schema subset of internal/render/testdata, and every
// helpUri points at a section docs/checks.md has.
func TestLintSARIF(t *testing.T) {
	policy, err := os.ReadFile("../../examples/copied-policies/deploy-policy.json")
	if err != nil {
		t.Fatal(err)
	}
	data, err := os.ReadFile("../render/testdata/sarif-2.1.0-subset.schema.json")
	if err != nil {
		t.Fatal(err)
	}
	checks, err := os.ReadFile("../../docs/checks.md")
	if err != nil {
		t.Fatal(err)
	}
	t.Chdir("../../examples")
	var out, errb bytes.Buffer
	c := &Command{Stdin: bytes.NewReader(policy), Stdout: &out, Stderr: &errb}
	if code := c.Main([]string{"lint", "--format", "sarif", "copied-policies", "-"}); code != ExitFindings {
		t.Fatalf("exit %d: %s", code, errb.String())
	}
	doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	comp := jsonschema.NewCompiler()
	comp.AssertFormat()
	if err := comp.AddResource("sarif.json", doc); err != nil {
		t.Fatal(err)
	}
	sch, err := comp.Compile("sarif.json")
	if err != nil {
		t.Fatal(err)
	}
	inst, err := jsonschema.UnmarshalJSON(bytes.NewReader(out.Bytes()))
	if err != nil {
		t.Fatal(err)
	}
	if err := sch.Validate(inst); err != nil {
		t.Errorf("lint's SARIF does not validate: %v", err)
	}
	var log struct {
		Runs []struct {
			Tool struct {
				Driver struct {
					Rules []struct{ ID, HelpURI string }
				}
			}
			Results []struct{ RuleID string }
		}
	}
	if err := json.Unmarshal(out.Bytes(), &log); err != nil {
		t.Fatal(err)
	}
	if len(log.Runs) != 1 || len(log.Runs[0].Results) == 0 {
		t.Fatalf("no results:\n%s", out.String())
	}
	for _, r := range log.Runs[0].Tool.Driver.Rules {
		id, ok := strings.CutPrefix(r.HelpURI, "https://github.com/iamfit/iamfit/blob/main/docs/checks.md#")
		if !ok || id != r.ID || !bytes.Contains(checks, []byte("\n## "+id+"\n")) {
			t.Errorf("rule %s: helpUri %q does not resolve to a section of docs/checks.md", r.ID, r.HelpURI)
		}
	}
	if !bytes.Contains(out.Bytes(), []byte(`"uri": "file:///dev/stdin"`)) || !bytes.Contains(out.Bytes(), []byte(`"uriBaseId": "SRCROOT"`)) {
		t.Errorf("stdin or SRCROOT missing:\n%s", out.String())
	}
}
