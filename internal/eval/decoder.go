package eval

import (
	"math/bits"
	"strings"
	"unicode/utf8"

	"github.com/iamfit/iamfit/internal/catalog"
)

// A RequestDecoder reads many requests, one JSON document each, as
// DecodeRequest does, reusing one Request and its context's storage: a
// request of the usual shape (the documented fields, strings without
// escapes) is read without allocating, by a scanner over that shape; any
// other document, and every invalid one, is read by DecodeRequest, so
// that the result and the errors are always DecodeRequest's. A
// RequestDecoder is not safe for concurrent use.
type RequestDecoder struct {
	cat *catalog.Catalog
	r   Request
	ctx Context
	// vals is the storage of ctx's values, reused from request to request.
	vals []ContextValue
	// keys caches what a context key name says (its lower case, whether
	// the catalog makes it multivalued), for the names seen so far.
	keys map[string]keyInfo
	memo requestMemo
}

type keyInfo struct {
	lc    string
	multi bool
}

// maxCachedKeys bounds the decoder's cache of context key names.
const maxCachedKeys = 1024

// NewRequestDecoder returns a decoder; cat may be nil, as for DecodeRequest.
func NewRequestDecoder(cat *catalog.Catalog) *RequestDecoder {
	return &RequestDecoder{cat: cat, ctx: Context{m: map[string]*ContextValue{}}, keys: map[string]keyInfo{}}
}

// Decode reads one request. The Request is the decoder's and is valid
// until the next call to Decode; the strings it holds are substrings of
// doc.
func (d *RequestDecoder) Decode(doc string) (*Request, error) {
	if r, ok := d.fast(doc); ok {
		return r, nil
	}
	return DecodeRequest([]byte(doc), d.cat)
}

// fast reads doc if it has the usual shape and is valid; ok is false
// otherwise, and the caller decodes it again the general way.
func (d *RequestDecoder) fast(doc string) (*Request, bool) {
	s := scanner{s: doc}
	r := &d.r
	r.reset(&d.memo)
	hasContext := false
	s.space()
	if !s.byte('{') {
		return nil, false
	}
	s.space()
	if !s.byte('}') {
		for {
			key, ok := s.str()
			if !ok {
				return nil, false
			}
			s.space()
			if !s.byte(':') {
				return nil, false
			}
			s.space()
			switch key {
			case "principal":
				r.Principal, ok = s.str()
			case "action":
				r.Action, ok = s.str()
			case "resource":
				r.Resource, ok = s.str()
			case "resourceAccount":
				r.ResourceAccount, ok = s.str()
			case "anonymous":
				r.Anonymous, ok = s.boolean()
			case "context":
				hasContext, ok = true, d.context(&s)
			default:
				ok = false
			}
			if !ok {
				return nil, false
			}
			s.space()
			if s.byte('}') {
				break
			}
			if !s.byte(',') {
				return nil, false
			}
			s.space()
		}
	}
	s.space()
	if s.i != len(s.s) {
		return nil, false
	}
	if hasContext {
		r.Context = &d.ctx
	}
	if r.Validate() != nil {
		return nil, false
	}
	return r, true
}

// context reads the "context" object into d.ctx, replacing what an earlier
// "context" member set.
func (d *RequestDecoder) context(s *scanner) bool {
	clear(d.ctx.m)
	d.vals = d.vals[:0]
	if !s.byte('{') {
		return false
	}
	s.space()
	if s.byte('}') {
		return true
	}
	for {
		name, ok := s.str()
		if !ok {
			return false
		}
		s.space()
		if !s.byte(':') {
			return false
		}
		s.space()
		if len(d.vals) == cap(d.vals) {
			// The map holds pointers into vals: a larger array must not
			// leave it pointing into the old one.
			d.vals = append(d.vals[:cap(d.vals)], make([]ContextValue, 4+cap(d.vals))...)[:len(d.vals)]
			for k := range d.ctx.m {
				delete(d.ctx.m, k)
			}
			for i := range d.vals {
				d.ctx.m[d.key(d.vals[i].Name).lc] = &d.vals[i]
			}
		}
		d.vals = d.vals[:len(d.vals)+1]
		cv := &d.vals[len(d.vals)-1]
		values := cv.Values[:0]
		*cv = ContextValue{Name: name}
		if s.byte('[') {
			cv.Multi = true
			s.space()
			if !s.byte(']') {
				for {
					v, ok := s.scalar()
					if !ok {
						return false
					}
					values = append(values, v)
					s.space()
					if s.byte(']') {
						break
					}
					if !s.byte(',') {
						return false
					}
					s.space()
				}
			}
		} else {
			v, ok := s.scalar()
			if !ok {
				return false
			}
			values = append(values, v)
		}
		cv.Values = values
		k := d.key(name)
		if k.multi {
			cv.Multi = true
		}
		d.ctx.m[k.lc] = cv
		s.space()
		if s.byte('}') {
			return true
		}
		if !s.byte(',') {
			return false
		}
		s.space()
	}
}

// key is what the context key name says, cached.
func (d *RequestDecoder) key(name string) keyInfo {
	if k, ok := d.keys[name]; ok {
		return k
	}
	k := keyInfo{lc: strings.ToLower(name)}
	if d.cat != nil {
		if ck := d.cat.ConditionKey(name); ck != nil && ck.Type.Multivalued() {
			k.multi = true
		}
	}
	if len(d.keys) < maxCachedKeys {
		// The name is a substring of a document: a copy of its own keeps
		// the document collectable.
		d.keys[strings.Clone(name)] = k
	}
	return k
}

// scanner reads JSON of the requests' shape from a string.
type scanner struct {
	s string
	i int
}

func (s *scanner) space() {
	for s.i < len(s.s) {
		switch s.s[s.i] {
		case ' ', '\t', '\n', '\r':
			s.i++
		default:
			return
		}
	}
}

// byte consumes c if it is next.
func (s *scanner) byte(c byte) bool {
	if s.i < len(s.s) && s.s[s.i] == c {
		s.i++
		return true
	}
	return false
}

// str reads a string without escapes or control characters, valid UTF-8.
func (s *scanner) str() (string, bool) {
	if !s.byte('"') {
		return "", false
	}
	doc, start, i := s.s, s.i, s.i
	ascii := true
	for {
		if i+8 <= len(doc) {
			// Eight bytes at a time, to the first that needs a look: a
			// quote, a backslash, a control character or a byte of a
			// multi-byte rune.
			b := doc[i : i+8]
			_ = b[7]
			w := uint64(b[0]) | uint64(b[1])<<8 | uint64(b[2])<<16 | uint64(b[3])<<24 |
				uint64(b[4])<<32 | uint64(b[5])<<40 | uint64(b[6])<<48 | uint64(b[7])<<56
			m := specialBytes(w)
			if m == 0 {
				i += 8
				continue
			}
			i += bits.TrailingZeros64(m) / 8
		} else if i >= len(doc) {
			s.i = i
			return "", false
		}
		switch c := doc[i]; {
		case c == '"':
			s.i = i + 1
			v := doc[start:i]
			return v, ascii || utf8.ValidString(v)
		case c == '\\' || c < 0x20:
			s.i = i
			return "", false
		case c >= utf8.RuneSelf:
			ascii = false
		}
		i++
	}
}

// specialBytes marks, in the high bit of each byte, the bytes of w (a
// little-endian word of a document) that a string scan must look at: a
// quote, a backslash, a control character (below 0x20) or a byte that is
// not ASCII. The lowest byte marked is the first such byte; the marks
// above it may be wrong. A byte of x is zero where the byte of w is the
// one tested for, and (x - 0x01...) &^ x & 0x80... marks the zero bytes of
// x, (w - 0x20...) &^ w & 0x80... the bytes of w below 0x20, exactly up to
// the first (Warren, Hacker's Delight, "Find First 0-Byte").
func specialBytes(w uint64) uint64 {
	const ones, highs = 0x0101010101010101, 0x8080808080808080
	quote := w ^ (ones * '"')
	backslash := w ^ (ones * '\\')
	return ((quote-ones)&^quote | (backslash-ones)&^backslash | (w-ones*0x20)&^w | w) & highs
}

func (s *scanner) boolean() (bool, bool) {
	switch {
	case strings.HasPrefix(s.s[s.i:], "true"):
		s.i += 4
		return true, true
	case strings.HasPrefix(s.s[s.i:], "false"):
		s.i += 5
		return false, true
	}
	return false, false
}

// scalar reads a context value: a string, a boolean or a number (its
// literal text), as contextFromJSON takes them.
func (s *scanner) scalar() (string, bool) {
	if s.i >= len(s.s) {
		return "", false
	}
	switch c := s.s[s.i]; {
	case c == '"':
		return s.str()
	case c == 't' || c == 'f':
		b, ok := s.boolean()
		if b {
			return "true", ok
		}
		return "false", ok
	case c == '-' || isDigit(c):
		return s.number()
	}
	return "", false
}

func isDigit(c byte) bool { return '0' <= c && c <= '9' }

// number reads a JSON number literal.
func (s *scanner) number() (string, bool) {
	start := s.i
	digits := func() bool {
		n := s.i
		for s.i < len(s.s) && isDigit(s.s[s.i]) {
			s.i++
		}
		return s.i > n
	}
	s.byte('-')
	switch {
	case s.byte('0'):
	case !digits():
		return "", false
	}
	if s.byte('.') && !digits() {
		return "", false
	}
	if s.byte('e') || s.byte('E') {
		if !s.byte('+') {
			s.byte('-')
		}
		if !digits() {
			return "", false
		}
	}
	return s.s[start:s.i], true
}
