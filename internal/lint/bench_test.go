package lint

import (
	"context"
	"fmt"
	"os"
	"runtime/debug"
	"strings"
	"testing"

	"github.com/iamfit/iamfit/internal/catalog"
	"github.com/iamfit/iamfit/internal/jsonpos"
	"github.com/iamfit/iamfit/internal/policy"
	"github.com/iamfit/iamfit/internal/source"
)

// BenchmarkLintManaged lints AWS's managed policies (1,600 policies,
// iam:* and ecr:* among their actions, unknown actions among them) as
// identity policies: the corpus of the lint targets.
func BenchmarkLintManaged(b *testing.B) {
	if _, err := os.Stat(managedDir); err != nil {
		b.Skip("managed policies not present:", managedDir)
	}
	cat := catalog.MustLoad()
	for b.Loop() {
		res, err := Run(context.Background(), RunOptions{Paths: []string{managedDir}, Catalog: cat, Type: policy.Identity})
		if err != nil || len(res.Files) == 0 {
			b.Fatal(err, len(res.Files))
		}
	}
}

// BenchmarkFiles1000 lints the 1,000 policies of the cli package's
// BenchmarkLint1000 (1 to 5 statements each) read into memory, in one
// goroutine: what a worker of Run does per file, without the reading.
func BenchmarkFiles1000(b *testing.B) {
	files := generated(1000)
	cat := catalog.MustLoad()
	checks := Checks()
	var jp jsonpos.Parser
	var sc scratch
	// The collector as iamfit lint sets it: a 64 MB heap first.
	defer debug.SetGCPercent(debug.SetGCPercent(-1))
	defer debug.SetMemoryLimit(debug.SetMemoryLimit(64 << 20))
	start := cpuTime()
	for b.Loop() {
		for _, f := range files {
			f := source.NewFile(f.Name, f.Data) // no positions remembered
			d := &doc{file: f, jp: &jp, sc: &sc}
			if !d.lintable() {
				b.Fatal(f.Name)
			}
			d.lint(cat, policy.Any, checks, nil)
		}
	}
	b.ReportMetric(float64(cpuTime()-start)/float64(b.N)/1e3, "cpu-µs/op")
}

// generated returns the policies of BenchmarkLint1000 (and of the lint rows
// of scripts/bench-peers.sh): n files p0000.json... of 1 to 5 statements.
func generated(n int) []*source.File {
	stmts := []string{
		`{"Sid": "Login", "Effect": "Allow", "Action": "ecr:GetAuthorizationToken", "Resource": "*"}`,
		`{"Sid": "Push", "Effect": "Allow", "Action": ["ecr:BatchCheckLayerAvailability", "ecr:CompleteLayerUpload", "ecr:InitiateLayerUpload", "ecr:PutImage", "ecr:UploadLayerPart"], "Resource": "arn:aws:ecr:us-east-1:123456789012:repository/app-%d"}`,
		`{"Sid": "Deploy", "Effect": "Allow", "Action": ["ecs:DescribeServices", "ecs:UpdateService"], "Resource": "arn:aws:ecs:us-east-1:123456789012:service/prod/app-%d"}`,
		`{"Sid": "Pass", "Effect": "Allow", "Action": "iam:PassRole", "Resource": "arn:aws:iam::123456789012:role/app-%d", "Condition": {"StringEquals": {"iam:PassedToService": "ecs-tasks.amazonaws.com"}}}`,
		`{"Sid": "Data", "Effect": "Allow", "Action": ["s3:GetObject", "s3:PutObject", "sqs:*"], "Resource": ["arn:aws:s3:::bucket-%d/*", "*"]}`,
	}
	var files []*source.File
	for i := 0; i < n; i++ {
		var parts []string
		for k := 0; k < 1+i%5; k++ {
			s := stmts[(i+k)%len(stmts)]
			if strings.Contains(s, "%d") {
				s = fmt.Sprintf(s, i)
			}
			parts = append(parts, s)
		}
		doc := `{"Version": "2012-10-17", "Statement": [` + strings.Join(parts, ",\n") + "]}\n"
		files = append(files, source.NewFile(fmt.Sprintf("p%04d.json", i), []byte(doc)))
	}
	return files
}
