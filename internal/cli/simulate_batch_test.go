package cli

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// simulatePolicy writes a policy for the batch tests and returns its path.
func simulatePolicy(t *testing.T) string {
	t.Helper()
	pol := filepath.Join(t.TempDir(), "policy.json")
	doc := `{"Version": "2012-10-17", "Statement": [
  {"Effect": "Allow", "Action": "ecs:*", "Resource": "arn:aws:ecs:us-east-1:111111111111:service/prod/*"},
  {"Sid": "NoAdmin", "Effect": "Deny", "Action": "ecs:UpdateService", "Resource": "*",
   "Condition": {"StringLike": {"aws:PrincipalArn": "*admin*"}}}]}`
	if err := os.WriteFile(pol, []byte(doc), 0o644); err != nil {
		t.Fatal(err)
	}
	return pol
}

// runSimulate runs simulate with stdin and returns stdout, stderr and the
// exit code.
func runSimulate(stdin string, args ...string) (string, string, int) {
	var out, errb bytes.Buffer
	c := Command{Stdin: strings.NewReader(stdin), Stdout: &out, Stderr: &errb}
	code := c.Main(append([]string{"simulate"}, args...))
	return out.String(), errb.String(), code
}

// TestSimulateBatchLines: a batch's output is the requests' outputs one
// at a time, in order, whatever the lines look like: blank lines, CRLF
// endings, spaces around, a last line without its newline, lines that
// straddle the blocks stdin is read in, and a line longer than a block.
func TestSimulateBatchLines(t *testing.T) {
	pol := simulatePolicy(t)
	type req struct {
		Principal string `json:"principal"`
		Action    string `json:"action"`
		Resource  string `json:"resource"`
	}
	var reqs []req
	for i := range 1500 {
		who := fmt.Sprintf("arn:aws:sts::111111111111:assumed-role/deploy/run-%d-%s", i, strings.Repeat("x", i%300))
		if i%7 == 0 {
			who = "arn:aws:iam::111111111111:role/admin"
		}
		svc := []string{"prod", "test"}[i%2]
		reqs = append(reqs, req{who, []string{"ecs:UpdateService", "ecs:DescribeServices"}[i%3%2],
			"arn:aws:ecs:us-east-1:111111111111:service/" + svc + "/app"})
	}
	// One request longer than a block of stdin.
	reqs[1000].Principal = "arn:aws:iam::111111111111:user/" + strings.Repeat("u", 300<<10)

	var in, want strings.Builder
	for i, r := range reqs {
		line, _ := json.Marshal(r)
		switch i % 5 {
		case 1:
			in.WriteString("\n") // a blank line before
		case 2:
			line = append(line, '\r')
		case 3:
			line = append(append([]byte("  \t"), line...), ' ')
		}
		in.Write(line)
		if i < len(reqs)-1 {
			in.WriteString("\n")
		}
		out, _, code := runSimulate("", "--policy", pol, "--principal", r.Principal, "--action", r.Action, "--resource", r.Resource)
		if code != ExitOK && code != ExitFindings {
			t.Fatalf("request %d alone: exit %d", i, code)
		}
		want.WriteString(out)
	}
	for _, format := range []string{"text", "json"} {
		got, stderr, code := runSimulate(in.String(), "--policy", pol, "--format", format)
		if code != ExitFindings || stderr != "" {
			t.Fatalf("%s: exit %d, stderr %q", format, code, stderr)
		}
		if format == "text" && got != want.String() {
			gl, wl := strings.Split(got, "\n"), strings.Split(want.String(), "\n")
			for i := range min(len(gl), len(wl)) {
				if gl[i] != wl[i] {
					t.Fatalf("line %d of the output:\n got %.200q\nwant %.200q", i+1, gl[i], wl[i])
				}
			}
			t.Fatalf("%d lines of output, want %d", len(gl), len(wl))
		}
		if format == "json" && strings.Count(got, "\n") != len(reqs) {
			t.Fatalf("json: %d lines of output, want %d", strings.Count(got, "\n"), len(reqs))
		}
	}
}

// TestSimulateBatchErrors: a bad line is reported at its line, wherever it
// falls in the blocks stdin is read in (of 128 KB: about 880 of these
// lines), after the output of the lines before it; a line longer than 16 MB is refused; input without a request
// is a usage error, blank lines alone are not.
func TestSimulateBatchErrors(t *testing.T) {
	pol := simulatePolicy(t)
	good := `{"principal": "arn:aws:iam::111111111111:role/r", "action": "ecs:DescribeServices", "resource": "arn:aws:ecs:us-east-1:111111111111:service/prod/app"}`
	for _, bad := range []int{1, 2, 878, 879, 880, 881, 1759, 1760, 1761, 1999} {
		var in strings.Builder
		for i := 1; i <= 2000; i++ {
			if i == bad {
				in.WriteString(`  {"principal": 7}` + "\n")
				continue
			}
			in.WriteString(good + "\n")
		}
		out, stderr, code := runSimulate(in.String(), "--policy", pol)
		if code != ExitUsage || !strings.Contains(stderr, fmt.Sprintf("<stdin>:%d:15: ", bad)) {
			t.Errorf("bad line %d: exit %d, stderr %q", bad, code, stderr)
		}
		// The decisions of the lines before it are out, none after.
		if n := strings.Count(out, "ALLOWED"); n != bad-1 {
			t.Errorf("bad line %d: %d decisions written", bad, n)
		}
	}

	long := `{"principal": "` + strings.Repeat("p", 17<<20) + `", "action": "ecs:DescribeServices", "resource": "*"}`
	if _, stderr, code := runSimulate(good+"\n"+long+"\n", "--policy", pol); code != ExitUsage || !strings.Contains(stderr, "token too long") {
		t.Errorf("17 MB line: exit %d, stderr %q", code, stderr)
	}
	if _, stderr, code := runSimulate("", "--policy", pol); code != ExitUsage || !strings.Contains(stderr, "no requests on stdin") {
		t.Errorf("empty stdin: exit %d, stderr %q", code, stderr)
	}
	if out, stderr, code := runSimulate("\n \n\t", "--policy", pol); code != ExitOK || out != "" || stderr != "" {
		t.Errorf("blank lines: exit %d, stdout %q, stderr %q", code, out, stderr)
	}
}
