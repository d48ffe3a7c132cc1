package code

// The expression reader shared by Python and JavaScript/TypeScript: it
// turns tokens into a small syntax tree of the expressions and
// statements that carry values — names, attributes, calls with
// positional and keyword arguments, strings with their interpolations,
// concatenation, subscripts, dict/object and list literals, functions and
// classes — and skips what does not (types, operators on numbers,
// control flow headers are read for their expressions).

type nodeKind int

const (
	nOther nodeKind = iota
	nName
	nAttr
	nCall
	nNew
	nStr
	nNum
	nBin // + and the defaulting operators (or, ||, ??)
	nDict
	nList
	nSub
	nFunc // a function expression (lambda, arrow, function)
)

type node struct {
	kind  nodeKind
	name  string  // nName, nAttr attribute, nBin operator
	x     *node   // nAttr/nCall/nNew/nSub object, callee; nBin left
	y     *node   // nBin right; nSub index
	args  []*node // nCall arguments; nList elements; nDict spreads (...x, **x)
	kw    []kv    // nCall keyword arguments; nDict entries (key name or string)
	parts []strPart
	exprs []*node // the parsed interpolations of nStr, by part
	fn    *function
	line  int
	col   int
}

type kv struct {
	key string
	val *node
	// kx is a computed key: a Python key that is not a plain string, a
	// JavaScript [expr] key (key is then "").
	kx *node
}

// stmt is an assignment, a return, an import or an expression.
type stmt struct {
	kind    stmtKind
	targets []*node // assignment targets (names, attributes, subscripts)
	names   []string
	value   *node
	module  string // import: the module
	// import: local name -> imported name ("*" for a namespace, "" for the module itself)
	imports map[string]string
	line    int
	// cond is the condition of the Python if block the statement is in
	// (neg: in its else block), nil outside one.
	cond *node
	neg  bool
}

type stmtKind int

const (
	sExpr stmtKind = iota
	sAssign
	sReturn
	sImport
	sDestructure // const { a, b: c } = value: names are local names, imports the property for each
)

// function is a function's parameters and statements.
type function struct {
	name   string
	class  string
	params []string
	body   []*stmt
	// decorators, base classes: read for their calls only
	outer *function
	// globalNames are the names a Python function declares global.
	globalNames map[string]bool
	// varargs and kwargs are a Python function's *args and **kwargs
	// parameters ("" when it has none); noneDefault its parameters whose
	// default is None.
	varargs, kwargs string
	noneDefault     map[string]bool
}

// class is a class's bases and its statements (class-level assignments
// and the methods' bodies through their functions).
type class struct {
	name    string
	bases   []*node
	body    []*stmt
	methods map[string]*function
	// fields are annotated class attributes: name (Python) -> default.
	fields map[string]*node
}

// module is one parsed file.
type module struct {
	file    string
	python  bool
	top     *function // module level: body are its statements
	funcs   map[string]*function
	classes map[string]*class
	all     []*function // every function, for the calls in their bodies
	// globals are module names a function assigns (Python's global).
	globals map[string][]globalBind
}

type globalBind struct {
	st *stmt
	f  *function
}

// reader parses tokens.
type reader struct {
	toks   []tok
	i      int
	python bool
	m      *module
	fn     *function
	cls    *class
	steps  int
	inFor  bool
	// ifs are the Python if blocks open at the line being read;
	// lastIf is the condition of an if header just read.
	ifs    []ifBlock
	lastIf *node
}

// ifBlock is an open Python if block: the header's indentation, its
// function and condition, and whether the else block is being read.
type ifBlock struct {
	indent int
	fn     *function
	cond   *node
	neg    bool
}

func (p *reader) cur() tok { return p.toks[p.i] }
func (p *reader) at(k int) tok {
	if p.i+k < len(p.toks) {
		return p.toks[p.i+k]
	}
	return p.toks[len(p.toks)-1]
}
func (p *reader) next() tok {
	t := p.toks[p.i]
	if p.i < len(p.toks)-1 {
		p.i++
	}
	return t
}
func (p *reader) is(text string) bool {
	t := p.cur()
	return (t.kind == tPunct || t.kind == tIdent) && t.text == text
}
func (p *reader) accept(text string) bool {
	if p.is(text) {
		p.next()
		return true
	}
	return false
}
func (p *reader) eof() bool { return p.cur().kind == tEOF }

// skipBalanced skips from an opening bracket to its match.
func (p *reader) skipBalanced() {
	depth := 0
	for !p.eof() {
		t := p.next()
		if t.kind != tPunct {
			continue
		}
		switch t.text {
		case "(", "[", "{":
			depth++
		case ")", "]", "}":
			depth--
			if depth <= 0 {
				return
			}
		}
	}
}

// expression parsing -------------------------------------------------

func (p *reader) expr() *node { return p.assign() }

// budget stops a pathological input from taking long.
func (p *reader) budget() bool {
	p.steps++
	return p.steps < 4_000_000
}

func (p *reader) assign() *node {
	n := p.ternary()
	return n
}

func (p *reader) ternary() *node {
	n := p.or()
	if p.python && p.is("if") && p.notHeader() {
		p.next()
		cond := p.or()
		if p.accept("else") {
			alt := p.ternary()
			// x if cond else y: the condition kept in args.
			return &node{kind: nBin, name: "or", x: n, y: alt, args: []*node{cond}, line: n.line, col: n.col}
		}
		return n
	}
	if !p.python && p.is("?") {
		p.next()
		a := p.assignOrExpr()
		if p.accept(":") {
			b := p.assignOrExpr()
			return &node{kind: nBin, name: "?:", x: a, y: b, line: n.line, col: n.col}
		}
		return a
	}
	return n
}

// notHeader: in Python, "x if c else y" versus a statement "if".
func (p *reader) notHeader() bool { return !p.cur().first }

func (p *reader) assignOrExpr() *node {
	n := p.ternary()
	if !p.python && (p.is("=") || p.is("+=") || p.is("??=") || p.is("||=")) {
		p.next()
		p.ternary()
	}
	return n
}

func (p *reader) or() *node {
	n := p.and()
	for p.budget() && (p.is("or") || p.is("||") || p.is("??")) {
		p.next()
		r := p.and()
		n = &node{kind: nBin, name: "or", x: n, y: r, line: n.line, col: n.col}
	}
	return n
}

func (p *reader) and() *node {
	n := p.not()
	for p.budget() && (p.is("and") || p.is("&&")) {
		p.next()
		r := p.not()
		n = &node{kind: nBin, name: "and", x: n, y: r, line: n.line, col: n.col}
	}
	return n
}

func (p *reader) not() *node {
	if p.python && p.is("not") {
		p.next()
		p.not()
		return &node{kind: nOther}
	}
	return p.compare()
}

var compareOps = map[string]bool{"==": true, "!=": true, "===": true, "!==": true, "<": true, ">": true, "<=": true, ">=": true,
	"in": true, "is": true, "instanceof": true, "|": true, "&": true, "^": true, "<<": true, ">>": true}

func (p *reader) compare() *node {
	n := p.sum()
	for p.budget() && p.cur().kind != tEOF && compareOps[p.cur().text] && (p.cur().kind == tPunct || p.python || p.cur().text == "instanceof" || p.cur().text == "in") {
		if p.python && p.is("in") && p.inFor {
			break
		}
		p.next()
		p.accept("not")
		p.sum()
		n = &node{kind: nOther, line: n.line, col: n.col}
	}
	return n
}

func (p *reader) sum() *node {
	n := p.product()
	for p.budget() && (p.is("+") || p.is("-")) {
		op := p.next().text
		r := p.product()
		if op == "+" {
			n = &node{kind: nBin, name: "+", x: n, y: r, line: n.line, col: n.col}
		} else {
			n = &node{kind: nOther, line: n.line, col: n.col}
		}
	}
	return n
}

func (p *reader) product() *node {
	n := p.unary()
	for p.budget() && (p.is("*") || p.is("/") || p.is("%") || p.is("//") || p.is("**") || p.is("@")) {
		op := p.next().text
		r := p.unary()
		if op == "%" && p.python && n.kind == nStr {
			n = &node{kind: nBin, name: "%", x: n, y: r, line: n.line, col: n.col}
			continue
		}
		n = &node{kind: nOther, line: n.line, col: n.col}
	}
	return n
}

func (p *reader) unary() *node {
	t := p.cur()
	switch {
	case t.kind == tPunct && (t.text == "-" || t.text == "+" || t.text == "!" || t.text == "~" || t.text == "*" || t.text == "**" || t.text == "..."):
		p.next()
		n := p.unary()
		if t.text == "..." || t.text == "*" || t.text == "**" {
			return n
		}
		return &node{kind: nOther, line: t.line, col: t.col}
	case t.kind == tIdent && (t.text == "await" || t.text == "typeof" || t.text == "void" || t.text == "delete" || t.text == "yield"):
		if t.text == "await" || t.text == "yield" {
			p.next()
			if p.python && t.text == "yield" && p.is("from") {
				p.next()
			}
			if p.atExprEnd() {
				return &node{kind: nOther, line: t.line, col: t.col}
			}
			return p.unary()
		}
		p.next()
		p.unary()
		return &node{kind: nOther, line: t.line, col: t.col}
	case t.kind == tIdent && t.text == "new" && !p.python:
		p.next()
		callee := p.primary()
		for p.budget() && (p.is(".") || p.is("?.")) {
			p.next()
			name := p.next()
			callee = &node{kind: nAttr, name: name.text, x: callee, line: name.line, col: name.col}
		}
		p.typeArgs()
		n := &node{kind: nNew, x: callee, line: t.line, col: t.col}
		if p.is("(") {
			n.args, _ = p.callArgs()
		}
		return p.postfix(n)
	}
	return p.postfix(p.primary())
}

func (p *reader) atExprEnd() bool {
	t := p.cur()
	return t.kind == tEOF || t.kind == tNewline || (t.kind == tPunct && (t.text == ")" || t.text == "]" || t.text == "}" || t.text == ";" || t.text == ","))
}

// typeArgs skips TypeScript type arguments: f<T>(...), new Map<K, V>().
func (p *reader) typeArgs() {
	if p.python || !p.is("<") {
		return
	}
	depth := 0
	for k := 0; k < 40; k++ {
		t := p.at(k)
		if t.kind == tEOF || t.kind == tString || (t.kind == tPunct && (t.text == ";" || t.text == "{" || t.text == "}" || t.text == "=" || t.text == "(" && depth == 0)) {
			return
		}
		if t.kind == tPunct && t.text == "<" {
			depth++
		}
		if t.kind == tPunct && t.text == ">" {
			depth--
			if depth == 0 {
				if n := p.at(k + 1); n.kind == tPunct && (n.text == "(" || n.text == "`") {
					p.i += k + 1
				}
				return
			}
		}
		if t.kind == tPunct && t.text == ">>" {
			return
		}
	}
}

func (p *reader) postfix(n *node) *node {
	for p.budget() {
		t := p.cur()
		switch {
		case t.kind == tPunct && (t.text == "." || t.text == "?."):
			p.next()
			if p.is("(") { // f?.(x)
				args, kw := p.callArgs()
				n = &node{kind: nCall, x: n, args: args, kw: kw, line: t.line, col: t.col}
				continue
			}
			if p.is("[") {
				continue
			}
			name := p.next()
			if name.kind != tIdent {
				return n
			}
			n = &node{kind: nAttr, name: name.text, x: n, line: name.line, col: name.col}
		case t.kind == tPunct && t.text == "(":
			args, kw := p.callArgs()
			n = &node{kind: nCall, x: n, args: args, kw: kw, line: n.line, col: n.col}
			if n.x.kind == nAttr {
				n.line, n.col = n.x.line, n.x.col
			}
		case t.kind == tPunct && t.text == "[":
			p.next()
			var idx *node
			if !p.is("]") {
				idx = p.expr()
				for p.accept(":") || p.accept(",") {
					if !p.is("]") {
						p.expr()
					}
				}
			}
			p.accept("]")
			n = &node{kind: nSub, x: n, y: idx, line: t.line, col: t.col}
		case !p.python && t.kind == tPunct && t.text == "!" && !(p.at(1).kind == tPunct && p.at(1).text == "="):
			p.next() // TypeScript's non-null assertion
		case !p.python && t.kind == tIdent && (t.text == "as" || t.text == "satisfies") && !t.first:
			p.next()
			p.skipType()
		case !p.python && t.kind == tPunct && t.text == "<" && n.kind != nStr && n.kind != nNum:
			save := p.i
			p.typeArgs()
			if p.i == save {
				return n
			}
		default:
			return n
		}
	}
	return n
}

// skipType skips a TypeScript type after "as", ":" or "satisfies".
func (p *reader) skipType() {
	depth := 0
	for p.budget() && !p.eof() {
		t := p.cur()
		if t.kind == tPunct {
			if t.text == "{" && depth == 0 && p.i > 0 {
				if prev := p.toks[p.i-1]; prev.kind == tIdent || prev.kind == tPunct && (prev.text == ">" || prev.text == "]" || prev.text == ")") {
					return
				}
			}
			switch t.text {
			case "<", "(", "[", "{":
				depth++
				p.next()
				continue
			case ">", ")", "]", "}":
				if depth == 0 {
					return
				}
				depth--
				p.next()
				continue
			case "|", "&", ".", "?", "=>":
				p.next()
				continue
			case ",", ";", "=", ":":
				if depth == 0 {
					return
				}
				p.next()
				continue
			}
			if depth == 0 {
				return
			}
			p.next()
			continue
		}
		if depth == 0 && p.i > 0 {
			prev := p.toks[p.i-1]
			if prev.kind == tIdent && prev.text != "as" && prev.text != "satisfies" && prev.text != "keyof" && prev.text != "typeof" && prev.text != "readonly" && t.kind == tIdent {
				return
			}
			if t.line != prev.line && prev.kind != tPunct {
				return
			}
		}
		p.next()
	}
}

// callArgs reads (a, b, name=c) from the opening parenthesis.
func (p *reader) callArgs() ([]*node, []kv) {
	p.next()
	var args []*node
	var kw []kv
	for p.budget() && !p.eof() && !p.is(")") {
		if p.python && p.cur().kind == tIdent && p.at(1).kind == tPunct && p.at(1).text == "=" {
			name := p.next().text
			p.next()
			kw = append(kw, kv{key: name, val: p.expr()})
		} else if p.python && p.is("**") {
			// f(**d): a dict whose keys are keyword arguments.
			p.next()
			kw = append(kw, kv{key: "**", val: p.expr()})
		} else {
			save := p.i
			a := p.expr()
			if p.python && p.is("for") { // a generator expression
				p.compFor()
			}
			if !p.python && p.is("=") { // an assignment inside a call
				p.next()
				p.expr()
			}
			args = append(args, a)
			if p.i == save {
				p.next()
			}
		}
		if !p.accept(",") && !p.is(")") {
			if p.eof() {
				break
			}
			p.next()
		}
	}
	p.accept(")")
	return args, kw
}

func (p *reader) compFor() {
	for p.budget() && p.is("for") || p.is("async") {
		p.accept("async")
		p.next()
		p.inFor = true
		p.targetList()
		p.inFor = false
		p.accept("in")
		p.or()
		for p.is("if") {
			p.next()
			p.or()
		}
	}
}

func (p *reader) targetList() {
	for p.budget() && !p.eof() {
		p.postfix(p.primary())
		if !p.accept(",") {
			return
		}
	}
}

func (p *reader) primary() *node {
	t := p.cur()
	switch t.kind {
	case tString:
		p.next()
		n := &node{kind: nStr, parts: t.parts, line: t.line, col: t.col}
		for _, part := range t.parts {
			var e *node
			if part.isEx && len(part.expr) > 0 {
				sub := &reader{toks: append(append([]tok{}, part.expr...), tok{kind: tEOF}), python: p.python, m: p.m, fn: p.fn}
				e = sub.expr()
			}
			n.exprs = append(n.exprs, e)
		}
		return n
	case tNumber:
		p.next()
		return &node{kind: nNum, name: t.text, line: t.line, col: t.col}
	case tIdent:
		switch t.text {
		case "lambda":
			if p.python {
				p.next()
				f := &function{name: "<lambda>", outer: p.fn}
				for !p.eof() && !p.is(":") {
					if p.cur().kind == tIdent {
						f.params = append(f.params, p.cur().text)
					}
					p.next()
				}
				p.accept(":")
				save := p.fn
				p.fn = f
				body := p.expr()
				p.fn = save
				f.body = []*stmt{{kind: sReturn, value: body, line: t.line}}
				p.m.all = append(p.m.all, f)
				return &node{kind: nFunc, fn: f, line: t.line, col: t.col}
			}
		case "function", "async":
			if !p.python {
				if t.text == "async" {
					if n := p.at(1); n.kind == tIdent && n.text == "function" {
						p.next()
					} else if n.kind == tPunct && n.text == "(" || n.kind == tIdent && p.at(2).kind == tPunct && p.at(2).text == "=>" {
						p.next()
						return p.primary()
					} else {
						break
					}
				}
				p.next()
				p.accept("*")
				name := ""
				if p.cur().kind == tIdent {
					name = p.next().text
				}
				f := p.jsFunction(name)
				return &node{kind: nFunc, fn: f, line: t.line, col: t.col}
			}
		case "class":
			if !p.python {
				p.next()
				c := p.jsClass()
				return &node{kind: nOther, name: c.name, line: t.line, col: t.col}
			}
		}
		p.next()
		if !p.python && p.is("=>") { // x => body
			return p.arrow([]string{t.text}, t)
		}
		return &node{kind: nName, name: t.text, line: t.line, col: t.col}
	case tPunct:
		switch t.text {
		case "(":
			if !p.python {
				if params, ok := p.arrowParams(); ok {
					return p.arrow(params, t)
				}
			}
			p.next()
			var first *node
			if !p.is(")") {
				first = p.expr()
				if p.python && p.is("for") {
					p.compFor()
				}
				for p.budget() && p.accept(",") && !p.is(")") {
					p.expr()
				}
			}
			for p.budget() && !p.eof() && !p.is(")") {
				p.next()
			}
			p.accept(")")
			if first == nil {
				return &node{kind: nOther, line: t.line, col: t.col}
			}
			return first
		case "[":
			p.next()
			n := &node{kind: nList, line: t.line, col: t.col}
			for p.budget() && !p.eof() && !p.is("]") {
				save := p.i
				n.args = append(n.args, p.expr())
				if p.python && p.is("for") {
					p.compFor()
				}
				if !p.accept(",") && !p.is("]") && p.i == save {
					p.next()
				}
			}
			p.accept("]")
			return n
		case "{":
			return p.dict()
		}
	}
	p.next()
	return &node{kind: nOther, line: t.line, col: t.col}
}

// dict reads a dict or object literal: keys that are names or strings
// keep their values; {a} is {a: a}; methods are functions.
func (p *reader) dict() *node {
	t := p.next()
	n := &node{kind: nDict, line: t.line, col: t.col}
	for p.budget() && !p.eof() && !p.is("}") {
		save := p.i
		key := ""
		var kx *node
		k := p.cur()
		switch {
		case k.kind == tString && len(k.parts) <= 1 && !(len(k.parts) == 1 && k.parts[0].isEx):
			key = k.text
			p.next()
		case k.kind == tIdent && !p.python:
			key = k.text
			p.next()
			if key == "async" || key == "get" || key == "set" {
				if c := p.cur(); c.kind == tIdent {
					key = c.text
					p.next()
				}
			}
		case k.kind == tPunct && k.text == "[" && !p.python:
			p.next()
			kx = p.expr()
			p.accept("]")
		case k.kind == tPunct && (k.text == "..." || k.text == "**"):
			// {...x} and {**x}: the spread's entries are the dict's too.
			p.next()
			n.args = append(n.args, p.expr())
			p.accept(",")
			continue
		default:
			kx = p.expr()
		}
		switch {
		case p.accept(":"):
			v := p.expr()
			if p.python && p.is("for") {
				p.compFor()
			}
			n.kw = append(n.kw, kv{key: key, val: v, kx: kx})
		case !p.python && p.is("("): // a method
			f := p.jsFunctionFrom(key)
			n.kw = append(n.kw, kv{key: key, val: &node{kind: nFunc, fn: f, line: k.line, col: k.col}})
		case !p.python && key != "":
			n.kw = append(n.kw, kv{key: key, val: &node{kind: nName, name: key, line: k.line, col: k.col}})
			if p.accept("=") { // a default in a pattern
				p.expr()
			}
		}
		if !p.accept(",") && !p.is("}") && p.i == save {
			p.next()
		}
	}
	p.accept("}")
	return n
}

// arrowParams looks ahead from "(" for "(...) =>" or "(...): T =>".
func (p *reader) arrowParams() ([]string, bool) {
	depth := 0
	for k := 0; k < 400; k++ {
		t := p.at(k)
		if t.kind == tEOF {
			return nil, false
		}
		if t.kind != tPunct {
			continue
		}
		switch t.text {
		case "(", "[", "{":
			depth++
		case ")", "]", "}":
			depth--
			if depth == 0 {
				n := p.at(k + 1)
				if n.kind == tPunct && (n.text == "=>" || n.text == ":") {
					arrowAt := k + 1
					if n.text == ":" {
						// (a): T => ...: the arrow is the first => outside
						// the return type's own brackets (Promise<(x: A) => B>).
						arrowAt = -1
						d := 0
						for j := k + 2; j < k+60; j++ {
							x := p.at(j)
							if x.kind == tEOF || x.kind == tPunct && (x.text == ";" || x.text == "{" && j == k+2) {
								break
							}
							if x.kind != tPunct {
								continue
							}
							switch x.text {
							case "(", "[", "{", "<":
								d++
							case ")", "]", "}", ">":
								d--
							case "=>":
								if d == 0 {
									arrowAt = j
								}
							}
							if arrowAt >= 0 || d < 0 {
								break
							}
						}
						if arrowAt < 0 {
							return nil, false
						}
					}
					params := p.paramNames(k)
					p.i += arrowAt
					return params, true
				}
				return nil, false
			}
		}
	}
	return nil, false
}

// paramNames reads the parameter names of the list at p.i .. p.i+end.
func (p *reader) paramNames(end int) []string {
	var out []string
	depth := 0
	expect := true
	for k := 0; k <= end; k++ {
		t := p.at(k)
		if t.kind == tPunct {
			switch t.text {
			case "(", "[", "{", "<":
				depth++
			case ")", "]", "}", ">":
				depth--
			case ",":
				if depth == 1 {
					expect = true
				}
			case ":", "=":
				if depth == 1 {
					expect = false
				}
			}
			continue
		}
		if expect && t.kind == tIdent && depth >= 1 {
			switch t.text {
			case "public", "private", "protected", "readonly", "self", "this":
				if t.text == "self" {
					out = append(out, t.text)
					expect = false
				}
				continue
			}
			out = append(out, t.text)
			if depth == 1 {
				expect = false
			}
		}
	}
	return out
}

func (p *reader) arrow(params []string, t tok) *node {
	p.accept("=>")
	f := &function{params: params, outer: p.fn}
	if p.is("{") {
		p.block(f)
	} else {
		save := p.fn
		p.fn = f
		body := p.assignOrExpr()
		p.fn = save
		f.body = []*stmt{{kind: sReturn, value: body, line: t.line}}
	}
	p.m.all = append(p.m.all, f)
	return &node{kind: nFunc, fn: f, line: t.line, col: t.col}
}
