package eval_test

import (
	"fmt"

	"github.com/iamfit/iamfit/internal/eval"
	"github.com/iamfit/iamfit/internal/policy"
	"github.com/iamfit/iamfit/internal/source"
)

// A bucket policy denies everyone but alice with NotPrincipal; alice has a
// permissions boundary, so the Deny applies to her too. Check, asked in
// the Set's context, names the Deny that the decision rests on.
func ExampleSet_Check() {
	parse := func(kind eval.Kind, name, text string) *eval.Policy {
		doc, _ := policy.Parse(source.NewFile(name, []byte(text)), policy.Any)
		return eval.NewPolicy(kind, name, doc)
	}
	allow := `{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:*", "Resource": "*"}]}`
	bucket := parse(eval.ResourcePolicy, "bucket.json", `{"Version": "2012-10-17", "Statement": [
	  {"Sid": "OnlyAlice", "Effect": "Deny", "NotPrincipal": {"AWS": "arn:aws:iam::111111111111:user/alice"}, "Action": "s3:*", "Resource": "*"}]}`)
	set := eval.Compile(eval.Input{
		Identity: []*eval.Policy{parse(eval.IdentityPolicy, "alice.json", allow)},
		Boundary: []*eval.Policy{parse(eval.PermissionsBoundary, "boundary.json", allow)},
		Resource: []*eval.Policy{bucket},
	}, nil)
	r := &eval.Request{Principal: "arn:aws:iam::111111111111:user/alice", Action: "s3:GetObject", Resource: "arn:aws:s3:::b/k"}
	fmt.Println(set.Evaluate(r).Result)
	for _, c := range set.Check(bucket, r) {
		fmt.Printf("%s %s (Sid %s): applies %v\n", c.Statement.Effect, c.Statement.Path, c.Statement.Sid.Value, c.Applies())
	}
	// Output:
	// ExplicitlyDenied
	// Deny Statement[0] (Sid OnlyAlice): applies true
}
