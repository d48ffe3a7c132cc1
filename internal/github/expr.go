package github

import (
	"regexp"
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
	depth  int
}

// maxExpandDepth bounds nested expansion (matrix values that hold
// expressions, and the like); deeper values become parameters.
const maxExpandDepth = 16

// maxExpanded bounds the length of one expanded value; a longer one
// becomes a parameter instead of growing without bound.
const maxExpanded = 1 << 20

// Lookup finds an env variable, innermost first.
func (sc *Scope) Lookup(name string) (string, bool) { return sc.lookupBelow(name, len(sc.Env)) }

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

var exprRe = regexp.MustCompile(`\$\{\{\s*(.*?)\s*\}\}`)

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
	out := exprRe.ReplaceAllStringFunc(s, func(m string) string {
		return sc.eval(exprRe.FindStringSubmatch(m)[1], limit)
	})
	if len(out) > maxExpanded {
		return need.Param("Unresolved")
	}
	return out
}

func (sc *Scope) eval(e string, limit int) string {
	parts := strings.Split(e, ".")
	switch {
	case len(parts) == 2 && parts[0] == "env":
		if v, ok := sc.lookupBelow(parts[1], limit); ok {
			return v
		}
		return need.Param(parts[1])
	case len(parts) == 2 && parts[0] == "inputs":
		if v, ok := sc.Inputs[parts[1]]; ok {
			return v
		}
		if v, ok := sc.Vars[parts[1]]; ok {
			return v
		}
		return need.Param(parts[1])
	case len(parts) == 2 && (parts[0] == "vars" || parts[0] == "secrets"):
		if v, ok := sc.Vars[parts[1]]; ok {
			return v
		}
		return need.Param(parts[1])
	case len(parts) == 4 && parts[0] == "steps" && parts[2] == "outputs":
		if out, ok := sc.Outputs[parts[1]]; ok {
			if v, ok := out[parts[3]]; ok {
				return v
			}
		}
		return need.Param(parts[1] + "." + parts[3])
	case len(parts) == 2 && parts[0] == "matrix":
		if vals := sc.Matrix[parts[1]]; len(vals) == 1 {
			return sc.Expand(vals[0].Value)
		}
		return need.Param("matrix." + parts[1])
	case len(parts) == 2 && parts[0] == "github":
		return need.Param("github." + parts[1])
	}
	// Anything else (functions, operators): a parameter named after it.
	name := strings.Map(func(r rune) rune {
		if r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '_' || r == '.' || r == '-' {
			return r
		}
		return '_'
	}, e)
	for strings.Contains(name, "__") {
		name = strings.ReplaceAll(name, "__", "_")
	}
	return need.Param(strings.Trim(name, "_"))
}
