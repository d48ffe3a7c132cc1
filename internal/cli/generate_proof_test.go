package cli

import (
	"bytes"
	"strings"
	"testing"

	"github.com/iamfit/iamfit/internal/eval"
	"github.com/iamfit/iamfit/internal/need"
	"github.com/iamfit/iamfit/internal/synth"
)

// TestProofFailureWithholdsPolicies: a failed check is reported with the
// role, the request and why, and says that no policy is printed.
func TestProofFailureWithholdsPolicies(t *testing.T) {
	plans := []*synth.Plan{{Role: &need.Role{ARN: "arn:aws:iam::123456789012:role/deploy"}}}
	proofs := []*synth.Proof{{
		Needs:  []synth.Check{{Want: eval.Allowed, Got: eval.Allowed, Request: "ecr:PutImage on repo", Why: "push"}},
		Probes: []synth.Check{{Want: eval.ImplicitlyDenied, Got: eval.Allowed, Request: "ecr:PutImage on other", Why: "another resource of the same type"}},
	}}
	var b bytes.Buffer
	writeProofFailures(&b, plans, proofs)
	got := b.String()
	for _, want := range []string{
		"PROOF FAILED for arn:aws:iam::123456789012:role/deploy: ecr:PutImage on other: want ImplicitlyDenied, got Allowed (another resource of the same type)",
		"no policy is printed",
	} {
		if !strings.Contains(got, want) {
			t.Errorf("report lacks %q:\n%s", want, got)
		}
	}
	if strings.Contains(got, "on repo:") {
		t.Errorf("a check that came out right is reported:\n%s", got)
	}
}
