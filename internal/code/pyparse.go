package code

// Python statements: logical lines with their indentation; def and class
// open blocks that end where the indentation returns.

func parsePython(file, src string) *module {
	m := &module{file: file, python: true, funcs: map[string]*function{}, classes: map[string]*class{}}
	m.top = &function{name: "<module>"}
	m.all = append(m.all, m.top)
	p := &reader{toks: lex(src, true), python: true, m: m, fn: m.top}
	type frame struct {
		indent int
		fn     *function
		cls    *class
	}
	stack := []frame{{-1, m.top, nil}}
	pendingIndent := -1 // the body of a def/class must be deeper than this
	for p.budget() && !p.eof() {
		if p.cur().kind == tNewline {
			p.next()
			continue
		}
		ind := p.cur().indent
		if pendingIndent >= 0 {
			if ind <= pendingIndent {
				stack = stack[:len(stack)-1] // an empty body
			}
			pendingIndent = -1
		}
		for len(stack) > 1 && ind <= stack[len(stack)-1].indent {
			stack = stack[:len(stack)-1]
		}
		top := stack[len(stack)-1]
		p.fn, p.cls = top.fn, top.cls
		start := p.i
		// The if blocks this line closes; else switches one to its
		// else block, elif to its next condition.
		for len(p.ifs) > 0 && ind <= p.ifs[len(p.ifs)-1].indent {
			b := &p.ifs[len(p.ifs)-1]
			if ind == b.indent && p.is("else") && b.fn == top.fn {
				b.neg = true
				break
			}
			p.ifs = p.ifs[:len(p.ifs)-1]
		}
		p.lastIf = nil
		switch {
		case p.is("def") || p.is("async") && p.at(1).text == "def":
			p.accept("async")
			p.next()
			name := p.next().text
			f := &function{name: name, outer: top.fn}
			if top.cls != nil && top.fn == nil {
				f.class = top.cls.name
				top.cls.methods[name] = f
			} else if top.fn == m.top {
				m.funcs[name] = f
			}
			if p.is("(") {
				s := p.i
				p.skipBalanced()
				end := p.i - 1 - s
				p.i = s
				f.params = p.paramNames(end)
				f.varargs, f.kwargs, f.noneDefault = p.starParams(end)
				p.i = s + end + 1
			}
			p.skipToColon()
			m.all = append(m.all, f)
			stack = append(stack, frame{ind, f, nil})
			if !p.restOfLine(f) {
				pendingIndent = ind
			} else {
				stack = stack[:len(stack)-1]
			}
			continue
		case p.is("class"):
			p.next()
			c := &class{name: p.next().text, methods: map[string]*function{}, fields: map[string]*node{}}
			if p.is("(") {
				args, _ := p.callArgs()
				c.bases = args
			}
			p.skipToColon()
			m.classes[c.name] = c
			stack = append(stack, frame{ind, nil, c})
			pendingIndent = ind
			p.skipLine()
			continue
		}
		f := top.fn
		if f == nil { // class body
			p.classLine(top.cls)
		} else {
			p.pyStatement(f)
			if p.lastIf != nil && len(p.ifs) < 32 {
				p.ifs = append(p.ifs, ifBlock{indent: ind, fn: f, cond: p.lastIf})
			}
		}
		if p.i == start {
			p.next()
		}
		p.skipLine()
	}
	return m
}

func (p *reader) skipToColon() {
	depth := 0
	for p.budget() && !p.eof() && p.cur().kind != tNewline {
		t := p.cur()
		if t.kind == tPunct {
			switch t.text {
			case "(", "[", "{":
				depth++
			case ")", "]", "}":
				depth--
			case ":":
				if depth == 0 {
					p.next()
					return
				}
			}
		}
		p.next()
	}
}

// restOfLine reads a simple statement after a header's colon on the same
// line; it reports whether there was one.
func (p *reader) restOfLine(f *function) bool {
	if p.cur().kind == tNewline || p.eof() {
		return false
	}
	save := p.fn
	p.fn = f
	p.pyStatement(f)
	p.fn = save
	return true
}

func (p *reader) skipLine() {
	for p.budget() && !p.eof() && p.cur().kind != tNewline {
		p.next()
	}
}

// classLine reads a class-level line: NAME: T = default, NAME = value, a
// decorator, a docstring.
func (p *reader) classLine(c *class) {
	t := p.cur()
	if t.kind == tIdent && p.at(1).kind == tPunct && (p.at(1).text == ":" || p.at(1).text == "=") {
		p.next()
		if p.accept(":") {
			for p.budget() && !p.eof() && p.cur().kind != tNewline && !p.is("=") {
				p.next()
			}
			c.fields[t.text] = nil
		}
		if p.accept("=") {
			c.fields[t.text] = p.expr()
		}
		return
	}
	p.expr()
}

// pyStatement reads one logical line (or the part after a header) into f.
func (p *reader) pyStatement(f *function) {
	t := p.cur()
	if t.kind == tPunct && t.text == "@" {
		p.next()
		p.add(f, &stmt{kind: sExpr, value: p.expr(), line: t.line})
		return
	}
	if t.kind == tIdent {
		switch t.text {
		case "import":
			p.next()
			for p.budget() && p.cur().kind == tIdent {
				mod := p.dotted()
				local := mod
				if p.accept("as") {
					local = p.next().text
				} else if i := indexByte(mod, '.'); i >= 0 {
					local = mod[:i]
				}
				p.add(f, &stmt{kind: sImport, module: mod, imports: map[string]string{local: ""}, line: t.line})
				if !p.accept(",") {
					break
				}
			}
			return
		case "from":
			p.next()
			mod := ""
			for p.is(".") || p.is("...") {
				mod += p.next().text
			}
			if p.cur().kind == tIdent && !p.is("import") {
				mod += p.dotted()
			}
			p.accept("import")
			s := &stmt{kind: sImport, module: mod, imports: map[string]string{}, line: t.line}
			p.accept("(")
			for p.budget() && !p.eof() && p.cur().kind == tIdent || p.is("*") {
				name := p.next().text
				local := name
				if p.accept("as") {
					local = p.next().text
				}
				s.imports[local] = name
				if !p.accept(",") {
					break
				}
			}
			p.add(f, s)
			return
		case "return":
			p.next()
			if p.cur().kind != tNewline && !p.eof() {
				p.add(f, &stmt{kind: sReturn, value: p.exprList(), line: t.line})
			}
			return
		case "if", "elif", "while":
			p.next()
			c := p.expr()
			p.add(f, &stmt{kind: sExpr, value: c, line: t.line})
			p.accept(":")
			if t.text != "while" && (p.cur().kind == tNewline || p.eof()) {
				p.lastIf = c // a block follows
			}
			p.restOfLine(f)
			return
		case "else", "try", "finally":
			p.next()
			p.accept(":")
			p.restOfLine(f)
			return
		case "except":
			p.skipToColon()
			p.restOfLine(f)
			return
		case "with", "async":
			if t.text == "async" {
				p.next()
				if !p.is("with") && !p.is("for") {
					return
				}
				if p.is("for") {
					p.pyStatement(f)
					return
				}
			}
			p.next()
			for p.budget() && !p.eof() {
				v := p.expr()
				if p.accept("as") {
					target := p.postfix(p.primary())
					p.add(f, &stmt{kind: sAssign, targets: []*node{target}, value: v, line: t.line})
				} else {
					p.add(f, &stmt{kind: sExpr, value: v, line: t.line})
				}
				if !p.accept(",") {
					break
				}
			}
			p.accept(":")
			p.restOfLine(f)
			return
		case "for":
			p.next()
			p.inFor = true
			target := p.postfix(p.primary())
			for p.accept(",") {
				p.postfix(p.primary())
			}
			p.inFor = false
			p.accept("in")
			v := p.expr()
			p.add(f, &stmt{kind: sAssign, targets: []*node{target}, value: &node{kind: nSub, x: v, line: v.line, col: v.col}, line: t.line})
			p.accept(":")
			p.restOfLine(f)
			return
		case "global":
			p.next()
			for p.cur().kind == tIdent {
				if f.globalNames == nil {
					f.globalNames = map[string]bool{}
				}
				f.globalNames[p.next().text] = true
				if !p.accept(",") {
					break
				}
			}
			return
		case "pass", "break", "continue", "raise", "del", "nonlocal", "assert":
			p.next()
			if t.text == "raise" || t.text == "assert" {
				if p.cur().kind != tNewline {
					p.expr()
				}
			}
			return
		}
	}
	// An expression, an assignment chain or an annotated assignment.
	e := p.exprList()
	var targets []*node
	if p.is(":") && e.kind == nName || p.is(":") && e.kind == nAttr {
		p.next()
		for p.budget() && !p.eof() && p.cur().kind != tNewline && !p.is("=") {
			p.next()
		}
	}
	for p.is("=") || p.is("+=") || p.is(":=") {
		op := p.next().text
		targets = append(targets, e)
		next := p.exprList()
		if op == "+=" {
			next = &node{kind: nBin, name: "+", x: e, y: next, line: next.line, col: next.col}
		}
		e = next
	}
	if len(targets) > 0 {
		st := &stmt{kind: sAssign, targets: targets, value: e, line: t.line}
		p.add(f, st)
		for _, tg := range targets {
			if tg.kind == nName && f.globalNames[tg.name] {
				if p.m.globals == nil {
					p.m.globals = map[string][]globalBind{}
				}
				p.m.globals[tg.name] = append(p.m.globals[tg.name], globalBind{st, f})
			}
		}
		return
	}
	p.add(f, &stmt{kind: sExpr, value: e, line: t.line})
}

// exprList reads a, b, c (a tuple: its first element stands for it).
func (p *reader) exprList() *node {
	e := p.expr()
	for p.budget() && p.is(",") {
		p.next()
		if p.cur().kind == tNewline || p.is("=") || p.eof() {
			break
		}
		p.expr()
	}
	return e
}

func (p *reader) dotted() string {
	s := p.next().text
	for p.is(".") && p.at(1).kind == tIdent {
		p.next()
		s += "." + p.next().text
	}
	return s
}

func indexByte(s string, c byte) int {
	for i := 0; i < len(s); i++ {
		if s[i] == c {
			return i
		}
	}
	return -1
}

// starParams returns the names of the *args and **kwargs parameters of
// the list at p.i .. p.i+end, and the parameters whose default is None.
func (p *reader) starParams(end int) (varargs, kwargs string, none map[string]bool) {
	depth := 0
	last := "" // the parameter being read
	for k := 0; k < end; k++ {
		t := p.at(k)
		if t.kind == tIdent && depth == 1 {
			if prev := p.at(k - 1); prev.kind == tPunct && (prev.text == "(" || prev.text == ",") {
				last = t.text
			}
			if t.text == "None" && p.at(k-1).kind == tPunct && p.at(k-1).text == "=" && last != "" {
				if n := p.at(k + 1); n.kind == tPunct && (n.text == "," || n.text == ")") {
					if none == nil {
						none = map[string]bool{}
					}
					none[last] = true
				}
			}
		}
		if t.kind != tPunct {
			continue
		}
		switch t.text {
		case "(", "[", "{":
			depth++
		case ")", "]", "}":
			depth--
		case "*", "**":
			if n := p.at(k + 1); depth == 1 && n.kind == tIdent {
				if t.text == "*" {
					varargs = n.text
				} else {
					kwargs = n.text
				}
			}
		}
	}
	return varargs, kwargs, none
}
