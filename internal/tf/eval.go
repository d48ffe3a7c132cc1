package tf

import (
	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/zclconf/go-cty/cty"
	"github.com/zclconf/go-cty/cty/function"
	"github.com/zclconf/go-cty/cty/function/stdlib"

	"github.com/iamfit/iamfit/internal/jsonpos"
)

// funcs are the Terraform functions a policy expression may call that
// the reader evaluates.
var funcs = map[string]function.Function{
	"jsonencode": stdlib.JSONEncodeFunc,
	"jsondecode": stdlib.JSONDecodeFunc,
	"format":     stdlib.FormatFunc,
	"join":       stdlib.JoinFunc,
	"concat":     stdlib.ConcatFunc,
	"merge":      stdlib.MergeFunc,
	"flatten":    stdlib.FlattenFunc,
	"distinct":   stdlib.DistinctFunc,
	"lower":      stdlib.LowerFunc,
	"upper":      stdlib.UpperFunc,
	"replace":    stdlib.ReplaceFunc,
	"tolist":     stdlib.MakeToFunc(cty.List(cty.DynamicPseudoType)),
	"toset":      stdlib.MakeToFunc(cty.Set(cty.DynamicPseudoType)),
	"tostring":   stdlib.MakeToFunc(cty.String),
}

// call evaluates a call of one of funcs, every reference in it the
// "${...}" string it stands for: format("arn:aws:s3:::%s/*", var.bucket)
// is "arn:aws:s3:::${var.bucket}/*". Every position of the result is the
// call's. It reports false for another function, or a call that fails
// (concat of a reference, which is a string here, not a list).
func (r *reader) call(x *hclsyntax.FunctionCallExpr) (v *jsonpos.Value, ok bool) {
	if _, known := funcs[x.Name]; !known {
		return nil, false
	}
	defer func() {
		if recover() != nil {
			v, ok = nil, false
		}
	}()
	val, diags := x.Value(&hcl.EvalContext{Variables: r.references(x), Functions: funcs})
	if diags.HasErrors() || !val.IsWhollyKnown() {
		return nil, false
	}
	rng := x.Range()
	return fromCty(val, rng.Start.Byte, rng.End.Byte), true
}

// references gives every reference of an expression its "${...}" string,
// as the variables of an evaluation: var.bucket is {var = {bucket =
// "${var.bucket}"}}. Where one reference is a prefix of another (var.a
// and var.a.b), the first met wins.
func (r *reader) references(e hclsyntax.Expression) map[string]cty.Value {
	tree := map[string]any{}
	for _, tr := range e.Variables() {
		parts := traversalParts(tr)
		if len(parts) == 0 {
			continue
		}
		node := tree
		ok := true
		for _, p := range parts[:len(parts)-1] {
			next, exists := node[p]
			if !exists {
				m := map[string]any{}
				node[p] = m
				node = m
				continue
			}
			if node, ok = next.(map[string]any); !ok {
				break
			}
		}
		if last := parts[len(parts)-1]; ok && node[last] == nil {
			node[last] = r.unknownAt(tr.SourceRange())
		}
	}
	vars := map[string]cty.Value{}
	for k, v := range tree {
		vars[k] = toCty(v)
	}
	return vars
}

func toCty(v any) cty.Value {
	if m, ok := v.(map[string]any); ok {
		out := map[string]cty.Value{}
		for k, x := range m {
			out[k] = toCty(x)
		}
		return cty.ObjectVal(out)
	}
	return cty.StringVal(v.(string))
}

// traversalParts names the steps of a traversal: data.x.y[0].z is
// data, x, y, 0, z; it stops at a step it cannot name.
func traversalParts(tr hcl.Traversal) []string {
	var parts []string
	for _, t := range tr {
		switch t := t.(type) {
		case hcl.TraverseRoot:
			parts = append(parts, t.Name)
		case hcl.TraverseAttr:
			parts = append(parts, t.Name)
		case hcl.TraverseIndex:
			switch {
			case !t.Key.IsKnown() || t.Key.IsNull():
				return parts
			case t.Key.Type() == cty.String:
				parts = append(parts, t.Key.AsString())
			case t.Key.Type() == cty.Number:
				parts = append(parts, t.Key.AsBigFloat().String())
			default:
				return parts
			}
		default:
			return parts
		}
	}
	return parts
}

// fromCty converts an evaluated value into JSON, every position at
// [off, end).
func fromCty(v cty.Value, off, end int) *jsonpos.Value {
	at := &jsonpos.Value{Offset: off, End: end}
	t := v.Type()
	switch {
	case v.IsNull():
		at.Kind = jsonpos.Null
	case t == cty.String || t == cty.Number || t == cty.Bool:
		setLiteral(at, v)
	case t.IsObjectType() || t.IsMapType():
		at.Kind = jsonpos.Object
		for it := v.ElementIterator(); it.Next(); {
			k, e := it.Element()
			at.Members = append(at.Members, jsonpos.Member{Key: k.AsString(), KeyOffset: off, Value: fromCty(e, off, end)})
		}
	case t.IsListType() || t.IsSetType() || t.IsTupleType():
		at.Kind = jsonpos.Array
		for it := v.ElementIterator(); it.Next(); {
			_, e := it.Element()
			at.Elems = append(at.Elems, fromCty(e, off, end))
		}
	default:
		at.Kind = jsonpos.Null
	}
	return at
}
