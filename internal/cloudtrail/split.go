package cloudtrail

import (
	"bytes"
	"errors"
	"fmt"
	"io"
)

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

var errTooLarge = fmt.Errorf("a value larger than %d MiB", maxRecord>>20)

// newSplitter reads r; buf, when not nil, is a buffer to reuse.
func newSplitter(r io.Reader, buf []byte) *splitter {
	if len(buf) < 1<<20 {
		buf = make([]byte, 1<<20)
	}
	return &splitter{r: r, buf: buf, lastNL: -1}
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
			return errTooLarge
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

// peek returns the next byte that is not white space, without
// consuming it; at the end of the input it returns io.ErrUnexpectedEOF.
func (s *splitter) peek() (byte, error) {
	if err := s.skipSpace(); err != nil {
		return 0, err
	}
	return s.buf[s.pos], nil
}

// value cuts the next JSON value out of the stream without decoding it
// (valid until the next call): an object or array by its brackets, a
// string by its quotes, a number or literal up to the next delimiter. It
// tracks strings and nesting only, which is several times faster than
// decoding, so that records a filter rejects cost little; a value's
// syntax is checked in full only when it is decoded or validated. A value
// is at most maxRecord bytes, which bounds memory on hostile input.
func (s *splitter) value(what string) ([]byte, error) {
	c, err := s.peek()
	if err != nil {
		return nil, err
	}
	// i is relative to s.pos so that it survives compaction.
	depth, inString, scalar, i := 0, false, false, 0
	switch c {
	case '{', '[':
	case '"':
		inString, i = true, 1
	default:
		scalar = true
	}
	for {
		b := s.buf[s.pos:s.end]
		for ; i < len(b); i++ {
			if inString {
				// Jump to the next quote; it ends the string unless an odd
				// number of backslashes precedes it. The value's bytes
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
					if depth == 0 {
						return s.cut(i + 1), nil
					}
				}
				continue
			}
			if scalar {
				switch b[i] {
				case ' ', '\t', '\n', '\r', ',', ':', '}', ']', '{', '[', '"':
					return s.cut(i), nil
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
					if (c == '}') != (b[0] == '{') {
						return nil, s.errAt(s.pos+i, errors.New("unbalanced brackets"))
					}
					return s.cut(i + 1), nil
				}
			}
		}
		if err := s.fill(); err != nil {
			if err == io.ErrUnexpectedEOF {
				if scalar && i > 0 {
					return s.cut(i), nil
				}
				return nil, s.errAt(s.pos, errors.New("truncated "+what))
			}
			if err == errTooLarge {
				return nil, s.errAt(s.pos, err)
			}
			return nil, err
		}
	}
}

// cut returns the n bytes at s.pos and moves past them.
func (s *splitter) cut(n int) []byte {
	v := s.buf[s.pos : s.pos+n]
	s.recStart = s.pos
	s.pos += n
	return v
}
