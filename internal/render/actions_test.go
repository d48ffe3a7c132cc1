package render

import (
	"bufio"
	"bytes"
	"fmt"
	"strings"
	"testing"
	"text/tabwriter"

	"github.com/iamfit/iamfit/internal/catalog"
)

// tabwriterTable is the action table as text/tabwriter aligns it, the
// reference writeActionTable must equal.
func tabwriterTable(actions []*catalog.Action) string {
	var b bytes.Buffer
	tw := tabwriter.NewWriter(&b, 0, 4, 2, ' ', 0)
	for _, a := range actions {
		var rts []string
		for _, r := range a.Resources {
			n := r.Name
			if r.Required {
				n += "*"
			}
			rts = append(rts, n)
		}
		res := strings.Join(rts, ", ")
		if a.WildcardOnly() {
			res = `(none: Resource "*")`
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\n", a, a.Access, res)
	}
	tw.Flush()
	return b.String()
}

// TestActionTableTabwriter: the table is byte for byte what text/tabwriter
// writes, for every action of the catalog at once, for each service alone
// (other column widths), and for made-up actions with multi-byte names and
// long cells.
func TestActionTableTabwriter(t *testing.T) {
	cat := catalog.MustLoad()
	all, err := cat.Expand("*")
	if err != nil {
		t.Fatal(err)
	}
	check := func(name string, actions []*catalog.Action) {
		t.Helper()
		var b bytes.Buffer
		w := bufio.NewWriter(&b)
		writeActionTable(w, actions)
		w.Flush()
		if want := tabwriterTable(actions); b.String() != want {
			got, wantLines := strings.Split(b.String(), "\n"), strings.Split(want, "\n")
			for i := range min(len(got), len(wantLines)) {
				if got[i] != wantLines[i] {
					t.Fatalf("%s: line %d:\n got %q\nwant %q", name, i+1, got[i], wantLines[i])
				}
			}
			t.Fatalf("%s: %d lines, want %d", name, len(got), len(wantLines))
		}
	}
	check("all", all)
	check("none", nil)
	for _, s := range cat.Services {
		check(s.Key, s.Actions())
	}
	svc := &catalog.Service{Key: "ünï"}
	long := strings.Repeat("Vérÿ", 40)
	made := []*catalog.Action{
		{Service: svc, Name: "Gét", Access: catalog.Read},
		{Service: svc, Name: long, Access: catalog.PermissionsManagement,
			Resources: []catalog.ActionResource{{Name: "thing", Required: true}, {Name: "öther"}}},
		{Service: svc, Name: "X", Access: "Lïst"},
	}
	check("made-up", made)
}
