package cli

import (
	"bytes"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"runtime/debug"
	"sort"
	"strings"
	"sync"
	"text/tabwriter"

	"github.com/iamfit/iamfit/internal/catalog"
	"github.com/iamfit/iamfit/internal/cfn"
	"github.com/iamfit/iamfit/internal/jsonpos"
	"github.com/iamfit/iamfit/internal/lint"
	"github.com/iamfit/iamfit/internal/pipeline"
	"github.com/iamfit/iamfit/internal/policy"
	"github.com/iamfit/iamfit/internal/render"
	"github.com/iamfit/iamfit/internal/source"
)

const lintDoc = `
Check IAM policies, trust policies and CloudFormation templates for what IAM
rejects, what grants nothing, what grants too much, and trust policies that
admit the wrong GitHub workflows.

PATH is a policy JSON file, a CloudFormation template (YAML or JSON, short
tags such as !Sub included), a directory (walked: *.json files that hold a
policy or a template, *.yaml, *.yml and *.template templates), or - for
standard input. A policy's type (identity, resource, trust) is detected from
its content; --type sets it (scp, rcp, session, endpoint cannot be detected).

Output: "file:line:col: severity: message [check-id]" (text), the same with
the source line and a caret (pretty), a JSON array (json), or SARIF 2.1.0 for
GitHub code scanning (sarif). The exit status is 1 when a finding is at or
over --fail-on, 2 when an input cannot be read.

Examples:
  iamfit lint policy.json trust.json
  iamfit lint --format pretty infra/
  iamfit lint --format sarif --fail-on error . > iamfit.sarif
  iamfit lint --list`

func (c *Command) lint(args []string) int {
	f := c.newFlags("lint", "[flags] PATH...", lintDoc)
	format := f.String("format", "text", "output format: text, pretty, json or sarif")
	failOn := f.String("fail-on", "warning", "exit 1 when a finding is at or over this severity: error, warning or info")
	typeName := f.String("type", "", "policy type of every policy file: "+strings.Join(policy.TypeNames()[1:], ", ")+" (default: detected)")
	disable := f.String("disable", "", "check ids to skip, comma-separated")
	list := f.Bool("list", false, "list the checks and exit")
	workflows := f.String("workflows", "", "a repository `DIR` whose workflows assume the roles: check GitHub trust policies against the subjects they produce")
	repo := f.String("repo", "", "with --workflows: the GitHub repository owner/name (default: from DIR's origin remote)")
	paths, code := f.parse(args)
	if code >= 0 {
		return code
	}
	if *list {
		tw := tabwriter.NewWriter(c.Stdout, 0, 4, 2, ' ', 0)
		for _, ch := range lint.Checks() {
			short := ch.Doc
			if i := strings.Index(short, ". "); i > 0 {
				short = short[:i+1]
			}
			fmt.Fprintf(tw, "%s\t%s\t%s\n", ch.ID, ch.Severity, short)
		}
		tw.Flush()
		return ExitOK
	}
	switch *format {
	case "text", "pretty", "json", "sarif":
	default:
		return c.fail("lint", "unknown --format %q (want text, pretty, json or sarif)", *format)
	}
	threshold, err := source.ParseSeverity(*failOn)
	if err != nil {
		return c.fail("lint", "--fail-on: %v", err)
	}
	typ := policy.Any
	if *typeName != "" {
		t, ok := policy.ParseType(*typeName)
		if !ok || t == policy.Any {
			return c.fail("lint", "unknown --type %q (want one of %s)", *typeName, strings.Join(policy.TypeNames()[1:], ", "))
		}
		typ = t
	}
	checks, err := selectChecks(*disable)
	if err != nil {
		return c.exit("lint", err)
	}
	if len(paths) == 0 {
		return c.fail("lint", "need at least one PATH (a file, a directory, or - for stdin)")
	}
	cat, err := loadCatalog()
	if err != nil {
		return c.exit("lint", err)
	}

	var flows *pipeline.Result
	if *workflows != "" {
		flows, err = pipeline.Analyze(pipeline.Options{Dir: *workflows, Repo: *repo})
		if err != nil {
			return c.fail("lint", "--workflows: %v", err)
		}
		if len(flows.Workflows) == 0 {
			return c.fail("lint", "--workflows: no workflows in %s/.github/workflows", *workflows)
		}
		if !hasCheck(checks, lint.TrustWorkflows.ID) {
			flows = nil
		}
	}
	// Many small files make much short-lived garbage: trade a few MB of
	// memory for less collector time.
	defer debug.SetGCPercent(debug.SetGCPercent(400))
	inputs, bad := c.collect(paths)
	results := make([]lintResult, len(inputs))
	var wg sync.WaitGroup
	next := make(chan int)
	for w := 0; w < runtime.GOMAXPROCS(0); w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range next {
				results[i] = c.lintOne(inputs[i], cat, typ, checks, flows)
			}
		}()
	}
	for i := range inputs {
		next <- i
	}
	close(next)
	wg.Wait()
	files := map[string]*source.File{}
	var diags []source.Diagnostic
	nfiles := 0
	for _, r := range results {
		if r.err != "" {
			fmt.Fprintln(c.Stderr, r.err)
			bad = true
			continue
		}
		if r.file == nil {
			continue // found by walking, but not a policy or template
		}
		nfiles++
		files[r.file.Name] = r.file
		diags = append(diags, r.diags...)
	}
	source.Sort(diags)

	var out bytes.Buffer
	switch *format {
	case "text":
		err = render.Text(&out, diags)
	case "pretty":
		err = render.Pretty(&out, diags, files)
	case "json":
		err = render.JSON(&out, diags)
	case "sarif":
		var rules []render.Rule
		for _, ch := range checks {
			rules = append(rules, render.Rule{ID: ch.ID, Severity: ch.Severity, Doc: ch.Doc})
		}
		err = render.SARIF(&out, diags, rules, toolVersion())
	}
	if err != nil {
		return c.exit("lint", internal(err))
	}
	c.Stdout.Write(out.Bytes())
	if *format == "text" || *format == "pretty" {
		counts := map[source.Severity]int{}
		for _, d := range diags {
			counts[d.Severity]++
		}
		if len(diags) > 0 {
			fmt.Fprintf(c.Stderr, "%s, %s, %s, %s\n", plural(nfiles, "file"), plural(counts[source.Error], "error"),
				plural(counts[source.Warning], "warning"), plural(counts[source.Info], "info"))
		}
	}
	if bad {
		return ExitUsage
	}
	for _, d := range diags {
		if d.Severity >= threshold {
			return ExitFindings
		}
	}
	return ExitOK
}

func selectChecks(disable string) ([]*lint.Check, error) {
	all := lint.Checks()
	if disable == "" {
		return all, nil
	}
	off := map[string]bool{}
	for _, id := range strings.Split(disable, ",") {
		id = strings.TrimSpace(id)
		found := false
		for _, c := range all {
			found = found || c.ID == id
		}
		if !found {
			return nil, fmt.Errorf("--disable: unknown check %q (see iamfit lint --list)", id)
		}
		off[id] = true
	}
	var out []*lint.Check
	for _, c := range all {
		if !off[c.ID] {
			out = append(out, c)
		}
	}
	return out, nil
}

type lintInput struct {
	path   string
	walked bool // found in a directory: lint it only if it looks like a policy or template
}

type lintResult struct {
	file  *source.File
	diags []source.Diagnostic
	err   string
}

// lintOne reads and lints one input.
func (c *Command) lintOne(in lintInput, cat *catalog.Catalog, typ policy.Type, checks []*lint.Check, flows *pipeline.Result) lintResult {
	file, err := c.readInput(in.path)
	if err != nil {
		return lintResult{err: "iamfit lint: " + err.Error()}
	}
	if in.walked && !lintable(file) {
		return lintResult{}
	}
	diags := lintFile(file, cat, typ, checks)
	if flows != nil && !isTemplate(file) {
		// A GitHub trust policy: check it against the workflows' subjects.
		if doc, pdiags := policy.Parse(file, policy.Trust); doc != nil && len(pdiags) == 0 && lint.DetectType(doc) == policy.Trust {
			diags = append(diags, lint.CheckTrustWorkflows(file, doc, flows, cat)...)
			source.Sort(diags)
		}
	}
	return lintResult{file: file, diags: diags}
}

func hasCheck(checks []*lint.Check, id string) bool {
	for _, c := range checks {
		if c.ID == id {
			return true
		}
	}
	return false
}

// isTemplate tells templates from policies, as lintFile does.
func isTemplate(f *source.File) bool {
	if strings.HasSuffix(f.Name, ".yaml") || strings.HasSuffix(f.Name, ".yml") || strings.HasSuffix(f.Name, ".template") {
		return true
	}
	return cfn.LooksLikeTemplate(f.Data) && bytes.Contains(f.Data, []byte(`"Resources"`))
}

// collect expands directories into the files to lint. Files named
// explicitly are always linted; files found by walking only when they look
// like a policy or a template.
func (c *Command) collect(paths []string) ([]lintInput, bool) {
	var out []lintInput
	bad := false
	for _, p := range paths {
		if p == "-" {
			out = append(out, lintInput{path: p})
			continue
		}
		st, err := os.Stat(p)
		if err != nil {
			fmt.Fprintf(c.Stderr, "iamfit lint: %v\n", err)
			bad = true
			continue
		}
		if !st.IsDir() {
			out = append(out, lintInput{path: p})
			continue
		}
		var found []lintInput
		filepath.WalkDir(p, func(path string, d fs.DirEntry, err error) error {
			if err != nil {
				fmt.Fprintf(c.Stderr, "iamfit lint: %v\n", err)
				bad = true
				return nil
			}
			if d.IsDir() {
				switch d.Name() {
				case ".git", "node_modules", "vendor", ".terraform":
					if path != p {
						return filepath.SkipDir
					}
				}
				return nil
			}
			switch strings.ToLower(filepath.Ext(path)) {
			case ".json", ".yaml", ".yml", ".template":
				found = append(found, lintInput{path: path, walked: true})
			}
			return nil
		})
		sort.Slice(found, func(i, j int) bool { return found[i].path < found[j].path })
		out = append(out, found...)
	}
	return out, bad
}

// lintable tells whether a file found by walking is a policy (it has a
// "Statement") or a template (it names AWS:: resource types).
func lintable(f *source.File) bool {
	if !strings.HasSuffix(f.Name, ".json") {
		return cfn.LooksLikeTemplate(f.Data)
	}
	if !bytes.Contains(f.Data, []byte(`"Statement"`)) && !bytes.Contains(f.Data, []byte(`"Resources"`)) {
		return false
	}
	root, errs := jsonpos.Parse(f.Data)
	if root == nil {
		// Unreadable JSON that mentions Statement: report it.
		return len(errs) > 0
	}
	return root.Get("Statement") != nil || (root.Get("Resources") != nil && cfn.LooksLikeTemplate(f.Data))
}

// lintFile lints one file as a template or a policy.
func lintFile(f *source.File, cat *catalog.Catalog, typ policy.Type, checks []*lint.Check) []source.Diagnostic {
	if isTemplate(f) || cfn.LooksLikeTemplate(f.Data) && !bytes.Contains(f.Data, []byte(`"Statement"`)) {
		return lint.Template(f, cat, checks)
	}
	return lint.File(f, cat, lint.Options{Type: typ, Checks: checks}).Diagnostics
}

func plural(n int, word string) string {
	if n == 1 {
		return "1 " + word
	}
	return fmt.Sprintf("%d %ss", n, word)
}
