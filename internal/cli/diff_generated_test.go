package cli

import (
	"bytes"
	"encoding/json"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestDiffGenerateRoundTrip: generate --format json, then diff of that
// output against each role's permission policy, as a policy file, reports
// no difference either way; nor does the output against itself.
func TestDiffGenerateRoundTrip(t *testing.T) {
	for _, ex := range generateExamples {
		t.Run(ex.dir, func(t *testing.T) {
			dir := t.TempDir()
			var out bytes.Buffer
			c := Command{Stdin: strings.NewReader(""), Stdout: &out, Stderr: io.Discard}
			args := append([]string{"generate", "--repo", ex.repo, "--format", "json"}, ex.flags...)
			if code := c.Main(append(args, filepath.Join("..", "..", "examples", ex.dir))); code != ExitOK {
				t.Fatalf("generate: exit %d", code)
			}
			gen := filepath.Join(dir, "generated.json")
			if err := os.WriteFile(gen, out.Bytes(), 0o644); err != nil {
				t.Fatal(err)
			}
			var doc struct {
				Version int `json:"version"`
				Roles   []struct {
					Role             string          `json:"role"`
					PermissionPolicy json.RawMessage `json:"permissionPolicy"`
				} `json:"roles"`
			}
			if err := json.Unmarshal(out.Bytes(), &doc); err != nil {
				t.Fatal(err)
			}
			compared := 0
			for i, r := range doc.Roles {
				if string(r.PermissionPolicy) == "null" {
					continue
				}
				var pretty bytes.Buffer
				json.Indent(&pretty, r.PermissionPolicy, "", "  ")
				pol := filepath.Join(dir, "role"+string(rune('a'+i))+".json")
				if err := os.WriteFile(pol, pretty.Bytes(), 0o644); err != nil {
					t.Fatal(err)
				}
				for _, pair := range [][2]string{{gen, pol}, {pol, gen}, {gen, gen}} {
					adds, removes := runDiff(t, pair[0], pair[1], "--role", r.Role)
					if adds != 0 || removes != 0 {
						t.Errorf("%s: diff %s %s: %d adds, %d removes", r.Role, pair[0], pair[1], adds, removes)
					}
				}
				compared++
			}
			if compared == 0 {
				t.Fatal("no role with a permission policy")
			}
		})
	}
}

// runDiff runs diff --format json and counts what it reports.
func runDiff(t *testing.T, a, b string, flags ...string) (adds, removes int) {
	t.Helper()
	var out, errb bytes.Buffer
	c := Command{Stdin: strings.NewReader(""), Stdout: &out, Stderr: &errb}
	if code := c.Main(append(append([]string{"diff", "--format", "json", "--fail-on-wider"}, flags...), a, b)); code != ExitOK && code != ExitFindings {
		t.Fatalf("diff %s %s: exit %d: %s", a, b, code, errb.String())
	}
	var got struct{ Adds, Removes []json.RawMessage }
	if err := json.Unmarshal(out.Bytes(), &got); err != nil {
		t.Fatalf("%v: %s", err, out.String())
	}
	return len(got.Adds), len(got.Removes)
}

// TestDiffGenerated: the roles of generate's JSON are chosen by name or
// ARN; several roles without --role, an unknown role, and a role without
// a permission policy are bad usage; a difference is found at the line
// of the generated file.
func TestDiffGenerated(t *testing.T) {
	const gen = "../../examples/rolling-deploy/iamfit/generate.json"
	run := func(args ...string) (int, string, string) {
		var out, errb bytes.Buffer
		c := Command{Stdin: strings.NewReader(""), Stdout: &out, Stderr: &errb}
		code := c.Main(append([]string{"diff"}, args...))
		return code, out.String(), errb.String()
	}
	if code, _, errs := run(gen, gen); code != ExitUsage || !strings.Contains(errs, "choose one with --role") {
		t.Errorf("several roles: exit %d, %s", code, errs)
	}
	if code, _, errs := run("--role", "nosuch", gen, gen); code != ExitUsage || !strings.Contains(errs, "has no role nosuch") {
		t.Errorf("unknown role: exit %d, %s", code, errs)
	}
	if code, out, errs := run("--role", "shop-deploy", gen, gen); code != ExitOK || strings.Count(out, "nothing") != 2 {
		t.Errorf("by name: exit %d, %s %s", code, out, errs)
	}
	// The execution role's policy against the deploy role's: differences
	// both ways, at lines of the generated file.
	dir := t.TempDir()
	data, err := os.ReadFile(gen)
	if err != nil {
		t.Fatal(err)
	}
	var doc struct {
		Roles []struct {
			Role             string          `json:"role"`
			PermissionPolicy json.RawMessage `json:"permissionPolicy"`
		} `json:"roles"`
	}
	json.Unmarshal(data, &doc)
	var exec json.RawMessage
	for _, r := range doc.Roles {
		if strings.HasSuffix(r.Role, "-execution") {
			exec = r.PermissionPolicy
		}
	}
	pol := filepath.Join(dir, "exec.json")
	os.WriteFile(pol, exec, 0o644)
	code, out, errs := run("--role", "shop-deploy", pol, gen)
	if code != ExitOK || !strings.Contains(out, "generate.json:") || strings.Count(out, "nothing") != 0 {
		t.Errorf("exit %d:\n%s%s", code, out, errs)
	}
}
