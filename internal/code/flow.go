package code

import (
	"fmt"
	"maps"
	"path"
	"strings"

	"github.com/iamfit/iamfit/internal/calls"
	"github.com/iamfit/iamfit/internal/source"
)

// The value flow of Python and JavaScript/TypeScript services: every
// call and new expression of every function is evaluated in its
// function's environment; names resolve through the function's
// assignments, its enclosing functions, the module, imports of the
// service's other modules, self/this attributes, settings classes, and
// helper functions' returns with their parameters bound to the call's
// arguments.

type service struct {
	python bool
	mods   []*module
	attrs  map[string][]located // obj.attr = value anywhere in the service
	binds  map[*function]map[string][]*stmt
	r      *results
	// nesting bounds the evaluation's recursion, whatever the path
	// (environments made for other modules start their own depth).
	nesting int
	// budget is the evaluation steps left for the call being read.
	budget int
	// targets caches importTarget.
	targets map[[2]string]*module
	// ctors indexes the service's constructions for ctorOf.
	ctors map[string][]ctorSite
	// sendClient is the client that sends a command (for its region and
	// credentials), by the command's construction.
	sendClient map[*node]*handle
	// attrMemo holds attrAssigned's values; attrBusy the names being
	// computed; cut counts the evaluations a limit stopped.
	attrMemo map[string]val
	attrBusy map[string]bool
	cut      int
	// wrappers caches sdkWrapper; envMemo callerEnvs.
	wrappers map[*function]bool
	envMemo  map[*function][]*env
	// aiModels is set when the service makes an AI SDK Bedrock model;
	// aiStreams are its streamText calls of models the reader cannot
	// name.
	aiModels  bool
	aiStreams []located
}

// maxNesting is how deep one evaluation may go.
const maxNesting = 64

type located struct {
	n *node
	e *env
}

// env is where an expression is evaluated.
type env struct {
	m     *module
	f     *function
	cls   *class
	binds map[string]located // helper parameters bound to arguments
	depth int
}

type vkind int

const (
	vNone vkind = iota
	vExt        // a name of an external package: pkg, sym
	vMod        // a module of the service
	vHandle
	vMethod // a handle's method: h, name
	vFunc
	vClass
	vInstance
	vDict
	vList // a list the code builds: its literal and what it appends (dict holds the literal, name the variable)
)

type val struct {
	kind vkind
	pkg  string
	sym  string
	h    *handle
	name string
	fn   *function
	fe   *env
	cls  *class
	cm   *module
	mod  *module
	ctor *node
	ce   *env
	dict located
}

type hkind int

const (
	hClient hkind = iota
	hResource
	hTable
	hBucket
	hObject
	hQueue
	hTopic
	hCollection
	hPaginator
	hWaiter
	hBatch
	hMessages   // the messages a queue's receive_messages returns
	hMessage    // one SQS message resource
	hModel      // a LangChain Bedrock model (op: the operation an invocation is)
	hResult     // what an operation returns (op, with the call's args), and any part of it
	hCreds      // credentials the code makes (args: the RoleArn they assume)
	hSession    // a boto3 session: the region and credentials of its clients
	hAIProvider // the AI SDK's Amazon Bedrock provider: it makes models
)

// handle is an SDK object: a client, a resource and what it names.
type handle struct {
	kind hkind
	svc  string
	doc  bool // a DynamoDB document client
	v2   bool // JavaScript SDK v2
	op   string
	args args
	// of is the listing operation of a collection already called
	// (bucket.objects.filter(...)): what iterating it gives.
	of string
	// region is the client's region when the code gives one
	// (region_name=, { region }), as an argument; "" is the task's.
	region string
	// cr are the credentials the client is made with; zero for the
	// task's.
	cr creds
	// at is where an sts:AssumeRole result was returned ("file:line").
	at string
	// ai marks a model of the AI SDK's Bedrock provider.
	ai bool
}

// with returns a handle made from h (a table of a resource, a client of
// a session) in h's region and with h's credentials, unless it has its
// own.
func (h *handle) with(from *handle) *handle {
	if h.region == "" {
		h.region = from.region
	}
	if h.cr == (creds{}) {
		h.cr = from.cr
	}
	return h
}

func newService(python bool, r *results) *service {
	return &service{python: python, attrs: map[string][]located{}, binds: map[*function]map[string][]*stmt{}, r: r}
}

// infra reports modules that are not the container's code: Lambda
// handlers, CDK and Pulumi programs.
func (m *module) infra() bool {
	for _, s := range m.top.body {
		if s.kind == sImport {
			mod := s.module
			if strings.HasPrefix(mod, "aws_cdk") || strings.HasPrefix(mod, "aws-cdk-lib") || strings.HasPrefix(mod, "@aws-cdk/") ||
				strings.HasPrefix(mod, "pulumi") || strings.HasPrefix(mod, "@pulumi/") || mod == "constructs" || mod == "aws_lambda_powertools" ||
				strings.HasPrefix(mod, "@aws-lambda-powertools") || mod == "mangum" {
				return true
			}
		}
	}
	for _, name := range []string{"lambda_handler", "handler"} {
		if f := m.funcs[name]; f != nil && len(f.params) >= 1 && (f.params[0] == "event" || f.params[0] == "evt") {
			return true
		}
	}
	return false
}

func (s *service) run() {
	from := len(s.r.calls)
	defer s.aiStreamDiagnostics()
	defer func() {
		for i := from; i < len(s.r.calls); i++ {
			c := &s.r.calls[i]
			if h := s.sendClient[c.at]; h != nil && c.at != nil {
				if c.Region == "" {
					c.Region = h.region
				}
				if c.AssumedRole == "" && c.Keys == "" {
					c.AssumedRole, c.AssumedAt, c.Keys = h.cr.role, h.cr.at, h.cr.keys
				}
			}
		}
	}()
	for _, m := range s.mods {
		for _, f := range m.all {
			for _, st := range f.body {
				if st.kind == sAssign {
					for _, t := range st.targets {
						if t.kind == nAttr {
							e := s.envFor(m, f)
							s.attrs[t.name] = append(s.attrs[t.name], located{st.value, e})
						}
					}
				}
			}
		}
		for _, c := range m.classes {
			for k, v := range c.fields {
				if v != nil {
					s.attrs[k] = append(s.attrs[k], located{v, &env{m: m, f: m.top, cls: c}})
				}
			}
		}
	}
	// Callers by the name they call: a helper whose SDK call takes its
	// parameters is read once for each caller, its parameters bound to
	// the caller's arguments.
	callers := map[string][]located{}
	for _, m := range s.mods {
		for _, f := range m.all {
			e := s.envFor(m, f)
			for _, st := range f.body {
				walk(st.value, func(n *node) {
					if n.kind != nCall || n.x == nil {
						return
					}
					if n.x.kind == nName || n.x.kind == nAttr {
						callers[n.x.name] = append(callers[n.x.name], located{n, e})
					}
				})
			}
		}
	}
	for _, m := range s.mods {
		for _, f := range m.all {
			for _, e := range s.callerEnvs(m, f, callers, 0) {
				for _, st := range f.body {
					s.discover(st.value, e)
					for _, t := range st.targets {
						s.discover(t, e)
					}
				}
			}
		}
		for _, c := range m.classes {
			for _, v := range c.fields {
				s.discover(v, &env{m: m, f: m.top, cls: c})
			}
		}
	}
}

// callerEnvs are the environments to read a function's body in: one for
// each call that resolves to it (at most a few), its parameters bound to
// the call's arguments; else the function alone.
func (s *service) callerEnvs(m *module, f *function, callers map[string][]located, depth int) []*env {
	base := s.envFor(m, f)
	cands := callers[f.name]
	if f == m.top || depth > 3 {
		return []*env{base}
	}
	limit := 16
	if s.sdkWrapper(m, f) {
		limit = 256 // a generic SDK wrapper: each caller names its call
	}
	if len(f.params) == 0 || len(cands) == 0 || len(cands) > limit {
		// A closure sees its enclosing function's parameters as bound
		// by that function's callers.
		if f.outer != nil && f.outer != m.top {
			var out []*env
			for _, oe := range s.callerEnvs(m, f.outer, callers, depth+1) {
				if oe.binds == nil {
					continue
				}
				e := s.envFor(m, f)
				e.binds = oe.binds
				out = append(out, e)
			}
			if len(out) > 0 {
				return out
			}
		}
		return []*env{base}
	}
	if cached, ok := s.envMemo[f]; ok {
		if cached == nil {
			return []*env{base} // being computed: a cycle of callers
		}
		return cached
	}
	if s.envMemo == nil {
		s.envMemo = map[*function][]*env{}
	}
	s.envMemo[f] = nil
	var out []*env
	for _, c := range cands {
		s.budget = 2000
		v := s.eval(c.n.x, c.e)
		if v.kind != vFunc || v.fn != f {
			continue
		}
		// The caller is read for each of its own callers too: a
		// helper's helper gets the values its callers' callers give.
		for _, ce := range s.callerEnvs(c.e.m, c.e.f, callers, depth+1) {
			if len(out) >= limit {
				break
			}
			if ce.binds == nil {
				ce = c.e
			}
			e := s.envFor(m, f)
			s.budget = 2000
			e.binds = s.bindArgs(f, c.n, ce, e.cls != nil)
			out = append(out, e)
		}
	}
	if len(out) == 0 {
		out = []*env{base}
	}
	s.envMemo[f] = out
	return out
}

// sdkWrapper reports a function that makes an SDK call its parameters
// name: a client of the service a parameter names (boto3.client(service)),
// or the method a parameter names (getattr(client, method),
// client[method]). Only its callers say what it calls, so it is read
// for each of them, however many.
func (s *service) sdkWrapper(m *module, f *function) bool {
	if w, ok := s.wrappers[f]; ok {
		return w
	}
	if s.wrappers == nil {
		s.wrappers = map[*function]bool{}
	}
	s.wrappers[f] = false // while computing: a cycle is no wrapper
	isParam := func(n *node) bool {
		if n == nil || n.kind != nName {
			return false
		}
		for _, p := range f.params {
			if p == n.name {
				return true
			}
		}
		return false
	}
	found := false
	for _, st := range f.body {
		walk(st.value, func(n *node) {
			if found || n.kind != nCall || n.x == nil {
				return
			}
			switch {
			case n.x.kind == nName && n.x.name == "getattr" && len(n.args) >= 2:
				found = isParam(n.args[1])
			case n.x.kind == nSub:
				found = isParam(n.x.y)
			case n.x.kind == nAttr && (n.x.name == "client" || n.x.name == "resource"):
				found = isParam(first(n.args))
				for _, k := range n.kw {
					found = found || k.key == "service_name" && isParam(k.val)
				}
			}
			if !found && (n.x.kind == nName || n.x.kind == nAttr) && len(n.args) > 0 && isParam(n.args[0]) {
				// A call of a wrapper with its own parameters: a wrapper
				// of a wrapper.
				s.budget = 500
				if v := s.eval(n.x, s.envFor(m, f)); v.kind == vFunc && v.fn != nil && v.fn != f && v.fe != nil {
					found = s.sdkWrapper(v.fe.m, v.fn)
				}
			}
		})
		if found {
			break
		}
	}
	s.wrappers[f] = found
	return found
}

// walk calls fn on every node of an expression, not entering functions.
func walk(n *node, fn func(*node)) {
	if n == nil || n.kind == nFunc {
		return
	}
	fn(n)
	walk(n.x, fn)
	walk(n.y, fn)
	for _, a := range n.args {
		walk(a, fn)
	}
	for _, k := range n.kw {
		walk(k.kx, fn)
		walk(k.val, fn)
	}
	for _, x := range n.exprs {
		walk(x, fn)
	}
}

func (s *service) envFor(m *module, f *function) *env {
	e := &env{m: m, f: f}
	for g := f; g != nil; g = g.outer {
		if g.class != "" {
			e.cls = m.classes[g.class]
			break
		}
	}
	return e
}

// discover evaluates every call in an expression, emitting the calls it
// makes. Functions' bodies are discovered as functions of their own.
func (s *service) discover(n *node, e *env) {
	if n == nil || n.kind == nFunc {
		return
	}
	if n.kind == nCall || n.kind == nNew {
		s.budget = 20000
		s.apply(n, e, true)
	}
	if n.kind == nDict && !s.python {
		s.handedCommands(n, e)
	}
	s.discover(n.x, e)
	s.discover(n.y, e)
	for _, a := range n.args {
		s.discover(a, e)
	}
	for _, k := range n.kw {
		s.discover(k.kx, e)
		s.discover(k.val, e)
	}
	for _, x := range n.exprs {
		s.discover(x, e)
	}
}

// handedCommands emits the SDK v3 command classes an object literal
// hands to a library, which constructs and sends them: nodemailer's SES
// transport takes { SES: { sesClient, SendEmailCommand } } and sends
// every mail with it.
func (s *service) handedCommands(n *node, e *env) {
	for _, k := range n.kw {
		s.budget = 20000
		if k.val == nil || k.val.kind != nName && k.val.kind != nAttr || !strings.HasSuffix(k.val.name, "Command") {
			continue
		}
		v := s.eval(k.val, s.deeper(e))
		if v.kind != vExt || !strings.HasPrefix(v.pkg, "@aws-sdk/client-") {
			continue
		}
		last := v.sym[strings.LastIndex(v.sym, ".")+1:]
		if strings.HasSuffix(last, "Command") && last != "Command" {
			s.emitCall(&handle{svc: strings.TrimPrefix(v.pkg, "@aws-sdk/client-")}, strings.TrimSuffix(last, "Command"), k.val, e, args{}, "command class handed on")
		}
	}
}

// lookup finds what a name is bound to in e.
func (s *service) lookup(name string, e *env) (located, *stmt, bool) {
	if b, ok := e.binds[name]; ok {
		return b, nil, true
	}
	for f := e.f; f != nil; f = f.outer {
		if st := s.credentialBranch(f, name, s.bindIn(f, name, e), e); st != nil {
			fe := *e
			fe.f = f
			if f != e.f {
				fe.binds = nil
			}
			return located{st.value, &fe}, st, true
		}
		for _, p := range f.params {
			if p == name {
				return located{}, nil, false
			}
		}
		if f.outer == nil && f != e.m.top {
			f2 := e.m.top
			if st := s.lastBind(f2, name); st != nil {
				return located{st.value, &env{m: e.m, f: f2}}, st, true
			}
		}
	}
	if e.f != e.m.top {
		if st := s.lastBind(e.m.top, name); st != nil {
			return located{st.value, &env{m: e.m, f: e.m.top}}, st, true
		}
	}
	// A module name a function sets (global NAME).
	if gs := e.m.globals[name]; len(gs) > 0 {
		g := gs[len(gs)-1]
		return located{g.st.value, s.envFor(e.m, g.f)}, g.st, true
	}
	return located{}, nil, false
}

// bindIn is lastBind in an environment that may decide the conditions of
// the bindings: a binding in `if param:` is skipped where the caller
// leaves param at None, one in its else block where the caller gives it.
func (s *service) bindIn(f *function, name string, e *env) *stmt {
	st := s.lastBind(f, name)
	if st == nil || st.cond == nil || e.binds == nil || f != e.f {
		return st
	}
	list := s.binds[f][name]
	for i := len(list) - 1; i >= 0; i-- {
		b := list[i]
		if b.cond != nil {
			if b.neg && s.givenParam(b.cond, e) || !b.neg && s.unsetParam(b.cond, e) {
				continue
			}
		}
		return b
	}
	return st
}

// credentialBranch is, for a binding in the else block of a condition
// the environment does not decide, the binding of the if block when it
// holds credentials (if role_arn: session = assumed(...) else: session =
// boto3.Session()): calls made either way are not granted to the task
// role on a guess, but to the role they may assume.
func (s *service) credentialBranch(f *function, name string, st *stmt, e *env) *stmt {
	if st == nil || st.cond == nil || !st.neg || !s.python || s.unsetParam(st.cond, e) || s.givenParam(st.cond, e) {
		return st
	}
	for _, b := range s.binds[f][name] {
		if b.cond == st.cond && !b.neg {
			fe := *e
			fe.f = f
			if v := s.eval(b.value, s.deeper(&fe)); v.kind == vHandle && v.h.cr.role != "" {
				return b
			}
		}
	}
	return st
}

// givenParam reports a condition that is a parameter the caller gives a
// value other than None.
func (s *service) givenParam(c *node, e *env) bool {
	for i := 0; i < 8 && c != nil && c.kind == nName && e.binds != nil; i++ {
		b, bound := e.binds[c.name]
		if !bound || b.n == nil {
			return false
		}
		if b.n.kind != nName {
			return b.n.kind != nOther // a literal, a call, an attribute: given
		}
		if b.n.name == "None" || b.n.name == "null" || b.n.name == "undefined" || b.n.name == "False" {
			return false
		}
		if _, _, ok := s.lookup(b.n.name, b.e); ok {
			if _, isParam := b.e.binds[b.n.name]; !isParam && !s.isParam(b.n, b.e) {
				return true // a name the caller binds (ROLE_ARN = ...)
			}
		}
		c, e = b.n, b.e
	}
	return false
}

// lastBind returns the last statement of f binding name.
func (s *service) lastBind(f *function, name string) *stmt {
	bs, ok := s.binds[f]
	if !ok {
		bs = map[string][]*stmt{}
		for _, st := range f.body {
			switch st.kind {
			case sAssign:
				for _, t := range st.targets {
					if t.kind == nName {
						bs[t.name] = append(bs[t.name], st)
					}
				}
			case sImport, sDestructure:
				for local := range st.imports {
					bs[local] = append(bs[local], st)
				}
			}
		}
		s.binds[f] = bs
	}
	list := bs[name]
	if len(list) == 0 {
		return nil
	}
	// The binding that names something: a later re-assignment to None,
	// null or a fallback does not hide the client.
	for i := len(list) - 1; i >= 0; i-- {
		if v := list[i].value; v == nil || v.kind != nName || (v.name != "None" && v.name != "null" && v.name != "undefined") {
			return list[i]
		}
	}
	return list[len(list)-1]
}

// sdkPackage reports the packages whose names the reader knows.
func sdkPackage(mod string) bool {
	switch {
	case mod == "boto3", mod == "aioboto3", mod == "botocore", strings.HasPrefix(mod, "boto3."), strings.HasPrefix(mod, "botocore."),
		mod == "aiobotocore", strings.HasPrefix(mod, "aiobotocore."),
		mod == "aws-sdk", strings.HasPrefix(mod, "aws-sdk/"), strings.HasPrefix(mod, "@aws-sdk/"), mod == "os", mod == "process":
		return true
	}
	return langchainPackage(mod)
}

// importTarget resolves an import to a module of the service.
func (s *service) importTarget(from *module, mod string) *module {
	key := [2]string{path.Dir(from.file), mod}
	if m, ok := s.targets[key]; ok {
		return m
	}
	m := s.findTarget(from, mod)
	if s.targets == nil {
		s.targets = map[[2]string]*module{}
	}
	s.targets[key] = m
	return m
}

func (s *service) findTarget(from *module, mod string) *module {
	if s.python {
		rel := strings.TrimLeft(mod, ".")
		want := strings.ReplaceAll(rel, ".", "/")
		var best *module
		for _, m := range s.mods {
			p := strings.TrimSuffix(m.file, ".py")
			p = strings.TrimSuffix(p, "/__init__")
			if p == want || strings.HasSuffix(p, "/"+want) || (rel == "" && path.Dir(m.file) == path.Dir(from.file) && strings.HasSuffix(m.file, "__init__.py")) {
				if best == nil || path.Dir(m.file) == path.Dir(from.file) {
					best = m
				}
			}
		}
		return best
	}
	if !strings.HasPrefix(mod, ".") {
		return nil
	}
	base := path.Join(path.Dir(from.file), mod)
	for _, m := range s.mods {
		p := m.file
		for _, ext := range []string{".ts", ".tsx", ".js", ".mjs", ".cjs", ".jsx", ".mts"} {
			p = strings.TrimSuffix(p, ext)
		}
		if p == base || p == base+"/index" || p == strings.TrimSuffix(base, path.Ext(base)) {
			return m
		}
	}
	return nil
}

// eval returns what an expression is.
func (s *service) eval(n *node, e *env) val {
	if n == nil {
		return val{}
	}
	if e.depth > 24 || s.nesting > maxNesting || s.budget <= 0 {
		s.cut++
		return val{}
	}
	s.budget--
	s.nesting++
	defer func() { s.nesting-- }()
	switch n.kind {
	case nName:
		switch n.name {
		case "self", "this", "cls":
			if e.cls != nil {
				return val{kind: vInstance, cls: e.cls, cm: e.m}
			}
		case "process":
			return val{kind: vExt, pkg: "process"}
		}
		loc, st, ok := s.lookup(n.name, e)
		if !ok {
			if f := e.m.funcs[n.name]; f != nil {
				return val{kind: vFunc, fn: f, fe: &env{m: e.m, f: f}}
			}
			if c := e.m.classes[n.name]; c != nil {
				return val{kind: vClass, cls: c, cm: e.m}
			}
			if s.python && n.name == "os" {
				return val{kind: vExt, pkg: "os"}
			}
			return val{}
		}
		if st != nil && (st.kind == sImport || st.kind == sDestructure) {
			return s.imported(st, n.name, loc.e)
		}
		if loc.n != nil && loc.n.kind == nFunc {
			return val{kind: vFunc, fn: loc.n.fn, fe: loc.e}
		}
		if loc.n != nil && loc.n.kind == nList && loc.e.f != nil {
			return val{kind: vList, dict: loc, name: n.name}
		}
		return s.eval(loc.n, s.deeper(loc.e))
	case nAttr:
		base := s.eval(n.x, s.deeper(e))
		return s.attr(base, n.name, n, e)
	case nCall, nNew:
		return s.apply(n, e, false)
	case nBin:
		if n.name == "or" || n.name == "?:" {
			if len(n.args) == 1 && s.unsetParam(n.args[0], e) {
				return s.eval(n.y, s.deeper(e)) // x if param else y, param left at None
			}
			if v := s.eval(n.x, s.deeper(e)); v.kind != vNone {
				return v
			}
			return s.eval(n.y, s.deeper(e))
		}
		if n.name == "and" {
			return s.eval(n.y, s.deeper(e))
		}
	case nDict:
		return val{kind: vDict, dict: located{n, e}}
	case nFunc:
		return val{kind: vFunc, fn: n.fn, fe: e}
	case nSub:
		// x[i], and a for loop's element (for m in x: is m = x[]);
		// client[name] is the client's method of that name.
		base := s.eval(n.x, s.deeper(e))
		if base.kind == vHandle && (base.h.kind == hClient || base.h.kind == hResource) && n.y != nil {
			return s.dynamicMethod(base, n.y, e)
		}
		return s.element(base, e)
	}
	return val{}
}

// dynamicMethod is a client's method named by an expression
// (getattr(client, name), client[name]): the method when the name is
// known (a literal, or a parameter its caller gives), else a method the
// reader cannot name (its call is a diagnostic).
func (s *service) dynamicMethod(base val, name *node, e *env) val {
	if base.kind != vHandle || base.h.kind != hClient && base.h.kind != hResource {
		return val{}
	}
	if m, ok := s.str(name, e).raw(); ok && m != "" {
		return s.attr(base, m, nil, e)
	}
	what := exprText(name)
	if what == "" {
		what = "an expression"
	}
	return val{kind: vMethod, h: base.h, name: "", sym: what}
}

// element is what iterating a value (or indexing it) gives: an SDK
// resource from a collection of them, an element of a list the code
// builds (its literal's and what the function appends to it).
func (s *service) element(v val, e *env) val {
	switch v.kind {
	case vHandle:
		switch h := v.h; {
		case h.kind == hResult:
			return v // resp["Credentials"]: a part of the result
		case h.kind == hMessages:
			return val{kind: vHandle, h: &handle{kind: hMessage, svc: h.svc, args: h.args}}
		case h.kind == hCollection && (h.op == "ListObjects" || h.of == "ListObjects" || h.op == "ListObjectVersions" || h.of == "ListObjectVersions"):
			a := args{}
			if b := h.args["Bucket"]; len(b) > 0 {
				a["Bucket"] = b
			}
			if p := h.args["Prefix"]; len(p) == 1 {
				a["Key"] = []string{p[0] + "*"}
			}
			return val{kind: vHandle, h: &handle{kind: hObject, svc: "s3", args: a}}
		case h.kind == hCollection && (h.op == "ListBuckets" || h.of == "ListBuckets"):
			return val{kind: vHandle, h: &handle{kind: hBucket, svc: "s3"}}
		}
	case vList:
		lit, le := v.dict.n, v.dict.e
		for _, a := range lit.args {
			if x := s.eval(a, s.deeper(le)); x.kind != vNone {
				return x
			}
		}
		for _, st := range le.f.body {
			c := st.value
			if st.kind != sExpr || c == nil || c.kind != nCall || c.x == nil || c.x.kind != nAttr || c.x.x == nil ||
				c.x.x.kind != nName || c.x.x.name != v.name || len(c.args) == 0 {
				continue
			}
			switch c.x.name {
			case "append", "add", "push", "insert":
				a := c.args[len(c.args)-1]
				if x := s.eval(a, s.deeper(le)); x.kind != vNone {
					return x
				}
			case "extend":
				if x := s.element(s.eval(c.args[0], s.deeper(le)), le); x.kind != vNone {
					return x
				}
			}
		}
	}
	return val{}
}

func (s *service) deeper(e *env) *env {
	c := *e
	c.depth++
	return &c
}

// imported is the value of an imported name.
func (s *service) imported(st *stmt, local string, e *env) val {
	prop := st.imports[local]
	if st.kind == sDestructure {
		base := s.eval(st.value, s.deeper(e))
		return s.attr(base, prop, nil, e)
	}
	mod := st.module
	if sdkPackage(mod) || !s.python && !strings.HasPrefix(mod, ".") {
		switch prop {
		case "", "*", "default":
			return val{kind: vExt, pkg: mod}
		}
		return val{kind: vExt, pkg: mod, sym: prop}
	}
	target := s.importTarget(e.m, mod)
	if s.python && prop != "" && prop != "*" {
		// from package import module: the package's name, else its
		// module of that name.
		if target != nil {
			if v := s.attr(val{kind: vMod, mod: target}, prop, nil, e); v.kind != vNone {
				return v
			}
		}
		sub := mod + "." + prop
		if strings.HasSuffix(mod, ".") {
			sub = mod + prop
		}
		if m := s.importTarget(e.m, sub); m != nil && m != target {
			return val{kind: vMod, mod: m}
		}
		return val{}
	}
	if target == nil {
		return val{}
	}
	switch prop {
	case "default":
		if st := s.lastBind(target.top, "default"); st != nil {
			return s.eval(st.value, &env{m: target, f: target.top, depth: e.depth + 1})
		}
		return val{kind: vMod, mod: target}
	case "", "*":
		return val{kind: vMod, mod: target}
	}
	return s.attr(val{kind: vMod, mod: target}, prop, nil, e)
}

// attr is base.name.
func (s *service) attr(base val, name string, n *node, e *env) val {
	switch base.kind {
	case vExt:
		if base.pkg == "process" && base.sym == "" && name == "env" {
			return val{kind: vExt, pkg: "process", sym: "env"}
		}
		if base.sym == "" {
			return val{kind: vExt, pkg: base.pkg, sym: name}
		}
		return val{kind: vExt, pkg: base.pkg, sym: base.sym + "." + name}
	case vMod:
		me := &env{m: base.mod, f: base.mod.top, depth: e.depth + 1}
		return s.eval(&node{kind: nName, name: name}, me)
	case vHandle:
		h := base.h
		switch {
		case h.kind == hResult:
			return base // resp.Credentials: a part of the result
		case name == "meta" || name == "client" && h.kind == hResource:
			return val{kind: vHandle, h: (&handle{kind: hClient, svc: h.svc}).with(h)}
		case h.kind == hBucket && (name == "objects" || name == "object_versions" || name == "multipart_uploads"):
			op := map[string]string{"objects": "ListObjects", "object_versions": "ListObjectVersions", "multipart_uploads": "ListMultipartUploads"}[name]
			return val{kind: vHandle, h: (&handle{kind: hCollection, svc: "s3", op: op, args: h.args}).with(h)}
		}
		return val{kind: vMethod, h: h, name: name}
	case vInstance:
		// self.x: the value the class's methods assign, with the
		// constructor's parameters bound to the instance's arguments.
		c := base.cls
		assigned := false
		for _, f := range c.methods {
			for _, st := range f.body {
				if st.kind != sAssign {
					continue
				}
				for _, t := range st.targets {
					if t.kind == nAttr && t.name == name && t.x.kind == nName && (t.x.name == "self" || t.x.name == "this") {
						assigned = true
						fe := &env{m: base.cm, f: f, cls: c, depth: e.depth + 1}
						if f.name == "__init__" || f.name == "constructor" {
							if ctor, ce := s.ctorOf(base, e); ctor != nil {
								fe.binds = s.bindArgs(f, ctor, ce, true)
							}
						}
						if v := s.eval(st.value, fe); v.kind != vNone {
							return v
						}
					}
				}
			}
		}
		if v, ok := c.fields[name]; ok && v != nil {
			return s.eval(v, &env{m: base.cm, f: base.cm.top, cls: c, depth: e.depth + 1})
		}
		if m := c.methods[name]; m != nil {
			return val{kind: vFunc, fn: m, fe: &env{m: base.cm, f: m, cls: c}}
		}
		if _, declared := c.fields[name]; assigned || declared {
			// The class gives the attribute its own value (another
			// SDK's client, say): not what other classes assign to a
			// field of the same name.
			return val{}
		}
	case vDict:
		if k, ok := s.get(base.dict, name); ok {
			return s.eval(k.val, s.deeper(k.e))
		}
		return val{}
	case vClass:
		if v, ok := base.cls.fields[name]; ok && v != nil {
			return s.eval(v, &env{m: base.cm, f: base.cm.top, cls: base.cls, depth: e.depth + 1})
		}
		// Cls.method: a static or class method, or one called with its
		// instance as the first argument.
		if m := base.cls.methods[name]; m != nil {
			return val{kind: vFunc, fn: m, fe: &env{m: base.cm, f: m, cls: base.cls}}
		}
	}
	// obj.attr: the one value the service assigns to that attribute.
	if list := s.attrs[name]; len(list) > 0 && e.depth < 12 {
		return s.attrAssigned(name, list)
	}
	return val{}
}

// attrAssigned is the first value the service's assignments to an
// attribute name give. Each assignment carries its own environment, so
// the value does not depend on where obj.attr is read: it is computed
// once per name (a name being computed reads as nothing, which cuts
// cycles), unless an evaluation limit cut the computation short.
func (s *service) attrAssigned(name string, list []located) val {
	if v, ok := s.attrMemo[name]; ok {
		return v
	}
	if s.attrBusy[name] {
		return val{}
	}
	if s.attrMemo == nil {
		s.attrMemo, s.attrBusy = map[string]val{}, map[string]bool{}
	}
	s.attrBusy[name] = true
	cut := s.cut
	var out val
	for _, l := range list {
		if v := s.eval(l.n, s.deeper(l.e)); v.kind != vNone {
			out = v
			break
		}
	}
	delete(s.attrBusy, name)
	if s.cut == cut {
		s.attrMemo[name] = out
	}
	return out
}

// ctorOf returns the construction of an instance: the call that made
// it, else the one place in the service that constructs the class.
func (s *service) ctorOf(v val, e *env) (*node, *env) {
	if v.ctor != nil {
		return v.ctor, v.ce
	}
	if e.depth > 8 {
		s.cut++
		return nil, nil
	}
	if s.ctors == nil {
		// Every statement-level construction in the service, by the
		// name it calls: indexed once, not searched for each instance.
		s.ctors = map[string][]ctorSite{}
		for _, m := range s.mods {
			for _, f := range m.all {
				for _, st := range f.body {
					if st.value != nil && (st.value.kind == nCall || st.value.kind == nNew) && st.value.x != nil && st.value.x.kind == nName {
						s.ctors[st.value.x.name] = append(s.ctors[st.value.x.name], ctorSite{st.value, m, f})
					}
				}
			}
		}
	}
	sites := s.ctors[v.cls.name]
	if len(sites) != 1 {
		return nil, nil
	}
	return sites[0].n, &env{m: sites[0].m, f: sites[0].f, depth: e.depth + 2}
}

// ctorSite is a statement that constructs (or calls) a name.
type ctorSite struct {
	n *node
	m *module
	f *function
}

// bindArgs binds a function's parameters to a call's arguments:
// positional ones up to a Python *args, keywords by name, the keys of a
// **dict argument by name; a **kwargs parameter holds the keywords no
// other parameter takes (a dict of them and of the **dicts).
func (s *service) bindArgs(f *function, call *node, ce *env, method bool) map[string]located {
	out := map[string]located{}
	params := f.params
	if method && len(params) > 0 && (params[0] == "self" || params[0] == "cls") {
		params = params[1:]
	}
	for i, a := range call.args {
		if i >= len(params) || params[i] == f.varargs || params[i] == f.kwargs && f.kwargs != "" {
			break
		}
		out[params[i]] = located{a, ce}
	}
	if len(call.kw) == 0 {
		return out
	}
	named := func(k string) bool {
		if k == f.kwargs || k == f.varargs {
			return false
		}
		for _, p := range params {
			if p == k {
				return true
			}
		}
		return f.kwargs == ""
	}
	var rest *node
	for _, k := range call.kw {
		switch {
		case k.key == "**":
			if d := s.eval(k.val, s.deeper(ce)); d.kind == vDict {
				es, _ := s.entries(d.dict)
				for _, en := range es {
					if en.key != "" && named(en.key) {
						out[en.key] = located{en.val, en.e}
					}
				}
			} else {
				// A **dict the reader cannot read may give any parameter:
				// those it leaves are unknown, not unset.
				for _, p := range params {
					if _, ok := out[p]; !ok && p != f.kwargs && p != f.varargs {
						out[p] = located{&node{kind: nOther, line: call.line, col: call.col}, ce}
					}
				}
			}
			if f.kwargs != "" {
				if rest == nil {
					rest = &node{kind: nDict, line: call.line, col: call.col}
				}
				rest.args = append(rest.args, k.val)
			}
		case named(k.key):
			out[k.key] = located{k.val, ce}
		default:
			if rest == nil {
				rest = &node{kind: nDict, line: call.line, col: call.col}
			}
			rest.kw = append(rest.kw, k)
		}
	}
	if rest != nil {
		out[f.kwargs] = located{rest, ce}
	}
	return out
}

// apply evaluates a call (or new), emitting its SDK calls when emit.
func (s *service) apply(n *node, e *env, emit bool) val {
	if n.x != nil && n.x.kind == nName && (n.x.name == "require" || n.x.name == "import" && !s.python) && len(n.args) >= 1 {
		// require('m') and a dynamic import('m') (awaited: the module).
		if _, _, bound := s.lookup(n.x.name, e); !bound {
			mod, ok := s.str(n.args[0], e).raw()
			if !ok {
				return val{}
			}
			if sdkPackage(mod) || !strings.HasPrefix(mod, ".") {
				return val{kind: vExt, pkg: mod}
			}
			if target := s.importTarget(e.m, mod); target != nil {
				return val{kind: vMod, mod: target}
			}
			return val{}
		}
	}
	if n.x != nil && n.x.kind == nName && n.x.name == "getattr" && s.python && len(n.args) >= 2 {
		// getattr(client, name): the client's method of that name.
		if _, _, bound := s.lookup("getattr", e); !bound {
			return s.dynamicMethod(s.eval(n.args[0], s.deeper(e)), n.args[1], e)
		}
	}
	callee := s.eval(n.x, s.deeper(e))
	switch callee.kind {
	case vExt:
		return s.extCall(callee.pkg, callee.sym, n, e, emit)
	case vMethod:
		if callee.name == "" {
			// A method the code computes (getattr(client, name)).
			if emit {
				s.notUnderstood(n, e, "a method of the "+callee.h.svc+" client that the code computes (from "+callee.sym+")")
			}
			return val{}
		}
		return s.handleCall(callee.h, callee.name, n, e, emit)
	case vFunc:
		if callee.fn == nil {
			return val{}
		}
		if e.depth > 10 {
			s.cut++
			return val{}
		}
		fe := *callee.fe
		fe.f = callee.fn
		fe.depth = e.depth + 2
		fe.binds = s.bindArgs(callee.fn, n, e, fe.cls != nil)
		for _, st := range callee.fn.body {
			if st.kind == sReturn {
				if v := s.eval(st.value, &fe); v.kind != vNone {
					return v
				}
			}
		}
	case vClass:
		return val{kind: vInstance, cls: callee.cls, cm: callee.cm, ctor: n, ce: e}
	case vHandle:
		// a collection called: bucket.objects(...)
		if callee.h.kind == hResult {
			return callee // a part of a result: resp.get("Credentials")
		}
		if callee.h.kind == hAIProvider {
			return s.aiModel(callee.h, "", n, e, emit) // provider(modelId)
		}
	}
	return val{}
}

// emptyKwargs reports the **kwargs parameter of a function read for a
// caller that passes it no keywords: an empty dict.
func (s *service) emptyKwargs(n *node, e *env) bool {
	if n == nil || n.kind != nName || e.binds == nil || !s.python {
		return false
	}
	if _, bound := e.binds[n.name]; bound {
		return false
	}
	for f := e.f; f != nil; f = f.outer {
		if f.kwargs == n.name {
			return true
		}
		for _, p := range f.params {
			if p == n.name {
				return false
			}
		}
	}
	return false
}

// unsetParam reports a condition that is a parameter whose default is
// None, in a function read for a caller that does not give it: the
// condition is false.
func (s *service) unsetParam(c *node, e *env) bool {
	for i := 0; i < 8 && c != nil && c.kind == nName && e.binds != nil; i++ {
		b, bound := e.binds[c.name]
		if !bound {
			break
		}
		if b.n != nil && b.n.kind == nName && (b.n.name == "None" || b.n.name == "null" || b.n.name == "undefined") {
			return true
		}
		c, e = b.n, b.e // the caller's argument: unset there?
	}
	if c == nil || c.kind != nName || e.binds == nil {
		return false
	}
	if _, bound := e.binds[c.name]; bound {
		return false
	}
	for f := e.f; f != nil; f = f.outer {
		for _, p := range f.params {
			if p == c.name {
				return f.noneDefault[p]
			}
		}
	}
	return false
}

// isParam reports an argument that is a parameter of the function being
// read: its callers give the value (and are read with it bound).
func (s *service) isParam(n *node, e *env) bool {
	if n == nil || n.kind != nName {
		return false
	}
	if b, bound := e.binds[n.name]; bound {
		// Bound to the caller's own parameter: its callers give it.
		return b.n != nil && b.n.kind == nName && b.e != e && e.depth < 24 && s.isParam(b.n, s.deeper(b.e))
	}
	for f := e.f; f != nil; f = f.outer {
		for _, p := range f.params {
			if p == n.name {
				return true
			}
		}
	}
	return false
}

// service names from an argument: boto3.client('s3'), client(service_name='s3').
func (s *service) svcArg(n *node, e *env) (string, bool) {
	var a *node
	if len(n.args) > 0 {
		a = n.args[0]
	}
	for _, k := range n.kw {
		if k.key == "service_name" {
			a = k.val
		}
	}
	if a == nil {
		return "", false
	}
	return s.str(a, e).raw()
}

func (s *service) emitCall(h *handle, op string, n *node, e *env, a args, via string) {
	svc := h.svc
	c := Call{Service: svc, Operation: op, Args: a, File: e.m.file, Line: n.line, Lang: "python", Via: via, Region: h.region,
		AssumedRole: h.cr.role, AssumedAt: h.cr.at, Keys: h.cr.keys, at: n}
	if !s.python {
		c.Lang = "js"
	}
	if h.kind == hModel && h.ai {
		s.aiModels = true
	}
	if u := a[unreadKey]; len(u) > 0 {
		c.Args = maps.Clone(a)
		delete(c.Args, unreadKey)
		c.Unread = true
		s.r.unreadAt(e.m.file, n.line, n.col, u[0], c.Service+"."+c.Operation)
	}
	s.r.call(c)
}

// regionArg reads the region a client is made with: boto3's
// region_name=, the JavaScript SDKs' { region: ... }.
func (s *service) regionArg(n *node, e *env) string {
	var v value
	if s.python {
		for _, k := range n.kw {
			if k.key == "region_name" {
				v = s.str(k.val, e)
			}
		}
	} else if d := s.eval(first(n.args), s.deeper(e)); d.kind == vDict {
		if k, ok := s.get(d.dict, "region"); ok {
			v = s.str(k.val, s.deeper(k.e))
		}
	}
	if a, ok := v.arg(); ok {
		return a
	}
	return ""
}

func (s *service) notUnderstood(n *node, e *env, msg string) {
	s.r.diags = append(s.r.diags, source.Diagnostic{File: e.m.file, Pos: source.Pos{Line: n.line, Col: n.col},
		Severity: source.Warning, Message: msg + "; its needs are not included", Check: "sdk-call-not-understood"})
}

// extCall is a call of an external package's name: the SDK's
// constructors, commands, paginators and waiters; environment reads are
// strings, not calls.
func (s *service) extCall(pkg, sym string, n *node, e *env, emit bool) val {
	last := sym[strings.LastIndex(sym, ".")+1:]
	switch {
	case pkg == "boto3" || pkg == "aioboto3" || strings.HasPrefix(pkg, "boto3.") || pkg == "botocore" || strings.HasPrefix(pkg, "botocore.") || strings.HasPrefix(pkg, "aiobotocore"):
		switch last {
		case "client", "create_client", "resource":
			svc, ok := s.svcArg(n, e)
			if !ok {
				if emit && !s.isParam(first(n.args), e) {
					s.notUnderstood(n, e, "boto3 "+last+" of a service the code computes")
				}
				return val{}
			}
			k := hClient
			if last == "resource" {
				k = hResource
			}
			h := &handle{kind: k, svc: svc, region: s.regionArg(n, e)}
			h.cr = s.clientCreds(s.pyCreds(n, e), h.svc, n, e, emit)
			return val{kind: vHandle, h: h}
		case "Session", "get_session", "session":
			// A session: its clients take its region and credentials.
			h := &handle{kind: hSession, svc: "boto3", region: s.regionArg(n, e)}
			h.cr = s.clientCreds(s.pyCreds(n, e), h.svc, n, e, emit)
			return val{kind: vHandle, h: h}
		}
		return val{}
	case pkg == "aws-sdk" || strings.HasPrefix(pkg, "aws-sdk/clients/"):
		cls := sym
		if strings.HasPrefix(pkg, "aws-sdk/clients/") {
			cls = strings.TrimPrefix(pkg, "aws-sdk/clients/")
			if sym != "" {
				cls += "." + sym
			}
		}
		if cls == "" || strings.HasPrefix(cls, "config") {
			return val{}
		}
		if strings.HasSuffix(cls, ".DocumentClient") {
			h := &handle{kind: hClient, svc: "dynamodb", doc: true, v2: true, region: s.regionArg(n, e)}
			h.cr = s.clientCreds(s.jsCreds(n, e), h.svc, n, e, emit)
			return val{kind: vHandle, h: h}
		}
		if v, ok := s.credentialProvider(cls, n, e, emit); ok {
			return v
		}
		if strings.Contains(cls, ".") || !isUpper(cls) && !strings.HasPrefix(pkg, "aws-sdk/clients/") || strings.HasSuffix(cls, "Credentials") {
			return val{}
		}
		h := &handle{kind: hClient, svc: strings.ToLower(cls), v2: true, region: s.regionArg(n, e)}
		h.cr = s.clientCreds(s.jsCreds(n, e), h.svc, n, e, emit)
		return val{kind: vHandle, h: h}
	case strings.HasPrefix(pkg, "@aws-sdk/client-"):
		svc := strings.TrimPrefix(pkg, "@aws-sdk/client-")
		switch {
		case strings.HasSuffix(last, "Command") && last != "Command":
			op := strings.TrimSuffix(last, "Command")
			if emit {
				a := s.objArgs(first(n.args), e)
				s.emitCall(&handle{svc: svc}, op, n, e, a, "")
			}
			return val{}
		case strings.HasPrefix(last, "paginate") && len(last) > len("paginate"):
			if emit {
				var in *node
				if len(n.args) > 1 {
					in = n.args[1]
				}
				s.emitCall(&handle{svc: svc}, strings.TrimPrefix(last, "paginate"), n, e, s.objArgs(in, e), "paginator")
			}
			return val{}
		case strings.HasPrefix(last, "waitUntil") || strings.HasPrefix(last, "waitFor"):
			name := strings.TrimPrefix(strings.TrimPrefix(last, "waitUntil"), "waitFor")
			if emit {
				var in *node
				if len(n.args) > 1 {
					in = n.args[1]
				}
				s.waiter(svc, "", name, n, e, s.objArgs(in, e))
			}
			return val{}
		case isUpper(last) && !strings.HasSuffix(last, "Exception") && !strings.HasSuffix(last, "Error"):
			h := &handle{kind: hClient, svc: svc, region: s.regionArg(n, e)}
			h.cr = s.clientCreds(s.jsCreds(n, e), h.svc, n, e, emit)
			return val{kind: vHandle, h: h}
		}
		return val{}
	case pkg == "@aws-sdk/credential-providers" || strings.HasPrefix(pkg, "@aws-sdk/credential-provider"):
		v, _ := s.credentialProvider(last, n, e, emit)
		return v
	case pkg == "@aws-sdk/lib-dynamodb":
		switch {
		case strings.HasSuffix(last, "Command") && last != "Command":
			if op, ok := docClientOps[strings.TrimSuffix(last, "Command")]; ok && emit {
				s.emitCall(&handle{svc: "dynamodb"}, op, n, e, s.objArgs(first(n.args), e), "document client")
			}
			return val{}
		case last == "from" || last == "DynamoDBDocument" || last == "DynamoDBDocumentClient":
			// DynamoDBDocumentClient.from(client): the client's region
			// and credentials.
			h := &handle{kind: hClient, svc: "dynamodb", doc: true}
			if c := s.eval(first(n.args), s.deeper(e)); c.kind == vHandle {
				h.with(c.h)
			}
			return val{kind: vHandle, h: h}
		}
		return val{}
	case langchainPackage(pkg):
		return s.langchainCall(sym, n, e, emit)
	case pkg == aiBedrock:
		return s.aiBedrockCall(sym, n, e, emit)
	case pkg == "ai":
		return s.aiCall(sym, n, e, emit)
	case pkg == "@aws-sdk/lib-storage" && last == "Upload":
		if emit {
			a := args{}
			if d := s.eval(first(n.args), e); d.kind == vDict {
				if k, ok := s.get(d.dict, "params"); ok {
					a = s.objArgs(k.val, k.e)
				}
			}
			s.upload("", n, e, a, "lib-storage Upload")
		}
		return val{kind: vHandle, h: &handle{kind: hObject, svc: "s3"}}
	case pkg == "@aws-sdk/s3-presigned-post" && last == "createPresignedPost":
		if emit && len(n.args) > 1 {
			s.emitCall(&handle{svc: "s3"}, "PutObject", n, e, s.objArgs(n.args[1], e), "presigned POST")
		}
		return val{}
	}
	return val{}
}

func first(ns []*node) *node {
	if len(ns) > 0 {
		return ns[0]
	}
	return nil
}

// upload is an S3 upload that may go in parts.
func (s *service) upload(region string, n *node, e *env, a args, via string) {
	s.emitCall(&handle{svc: "s3", region: region}, "PutObject", n, e, a, via)
	s.emitCall(&handle{svc: "s3", region: region}, "AbortMultipartUpload", n, e, a, via)
}

// waiter emits the operation a waiter polls.
func (s *service) waiter(svc, region, name string, n *node, e *env, a args) {
	op, ok := calls.Waiter(svc, kebab(name))
	if !ok {
		s.notUnderstood(n, e, "the "+svc+" waiter "+name+" is not known")
		return
	}
	s.emitCall(&handle{svc: svc, region: region}, op, n, e, a, "waiter "+name)
}

// kebab turns ObjectExists, object_exists and objectExists into
// object-exists.
func kebab(s string) string {
	var b strings.Builder
	for i, r := range s {
		switch {
		case r == '_':
			b.WriteByte('-')
		case r >= 'A' && r <= 'Z':
			if i > 0 {
				b.WriteByte('-')
			}
			b.WriteRune(r + 'a' - 'A')
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}

// objArgs reads an input object or dict: {Bucket: b, Key: k}. An input
// the reader cannot evaluate to one is marked unread in the arguments.
func (s *service) objArgs(n *node, e *env) args {
	a := args{}
	if n != nil {
		s.mergeObj(a, n, e, false)
	}
	return a
}

// mergeObj adds the entries of an input dict or object to a; an input
// (or a spread of it) the reader cannot evaluate is marked unread.
func (s *service) mergeObj(a args, n *node, e *env, spread bool) {
	if s.emptyKwargs(n, e) {
		return
	}
	v := s.eval(n, s.deeper(e))
	if v.kind != vDict {
		a.unread(spreadText(n, s.python, spread))
		return
	}
	if len(v.dict.n.args) == 0 { // no spreads: the literal's own entries
		for _, k := range v.dict.n.kw {
			s.setArg(a, k.key, k.val, v.dict.e)
		}
		return
	}
	es, unread := s.entries(v.dict)
	for _, k := range es {
		s.setArg(a, k.key, k.val, k.e)
	}
	if unread != "" {
		a.unread(unread)
	}
}

// setArg evaluates one argument: a string, a list of strings, or a
// CopySource {Bucket, Key}.
func (s *service) setArg(a args, name string, n *node, e *env) {
	if name == "" || n == nil {
		return
	}
	name = strings.ToUpper(name[:1]) + name[1:] // bedrock-runtime's modelId is ModelId
	v := s.eval(n, s.deeper(e))
	switch name {
	case "RequestItems":
		// BatchGetItem, BatchWriteItem: the tables are its keys.
		s.requestItems(a, v, n, e)
		return
	case "TransactItems":
		s.transactItems(a, v, n, e)
		return
	}
	if v.kind == vDict && name == "CopySource" {
		src := args{}
		es, _ := s.entries(v.dict)
		for _, k := range es {
			s.setArg(src, k.key, k.val, k.e)
		}
		b, k := src["Bucket"], src["Key"]
		if len(b) > 0 {
			key := "*"
			if len(k) > 0 {
				key = k[0]
			}
			a[name] = []string{b[0] + "/" + key}
		}
		return
	}
	if n.kind == nList {
		for _, el := range n.args {
			a.add(name, s.str(el, e))
		}
		return
	}
	sv := s.str(n, e)
	a.set(name, sv)
	if sv.isUnknown() && namesResource(name) {
		a.hint(name, s.hintName(n, e))
	}
}

// hintName names the parameter for an argument whose value the reader
// cannot know, after the expression it comes from: a variable, a
// function's parameter (fn.param), an attribute (Class.attr for
// self.attr and this.attr, obj.attr otherwise), a key (config.bucket for
// config["bucket"]); "" for other expressions.
func (s *service) hintName(n *node, e *env) string {
	switch {
	case n == nil:
		return ""
	case n.kind == nName:
		if s.isParam(n, e) {
			for f := e.f; f != nil; f = f.outer {
				for _, p := range f.params {
					if p == n.name && f.name != "" && !strings.HasPrefix(f.name, "<") {
						return f.name + "." + n.name
					}
				}
			}
		}
		return n.name
	case n.kind == nAttr:
		text := exprText(n)
		if head, rest, ok := strings.Cut(text, "."); ok && (head == "self" || head == "this" || head == "cls") && e.cls != nil && e.cls.name != "" {
			text = e.cls.name + "." + rest
		}
		return text
	case n.kind == nSub && n.y != nil && n.y.kind == nStr:
		if k, ok := s.str(n.y, e).raw(); ok {
			if x := s.hintName(n.x, e); x != "" {
				return x + "." + k
			}
		}
	}
	return ""
}

// callArgs reads a call's arguments: Python keywords and **dicts (an SDK
// method takes keywords only, so each positional argument of one is a
// spread dict), a JavaScript input object; positional parameters by name
// for the methods that have them. An input the reader cannot evaluate
// is marked unread.
func (s *service) callArgs(n *node, e *env, positional ...string) args {
	a := args{}
	for i, arg := range n.args {
		if i < len(positional) {
			if positional[i] != "" {
				s.setArg(a, positional[i], arg, e)
			}
			continue
		}
		if len(positional) > 0 || !s.python && i > 0 {
			continue // a file name, a callback
		}
		s.mergeObj(a, arg, e, s.python)
	}
	for _, k := range n.kw {
		if k.key == "**" {
			s.mergeObj(a, k.val, e, true)
			continue
		}
		s.setArg(a, k.key, k.val, e)
	}
	return a
}

// docClientOps maps document client commands and methods to DynamoDB
// operations.
var docClientOps = map[string]string{
	"Get": "GetItem", "Put": "PutItem", "Update": "UpdateItem", "Delete": "DeleteItem", "Query": "Query", "Scan": "Scan",
	"BatchGet": "BatchGetItem", "BatchWrite": "BatchWriteItem", "TransactGet": "TransactGetItems", "TransactWrite": "TransactWriteItems",
	"ExecuteStatement": "PartiQLSelect", "BatchExecuteStatement": "PartiQLSelect", "ExecuteTransaction": "PartiQLSelect",
}

// clientIgnore are client methods that make no AWS call.
var clientIgnore = map[string]bool{
	"send": true, "destroy": true, "close": true, "config": true, "middlewareStack": true, "can_paginate": true,
	"exceptions": true, "promise": true, "on": true, "then": true, "catch": true, "makeRequest": true, "__aenter__": true, "__aexit__": true,
	"makeUnauthenticatedRequest": true, "setupRequestListeners": true, "getPaginator": true, "get_paginator": true, "get_waiter": true,
}

// handleCall is a method call on a handle; the handles it gives (a
// table, a bucket, a paginator) are in the client's region.
func (s *service) handleCall(h *handle, m string, n *node, e *env, emit bool) val {
	if m == "send" && (h.region != "" || h.cr != (creds{})) && emit {
		// client.send(new XCommand(...)): the command, emitted where it
		// is made, runs in this client's region, with its credentials.
		if c := s.commandNode(first(n.args), e); c != nil {
			if s.sendClient == nil {
				s.sendClient = map[*node]*handle{}
			}
			s.sendClient[c] = h
		}
	}
	if m == "send" && !emit {
		// client.send(command): what the command returns (a value is
		// wanted only where the call is evaluated, not discovered); the
		// arguments of the ones whose results are credentials.
		if c := s.commandNode(first(n.args), e); c != nil {
			if cv := s.eval(c.x, s.deeper(e)); cv.kind == vExt && strings.HasPrefix(cv.pkg, "@aws-sdk/client-") && strings.HasSuffix(cv.sym, "Command") {
				op := strings.TrimSuffix(cv.sym[strings.LastIndex(cv.sym, ".")+1:], "Command")
				r := &handle{kind: hResult, svc: strings.TrimPrefix(cv.pkg, "@aws-sdk/client-"), op: op}
				if r.svc == "sts" && assumeOps[op] {
					r.args = s.objArgs(first(c.args), e)
					r.at = fmt.Sprintf("%s:%d", e.m.file, c.line)
				}
				return val{kind: vHandle, h: r}
			}
		}
	}
	v := s.methodCall(h, m, n, e, emit)
	if v.kind == vHandle && v.h != h && v.h.kind != hResult {
		v.h.with(h)
	}
	return v
}

// commandNode is the construction of the command a send takes: the new
// expression itself or the one a name is bound to.
func (s *service) commandNode(n *node, e *env) *node {
	for i := 0; n != nil && i < 4; i++ {
		switch n.kind {
		case nNew, nCall:
			return n
		case nName:
			loc, _, ok := s.lookup(n.name, e)
			if !ok {
				return nil
			}
			n, e = loc.n, loc.e
		default:
			return nil
		}
	}
	return nil
}

// methodCall is a method call on a handle.
func (s *service) methodCall(h *handle, m string, n *node, e *env, emit bool) val {
	do := func(op string, a args, via string) {
		if emit {
			s.emitCall(h, op, n, e, a, via)
		}
	}
	merge := func(a args) args {
		for k, v := range h.args {
			if _, ok := a[k]; !ok {
				a[k] = v
			}
		}
		return a
	}
	switch h.kind {
	case hSession:
		switch m {
		case "client", "resource", "create_client":
			svc, ok := s.svcArg(n, e)
			if !ok {
				if emit && !s.isParam(first(n.args), e) {
					s.notUnderstood(n, e, "boto3 "+m+" of a service the code computes")
				}
				return val{}
			}
			k := hClient
			if m == "resource" {
				k = hResource
			}
			c := &handle{kind: k, svc: svc, region: s.regionArg(n, e)}
			c.cr = s.clientCreds(s.pyCreds(n, e), c.svc, n, e, emit)
			return val{kind: vHandle, h: c.with(h)}
		}
		return val{}
	case hCreds:
		return val{}
	case hAIProvider:
		return s.aiModel(h, m, n, e, emit)
	case hClient, hResource:
		if h.kind == hResource {
			switch m {
			case "Table":
				a := args{}
				s.setArg(a, "TableName", first(n.args), e)
				for _, k := range n.kw {
					if k.key == "name" {
						s.setArg(a, "TableName", k.val, e)
					}
				}
				return val{kind: vHandle, h: &handle{kind: hTable, svc: h.svc, args: a}}
			case "Bucket":
				a := args{}
				s.setArg(a, "Bucket", first(n.args), e)
				return val{kind: vHandle, h: &handle{kind: hBucket, svc: h.svc, args: a}}
			case "Object", "ObjectSummary":
				a := args{}
				if len(n.args) > 0 {
					s.setArg(a, "Bucket", n.args[0], e)
				}
				if len(n.args) > 1 {
					s.setArg(a, "Key", n.args[1], e)
				}
				return val{kind: vHandle, h: &handle{kind: hObject, svc: h.svc, args: a}}
			case "Queue":
				a := args{}
				s.setArg(a, "QueueUrl", first(n.args), e)
				return val{kind: vHandle, h: &handle{kind: hQueue, svc: h.svc, args: a}}
			case "Message":
				a := args{}
				s.setArg(a, "QueueUrl", first(n.args), e)
				return val{kind: vHandle, h: &handle{kind: hMessage, svc: h.svc, args: a}}
			case "get_queue_by_name":
				a := s.callArgs(n, e)
				do("GetQueueUrl", a, "")
				return val{kind: vHandle, h: &handle{kind: hQueue, svc: h.svc, args: args{"QueueUrl": a["QueueName"]}}}
			case "Topic":
				a := args{}
				s.setArg(a, "TopicArn", first(n.args), e)
				return val{kind: vHandle, h: &handle{kind: hTopic, svc: h.svc, args: a}}
			case "buckets":
				return val{kind: vHandle, h: &handle{kind: hCollection, svc: "s3", op: "ListBuckets"}}
			}
		}
		switch m {
		case "get_paginator", "getPaginator":
			op, ok := s.str(first(n.args), e).raw()
			if !ok {
				if emit {
					s.notUnderstood(n, e, "a paginator of an operation the code computes")
				}
				return val{}
			}
			return val{kind: vHandle, h: &handle{kind: hPaginator, svc: h.svc, op: calls.Operation(op)}}
		case "get_waiter":
			name, ok := s.str(first(n.args), e).raw()
			if !ok {
				if emit {
					s.notUnderstood(n, e, "a waiter the code computes")
				}
				return val{}
			}
			return val{kind: vHandle, h: &handle{kind: hWaiter, svc: h.svc, op: name}}
		case "waitFor":
			if name, ok := s.str(first(n.args), e).raw(); ok && emit {
				s.waiter(h.svc, h.region, name, n, e, s.objArgs(second(n.args), e))
			}
			return val{}
		case "upload_file", "upload_fileobj":
			if emit {
				s.upload(h.region, n, e, s.callArgs(n, e, "", "Bucket", "Key"), m)
			}
			return val{}
		case "download_file", "download_fileobj":
			do("GetObject", s.callArgs(n, e, "Bucket", "Key"), m)
			return val{}
		case "copy":
			do("CopyObject", s.callArgs(n, e, "CopySource", "Bucket", "Key"), m)
			return val{}
		case "generate_presigned_url", "getSignedUrl", "getSignedUrlPromise":
			op, ok := s.str(first(n.args), e).raw()
			var a args
			if m == "generate_presigned_url" {
				a = args{}
				for _, k := range n.kw {
					switch k.key {
					case "Params":
						a = s.objArgs(k.val, e)
					case "ClientMethod":
						op, ok = s.str(k.val, e).raw()
					}
				}
				if len(n.args) > 1 {
					a = s.objArgs(n.args[1], e)
				}
			} else {
				a = s.objArgs(second(n.args), e)
			}
			if !ok {
				if emit {
					s.notUnderstood(n, e, "a presigned URL for an operation the code computes")
				}
				return val{}
			}
			do(calls.Operation(op), a, "presigned URL")
			return val{}
		case "generate_presigned_post", "createPresignedPost":
			do("PutObject", s.callArgs(n, e, "Bucket", "Key"), "presigned POST")
			return val{}
		case "upload":
			if h.v2 && h.svc == "s3" {
				if emit {
					s.upload(h.region, n, e, s.objArgs(first(n.args), e), "managed upload")
				}
				return val{}
			}
		}
		if clientIgnore[m] || strings.HasPrefix(m, "_") || m == "meta" {
			return val{}
		}
		op := calls.Operation(m)
		if op == "" {
			return val{}
		}
		if h.doc {
			dop, ok := docClientOps[op]
			if !ok {
				return val{}
			}
			do(dop, s.callArgs(n, e), "document client")
			return val{}
		}
		a := s.callArgs(n, e)
		do(op, a, "")
		if emit {
			return val{} // discovered: its value is not wanted
		}
		r := &handle{kind: hResult, svc: h.svc, op: op}
		if h.svc == "sts" && assumeOps[op] {
			r.args, r.at = a, fmt.Sprintf("%s:%d", e.m.file, n.line)
		}
		return val{kind: vHandle, h: r}
	case hPaginator:
		if m == "paginate" {
			do(h.op, s.callArgs(n, e), "paginator")
		}
		return val{}
	case hWaiter:
		if m == "wait" && emit {
			s.waiter(h.svc, h.region, h.op, n, e, s.callArgs(n, e))
		}
		return val{}
	case hTable:
		ops := map[string]string{"get_item": "GetItem", "put_item": "PutItem", "update_item": "UpdateItem", "delete_item": "DeleteItem",
			"query": "Query", "scan": "Scan", "load": "DescribeTable", "reload": "DescribeTable", "delete": "DeleteTable", "update": "UpdateTable"}
		if m == "batch_writer" {
			return val{kind: vHandle, h: &handle{kind: hBatch, svc: h.svc, args: h.args}}
		}
		if op, ok := ops[m]; ok {
			do(op, merge(s.callArgs(n, e)), "Table."+m)
			return val{}
		}
	case hBatch:
		if m == "put_item" || m == "delete_item" {
			do("BatchWriteItem", merge(args{}), "batch_writer")
		}
		return val{}
	case hBucket:
		switch m {
		case "upload_file", "upload_fileobj":
			if emit {
				s.upload(h.region, n, e, merge(s.callArgs(n, e, "", "Key")), "Bucket."+m)
			}
			return val{}
		case "download_file", "download_fileobj":
			do("GetObject", merge(s.callArgs(n, e, "Key")), "Bucket."+m)
			return val{}
		case "Object":
			a := args{}
			s.setArg(a, "Key", first(n.args), e)
			return val{kind: vHandle, h: &handle{kind: hObject, svc: "s3", args: merge(a)}}
		case "copy":
			do("CopyObject", merge(s.callArgs(n, e, "CopySource", "Key")), "Bucket.copy")
			return val{}
		}
		ops := map[string]string{"put_object": "PutObject", "delete_objects": "DeleteObjects", "create": "CreateBucket", "delete": "DeleteBucket", "load": "HeadBucket"}
		if op, ok := ops[m]; ok {
			do(op, merge(s.callArgs(n, e)), "Bucket."+m)
			return val{}
		}
	case hResult:
		// resp.get("Credentials"): a part of the result.
		return val{kind: vHandle, h: h}
	case hObject:
		ops := map[string]string{"get": "GetObject", "put": "PutObject", "delete": "DeleteObject", "load": "HeadObject", "reload": "HeadObject",
			"download_file": "GetObject", "download_fileobj": "GetObject", "copy_from": "CopyObject", "restore_object": "RestoreObject"}
		if m == "upload_file" || m == "upload_fileobj" {
			if emit {
				s.upload(h.region, n, e, merge(args{}), "Object."+m)
			}
			return val{}
		}
		if op, ok := ops[m]; ok {
			do(op, merge(s.callArgs(n, e)), "Object."+m)
			return val{}
		}
		return val{}
	case hQueue:
		ops := map[string]string{"send_message": "SendMessage", "send_messages": "SendMessageBatch", "receive_messages": "ReceiveMessage",
			"delete_messages": "DeleteMessageBatch", "purge": "PurgeQueue", "change_message_visibility_batch": "ChangeMessageVisibilityBatch", "load": "GetQueueAttributes"}
		if m == "Message" {
			return val{kind: vHandle, h: &handle{kind: hMessage, svc: h.svc, args: merge(args{})}}
		}
		if op, ok := ops[m]; ok {
			do(op, merge(s.callArgs(n, e)), "Queue."+m)
			if m == "receive_messages" {
				return val{kind: vHandle, h: &handle{kind: hMessages, svc: h.svc, args: h.args}}
			}
			return val{}
		}
	case hMessages:
		return val{}
	case hModel:
		return s.modelCall(h, m, n, e, emit)
	case hMessage:
		ops := map[string]string{"delete": "DeleteMessage", "change_visibility": "ChangeMessageVisibility"}
		if op, ok := ops[m]; ok {
			do(op, merge(s.callArgs(n, e)), "Message."+m)
			return val{}
		}
	case hTopic:
		if m == "publish" {
			do("Publish", merge(s.callArgs(n, e)), "Topic.publish")
			return val{}
		}
	case hCollection:
		switch m {
		case "all", "filter", "limit", "page_size":
			a := merge(s.callArgs(n, e))
			do(h.op, a, "collection")
			of := h.op
			if of == "<done>" {
				of = h.of
			}
			return val{kind: vHandle, h: &handle{kind: hCollection, svc: h.svc, op: "<done>", args: a, of: of}}
		case "delete":
			if h.op == "ListObjects" || h.op == "<done>" {
				do("DeleteObjects", merge(args{}), "collection delete")
			}
		}
		return val{}
	}
	if emit {
		s.notUnderstood(n, e, "the method "+m+" of a "+h.svc+" handle is not known")
	}
	return val{}
}

func second(ns []*node) *node {
	if len(ns) > 1 {
		return ns[1]
	}
	return nil
}

// str evaluates a string expression.
func (s *service) str(n *node, e *env) value {
	if n == nil || e.depth > 24 || s.nesting > maxNesting || s.budget <= 0 {
		return unknownValue()
	}
	s.budget--
	s.nesting++
	defer func() { s.nesting-- }()
	switch n.kind {
	case nStr:
		var vs []value
		for i, p := range n.parts {
			if !p.isEx {
				vs = append(vs, lit(p.lit))
				continue
			}
			vs = append(vs, s.str(n.exprs[i], s.deeper(e)))
		}
		if len(vs) == 0 {
			return lit("")
		}
		return concat(vs...)
	case nNum:
		return lit(n.name)
	case nBin:
		switch n.name {
		case "+":
			return concat(s.str(n.x, s.deeper(e)), s.str(n.y, s.deeper(e)))
		case "or", "?:":
			if len(n.args) == 1 && s.unsetParam(n.args[0], e) {
				return s.str(n.y, s.deeper(e))
			}
			if v := s.str(n.x, s.deeper(e)); !v.isUnknown() {
				return v
			}
			return s.str(n.y, s.deeper(e))
		case "%":
			f, ok := s.str(n.x, s.deeper(e)).raw()
			if !ok {
				return unknownValue()
			}
			var vs []value
			if n.y != nil && n.y.kind == nList {
				for _, a := range n.y.args {
					vs = append(vs, s.str(a, s.deeper(e)))
				}
			} else {
				vs = append(vs, s.str(n.y, s.deeper(e)))
			}
			return sprintf(f, vs)
		}
	case nSub:
		// os.environ["X"], process.env["X"]
		if b := s.eval(n.x, s.deeper(e)); b.kind == vExt && (b.pkg == "os" && b.sym == "environ" || b.pkg == "process" && b.sym == "env") {
			if name, ok := s.str(n.y, s.deeper(e)).raw(); ok {
				return envValue(name)
			}
		}
	case nAttr:
		if b := s.eval(n.x, s.deeper(e)); b.kind == vExt && b.pkg == "process" && b.sym == "env" {
			return envValue(n.name)
		} else if b.kind == vInstance && s.settingsClass(b.cls) {
			if name, ok := settingsEnv(b.cls, n.name); ok {
				return envValue(name)
			}
		}
	case nCall:
		return s.strCall(n, e)
	}
	switch n.kind {
	case nName, nAttr:
		if n.kind == nName {
			if loc, st, ok := s.lookup(n.name, e); ok {
				if st != nil && (st.kind == sImport || st.kind == sDestructure) {
					return s.importedStr(st, n.name, loc.e)
				}
				return s.str(loc.n, s.deeper(loc.e))
			}
			return unknownValue()
		}
		return s.attrStr(n, e)
	}
	return unknownValue()
}

// settingsEnv is the environment variable a settings class's field
// reads: its Field's alias (validation_alias, v1's env), else its
// upper-case name; ok is false for a field whose default the code
// computes.
func settingsEnv(c *class, field string) (string, bool) {
	v, ok := c.fields[field]
	if !ok || v == nil || v.kind != nCall {
		return strings.ToUpper(field), true
	}
	if v.x != nil && (v.x.kind == nName || v.x.kind == nAttr) && v.x.name == "Field" {
		for _, k := range v.kw {
			if (k.key == "alias" || k.key == "validation_alias" || k.key == "env") && k.val != nil && k.val.kind == nStr {
				if len(k.val.parts) == 1 && !k.val.parts[0].isEx {
					return k.val.parts[0].lit, true
				}
			}
		}
		return strings.ToUpper(field), true
	}
	return "", false
}

// settingsClass reports a pydantic settings class (fields from the
// environment by their upper-case names).
func (s *service) settingsClass(c *class) bool {
	for _, b := range c.bases {
		if b.kind == nName && strings.HasSuffix(b.name, "Settings") || b.kind == nAttr && strings.HasSuffix(b.name, "Settings") {
			return true
		}
	}
	return false
}

func (s *service) importedStr(st *stmt, local string, e *env) value {
	prop := st.imports[local]
	if st.kind == sImport && !sdkPackage(st.module) {
		if target := s.importTarget(e.m, st.module); target != nil && prop != "" && prop != "*" {
			return s.str(&node{kind: nName, name: prop}, &env{m: target, f: target.top, depth: e.depth + 1})
		}
	}
	if st.kind == sDestructure {
		// const { TABLE } = process.env
		if b := s.eval(st.value, s.deeper(e)); b.kind == vExt && b.pkg == "process" && b.sym == "env" {
			return envValue(prop)
		} else if b.kind == vDict {
			if k, ok := s.get(b.dict, prop); ok {
				return s.str(k.val, s.deeper(k.e))
			}
		}
	}
	return unknownValue()
}

// attrStr is the string value of obj.attr: a module's name, a settings
// object's field, self.attr, a dict's key, the one value the service
// assigns to that attribute.
func (s *service) attrStr(n *node, e *env) value {
	base := s.eval(n.x, s.deeper(e))
	switch base.kind {
	case vMod:
		return s.str(&node{kind: nName, name: n.name}, &env{m: base.mod, f: base.mod.top, depth: e.depth + 1})
	case vDict:
		if k, ok := s.get(base.dict, n.name); ok {
			return s.str(k.val, s.deeper(k.e))
		}
		return unknownValue()
	case vInstance, vClass:
		c := base.cls
		if s.settingsClass(c) {
			if name, ok := settingsEnv(c, n.name); ok {
				return envValue(name)
			}
		}
		for _, f := range c.methods {
			for _, st := range f.body {
				if st.kind != sAssign {
					continue
				}
				for _, t := range st.targets {
					if t.kind == nAttr && t.name == n.name && t.x.kind == nName && (t.x.name == "self" || t.x.name == "this") {
						fe := &env{m: base.cm, f: f, cls: c, depth: e.depth + 1}
						if f.name == "__init__" || f.name == "constructor" {
							if ctor, ce := s.ctorOf(base, e); ctor != nil {
								fe.binds = s.bindArgs(f, ctor, ce, true)
							}
						}
						if v := s.str(st.value, fe); !v.isUnknown() {
							return v
						}
					}
				}
			}
		}
		if v, ok := c.fields[n.name]; ok && v != nil {
			return s.str(v, &env{m: base.cm, f: base.cm.top, cls: c, depth: e.depth + 1})
		}
	}
	// obj.attr of an object the reader cannot name: the one value the
	// service's assignments to that attribute give, when they agree
	// (an attribute many classes set, such as id, is none of theirs).
	list := s.attrs[n.name]
	if len(list) > 8 {
		return unknownValue()
	}
	var one value
	var oneArg string
	for _, l := range list {
		v := s.str(l.n, s.deeper(l.e))
		a, ok := v.arg()
		if !ok {
			continue
		}
		if oneArg != "" && a != oneArg {
			return unknownValue()
		}
		one, oneArg = v, a
	}
	if oneArg == "" {
		return unknownValue()
	}
	return one
}

// strCall evaluates environment reads and helpers that return strings.
func (s *service) strCall(n *node, e *env) value {
	callee := s.eval(n.x, s.deeper(e))
	if callee.kind == vExt {
		switch {
		case callee.pkg == "os" && (callee.sym == "getenv" || callee.sym == "environ.get"):
			if name, ok := s.str(first(n.args), e).raw(); ok {
				return envValue(name)
			}
		}
		return unknownValue()
	}
	// "...".format(a), x.strip(), str(x)
	if n.x.kind == nAttr {
		switch n.x.name {
		case "strip", "lower", "upper", "rstrip", "lstrip", "trim", "toString", "toLowerCase", "toUpperCase":
			return s.str(n.x.x, s.deeper(e))
		case "format":
			if f, ok := s.str(n.x.x, s.deeper(e)).raw(); ok {
				var vs []value
				for _, a := range n.args {
					vs = append(vs, s.str(a, s.deeper(e)))
				}
				return pyFormat(f, vs, n.kw, func(x *node) value { return s.str(x, s.deeper(e)) })
			}
		case "get", "str":
			// environ.get("X") imported as from os import environ;
			// env.str("X") (environs)
			if b := s.eval(n.x.x, s.deeper(e)); b.kind == vExt && b.pkg == "os" && b.sym == "environ" {
				if name, ok := s.str(first(n.args), e).raw(); ok {
					return envValue(name)
				}
			}
		}
	}
	if n.x.kind == nName {
		switch n.x.name {
		case "str", "String":
			return s.str(first(n.args), e)
		case "getenv":
			if name, ok := s.str(first(n.args), e).raw(); ok {
				return envValue(name)
			}
		}
	}
	if callee.kind == vFunc && callee.fn != nil && e.depth < 10 {
		fe := *callee.fe
		fe.f = callee.fn
		fe.depth = e.depth + 2
		fe.binds = s.bindArgs(callee.fn, n, e, fe.cls != nil)
		for _, st := range callee.fn.body {
			if st.kind == sReturn {
				if v := s.str(st.value, &fe); !v.isUnknown() {
					return v
				}
			}
		}
	}
	return unknownValue()
}

// pyFormat fills "{}" and "{name}" of str.format.
func pyFormat(f string, vs []value, kw []kv, eval func(*node) value) value {
	var out []value
	i := 0
	for {
		j := strings.IndexByte(f, '{')
		if j < 0 {
			out = append(out, lit(f))
			break
		}
		k := strings.IndexByte(f[j:], '}')
		if k < 0 {
			out = append(out, lit(f))
			break
		}
		out = append(out, lit(f[:j]))
		name := f[j+1 : j+k]
		if c := strings.IndexAny(name, ":!"); c >= 0 {
			name = name[:c]
		}
		switch {
		case name == "":
			if i < len(vs) {
				out = append(out, vs[i])
			} else {
				out = append(out, unknownValue())
			}
			i++
		default:
			found := false
			for _, x := range kw {
				if x.key == name {
					out = append(out, eval(x.val))
					found = true
				}
			}
			if !found {
				out = append(out, unknownValue())
			}
		}
		f = f[j+k+1:]
	}
	return concat(out...)
}

// scanPython reads Python files as one service.
func scanPython(files []*source.File, r *results) {
	s := newService(true, r)
	for _, f := range files {
		if m := parsePython(f.Name, string(f.Data)); !m.infra() {
			s.mods = append(s.mods, m)
		}
	}
	s.run()
}

// scanJS reads JavaScript/TypeScript files as one service.
func scanJS(files []*source.File, r *results) {
	s := newService(false, r)
	for _, f := range files {
		if m := parseJS(f.Name, string(f.Data)); !m.infra() {
			s.mods = append(s.mods, m)
		}
	}
	s.run()
}
