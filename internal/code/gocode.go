package code

import (
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"strconv"
	"strings"

	"github.com/iamfit/iamfit/internal/source"
)

// The Go reader parses a package's files with go/parser and follows
// values through the package's declarations: an SDK call is the
// construction of an operation's input (&s3.GetObjectInput{...}, or a
// variable of that type whose fields are set), whatever receives it — the
// client's method, a paginator, a waiter, a presigner, a transfer manager
// or a helper function; a method call on a client (a value of an SDK
// package's client type, through variables, struct fields, parameters and
// helper functions' results) without such an input is the operation of
// the method's name.

// goSDK are the import path prefixes of the SDK service packages.
var goSDK = []string{"github.com/aws/aws-sdk-go-v2/service/", "github.com/aws/aws-sdk-go/service/"}

// goFile is one parsed file of a package.
type goFile struct {
	src  *source.File
	ast  *ast.File
	pkgs map[string]string // import name -> SDK service ("s3"); "s3manager" and "manager" for the transfer managers
	// awsPkgs are the import names of the SDKs' aws packages (aws,
	// awsv1, ...: aws.String), and smithy's ptr.
	awsPkgs map[string]bool
}

// goPackage is what the reader knows of a package.
type goPackage struct {
	fset   *token.FileSet
	files  []*goFile
	consts map[string]ast.Expr // package-level constants and variables
	// fields are the values assigned to a struct field of that name
	// anywhere in the package (composite literals and assignments).
	fields map[string][]ast.Expr
	// fieldTypes are the declared types of struct fields by name.
	fieldTypes map[string][]ast.Expr
	// fieldFuncs are the functions that give fields their values, for
	// the value's bindings.
	fieldFuncs map[ast.Expr]*ast.FuncDecl
	funcs      map[string]*ast.FuncDecl // functions and methods by name
	inputs     map[string]bool          // "s3.GetObject": an input literal exists
	r          *results
	// sites are the calls of each function or method name, and scopes
	// the bindings of the functions that make them (built when a
	// parameter's value is wanted).
	sites  map[string][]callSite
	scopes map[*ast.FuncDecl]*scope
}

// callSite is one call of a package function, in the function that
// makes it.
type callSite struct {
	call *ast.CallExpr
	fd   *ast.FuncDecl
	gf   *goFile
}

func scanGoPackage(files []*source.File, r *results) {
	p := &goPackage{fset: token.NewFileSet(), consts: map[string]ast.Expr{}, fields: map[string][]ast.Expr{},
		fieldTypes: map[string][]ast.Expr{}, fieldFuncs: map[ast.Expr]*ast.FuncDecl{}, funcs: map[string]*ast.FuncDecl{}, inputs: map[string]bool{}, r: r}
	for _, f := range files {
		af, err := parser.ParseFile(p.fset, f.Name, f.Data, parser.SkipObjectResolution)
		if af == nil {
			continue
		}
		gf := &goFile{src: f, ast: af, pkgs: map[string]string{}, awsPkgs: map[string]bool{}}
		infra := false
		for _, imp := range af.Imports {
			ip, _ := strconv.Unquote(imp.Path.Value)
			switch ip {
			case "github.com/aws/aws-sdk-go-v2/aws", "github.com/aws/aws-sdk-go/aws", "github.com/aws/smithy-go/ptr":
				name := path2name(ip)
				if imp.Name != nil {
					name = imp.Name.Name
				}
				gf.awsPkgs[name] = true
			}
			if strings.Contains(ip, "aws-cdk-go") || strings.Contains(ip, "pulumi") || ip == "github.com/aws/aws-lambda-go/lambda" {
				infra = true
			}
			svc := ""
			for _, pre := range goSDK {
				if rest, ok := strings.CutPrefix(ip, pre); ok {
					svc = rest
				}
			}
			switch {
			case strings.HasSuffix(ip, "/feature/s3/manager"):
				svc = "s3/manager"
			case svc == "s3/s3manager":
			case strings.Contains(svc, "/"):
				continue // types, iface, ... subpackages
			}
			if svc == "" {
				continue
			}
			name := path2name(ip)
			if imp.Name != nil {
				name = imp.Name.Name
			}
			gf.pkgs[name] = svc
		}
		if err != nil && len(gf.pkgs) > 0 {
			r.notUnderstood(f.Name, 1, 1, "Go source does not parse: "+err.Error())
		}
		if infra {
			continue // a Lambda handler or infrastructure code: not the container's
		}
		p.files = append(p.files, gf)
	}
	for _, gf := range p.files {
		p.collect(gf)
	}
	for _, gf := range p.files {
		if len(gf.pkgs) > 0 {
			p.scan(gf)
		}
	}
}

func path2name(ip string) string {
	name := ip[strings.LastIndex(ip, "/")+1:]
	if strings.HasPrefix(name, "v") && len(name) > 1 && name[1] >= '0' && name[1] <= '9' {
		rest := ip[:strings.LastIndex(ip, "/")]
		name = rest[strings.LastIndex(rest, "/")+1:]
	}
	return name
}

// collect records the package-level declarations and every value given
// to a struct field.
func (p *goPackage) collect(gf *goFile) {
	for _, d := range gf.ast.Decls {
		switch d := d.(type) {
		case *ast.FuncDecl:
			p.funcs[d.Name.Name] = d
		case *ast.GenDecl:
			for _, s := range d.Specs {
				switch s := s.(type) {
				case *ast.ValueSpec:
					for i, n := range s.Names {
						if i < len(s.Values) {
							p.consts[n.Name] = s.Values[i]
						} else if s.Type != nil {
							p.consts[n.Name] = &ast.CompositeLit{Type: s.Type}
						}
					}
				case *ast.TypeSpec:
					if st, ok := s.Type.(*ast.StructType); ok {
						for _, fl := range st.Fields.List {
							for _, n := range fl.Names {
								p.fieldTypes[n.Name] = append(p.fieldTypes[n.Name], fl.Type)
							}
						}
					}
				}
			}
		}
	}
	var fd *ast.FuncDecl
	ast.Inspect(gf.ast, func(n ast.Node) bool {
		switch n := n.(type) {
		case *ast.FuncDecl:
			fd = n
		case *ast.CompositeLit:
			if p.inputType(gf, n.Type) != "" {
				return true
			}
			for _, e := range n.Elts {
				if kv, ok := e.(*ast.KeyValueExpr); ok {
					if k, ok := kv.Key.(*ast.Ident); ok {
						p.fields[k.Name] = append(p.fields[k.Name], kv.Value)
						if fd != nil {
							p.fieldFuncs[kv.Value] = fd
						}
					}
				}
			}
		case *ast.AssignStmt:
			if len(n.Lhs) != len(n.Rhs) {
				return true
			}
			for i, l := range n.Lhs {
				if sel, ok := l.(*ast.SelectorExpr); ok {
					if _, isInput := p.inputOf(gf, nil, sel.X); !isInput {
						p.fields[sel.Sel.Name] = append(p.fields[sel.Sel.Name], n.Rhs[i])
						if fd != nil {
							p.fieldFuncs[n.Rhs[i]] = fd
						}
					}
				}
			}
		}
		return true
	})
}

// scopeOf is the bindings of a package function (built once).
func (p *goPackage) scopeOf(fd *ast.FuncDecl) *scope {
	if fd == nil || fd.Body == nil {
		return nil
	}
	if p.scopes == nil {
		p.scopes = map[*ast.FuncDecl]*scope{}
	}
	cs := p.scopes[fd]
	if cs == nil {
		cs = newScope(fd, fd.Type, fd.Recv)
		bind(cs, fd.Body)
		p.scopes[fd] = cs
	}
	return cs
}

// scope is a function's local bindings: the last expression assigned to
// each name before the point being read, and the parameters' types.
type scope struct {
	fn     *ast.FuncDecl
	params map[string]ast.Expr // name -> declared type
	vars   map[string]ast.Expr // name -> last value or &CompositeLit{Type} for a declared var
	// sets are field assignments to input variables: name -> field -> value.
	sets map[string]map[string]ast.Expr
}

func newScope(fn *ast.FuncDecl, ftype *ast.FuncType, recv *ast.FieldList) *scope {
	s := &scope{fn: fn, params: map[string]ast.Expr{}, vars: map[string]ast.Expr{}, sets: map[string]map[string]ast.Expr{}}
	for _, fl := range []*ast.FieldList{recv, ftype.Params} {
		if fl == nil {
			continue
		}
		for _, f := range fl.List {
			for _, n := range f.Names {
				s.params[n.Name] = f.Type
			}
		}
	}
	return s
}

// scan finds the calls of one file, function by function.
func (p *goPackage) scan(gf *goFile) {
	for _, d := range gf.ast.Decls {
		fd, ok := d.(*ast.FuncDecl)
		if !ok || fd.Body == nil {
			continue
		}
		p.scanBody(gf, newScope(fd, fd.Type, fd.Recv), fd.Body)
	}
	// Package-level values: var client = s3.NewFromConfig(...) needs no
	// scan; an input literal at package level is a call.
	for _, d := range gf.ast.Decls {
		if g, ok := d.(*ast.GenDecl); ok {
			ast.Inspect(g, func(n ast.Node) bool {
				if cl, ok := n.(*ast.CompositeLit); ok {
					p.inputCall(gf, &scope{vars: map[string]ast.Expr{}, params: map[string]ast.Expr{}, sets: map[string]map[string]ast.Expr{}}, cl, nil, "")
				}
				return true
			})
		}
	}
}

func (p *goPackage) scanBody(gf *goFile, s *scope, body ast.Node) {
	// Bindings first (flow-insensitive within the function: the last
	// assignment wins), then the calls.
	bind(s, body)
	// Calls first, so that an input bound to a variable and passed to a
	// call is read there, with the fields set on it; then the inputs no
	// call received (passed to helpers, built for later).
	seen := map[ast.Node]bool{}
	ast.Inspect(body, func(n ast.Node) bool {
		if call, ok := n.(*ast.CallExpr); ok {
			p.callExpr(gf, s, call, seen)
		}
		return true
	})
	ast.Inspect(body, func(n ast.Node) bool {
		if cl, ok := n.(*ast.CompositeLit); ok && !seen[cl] {
			p.inputCall(gf, s, cl, nil, "")
		}
		return true
	})
}

// paramValue is the value a function's parameter has at the package's
// calls of the function, when they all give it the same one (read in
// the caller's bindings); else unknown.
func (p *goPackage) paramValue(s *scope, name string, depth int) value {
	if s.fn == nil || depth > 8 {
		return unknownValue()
	}
	idx, i := -1, 0
	for _, f := range s.fn.Type.Params.List {
		for _, n := range f.Names {
			if n.Name == name {
				idx = i
			}
			i++
		}
	}
	if idx < 0 {
		return unknownValue()
	}
	if p.sites == nil {
		p.sites = map[string][]callSite{}
		if p.scopes == nil {
			p.scopes = map[*ast.FuncDecl]*scope{}
		}
		for _, gf := range p.files {
			for _, d := range gf.ast.Decls {
				fd, ok := d.(*ast.FuncDecl)
				if !ok || fd.Body == nil {
					continue
				}
				ast.Inspect(fd.Body, func(n ast.Node) bool {
					if c, ok := n.(*ast.CallExpr); ok {
						switch f := c.Fun.(type) {
						case *ast.Ident:
							p.sites[f.Name] = append(p.sites[f.Name], callSite{c, fd, gf})
						case *ast.SelectorExpr:
							p.sites[f.Sel.Name] = append(p.sites[f.Sel.Name], callSite{c, fd, gf})
						}
					}
					return true
				})
			}
		}
	}
	sites := p.sites[s.fn.Name.Name]
	if len(sites) == 0 || len(sites) > 16 {
		return unknownValue()
	}
	var first string
	var out value
	for k, site := range sites {
		if idx >= len(site.call.Args) {
			return unknownValue()
		}
		cs := p.scopes[site.fd]
		if cs == nil {
			cs = newScope(site.fd, site.fd.Type, site.fd.Recv)
			bind(cs, site.fd.Body)
			p.scopes[site.fd] = cs
		}
		v := p.str(site.gf, cs, site.call.Args[idx], depth+2)
		a, _ := v.arg()
		if k == 0 {
			first, out = a, v
		} else if a != first {
			return unknownValue()
		}
	}
	return out
}

// bind records a function body's bindings in s: the last expression
// assigned to each name, the fields set on variables, closures'
// parameters.
func bind(s *scope, body ast.Node) {
	ast.Inspect(body, func(n ast.Node) bool {
		switch n := n.(type) {
		case *ast.AssignStmt:
			if len(n.Lhs) == len(n.Rhs) {
				for i, l := range n.Lhs {
					switch l := l.(type) {
					case *ast.Ident:
						s.vars[l.Name] = n.Rhs[i]
					case *ast.SelectorExpr:
						if id, ok := l.X.(*ast.Ident); ok {
							if s.sets[id.Name] == nil {
								s.sets[id.Name] = map[string]ast.Expr{}
							}
							s.sets[id.Name][l.Sel.Name] = n.Rhs[i]
						}
					}
				}
			} else if len(n.Rhs) == 1 {
				// a, err := f(): the first result.
				if id, ok := n.Lhs[0].(*ast.Ident); ok {
					s.vars[id.Name] = n.Rhs[0]
				}
			}
		case *ast.ValueSpec:
			for i, nm := range n.Names {
				switch {
				case i < len(n.Values):
					s.vars[nm.Name] = n.Values[i]
				case n.Type != nil:
					s.vars[nm.Name] = &ast.CompositeLit{Type: n.Type, Lbrace: nm.Pos()}
				}
			}
		case *ast.FuncLit:
			// Closures share the enclosing bindings; their parameters shadow.
			for _, f := range n.Type.Params.List {
				for _, nm := range f.Names {
					s.params[nm.Name] = f.Type
				}
			}
		}
		return true
	})
}

// inputType returns "svc.Operation" when t is an SDK operation input type
// (s3.GetObjectInput, s3manager.UploadInput).
func (p *goPackage) inputType(gf *goFile, t ast.Expr) string {
	if st, ok := t.(*ast.StarExpr); ok {
		t = st.X
	}
	sel, ok := t.(*ast.SelectorExpr)
	if !ok {
		return ""
	}
	pkg, ok := sel.X.(*ast.Ident)
	if !ok {
		return ""
	}
	svc, ok := gf.pkgs[pkg.Name]
	if !ok || !strings.HasSuffix(sel.Sel.Name, "Input") {
		return ""
	}
	op := strings.TrimSuffix(sel.Sel.Name, "Input")
	switch svc {
	case "s3/s3manager", "s3/manager":
		switch op {
		case "Upload":
			return "s3.Upload"
		case "Download":
			return "s3.GetObject"
		}
		return ""
	}
	return svc + "." + op
}

// inputOf returns the input literal an expression evaluates to: &T{...},
// T{...}, new(T), a variable bound to one, or a parameter of input type
// (then lit is nil and ok true).
func (p *goPackage) inputOf(gf *goFile, s *scope, e ast.Expr) (lit *ast.CompositeLit, ok bool) {
	for depth := 0; depth < 8; depth++ {
		switch x := e.(type) {
		case *ast.UnaryExpr:
			e = x.X
			continue
		case *ast.ParenExpr:
			e = x.X
			continue
		case *ast.CompositeLit:
			return x, p.inputType(gf, x.Type) != ""
		case *ast.CallExpr:
			if id, isID := x.Fun.(*ast.Ident); isID && id.Name == "new" && len(x.Args) == 1 {
				return &ast.CompositeLit{Type: x.Args[0], Lbrace: x.Pos()}, p.inputType(gf, x.Args[0]) != ""
			}
			return nil, false
		case *ast.Ident:
			if s == nil {
				return nil, false
			}
			if v, bound := s.vars[x.Name]; bound {
				e = v
				continue
			}
			if t, param := s.params[x.Name]; param {
				return nil, p.inputType(gf, t) != ""
			}
			return nil, false
		}
		return nil, false
	}
	return nil, false
}

// inputCall records the call an input literal makes.
func (p *goPackage) inputCall(gf *goFile, s *scope, cl *ast.CompositeLit, sets map[string]ast.Expr, method string) bool {
	return p.inputCallIn(gf, s, cl, sets, method, "")
}

// inputCallIn is inputCall for a client in a region the code gives it
// ("" for the task's).
func (p *goPackage) inputCallIn(gf *goFile, s *scope, cl *ast.CompositeLit, sets map[string]ast.Expr, method, region string) bool {
	it := p.inputType(gf, cl.Type)
	if it == "" {
		return false
	}
	svc, op, _ := strings.Cut(it, ".")
	a := args{}
	for _, e := range cl.Elts {
		if kv, ok := e.(*ast.KeyValueExpr); ok {
			if k, ok := kv.Key.(*ast.Ident); ok {
				p.arg(gf, s, a, k.Name, kv.Value)
			}
		}
	}
	for k, v := range sets {
		p.arg(gf, s, a, k, v)
	}
	line := p.fset.Position(cl.Pos()).Line
	if cl.Lbrace > cl.Rbrace {
		line = p.fset.Position(cl.Lbrace).Line // a bound input read at its call
	}
	via := ""
	if op == "Upload" {
		op, via = "PutObject", "transfer manager upload"
	}
	if method == "Upload" && op == "PutObject" {
		via = "transfer manager upload"
	}
	p.r.call(Call{Service: svc, Operation: op, Args: a, File: gf.src.Name, Line: line, Lang: "go", Via: via, Region: region})
	if via != "" {
		// Large objects go up in parts: the failed upload is aborted.
		p.r.call(Call{Service: svc, Operation: "AbortMultipartUpload", Args: a, File: gf.src.Name, Line: line, Lang: "go", Via: via, Region: region})
	}
	p.inputs[it] = true
	return true
}

// arg evaluates one input field: a string, a list of strings, or a
// nested structure whose string fields keep their names (CopySource,
// Destination...).
func (p *goPackage) arg(gf *goFile, s *scope, a args, name string, e ast.Expr) {
	if cl, ok := unparen(p.boundValue(s, e)).(*ast.CompositeLit); ok {
		switch name {
		case "RequestItems": // DynamoDB batches: the tables are the map's keys
			for _, el := range cl.Elts {
				if kv, ok := el.(*ast.KeyValueExpr); ok {
					a.add("TableName", p.str(gf, s, kv.Key, 0))
				}
			}
			return
		case "TransactItems": // each item's kind and its table
			for _, el := range cl.Elts {
				item, ok := unparen(el).(*ast.CompositeLit)
				if !ok {
					continue
				}
				for _, f := range item.Elts {
					kv, ok := f.(*ast.KeyValueExpr)
					if !ok {
						continue
					}
					kind, _ := kv.Key.(*ast.Ident)
					body, _ := unparen(kv.Value).(*ast.CompositeLit)
					if kind == nil || body == nil {
						continue
					}
					for _, bf := range body.Elts {
						if bkv, ok := bf.(*ast.KeyValueExpr); ok {
							if k, ok := bkv.Key.(*ast.Ident); ok && k.Name == "TableName" {
								v := p.str(gf, s, bkv.Value, 0)
								a.add("TransactItems."+kind.Name, v)
								a.add("TableName", v)
							}
						}
					}
				}
			}
			return
		}
		if _, isArray := cl.Type.(*ast.ArrayType); isArray {
			for _, el := range cl.Elts {
				a.add(name, p.str(gf, s, el, 0))
			}
		}
		return
	}
	if call, ok := e.(*ast.CallExpr); ok {
		if sel, ok := call.Fun.(*ast.SelectorExpr); ok && sel.Sel.Name == "StringSlice" && len(call.Args) == 1 {
			p.arg(gf, s, a, name, call.Args[0])
			return
		}
	}
	v := p.str(gf, s, e, 0)
	a.set(name, v)
	if v.isUnknown() && namesResource(name) {
		a.hint(name, goHint(s, e))
	}
}

// goHint names the parameter for an input field whose value the reader
// cannot know, after the expression it comes from: a variable, a
// function's parameter (fn.param), a field (Type.field for the
// receiver's, x.field otherwise).
func goHint(s *scope, e ast.Expr) string {
	e = unparen(e)
	if c, ok := e.(*ast.CallExpr); ok && len(c.Args) == 1 {
		if sel, ok := c.Fun.(*ast.SelectorExpr); ok && (sel.Sel.Name == "String" || sel.Sel.Name == "StringValue" || sel.Sel.Name == "ToString") {
			e = unparen(c.Args[0]) // aws.String(x)
		}
	}
	var parts []string
	for {
		switch x := e.(type) {
		case *ast.Ident:
			name := x.Name
			if s != nil && s.fn != nil {
				if s.fn.Recv != nil && len(s.fn.Recv.List) == 1 && len(s.fn.Recv.List[0].Names) == 1 && s.fn.Recv.List[0].Names[0].Name == name && len(parts) > 0 {
					t := s.fn.Recv.List[0].Type
					if st, ok := t.(*ast.StarExpr); ok {
						t = st.X
					}
					if id, ok := t.(*ast.Ident); ok {
						name = id.Name
					}
				} else if _, isParam := s.params[name]; isParam && len(parts) == 0 {
					name = s.fn.Name.Name + "." + name
				}
			}
			parts = append(parts, name)
			for i, j := 0, len(parts)-1; i < j; i, j = i+1, j-1 {
				parts[i], parts[j] = parts[j], parts[i]
			}
			return strings.Join(parts, ".")
		case *ast.SelectorExpr:
			parts = append(parts, x.Sel.Name)
			e = x.X
		case *ast.StarExpr:
			e = x.X
		default:
			return ""
		}
	}
}

func unparen(e ast.Expr) ast.Expr {
	for {
		switch x := e.(type) {
		case *ast.ParenExpr:
			e = x.X
		case *ast.UnaryExpr:
			if x.Op != token.AND {
				return e
			}
			e = x.X
		default:
			return e
		}
	}
}

// str evaluates a string expression.
func (p *goPackage) str(gf *goFile, s *scope, e ast.Expr, depth int) value {
	if depth > 12 {
		return unknownValue()
	}
	switch x := e.(type) {
	case *ast.BasicLit:
		if x.Kind == token.STRING {
			if v, err := strconv.Unquote(x.Value); err == nil {
				return lit(v)
			}
		}
		if x.Kind == token.INT {
			return lit(x.Value)
		}
	case *ast.ParenExpr:
		return p.str(gf, s, x.X, depth+1)
	case *ast.BinaryExpr:
		if x.Op == token.ADD {
			return concat(p.str(gf, s, x.X, depth+1), p.str(gf, s, x.Y, depth+1))
		}
	case *ast.Ident:
		if s != nil {
			if v, ok := s.vars[x.Name]; ok {
				return p.str(gf, s, v, depth+1)
			}
			if _, ok := s.params[x.Name]; ok {
				return p.paramValue(s, x.Name, depth+1)
			}
		}
		if v, ok := p.consts[x.Name]; ok {
			return p.str(gf, nil, v, depth+1)
		}
	case *ast.SelectorExpr:
		// cfg.TableName: the one value the package gives that field.
		if vs := p.fields[x.Sel.Name]; len(vs) > 0 {
			return p.oneOf(gf, vs, depth)
		}
		if id, ok := x.X.(*ast.Ident); ok && s != nil {
			if set := s.sets[id.Name]; set != nil && set[x.Sel.Name] != nil {
				return p.str(gf, s, set[x.Sel.Name], depth+1)
			}
		}
	case *ast.StarExpr:
		return p.str(gf, s, x.X, depth+1)
	case *ast.UnaryExpr:
		if x.Op == token.AND { // &name: a pointer to the string
			return p.str(gf, s, x.X, depth+1)
		}
	case *ast.CallExpr:
		return p.strCall(gf, s, x, depth)
	}
	return unknownValue()
}

// oneOf is the value of a field given several expressions: the one
// value when they agree, else unknown.
func (p *goPackage) oneOf(gf *goFile, vs []ast.Expr, depth int) value {
	var first value
	for i, v := range vs {
		got := p.str(gf, nil, v, depth+1)
		a, _ := got.arg()
		if i == 0 {
			first = got
			continue
		}
		if b, _ := first.arg(); a != b {
			return unknownValue()
		}
	}
	return first
}

func (p *goPackage) strCall(gf *goFile, s *scope, x *ast.CallExpr, depth int) value {
	name := ""
	switch f := x.Fun.(type) {
	case *ast.SelectorExpr:
		if id, ok := f.X.(*ast.Ident); ok {
			name = id.Name + "." + f.Sel.Name
		}
	case *ast.Ident:
		name = f.Name
	}
	if sel, ok := x.Fun.(*ast.SelectorExpr); ok && len(x.Args) == 1 {
		if id, ok := sel.X.(*ast.Ident); ok && gf.awsPkgs[id.Name] {
			switch sel.Sel.Name {
			case "String", "StringValue", "ToString":
				return p.str(gf, s, x.Args[0], depth+1) // awsv1.String(x), under any import name
			}
		}
	}
	switch name {
	case "aws.String", "aws.StringValue", "aws.ToString", "ptr.String", "string", "strings.TrimSpace":
		if len(x.Args) == 1 {
			return p.str(gf, s, x.Args[0], depth+1)
		}
	case "os.Getenv", "os.LookupEnv":
		if len(x.Args) == 1 {
			if n, ok := p.str(gf, s, x.Args[0], depth+1).raw(); ok {
				return envValue(n)
			}
		}
	case "fmt.Sprintf":
		if len(x.Args) >= 1 {
			f, ok := p.str(gf, s, x.Args[0], depth+1).raw()
			if !ok {
				return unknownValue()
			}
			var rest []value
			for _, a := range x.Args[1:] {
				rest = append(rest, p.str(gf, s, a, depth+1))
			}
			return sprintf(f, rest)
		}
	case "strings.Join":
		return unknownValue()
	}
	// A helper of the package: getEnv("X", "default") returns the
	// variable named by its first parameter; a function returning one
	// value gives that value.
	if id, ok := x.Fun.(*ast.Ident); ok {
		if fd := p.funcs[id.Name]; fd != nil && fd.Body != nil && depth < 6 {
			return p.helperValue(gf, fd, x, depth)
		}
	}
	return unknownValue()
}

// helperValue evaluates a call of a package function that returns a
// string: its parameters bound to the call's arguments.
func (p *goPackage) helperValue(gf *goFile, fd *ast.FuncDecl, call *ast.CallExpr, depth int) value {
	inner := newScope(fd, fd.Type, nil)
	i := 0
	for _, f := range fd.Type.Params.List {
		for _, n := range f.Names {
			if i < len(call.Args) {
				inner.vars[n.Name] = call.Args[i]
				delete(inner.params, n.Name)
			}
			i++
		}
	}
	var ret value
	found := false
	ast.Inspect(fd.Body, func(n ast.Node) bool {
		if as, ok := n.(*ast.AssignStmt); ok && len(as.Lhs) >= 1 {
			if id, ok := as.Lhs[0].(*ast.Ident); ok && len(as.Rhs) == 1 {
				if _, isArg := inner.vars[id.Name]; !isArg {
					inner.vars[id.Name] = as.Rhs[0]
				}
			}
		}
		if r, ok := n.(*ast.ReturnStmt); ok && len(r.Results) >= 1 && !found {
			v := p.str(gf, inner, r.Results[0], depth+2)
			if !v.isUnknown() {
				ret, found = v, true
			}
		}
		return true
	})
	if !found {
		return unknownValue()
	}
	return ret
}

// sprintf fills a format's verbs with the values.
func sprintf(f string, vs []value) value {
	var out []value
	i := 0
	for {
		j := strings.IndexByte(f, '%')
		if j < 0 || j == len(f)-1 {
			out = append(out, lit(f))
			break
		}
		out = append(out, lit(f[:j]))
		k := j + 1
		for k < len(f) && strings.IndexByte("+-# 0123456789.", f[k]) >= 0 {
			k++
		}
		if k < len(f) && f[k] == '%' {
			out = append(out, lit("%"))
		} else {
			if i < len(vs) {
				out = append(out, vs[i])
			} else {
				out = append(out, unknownValue())
			}
			i++
		}
		f = f[min(k+1, len(f)):]
		if f == "" {
			break
		}
	}
	return concat(out...)
}

// callExpr handles a call: a client method, an SDK constructor of a
// paginator, or a helper receiving an input.
func (p *goPackage) callExpr(gf *goFile, s *scope, call *ast.CallExpr, seen map[ast.Node]bool) {
	sel, ok := call.Fun.(*ast.SelectorExpr)
	if !ok {
		return
	}
	method := sel.Sel.Name
	// The region of the client that makes the call: the receiver, or the
	// client an SDK function takes first (s3.NewListObjectsV2Paginator(c, in)).
	region, regionRead := "", false
	clientRegion := func() string {
		if regionRead {
			return region
		}
		regionRead = true
		if pkg, ok := sel.X.(*ast.Ident); ok && gf.pkgs[pkg.Name] != "" {
			if len(call.Args) > 0 {
				region = p.regionOf(gf, s, call.Args[0], 0)
			}
		} else if p.clientService(gf, s, sel.X, 0) != "" || p.madeFromClient(gf, s, sel.X) {
			region = p.regionOf(gf, s, sel.X, 0)
		}
		return region
	}
	// An input among the arguments: the call it makes (a literal is
	// recorded at the literal; a variable at the call, with the fields set
	// on it).
	hasInput := false
	for _, a := range call.Args {
		lit, ok := p.inputOf(gf, s, a)
		if !ok {
			continue
		}
		hasInput = true
		if lit == nil {
			continue // a parameter: its callers build the input
		}
		if _, direct := unparen(a).(*ast.CompositeLit); direct {
			seen[lit] = true
			p.inputCallIn(gf, s, lit, nil, method, clientRegion())
			continue
		}
		var sets map[string]ast.Expr
		if id, ok := unparen(a).(*ast.Ident); ok {
			sets = s.sets[id.Name]
		}
		seen[lit] = true
		if bound := p.boundLit(s, a); bound != nil {
			seen[bound] = true
		}
		line := p.fset.Position(call.Pos()).Line
		cl := *lit
		cl.Lbrace = call.Pos()
		_ = line
		p.inputCallIn(gf, s, &cl, sets, method, clientRegion())
	}
	if hasInput {
		return
	}
	// svc.NewListObjectsV2Paginator(client, nil).
	if pkg, ok := sel.X.(*ast.Ident); ok {
		if svc, isSDK := gf.pkgs[pkg.Name]; isSDK {
			if op, ok := strings.CutSuffix(strings.TrimPrefix(method, "New"), "Paginator"); ok && strings.HasPrefix(method, "New") {
				p.r.call(Call{Service: svc, Operation: op, Args: args{}, File: gf.src.Name, Line: p.fset.Position(call.Pos()).Line, Lang: "go", Via: "paginator", Region: clientRegion()})
			}
			return
		}
	}
	// client.ListBuckets(ctx, nil): the receiver's service names it.
	svc := p.clientService(gf, s, sel.X, 0)
	if svc == "" || svc == "s3/manager" || svc == "s3/s3manager" {
		return
	}
	op := method
	for _, suf := range []string{"PagesWithContext", "WithContext", "Pages", "Request"} {
		op = strings.TrimSuffix(op, suf)
	}
	if op == "" || !ast.IsExported(op) || op == "Options" || op == "Config" {
		return
	}
	line := p.fset.Position(call.Pos()).Line
	if strings.HasPrefix(op, "WaitUntil") {
		p.r.notUnderstood(gf.src.Name, line, p.fset.Position(call.Pos()).Column,
			fmt.Sprintf("%s waiter %s without an input literal", svc, op))
		return
	}
	p.r.call(Call{Service: svc, Operation: op, Args: args{}, File: gf.src.Name, Line: line, Lang: "go", Region: p.regionOf(gf, s, sel.X, 0)})
}

// boundLit returns the composite literal a variable is bound to.
func (p *goPackage) boundLit(s *scope, e ast.Expr) *ast.CompositeLit {
	if id, ok := unparen(e).(*ast.Ident); ok {
		if v, ok := s.vars[id.Name]; ok {
			if cl, ok := unparen(v).(*ast.CompositeLit); ok {
				return cl
			}
		}
	}
	return nil
}

// clientService returns the SDK service of an expression that is a
// client: by its type (a variable, parameter or struct field declared
// as *s3.Client, s3iface.S3API, *sqs.SQS), by its constructor
// (s3.NewFromConfig, s3.New), or by a helper's result type.
func (p *goPackage) clientService(gf *goFile, s *scope, e ast.Expr, depth int) string {
	if depth > 8 {
		return ""
	}
	switch x := e.(type) {
	case *ast.ParenExpr:
		return p.clientService(gf, s, x.X, depth+1)
	case *ast.Ident:
		if s != nil {
			if v, ok := s.vars[x.Name]; ok {
				return p.clientService(gf, s, v, depth+1)
			}
			if t, ok := s.params[x.Name]; ok {
				return p.typeService(gf, t)
			}
		}
		if v, ok := p.consts[x.Name]; ok {
			return p.clientService(gf, nil, v, depth+1)
		}
	case *ast.SelectorExpr:
		for _, t := range p.fieldTypes[x.Sel.Name] {
			if svc := p.typeService(gf, t); svc != "" {
				return svc
			}
		}
		for _, v := range p.fields[x.Sel.Name] {
			if svc := p.clientService(gf, nil, v, depth+1); svc != "" {
				return svc
			}
		}
	case *ast.CompositeLit:
		return p.typeService(gf, x.Type)
	case *ast.CallExpr:
		switch f := x.Fun.(type) {
		case *ast.SelectorExpr:
			if pkg, ok := f.X.(*ast.Ident); ok {
				if svc, ok := gf.pkgs[pkg.Name]; ok {
					switch f.Sel.Name {
					case "NewFromConfig", "New":
						return svc
					}
					return ""
				}
			}
		case *ast.Ident:
			if fd := p.funcs[f.Name]; fd != nil && fd.Type.Results != nil && len(fd.Type.Results.List) > 0 {
				return p.typeService(gf, fd.Type.Results.List[0].Type)
			}
		}
	}
	return ""
}

// typeService returns the service of a client type: pkg.Client,
// pkg.S3 (v1), pkgiface.S3API.
func (p *goPackage) typeService(gf *goFile, t ast.Expr) string {
	if st, ok := t.(*ast.StarExpr); ok {
		t = st.X
	}
	sel, ok := t.(*ast.SelectorExpr)
	if !ok {
		return ""
	}
	pkg, ok := sel.X.(*ast.Ident)
	if !ok {
		return ""
	}
	if svc, ok := gf.pkgs[pkg.Name]; ok {
		n := sel.Sel.Name
		if n == "Client" || strings.EqualFold(n, strings.ReplaceAll(svc, "-", "")) || strings.HasSuffix(n, "API") {
			return svc
		}
		return ""
	}
	// v1 interfaces: s3iface.S3API from .../service/s3/s3iface.
	if strings.HasSuffix(pkg.Name, "iface") && strings.HasSuffix(sel.Sel.Name, "API") {
		return strings.TrimSuffix(pkg.Name, "iface")
	}
	return ""
}

// boundValue is the expression a local variable is bound to (the
// expression itself otherwise).
func (p *goPackage) boundValue(s *scope, e ast.Expr) ast.Expr {
	if id, ok := unparen(e).(*ast.Ident); ok && s != nil {
		if v, ok := s.vars[id.Name]; ok {
			return v
		}
	}
	return e
}

// madeFromClient reports a value an SDK package makes from a client (a
// presign client, a transfer manager's uploader).
func (p *goPackage) madeFromClient(gf *goFile, s *scope, e ast.Expr) bool {
	if id, ok := unparen(e).(*ast.Ident); ok && s != nil {
		e = s.vars[id.Name]
	}
	c, ok := unparen(e).(*ast.CallExpr)
	if !ok {
		return false
	}
	sel, ok := c.Fun.(*ast.SelectorExpr)
	if !ok {
		return false
	}
	pkg, ok := sel.X.(*ast.Ident)
	return ok && gf.pkgs[pkg.Name] != "" && strings.HasPrefix(sel.Sel.Name, "New") && sel.Sel.Name != "NewFromConfig" && sel.Sel.Name != "New"
}

// regionOf is the region the code gives a client, as an argument (""
// for the task's): config.WithRegion(r) among LoadDefaultConfig's
// options, aws.Config{Region: r}, cfg.Region = r, aws.NewConfig().WithRegion(r),
// an option function setting o.Region (s3.NewFromConfig(cfg, func(o) {
// o.Region = r })), through the variables, fields and constructors that
// make the client. A later argument wins over an earlier one (a
// client's options over its configuration's region).
func (p *goPackage) regionOf(gf *goFile, s *scope, e ast.Expr, depth int) string {
	if e == nil || depth > 10 {
		return ""
	}
	switch x := e.(type) {
	case *ast.ParenExpr:
		return p.regionOf(gf, s, x.X, depth+1)
	case *ast.UnaryExpr:
		return p.regionOf(gf, s, x.X, depth+1)
	case *ast.StarExpr:
		return p.regionOf(gf, s, x.X, depth+1)
	case *ast.Ident:
		if s == nil {
			if v, ok := p.consts[x.Name]; ok {
				return p.regionOf(gf, nil, v, depth+1)
			}
			return ""
		}
		if set := s.sets[x.Name]; set != nil && set["Region"] != nil {
			return p.regionArg(gf, s, set["Region"])
		}
		if v, ok := s.vars[x.Name]; ok {
			return p.regionOf(gf, s, v, depth+1)
		}
		if v, ok := p.consts[x.Name]; ok {
			return p.regionOf(gf, nil, v, depth+1)
		}
	case *ast.SelectorExpr:
		if x.Sel.Name == "Region" {
			return p.regionArg(gf, s, x)
		}
		for _, v := range p.fields[x.Sel.Name] {
			if r := p.regionOf(gf, p.scopeOf(p.fieldFuncs[v]), v, depth+1); r != "" {
				return r
			}
		}
	case *ast.CompositeLit:
		for _, el := range x.Elts {
			if kv, ok := el.(*ast.KeyValueExpr); ok {
				if k, ok := kv.Key.(*ast.Ident); ok {
					switch k.Name {
					case "Region":
						return p.regionArg(gf, s, kv.Value)
					case "Config":
						if r := p.regionOf(gf, s, kv.Value, depth+1); r != "" {
							return r
						}
					}
				}
			}
		}
	case *ast.FuncLit:
		r := ""
		ast.Inspect(x.Body, func(n ast.Node) bool {
			if as, ok := n.(*ast.AssignStmt); ok && len(as.Lhs) == len(as.Rhs) {
				for i, l := range as.Lhs {
					if sel, ok := l.(*ast.SelectorExpr); ok && sel.Sel.Name == "Region" {
						r = p.regionArg(gf, s, as.Rhs[i])
					}
				}
			}
			return true
		})
		return r
	case *ast.CallExpr:
		if sel, ok := x.Fun.(*ast.SelectorExpr); ok && sel.Sel.Name == "WithRegion" && len(x.Args) == 1 {
			return p.regionArg(gf, s, x.Args[0])
		}
		for i := len(x.Args) - 1; i >= 0; i-- {
			if r := p.regionOf(gf, s, x.Args[i], depth+1); r != "" {
				return r
			}
		}
		switch f := x.Fun.(type) {
		case *ast.SelectorExpr:
			// A method chain: aws.NewConfig().WithEndpoint(...).
			if _, isCall := f.X.(*ast.CallExpr); isCall {
				return p.regionOf(gf, s, f.X, depth+1)
			}
		case *ast.Ident:
			// A helper of the package that makes the client.
			if fd := p.funcs[f.Name]; fd != nil && fd.Body != nil && depth < 6 {
				inner := newScope(fd, fd.Type, fd.Recv)
				bind(inner, fd.Body)
				r := ""
				ast.Inspect(fd.Body, func(n ast.Node) bool {
					if ret, ok := n.(*ast.ReturnStmt); ok && len(ret.Results) > 0 && r == "" {
						r = p.regionOf(gf, inner, ret.Results[0], depth+2)
					}
					return r == ""
				})
				return r
			}
		}
	}
	return ""
}

// regionArg is a region expression as a call argument: literal text, an
// environment variable, "" when it is unknown.
func (p *goPackage) regionArg(gf *goFile, s *scope, e ast.Expr) string {
	if a, ok := p.str(gf, s, e, 0).arg(); ok {
		return a
	}
	return ""
}
