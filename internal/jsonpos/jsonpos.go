// Package jsonpos parses JSON into a tree whose every value and object key
// keeps its byte offset, so that readers can report file:line:col.
//
// It accepts exactly the documents that encoding/json accepts. On a syntax
// error it reports the exact offset of the offending byte; a trailing comma
// before '}' or ']' is reported at the comma and parsing goes on, so that one
// run finds all of them. Duplicate object keys are kept in order (encoding/json
// keeps the last); callers that care report them.
package jsonpos

import (
	"encoding/json"
	"fmt"
	"strconv"
	"unicode/utf16"
	"unicode/utf8"
	"unsafe"
)

// Kind is the JSON type of a value.
type Kind uint8

// The kinds.
const (
	Null Kind = iota
	Bool
	Number
	String
	Array
	Object
)

func (k Kind) String() string {
	return [...]string{"null", "boolean", "number", "string", "array", "object"}[k]
}

// Value is one JSON value.
type Value struct {
	Kind    Kind
	Bool    bool     // Bool
	Offset  int      // byte offset of the value's first byte
	End     int      // byte offset just after the value
	Str     string   // String: the decoded text; Number: the literal
	Elems   []*Value // Array
	Members []Member // Object, in source order, duplicates kept
}

// Member is one key/value pair of an object.
type Member struct {
	Key       string
	KeyOffset int
	Value     *Value
}

// Get returns the value of the last member named key (as encoding/json
// would), or nil.
func (v *Value) Get(key string) *Value {
	if v == nil || v.Kind != Object {
		return nil
	}
	for i := len(v.Members) - 1; i >= 0; i-- {
		if v.Members[i].Key == key {
			return v.Members[i].Value
		}
	}
	return nil
}

// Interface converts v to the Go values that encoding/json produces for
// `any` with Decoder.UseNumber: numbers are json.Number.
func (v *Value) Interface() any {
	switch v.Kind {
	case Null:
		return nil
	case Bool:
		return v.Bool
	case Number:
		return json.Number(v.Str)
	case String:
		return v.Str
	case Array:
		out := make([]any, len(v.Elems))
		for i, e := range v.Elems {
			out[i] = e.Interface()
		}
		return out
	default:
		out := make(map[string]any, len(v.Members))
		for _, m := range v.Members {
			out[m.Key] = m.Value.Interface()
		}
		return out
	}
}

// Error is a syntax error at a byte offset.
type Error struct {
	Offset int
	Msg    string
}

func (e *Error) Error() string { return fmt.Sprintf("offset %d: %s", e.Offset, e.Msg) }

// MaxDepth is the deepest nesting accepted, as in encoding/json.
const MaxDepth = 10000

// Parse parses data. It returns the root value (nil when the document is
// unusable) and every syntax error found. A document with errors may still
// have a root when the only errors were trailing commas.
func Parse(data []byte) (*Value, []*Error) {
	// One copy of the input as a string lets strings and numbers without
	// escapes be substrings of it instead of allocations of their own.
	return (&parser{data: data, src: string(data)}).parse()
}

// Parser parses documents one after another, each into the memory of the
// tree of the one before: what Parse returns is valid until the next
// Parse. A reader that is done with each tree before the next (a linter
// going through files) allocates little more than the text. The zero
// Parser is ready for use; it is not safe for concurrent use.
type Parser struct {
	values  [][]Value // slabs of values, members and elements, in the order used
	members [][]Member
	elems   [][]*Value
	stackM  []Member
	stackE  []*Value
}

// Parse is the package function Parse, into the memory of the last tree.
func (ps *Parser) Parse(data []byte) (*Value, []*Error) { return ps.parse(data, string(data)) }

// ParseShared is Parse without a copy of data: the tree's strings are
// data's bytes, so data must not change as long as the tree or a string
// of it is in use (a file read to be linted, which nothing writes).
func (ps *Parser) ParseShared(data []byte) (*Value, []*Error) {
	return ps.parse(data, unsafe.String(unsafe.SliceData(data), len(data)))
}

func (ps *Parser) parse(data []byte, src string) (*Value, []*Error) {
	p := &parser{data: data, src: src, reuse: ps, members: ps.stackM[:0], elems: ps.stackE[:0]}
	v, errs := p.parse()
	ps.stackM, ps.stackE = p.members[:0], p.elems[:0]
	return v, errs
}

func (p *parser) parse() (*Value, []*Error) {
	data := p.data
	p.skipSpace()
	if p.i >= len(data) {
		p.errorf(p.i, "unexpected end of JSON input")
		return nil, p.errs
	}
	v := p.value(0)
	if p.fatal {
		return nil, p.errs
	}
	p.skipSpace()
	if p.i < len(data) {
		p.errorf(p.i, "invalid character %s after top-level value", quoteChar(data[p.i:]))
		return nil, p.errs
	}
	return v, p.errs
}

type parser struct {
	reuse *Parser // when set, the slabs come from it
	used  [3]int  // how many of reuse's values, members and elems slabs are taken

	slab []Value // values are carved from here to save allocations
	// The members and elements of the objects and arrays being read are
	// stacked, and each closed one gets an exact slice of a shared slab:
	// no growing, few allocations.
	members    []Member
	elems      []*Value
	memberSlab []Member
	elemSlab   []*Value
	data       []byte
	src        string // data as a string
	i          int
	errs       []*Error
	fatal      bool
}

func (p *parser) errorf(off int, format string, args ...any) {
	p.errs = append(p.errs, &Error{Offset: off, Msg: fmt.Sprintf(format, args...)})
}

// fail records an error after which the document cannot be read further.
func (p *parser) fail(off int, format string, args ...any) *Value {
	p.errorf(off, format, args...)
	p.fatal = true
	return nil
}

// alloc returns a new value from the slab.
func (p *parser) alloc(v Value) *Value {
	if len(p.slab) == 0 {
		if p.reuse != nil {
			p.slab = take(&p.reuse.values, &p.used[0], 256)
		} else {
			// Small documents get a small slab; roughly one value per 24 bytes.
			p.slab = make([]Value, min(16, 1+len(p.data)/24))
		}
	}
	n := &p.slab[0]
	p.slab = p.slab[1:]
	*n = v
	return n
}

// slabSize is the size of a new slab that must hold at least n: larger
// for larger documents.
func (p *parser) slabSize(n int) int { return max(n, min(512, 1+len(p.data)/64)) }

// take returns the next of a Parser's slabs, or a new one of n when
// there is none of n or more.
func take[T any](slabs *[][]T, used *int, n int) []T {
	i := *used
	*used++
	if i < len(*slabs) && len((*slabs)[i]) >= n {
		return (*slabs)[i]
	}
	s := make([]T, n)
	if i < len(*slabs) {
		(*slabs)[i] = s
	} else {
		*slabs = append(*slabs, s)
	}
	return s
}

// keepMembers returns a copy of ms carved from the member slab.
func (p *parser) keepMembers(ms []Member) []Member {
	if len(p.memberSlab) < len(ms) {
		if p.reuse != nil {
			p.memberSlab = take(&p.reuse.members, &p.used[1], max(len(ms), 256))
		} else {
			p.memberSlab = make([]Member, p.slabSize(len(ms)))
		}
	}
	out := p.memberSlab[:len(ms):len(ms)]
	p.memberSlab = p.memberSlab[len(ms):]
	copy(out, ms)
	return out
}

// keepElems returns a copy of es carved from the element slab.
func (p *parser) keepElems(es []*Value) []*Value {
	if len(p.elemSlab) < len(es) {
		if p.reuse != nil {
			p.elemSlab = take(&p.reuse.elems, &p.used[2], max(len(es), 256))
		} else {
			p.elemSlab = make([]*Value, p.slabSize(len(es)))
		}
	}
	out := p.elemSlab[:len(es):len(es)]
	p.elemSlab = p.elemSlab[len(es):]
	copy(out, es)
	return out
}

func (p *parser) skipSpace() {
	for p.i < len(p.data) {
		switch p.data[p.i] {
		case ' ', '\t', '\n', '\r':
			p.i++
		default:
			return
		}
	}
}

func quoteChar(b []byte) string {
	r, _ := utf8.DecodeRune(b)
	if r == '\'' {
		return `'\''`
	}
	if r == '"' {
		return `'"'`
	}
	return strconv.QuoteRune(r)
}

func (p *parser) value(depth int) *Value {
	if p.i >= len(p.data) {
		return p.fail(p.i, "unexpected end of JSON input")
	}
	start := p.i
	switch c := p.data[p.i]; {
	case c == '{' || c == '[':
		if depth >= MaxDepth {
			return p.fail(p.i, "exceeded max depth")
		}
		if c == '{' {
			return p.object(depth)
		}
		return p.array(depth)
	case c == '"':
		s, ok := p.str()
		if !ok {
			return nil
		}
		return p.alloc(Value{Kind: String, Offset: start, End: p.i, Str: s})
	case c == '-' || ('0' <= c && c <= '9'):
		return p.number()
	case c == 't':
		return p.literal("true", Value{Kind: Bool, Bool: true})
	case c == 'f':
		return p.literal("false", Value{Kind: Bool})
	case c == 'n':
		return p.literal("null", Value{Kind: Null})
	default:
		return p.fail(p.i, "invalid character %s looking for beginning of value", quoteChar(p.data[p.i:]))
	}
}

func (p *parser) literal(word string, v Value) *Value {
	v.Offset = p.i
	for k := 0; k < len(word); k++ {
		if p.i >= len(p.data) {
			return p.fail(p.i, "unexpected end of JSON input")
		}
		if p.data[p.i] != word[k] {
			return p.fail(p.i, "invalid character %s in literal %s (expecting '%c')", quoteChar(p.data[p.i:]), word, word[k])
		}
		p.i++
	}
	v.End = p.i
	return p.alloc(v)
}

func isDigit(c byte) bool { return '0' <= c && c <= '9' }

func (p *parser) number() *Value {
	start := p.i
	d := p.data
	if d[p.i] == '-' {
		p.i++
		if p.i >= len(d) {
			return p.fail(p.i, "unexpected end of JSON input")
		}
		if !isDigit(d[p.i]) {
			return p.fail(p.i, "invalid character %s in numeric literal", quoteChar(d[p.i:]))
		}
	}
	if d[p.i] == '0' {
		p.i++
	} else {
		for p.i < len(d) && isDigit(d[p.i]) {
			p.i++
		}
	}
	if p.i < len(d) && d[p.i] == '.' {
		p.i++
		if p.i >= len(d) {
			return p.fail(p.i, "unexpected end of JSON input")
		}
		if !isDigit(d[p.i]) {
			return p.fail(p.i, "invalid character %s after decimal point in numeric literal", quoteChar(d[p.i:]))
		}
		for p.i < len(d) && isDigit(d[p.i]) {
			p.i++
		}
	}
	if p.i < len(d) && (d[p.i] == 'e' || d[p.i] == 'E') {
		p.i++
		if p.i < len(d) && (d[p.i] == '+' || d[p.i] == '-') {
			p.i++
		}
		if p.i >= len(d) {
			return p.fail(p.i, "unexpected end of JSON input")
		}
		if !isDigit(d[p.i]) {
			return p.fail(p.i, "invalid character %s in exponent of numeric literal", quoteChar(d[p.i:]))
		}
		for p.i < len(d) && isDigit(d[p.i]) {
			p.i++
		}
	}
	return p.alloc(Value{Kind: Number, Offset: start, End: p.i, Str: p.src[start:p.i]})
}

// str reads a string starting at the opening quote and returns its decoded
// text. Invalid UTF-8 and lone surrogates become U+FFFD, as in encoding/json.
func (p *parser) str() (string, bool) {
	d := p.data
	p.i++ // opening quote
	start := p.i
	// Fast path: no escapes, all ASCII or valid UTF-8.
	var high byte // the bits of every byte: ASCII when 0x80 is not among them
	for p.i < len(d) {
		c := d[p.i]
		if c == '"' {
			s := p.src[start:p.i]
			p.i++
			if high < utf8.RuneSelf || utf8.ValidString(s) {
				return s, true
			}
			p.i = start
			break
		}
		if c == '\\' || c < 0x20 {
			break
		}
		high |= c
		p.i++
	}
	if !utf8.Valid(d[start:p.i]) {
		p.i = start
	}
	buf := make([]byte, 0, p.i-start+16)
	buf = append(buf, d[start:p.i]...)
	for {
		if p.i >= len(d) {
			p.fail(p.i, "unexpected end of JSON input")
			return "", false
		}
		c := d[p.i]
		switch {
		case c == '"':
			p.i++
			return string(buf), true
		case c < 0x20:
			p.fail(p.i, "invalid character %s in string literal", quoteChar(d[p.i:]))
			return "", false
		case c == '\\':
			p.i++
			if p.i >= len(d) {
				p.fail(p.i, "unexpected end of JSON input")
				return "", false
			}
			switch e := d[p.i]; e {
			case '"', '\\', '/':
				buf = append(buf, e)
				p.i++
			case 'b':
				buf = append(buf, '\b')
				p.i++
			case 'f':
				buf = append(buf, '\f')
				p.i++
			case 'n':
				buf = append(buf, '\n')
				p.i++
			case 'r':
				buf = append(buf, '\r')
				p.i++
			case 't':
				buf = append(buf, '\t')
				p.i++
			case 'u':
				p.i++
				r, ok := p.hex4()
				if !ok {
					return "", false
				}
				if utf16.IsSurrogate(r) {
					// A high surrogate followed by \uDC00-\uDFFF makes one rune.
					if p.i+6 <= len(d) && d[p.i] == '\\' && d[p.i+1] == 'u' {
						save := p.i
						p.i += 2
						r2, ok := p.hex4()
						if !ok {
							return "", false
						}
						if dec := utf16.DecodeRune(r, r2); dec != utf8.RuneError {
							buf = utf8.AppendRune(buf, dec)
							continue
						}
						p.i = save
					}
					r = utf8.RuneError
				}
				buf = utf8.AppendRune(buf, r)
			default:
				p.fail(p.i, "invalid character %s in string escape code", quoteChar(d[p.i:]))
				return "", false
			}
		case c < utf8.RuneSelf:
			buf = append(buf, c)
			p.i++
		default:
			r, size := utf8.DecodeRune(d[p.i:])
			p.i += size
			buf = utf8.AppendRune(buf, r)
		}
	}
}

func (p *parser) hex4() (rune, bool) {
	var r rune
	for k := 0; k < 4; k++ {
		if p.i >= len(p.data) {
			p.fail(p.i, "unexpected end of JSON input")
			return 0, false
		}
		c := p.data[p.i]
		switch {
		case '0' <= c && c <= '9':
			r = r<<4 | rune(c-'0')
		case 'a' <= c && c <= 'f':
			r = r<<4 | rune(c-'a'+10)
		case 'A' <= c && c <= 'F':
			r = r<<4 | rune(c-'A'+10)
		default:
			p.fail(p.i, "invalid character %s in \\u hexadecimal character escape", quoteChar(p.data[p.i:]))
			return 0, false
		}
		p.i++
	}
	return r, true
}

// open starts the object or array at p.i; empty reports that it closes
// at once.
func (p *parser) open(kind Kind, closing byte) (v *Value, empty bool) {
	v = p.alloc(Value{Kind: kind, Offset: p.i})
	p.i++ // '{' or '['
	p.skipSpace()
	if p.i < len(p.data) && p.data[p.i] == closing {
		p.i++
		v.End = p.i
		return v, true
	}
	return v, false
}

func (p *parser) object(depth int) *Value {
	v, empty := p.open(Object, '}')
	if empty {
		return v
	}
	start := len(p.members)
	for {
		if p.i >= len(p.data) {
			return p.fail(p.i, "unexpected end of JSON input")
		}
		if p.data[p.i] != '"' {
			return p.fail(p.i, "invalid character %s looking for beginning of object key string", quoteChar(p.data[p.i:]))
		}
		keyOff := p.i
		key, ok := p.str()
		if !ok {
			return nil
		}
		p.skipSpace()
		if p.i >= len(p.data) {
			return p.fail(p.i, "unexpected end of JSON input")
		}
		if p.data[p.i] != ':' {
			return p.fail(p.i, "invalid character %s after object key", quoteChar(p.data[p.i:]))
		}
		p.i++
		p.skipSpace()
		val := p.value(depth + 1)
		if p.fatal {
			return nil
		}
		p.members = append(p.members, Member{Key: key, KeyOffset: keyOff, Value: val})
		if done, ok := p.next(v, '}', "object key:value pair"); !ok {
			return nil
		} else if done {
			v.Members = p.keepMembers(p.members[start:])
			clear(p.members[start:])
			p.members = p.members[:start]
			return v
		}
	}
}

// next moves past what follows a member or element of v: the closing
// bracket (done), a comma (not done), or a trailing comma before the
// closing bracket (reported, then done). Anything else is fatal (!ok).
func (p *parser) next(v *Value, closing byte, what string) (done, ok bool) {
	p.skipSpace()
	if p.i >= len(p.data) {
		p.fail(p.i, "unexpected end of JSON input")
		return false, false
	}
	switch p.data[p.i] {
	case closing:
		p.i++
		v.End = p.i
		return true, true
	case ',':
		comma := p.i
		p.i++
		p.skipSpace()
		if p.i < len(p.data) && p.data[p.i] == closing {
			p.errorf(comma, "trailing comma before '%c' (JSON does not allow it)", closing)
			p.i++
			v.End = p.i
			return true, true
		}
		return false, true
	}
	p.fail(p.i, "invalid character %s after %s", quoteChar(p.data[p.i:]), what)
	return false, false
}

func (p *parser) array(depth int) *Value {
	v, empty := p.open(Array, ']')
	if empty {
		return v
	}
	start := len(p.elems)
	for {
		p.skipSpace()
		val := p.value(depth + 1)
		if p.fatal {
			return nil
		}
		p.elems = append(p.elems, val)
		if done, ok := p.next(v, ']', "array element"); !ok {
			return nil
		} else if done {
			v.Elems = p.keepElems(p.elems[start:])
			clear(p.elems[start:])
			p.elems = p.elems[:start]
			return v
		}
	}
}
