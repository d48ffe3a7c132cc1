package tf

import (
	"encoding/json"
	"strings"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"

	"github.com/iamfit/iamfit/internal/jsonpos"
	"github.com/iamfit/iamfit/internal/policy"
	"github.com/iamfit/iamfit/internal/source"
)

// span is one ${...} sequence of a template: [start, end) with the
// expression inside at [exprStart, exprEnd).
type span struct {
	start, end         int
	exprStart, exprEnd int
	inString           bool
}

// jsonTemplate reads text of the site that is JSON once Terraform renders
// its template sequences (a heredoc's body, a template file):
// e.file.Data[start:end]. A ${...} inside a JSON string is evaluated into
// the string, one outside a string (a port, ${jsonencode(var.env)}) takes
// the place of its value; $${ and %%{ are the template's escapes. Every
// value keeps its position in the site, and an interpolated one that of
// its sequence. A template with %{...} directives is rendered whole,
// every value at the template's start. The diagnostics are the JSON's
// syntax errors.
func (e *evaluator) jsonTemplate(start, end int, sc *scope) (*jsonpos.Value, []source.Diagnostic) {
	f := e.file
	src := f.Data[start:end]
	p := f.Position(start)
	toks, diags := hclsyntax.LexTemplate(src, f.Name, hcl.Pos{Line: p.Line, Column: p.Col, Byte: start})
	if diags.HasErrors() {
		return nil, []source.Diagnostic{hclDiag(f, diags[0])}
	}
	var spans []span
	var escapes []int // offsets of $${ and %%{
	inStr, esc := false, false
	depth := 0
	var cur span
	directives := false
	for _, tk := range toks {
		switch tk.Type {
		case hclsyntax.TokenTemplateInterp, hclsyntax.TokenTemplateControl:
			if depth == 0 {
				if tk.Type == hclsyntax.TokenTemplateControl {
					directives = true
				}
				cur = span{start: tk.Range.Start.Byte, exprStart: tk.Range.End.Byte, inString: inStr}
			}
			depth++
			continue
		case hclsyntax.TokenTemplateSeqEnd:
			depth--
			if depth == 0 {
				cur.end, cur.exprEnd = tk.Range.End.Byte, tk.Range.Start.Byte
				spans = append(spans, cur)
			}
			continue
		case hclsyntax.TokenOBrace:
			if depth > 0 {
				depth++
			}
			continue
		case hclsyntax.TokenCBrace:
			if depth > 0 {
				depth--
			}
			continue
		}
		if depth > 0 || tk.Type != hclsyntax.TokenStringLit {
			continue
		}
		if string(tk.Bytes) == "$${" || string(tk.Bytes) == "%%{" {
			escapes = append(escapes, tk.Range.Start.Byte)
		}
		for _, c := range tk.Bytes {
			switch {
			case esc:
				esc = false
			case inStr && c == '\\':
				esc = true
			case c == '"':
				inStr = !inStr
			}
		}
	}
	if directives {
		return e.renderJSON(start, end, sc)
	}
	masked := append([]byte(nil), src...)
	for _, s := range spans {
		b := masked[s.start-start : s.end-start]
		if s.inString {
			if strings.ContainsAny(string(b), "\"\\\n\t\r") {
				for i := range b {
					b[i] = 'x'
				}
			}
			continue
		}
		copy(b, "null")
		for i := 4; i < len(b); i++ {
			b[i] = ' '
		}
	}
	root, errs := jsonpos.Parse(masked)
	var out []source.Diagnostic
	for _, er := range errs {
		out = append(out, source.Diagnostic{File: f.Name, Pos: f.Position(start + er.Offset), Severity: source.Error,
			Message: er.Msg, Check: policy.CheckJSON})
	}
	if root == nil {
		return nil, out
	}
	shift(root, start)
	t := &tplFill{e: e, sc: sc, spans: spans, escapes: escapes}
	return t.fill(root), out
}

// renderJSON renders a template whole and parses the JSON it renders,
// every value at the template's start.
func (e *evaluator) renderJSON(start, end int, sc *scope) (*jsonpos.Value, []source.Diagnostic) {
	f := e.file
	p := f.Position(start)
	tpl, diags := hclsyntax.ParseTemplate(f.Data[start:end], f.Name, hcl.Pos{Line: p.Line, Column: p.Col, Byte: start})
	if diags.HasErrors() {
		return nil, []source.Diagnostic{hclDiag(f, diags[0])}
	}
	v := e.eval(tpl, sc)
	if v.Kind != jsonpos.String {
		return nil, nil
	}
	root, errs := jsonpos.Parse([]byte(v.Str))
	if len(errs) > 0 || root == nil {
		msg := "the template does not render JSON iamfit can read"
		if len(errs) > 0 {
			msg += ": " + errs[0].Msg
		}
		return nil, []source.Diagnostic{{File: f.Name, Pos: p, Severity: source.Warning, Check: CheckTerraform, Message: msg}}
	}
	pin(root, start)
	e.attached[root] = append(e.attached[root], e.attached[v]...)
	return root, nil
}

func hclDiag(f *source.File, d *hcl.Diagnostic) source.Diagnostic {
	pos := source.Pos{Line: 1, Col: 1}
	if d.Subject != nil {
		pos = f.Position(d.Subject.Start.Byte)
	}
	msg := d.Summary
	if d.Detail != "" {
		msg += ": " + d.Detail
	}
	return source.Diagnostic{File: f.Name, Pos: pos, Severity: source.Warning, Check: CheckTerraform, Message: msg}
}

// tplFill puts the values of a template's sequences in the JSON parsed
// from its masked text.
type tplFill struct {
	e       *evaluator
	sc      *scope
	spans   []span
	escapes []int
}

func (t *tplFill) fill(v *jsonpos.Value) *jsonpos.Value {
	switch v.Kind {
	case jsonpos.Null:
		for _, s := range t.spans {
			if !s.inString && s.start == v.Offset {
				return t.e.spliced(t.e.evalSpan(s, t.sc), s.start)
			}
		}
	case jsonpos.String:
		if s, ok := t.text(v.Offset, v.End); ok {
			t.e.attach(v, func() { v.Str = s(v) })
		}
	case jsonpos.Array:
		for i, el := range v.Elems {
			v.Elems[i] = t.fill(el)
		}
	case jsonpos.Object:
		for i := range v.Members {
			m := &v.Members[i]
			if end := stringEnd(t.e.file.Data, m.KeyOffset); end > 0 {
				if s, ok := t.text(m.KeyOffset, end); ok {
					m.Key = s(nil)
				}
			}
			m.Value = t.fill(m.Value)
		}
	}
	return v
}

// text rebuilds the JSON string at [from, to) of the site when template
// sequences or escapes are in it: its literal parts decoded, its
// sequences evaluated. A string that is one sequence alone ("${key_id}")
// identifies what its value does.
func (t *tplFill) text(from, to int) (func(*jsonpos.Value) string, bool) {
	var in []span
	for _, s := range t.spans {
		if s.inString && s.start > from && s.end < to {
			in = append(in, s)
		}
	}
	escaped := false
	for _, off := range t.escapes {
		escaped = escaped || off > from && off < to
	}
	if len(in) == 0 && !escaped {
		return nil, false
	}
	data := t.e.file.Data
	return func(v *jsonpos.Value) string {
		if len(in) == 1 && in[0].start == from+1 && in[0].end == to-1 {
			x := t.e.evalSpan(in[0], t.sc)
			if id, ok := t.e.identifies[x]; ok && v != nil {
				t.e.identifies[v] = id
			}
			t.e.use(x)
			switch x.Kind {
			case jsonpos.String, jsonpos.Number:
				return x.Str
			}
			return t.e.interpolateSpan(in[0], t.sc)
		}
		var b strings.Builder
		lit := func(raw []byte) {
			var s string
			if json.Unmarshal(append(append([]byte{'"'}, raw...), '"'), &s) != nil {
				s = string(raw)
			}
			b.WriteString(strings.NewReplacer("$${", "${", "%%{", "%{").Replace(s))
		}
		at := from + 1
		for _, s := range in {
			lit(data[at:s.start])
			b.WriteString(t.e.interpolateSpan(s, t.sc))
			at = s.end
		}
		lit(data[at : to-1])
		return b.String()
	}, true
}

// stringEnd returns the offset after the JSON string that starts at off,
// or 0.
func stringEnd(data []byte, off int) int {
	if off >= len(data) || data[off] != '"' {
		return 0
	}
	for i := off + 1; i < len(data); i++ {
		switch data[i] {
		case '\\':
			i++
		case '"':
			return i + 1
		}
	}
	return 0
}

// attach runs fn, which evaluates template sequences into v, and gives v
// the notes they make.
func (e *evaluator) attach(v *jsonpos.Value, fn func()) {
	start := len(e.pending)
	fn()
	if len(e.pending) > start {
		e.attached[v] = append(e.attached[v], e.pending[start:]...)
		e.pending = e.pending[:start]
	}
}

// spanExpr parses the expression of a template sequence, its positions
// the site's; nil when it does not parse.
func (e *evaluator) spanExpr(s span) hclsyntax.Expression {
	from, to := s.exprStart, s.exprEnd
	data := e.file.Data
	if from < to && data[from] == '~' {
		from++
	}
	if to > from && data[to-1] == '~' {
		to--
	}
	p := e.file.Position(from)
	x, diags := hclsyntax.ParseExpression(data[from:to], e.file.Name, hcl.Pos{Line: p.Line, Column: p.Col, Byte: from})
	if diags.HasErrors() {
		return nil
	}
	return x
}

func (e *evaluator) evalSpan(s span, sc *scope) *jsonpos.Value {
	x := e.spanExpr(s)
	if x == nil {
		rng := hcl.Range{Filename: e.file.Name, Start: hcl.Pos{Byte: s.start}, End: hcl.Pos{Byte: s.end}}
		return e.opaqueParam(rng, "value")
	}
	return e.eval(x, sc)
}

// spliced is the JSON a sequence outside a string renders: Terraform
// writes its value's text into the template, so a string of JSON is the
// JSON (${jsonencode(var.env)}, a number given as a string); another
// string stays one.
func (e *evaluator) spliced(v *jsonpos.Value, at int) *jsonpos.Value {
	if v.Kind != jsonpos.String {
		return v
	}
	root, errs := jsonpos.Parse([]byte(v.Str))
	if len(errs) > 0 || root == nil {
		return v
	}
	pin(root, at)
	e.attached[root] = append(e.attached[root], e.attached[v]...)
	return root
}

func (e *evaluator) interpolateSpan(s span, sc *scope) string {
	x := e.spanExpr(s)
	if x == nil {
		rng := hcl.Range{Filename: e.file.Name, Start: hcl.Pos{Byte: s.start}, End: hcl.Pos{Byte: s.end}}
		return e.opaqueParam(rng, "value").Str
	}
	return e.interpolate(x, sc)
}
