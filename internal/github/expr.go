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
}

// Lookup finds an env variable, innermost first.
func (sc *Scope) Lookup(name string) (string, bool) {
	for i := len(sc.Env) - 1; i >= 0; i-- {
		if v, ok := sc.Env[i].Get(name); ok {
			return sc.Expand(v.Value), true
		}
	}
	return "", false
}

var exprRe = regexp.MustCompile(`\$\{\{\s*(.*?)\s*\}\}`)

// Expand resolves every ${{ ... }} in s. What the files do not determine
// becomes a {{Name}} parameter.
func (sc *Scope) Expand(s string) string {
	if !strings.Contains(s, "${{") {
		return s
	}
	return exprRe.ReplaceAllStringFunc(s, func(m string) string {
		return sc.eval(exprRe.FindStringSubmatch(m)[1])
	})
}

func (sc *Scope) eval(e string) string {
	parts := strings.Split(e, ".")
	switch {
	case len(parts) == 2 && parts[0] == "env":
		if v, ok := sc.Lookup(parts[1]); ok {
			return v
		}
		return need.Param(parts[1])
	case len(parts) == 2 && (parts[0] == "vars" || parts[0] == "secrets" || parts[0] == "inputs"):
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
