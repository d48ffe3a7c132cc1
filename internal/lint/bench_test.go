package lint

import (
	"context"
	"os"
	"testing"

	"github.com/iamfit/iamfit/internal/catalog"
	"github.com/iamfit/iamfit/internal/policy"
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
