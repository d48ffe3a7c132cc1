package cloudtrail

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strconv"
)

// Decode streams the records of one log document: {"Records": [...]} as
// S3 delivers it, or the JSON of aws cloudtrail lookup-events ({"Events":
// [{"CloudTrailEvent": "..."}]}), members in any order. It returns the
// number of records seen. Memory is bounded by the largest value (at most
// 64 MiB), not by the document.
func Decode(r io.Reader, fn func(*Record) error) (int, error) {
	return decode(r, nil, nil, fn)
}

// decode reads a log document with one streaming parser: the members of
// the top-level object are cut out one by one; the elements of Records
// and Events are cut out and decoded one at a time, others are checked
// with json.Valid. Everything up to the end of the input is read, so that
// a damaged end (a gzip checksum, a truncated object) is an error. buf,
// when not nil, holds a buffer to reuse and gets the one used.
func decode(r io.Reader, buf *[]byte, keep Filter, fn func(*Record) error) (int, error) {
	var b []byte
	if buf != nil {
		b = *buf
	}
	d := &document{s: newSplitter(r, b), keep: keep, fn: fn}
	err := d.read()
	if buf != nil {
		*buf = d.s.buf
	}
	return d.n, err
}

type document struct {
	s     *splitter
	keep  Filter
	fn    func(*Record) error
	dec   recordDecoder
	n     int    // records seen
	event []byte // the last CloudTrailEvent, unescaped; reused
}

// eof turns the end of the input into a positioned error.
func (d *document) eof(err error, msg string) error {
	if err == io.ErrUnexpectedEOF {
		return d.s.errAt(d.s.end, errors.New(msg))
	}
	return d.wrap(err)
}

// wrap says how far the read got.
func (d *document) wrap(err error) error {
	var pe *PosError
	if errors.As(err, &pe) {
		if _, stop := err.(stopError); !stop {
			pe.Err = fmt.Errorf("truncated or corrupt JSON after %d records: %w", d.n, pe.Err)
			return pe
		}
		return err
	}
	if _, stop := err.(stopError); stop {
		return err
	}
	return fmt.Errorf("truncated or corrupt JSON after %d records: %w", d.n, err)
}

func (d *document) read() error {
	s := d.s
	c, err := s.peek()
	if err == io.ErrUnexpectedEOF {
		return errors.New("not JSON: empty")
	}
	if err != nil {
		return err
	}
	if c != '{' {
		return s.errAt(s.pos, errors.New("not a CloudTrail log: want a JSON object with Records or Events"))
	}
	s.pos++
	for first := true; ; first = false {
		c, err := s.peek()
		if err != nil {
			return d.eof(err, "truncated JSON: the log object is not closed")
		}
		if c == '}' && first {
			s.pos++
			break
		}
		if !first {
			if c == '}' {
				s.pos++
				break
			}
			if c != ',' {
				return d.wrap(s.errAt(s.pos, fmt.Errorf("want ',' or '}' after a member, found %q", c)))
			}
			s.pos++
			if c, err = s.peek(); err != nil {
				return d.eof(err, "truncated JSON: the log object is not closed")
			}
		}
		if c != '"' {
			return d.wrap(s.errAt(s.pos, fmt.Errorf("want a member name, found %q", c)))
		}
		kb, err := s.value("member name")
		if err != nil {
			return d.eof(err, "truncated JSON")
		}
		var key string
		if bytes.IndexByte(kb, '\\') < 0 {
			key = string(kb[1 : len(kb)-1])
		} else if err := json.Unmarshal(kb, &key); err != nil {
			return d.wrap(s.errAt(s.recStart, fmt.Errorf("corrupt member name: %v", err)))
		}
		if c, err = s.peek(); err != nil {
			return d.eof(err, "truncated JSON")
		}
		if c != ':' {
			return d.wrap(s.errAt(s.pos, fmt.Errorf("want ':' after %q, found %q", key, c)))
		}
		s.pos++
		switch key {
		case "Records", "Events":
			if err := d.array(key); err != nil {
				return err
			}
		default:
			v, err := s.value("value of " + strconv.Quote(key))
			if err != nil {
				return d.eof(err, "truncated JSON")
			}
			if !json.Valid(v) {
				return d.wrap(s.errAt(s.recStart, fmt.Errorf("corrupt value of %q", key)))
			}
		}
	}
	// Read to the end: only white space may follow, and a compressed
	// file's checksum is checked there.
	if err := s.skipSpace(); err == nil {
		return d.wrap(s.errAt(s.pos, errors.New("data after the log object")))
	} else if err != io.ErrUnexpectedEOF {
		return d.wrap(err)
	}
	return nil
}

// array reads the list of records (Records) or events (Events).
func (d *document) array(key string) error {
	s := d.s
	c, err := s.peek()
	if err != nil {
		return d.eof(err, "truncated JSON")
	}
	if c != '[' {
		return d.wrap(s.errAt(s.pos, fmt.Errorf("%s must be a list", key)))
	}
	s.pos++
	for first := true; ; first = false {
		c, err := s.peek()
		if err != nil {
			return d.eof(err, "truncated JSON: the list of "+key+" is not closed")
		}
		if c == ']' && first {
			s.pos++
			return nil
		}
		if !first {
			if c == ']' {
				s.pos++
				return nil
			}
			if c != ',' {
				return d.wrap(s.errAt(s.pos, fmt.Errorf("want ',' or ']' after record %d, found %q", d.n, c)))
			}
			s.pos++
			if c, err = s.peek(); err != nil {
				return d.eof(err, "truncated JSON: the list of "+key+" is not closed")
			}
		}
		if c != '{' {
			return d.wrap(s.errAt(s.pos, fmt.Errorf("want a record object, found %q", c)))
		}
		raw, err := s.value("record")
		if err != nil {
			if err == io.ErrUnexpectedEOF {
				return d.wrap(s.errAt(s.pos, errors.New("truncated record")))
			}
			return d.wrap(err)
		}
		d.n++
		if key == "Events" {
			rec, found, err := cloudTrailEvent(raw, d.event[:0])
			if err != nil {
				return s.errAt(s.recStart+offsetIn(err), fmt.Errorf("corrupt event %d: %w", d.n, err))
			}
			if !found {
				return s.errAt(s.recStart, fmt.Errorf("event %d has no CloudTrailEvent", d.n))
			}
			d.event, raw = rec, rec
		}
		if d.keep != nil && !d.keep(raw) {
			continue
		}
		// A record that is used is proven whole: the decoder skips the
		// values of the fields Record does not have without checking them.
		if !valid(raw) {
			var v any
			err := json.Unmarshal(raw, &v)
			if key == "Events" {
				return s.errAt(s.recStart, fmt.Errorf("event %d: CloudTrailEvent is not a record: %w", d.n, err))
			}
			d.n--
			return s.errAt(s.recStart+offsetIn(err), fmt.Errorf("corrupt record %d: %w", d.n+1, err))
		}
		var rec Record
		if err := d.dec.decode(raw, &rec); err != nil {
			if key == "Events" {
				return s.errAt(s.recStart, fmt.Errorf("event %d: CloudTrailEvent is not a record: %w", d.n, err))
			}
			d.n-- // the records before the damage
			return s.errAt(s.recStart+offsetIn(err), fmt.Errorf("corrupt record %d: %w", d.n+1, err))
		}
		rec.size = len(raw)
		if err := d.fn(&rec); err != nil {
			return stopError{err}
		}
	}
}

// cloudTrailEvent returns the record of a lookup-events event: its
// CloudTrailEvent string, unescaped into buf, as encoding/json would
// decode it (found is false when there is none or it is null). The usual
// event is walked and unescaped without encoding/json; anything unusual
// falls back to it.
func cloudTrailEvent(raw, buf []byte) (rec []byte, found bool, err error) {
	var val []byte
	ok, err := walkObject(raw, func(key, v []byte) error {
		if fold(key, "CloudTrailEvent") {
			val = v // encoding/json keeps the last
			return nil
		}
		return checkOther(v)
	})
	if ok && err == nil && len(val) >= 2 && val[0] == '"' {
		if rec, ok := unescape(val[1:len(val)-1], buf); ok {
			return rec, true, nil
		}
	}
	var ev struct {
		CloudTrailEvent *string `json:"CloudTrailEvent"`
	}
	if err := json.Unmarshal(raw, &ev); err != nil {
		return nil, false, err
	}
	if ev.CloudTrailEvent == nil {
		return nil, false, nil
	}
	return append(buf, *ev.CloudTrailEvent...), true, nil
}

// unescape appends the JSON string body s, unescaped, to buf. It handles
// ASCII with the short escapes, and reports false for anything else
// (\u escapes, non-ASCII, control characters), which encoding/json
// decodes instead.
func unescape(s, buf []byte) ([]byte, bool) {
	for len(s) > 0 {
		i := bytes.IndexByte(s, '\\')
		if i < 0 {
			i = len(s)
		}
		for _, c := range s[:i] {
			if c < 0x20 || c >= 0x80 || c == '"' {
				return nil, false
			}
		}
		buf = append(buf, s[:i]...)
		if i == len(s) {
			break
		}
		if i+1 >= len(s) {
			return nil, false
		}
		switch c := s[i+1]; c {
		case '"', '\\', '/':
			buf = append(buf, c)
		case 'n':
			buf = append(buf, '\n')
		case 't':
			buf = append(buf, '\t')
		case 'r':
			buf = append(buf, '\r')
		case 'b':
			buf = append(buf, '\b')
		case 'f':
			buf = append(buf, '\f')
		default:
			return nil, false
		}
		s = s[i+2:]
	}
	return buf, true
}
