package lint

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path"
	"path/filepath"
	"runtime"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/iamfit/iamfit/internal/catalog"
	"github.com/iamfit/iamfit/internal/cfn"
	"github.com/iamfit/iamfit/internal/jsonpos"
	"github.com/iamfit/iamfit/internal/policy"
	"github.com/iamfit/iamfit/internal/source"
	"github.com/iamfit/iamfit/internal/tree"
)

// RunOptions control Run: what to lint, how to read it, and which checks
// to run.
type RunOptions struct {
	// Paths are files, directories (walked) or "-" for standard input.
	// Files named here are always linted; files found by walking a
	// directory only when they look like a policy or a template.
	Paths []string
	// Read reads one file ("-" included: the caller decides what standard
	// input is). Nil reads files with os.ReadFile.
	Read func(path string) (*source.File, error)
	// Catalog is the action catalog the checks use.
	Catalog *catalog.Catalog
	// Type is the type of every policy file; policy.Any detects it.
	Type policy.Type
	// Checks are the checks to run; nil runs all.
	Checks []*Check
	// Workflows, when not nil and TrustWorkflows is among the checks, are
	// what the repository's workflows present: GitHub trust policies are
	// checked against them.
	Workflows *Workflows
	// Snapshots are account snapshots (the JSON output of aws iam
	// get-account-authorization-details) to lint role by role; a file
	// that is not one is an error. Paths detect snapshots by their shape.
	Snapshots []string
	// Workers is how many files are linted at once; 0 means GOMAXPROCS.
	// With Each, a run starts with one and takes the others once it has
	// lasted parallelAfter: a second processor costs a fifth more CPU time
	// (memory faults, collector, caches), worth it only for a wait that
	// people notice.
	Workers int
	// Each, when not nil, receives the findings file by file, in the order
	// of the paths, as soon as a file and those before it are linted, its
	// diagnostics sorted by position; Results then holds only the Errors.
	// At most a few files per worker are held at once, so that memory
	// stays bounded whatever the number of files. With the files of one
	// directory, the diagnostics come in the order Results.Diagnostics has.
	Each func(file *source.File, diags []source.Diagnostic)
}

// streamWindow is how many files per worker Run holds, linted or being
// linted, ahead of the one Each is waiting for.
const streamWindow = 4

// parallelAfter is how long a run with Each lints alone before it takes
// the other workers: a directory of thousands of small policies is done
// in less.
var parallelAfter = 200 * time.Millisecond

// Results are the outcome of Run.
type Results struct {
	// Files are the files linted, in the order of the paths (a directory's
	// files sorted by name). Files found by walking that are neither a
	// policy nor a template are not among them.
	Files []*source.File
	// Diagnostics are the findings of every file, sorted by file and
	// position.
	Diagnostics []source.Diagnostic
	// Errors are the inputs that could not be read: first the paths that
	// do not exist and the directories that could not be walked, then the
	// files that could not be read, each in path order.
	Errors []error
}

// Run expands the paths into files and lints them in parallel. The
// results do not depend on the number of workers. The error is the
// context's, when it ends the run early; unreadable inputs are in
// Results.Errors, not an error of Run.
func Run(ctx context.Context, opt RunOptions) (*Results, error) {
	checks := opt.Checks
	if checks == nil {
		checks = Checks()
	}
	flows := opt.Workflows
	if !hasCheck(checks, TrustWorkflows.ID) {
		flows = nil
	}
	read := opt.Read
	if read == nil {
		read = readFile
	}
	inputs, errs := expand(opt.Paths)
	for _, p := range opt.Snapshots {
		inputs = append(inputs, input{path: p, snapshot: true})
	}
	if opt.Each != nil {
		return stream(ctx, opt, inputs, errs, checks, flows, read)
	}
	type result struct {
		file  *source.File
		diags []source.Diagnostic
		err   error
	}
	results := make([]result, len(inputs))
	workers := opt.Workers
	if workers <= 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	var wg sync.WaitGroup
	next := make(chan int)
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			var jp jsonpos.Parser // each file's tree in the memory of the one before
			var sc scratch        // and the rest of its lint
			for i := range next {
				in := inputs[i]
				file, err := read(in.path)
				if err != nil {
					results[i].err = err
					continue
				}
				d := &doc{file: file, jp: &jp, sc: &sc}
				switch {
				case in.walked && !d.lintable():
					// found by walking, but not a policy or template
				case !in.walked && d.notTemplateYAML() != nil:
					results[i].err = d.notTemplateYAML()
				case in.snapshot:
					diags, err := lintSnapshot(in.path, d, opt.Catalog, checks, flows)
					results[i] = result{file: file, diags: diags, err: err}
				default:
					results[i] = result{file: file, diags: d.lint(opt.Catalog, opt.Type, checks, flows)}
				}
			}
		}()
	}
	var err error
feed:
	for i := range inputs {
		if err = ctx.Err(); err != nil {
			break
		}
		select {
		case next <- i:
		case <-ctx.Done():
			err = ctx.Err()
			break feed
		}
	}
	close(next)
	wg.Wait()
	if err != nil {
		return nil, err
	}
	res := &Results{Errors: errs}
	for _, r := range results {
		if r.err != nil {
			res.Errors = append(res.Errors, r.err)
			continue
		}
		if r.file == nil {
			continue
		}
		res.Files = append(res.Files, r.file)
		res.Diagnostics = append(res.Diagnostics, r.diags...)
	}
	source.Sort(res.Diagnostics)
	return res, nil
}

// stream is Run with opt.Each: the files go to Each in order, through a
// window of streamWindow files per worker. The caller's goroutine is one
// of the workers, and whichever worker finishes the file Each waits for
// hands it over, with the files after it that are done: no goroutine
// waits on another per file (a file of a few statements takes
// microseconds, a wake-up across processors as much).
func stream(ctx context.Context, opt RunOptions, inputs []input, errs []error, checks []*Check, flows *Workflows,
	read func(string) (*source.File, error)) (*Results, error) {
	type result struct {
		file  *source.File
		diags []source.Diagnostic
		err   error
		done  bool
	}
	workers := opt.Workers
	if workers <= 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	workers = max(1, min(workers, len(inputs)))
	window := workers * streamWindow
	ring := make([]result, window) // file i is at i % window
	res := &Results{Errors: errs}
	var (
		mu       sync.Mutex
		room     = sync.NewCond(&mu) // signalled when files are handed over
		next     int                 // the next file to lint
		emitted  int                 // the files handed over (or failed)
		emitting bool                // a worker is handing files over
		ctxErr   error
	)
	var wg sync.WaitGroup
	begin, spawned := time.Now(), workers == 1
	var work func(lead bool)
	work = func(lead bool) {
		var jp jsonpos.Parser // each file's tree in the memory of the one before
		var sc scratch        // and the rest of its lint
		mu.Lock()
		for {
			for next < len(inputs) && next-emitted >= window && ctxErr == nil {
				room.Wait()
			}
			if next >= len(inputs) || ctxErr != nil {
				break
			}
			if ctxErr = ctx.Err(); ctxErr != nil {
				break
			}
			i := next
			next++
			mu.Unlock()
			var r result
			in := inputs[i]
			file, err := read(in.path)
			d := &doc{file: file, jp: &jp, sc: &sc}
			switch {
			case err != nil:
				r.err = err
			case in.walked && !d.lintable():
			case !in.walked && d.notTemplateYAML() != nil:
				r.err = d.notTemplateYAML()
			case in.snapshot:
				r.diags, r.err = lintSnapshot(in.path, d, opt.Catalog, checks, flows)
				if r.err == nil {
					r.file = file
					source.Sort(r.diags)
				}
			default:
				r.file = file
				r.diags = d.lint(opt.Catalog, opt.Type, checks, flows)
				source.Sort(r.diags)
			}
			r.done = true
			if lead && !spawned && time.Since(begin) >= parallelAfter {
				spawned = true
				for w := 1; w < workers; w++ {
					wg.Add(1)
					go func() {
						defer wg.Done()
						work(false)
					}()
				}
			}
			mu.Lock()
			ring[i%window] = r
			if emitting {
				continue // the worker handing files over takes this one too
			}
			// Hand over the files done from the one Each waits for on,
			// outside the lock.
			emitting = true
			for emitted < next && ring[emitted%window].done {
				r := ring[emitted%window]
				ring[emitted%window] = result{}
				emitted++
				mu.Unlock()
				switch {
				case r.err != nil:
					res.Errors = append(res.Errors, r.err)
				case r.file != nil && ctx.Err() == nil:
					opt.Each(r.file, r.diags)
				}
				mu.Lock()
			}
			emitting = false
			room.Broadcast()
		}
		mu.Unlock()
		room.Broadcast()
	}
	work(true)
	wg.Wait()
	if ctxErr != nil {
		return nil, ctxErr
	}
	return res, nil
}

// lintSnapshot lints a file named as an account snapshot; one of another
// shape is an error.
func lintSnapshot(path string, d *doc, cat *catalog.Catalog, checks []*Check, flows *Workflows) ([]source.Diagnostic, error) {
	root, _ := d.json()
	if !IsSnapshot(root) {
		return nil, fmt.Errorf("%s is not an account snapshot (the JSON output of aws iam get-account-authorization-details)", path)
	}
	return Snapshot(d.file, root, cat, checks, flows), nil
}

func readFile(path string) (*source.File, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	return source.NewFile(path, data), nil
}

// doc is one file being linted. The tests of what it holds and its JSON
// tree are made at most once, whichever of the driver's steps asks first.
type doc struct {
	file *source.File
	// jp, when set, parses the JSON into the memory of the tree of the
	// worker's last file: nothing that outlives the file's lint (its
	// findings) may hold a part of the tree. sc, when set, is the
	// worker's memory for the rest.
	jp *jsonpos.Parser
	sc *scratch

	parsed bool
	root   *jsonpos.Value
	errs   []*jsonpos.Error

	// The content tests, each made once when first asked: a pass over
	// the data costs, and most files need only a few of them.
	known, found tests
}

// tests is a set of content tests.
type tests uint8

const (
	hasStatement  tests = 1 << iota // "Statement"
	hasResources                    // "Resources"
	looksTemplate                   // cfn.LooksLikeTemplate
	hasSnapshot                     // a key only account snapshots have
)

// is tells whether the file passes test t.
func (d *doc) is(t tests) bool {
	if d.known&t == 0 {
		d.known |= t
		data := d.file.Data
		var ok bool
		switch t {
		case hasStatement:
			ok = containsKey(data, "Statement")
		case hasResources:
			ok = containsKey(data, "Resources")
		case looksTemplate:
			ok = cfn.LooksLikeTemplate(data)
		case hasSnapshot:
			// The snapshot's words are looked for only where a word they
			// end with is present.
			ok = bytes.Contains(data, []byte(`List"`)) && (bytes.Contains(data, []byte(`"RoleDetailList"`)) || bytes.Contains(data, []byte(`"PolicyVersionList"`)) ||
				bytes.Contains(data, []byte(`"UserDetailList"`)) || bytes.Contains(data, []byte(`"GroupDetailList"`)))
		}
		if ok {
			d.found |= t
		}
	}
	return d.found&t != 0
}

// containsKey reports whether data holds the word in quotes: found by its
// first letter, which is rarer than the quote (bytes.Contains(data,
// `"Resources"`) stops at every quote of the file).
func containsKey(data []byte, word string) bool {
	w := []byte(word + `"`)
	for i := 1; i < len(data); {
		j := bytes.Index(data[i:], w)
		if j < 0 {
			return false
		}
		if data[i+j-1] == '"' {
			return true
		}
		i += j + 1
	}
	return false
}

// json returns the file's JSON tree and syntax errors, parsing it on first use.
func (d *doc) json() (*jsonpos.Value, []*jsonpos.Error) {
	if !d.parsed {
		d.parsed = true
		if d.jp != nil {
			// The file's bytes are never written: the tree shares them.
			d.root, d.errs = d.jp.ParseShared(d.file.Data)
		} else {
			d.root, d.errs = jsonpos.Parse(d.file.Data)
		}
	}
	return d.root, d.errs
}

// lintOne lints one file as a template or a policy, and a GitHub trust
// policy against the workflows when they are given.
func lintOne(file *source.File, cat *catalog.Catalog, typ policy.Type, checks []*Check, flows *Workflows) []source.Diagnostic {
	return (&doc{file: file}).lint(cat, typ, checks, flows)
}

// lint is lintOne.
func (d *doc) lint(cat *catalog.Catalog, typ policy.Type, checks []*Check, flows *Workflows) []source.Diagnostic {
	file := d.file
	var diags []source.Diagnostic
	if strings.HasSuffix(file.Name, ".tf") {
		// Terraform: the policies of its IAM resources and documents.
		return Terraform(file, cat, checks)
	}
	// A snapshot: a file already parsed is asked the cheaper question first.
	if d.parsed && IsSnapshot(d.root) && d.mayBeSnapshot() || !d.parsed && d.mayBeSnapshot() {
		if root, _ := d.json(); IsSnapshot(root) {
			return Snapshot(file, root, cat, checks, flows)
		}
	}
	template := d.isTemplate()
	if template || !d.is(hasStatement) && d.is(looksTemplate) {
		diags = Template(file, cat, checks)
	} else {
		root, jerrs := d.json()
		diags = fileJSON(file, root, jerrs, cat, Options{Type: typ, Checks: checks}, d.sc).Diagnostics
	}
	if flows != nil && !template {
		// policy.Parse, on the tree already read.
		if root, jerrs := d.json(); root != nil && len(jerrs) == 0 {
			if doc, pdiags := policy.ParseTree(file, root, policy.Trust); doc != nil && len(pdiags) == 0 && DetectType(doc) == policy.Trust {
				diags = append(diags, CheckTrustWorkflows(file, doc, flows, cat)...)
				source.Sort(diags)
			}
		}
	}
	return diags
}

func hasCheck(checks []*Check, id string) bool {
	for _, c := range checks {
		if c.ID == id {
			return true
		}
	}
	return false
}

// isTemplate tells templates from policies by name or by content.
func (d *doc) isTemplate() bool {
	f := d.file
	if strings.HasSuffix(f.Name, ".yaml") || strings.HasSuffix(f.Name, ".yml") || strings.HasSuffix(f.Name, ".template") {
		return true
	}
	return d.is(hasResources) && d.is(looksTemplate)
}

type input struct {
	path     string
	walked   bool // found in a directory: lint it only if it looks like a policy or template
	snapshot bool // an account snapshot, by --account-snapshot
}

// mayBeSnapshot is a cheap test before parsing a file to see whether it is
// an account snapshot.
func (d *doc) mayBeSnapshot() bool {
	if d.isTemplate() {
		return false
	}
	return d.is(hasSnapshot)
}

// expand turns the paths into the files to read, walking directories.
func expand(paths []string) ([]input, []error) {
	var out []input
	var errs []error
	for _, p := range paths {
		if p == "-" {
			out = append(out, input{path: p})
			continue
		}
		st, err := os.Stat(p)
		if err != nil {
			errs = append(errs, err)
			continue
		}
		if !st.IsDir() {
			out = append(out, input{path: p})
			continue
		}
		var found []input
		// Files are read with the reader's own size limit: no stat each.
		t, err := tree.Walk(p, tree.Options{Fixtures: true, NoSize: true})
		if err != nil {
			errs = append(errs, err)
			continue
		}
		for _, e := range t.Files {
			switch strings.ToLower(path.Ext(e.Name)) {
			case ".json", ".yaml", ".yml", ".template", ".tf":
				found = append(found, input{path: filepath.Join(p, filepath.FromSlash(e.Name)), walked: true})
			}
		}
		for _, sk := range t.Skipped {
			switch strings.ToLower(path.Ext(sk.Name)) {
			case ".json", ".yaml", ".yml", ".template":
				errs = append(errs, fmt.Errorf("%s: %s", filepath.Join(p, filepath.FromSlash(sk.Name)), sk.Why))
			}
		}
		sort.Slice(found, func(i, j int) bool { return found[i].path < found[j].path })
		out = append(out, found...)
	}
	return out, errs
}

// notTemplateYAML says why a YAML file named on the command line is
// nothing lint reads: not a CloudFormation template (a GitHub Actions
// workflow, say), rather than lint it into silence.
func (d *doc) notTemplateYAML() error {
	f := d.file
	if !strings.HasSuffix(f.Name, ".yaml") && !strings.HasSuffix(f.Name, ".yml") || d.is(looksTemplate) {
		return nil
	}
	if bytes.Contains(f.Data, []byte("jobs:")) && (bytes.Contains(f.Data, []byte("runs-on:")) || bytes.Contains(f.Data, []byte("uses:"))) {
		return fmt.Errorf("%s is a GitHub Actions workflow, not a policy or a CloudFormation template: iamfit generate derives the policies it needs, and iamfit lint --workflows DIR TRUST.json checks a trust policy against the workflows", f.Name)
	}
	return fmt.Errorf("%s is not a policy or a CloudFormation template (no AWSTemplateFormatVersion, no Resources with AWS:: types): nothing to lint in it", f.Name)
}

// lintable tells whether a file found by walking is a policy (it has a
// "Statement") or a template (it names AWS:: resource types).
func (d *doc) lintable() bool {
	f := d.file
	if strings.HasSuffix(f.Name, ".tf") {
		return bytes.Contains(f.Data, []byte("aws_iam_")) || bytes.Contains(f.Data, []byte("policy"))
	}
	if !strings.HasSuffix(f.Name, ".json") {
		return d.is(looksTemplate)
	}
	if !d.is(hasStatement) && !d.is(hasResources) && !d.mayBeSnapshot() {
		return false
	}
	root, errs := d.json()
	if IsSnapshot(root) {
		return true
	}
	if root == nil {
		// Unreadable JSON that mentions Statement: report it.
		return len(errs) > 0
	}
	return root.Get("Statement") != nil || (root.Get("Resources") != nil && d.is(looksTemplate))
}
