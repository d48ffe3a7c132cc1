package eval

import (
	"testing"

	"github.com/iamfit/iamfit/internal/catalog"
)

// TestGlob: a pattern's form matches as catalog.Match does, for every
// form, with '?' on multi-byte runes and empty strings.
func TestGlob(t *testing.T) {
	patterns := []string{"", "*", "**", "a", "abc", "ab*", "a*c", "*c", "a?c", "?", "a*", "é*", "*é", "?é", "ab?*", "a**",
		"arn:aws:s3:::b/*", "service/prod/*", "us-east-1"}
	strs := []string{"", "a", "ab", "abc", "abcd", "ac", "é", "éa", "aé", "ab/c", "service/prod/", "service/prod/app-1",
		"service/admin/app", "us-east-1", "arn:aws:s3:::b/x/y:z"}
	forms := map[glob]bool{}
	for _, p := range patterns {
		g := globOf(p)
		forms[g] = true
		for _, s := range strs {
			if got, want := g.match(p, s), catalog.Match(p, s); got != want {
				t.Errorf("glob %d: match(%q, %q) = %v, catalog.Match %v", g, p, s, got, want)
			}
		}
	}
	if len(forms) != 4 {
		t.Errorf("forms %v: the patterns should take in all four", forms)
	}
}
