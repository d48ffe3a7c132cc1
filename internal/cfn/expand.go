package cfn

import (
	"github.com/iamfit/iamfit/internal/jsonpos"
)

// noValue is what !Ref AWS::NoValue becomes.
const noValue = "${AWS.NoValue}"

// scalarKeys are the policy elements that take one value: an Fn::If there
// stands for its first branch, as a list of both would not be valid.
var scalarKeys = map[string]bool{"Version": true, "Id": true, "Sid": true, "Effect": true}

// expandIfs returns v with its Fn::If placeholders expanded (see
// Policies); key is the member v is the value of. Values without an
// Fn::If are returned as they are.
func (t *Template) expandIfs(v *jsonpos.Value, key string) *jsonpos.Value {
	if len(t.ifs) == 0 || v == nil {
		return v
	}
	switch v.Kind {
	case jsonpos.String:
		branches, ok := t.ifs[v]
		if !ok {
			return v
		}
		var alts []*jsonpos.Value
		for _, b := range branches {
			if b.Kind == jsonpos.String && b.Str == noValue {
				continue
			}
			alts = append(alts, t.expandIfs(b, key))
		}
		switch {
		case len(alts) == 0:
			return &jsonpos.Value{Kind: jsonpos.String, Offset: v.Offset, End: v.End, Str: noValue}
		case len(alts) == 1 || scalarKeys[key] || alts[0].Kind == jsonpos.Object || alts[1].Kind == jsonpos.Object:
			return alts[0]
		}
		list := &jsonpos.Value{Kind: jsonpos.Array, Offset: v.Offset, End: v.End}
		for _, a := range alts {
			if a.Kind == jsonpos.Array {
				list.Elems = append(list.Elems, a.Elems...)
			} else {
				list.Elems = append(list.Elems, a)
			}
		}
		return list
	case jsonpos.Array:
		out := &jsonpos.Value{Kind: jsonpos.Array, Offset: v.Offset, End: v.End}
		for _, e := range v.Elems {
			if branches, ok := t.ifs[e]; ok {
				// In a list (of statements, actions...), both branches.
				for _, b := range branches {
					if b.Kind == jsonpos.String && b.Str == noValue {
						continue
					}
					b = t.expandIfs(b, key)
					if b.Kind == jsonpos.Array {
						out.Elems = append(out.Elems, b.Elems...)
					} else {
						out.Elems = append(out.Elems, b)
					}
				}
				continue
			}
			if e.Kind == jsonpos.String && e.Str == noValue {
				continue
			}
			out.Elems = append(out.Elems, t.expandIfs(e, key))
		}
		return out
	case jsonpos.Object:
		out := &jsonpos.Value{Kind: jsonpos.Object, Offset: v.Offset, End: v.End}
		for _, m := range v.Members {
			val := t.expandIfs(m.Value, m.Key)
			if val.Kind == jsonpos.String && val.Str == noValue {
				continue // the property is left out
			}
			out.Members = append(out.Members, jsonpos.Member{Key: m.Key, KeyOffset: m.KeyOffset, Value: val})
		}
		return out
	}
	return v
}
