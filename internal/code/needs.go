package code

import (
	"fmt"
	"maps"
	"sort"
	"strings"

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
	// EnvPatterns are environment values known only as IAM patterns (see
	// ecs.Deployment): bound as written, where Env values are escaped.
	EnvPatterns map[string]string
	// EnvResources are the ARNs of the resources environment values
	// identify without naming them (see ecs.Deployment): where a call's
	// arguments leave its resource a parameter, they name it.
	EnvResources map[string]string
}

// Resolve returns the call with its environment variables bound: the
// variable's value from the task definition (escaped for IAM), or a
// parameter named after the variable.
func (c Call) Resolve(ctx Context) calls.Call {
	args := map[string][]string{}
	var known []string
	for name, vs := range c.Args {
		for _, v := range vs {
			args[name] = append(args[name], bindEnv(v, ctx.Env, ctx.EnvPatterns))
			for i, piece := range strings.Split(v, envMark) {
				if r, ok := ctx.EnvResources[piece]; ok && i%2 == 1 {
					known = append(known, r)
				}
			}
		}
	}
	sort.Strings(known)
	why := fmt.Sprintf("%s %s.%s", c.Lang, c.Service, c.Operation)
	if c.Via != "" {
		why += " (" + c.Via + ")"
	}
	return calls.Call{Service: c.Service, Operation: c.Operation, Args: args,
		Region: c.region(ctx), Account: ctx.Account, Known: known, Unread: c.Unread,
		Why:  why,
		File: c.File, Pos: source.Pos{Line: c.Line, Col: 1}}
}

// region is the region the call runs in: the one the code gives its
// client, else the task's. AWS_REGION and AWS_DEFAULT_REGION that the
// task definition does not set are the task's region: ECS sets them
// (https://docs.aws.amazon.com/AmazonECS/latest/developerguide/ecs-environment-variables.html).
// A region the code computes in part stays the task's.
func (c Call) region(ctx Context) string {
	if c.Region == "" || strings.Contains(c.Region, "*") {
		return ctx.Region
	}
	env := ctx.Env
	for _, name := range []string{"AWS_REGION", "AWS_DEFAULT_REGION"} {
		if _, ok := env[name]; !ok {
			env = maps.Clone(env)
			if env == nil {
				env = map[string]string{}
			}
			env[name] = ctx.Region
		}
	}
	return bindEnv(c.Region, env, ctx.EnvPatterns)
}

// bindEnv replaces each environment variable of an argument: a pattern
// as written, a value escaped for IAM, else a parameter named after the
// variable.
func bindEnv(v string, env, patterns map[string]string) string {
	if !strings.Contains(v, envMark) {
		return v
	}
	var b strings.Builder
	for i, piece := range strings.Split(v, envMark) {
		if i%2 == 0 {
			b.WriteString(piece)
			continue
		}
		if p, ok := patterns[piece]; ok {
			b.WriteString(p)
		} else if val, ok := env[piece]; ok {
			b.WriteString(escapeIAM(val))
		} else {
			b.WriteString(need.Param(piece))
		}
	}
	return b.String()
}

// Needs turns SDK calls into needs through the calls table. Calls whose
// actions the catalog does not know are reported, not guessed.
func Needs(cs []Call, ctx Context, cat *catalog.Catalog) ([]need.Need, []source.Diagnostic) {
	var out []need.Need
	var diags []source.Diagnostic
	for _, c := range cs {
		if c.provider != "" {
			p := bindEnv(c.provider, ctx.Env, ctx.EnvPatterns)
			op, ok := providerOperation(p)
			if !ok {
				if need.HasParams(p) {
					diags = append(diags, source.Diagnostic{File: c.File, Pos: source.Pos{Line: c.Line, Col: 1}, Severity: source.Warning,
						Message: fmt.Sprintf("the LangChain model's provider is %s, which the task definition does not set: a Bedrock provider calls Amazon Bedrock; its needs are not included", p),
						Check:   "sdk-call-not-understood"})
				}
				continue // another provider: not AWS
			}
			c.Operation, c.Via = op, c.Via+" (provider "+p+")"
		}
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
