package code

import (
	"fmt"
	"maps"
	"slices"
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
	// Secrets are the environment variables the task definition sets
	// from secrets (their values are not known, but they are set).
	Secrets map[string]bool
}

// defaultCredentials reports access keys the code gives that are an
// environment variable the task definition does not set: unset, they are
// None, and the SDK takes the task's credentials.
func (ctx Context) defaultCredentials(keys string) bool {
	name, ok := envName(keys)
	if !ok {
		return false
	}
	v, set := ctx.Env[name]
	_, pattern := ctx.EnvPatterns[name]
	return (!set || v == "") && !pattern && !ctx.Secrets[name] // an empty value is no key
}

// envName returns the variable of an argument that is exactly one
// environment variable.
func envName(v string) (string, bool) {
	if len(v) > 2 && strings.HasPrefix(v, envMark) && strings.HasSuffix(v, envMark) && strings.Count(v, envMark) == 2 {
		return strings.Trim(v, envMark), true
	}
	return "", false
}

// shown is an argument as the source writes it: an environment variable
// by its name.
func shown(v string) string { return strings.ReplaceAll(v, envMark, "") }

// Resolve returns the call with its environment variables bound: the
// variable's value from the task definition (escaped for IAM), or a
// parameter named after the variable.
func (c Call) Resolve(ctx Context) calls.Call {
	args := map[string][]string{}
	var known []string
	var params map[string]string
	for name, vs := range c.Args {
		if p, ok := strings.CutPrefix(name, hintPrefix); ok {
			if _, given := c.Args[p]; !given && len(vs) > 0 {
				if params == nil {
					params = map[string]string{}
				}
				params[p] = vs[0]
			}
			continue
		}
		if strings.HasPrefix(name, envMark) {
			continue
		}
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
		Region: c.region(ctx), Account: ctx.Account, Known: known, Unread: c.Unread, Params: params,
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

// Needs turns the SDK calls made with the task's credentials into needs
// through the calls table. Calls whose actions the catalog does not know
// are reported, not guessed. Calls made with an assumed role's
// credentials are that role's (see Assumed); calls made with access keys
// the code gives are their user's: reported, not granted.
func Needs(cs []Call, ctx Context, cat *catalog.Catalog) ([]need.Need, []source.Diagnostic) {
	var out []need.Need
	var diags []source.Diagnostic
	for _, c := range cs {
		if c.AssumedRole != "" {
			continue
		}
		if c.Keys != "" && !ctx.defaultCredentials(c.Keys) {
			diags = append(diags, source.Diagnostic{File: c.File, Pos: source.Pos{Line: c.Line, Col: 1}, Severity: source.Warning,
				Message: fmt.Sprintf("%s.%s is made with access keys from %s, not with the task role's credentials: its needs are not in the task role", c.Service, c.Operation, shown(c.Keys)),
				Check:   "sdk-other-credentials"})
			continue
		}
		ns, ds := c.needs(ctx, cat)
		out = append(out, ns...)
		diags = append(diags, ds...)
	}
	return out, diags
}

// Assumption is a role the code assumes (sts:AssumeRole, which the task
// role needs) and what the calls made with its credentials need.
type Assumption struct {
	Role    string // the role's ARN, or a parameter
	Account string // the account of its resources: the role's, or a parameter
	Needs   []need.Need
	// File and Line are the first call made with its credentials.
	File string
	Line int
	// At are the sts:AssumeRole calls that give its credentials
	// ("file:line"), where the reader saw them.
	At []string
}

// Assumed returns, for each role the code assumes, the needs of the calls
// made with its credentials, in the order first seen.
func Assumed(cs []Call, ctx Context, cat *catalog.Catalog) ([]Assumption, []source.Diagnostic) {
	var out []Assumption
	var diags []source.Diagnostic
	index := map[string]int{}
	for _, c := range cs {
		if c.AssumedRole == "" {
			continue
		}
		role := bindEnv(c.AssumedRole, ctx.Env, ctx.EnvPatterns)
		i, ok := index[role]
		if !ok {
			i = len(out)
			index[role] = i
			out = append(out, Assumption{Role: role, Account: roleAccount(role), File: c.File, Line: c.Line})
		}
		if c.AssumedAt != "" && !slices.Contains(out[i].At, c.AssumedAt) {
			out[i].At = append(out[i].At, c.AssumedAt)
		}
		rc := ctx
		rc.Account = out[i].Account
		ns, ds := c.needs(rc, cat)
		out[i].Needs = append(out[i].Needs, ns...)
		diags = append(diags, ds...)
	}
	return out, diags
}

// roleAccount is the account of a role's ARN, else a parameter named
// after the role's.
func roleAccount(role string) string {
	if parts := strings.SplitN(role, ":", 6); len(parts) == 6 && parts[0] == "arn" && len(parts[4]) == 12 && !need.HasParams(parts[4]) {
		return parts[4]
	}
	name := "AssumedRole"
	if ps := need.Params(role); len(ps) == 1 {
		name = ps[0]
	}
	return need.Param("AccountId_" + strings.NewReplacer(".", "_", "-", "_").Replace(name))
}

// needs is one call's needs, with the LangChain provider bound.
func (c Call) needs(ctx Context, cat *catalog.Catalog) ([]need.Need, []source.Diagnostic) {
	if c.provider != "" {
		p := bindEnv(c.provider, ctx.Env, ctx.EnvPatterns)
		op, ok := providerOperation(p)
		if !ok {
			if need.HasParams(p) {
				return nil, []source.Diagnostic{{File: c.File, Pos: source.Pos{Line: c.Line, Col: 1}, Severity: source.Warning,
					Message: fmt.Sprintf("the LangChain model's provider is %s, which the task definition does not set: a Bedrock provider calls Amazon Bedrock; its needs are not included", p),
					Check:   "sdk-call-not-understood"}}
			}
			return nil, nil // another provider: not AWS
		}
		c.Operation, c.Via = op, c.Via+" (provider "+p+")"
	}
	ns, err := calls.Needs(c.Resolve(ctx), cat)
	if err != nil {
		return nil, []source.Diagnostic{{File: c.File, Pos: source.Pos{Line: c.Line, Col: 1},
			Severity: source.Warning, Message: err.Error() + "; its needs are not included", Check: "unknown-call"}}
	}
	return ns, nil
}
