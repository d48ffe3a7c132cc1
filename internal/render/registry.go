package render

import "strings"

// Each kind of result (findings, decisions, diffs, actions) has its
// registry: an ordered list of formats, each a value with a name and a
// writer. A new format is its writer in a file here and one line in the
// list; commands look formats up by the --format value.

// format is what every registry's entries have.
type format interface{ formatName() string }

func (f *FindingsFormat) formatName() string { return f.Name }
func (f *DecisionFormat) formatName() string { return f.Name }
func (f *DiffFormat) formatName() string     { return f.Name }
func (f *ActionsFormat) formatName() string  { return f.Name }
func (f *ExplainFormat) formatName() string  { return f.Name }

// lookup returns the format of that name.
func lookup[F format](formats []F, name string) (F, bool) {
	for _, f := range formats {
		if f.formatName() == name {
			return f, true
		}
	}
	var none F
	return none, false
}

// names lists the formats' names for help and error texts: "a, b or c".
func names[F format](formats []F) string {
	out := make([]string, len(formats))
	for i, f := range formats {
		out[i] = f.formatName()
	}
	return OrList(out)
}

// OrList joins names as "a, b or c".
func OrList(names []string) string {
	if len(names) < 2 {
		return strings.Join(names, "")
	}
	return strings.Join(names[:len(names)-1], ", ") + " or " + names[len(names)-1]
}
