package cli

import (
	"bytes"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"testing"
)

// BenchmarkSimulateBatch100k runs `iamfit simulate` over a 100,000-line JSON
// Lines batch, end to end in-process: reading, deciding, writing text.
// Requests per second = 100000 / (ns/op / 1e9).
func BenchmarkSimulateBatch100k(b *testing.B) {
	dir := b.TempDir()
	pol := filepath.Join(dir, "policy.json")
	if err := os.WriteFile(pol, []byte(`{"Version": "2012-10-17", "Statement": [
  {"Effect": "Allow", "Action": ["ecs:UpdateService", "ecs:DescribeServices"], "Resource": "arn:aws:ecs:us-east-1:111111111111:service/prod/*",
   "Condition": {"StringEquals": {"aws:RequestedRegion": "us-east-1"}}},
  {"Effect": "Deny", "Action": "ecs:*", "Resource": "arn:aws:ecs:*:*:service/admin/*"},
  {"Effect": "Deny", "Action": "*", "Resource": "*", "Condition": {"BoolIfExists": {"aws:MultiFactorAuthPresent": "false"}}}]}`), 0o644); err != nil {
		b.Fatal(err)
	}
	var in bytes.Buffer
	for i := 0; i < 100000; i++ {
		svc := "prod"
		if i%10 == 0 {
			svc = "admin"
		}
		fmt.Fprintf(&in, `{"principal": "arn:aws:sts::111111111111:assumed-role/deploy/run-%d", "action": "ecs:UpdateService", "resource": "arn:aws:ecs:us-east-1:111111111111:service/%s/app-%d", "context": {"aws:RequestedRegion": "us-east-1"}}`+"\n", i, svc, i%97)
	}
	data := in.Bytes()
	b.SetBytes(int64(len(data)))
	for b.Loop() {
		c := Command{Stdin: bytes.NewReader(data), Stdout: io.Discard, Stderr: io.Discard}
		if code := c.Main([]string{"simulate", "--policy", pol}); code != ExitFindings {
			b.Fatalf("exit %d", code)
		}
	}
}
