package cli

import (
	"errors"
	"fmt"
	"runtime/debug"
	"strings"

	"github.com/iamfit/iamfit/internal/catalog"
	"github.com/iamfit/iamfit/internal/render"
)

const actionsDoc = `
Expand IAM action patterns against the embedded AWS action catalog.

A pattern is "service:action" where either part may use * and ?, as in a
policy: 'ecs:Describe*', 'ecr:*', '*:GetAuthorizationToken', 's3:?etObject'.
Matching is case-insensitive, as IAM's is. With several patterns or a
wildcard, iamfit lists every action matched with its access level and
resource types; with one action, it shows the details: description, access
level, resource types (required or not) with their ARN formats, condition
keys with their types, and dependent actions.

An unknown service or action is an error (exit 2) with a suggestion.

Examples:
  iamfit actions 'ecs:Describe*'
  iamfit actions ecs:RunTask
  iamfit actions 'ecr:*' --access write --format json`

func (c *Command) actions(args []string) int {
	f := c.newFlags("actions", "[flags] PATTERN...", actionsDoc)
	format := f.String("format", "text", "output format: text or json")
	access := f.String("access", "", "only actions of these access levels, comma-separated: list, read, write, tagging, permissions")
	pats, code := f.parse(args)
	if code >= 0 {
		return code
	}
	if len(pats) == 0 {
		return c.fail("actions", "need at least one PATTERN (see iamfit actions --help)")
	}
	out, ok := render.LookupActions(*format)
	if !ok {
		return c.fail("actions", "unknown --format %q (want %s)", *format, render.ActionsFormats())
	}
	levels, err := parseLevels(*access)
	if err != nil {
		return c.exit("actions", err)
	}
	// What the command holds is bounded by the catalog (every service
	// parsed, as for '*', is about 10 MB): a collection would only add a
	// third to a run of a few milliseconds.
	defer debug.SetGCPercent(debug.SetGCPercent(-1))
	cat, err := loadCatalog()
	if err != nil {
		return c.exit("actions", err)
	}
	expanded := make([][]*catalog.Action, len(pats))
	n := 0
	for i, p := range pats {
		got, err := cat.Expand(p)
		if err != nil {
			var nf *catalog.NotFoundError
			if errors.As(err, &nf) {
				return c.fail("actions", "%v", nf)
			}
			return c.exit("actions", err)
		}
		if len(got) == 0 {
			return c.fail("actions", "pattern %q matches no action in catalog %s", p, cat.Version)
		}
		expanded[i] = got
		n += len(got)
	}
	// Each action once, in the order the patterns first match it. The
	// patterns may match the same actions many times: the storage is
	// sized for at most the catalog's 22,000 or so actions.
	n = min(n, 1<<15)
	all := make([]*catalog.Action, 0, n)
	seen := make(map[*catalog.Action]bool, n)
	for _, got := range expanded {
		for _, a := range got {
			if !seen[a] && (levels == nil || levels[a.Access]) {
				seen[a] = true
				all = append(all, a)
			}
		}
	}
	single := len(pats) == 1 && !strings.ContainsAny(pats[0], "*?") && len(all) == 1
	if err := out.Write(c.Stdout, &render.Actions{Catalog: cat, Actions: all, Single: single}); err != nil {
		return c.exit("actions", err)
	}
	return ExitOK
}

func parseLevels(s string) (map[catalog.AccessLevel]bool, error) {
	if s == "" {
		return nil, nil
	}
	out := map[catalog.AccessLevel]bool{}
	for _, l := range strings.Split(s, ",") {
		switch strings.ToLower(strings.TrimSpace(l)) {
		case "list":
			out[catalog.List] = true
		case "read":
			out[catalog.Read] = true
		case "write":
			out[catalog.Write] = true
		case "tagging":
			out[catalog.Tagging] = true
		case "permissions", "permissions management", "permissions-management":
			out[catalog.PermissionsManagement] = true
		default:
			return nil, fmt.Errorf("unknown access level %q (want list, read, write, tagging or permissions)", l)
		}
	}
	return out, nil
}
