package cli

import (
	"bytes"
	"compress/gzip"
	"encoding/json"
	"os"
	"path/filepath"
	"sort"
	"strconv"
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
			checkGolden(t, filepath.Join("testdata", "usage", tt.name+".golden"), []byte(got))
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

// athenaCSV emulates the query of --cloudtrail-athena-sql on the records
// of dir: it groups the principal's calls as the SQL does and writes the
// CSV the way Athena does (every value quoted).
func athenaCSV(t *testing.T, dir, principal string) []byte {
	t.Helper()
	type row struct {
		cols        []string
		calls       int
		first, last string
	}
	rows := map[string]*row{}
	var keys []string
	_, err := cloudtrail.Read(dir, func(r *cloudtrail.Record) error {
		if cloudtrail.Caller(r) != principal && r.UserIdentity.ARN != principal {
			return nil
		}
		if r.ErrorCode != "" && !r.Denied() {
			return nil
		}
		params := ""
		if len(r.RawParameters) > 0 {
			var m map[string]any
			if err := json.Unmarshal(r.RawParameters, &m); err == nil && m != nil {
				kept := map[string]any{}
				for k, v := range m {
					switch v := v.(type) {
					case map[string]any:
					case []any:
						if b, _ := json.Marshal(v); !bytes.Contains(b, []byte("{")) {
							kept[k] = v
						}
					default:
						kept[k] = v
					}
				}
				b, _ := json.Marshal(kept)
				params = string(b)
			}
		}
		var res []string
		for _, x := range r.Resources {
			res = append(res, x.ARN)
		}
		cols := []string{r.EventSource, r.EventName, r.AWSRegion, r.RecipientAccount, r.ErrorCode, params, strings.Join(res, " ")}
		k := strings.Join(cols, "\x00")
		at := r.EventTime.UTC().Format("2006-01-02T15:04:05Z")
		x, ok := rows[k]
		if !ok {
			x = &row{cols: cols, first: at, last: at}
			rows[k] = x
			keys = append(keys, k)
		}
		x.calls++
		x.first, x.last = min(x.first, at), max(x.last, at)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	sort.Strings(keys)
	var buf bytes.Buffer
	quote := func(vals []string) {
		for i, v := range vals {
			if i > 0 {
				buf.WriteByte(',')
			}
			buf.WriteString(`"` + strings.ReplaceAll(v, `"`, `""`) + `"`)
		}
		buf.WriteByte('\n')
	}
	quote([]string{"eventsource", "eventname", "awsregion", "recipientaccountid", "errorcode", "requestparameters", "resources", "calls", "first_seen", "last_seen"})
	for _, k := range keys {
		x := rows[k]
		quote(append(append([]string{}, x.cols...), strconv.Itoa(x.calls), x.first, x.last))
	}
	return buf.Bytes()
}

// TestAthenaMatchesLogs checks that the Athena path gives the policy the
// log files give: the CSV a query on the same logs returns yields the
// same permission policy.
func TestAthenaMatchesLogs(t *testing.T) {
	dir := t.TempDir()
	writeSynthetic(t, filepath.Join(dir, "a.json"), 400, 3, false)
	const role = "arn:aws:iam::123456789012:role/gh-deploy"
	csvPath := filepath.Join(t.TempDir(), "result.csv")
	if err := os.WriteFile(csvPath, athenaCSV(t, dir, role), 0o644); err != nil {
		t.Fatal(err)
	}
	policyOf := func(path string) string {
		var out, errb bytes.Buffer
		c := Command{Stdin: &bytes.Buffer{}, Stdout: &out, Stderr: &errb}
		if code := c.Main([]string{"generate", "--cloudtrail", path, "--principal", role, "--format", "json"}); code != ExitOK {
			t.Fatalf("%s: exit %d: %s", path, code, errb.String())
		}
		var doc struct {
			Roles []struct {
				Permissions json.RawMessage `json:"permissions"`
			} `json:"roles"`
		}
		if err := json.Unmarshal(out.Bytes(), &doc); err != nil || len(doc.Roles) != 1 {
			t.Fatalf("%s: output %v: %s", path, err, out.String())
		}
		return string(doc.Roles[0].Permissions)
	}
	logs, athena := policyOf(dir), policyOf(csvPath)
	if logs != athena {
		t.Errorf("policies differ:\nlogs:   %s\nathena: %s", logs, athena)
	}
}

func TestAthenaSQL(t *testing.T) {
	var out, errb bytes.Buffer
	c := Command{Stdin: &bytes.Buffer{}, Stdout: &out, Stderr: &errb}
	code := c.Main([]string{"generate", "--cloudtrail-athena-sql", "--principal", "arn:aws:iam::123456789012:role/gh-deploy",
		"--since", "2026-01-01T00:00:00Z", "--athena-table", "security.cloudtrail_logs"})
	if code != ExitOK {
		t.Fatalf("exit %d: %s", code, errb.String())
	}
	checkGolden(t, filepath.Join("testdata", "usage", "athena.sql"), out.Bytes())
	// Hostile input is refused, not quoted into SQL.
	for _, args := range [][]string{
		{"--principal", "arn:aws:iam::1:role/x' OR '1'='1"},
		{"--principal", "arn:aws:iam::1:role/x", "--athena-table", "logs; DROP TABLE x"},
		{"--principal", "not-an-arn"},
		{},
	} {
		var out, errb bytes.Buffer
		c := Command{Stdin: &bytes.Buffer{}, Stdout: &out, Stderr: &errb}
		if code := c.Main(append([]string{"generate", "--cloudtrail-athena-sql"}, args...)); code != ExitUsage || out.Len() != 0 {
			t.Errorf("%q: exit %d, stdout %q", args, code, out.String())
		}
	}
}
