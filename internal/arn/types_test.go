package arn

import (
	"reflect"
	"testing"
)

// TestCompileReuse: a Pattern compiled in the memory of another is the
// pattern compiled afresh, whatever came before (longer, shorter, "*", not
// an ARN).
func TestCompileReuse(t *testing.T) {
	values := []string{
		"arn:aws:s3:::bucket-with-a-long-name/path/to/objects/*", "*", "arn:aws:iam::123456789012:role/r",
		"not an arn", "arn:aws:logs:${aws:Region}:*:log-group:/ecs/${Name}:*", "arn:aws:ec2:*:*:instance/i-?",
	}
	var p Pattern
	for round := 0; round < 2; round++ {
		for _, v := range values {
			p.Compile(v)
			got, want := p, *CompilePattern(v)
			got.buf, want.buf = nil, nil // the memory, not the pattern
			if !reflect.DeepEqual(got, want) {
				t.Errorf("%q compiled after others: %+v, want %+v", v, got, want)
			}
		}
	}
}
