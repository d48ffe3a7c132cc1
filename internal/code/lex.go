package code

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// The lexer of Python and JavaScript/TypeScript source: identifiers,
// numbers, punctuation, and strings with their escapes, prefixes
// (Python's r, b, f), triple quotes, f-string and template-literal
// interpolations (lexed as expressions of their own); comments and
// JavaScript regular-expression literals are skipped. Python tokens carry
// the indentation of their line; a logical line ends with a newline token
// outside brackets.

type tokKind int

const (
	tEOF tokKind = iota
	tIdent
	tNumber
	tString
	tPunct
	tNewline
)

// tok is one token.
type tok struct {
	kind   tokKind
	text   string // identifier, punctuation, number; a string's decoded text when it has no interpolation
	parts  []strPart
	line   int
	col    int
	indent int // Python: the column of the line's first token
	first  bool
}

// strPart is a literal piece of a string or an interpolated expression.
type strPart struct {
	lit  string
	expr []tok
	isEx bool
}

type lexer struct {
	src    string
	i      int
	line   int
	col    int
	python bool
	depth  int
	out    []tok
	indent int
	bol    bool
}

func lex(src string, python bool) []tok {
	l := &lexer{src: src, line: 1, col: 1, python: python, bol: true, out: make([]tok, 0, len(src)/5+8)}
	l.run("")
	l.out = append(l.out, tok{kind: tEOF, line: l.line, col: l.col})
	return l.out
}

func (l *lexer) peek(k int) byte {
	if l.i+k < len(l.src) {
		return l.src[l.i+k]
	}
	return 0
}

func (l *lexer) adv(n int) {
	for ; n > 0 && l.i < len(l.src); n-- {
		if l.src[l.i] == '\n' {
			l.line++
			l.col = 1
		} else {
			l.col++
		}
		l.i++
	}
}

func (l *lexer) emit(t tok) {
	if l.bol {
		t.first = true
		l.bol = false
		l.indent = t.col - 1
	}
	t.indent = l.indent
	l.out = append(l.out, t)
}

// prevAllowsRegex reports whether a / here starts a regular expression.
func (l *lexer) prevAllowsRegex() bool {
	if len(l.out) == 0 {
		return true
	}
	p := l.out[len(l.out)-1]
	switch p.kind {
	case tIdent:
		switch p.text {
		case "return", "typeof", "case", "do", "else", "in", "of", "new", "delete", "void", "throw", "yield", "await":
			return true
		}
		return false
	case tNumber, tString:
		return false
	case tPunct:
		return p.text != ")" && p.text != "]" && p.text != "}"
	}
	return true
}

// run lexes until the closing brace of an interpolation (stop "}") or
// the end.
func (l *lexer) run(stop string) {
	depth := 0
	for l.i < len(l.src) {
		c := l.src[l.i]
		switch {
		case c == '\n':
			if l.python && l.depth == 0 && stop == "" && len(l.out) > 0 && l.out[len(l.out)-1].kind != tNewline {
				l.out = append(l.out, tok{kind: tNewline, line: l.line, col: l.col})
			}
			l.bol = true
			l.adv(1)
		case c == ' ' || c == '\t' || c == '\r' || c == '\f':
			l.adv(1)
		case c == '\\' && l.peek(1) == '\n':
			l.adv(2)
			l.bol = false
		case l.python && c == '#':
			for l.i < len(l.src) && l.src[l.i] != '\n' {
				l.adv(1)
			}
		case !l.python && c == '/' && l.peek(1) == '/':
			for l.i < len(l.src) && l.src[l.i] != '\n' {
				l.adv(1)
			}
		case !l.python && c == '/' && l.peek(1) == '*':
			end := strings.Index(l.src[l.i+2:], "*/")
			if end < 0 {
				l.adv(len(l.src) - l.i)
			} else {
				l.adv(end + 4)
			}
		case !l.python && c == '/' && l.prevAllowsRegex():
			l.regex()
		case c == '"' || c == '\'' || (!l.python && c == '`'):
			l.str("")
		case isIdentStart(c):
			start, line, col := l.i, l.line, l.col
			for l.i < len(l.src) && isIdentPart(l.src[l.i]) {
				l.adv(1)
			}
			word := l.src[start:l.i]
			if l.python && l.i < len(l.src) && (l.src[l.i] == '"' || l.src[l.i] == '\'') && len(word) <= 2 && strings.Trim(strings.ToLower(word), "rbuf") == "" {
				l.strAt(strings.ToLower(word), line, col)
				continue
			}
			l.emit(tok{kind: tIdent, text: word, line: line, col: col})
		case c >= '0' && c <= '9':
			start, line, col := l.i, l.line, l.col
			for l.i < len(l.src) && (isIdentPart(l.src[l.i]) || l.src[l.i] == '.') {
				l.adv(1)
			}
			l.emit(tok{kind: tNumber, text: l.src[start:l.i], line: line, col: col})
		default:
			line, col := l.line, l.col
			p := l.punct()
			switch p {
			case "(", "[", "{":
				l.depth++
				depth++
			case ")", "]", "}":
				if stop == "}" && p == "}" && depth == 0 {
					l.adv(1)
					return
				}
				l.depth--
				depth--
				if l.depth < 0 {
					l.depth = 0
				}
			}
			l.adv(len(p))
			l.emit(tok{kind: tPunct, text: p, line: line, col: col})
		}
	}
}

var puncts = []string{"...", "===", "!==", "**=", "//=", ">>=", "<<=", "=>", "==", "!=", "<=", ">=", "&&", "||", "??", "?.", "+=", "-=", "*=", "/=", "->", "**", "//", ":=", "::"}

func (l *lexer) punct() string {
	rest := l.src[l.i:]
	for _, p := range puncts {
		if strings.HasPrefix(rest, p) {
			return p
		}
	}
	_, n := utf8.DecodeRuneInString(rest)
	return rest[:n]
}

func isIdentStart(c byte) bool {
	return c == '_' || c == '$' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= 0x80
}

func isIdentPart(c byte) bool { return isIdentStart(c) || c >= '0' && c <= '9' }

func (l *lexer) regex() {
	line, col := l.line, l.col
	l.adv(1)
	inClass := false
	for l.i < len(l.src) {
		c := l.src[l.i]
		if c == '\n' {
			break
		}
		if c == '\\' {
			l.adv(2)
			continue
		}
		if c == '[' {
			inClass = true
		} else if c == ']' {
			inClass = false
		} else if c == '/' && !inClass {
			l.adv(1)
			break
		}
		l.adv(1)
	}
	for l.i < len(l.src) && isIdentPart(l.src[l.i]) {
		l.adv(1)
	}
	l.emit(tok{kind: tNumber, text: "/regex/", line: line, col: col})
}

func (l *lexer) str(prefix string) { l.strAt(prefix, l.line, l.col) }

// strAt lexes a string literal at l.i (its quote), prefix already read.
func (l *lexer) strAt(prefix string, line, col int) {
	q := l.src[l.i]
	raw := strings.Contains(prefix, "r")
	interp := strings.Contains(prefix, "f") || q == '`'
	triple := l.python && strings.HasPrefix(l.src[l.i:], strings.Repeat(string(q), 3))
	if triple {
		l.adv(3)
	} else {
		l.adv(1)
	}
	var parts []strPart
	var b strings.Builder
	flush := func() {
		if b.Len() > 0 {
			parts = append(parts, strPart{lit: b.String()})
			b.Reset()
		}
	}
	for l.i < len(l.src) {
		c := l.src[l.i]
		if triple && strings.HasPrefix(l.src[l.i:], strings.Repeat(string(q), 3)) {
			l.adv(3)
			break
		}
		if !triple && c == q {
			l.adv(1)
			break
		}
		if !triple && c == '\n' && q != '`' {
			break // an unterminated string ends with its line
		}
		if c == '\\' && l.i+1 < len(l.src) {
			n := l.src[l.i+1]
			if raw {
				b.WriteByte(c)
				b.WriteByte(n)
				l.adv(2)
				continue
			}
			switch n {
			case 'n':
				b.WriteByte('\n')
			case 't':
				b.WriteByte('\t')
			case '\n':
			default:
				b.WriteByte(n)
			}
			l.adv(2)
			continue
		}
		if interp {
			if q == '`' && c == '$' && l.peek(1) == '{' {
				flush()
				l.adv(2)
				parts = append(parts, strPart{isEx: true, expr: l.sub()})
				continue
			}
			if q != '`' && c == '{' {
				if l.peek(1) == '{' {
					b.WriteByte('{')
					l.adv(2)
					continue
				}
				flush()
				l.adv(1)
				parts = append(parts, strPart{isEx: true, expr: l.sub()})
				continue
			}
			if q != '`' && c == '}' && l.peek(1) == '}' {
				b.WriteByte('}')
				l.adv(2)
				continue
			}
		}
		_, n := utf8.DecodeRuneInString(l.src[l.i:])
		b.WriteString(l.src[l.i : l.i+n])
		l.adv(n)
	}
	flush()
	t := tok{kind: tString, parts: parts, line: line, col: col}
	if len(parts) == 1 && !parts[0].isEx {
		t.text = parts[0].lit
	}
	// Python joins adjacent literals: "a" "b".
	if l.python && len(l.out) > 0 {
		if p := &l.out[len(l.out)-1]; p.kind == tString {
			p.parts = append(p.parts, parts...)
			p.text = ""
			if len(p.parts) == 1 && !p.parts[0].isEx {
				p.text = p.parts[0].lit
			}
			return
		}
	}
	l.emit(t)
}

// sub lexes an interpolation up to its closing brace; a Python format
// spec (after ! or :) is dropped.
func (l *lexer) sub() []tok {
	saveOut, saveDepth, saveBol := l.out, l.depth, l.bol
	l.out, l.depth, l.bol = nil, 1, false
	l.run("}")
	toks := l.out
	l.out, l.depth, l.bol = saveOut, saveDepth, saveBol
	if l.python {
		d := 0
		for i, t := range toks {
			if t.kind != tPunct {
				continue
			}
			switch t.text {
			case "(", "[", "{":
				d++
			case ")", "]", "}":
				d--
			case ":", "!", "=":
				if d == 0 {
					return toks[:i]
				}
			}
		}
	}
	return toks
}

// isUpper reports whether an identifier starts with an upper-case letter.
func isUpper(s string) bool {
	r, _ := utf8.DecodeRuneInString(s)
	return unicode.IsUpper(r)
}
