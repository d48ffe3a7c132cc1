package cli

import (
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/iamfit/iamfit/internal/render/sarifschema"
)

// TestActionEntrypoint runs the GitHub Action's entry point
// (scripts/action.sh) with a binary built from this checkout, against the
// examples: SARIF written, the job summary, outputs, and the exit status
// for clean input, lint findings and drift.
func TestActionEntrypoint(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the binary")
	}
	if _, err := exec.LookPath("bash"); err != nil {
		t.Skip("no bash")
	}
	tmp := t.TempDir()
	bin := filepath.Join(tmp, "iamfit")
	if out, err := exec.Command("go", "build", "-o", bin, "../../cmd/iamfit").CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	script, _ := filepath.Abs("../../scripts/action.sh")
	run := func(dir string, env ...string) (int, string, string, string) {
		summary := filepath.Join(tmp, "summary.md")
		outputs := filepath.Join(tmp, "outputs")
		os.Remove(summary)
		os.Remove(outputs)
		cmd := exec.Command("bash", script)
		cmd.Dir = filepath.Join("../../examples", dir)
		cmd.Env = append(os.Environ(), append([]string{"IAMFIT=" + bin, "GITHUB_STEP_SUMMARY=" + summary, "GITHUB_OUTPUT=" + outputs,
			"INPUT_SARIF=" + filepath.Join(tmp, "out.sarif")}, env...)...)
		out, _ := cmd.CombinedOutput()
		s, _ := os.ReadFile(summary)
		o, _ := os.ReadFile(outputs)
		return cmd.ProcessState.ExitCode(), string(out), string(s), string(o)
	}
	code, out, summary, outputs := run("push-to-ecr", "INPUT_REPO=octo-org/web", "INPUT_CHECK=iamfit/main.tf")
	if code != 0 {
		t.Fatalf("clean example: exit %d\n%s", code, out)
	}
	for _, want := range []string{"## iamfit", "### lint: no findings", "### generate --check: the kept policies are up to date"} {
		if !strings.Contains(summary, want) {
			t.Errorf("summary lacks %q:\n%s", want, summary)
		}
	}
	if !strings.Contains(outputs, "check-exit=0") || !strings.Contains(outputs, "lint-exit=0") {
		t.Errorf("outputs: %s", outputs)
	}
	var sarif struct {
		Version string `json:"version"`
		Runs    []any  `json:"runs"`
	}
	data, err := os.ReadFile(filepath.Join(tmp, "out.sarif"))
	if err != nil || json.Unmarshal(data, &sarif) != nil || sarif.Version != "2.1.0" || len(sarif.Runs) != 1 {
		t.Errorf("SARIF: %v %s", err, data)
	}
	if err := sarifschema.Validate(data); err != nil {
		t.Errorf("the clean run's SARIF does not validate: %v", err)
	}

	// The copied policies have errors: lint fails at error, not at none.
	code, out, summary, _ = run("copied-policies")
	if code != 1 || !strings.Contains(summary, "error") {
		t.Errorf("copied policies: exit %d\n%s\n%s", code, out, summary)
	}
	if code, out, _, _ = run("copied-policies", "INPUT_FAIL_ON=none"); code != 0 {
		t.Errorf("copied policies with fail-on none: exit %d\n%s", code, out)
	}
	data, _ = os.ReadFile(filepath.Join(tmp, "out.sarif"))
	if !strings.Contains(string(data), `"ruleId"`) {
		t.Errorf("SARIF without results for the copied policies")
	}
	if err := sarifschema.Validate(data); err != nil {
		t.Errorf("the copied policies' SARIF does not validate: %v", err)
	}

	// Drift: the push example's role checked against a policy of another
	// example fails, and the summary says so.
	code, out, summary, outputs = run("push-to-ecr", "INPUT_LINT=", "INPUT_REPO=octo-org/web", "INPUT_CHECK=../rolling-deploy/iamfit/main.tf",
		"INPUT_CHECK_ARGS=--match gh-push=shop-deploy", "INPUT_FAIL_ON=none")
	if code != 1 || !strings.Contains(summary, "DRIFTED") || !strings.Contains(summary, "MISSING") || !strings.Contains(outputs, "check-exit=1") {
		t.Errorf("drift: exit %d\n%s\n%s", code, out, summary)
	}
	if strings.Contains(summary, "### lint") || strings.Contains(outputs, "lint-exit") {
		t.Errorf("lint ran with INPUT_LINT empty: %s", summary)
	}
	if code, _, _, _ = run("push-to-ecr", "INPUT_FAIL_ON=bogus"); code != 2 {
		t.Errorf("bad fail-on: exit %d", code)
	}
}
