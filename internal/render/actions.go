package render

import (
	"bufio"
	"fmt"
	"io"
	"strconv"
	"strings"
	"text/tabwriter"
	"unicode/utf8"

	"github.com/iamfit/iamfit/internal/catalog"
)

// Actions are actions of the catalog to show.
type Actions struct {
	Catalog *catalog.Catalog
	Actions []*catalog.Action
	// Single asks for the details of the one action named, not a list.
	Single bool
}

// ActionsFormat is one output format for Actions.
type ActionsFormat struct {
	Name  string
	Write func(w io.Writer, a *Actions) error
}

// actionsFormats is the registry of actions formats, in the order help
// texts list them.
var actionsFormats = []*ActionsFormat{
	{Name: "text", Write: actionsText},
	{Name: "json", Write: actionsJSON},
}

// LookupActions returns the actions format of that name.
func LookupActions(name string) (*ActionsFormat, bool) {
	return lookup(actionsFormats, name)
}

// ActionsFormats lists the names of the actions formats: "text or json".
func ActionsFormats() string {
	return names(actionsFormats)
}

// jsonActionsVersion is the version of actions' JSON output;
// docs/json/actions.schema.json documents it.
const jsonActionsVersion = 1

// actionsJSONDoc is actions' JSON output: the catalog it was read from and
// the actions.
type actionsJSONDoc struct {
	Version int          `json:"version"`
	Catalog string       `json:"catalog"`
	Actions []actionJSON `json:"actions"`
}

func actionsJSON(w io.Writer, as *Actions) error {
	out := actionsJSONDoc{Version: jsonActionsVersion, Catalog: as.Catalog.Version, Actions: make([]actionJSON, 0, len(as.Actions))}
	for _, a := range as.Actions {
		out.Actions = append(out.Actions, toJSON(as.Catalog, a))
	}
	return writeJSON(w, out)
}

// actionsText writes the details of a single action, or a table of
// actions with their access levels and resource types, through one
// buffered writer.
func actionsText(w io.Writer, as *Actions) error {
	bw := bufio.NewWriterSize(w, 64<<10)
	if as.Single {
		actionDetails(bw, as.Catalog, as.Actions[0])
		return bw.Flush()
	}
	writeActionTable(bw, as.Actions)
	bw.WriteString("\n")
	bw.WriteString(strconv.Itoa(len(as.Actions)))
	bw.WriteString(" actions. Resource types marked * are required.\n")
	return bw.Flush()
}

// writeActionTable writes one line per action: its name, access level and
// resource types, the first two columns padded with spaces to their widest
// cell plus two, as text/tabwriter.NewWriter(w, 0, 4, 2, ' ', 0) aligns
// them, without its per-cell buffering (TestActionTableTabwriter holds the
// two equal over the whole catalog).
func writeActionTable(w *bufio.Writer, actions []*catalog.Action) {
	const padding = 2
	// The width of each name, measured once for both passes.
	widths := make([]int, len(actions))
	nameW, accessW := 0, 0
	for i, a := range actions {
		widths[i] = width(a.Service.Key) + 1 + width(a.Name)
		nameW = max(nameW, widths[i])
		accessW = max(accessW, width(string(a.Access)))
	}
	nameW += padding
	accessW += padding
	for i, a := range actions {
		// The line is appended to the writer's free buffer and written
		// at once.
		b := w.AvailableBuffer()
		b = append(b, a.Service.Key...)
		b = append(b, ':')
		b = append(b, a.Name...)
		b = appendSpaces(b, nameW-widths[i])
		b = append(b, a.Access...)
		b = appendSpaces(b, accessW-width(string(a.Access)))
		if a.WildcardOnly() {
			b = append(b, `(none: Resource "*")`...)
		}
		for i, r := range a.Resources {
			if i > 0 {
				b = append(b, ", "...)
			}
			b = append(b, r.Name...)
			if r.Required {
				b = append(b, '*')
			}
		}
		b = append(b, '\n')
		w.Write(b)
	}
}

// width is the number of runes of s, as text/tabwriter counts a cell.
func width(s string) int {
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			return utf8.RuneCountInString(s)
		}
	}
	return len(s)
}

// spaces pads cells.
const spaces = "                                                                "

// appendSpaces appends n spaces.
func appendSpaces(b []byte, n int) []byte {
	for n > 0 {
		k := min(n, len(spaces))
		b = append(b, spaces[:k]...)
		n -= k
	}
	return b
}

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

// actionDetails writes one action in full.
func actionDetails(w io.Writer, cat *catalog.Catalog, a *catalog.Action) {
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
