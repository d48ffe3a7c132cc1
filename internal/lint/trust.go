package lint

import (
	"regexp"
	"strings"
	"sync"

	"github.com/iamfit/iamfit/internal/arn"
	"github.com/iamfit/iamfit/internal/need"
	"github.com/iamfit/iamfit/internal/policy"
	"github.com/iamfit/iamfit/internal/source"
)

const githubHost = need.GitHubOIDC

func assumeActions(s *Statement) (plain, web, saml bool) {
	if s.Action == nil {
		return
	}
	for _, v := range s.Action.Values {
		switch strings.ToLower(v.Value) {
		case "sts:assumerole":
			plain = true
		case "sts:assumerolewithwebidentity":
			web = true
		case "sts:assumerolewithsaml":
			saml = true
		case "sts:*", "*", "sts:assumerole*":
			plain, web, saml = true, true, true
		}
	}
	return
}

// TrustAnyPrincipal flags trust policies that let anyone assume the role.
var TrustAnyPrincipal = &Check{
	ID:       "trust-any-principal",
	Severity: source.Error,
	Doc:      `A trust policy allows Principal "*" (or {"AWS": "*"}) to assume the role: any AWS account, and with conditions that a caller controls, anyone. A condition that confines the caller to an organization, organizational unit, account or principal ARN (aws:PrincipalOrgID, aws:PrincipalOrgPaths, aws:PrincipalAccount, aws:PrincipalArn) is the documented way to trust a whole organization and is not flagged. Name the principals: an account, a role, a service, or an identity provider with its audience and subject conditions.`,
	Run: func(p *Pass) error {
		for _, s := range p.Statements {
			if s.Effect != policy.Allow || s.Principal == nil {
				continue
			}
			plain, web, saml := assumeActions(s)
			if !plain && !web && !saml {
				continue
			}
			if confinesCaller(s) {
				continue
			}
			if s.Principal.Wildcard {
				p.Reportf(s.Principal.Pos, `the role can be assumed by Principal "*": name the principals that need it`)
				continue
			}
			for _, v := range s.Principal.Values("AWS") {
				if v.Value == "*" {
					p.Reportf(v.Pos, `the role can be assumed by any AWS principal ({"AWS": "*"}): name the accounts or roles that need it`)
				}
			}
		}
		return nil
	},
}

// callerKeys are the global keys whose values the caller cannot choose and
// that confine who the caller is
// (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html#condition-keys-principalorgid).
var callerKeys = map[string]bool{
	"aws:principalorgid": true, "aws:principalorgpaths": true, "aws:principalaccount": true, "aws:principalarn": true,
}

// confinesCaller reports whether a positive condition of the statement
// pins the caller by a key of callerKeys to values without a bare "*".
func confinesCaller(s *Statement) bool {
	for _, c := range s.Conditions {
		if !callerKeys[strings.ToLower(c.Key.Value)] || strings.Contains(c.Base, "Not") || c.Base == "Null" || c.IfExists || c.Set == policy.ForAllValues {
			continue
		}
		ok := len(c.Values) > 0
		for _, v := range c.Values {
			if v.Value == "*" || v.Value == "" {
				ok = false
			}
		}
		if ok {
			return true
		}
	}
	return false
}

// TrustFederatedAction flags a mismatch between principal type and action.
var TrustFederatedAction = &Check{
	ID:       "trust-federated-action",
	Severity: source.Error,
	Doc:      "A trust policy pairs a Federated principal with sts:AssumeRole, or an AWS or Service principal with sts:AssumeRoleWithWebIdentity. A web identity (GitHub Actions, another OIDC provider) can only call sts:AssumeRoleWithWebIdentity, and a SAML provider sts:AssumeRoleWithSAML, so the statement never lets it in. Use the action that matches the principal.",
	Run: func(p *Pass) error {
		for _, s := range p.Statements {
			if s.Effect != policy.Allow || s.Principal == nil || s.Action == nil {
				continue
			}
			fed := s.Principal.Values("Federated")
			other := len(s.Principal.Values("AWS")) + len(s.Principal.Values("Service"))
			for _, v := range s.Action.Values {
				switch strings.ToLower(v.Value) {
				case "sts:assumerole":
					if len(fed) > 0 && other == 0 {
						want := "sts:AssumeRoleWithWebIdentity"
						if strings.Contains(fed[0].Value, ":saml-provider/") {
							want = "sts:AssumeRoleWithSAML"
						}
						p.Reportf(v.Pos, "a Federated principal (%s) cannot use sts:AssumeRole: write %s", fed[0].Value, want)
					}
				case "sts:assumerolewithwebidentity":
					if len(fed) == 0 && !s.Principal.Wildcard {
						p.Reportf(v.Pos, "sts:AssumeRoleWithWebIdentity needs a Federated principal: the OIDC provider ARN, such as arn:aws:iam::123456789012:oidc-provider/%s", githubHost)
					}
				}
			}
		}
		return nil
	},
}

// OIDCProviderARN flags malformed identity provider ARNs.
var OIDCProviderARN = &Check{
	ID:       "oidc-provider-arn",
	Severity: source.Error,
	Doc:      `A Federated principal is not an identity provider IAM knows: it must be arn:aws:iam::ACCOUNT:oidc-provider/HOST (the host without "https://", such as token.actions.githubusercontent.com), arn:aws:iam::ACCOUNT:saml-provider/NAME, or one of cognito-identity.amazonaws.com, accounts.google.com, graph.facebook.com, www.amazon.com. A wrong value matches no token.`,
	Run: func(p *Pass) error {
		for _, s := range p.Statements {
			pr := s.Principal
			if pr == nil {
				pr = s.NotPrincipal
			}
			for _, v := range pr.Values("Federated") {
				if policy.BuiltInWebIdentityProvider(v.Value) {
					continue
				}
				if Unknown(v.Value) {
					// A reference (Terraform, CloudFormation) to the
					// provider resource: its ARN is not known here.
					continue
				}
				if acct, ok := providerAccount(v.Value); ok && Unknown(acct) {
					// The account is a template parameter or an iamfit
					// parameter: its value is not known here.
					continue
				}
				a, err := arn.Parse(v.Value)
				switch {
				case err != nil:
					p.Reportf(v.Pos, "Federated principal %q is not a provider ARN: %v", v.Value, err)
				case a.Service != "iam" || a.Region != "":
					p.Reportf(v.Pos, "Federated principal %q must be an IAM provider ARN (arn:aws:iam::ACCOUNT:oidc-provider/HOST)", v.Value)
				case !arn.ValidAccount(a.Account) || a.Account == "":
					p.Reportf(v.Pos, "Federated principal %q needs the 12-digit account id that holds the provider", v.Value)
				case strings.HasPrefix(a.Resource, "oidc-provider/"):
					host := strings.TrimPrefix(a.Resource, "oidc-provider/")
					if strings.Contains(host, "://") || strings.HasSuffix(host, "/") || host == "" {
						p.Reportf(v.Pos, "OIDC provider %q: write the host without scheme or trailing slash, such as oidc-provider/%s", v.Value, githubHost)
					}
				case strings.HasPrefix(a.Resource, "saml-provider/"):
				default:
					p.Reportf(v.Pos, "Federated principal %q is neither an oidc-provider nor a saml-provider ARN", v.Value)
				}
			}
		}
		return nil
	},
}

// githubStatements returns the Allow statements that let GitHub Actions'
// OIDC tokens assume the role.
func githubStatements(p *Pass) []*Statement {
	var out []*Statement
	for _, s := range p.Statements {
		if s.Effect != policy.Allow || s.Principal == nil {
			continue
		}
		_, web, _ := assumeActions(s)
		if !web {
			continue
		}
		for _, v := range s.Principal.Values("Federated") {
			if strings.HasSuffix(v.Value, "oidc-provider/"+githubHost) || strings.Contains(v.Value, "oidc-provider/"+githubHost+"/") ||
				Unknown(v.Value) && hasGitHubClaim(s) {
				// A provider written as a reference (a Terraform data source,
				// !Ref of the template's OIDCProvider, a template variable) is
				// GitHub's when the conditions read GitHub's claims.
				out = append(out, s)
				break
			}
		}
	}
	return out
}

// hasGitHubClaim reports whether a condition of the statement reads a claim
// of GitHub's OIDC tokens (token.actions.githubusercontent.com:sub, ...).
func hasGitHubClaim(s *Statement) bool {
	for _, c := range s.Conditions {
		if strings.HasPrefix(strings.ToLower(c.Key.Value), githubHost+":") {
			return true
		}
	}
	return false
}

// claimConditions returns the conditions on a GitHub token claim that
// restrict it (negated operators do not).
func claimConditions(s *Statement, claim string) (pos []*policy.Condition) {
	for _, c := range s.Conditions {
		k := strings.ToLower(c.Key.Value)
		if strings.HasPrefix(k, githubHost) && strings.HasSuffix(k, ":"+claim) && !strings.Contains(c.Base, "Not") {
			pos = append(pos, c)
		}
	}
	return pos
}

// GitHubAudience checks the aud condition of GitHub OIDC trust.
var GitHubAudience = &Check{
	ID:       "github-oidc-audience",
	Severity: source.Error,
	Doc:      `A trust policy for GitHub Actions' OIDC provider does not pin the token audience to "sts.amazonaws.com" (the audience aws-actions/configure-aws-credentials requests): it is missing, so tokens minted for other audiences are accepted, or mistyped ("sts.amazonaws.com." or "sts.amazon.com"), so no workflow can assume the role. Add "StringEquals": {"token.actions.githubusercontent.com:aud": "sts.amazonaws.com"}.`,
	Run: func(p *Pass) error {
		for _, s := range githubStatements(p) {
			conds := claimConditions(s, "aud")
			if len(conds) == 0 {
				p.Reportf(s.Pos, `no condition on %s:aud: add "StringEquals": {"%s:aud": "sts.amazonaws.com"}`, githubHost, githubHost)
				continue
			}
			for _, c := range conds {
				for _, v := range c.Values {
					if v.Value != "sts.amazonaws.com" && !Unknown(v.Value) {
						p.Reportf(v.Pos, `audience %q is not "sts.amazonaws.com", the audience configure-aws-credentials requests: no workflow token will match it`, v.Value)
					}
				}
			}
		}
		return nil
	},
}

// GitHubSubject checks the sub condition of GitHub OIDC trust.
var GitHubSubject = &Check{
	ID:       "github-oidc-subject",
	Severity: source.Error,
	Doc:      `A trust policy for GitHub Actions' OIDC provider does not pin the token subject to one repository: the sub condition is missing, or a pattern such as "repo:*", "*" or "repo:octo-org/*" admits every repository on GitHub (anyone can create one and run a workflow) or every repository of an organisation. Pin it to "repo:OWNER/REPO:ref:refs/heads/main", "repo:OWNER/REPO:environment:production" and the like; iamfit generate derives them from the workflows.`,
	Run: func(p *Pass) error {
		for _, s := range githubStatements(p) {
			conds := claimConditions(s, "sub")
			if len(conds) == 0 {
				pinned := len(claimConditions(s, "repository")) > 0
				if pinned {
					p.ReportSeverity(source.Warning, s.Pos, "no condition on %s:sub: the repository claim pins the repository, but any branch, tag, pull request or environment of it can assume the role", githubHost)
				} else {
					p.Reportf(s.Pos, "no condition on %s:sub: every repository on GitHub can assume this role", githubHost)
				}
				continue
			}
			for _, c := range conds {
				like := strings.HasPrefix(c.Base, "StringLike")
				for _, v := range c.Values {
					if !like {
						continue
					}
					switch kind := subjectBreadth(v.Value); kind {
					case "any":
						p.Reportf(v.Pos, "subject %q admits every repository on GitHub: pin it to repo:OWNER/REPO:...", v.Value)
					case "org":
						p.ReportSeverity(source.Warning, v.Pos, "subject %q admits every repository of the organisation, and every branch of each: pin the repository and the refs", v.Value)
					case "anyref":
						p.ReportSeverity(source.Info, v.Pos, "subject %q admits every branch, tag, pull request and environment of the repository: pin the refs the deploy runs from", v.Value)
					}
				}
			}
		}
		return nil
	},
}

// subjectBreadth classifies a StringLike sub pattern: "any" repository,
// any repository of an "org", any ref of one repository ("anyref"), or "".
func subjectBreadth(v string) string {
	// A part built by a template (${var.github_repository}) is unknown, not
	// a wildcard: read it as a name. Standing alone before the ref it holds
	// OWNER/REPO.
	if strings.Contains(v, "${") {
		v = unknownPart().ReplaceAllString(v, "\x00")
		if rest, ok := strings.CutPrefix(v, "repo:"); ok {
			if repo, _, _ := strings.Cut(rest, ":"); !strings.Contains(repo, "/") && strings.Contains(repo, "\x00") {
				v = "repo:\x00/\x00" + strings.TrimPrefix(rest, repo)
			}
		}
	}
	if !strings.HasPrefix(v, "repo:") {
		if strings.HasPrefix(v, "*") || strings.HasPrefix(v, "?") || v == "" {
			return "any"
		}
		return ""
	}
	rest := strings.TrimPrefix(v, "repo:")
	owner, after, ok := strings.Cut(rest, "/")
	if !ok || strings.ContainsAny(owner, "*?") {
		return "any"
	}
	repo, ref, _ := strings.Cut(after, ":")
	if strings.ContainsAny(repo, "*?") {
		return "org"
	}
	if ref == "*" || ref == "" && strings.HasSuffix(after, "*") {
		return "anyref"
	}
	return ""
}

// unknownPart matches a part of a value that a template builds.
var unknownPart = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`\$\{[^}]*\}`) })

// GitHubSetOperator flags set operators on GitHub's single-valued claims.
var GitHubSetOperator = &Check{
	ID:       "github-oidc-set-operator",
	Severity: source.Error,
	Doc:      "A trust policy uses ForAllValues or ForAnyValue on a GitHub token claim (aud, sub, repository, ref, ...). The claims are single-valued; ForAllValues is true when the claim is absent, and both read as if several values were expected. Use StringEquals or StringLike.",
	Run: func(p *Pass) error {
		for _, s := range p.Statements {
			for _, c := range s.Conditions {
				if c.Set != policy.NoSet && isGitHubKey(c.Key.Value) {
					p.Reportf(c.Operator.Pos, "%s on %s: the claim is single-valued; write %s without the set operator", c.Operator.Value, c.Key.Value, c.Base)
				}
			}
		}
		return nil
	},
}

// providerAccount returns the account field of an IAM provider ARN
// (arn:PARTITION:iam::ACCOUNT:...), whatever it holds.
func providerAccount(v string) (string, bool) {
	parts := strings.SplitN(v, ":", 6)
	if len(parts) < 6 || parts[0] != "arn" || parts[2] != "iam" {
		return "", false
	}
	return parts[4], true
}
