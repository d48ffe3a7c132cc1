package lint

import (
	"os"
	"path/filepath"
	"sort"
	"testing"

	"github.com/iamfit/iamfit/internal/catalog"
	"github.com/iamfit/iamfit/internal/source"
)

// applyFixes applies the diagnostics' fixes to the file, last first so that
// earlier positions stay right.
func applyFixes(f *source.File, ds []source.Diagnostic) []byte {
	var fixes []source.Fix
	for _, d := range ds {
		if d.Fix.IsValid() {
			fixes = append(fixes, d.Fix)
		}
	}
	sort.Slice(fixes, func(i, j int) bool { return f.Offset(fixes[i].Start) > f.Offset(fixes[j].Start) })
	out := append([]byte(nil), f.Data...)
	for _, x := range fixes {
		a, b := f.Offset(x.Start), f.Offset(x.End)
		out = append(out[:a], append([]byte(x.New), out[b:]...)...)
	}
	return out
}

// TestFixes: the fixes a check offers (a mistyped action, spaces around a
// value) are edits that make its findings go away, in JSON, CloudFormation
// and Terraform alike, and a finding without a mechanical fix has none.
func TestFixes(t *testing.T) {
	cat := catalog.MustLoad()
	for _, tt := range []struct {
		path  string
		check *Check
		fixed int // findings with a fix
	}{
		{"testdata/unknown-action/bad.json", UnknownAction, 3},
		{"testdata/unknown-action/newer.json", UnknownAction, 1},
		{"testdata/unknown-action/terraform.tf", UnknownAction, 3},
		{"testdata/invalid-principal/trust-bad.json", InvalidPrincipal, 1},
	} {
		data, err := os.ReadFile(tt.path)
		if err != nil {
			t.Fatal(err)
		}
		lintIt := func(f *source.File) []source.Diagnostic {
			if filepath.Ext(tt.path) == ".tf" {
				return Terraform(f, cat, []*Check{tt.check})
			}
			return File(f, cat, Options{Checks: []*Check{tt.check}}).Diagnostics
		}
		f := source.NewFile(tt.path, data)
		before := lintIt(f)
		n := 0
		for _, d := range before {
			if d.Fix.IsValid() {
				n++
				if d.Fix.Description == "" {
					t.Errorf("%s: fix without a description", d)
				}
			}
		}
		if n != tt.fixed {
			t.Errorf("%s: %d findings with a fix, want %d", tt.path, n, tt.fixed)
		}
		after := lintIt(source.NewFile(tt.path, applyFixes(f, before)))
		if len(after) != len(before)-n {
			t.Errorf("%s: %d findings after the fixes, want %d:\n%v", tt.path, len(after), len(before)-n, after)
		}
	}
}
