package eval

import (
	"testing"

	"github.com/iamfit/iamfit/internal/catalog"
	"github.com/iamfit/iamfit/internal/policy"
	"github.com/iamfit/iamfit/internal/source"
)

// benchPolicy is the benchmark policy: an Allow on a service ARN
// pattern with a StringEquals condition, a Deny on another pattern, and a
// Deny * with BoolIfExists aws:MultiFactorAuthPresent false.
const benchPolicy = `{"Version": "2012-10-17", "Statement": [
  {"Effect": "Allow", "Action": ["ecs:UpdateService", "ecs:DescribeServices"], "Resource": "arn:aws:ecs:us-east-1:111111111111:service/prod/*",
   "Condition": {"StringEquals": {"aws:RequestedRegion": "us-east-1"}}},
  {"Effect": "Deny", "Action": "ecs:*", "Resource": "arn:aws:ecs:*:*:service/admin/*"},
  {"Effect": "Deny", "Action": "*", "Resource": "*", "Condition": {"BoolIfExists": {"aws:MultiFactorAuthPresent": "false"}}}
]}`

func benchSet(b *testing.B) *Set {
	doc, diags := policy.Parse(source.NewFile("bench.json", []byte(benchPolicy)), policy.Identity)
	if len(diags) > 0 {
		b.Fatal(diags)
	}
	return Compile(Input{Identity: []*Policy{NewPolicy(IdentityPolicy, "bench", doc)}}, catalog.MustLoad())
}

// BenchmarkEvaluate measures one decision on a prepared request.
func BenchmarkEvaluate(b *testing.B) {
	set := benchSet(b)
	ctx := NewContext()
	ctx.Set("aws:RequestedRegion", "us-east-1")
	ctx.Set("aws:MultiFactorAuthPresent", "true")
	r := &Request{Principal: "arn:aws:sts::111111111111:assumed-role/deploy/gh", Action: "ecs:UpdateService",
		Resource: "arn:aws:ecs:us-east-1:111111111111:service/prod/app", Context: ctx}
	var d Decision
	set.EvaluateInto(r, &d)
	if d.Result != Allowed {
		b.Fatalf("got %s", d.Result)
	}
	b.ReportAllocs()
	for b.Loop() {
		set.EvaluateInto(r, &d)
	}
}

// BenchmarkDecodeAndEvaluate adds reading the request from JSON, as
// `iamfit simulate` does for each line of a batch.
func BenchmarkDecodeAndEvaluate(b *testing.B) {
	set := benchSet(b)
	cat := catalog.MustLoad()
	line := []byte(`{"principal": "arn:aws:sts::111111111111:assumed-role/deploy/gh", "action": "ecs:UpdateService", "resource": "arn:aws:ecs:us-east-1:111111111111:service/prod/app", "context": {"aws:RequestedRegion": "us-east-1", "aws:MultiFactorAuthPresent": "true"}}`)
	var d Decision
	b.ReportAllocs()
	for b.Loop() {
		r, err := DecodeRequest(line, cat)
		if err != nil {
			b.Fatal(err)
		}
		set.EvaluateInto(r, &d)
	}
}

// BenchmarkDecoderAndEvaluate is BenchmarkDecodeAndEvaluate with the
// RequestDecoder `iamfit simulate` reads batches with.
func BenchmarkDecoderAndEvaluate(b *testing.B) {
	set := benchSet(b)
	dec := NewRequestDecoder(catalog.MustLoad())
	line := `{"principal": "arn:aws:sts::111111111111:assumed-role/deploy/gh", "action": "ecs:UpdateService", "resource": "arn:aws:ecs:us-east-1:111111111111:service/prod/app", "context": {"aws:RequestedRegion": "us-east-1", "aws:MultiFactorAuthPresent": "true"}}`
	var d Decision
	b.ReportAllocs()
	for b.Loop() {
		r, err := dec.Decode(line)
		if err != nil {
			b.Fatal(err)
		}
		set.EvaluateInto(r, &d)
	}
}
