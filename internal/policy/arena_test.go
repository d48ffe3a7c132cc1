package policy

import (
	"os"
	"path/filepath"
	"reflect"
	"testing"

	"github.com/iamfit/iamfit/internal/jsonpos"
	"github.com/iamfit/iamfit/internal/source"
)

// TestArena: documents read one after another into one Arena are what
// ParseTree reads, whichever came before (a large one first, then small
// ones in its memory, then a larger one that needs more), for every type.
func TestArena(t *testing.T) {
	files, _ := filepath.Glob("testdata/parse/*.json")
	more, _ := filepath.Glob("../lint/testdata/*/*.json")
	files = append(files, more...)
	if len(files) < 20 {
		t.Fatalf("%d cases", len(files))
	}
	var a Arena
	for round := 0; round < 2; round++ {
		for _, typ := range []Type{Any, Identity, Resource, Trust, RCP} {
			for _, name := range files {
				data, err := os.ReadFile(name)
				if err != nil {
					t.Fatal(err)
				}
				root, _ := jsonpos.Parse(data)
				if root == nil {
					continue
				}
				wantPol, wantDiags := ParseTree(source.NewFile(name, data), root, typ)
				gotPol, gotDiags := a.ParseTree(source.NewFile(name, data), root, typ)
				if wantPol != nil {
					wantPol.File, gotPol.File = nil, nil
				}
				if !reflect.DeepEqual(gotPol, wantPol) || !reflect.DeepEqual(gotDiags, wantDiags) {
					t.Errorf("%s as %v: the Arena reads\n%+v %v\nParseTree\n%+v %v", name, typ, gotPol, gotDiags, wantPol, wantDiags)
				}
			}
		}
	}
}
