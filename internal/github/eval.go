package github

import (
	"encoding/json"
	"math"
	"strconv"
	"strings"

	"github.com/rhysd/actionlint"

	"github.com/iamfit/iamfit/internal/need"
)

// value is the value of a GitHub expression: known (null, bool, number,
// string, array, object), or unknown, standing for a parameter that the
// files do not determine.
type value struct {
	kind  valueKind
	b     bool
	n     float64
	s     string
	arr   []value
	obj   map[string]value
	param string // the parameter an unknown value stands for
}

type valueKind int

const (
	vNull valueKind = iota
	vBool
	vNumber
	vString
	vArray
	vObject
	vUnknown
)

// strValue is a known string.
func strValue(s string) value { return value{kind: vString, s: s} }

// stored is a value read from a context (env, inputs, outputs...): a
// string that is one parameter, a value an earlier expansion could not
// determine, stays unknown.
func stored(s string) value {
	if need.IsParam(s) {
		return unknown(s[2 : len(s)-2])
	}
	return strValue(s)
}

// unknown stands for the parameter name; "" for a value computed from
// unknowns, which takes the name of its expression.
func unknown(name string) value { return value{kind: vUnknown, param: name} }

// truthy is GitHub's truthiness; ok is false for an unknown value.
func (v value) truthy() (t, ok bool) {
	switch v.kind {
	case vNull:
		return false, true
	case vBool:
		return v.b, true
	case vNumber:
		return v.n != 0 && !math.IsNaN(v.n), true
	case vString:
		return v.s != "", true
	case vArray, vObject:
		return true, true
	}
	return false, false
}

// String renders a value as GitHub does in ${{ }}; an unknown value is
// its {{Param}}.
func (v value) String() string {
	switch v.kind {
	case vNull:
		return ""
	case vBool:
		return strconv.FormatBool(v.b)
	case vNumber:
		return strconv.FormatFloat(v.n, 'f', -1, 64)
	case vString:
		return v.s
	case vArray, vObject:
		data, err := json.Marshal(v.toJSON())
		if err != nil {
			return need.Param("Unresolved")
		}
		return string(data)
	}
	return need.Param(v.param)
}

func (v value) toJSON() any {
	switch v.kind {
	case vNull:
		return nil
	case vBool:
		return v.b
	case vNumber:
		return v.n
	case vArray:
		out := make([]any, len(v.arr))
		for i, e := range v.arr {
			out[i] = e.toJSON()
		}
		return out
	case vObject:
		out := map[string]any{}
		for k, e := range v.obj {
			out[k] = e.toJSON()
		}
		return out
	}
	return v.String()
}

func fromJSON(x any) value {
	switch x := x.(type) {
	case nil:
		return value{}
	case bool:
		return value{kind: vBool, b: x}
	case float64:
		return value{kind: vNumber, n: x}
	case string:
		return strValue(x)
	case []any:
		out := value{kind: vArray}
		for _, e := range x {
			out.arr = append(out.arr, fromJSON(e))
		}
		return out
	case map[string]any:
		out := value{kind: vObject, obj: map[string]value{}}
		for k, e := range x {
			out.obj[k] = fromJSON(e)
		}
		return out
	}
	return unknown("")
}

// parseExpr parses the expression text after "${{" (including "}}") with
// actionlint's parser of GitHub's expression language, and returns the
// tree and the length of the text it read.
func parseExpr(src string) (actionlint.ExprNode, map[string]string, int, error) {
	l := actionlint.NewExprLexer(src)
	p := actionlint.NewExprParser()
	n, err := p.Parse(l)
	if err != nil {
		return nil, nil, 0, err
	}
	// The parser folds names to lower case (GitHub compares them so);
	// parameters keep the case they are written in.
	names := map[string]string{}
	if toks, _, err := actionlint.LexExpression(src); err == nil {
		for _, t := range toks {
			if t.Kind == actionlint.TokenKindIdent {
				names[strings.ToLower(t.Value)] = t.Value
			}
		}
	}
	return n, names, l.Offset(), nil
}

// parsedExpr is what parseExpr returns for one text.
type parsedExpr struct {
	node  actionlint.ExprNode
	names map[string]string
	used  int
	err   error
}

// exprCache remembers parseExpr's answers, for the analysis of one
// repository: its workflows repeat the same expressions (${{ env.AWS_REGION }}
// in every one), and a tree is only read once parsed. An answer is kept
// by the text up to the first "}}" when the expression ends there: the
// lexer reads no further, so any text with that beginning parses the same.
// A nil cache parses every time.
type exprCache map[string]parsedExpr

func (c exprCache) parse(src string) (actionlint.ExprNode, map[string]string, int, error) {
	end := strings.Index(src, "}}")
	if c == nil || end < 0 {
		return parseExpr(src)
	}
	key := src[:end+2]
	e, ok := c[key]
	if !ok {
		e.node, e.names, e.used, e.err = parseExpr(src)
		if e.err != nil || e.used != len(key) {
			return e.node, e.names, e.used, e.err // ends elsewhere: not kept
		}
		c[key] = e
	}
	return e.node, e.names, e.used, e.err
}

// evaluator evaluates expression trees in a scope, with the env: maps
// below limit.
type evaluator struct {
	sc    *Scope
	limit int
	// github holds the github context values the caller knows (a run's
	// event_name and ref, for if: conditions).
	github map[string]value
	// names maps folded identifiers to their written case.
	names map[string]string
}

// name restores an identifier's written case.
func (e *evaluator) name(folded string) string {
	if n, ok := e.names[folded]; ok {
		return n
	}
	return folded
}

func (e *evaluator) eval(n actionlint.ExprNode) value {
	switch n := n.(type) {
	case *actionlint.NullNode:
		return value{}
	case *actionlint.BoolNode:
		return value{kind: vBool, b: n.Value}
	case *actionlint.IntNode:
		return value{kind: vNumber, n: float64(n.Value)}
	case *actionlint.FloatNode:
		return value{kind: vNumber, n: n.Value}
	case *actionlint.StringNode:
		return strValue(n.Value)
	case *actionlint.VariableNode:
		return e.context(strings.ToLower(n.Name))
	case *actionlint.ObjectDerefNode:
		return e.deref(n, e.eval(n.Receiver), e.name(n.Property))
	case *actionlint.IndexAccessNode:
		recv, idx := e.eval(n.Operand), e.eval(n.Index)
		if idx.kind == vString {
			return e.deref(n, recv, idx.s)
		}
		if recv.kind == vArray && idx.kind == vNumber {
			if i := int(idx.n); i >= 0 && i < len(recv.arr) {
				return recv.arr[i]
			}
			return value{}
		}
		return unknown(paramName(recv, idx.String()))
	case *actionlint.ArrayDerefNode:
		return unknown(paramName(e.eval(n.Receiver), "*"))
	case *actionlint.NotOpNode:
		v := e.eval(n.Operand)
		if t, ok := v.truthy(); ok {
			return value{kind: vBool, b: !t}
		}
		return unknown("")
	case *actionlint.LogicalOpNode:
		l := e.eval(n.Left)
		t, ok := l.truthy()
		if !ok {
			// a || b with a unknown: most often a variable with a
			// fallback; the value is the variable's.
			return l
		}
		if n.Kind == actionlint.LogicalOpNodeKindAnd {
			if !t {
				return l
			}
			return e.eval(n.Right)
		}
		if t {
			return l
		}
		return e.eval(n.Right)
	case *actionlint.CompareOpNode:
		return compare(n.Kind, e.eval(n.Left), e.eval(n.Right))
	case *actionlint.FuncCallNode:
		return e.call(n)
	}
	return unknown("")
}

// paramName names the parameter for a property of an unknown value.
func paramName(recv value, prop string) string {
	if recv.kind == vUnknown && recv.param != "" {
		return recv.param + "." + prop
	}
	return prop
}

func (e *evaluator) context(name string) value {
	switch name {
	case "env", "vars", "secrets", "inputs", "steps", "matrix", "github", "needs", "runner", "job", "strategy", "jobs":
		return value{kind: vObject, param: name, obj: nil} // resolved by deref
	}
	return unknown(name)
}

func (e *evaluator) deref(n actionlint.ExprNode, recv value, prop string) value {
	if recv.kind == vObject && recv.obj == nil {
		// A context: look the property up.
		return e.lookup(recv.param, prop)
	}
	switch recv.kind {
	case vObject:
		if v, ok := recv.obj[prop]; ok {
			return v
		}
		for k, v := range recv.obj {
			if strings.EqualFold(k, prop) {
				return v
			}
		}
		return value{}
	case vUnknown:
		// github.event.X.Y: the values the run determines.
		if rest, ok := strings.CutPrefix(recv.param, "github."); ok {
			if name, ok := strings.CutPrefix(rest, "event.inputs"); ok && name == "" {
				if v, ok := e.sc.Dispatch[prop]; ok {
					return stored(v)
				}
			}
			if v, ok := e.sc.Github[rest+"."+prop]; ok {
				return stored(v)
			}
		}
		// steps.ID.outputs.KEY is the parameter ID.KEY.
		if id, ok := strings.CutPrefix(recv.param, "steps:"); ok && prop == "outputs" {
			return unknown("steps-out:" + id)
		}
		if id, ok := strings.CutPrefix(recv.param, "steps-out:"); ok {
			return unknown(id + "." + prop)
		}
		if recv.param == "" {
			return recv
		}
		return unknown(recv.param + "." + prop)
	}
	return value{}
}

// lookup resolves context.prop.
func (e *evaluator) lookup(ctx, prop string) value {
	sc := e.sc
	switch ctx {
	case "env":
		if v, ok := sc.lookupBelow(prop, e.limit); ok {
			return stored(v)
		}
		return unknown(prop)
	case "inputs":
		if v, ok := sc.Inputs[prop]; ok {
			if sc.Booleans[prop] && (v == "true" || v == "false") {
				return value{kind: vBool, b: v == "true"}
			}
			return stored(v)
		}
		if v, ok := sc.Vars[prop]; ok {
			return stored(v)
		}
		return unknown(prop)
	case "vars", "secrets":
		if v, ok := sc.Vars[prop]; ok {
			return stored(v)
		}
		return unknown(prop)
	case "steps":
		if out, ok := sc.Outputs[prop]; ok {
			obj := map[string]value{}
			for k, v := range out {
				obj[k] = stored(v)
			}
			return value{kind: vObject, obj: map[string]value{"outputs": {kind: vObject, obj: obj}}, param: prop}
		}
		return unknown("steps:" + prop)
	case "matrix":
		if vals := sc.Matrix[prop]; len(vals) == 1 {
			return stored(sc.expand(vals[0].Value, e.limit))
		}
		return unknown("matrix." + prop)
	case "needs":
		if out, ok := sc.Needs[prop]; ok {
			obj := map[string]value{}
			for k, v := range out {
				obj[k] = stored(v)
			}
			return value{kind: vObject, obj: map[string]value{"outputs": {kind: vObject, obj: obj}}, param: prop}
		}
		return unknown("needs." + prop)
	case "github":
		if v, ok := e.github[prop]; ok {
			return v
		}
		if v, ok := sc.Github[prop]; ok {
			return stored(v)
		}
		return unknown("github." + prop)
	}
	return unknown(ctx + "." + prop)
}

func compare(kind actionlint.CompareOpNodeKind, l, r value) value {
	if l.kind == vUnknown || r.kind == vUnknown {
		return unknown("")
	}
	if l.kind == vString && need.HasParams(l.s) || r.kind == vString && need.HasParams(r.s) {
		// Part of the string is not known ("prefix-{{X}}"): neither equal
		// nor unequal for certain.
		return unknown("")
	}
	var c int
	switch {
	case l.kind == vString && r.kind == vString:
		// GitHub compares strings ignoring case.
		c = strings.Compare(strings.ToLower(l.s), strings.ToLower(r.s))
	default:
		ln, rn := number(l), number(r)
		if math.IsNaN(ln) || math.IsNaN(rn) {
			return value{kind: vBool, b: kind == actionlint.CompareOpNodeKindNotEq}
		}
		switch {
		case ln < rn:
			c = -1
		case ln > rn:
			c = 1
		}
	}
	var b bool
	switch kind {
	case actionlint.CompareOpNodeKindEq:
		b = c == 0
	case actionlint.CompareOpNodeKindNotEq:
		b = c != 0
	case actionlint.CompareOpNodeKindLess:
		b = c < 0
	case actionlint.CompareOpNodeKindLessEq:
		b = c <= 0
	case actionlint.CompareOpNodeKindGreater:
		b = c > 0
	case actionlint.CompareOpNodeKindGreaterEq:
		b = c >= 0
	}
	return value{kind: vBool, b: b}
}

// number converts as GitHub's loose equality does.
func number(v value) float64 {
	switch v.kind {
	case vNull:
		return 0
	case vBool:
		if v.b {
			return 1
		}
		return 0
	case vNumber:
		return v.n
	case vString:
		s := strings.TrimSpace(v.s)
		if s == "" {
			return 0
		}
		if f, err := strconv.ParseFloat(s, 64); err == nil {
			return f
		}
	}
	return math.NaN()
}

func (e *evaluator) call(n *actionlint.FuncCallNode) value {
	args := make([]value, len(n.Args))
	for i, a := range n.Args {
		args[i] = e.eval(a)
	}
	anyUnknown := func() (value, bool) {
		for _, a := range args {
			if a.kind == vUnknown {
				return unknown(""), true
			}
		}
		return value{}, false
	}
	switch strings.ToLower(n.Callee) {
	case "format":
		if len(args) == 0 || args[0].kind != vString {
			return unknown("")
		}
		return strValue(formatString(args[0].s, args[1:]))
	case "fromjson":
		if len(args) != 1 {
			return unknown("")
		}
		if args[0].kind != vString {
			return unknown("")
		}
		var x any
		if err := json.Unmarshal([]byte(args[0].s), &x); err != nil {
			return unknown("")
		}
		return fromJSON(x)
	case "tojson":
		if len(args) != 1 {
			return unknown("")
		}
		if u, ok := anyUnknown(); ok {
			return u
		}
		data, err := json.MarshalIndent(args[0].toJSON(), "", "  ")
		if err != nil {
			return unknown("")
		}
		return strValue(string(data))
	case "contains":
		if len(args) != 2 {
			return unknown("")
		}
		if u, ok := anyUnknown(); ok {
			return u
		}
		if args[0].kind == vArray {
			for _, x := range args[0].arr {
				if c := compare(actionlint.CompareOpNodeKindEq, x, args[1]); c.b {
					return value{kind: vBool, b: true}
				}
			}
			return value{kind: vBool}
		}
		return value{kind: vBool, b: strings.Contains(strings.ToLower(args[0].String()), strings.ToLower(args[1].String()))}
	case "startswith", "endswith":
		if len(args) != 2 {
			return unknown("")
		}
		if u, ok := anyUnknown(); ok {
			return u
		}
		a, b := strings.ToLower(args[0].String()), strings.ToLower(args[1].String())
		if strings.EqualFold(n.Callee, "startsWith") {
			return value{kind: vBool, b: strings.HasPrefix(a, b)}
		}
		return value{kind: vBool, b: strings.HasSuffix(a, b)}
	case "join":
		if len(args) < 1 || len(args) > 2 {
			return unknown("")
		}
		if u, ok := anyUnknown(); ok {
			return u
		}
		sep := ","
		if len(args) == 2 {
			sep = args[1].String()
		}
		if args[0].kind != vArray {
			return strValue(args[0].String())
		}
		parts := make([]string, len(args[0].arr))
		for i, x := range args[0].arr {
			parts[i] = x.String()
		}
		return strValue(strings.Join(parts, sep))
	}
	return unknown("")
}

// formatString is GitHub's format(): {N} placeholders, {{ and }} escapes.
func formatString(f string, args []value) string {
	var b strings.Builder
	for i := 0; i < len(f); i++ {
		c := f[i]
		switch {
		case c == '{' && i+1 < len(f) && f[i+1] == '{':
			b.WriteByte('{')
			i++
		case c == '}' && i+1 < len(f) && f[i+1] == '}':
			b.WriteByte('}')
			i++
		case c == '{':
			end := strings.IndexByte(f[i:], '}')
			if end < 0 {
				b.WriteString(f[i:])
				return b.String()
			}
			k, err := strconv.Atoi(f[i+1 : i+end])
			if err != nil || k < 0 || k >= len(args) {
				b.WriteString(f[i : i+end+1])
			} else {
				b.WriteString(args[k].String())
			}
			i += end
		default:
			b.WriteByte(c)
		}
	}
	return b.String()
}
