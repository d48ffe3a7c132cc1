package render

import (
	"encoding/json"
	"fmt"
	"io"
	"sort"
	"strings"

	"github.com/iamfit/iamfit/internal/drift"
	"github.com/iamfit/iamfit/internal/policy"
)

// CheckFormat writes generate --check's report in one format.
type CheckFormat struct {
	Name  string
	Write func(w io.Writer, r *drift.Report) error
}

func (f *CheckFormat) formatName() string { return f.Name }

// CheckFormats are generate --check's formats.
var CheckFormats = []*CheckFormat{
	{Name: "text", Write: checkText},
	{Name: "json", Write: checkJSON},
}

// LookupCheck returns generate --check's format of that name.
func LookupCheck(name string) (*CheckFormat, bool) { return lookup(CheckFormats, name) }

// CheckNames lists generate --check's formats.
func CheckNames() string { return names(CheckFormats) }

func checkText(w io.Writer, rep *drift.Report) error {
	drifted := 0
	for i, r := range rep.Results {
		if i > 0 {
			fmt.Fprintln(w)
		}
		fmt.Fprintf(w, "Role %s: kept as %s (matched by %s)\n", r.Plan.Role.ARN, r.Kept.Label(), r.MatchedBy)
		if len(r.Values) > 0 {
			var vs []string
			for k, v := range r.Values {
				vs = append(vs, k+"="+v)
			}
			sort.Strings(vs)
			fmt.Fprintf(w, "  parameters from the kept policy: %s\n", strings.Join(vs, ", "))
		}
		for _, u := range r.Kept.Unresolved {
			fmt.Fprintf(w, "  not compared: the attached policy %s is not in the files given\n", u)
		}
		if !r.Drifted() {
			fmt.Fprintf(w, "  up to date: the kept policy allows every call the workflows make and grants nothing more\n")
			continue
		}
		drifted++
		if len(r.Missing) > 0 {
			fmt.Fprintf(w, "  MISSING: the kept policy denies %d %s the workflows make (the deploy would fail):\n", len(r.Missing), plural(len(r.Missing), "call", "calls"))
			seen := map[string]bool{}
			for _, n := range r.Missing {
				line := fmt.Sprintf("    %s on %s  %s  %s", n.Action, n.Resource, n.Where(), n.Why)
				if !seen[line] {
					seen[line] = true
					fmt.Fprintln(w, line)
				}
			}
			if r.Add != nil && r.Add.Policy != nil {
				fmt.Fprintf(w, "  add these statements:\n")
				IndentedPolicy(w, &policy.Policy{Statements: r.Add.Policy.Statements, StatementList: true})
			}
		}
		if len(r.Extra) > 0 {
			fmt.Fprintf(w, "  MORE THAN NEEDED: the kept policy grants what no workflow needs; remove:\n")
			for _, g := range r.Extra {
				fmt.Fprintf(w, "    %s: %s\n", g.Where, grantText(g))
			}
		}
	}
	for _, p := range rep.Unchecked {
		fmt.Fprintf(w, "\nNot checked: role %s has no kept policy in the files given (pair it with --match NAME=KEPT)\n", p.Role.ARN)
	}
	for _, k := range rep.Uncompared {
		fmt.Fprintf(w, "\nNot compared: %s matches no role the workflows assume\n", k.Label())
	}
	fmt.Fprintf(w, "\n%d %s compared: %d up to date, %d drifted\n", len(rep.Results), plural(len(rep.Results), "role", "roles"), len(rep.Results)-drifted, drifted)
	return nil
}

func grantText(g drift.Grant) string {
	var s string
	switch {
	case g.Broad != "":
		s = "a " + g.Broad + " statement (grants everything it does not list)"
	default:
		s = strings.Join(g.Actions, ", ") + " on " + g.Resource
	}
	if g.Conditions != "" {
		s += " if " + g.Conditions
	}
	return s
}

// jsonCheckVersion is the version of generate --check's JSON output.
const jsonCheckVersion = 1

type jsonCheckRole struct {
	Role      string            `json:"role"`
	Kind      string            `json:"kind"`
	Kept      string            `json:"kept"`
	KeptFile  string            `json:"keptFile"`
	MatchedBy string            `json:"matchedBy"`
	UpToDate  bool              `json:"upToDate"`
	Values    map[string]string `json:"parameters"`
	Missing   []jsonMissing     `json:"missing"`
	Add       json.RawMessage   `json:"add"`
	Extra     []jsonExtra       `json:"extra"`
	// NotCompared are attached policies the files do not hold.
	NotCompared []string `json:"notCompared"`
}

type jsonMissing struct {
	Action   string `json:"action"`
	Resource string `json:"resource"`
	Where    string `json:"where"`
	Why      string `json:"why"`
}

type jsonExtra struct {
	Where      string   `json:"where"`
	Actions    []string `json:"actions"`
	Resource   string   `json:"resource,omitempty"`
	Conditions string   `json:"conditions,omitempty"`
	Broad      string   `json:"broad,omitempty"`
}

func checkJSON(w io.Writer, rep *drift.Report) error {
	out := struct {
		Version    int             `json:"version"`
		UpToDate   bool            `json:"upToDate"`
		Roles      []jsonCheckRole `json:"roles"`
		Unchecked  []string        `json:"unchecked"`
		Uncompared []string        `json:"uncompared"`
	}{Version: jsonCheckVersion, UpToDate: !rep.Drifted(), Roles: []jsonCheckRole{}, Unchecked: []string{}, Uncompared: []string{}}
	for _, r := range rep.Results {
		jr := jsonCheckRole{Role: r.Plan.Role.ARN, Kind: r.Plan.Role.Kind.String(), Kept: r.Kept.Label(), KeptFile: r.Kept.File,
			MatchedBy: r.MatchedBy, UpToDate: !r.Drifted(), Values: r.Values, Missing: []jsonMissing{}, Add: json.RawMessage("null"),
			Extra: []jsonExtra{}, NotCompared: append([]string{}, r.Kept.Unresolved...)}
		if jr.Values == nil {
			jr.Values = map[string]string{}
		}
		seen := map[jsonMissing]bool{}
		for _, n := range r.Missing {
			m := jsonMissing{Action: n.Action, Resource: n.Resource, Where: n.Where(), Why: n.Why}
			if !seen[m] {
				seen[m] = true
				jr.Missing = append(jr.Missing, m)
			}
		}
		if r.Add != nil && r.Add.Policy != nil {
			data, err := policy.MarshalCompact(r.Add.Policy)
			if err != nil {
				return err
			}
			jr.Add = data
		}
		for _, g := range r.Extra {
			jr.Extra = append(jr.Extra, jsonExtra{Where: g.Where, Actions: append([]string{}, g.Actions...), Resource: g.Resource, Conditions: g.Conditions, Broad: g.Broad})
		}
		out.Roles = append(out.Roles, jr)
	}
	for _, p := range rep.Unchecked {
		out.Unchecked = append(out.Unchecked, p.Role.ARN)
	}
	for _, k := range rep.Uncompared {
		out.Uncompared = append(out.Uncompared, k.Label())
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(out)
}

func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}
