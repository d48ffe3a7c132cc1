package cli

import (
	"fmt"
	"io"
	"sort"
	"strings"

	"github.com/iamfit/iamfit/internal/catalog"
	"github.com/iamfit/iamfit/internal/cloudtrail"
	"github.com/iamfit/iamfit/internal/eval"
	"github.com/iamfit/iamfit/internal/explain"
	"github.com/iamfit/iamfit/internal/pipeline"
	"github.com/iamfit/iamfit/internal/policy"
)

const explainDoc = `
Explain an AWS authorization failure: which principal, action and resource,
which policy type denied it, and the smallest statement that would allow it.

The MESSAGE (arguments, or standard input) may be any form AWS prints:
"User: ARN is not authorized to perform: ACTION on resource: ARN because no
identity-based policy allows ...", "... with an explicit deny in a service
control policy", the older form without "because", the CLI's "An error
occurred (AccessDeniedException) when calling the X operation: ..." wrapper,
"Not authorized to perform sts:AssumeRoleWithWebIdentity", or the JSON of
aws sts decode-authorization-message.

With the policies in force (--policy, --boundary, --scp, --resource-policy,
--session-policy) iamfit simulates the request and points at the statement
that denies it or says why none allows it. For a web identity, --trust with
--sub and --aud (the token's claims) says which condition rejects the token.

With --cloudtrail PATH (a log file, a directory of them as delivered to S3,
gzipped or not, or aws cloudtrail lookup-events output) iamfit lists every
denied call with its diagnosis; failed AssumeRoleWithWebIdentity events carry
the token's subject and audience, checked against --trust and, with
--workflows DIR, against the subjects the workflows produce.

Examples:
  iamfit explain "User: arn:aws:sts::123456789012:assumed-role/deploy/gh is not authorized to perform: ecs:UpdateService on resource: arn:aws:ecs:us-east-1:123456789012:service/prod/web because no identity-based policy allows the ecs:UpdateService action"
  iamfit explain --trust trust.json --sub repo:octo/app:ref:refs/heads/feature --aud sts.amazonaws.com "Not authorized to perform sts:AssumeRoleWithWebIdentity"
  iamfit explain --cloudtrail logs/ --trust trust.json --workflows .`

func (c *Command) explain(args []string) int {
	f := c.newFlags("explain", "[flags] [MESSAGE]", explainDoc)
	var identity, scps stringList
	f.Var(&identity, "policy", "identity-based policy `file` of the principal (repeatable)")
	boundary := f.String("boundary", "", "permissions boundary `file`")
	f.Var(&scps, "scp", "service control policy `file`, one per organization level (repeatable)")
	resourcePolicy := f.String("resource-policy", "", "resource-based policy `file`")
	session := f.String("session-policy", "", "session policy `file`")
	trustFile := f.String("trust", "", "the role's trust policy `file`, for web identity failures")
	sub := f.String("sub", "", "web identity: the token's subject, such as repo:octo/app:ref:refs/heads/main")
	aud := f.String("aud", "sts.amazonaws.com", "web identity: the token's audience")
	role := f.String("role", "", "web identity: the role ARN the token was presented for")
	workflows := f.String("workflows", "", "a repository `DIR`: compare web identity subjects with what its workflows produce")
	repo := f.String("repo", "", "with --workflows: the repository owner/name")
	trail := f.String("cloudtrail", "", "CloudTrail log file or directory `PATH`: explain every denied call")
	rest, code := f.parse(args)
	if code >= 0 {
		return code
	}
	cat, err := loadCatalog()
	if err != nil {
		return c.exit("explain", err)
	}
	in := eval.Input{}
	loader := &policyLoader{c: c}
	load := loader.load
	for _, p := range identity {
		in.Identity = append(in.Identity, load(eval.IdentityPolicy, policy.Identity, p))
	}
	if *boundary != "" {
		in.Boundary = []*eval.Policy{load(eval.PermissionsBoundary, policy.Identity, *boundary)}
	}
	for _, p := range scps {
		in.SCPs = append(in.SCPs, eval.Level{Name: p, Policies: []*eval.Policy{load(eval.SCP, policy.SCP, p)}})
	}
	if *resourcePolicy != "" {
		in.Resource = []*eval.Policy{load(eval.ResourcePolicy, policy.Resource, *resourcePolicy)}
	}
	if *session != "" {
		in.Session = []*eval.Policy{load(eval.SessionPolicy, policy.Session, *session)}
	}
	var trust *eval.Policy
	if *trustFile != "" {
		trust = load(eval.ResourcePolicy, policy.Trust, *trustFile)
	}
	if loader.failed {
		return ExitUsage
	}
	var flows *pipeline.Result
	if *workflows != "" {
		if flows, err = pipeline.Analyze(pipeline.Options{Dir: *workflows, Repo: *repo}); err != nil {
			return c.fail("explain", "--workflows: %v", err)
		}
	}
	x := &explainer{c: c, cat: cat, in: in, trust: trust, flows: flows, w: c.Stdout}
	if *trail != "" {
		return x.cloudTrail(*trail)
	}
	text := strings.Join(rest, " ")
	if text == "" && *sub == "" {
		data, err := io.ReadAll(io.LimitReader(c.Stdin, maxInput))
		if err != nil {
			return c.fail("explain", "reading stdin: %v", err)
		}
		text = string(data)
	}
	if text == "" && *sub != "" {
		text = "Not authorized to perform sts:AssumeRoleWithWebIdentity"
	}
	d, err := explain.ParseMessage(text)
	if err != nil {
		return c.exit("explain", err)
	}
	tok := explain.Token{Subject: *sub, Audience: *aud, RoleARN: *role}
	x.denial(d, &tok)
	return ExitOK
}

type explainer struct {
	c     *Command
	cat   *catalog.Catalog
	in    eval.Input
	trust *eval.Policy
	flows *pipeline.Result
	w     io.Writer
}

// denial prints the diagnosis of one denial.
func (x *explainer) denial(d *explain.Denial, tok *explain.Token) {
	w := x.w
	fmt.Fprintf(w, "Denied: %s\n", d.Action)
	if d.Principal != "" {
		fmt.Fprintf(w, "  principal: %s", d.Principal)
		if r := explain.RoleOf(d.Principal); r != d.Principal {
			fmt.Fprintf(w, " (a session of role %s)", r)
		}
		fmt.Fprintln(w)
	}
	if d.Resource != "" {
		fmt.Fprintf(w, "  resource:  %s\n", d.Resource)
	}
	if d.Operation != "" {
		fmt.Fprintf(w, "  operation: %s (%s)\n", d.Operation, d.Code)
	}
	switch {
	case d.Type == explain.WebIdentity:
		fmt.Fprintf(w, "  denied by: the role's trust policy refused the web identity token\n")
	case d.Explicit:
		fmt.Fprintf(w, "  denied by: an explicit deny in the %s\n", nonEmpty(string(d.Type), "a policy"))
	case d.Type != explain.Unknown:
		fmt.Fprintf(w, "  denied by: no %s allows it\n", d.Type)
	default:
		fmt.Fprintf(w, "  denied by: not said (older message form)\n")
	}
	if d.Type == explain.WebIdentity && x.trust != nil && tok != nil && tok.Subject != "" {
		rep := explain.DiagnoseWebIdentity(x.trust, *tok, x.flows, x.cat)
		fmt.Fprintf(w, "\nTrust policy %s, token subject %q, audience %q:\n", x.trust.Name, tok.Subject, tok.Audience)
		for _, r := range rep.Reasons {
			fmt.Fprintf(w, "  - %s\n", r)
		}
		return
	}
	if d.Type == explain.WebIdentity && tok != nil && tok.Audience != "" && tok.Audience != "sts.amazonaws.com" {
		fmt.Fprintf(w, "  token:     audience %q, not sts.amazonaws.com: the workflow sets audience: on configure-aws-credentials, or the token was minted for another service\n", tok.Audience)
	}
	adv := explain.Fix(d, x.cat)
	fmt.Fprintf(w, "\nFix: in %s", adv.Where)
	if adv.Statement != nil {
		fmt.Fprintf(w, ", add:\n")
		writeIndented(w, adv.Statement)
	} else {
		fmt.Fprintln(w)
	}
	for _, n := range adv.Notes {
		fmt.Fprintf(w, "  note: %s\n", n)
	}
	if len(x.in.Identity)+len(x.in.Resource)+len(x.in.Boundary)+len(x.in.SCPs)+len(x.in.Session) > 0 && d.Principal != "" {
		x.simulate(d)
	}
}

// simulate evaluates the denied request against the given policies and
// says which statements deny it or come close to allowing it.
func (x *explainer) simulate(d *explain.Denial) {
	w := x.w
	ctx := eval.NewContext()
	for k, vs := range d.Conditions {
		if len(vs) == 1 {
			ctx.Set(k, vs[0])
		} else {
			ctx.SetMulti(k, vs...)
		}
	}
	resource := d.Resource
	if resource == "" {
		resource = "*"
	}
	r := &eval.Request{Principal: d.Principal, Action: d.Action, Resource: resource, Context: ctx}
	dec := eval.Compile(x.in, x.cat).Evaluate(r)
	fmt.Fprintf(w, "\nSimulated with the given policies: %s\n", dec.Result)
	groups := [][]*eval.Policy{x.in.Identity, x.in.Resource, x.in.Boundary, x.in.Session}
	for _, l := range x.in.SCPs {
		groups = append(groups, l.Policies)
	}
	for _, g := range groups {
		for _, p := range g {
			for _, c := range eval.Check(p, r) {
				st := c.Statement
				where := fmt.Sprintf("%s:%d:%d %s", p.Name, st.Pos.Line, st.Pos.Col, st.Path)
				if st.Sid != nil {
					where += fmt.Sprintf(" (Sid %q)", st.Sid.Value)
				}
				switch {
				case c.Applies() && st.Effect == policy.Deny:
					fmt.Fprintf(w, "  %s denies it [%s]\n", where, p.Kind)
				case c.Applies():
					fmt.Fprintf(w, "  %s allows it [%s]\n", where, p.Kind)
				case c.Action && !c.Resource && st.Effect == policy.Allow:
					fmt.Fprintf(w, "  %s allows %s, but on other resources: %s [%s]\n", where, d.Action, resources(st), p.Kind)
				case c.Action && c.Resource && len(c.Failed) > 0 && st.Effect == policy.Allow:
					var conds []string
					for _, f := range c.Failed {
						conds = append(conds, f.Operator.Value+" "+f.Key.Value)
					}
					fmt.Fprintf(w, "  %s would allow it, but its conditions do not hold: %s [%s]\n", where, strings.Join(conds, ", "), p.Kind)
				}
			}
		}
	}
	for _, k := range dec.Blocked {
		if !containsKind(dec.Explicit, k) {
			fmt.Fprintf(w, "  why: %s\n", blockedPhrase[k])
		}
	}
}

func containsKind(ks []eval.Kind, k eval.Kind) bool {
	for _, x := range ks {
		if x == k {
			return true
		}
	}
	return false
}

func resources(st *policy.Statement) string {
	el := st.Resource
	prefix := ""
	if el == nil {
		el, prefix = st.NotResource, "all but "
	}
	if el == nil {
		return "(any)"
	}
	var out []string
	for _, v := range el.Values {
		out = append(out, v.Value)
	}
	return prefix + strings.Join(out, ", ")
}

func nonEmpty(s, def string) string {
	if s == "" {
		return def
	}
	return s
}

// cloudTrail explains every denied call of the logs.
func (x *explainer) cloudTrail(path string) int {
	type key struct{ principal, action, resource, code string }
	counts := map[key]int{}
	var order []key
	denials := map[key]*explain.Denial{}
	tokens := map[key]*explain.Token{}
	// The same denial repeats: parse each message once (a copy each time,
	// as the operation is filled in below).
	parsed := map[string]*explain.Denial{}
	parse := func(msg string) (*explain.Denial, bool) {
		d, seen := parsed[msg]
		if !seen {
			if len(parsed) >= 1<<14 {
				clear(parsed)
			}
			d, _ = explain.ParseMessage(msg) // nil when it is not a message iamfit reads
			parsed[msg] = d
		}
		if d == nil {
			return nil, false
		}
		c := *d
		return &c, true
	}
	// Only failed calls carry an errorCode: the others are not decoded.
	prog := &cloudtrail.Progress{}
	rd := &cloudtrail.Reader{Keep: cloudtrail.Containing(`"errorCode"`), Progress: prog}
	stop := x.c.showProgress(prog)
	st, err := rd.Read(path, func(r *cloudtrail.Record) error {
		if !r.Denied() {
			return nil
		}
		var d *explain.Denial
		var tok *explain.Token
		if wi, ok := cloudtrail.WebIdentityOf(r); ok {
			d = &explain.Denial{Action: "sts:AssumeRoleWithWebIdentity", Type: explain.WebIdentity, Resource: wi.RoleARN, Form: "CloudTrail"}
			tok = &explain.Token{Provider: wi.Provider, Audience: wi.Audience, Subject: wi.Subject, RoleARN: wi.RoleARN}
		} else if parsed, ok := parse(r.ErrorMessage); ok {
			d = parsed
		} else {
			d = &explain.Denial{Principal: r.UserIdentity.ARN, Action: cloudtrail.Service(r.EventSource) + ":" + r.EventName, Form: "CloudTrail"}
			if len(r.Resources) > 0 {
				d.Resource = r.Resources[0].ARN
			}
		}
		if d.Operation == "" {
			d.Operation, d.Code = r.EventName, r.ErrorCode
		}
		k := key{d.Principal, d.Action, d.Resource, ""}
		if tok != nil {
			k.code = tok.Subject + " " + tok.Audience
		}
		if counts[k] == 0 {
			order = append(order, k)
			denials[k], tokens[k] = d, tok
		}
		counts[k]++
		return nil
	})
	stop()
	if err != nil {
		return x.c.exit("explain", err)
	}
	for i, k := range order {
		if i > 0 {
			fmt.Fprintln(x.w)
		}
		fmt.Fprintf(x.w, "[%d event(s)] ", counts[k])
		d, tok := denials[k], tokens[k]
		if tok != nil && x.trust == nil {
			fmt.Fprintf(x.w, "token subject %q, audience %q, role %s\n", tok.Subject, tok.Audience, tok.RoleARN)
		}
		x.denial(d, tok)
	}
	sort.Strings(st.Skipped)
	for _, s := range st.Skipped {
		fmt.Fprintf(x.c.Stderr, "iamfit explain: skipped %s\n", s)
	}
	fmt.Fprintf(x.c.Stderr, "%d records read from %d files, %d files skipped, %d distinct denials\n", st.Records, st.Files, len(st.Skipped), len(order))
	return ExitOK
}
