package cli

import (
	"fmt"
	"io"
	"strings"

	"github.com/iamfit/iamfit/internal/cloudtrail"
	"github.com/iamfit/iamfit/internal/eval"
	"github.com/iamfit/iamfit/internal/explain"
	"github.com/iamfit/iamfit/internal/policy"
	"github.com/iamfit/iamfit/internal/render"
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
denied call with its diagnosis; failed AssumeRoleWithWebIdentity and
AssumeRoleWithSAML events carry the token's issuer (or the IAM provider's
ARN), audience and subject, checked against --trust and, with --workflows
DIR, against the subjects the workflows produce. When the trust policy
admits the token, the report says so first, then what else refuses it.

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
	provider := f.String("provider", "", "web identity: the token's issuer host, or the IAM OIDC provider ARN it was presented through (default token.actions.githubusercontent.com)")
	workflows := f.String("workflows", "", "a repository `DIR`: compare web identity subjects with what its workflows produce")
	repo := f.String("repo", "", "with --workflows: the repository owner/name")
	trail := f.String("cloudtrail", "", "CloudTrail log file or directory `PATH`: explain every denied call")
	format := f.String("format", "text", "output format: "+render.ExplainFormats()+" (JSON: docs/explain-json.md)")
	rest, code := f.parse(args)
	if code >= 0 {
		return code
	}
	out, ok := render.LookupExplain(*format)
	if !ok {
		return c.fail("explain", "unknown --format %q (want %s)", *format, render.ExplainFormats())
	}
	cat, err := loadCatalog()
	if err != nil {
		return c.exit("explain", err)
	}
	opt := explain.Options{Catalog: cat}
	in := &opt.Policies
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
	if *trustFile != "" {
		opt.Trust = load(eval.ResourcePolicy, policy.Trust, *trustFile)
	}
	if loader.failed {
		return ExitUsage
	}
	if *workflows != "" {
		flows, err := readWorkflows(*workflows, *repo)
		if err != nil {
			return c.exit("explain", err)
		}
		opt.Workflows = explainWorkflows(flows)
	}
	if *trail != "" {
		return c.explainCloudTrail(*trail, opt, out)
	}
	text := strings.Join(rest, " ")
	if text == "" && *sub == "" {
		data, err := io.ReadAll(io.LimitReader(c.Stdin, maxInput+1))
		if err != nil {
			return c.fail("explain", "reading stdin: %v", err)
		}
		if len(data) > maxInput {
			return c.fail("explain", "stdin is larger than %d MiB: not read (an error message is far smaller; pass it as an argument or --cloudtrail for logs)", maxInput>>20)
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
	tok := explain.Token{Subject: *sub, Audience: *aud, RoleARN: *role, Issuer: *provider}
	if host, ok := strings.CutPrefix(*provider, "arn:"); ok {
		if _, h, ok := strings.Cut(host, ":oidc-provider/"); ok {
			tok.Issuer, tok.ProviderARN = h, *provider
		}
	}
	if err := out.Write(c.Stdout, &render.Explained{Reports: []*explain.Report{explain.Explain(d, &tok, opt)}}); err != nil {
		return c.exit("explain", err)
	}
	return ExitOK
}

// explainCloudTrail explains every distinct denied call of the logs.
func (c *Command) explainCloudTrail(path string, opt explain.Options, out *render.ExplainFormat) int {
	var denials explain.Grouper
	// Only failed calls carry an errorCode: the others are not decoded.
	prog := &cloudtrail.Progress{}
	rd := &cloudtrail.Reader{Keep: cloudtrail.Containing(`"errorCode"`), Progress: prog}
	stop := c.showProgress(prog)
	st, err := rd.Read(path, func(r *cloudtrail.Record) error {
		if r.Denied() || r.FederationFailed() {
			denials.Add(denialEvent(r))
		}
		return nil
	})
	stop()
	if err != nil {
		return c.exit("explain", err)
	}
	for _, s := range st.Skipped {
		fmt.Fprintf(c.Stderr, "iamfit explain: skipped %s\n", s)
	}
	if st.Files == 0 {
		// Nothing read is not "no denials".
		return c.fail("explain", "no CloudTrail log could be read in %s (%d skipped)", path, len(st.Skipped))
	}
	groups := denials.Groups()
	log := &render.LogStats{Records: st.Records, Files: st.Files}
	for _, s := range st.Skipped {
		log.Skipped = append(log.Skipped, s.String())
	}
	if err := out.Write(c.Stdout, &render.Explained{Reports: explain.ExplainGroups(groups, opt), Log: log}); err != nil {
		return c.exit("explain", err)
	}
	fmt.Fprintf(c.Stderr, "%d records read from %d files, %d files skipped", st.Records, st.Files, len(st.Skipped))
	if st.SkippedRecords > 0 {
		fmt.Fprintf(c.Stderr, " (%d records in them not used)", st.SkippedRecords)
	}
	fmt.Fprintf(c.Stderr, ", %d distinct denials\n", len(groups))
	return ExitOK
}

// denialEvent is what explain needs of a denied CloudTrail record.
func denialEvent(r *cloudtrail.Record) explain.Event {
	e := explain.Event{Principal: r.UserIdentity.ARN, Action: cloudtrail.Service(r.EventSource) + ":" + r.EventName,
		Operation: r.EventName, ErrorCode: r.ErrorCode, ErrorMessage: r.ErrorMessage}
	if len(r.Resources) > 0 {
		e.Resource = r.Resources[0].ARN
	}
	if wi, ok := cloudtrail.WebIdentityOf(r); ok {
		e.WebIdentity = &explain.Token{SAML: wi.SAML, Issuer: wi.Issuer, ProviderARN: wi.ProviderARN, Audience: wi.Audience, Subject: wi.Subject,
			RoleARN: wi.RoleARN, ErrorCode: r.ErrorCode, ErrorMessage: r.ErrorMessage}
	}
	return e
}
