package code

import "strings"

// A value is what a reader knows of a string the code computes: literal
// text, environment variables (bound later to the task definition's
// environment) and parts it cannot know, in order.
type value struct {
	parts []part
}

// part is one piece of a value: literal text, an environment variable
// (env), or an unknown piece.
type part struct {
	lit     string
	env     string
	unknown bool
}

func lit(s string) value      { return value{[]part{{lit: s}}} }
func envValue(n string) value { return value{[]part{{env: n}}} }
func unknownValue() value     { return value{[]part{{unknown: true}}} }
func (v value) known() bool   { return len(v.parts) > 0 && !v.parts[0].unknown }
func (v value) isUnknown() bool {
	return len(v.parts) == 0 || (len(v.parts) == 1 && v.parts[0].unknown)
}

// concat joins values.
func concat(vs ...value) value {
	var out value
	for _, v := range vs {
		if len(v.parts) == 0 {
			v = unknownValue()
		}
		for _, p := range v.parts {
			if n := len(out.parts); n > 0 && p.lit != "" && out.parts[n-1].lit != "" {
				out.parts[n-1].lit += p.lit
				continue
			}
			if n := len(out.parts); n > 0 && p.unknown && out.parts[n-1].unknown {
				continue
			}
			out.parts = append(out.parts, p)
		}
	}
	return out
}

// envMark brackets an environment variable inside an argument string
// until Resolve binds it.
const envMark = "\x00"

// escapeIAM writes literal text for an IAM resource: * and ? (and $) are
// IAM's wildcards, so literal ones become ${*}, ${?} and ${$}.
func escapeIAM(s string) string {
	if !strings.ContainsAny(s, "*?$") {
		return s
	}
	var b strings.Builder
	for _, r := range s {
		switch r {
		case '*', '?', '$':
			b.WriteString("${" + string(r) + "}")
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}

// arg renders the value as a call argument: literal text escaped for
// IAM, each environment variable between envMarks, an unknown piece as
// "*". ok is false when nothing of the value is known (the argument is
// then left to a parameter).
func (v value) arg() (string, bool) {
	if v.isUnknown() {
		return "", false
	}
	var b strings.Builder
	for _, p := range v.parts {
		switch {
		case p.unknown:
			b.WriteString("*")
		case p.env != "":
			b.WriteString(envMark + p.env + envMark)
		default:
			b.WriteString(escapeIAM(p.lit))
		}
	}
	return b.String(), true
}

// raw is the value's literal text when it is all literal (a service or
// operation name), unescaped.
func (v value) raw() (string, bool) {
	var b strings.Builder
	for _, p := range v.parts {
		if p.lit == "" && (p.unknown || p.env != "") {
			return "", false
		}
		b.WriteString(p.lit)
	}
	return b.String(), len(v.parts) > 0
}

// args collects a call's arguments.
type args map[string][]string

func (a args) set(name string, v value) {
	if s, ok := v.arg(); ok {
		a[name] = []string{s}
	}
}

func (a args) add(name string, v value) {
	if s, ok := v.arg(); ok {
		a[name] = append(a[name], s)
	}
}

// Keys of a call's arguments that are not API parameters: unreadKey
// says what of the call's input the reader could not read; hintPrefix
// and an argument's name hold the name of the parameter that stands for
// its value when the value is unknown (named after where it comes from).
const (
	unreadKey  = envMark + "unread"
	hintPrefix = envMark + "?"
)

// unread marks the arguments as incomplete: the input (or a part of it,
// named by what) could not be read. The first mark is kept.
func (a args) unread(what string) {
	if _, ok := a[unreadKey]; !ok {
		a[unreadKey] = []string{what}
	}
}

// hint names the parameter for an argument whose value is unknown
// (see hintPrefix); a name that is not one stands for nothing.
func (a args) hint(name, param string) {
	param = paramName(param)
	if param == "" || !namesResource(name) {
		return
	}
	a[hintPrefix+name] = []string{param}
}

// namesResource reports an API parameter that may name a resource
// (Bucket, TableName, QueueUrl, TopicArn, SecretId, ...), whose unknown
// value is a parameter of the policy; an object key or a message body
// is not.
func namesResource(name string) bool {
	if name == "Bucket" || name == "Source" || name == "FromEmailAddress" {
		return true
	}
	for _, suf := range []string{"Name", "Arn", "ARN", "Url", "URL", "Id"} {
		if strings.HasSuffix(name, suf) {
			return true
		}
	}
	return false
}

// paramName keeps the characters a parameter name may hold
// ([A-Za-z0-9_.-]).
func paramName(s string) string {
	return strings.Map(func(r rune) rune {
		switch {
		case r >= 'a' && r <= 'z', r >= 'A' && r <= 'Z', r >= '0' && r <= '9', r == '_', r == '.', r == '-':
			return r
		}
		return -1
	}, s)
}
