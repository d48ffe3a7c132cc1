package github

import (
	"strings"

	"github.com/rhysd/actionlint"

	"github.com/iamfit/iamfit/internal/catalog"
)

// maxCandidates bounds the subjects one if: condition can split a
// candidate into.
const maxCandidates = 64

// narrowAll narrows each candidate by a job's if: condition: a run the
// condition excludes (github.event_name, github.ref, github.ref_name,
// startsWith(github.ref, ...)) presents no subject; a wide ref pattern
// that the condition pins becomes the refs it admits.
func (a *analyzer) narrowAll(st *jobState, cond *String, cands []candidate) []candidate {
	src := strings.TrimSpace(cond.Value)
	if strings.HasPrefix(src, "${{") {
		src = strings.TrimPrefix(src, "${{")
	} else {
		src += "}}"
	}
	if !strings.HasSuffix(src, "}}") {
		src += "}}"
	}
	n, names, _, err := a.exprs.parse(src)
	if err != nil {
		return cands
	}
	var out []candidate
	for _, c := range cands {
		for _, nc := range a.narrow(st, n, names, c) {
			if nc.ctx != c.ctx || nc.narrowedBy != nil && c.narrowedBy == nil {
				nc.narrowedBy = cond
			}
			out = append(out, nc)
		}
	}
	return dedupeCands(out)
}

func dedupeCands(cs []candidate) []candidate {
	seen := map[string]bool{}
	var out []candidate
	for _, c := range cs {
		if !seen[c.ctx] {
			seen[c.ctx] = true
			out = append(out, c)
		}
	}
	return out
}

// ref returns the candidate's ref ("" for a pull request or environment).
func (c candidate) ref() string { r, _ := strings.CutPrefix(c.ctx, "ref:"); return r }

func (c candidate) isRef() bool { return strings.HasPrefix(c.ctx, "ref:") }

func concrete(s string) bool { return !strings.ContainsAny(s, "*?") && !strings.Contains(s, "{{") }

// narrow returns what remains of c under condition n.
func (a *analyzer) narrow(st *jobState, n actionlint.ExprNode, names map[string]string, c candidate) []candidate {
	switch n := n.(type) {
	case *actionlint.LogicalOpNode:
		left := a.narrow(st, n.Left, names, c)
		if n.Kind == actionlint.LogicalOpNodeKindAnd {
			var out []candidate
			for _, l := range left {
				out = append(out, a.narrow(st, n.Right, names, l)...)
			}
			return dedupeCands(out)
		}
		right := a.narrow(st, n.Right, names, c)
		return dedupeCands(append(left, right...))
	case *actionlint.CompareOpNode:
		if n.Kind == actionlint.CompareOpNodeKindEq {
			if field, lit, ok := refComparison(n); ok {
				return narrowEq(c, field, lit)
			}
		}
	case *actionlint.FuncCallNode:
		if strings.EqualFold(n.Callee, "startsWith") && len(n.Args) == 2 {
			if field, ok := githubField(n.Args[0]); ok && field == "ref" {
				if lit, ok := n.Args[1].(*actionlint.StringNode); ok {
					return narrowPrefix(c, lit.Value)
				}
			}
		}
	}
	// Otherwise: evaluate with what the candidate's run knows; a condition
	// that is false for it drops it.
	sc := st.jobLevel()
	ev := &evaluator{sc: sc, limit: len(sc.Env), names: names, github: runContext(c)}
	v := ev.eval(n)
	if t, ok := v.truthy(); ok && !t {
		return nil
	}
	return []candidate{c}
}

// runContext is the github context a candidate's runs have.
func runContext(c candidate) map[string]value {
	ctx := map[string]value{}
	if c.event != "" {
		ctx["event_name"] = strValue(c.event)
	}
	if c.isRef() {
		ref := c.ref()
		// A pattern (refs/heads/*) still says whether the runs are of a
		// branch or a tag.
		switch {
		case strings.HasPrefix(ref, "refs/heads/"):
			ctx["ref_type"] = strValue("branch")
		case strings.HasPrefix(ref, "refs/tags/"):
			ctx["ref_type"] = strValue("tag")
		}
		if concrete(ref) {
			ctx["ref"] = strValue(ref)
			switch {
			case strings.HasPrefix(ref, "refs/heads/"):
				ctx["ref_name"] = strValue(strings.TrimPrefix(ref, "refs/heads/"))
			case strings.HasPrefix(ref, "refs/tags/"):
				ctx["ref_name"] = strValue(strings.TrimPrefix(ref, "refs/tags/"))
			}
		}
	}
	if c.ctx == "pull_request" {
		// A pull request run's ref is refs/pull/N/merge: never a branch.
		ctx["ref_type"] = strValue("branch")
	}
	return ctx
}

// githubField reports github.FIELD.
func githubField(n actionlint.ExprNode) (string, bool) {
	d, ok := n.(*actionlint.ObjectDerefNode)
	if !ok {
		return "", false
	}
	v, ok := d.Receiver.(*actionlint.VariableNode)
	if !ok || v.Name != "github" {
		return "", false
	}
	return d.Property, true
}

// refComparison reports github.ref == 'lit' or github.ref_name == 'lit'
// (either way round).
func refComparison(n *actionlint.CompareOpNode) (field, lit string, ok bool) {
	for _, pair := range [][2]actionlint.ExprNode{{n.Left, n.Right}, {n.Right, n.Left}} {
		f, isField := githubField(pair[0])
		s, isLit := pair[1].(*actionlint.StringNode)
		if isField && isLit && (f == "ref" || f == "ref_name") {
			return f, s.Value, true
		}
	}
	return "", "", false
}

// narrowEq keeps the refs of c that equal the literal.
func narrowEq(c candidate, field, lit string) []candidate {
	if !c.isRef() {
		// A pull request's ref is refs/pull/N/merge, its ref_name N/merge:
		// never equal to a branch or tag.
		if c.ctx == "pull_request" && !strings.HasPrefix(lit, "refs/pull/") && !strings.HasSuffix(lit, "/merge") {
			return nil
		}
		return []candidate{c}
	}
	refs := []string{lit}
	if field == "ref_name" {
		refs = []string{"refs/heads/" + lit, "refs/tags/" + lit}
	}
	var out []candidate
	for _, r := range refs {
		if catalog.Match(strings.ToLower(c.ref()), strings.ToLower(r)) && len(out) < maxCandidates {
			nc := c
			nc.ctx = "ref:" + r
			out = append(out, nc)
		}
	}
	return out
}

// narrowPrefix keeps the refs of c that start with prefix.
func narrowPrefix(c candidate, prefix string) []candidate {
	if !c.isRef() {
		if c.ctx == "pull_request" && !strings.HasPrefix("refs/pull/", prefix) && !strings.HasPrefix(prefix, "refs/pull/") {
			return nil
		}
		return []candidate{c}
	}
	ref := c.ref()
	if concrete(ref) {
		if strings.HasPrefix(strings.ToLower(ref), strings.ToLower(prefix)) {
			return []candidate{c}
		}
		return nil
	}
	// A pattern P* (the forms triggers produce end in one *).
	if p, ok := strings.CutSuffix(ref, "*"); ok && concrete(p) {
		switch {
		case strings.HasPrefix(prefix, p):
			if !concrete(prefix) {
				return []candidate{c}
			}
			nc := c
			nc.ctx = "ref:" + prefix + "*"
			return []candidate{nc}
		case strings.HasPrefix(p, prefix):
			return []candidate{c}
		default:
			return nil
		}
	}
	return []candidate{c}
}
