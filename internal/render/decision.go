package render

import (
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/iamfit/iamfit/internal/eval"
	"github.com/iamfit/iamfit/internal/policy"
)

// DecisionFormat is one output format for the decisions of simulated
// requests. Append appends the decision of one request, whole lines, to b
// and returns the extended buffer; it is called once per request, possibly
// from several goroutines with their own buffers.
type DecisionFormat struct {
	Name   string
	Append func(b []byte, r *eval.Request, d *eval.Decision) []byte
}

// decisionFormats is the registry of decision formats, in the order help
// texts list them.
var decisionFormats = []*DecisionFormat{
	{Name: "text", Append: appendDecisionText},
	{Name: "json", Append: appendDecisionJSON},
}

// QuietDecisions writes nothing: only the exit status tells.
var QuietDecisions = &DecisionFormat{Name: "quiet", Append: func(b []byte, _ *eval.Request, _ *eval.Decision) []byte { return b }}

// LookupDecisions returns the decision format of that name.
func LookupDecisions(name string) (*DecisionFormat, bool) {
	return lookup(decisionFormats, name)
}

// DecisionFormats lists the names of the decision formats: "text or json".
func DecisionFormats() string {
	return names(decisionFormats)
}

// appendDecisionText appends a decision as text: the result, the
// request, the deciding statements and why the request is denied.
func appendDecisionText(b []byte, r *eval.Request, d *eval.Decision) []byte {
	switch d.Result {
	case eval.Allowed:
		b = append(b, "ALLOWED  "...)
	case eval.ExplicitlyDenied:
		b = append(b, "DENIED (explicit)  "...)
	default:
		b = append(b, "DENIED (implicit)  "...)
	}
	b = append(b, r.Action...)
	b = append(b, " on "...)
	b = append(b, r.Resource...)
	if r.Anonymous {
		b = append(b, "\n  principal: anonymous\n"...)
	} else {
		b = append(b, "\n  principal: "...)
		b = append(b, r.Principal...)
		b = append(b, '\n')
	}
	for _, m := range d.Matches {
		if m.Effect == policy.Deny {
			b = append(b, "  denies: "...)
		} else {
			b = append(b, "  allows: "...)
		}
		b = append(b, m.Policy.Name...)
		if m.Statement.Pos.IsValid() {
			b = append(b, ':')
			b = strconv.AppendInt(b, int64(m.Statement.Pos.Line), 10)
			b = append(b, ':')
			b = strconv.AppendInt(b, int64(m.Statement.Pos.Col), 10)
		}
		b = append(b, "  "...)
		b = append(b, m.Statement.Path...)
		if m.Statement.Sid != nil {
			b = append(b, " (Sid "...)
			b = strconv.AppendQuote(b, m.Statement.Sid.Value)
			b = append(b, ')')
		}
		b = append(b, " ["...)
		b = append(b, m.Policy.Kind.String()...)
		b = append(b, "]\n"...)
	}
	if d.Result != eval.Allowed {
		for _, k := range d.Blocked {
			if contains(d.Explicit, k) {
				continue
			}
			b = append(b, "  why: "...)
			if k == eval.ResourcePolicy && strings.HasPrefix(strings.ToLower(r.Action), "sts:assumerole") {
				b = append(b, "the role's trust policy does not allow it"...)
			} else {
				b = append(b, BlockedPhrase(k)...)
			}
			b = append(b, '\n')
		}
	}
	return b
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

// appendDecisionJSON appends one decision as a line of JSON.
func appendDecisionJSON(b []byte, r *eval.Request, d *eval.Decision) []byte {
	b = append(b, `{"version":`+jsonDecisionVersion+`,"decision":`...)
	b = appendJSONString(b, d.Result.String())
	b = append(b, `,"action":`...)
	b = appendJSONString(b, r.Action)
	b = append(b, `,"resource":`...)
	b = appendJSONString(b, r.Resource)
	b = append(b, `,"principal":`...)
	if r.Anonymous {
		b = append(b, `null`...)
	} else {
		b = appendJSONString(b, r.Principal)
	}
	b = append(b, `,"statements":[`...)
	for i, m := range d.Matches {
		if i > 0 {
			b = append(b, ',')
		}
		b = append(b, `{"policy":`...)
		b = appendJSONString(b, m.Policy.Name)
		b = append(b, `,"kind":`...)
		b = appendJSONString(b, m.Policy.Kind.String())
		b = append(b, `,"statement":`...)
		b = appendJSONString(b, m.Statement.Path)
		if m.Statement.Sid != nil {
			b = append(b, `,"sid":`...)
			b = appendJSONString(b, m.Statement.Sid.Value)
		}
		b = append(b, `,"effect":`...)
		b = appendJSONString(b, string(m.Effect))
		b = append(b, `,"line":`...)
		b = strconv.AppendInt(b, int64(m.Statement.Pos.Line), 10)
		b = append(b, `,"column":`...)
		b = strconv.AppendInt(b, int64(m.Statement.Pos.Col), 10)
		b = append(b, '}')
	}
	b = append(b, `],"blockedBy":[`...)
	if d.Result != eval.Allowed {
		for i, k := range d.Blocked {
			if i > 0 {
				b = append(b, ',')
			}
			b = appendJSONString(b, k.String())
		}
	}
	return append(b, "]}\n"...)
}

// appendJSONString appends s as a JSON string: quotes, backslashes and
// control characters escaped, invalid UTF-8 replaced.
func appendJSONString(b []byte, s string) []byte {
	const hex = "0123456789abcdef"
	b = append(b, '"')
	for i := 0; i < len(s); {
		// The run of bytes that need no escape, at once.
		j := i
		for j < len(s) && s[j] >= 0x20 && s[j] != '"' && s[j] != '\\' && s[j] < utf8.RuneSelf {
			j++
		}
		b = append(b, s[i:j]...)
		if i = j; i == len(s) {
			break
		}
		c := s[i]
		if c < utf8.RuneSelf {
			if c == '"' || c == '\\' {
				b = append(b, '\\', c)
			} else {
				b = append(b, '\\', 'u', '0', '0', hex[c>>4], hex[c&0xf])
			}
			i++
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && size == 1 {
			b = append(b, `\ufffd`...)
		} else {
			b = append(b, s[i:i+size]...)
		}
		i += size
	}
	return append(b, '"')
}
