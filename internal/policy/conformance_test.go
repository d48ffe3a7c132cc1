package policy

import (
	"encoding/json"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/iamfit/iamfit/internal/conformance"
	"github.com/iamfit/iamfit/internal/source"
)

// conformanceDir is the peer corpus beside the checkout (see ../shared/conformance/README.md).
const conformanceDir = "../../../shared/conformance"

type validateCase struct {
	Name           string          `json:"name"`
	Policy         json.RawMessage `json:"policy"`
	ExpectedErrors []struct {
		Path    string `json:"path"`
		Message string `json:"message"`
	} `json:"expectedErrors"`
}

// TestConformanceIAMPolicy replays iam-policy's validateTests (shared
// grammar) and validateTypeTests (per policy type): for each case iamfit must
// report an error at exactly the JSON paths the case expects, and none
// elsewhere. Messages differ by design and are not compared.
func TestConformanceIAMPolicy(t *testing.T) {
	dir := filepath.Join(conformanceDir, "iam-policy")
	if _, err := os.Stat(dir); err != nil {
		conformance.Missing(t, dir, err)
	}
	fileTypes := map[string]Type{
		"identityPolicy": Identity, "resourcePolicy": Resource, "trustPolicy": Trust, "scp": SCP,
		"rcp": RCP, "sessionPolicy": Session, "endpointPolicy": Endpoint,
	}
	pass, total := 0, 0
	for _, set := range []string{"validateTests", "validateTypeTests"} {
		files, _ := filepath.Glob(filepath.Join(dir, set, "*.json"))
		for _, file := range files {
			data, err := os.ReadFile(file)
			if err != nil {
				t.Fatal(err)
			}
			var cases []validateCase
			if err := json.Unmarshal(data, &cases); err != nil {
				t.Fatalf("%s: %v", file, err)
			}
			typ := Any
			if set == "validateTypeTests" {
				typ = fileTypes[strings.TrimSuffix(filepath.Base(file), ".json")]
			}
			for _, c := range cases {
				total++
				doc := c.Policy
				if doc == nil {
					doc = json.RawMessage("null")
				}
				_, diags := Parse(source.NewFile("case.json", doc), typ)
				got := map[string]bool{}
				for _, d := range diags {
					if d.Severity == source.Error {
						got[d.Path] = true
					}
				}
				want := map[string]bool{}
				for _, e := range c.ExpectedErrors {
					want[e.Path] = true
				}
				if equalSets(got, want) {
					pass++
				} else {
					t.Logf("MISMATCH %s/%s %q: got paths %v, want %v", set, filepath.Base(file), c.Name, keys(got), keys(want))
				}
			}
		}
	}
	if total == 0 {
		t.Fatalf("no iam-policy cases in %s", dir)
	}
	rate := float64(pass) / float64(total)
	t.Logf("iam-policy conformance: %d/%d cases (%.1f%%)", pass, total, 100*rate)
	if rate < 0.90 {
		t.Errorf("pass rate %.1f%% below 90%%", 100*rate)
	}
}

func equalSets(a, b map[string]bool) bool {
	if len(a) != len(b) {
		return false
	}
	for k := range a {
		if !b[k] {
			return false
		}
	}
	return true
}

func keys(m map[string]bool) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}
