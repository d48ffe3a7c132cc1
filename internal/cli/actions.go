package cli

import (
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"text/tabwriter"

	"github.com/iamfit/iamfit/internal/catalog"
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

// actionJSON is the JSON form of one action.
type actionJSON struct {
	Action           string             `json:"action"`
	AccessLevel      string             `json:"accessLevel"`
	Description      string             `json:"description"`
	ResourceTypes    []resourceTypeJSON `json:"resourceTypes"`
	ConditionKeys    []conditionKeyJSON `json:"conditionKeys"`
	DependentActions []string           `json:"dependentActions"`
}

type resourceTypeJSON struct {
	Name          string   `json:"name"`
	Required      bool     `json:"required"`
	ARN           string   `json:"arn,omitempty"`
	ConditionKeys []string `json:"conditionKeys,omitempty"`
}

type conditionKeyJSON struct {
	Name string `json:"name"`
	Type string `json:"type,omitempty"`
}

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
	if *format != "text" && *format != "json" {
		return c.fail("actions", "unknown --format %q (want text or json)", *format)
	}
	levels, err := parseLevels(*access)
	if err != nil {
		return c.exit("actions", err)
	}
	cat, err := loadCatalog()
	if err != nil {
		return c.exit("actions", err)
	}
	var all []*catalog.Action
	seen := map[*catalog.Action]bool{}
	for _, p := range pats {
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
		for _, a := range got {
			if !seen[a] && (levels == nil || levels[a.Access]) {
				seen[a] = true
				all = append(all, a)
			}
		}
	}
	single := len(pats) == 1 && !strings.ContainsAny(pats[0], "*?") && len(all) == 1

	if *format == "json" {
		out := make([]actionJSON, 0, len(all))
		for _, a := range all {
			out = append(out, toJSON(cat, a))
		}
		enc := json.NewEncoder(c.Stdout)
		enc.SetIndent("", "  ")
		if err := enc.Encode(out); err != nil {
			return c.exit("actions", err)
		}
		return ExitOK
	}
	if single {
		c.describeAction(cat, all[0])
		return ExitOK
	}
	tw := tabwriter.NewWriter(c.Stdout, 0, 4, 2, ' ', 0)
	for _, a := range all {
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
	fmt.Fprintf(c.Stdout, "\n%d actions. Resource types marked * are required.\n", len(all))
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

func toJSON(cat *catalog.Catalog, a *catalog.Action) actionJSON {
	j := actionJSON{Action: a.String(), AccessLevel: string(a.Access), Description: a.Description,
		ResourceTypes: []resourceTypeJSON{}, ConditionKeys: []conditionKeyJSON{}, DependentActions: []string{}}
	for _, r := range a.Resources {
		rj := resourceTypeJSON{Name: r.Name, Required: r.Required, ConditionKeys: r.ConditionKeys}
		if r.Type != nil {
			rj.ARN = r.Type.ARN
		}
		j.ResourceTypes = append(j.ResourceTypes, rj)
	}
	for _, k := range a.ConditionKeys {
		kj := conditionKeyJSON{Name: k}
		if ck := cat.ConditionKey(k); ck != nil {
			kj.Type = string(ck.Type)
		}
		j.ConditionKeys = append(j.ConditionKeys, kj)
	}
	j.DependentActions = append(j.DependentActions, a.DependentActions...)
	return j
}

func (c *Command) describeAction(cat *catalog.Catalog, a *catalog.Action) {
	w := c.Stdout
	fmt.Fprintf(w, "%s\n  %s\n\n", a, a.Description)
	fmt.Fprintf(w, "Access level:  %s\n", a.Access)
	fmt.Fprintf(w, "Service:       %s (%s)\n\n", a.Service.Name, a.Service.Key)
	if a.WildcardOnly() {
		fmt.Fprintf(w, "Resource types: none. The action cannot be scoped to a resource: grant it on Resource \"*\".\n")
	} else {
		fmt.Fprintf(w, "Resource types:\n")
		tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
		for _, r := range a.Resources {
			req := "optional"
			if r.Required {
				req = "required"
			}
			format := "(format not in catalog)"
			if r.Type != nil {
				format = r.Type.ARN
			}
			fmt.Fprintf(tw, "  %s\t%s\t%s\n", r.Name, req, format)
		}
		tw.Flush()
	}
	fmt.Fprintln(w)
	if len(a.ConditionKeys) == 0 {
		fmt.Fprintf(w, "Condition keys: none specific to this action (global aws: keys apply).\n")
	} else {
		fmt.Fprintf(w, "Condition keys:\n")
		tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
		for _, k := range a.ConditionKeys {
			typ := ""
			if ck := cat.ConditionKey(k); ck != nil {
				typ = string(ck.Type)
			}
			fmt.Fprintf(tw, "  %s\t%s\n", k, typ)
		}
		tw.Flush()
	}
	fmt.Fprintln(w)
	if len(a.DependentActions) == 0 {
		fmt.Fprintf(w, "Dependent actions: none listed in the catalog.\n")
	} else {
		fmt.Fprintf(w, "Dependent actions: %s\n", strings.Join(a.DependentActions, ", "))
	}
}
