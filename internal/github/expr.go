package github

import (
	"strings"

	"github.com/iamfit/iamfit/internal/need"
)

// Scope resolves GitHub expressions: the env: maps in force (workflow,
// job, step, innermost last), step outputs known from earlier steps, and
// matrix values.
type Scope struct {
	Env     []Map
	Outputs map[string]map[string]string // step id -> output -> value
	Matrix  map[string][]String
	// Vars holds values given for vars.X and secrets.X, from the command line.
	Vars map[string]string
	// Inputs holds the with: values a caller gives a reusable workflow or
	// a composite action (inputs.X).
	Inputs map[string]string
	// Github holds the github context values the repository determines
	// (repository, repository_owner).
	Github map[string]string
	// Dispatch holds the workflow_dispatch inputs of the run
	// (github.event.inputs.X).
	Dispatch map[string]string
	// Booleans names the boolean inputs: inputs.X of those is true or
	// false, not a string.
	Booleans map[string]bool
	// Needs holds the outputs of the jobs this one needs: job -> output
	// -> value.
	Needs map[string]map[string]string
	depth int
	// exprs are the expressions parsed for the analysis, shared by its
	// scopes; nil parses each anew.
	exprs exprCache
}

// maxExpandDepth bounds nested expansion (matrix values that hold
// expressions, and the like); deeper values become parameters.
const maxExpandDepth = 16

// maxExpanded bounds the length of one expanded value; a longer one
// becomes a parameter instead of growing without bound.
const maxExpanded = 1 << 20

// Lookup finds an env variable, innermost first.
func (sc *Scope) Lookup(name string) (string, bool) {
	if v, ok := sc.lookupBelow(name, len(sc.Env)); ok {
		return v, true
	}
	// The default variables of every run that the repository determines.
	switch name {
	case "GITHUB_REPOSITORY":
		v, ok := sc.Github["repository"]
		return v, ok
	case "GITHUB_REPOSITORY_OWNER":
		v, ok := sc.Github["repository_owner"]
		return v, ok
	}
	return "", false
}

// lookupBelow finds name in the env: maps below level limit, and expands
// its value with the maps below its own level: as GitHub evaluates them,
// a step's env: entry X: ${{ env.X }} reads the job's or workflow's X,
// never itself, so no chain of env: entries can cycle.
func (sc *Scope) lookupBelow(name string, limit int) (string, bool) {
	for i := min(limit, len(sc.Env)) - 1; i >= 0; i-- {
		if v, ok := sc.Env[i].Get(name); ok {
			return sc.expand(v.Value, i), true
		}
	}
	return "", false
}

// Expand resolves every ${{ ... }} in s. What the files do not determine
// becomes a {{Name}} parameter.
func (sc *Scope) Expand(s string) string { return sc.expand(s, len(sc.Env)) }

// expand resolves s with the env: maps below level limit.
func (sc *Scope) expand(s string, limit int) string {
	if !strings.Contains(s, "${{") {
		return s
	}
	if sc.depth >= maxExpandDepth {
		return need.Param("Unresolved")
	}
	sc.depth++
	defer func() { sc.depth-- }()
	var b strings.Builder
	rest := s
	for {
		i := strings.Index(rest, "${{")
		if i < 0 {
			b.WriteString(rest)
			break
		}
		b.WriteString(rest[:i])
		body := rest[i+3:]
		n, names, used, err := sc.exprs.parse(body)
		if err != nil {
			// Not an expression actionlint parses: a parameter named
			// after its text, up to the closing braces.
			end := strings.Index(body, "}}")
			if end < 0 {
				b.WriteString(rest[i:])
				break
			}
			b.WriteString(need.Param(exprName(body[:end])))
			rest = body[end+2:]
			continue
		}
		ev := &evaluator{sc: sc, limit: limit, names: names}
		v := ev.eval(n)
		if v.kind == vUnknown && v.param == "" {
			v.param = exprName(strings.TrimSuffix(strings.TrimSpace(body[:used]), "}}"))
		}
		b.WriteString(v.String())
		rest = body[used:]
		if b.Len() > maxExpanded {
			return need.Param("Unresolved")
		}
	}
	out := b.String()
	if len(out) > maxExpanded {
		return need.Param("Unresolved")
	}
	return out
}

// exprName names the parameter of an expression the files do not
// determine after its text: "github.event.inputs.tag" stays as it is,
// operators and calls become underscores.
func exprName(e string) string {
	name := strings.Map(func(r rune) rune {
		if r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '_' || r == '.' || r == '-' {
			return r
		}
		return '_'
	}, strings.TrimSpace(e))
	for strings.Contains(name, "__") {
		name = strings.ReplaceAll(name, "__", "_")
	}
	name = strings.Trim(name, "_")
	if name == "" {
		return "Unresolved"
	}
	return name
}
