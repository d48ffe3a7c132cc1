package cli

import (
	"bytes"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
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

// BenchmarkLint1000 lints a directory of 1,000 realistic policies (1-5
// statements) in one process. Policies per second = 1000 / (ns/op / 1e9).
func BenchmarkLint1000(b *testing.B) {
	dir := b.TempDir()
	stmts := []string{
		`{"Sid": "Login", "Effect": "Allow", "Action": "ecr:GetAuthorizationToken", "Resource": "*"}`,
		`{"Sid": "Push", "Effect": "Allow", "Action": ["ecr:BatchCheckLayerAvailability", "ecr:CompleteLayerUpload", "ecr:InitiateLayerUpload", "ecr:PutImage", "ecr:UploadLayerPart"], "Resource": "arn:aws:ecr:us-east-1:123456789012:repository/app-%d"}`,
		`{"Sid": "Deploy", "Effect": "Allow", "Action": ["ecs:DescribeServices", "ecs:UpdateService"], "Resource": "arn:aws:ecs:us-east-1:123456789012:service/prod/app-%d"}`,
		`{"Sid": "Pass", "Effect": "Allow", "Action": "iam:PassRole", "Resource": "arn:aws:iam::123456789012:role/app-%d", "Condition": {"StringEquals": {"iam:PassedToService": "ecs-tasks.amazonaws.com"}}}`,
		`{"Sid": "Data", "Effect": "Allow", "Action": ["s3:GetObject", "s3:PutObject", "sqs:*"], "Resource": ["arn:aws:s3:::bucket-%d/*", "*"]}`,
	}
	for i := 0; i < 1000; i++ {
		n := 1 + i%5
		var parts []string
		for k := 0; k < n; k++ {
			s := stmts[(i+k)%len(stmts)]
			if strings.Contains(s, "%d") {
				s = fmt.Sprintf(s, i)
			}
			parts = append(parts, s)
		}
		doc := `{"Version": "2012-10-17", "Statement": [` + strings.Join(parts, ",\n") + "]}\n"
		if err := os.WriteFile(filepath.Join(dir, fmt.Sprintf("p%04d.json", i)), []byte(doc), 0o644); err != nil {
			b.Fatal(err)
		}
	}
	for b.Loop() {
		c := Command{Stdin: strings.NewReader(""), Stdout: io.Discard, Stderr: io.Discard}
		if code := c.Main([]string{"lint", dir}); code != ExitFindings {
			b.Fatalf("exit %d", code)
		}
	}
}

// BenchmarkLintManaged lints AWS's managed policies
// (../shared/aws-managed-policies, 1,644 files) as identity policies with
// text output, end to end in-process: the lint row of scripts/bench-peers.sh.
func BenchmarkLintManaged(b *testing.B) {
	dir := filepath.Join("..", "..", "..", "shared", "aws-managed-policies")
	if _, err := os.Stat(dir); err != nil {
		b.Skip("managed policies not present:", dir)
	}
	null, err := os.OpenFile(os.DevNull, os.O_WRONLY, 0)
	if err != nil {
		b.Fatal(err)
	}
	defer null.Close()
	for b.Loop() {
		c := Command{Stdin: strings.NewReader(""), Stdout: null, Stderr: io.Discard}
		if code := c.Main([]string{"lint", "--type", "identity", dir}); code != ExitFindings {
			b.Fatalf("exit %d", code)
		}
	}
}

// BenchmarkGenerate50 generates the deploy role for a repository with 50
// workflows (rolling deploys of 50 services with their task definitions),
// end to end in-process: reading, analysis, synthesis, proof, text output.
func BenchmarkGenerate50(b *testing.B) { benchGenerate(b, 50) }

// BenchmarkGenerate500 is BenchmarkGenerate50 with 500 workflows: generate
// must stay linear in the number of workflows.
func BenchmarkGenerate500(b *testing.B) { benchGenerate(b, 500) }

func benchGenerate(b *testing.B, n int) {
	dir := b.TempDir()
	wfDir := filepath.Join(dir, ".github", "workflows")
	if err := os.MkdirAll(wfDir, 0o755); err != nil {
		b.Fatal(err)
	}
	src, err := os.ReadFile("../../examples/rolling-deploy/.github/workflows/deploy.yml")
	if err != nil {
		b.Fatal(err)
	}
	td, err := os.ReadFile("../../examples/rolling-deploy/.aws/task-definition.json")
	if err != nil {
		b.Fatal(err)
	}
	if err := os.MkdirAll(filepath.Join(dir, ".aws"), 0o755); err != nil {
		b.Fatal(err)
	}
	for i := 0; i < n; i++ {
		name := fmt.Sprintf("svc%02d", i)
		wf := strings.NewReplacer("shop-web", name, ".aws/task-definition.json", ".aws/"+name+".json").Replace(string(src))
		if err := os.WriteFile(filepath.Join(wfDir, name+".yml"), []byte(wf), 0o644); err != nil {
			b.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, ".aws", name+".json"), []byte(strings.ReplaceAll(string(td), "shop-web", name)), 0o644); err != nil {
			b.Fatal(err)
		}
	}
	for b.Loop() {
		c := Command{Stdin: strings.NewReader(""), Stdout: io.Discard, Stderr: io.Discard}
		if code := c.Main([]string{"generate", "--repo", "o/r", dir}); code != ExitOK {
			b.Fatalf("exit %d", code)
		}
	}
}

// actionPatterns returns n distinct action patterns of the catalog, each
// a service with the first word of one of its actions ("ecs:Describe*").
func actionPatterns(tb testing.TB, n int) []string {
	cat, err := loadCatalog()
	if err != nil {
		tb.Fatal(err)
	}
	all, err := cat.Expand("*")
	if err != nil {
		tb.Fatal(err)
	}
	seen := map[string]bool{}
	var out []string
	for _, a := range all {
		word := a.Name
		for i := 1; i < len(word); i++ {
			if word[i] >= 'A' && word[i] <= 'Z' {
				word = word[:i]
				break
			}
		}
		p := a.Service.Key + ":" + word + "*"
		if !seen[p] {
			seen[p] = true
			out = append(out, p)
		}
		if len(out) == n {
			return out
		}
	}
	tb.Fatalf("only %d patterns", len(out))
	return nil
}

// BenchmarkActions1000 expands 1,000 distinct patterns and writes the
// table to a real file (/dev/null), as a process writes to a pipe: the
// cost of many small writes shows.
func BenchmarkActions1000(b *testing.B) {
	pats := actionPatterns(b, 1000)
	null, err := os.OpenFile(os.DevNull, os.O_WRONLY, 0)
	if err != nil {
		b.Fatal(err)
	}
	defer null.Close()
	for b.Loop() {
		c := Command{Stdin: strings.NewReader(""), Stdout: null, Stderr: io.Discard}
		if code := c.Main(append([]string{"actions"}, pats...)); code != ExitOK {
			b.Fatalf("exit %d", code)
		}
	}
}
