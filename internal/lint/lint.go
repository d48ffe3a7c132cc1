// Package lint checks IAM policies for what is wrong with them: what IAM
// rejects, what grants nothing, what grants too much, and what makes a
// GitHub Actions trust policy admit the wrong workflows.
//
// It follows golang.org/x/tools/go/analysis: each check is one *Check value
// (an id, a severity, a doc paragraph and a Run function) in its own file,
// registered in the ordered list of checks.go. A check reports findings
// through its Pass; it returns an error only when the check itself broke.
//
// Run is the driver: it expands paths (walking directories), lints the
// files in parallel and returns the findings sorted, the same for any
// number of workers.
package lint

import (
	"fmt"
	"strconv"
	"strings"
	"sync"
	"unicode/utf8"

	"github.com/iamfit/iamfit/internal/arn"
	"github.com/iamfit/iamfit/internal/catalog"
	"github.com/iamfit/iamfit/internal/cfn"
	"github.com/iamfit/iamfit/internal/jsonpos"
	"github.com/iamfit/iamfit/internal/policy"
	"github.com/iamfit/iamfit/internal/source"
)

// Check is one lint check.
type Check struct {
	// ID is the kebab-case name shown as [id] after each finding.
	ID string
	// Severity is the default severity of its findings.
	Severity source.Severity
	// Doc is a paragraph: what the check finds, why it matters, what to write instead.
	Doc string
	// Run inspects the policy of a Pass. It is nil for the checks whose
	// findings come from the policy parser or from another input.
	Run func(*Pass) error
	// External marks a check that needs another input than the policy
	// (workflows); it is tested end to end in internal/cli.
	External bool
}

// Pass is one check applied to one policy document.
type Pass struct {
	Check   *Check
	File    *source.File
	Policy  *policy.Policy
	Type    policy.Type
	Catalog *catalog.Catalog
	// Statements are the policy's statements with their actions expanded.
	Statements []*Statement

	out []source.Diagnostic // the findings reported
	sc  *scratch            // when set, memory to reuse
}

// scratch is the memory a worker lints its files in, one after another:
// each file's policy, analysed statements and findings are made in the
// memory of the last file's, so that thousands of small files cost few
// allocations. Nothing of it outlives the lint of its file.
type scratch struct {
	arena policy.Arena
	stmts []Statement
	ptrs  []*Statement
	refs  []ActionRef
	diags []source.Diagnostic
	pass  Pass
	// resource-mismatch's compiled Resource values and their fitters
	pats    []*arn.Pattern
	fitters []*fitter
	// expanded remembers what action values matched in earlier files:
	// the same few recur.
	expanded map[string]expansion
}

// expansion is what catalog.Expand returned for an action value.
type expansion struct {
	matched []*catalog.Action
	err     error
}

// maxExpanded bounds the action values a worker remembers: the first
// ones (in a repository, the few that recur come early).
const maxExpanded = 1024

// expand is cat.Expand(v), remembered in sc when it is not nil.
func (sc *scratch) expand(cat *catalog.Catalog, v string) ([]*catalog.Action, error) {
	if sc == nil {
		return cat.Expand(v)
	}
	if e, ok := sc.expanded[v]; ok {
		return e.matched, e.err
	}
	m, err := cat.Expand(v)
	if sc.expanded == nil {
		sc.expanded = make(map[string]expansion)
	}
	if len(sc.expanded) < maxExpanded {
		sc.expanded[v] = expansion{m, err}
	}
	return m, err
}

// report adds a finding.
func (p *Pass) report(d source.Diagnostic) { p.out = append(p.out, d) }

// Statement is a statement with analysis shared by the checks.
type Statement struct {
	*policy.Statement
	// Actions are the Action (or NotAction) values with what they match.
	Actions []ActionRef

	granted     []*catalog.Action
	grantedSet  actionSet
	grantedDone bool
}

// ActionRef is one action pattern as written and the catalog actions it
// matches; Err is set when it names an unknown service or action.
type ActionRef struct {
	Value   policy.String
	Matched []*catalog.Action
	Err     error
}

// Granted returns every catalog action the statement's Action element
// matches (nil for NotAction statements), without duplicates, in the order
// of the values. The slice may be shared: do not modify it.
func (s *Statement) Granted() []*catalog.Action {
	if s.Action == nil {
		return nil
	}
	if s.grantedDone {
		return s.granted
	}
	s.grantedDone = true
	var only []*catalog.Action
	values, lo, hi := 0, 0, 0
	for _, r := range s.Actions {
		if len(r.Matched) > 0 {
			l, h := indexRange(r.Matched)
			if values == 0 {
				lo, hi = l, h
			}
			lo, hi = min(lo, l), max(hi, h)
			values++
			only = r.Matched
		}
	}
	switch values {
	case 0:
		return nil
	case 1:
		// One value: what it matches has no duplicates.
		s.granted = only
		return only
	}
	seen := newActionSet(lo, hi)
	n := 0
	for _, r := range s.Actions {
		n += len(r.Matched)
	}
	out := make([]*catalog.Action, 0, n)
	for _, r := range s.Actions {
		for _, a := range r.Matched {
			if !seen.has(a) {
				seen.add(a)
				out = append(out, a)
			}
		}
	}
	s.granted, s.grantedSet = out, seen
	return out
}

// grantedSetOf returns Granted as a set.
func (s *Statement) grantedSetOf() actionSet {
	g := s.Granted()
	if s.grantedSet.bits == nil && g != nil {
		s.grantedSet = setOf(g)
	}
	return s.grantedSet
}

// actionSet is a set of catalog actions, one bit per action Index from lo
// on: the actions of a statement are mostly of one service, whose indexes
// are a short range.
type actionSet struct {
	lo   int
	bits []uint64
}

// newActionSet returns an empty set for actions of Index lo to hi.
func newActionSet(lo, hi int) actionSet {
	return actionSet{lo: lo, bits: make([]uint64, (hi-lo)/64+1)}
}

// setOf returns the set of the actions as.
func setOf(as []*catalog.Action) actionSet {
	lo, hi := indexRange(as)
	set := newActionSet(lo, hi)
	for _, a := range as {
		set.add(a)
	}
	return set
}

// indexRange returns the least and the greatest Index of as (0, 0 for none).
func indexRange(as []*catalog.Action) (lo, hi int) {
	if len(as) == 0 {
		return 0, 0
	}
	lo, hi = as[0].Index(), as[0].Index()
	for _, a := range as[1:] {
		lo, hi = min(lo, a.Index()), max(hi, a.Index())
	}
	return lo, hi
}

func (s actionSet) has(a *catalog.Action) bool {
	i := a.Index() - s.lo
	return i >= 0 && i>>6 < len(s.bits) && s.bits[i>>6]&(1<<(i&63)) != 0
}

// add adds a, which must be in the set's range.
func (s actionSet) add(a *catalog.Action) { i := a.Index() - s.lo; s.bits[i>>6] |= 1 << (i & 63) }

// covers reports whether every action of small is in s, and small is not empty.
func (s actionSet) covers(small []*catalog.Action) bool {
	if len(small) == 0 {
		return false
	}
	for _, a := range small {
		if !s.has(a) {
			return false
		}
	}
	return true
}

// Reportf reports a finding at pos with the check's severity.
func (p *Pass) Reportf(pos source.Pos, format string, args ...any) {
	p.ReportSeverity(p.Check.Severity, pos, format, args...)
}

// Report reports a finding as it is given.
func (p *Pass) Report(d source.Diagnostic) { p.report(d) }

// ReportFix reports a finding at pos with the check's severity and the
// edit that resolves it.
func (p *Pass) ReportFix(pos source.Pos, fix source.Fix, format string, args ...any) {
	p.report(source.Diagnostic{File: p.File.Name, Pos: pos, Severity: p.Check.Severity,
		Message: fmt.Sprintf(format, args...), Check: p.Check.ID, Fix: fix})
}

// reportText is Reportf of a message made without fmt.
func (p *Pass) reportText(pos source.Pos, msg string) {
	p.report(source.Diagnostic{File: p.File.Name, Pos: pos, Severity: p.Check.Severity, Message: msg, Check: p.Check.ID})
}

// ReportSeverity reports a finding with an explicit severity.
func (p *Pass) ReportSeverity(sev source.Severity, pos source.Pos, format string, args ...any) {
	p.report(source.Diagnostic{File: p.File.Name, Pos: pos, Severity: sev,
		Message: fmt.Sprintf(format, args...), Check: p.Check.ID})
}

// DetectType guesses the policy type from the content: statements with a
// Principal make a resource-based policy, or a trust policy when every
// action is an sts:AssumeRole* (or TagSession, SetSourceIdentity) action;
// otherwise an identity-based policy. SCPs, RCPs, session and endpoint
// policies cannot be told apart from identity or resource policies by
// content: name them with --type.
func DetectType(p *policy.Policy) policy.Type {
	var g typeGuess
	for _, s := range p.Statements {
		var acts []string
		if s.Action != nil {
			for _, a := range s.Action.Values {
				acts = append(acts, a.Value)
			}
		}
		g.statement(s.Principal != nil || s.NotPrincipal != nil, s.Action != nil, acts)
	}
	return g.result()
}

// typeGuess gathers what the statements show about a policy's type.
type typeGuess struct {
	principal bool // a statement names a principal
	other     bool // a statement grants more than a trust policy can
}

// statement adds one statement: whether it has a Principal, whether it has
// an Action (NotAction, or none, counts as more than trust), its actions.
func (g *typeGuess) statement(principal, hasAction bool, actions []string) {
	g.principal = g.principal || principal
	if !hasAction {
		g.other = true
		return
	}
	for _, a := range actions {
		if !g.other && !isTrustAction(a) {
			g.other = true
		}
	}
}

func (g typeGuess) result() policy.Type {
	switch {
	case g.principal && !g.other:
		return policy.Trust
	case g.principal:
		return policy.Resource
	}
	return policy.Identity
}

// isTrustAction reports whether an action is one a role's trust policy
// grants, in any case: sts:AssumeRole*, TagSession, SetSourceIdentity,
// SetContext.
func isTrustAction(a string) bool {
	l := a
	if len(a) < 4 || !strings.EqualFold(a[:4], "sts:") {
		return false // no lower-case copy of every other action
	}
	for i := 0; i < len(a); i++ {
		if c := a[i]; 'A' <= c && c <= 'Z' || c >= utf8.RuneSelf {
			l = strings.ToLower(a)
			break
		}
	}
	return strings.HasPrefix(l, "sts:assumerole") || l == "sts:tagsession" || l == "sts:setsourceidentity" || l == "sts:setcontext"
}

// Options control a lint run.
type Options struct {
	// Type is the policy type; policy.Any detects it from the content.
	Type policy.Type
	// Checks are the checks to run; nil runs all.
	Checks []*Check
}

// Result is the outcome of linting one document.
type Result struct {
	Type        policy.Type
	Diagnostics []source.Diagnostic
}

// File parses and lints one policy document.
func File(f *source.File, cat *catalog.Catalog, opt Options) Result {
	root, jerrs := jsonpos.Parse(f.Data)
	return fileJSON(f, root, jerrs, cat, opt, nil)
}

// fileJSON is File for a file whose JSON is already parsed (all of
// f.Data), in the memory of sc when it is not nil.
func fileJSON(f *source.File, root *jsonpos.Value, jerrs []*jsonpos.Error, cat *catalog.Catalog, opt Options, sc *scratch) Result {
	var diags []source.Diagnostic
	for _, e := range jerrs {
		diags = append(diags, source.Diagnostic{File: f.Name, Pos: f.Position(e.Offset),
			Severity: source.Error, Message: e.Msg, Check: policy.CheckJSON})
	}
	typ := opt.Type
	if root == nil {
		return Result{Type: typ, Diagnostics: policyIn(sc, f, nil, diags, typ, cat, opt.Checks)}
	}
	if typ == policy.Any {
		typ = detectJSON(root)
	}
	var doc *policy.Policy
	var pdiags []source.Diagnostic
	if sc != nil {
		doc, pdiags = sc.arena.ParseTree(f, root, typ)
	} else {
		doc, pdiags = policy.ParseTree(f, root, typ)
	}
	return Result{Type: typ, Diagnostics: policyIn(sc, f, doc, append(diags, pdiags...), typ, cat, opt.Checks)}
}

// detectJSON is DetectType on the JSON tree, before the policy is built,
// so that the document is parsed once with its type's rules.
func detectJSON(root *jsonpos.Value) policy.Type {
	st := root.Get("Statement")
	if st == nil {
		return policy.Identity
	}
	stmts := st.Elems
	if st.Kind == jsonpos.Object {
		stmts = []*jsonpos.Value{st}
	}
	var g typeGuess
	var buf [16]string
	for _, s := range stmts {
		if s.Kind != jsonpos.Object {
			continue
		}
		acts := buf[:0]
		a := s.Get("Action")
		if a != nil && a.Kind == jsonpos.String {
			acts = append(acts, a.Str)
		} else if a != nil {
			for _, e := range a.Elems {
				acts = append(acts, e.Str)
			}
		}
		g.statement(s.Get("Principal") != nil || s.Get("NotPrincipal") != nil, a != nil, acts)
	}
	return g.result()
}

// Policy runs the checks on a parsed document whose parse diagnostics are
// given. The result is sorted by position.
func Policy(f *source.File, doc *policy.Policy, parseDiags []source.Diagnostic, typ policy.Type, cat *catalog.Catalog, checks []*Check) []source.Diagnostic {
	return policyIn(nil, f, doc, parseDiags, typ, cat, checks)
}

// policyIn is Policy in the memory of sc when it is not nil: only the
// findings are new.
func policyIn(sc *scratch, f *source.File, doc *policy.Policy, parseDiags []source.Diagnostic, typ policy.Type, cat *catalog.Catalog, checks []*Check) []source.Diagnostic {
	if checks == nil {
		checks = Checks()
	}
	var out []source.Diagnostic
	if sc != nil {
		out = sc.diags[:0]
	}
	// One Pass serves every check in turn.
	var p *Pass
	if sc != nil {
		p = &sc.pass
	} else {
		p = new(Pass)
	}
	for _, d := range parseDiags {
		if c := checkByID(checks, d.Check); c != nil {
			d.Severity = c.Severity
			out = append(out, d)
		}
	}
	if doc == nil {
		source.Sort(out)
		return keep(sc, out)
	}
	stmts := analyze(doc, cat, sc)
	*p = Pass{File: f, Policy: doc, Type: typ, Catalog: cat, Statements: stmts, out: out, sc: sc}
	for _, c := range checks {
		if c.Run == nil {
			continue
		}
		p.Check = c
		if err := c.Run(p); err != nil {
			p.report(source.Diagnostic{File: f.Name, Severity: source.Error,
				Message: fmt.Sprintf("internal error in check %s: %v", c.ID, err), Check: c.ID})
		}
	}
	out = p.out
	source.Sort(out)
	out = source.Dedupe(out)
	if sc != nil {
		sc.pass = Pass{}
	}
	return keep(sc, out)
}

// keep returns the findings made in sc's memory as a list of their own,
// and gives sc the memory back.
func keep(sc *scratch, out []source.Diagnostic) []source.Diagnostic {
	if sc == nil {
		return out
	}
	sc.diags = out[:0]
	if len(out) == 0 {
		return nil
	}
	return append([]source.Diagnostic(nil), out...)
}

// checkByID returns the check of checks with this id, or nil.
func checkByID(checks []*Check, id string) *Check {
	for _, c := range checks {
		if c.ID == id {
			return c
		}
	}
	return nil
}

func analyze(doc *policy.Policy, cat *catalog.Catalog, sc *scratch) []*Statement {
	// The statements and their actions in two slabs, sc's when set.
	n := 0
	for _, s := range doc.Statements {
		if acts := actionsOf(s); acts != nil {
			n += len(acts.Values)
		}
	}
	var out []*Statement
	var slab []Statement
	var refs []ActionRef
	if sc != nil {
		out, slab, refs = reuse(&sc.ptrs, len(doc.Statements))[:0], reuse(&sc.stmts, len(doc.Statements)), reuse(&sc.refs, n)
	} else {
		out, slab, refs = make([]*Statement, 0, len(doc.Statements)), make([]Statement, len(doc.Statements)), make([]ActionRef, n)
	}
	for i, s := range doc.Statements {
		st := &slab[i]
		st.Statement = s
		if acts := actionsOf(s); acts != nil {
			st.Actions, refs = refs[:0:len(acts.Values)], refs[len(acts.Values):]
			for _, v := range acts.Values {
				ref := ActionRef{Value: v}
				if Unknown(v.Value) && !strings.Contains(v.Value, ":") {
					// a template's value (${Split}): unknown, matches nothing known
					st.Actions = append(st.Actions, ref)
					continue
				}
				if v.Value == "*" {
					ref.Matched, _ = cat.Expand("*")
				} else {
					ref.Matched, ref.Err = sc.expand(cat, v.Value)
				}
				st.Actions = append(st.Actions, ref)
			}
		}
		out = append(out, st)
	}
	return out
}

// reuse returns n zero values in the memory of *buf, which it grows when
// needed.
func reuse[T any](buf *[]T, n int) []T {
	if cap(*buf) < n {
		*buf = make([]T, n, max(n, 2*cap(*buf)))
	}
	out := (*buf)[:n:n]
	clear(out)
	return out
}

// actionsOf returns the statement's Action, or its NotAction.
func actionsOf(s *policy.Statement) *policy.Strings {
	if s.Action != nil {
		return s.Action
	}
	return s.NotAction
}

// isStar reports whether a Resource element is exactly "*" (alone or among
// its values).
func hasStar(s *policy.Strings) (policy.String, bool) {
	if s == nil {
		return policy.String{}, false
	}
	for _, v := range s.Values {
		if v.Value == "*" {
			return v, true
		}
	}
	return policy.String{}, false
}

// names lists action names for messages, shortened after max.
func names(as []*catalog.Action, max int) string { return namesOf(as, len(as), max) }

// namesOf is names of a list of total actions of which as holds the first
// (at least max+1 of them when there are more than max).
func namesOf(as []*catalog.Action, total, max int) string {
	size := len(" and  more") + 20
	for i, a := range as[:min(len(as), max)] {
		size += 2*min(i, 1) + len(a.String())
	}
	b := make([]byte, 0, size) // one allocation for the text
	for i, a := range as {
		if i == max {
			b = append(b, " and "...)
			b = strconv.AppendInt(b, int64(total-max), 10)
			b = append(b, " more"...)
			break
		}
		if i > 0 {
			b = append(b, ", "...)
		}
		b = append(b, a.String()...)
	}
	return string(b)
}

// Unknown reports whether a value was built by something iamfit does not
// evaluate: a CloudFormation intrinsic rendered as "${...}" that is not
// inside an ARN, or a policy variable standing for the whole value.
// iamfit's own {{Name}} parameters count as unknown too.
func Unknown(v string) bool {
	if strings.Contains(v, "{{") {
		return true
	}
	return strings.HasPrefix(v, "${") || (strings.Contains(v, "${") && !strings.HasPrefix(v, "arn:"))
}

// Template lints every policy document of a CloudFormation template.
func Template(f *source.File, cat *catalog.Catalog, checks []*Check) []source.Diagnostic {
	t, err := cfn.Parse(f)
	if err != nil {
		pos := source.Pos{Line: 1, Col: 1}
		msg := err.Error()
		if e, ok := err.(*cfn.Error); ok {
			pos, msg = e.Pos, e.Msg
		}
		return []source.Diagnostic{{File: f.Name, Pos: pos, Severity: source.Error, Message: msg, Check: TemplateSyntax.ID}}
	}
	var out []source.Diagnostic
	docs, problems := t.Policies()
	if hasCheck(checks, SAMPolicyTemplate.ID) {
		out = append(out, samProblems(f, problems)...)
	}
	for _, d := range docs {
		if d.SAMTemplate != "" {
			out = append(out, samFindings(f, d, cat, checks)...)
			continue
		}
		if d.Text != nil {
			// A document written as a JSON string: its findings point at the string.
			doc, diags := policy.ParseValue(d.Text, d.Value, d.Type)
			for _, diag := range Policy(d.Text, doc, diags, d.Type, cat, checks) {
				diag.Pos, diag.Fix = f.Position(d.At), source.Fix{}
				out = append(out, diag)
			}
			continue
		}
		doc, diags := policy.ParseValue(f, d.Value, d.Type)
		out = append(out, Policy(f, doc, diags, d.Type, cat, checks)...)
	}
	for i := range out {
		out[i].Message = cfn.Display(out[i].Message)
	}
	source.Sort(out)
	return source.Dedupe(out)
}

// wholeService returns the number of actions of the service of as[0] when
// as begins with all of them in catalog order (what "*" and "ec2:*"
// expand to), or 0.
func wholeService(as []*catalog.Action) int {
	if len(as) == 0 {
		return 0
	}
	all := as[0].Service.Actions()
	if len(as) < len(all) {
		return 0
	}
	for i, a := range all {
		if as[i] != a {
			return 0
		}
	}
	return len(all)
}

// serviceKeys returns the condition keys that the actions of a service
// list, each once, made once per service.
func serviceKeys(svc *catalog.Service) []string {
	if v, ok := serviceKeyCache.Load(svc); ok {
		return v.([]string)
	}
	seen := map[string]bool{}
	var out []string
	for _, a := range svc.Actions() {
		for _, k := range a.ConditionKeys {
			if !seen[k] {
				seen[k] = true
				out = append(out, k)
			}
		}
	}
	v, _ := serviceKeyCache.LoadOrStore(svc, out)
	return v.([]string)
}

var serviceKeyCache sync.Map // *catalog.Service -> []string
