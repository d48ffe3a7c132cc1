package cli

import (
	"bytes"
	"path/filepath"
	"testing"
)

// TestWebIdentityGolden explains the failed AssumeRoleWithWebIdentity
// events of testdata/webid/events.json (a feature branch, an audience of
// "sigstore", and a production token) against several trust policies, and
// compares with testdata/webid/*.golden; -update rewrites them.
func TestWebIdentityGolden(t *testing.T) {
	const dir = "testdata/webid"
	tests := []struct {
		name string
		args []string
	}{
		// Subject mismatch for all three; audience mismatch for the second.
		{"trust-main", []string{"--trust", dir + "/trust-main.json"}},
		// Admits the production token: the report looks elsewhere, and the
		// workflows show the event's role is not the one they assume.
		{"trust-production", []string{"--trust", dir + "/trust-production.json", "--workflows", dir + "/repo", "--repo", "octo-org/shop"}},
		// Another account's provider and sts:AssumeRole.
		{"trust-wrong-account", []string{"--trust", dir + "/trust-wrong-account.json"}},
		// No trust policy: the tokens' claims only.
		{"no-trust", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var out, errb bytes.Buffer
			c := Command{Stdin: &bytes.Buffer{}, Stdout: &out, Stderr: &errb}
			args := append([]string{"explain", "--cloudtrail", dir + "/events.json"}, tt.args...)
			if code := c.Main(args); code != ExitOK {
				t.Fatalf("exit %d: %s", code, errb.String())
			}
			out.WriteString("--- stderr\n")
			out.Write(errb.Bytes())
			checkGolden(t, filepath.Join(dir, tt.name+".golden"), out.Bytes())
		})
	}
}
