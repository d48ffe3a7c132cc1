package render

import (
	"bufio"
	"io"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/iamfit/iamfit/internal/eval"
	"github.com/iamfit/iamfit/internal/policy"
)

// DecisionFormat is one output format for the decisions of simulated
// requests. Write is called once per request, possibly from several
// goroutines with their own writers, and writes whole lines.
type DecisionFormat struct {
	Name  string
	Write func(w *bufio.Writer, r *eval.Request, d *eval.Decision)
}

// decisionFormats is the registry of decision formats, in the order help
// texts list them.
var decisionFormats = []*DecisionFormat{
	{Name: "text", Write: decisionText},
	{Name: "json", Write: decisionJSON},
}

// QuietDecisions writes nothing: only the exit status tells.
var QuietDecisions = &DecisionFormat{Name: "quiet", Write: func(*bufio.Writer, *eval.Request, *eval.Decision) {}}

// LookupDecisions returns the decision format of that name.
func LookupDecisions(name string) (*DecisionFormat, bool) {
	return lookup(decisionFormats, name)
}

// DecisionFormats lists the names of the decision formats: "text or json".
func DecisionFormats() string {
	return names(decisionFormats)
}

// decisionText writes a decision as text: the result, the request, the
// deciding statements and why the request is denied.
func decisionText(w *bufio.Writer, r *eval.Request, d *eval.Decision) {
	switch d.Result {
	case eval.Allowed:
		w.WriteString("ALLOWED  ")
	case eval.ExplicitlyDenied:
		w.WriteString("DENIED (explicit)  ")
	default:
		w.WriteString("DENIED (implicit)  ")
	}
	w.WriteString(r.Action)
	w.WriteString(" on ")
	w.WriteString(r.Resource)
	w.WriteByte('\n')
	if r.Anonymous {
		w.WriteString("  principal: anonymous\n")
	} else {
		w.WriteString("  principal: ")
		w.WriteString(r.Principal)
		w.WriteByte('\n')
	}
	for _, m := range d.Matches {
		verb := "  allows: "
		if m.Effect == policy.Deny {
			verb = "  denies: "
		}
		w.WriteString(verb)
		w.WriteString(m.Policy.Name)
		if m.Statement.Pos.IsValid() {
			w.WriteByte(':')
			w.WriteString(strconv.Itoa(m.Statement.Pos.Line))
			w.WriteByte(':')
			w.WriteString(strconv.Itoa(m.Statement.Pos.Col))
		}
		w.WriteString("  ")
		w.WriteString(m.Statement.Path)
		if m.Statement.Sid != nil {
			w.WriteString(" (Sid ")
			w.WriteString(strconv.Quote(m.Statement.Sid.Value))
			w.WriteByte(')')
		}
		w.WriteString(" [")
		w.WriteString(m.Policy.Kind.String())
		w.WriteString("]\n")
	}
	if d.Result != eval.Allowed {
		for _, k := range d.Blocked {
			if contains(d.Explicit, k) {
				continue
			}
			w.WriteString("  why: ")
			if k == eval.ResourcePolicy && strings.HasPrefix(strings.ToLower(r.Action), "sts:assumerole") {
				w.WriteString("the role's trust policy does not allow it")
			} else {
				w.WriteString(BlockedPhrase(k))
			}
			w.WriteByte('\n')
		}
	}
}

func contains(ks []eval.Kind, k eval.Kind) bool {
	for _, x := range ks {
		if x == k {
			return true
		}
	}
	return false
}

// jsonDecisionVersion is the version of simulate's JSON Lines, carried by
// every line; docs/json/simulate.schema.json documents it.
const jsonDecisionVersion = "1"

// decisionJSON writes one decision as a line of JSON.
func decisionJSON(w *bufio.Writer, r *eval.Request, d *eval.Decision) {
	w.WriteString(`{"version":` + jsonDecisionVersion + `,"decision":`)
	writeJSONString(w, d.Result.String())
	w.WriteString(`,"action":`)
	writeJSONString(w, r.Action)
	w.WriteString(`,"resource":`)
	writeJSONString(w, r.Resource)
	w.WriteString(`,"principal":`)
	if r.Anonymous {
		w.WriteString(`null`)
	} else {
		writeJSONString(w, r.Principal)
	}
	w.WriteString(`,"statements":[`)
	for i, m := range d.Matches {
		if i > 0 {
			w.WriteByte(',')
		}
		w.WriteString(`{"policy":`)
		writeJSONString(w, m.Policy.Name)
		w.WriteString(`,"kind":`)
		writeJSONString(w, m.Policy.Kind.String())
		w.WriteString(`,"statement":`)
		writeJSONString(w, m.Statement.Path)
		if m.Statement.Sid != nil {
			w.WriteString(`,"sid":`)
			writeJSONString(w, m.Statement.Sid.Value)
		}
		w.WriteString(`,"effect":`)
		writeJSONString(w, string(m.Effect))
		w.WriteString(`,"line":`)
		w.WriteString(strconv.Itoa(m.Statement.Pos.Line))
		w.WriteString(`,"column":`)
		w.WriteString(strconv.Itoa(m.Statement.Pos.Col))
		w.WriteByte('}')
	}
	w.WriteString(`],"blockedBy":[`)
	if d.Result != eval.Allowed {
		for i, k := range d.Blocked {
			if i > 0 {
				w.WriteByte(',')
			}
			writeJSONString(w, k.String())
		}
	}
	w.WriteString("]}\n")
}

// writeJSONString writes s as a JSON string: quotes, backslashes and
// control characters escaped, invalid UTF-8 replaced.
func writeJSONString(w io.ByteWriter, s string) {
	const hex = "0123456789abcdef"
	w.WriteByte('"')
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			switch {
			case c == '"' || c == '\\':
				w.WriteByte('\\')
				w.WriteByte(c)
			case c < 0x20:
				for _, b := range []byte{'\\', 'u', '0', '0', hex[c>>4], hex[c&0xf]} {
					w.WriteByte(b)
				}
			default:
				w.WriteByte(c)
			}
			i++
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && size == 1 {
			for _, b := range []byte(`\ufffd`) {
				w.WriteByte(b)
			}
		} else {
			for k := 0; k < size; k++ {
				w.WriteByte(s[i+k])
			}
		}
		i += size
	}
	w.WriteByte('"')
}
