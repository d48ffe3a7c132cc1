package cli

import (
	"fmt"

	"github.com/iamfit/iamfit/internal/diff"
	"github.com/iamfit/iamfit/internal/policy"
	"github.com/iamfit/iamfit/internal/render"
)

const diffDoc = `
Compare the access two identity-based policies grant: what B allows that A
does not (access B adds) and what A allows that B does not (access B
removes), by action and resource pattern, with the statement of each.

Typical use: A is the policy iamfit generates, B the policy deployed on the
role (what it grants beyond the pipeline's needs); or A is the policy on
main and B the one in a pull request, with --fail-on-wider to fail CI when a
change widens access.

Actions are expanded with the catalog; an action or pattern the pinned
catalog does not know (newer than it, or mistyped) is compared as written
and, unless the other policy allows the same, reported as possibly wider.
A grant is covered when the other policy allows the action on a resource pattern that covers it without
stricter conditions. Deny statements count on the safe side: what a
policy's own unconditional Deny takes away entirely is not a grant, and an
allow of A that a Deny of A may touch (matching action, overlapping
resource, any conditions) does not cover, unless B has the same Deny. So
the report can overstate what B adds, never understate it. Exit status: 1
with --fail-on-wider when B adds access, 2 for bad input.

A or B may be the output of iamfit generate --format json: its role's
permission policy is compared (--role NAME or ARN chooses one when it has
several), with the lines of the generated file.`

func (c *Command) diff(args []string) int {
	f := c.newFlags("diff", "[flags] A B", diffDoc)
	failWider := f.Bool("fail-on-wider", false, "exit 1 when B grants access that A does not")
	format := f.String("format", "text", "output format: "+render.DiffFormats())
	role := f.String("role", "", "with generate --format json output: the role (name or ARN) whose permission policy is compared")
	rest, code := f.parse(args)
	if code >= 0 {
		return code
	}
	if len(rest) != 2 {
		return c.fail("diff", "need two policy files A and B")
	}
	out, ok := render.LookupDiff(*format)
	if !ok {
		return c.fail("diff", "unknown --format %q (want %s)", *format, render.DiffFormats())
	}
	cat, err := loadCatalog()
	if err != nil {
		return c.exit("diff", err)
	}
	a, okA := c.loadDiffPolicy(rest[0], *role)
	b, okB := c.loadDiffPolicy(rest[1], *role)
	if !okA || !okB {
		return ExitUsage
	}
	d := &render.Diff{A: rest[0], B: rest[1], Adds: diff.Wider(a, b, cat), Removes: diff.Wider(b, a, cat)}
	if err := out.Write(c.Stdout, d); err != nil {
		return c.exit("diff", err)
	}
	if *failWider && len(d.Adds) > 0 {
		return ExitFindings
	}
	return ExitOK
}

// loadDiffPolicy reads a policy file, or generate --format json output
// and the permission policy of its role.
func (c *Command) loadDiffPolicy(path, role string) (*policy.Policy, bool) {
	f, err := c.readInput(path)
	if err != nil {
		fmt.Fprintf(c.Stderr, "iamfit: %v\n", err)
		return nil, false
	}
	roles, generated, err := generatedRoles(f)
	if err != nil {
		fmt.Fprintf(c.Stderr, "iamfit: %v\n", err)
		return nil, false
	}
	if !generated {
		return c.parsePolicy(f, policy.Identity)
	}
	r, err := pickRole(f.Name, roles, role)
	if err != nil {
		fmt.Fprintf(c.Stderr, "iamfit: %v\n", err)
		return nil, false
	}
	return r.Doc, true
}
