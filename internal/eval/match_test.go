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

// FuzzClassifyMemo: a principal classified after another, with the memory
// of the first's prefix, is classified as it is alone.
func FuzzClassifyMemo(f *testing.F) {
	for _, p := range [][2]string{
		{"arn:aws:sts::111111111111:assumed-role/deploy/run-1", "arn:aws:sts::111111111111:assumed-role/deploy/run-2"},
		{"arn:aws:iam::111111111111:user/ops/alice", "arn:aws:iam::111111111111:user/ops/bob"},
		{"arn:aws:iam::111111111111:role/path/r1", "arn:aws:iam::111111111111:role/path/r2"},
		{"arn:aws:iam::111111111111:oidc-provider/x", "arn:aws:iam::111111111111:oidc-provider/y"},
		{"arn:aws:sts::111111111111:federated-user/a", "arn:aws:sts::111111111111:federated-user/b:c"},
		{"a/b:c:d:e:f/x", "a/b:c:d:e:f/y"},
		{"arn:aws:sts::1:assumed-role/${x/y", "arn:aws:sts::1:assumed-role/${x/}:z"},
		{"arn:aws:iam::111111111111:root", "ecs-tasks.amazonaws.com"},
		{"arn:aws:iam::111111111111:user/", "arn:aws:iam::111111111111:user/"},
	} {
		f.Add(p[0], p[1])
	}
	f.Fuzz(func(t *testing.T, p1, p2 string) {
		var m requestMemo
		classify(p1, false, &m)
		got := classify(p2, false, &m)
		want := classify(p2, false, nil)
		if got != want {
			t.Fatalf("classify(%q) after %q = %+v, alone %+v", p2, p1, got, want)
		}
	})
}

// TestDerivable: every key derive sets, for every kind of principal, is
// one that lookup derives (the others it answers without deriving).
func TestDerivable(t *testing.T) {
	for _, p := range []string{"arn:aws:iam::111111111111:user/u", "arn:aws:iam::111111111111:role/r",
		"arn:aws:sts::111111111111:assumed-role/r/s", "arn:aws:iam::111111111111:root", "111111111111",
		"arn:aws:sts::111111111111:federated-user/f", "ecs-tasks.amazonaws.com", "accounts.google.com",
		"arn:aws:iam::111111111111:oidc-provider/token.actions.githubusercontent.com", ""} {
		r := &Request{Principal: p, Anonymous: p == "", Action: "s3:GetObject", Resource: "arn:aws:s3:::b/k", ResourceAccount: "222222222222"}
		r.prepare()
		r.derive()
		if len(r.derived) == 0 {
			t.Errorf("%q: nothing derived", p)
		}
		for _, k := range r.derived {
			if !derivable(k.lc) {
				t.Errorf("%q: derive sets %s, which derivable does not take in", p, k.lc)
			}
			if got := r.lookup(k.lc); got == nil || got.Values[0] != k.one[0] {
				t.Errorf("%q: lookup(%s) = %v, want %q", p, k.lc, got, k.one[0])
			}
		}
	}
}
