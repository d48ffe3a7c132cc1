package tf

import (
	"fmt"
	"path"
	"sort"
	"strconv"
	"strings"

	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/zclconf/go-cty/cty"

	"github.com/iamfit/iamfit/internal/arn"
	"github.com/iamfit/iamfit/internal/jsonpos"
	"github.com/iamfit/iamfit/internal/need"
	"github.com/iamfit/iamfit/internal/source"
	"github.com/iamfit/iamfit/internal/tree"
)

// RoleAt is an aws_iam_role of a configuration.
type RoleAt struct {
	File    string
	Pos     source.Pos
	Address string // "aws_iam_role.task", as in its file
	Module  string // the call that declares it: "module.api", or "" for a root module
}

// Options say what a repository's configurations do not: where they are
// applied and which variables the apply may set.
type Options struct {
	// Region and Account are the deploy's, for a configuration whose aws
	// provider names no region (or account); "" leaves them parameters.
	Region, Account string
	// Overridden says why a root module's variable may be given a value
	// the repository does not hold at apply (a workflow sets TF_VAR_env,
	// or passes a -var-file iamfit cannot tell), or "": its .tfvars value
	// or default is then not assumed.
	Overridden func(name string) string
	// VarFile is the repository's .tfvars file that the workflows pass
	// with -var-file, when they pass one: its values come before the
	// root modules' own .tfvars files and defaults. VarFileWhy says where
	// it is passed.
	VarFile, VarFileWhy string
}

// TaskDefinition is an aws_ecs_task_definition of a configuration,
// evaluated as a task definition of the ECS API (camelCase keys).
type TaskDefinition struct {
	// Address is the resource's: "aws_ecs_task_definition.app",
	// "module.api.aws_ecs_task_definition.this", with ["key"] for an
	// instance of for_each.
	Address string
	File    *source.File
	Pos     source.Pos
	// Family, ExecutionRole and TaskRole are strings with offsets into
	// File; nil when the resource does not set them.
	Family, ExecutionRole, TaskRole *jsonpos.Value
	// ExecutionRoleAt and TaskRoleAt are the aws_iam_role resources the
	// roles are, when they are the configuration's.
	ExecutionRoleAt, TaskRoleAt *RoleAt
	// Containers is the containerDefinitions list with offsets into
	// ContainersFile (File, or the JSON or template file they are read
	// from); nil when they cannot be read (Warnings say why).
	Containers     *jsonpos.Value
	ContainersFile *source.File
	// EnvPatterns are the environment values that are IAM patterns (a
	// secret's ARN, its last six characters ??????), EnvResources the ARNs
	// of what values identify without naming (a KMS key id), by variable.
	EnvPatterns, EnvResources map[string]string
	// Region and Account are where its resources are: values, or the
	// {{Region}} and {{AccountId}} parameters.
	Region, Account string
	// ExecuteCommand is set when an aws_ecs_service of its module runs it
	// with enable_execute_command (ECS Exec).
	ExecuteCommand bool
	// Notes say what values assume (info); Warnings what is not read.
	Notes, Warnings []source.Diagnostic
	// Files are the files read for it besides File.
	Files []*source.File
}

// maxInstances bounds the instances of one count or for_each read.
const maxInstances = 32

// TaskDefinitions reads the aws_ecs_task_definition resources of a
// repository's Terraform configurations. Every directory of .tf files
// is a module; one that another calls with a local source
// (source = "./modules/app") is read through each call, with the call's
// arguments, and the others as root modules. The diagnostics are what
// is not read outside any task definition: files HCL cannot parse,
// modules from outside the repository that may declare task definitions.
func TaskDefinitions(t *tree.Tree, opt Options) ([]TaskDefinition, []source.Diagnostic) {
	any := false
	for _, e := range t.Files {
		if strings.HasSuffix(e.Name, ".tf") && !tree.Hidden(e.Name) && e.Size <= maxTF {
			if f, err := t.Read(e.Name); err == nil && strings.Contains(string(f.Data), "aws_ecs_task_definition") {
				any = true
				break
			}
		}
	}
	if !any {
		return nil, nil
	}
	mods := modules(t)
	called := map[string]bool{}
	for _, m := range mods {
		for _, c := range m.calls {
			if dir, _, ok := m.localSource(c); ok {
				called[dir] = true
			}
		}
	}
	r := &tdReader{e: &evaluator{t: t, mods: mods, opt: opt, files: map[string]*source.File{}}, reported: map[*module]bool{}}
	if opt.VarFile != "" {
		if f, err := t.Read(opt.VarFile); err == nil {
			vf := &module{dir: path.Dir(f.Name)}
			vf.readTFVars(f)
			r.e.varFile = vf
			r.e.files[f.Name] = f
		}
	}
	for _, m := range mods {
		for _, f := range m.files {
			r.e.files[f.Name] = f
		}
		for _, f := range m.tfvarFiles {
			r.e.files[f.Name] = f
		}
	}
	for _, dir := range sortedDirs(mods) {
		if called[dir] {
			continue
		}
		m := mods[dir]
		inst := &instance{mod: m}
		inst.root = inst
		r.e.rootDir = dir
		inst.region, inst.account, inst.notes = r.where(m, opt)
		r.instance(inst, 0)
	}
	return r.out, r.diags
}

type tdReader struct {
	e        *evaluator
	out      []TaskDefinition
	diags    []source.Diagnostic
	reported map[*module]bool
}

// maxModules bounds how deep module calls are followed.
const maxModules = 8

// where returns the region and account of a root module's resources: its
// aws provider's region and allowed_account_ids when they are values,
// else the deploy's, else parameters.
func (r *tdReader) where(m *module, opt Options) (region, account string, notes []source.Diagnostic) {
	region, account = opt.Region, opt.Account
	if region == "" {
		region = need.Param("Region")
	}
	if account == "" {
		account = need.Param("AccountId")
	}
	if m.provider == nil {
		return region, account, nil
	}
	e := r.e
	inst := &instance{mod: m, region: region, account: account}
	inst.root = inst
	e.reset(m.provider.file)
	say := func(what string, v *jsonpos.Value) {
		for _, n := range e.gather(v) {
			notes = append(notes, source.Diagnostic{File: m.provider.file.Name, Pos: m.provider.file.Position(n.off), Severity: source.Info,
				Check: CheckValue, Message: what + ": " + n.msg})
		}
	}
	if a := m.provider.attr("region"); a != nil {
		if v := e.eval(a.Expr, &scope{inst: inst}); v.Kind == jsonpos.String && v.Str != "" && !need.HasParams(v.Str) && arn.ValidRegion(v.Str) {
			region = v.Str
			say("the aws provider's region", v)
		}
	}
	if a := m.provider.attr("allowed_account_ids"); a != nil {
		if v := e.eval(a.Expr, &scope{inst: inst}); v.Kind == jsonpos.Array && len(v.Elems) == 1 && v.Elems[0].Kind == jsonpos.String && !need.HasParams(v.Elems[0].Str) {
			account = v.Elems[0].Str
			say("the aws provider's allowed_account_ids", v)
		}
	}
	return region, account, notes
}

// instance reads the task definitions of a module instance and of the
// local modules it calls.
func (r *tdReader) instance(inst *instance, depth int) {
	if !r.reported[inst.mod] && (len(inst.mod.taskDefs) > 0 || inst.mod.brokenTD) {
		// A file that cannot be read where task definitions are (lint
		// reports the others).
		r.reported[inst.mod] = true
		r.diags = append(r.diags, inst.mod.diags...)
	}
	for _, bl := range inst.mod.taskDefs {
		r.taskDef(inst, bl)
	}
	for _, name := range sortedKeys(inst.mod.calls) {
		call := inst.mod.calls[name]
		dir, src, local := inst.mod.localSource(call)
		if !local {
			if mayDeclareTaskDefs(call, src) {
				r.diags = append(r.diags, source.Diagnostic{File: call.file.Name, Pos: call.pos(), Severity: source.Warning, Check: CheckTerraform,
					Message: fmt.Sprintf("module %s (source %q) is not in the repository: the task definitions it may declare are not read", name, src)})
			}
			continue
		}
		child := r.e.child(inst, call)
		if child == nil || depth >= maxModules {
			if r.e.mods[dir] == nil && mayDeclareTaskDefs(call, src) {
				r.diags = append(r.diags, source.Diagnostic{File: call.file.Name, Pos: call.pos(), Severity: source.Warning, Check: CheckTerraform,
					Message: fmt.Sprintf("module %s: %s holds no .tf files iamfit can read: the task definitions it may declare are not read", name, dir)})
			}
			continue
		}
		if call.attr("count") != nil || call.attr("for_each") != nil {
			r.diags = append(r.diags, source.Diagnostic{File: call.file.Name, Pos: call.pos(), Severity: source.Info, Check: CheckValue,
				Message: fmt.Sprintf("module %s has count or for_each: its instances are read as one, with each and count left open", name)})
		}
		r.instance(child, depth+1)
	}
}

// mayDeclareTaskDefs reports whether a module from outside the
// repository looks like one that declares ECS task definitions.
func mayDeclareTaskDefs(call *block, src string) bool {
	if strings.Contains(strings.ToLower(src), "ecs") {
		return true
	}
	for name := range call.b.Body.Attributes {
		if strings.Contains(name, "container") || strings.Contains(name, "task_definition") {
			return true
		}
	}
	return false
}

func sortedKeys[V any](m map[string]V) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// reset starts the evaluation of one task definition in a file.
func (e *evaluator) reset(f *source.File) {
	e.file, e.pin, e.cur = f, -1, 0
	e.pending, e.attached, e.identifies = nil, map[*jsonpos.Value][]note{}, map[*jsonpos.Value]string{}
	e.roles = map[*jsonpos.Value]*RoleAt{}
	e.warnings, e.opaque, e.steps, e.depth = nil, 0, 0, 0
}

// taskDef reads one aws_ecs_task_definition, each instance of a
// for_each or count it can enumerate.
func (r *tdReader) taskDef(inst *instance, bl *block) {
	e := r.e
	addr := inst.prefix + "aws_ecs_task_definition." + bl.name
	sc := &scope{inst: inst}
	e.reset(bl.file)
	if fe := bl.attr("for_each"); fe != nil {
		coll := e.eval(fe.Expr, sc)
		var keys []*jsonpos.Value
		switch coll.Kind {
		case jsonpos.Object:
			for _, m := range coll.Members {
				keys = append(keys, &jsonpos.Value{Kind: jsonpos.String, Str: m.Key})
			}
		case jsonpos.Array:
			for _, el := range coll.Elems {
				if el.Kind != jsonpos.String || need.HasParams(el.Str) {
					keys = nil
					break
				}
				keys = append(keys, el)
			}
		}
		if len(keys) > 0 {
			for _, k := range keys {
				e.reset(bl.file)
				isc := e.instanceScope(inst, bl, cty.StringVal(k.Str))
				r.read(inst, bl, isc, fmt.Sprintf("%s[%q]", addr, k.Str))
			}
			return
		}
		if coll.Kind == jsonpos.Object && len(coll.Members) == 0 || coll.Kind == jsonpos.Array && len(coll.Elems) == 0 {
			return // for_each of nothing: no instance
		}
		// Keys iamfit cannot tell: one instance, each left open.
	}
	if c := bl.attr("count"); c != nil {
		n := e.eval(c.Expr, sc)
		if k, err := strconv.Atoi(n.Str); n.Kind == jsonpos.Number && err == nil && k >= 0 {
			for i := 0; i < k && i < maxInstances; i++ {
				e.reset(bl.file)
				r.read(inst, bl, e.instanceScope(inst, bl, cty.NumberIntVal(int64(i))), fmt.Sprintf("%s[%d]", addr, i))
			}
			return
		}
	}
	e.reset(bl.file)
	r.read(inst, bl, sc, addr)
}

// read evaluates one instance of an aws_ecs_task_definition.
func (r *tdReader) read(inst *instance, bl *block, sc *scope, addr string) {
	e := r.e
	td := TaskDefinition{Address: addr, File: bl.file, Pos: bl.pos(), Region: inst.region, Account: inst.account,
		Notes: append([]source.Diagnostic(nil), inst.notes...)}
	if a := bl.attr("family"); a != nil {
		td.Family = e.eval(a.Expr, sc)
	}
	if a := bl.attr("execution_role_arn"); a != nil {
		td.ExecutionRole = e.eval(a.Expr, sc)
		td.ExecutionRoleAt = e.roles[td.ExecutionRole]
	}
	if a := bl.attr("task_role_arn"); a != nil {
		td.TaskRole = e.eval(a.Expr, sc)
		td.TaskRoleAt = e.roles[td.TaskRole]
	}
	if a := bl.attr("container_definitions"); a != nil {
		cds, f := e.containers(a.Expr, sc, 0)
		if cds != nil && cds.Kind == jsonpos.Array {
			td.Containers, td.ContainersFile = cds, f
			if f != bl.file {
				td.Files = append(td.Files, f)
			}
		}
	} else {
		e.warnf(bl.file, bl.b.TypeRange.Start.Byte, "%s sets no container_definitions", addr)
	}
	td.ExecuteCommand = e.executeCommand(inst, bl)
	e.finish(&td)
	r.out = append(r.out, td)
}

// executeCommand reports whether an aws_ecs_service of the module that
// runs the task definition (task_definition = aws_ecs_task_definition.x.arn)
// enables ECS Exec.
func (e *evaluator) executeCommand(inst *instance, bl *block) bool {
	for _, key := range sortedKeys(inst.mod.resources) {
		svc := inst.mod.resources[key]
		td, ee := svc.attr("task_definition"), svc.attr("enable_execute_command")
		if svc.typ != "aws_ecs_service" || td == nil || ee == nil {
			continue
		}
		var runs bool
		for _, tr := range td.Expr.Variables() {
			parts := traversalParts(tr)
			runs = runs || len(parts) >= 2 && parts[0] == "aws_ecs_task_definition" && parts[1] == bl.name
		}
		if !runs {
			continue
		}
		start := len(e.pending)
		v := e.eval(ee.Expr, &scope{inst: inst})
		e.pending = e.pending[:start]
		if v.Kind == jsonpos.Bool && v.Bool || v.Kind == jsonpos.String && v.Str == "true" {
			return true
		}
	}
	return false
}

// containers evaluates container_definitions: jsonencode([...]), a
// heredoc of JSON, file("x.json"), templatefile("x.json.tpl", {...}),
// data.template_file.x.rendered, or a local, a module argument or a local
// module's output holding one of these. It returns the list with the
// file its positions are in.
func (e *evaluator) containers(x hclsyntax.Expression, sc *scope, depth int) (*jsonpos.Value, *source.File) {
	if depth > maxDepth {
		return e.notRead(x, "is computed through more references than iamfit follows"), e.file
	}
	if f := e.files[x.Range().Filename]; f != nil && f != e.file {
		// An expression of another file (a local, a module's argument):
		// its positions are that file's.
		var v *jsonpos.Value
		var in *source.File
		e.withSite(f, func() { v, in = e.containers(x, sc, depth+1) })
		return v, in
	}
	switch x := x.(type) {
	case *hclsyntax.TemplateWrapExpr:
		return e.containers(x.Wrapped, sc, depth+1)
	case *hclsyntax.FunctionCallExpr:
		switch {
		case x.Name == "jsonencode" && len(x.Args) == 1:
			return e.list(e.eval(x.Args[0], sc), x), e.file
		case x.Name == "file" && len(x.Args) == 1:
			f := e.argFile(x, sc)
			if f == nil {
				return nil, e.file
			}
			var v *jsonpos.Value
			e.withSite(f, func() { v = e.parseFile(f) })
			return v, f
		case x.Name == "templatefile" && len(x.Args) == 2:
			f := e.argFile(x, sc)
			if f == nil {
				return nil, e.file
			}
			tsc := e.templateScope(x.Args[1], sc)
			var v *jsonpos.Value
			e.withSite(f, func() { v = e.templateFile(f, tsc) })
			return v, f
		}
	case *hclsyntax.TemplateExpr:
		raw := string(e.file.Data[x.SrcRange.Start.Byte:x.SrcRange.End.Byte])
		if strings.HasPrefix(raw, "<<") {
			nl := strings.IndexByte(raw, '\n')
			last := strings.LastIndexByte(strings.TrimRight(raw, "\n"), '\n')
			if nl >= 0 && last > nl {
				v, diags := e.jsonTemplate(x.SrcRange.Start.Byte+nl+1, x.SrcRange.Start.Byte+last+1, sc)
				e.warnings = append(e.warnings, diags...)
				return e.list(v, x), e.file
			}
		}
	case *hclsyntax.ScopeTraversalExpr:
		if v, f, ok := e.containersRef(x, sc, depth); ok {
			return v, f
		}
	}
	return e.list(e.eval(x, sc), x), e.file
}

// containersRef follows container_definitions = local.x, var.x (a called
// module's argument), module.x.y (a local module's output) or
// data.template_file.x.rendered to the expression that writes them.
func (e *evaluator) containersRef(x *hclsyntax.ScopeTraversalExpr, sc *scope, depth int) (*jsonpos.Value, *source.File, bool) {
	parts := traversalParts(x.Traversal)
	inst := sc.inst
	switch {
	case len(parts) == 2 && parts[0] == "local":
		if a := inst.mod.locals[parts[1]]; a != nil {
			v, f := e.containers(a.Expr, &scope{inst: inst}, depth+1)
			return v, f, true
		}
	case len(parts) == 2 && parts[0] == "var" && inst.call != nil:
		if a := inst.call.attr(parts[1]); a != nil {
			v, f := e.containers(a.Expr, &scope{inst: inst.parent}, depth+1)
			return v, f, true
		}
	case len(parts) == 3 && parts[0] == "module":
		if call := inst.mod.calls[parts[1]]; call != nil {
			if child := e.child(inst, call); child != nil {
				if out := child.mod.outputs[parts[2]]; out != nil && out.attr("value") != nil {
					v, f := e.containers(out.attr("value").Expr, &scope{inst: child}, depth+1)
					return v, f, true
				}
			}
		}
	case len(parts) == 4 && parts[0] == "data" && parts[1] == "template_file" && parts[3] == "rendered":
		bl := inst.mod.data["template_file."+parts[2]]
		if bl == nil || bl.attr("template") == nil {
			return nil, e.file, false
		}
		tsc := &scope{inst: inst, template: true, vars: map[string]*bound{}}
		if a := bl.attr("vars"); a != nil {
			tsc = e.templateScope(a.Expr, &scope{inst: inst})
		}
		tx := bl.attr("template").Expr
		if w, ok := tx.(*hclsyntax.TemplateWrapExpr); ok {
			tx = w.Wrapped
		}
		if call, ok := tx.(*hclsyntax.FunctionCallExpr); ok && call.Name == "file" && len(call.Args) == 1 {
			var f *source.File
			e.withSite(bl.file, func() { f = e.argFile(call, &scope{inst: inst}) })
			if f == nil {
				return nil, e.file, true
			}
			var v *jsonpos.Value
			e.withSite(f, func() { v = e.templateFile(f, tsc) })
			return v, f, true
		}
		if t, ok := tx.(*hclsyntax.TemplateExpr); ok && bl.file == e.file {
			raw := string(e.file.Data[t.SrcRange.Start.Byte:t.SrcRange.End.Byte])
			if nl, last := strings.IndexByte(raw, '\n'), strings.LastIndexByte(strings.TrimRight(raw, "\n"), '\n'); strings.HasPrefix(raw, "<<") && nl >= 0 && last > nl {
				v, diags := e.jsonTemplate(t.SrcRange.Start.Byte+nl+1, t.SrcRange.Start.Byte+last+1, tsc)
				e.warnings = append(e.warnings, diags...)
				return e.list(v, t), e.file, true
			}
		}
	}
	return nil, nil, false
}

// withSite evaluates with positions in another file.
func (e *evaluator) withSite(f *source.File, fn func()) {
	file, pin, cur := e.file, e.pin, e.cur
	e.file, e.pin, e.cur = f, -1, 0
	defer func() { e.file, e.pin, e.cur = file, pin, cur }()
	fn()
}

// argFile reads the file that file(PATH) or templatefile(PATH, ...)
// names.
func (e *evaluator) argFile(x *hclsyntax.FunctionCallExpr, sc *scope) *source.File {
	p := e.eval(x.Args[0], sc)
	if p.Kind != jsonpos.String || need.HasParams(p.Str) {
		e.warnf(e.file, x.Range().Start.Byte, "container_definitions: %s names a file iamfit cannot tell: the task's containers are not read", e.text(x))
		return nil
	}
	f, err := e.readFile(p.Str)
	if err != nil {
		e.warnf(e.file, x.Range().Start.Byte, "container_definitions: cannot read %s: %v: the task's containers are not read", p.Str, err)
		return nil
	}
	return f
}

// parseFile parses a JSON file of container definitions (file(): no
// template sequences).
func (e *evaluator) parseFile(f *source.File) *jsonpos.Value {
	root, errs := jsonpos.Parse(f.Data)
	for _, er := range errs {
		e.warnings = append(e.warnings, source.Diagnostic{File: f.Name, Pos: f.Position(er.Offset), Severity: source.Error,
			Message: er.Msg, Check: "json-syntax"})
	}
	if root == nil {
		return nil
	}
	return e.listValue(root, f, 0)
}

// templateFile reads a template file of container definitions.
func (e *evaluator) templateFile(f *source.File, sc *scope) *jsonpos.Value {
	root, diags := e.jsonTemplate(0, len(f.Data), sc)
	e.warnings = append(e.warnings, diags...)
	if root == nil {
		if len(diags) == 0 {
			e.warnf(f, 0, "the template does not render JSON iamfit can read: the task's containers are not read")
		}
		return nil
	}
	return e.listValue(root, f, 0)
}

// templateScope is the scope of a template: the variables its call
// gives, each evaluated where the template uses it.
func (e *evaluator) templateScope(vars hclsyntax.Expression, sc *scope) *scope {
	tsc := &scope{inst: sc.inst, template: true, vars: map[string]*bound{}}
	if obj, ok := vars.(*hclsyntax.ObjectConsExpr); ok {
		for _, it := range obj.Items {
			if k, ok := e.key(it.KeyExpr, sc); ok {
				tsc.vars[k] = &bound{expr: it.ValueExpr, sc: sc}
			}
		}
		return tsc
	}
	v := e.eval(vars, sc)
	for _, m := range v.Members {
		tsc.vars[m.Key] = &bound{v: m.Value, pinned: true}
	}
	return tsc
}

// list takes container definitions from a value: a list, or a string of
// JSON (a variable holding the document); nil, and a warning, otherwise.
func (e *evaluator) list(v *jsonpos.Value, x hclsyntax.Expression) *jsonpos.Value {
	if v == nil {
		e.warnf(e.file, x.Range().Start.Byte, "container_definitions is not JSON iamfit can read: the task's containers are not read")
		return nil
	}
	return e.listValue(v, e.file, x.Range().Start.Byte)
}

func (e *evaluator) listValue(v *jsonpos.Value, f *source.File, off int) *jsonpos.Value {
	switch {
	case v.Kind == jsonpos.Array:
		return v
	case v.Kind == jsonpos.String && !need.HasParams(v.Str):
		root, errs := jsonpos.Parse([]byte(v.Str))
		if len(errs) == 0 && root != nil && root.Kind == jsonpos.Array {
			pin(root, v.Offset)
			e.attached[root] = append(e.attached[root], e.attached[v]...)
			return root
		}
	}
	e.warnf(f, off, "container_definitions is %s, not a list iamfit can read: the task's containers are not read", shortValue(v))
	return nil
}

// notRead warns that container definitions are not read.
func (e *evaluator) notRead(x hclsyntax.Expression, why string) *jsonpos.Value {
	e.warnf(e.file, x.Range().Start.Byte, "container_definitions %s: the task's containers are not read", why)
	return nil
}

// finish turns the values' private runes into IAM patterns, and reports
// the notes of the values that the task's roles depend on, each with
// what it is (container api: environment BUCKET).
func (e *evaluator) finish(td *TaskDefinition) {
	seen := map[string]bool{}
	emit := func(f *source.File, v *jsonpos.Value, what string) {
		for _, n := range e.gather(v) {
			if seen[n.msg] {
				continue // said once for the task definition, where first met
			}
			seen[n.msg] = true
			fl := f
			if n.file != f.Name {
				if x := e.files[n.file]; x != nil {
					fl = x
				}
			}
			td.Notes = append(td.Notes, source.Diagnostic{File: fl.Name, Pos: fl.Position(n.off), Severity: source.Info,
				Check: CheckValue, Message: what + ": " + n.msg})
		}
	}
	for _, f := range []struct {
		v    *jsonpos.Value
		what string
	}{{td.Family, "family"}, {td.ExecutionRole, "execution_role_arn"}, {td.TaskRole, "task_role_arn"}} {
		if f.v != nil {
			finishAll(f.v)
			emit(td.File, f.v, f.what)
		}
	}
	if td.Containers != nil {
		e.containerNotes(td, emit)
		finishAll(td.Containers)
	}
	td.Warnings = append(td.Warnings, e.warnings...)
	e.warnings = nil
}

// shortValue says what a value is, for a message.
func shortValue(v *jsonpos.Value) string {
	if v.Kind == jsonpos.String {
		if len(v.Str) > 60 {
			return fmt.Sprintf("%q...", v.Str[:60])
		}
		return fmt.Sprintf("%q", v.Str)
	}
	return "a " + v.Kind.String()
}

// finishAll applies finishPattern to every string of a value.
func finishAll(v *jsonpos.Value) {
	switch v.Kind {
	case jsonpos.String:
		v.Str, _ = finishPattern(v.Str)
	case jsonpos.Array:
		for _, el := range v.Elems {
			finishAll(el)
		}
	case jsonpos.Object:
		for _, m := range v.Members {
			finishAll(m.Value)
		}
	}
}

// getCI looks a key up as ECS does: camelCase, or PascalCase.
func getCI(v *jsonpos.Value, key string) *jsonpos.Value {
	if x := v.Get(key); x != nil {
		return x
	}
	return v.Get(strings.ToUpper(key[:1]) + key[1:])
}

// containerNotes reports the notes of the container values that the
// roles depend on, and collects the environment's patterns and the
// resources it identifies.
func (e *evaluator) containerNotes(td *TaskDefinition, emit func(*source.File, *jsonpos.Value, string)) {
	f := td.ContainersFile
	for _, cd := range td.Containers.Elems {
		if cd.Kind != jsonpos.Object {
			continue
		}
		container := "?"
		if n := getCI(cd, "name"); n != nil && n.Kind == jsonpos.String {
			container = n.Str
		}
		c := "container " + container
		if img := getCI(cd, "image"); img != nil {
			emit(f, img, c+": image")
		}
		named := func(list *jsonpos.Value, valueKey, what string, each func(name string, v *jsonpos.Value)) {
			if list == nil || list.Kind == jsonpos.Null {
				return
			}
			if list.Kind != jsonpos.Array {
				emit(f, list, c+": "+what)
				td.Warnings = append(td.Warnings, source.Diagnostic{File: f.Name, Pos: f.Position(list.Offset), Severity: source.Warning,
					Check: CheckTerraform, Message: fmt.Sprintf("%s: %s is %s, not a list iamfit can read: what it holds is not read", c, what, shortValue(list))})
				return
			}
			for _, el := range list.Elems {
				n := getCI(el, "name")
				val := getCI(el, valueKey)
				if n == nil || n.Kind != jsonpos.String || val == nil {
					continue
				}
				emit(f, val, c+": "+what+" "+n.Str)
				if each != nil {
					each(n.Str, val)
				}
			}
		}
		named(getCI(cd, "environment"), "value", "environment", func(name string, v *jsonpos.Value) {
			if v.Kind != jsonpos.String {
				return
			}
			if id, ok := e.identifies[v]; ok {
				if td.EnvResources == nil {
					td.EnvResources = map[string]string{}
				}
				td.EnvResources[name] = id
			}
			if s, pattern := finishPattern(v.Str); pattern {
				if td.EnvPatterns == nil {
					td.EnvPatterns = map[string]string{}
				}
				td.EnvPatterns[name] = s
			}
		})
		named(getCI(cd, "secrets"), "valueFrom", "secret", nil)
		if files := getCI(cd, "environmentFiles"); files != nil {
			for _, ef := range files.Elems {
				if v := getCI(ef, "value"); v != nil {
					emit(f, v, c+": environment file")
				}
			}
		}
		if lc := getCI(cd, "logConfiguration"); lc != nil && lc.Kind == jsonpos.Object {
			if opts := getCI(lc, "options"); opts != nil && opts.Kind == jsonpos.Object {
				for _, m := range opts.Members {
					emit(f, m.Value, c+": log option "+m.Key)
				}
			}
			named(getCI(lc, "secretOptions"), "valueFrom", "log configuration secret", nil)
		}
		if rc := getCI(cd, "repositoryCredentials"); rc != nil {
			if v := getCI(rc, "credentialsParameter"); v != nil {
				emit(f, v, c+": repository credentials")
			}
		}
	}
}
