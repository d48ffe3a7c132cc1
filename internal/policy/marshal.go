package policy

import (
	"bytes"
	"encoding/json"
	"sort"
)

// obj is a JSON object that keeps its keys in insertion order.
type obj []kv

type kv struct {
	k string
	v any
}

func (o obj) MarshalJSON() ([]byte, error) {
	var b bytes.Buffer
	b.WriteByte('{')
	for i, e := range o {
		if i > 0 {
			b.WriteByte(',')
		}
		k, err := json.Marshal(e.k)
		if err != nil {
			return nil, err
		}
		b.Write(k)
		b.WriteByte(':')
		v, err := json.Marshal(e.v)
		if err != nil {
			return nil, err
		}
		b.Write(v)
	}
	b.WriteByte('}')
	return b.Bytes(), nil
}

// Marshal writes the policy as canonical JSON: two-space indentation, keys
// in the order IAM documents them (Version, Id, Statement; Sid, Effect,
// Principal, NotPrincipal, Action, NotAction, Resource, NotResource,
// Condition), condition operators and keys sorted, a single value written as
// a string unless it was a list. The output is deterministic and ends with a
// newline.
func Marshal(p *Policy) ([]byte, error) {
	out, err := json.MarshalIndent(p.value(), "", "  ")
	if err != nil {
		return nil, err
	}
	return append(out, '\n'), nil
}

// MarshalCompact is Marshal without indentation or trailing newline, for
// embedding a policy in another document.
func MarshalCompact(p *Policy) ([]byte, error) { return json.Marshal(p.value()) }

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
