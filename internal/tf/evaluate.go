package tf

import (
	"fmt"
	"path"
	"sort"
	"strings"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/ext/tryfunc"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/zclconf/go-cty/cty"
	"github.com/zclconf/go-cty/cty/function"
	"github.com/zclconf/go-cty/cty/function/stdlib"

	"github.com/iamfit/iamfit/internal/arn"
	"github.com/iamfit/iamfit/internal/jsonpos"
	"github.com/iamfit/iamfit/internal/need"
	"github.com/iamfit/iamfit/internal/source"
	"github.com/iamfit/iamfit/internal/tree"
)

// Inside evaluated strings, the characters AWS generates in a name (the
// six of a secret's ARN, a stream's label) are these private-use runes
// until the value is done: they survive Terraform's string functions,
// and only they become IAM wildcards.
const (
	wildStar  = '\uE000'
	wildQuery = '\uE001'
)

// Bounds of one evaluation: how deep references are followed (a cycle is
// not a valid configuration) and how many expressions are evaluated in
// all (a configuration that multiplies its locals cannot hang the scan).
const (
	maxDepth = 16
	maxSteps = 50_000
)

// evaluator evaluates expressions of a repository's configurations into
// JSON values whose every part is what Terraform would compute, as far as
// the repository determines it: references to the configuration's
// resources through the table of what their attributes are
// (returnValues), variables from the module call, the .tfvars files or
// their defaults, locals, and Terraform's functions. What the repository
// leaves open is a {{name}} parameter named after the reference.
//
// Values carry positions in one file, the site (the task definition's
// .tf file, or the JSON file its container definitions are read from): a
// value computed from an expression in another file (a local in
// locals.tf, a variable's default, a module's argument) is placed at the
// site's expression that refers to it.
type evaluator struct {
	t    *tree.Tree
	mods map[string]*module
	opt  Options

	file *source.File // the site
	pin  int          // -1, or the offset of every value made
	cur  int          // the offset in the site of the expression being evaluated

	// pending are the notes of the evaluation under way; attached holds
	// the notes of each value made, which the task definition reports
	// with what the value is (container api: environment BUCKET).
	pending  []note
	attached map[*jsonpos.Value][]note
	// identifies holds, for a value that is a resource's identifier but
	// not its ARN (a KMS key id), the ARN it names.
	identifies map[*jsonpos.Value]string
	// roles holds, for a value that is a role's ARN or name, the
	// aws_iam_role it is.
	roles map[*jsonpos.Value]*RoleAt
	// warnings are what the evaluation could not read, with positions.
	warnings []source.Diagnostic
	// opaque counts the parameters made for what iamfit does not
	// evaluate (as opposed to a variable without a value).
	opaque int
	steps  int
	depth  int
	// files are the repository's files the evaluation has read, by name:
	// the configurations', and those file() and templatefile() read.
	files map[string]*source.File
	// rootDir is the directory of the root module evaluated, where
	// Terraform runs: file paths are relative to it.
	rootDir string
	funcs   map[string]function.Function
	// varFile holds the values of the -var-file the workflows pass.
	varFile *module
}

// note is what a value assumes, at a position of the site.
type note struct {
	file string
	off  int
	msg  string
}

// instance is a module as one call (or the root) configures it.
type instance struct {
	mod *module
	// prefix qualifies the parameters of a called module: "module.api.".
	prefix string
	parent *instance
	call   *block // the module block of the call; nil for a root
	root   *instance
	// region and account are where its resources are created: the aws
	// provider's region (the root's), else the deploy's, else
	// parameters; notes say what the provider's values assume.
	region, account string
	notes           []source.Diagnostic
}

// scope is where an expression is evaluated: an instance, with the
// variables of for expressions, each and count, or a template file's.
type scope struct {
	inst     *instance
	vars     map[string]*bound
	parent   *scope
	template bool // a template file: only its variables are in scope
}

// bound is a value a scope gives a name: evaluated, in a file, or an
// expression evaluated where it is used (a templatefile variable).
type bound struct {
	v    *jsonpos.Value
	file string
	// pinned values take the position of each reference to them.
	pinned bool
	expr   hclsyntax.Expression
	sc     *scope
}

func (s *scope) child(vars map[string]*bound) *scope {
	return &scope{inst: s.inst, vars: vars, parent: s, template: false}
}

// at makes a value at the expression's position in the site, or at the
// pinned one.
func (e *evaluator) at(rng hcl.Range) *jsonpos.Value {
	if e.pin >= 0 || rng.Filename != e.file.Name {
		off := e.pin
		if off < 0 {
			off = e.cur
		}
		return &jsonpos.Value{Offset: off, End: off}
	}
	return &jsonpos.Value{Offset: rng.Start.Byte, End: rng.End.Byte}
}

func (e *evaluator) str(rng hcl.Range, s string) *jsonpos.Value {
	v := e.at(rng)
	v.Kind, v.Str = jsonpos.String, s
	return v
}

// notef records a note of the evaluation under way.
func (e *evaluator) notef(format string, args ...any) {
	off := e.pin
	if off < 0 {
		off = e.cur
	}
	msg := fmt.Sprintf(format, args...)
	for _, n := range e.pending {
		if n.msg == msg {
			return
		}
	}
	e.pending = append(e.pending, note{file: e.file.Name, off: off, msg: msg})
}

func (e *evaluator) warnf(f *source.File, off int, format string, args ...any) {
	e.warnings = append(e.warnings, source.Diagnostic{File: f.Name, Pos: f.Position(off), Severity: source.Warning,
		Check: CheckTerraform, Message: fmt.Sprintf(format, args...)})
}

// param makes the parameter that stands for a value the repository
// leaves open.
func (e *evaluator) param(rng hcl.Range, name string) *jsonpos.Value {
	return e.str(rng, need.Param(paramName(name)))
}

// opaqueParam makes the parameter for a value iamfit does not evaluate.
func (e *evaluator) opaqueParam(rng hcl.Range, name string) *jsonpos.Value {
	e.opaque++
	return e.param(rng, name)
}

// paramName keeps the characters a parameter's name may hold.
func paramName(s string) string {
	var b strings.Builder
	for _, r := range s {
		switch {
		case r >= 'a' && r <= 'z', r >= 'A' && r <= 'Z', r >= '0' && r <= '9', r == '_', r == '.', r == '-':
			b.WriteRune(r)
		case r == '[' || r == ']' || r == '"':
		default:
			b.WriteByte('_')
		}
	}
	s = strings.Trim(strings.ReplaceAll(b.String(), "..", "."), ".")
	if len(s) > 60 {
		s = s[:60]
	}
	if s == "" {
		s = "value"
	}
	return s
}

// exprText is an expression's text, on one line.
func exprText(x hclsyntax.Expression, files map[string]*source.File) string {
	rng := x.Range()
	f := files[rng.Filename]
	if f == nil || rng.End.Byte > len(f.Data) || rng.Start.Byte > rng.End.Byte {
		return "?"
	}
	return strings.Join(strings.Fields(string(f.Data[rng.Start.Byte:rng.End.Byte])), " ")
}

func (e *evaluator) text(x hclsyntax.Expression) string { return exprText(x, e.files) }

// eval evaluates an expression into a JSON value.
func (e *evaluator) eval(x hclsyntax.Expression, sc *scope) (v *jsonpos.Value) {
	rng := x.Range()
	if e.pin < 0 {
		if rng.Filename != e.file.Name {
			e.pin = e.cur
			defer func() { e.pin = -1 }()
		} else {
			saved := e.cur
			e.cur = rng.Start.Byte
			defer func() { e.cur = saved }()
		}
	}
	start := len(e.pending)
	defer func() {
		if len(e.pending) > start {
			e.attached[v] = append(e.attached[v], e.pending[start:]...)
			e.pending = e.pending[:start]
		}
	}()
	e.steps++
	if e.steps > maxSteps {
		return e.opaqueParam(rng, "value")
	}
	switch x := x.(type) {
	case *hclsyntax.ObjectConsExpr:
		v = e.at(rng)
		v.Kind = jsonpos.Object
		for _, it := range x.Items {
			k, ok := e.key(it.KeyExpr, sc)
			if !ok {
				continue
			}
			kv := e.at(it.KeyExpr.Range())
			v.Members = append(v.Members, jsonpos.Member{Key: k, KeyOffset: kv.Offset, Value: e.eval(it.ValueExpr, sc)})
		}
		return v
	case *hclsyntax.TupleConsExpr:
		v = e.at(rng)
		v.Kind = jsonpos.Array
		for _, el := range x.Exprs {
			v.Elems = append(v.Elems, e.eval(el, sc))
		}
		return v
	case *hclsyntax.LiteralValueExpr:
		v = e.at(rng)
		setLiteral(v, x.Val)
		return v
	case *hclsyntax.TemplateExpr:
		var b strings.Builder
		for _, p := range x.Parts {
			if lit, ok := p.(*hclsyntax.LiteralValueExpr); ok && lit.Val.Type() == cty.String && lit.Val.IsKnown() && !lit.Val.IsNull() {
				b.WriteString(lit.Val.AsString())
				continue
			}
			b.WriteString(e.interpolate(p, sc))
		}
		return e.str(rng, b.String())
	case *hclsyntax.TemplateWrapExpr:
		return e.eval(x.Wrapped, sc)
	case *hclsyntax.ParenthesesExpr:
		return e.eval(x.Expression, sc)
	case *hclsyntax.ScopeTraversalExpr:
		return e.traversal(x.Traversal, sc, rng)
	case *hclsyntax.ConditionalExpr:
		return e.conditional(x, sc)
	case *hclsyntax.ForExpr:
		if v := e.forExpr(x, sc); v != nil {
			return v
		}
		return e.hclEval(x, sc)
	default:
		return e.hclEval(x, sc)
	}
}

// interpolate renders a template's interpolation as text.
func (e *evaluator) interpolate(p hclsyntax.Expression, sc *scope) string {
	v := e.use(e.eval(p, sc))
	switch v.Kind {
	case jsonpos.String, jsonpos.Number:
		return v.Str
	case jsonpos.Bool:
		if v.Bool {
			return "true"
		}
		return "false"
	}
	// Terraform cannot interpolate an object or list either.
	return e.opaqueParam(p.Range(), refName(p, e)).Str
}

// refName names the parameter of an expression: a reference by its
// address, anything else by its text.
func refName(x hclsyntax.Expression, e *evaluator) string {
	if t, ok := x.(*hclsyntax.ScopeTraversalExpr); ok {
		return strings.Join(traversalParts(t.Traversal), ".")
	}
	return need.Identifier(e.text(x))
}

// key returns an object key: a name or an evaluated string.
func (e *evaluator) key(x hclsyntax.Expression, sc *scope) (string, bool) {
	if k, ok := x.(*hclsyntax.ObjectConsKeyExpr); ok {
		if !k.ForceNonLiteral {
			if t, d := hcl.AbsTraversalForExpr(k.Wrapped); !d.HasErrors() && len(t) == 1 {
				return t.RootName(), true
			}
		}
		x = k.Wrapped
	}
	v := e.eval(x, sc)
	return v.Str, v.Kind == jsonpos.String
}

// conditional evaluates cond ? a : b: the branch the condition selects
// when it is known, else the branch both sides agree on, else a parameter.
func (e *evaluator) conditional(x *hclsyntax.ConditionalExpr, sc *scope) *jsonpos.Value {
	c := e.eval(x.Condition, sc)
	switch {
	case c.Kind == jsonpos.Bool:
		e.use(c)
		if c.Bool {
			return e.eval(x.TrueResult, sc)
		}
		return e.eval(x.FalseResult, sc)
	case c.Kind == jsonpos.String && (c.Str == "true" || c.Str == "false"):
		e.use(c)
		if c.Str == "true" {
			return e.eval(x.TrueResult, sc)
		}
		return e.eval(x.FalseResult, sc)
	}
	a, b := e.eval(x.TrueResult, sc), e.eval(x.FalseResult, sc)
	if a.Kind == jsonpos.String && b.Kind == jsonpos.String && a.Str == b.Str {
		return a
	}
	name := refName(x.Condition, e)
	e.notef("%s: the condition is not known, so the parameter {{%s}} stands for its value", e.text(x), paramName(name))
	return e.opaqueParam(x.Range(), name)
}

// forExpr evaluates a for expression over a collection the repository
// determines, keeping the positions of what it makes; nil when the
// collection is not a list or object.
func (e *evaluator) forExpr(x *hclsyntax.ForExpr, sc *scope) *jsonpos.Value {
	coll := e.eval(x.CollExpr, sc)
	e.pending = append(e.pending, e.attached[coll]...)
	type item struct{ k, v *jsonpos.Value }
	var items []item
	switch coll.Kind {
	case jsonpos.Array:
		for i, el := range coll.Elems {
			items = append(items, item{&jsonpos.Value{Kind: jsonpos.Number, Str: fmt.Sprint(i), Offset: el.Offset, End: el.Offset}, el})
		}
	case jsonpos.Object:
		for _, m := range coll.Members {
			items = append(items, item{&jsonpos.Value{Kind: jsonpos.String, Str: m.Key, Offset: m.KeyOffset, End: m.KeyOffset}, m.Value})
		}
	default:
		return nil
	}
	out := e.at(x.Range())
	if x.KeyExpr != nil {
		out.Kind = jsonpos.Object
	} else {
		out.Kind = jsonpos.Array
	}
	for _, it := range items {
		vars := map[string]*bound{x.ValVar: {v: it.v, file: e.file.Name}}
		if x.KeyVar != "" {
			vars[x.KeyVar] = &bound{v: it.k, file: e.file.Name}
		}
		inner := sc.child(vars)
		if x.CondExpr != nil {
			c := e.eval(x.CondExpr, inner)
			if c.Kind != jsonpos.Bool {
				return nil
			}
			if !c.Bool {
				continue
			}
		}
		val := e.eval(x.ValExpr, inner)
		if x.KeyExpr == nil {
			out.Elems = append(out.Elems, val)
			continue
		}
		k := e.eval(x.KeyExpr, inner)
		if k.Kind != jsonpos.String && k.Kind != jsonpos.Number || x.Group {
			return nil
		}
		out.Members = append(out.Members, jsonpos.Member{Key: k.Str, KeyOffset: k.Offset, Value: val})
	}
	return out
}

// traversal resolves a reference.
func (e *evaluator) traversal(tr hcl.Traversal, sc *scope, rng hcl.Range) *jsonpos.Value {
	parts := traversalParts(tr)
	name := strings.Join(parts, ".")
	root := tr.RootName()
	for s := sc; s != nil; s = s.parent {
		if b, ok := s.vars[root]; ok {
			return e.apply(e.boundValue(b, rng), tr[1:], name, rng)
		}
		if s.template {
			e.notef("the template is given no %s: the parameter {{%s}} stands for it", root, paramName(name))
			return e.opaqueParam(rng, name)
		}
	}
	inst := sc.inst
	attrAt := func(i int) (string, bool) {
		if len(tr) <= i {
			return "", false
		}
		a, ok := tr[i].(hcl.TraverseAttr)
		return a.Name, ok
	}
	switch root {
	case "var":
		n, ok := attrAt(1)
		if !ok {
			return e.opaqueParam(rng, name)
		}
		v, legit := e.variable(sc, n, rng)
		pname := inst.prefix + strings.TrimPrefix(name, "var.")
		if !legit {
			return e.apply(v, tr[2:], pname, rng)
		}
		return e.applyLegit(v, tr[2:], pname, rng)
	case "local":
		n, ok := attrAt(1)
		a := inst.mod.locals[n]
		if !ok || a == nil {
			e.notef("the configuration declares no local.%s: the parameter {{%s}} stands for it", n, paramName(inst.prefix+name))
			return e.opaqueParam(rng, inst.prefix+name)
		}
		return e.apply(e.follow(a.Expr, &scope{inst: inst}, rng, inst.prefix+name), tr[2:], inst.prefix+name, rng)
	case "module":
		return e.moduleOutput(tr, sc, rng, name)
	case "path":
		n, _ := attrAt(1)
		switch n {
		case "module":
			return e.str(rng, relDir(inst.root.mod.dir, inst.mod.dir))
		case "root", "cwd":
			return e.str(rng, ".")
		}
	case "terraform":
		if n, _ := attrAt(1); n == "workspace" {
			return e.param(rng, "terraform.workspace")
		}
	case "count", "each", "self":
		e.notef("%s is not known outside an instance iamfit reads: the parameter {{%s}} stands for it", name, paramName(inst.prefix+name))
		return e.opaqueParam(rng, inst.prefix+name)
	case "data":
		if len(parts) >= 3 {
			if bl := inst.mod.data[parts[1]+"."+parts[2]]; bl != nil {
				return e.resource(sc, "data."+bl.typ, bl, tr[3:], inst.prefix+"data."+parts[1]+"."+parts[2], rng)
			}
		}
		e.notef("the configuration declares no %s: the parameter {{%s}} stands for it", name, paramName(inst.prefix+name))
		return e.opaqueParam(rng, inst.prefix+name)
	default:
		if len(parts) >= 2 {
			if bl := inst.mod.resources[parts[0]+"."+parts[1]]; bl != nil {
				return e.resource(sc, bl.typ, bl, tr[2:], inst.prefix+parts[0]+"."+parts[1], rng)
			}
		}
	}
	e.notef("the configuration declares no %s: the parameter {{%s}} stands for it", name, paramName(inst.prefix+name))
	return e.opaqueParam(rng, inst.prefix+name)
}

// relDir is dir relative to base (both relative to the repository
// root), as Terraform's path.module is to the root module's directory.
func relDir(base, dir string) string {
	split := func(p string) []string {
		if p == "." {
			return nil
		}
		return strings.Split(p, "/")
	}
	b, d := split(base), split(dir)
	i := 0
	for i < len(b) && i < len(d) && b[i] == d[i] {
		i++
	}
	var out []string
	for range b[i:] {
		out = append(out, "..")
	}
	out = append(out, d[i:]...)
	if len(out) == 0 {
		return "."
	}
	return strings.Join(out, "/")
}

func (e *evaluator) boundValue(b *bound, rng hcl.Range) *jsonpos.Value {
	if b.expr != nil {
		return e.follow(b.expr, b.sc, rng, "")
	}
	if b.file == e.file.Name && e.pin < 0 && !b.pinned {
		return b.v
	}
	off := e.pin
	if off < 0 {
		off = e.cur
	}
	return e.clonePinned(b.v, off)
}

// clonePinned copies a value with every position at off, with its notes
// and what it identifies.
func (e *evaluator) clonePinned(v *jsonpos.Value, off int) *jsonpos.Value {
	e.steps++
	c := *v
	c.Offset, c.End = off, off
	c.Elems, c.Members = nil, nil
	for _, el := range v.Elems {
		c.Elems = append(c.Elems, e.clonePinned(el, off))
	}
	for _, m := range v.Members {
		c.Members = append(c.Members, jsonpos.Member{Key: m.Key, KeyOffset: off, Value: e.clonePinned(m.Value, off)})
	}
	if ns := e.attached[v]; len(ns) > 0 {
		e.attached[&c] = ns
	}
	if id, ok := e.identifies[v]; ok {
		e.identifies[&c] = id
	}
	if r, ok := e.roles[v]; ok {
		e.roles[&c] = r
	}
	return &c
}

// follow evaluates an expression a reference leads to (a local, a
// variable's value, an argument), one level deeper.
func (e *evaluator) follow(x hclsyntax.Expression, sc *scope, rng hcl.Range, name string) *jsonpos.Value {
	if e.depth >= maxDepth {
		e.notef("%s is computed through more references than iamfit follows: the parameter {{%s}} stands for it", name, paramName(name))
		return e.opaqueParam(rng, name)
	}
	e.depth++
	defer func() { e.depth-- }()
	if e.pin < 0 {
		// A value the site refers to is at the reference.
		e.pin = e.cur
		defer func() { e.pin = -1 }()
	}
	return e.eval(x, sc)
}

// use requeues the notes of a value another is made from, so that they
// go with what is made.
func (e *evaluator) use(v *jsonpos.Value) *jsonpos.Value {
	e.pending = append(e.pending, e.gather(v)...)
	return v
}

// apply takes the attribute and index steps of a reference into a value.
func (e *evaluator) apply(v *jsonpos.Value, steps hcl.Traversal, name string, rng hcl.Range) *jsonpos.Value {
	for _, st := range steps {
		e.pending = append(e.pending, e.attached[v]...)
		var next *jsonpos.Value
		switch st := st.(type) {
		case hcl.TraverseAttr:
			next = v.Get(st.Name)
		case hcl.TraverseIndex:
			switch {
			case !st.Key.IsKnown() || st.Key.IsNull():
			case st.Key.Type() == cty.String:
				next = v.Get(st.Key.AsString())
			case st.Key.Type() == cty.Number && v.Kind == jsonpos.Array:
				if i, acc := st.Key.AsBigFloat().Int64(); acc == 0 && i >= 0 && int(i) < len(v.Elems) {
					next = v.Elems[i]
				}
			}
		}
		if next == nil {
			if need.IsParam(v.Str) {
				return e.param(rng, name) // a part of a value left open
			}
			e.notef("%s: iamfit cannot take this part of its value: the parameter {{%s}} stands for it", name, paramName(name))
			return e.opaqueParam(rng, name)
		}
		v = next
	}
	return v
}

// applyLegit is apply on a variable's value: a part of a variable with
// no value is a parameter of its own, not something iamfit missed.
func (e *evaluator) applyLegit(v *jsonpos.Value, steps hcl.Traversal, name string, rng hcl.Range) *jsonpos.Value {
	if len(steps) > 0 && v.Kind == jsonpos.String && need.IsParam(v.Str) {
		return e.param(rng, name)
	}
	return e.apply(v, steps, name, rng)
}

// variable returns a variable's value: in a called module the call's
// argument, else the default; in a root module, unless a workflow may
// set it, the .tfvars files' value, else the default. legit is false
// when the value is one the repository gives.
func (e *evaluator) variable(sc *scope, name string, rng hcl.Range) (v *jsonpos.Value, legit bool) {
	inst := sc.inst
	vb := inst.mod.variables[name]
	var def *hclsyntax.Attribute
	if vb != nil {
		def = vb.attr("default")
	}
	where := func(a *hclsyntax.Attribute, f *source.File) string {
		return fmt.Sprintf("%s:%d", f.Name, f.Position(a.SrcRange.Start.Byte).Line)
	}
	if inst.call != nil {
		if a := inst.call.attr(name); a != nil {
			return e.follow(a.Expr, &scope{inst: inst.parent}, rng, "var."+name), false
		}
		if def != nil {
			return e.follow(def.Expr, &scope{inst: inst}, rng, "var."+name), false
		}
		e.notef("module %s gives no %s: the parameter {{%s}} stands for it", inst.call.name, name, paramName(inst.prefix+name))
		return e.param(rng, inst.prefix+name), true
	}
	if why := e.overridden(name); why != "" {
		if def != nil || inst.mod.tfvars[name] != nil {
			e.notef("var.%s: %s, so the parameter {{%s}} stands for it, not the value the repository gives", name, why, paramName(name))
		}
		return e.param(rng, name), true
	}
	if vf := e.varFile; vf != nil && vf.tfvars[name] != nil {
		a := vf.tfvars[name]
		e.notef("var.%s is the value %s gives it: %s", name, where(a, fileOf(vf, a)), e.opt.VarFileWhy)
		return e.follow(a.Expr, &scope{inst: inst}, rng, "var."+name), false
	}
	if a := inst.mod.tfvars[name]; a != nil {
		f := fileOf(inst.mod, a)
		e.notef("var.%s is the value %s gives it (-var or TF_VAR_%s at apply would change it)", name, where(a, f), name)
		return e.follow(a.Expr, &scope{inst: inst}, rng, "var."+name), false
	}
	if def != nil {
		e.notef("var.%s is its default (%s); -var, a .tfvars file or TF_VAR_%s at apply would change it", name, where(def, vb.file), name)
		return e.follow(def.Expr, &scope{inst: inst}, rng, "var."+name), false
	}
	if vb == nil {
		e.notef("the configuration declares no var.%s: the parameter {{%s}} stands for it", name, paramName(name))
	}
	return e.param(rng, name), true
}

func (e *evaluator) overridden(name string) string {
	if e.opt.Overridden == nil {
		return ""
	}
	return e.opt.Overridden(name)
}

// fileOf finds the file of a module an attribute is in.
func fileOf(m *module, a *hclsyntax.Attribute) *source.File {
	for _, f := range m.files {
		if f.Name == a.SrcRange.Filename {
			return f
		}
	}
	for _, f := range m.tfvarFiles {
		if f.Name == a.SrcRange.Filename {
			return f
		}
	}
	return source.NewFile(a.SrcRange.Filename, nil)
}

// moduleOutput resolves module.NAME.OUTPUT through a local module's
// output.
func (e *evaluator) moduleOutput(tr hcl.Traversal, sc *scope, rng hcl.Range, name string) *jsonpos.Value {
	inst := sc.inst
	parts := traversalParts(tr)
	if len(parts) < 3 {
		return e.opaqueParam(rng, inst.prefix+name)
	}
	call := inst.mod.calls[parts[1]]
	if call == nil {
		e.notef("the configuration declares no module %s: the parameter {{%s}} stands for %s", parts[1], paramName(inst.prefix+name), name)
		return e.opaqueParam(rng, inst.prefix+name)
	}
	child := e.child(inst, call)
	if child == nil {
		_, src, _ := inst.mod.localSource(call)
		e.notef("module %s (source %q) is not in the repository: the parameter {{%s}} stands for %s", parts[1], src, paramName(inst.prefix+name), name)
		return e.opaqueParam(rng, inst.prefix+name)
	}
	steps := tr[2:]
	if _, ok := steps[0].(hcl.TraverseAttr); !ok {
		// module.x[0].out: an instance of a module with count or for_each.
		e.notef("%s: module %s has instances iamfit does not tell apart: the parameter {{%s}} stands for it", name, parts[1], paramName(inst.prefix+name))
		return e.opaqueParam(rng, inst.prefix+name)
	}
	out := child.mod.outputs[steps[0].(hcl.TraverseAttr).Name]
	if out == nil || out.attr("value") == nil {
		e.notef("module %s has no output %s: the parameter {{%s}} stands for it", parts[1], parts[2], paramName(inst.prefix+name))
		return e.opaqueParam(rng, inst.prefix+name)
	}
	return e.apply(e.follow(out.attr("value").Expr, &scope{inst: child}, rng, name), steps[1:], inst.prefix+name, rng)
}

// child returns the instance of a local module a call makes; nil when
// the call's source is not a directory of the repository with .tf files.
func (e *evaluator) child(inst *instance, call *block) *instance {
	dir, _, ok := inst.mod.localSource(call)
	if !ok || e.mods[dir] == nil {
		return nil
	}
	for p := inst; p != nil; p = p.parent {
		if p.mod.dir == dir {
			return nil // a module that calls itself
		}
	}
	return &instance{mod: e.mods[dir], prefix: inst.prefix + "module." + call.name + ".", parent: inst, call: call,
		root: inst.root, region: inst.region, account: inst.account, notes: inst.notes}
}

// resource resolves a reference to a resource or data source of the
// module: TYPE.NAME[KEY].ATTR... .
func (e *evaluator) resource(sc *scope, key string, bl *block, steps hcl.Traversal, addr string, rng hcl.Range) *jsonpos.Value {
	isc := &scope{inst: sc.inst}
	if len(steps) > 0 {
		if ix, ok := steps[0].(hcl.TraverseIndex); ok {
			isc = e.instanceScope(sc.inst, bl, ix.Key)
			steps = steps[1:]
		}
	}
	if len(steps) == 0 {
		return e.object(bl, key, isc, addr, rng)
	}
	at, ok := steps[0].(hcl.TraverseAttr)
	if !ok {
		return e.opaqueParam(rng, addr)
	}
	return e.apply(e.attribute(bl, key, isc, at.Name, addr, rng), steps[1:], addr+"."+at.Name, rng)
}

// instanceScope gives an instance of a resource with for_each or count
// its each.key and each.value, or count.index.
func (e *evaluator) instanceScope(inst *instance, bl *block, key cty.Value) *scope {
	sc := &scope{inst: inst}
	if !key.IsKnown() || key.IsNull() {
		return sc
	}
	if fe := bl.attr("for_each"); fe != nil && key.Type() == cty.String {
		k := key.AsString()
		coll := e.follow(fe.Expr, sc, fe.Expr.Range(), bl.typ+"."+bl.name+".for_each")
		var val *jsonpos.Value
		switch coll.Kind {
		case jsonpos.Object:
			val = coll.Get(k)
		case jsonpos.Array: // toset(...): each.value is each.key
			for _, el := range coll.Elems {
				if el.Kind == jsonpos.String && el.Str == k {
					val = el
				}
			}
		}
		if val == nil {
			return sc
		}
		kv := &jsonpos.Value{Kind: jsonpos.String, Str: k, Offset: val.Offset, End: val.Offset}
		each := &jsonpos.Value{Kind: jsonpos.Object, Offset: val.Offset, End: val.Offset,
			Members: []jsonpos.Member{{Key: "key", KeyOffset: val.Offset, Value: kv}, {Key: "value", KeyOffset: val.Offset, Value: val}}}
		return sc.child(map[string]*bound{"each": {v: each, pinned: true}})
	}
	if bl.attr("count") != nil && key.Type() == cty.Number {
		idx := &jsonpos.Value{Kind: jsonpos.Number, Str: key.AsBigFloat().Text('f', -1)}
		count := &jsonpos.Value{Kind: jsonpos.Object, Members: []jsonpos.Member{{Key: "index", Value: idx}}}
		return sc.child(map[string]*bound{"count": {v: count, pinned: true}})
	}
	return sc
}

// object is a whole resource as a value (for functions and for
// expressions that take it apart): the attributes the table knows.
func (e *evaluator) object(bl *block, key string, sc *scope, addr string, rng hcl.Range) *jsonpos.Value {
	rv, ok := returnValues[key]
	if !ok {
		e.notef("iamfit does not know the attributes of %s: the parameter {{%s}} stands for %s", key, paramName(addr), addr)
		return e.opaqueParam(rng, addr)
	}
	v := e.at(rng)
	v.Kind = jsonpos.Object
	attrs := make([]string, 0, len(rv.attrs))
	for a := range rv.attrs {
		attrs = append(attrs, a)
	}
	sort.Strings(attrs)
	for _, a := range attrs {
		v.Members = append(v.Members, jsonpos.Member{Key: a, KeyOffset: v.Offset, Value: e.attribute(bl, key, sc, a, addr, rng)})
	}
	return v
}

// attribute evaluates one attribute of a resource or data source: the
// argument the block sets, else what the table says Terraform computes.
func (e *evaluator) attribute(bl *block, key string, sc *scope, attr, addr string, rng hcl.Range) *jsonpos.Value {
	ref := addr + "." + attr
	if a := bl.attr(attr); a != nil {
		return e.follow(a.Expr, sc, rng, ref)
	}
	rv, known := returnValues[key]
	format := rv.attrs[attr]
	if !known || format == "" {
		e.notef("iamfit does not know what %s of %s returns: the parameter {{%s}} stands for it", attr, key, paramName(ref))
		return e.opaqueParam(rng, ref)
	}
	if rv.ownARN == attr {
		start := len(e.pending)
		_, named := e.name(bl, key, rv, sc, addr, rng)
		e.pending = e.pending[:start]
		if !named {
			p := need.Param(paramName(ref))
			e.notef("%s: Terraform names the role, so the parameter %s stands for its ARN", addr, p)
			v := e.str(rng, p)
			e.roleAt(v, bl, key, sc)
			return v
		}
	}
	v := e.str(rng, e.format(bl, key, rv, sc, format, addr, rng))
	e.roleAt(v, bl, key, sc)
	if id := rv.identifies[attr]; id != "" {
		e.identifies[v] = finish(e.format(bl, key, rv, sc, id, addr, rng))
	}
	return v
}

// roleAt records the role of the configuration a role's ARN or name is.
func (e *evaluator) roleAt(v *jsonpos.Value, bl *block, key string, sc *scope) {
	if key == "aws_iam_role" {
		e.roles[v] = &RoleAt{File: bl.file.Name, Pos: bl.pos(), Address: bl.typ + "." + bl.name, Module: strings.TrimSuffix(sc.inst.prefix, ".")}
	}
}

// format evaluates a returnValues format for a resource.
func (e *evaluator) format(bl *block, key string, rv returns, sc *scope, format, addr string, rng hcl.Range) string {
	region := sc.inst.region
	if a := bl.attr("region"); a != nil {
		if r := e.use(e.follow(a.Expr, sc, rng, addr+".region")); r.Kind == jsonpos.String && r.Str != "" && arn.ValidRegion(r.Str) {
			region = r.Str
		}
	}
	var b strings.Builder
	for format != "" {
		i := strings.IndexAny(format, "$*?")
		if i < 0 {
			b.WriteString(format)
			break
		}
		b.WriteString(format[:i])
		switch format[i] {
		case '*':
			b.WriteRune(wildStar)
			format = format[i+1:]
			if rv.wild != "" {
				e.notef("%s: %s", addr, rv.wild)
			}
			continue
		case '?':
			b.WriteRune(wildQuery)
			format = format[i+1:]
			if rv.wild != "" {
				e.notef("%s: %s", addr, rv.wild)
			}
			continue
		}
		j := strings.IndexByte(format[i:], '}')
		v := format[i+2 : i+j]
		format = format[i+j+1:]
		if arg, ok := strings.CutPrefix(v, "SecretARN:"); ok {
			b.WriteString(e.secretARN(bl, sc, arg, addr, region, rv, rng))
			continue
		}
		switch v {
		case "Region":
			b.WriteString(region)
		case "Account":
			b.WriteString(sc.inst.account)
		case "Partition":
			b.WriteString(arn.PartitionOf(region))
		case "DNSSuffix":
			b.WriteString(dnsSuffix(region))
		case "Path":
			p := "/"
			if a := bl.attr("path"); a != nil {
				if pv := e.use(e.follow(a.Expr, sc, rng, addr+".path")); pv.Kind == jsonpos.String && strings.HasPrefix(pv.Str, "/") && !need.HasParams(pv.Str) {
					p = pv.Str
				}
			} else if key == "data.aws_iam_role" {
				e.notef("%s: the role's path is taken to be /", addr)
			}
			b.WriteString(p)
		case "Name", "ParamName":
			name, _ := e.name(bl, key, rv, sc, addr, rng)
			if v == "ParamName" {
				name = strings.TrimPrefix(name, "/")
			}
			b.WriteString(name)
		}
	}
	return b.String()
}

// secretARN is the ARN of the secret an argument names by its ARN or its
// name (a secret version's secret_id).
func (e *evaluator) secretARN(bl *block, sc *scope, arg, addr, region string, rv returns, rng hcl.Range) string {
	a := bl.attr(arg)
	if a == nil {
		e.notef("%s sets no %s: the parameter {{%s}} stands for its secret's ARN", addr, arg, paramName(addr+".arn"))
		return need.Param(paramName(addr + ".arn"))
	}
	v := e.use(e.follow(a.Expr, sc, rng, addr+"."+arg))
	if v.Kind != jsonpos.String {
		return e.opaqueParam(rng, addr+".arn").Str
	}
	if strings.HasPrefix(v.Str, "arn:") {
		return v.Str
	}
	e.notef("%s: %s", addr, rv.wild)
	return "arn:" + arn.PartitionOf(region) + ":secretsmanager:" + region + ":" + sc.inst.account + ":secret:" + v.Str + "-" + strings.Repeat(string(wildQuery), 6)
}

// name evaluates the name of a resource: its name argument, else the
// parameter {{ADDRESS.NAME}}, which the output says Terraform or AWS
// generates. known is false for the parameter.
func (e *evaluator) name(bl *block, key string, rv returns, sc *scope, addr string, rng hcl.Range) (name string, known bool) {
	attr := rv.name
	if attr == "" {
		p := need.Param(paramName(addr + ".id"))
		e.notef("%s: AWS generates its identifier: the parameter %s stands for it", addr, p)
		return p, false
	}
	p := need.Param(paramName(addr + "." + attr))
	a := bl.attr(attr)
	if a == nil {
		if bl.attr(attr+"_prefix") != nil {
			e.notef("%s sets %s_prefix: Terraform appends characters it generates, so the parameter %s stands for the name", addr, attr, p)
		} else {
			e.notef("%s sets no %s: Terraform generates the name, so the parameter %s stands for it", addr, attr, p)
		}
		return p, false
	}
	before := e.opaque
	v := e.use(e.follow(a.Expr, sc, rng, addr+"."+attr))
	if e.opaque > before || v.Kind != jsonpos.String && v.Kind != jsonpos.Number {
		e.notef("%s: its %s is computed by what iamfit does not evaluate, so the parameter %s stands for it", addr, attr, p)
		return p, false
	}
	return v.Str, true
}

// dnsSuffix is the DNS suffix of a region's partition.
func dnsSuffix(region string) string {
	if strings.HasPrefix(region, "cn-") {
		return "amazonaws.com.cn"
	}
	return "amazonaws.com"
}

// finishPattern turns the private runes of AWS-generated characters into IAM
// wildcards, escaping the literal characters IAM reads as wildcards or
// variables; pattern reports that there were any.
func finishPattern(s string) (out string, pattern bool) {
	if !strings.ContainsRune(s, wildStar) && !strings.ContainsRune(s, wildQuery) {
		return s, false
	}
	var b strings.Builder
	for _, r := range s {
		switch r {
		case wildStar:
			b.WriteByte('*')
		case wildQuery:
			b.WriteByte('?')
		case '*', '?', '$':
			b.WriteString("${" + string(r) + "}")
		default:
			b.WriteRune(r)
		}
	}
	return b.String(), true
}

// finish is finishPattern's string.
func finish(s string) string { out, _ := finishPattern(s); return out }

// hclEval evaluates an expression with Terraform's functions, every
// reference in it resolved; a parameter when it fails (a function iamfit
// does not have, arithmetic on a value left open).
func (e *evaluator) hclEval(x hclsyntax.Expression, sc *scope) *jsonpos.Value {
	rng := x.Range()
	var notes []note
	type ref struct {
		parts []string
		v     *jsonpos.Value
	}
	var refs []ref
	trs := x.Variables()
	sort.SliceStable(trs, func(i, j int) bool { return len(trs[i]) < len(trs[j]) })
	seen := map[string]bool{}
	for _, tr := range trs {
		// Resolve up to the first index that is not static: HCL takes
		// the value apart from there.
		prefix := tr
		for i, st := range tr {
			if _, ok := st.(hcl.TraverseIndex); ok {
				prefix = tr[:i]
				break
			}
		}
		parts := traversalParts(prefix)
		if len(parts) == 0 || len(parts) != len(prefix) {
			continue
		}
		covered := false
		for i := 1; i <= len(parts); i++ {
			if seen[strings.Join(parts[:i], ".")] {
				covered = true
			}
		}
		if covered {
			continue
		}
		seen[strings.Join(parts, ".")] = true
		v := e.traversal(prefix, sc, tr.SourceRange())
		notes = append(notes, e.gather(v)...)
		refs = append(refs, ref{parts, v})
	}
	tree := map[string]any{}
	for _, r := range refs {
		node := tree
		for _, p := range r.parts[:len(r.parts)-1] {
			next, ok := node[p].(map[string]any)
			if !ok {
				next = map[string]any{}
				node[p] = next
			}
			node = next
		}
		node[r.parts[len(r.parts)-1]] = r.v
	}
	// A value left open is unknown to Terraform's functions, so that
	// no comparison or look-up decides on a parameter's name; only
	// expressions that build strings and collections (format, join,
	// jsonencode, merge...) then take the parameters as text.
	if e.steps > maxSteps {
		return e.opaqueParam(rng, refName(x, e))
	}
	val, ok := e.ctyEval(x, treeVars(tree, true))
	if !ok && textual(x) {
		val, ok = e.ctyEval(x, treeVars(tree, false))
	}
	if !ok {
		e.notef("iamfit does not evaluate %s: the parameter {{%s}} stands for it", e.text(x), paramName(refName(x, e)))
		return e.opaqueParam(rng, refName(x, e))
	}
	v := e.at(rng)
	v = fromCty(val, v.Offset, v.End)
	e.pending = append(e.pending, notes...)
	return v
}

// gather collects the notes of a value and its parts.
func (e *evaluator) gather(v *jsonpos.Value) []note {
	e.steps++
	out := append([]note(nil), e.attached[v]...)
	for _, el := range v.Elems {
		out = append(out, e.gather(el)...)
	}
	for _, m := range v.Members {
		out = append(out, e.gather(m.Value)...)
	}
	return out
}

func (e *evaluator) ctyEval(x hclsyntax.Expression, vars map[string]cty.Value) (val cty.Value, ok bool) {
	defer func() {
		if recover() != nil {
			ok = false
		}
	}()
	val, diags := x.Value(&hcl.EvalContext{Variables: vars, Functions: e.functions()})
	if diags.HasErrors() || !val.IsWhollyKnown() {
		return cty.NilVal, false
	}
	return val, true
}

func treeVars(tree map[string]any, unknown bool) map[string]cty.Value {
	vars := map[string]cty.Value{}
	for k, v := range tree {
		vars[k] = treeCty(v, unknown)
	}
	return vars
}

func treeCty(v any, unknown bool) cty.Value {
	switch v := v.(type) {
	case map[string]any:
		out := map[string]cty.Value{}
		for k, x := range v {
			out[k] = treeCty(x, unknown)
		}
		return cty.ObjectVal(out)
	case *jsonpos.Value:
		return toCtyValue(v, unknown)
	}
	return cty.NullVal(cty.DynamicPseudoType)
}

// textual reports whether an expression only builds strings and
// collections from its parts: references, templates, and calls of the
// functions whose result holds each part as it is.
func textual(x hclsyntax.Expression) bool {
	ok := true
	hclsyntax.VisitAll(x, func(n hclsyntax.Node) hcl.Diagnostics {
		switch n := n.(type) {
		case *hclsyntax.FunctionCallExpr:
			if !textFuncs[n.Name] {
				ok = false
			}
		case *hclsyntax.ForExpr:
			// Each element is made alike; an if could decide on a part
			// left open.
			if n.CondExpr != nil || n.KeyExpr != nil {
				ok = false
			}
		case *hclsyntax.BinaryOpExpr, *hclsyntax.UnaryOpExpr, *hclsyntax.ConditionalExpr,
			*hclsyntax.IndexExpr, *hclsyntax.SplatExpr:
			ok = false
		}
		return nil
	})
	return ok
}

// textFuncs keep every part of their arguments as it is in their result.
var textFuncs = map[string]bool{"format": true, "join": true, "concat": true, "flatten": true, "jsonencode": true,
	"merge": true, "tolist": true, "toset": true, "tostring": true, "tomap": true}

// toCtyValue converts a JSON value for Terraform's functions; with
// unknown, a string that holds a parameter is a value Terraform does not
// know yet.
func toCtyValue(v *jsonpos.Value, unknown bool) cty.Value {
	switch v.Kind {
	case jsonpos.String:
		if unknown && need.HasParams(v.Str) {
			return cty.UnknownVal(cty.String)
		}
		return cty.StringVal(v.Str)
	case jsonpos.Number:
		if n, err := cty.ParseNumberVal(v.Str); err == nil {
			return n
		}
		return cty.StringVal(v.Str)
	case jsonpos.Bool:
		return cty.BoolVal(v.Bool)
	case jsonpos.Array:
		if len(v.Elems) == 0 {
			return cty.EmptyTupleVal
		}
		els := make([]cty.Value, len(v.Elems))
		for i, el := range v.Elems {
			els[i] = toCtyValue(el, unknown)
		}
		return cty.TupleVal(els)
	case jsonpos.Object:
		if len(v.Members) == 0 {
			return cty.EmptyObjectVal
		}
		ms := map[string]cty.Value{}
		for _, m := range v.Members {
			ms[m.Key] = toCtyValue(m.Value, unknown)
		}
		return cty.ObjectVal(ms)
	}
	return cty.NullVal(cty.DynamicPseudoType)
}

// functions are Terraform's functions the evaluation has: the standard
// library's, try and can, and file and templatefile on the repository's
// files.
func (e *evaluator) functions() map[string]function.Function {
	if e.funcs != nil {
		return e.funcs
	}
	fs := map[string]function.Function{
		"abs": stdlib.AbsoluteFunc, "chomp": stdlib.ChompFunc, "coalesce": stdlib.CoalesceFunc,
		"coalescelist": stdlib.CoalesceListFunc, "compact": stdlib.CompactFunc, "concat": stdlib.ConcatFunc,
		"contains": stdlib.ContainsFunc, "distinct": stdlib.DistinctFunc, "element": stdlib.ElementFunc,
		"flatten": stdlib.FlattenFunc, "format": stdlib.FormatFunc, "formatlist": stdlib.FormatListFunc,
		"indent": stdlib.IndentFunc, "join": stdlib.JoinFunc, "jsondecode": stdlib.JSONDecodeFunc,
		"jsonencode": stdlib.JSONEncodeFunc, "keys": stdlib.KeysFunc, "length": stdlib.LengthFunc,
		"lookup": stdlib.LookupFunc, "lower": stdlib.LowerFunc, "max": stdlib.MaxFunc, "merge": stdlib.MergeFunc,
		"min": stdlib.MinFunc, "range": stdlib.RangeFunc, "regex": stdlib.RegexFunc, "regexall": stdlib.RegexAllFunc,
		"replace": stdlib.ReplaceFunc, "reverse": stdlib.ReverseListFunc, "slice": stdlib.SliceFunc,
		"sort": stdlib.SortFunc, "split": stdlib.SplitFunc, "strrev": stdlib.ReverseFunc, "substr": stdlib.SubstrFunc,
		"title": stdlib.TitleFunc, "trim": stdlib.TrimFunc, "trimprefix": stdlib.TrimPrefixFunc,
		"trimspace": stdlib.TrimSpaceFunc, "trimsuffix": stdlib.TrimSuffixFunc, "upper": stdlib.UpperFunc,
		"values": stdlib.ValuesFunc, "zipmap": stdlib.ZipmapFunc, "setunion": stdlib.SetUnionFunc,
		"tolist": stdlib.MakeToFunc(cty.List(cty.DynamicPseudoType)), "toset": stdlib.MakeToFunc(cty.Set(cty.DynamicPseudoType)),
		"tomap": stdlib.MakeToFunc(cty.Map(cty.DynamicPseudoType)), "tostring": stdlib.MakeToFunc(cty.String),
		"tonumber": stdlib.MakeToFunc(cty.Number), "tobool": stdlib.MakeToFunc(cty.Bool),
		"try": tryfunc.TryFunc, "can": tryfunc.CanFunc,
	}
	fs["file"] = function.New(&function.Spec{
		Params: []function.Parameter{{Name: "path", Type: cty.String}},
		Type:   function.StaticReturnType(cty.String),
		Impl: func(args []cty.Value, _ cty.Type) (cty.Value, error) {
			f, err := e.readFile(args[0].AsString())
			if err != nil {
				return cty.NilVal, err
			}
			return cty.StringVal(string(f.Data)), nil
		},
	})
	fs["templatefile"] = function.New(&function.Spec{
		Params: []function.Parameter{{Name: "path", Type: cty.String}, {Name: "vars", Type: cty.DynamicPseudoType}},
		Type:   function.StaticReturnType(cty.DynamicPseudoType),
		Impl: func(args []cty.Value, _ cty.Type) (cty.Value, error) {
			f, err := e.readFile(args[0].AsString())
			if err != nil {
				return cty.NilVal, err
			}
			tpl, diags := hclsyntax.ParseTemplate(f.Data, f.Name, hcl.Pos{Line: 1, Column: 1})
			if diags.HasErrors() {
				return cty.NilVal, diags
			}
			vars := map[string]cty.Value{}
			if t := args[1].Type(); t.IsObjectType() || t.IsMapType() {
				for it := args[1].ElementIterator(); it.Next(); {
					k, v := it.Element()
					vars[k.AsString()] = v
				}
			}
			v, diags := tpl.Value(&hcl.EvalContext{Variables: vars, Functions: e.functions()})
			if diags.HasErrors() {
				return cty.NilVal, diags
			}
			return v, nil
		},
	})
	e.funcs = fs
	return fs
}

// readFile reads a file file() or templatefile() names: relative to the
// root module's directory, as Terraform runs there.
func (e *evaluator) readFile(name string) (*source.File, error) {
	p := path.Clean(path.Join(e.rootDir, name))
	if p == ".." || strings.HasPrefix(p, "../") || path.IsAbs(name) {
		return nil, fmt.Errorf("%s is outside the repository", name)
	}
	if f := e.files[p]; f != nil {
		return f, nil
	}
	f, err := e.t.Read(p)
	if err != nil {
		return nil, err
	}
	if reserved(f.Data) {
		return nil, fmt.Errorf("%s holds U+E000 or U+E001, which iamfit reserves for the characters AWS generates", p)
	}
	e.files[p] = f
	return f, nil
}
