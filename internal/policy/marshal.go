package policy

import (
	"encoding/json"
	"sort"
)

// obj is a JSON object that keeps its keys in insertion order.
type obj []kv

type kv struct {
	k string
	v any
}

func (o obj) MarshalJSON() ([]byte, error) { return appendValue(nil, o) }

// appendValue appends v as encoding/json writes it, without reflection for
// the values policies are made of (objects, strings, lists, booleans):
// encoding/json validates a Marshaler's output again at every level of
// nesting, which for a policy of many statements costs more than writing it.
func appendValue(b []byte, v any) ([]byte, error) {
	switch v := v.(type) {
	case obj:
		b = append(b, '{')
		for i, e := range v {
			if i > 0 {
				b = append(b, ',')
			}
			b = appendString(b, e.k)
			b = append(b, ':')
			var err error
			if b, err = appendValue(b, e.v); err != nil {
				return nil, err
			}
		}
		return append(b, '}'), nil
	case string:
		return appendString(b, v), nil
	case bool:
		if v {
			return append(b, "true"...), nil
		}
		return append(b, "false"...), nil
	case []string:
		if v == nil {
			return append(b, "null"...), nil
		}
		b = append(b, '[')
		for i, s := range v {
			if i > 0 {
				b = append(b, ',')
			}
			b = appendString(b, s)
		}
		return append(b, ']'), nil
	case []any:
		if v == nil {
			return append(b, "null"...), nil
		}
		b = append(b, '[')
		for i, e := range v {
			if i > 0 {
				b = append(b, ',')
			}
			var err error
			if b, err = appendValue(b, e); err != nil {
				return nil, err
			}
		}
		return append(b, ']'), nil
	}
	data, err := json.Marshal(v)
	if err != nil {
		return nil, err
	}
	return append(b, data...), nil
}

// appendIndented appends v as json.MarshalIndent(v, "", "  ") writes it,
// at the given depth of nesting.
func appendIndented(b []byte, v any, depth int) ([]byte, error) {
	newline := func(b []byte, depth int) []byte {
		b = append(b, '\n')
		for range depth {
			b = append(b, "  "...)
		}
		return b
	}
	var err error
	switch v := v.(type) {
	case obj:
		if len(v) == 0 {
			return append(b, "{}"...), nil
		}
		b = append(b, '{')
		for i, e := range v {
			if i > 0 {
				b = append(b, ',')
			}
			b = newline(b, depth+1)
			b = appendString(b, e.k)
			b = append(b, ": "...)
			if b, err = appendIndented(b, e.v, depth+1); err != nil {
				return nil, err
			}
		}
		return append(newline(b, depth), '}'), nil
	case []string:
		if len(v) == 0 {
			return appendValue(b, v)
		}
		b = append(b, '[')
		for i, s := range v {
			if i > 0 {
				b = append(b, ',')
			}
			b = appendString(newline(b, depth+1), s)
		}
		return append(newline(b, depth), ']'), nil
	case []any:
		if len(v) == 0 {
			return appendValue(b, v)
		}
		b = append(b, '[')
		for i, e := range v {
			if i > 0 {
				b = append(b, ',')
			}
			if b, err = appendIndented(newline(b, depth+1), e, depth+1); err != nil {
				return nil, err
			}
		}
		return append(newline(b, depth), ']'), nil
	case string, bool:
		return appendValue(b, v)
	}
	prefix := make([]byte, 0, 2*depth)
	for range depth {
		prefix = append(prefix, "  "...)
	}
	data, err := json.MarshalIndent(v, string(prefix), "  ")
	if err != nil {
		return nil, err
	}
	return append(b, data...), nil
}

// appendString appends s quoted as encoding/json quotes it: a string of
// printable ASCII that needs no escape as it is, any other through
// encoding/json.
func appendString(b []byte, s string) []byte {
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case c < 0x20 || c >= 0x7f, c == '"', c == '\\', c == '<', c == '>', c == '&':
			data, _ := json.Marshal(s) // a string always marshals
			return append(b, data...)
		}
	}
	b = append(b, '"')
	b = append(b, s...)
	return append(b, '"')
}

// Marshal writes the policy as canonical JSON: two-space indentation, keys
// in the order IAM documents them (Version, Id, Statement; Sid, Effect,
// Principal, NotPrincipal, Action, NotAction, Resource, NotResource,
// Condition), condition operators and keys sorted, a single value written as
// a string unless it was a list. The output is deterministic and ends with a
// newline.
func Marshal(p *Policy) ([]byte, error) {
	v := p.value()
	if out, err := appendIndented(nil, v, 0); err == nil {
		return append(out, '\n'), nil
	}
	// The error as encoding/json words it.
	out, err := json.MarshalIndent(v, "", "  ")
	if err != nil {
		return nil, err
	}
	return append(out, '\n'), nil
}

// MarshalCompact is Marshal without indentation or trailing newline, for
// embedding a policy in another document.
func MarshalCompact(p *Policy) ([]byte, error) {
	v := p.value()
	// appendValue writes what encoding/json writes (FuzzAppendValue),
	// without encoding/json's pass over a Marshaler's output.
	if out, err := appendValue(nil, v); err == nil {
		return out, nil
	}
	return json.Marshal(v) // the error as encoding/json words it
}

// Value returns the policy as a JSON-marshalable value with canonical key
// order, for embedding in other documents (CloudFormation, Terraform).
func (p *Policy) Value() any { return p.value() }

func (p *Policy) value() obj {
	var o obj
	if p.Version != nil {
		o = append(o, kv{"Version", p.Version.Value})
	}
	if p.ID != nil {
		o = append(o, kv{"Id", p.ID.Value})
	}
	sts := make([]any, len(p.Statements))
	for i, s := range p.Statements {
		sts[i] = s.value()
	}
	if len(sts) == 1 && !p.StatementList {
		o = append(o, kv{"Statement", sts[0]})
	} else {
		o = append(o, kv{"Statement", sts})
	}
	return o
}

func (s *Statement) value() obj {
	var o obj
	if s.Sid != nil {
		o = append(o, kv{"Sid", s.Sid.Value})
	}
	o = append(o, kv{"Effect", string(s.Effect)})
	if s.Principal != nil {
		o = append(o, kv{"Principal", s.Principal.value()})
	}
	if s.NotPrincipal != nil {
		o = append(o, kv{"NotPrincipal", s.NotPrincipal.value()})
	}
	for _, e := range []struct {
		k string
		v *Strings
	}{{"Action", s.Action}, {"NotAction", s.NotAction}, {"Resource", s.Resource}, {"NotResource", s.NotResource}} {
		if e.v != nil {
			o = append(o, kv{e.k, strs(e.v.Values, e.v.List)})
		}
	}
	if len(s.Conditions) > 0 {
		byOp := map[string]obj{}
		for _, c := range s.Conditions {
			vals := []any{}
			for _, v := range c.Values {
				switch v.Kind {
				case BoolValue:
					vals = append(vals, v.Value == "true")
				case NumberValue:
					vals = append(vals, json.Number(v.Value))
				default:
					vals = append(vals, v.Value)
				}
			}
			var val any = vals
			if len(vals) == 1 && !c.List {
				val = vals[0]
			}
			byOp[c.Operator.Value] = append(byOp[c.Operator.Value], kv{c.Key.Value, val})
		}
		ops := make([]string, 0, len(byOp))
		for op := range byOp {
			ops = append(ops, op)
		}
		sort.Strings(ops)
		var cond obj
		for _, op := range ops {
			keys := byOp[op]
			sort.SliceStable(keys, func(i, j int) bool { return keys[i].k < keys[j].k })
			cond = append(cond, kv{op, keys})
		}
		o = append(o, kv{"Condition", cond})
	}
	return o
}

func (pr *Principal) value() any {
	if pr.Wildcard {
		return "*"
	}
	var o obj
	for _, e := range pr.Entries {
		o = append(o, kv{e.Type, strs(e.Values, e.List)})
	}
	return o
}

func strs(vs []String, list bool) any {
	if len(vs) == 1 && !list {
		return vs[0].Value
	}
	out := make([]string, len(vs))
	for i, v := range vs {
		out[i] = v.Value
	}
	return out
}

// AppendStrings appends every string the document's JSON holds, keys and
// string values alike, as written before JSON escapes them (what
// json.Unmarshal of MarshalCompact's output would hold), in no particular
// order: the values a caller must not collide with. It walks the document
// as value does, without building the JSON value.
func (p *Policy) AppendStrings(out []string) []string {
	if p.Version != nil {
		out = append(out, "Version", p.Version.Value)
	}
	if p.ID != nil {
		out = append(out, "Id", p.ID.Value)
	}
	out = append(out, "Statement")
	for _, s := range p.Statements {
		out = s.appendStrings(out)
	}
	return out
}

func (s *Statement) appendStrings(out []string) []string {
	if s.Sid != nil {
		out = append(out, "Sid", s.Sid.Value)
	}
	out = append(out, "Effect", string(s.Effect))
	for _, e := range []struct {
		k  string
		pr *Principal
	}{{"Principal", s.Principal}, {"NotPrincipal", s.NotPrincipal}} {
		if e.pr == nil {
			continue
		}
		out = append(out, e.k)
		if e.pr.Wildcard {
			out = append(out, "*")
			continue
		}
		for _, en := range e.pr.Entries {
			out = append(out, en.Type)
			for _, v := range en.Values {
				out = append(out, v.Value)
			}
		}
	}
	for _, e := range []struct {
		k string
		v *Strings
	}{{"Action", s.Action}, {"NotAction", s.NotAction}, {"Resource", s.Resource}, {"NotResource", s.NotResource}} {
		if e.v != nil {
			out = append(out, e.k)
			for _, v := range e.v.Values {
				out = append(out, v.Value)
			}
		}
	}
	if len(s.Conditions) > 0 {
		out = append(out, "Condition")
		// Each operator once, as value groups them.
		for i, c := range s.Conditions {
			first := true
			for _, d := range s.Conditions[:i] {
				if d.Operator.Value == c.Operator.Value {
					first = false
					break
				}
			}
			if first {
				out = append(out, c.Operator.Value)
			}
			out = append(out, c.Key.Value)
			for _, v := range c.Values {
				if v.Kind == StringValue {
					out = append(out, v.Value)
				}
			}
		}
	}
	return out
}
