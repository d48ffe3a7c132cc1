package lint

import (
	"net/netip"
	"sort"
	"strings"

	"github.com/iamfit/iamfit/internal/catalog"
	"github.com/iamfit/iamfit/internal/policy"
	"github.com/iamfit/iamfit/internal/source"
)

// PublicResourcePolicy flags resource policies that grant to everyone.
//
// What pins a wildcard principal follows Amazon S3's definition of a
// public policy: a policy is not public when it grants only to fixed
// values of aws:SourceIp (a CIDR set), aws:SourceArn, aws:SourceVpc,
// aws:SourceVpce, aws:SourceOwner, aws:SourceAccount, aws:userid or
// s3:x-amz-server-side-encryption-aws-kms-key-id
// (https://docs.aws.amazon.com/AmazonS3/latest/userguide/access-control-block-public-access.html#access-control-block-public-access-policy-status),
// and the organization and account keys IAM documents for the same purpose
// (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html#condition-keys-principalorgid).
var PublicResourcePolicy = &Check{
	ID:       "public-resource-policy",
	Severity: source.Error,
	Doc:      `A resource policy (a bucket, queue, topic, key, repository, secret or function policy) allows Principal "*" or {"AWS": "*"} without a condition that pins who may call: anyone on the internet, or any AWS account, gets the access. A positive condition with a fixed value on a key that names the caller's organization or account (aws:PrincipalOrgID, aws:PrincipalOrgPaths, aws:PrincipalAccount, aws:PrincipalArn, aws:userid, kms:CallerAccount), the calling resource or service (aws:SourceArn, aws:SourceAccount, aws:SourceOwner, aws:SourceOrgID, aws:PrincipalServiceName) or the network (aws:SourceVpce, aws:SourceVpc, aws:SourceIp other than 0.0.0.0/0) is how Amazon S3 and IAM Access Analyzer tell a shared policy from a public one, and is not flagged; conditions the caller controls (aws:UserAgent, aws:Referer, aws:SecureTransport) are not pins. Read-only object access on S3 (a static website) is a warning, anything else an error. Name the accounts or services, or add one of those conditions (https://docs.aws.amazon.com/AmazonS3/latest/userguide/access-control-block-public-access.html#access-control-block-public-access-policy-status).`,
	Run: func(p *Pass) error {
		if p.Type != policy.Resource {
			return nil
		}
		for _, s := range p.Statements {
			if s.Effect != policy.Allow || s.Principal == nil {
				continue
			}
			pos, ok := publicPrincipal(s.Principal)
			if !ok || pinsCaller(s) {
				continue
			}
			granted := s.Granted()
			what := "every action of the statement"
			if s.Action != nil && len(granted) > 0 {
				what = names(granted, 3)
			}
			sev := p.Check.Severity
			if s.Action != nil && len(granted) > 0 && websiteRead(granted) {
				sev = source.Warning
			}
			p.ReportSeverity(sev, pos, "%s is public: %s to anyone, with no condition on the caller's organization, account, source or network (aws:PrincipalOrgID, aws:SourceAccount, aws:SourceArn, aws:SourceVpce, ...)",
				resourceKind(s), what)
		}
		return nil
	},
}

// publicPrincipal returns where a principal names everyone: "*",
// {"AWS": "*"} or {"CanonicalUser": "*"}.
func publicPrincipal(pr *policy.Principal) (source.Pos, bool) {
	if pr.Wildcard {
		return pr.Pos, true
	}
	for _, e := range pr.Entries {
		if e.Type != "AWS" && e.Type != "CanonicalUser" {
			continue
		}
		for _, v := range e.Values {
			if v.Value == "*" {
				return v.Pos, true
			}
		}
	}
	return source.Pos{}, false
}

// pinKeys are the keys whose fixed values pin who can use a policy with a
// wildcard principal.
var pinKeys = map[string]bool{
	"aws:principalorgid": true, "aws:principalorgpaths": true, "aws:principalaccount": true, "aws:principalarn": true,
	"aws:userid": true, "aws:sourcearn": true, "aws:sourceaccount": true, "aws:sourceowner": true,
	"aws:sourceorgid": true, "aws:sourceorgpaths": true, "aws:sourcevpc": true, "aws:sourcevpce": true,
	"aws:sourceip": true, "aws:principalservicename": true, "kms:calleraccount": true,
	"s3:x-amz-server-side-encryption-aws-kms-key-id": true, "s3:dataaccesspointaccount": true, "s3:dataaccesspointarn": true,
	"aws:principalisawsservice": true,
}

// pinsCaller reports whether a positive condition of the statement holds
// a key of pinKeys to fixed values.
func pinsCaller(s *Statement) bool { return pinnedBy(s, pinKeys) }

// pinnedBy reports whether a positive condition of the statement holds a
// key of keys (lower case) to fixed values.
func pinnedBy(s *Statement, keys map[string]bool) bool {
	for _, c := range s.Conditions {
		k := strings.ToLower(c.Key.Value)
		if !keys[k] || strings.Contains(c.Base, "Not") || c.Base == "Null" || c.IfExists || len(c.Values) == 0 {
			continue
		}
		fixed := true
		for _, v := range c.Values {
			if !fixedValue(k, c.Base, v.Value) {
				fixed = false
			}
		}
		if fixed {
			return true
		}
	}
	return false
}

// fixedValue reports whether a condition value pins the caller: not a
// bare wildcard, an ARN with a concrete account (or a bucket), a CIDR
// narrower than the whole internet, and "true" for
// aws:PrincipalIsAWSService.
func fixedValue(key, base, v string) bool {
	if v == "" || v == "*" {
		return false
	}
	if Unknown(v) {
		return true // a reference to a resource of the template: one value
	}
	switch key {
	case "aws:sourceip":
		pfx, err := netip.ParsePrefix(v)
		return err != nil || pfx.Bits() > 0
	case "aws:principalisawsservice":
		return strings.EqualFold(v, "true") && base == "Bool"
	case "aws:sourcearn", "aws:principalarn", "s3:dataaccesspointarn":
		if !strings.ContainsAny(v, "*?") {
			return true
		}
		a, ok := parseARN(v)
		if !ok {
			return false
		}
		return a.Account != "" && !strings.ContainsAny(a.Account, "*?") || a.Service == "s3" && a.Account == "" && !strings.HasPrefix(a.Resource, "*")
	case "aws:principalorgpaths", "aws:sourceorgpaths":
		return strings.HasPrefix(v, "o-") && !strings.ContainsAny(strings.SplitN(v, "/", 2)[0], "*?")
	}
	return !strings.ContainsAny(v, "*?")
}

// websiteRead reports whether every action is an S3 object read (the
// static website case).
func websiteRead(as []*catalog.Action) bool {
	for _, a := range as {
		if a.Service.Key != "s3" || !strings.HasPrefix(a.Name, "GetObject") || strings.HasSuffix(a.Name, "Acl") {
			return false
		}
	}
	return true
}

// resourceKind names what the statement's policy is attached to, from the
// services of its actions.
func resourceKind(s *Statement) string {
	kinds := map[string]string{
		"s3": "the bucket", "sqs": "the queue", "sns": "the topic", "kms": "the key", "ecr": "the repository",
		"secretsmanager": "the secret", "lambda": "the function", "es": "the domain", "glacier": "the vault",
		"logs": "the log destination", "events": "the event bus", "backup": "the backup vault",
	}
	seen := map[string]bool{}
	for _, a := range s.Granted() {
		seen[a.Service.Key] = true
	}
	if s.Action == nil {
		return "the resource"
	}
	var svcs []string
	for k := range seen {
		svcs = append(svcs, k)
	}
	sort.Strings(svcs)
	if len(svcs) == 1 && kinds[svcs[0]] != "" {
		return kinds[svcs[0]]
	}
	return "the resource"
}

// ServiceWithoutSource flags resource policies that grant to an AWS service
// without saying for whose resources the service may act.
var ServiceWithoutSource = &Check{
	ID:       "service-without-source",
	Severity: source.Warning,
	Doc:      `A resource policy (a bucket, queue, topic or key policy) allows a service principal (sns.amazonaws.com, events.amazonaws.com, ...) with no condition on aws:SourceArn, aws:SourceAccount, aws:SourceOrgID, aws:SourceOrgPaths or aws:SourceOwner. The service acts for every customer, so any AWS account's topic, rule or bucket can make it use this resource: the confused deputy problem, against which AWS recommends these keys (https://docs.aws.amazon.com/IAM/latest/UserGuide/confused-deputy.html). Trust policies are not checked. Add "Condition": {"ArnEquals": {"aws:SourceArn": "arn:aws:sns:REGION:ACCOUNT:TOPIC"}} or {"StringEquals": {"aws:SourceAccount": "ACCOUNT"}}.`,
	Run: func(p *Pass) error {
		if p.Type != policy.Resource {
			return nil
		}
		for _, s := range p.Statements {
			if s.Effect != policy.Allow || s.Principal == nil || sourcePinned(s) {
				continue
			}
			svcs := s.Principal.Values("Service")
			if len(svcs) == 0 {
				continue
			}
			var list []string
			for _, v := range svcs {
				list = append(list, v.Value)
			}
			p.Reportf(svcs[0].Pos, "%s may act here for any AWS account's resources: add a condition on aws:SourceArn or aws:SourceAccount", strings.Join(list, ", "))
		}
		return nil
	},
}

// sourceKeys say for whose resources a service principal acts.
var sourceKeys = map[string]bool{
	"aws:sourcearn": true, "aws:sourceaccount": true, "aws:sourceorgid": true, "aws:sourceorgpaths": true, "aws:sourceowner": true,
}

// sourcePinned reports whether a positive condition of the statement holds
// a key of sourceKeys to fixed values.
func sourcePinned(s *Statement) bool { return pinnedBy(s, sourceKeys) }
