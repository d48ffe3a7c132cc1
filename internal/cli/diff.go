package cli

import (
	"encoding/json"
	"fmt"
	"io"
	"strings"

	"github.com/iamfit/iamfit/internal/diff"
	"github.com/iamfit/iamfit/internal/policy"
)

const diffDoc = `
Compare the access two identity-based policies grant: what B allows that A
does not (access B adds) and what A allows that B does not (access B
removes), by action and resource pattern, with the statement of each.

Typical use: A is the policy iamfit generates, B the policy deployed on the
role (what it grants beyond the pipeline's needs); or A is the policy on
main and B the one in a pull request, with --fail-on-wider to fail CI when a
change widens access.

Actions are expanded with the catalog; a grant is covered when the other
policy allows the action on a resource pattern that covers it without
stricter conditions. Deny statements count on the safe side: what a
policy's own unconditional Deny takes away entirely is not a grant, and an
allow of A that a Deny of A may touch (matching action, overlapping
resource, any conditions) does not cover, unless B has the same Deny. So
the report can overstate what B adds, never understate it. Exit status: 1
with --fail-on-wider when B adds access, 2 for bad input.`

func (c *Command) diff(args []string) int {
	f := c.newFlags("diff", "[flags] A B", diffDoc)
	failWider := f.Bool("fail-on-wider", false, "exit 1 when B grants access that A does not")
	format := f.String("format", "text", "output format: text or json")
	rest, code := f.parse(args)
	if code >= 0 {
		return code
	}
	if len(rest) != 2 {
		return c.fail("diff", "need two policy files A and B")
	}
	if *format != "text" && *format != "json" {
		return c.fail("diff", "unknown --format %q (want text or json)", *format)
	}
	cat, err := loadCatalog()
	if err != nil {
		return c.exit("diff", err)
	}
	a, okA := c.loadPolicy(rest[0], policy.Identity)
	b, okB := c.loadPolicy(rest[1], policy.Identity)
	if !okA || !okB {
		return ExitUsage
	}
	adds := diff.Wider(a, b, cat)
	removes := diff.Wider(b, a, cat)
	if *format == "json" {
		type jg struct {
			File       string   `json:"file"`
			Line       int      `json:"line"`
			Actions    []string `json:"actions,omitempty"`
			Resource   string   `json:"resource,omitempty"`
			Conditions string   `json:"conditions,omitempty"`
			Exclusion  string   `json:"exclusion,omitempty"`
		}
		conv := func(file string, gs []diff.Grant) []jg {
			out := []jg{}
			for _, g := range gs {
				out = append(out, jg{file, g.Pos.Line, g.Actions, g.Resource, g.Conditions, g.Broad})
			}
			return out
		}
		enc := json.NewEncoder(c.Stdout)
		enc.SetIndent("", "  ")
		enc.Encode(map[string]any{"adds": conv(rest[1], adds), "removes": conv(rest[0], removes)})
	} else {
		writeGrants(c.Stdout, "B grants beyond A (access "+rest[1]+" adds)", rest[1], adds)
		writeGrants(c.Stdout, "A grants beyond B (access "+rest[1]+" removes)", rest[0], removes)
	}
	if *failWider && len(adds) > 0 {
		return ExitFindings
	}
	return ExitOK
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
	}
}
