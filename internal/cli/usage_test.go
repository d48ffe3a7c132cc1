package cli

import (
	"bytes"
	"compress/gzip"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/iamfit/iamfit/internal/cloudtrail"
)

// TestUsageToPolicyGolden builds policies from a synthetic CloudTrail log
// (two files, one gzipped, as delivered to S3) and compares every output
// format with testdata/usage/*.golden; -update rewrites them.
func TestUsageToPolicyGolden(t *testing.T) {
	dir := t.TempDir()
	writeSynthetic(t, filepath.Join(dir, "123456789012_CloudTrail_us-east-1_0001.json"), 300, 1, false)
	writeSynthetic(t, filepath.Join(dir, "123456789012_CloudTrail_us-east-1_0002.json.gz"), 300, 2, true)
	const role = "arn:aws:iam::123456789012:role/gh-deploy"
	tests := []struct {
		name string
		args []string
	}{
		{"text", nil},
		{"json", []string{"--format", "json"}},
		{"cloudformation", []string{"--format", "cloudformation"}},
		{"terraform", []string{"--format", "terraform"}},
		{"include-denied", []string{"--include-denied"}},
		// The last ten minutes of the log only.
		{"since", []string{"--since", "10m"}},
		{"window", []string{"--since", "2026-11-01T00:10:00Z", "--until", "2026-11-01T00:20:00Z"}},
		// Another principal's calls: S3 reads.
		{"other-principal", []string{"--principal-override", "arn:aws:iam::123456789012:role/analytics"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			principal := role
			args := tt.args
			if len(args) == 2 && args[0] == "--principal-override" {
				principal, args = args[1], nil
			}
			var out, errb bytes.Buffer
			c := Command{Stdin: &bytes.Buffer{}, Stdout: &out, Stderr: &errb}
			all := append([]string{"generate", "--cloudtrail", dir, "--principal", principal}, args...)
			if code := c.Main(all); code != ExitOK {
				t.Fatalf("exit %d: %s", code, errb.String())
			}
			got := strings.ReplaceAll(out.String()+"--- stderr\n"+errb.String(), dir, "$TRAIL")
			golden := filepath.Join("testdata", "usage", tt.name+".golden")
			if *update {
				if err := os.MkdirAll(filepath.Dir(golden), 0o755); err != nil {
					t.Fatal(err)
				}
				if err := os.WriteFile(golden, []byte(got), 0o644); err != nil {
					t.Fatal(err)
				}
				return
			}
			want, err := os.ReadFile(golden)
			if err != nil {
				t.Fatal(err)
			}
			if got != string(want) {
				t.Errorf("output differs from %s (rerun with -update):\n%s", golden, got)
			}
		})
	}
}

func writeSynthetic(t *testing.T, name string, records int, seed int64, gz bool) {
	t.Helper()
	var buf bytes.Buffer
	if err := cloudtrail.Synthetic(&buf, cloudtrail.SyntheticOptions{Records: records, Seed: seed}); err != nil {
		t.Fatal(err)
	}
	data := buf.Bytes()
	if gz {
		data = gzipBytes(t, data)
	}
	if err := os.WriteFile(name, data, 0o644); err != nil {
		t.Fatal(err)
	}
}

func gzipBytes(t *testing.T, data []byte) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw := gzip.NewWriter(&buf)
	if _, err := zw.Write(data); err != nil {
		t.Fatal(err)
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}
