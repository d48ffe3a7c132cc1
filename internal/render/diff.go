package render

import (
	"fmt"
	"io"
	"strings"

	"github.com/iamfit/iamfit/internal/diff"
)

// Diff is the access policy B grants beyond policy A, and the reverse.
type Diff struct {
	A, B    string // the policies' file names
	Adds    []diff.Grant
	Removes []diff.Grant
}

// DiffFormat is one output format for a Diff.
type DiffFormat struct {
	Name  string
	Write func(w io.Writer, d *Diff) error
}

// diffFormats is the registry of diff formats, in the order help texts
// list them.
var diffFormats = []*DiffFormat{
	{Name: "text", Write: diffText},
	{Name: "json", Write: diffJSON},
}

// LookupDiff returns the diff format of that name.
func LookupDiff(name string) (*DiffFormat, bool) {
	return lookup(diffFormats, name)
}

// DiffFormats lists the names of the diff formats: "text or json".
func DiffFormats() string {
	return names(diffFormats)
}

func diffText(w io.Writer, d *Diff) error {
	writeGrants(w, "B grants beyond A (access "+d.B+" adds)", d.B, d.Adds)
	writeGrants(w, "A grants beyond B (access "+d.B+" removes)", d.A, d.Removes)
	return nil
}

// jsonDiffVersion is the version of diff's JSON output;
// docs/json/diff.schema.json documents it.
const jsonDiffVersion = 1

type (
	jsonDiff struct {
		Version int         `json:"version"`
		A       string      `json:"a"`
		B       string      `json:"b"`
		Adds    []jsonGrant `json:"adds"`
		Removes []jsonGrant `json:"removes"`
	}
	jsonGrant struct {
		File       string   `json:"file"`
		Line       int      `json:"line"`
		Actions    []string `json:"actions,omitempty"`
		Resource   string   `json:"resource,omitempty"`
		Conditions string   `json:"conditions,omitempty"`
		Exclusion  string   `json:"exclusion,omitempty"`
		Unknown    []string `json:"unknown,omitempty"` // not in the catalog: possibly wider
	}
)

func diffJSON(w io.Writer, d *Diff) error {
	conv := func(file string, gs []diff.Grant) []jsonGrant {
		out := []jsonGrant{}
		for _, g := range gs {
			out = append(out, jsonGrant{file, g.Pos.Line, g.Actions, g.Resource, g.Conditions, g.Broad, g.Unknown})
		}
		return out
	}
	return writeJSON(w, jsonDiff{Version: jsonDiffVersion, A: d.A, B: d.B, Adds: conv(d.B, d.Adds), Removes: conv(d.A, d.Removes)})
}

func writeGrants(w io.Writer, title, file string, gs []diff.Grant) {
	fmt.Fprintf(w, "%s:\n", title)
	if len(gs) == 0 {
		fmt.Fprintf(w, "  nothing\n")
	}
	for _, g := range gs {
		if g.Broad != "" {
			fmt.Fprintf(w, "  %s:%d  an Allow with %s: everything but what it lists\n", file, g.Pos.Line, g.Broad)
			continue
		}
		acts := g.Actions
		more := ""
		if len(acts) > 8 {
			more = fmt.Sprintf(" and %d more", len(acts)-8)
			acts = acts[:8]
		}
		fmt.Fprintf(w, "  %s:%d  %s%s on %s", file, g.Pos.Line, strings.Join(acts, ", "), more, g.Resource)
		if g.Conditions != "" {
			fmt.Fprintf(w, " if %s", g.Conditions)
		}
		fmt.Fprintln(w)
		if len(g.Unknown) > 0 {
			fmt.Fprintf(w, "    not in the pinned catalog: %s; counted as possibly wider (an action newer than the catalog, or a mistyped one)\n", strings.Join(g.Unknown, ", "))
		}
	}
}
