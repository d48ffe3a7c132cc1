package cloudtrail

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
)

// recordsPrefix reports whether head starts a CloudTrail log file as S3
// delivers it: {"Records":[ with optional white space. It returns the
// length of that prefix.
func recordsPrefix(head []byte) (int, bool) {
	i := skipSpace(head, 0)
	if i >= len(head) || head[i] != '{' {
		return 0, false
	}
	i = skipSpace(head, i+1)
	const key = `"Records"`
	if !bytes.HasPrefix(head[i:], []byte(key)) {
		return 0, false
	}
	i = skipSpace(head, i+len(key))
	if i >= len(head) || head[i] != ':' {
		return 0, false
	}
	i = skipSpace(head, i+1)
	if i >= len(head) || head[i] != '[' {
		return 0, false
	}
	return i + 1, true
}

func skipSpace(b []byte, i int) int {
	for i < len(b) && (b[i] == ' ' || b[i] == '\n' || b[i] == '\r' || b[i] == '\t') {
		i++
	}
	return i
}

// splitter cuts the elements of a JSON array of objects out of a stream
// without decoding them: it tracks strings and nesting only, which is
// several times faster than decoding, so that records a filter rejects
// cost little. An element's syntax is checked in full only when it is
// decoded; the splitter rejects unbalanced or truncated input.
type splitter struct {
	r   io.Reader
	buf []byte
	pos int // start of the unread bytes in buf
	end int // end of the valid bytes in buf
	eof bool
	// Where buf[0] is in the input, for error positions: its offset, the
	// newlines before it and the offset of the last of them (-1: none).
	base, lastNL int64
	lines        int
	recStart     int // buf index of the last record returned
}

const maxRecord = 64 << 20 // CloudTrail caps events far lower; this bounds memory on hostile input

// newSplitter reads the array's elements from head[skip:] and then r;
// head[:skip] is what came before them.
func newSplitter(r io.Reader, head []byte, skip int) *splitter {
	initial := head[skip:]
	buf := make([]byte, max(1<<20, len(initial)))
	n := copy(buf, initial)
	s := &splitter{r: r, buf: buf, end: n, lastNL: -1}
	s.account(head[:skip])
	return s
}

// account moves the start of the buffer past consumed bytes.
func (s *splitter) account(consumed []byte) {
	s.lines += bytes.Count(consumed, []byte{'\n'})
	if k := bytes.LastIndexByte(consumed, '\n'); k >= 0 {
		s.lastNL = s.base + int64(k)
	}
	s.base += int64(len(consumed))
}

// PosError is an error at a line and column (1-based, in bytes) of a log
// file's JSON, decompressed.
type PosError struct {
	Line, Col int
	Err       error
}

func (e *PosError) Error() string { return fmt.Sprintf("%d:%d: %v", e.Line, e.Col, e.Err) }
func (e *PosError) Unwrap() error { return e.Err }

// errAt places err at buffer index i.
func (s *splitter) errAt(i int, err error) *PosError {
	i = min(max(i, 0), s.end)
	seg := s.buf[:i]
	line := s.lines + bytes.Count(seg, []byte{'\n'}) + 1
	var col int
	if k := bytes.LastIndexByte(seg, '\n'); k >= 0 {
		col = i - k
	} else {
		col = int(s.base + int64(i) - s.lastNL)
	}
	return &PosError{Line: line, Col: col, Err: err}
}

// fill reads more input, compacting or growing the buffer.
func (s *splitter) fill() error {
	if s.eof {
		return io.ErrUnexpectedEOF
	}
	if s.pos > 0 {
		s.account(s.buf[:s.pos])
		n := copy(s.buf, s.buf[s.pos:s.end])
		s.pos, s.end = 0, n
	}
	if s.end == len(s.buf) {
		if len(s.buf) >= maxRecord {
			return fmt.Errorf("a record larger than %d MiB", maxRecord>>20)
		}
		nb := make([]byte, 2*len(s.buf))
		copy(nb, s.buf[:s.end])
		s.buf = nb
	}
	n, err := s.r.Read(s.buf[s.end:])
	s.end += n
	if err == io.EOF {
		s.eof = true
		if n == 0 {
			return io.ErrUnexpectedEOF
		}
		return nil
	}
	return err
}

// skipSpace moves past white space, reading more as needed, and fails at
// the end of the input.
func (s *splitter) skipSpace() error {
	for {
		s.pos = skipSpace(s.buf[:s.end], s.pos)
		if s.pos < s.end {
			return nil
		}
		if err := s.fill(); err != nil {
			return err
		}
	}
}

// next returns the next element of the array (valid until the next call),
// or nil at the closing bracket.
func (s *splitter) next() ([]byte, error) {
	// Separator: white space, then ',' or ']' (or the first element).
	if err := s.skipSpace(); err != nil {
		return nil, err
	}
	switch s.buf[s.pos] {
	case ']':
		s.pos++
		return nil, nil
	case ',':
		s.pos++
		if err := s.skipSpace(); err != nil {
			return nil, err
		}
	}
	if s.buf[s.pos] != '{' {
		return nil, s.errAt(s.pos, fmt.Errorf("want a record object, found %q", s.buf[s.pos]))
	}
	// Scan to the matching '}'; i is relative to s.pos so that it survives
	// compaction.
	depth, inString, i := 0, false, 0
	for {
		b := s.buf[s.pos:s.end]
		for ; i < len(b); i++ {
			if inString {
				// Jump to the next quote; it ends the string unless an odd
				// number of backslashes precedes it. The record's bytes
				// stay in the buffer, so looking back is always possible.
				j := bytes.IndexByte(b[i:], '"')
				if j < 0 {
					i = len(b)
					break
				}
				i += j
				k := i - 1
				for k >= 0 && b[k] == '\\' {
					k--
				}
				if (i-1-k)%2 == 0 {
					inString = false
				}
				continue
			}
			switch c := b[i]; c {
			case '"':
				inString = true
			case '{', '[':
				depth++
			case '}', ']':
				depth--
				if depth == 0 {
					if c != '}' {
						return nil, s.errAt(s.pos+i, errors.New("unbalanced brackets in a record"))
					}
					rec := b[:i+1]
					s.recStart = s.pos
					s.pos += i + 1
					return rec, nil
				}
			}
		}
		if err := s.fill(); err != nil {
			if err == io.ErrUnexpectedEOF {
				return nil, s.errAt(s.pos, errors.New("truncated record"))
			}
			return nil, err
		}
	}
}

// rest checks what follows the array: the object's end, or more members.
func (s *splitter) rest() error {
	var tail bytes.Buffer
	tail.Write(s.buf[s.pos:s.end])
	if !s.eof {
		if _, err := io.Copy(&tail, io.LimitReader(s.r, maxRecord)); err != nil {
			return err
		}
	}
	// JSON's white space only: bytes.TrimSpace would take '\f' and others.
	t := tail.Bytes()
	t = t[skipSpace(t, 0):]
	at := s.errAt(s.pos, nil)
	fail := func(msg string) error { at.Err = errors.New(msg); return at }
	switch {
	case len(t) == 0:
		return fail("truncated JSON: the log object is not closed")
	case t[0] == '}' && skipSpace(t, 1) == len(t):
		return nil
	case t[0] == ',' && skipSpace(t, 1) < len(t) && t[skipSpace(t, 1)] == '"':
		// More members after Records: check they are well formed.
		if !json.Valid(append([]byte{'{'}, t[1:]...)) {
			return fail("corrupt JSON after the records")
		}
		return nil
	}
	return fail("corrupt JSON after the records")
}
