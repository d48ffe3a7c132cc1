package lint

import (
	"bufio"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/iamfit/iamfit/internal/catalog"
	"github.com/iamfit/iamfit/internal/policy"
	"github.com/iamfit/iamfit/internal/source"
)

// managedDir holds AWS's managed policies (../shared/aws-managed-policies
// from the repository root; see aws-managed-policies.md there).
var managedDir = filepath.Join("..", "..", "..", "shared", "aws-managed-policies")

// managedExpectations lists the error-severity findings on AWS managed
// policies that are true: grants AWS wrote that can never match. Each line
// is "Policy.json:line:col: check-id: why". Every other error is a false
// alarm and fails the test; a listed finding that no longer appears fails
// it too, so the list stays exact.
const managedExpectations = "testdata/managed-policies.txt"

// TestManagedPolicies lints every AWS managed policy as an identity policy
// and asserts that no error-severity finding is reported except the ones
// managedExpectations names with their reason. AWS attaches these policies
// every day, so an error on one of them is either AWS's own mistake or a
// false alarm. Run with -v for the counts per check.
func TestManagedPolicies(t *testing.T) {
	files, _ := filepath.Glob(filepath.Join(managedDir, "*.json"))
	if len(files) == 0 {
		if os.Getenv("CI") == "true" {
			t.Fatalf("no managed policies in %s", managedDir)
		}
		t.Skip("managed policies not present:", managedDir)
	}
	want, err := readExpectations(managedExpectations)
	if err != nil {
		t.Fatal(err)
	}
	cat := catalog.MustLoad()
	bySev := map[source.Severity]map[string]int{}
	policies := map[string]map[string]bool{} // severity+check -> policies
	got := map[string]bool{}
	for _, path := range files {
		data, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		name := filepath.Base(path)
		res := File(source.NewFile(name, data), cat, Options{Type: policy.Identity})
		for _, d := range res.Diagnostics {
			if bySev[d.Severity] == nil {
				bySev[d.Severity] = map[string]int{}
			}
			bySev[d.Severity][d.Check]++
			pk := d.Severity.String() + " " + d.Check
			if policies[pk] == nil {
				policies[pk] = map[string]bool{}
			}
			policies[pk][name] = true
			if d.Severity != source.Error {
				continue
			}
			key := fmt.Sprintf("%s:%s: %s", name, d.Pos, d.Check)
			got[key] = true
			if _, ok := want[key]; !ok {
				t.Errorf("false alarm? %s", d)
			}
		}
	}
	for key := range want {
		if !got[key] {
			t.Errorf("%s: %s no longer reports %s: remove it", managedExpectations, key, key)
		}
	}
	for _, sev := range []source.Severity{source.Error, source.Warning, source.Info} {
		var ids []string
		for id := range bySev[sev] {
			ids = append(ids, id)
		}
		sort.Strings(ids)
		for _, id := range ids {
			t.Logf("%-8s %-28s %5d findings in %4d policies", sev, id, bySev[sev][id], len(policies[sev.String()+" "+id]))
		}
	}
}

// readExpectations reads "key: why" lines, where key is
// "file:line:col: check"; blank lines and # comments are skipped.
func readExpectations(path string) (map[string]string, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("read expectations: %w", err)
	}
	defer f.Close()
	out := map[string]string{}
	sc := bufio.NewScanner(f)
	for n := 1; sc.Scan(); n++ {
		line := strings.TrimSpace(sc.Text())
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		// file:line:col: check: why
		parts := strings.SplitN(line, ": ", 3)
		if len(parts) != 3 || strings.TrimSpace(parts[2]) == "" {
			return nil, fmt.Errorf("%s:%d: want \"File.json:line:col: check-id: why\"", path, n)
		}
		out[parts[0]+": "+parts[1]] = parts[2]
	}
	return out, sc.Err()
}
