// Package code finds the AWS SDK calls in application source, through a
// parser for each language: Go (aws-sdk-go-v2 and aws-sdk-go v1) with
// go/parser, Python (boto3: clients, resources and their collections,
// paginators, waiters, the S3 transfer methods and presigned URLs) and
// JavaScript/TypeScript (AWS SDK v3 commands, aggregated clients,
// paginators, waiters, lib-storage and lib-dynamodb, and the SDK v2) with
// a lexer and expression reader of this package. Values flow within a
// service's code: clients and resource handles through assignments,
// helper functions, struct fields, self/this attributes and module-level
// settings; strings from literals, constants, concatenation, format
// strings and template literals, and environment look-ups that Resolve
// binds to the task definition's environment.
//
// A call on an SDK client that the reader cannot name is a diagnostic
// with its position, never dropped. Tests, Lambda handlers and
// infrastructure code (CDK, Pulumi) are not application code.
package code

import (
	"path"
	"sort"
	"strings"

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
}

// EnvArgs returns the arguments that are exactly one environment
// variable: API name -> variable.
func (c Call) EnvArgs() map[string]string {
	out := map[string]string{}
	for k, vs := range c.Args {
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
func langOf(name string) lang {
	if strings.HasPrefix(name, ".github/") {
		return langNone
	}
	for _, dir := range strings.Split(path.Dir(name), "/") {
		switch strings.ToLower(dir) {
		case "test", "tests", "__tests__", "testdata", "testing", "e2e", "spec", "fixtures", "mocks", "__mocks__",
			"node_modules", "vendor", "venv", ".venv", "site-packages", "dist", "build",
			"cdk", "infra", "infrastructure", "deploy", "terraform", "pulumi", "cdk.out", "migrations":
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
	r := &results{}
	goPkgs := map[string][]*source.File{}
	goSDKDirs := map[string]bool{}
	var py, js []*source.File
	for _, e := range t.Files {
		if e.Size > maxFile {
			continue
		}
		l := langOf(e.Name)
		if l == langNone {
			continue
		}
		f, err := t.Read(e.Name)
		if err != nil {
			continue
		}
		r.taskProtection(f, l)
		switch l {
		case langGo:
			// Every file of a package that uses the SDK: settings and
			// helpers live beside the calls.
			dir := path.Dir(e.Name)
			goPkgs[dir] = append(goPkgs[dir], f)
			if strings.Contains(string(f.Data), "github.com/aws/aws-sdk-go") {
				goSDKDirs[dir] = true
			}
		case langPython:
			py = append(py, f)
		case langJS:
			js = append(js, f)
		}
	}
	dirs := make([]string, 0, len(goPkgs))
	for d := range goSDKDirs {
		dirs = append(dirs, d)
	}
	sort.Strings(dirs)
	for _, d := range dirs {
		scanGoPackage(goPkgs[d], r)
	}
	scanPython(py, r)
	scanJS(js, r)
	sort.SliceStable(r.calls, func(i, j int) bool {
		if r.calls[i].File != r.calls[j].File {
			return r.calls[i].File < r.calls[j].File
		}
		return r.calls[i].Line < r.calls[j].Line
	})
	source.Sort(r.diags)
	return r.calls, r.diags
}

// results collects what the readers find.
type results struct {
	calls []Call
	diags []source.Diagnostic
}

func (r *results) call(c Call) { r.calls = append(r.calls, c) }

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
