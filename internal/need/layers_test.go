package need

import (
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"testing"
)

// The layers of the architecture (docs/architecture.md): readers make the
// model, analyses use it, only the CLI sees both.
var (
	readers  = []string{"github", "github/steps", "commands", "scan", "code", "cloudtrail", "usage", "ecs", "calls"}
	analyses = []string{"synth", "lint", "explain", "diff", "render", "eval", "drift"}
	floor    = []string{"need", "source", "jsonpos", "policy", "arn", "catalog", "cfn", "tf", "tree"}
)

// imports lists the internal packages a package's non-test files import.
func imports(t *testing.T, pkg string) []string {
	t.Helper()
	dir := filepath.Join("..", filepath.FromSlash(pkg))
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	seen := map[string]bool{}
	for _, e := range entries {
		if e.IsDir() || !strings.HasSuffix(e.Name(), ".go") || strings.HasSuffix(e.Name(), "_test.go") {
			continue
		}
		f, err := parser.ParseFile(token.NewFileSet(), filepath.Join(dir, e.Name()), nil, parser.ImportsOnly)
		if err != nil {
			t.Fatal(err)
		}
		for _, imp := range f.Imports {
			p, _ := strconv.Unquote(imp.Path.Value)
			if rest, ok := strings.CutPrefix(p, "github.com/iamfit/iamfit/internal/"); ok {
				seen[rest] = true
			}
		}
	}
	out := make([]string, 0, len(seen))
	for p := range seen {
		out = append(out, p)
	}
	sort.Strings(out)
	return out
}

func in(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// TestLayers: no analysis package imports a reader; the floor imports
// neither; every internal package is in a layer (or is the CLI).
func TestLayers(t *testing.T) {
	for _, p := range analyses {
		for _, imp := range imports(t, p) {
			if in(readers, imp) {
				t.Errorf("analysis package %s imports the reader %s", p, imp)
			}
		}
	}
	for _, p := range floor {
		for _, imp := range imports(t, p) {
			if in(readers, imp) || in(analyses, imp) {
				t.Errorf("floor package %s imports %s", p, imp)
			}
		}
	}
	entries, err := os.ReadDir("..")
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		name := e.Name()
		if !e.IsDir() || name == "cli" || name == "conformance" || in(readers, name) || in(analyses, name) || in(floor, name) {
			continue
		}
		t.Errorf("package internal/%s is in no layer: add it to docs/architecture.md and this test", name)
	}
}
