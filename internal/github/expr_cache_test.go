package github

import (
	"reflect"
	"testing"
)

// TestExprCache: an expression read through the cache is the expression
// parseExpr reads, whatever text follows it and whatever was read before.
func TestExprCache(t *testing.T) {
	srcs := []string{
		" env.AWS_REGION }}",
		" env.AWS_REGION }}/repo:${{ github.sha }}",
		" env.AWS_REGION }}-other",
		" format('{0}}}', env.X) }}",
		" format('{0}}}', env.X) }} and more",
		" env.A == 'x' && env.B || 'fallback' }}",
		" env.Mixed_Case }}",
		" env.mixed_case }}",
		" steps.build.outputs.image }}",
		" 'unterminated }}",
		" env.X",
		" }}",
		" a.b[ }}",
	}
	c := exprCache{}
	for round := 0; round < 2; round++ {
		for _, src := range srcs {
			n, names, used, err := c.parse(src)
			wn, wnames, wused, werr := parseExpr(src)
			if !reflect.DeepEqual(n, wn) || !reflect.DeepEqual(names, wnames) || used != wused || (err == nil) != (werr == nil) {
				t.Errorf("round %d, %q: cached (%v, %v, %d, %v), parsed (%v, %v, %d, %v)", round, src, n, names, used, err, wn, wnames, wused, werr)
			}
		}
	}
	if len(c) == 0 {
		t.Fatal("nothing kept")
	}
}
