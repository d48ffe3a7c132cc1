package commands

import (
	"errors"
	"fmt"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"mvdan.cc/sh/v3/pattern"
	"mvdan.cc/sh/v3/syntax"

	"github.com/iamfit/iamfit/internal/need"
)

// Command is one simple command found in a run: script.
type Command struct {
	// Line is the 0-based line of the script where the command starts.
	Line int
	// Col is the 0-based byte column of Line where the command starts.
	Col int
	// Args are the words of the command after expansion, without
	// redirections and without wrappers such as sudo, env, exec or nohup.
	Args []string
	// Env holds NAME=value for the assignments before the command
	// (X=1 cmd, env X=1 cmd) and the variables the script exported,
	// sorted by name.
	Env []string
	// Stdin is the body of a here-document or here-string redirected
	// into the command (expanded unless the delimiter is quoted), or "".
	Stdin string
	// Stdout is the file the command's standard output is redirected to
	// (> FILE or >> FILE, expanded), or "": echo "X=1" >> "$GITHUB_ENV"
	// has Stdout {{GITHUB_ENV}}.
	Stdout string
}

// Error is a problem reading a script, at a 0-based line and byte column
// like Command's.
type Error struct {
	Line, Col int
	Msg       string
}

func (e *Error) Error() string { return fmt.Sprintf("%d:%d: %s", e.Line+1, e.Col+1, e.Msg) }

// Limits on the work done for one script: hostile or broken input yields
// fewer commands and an Error, never unbounded time or memory.
const (
	// MaxScript is the longest script read; the rest is dropped.
	MaxScript = 1 << 20
	// MaxNesting bounds how deeply compound commands, substitutions and
	// parameter expansions nest.
	MaxNesting = 200
	// MaxLoop is the most values a for loop is expanded over; longer
	// lists are read once with the loop variable as a parameter.
	MaxLoop = 64
	// MaxCommands is the most commands returned for one script.
	MaxCommands = 10000
	// MaxCallDepth bounds nested function calls (and eval, sh -c).
	MaxCallDepth = 16
	// maxSteps bounds the statements and words visited, counting each
	// loop iteration and function call.
	maxSteps = 200000
	// maxValue bounds one expanded word; maxExpand all of them together.
	maxValue  = 64 << 10
	maxExpand = 16 << 20
	// maxPattern bounds values matched against glob patterns (${X#*/}).
	maxPattern = 4096
)

// Commands reads a run: script for the simple commands it runs; see Parse.
// A script that does not parse yields the commands that can be read.
func Commands(script string, lookup func(string) (string, bool)) []Command {
	cmds, _ := Parse(script, lookup)
	return cmds
}

// Parse reads a run: script with a shell parser (bash syntax) and returns
// every simple command it runs, in order: in lists, pipelines, if, while,
// until, case, { }, ( ), negations and command substitutions ($(...) and
// backticks, whose value becomes the parameter {{$(...)}}). A for loop over
// a list of known values is read once per value (at most MaxLoop); other
// loops once, with the loop variable as a parameter. A function's body is
// read where it is called, with its arguments as $1...; a function never
// called is read at the end of the script. Here-document bodies are not
// commands; the body fed to a command is its Stdin.
//
// Variables come from the script's assignments (X=v, export, local,
// declare, readonly, arrays, ${X:=v}), then from lookup; ${X:-d}, ${X-d},
// ${X:+a}, ${X#p}, ${X%p}, ${X/p/r}, ${X:o:n}, ${X^^}, ${X,,} and ${#X}
// are applied to known values. A variable neither assigns becomes the
// parameter {{X}}, as does one assigned a command's output.
//
// The error, an *Error or several joined, reports what could not be read:
// a syntax error (the commands before it are still returned) or a limit.
func Parse(script string, lookup func(string) (string, bool)) ([]Command, error) {
	return ParseArgs(script, nil, lookup)
}

// ParseArgs is Parse for a script run with arguments ($1, $2, ..., $@);
// nil args leave them unknown.
func ParseArgs(script string, args []string, lookup func(string) (string, bool)) ([]Command, error) {
	r := &reader{lookup: lookup, vars: map[string]*variable{}, funcs: map[string]*function{}, exported: map[string]bool{}}
	if args != nil {
		r.frames = append(r.frames, &frame{vars: map[string]*variable{}, args: args, function: true})
	}
	r.load(script, text{})
	for _, name := range r.order {
		if f := r.funcs[name]; !f.called {
			f.called = true
			r.call(f, nil, nil)
		}
	}
	return r.out, errors.Join(r.errs...)
}

// variable is a shell variable: a string, or an indexed array.
type variable struct {
	val   string
	list  []string
	array bool
	unset bool // unset X: hides lookup
}

func (v *variable) str() string {
	if v.array {
		if len(v.list) == 0 {
			return ""
		}
		return v.list[0]
	}
	return v.val
}

type function struct {
	body   *syntax.Stmt
	called bool
	active bool
}

// frame is a variable scope: a function's locals and arguments, the
// assignments before one command, or a subshell that keeps its writes.
type frame struct {
	vars     map[string]*variable
	args     []string // positional parameters, for a function frame
	function bool
	subshell bool
}

type reader struct {
	lookup   func(string) (string, bool)
	vars     map[string]*variable
	frames   []*frame
	funcs    map[string]*function
	order    []string
	exported map[string]bool
	out      []Command
	errs     []error
	steps    int
	expanded int
	depth    int
	calls    int
	stopped  bool
	// deepCalls: MaxCallDepth was reported.
	deepCalls bool

	at text // the script, or the string of an eval or sh -c in it
}

// text is a source being read: its line starts, and for the string of an
// eval or sh -c the position in the script all its commands map to.
type text struct {
	lines     []int
	inline    bool
	line, col int
}

func (r *reader) errorf(off int, format string, args ...any) {
	line, col := r.position(off)
	r.errs = append(r.errs, &Error{Line: line, Col: col, Msg: fmt.Sprintf(format, args...)})
}

func (r *reader) position(off int) (int, int) {
	if r.at.inline {
		return r.at.line, r.at.col
	}
	lines := r.at.lines
	i := sort.Search(len(lines), func(i int) bool { return lines[i] > off }) - 1
	if i < 0 {
		return 0, off
	}
	return i, off - lines[i]
}

func (r *reader) pos(p syntax.Pos) (int, int) { return r.position(int(p.Offset())) }

// load parses src and walks it: the script (at.inline false), or the
// string of an eval or sh -c, all of whose commands are placed at at.
func (r *reader) load(src string, at text) {
	saved := r.at
	defer func() { r.at = saved }()
	src = strings.ReplaceAll(src, "\r\n", "\n")
	at.lines = []int{0}
	for i := 0; i < len(src); i++ {
		if src[i] == '\n' {
			at.lines = append(at.lines, i+1)
		}
	}
	r.at = at
	if len(src) > MaxScript {
		cut := strings.LastIndexByte(src[:MaxScript], '\n') + 1
		r.errorf(cut, "script longer than %d bytes: the rest is not read", MaxScript)
		src = src[:cut]
	}
	if off := nestingOver(src, MaxNesting); off >= 0 {
		r.errorf(off, "script nested more than %d levels deep: the rest is not read", MaxNesting)
		src = src[:strings.LastIndexByte(src[:off], '\n')+1]
	}
	f, err := parse(src, 0)
	if err != nil {
		r.parseError(err)
		// Read what the parser can recover (a missing fi, done or });
		// failing that, or when a quote is not closed (the rest of the
		// script would be one word), the lines before the error.
		for range 3 {
			off := len(src)
			var pe syntax.ParseError
			if errors.As(err, &pe) {
				off = min(int(pe.Pos.Offset()), len(src))
			}
			if !strings.Contains(pe.Text, "quote") {
				if f, err = parse(src, 16); err == nil {
					break
				}
			}
			src = src[:strings.LastIndexByte(src[:off], '\n')+1]
			if f, err = parse(src, 0); err == nil {
				break
			}
			f = nil
		}
	}
	if f != nil {
		r.stmts(f.Stmts)
	}
}

func (r *reader) parseError(err error) {
	var pe syntax.ParseError
	var le syntax.LangError
	switch {
	case errors.As(err, &pe):
		r.errorf(int(pe.Pos.Offset()), "%s", pe.Text)
	case errors.As(err, &le):
		r.errorf(int(le.Pos.Offset()), "%s", le.Feature+" is not supported")
	default:
		r.errorf(0, "%v", err)
	}
}

// parse runs the shell parser, turning a panic in it into an error.
func parse(src string, recover_ int) (f *syntax.File, err error) {
	defer func() {
		if p := recover(); p != nil {
			f, err = nil, fmt.Errorf("shell parser failed: %v", p)
		}
	}()
	opts := []syntax.ParserOption{syntax.Variant(syntax.LangBash)}
	if recover_ > 0 {
		opts = append(opts, syntax.RecoverErrors(recover_))
	}
	return syntax.NewParser(opts...).Parse(strings.NewReader(src), "")
}

// nestingOver returns the offset where src nests deeper than limit, or -1.
// It is a cheap lexer run before the parser, whose recursion (and the Go
// stack) it bounds: it follows quotes, comments and here-documents well
// enough for real scripts, and counts brackets and compound keywords.
func nestingOver(src string, limit int) int {
	type mode byte
	const (
		code mode = iota
		dquote
		arith
	)
	stack := []mode{code}
	// Brackets and keywords count apart: a case pattern's ) closes no
	// bracket, and a stray one must not hide the keywords around it.
	depth, keywords := 0, 0
	var hdocs []string // pending here-document delimiters
	open := func(m mode, at int) bool {
		stack = append(stack, m)
		depth++
		return depth+keywords > limit
	}
	closeOne := func() {
		if len(stack) > 1 {
			stack = stack[:len(stack)-1]
		}
		if depth > 0 {
			depth--
		}
	}
	wordStart := func(i int) bool {
		return i == 0 || strings.IndexByte(" \t\n;&|()", src[i-1]) >= 0
	}
	for i := 0; i < len(src); i++ {
		c := src[i]
		top := stack[len(stack)-1]
		if top == dquote {
			switch {
			case c == '\\':
				i++
			case c == '"':
				stack = stack[:len(stack)-1]
			case c == '$' && i+1 < len(src) && (src[i+1] == '(' || src[i+1] == '{'):
				i++
				if open(code, i) {
					return i
				}
			}
			continue
		}
		switch {
		case c == '\\':
			i++
		case c == '\'' && top != arith:
			if i > 0 && src[i-1] == '$' {
				for i++; i < len(src) && src[i] != '\''; i++ {
					if src[i] == '\\' {
						i++
					}
				}
			} else if j := strings.IndexByte(src[i+1:], '\''); j >= 0 {
				i += j + 1
			} else {
				i = len(src)
			}
		case c == '"':
			stack = append(stack, dquote)
		case c == '#' && top == code && wordStart(i):
			for i < len(src) && src[i] != '\n' {
				i++
			}
			i--
		case c == '<' && top == code && strings.HasPrefix(src[i:], "<<") && !strings.HasPrefix(src[i:], "<<<"):
			j := i + 2
			if j < len(src) && src[j] == '-' {
				j++
			}
			for j < len(src) && (src[j] == ' ' || src[j] == '\t') {
				j++
			}
			k := j
			for k < len(src) && strings.IndexByte(" \t\n;&|<>()", src[k]) < 0 {
				k++
			}
			if delim := strings.NewReplacer(`'`, "", `"`, "", `\`, "").Replace(src[j:k]); delim != "" {
				hdocs = append(hdocs, delim)
			}
			i = k - 1
		case c == '\n' && len(hdocs) > 0:
			for _, delim := range hdocs {
				for i+1 < len(src) {
					end := strings.IndexByte(src[i+1:], '\n')
					if end < 0 {
						end = len(src) - i - 1
					}
					line := src[i+1 : i+1+end]
					i += end + 1
					if strings.TrimLeft(line, "\t") == delim {
						break
					}
				}
			}
			hdocs = hdocs[:0]
		case c == '(' && top == code && i+1 < len(src) && src[i+1] == ')':
			// f() body: a body that is not { } or ( ) is a nesting the
			// brackets do not show (f() f() f() ...).
			j := i + 2
			for j < len(src) && strings.IndexByte(" \t\n", src[j]) >= 0 {
				j++
			}
			if j < len(src) && src[j] != '{' && src[j] != '(' {
				if keywords++; depth+keywords > limit {
					return i
				}
			}
			i++
		case c == '(' || c == '{' || c == '[':
			m := code
			if c == '(' && i+1 < len(src) && src[i+1] == '(' || top == arith {
				m = arith
			}
			if open(m, i) {
				return i
			}
		case c == ')' || c == '}' || c == ']':
			closeOne()
		case top == code && wordStart(i) && c >= 'a' && c <= 'z':
			j := i
			for j < len(src) && src[j] >= 'a' && src[j] <= 'z' {
				j++
			}
			if j == len(src) || strings.IndexByte(" \t\n;&|()", src[j]) >= 0 {
				switch src[i:j] {
				case "if", "for", "while", "until", "case", "select":
					if keywords++; depth+keywords > limit {
						return i
					}
				case "fi", "done", "esac":
					// Only in command position: not echo done.
					k := i - 1
					for k >= 0 && (src[k] == ' ' || src[k] == '\t') {
						k--
					}
					if k < 0 || strings.IndexByte(";\n&|", src[k]) >= 0 {
						keywords = max(keywords-1, 0)
					}
				}
			}
			i = j - 1
		}
	}
	return -1
}

// step counts work; false once the budget is spent.
func (r *reader) step(off int) bool {
	if r.stopped {
		return false
	}
	r.steps++
	if r.steps > maxSteps || len(r.out) >= MaxCommands {
		r.stopped = true
		r.errorf(off, "script too large to read (more than %d commands or %d steps): the rest is not read", MaxCommands, maxSteps)
		return false
	}
	return true
}

func (r *reader) stmts(list []*syntax.Stmt) {
	for _, s := range list {
		r.stmt(s)
	}
}

func (r *reader) stmt(s *syntax.Stmt) {
	if s == nil || !r.step(int(s.Pos().Offset())) {
		return
	}
	r.depth++
	defer func() { r.depth-- }()
	if r.depth > 4*MaxNesting {
		return
	}
	stdin, stdout := "", ""
	for _, rd := range s.Redirs {
		if rd == nil {
			continue
		}
		if (rd.Op == syntax.RdrOut || rd.Op == syntax.AppOut || rd.Op == syntax.ClbOut) && (rd.N == nil || rd.N.Value == "1") && rd.Word != nil {
			if f := r.fields(rd.Word, false); len(f) > 0 {
				stdout = f[0]
			}
			continue
		}
		if body, ok := r.redirect(rd); ok {
			stdin = body
		}
	}
	switch c := s.Cmd.(type) {
	case *syntax.CallExpr:
		r.callExpr(c, stdin, stdout)
	case *syntax.DeclClause:
		r.decl(c)
	case *syntax.BinaryCmd:
		r.stmt(c.X)
		r.stmt(c.Y)
	case *syntax.Block:
		r.stmts(c.Stmts)
	case *syntax.Subshell:
		r.subshell(func() { r.stmts(c.Stmts) })
	case *syntax.IfClause:
		for ic := c; ic != nil; ic = ic.Else {
			r.stmts(ic.Cond)
			r.stmts(ic.Then)
		}
	case *syntax.WhileClause:
		r.stmts(c.Cond)
		r.stmts(c.Do)
	case *syntax.ForClause:
		r.forClause(c)
	case *syntax.CaseClause:
		r.fields(c.Word, false)
		for _, it := range c.Items {
			if it != nil {
				r.stmts(it.Stmts)
			}
		}
	case *syntax.FuncDecl:
		if c.Name != nil && c.Body != nil {
			name := c.Name.Value
			if _, ok := r.funcs[name]; !ok {
				r.order = append(r.order, name)
			}
			r.funcs[name] = &function{body: c.Body}
		}
	case *syntax.TimeClause:
		r.stmt(c.Stmt)
	case *syntax.CoprocClause:
		r.stmt(c.Stmt)
	case *syntax.TestClause:
		r.test(c.X)
	}
}

func (r *reader) test(x syntax.TestExpr) {
	r.depth++
	defer func() { r.depth-- }()
	if r.depth > 4*MaxNesting {
		return
	}
	switch x := x.(type) {
	case *syntax.Word:
		r.fields(x, true)
	case *syntax.BinaryTest:
		r.test(x.X)
		r.test(x.Y)
	case *syntax.UnaryTest:
		r.test(x.X)
	case *syntax.ParenTest:
		r.test(x.X)
	}
}

// redirect reads a redirection's words (for the commands in them) and
// returns the body of a here-document or here-string into stdin.
func (r *reader) redirect(rd *syntax.Redirect) (string, bool) {
	toStdin := rd.N == nil || rd.N.Value == "0"
	switch rd.Op {
	case syntax.Hdoc, syntax.DashHdoc:
		if rd.Hdoc == nil {
			return "", toStdin
		}
		var body string
		if quoted(rd.Word) {
			var b strings.Builder
			for _, p := range rd.Hdoc.Parts {
				if l, ok := p.(*syntax.Lit); ok {
					b.WriteString(l.Value)
				}
			}
			body = b.String()
		} else {
			body = r.str(rd.Hdoc, ctxHdoc)
		}
		return body, toStdin
	case syntax.WordHdoc:
		return r.str(rd.Word, ctxUnquoted) + "\n", toStdin
	}
	r.fields(rd.Word, true)
	return "", false
}

func quoted(w *syntax.Word) bool {
	if w == nil {
		return false
	}
	for _, p := range w.Parts {
		switch p := p.(type) {
		case *syntax.SglQuoted, *syntax.DblQuoted:
			return true
		case *syntax.Lit:
			if strings.Contains(p.Value, `\`) {
				return true
			}
		}
	}
	return false
}

// subshell runs fn in a scope that keeps its variable writes.
func (r *reader) subshell(fn func()) {
	r.frames = append(r.frames, &frame{vars: map[string]*variable{}, subshell: true})
	fn()
	r.frames = r.frames[:len(r.frames)-1]
}

func (r *reader) forClause(c *syntax.ForClause) {
	name, values := "", []string(nil)
	known := false
	switch l := c.Loop.(type) {
	case *syntax.WordIter:
		if l.Name == nil {
			break
		}
		name = l.Name.Value
		if !l.InPos.IsValid() {
			values, known = r.positional()
		} else {
			known = true
			for _, w := range l.Items {
				fs, lit := r.fieldsLit(w)
				values = append(values, fs...)
				known = known && lit
			}
		}
	case *syntax.CStyleLoop:
	}
	if name == "" || !known || len(values) > MaxLoop || c.Select {
		if name != "" {
			r.set(name, &variable{val: need.Param(name)})
		}
		r.stmts(c.Do)
		return
	}
	for _, v := range values {
		if r.stopped {
			return
		}
		r.set(name, &variable{val: v})
		r.stmts(c.Do)
	}
}

// decl reads export, local, declare, typeset, readonly and nameref.
func (r *reader) decl(c *syntax.DeclClause) {
	if c.Variant == nil {
		return
	}
	export := c.Variant.Value == "export"
	local := c.Variant.Value == "local" || (c.Variant.Value == "declare" || c.Variant.Value == "typeset") && r.inFunction()
	for _, a := range c.Args {
		if a == nil {
			continue
		}
		if a.Name == nil {
			if a.Naked && a.Value != nil {
				if flag := a.Value.Lit(); strings.HasPrefix(flag, "-") {
					if strings.Contains(flag, "x") {
						export = true
					}
					if strings.Contains(flag, "g") {
						local = false
					}
				}
			}
			continue
		}
		name := a.Name.Value
		if export {
			r.exported[name] = true
		}
		if a.Naked {
			if local {
				r.setLocal(name, &variable{unset: true})
			}
			continue
		}
		v := r.assignValue(a)
		if local {
			r.setLocal(name, v)
		} else {
			r.set(name, v)
		}
	}
}

// assignValue evaluates the right side of an assignment.
func (r *reader) assignValue(a *syntax.Assign) *variable {
	name := a.Name.Value
	if a.Array != nil {
		var list []string
		if a.Append {
			if old, ok := r.get(name); ok {
				list = append(list, old.list...)
				if !old.array {
					list = []string{old.val}
				}
			}
		}
		for _, e := range a.Array.Elems {
			if e != nil && e.Value != nil {
				list = append(list, r.fields(e.Value, true)...)
			}
		}
		return &variable{list: list, array: true}
	}
	val := ""
	if a.Value != nil {
		val = r.str(a.Value, ctxUnquoted)
	}
	if strings.Contains(val, substParam) || strings.Contains(val, "{{$((") {
		val = need.Param(name)
	}
	if a.Append {
		if old, ok := r.get(name); ok {
			val = old.str() + val
		}
	}
	if a.Index != nil {
		// X[i]=v: keep the array, but its elements are unknown.
		return &variable{val: need.Param(name)}
	}
	return &variable{val: clip(val)}
}

func clip(s string) string {
	if len(s) > maxValue {
		return s[:maxValue]
	}
	return s
}

func (r *reader) inFunction() bool {
	for _, f := range r.frames {
		if f.function {
			return true
		}
	}
	return false
}

// get finds a variable in the frames, the script, then lookup.
func (r *reader) get(name string) (*variable, bool) {
	for i := len(r.frames) - 1; i >= 0; i-- {
		if v, ok := r.frames[i].vars[name]; ok {
			return v, !v.unset
		}
	}
	if v, ok := r.vars[name]; ok {
		return v, !v.unset
	}
	if r.lookup != nil {
		if s, ok := r.lookup(name); ok {
			return &variable{val: s}, true
		}
	}
	return nil, false
}

// set writes a variable where the shell would: the innermost frame that
// holds it, the innermost subshell, or the script.
func (r *reader) set(name string, v *variable) {
	for i := len(r.frames) - 1; i >= 0; i-- {
		f := r.frames[i]
		if _, ok := f.vars[name]; ok || f.subshell {
			f.vars[name] = v
			return
		}
	}
	r.vars[name] = v
}

func (r *reader) setLocal(name string, v *variable) {
	for i := len(r.frames) - 1; i >= 0; i-- {
		if r.frames[i].function {
			r.frames[i].vars[name] = v
			return
		}
	}
	r.set(name, v)
}

func (r *reader) positional() ([]string, bool) {
	for i := len(r.frames) - 1; i >= 0; i-- {
		if f := r.frames[i]; f.function {
			return f.args, f.args != nil
		}
	}
	return nil, false
}

// callExpr reads a simple command: its assignments, its words, and then
// the command itself (a function, eval, sh -c, or one to report).
func (r *reader) callExpr(c *syntax.CallExpr, stdin, stdout string) {
	if len(c.Args) == 0 {
		for _, a := range c.Assigns {
			if a != nil && a.Name != nil {
				r.set(a.Name.Value, r.assignValue(a))
			}
		}
		return
	}
	var env []string
	scope := &frame{vars: map[string]*variable{}}
	for _, a := range c.Assigns {
		if a != nil && a.Name != nil {
			v := r.assignValue(a)
			scope.vars[a.Name.Value] = v
			env = append(env, a.Name.Value+"="+v.str())
		}
	}
	var args []string
	for _, w := range c.Args {
		args = append(args, r.fields(w, true)...)
	}
	args, env = unwrapShell(args, env)
	if len(args) == 0 || r.stopped {
		return
	}
	line, col := r.pos(c.Pos())
	if f, ok := r.funcs[args[0]]; ok && !f.active {
		f.called = true
		r.frames = append(r.frames, scope)
		r.call(f, args[1:], c)
		r.frames = r.frames[:len(r.frames)-1]
		return
	}
	if script, ok := inline(args); ok && r.calls < MaxCallDepth {
		// A substitution's value reads as a word, not as $(...) again.
		script = strings.ReplaceAll(script, substParam, "'"+substParam+"'")
		r.calls++
		r.frames = append(r.frames, scope)
		r.load(script, text{inline: true, line: line, col: col})
		r.frames = r.frames[:len(r.frames)-1]
		r.calls--
		return
	}
	r.out = append(r.out, Command{Line: line, Col: col, Args: args, Env: r.env(env), Stdin: stdin, Stdout: stdout})
}

// call reads a function's body with args as its positional parameters
// (nil: unknown, as for a function never called; args[1:] of a call is
// never nil).
func (r *reader) call(f *function, args []string, at *syntax.CallExpr) {
	if r.calls >= MaxCallDepth {
		if at != nil && !r.deepCalls {
			r.deepCalls = true
			r.errorf(int(at.Pos().Offset()), "functions call each other more than %d deep: the deeper calls are not read", MaxCallDepth)
		}
		return
	}
	r.calls++
	f.active = true
	r.frames = append(r.frames, &frame{vars: map[string]*variable{}, args: args, function: true})
	r.stmt(f.body)
	r.frames = r.frames[:len(r.frames)-1]
	f.active = false
	r.calls--
}

// env is the command's environment as far as the script sets it.
func (r *reader) env(prefix []string) []string {
	seen := map[string]bool{}
	var out []string
	for _, kv := range prefix {
		name, _, _ := strings.Cut(kv, "=")
		seen[name] = true
		out = append(out, kv)
	}
	for name := range r.exported {
		if seen[name] {
			continue
		}
		if v, ok := r.get(name); ok {
			out = append(out, name+"="+v.str())
		}
	}
	sort.Strings(out)
	return out
}

// unwrapShell drops the commands that run another command: sudo, env, exec,
// nohup, command, builtin, time, timeout, xargs-free forms only.
func unwrapShell(args, env []string) ([]string, []string) {
	for len(args) > 0 {
		switch args[0] {
		case "exec", "nohup", "builtin", "time", "nice":
			args = args[1:]
		case "command":
			if len(args) > 1 && (args[1] == "-v" || args[1] == "-V") {
				return args, env
			}
			args = args[1:]
			for len(args) > 0 && args[0] == "-p" {
				args = args[1:]
			}
		case "sudo":
			args = args[1:]
			for len(args) > 0 && strings.HasPrefix(args[0], "-") {
				flag := args[0]
				args = args[1:]
				if flag == "--" {
					break
				}
				if len(flag) == 2 && strings.ContainsRune("ughpCDrtUT", rune(flag[1])) && len(args) > 0 {
					args = args[1:]
				}
			}
		case "env":
			args = args[1:]
			for len(args) > 0 {
				if args[0] == "-u" && len(args) > 1 {
					args = args[2:]
				} else if strings.HasPrefix(args[0], "-") {
					args = args[1:]
				} else if name, _, ok := strings.Cut(args[0], "="); ok && validName(name) {
					env = append(env, args[0])
					args = args[1:]
				} else {
					break
				}
			}
		case "timeout":
			args = args[1:]
			for len(args) > 0 && strings.HasPrefix(args[0], "-") {
				if (args[0] == "-s" || args[0] == "-k") && len(args) > 1 {
					args = args[1:]
				}
				args = args[1:]
			}
			if len(args) > 0 {
				args = args[1:] // the duration
			}
		default:
			return args, env
		}
	}
	return args, env
}

// inline returns the script an eval or a sh -c command runs.
func inline(args []string) (string, bool) {
	switch args[0] {
	case "eval":
		if len(args) > 1 {
			return strings.Join(args[1:], " "), true
		}
	case "sh", "bash", "dash", "zsh", "ksh", "/bin/sh", "/bin/bash":
		for i := 1; i < len(args); i++ {
			a := args[i]
			if !strings.HasPrefix(a, "-") {
				break
			}
			if strings.HasPrefix(a, "-") && !strings.HasPrefix(a, "--") && strings.Contains(a, "c") && i+1 < len(args) {
				return args[i+1], true
			}
			if a == "-o" {
				i++
			}
		}
	}
	return "", false
}

func validName(s string) bool {
	if s == "" {
		return false
	}
	for i, c := range s {
		if !(c == '_' || c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || i > 0 && c >= '0' && c <= '9') {
			return false
		}
	}
	return true
}

// substParam is the value of a command substitution in a word.
var substParam = need.Param("$(...)")

type ctx int

const (
	ctxUnquoted ctx = iota
	ctxDquote
	ctxHdoc
)

// builder collects the fields of one word.
type builder struct {
	r      *reader
	fields []string
	cur    strings.Builder
	have   bool // cur is a field, even if empty ("")
	split  bool // split unquoted expansions into fields
	lit    bool // no parameter, substitution or glob
	full   bool
}

func (b *builder) write(s string) {
	if b.full {
		return
	}
	if b.cur.Len()+len(s) > maxValue || b.r.expanded+len(s) > maxExpand {
		b.full = true
		b.lit = false
		return
	}
	b.r.expanded += len(s)
	b.cur.WriteString(s)
	b.have = true
}

// writeSplit writes an unquoted expansion: its spaces separate fields.
func (b *builder) writeSplit(s string) {
	if !b.split {
		b.write(s)
		return
	}
	for s != "" {
		i := strings.IndexAny(s, " \t\n")
		if i < 0 {
			b.write(s)
			return
		}
		if i > 0 {
			b.write(s[:i])
		}
		b.end()
		s = s[i+1:]
	}
}

func (b *builder) end() {
	if b.have {
		b.fields = append(b.fields, b.cur.String())
		if len(b.fields) > 4*MaxCommands {
			b.fields = b.fields[:4*MaxCommands]
			b.full = true
		}
	}
	b.cur.Reset()
	b.have = false
}

// fields expands a word into fields (split: unquoted expansions are split
// at spaces, as the shell does for command words).
func (r *reader) fields(w *syntax.Word, split bool) []string {
	fs, _ := r.expand(w, split)
	return fs
}

func (r *reader) fieldsLit(w *syntax.Word) ([]string, bool) { return r.expand(w, true) }

func (r *reader) expand(w *syntax.Word, split bool) ([]string, bool) {
	if w == nil || !r.step(int(w.Pos().Offset())) {
		return nil, false
	}
	b := &builder{r: r, split: split, lit: true}
	r.parts(b, w.Parts, ctxUnquoted)
	b.end()
	return b.fields, b.lit
}

// str expands a word into one string, without field splitting.
func (r *reader) str(w *syntax.Word, c ctx) string {
	if w == nil || !r.step(int(w.Pos().Offset())) {
		return ""
	}
	b := &builder{r: r, lit: true}
	r.parts(b, w.Parts, c)
	return b.cur.String()
}

func (r *reader) parts(b *builder, parts []syntax.WordPart, c ctx) {
	r.depth++
	defer func() { r.depth-- }()
	if r.depth > 4*MaxNesting {
		return
	}
	for _, p := range parts {
		switch p := p.(type) {
		case *syntax.Lit:
			if c == ctxUnquoted && strings.ContainsAny(p.Value, "*?[") {
				b.lit = false
			}
			b.write(unescape(p.Value, c))
		case *syntax.SglQuoted:
			if p.Dollar {
				b.write(ansiC(p.Value))
			} else {
				b.write(p.Value)
			}
			b.have = true
		case *syntax.DblQuoted:
			b.have = true
			r.parts(b, p.Parts, ctxDquote)
		case *syntax.ParamExp:
			r.param(b, p, c != ctxUnquoted)
		case *syntax.CmdSubst:
			b.lit = false
			r.subshell(func() { r.stmts(p.Stmts) })
			b.write(substParam)
		case *syntax.ProcSubst:
			b.lit = false
			r.subshell(func() { r.stmts(p.Stmts) })
			b.write(need.Param(p.Op.String() + "...)"))
		case *syntax.ArithmExp:
			b.lit = false
			b.write(need.Param("$((...))"))
		case *syntax.ExtGlob:
			b.lit = false
			if p.Pattern != nil {
				b.write(p.Op.String() + p.Pattern.Value + ")")
			}
		}
	}
}

// unescape removes the backslashes the shell removes in a literal.
func unescape(s string, c ctx) string {
	if !strings.Contains(s, `\`) {
		return s
	}
	special := ""
	switch c {
	case ctxDquote:
		special = "$`\"\\\n"
	case ctxHdoc:
		special = "$`\\\n"
	}
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if s[i] == '\\' && i+1 < len(s) && (c == ctxUnquoted || strings.IndexByte(special, s[i+1]) >= 0) {
			i++
			if s[i] != '\n' {
				b.WriteByte(s[i])
			}
			continue
		}
		b.WriteByte(s[i])
	}
	return b.String()
}

// ansiC decodes the escapes of a $'...' string.
func ansiC(s string) string {
	var b strings.Builder
	for s != "" {
		if s[0] != '\\' || len(s) == 1 {
			b.WriteByte(s[0])
			s = s[1:]
			continue
		}
		switch s[1] {
		case 'e', 'E':
			b.WriteByte(0x1b)
			s = s[2:]
			continue
		case '\'', '"', '?':
			b.WriteByte(s[1])
			s = s[2:]
			continue
		case '0', '1', '2', '3', '4', '5', '6', '7':
			n, v := 1, int(s[1]-'0')
			for n < 3 && n+1 < len(s) && s[n+1] >= '0' && s[n+1] <= '7' {
				v = v*8 + int(s[n+1]-'0')
				n++
			}
			b.WriteByte(byte(v))
			s = s[n+1:]
			continue
		}
		r, _, tail, err := strconv.UnquoteChar(s, '\'')
		if err != nil {
			b.WriteByte(s[0])
			s = s[1:]
			continue
		}
		b.WriteRune(r)
		s = tail
	}
	return b.String()
}

// param expands $X, ${X...} into b.
func (r *reader) param(b *builder, p *syntax.ParamExp, quoted bool) {
	if p.Param == nil {
		b.lit = false
		return
	}
	name := p.Param.Value
	write := b.writeSplit
	if quoted {
		write = b.write
	}
	unknown := func() {
		b.lit = false
		b.write(need.Param(name))
	}
	// Lists: $@, $*, ${a[@]}, ${a[*]}.
	var list []string
	isList := false
	v, set := (*variable)(nil), false
	switch {
	case name == "@" || name == "*":
		args, ok := r.positional()
		if !ok {
			unknown()
			return
		}
		list, isList, set = args, true, true
	case name == "#":
		args, ok := r.positional()
		if !ok {
			unknown()
			return
		}
		b.write(strconv.Itoa(len(args)))
		return
	case isDigits(name):
		args, ok := r.positional()
		n, _ := strconv.Atoi(name)
		if !ok || n == 0 {
			unknown()
			return
		}
		if n <= len(args) {
			v, set = &variable{val: args[n-1]}, true
		}
	case !validName(name):
		unknown()
		return
	default:
		v, set = r.get(name)
	}
	if p.Index != nil {
		idx := ""
		if w, ok := p.Index.(*syntax.Word); ok {
			idx = w.Lit()
		}
		switch {
		case v == nil:
		case idx == "@" || idx == "*":
			list, isList = v.list, true
			if !v.array {
				list = []string{v.val}
			}
		case isDigits(idx):
			n, _ := strconv.Atoi(idx)
			if v.array && n < len(v.list) {
				v = &variable{val: v.list[n]}
			} else if !v.array && n == 0 {
			} else {
				v, set = nil, false
			}
		default:
			unknown()
			return
		}
	}
	if p.Excl || p.Width || p.Names != 0 {
		unknown()
		return
	}
	if p.Length {
		switch {
		case isList:
			b.write(strconv.Itoa(len(list)))
		case v != nil && !strings.Contains(v.str(), "{{"):
			b.write(strconv.Itoa(utf8.RuneCountInString(v.str())))
		default:
			unknown()
		}
		return
	}
	if isList && p.Slice != nil {
		// ${@:2}, ${a[@]:1:2}: $@ counts from $0.
		from := 0
		if name == "@" || name == "*" {
			from = 1
		}
		list = sliceList(list, p.Slice, from)
	}
	if isList && p.Exp == nil && p.Repl == nil {
		if !r.anyParam(list) {
			// keep b.lit
		} else {
			b.lit = false
		}
		for i, s := range list {
			if i > 0 {
				if quoted && name != "*" && (p.Index == nil || idxIs(p, "@")) {
					b.end()
					b.have = true
				} else {
					write(" ")
				}
			}
			write(s)
		}
		if len(list) == 0 && quoted {
			// "$@" with no arguments is no field at all.
			if b.cur.Len() == 0 {
				b.have = false
			}
		}
		return
	}
	val := ""
	if isList {
		val = strings.Join(list, " ")
	} else if v != nil {
		val = v.str()
	}
	if p.Exp != nil {
		arg := func() string {
			if p.Exp.Word == nil {
				return ""
			}
			return r.str(p.Exp.Word, ctxDquote)
		}
		switch p.Exp.Op {
		case syntax.DefaultUnset, syntax.DefaultUnsetOrNull:
			if !set || p.Exp.Op == syntax.DefaultUnsetOrNull && val == "" {
				d := arg()
				r.markParams(b, d)
				write(d)
				return
			}
		case syntax.AssignUnset, syntax.AssignUnsetOrNull:
			if !set || p.Exp.Op == syntax.AssignUnsetOrNull && val == "" {
				d := arg()
				r.set(name, &variable{val: d})
				r.markParams(b, d)
				write(d)
				return
			}
		case syntax.AlternateUnset, syntax.AlternateUnsetOrNull:
			if set && (p.Exp.Op == syntax.AlternateUnset || val != "") {
				d := arg()
				r.markParams(b, d)
				write(d)
			}
			return
		case syntax.ErrorUnset, syntax.ErrorUnsetOrNull:
		default:
			if !set {
				unknown()
				return
			}
			val = r.transform(val, p.Exp.Op, arg())
		}
	}
	if !set {
		unknown()
		return
	}
	if p.Slice != nil {
		val = slice(val, p.Slice)
	}
	if p.Repl != nil {
		orig, with := "", ""
		if p.Repl.Orig != nil {
			orig = r.str(p.Repl.Orig, ctxDquote)
		}
		if p.Repl.With != nil {
			with = r.str(p.Repl.With, ctxDquote)
		}
		val = replace(val, orig, with, p.Repl.All)
	}
	r.markParams(b, val)
	write(val)
}

func idxIs(p *syntax.ParamExp, s string) bool {
	w, ok := p.Index.(*syntax.Word)
	return ok && w.Lit() == s
}

func (r *reader) anyParam(list []string) bool {
	for _, s := range list {
		if strings.Contains(s, "{{") {
			return true
		}
	}
	return false
}

// markParams notes that a value carries parameters: it is not a literal.
func (r *reader) markParams(b *builder, s string) {
	if strings.Contains(s, "{{") {
		b.lit = false
	}
}

func isDigits(s string) bool {
	if s == "" {
		return false
	}
	for _, c := range s {
		if c < '0' || c > '9' {
			return false
		}
	}
	return true
}

// transform applies ${X#p}, ${X%p}, ${X^^} and their kin.
func (r *reader) transform(val string, op syntax.ParExpOperator, arg string) string {
	switch op {
	case syntax.RemSmallPrefix, syntax.RemLargePrefix, syntax.RemSmallSuffix, syntax.RemLargeSuffix:
		prefix := op == syntax.RemSmallPrefix || op == syntax.RemLargePrefix
		large := op == syntax.RemLargePrefix || op == syntax.RemLargeSuffix
		if !pattern.HasMeta(arg, 0) {
			if prefix {
				return strings.TrimPrefix(val, arg)
			}
			return strings.TrimSuffix(val, arg)
		}
		re := compile(arg)
		if re == nil || len(val) > maxPattern {
			return val
		}
		n := len(val)
		for k := 0; k <= n; k++ {
			i := k
			if large {
				i = n - k
			}
			if prefix && re.MatchString(val[:i]) {
				return val[i:]
			}
			if !prefix && re.MatchString(val[n-i:]) {
				return val[:n-i]
			}
		}
		return val
	case syntax.UpperAll:
		return strings.ToUpper(val)
	case syntax.LowerAll:
		return strings.ToLower(val)
	case syntax.UpperFirst, syntax.LowerFirst:
		c, size := utf8.DecodeRuneInString(val)
		if size == 0 {
			return val
		}
		if op == syntax.UpperFirst {
			c = unicode.ToUpper(c)
		} else {
			c = unicode.ToLower(c)
		}
		return string(c) + val[size:]
	}
	return val
}

// compile turns a glob into an anchored regular expression, or nil.
func compile(glob string) *regexp.Regexp {
	expr, err := pattern.Regexp(glob, pattern.EntireString)
	if err != nil {
		return nil
	}
	re, err := regexp.Compile(expr)
	if err != nil {
		return nil
	}
	return re
}

// replace applies ${X/orig/with} and ${X//orig/with}.
func replace(val, orig, with string, all bool) string {
	if orig == "" {
		return val
	}
	anchor := ""
	if orig[0] == '#' || orig[0] == '%' {
		anchor, orig = orig[:1], orig[1:]
	}
	if !pattern.HasMeta(orig, 0) {
		switch {
		case anchor == "#":
			if strings.HasPrefix(val, orig) {
				return with + val[len(orig):]
			}
			return val
		case anchor == "%":
			if strings.HasSuffix(val, orig) {
				return val[:len(val)-len(orig)] + with
			}
			return val
		case all:
			return strings.ReplaceAll(val, orig, with)
		}
		return strings.Replace(val, orig, with, 1)
	}
	if len(val) > maxPattern {
		return val
	}
	expr, err := pattern.Regexp(orig, 0)
	if err != nil {
		return val
	}
	switch anchor {
	case "#":
		expr = "^(?:" + expr + ")"
	case "%":
		expr = "(?:" + expr + ")$"
	}
	re, err := regexp.Compile(expr)
	if err != nil {
		return val
	}
	if all {
		return re.ReplaceAllLiteralString(val, with)
	}
	if loc := re.FindStringIndex(val); loc != nil {
		return val[:loc[0]] + with + val[loc[1]:]
	}
	return val
}

// arithNum reads a literal (possibly negative) number, as in a slice.
func arithNum(e syntax.ArithmExpr) (int, bool) {
	switch e := e.(type) {
	case nil:
		return 0, false
	case *syntax.Word:
		n, err := strconv.Atoi(e.Lit())
		return n, err == nil
	case *syntax.UnaryArithm:
		if w, ok := e.X.(*syntax.Word); ok && e.Op == syntax.Minus {
			n, err := strconv.Atoi(w.Lit())
			return -n, err == nil
		}
	}
	return 0, false
}

// bounds applies a slice to a length n: the start and end, or false.
func bounds(s *syntax.Slice, n, from int) (int, int, bool) {
	off, ok := arithNum(s.Offset)
	if !ok && s.Offset != nil {
		return 0, 0, false
	}
	if off < 0 {
		off = max(n+off, 0)
	} else {
		off = max(off-from, 0)
	}
	off = min(off, n)
	end := n
	if s.Length != nil {
		l, ok := arithNum(s.Length)
		if !ok {
			return 0, 0, false
		}
		if l < 0 {
			end = max(n+l, off)
		} else {
			end = min(off+l, n)
		}
	}
	return off, end, true
}

// slice applies ${X:offset} and ${X:offset:length} with literal numbers.
func slice(val string, s *syntax.Slice) string {
	runes := []rune(val)
	off, end, ok := bounds(s, len(runes), 0)
	if !ok {
		return val
	}
	return string(runes[off:end])
}

// sliceList applies ${@:offset:length} and ${a[@]:offset:length}.
func sliceList(list []string, s *syntax.Slice, from int) []string {
	off, end, ok := bounds(s, len(list), from)
	if !ok {
		return list
	}
	return list[off:end]
}
