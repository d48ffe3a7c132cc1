package explain

import (
	"testing"

	"github.com/iamfit/iamfit/internal/catalog"
	"github.com/iamfit/iamfit/internal/eval"
	"github.com/iamfit/iamfit/internal/policy"
	"github.com/iamfit/iamfit/internal/source"
)

func mustPolicy(t *testing.T, kind eval.Kind, name, text string) *eval.Policy {
	t.Helper()
	doc, diags := policy.Parse(source.NewFile(name, []byte(text)), policy.Any)
	for _, d := range diags {
		if d.Severity == source.Error {
			t.Fatalf("%s: %s", name, d)
		}
	}
	return eval.NewPolicy(kind, name, doc)
}

// TestSimulateNotInForce: a policy that does not govern the request (an
// identity policy or an SCP, for a service principal) has no statement that
// "would allow it, but ...", whatever its parts match; the resource policy
// that governs still does.
func TestSimulateNotInForce(t *testing.T) {
	const near = `{"Version": "2012-10-17", "Statement": [
		{"Effect": "Allow", "Action": "s3:PutObject", "Resource": "arn:aws:s3:::trail/*", "Condition": {"StringEquals": {"aws:SourceAccount": "111111111111"}}},
		{"Effect": "Allow", "Action": "s3:PutObject", "Resource": "arn:aws:s3:::other/*"}]}`
	const resource = `{"Version": "2012-10-17", "Statement": [
		{"Effect": "Allow", "Principal": {"Service": "cloudtrail.amazonaws.com"}, "Action": "s3:PutObject", "Resource": "arn:aws:s3:::trail/*", "Condition": {"StringEquals": {"aws:SourceAccount": "111111111111"}}}]}`
	in := eval.Input{
		Identity: []*eval.Policy{mustPolicy(t, eval.IdentityPolicy, "identity.json", near)},
		Resource: []*eval.Policy{mustPolicy(t, eval.ResourcePolicy, "bucket.json", resource)},
		SCPs:     []eval.Level{{Name: "root", Policies: []*eval.Policy{mustPolicy(t, eval.SCP, "scp.json", near)}}},
	}
	d := &Denial{Principal: "cloudtrail.amazonaws.com", Action: "s3:PutObject", Resource: "arn:aws:s3:::trail/AWSLogs/k",
		Conditions: map[string][]string{"aws:SourceAccount": {"222222222222"}}}
	sim := Simulate(d, in, catalog.MustLoad())
	if sim.Result != eval.ImplicitlyDenied {
		t.Errorf("result %s, want ImplicitlyDenied", sim.Result)
	}
	if len(sim.Statements) != 1 {
		for _, sr := range sim.Statements {
			t.Logf("%s %s verdict %d", sr.Policy.Name, sr.Statement.Path, sr.Verdict)
		}
		t.Fatalf("%d statements reported, want the bucket policy's only", len(sim.Statements))
	}
	if sr := sim.Statements[0]; sr.Policy.Name != "bucket.json" || sr.Verdict != ConditionsFail {
		t.Errorf("reported %s verdict %d, want bucket.json ConditionsFail", sr.Policy.Name, sr.Verdict)
	}

	// The same policies govern a role session: its near misses are reported.
	d.Principal = "arn:aws:sts::111111111111:assumed-role/app/s"
	sim = Simulate(d, in, catalog.MustLoad())
	kinds := map[eval.Kind]int{}
	for _, sr := range sim.Statements {
		kinds[sr.Policy.Kind]++
	}
	if kinds[eval.IdentityPolicy] != 2 || kinds[eval.SCP] != 2 {
		t.Errorf("near misses by kind %v, want 2 identity and 2 SCP", kinds)
	}
}
