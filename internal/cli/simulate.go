package cli

import (
	"bufio"
	"bytes"
	"fmt"
	"io"
	"runtime"
	"runtime/debug"
	"strings"
	"sync"
	"unicode/utf8"

	"github.com/iamfit/iamfit/internal/arn"
	"github.com/iamfit/iamfit/internal/catalog"
	"github.com/iamfit/iamfit/internal/eval"
	"github.com/iamfit/iamfit/internal/policy"
	"github.com/iamfit/iamfit/internal/render"
)

const simulateDoc = `
Decide IAM requests offline with AWS's policy evaluation logic, and show the
statements that decided them.

Policies: --policy (identity-based, repeatable), --resource-policy (the
resource's policy; for sts:AssumeRole* the role's trust policy),
--boundary (permissions boundary), --scp and --rcp (one file per
organization level: root first, then OUs, then the account), --session-policy
and --endpoint-policy.

One request from flags: --principal, --action, --resource (default "*"),
--context key=value (repeat a key for a multivalued key). For a web identity
(GitHub Actions OIDC) give --oidc-provider and the token's claims with
--claim; the principal becomes the provider, the action
sts:AssumeRoleWithWebIdentity and --resource is the role ARN.

Many requests: without --action, iamfit reads JSON Lines from standard
input, one request per line:
  {"principal": "ARN", "action": "svc:Action", "resource": "ARN", "context": {"key": "value"}}
The policies are loaded once; decisions come out in input order.

Exit status: 0 when every request is allowed, 1 when any is denied, 2 for
bad input.

Examples:
  iamfit simulate --policy examples/push-to-ecr/policy.json \
    --principal arn:aws:sts::123456789012:assumed-role/gh-push/run \
    --action ecr:PutImage --resource arn:aws:ecr:us-east-1:123456789012:repository/web
  iamfit simulate --resource-policy trust.json --oidc-provider token.actions.githubusercontent.com \
    --resource arn:aws:iam::123456789012:role/deploy \
    --claim sub=repo:octo/app:ref:refs/heads/main --claim aud=sts.amazonaws.com
  iamfit simulate --policy policy.json --format json < requests.jsonl`

func (c *Command) simulate(args []string) int {
	f := c.newFlags("simulate", "[flags]", simulateDoc)
	var identity, scps, rcps, contexts, claims, endpoints stringList
	f.Var(&identity, "policy", "identity-based policy `file` (repeatable)")
	resourcePolicy := f.String("resource-policy", "", "resource-based or trust policy `file`")
	boundary := f.String("boundary", "", "permissions boundary policy `file`")
	f.Var(&scps, "scp", "service control policy `file`, one per organization level (repeatable)")
	f.Var(&rcps, "rcp", "resource control policy `file`, one per organization level (repeatable)")
	session := f.String("session-policy", "", "session policy `file`")
	f.Var(&endpoints, "endpoint-policy", "VPC endpoint policy `file` (repeatable)")
	principal := f.String("principal", "", "the caller: an IAM user, role or role-session ARN, or a service principal")
	action := f.String("action", "", "the action, service:Action (without it, requests are read as JSON Lines from stdin)")
	resource := f.String("resource", "*", "the resource ARN")
	resourceAccount := f.String("resource-account", "", "the account that owns the resource, when its ARN has none")
	anonymous := f.Bool("anonymous", false, "an unauthenticated request")
	f.Var(&contexts, "context", "request context `key=value` (repeatable)")
	provider := f.String("oidc-provider", "", "web identity: the OIDC provider host, such as token.actions.githubusercontent.com")
	f.Var(&claims, "claim", "web identity: a token claim `name=value` (repeatable), such as sub=repo:octo/app:ref:refs/heads/main")
	format := f.String("format", "text", "output format: text or json (one JSON object per request)")
	quiet := f.Bool("quiet", false, "print nothing; only the exit status tells")
	rest, code := f.parse(args)
	if code >= 0 {
		return code
	}
	if len(rest) > 0 {
		return c.fail("simulate", "unexpected argument %q (policies are given with --policy and the like)", rest[0])
	}
	out, ok := render.LookupDecisions(*format)
	if !ok {
		return c.fail("simulate", "unknown --format %q (want %s)", *format, render.DecisionFormats())
	}
	if *quiet {
		out = render.QuietDecisions
	}
	cat, err := loadCatalog()
	if err != nil {
		return c.exit("simulate", err)
	}

	var in eval.Input
	loader := &policyLoader{c: c}
	load := loader.load
	for _, p := range identity {
		in.Identity = append(in.Identity, load(eval.IdentityPolicy, policy.Identity, p))
	}
	if *resourcePolicy != "" {
		in.Resource = append(in.Resource, load(eval.ResourcePolicy, policy.Resource, *resourcePolicy))
	}
	if *boundary != "" {
		in.Boundary = append(in.Boundary, load(eval.PermissionsBoundary, policy.Identity, *boundary))
	}
	for _, p := range scps {
		in.SCPs = append(in.SCPs, eval.Level{Name: p, Policies: []*eval.Policy{load(eval.SCP, policy.SCP, p)}})
	}
	for _, p := range rcps {
		in.RCPs = append(in.RCPs, eval.Level{Name: p, Policies: []*eval.Policy{load(eval.RCP, policy.RCP, p)}})
	}
	if *session != "" {
		in.Session = append(in.Session, load(eval.SessionPolicy, policy.Session, *session))
	}
	for _, p := range endpoints {
		in.Endpoint = append(in.Endpoint, load(eval.EndpointPolicy, policy.Endpoint, p))
	}
	if loader.failed {
		return ExitUsage
	}
	if len(in.Identity)+len(in.Resource) == 0 {
		return c.fail("simulate", "no policy that could allow anything: give --policy or --resource-policy")
	}
	set := eval.Compile(in, cat)

	if *action == "" && *provider == "" {
		if *principal != "" || len(contexts) > 0 || *anonymous {
			return c.fail("simulate", "--principal, --context and --anonymous need --action (or give requests as JSON Lines on stdin)")
		}
		return c.simulateBatch(set, cat, out)
	}

	r := &eval.Request{Principal: *principal, Action: *action, Resource: *resource,
		ResourceAccount: *resourceAccount, Anonymous: *anonymous, Context: eval.NewContext()}
	if err := setContext(r.Context, contexts, cat); err != nil {
		return c.exit("simulate", err)
	}
	if *provider != "" {
		if err := webIdentity(r, *provider, claims); err != nil {
			return c.exit("simulate", err)
		}
	} else if len(claims) > 0 {
		return c.fail("simulate", "--claim needs --oidc-provider")
	}
	if r.Action != "" && !strings.ContainsAny(r.Action, "*?") && cat.Action(r.Action) == nil {
		if _, err := cat.Expand(r.Action); err != nil {
			return c.exit("simulate", err)
		}
	}
	if err := r.Validate(); err != nil {
		return c.exit("simulate", err)
	}
	d := set.Evaluate(r)
	if b := out.Append(nil, r, &d); len(b) > 0 {
		c.Stdout.Write(b)
	}
	if d.Result != eval.Allowed {
		return ExitFindings
	}
	return ExitOK
}

// setContext applies --context key=value flags. A key given twice, or a
// key the catalog types as multivalued, becomes a multivalued key.
func setContext(ctx *eval.Context, kvs []string, cat *catalog.Catalog) error {
	vals := map[string][]string{}
	var order []string
	for _, kv := range kvs {
		k, v, ok := strings.Cut(kv, "=")
		if !ok || k == "" {
			return fmt.Errorf("--context %q: want key=value", kv)
		}
		if _, seen := vals[k]; !seen {
			order = append(order, k)
		}
		vals[k] = append(vals[k], v)
	}
	for _, k := range order {
		multi := len(vals[k]) > 1
		if ck := cat.ConditionKey(k); ck != nil && ck.Type.Multivalued() {
			multi = true
		}
		if multi {
			ctx.SetMulti(k, vals[k]...)
		} else {
			ctx.Set(k, vals[k][0])
		}
	}
	return nil
}

// webIdentity turns the request into sts:AssumeRoleWithWebIdentity from
// the provider's token with the given claims.
func webIdentity(r *eval.Request, provider string, claims []string) error {
	provider = strings.TrimPrefix(strings.TrimSuffix(provider, "/"), "https://")
	role, err := arn.Parse(r.Resource)
	if err != nil || role.Service != "iam" || !strings.HasPrefix(role.Resource, "role/") {
		return fmt.Errorf("--oidc-provider needs --resource to be the role ARN, such as arn:aws:iam::123456789012:role/deploy")
	}
	if r.Principal == "" {
		r.Principal = "arn:" + role.Partition + ":iam::" + role.Account + ":oidc-provider/" + provider
	}
	if r.Action == "" {
		r.Action = "sts:AssumeRoleWithWebIdentity"
	}
	for _, kv := range claims {
		k, v, ok := strings.Cut(kv, "=")
		if !ok || k == "" {
			return fmt.Errorf("--claim %q: want name=value", kv)
		}
		r.Context.Set(provider+":"+k, v)
	}
	return nil
}

// simulateBatch decides JSON Lines requests from stdin, in parallel, and
// writes the results in input order.
func (c *Command) simulateBatch(set *eval.Set, cat *catalog.Catalog, out *render.DecisionFormat) int {
	// A chunk is whole lines of the input, read as one block and decided
	// by one worker into its own output.
	type chunk struct {
		first int    // line number of the first line
		text  string // the lines, each but maybe the last ending in '\n'
		lines int    // how many
		out   []byte
		err   string
		deny  bool
		done  chan struct{}
	}
	const (
		chunkBytes = 128 << 10
		maxLine    = 16 << 20 // as long as a line may be
	)
	// Each request is small garbage; a larger GC target trades a few MB of
	// memory for a third less time on big batches.
	defer debug.SetGCPercent(debug.SetGCPercent(400))
	workers := runtime.GOMAXPROCS(0)
	todo := make(chan *chunk, workers*2)
	ordered := make(chan *chunk, workers*4)
	// Written chunks are used again, so that their output storage is
	// allocated once for the batch.
	free := make(chan *chunk, workers*8)
	newChunk := func() *chunk {
		select {
		case ch := <-free:
			ch.out, ch.err, ch.deny, ch.done = ch.out[:0], "", false, make(chan struct{})
			return ch
		default:
			return &chunk{done: make(chan struct{})}
		}
	}
	var wg sync.WaitGroup
	for i := 0; i < workers; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			var d eval.Decision
			dec := eval.NewRequestDecoder(cat)
			for ch := range todo {
				// The requests' strings are substrings of the chunk's text.
				text, lineNo := ch.text, ch.first
				for ; text != ""; lineNo++ {
					line := text
					if i := strings.IndexByte(text, '\n'); i >= 0 {
						line, text = text[:i], text[i+1:]
					} else {
						text = ""
					}
					line = strings.TrimSpace(line)
					if len(line) == 0 {
						continue
					}
					r, err := dec.Decode(line)
					if err != nil {
						col := 1
						if re, ok := err.(*eval.RequestError); ok {
							col = utf8.RuneCountInString(line[:min(re.Offset, len(line))]) + 1
						}
						ch.err = fmt.Sprintf("<stdin>:%d:%d: %v", lineNo, col, err)
						break
					}
					set.EvaluateInto(r, &d)
					if d.Result != eval.Allowed {
						ch.deny = true
					}
					ch.out = out.Append(ch.out, r, &d)
				}
				close(ch.done)
			}
		}()
	}
	// Reader: stdin in blocks of whole lines, each a chunk. A line that
	// does not end in the block is carried to the next, which grows for a
	// line longer than a block.
	readErr := make(chan error, 1)
	go func() {
		buf := make([]byte, 0, chunkBytes)
		lineNo := 1
		send := func(text []byte) {
			ch := newChunk()
			ch.first, ch.text = lineNo, string(text)
			ch.lines = bytes.Count(text, []byte{'\n'})
			if len(text) > 0 && text[len(text)-1] != '\n' {
				ch.lines++
			}
			lineNo += ch.lines
			todo <- ch
			ordered <- ch
		}
		var err error
		for err == nil {
			if len(buf) == cap(buf) {
				// The buffer is one line, not ended yet.
				if len(buf) >= maxLine {
					err = bufio.ErrTooLong
					break
				}
				grown := make([]byte, len(buf), min(2*cap(buf), maxLine))
				buf = grown[:copy(grown, buf)]
			}
			var n int
			n, err = c.Stdin.Read(buf[len(buf):cap(buf)])
			buf = buf[:len(buf)+n]
			if len(buf) < cap(buf) && err == nil {
				continue
			}
			if i := bytes.LastIndexByte(buf, '\n'); i >= 0 {
				send(buf[:i+1])
				buf = buf[:copy(buf, buf[i+1:])]
			}
		}
		if err == io.EOF {
			err = nil
			if len(buf) > 0 {
				send(buf)
			}
		}
		close(todo)
		close(ordered)
		readErr <- err
	}()
	anyDeny, failed, n := false, "", 0
	for ch := range ordered {
		<-ch.done
		n += ch.lines
		if failed == "" {
			if len(ch.out) > 0 {
				c.Stdout.Write(ch.out)
			}
			anyDeny = anyDeny || ch.deny
			if ch.err != "" {
				failed = ch.err
			}
		}
		select {
		case free <- ch:
		default:
		}
	}
	wg.Wait()
	if err := <-readErr; err != nil {
		fmt.Fprintf(c.Stderr, "iamfit simulate: reading stdin: %v\n", err)
		return ExitUsage
	}
	if failed != "" {
		fmt.Fprintf(c.Stderr, "iamfit simulate: %s\n", failed)
		return ExitUsage
	}
	if n == 0 {
		return c.fail("simulate", "no --action and no requests on stdin (see iamfit simulate --help)")
	}
	if anyDeny {
		return ExitFindings
	}
	return ExitOK
}
