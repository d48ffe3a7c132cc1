package code

// JavaScript/TypeScript statements.

func parseJS(file, src string) *module {
	m := &module{file: file, funcs: map[string]*function{}, classes: map[string]*class{}}
	m.top = &function{name: "<module>"}
	p := &reader{toks: lex(src, false), m: m, fn: m.top}
	m.all = append(m.all, m.top)
	for p.budget() && !p.eof() {
		p.jsStatement(m.top)
	}
	return m
}

func (p *reader) add(f *function, s *stmt) {
	for i := len(p.ifs) - 1; i >= 0; i-- {
		if p.ifs[i].fn == f {
			s.cond, s.neg = p.ifs[i].cond, p.ifs[i].neg
			break
		}
	}
	f.body = append(f.body, s)
}

// block reads { statements } into f.
func (p *reader) block(f *function) {
	save := p.fn
	p.fn = f
	p.accept("{")
	for p.budget() && !p.eof() && !p.is("}") {
		p.jsStatement(f)
	}
	p.accept("}")
	p.fn = save
}

// jsFunction reads (params) [: T] { body } after "function name".
func (p *reader) jsFunction(name string) *function {
	p.typeArgs()
	if p.is("<") {
		p.skipType()
	}
	return p.jsFunctionFrom(name)
}

func (p *reader) jsFunctionFrom(name string) *function {
	f := &function{name: name, outer: p.fn}
	if p.cls != nil {
		f.class = p.cls.name
	}
	if p.is("(") {
		start := p.i
		p.skipBalanced()
		end := p.i - 1 - start
		p.i = start
		f.params = p.paramNames(end)
		p.i = start + end + 1
	}
	if p.is(":") {
		p.next()
		p.skipType()
	}
	if p.is("{") {
		p.block(f)
	}
	p.m.all = append(p.m.all, f)
	if name != "" && p.cls == nil && f.outer == p.m.top {
		p.m.funcs[name] = f
	}
	return f
}

// jsClass reads a class after "class".
func (p *reader) jsClass() *class {
	c := &class{methods: map[string]*function{}, fields: map[string]*node{}}
	if p.cur().kind == tIdent && !p.is("extends") && !p.is("implements") {
		c.name = p.next().text
	}
	p.typeArgs()
	for p.budget() && !p.eof() && !p.is("{") {
		if p.accept("extends") {
			c.bases = append(c.bases, p.postfix(p.primary()))
			continue
		}
		p.next()
	}
	p.accept("{")
	saveCls := p.cls
	p.cls = c
	for p.budget() && !p.eof() && !p.is("}") {
		save := p.i
		for p.cur().kind == tIdent {
			switch p.cur().text {
			case "public", "private", "protected", "static", "readonly", "async", "get", "set", "override", "declare", "abstract":
				if n := p.at(1); n.kind == tPunct && (n.text == "(" || n.text == "=" || n.text == ":" || n.text == ";") {
					break
				}
				p.next()
				continue
			}
			break
		}
		p.accept("*")
		p.accept("#")
		name := ""
		if t := p.cur(); t.kind == tIdent || t.kind == tString {
			name = t.text
			p.next()
		}
		p.accept("?")
		p.accept("!")
		switch {
		case p.is("(") || p.is("<"):
			f := p.jsFunction(name)
			c.methods[name] = f
		default:
			if p.accept(":") {
				p.skipType()
			}
			if p.accept("=") {
				fld := p.assignOrExpr()
				c.fields[name] = fld
				if fld.kind == nFunc {
					fld.fn.class = c.name
					c.methods[name] = fld.fn
				}
			}
			p.accept(";")
		}
		if p.i == save {
			p.next()
		}
	}
	p.accept("}")
	p.cls = saveCls
	if c.name != "" {
		p.m.classes[c.name] = c
	}
	return c
}

// jsStatement reads one statement into f.
func (p *reader) jsStatement(f *function) {
	t := p.cur()
	if t.kind == tPunct {
		switch t.text {
		case ";":
			p.next()
			return
		case "{":
			p.next()
			for p.budget() && !p.eof() && !p.is("}") {
				p.jsStatement(f)
			}
			p.accept("}")
			return
		case "@": // a decorator
			p.next()
			p.postfix(p.primary())
			return
		}
	}
	if t.kind == tIdent {
		switch t.text {
		case "import":
			if n := p.at(1); n.kind == tPunct && (n.text == "(" || n.text == ".") {
				break
			}
			p.jsImport(f)
			return
		case "export":
			p.next()
			if p.accept("default") {
				// export default EXPR: the module's "default".
				if c := p.cur(); !(c.kind == tIdent && (c.text == "function" || c.text == "class" || c.text == "async")) {
					v := p.assignOrExpr()
					p.add(f, &stmt{kind: sAssign, targets: []*node{{kind: nName, name: "default", line: t.line}}, value: v, line: t.line})
					p.accept(";")
					return
				}
			}
			if p.is("=") { // export = x
				p.next()
			}
			if p.is("{") || p.is("*") { // export { a } from '...'
				for p.budget() && !p.eof() && !p.is(";") && p.cur().line == t.line {
					p.next()
				}
				return
			}
			if !p.eof() {
				p.jsStatement(f)
			}
			return
		case "const", "let", "var":
			p.next()
			p.jsDecl(f)
			return
		case "function":
			p.next()
			p.accept("*")
			name := ""
			if p.cur().kind == tIdent {
				name = p.next().text
			}
			p.jsFunction(name)
			return
		case "async":
			if n := p.at(1); n.kind == tIdent && n.text == "function" {
				p.next()
				p.jsStatement(f)
				return
			}
		case "class":
			p.next()
			p.jsClass()
			return
		case "return", "throw":
			p.next()
			if p.is(";") || p.is("}") || p.cur().line != t.line {
				return
			}
			v := p.expr()
			if t.text == "return" {
				p.add(f, &stmt{kind: sReturn, value: v, line: t.line})
			}
			return
		case "if", "while", "for", "switch", "with", "catch":
			p.next()
			p.accept("await")
			if p.is("(") {
				p.next()
				for p.budget() && !p.eof() && !p.is(")") {
					save := p.i
					if p.is("const") || p.is("let") || p.is("var") {
						p.next()
						p.jsDecl(f)
					} else {
						p.add(f, &stmt{kind: sExpr, value: p.expr(), line: t.line})
					}
					if p.i == save {
						p.next()
					}
				}
				p.accept(")")
			}
			return
		case "else", "try", "do", "finally", "default", "break", "continue":
			p.next()
			return
		case "case":
			p.next()
			p.expr()
			p.accept(":")
			return
		case "interface", "type", "enum", "declare", "namespace", "module", "abstract":
			if n := p.at(1); n.kind == tIdent && n.line == t.line {
				p.next()
				for p.budget() && !p.eof() && !p.is("{") && !p.is("=") && !p.is(";") {
					p.next()
				}
				if p.is("=") {
					p.next()
					p.skipType()
				} else if p.is("{") {
					p.skipBalanced()
				}
				return
			}
		}
	}
	save := p.i
	e := p.expr()
	if p.is("=") || p.is("+=") || p.is("??=") || p.is("||=") {
		op := p.next().text
		v := p.expr()
		if op == "+=" {
			v = &node{kind: nBin, name: "+", x: e, y: v, line: v.line, col: v.col}
		}
		p.add(f, &stmt{kind: sAssign, targets: []*node{e}, value: v, line: t.line})
	} else {
		p.add(f, &stmt{kind: sExpr, value: e, line: t.line})
	}
	if p.i == save {
		p.next()
	}
	p.accept(";")
}

// jsDecl reads the declarators after const/let/var.
func (p *reader) jsDecl(f *function) {
	for p.budget() && !p.eof() {
		t := p.cur()
		var target *node
		var pattern *node
		switch {
		case t.kind == tIdent:
			p.next()
			target = &node{kind: nName, name: t.text, line: t.line, col: t.col}
		case t.kind == tPunct && (t.text == "{" || t.text == "["):
			if t.text == "{" {
				pattern = p.dict()
			} else {
				p.skipBalanced()
			}
		default:
			return
		}
		p.accept("!")
		if p.accept(":") {
			p.skipType()
		}
		if p.is("of") || p.is("in") { // for (const x of xs)
			p.next()
			v := p.expr()
			if target != nil {
				p.add(f, &stmt{kind: sAssign, targets: []*node{target}, value: &node{kind: nSub, x: v, line: v.line, col: v.col}, line: t.line})
			}
			return
		}
		if p.accept("=") {
			v := p.assignOrExpr()
			switch {
			case target != nil:
				if v.kind == nFunc && v.fn.name == "" {
					v.fn.name = target.name
					if f == p.m.top {
						p.m.funcs[target.name] = v.fn
					}
				}
				p.add(f, &stmt{kind: sAssign, targets: []*node{target}, value: v, line: t.line})
			case pattern != nil:
				s := &stmt{kind: sDestructure, value: v, imports: map[string]string{}, line: t.line}
				for _, e := range pattern.kw {
					local := e.key
					if e.val != nil && e.val.kind == nName {
						local = e.val.name
					}
					s.imports[local] = e.key
					s.names = append(s.names, local)
				}
				p.add(f, s)
			}
		}
		if !p.accept(",") {
			p.accept(";")
			return
		}
	}
}

// jsImport reads an import declaration.
func (p *reader) jsImport(f *function) {
	t := p.next()
	s := &stmt{kind: sImport, imports: map[string]string{}, line: t.line}
	if p.is("type") && p.at(1).kind != tPunct {
		p.next()
	}
	for p.budget() && !p.eof() {
		c := p.cur()
		switch {
		case c.kind == tString:
			s.module = c.text
			p.next()
			p.accept(";")
			p.add(f, s)
			return
		case c.kind == tIdent && c.text == "from":
			p.next()
		case c.kind == tPunct && c.text == "*":
			p.next()
			p.accept("as")
			if p.cur().kind == tIdent {
				s.imports[p.next().text] = "*"
			}
		case c.kind == tPunct && c.text == "{":
			p.next()
			for p.budget() && !p.eof() && !p.is("}") {
				if p.is("type") && p.at(1).kind == tIdent {
					p.next()
				}
				n := p.next()
				local := n.text
				if p.accept("as") {
					local = p.next().text
				}
				if n.kind == tIdent || n.kind == tString {
					s.imports[local] = n.text
				}
				p.accept(",")
			}
			p.accept("}")
		case c.kind == tIdent && c.text == "=": // import x = require('...')
			p.next()
		case c.kind == tIdent && c.text == "require":
			p.next()
		case c.kind == tPunct && (c.text == "," || c.text == "(" || c.text == ")" || c.text == "="):
			p.next()
		case c.kind == tIdent:
			s.imports[p.next().text] = "default"
		default:
			p.add(f, s)
			return
		}
	}
}
