package cli

import (
	"bytes"
	"encoding/json"
	"os"
	"strings"
	"testing"

	"github.com/iamfit/iamfit/internal/render/sarifschema"
)

// TestLintSARIF lints inputs of every kind as SARIF (findings of many
// checks, standard input alone and beside files, an empty result, a file
// that is not JSON, CloudFormation, SAM policy templates, Terraform, a
// workflow cross-check):
// each log validates against the SARIF 2.1.0 schema, and every helpUri
// points at a section docs/checks.md has.
func TestLintSARIF(t *testing.T) {
	policy, err := os.ReadFile("../../examples/copied-policies/deploy-policy.json")
	if err != nil {
		t.Fatal(err)
	}
	checks, err := os.ReadFile("../../docs/checks.md")
	if err != nil {
		t.Fatal(err)
	}
	t.Chdir("../../examples")
	clean := `{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::example-site/*"}]}`
	for _, tt := range []struct {
		name    string
		args    []string
		stdin   string
		exit    int
		results int    // -1: at least one
		want    string // in the log
	}{
		{"files and stdin", []string{"copied-policies", "-"}, string(policy), ExitFindings, -1, `"uri": "file:///dev/stdin"`},
		{"stdin alone", []string{"-"}, string(policy), ExitFindings, -1, `"uri": "file:///dev/stdin"`},
		{"empty result", []string{"-"}, clean, ExitOK, 0, `"results": []`},
		{"empty result of files", []string{"push-to-ecr/policy.json", "push-to-ecr/trust.json"}, "", ExitOK, 0, `"results": []`},
		{"not JSON", []string{"-"}, `{"Version": "2012-10-17",}`, ExitFindings, -1, `"ruleId": "json-syntax"`},
		{"CloudFormation", []string{"copied-policies/task-role.yaml"}, "", ExitFindings, -1, `"uriBaseId": "SRCROOT"`},
		{"SAM policy templates", []string{"../internal/lint/testdata/sam-policy-template/bad.yaml", "../internal/lint/testdata/sam-policy-template/ok-templates.yaml"}, "", ExitFindings, -1, `"ruleId": "sam-policy-template"`},
		{"Terraform", []string{"push-to-ecr/iamfit/main.tf"}, "", ExitOK, 0, `"results": []`},
		{"workflows", []string{"--workflows", "fargate-release", "--repo", "octo-org/blog", "push-to-ecr/trust.json"}, "", ExitFindings, -1, `"ruleId": "trust-workflows"`},
	} {
		t.Run(tt.name, func(t *testing.T) {
			var out, errb bytes.Buffer
			c := &Command{Stdin: strings.NewReader(tt.stdin), Stdout: &out, Stderr: &errb}
			if code := c.Main(append([]string{"lint", "--format", "sarif"}, tt.args...)); code != tt.exit {
				t.Fatalf("exit %d, want %d: %s\n%s", code, tt.exit, errb.String(), out.String())
			}
			if err := sarifschema.Validate(out.Bytes()); err != nil {
				t.Errorf("lint's SARIF does not validate: %v\n%s", err, out.String())
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
			if len(log.Runs) != 1 {
				t.Fatalf("%d runs:\n%s", len(log.Runs), out.String())
			}
			if n := len(log.Runs[0].Results); tt.results >= 0 && n != tt.results || tt.results < 0 && n == 0 {
				t.Errorf("%d results, want %d:\n%s", n, tt.results, out.String())
			}
			for _, r := range log.Runs[0].Tool.Driver.Rules {
				if r.HelpURI == "" && r.ID == "json-syntax" {
					t.Errorf("rule %s: no helpUri", r.ID)
				}
				if r.HelpURI == "" {
					continue // a rule of its own for a read error
				}
				id, ok := strings.CutPrefix(r.HelpURI, "https://github.com/iamfit/iamfit/blob/main/docs/checks.md#")
				if !ok || id != r.ID || !bytes.Contains(checks, []byte("\n## "+id+"\n")) {
					t.Errorf("rule %s: helpUri %q does not resolve to a section of docs/checks.md", r.ID, r.HelpURI)
				}
			}
			if !strings.Contains(out.String(), tt.want) {
				t.Errorf("%s missing:\n%s", tt.want, out.String())
			}
		})
	}
}
