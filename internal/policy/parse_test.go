package policy

import (
	"bytes"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/iamfit/iamfit/internal/source"
)

var update = flag.Bool("update", false, "rewrite golden files")

// typeOf picks the policy type for a golden case from its name.
func typeOf(name string) Type {
	if strings.HasPrefix(name, "trust") {
		return Trust
	}
	return Identity
}

// TestParseGolden parses testdata/parse/*.json and compares the diagnostics
// and the canonical re-serialisation with the .out file beside each.
func TestParseGolden(t *testing.T) {
	files, _ := filepath.Glob("testdata/parse/*.json")
	if len(files) == 0 {
		t.Fatal("no cases")
	}
	for _, in := range files {
		name := strings.TrimSuffix(filepath.Base(in), ".json")
		t.Run(name, func(t *testing.T) {
			data, err := os.ReadFile(in)
			if err != nil {
				t.Fatal(err)
			}
			f := source.NewFile(filepath.ToSlash(in), data)
			pol, diags := Parse(f, typeOf(name))
			var b bytes.Buffer
			for _, d := range diags {
				fmt.Fprintf(&b, "%s (path %q)\n", d, d.Path)
			}
			errs := false
			for _, d := range diags {
				errs = errs || d.Severity == source.Error
			}
			if pol != nil && !errs {
				out, err := Marshal(pol)
				if err != nil {
					t.Fatal(err)
				}
				b.WriteString("--- canonical\n")
				b.Write(out)
			}
			golden := strings.TrimSuffix(in, ".json") + ".out"
			if *update {
				if err := os.WriteFile(golden, b.Bytes(), 0o644); err != nil {
					t.Fatal(err)
				}
				return
			}
			want, err := os.ReadFile(golden)
			if err != nil {
				t.Fatal(err)
			}
			if b.String() != string(want) {
				t.Errorf("output differs from %s (rerun with -update):\n%s", golden, b.String())
			}
		})
	}
}

func TestRoundTrip(t *testing.T) {
	// Canonical output parses to the same canonical output.
	files, _ := filepath.Glob("testdata/parse/*.json")
	for _, in := range files {
		data, _ := os.ReadFile(in)
		pol, _ := Parse(source.NewFile(in, data), Any)
		if pol == nil {
			continue
		}
		once, err := Marshal(pol)
		if err != nil {
			t.Fatal(err)
		}
		pol2, diags := Parse(source.NewFile("again", once), Any)
		for _, d := range diags {
			if d.Check == CheckJSON {
				t.Errorf("%s: canonical output is not JSON: %s", in, d)
			}
		}
		twice, _ := Marshal(pol2)
		if !bytes.Equal(once, twice) {
			t.Errorf("%s: not stable:\n%s\n%s", in, once, twice)
		}
	}
}

func TestParseOperator(t *testing.T) {
	tests := []struct {
		op       string
		base     string
		set      SetOp
		ifExists bool
		ok       bool
	}{
		{"StringEquals", "StringEquals", NoSet, false, true},
		{"StringLikeIfExists", "StringLike", NoSet, true, true},
		{"ForAnyValue:StringLike", "StringLike", ForAnyValue, false, true},
		{"forallvalues:ArnEqualsIfExists", "ArnEquals", ForAllValues, true, true},
		{"Null", "Null", NoSet, false, true},
		{"NullIfExists", "", NoSet, false, false},
		{"ForSomeValue:StringEquals", "", NoSet, false, false},
		{"ForAllValues:StringEquals:IfExists", "", NoSet, false, false},
		{"ForAllValues.StringEquals", "", NoSet, false, false},
		{"stringequals", "", NoSet, false, false},
		{"IfExists", "", NoSet, false, false},
	}
	for _, tt := range tests {
		base, set, ie, ok, _ := ParseOperator(tt.op)
		if base != tt.base || set != tt.set || ie != tt.ifExists || ok != tt.ok {
			t.Errorf("ParseOperator(%q) = %q %v %v %v", tt.op, base, set, ie, ok)
		}
	}
}

func FuzzParse(f *testing.F) {
	files, _ := filepath.Glob("testdata/parse/*.json")
	for _, in := range files {
		data, _ := os.ReadFile(in)
		f.Add(data, uint8(0))
	}
	f.Fuzz(func(t *testing.T, data []byte, typ uint8) {
		ty := Type(int(typ) % len(typeNames))
		pol, diags := Parse(source.NewFile("fuzz.json", data), ty)
		for _, d := range diags {
			if !d.Pos.IsValid() || d.Message == "" || d.Check == "" {
				t.Fatalf("bad diagnostic %+v", d)
			}
		}
		if pol != nil {
			if _, err := Marshal(pol); err != nil {
				t.Fatal(err)
			}
		}
	})
}
