package cloudtrail

import (
	"bytes"
	"encoding/json"
	"unicode/utf8"
)

// recordDecoder decodes records; it interns the strings that repeat from
// record to record (event names, regions, ARNs), so that they are not
// allocated again. It is not safe for concurrent use.
type recordDecoder struct {
	strs map[string]string
}

// decodeRecord decodes one record with a fresh decoder.
func decodeRecord(raw []byte, rec *Record) error {
	var d recordDecoder
	return d.decode(raw, rec)
}

// decode decodes one record as json.Unmarshal into Record would,
// but walks the top-level object itself: values of fields Record does
// not use (responseElements, tlsDetails, additionalEventData, ...) are
// skipped by their brackets and quotes instead of being decoded, which
// is most of a record's bytes. Anything unusual (escapes, invalid UTF-8,
// non-string values) falls back to encoding/json for that field, so the
// result and the errors are encoding/json's; FuzzRecord checks this.
func (d *recordDecoder) decode(raw []byte, rec *Record) error {
	ok, err := walkObject(raw, func(key, val []byte) error { return d.setField(rec, key, val) })
	if !ok {
		*rec = Record{}
		return json.Unmarshal(raw, rec)
	}
	return err
}

// walkObject calls fn with each member of the JSON object raw, the value
// as its raw bytes. It returns false when raw is not a plain object it can
// walk (escaped or non-ASCII keys, bad structure): the caller then falls
// back to encoding/json.
func walkObject(raw []byte, fn func(key, val []byte) error) (bool, error) {
	i := skipSpace(raw, 0)
	if i >= len(raw) || raw[i] != '{' {
		return false, nil
	}
	i = skipSpace(raw, i+1)
	if i < len(raw) && raw[i] == '}' {
		return skipSpace(raw, i+1) == len(raw), nil
	}
	for {
		if i >= len(raw) || raw[i] != '"' {
			return false, nil
		}
		end := stringEnd(raw, i)
		if end < 0 {
			return false, nil
		}
		key := raw[i+1 : end-1]
		if !plainKey(key) {
			return false, nil // encoding/json folds such keys its own way
		}
		i = skipSpace(raw, end)
		if i >= len(raw) || raw[i] != ':' {
			return false, nil
		}
		i = skipSpace(raw, i+1)
		vend := valueEnd(raw, i)
		if vend < 0 {
			return false, nil
		}
		if err := fn(key, raw[i:vend]); err != nil {
			return true, err
		}
		i = skipSpace(raw, vend)
		if i >= len(raw) {
			return false, nil
		}
		switch raw[i] {
		case ',':
			i = skipSpace(raw, i+1)
		case '}':
			return skipSpace(raw, i+1) == len(raw), nil
		default:
			return false, nil
		}
	}
}

// stringEnd returns the index after the closing quote of the string
// starting at raw[i], or -1.
func stringEnd(raw []byte, i int) int {
	for j := i + 1; j < len(raw); {
		k := bytes.IndexByte(raw[j:], '"')
		if k < 0 {
			return -1
		}
		j += k
		b := j - 1
		for b > i && raw[b] == '\\' {
			b--
		}
		if (j-1-b)%2 == 0 {
			return j + 1
		}
		j++
	}
	return -1
}

// valueEnd returns the index after the JSON value starting at raw[i], or
// -1. It checks brackets and quotes, not the syntax inside; a value that
// matters is decoded by encoding/json, which checks it.
func valueEnd(raw []byte, i int) int {
	if i >= len(raw) {
		return -1
	}
	switch raw[i] {
	case '"':
		return stringEnd(raw, i)
	case '{', '[':
		depth := 0
		for j := i; j < len(raw); j++ {
			switch raw[j] {
			case '"':
				e := stringEnd(raw, j)
				if e < 0 {
					return -1
				}
				j = e - 1
			case '{', '[':
				depth++
			case '}', ']':
				depth--
				if depth == 0 {
					return j + 1
				}
			}
		}
		return -1
	}
	// A literal: number, true, false, null.
	j := i
	for j < len(raw) && raw[j] != ',' && raw[j] != '}' && raw[j] != ']' && raw[j] != ' ' && raw[j] != '\n' && raw[j] != '\t' && raw[j] != '\r' {
		j++
	}
	if j == i {
		return -1
	}
	return j
}

// setField stores a top-level value. Keys match case-insensitively, as
// encoding/json matches them.
func (d *recordDecoder) setField(rec *Record, key, val []byte) error {
	var s *string
	switch {
	case fold(key, "eventSource"):
		s = &rec.EventSource
	case fold(key, "eventName"):
		s = &rec.EventName
	case fold(key, "awsRegion"):
		s = &rec.AWSRegion
	case fold(key, "errorCode"):
		s = &rec.ErrorCode
	case fold(key, "errorMessage"):
		s = &rec.ErrorMessage
	case fold(key, "recipientAccountId"):
		s = &rec.RecipientAccount
	case fold(key, "eventTime"):
		if isString(val) {
			return rec.EventTime.UnmarshalJSON(val) // what encoding/json calls
		}
		return unmarshalField(val, &rec.EventTime)
	case fold(key, "userIdentity"):
		return d.decodeIdentity(val, &rec.UserIdentity)
	case fold(key, "resources"):
		return d.decodeResources(val, rec)
	case fold(key, "requestParameters"):
		// Kept raw and decoded on use, as json.RawMessage would be; the
		// copy outlives the read buffer.
		if !json.Valid(val) {
			return unmarshalField(val, &rec.RawParameters)
		}
		rec.RawParameters = append(rec.RawParameters[:0:0], val...)
		return nil
	default:
		return checkOther(val)
	}
	return d.setString(s, val)
}

// isString reports whether val is a string without escapes or invalid
// UTF-8, whose bytes are its value.
func isString(val []byte) bool {
	return len(val) >= 2 && val[0] == '"' && bytes.IndexByte(val, '\\') < 0 && utf8.Valid(val)
}

func (d *recordDecoder) setString(s *string, val []byte) error {
	if isString(val) {
		*s = d.intern(val[1 : len(val)-1])
		return nil
	}
	return unmarshalField(val, s)
}

// decodeIdentity decodes userIdentity as encoding/json would.
func (d *recordDecoder) decodeIdentity(val []byte, id *UserIdentity) error {
	if len(val) == 0 || val[0] != '{' {
		return unmarshalField(val, id)
	}
	ok, err := walkObject(val, func(key, v []byte) error {
		switch {
		case fold(key, "type"):
			return d.setString(&id.Type, v)
		case fold(key, "principalId"):
			return d.setString(&id.PrincipalID, v)
		case fold(key, "arn"):
			return d.setString(&id.ARN, v)
		case fold(key, "accountId"):
			return d.setString(&id.AccountID, v)
		case fold(key, "userName"):
			return d.setString(&id.UserName, v)
		case fold(key, "identityProvider"):
			return d.setString(&id.IdentityProvider, v)
		case fold(key, "sessionContext"):
			return d.decodeSession(v, id)
		}
		return checkOther(v)
	})
	if !ok {
		return json.Unmarshal(val, id)
	}
	return err
}

// decodeSession decodes userIdentity.sessionContext as encoding/json
// would; only sessionIssuer.arn is kept.
func (d *recordDecoder) decodeSession(val []byte, id *UserIdentity) error {
	if len(val) == 0 || val[0] != '{' {
		return unmarshalField(val, &id.SessionContext)
	}
	ok, err := walkObject(val, func(key, v []byte) error {
		if !fold(key, "sessionIssuer") {
			return checkOther(v)
		}
		if len(v) == 0 || v[0] != '{' {
			return unmarshalField(v, &id.SessionContext.SessionIssuer)
		}
		ok, err := walkObject(v, func(key, v []byte) error {
			if fold(key, "arn") {
				return d.setString(&id.SessionContext.SessionIssuer.ARN, v)
			}
			return checkOther(v)
		})
		if !ok {
			return json.Unmarshal(v, &id.SessionContext.SessionIssuer)
		}
		return err
	})
	if !ok {
		return json.Unmarshal(val, &id.SessionContext)
	}
	return err
}

// checkOther checks a value no field takes: encoding/json checks its
// syntax only; structurally checked containers and strings pass, other
// literals must be valid.
func checkOther(val []byte) error {
	if len(val) > 0 && (val[0] == '{' || val[0] == '[' || val[0] == '"') {
		return nil
	}
	if !json.Valid(val) {
		return unmarshalField(val, new(any))
	}
	return nil
}

func unmarshalField(val []byte, v any) error {
	if len(val) == 4 && string(val) == "null" {
		return nil // encoding/json leaves the field as it is
	}
	return json.Unmarshal(val, v)
}

// plainKey reports whether a key is printable ASCII without escapes.
func plainKey(key []byte) bool {
	for _, c := range key {
		if c < 0x20 || c >= 0x80 || c == '\\' {
			return false
		}
	}
	return true
}

// fold reports whether the ASCII key equals name ignoring case, which is
// how encoding/json matches the field names of Record.
func fold(key []byte, name string) bool {
	if len(key) != len(name) {
		return false
	}
	for i := 0; i < len(key); i++ {
		a, b := key[i], name[i]
		if a != b && !(a|0x20 == b|0x20 && a|0x20 >= 'a' && a|0x20 <= 'z') {
			return false
		}
	}
	return true
}

// intern returns b as a string, the same string for the same bytes while
// the table lasts: the lookup does not allocate.
func (d *recordDecoder) intern(b []byte) string {
	if len(b) > 128 {
		return string(b)
	}
	if s, ok := d.strs[string(b)]; ok {
		return s
	}
	if d.strs == nil || len(d.strs) >= 4096 {
		d.strs = make(map[string]string, 256)
	}
	s := string(b)
	d.strs[s] = s
	return s
}

// decodeResources decodes the resources list as encoding/json would.
func (d *recordDecoder) decodeResources(val []byte, rec *Record) error {
	if string(val) == "null" {
		rec.Resources = nil
		return nil
	}
	i := skipSpace(val, 0)
	if i >= len(val) || val[i] != '[' {
		return unmarshalField(val, &rec.Resources)
	}
	// Like encoding/json, decode into the list's backing array: elements
	// within its capacity are reused, not zeroed.
	if rec.Resources == nil {
		rec.Resources = []Resource{}
	}
	out := rec.Resources[:0]
	i = skipSpace(val, i+1)
	if i < len(val) && val[i] == ']' {
		if skipSpace(val, i+1) != len(val) {
			return unmarshalField(val, &rec.Resources)
		}
		rec.Resources = out
		return nil
	}
	for {
		end := valueEnd(val, i)
		if end < 0 || val[i] != '{' {
			return unmarshalField(val, &rec.Resources)
		}
		if len(out) < cap(out) {
			out = out[:len(out)+1]
		} else {
			out = append(out, Resource{})
		}
		r := &out[len(out)-1]
		ok, err := walkObject(val[i:end], func(key, v []byte) error {
			switch {
			case fold(key, "ARN"):
				return d.setString(&r.ARN, v)
			case fold(key, "type"):
				return d.setString(&r.Type, v)
			case fold(key, "accountId"):
				return d.setString(&r.AccountID, v)
			}
			return checkOther(v)
		})
		if !ok || err != nil {
			return unmarshalField(val, &rec.Resources)
		}
		i = skipSpace(val, end)
		if i >= len(val) {
			return unmarshalField(val, &rec.Resources)
		}
		switch val[i] {
		case ',':
			i = skipSpace(val, i+1)
			continue
		case ']':
			if skipSpace(val, i+1) != len(val) {
				return unmarshalField(val, &rec.Resources)
			}
			rec.Resources = out
			return nil
		}
		return unmarshalField(val, &rec.Resources)
	}
}
