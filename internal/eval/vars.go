package eval

import (
	"strings"

	"github.com/iamfit/iamfit/internal/arn"
)

// A template is a policy value that may hold policy variables: ${key},
// ${key, 'default'}, and the escapes ${*}, ${?} and ${$}. Text that a
// variable produces is literal: its '*' and '?' are not wildcards.
type template struct {
	raw   string
	parts []tpart // nil when raw has no variables
	// rparts is raw split into the six parts of an ARN (arn.Split), when
	// it has no variables and split.
	rparts [6]string
	rglob  [6]glob // the form of each of rparts
	split  bool
	glob   glob // the form of raw, when it has no variables
}

type tpart struct {
	text    string // literal text, or the default value of a variable
	keyLC   string // lower-cased key for a variable, "" for text
	hasDef  bool
	escaped bool // ${*}, ${?}, ${$}: text is literal
}

// compileTemplate compiles a policy value; with vars false (policy
// language 2008-10-17) it has no variables and ${...} is literal text.
func compileTemplate(s string, vars bool) template {
	t := template{raw: s}
	if !vars || !strings.Contains(s, "${") {
		t.glob = globOf(s)
		t.rparts, t.split = arn.Split(s)
		for i, p := range t.rparts {
			t.rglob[i] = globOf(p)
		}
		return t
	}
	rest := s
	for rest != "" {
		i := strings.Index(rest, "${")
		if i < 0 {
			t.parts = append(t.parts, tpart{text: rest})
			break
		}
		j := strings.IndexByte(rest[i:], '}')
		if j < 0 {
			t.parts = append(t.parts, tpart{text: rest})
			break
		}
		if i > 0 {
			t.parts = append(t.parts, tpart{text: rest[:i]})
		}
		inner := strings.TrimSpace(rest[i+2 : i+j])
		switch inner {
		case "*", "?", "$":
			t.parts = append(t.parts, tpart{text: inner, escaped: true})
		default:
			key, def, hasDef := strings.Cut(inner, ",")
			p := tpart{keyLC: strings.ToLower(strings.TrimSpace(key))}
			if hasDef {
				def = strings.TrimSpace(def)
				if len(def) >= 2 && def[0] == '\'' && def[len(def)-1] == '\'' {
					p.text, p.hasDef = def[1:len(def)-1], true
				}
			}
			t.parts = append(t.parts, p)
		}
		rest = rest[i+j+1:]
	}
	return t
}

// hasVars reports whether the template needs the request to resolve.
func (t *template) hasVars() bool { return t.parts != nil }

// resolve substitutes the variables. wild is the glob form: substituted
// text has its '*' and '?' marked literal. ok is false when a variable is
// missing without a default or has several values.
func (t *template) resolve(r *Request) (plain string, toks []gtok, ok bool) {
	var b strings.Builder
	for _, p := range t.parts {
		var val string
		literal := true
		switch {
		case p.keyLC == "":
			val, literal = p.text, p.escaped
		default:
			cv := r.lookup(p.keyLC)
			switch {
			case cv != nil && len(cv.Values) == 1 && !cv.Multi:
				val = cv.Values[0]
			case cv == nil && p.hasDef:
				val = p.text
			default:
				return "", nil, false
			}
		}
		b.WriteString(val)
		for i := 0; i < len(val); i++ {
			toks = append(toks, tokenFor(val[i], literal))
		}
	}
	return b.String(), toks, true
}

// gtok is one glob token: a character, or a wildcard.
type gtok struct {
	c    byte
	kind uint8 // tLit, tStar, tOne
}

const (
	tLit uint8 = iota
	tStar
	tOne
)

func tokenFor(c byte, literal bool) gtok {
	if !literal {
		switch c {
		case '*':
			return gtok{kind: tStar}
		case '?':
			return gtok{kind: tOne}
		}
	}
	return gtok{c: c}
}

// globTokens matches s against a token pattern: '*' any run, '?' one byte.
func globTokens(p []gtok, s string) bool {
	pi, si := 0, 0
	starP, starS := -1, 0
	for si < len(s) {
		if pi < len(p) {
			switch p[pi].kind {
			case tStar:
				starP, starS = pi, si
				pi++
				continue
			case tOne:
				pi++
				si++
				continue
			default:
				if p[pi].c == s[si] {
					pi++
					si++
					continue
				}
			}
		}
		if starP < 0 {
			return false
		}
		starS++
		pi, si = starP+1, starS
	}
	for pi < len(p) && p[pi].kind == tStar {
		pi++
	}
	return pi == len(p)
}

// splitTokens splits a token ARN pattern at its first five ':' characters.
func splitTokens(p []gtok) (parts [6][]gtok, ok bool) {
	n := 0
	start := 0
	for i, t := range p {
		if n < 5 && t.kind == tLit && t.c == ':' {
			parts[n] = p[start:i]
			start = i + 1
			n++
		}
	}
	if n < 5 {
		return parts, false
	}
	parts[5] = p[start:]
	return parts, true
}
