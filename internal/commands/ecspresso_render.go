package commands

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"path"
	"regexp"
	"strings"
	"sync"
	"text/template"
	tparse "text/template/parse"
	"time"

	"github.com/google/go-jsonnet"
	"github.com/google/go-jsonnet/ast"

	"github.com/iamfit/iamfit/internal/need"
	"github.com/iamfit/iamfit/internal/source"
)

// ecspresso renders its config, task definition and service definition
// files before it calls AWS (kayac/ecspresso config.go Load, util.go
// readDefinitionFile): .jsonnet (and a .json config) through go-jsonnet,
// then every file through text/template with kayac/go-config's functions
// (env, must_env, json_escape) and, for definitions, the plugins'
// functions (ssm, secretsmanager_arn by default; tfstate, cloudformation
// when configured, each with its func_prefix). The renderer here does the
// same with functions that resolve what the repository determines and
// turn the rest into parameters; every AWS read a function makes is
// recorded so that the deploy role gets it.

// Bounds on one evaluation: Jsonnet can loop.
const (
	maxRenderInput   = 1 << 20
	maxRenderOutput  = 4 << 20
	maxJsonnetStack  = 500
	jsonnetTimeout   = 5 * time.Second
	maxUnknownFuncs  = 20
	paramSentinelFmt = "@@iamfit[%s]@@"
)

var sentinelRe = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`@@iamfit\[([A-Za-z0-9_.\-]+)\]@@`) })

// paramValue is the rendered value of something the inputs do not
// determine. It stays a sentinel through both rendering passes (a Jsonnet
// result is parsed as a template afterwards) and becomes {{name}} at the
// end.
func paramValue(name string) string { return fmt.Sprintf(paramSentinelFmt, paramName(name)) }

var (
	paramUnsafe = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`[^A-Za-z0-9_.\-]+`) })
	dotsRe      = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`\.{2,}`) })
)

// paramName makes a parameter name from free text ("/app/db-host" ->
// "app.db-host" style names are kept readable: separators become '.').
func paramName(s string) string {
	s = strings.Trim(paramUnsafe().ReplaceAllString(strings.ReplaceAll(s, "/", "."), "_"), "._")
	s = dotsRe().ReplaceAllString(s, ".")
	if s == "" {
		s = "Value"
	}
	return s
}

// renderRead is one AWS call that rendering makes.
type renderRead struct {
	Action, Resource string
	Why              string // "deploy/td.json:12 {{ ssm `/app/x` }}"
}

// tfstateSource is where one tfstate plugin reads its state.
type tfstateSource struct {
	prefix string
	url    string        // s3://bucket/key, or "" for a local file
	local  *source.File  // a state file of the repository
	state  *tfstateIndex // its resources, when local
}

// renderer evaluates ecspresso's template functions for one command.
type renderer struct {
	env     Env
	lookup  func(string) (string, bool)
	region  string
	account string
	extStr  map[string]string
	extCode map[string]string
	// plugins adds the plugin functions (definitions only).
	plugins  bool
	tfstates []tfstateSource
	cfn      []string // func prefixes of cloudformation plugins
	smPrefix []string // func prefixes of secretsmanager plugins ("" by default)
	ssmPref  []string // func prefixes of ssm plugins ("" by default)

	reads []renderRead
	seen  map[string]bool
}

func newRenderer(env Env, lookup func(string) (string, bool), region, account string) *renderer {
	return &renderer{env: env, lookup: lookup, region: region, account: account,
		smPrefix: []string{""}, ssmPref: []string{""}, seen: map[string]bool{}}
}

func (r *renderer) read(action, resource, why string) {
	k := action + " " + resource
	if r.seen[k] {
		return
	}
	r.seen[k] = true
	r.reads = append(r.reads, renderRead{action, resource, why})
}

func (r *renderer) diag(file string, pos source.Pos, format string, args ...any) {
	r.env.Diag(source.Diagnostic{File: file, Pos: pos, Severity: source.Warning, Check: "ecspresso",
		Message: fmt.Sprintf(format, args...)})
}

// rendered is a file after rendering.
type rendered struct {
	File *source.File // the rendered bytes, named as the source
	Src  *source.File // the source
}

// Render reads a repository file and renders it the way ecspresso does.
// It returns nil (with a diagnostic) when the file cannot be read or
// rendered.
// A config in .json or .jsonnet and a definition in .jsonnet are Jsonnet
// (config.go Load, util.go readDefinitionFile).
func (r *renderer) Render(name string, at source.Pos, config bool) *rendered {
	f, err := r.env.ReadFile(name)
	if err != nil {
		r.env.Warnf(at, "ecspresso", "cannot read %s: %v", name, err)
		return nil
	}
	if len(f.Data) > maxRenderInput {
		r.diag(name, source.Pos{Line: 1, Col: 1}, "%s is larger than %d bytes: not rendered", name, maxRenderInput)
		return nil
	}
	data := f.Data
	if ext := path.Ext(name); ext == ".jsonnet" || (ext == ".json" && config) {
		out, err := r.jsonnet(f)
		if err != nil {
			r.diag(name, jsonnetErrPos(err), "cannot evaluate %s as Jsonnet: %v", name, err)
			return nil
		}
		data = out
	}
	out, err := r.template(f, data)
	if err != nil {
		r.diag(name, templateErrPos(err), "cannot render %s: %v", name, err)
		return nil
	}
	out = sentinelRe().ReplaceAll(out, []byte("{{$1}}"))
	return &rendered{File: source.NewFile(name, out), Src: f}
}

// funcCall is a call of a template function in the source, for positions.
type funcCall struct {
	name string
	args []string // literal string arguments
	pos  source.Pos
}

// template runs the text/template pass over data (the file, or the
// Jsonnet output of src).
func (r *renderer) template(src *source.File, data []byte) ([]byte, error) {
	var calls []funcCall
	posFile := src
	if !bytes.Equal(data, src.Data) {
		posFile = source.NewFile(src.Name, data)
	}
	where := func(name string, args ...string) source.Pos {
		var first source.Pos
		for _, c := range calls {
			if c.name != name {
				continue
			}
			if !first.IsValid() {
				first = c.pos
			}
			if strings.Join(c.args, "\x00") == strings.Join(args, "\x00") {
				return c.pos
			}
		}
		return first
	}
	unknown := map[string]bool{}
	for range maxUnknownFuncs + 1 {
		funcs := r.funcMap(src.Name, where)
		for name := range unknown {
			funcs[name] = r.unknownFunc(src.Name, name, where)
		}
		t, err := template.New(src.Name).Funcs(funcs).Option("missingkey=zero").Parse(string(data))
		if err != nil {
			if name, ok := undefinedFunc(err); ok && !unknown[name] && len(unknown) < maxUnknownFuncs {
				unknown[name] = true
				continue
			}
			return nil, err
		}
		calls = collectCalls(t, posFile)
		var buf bytes.Buffer
		if err := t.Execute(&limitWriter{w: &buf, n: maxRenderOutput}, nil); err != nil {
			return nil, err
		}
		return buf.Bytes(), nil
	}
	return nil, fmt.Errorf("more than %d unknown template functions", maxUnknownFuncs)
}

var undefinedRe = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`function "([^"]+)" not defined`) })

func undefinedFunc(err error) (string, bool) {
	m := undefinedRe().FindStringSubmatch(err.Error())
	if m == nil {
		return "", false
	}
	return m[1], true
}

var templateLineRe = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`^template: [^:]*:(\d+):`) })

func templateErrPos(err error) source.Pos {
	if m := templateLineRe().FindStringSubmatch(err.Error()); m != nil {
		var n int
		fmt.Sscan(m[1], &n)
		return source.Pos{Line: n, Col: 1}
	}
	return source.Pos{Line: 1, Col: 1}
}

func jsonnetErrPos(err error) source.Pos {
	var re jsonnet.RuntimeError
	if errors.As(err, &re) && len(re.StackTrace) > 0 {
		l := re.StackTrace[0].Loc
		if l.Begin.Line > 0 {
			return source.Pos{Line: l.Begin.Line, Col: l.Begin.Column}
		}
	}
	return source.Pos{Line: 1, Col: 1}
}

// collectCalls lists the function calls of a parsed template with their
// literal arguments and positions.
func collectCalls(t *template.Template, f *source.File) []funcCall {
	var out []funcCall
	var walk func(n tparse.Node)
	cmd := func(c *tparse.CommandNode) {
		if len(c.Args) == 0 {
			return
		}
		id, ok := c.Args[0].(*tparse.IdentifierNode)
		if !ok {
			return
		}
		fc := funcCall{name: id.Ident, pos: f.Position(int(id.Pos))}
		for _, a := range c.Args[1:] {
			if s, ok := a.(*tparse.StringNode); ok {
				fc.args = append(fc.args, s.Text)
			}
		}
		out = append(out, fc)
	}
	var pipe func(p *tparse.PipeNode)
	pipe = func(p *tparse.PipeNode) {
		if p == nil {
			return
		}
		for _, c := range p.Cmds {
			cmd(c)
			for _, a := range c.Args {
				if sub, ok := a.(*tparse.PipeNode); ok {
					pipe(sub)
				}
			}
		}
	}
	walk = func(n tparse.Node) {
		switch n := n.(type) {
		case *tparse.ListNode:
			if n == nil {
				return
			}
			for _, c := range n.Nodes {
				walk(c)
			}
		case *tparse.ActionNode:
			pipe(n.Pipe)
		case *tparse.IfNode:
			pipe(n.Pipe)
			walk(n.List)
			walk(n.ElseList)
		case *tparse.RangeNode:
			pipe(n.Pipe)
			walk(n.List)
			walk(n.ElseList)
		case *tparse.WithNode:
			pipe(n.Pipe)
			walk(n.List)
			walk(n.ElseList)
		}
	}
	for _, tt := range t.Templates() {
		if tt.Tree != nil {
			walk(tt.Tree.Root)
		}
	}
	return out
}

type limitWriter struct {
	w *bytes.Buffer
	n int
}

func (l *limitWriter) Write(p []byte) (int, error) {
	if l.w.Len()+len(p) > l.n {
		return 0, fmt.Errorf("rendered output larger than %d bytes", l.n)
	}
	return l.w.Write(p)
}

// getenv is ecspresso's environment lookup: the step's environment. The
// parts of a value the CI reader could not resolve ({{Name}}) stay
// parameters through both passes.
func (r *renderer) getenv(name string) (string, bool) {
	if r.lookup == nil {
		return "", false
	}
	v, ok := r.lookup(name)
	if ok && need.HasParams(v) {
		v = need.ParamRe().ReplaceAllStringFunc(v, func(p string) string { return paramValue(p[2 : len(p)-2]) })
	}
	return v, ok
}

// envValue is go-config's env: the first key that is set and not empty,
// else the last key itself (the default).
func (r *renderer) envValue(keys ...string) string {
	v := ""
	for _, k := range keys {
		if x, ok := r.getenv(k); ok && x != "" {
			return x
		}
		v = k
	}
	return v
}

// mustEnv is go-config's must_env; a variable the workflow does not set
// becomes a parameter named after it.
func (r *renderer) mustEnv(name string) string {
	if v, ok := r.getenv(name); ok {
		return v
	}
	return paramValue(name)
}

func jsonEscape(s string) string {
	b, _ := json.Marshal(s)
	return string(b[1 : len(b)-1])
}

// funcMap is the template functions of one file.
func (r *renderer) funcMap(file string, where func(string, ...string) source.Pos) template.FuncMap {
	fm := template.FuncMap{
		"env":         r.envValue,
		"must_env":    r.mustEnv,
		"json_escape": jsonEscape,
	}
	if !r.plugins {
		return fm
	}
	for _, p := range r.ssmPref {
		name := p + "ssm"
		fm[name] = func(param string, index ...int) string {
			return r.ssm(fmt.Sprintf("%s:%d %s", file, where(name, param).Line, name), param, index...)
		}
	}
	for _, p := range r.smPrefix {
		name := p + "secretsmanager_arn"
		fm[name] = func(id string) string {
			return r.secretARN(fmt.Sprintf("%s:%d %s", file, where(name, id).Line, name), id)
		}
	}
	for i := range r.tfstates {
		ts := &r.tfstates[i]
		name := ts.prefix + "tfstate"
		fm[name] = func(addr string) string {
			return r.tfstate(ts, fmt.Sprintf("%s:%d %s", file, where(name, addr).Line, name), addr)
		}
		fm[name+"f"] = func(format string, args ...any) string {
			addr := fmt.Sprintf(format, args...)
			return r.tfstate(ts, fmt.Sprintf("%s:%d %s", file, where(name+"f", format).Line, name+"f"), addr)
		}
	}
	for _, p := range r.cfn {
		out, exp := p+"cfn_output", p+"cfn_export"
		fm[out] = func(stack, key string) string {
			return r.cfnOutput(fmt.Sprintf("%s:%d %s", file, where(out, stack, key).Line, out), stack, key)
		}
		fm[exp] = func(name string) string {
			return r.cfnExport(fmt.Sprintf("%s:%d %s", file, where(exp, name).Line, exp), name)
		}
	}
	return fm
}

// unknownFunc stands for a function ecspresso does not define either (or
// one of a plugin iamfit does not know): a warning, and its value becomes
// a parameter.
func (r *renderer) unknownFunc(file, name string, where func(string, ...string) source.Pos) any {
	warned := false
	return func(args ...any) string {
		if !warned {
			warned = true
			r.diag(file, where(name), "template function %q is not one ecspresso or its configured plugins define: its value becomes a parameter and any AWS call it makes is not included", name)
		}
		parts := []string{name}
		for _, a := range args {
			parts = append(parts, fmt.Sprint(a))
		}
		return paramValue(strings.Join(parts, "."))
	}
}

// ssm is the ssm plugin's function (ssm/lookup.go: GetParameter with
// decryption, cached per name).
func (r *renderer) ssm(why, name string, index ...int) string {
	res := name
	if !strings.HasPrefix(name, "arn:") {
		res = fmt.Sprintf("arn:aws:ssm:%s:%s:parameter/%s", r.region, r.account, strings.TrimPrefix(name, "/"))
	}
	r.read("ssm:GetParameter", res, why+" "+name)
	p := "ssm." + name
	if len(index) == 1 {
		p += fmt.Sprintf(".%d", index[0])
	}
	return paramValue(p)
}

// secretARN is secretsmanager_arn (secretsmanager/funcs.go: DescribeSecret
// returns the ARN). The value is the secret's ARN without its random
// suffix, which the execution role's secret read matches with "-??????".
func (r *renderer) secretARN(why, id string) string {
	arn := id
	if !strings.HasPrefix(id, "arn:") {
		arn = fmt.Sprintf("arn:aws:secretsmanager:%s:%s:secret:%s", r.region, r.account, id)
		r.read("secretsmanager:DescribeSecret", arn+"-??????", why+" "+id)
		return arn
	}
	r.read("secretsmanager:DescribeSecret", arn, why+" "+id)
	return arn
}

func (r *renderer) tfstate(ts *tfstateSource, why, addr string) string {
	if ts.state != nil {
		if v, ok := ts.state.lookup(addr); ok {
			return v
		}
		r.diag(ts.local.Name, source.Pos{Line: 1, Col: 1}, "%s: %s is not in the state file: its value becomes a parameter", why, addr)
	}
	return r.tfstateShape(addr)
}

// tfstateShapes are the forms of attributes whose value is built from the
// resource's name: an unresolved lookup keeps the form, so that the ARN
// is still an ARN of the right service and only the name is a parameter.
var tfstateShapes = map[string]string{
	"aws_iam_role.arn":                  "arn:aws:iam::%[2]s:role/%[3]s",
	"aws_secretsmanager_secret.arn":     "arn:aws:secretsmanager:%[1]s:%[2]s:secret:%[3]s",
	"aws_ssm_parameter.arn":             "arn:aws:ssm:%[1]s:%[2]s:parameter/%[3]s",
	"aws_ecr_repository.repository_url": "%[2]s.dkr.ecr.%[1]s.amazonaws.com/%[3]s",
	"aws_ecr_repository.arn":            "arn:aws:ecr:%[1]s:%[2]s:repository/%[3]s",
	"aws_ecs_cluster.arn":               "arn:aws:ecs:%[1]s:%[2]s:cluster/%[3]s",
	"aws_cloudwatch_log_group.arn":      "arn:aws:logs:%[1]s:%[2]s:log-group:%[3]s",
}

// tfstateShape is the value of an address the state does not resolve:
// "aws_iam_role.task.arn" is arn:aws:iam::ACCOUNT:role/{{tfstate.aws_iam_role.task.name}}
// (a role of the deploy's account), anything else one parameter.
func (r *renderer) tfstateShape(addr string) string {
	parts := strings.Split(addr, ".")
	if parts[0] == "data" || parts[0] == "module" {
		// data.TYPE.NAME.ATTR, module.M.TYPE.NAME.ATTR
		for len(parts) > 3 && (parts[0] == "data" || parts[0] == "module") {
			if parts[0] == "data" {
				parts = parts[1:]
			} else {
				parts = parts[2:]
			}
		}
	}
	if len(parts) == 3 {
		typ := strings.SplitN(parts[0], "[", 2)[0]
		if f, ok := tfstateShapes[typ+"."+parts[2]]; ok {
			name := strings.TrimSuffix(addr, parts[2]) + "name"
			return fmt.Sprintf(f, r.region, r.account, paramValue("tfstate."+name))
		}
	}
	return paramValue("tfstate." + addr)
}

// cfnOutput is cfn_output (fujiwara/cfn-lookup: DescribeStacks).
func (r *renderer) cfnOutput(why, stack, key string) string {
	res := fmt.Sprintf("arn:aws:cloudformation:%s:%s:stack/%s/*", r.region, r.account, stack)
	if strings.HasPrefix(stack, "arn:") {
		res = stack
	}
	r.read("cloudformation:DescribeStacks", res, why+" "+stack+" "+key)
	return paramValue("cfn." + stack + "." + key)
}

// cfnExport is cfn_export (fujiwara/cfn-lookup: ListExports, no resource
// type).
func (r *renderer) cfnExport(why, name string) string {
	r.read("cloudformation:ListExports", "*", why+" "+name)
	return paramValue("cfn.export." + name)
}

// jsonnet evaluates a Jsonnet file with ecspresso's native functions,
// ext vars from --ext-str/--ext-code, imports from the repository only,
// bounded in stack depth, time and size.
func (r *renderer) jsonnet(f *source.File) ([]byte, error) {
	vm := jsonnet.MakeVM()
	vm.MaxStack = maxJsonnetStack
	vm.Importer(&repoImporter{env: r.env, cache: map[string]jsonnet.Contents{f.Name: jsonnet.MakeContents(string(f.Data))}})
	for k, v := range r.extStr {
		vm.ExtVar(k, v)
	}
	for k, v := range r.extCode {
		vm.ExtCode(k, v)
	}
	line := func(name string) source.Pos { return firstMention(f, name) }
	str := func(args []any, i int) string {
		if i < len(args) {
			if s, ok := args[i].(string); ok {
				return s
			}
		}
		return ""
	}
	natives := []*jsonnet.NativeFunction{
		{Name: "env", Params: ast.Identifiers{"name", "default"}, Func: func(args []any) (any, error) {
			if v, ok := r.getenv(str(args, 0)); ok && v != "" {
				return v, nil
			}
			return str(args, 1), nil
		}},
		{Name: "must_env", Params: ast.Identifiers{"name"}, Func: func(args []any) (any, error) {
			return r.mustEnv(str(args, 0)), nil
		}},
	}
	if r.plugins {
		for _, p := range r.ssmPref {
			name := p + "ssm"
			natives = append(natives, &jsonnet.NativeFunction{Name: name, Params: ast.Identifiers{"name"}, Func: func(args []any) (any, error) {
				return r.ssm(fmt.Sprintf("%s:%d %s", f.Name, line(name).Line, name), str(args, 0)), nil
			}})
		}
		for _, p := range r.smPrefix {
			name := p + "secretsmanager_arn"
			natives = append(natives, &jsonnet.NativeFunction{Name: name, Params: ast.Identifiers{"id"}, Func: func(args []any) (any, error) {
				return r.secretARN(fmt.Sprintf("%s:%d %s", f.Name, line(name).Line, name), str(args, 0)), nil
			}})
		}
		for i := range r.tfstates {
			ts := &r.tfstates[i]
			name := ts.prefix + "tfstate"
			natives = append(natives, &jsonnet.NativeFunction{Name: name, Params: ast.Identifiers{"address"}, Func: func(args []any) (any, error) {
				return r.tfstate(ts, fmt.Sprintf("%s:%d %s", f.Name, line(name).Line, name), str(args, 0)), nil
			}})
		}
		for _, p := range r.cfn {
			out, exp := p+"cfn_output", p+"cfn_export"
			natives = append(natives,
				&jsonnet.NativeFunction{Name: out, Params: ast.Identifiers{"stack", "key"}, Func: func(args []any) (any, error) {
					return r.cfnOutput(fmt.Sprintf("%s:%d %s", f.Name, line(out).Line, out), str(args, 0), str(args, 1)), nil
				}},
				&jsonnet.NativeFunction{Name: exp, Params: ast.Identifiers{"name"}, Func: func(args []any) (any, error) {
					return r.cfnExport(fmt.Sprintf("%s:%d %s", f.Name, line(exp).Line, exp), str(args, 0)), nil
				}})
		}
	}
	for _, n := range natives {
		vm.NativeFunction(n)
	}
	type result struct {
		out string
		err error
	}
	done := make(chan result, 1)
	go func() {
		out, err := vm.EvaluateFile(f.Name)
		done <- result{out, err}
	}()
	select {
	case res := <-done:
		if res.err != nil {
			return nil, res.err
		}
		if len(res.out) > maxRenderOutput {
			return nil, fmt.Errorf("output larger than %d bytes", maxRenderOutput)
		}
		return []byte(res.out), nil
	case <-time.After(jsonnetTimeout):
		// go-jsonnet cannot be cancelled: the evaluation is abandoned.
		return nil, fmt.Errorf("evaluation did not finish within %s", jsonnetTimeout)
	}
}

// firstMention is the position of the first mention of a native function
// in a Jsonnet source ("std.native('ssm')" or a local bound to it).
func firstMention(f *source.File, name string) source.Pos {
	for _, q := range []string{"'" + name + "'", `"` + name + `"`, name + "("} {
		if i := bytes.Index(f.Data, []byte(q)); i >= 0 {
			return f.Position(i)
		}
	}
	return source.Pos{Line: 1, Col: 1}
}

// repoImporter resolves Jsonnet imports inside the repository only.
type repoImporter struct {
	env   Env
	cache map[string]jsonnet.Contents
}

// Import implements jsonnet.Importer: importedFrom is the importing file.
func (im *repoImporter) Import(importedFrom, importedPath string) (jsonnet.Contents, string, error) {
	p := importedPath
	if !path.IsAbs(p) {
		p = path.Join(path.Dir(importedFrom), p)
	}
	p = path.Clean(p)
	if strings.HasPrefix(p, "../") || p == ".." || path.IsAbs(p) {
		return jsonnet.Contents{}, "", fmt.Errorf("import %q is outside the repository", importedPath)
	}
	if c, ok := im.cache[p]; ok {
		return c, p, nil
	}
	f, err := im.env.ReadFile(p)
	if err != nil {
		return jsonnet.Contents{}, "", fmt.Errorf("import %q: %v", importedPath, err)
	}
	if im.cache == nil {
		im.cache = map[string]jsonnet.Contents{}
	}
	c := jsonnet.MakeContents(string(f.Data))
	im.cache[p] = c
	return c, p, nil
}

// relocate moves positions in a rendered file back to its source: a
// template that keeps its lines keeps them; otherwise (Jsonnet's output)
// to the first source line that holds the value, else line 1.
func relocate(src *source.File, out *source.File, p source.Pos) source.Pos {
	if !p.IsValid() || bytes.Count(src.Data, []byte("\n")) == bytes.Count(out.Data, []byte("\n")) {
		return p // a template keeps its lines
	}
	lines := bytes.Split(out.Data, []byte("\n"))
	if p.Line > len(lines) {
		return source.Pos{Line: 1, Col: 1}
	}
	l := bytes.TrimSpace(lines[p.Line-1])
	// "key": "value", -> the value, else the key as Jsonnet writes it.
	var key []byte
	if i := bytes.Index(l, []byte(`": `)); i >= 0 {
		key, l = bytes.Trim(l[:i], `"`), l[i+3:]
	}
	l = bytes.Trim(bytes.TrimSuffix(l, []byte(",")), `"`)
	if len(l) > 0 {
		if i := bytes.Index(src.Data, l); i >= 0 {
			return src.Position(i)
		}
	}
	if len(key) > 0 {
		for _, k := range [][]byte{append(key, ':'), []byte("'" + string(key) + "':"), []byte(`"` + string(key) + `":`)} {
			if i := bytes.Index(src.Data, k); i >= 0 {
				return src.Position(i)
			}
		}
	}
	return source.Pos{Line: 1, Col: 1}
}
