package cli

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"text/tabwriter"

	"github.com/iamfit/iamfit/internal/lint"
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
standard input. An account snapshot, the JSON output of aws iam
get-account-authorization-details (detected by its shape, or named with
--account-snapshot FILE), is linted role by role: each role's trust policy,
inline policies and attached customer managed policies (the default
version), each finding naming the role or policy, positioned in the
snapshot; documents as the API returns them (URL-encoded strings) are
decoded, their findings pointing at the string. A policy's type (identity, resource, trust) is detected from
its content; --type sets it (scp, rcp, session, endpoint cannot be detected).

Output: "file:line:col: severity: message [check-id]" (text), the same with
the source line and a caret (pretty; in colour on a terminal, unless
NO_COLOR is set or --color never), a JSON object {"version": 1,
"findings": [...], "summary": {...}} (json, docs/json/lint.schema.json),
SARIF 2.1.0 for GitHub code scanning with fixes where one is mechanical
(sarif), or GitHub Actions workflow commands that annotate the pull
request (github). The exit status is 1 when a finding is at or
over --fail-on, 2 when an input cannot be read or when the paths hold
nothing to lint (no policy or template: a wrong path in CI fails instead of
passing, as actionlint fails on a directory with no workflow).

Configuration: .iamfit.yaml (or --config FILE) disables checks, changes
severities and ignores findings by path and check, each with a reason;
--baseline FILE hides the findings recorded by --update-baseline, so that an
old repository adopts iamfit and sees only new findings (docs/checks.md).

Examples:
  iamfit lint policy.json trust.json
  iamfit lint --format pretty infra/
  iamfit lint --format sarif --fail-on error . > iamfit.sarif
  iamfit lint --format github .
  aws iam get-account-authorization-details > account.json
  iamfit lint --account-snapshot account.json
  iamfit lint --workflows . --role arn:aws:iam::123456789012:role/deploy trust.json
  iamfit lint --format sarif --output iamfit.sarif .
  iamfit lint --baseline iamfit-baseline.json --update-baseline .
  iamfit lint --list`

// lintHeap is the heap lint grows to before it collects: 1,000 small
// policies make about 15 MB of garbage, AWS's 1,644 managed policies 150 MB
// (the run stays near 75 MB).
const lintHeap = 64 << 20

func (c *Command) lint(args []string) int {
	f := c.newFlags("lint", "[flags] PATH...", lintDoc)
	format := f.String("format", "text", "output format: "+render.FindingsFormats())
	failOn := f.String("fail-on", "warning", "exit 1 when a finding is at or over this severity: error, warning or info")
	typeName := f.String("type", "", "policy type of every policy file: "+strings.Join(policy.TypeNames()[1:], ", ")+" (default: detected)")
	disable := f.String("disable", "", "check ids to skip, comma-separated")
	list := f.Bool("list", false, "list the checks and exit")
	workflows := f.String("workflows", "", "a repository `DIR` whose workflows assume the roles: check GitHub trust policies against the subjects they produce")
	role := f.String("role", "", "with --workflows: compare only the subjects of the workflows that assume this role `ARN`")
	output := f.String("output", "", "write the findings to `FILE` instead of standard output")
	repo := f.String("repo", "", "with --workflows: the GitHub repository owner/name (default: from DIR's origin remote)")
	colorMode := f.String("color", "auto", "colour in the pretty format: "+colorModes+" (auto: on a terminal, unless NO_COLOR is set)")
	configFile := f.String("config", "", "a `FILE` of disabled checks, severities and ignored paths with reasons (default: "+lint.ConfigName+" in the current directory, when there is one)")
	baselineFile := f.String("baseline", "", "hide the findings recorded in the baseline `FILE`, so that only new ones are reported")
	updateBaseline := f.Bool("update-baseline", false, "with --baseline: record the current findings in FILE and exit 0")
	var snapshots stringList
	f.Var(&snapshots, "account-snapshot", "an account snapshot `FILE` (the JSON output of aws iam get-account-authorization-details) to lint role by role; repeatable")
	paths, code := f.parse(args)
	if code >= 0 {
		return code
	}
	if *list {
		c.listChecks()
		return ExitOK
	}
	out, ok := render.LookupFindings(*format)
	if !ok {
		return c.fail("lint", "unknown --format %q (want %s)", *format, render.FindingsFormats())
	}
	colorOut := c.Stdout
	if *output != "" {
		colorOut = io.Discard // a file is no terminal
	}
	color, err := c.useColor(*colorMode, colorOut)
	if err != nil {
		return c.exit("lint", err)
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
	cfg, err := loadLintConfig(*configFile)
	if err != nil {
		return c.exit("lint", err)
	}
	checks = cfg.Enabled(checks)
	if *updateBaseline && *baselineFile == "" {
		return c.fail("lint", "--update-baseline needs --baseline FILE")
	}
	if len(paths) == 0 && len(snapshots) == 0 {
		return c.fail("lint", "need at least one PATH (a file, a directory, or - for stdin) or --account-snapshot FILE")
	}
	cat, err := loadCatalog()
	if err != nil {
		return c.exit("lint", err)
	}
	var flows *lint.Workflows
	if *workflows != "" {
		res, err := readWorkflows(*workflows, *repo)
		if err != nil {
			return c.exit("lint", err)
		}
		if len(res.Workflows) == 0 {
			return c.fail("lint", "--workflows: no workflows in %s/.github/workflows", *workflows)
		}
		if flows, err = lintWorkflows(res, *role); err != nil {
			return c.exit("lint", err)
		}
	} else if *role != "" {
		return c.fail("lint", "--role needs --workflows DIR")
	}

	// Many small files make short-lived garbage and keep little: the
	// collector waits for lintHeap bytes (or GOGC=200, past it).
	defer heapFloor(lintHeap)()
	dir, _ := os.Getwd()
	findings := &render.Findings{Root: repositoryRoot(dir), Dir: dir, Version: toolVersion(), Color: color}
	for _, ch := range checks {
		findings.Rules = append(findings.Rules, render.Rule{ID: ch.ID, Severity: ch.Severity, Doc: ch.Doc,
			Tags: lint.Tags(ch), SecuritySeverity: lint.SecuritySeverity(ch), Documented: lint.FamilyOf(ch) != nil})
	}
	// The baseline is read first, so that it can hide findings as they
	// come; an unreadable one fails the run where reading it after the
	// run would have.
	var base *lint.Baseline
	var baseErr error
	if *baselineFile != "" && !*updateBaseline {
		base, baseErr = lint.ReadBaseline(*baselineFile)
	}
	// Standard output (buffered: see bufferStdout) takes the findings as
	// they come; --output FILE is written at the end, so that a failed run
	// leaves no half file and an input may be the output.
	var fileOut bytes.Buffer
	var dst io.Writer = &fileOut
	if *output == "" {
		dst = ignoreErrors{c.Stdout}
	}
	// Findings are written file by file when the files come in the order
	// the output has and the format allows it; otherwise they are kept,
	// compact (the policies are not), and written at the end.
	stream := out.Stream && inOrder(paths, snapshots) && !*updateBaseline && baseErr == nil
	var filter func([]source.Diagnostic) ([]source.Diagnostic, int)
	if base != nil {
		filter = base.NewFilter()
	}
	var (
		kept            []source.Diagnostic // when not streaming: every finding, in the order of the files
		keptFiles       []*source.File      // when not streaming, for the pretty format's source lines
		files           int
		ignored, hidden int
		counts          = map[source.Severity]int{}
		failed          bool
		werr            error
	)
	tally := func(ds []source.Diagnostic) {
		for _, d := range ds {
			counts[d.Severity]++
			failed = failed || d.Severity >= threshold
		}
	}
	each := func(file *source.File, diags []source.Diagnostic) {
		files++
		if !stream {
			kept = append(kept, diags...)
			if *format == "pretty" {
				keptFiles = append(keptFiles, file)
			}
			return
		}
		var n int
		diags, n = cfg.Apply(diags)
		ignored += n
		if filter != nil {
			diags, n = filter(diags)
			hidden += n
		}
		tally(diags)
		if werr == nil && len(diags) > 0 {
			f := *findings
			f.Diagnostics, f.Files = diags, []*source.File{file}
			werr = out.Write(dst, &f)
		}
	}
	res, err := lint.Run(context.Background(), lint.RunOptions{Paths: paths, Read: c.readInput,
		Catalog: cat, Type: typ, Checks: checks, Workflows: flows, Snapshots: snapshots, Each: each})
	if err != nil {
		return c.exit("lint", internal(err))
	}
	for _, err := range res.Errors {
		fmt.Fprintf(c.Stderr, "iamfit lint: %v\n", err)
	}
	if files == 0 && len(res.Errors) == 0 {
		return c.fail("lint", "nothing to lint: no policy or template in %s", strings.Join(paths, ", "))
	}
	if !stream {
		// What lint.Run without Each returns: every finding sorted.
		source.Sort(kept)
		kept, ignored = cfg.Apply(kept)
		if *updateBaseline {
			if err := lint.NewBaseline(filepath.Dir(*baselineFile), kept).Write(*baselineFile); err != nil {
				return c.exit("lint", err)
			}
			fmt.Fprintf(c.Stderr, "iamfit lint: %s recorded in %s\n", plural(len(kept), "finding"), *baselineFile)
			return ExitOK
		}
		if baseErr != nil {
			return c.exit("lint", baseErr)
		}
		kept, hidden = base.Filter(kept)
		tally(kept)
		findings.Diagnostics, findings.Files, findings.FileCount = kept, keptFiles, files
		werr = out.Write(dst, findings)
	}
	if ignored > 0 || hidden > 0 {
		fmt.Fprintf(c.Stderr, "iamfit lint: %s ignored by the configuration, %s hidden by the baseline\n", plural(ignored, "finding"), plural(hidden, "finding"))
	}
	if werr != nil {
		return c.exit("lint", internal(werr))
	}
	if *output != "" {
		if err := os.WriteFile(*output, fileOut.Bytes(), 0o644); err != nil {
			return c.exit("lint", usagef("--output: %v", err))
		}
	}
	c.flushStdout()
	total := counts[source.Error] + counts[source.Warning] + counts[source.Info]
	if out.ForPeople && total > 0 {
		fmt.Fprintf(c.Stderr, "%s, %s, %s, %s\n", plural(files, "file"), plural(counts[source.Error], "error"),
			plural(counts[source.Warning], "warning"), plural(counts[source.Info], "info"))
	}
	if len(res.Errors) > 0 {
		return ExitUsage
	}
	if failed {
		return ExitFindings
	}
	return ExitOK
}

// inOrder reports whether lint.Run gives the files of the paths and
// snapshots in the order of their names, each once, which is the order of
// the output: one path (a directory's files are walked in order), or files
// named in increasing order.
func inOrder(paths, snapshots []string) bool {
	all := append(append([]string(nil), paths...), snapshots...)
	if len(all) == 1 {
		return true
	}
	prev := ""
	for i, p := range all {
		name := p
		if p == "-" {
			name = render.Stdin
		} else if st, err := os.Stat(p); err == nil && st.IsDir() {
			return false
		}
		if i > 0 && name <= prev {
			return false
		}
		prev = name
	}
	return true
}

// ignoreErrors is a writer whose errors are dropped: standard output
// that is closed (lint ... | head) does not make lint fail.
type ignoreErrors struct{ w io.Writer }

func (w ignoreErrors) Write(p []byte) (int, error) {
	w.w.Write(p)
	return len(p), nil
}

// repositoryRoot is the nearest directory from dir up that holds .git
// (code scanning reads paths relative to the repository), or dir.
func repositoryRoot(dir string) string {
	for d := dir; d != ""; {
		if _, err := os.Stat(filepath.Join(d, ".git")); err == nil {
			return d
		}
		parent := filepath.Dir(d)
		if parent == d {
			break
		}
		d = parent
	}
	return dir
}

// listChecks prints the checks with their severity and the first sentence
// of their doc.
func (c *Command) listChecks() {
	tw := tabwriter.NewWriter(c.Stdout, 0, 4, 2, ' ', 0)
	for _, ch := range lint.Checks() {
		short := ch.Doc
		if i := strings.Index(short, ". "); i > 0 {
			short = short[:i+1]
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\n", ch.ID, ch.Severity, short)
	}
	tw.Flush()
}

// loadLintConfig reads --config FILE, or .iamfit.yaml in the current
// directory when there is one; nil when there is none.
func loadLintConfig(file string) (*lint.Config, error) {
	if file == "" {
		if _, err := os.Stat(lint.ConfigName); err != nil {
			return nil, nil
		}
		file = lint.ConfigName
	}
	return lint.LoadConfig(file)
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

func plural(n int, word string) string {
	if n == 1 {
		return "1 " + word
	}
	return fmt.Sprintf("%d %ss", n, word)
}
