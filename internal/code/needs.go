package code

import (
	"fmt"

	"github.com/iamfit/iamfit/internal/calls"
	"github.com/iamfit/iamfit/internal/catalog"
	"github.com/iamfit/iamfit/internal/need"
	"github.com/iamfit/iamfit/internal/source"
)

// Context resolves what the code leaves to the environment.
type Context struct {
	Region, Account string
	// Env is the container environment from the task definition.
	Env map[string]string
}

// Resolve returns the call with its environment arguments resolved: the
// variable's value from the task definition, or a parameter named after
// the variable; literal arguments win.
func (c Call) Resolve(ctx Context) calls.Call {
	args := map[string][]string{}
	for name, env := range c.Env {
		if v, ok := ctx.Env[env]; ok {
			args[name] = []string{v}
		} else {
			args[name] = []string{need.Param(env)}
		}
	}
	for name, v := range c.Args {
		args[name] = v
	}
	return calls.Call{Service: c.Service, Operation: c.Operation, Args: args,
		Region: ctx.Region, Account: ctx.Account,
		Why:  fmt.Sprintf("%s %s.%s", c.Lang, c.Service, c.Operation),
		File: c.File, Pos: source.Pos{Line: c.Line, Col: 1}}
}

// Needs turns SDK calls into needs through the calls table. Calls whose
// actions the catalog does not know are reported, not guessed.
func Needs(cs []Call, ctx Context, cat *catalog.Catalog) ([]need.Need, []source.Diagnostic) {
	var out []need.Need
	var diags []source.Diagnostic
	for _, c := range cs {
		ns, err := calls.Needs(c.Resolve(ctx), cat)
		if err != nil {
			diags = append(diags, source.Diagnostic{File: c.File, Pos: source.Pos{Line: c.Line, Col: 1},
				Severity: source.Warning, Message: err.Error() + "; its needs are not included", Check: "unknown-call"})
			continue
		}
		out = append(out, ns...)
	}
	return out, diags
}
