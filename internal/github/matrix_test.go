package github

import (
	"sort"
	"strings"
	"testing"

	"github.com/iamfit/iamfit/internal/source"
)

// TestMatrixCombos: strategy.matrix expands as GitHub documents it: the
// product of its own keys, exclude: entries removed (a partial match is
// enough), include: entries added to the combinations whose own keys they
// keep, or made combinations of their own.
func TestMatrixCombos(t *testing.T) {
	for _, tc := range []struct {
		name, matrix string
		want         []string // each combination as k=v,... sorted
		ok           bool
	}{
		{"product", "os: [a, b]\n        v: [1, 2]", []string{"os=a,v=1", "os=a,v=2", "os=b,v=1", "os=b,v=2"}, true},
		{"include only: one combination each",
			"include:\n          - region: us-east-1\n            cluster: c1\n          - region: us-west-2\n            cluster: c2",
			[]string{"cluster=c1,region=us-east-1", "cluster=c2,region=us-west-2"}, true},
		{"include adds a key to the combinations it fits",
			"fruit: [apple, pear]\n        include:\n          - fruit: apple\n            color: red",
			[]string{"color=red,fruit=apple", "fruit=pear"}, true},
		{"include without own keys goes to every combination",
			"fruit: [apple, pear]\n        include:\n          - color: green",
			[]string{"color=green,fruit=apple", "color=green,fruit=pear"}, true},
		{"include that changes an own key is a new combination",
			"fruit: [apple, pear]\n        include:\n          - fruit: banana\n            color: yellow",
			[]string{"color=yellow,fruit=banana", "fruit=apple", "fruit=pear"}, true},
		{"exclude on a partial match",
			"os: [a, b]\n        v: [1, 2]\n        exclude:\n          - os: a",
			[]string{"os=b,v=1", "os=b,v=2"}, true},
		{"exclude before include",
			"os: [a, b]\n        exclude:\n          - os: b\n        include:\n          - os: b\n            extra: x",
			[]string{"extra=x,os=b", "os=a"}, true},
		{"no matrix", "", []string{""}, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			src := "on: push\njobs:\n  j:\n    runs-on: x\n    strategy:\n      matrix:\n        " + tc.matrix + "\n    steps:\n      - run: echo\n"
			if tc.matrix == "" {
				src = "on: push\njobs:\n  j:\n    runs-on: x\n    steps:\n      - run: echo\n"
			}
			w, diags := Parse(source.NewFile("w.yml", []byte(src)))
			if len(diags) > 0 {
				t.Fatal(diags)
			}
			combos, ok := matrixCombos(w.Jobs[0])
			var got []string
			for _, c := range combos {
				var kv []string
				for k, v := range c {
					if len(v) != 1 {
						t.Fatalf("key %s has %d values", k, len(v))
					}
					kv = append(kv, k+"="+v[0].Value)
				}
				sort.Strings(kv)
				got = append(got, strings.Join(kv, ","))
			}
			sort.Strings(got)
			if strings.Join(got, " ") != strings.Join(tc.want, " ") || ok != tc.ok {
				t.Errorf("combinations = %q (%v), want %q (%v)", got, ok, tc.want, tc.ok)
			}
		})
	}
}

// TestMatrixTooMany: past maxMatrix combinations the keys keep every value
// (parameters) rather than a guess.
func TestMatrixTooMany(t *testing.T) {
	var b strings.Builder
	b.WriteString("on: push\njobs:\n  j:\n    runs-on: x\n    strategy:\n      matrix:\n        include:\n")
	for i := 0; i < maxMatrix+1; i++ {
		b.WriteString("          - n: v" + strings.Repeat("x", i) + "\n")
	}
	b.WriteString("    steps:\n      - run: echo\n")
	w, _ := Parse(source.NewFile("w.yml", []byte(b.String())))
	combos, ok := matrixCombos(w.Jobs[0])
	if ok || len(combos) != 1 || len(combos[0]["n"]) != maxMatrix+1 {
		t.Errorf("got %d combinations (ok %v), want one holding all %d values", len(combos), ok, maxMatrix+1)
	}
}
