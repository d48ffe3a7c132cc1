// Package code finds the AWS SDK calls in application source, through a
// parser for each language: Go (aws-sdk-go-v2 and aws-sdk-go v1) with
// go/parser, Python (boto3: clients, resources and their collections,
// paginators, waiters, the S3 transfer methods and presigned URLs) and
// JavaScript/TypeScript (AWS SDK v3 commands, aggregated clients,
// paginators, waiters, lib-storage and lib-dynamodb, and the SDK v2) with
// a lexer and expression reader of this package; LangChain's Bedrock
// models in both, and the Vercel AI SDK's Bedrock provider, call Amazon
// Bedrock. Values flow within a
// service's code: clients and resource handles through assignments,
// helper functions, struct fields, self/this attributes and module-level
// settings; strings from literals, constants, concatenation, format
// strings and template literals, and environment look-ups that Resolve
// binds to the task definition's environment.
//
// The credentials a client is made with decide whose call it is: the
// task's, an assumed role's (the RoleArn of the sts:AssumeRole or
// temporary-credentials provider that gave them), or access keys'.
//
// A call on an SDK client that the reader cannot name is a diagnostic
// with its position, never dropped; one whose input it cannot read is
// granted with parameters for its resources, named after where their
// values come from, and said too. Tests, Lambda handlers,
// infrastructure code (CDK, Pulumi) and third-party packages installed
// into the repository (pip install --target) are not application code.
package code

import (
	"fmt"
	"path"
	"runtime"
	"slices"
	"sort"
	"strings"
	"sync"

	"github.com/iamfit/iamfit/internal/source"
	"github.com/iamfit/iamfit/internal/tree"
)

// Call is one SDK call found in the source.
type Call struct {
	Service   string // the SDK's service: "s3", "sqs", "dynamodb", "bedrock-runtime"
	Operation string // the API operation: "GetObject"
	// Args are the arguments by API name (Bucket, Key, QueueUrl,
	// TableName, Name, SecretId, ...); a list keeps its values. Literal
	// text is escaped for IAM (a literal * is ${*}), a part the code
	// computes is *, and an environment variable is its name between
	// NUL bytes until Resolve binds it.
	Args map[string][]string
	File string
	Line int
	Lang string
	// Via says how the reader saw the call when it is not the operation
	// itself: "paginator", "waiter ObjectExists", "upload_file".
	Via string
	// Region is the region the code gives the client, as an argument
	// (an environment variable between NUL bytes until Resolve binds
	// it); "" is the task's region.
	Region string
	// Unread is set when part of the call's input could not be read (a
	// **dict or an input object the reader cannot evaluate): arguments
	// it would give are missing, and a diagnostic says so.
	Unread bool
	// AssumedRole is the role whose credentials the call is made with,
	// an argument (an environment variable between NUL bytes until
	// Resolve binds it): the RoleArn of the sts:AssumeRole that gave its
	// client's credentials. Keys are access keys the client is made with
	// (an environment variable, or how the code writes them). Both are
	// "" for the task's credentials.
	AssumedRole, Keys string
	// AssumedAt is where the sts:AssumeRole that gave the credentials
	// is called ("file:line"), when the reader saw it.
	AssumedAt string
	at        *node // the expression that made the call, for its client's region
	// provider is a LangChain model provider the environment gives (the
	// operation is empty until Needs binds it).
	provider string
}

// EnvArgs returns the arguments that are exactly one environment
// variable: API name -> variable.
func (c Call) EnvArgs() map[string]string {
	out := map[string]string{}
	for k, vs := range c.Args {
		if strings.HasPrefix(k, envMark) {
			continue
		}
		if len(vs) == 1 && strings.HasPrefix(vs[0], envMark) && strings.Count(vs[0], envMark) == 2 && strings.HasSuffix(vs[0], envMark) {
			out[k] = strings.Trim(vs[0], envMark)
		}
	}
	return out
}

// maxFile skips files larger than this (generated or minified code).
const maxFile = 1 << 20

// Scan walks dir and returns the SDK calls of its application source.
func Scan(dir string) ([]Call, []source.Diagnostic, error) {
	t, err := tree.Walk(dir, tree.Options{})
	if err != nil {
		return nil, nil, err
	}
	calls, diags := ScanTree(t)
	return calls, diags, nil
}

// lang is a source language of the tree.
type lang int

const (
	langNone lang = iota
	langGo
	langPython
	langJS
)

// langOf returns the language of an application source file, or langNone
// for files that are not application code: tests, type declarations,
// minified bundles, the .github directory, vendored and infrastructure
// trees.
func langOf(name string) lang { return langIn(name, nil) }

// langIn is langOf in a tree whose Python package directories (those
// holding an __init__.py) pkg reports: a directory named like
// infrastructure code (infra, infrastructure, deploy) is application
// code when it is a Python package or a layer of a src/ tree (a
// hexagonal application's infrastructure layer holds its AWS clients).
func langIn(name string, pkg func(dir string) bool) lang {
	if strings.HasPrefix(name, ".github/") {
		return langNone
	}
	dirs := strings.Split(path.Dir(name), "/")
	for i, dir := range dirs {
		switch strings.ToLower(dir) {
		case "test", "tests", "__tests__", "testdata", "testing", "e2e", "spec", "fixtures", "mocks", "__mocks__",
			"node_modules", "vendor", "venv", ".venv", "site-packages", "dist", "build",
			"cdk", "terraform", "pulumi", "cdk.out", "migrations":
			return langNone
		case "infra", "infrastructure", "deploy":
			if pkg != nil && pkg(strings.Join(dirs[:i+1], "/")) || slices.Contains(dirs[:i], "src") {
				continue
			}
			return langNone
		}
	}
	base := path.Base(name)
	switch ext := path.Ext(name); ext {
	case ".go":
		if strings.HasSuffix(base, "_test.go") {
			return langNone
		}
		return langGo
	case ".py":
		if strings.HasPrefix(base, "test_") || strings.HasSuffix(base, "_test.py") || base == "conftest.py" || base == "setup.py" {
			return langNone
		}
		return langPython
	case ".ts", ".js", ".mjs", ".cjs", ".tsx", ".jsx", ".mts", ".cts":
		if strings.HasSuffix(base, ".d.ts") || strings.Contains(base, ".test.") || strings.Contains(base, ".spec.") ||
			strings.Contains(base, ".min.") || strings.HasSuffix(base, ".config.js") || strings.HasSuffix(base, ".config.ts") {
			return langNone
		}
		return langJS
	}
	return langNone
}

// ScanTree returns the SDK calls of a repository's application source,
// sorted by file and line, and the diagnostics for calls on SDK clients
// it could not name.
func ScanTree(t *tree.Tree) ([]Call, []source.Diagnostic) {
	// Read and parse the files in parallel; the value flow of a service
	// then runs over its parsed modules.
	type job struct {
		name string
		l    lang
		f    *source.File
		m    *module
		r    results
	}
	var jobs []*job
	isVendored := vendored(t)
	pkgs := map[string]bool{}
	for _, e := range t.Files {
		if path.Base(e.Name) == "__init__.py" {
			pkgs[path.Dir(e.Name)] = true
		}
	}
	isPkg := func(dir string) bool { return pkgs[dir] }
	for _, e := range t.Files {
		if e.Size > maxFile || isVendored(e.Name) {
			continue
		}
		if l := langIn(e.Name, isPkg); l != langNone {
			jobs = append(jobs, &job{name: e.Name, l: l})
		}
	}
	parallel(len(jobs), func(i int) {
		j := jobs[i]
		f, err := t.Read(j.name)
		if err != nil {
			return
		}
		j.f = f
		j.r.taskProtection(f, j.l)
		switch j.l {
		case langPython:
			if text := string(f.Data); wantPython(text) {
				j.m = parsePython(f.Name, text)
			}
		case langJS:
			if text := string(f.Data); wantJS(text) {
				j.m = parseJS(f.Name, text)
			}
		}
	})
	r := &results{}
	goPkgs := map[string][]*source.File{}
	goSDKDirs := map[string]bool{}
	var py, js []*module
	for _, j := range jobs {
		if j.f == nil {
			continue
		}
		r.calls = append(r.calls, j.r.calls...)
		switch j.l {
		case langGo:
			// Every file of a package that uses the SDK: settings and
			// helpers live beside the calls.
			dir := path.Dir(j.name)
			goPkgs[dir] = append(goPkgs[dir], j.f)
			if strings.Contains(string(j.f.Data), "github.com/aws/aws-sdk-go") {
				goSDKDirs[dir] = true
			}
		case langPython:
			if j.m != nil && !j.m.infra() {
				py = append(py, j.m)
			}
		case langJS:
			if j.m != nil && !j.m.infra() {
				js = append(js, j.m)
			}
		}
	}
	dirs := make([]string, 0, len(goSDKDirs))
	for d := range goSDKDirs {
		dirs = append(dirs, d)
	}
	sort.Strings(dirs)
	pkgResults := make([]results, len(dirs)+2)
	parallel(len(dirs)+2, func(i int) {
		switch {
		case i < len(dirs):
			scanGoPackage(goPkgs[dirs[i]], &pkgResults[i])
		case i == len(dirs):
			s := newService(true, &pkgResults[i])
			s.mods = py
			s.run()
		default:
			s := newService(false, &pkgResults[i])
			s.mods = js
			s.run()
		}
	})
	for _, pr := range pkgResults {
		r.calls = append(r.calls, pr.calls...)
		r.diags = append(r.diags, pr.diags...)
		r.diags = append(r.diags, pr.unreadDiagnostics()...)
	}
	sort.SliceStable(r.calls, func(i, j int) bool {
		if r.calls[i].File != r.calls[j].File {
			return r.calls[i].File < r.calls[j].File
		}
		return r.calls[i].Line < r.calls[j].Line
	})
	r.diags = append(r.diags, otherSDKDiagnostics(t)...)
	source.Sort(r.diags)
	// A helper read once for each of its callers says the same thing
	// once.
	r.diags = slices.CompactFunc(r.diags, func(a, b source.Diagnostic) bool { return a == b })
	return r.calls, r.diags
}

// parallel runs fn(0..n-1) on as many goroutines as there are CPUs.
func parallel(n int, fn func(i int)) {
	workers := min(runtime.GOMAXPROCS(0), n)
	var wg sync.WaitGroup
	next := make(chan int)
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range next {
				fn(i)
			}
		}()
	}
	for i := 0; i < n; i++ {
		next <- i
	}
	close(next)
	wg.Wait()
}

// wantPython reports a Python module the service may need: one that
// uses the SDK or holds settings and helpers.
func wantPython(text string) bool {
	return strings.Contains(text, "boto") || strings.Contains(text, "environ") || strings.Contains(text, "getenv") ||
		strings.Contains(text, "Settings") || strings.Contains(text, "def ") || strings.Contains(text, "langchain")
}

// wantJS reports a JavaScript/TypeScript module the service may need.
func wantJS(text string) bool {
	return strings.Contains(text, "aws-sdk") || strings.Contains(text, "process.env") || strings.Contains(text, "export") ||
		strings.Contains(text, "@langchain/") || strings.Contains(text, "langchain/")
}

// results collects what the readers find.
type results struct {
	calls  []Call
	diags  []source.Diagnostic
	unread map[unreadSite][]string
}

func (r *results) call(c Call) { r.calls = append(r.calls, c) }

// unreadSite is where calls take an input the reader cannot read, and
// what it is.
type unreadSite struct {
	file      string
	line, col int
	what      string
}

// unreadAt records a call whose input could not be read; the calls of
// one site (a generic wrapper makes many) are said once (unreadDiagnostics).
func (r *results) unreadAt(file string, line, col int, what, op string) {
	if r.unread == nil {
		r.unread = map[unreadSite][]string{}
	}
	k := unreadSite{file, line, col, what}
	if !slices.Contains(r.unread[k], op) {
		r.unread[k] = append(r.unread[k], op)
	}
}

// unreadDiagnostics say, for each site, that its calls' input could not
// be read: their actions are granted, and the resources the input would
// name are parameters.
func (r *results) unreadDiagnostics() []source.Diagnostic {
	var out []source.Diagnostic
	for k, ops := range r.unread {
		sort.Strings(ops)
		what := ops[0] + " takes its input"
		if len(ops) > 1 {
			what = fmt.Sprintf("%d calls (%s) take their input", len(ops), strings.Join(ops, ", "))
		}
		out = append(out, source.Diagnostic{File: k.file, Pos: source.Pos{Line: k.line, Col: k.col}, Severity: source.Warning,
			Message: fmt.Sprintf("%s from %s, which iamfit cannot read: the action is granted, and a resource the input would name is a parameter", what, k.what),
			Check:   "sdk-arguments-not-understood"})
	}
	return out
}

// notUnderstood records a call on an SDK client that the reader could not
// turn into an operation.
func (r *results) notUnderstood(file string, line, col int, msg string) {
	r.diags = append(r.diags, source.Diagnostic{File: file, Pos: source.Pos{Line: line, Col: col},
		Severity: source.Warning, Message: msg + "; its needs are not included", Check: "sdk-call-not-understood"})
}

// taskProtection finds the ECS agent's task scale-in protection endpoint
// ($ECS_AGENT_URI/task-protection/v1/state): the agent calls
// ecs:UpdateTaskProtection with the task role.
func (r *results) taskProtection(f *source.File, l lang) {
	i := strings.Index(string(f.Data), "/task-protection/v1/state")
	if i < 0 {
		return
	}
	lg := map[lang]string{langGo: "go", langPython: "python", langJS: "js"}[l]
	r.call(Call{Service: "ecs", Operation: "UpdateTaskProtection", Args: map[string][]string{"TaskId": {"*"}},
		File: f.Name, Line: 1 + strings.Count(string(f.Data[:i]), "\n"), Lang: lg, Via: "ECS agent task protection endpoint"})
}
