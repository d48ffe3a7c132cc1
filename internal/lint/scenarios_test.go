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
	"github.com/iamfit/iamfit/internal/source"
)

// TestScenarios lints the policies of testdata/scenarios (copies of
// examples/copied-policies and policies written from the shared
// SCENARIOS.md) with every check, and compares the findings with the ones
// expected.txt judges true (tp) or false (fp) by hand. It logs precision
// (true findings over findings) and recall (true findings over true
// findings and the problems no check reports, the miss lines).
func TestScenarios(t *testing.T) {
	dir := filepath.Join("testdata", "scenarios")
	want := map[string]string{} // "file:line:col check" -> verdict
	misses := 0
	f, err := os.Open(filepath.Join(dir, "expected.txt"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		fields := strings.Fields(sc.Text())
		if len(fields) == 0 || strings.HasPrefix(fields[0], "#") {
			continue
		}
		if len(fields) < 3 {
			t.Fatalf("expected.txt: short line %q", sc.Text())
		}
		switch fields[0] {
		case "miss":
			misses++
		case "tp", "fp":
			want[fields[1]+" "+fields[2]] = fields[0]
		default:
			t.Fatalf("expected.txt: verdict %q", fields[0])
		}
	}
	files, _ := filepath.Glob(filepath.Join(dir, "*"))
	cat := catalog.MustLoad()
	got := map[string]bool{}
	for _, path := range files {
		if strings.HasSuffix(path, ".txt") {
			continue
		}
		data, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		for _, d := range lintOne(source.NewFile(path, data), cat, 0, nil, nil) {
			key := fmt.Sprintf("%s:%s %s", filepath.Base(d.File), d.Pos, d.Check)
			got[key] = true
			if want[key] == "" {
				t.Errorf("unjudged finding: %s", d)
			}
		}
	}
	var gone []string
	tp, fp := 0, 0
	for key, verdict := range want {
		if !got[key] {
			gone = append(gone, key)
			continue
		}
		if verdict == "tp" {
			tp++
		} else {
			fp++
		}
	}
	sort.Strings(gone)
	for _, key := range gone {
		t.Errorf("expected.txt lists %s, which is no longer reported", key)
	}
	t.Logf("%d findings: %d true, %d false, %d problems missed: precision %.0f%%, recall %.0f%%",
		tp+fp, tp, fp, misses, 100*float64(tp)/float64(tp+fp), 100*float64(tp)/float64(tp+misses))
}
