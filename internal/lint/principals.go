package lint

import (
	"fmt"
	"regexp"
	"strings"
	"sync"

	"github.com/iamfit/iamfit/internal/arn"
	"github.com/iamfit/iamfit/internal/policy"
	"github.com/iamfit/iamfit/internal/source"
)

// InvalidPrincipal flags Principal and NotPrincipal values IAM rejects
// ("MalformedPolicyDocument: Invalid principal in policy"), following the
// forms of https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_principal.html:
// an account id or its root ARN, a role, user, assumed-role session or
// federated-user ARN, a service principal, a canonical user id, "*" alone.
var InvalidPrincipal = &Check{
	ID:       "invalid-principal",
	Severity: source.Error,
	Doc:      `A principal IAM rejects ("Invalid principal in policy"): an AWS principal that is not "*", a 12-digit account id, a unique id (AROA..., AIDA...) or an IAM or STS ARN of one of the forms arn:aws:iam::ACCOUNT:root, :role/PATH/NAME, :user/PATH/NAME, arn:aws:sts::ACCOUNT:assumed-role/ROLE/SESSION or :federated-user/NAME; a user group (groups are not principals); a wildcard inside an ARN (arn:aws:iam::123456789012:role/deploy-*: IAM takes "*" alone, use "*" with an ArnLike condition on aws:PrincipalArn instead); a mistyped resource type (roles/ for role/) or an empty path segment (role//name); a Service principal with spaces, a wildcard, an ARN or a URL instead of a name such as ecs-tasks.amazonaws.com; a CanonicalUser that is not a 64-character hex id. Federated principals are checked by oidc-provider-arn. Values built by CloudFormation or Terraform are not judged (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_principal.html).`,
	Run: func(p *Pass) error {
		for _, s := range p.Statements {
			for _, pr := range []*policy.Principal{s.Principal, s.NotPrincipal} {
				if pr == nil {
					continue
				}
				for _, e := range pr.Entries {
					for _, v := range e.Values {
						msg, sev := principalProblem(e.Type, v.Value)
						if msg == "" {
							continue
						}
						d := source.Diagnostic{File: p.File.Name, Pos: v.Pos, Severity: sev, Check: p.Check.ID,
							Message: fmt.Sprintf("%s principal %q: %s", e.Type, v.Value, msg)}
						if t := strings.TrimSpace(v.Value); t != v.Value && !strings.ContainsAny(t, " \t\n") {
							d.Fix, _ = p.File.ReplaceAt(v.Pos, v.Value, t)
						}
						p.Report(d)
					}
				}
			}
		}
		return nil
	},
}

var (
	uniqueID     = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`^A[A-Z0-9]{3}[A-Z0-9]{12,}$`) })
	canonicalID  = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`^[0-9a-f]{64}$`) })
	serviceName  = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`^[a-z0-9][a-z0-9.-]*\.[a-z0-9.-]*[a-z0-9]$`) })
	servicesTail = []string{".amazonaws.com", ".amazonaws.com.cn", ".amazon.com", ".aws.internal", ".c2s.ic.gov", ".sc2s.sgov.gov", ".amazonaws.eu"}
)

// principalProblem returns what is wrong with one principal value and
// how bad it is, or "".
func principalProblem(typ, v string) (string, source.Severity) {
	if Unknown(v) || typ == "Federated" {
		return "", 0
	}
	if strings.TrimSpace(v) != v || strings.ContainsAny(v, " \t\n") {
		return "it holds spaces; IAM compares principals exactly: remove them", source.Error
	}
	switch typ {
	case "AWS":
		return awsPrincipalProblem(v)
	case "Service":
		switch {
		case v == "*" || strings.ContainsAny(v, "*?"):
			return `a service principal cannot hold a wildcard: name the service, such as ecs-tasks.amazonaws.com`, source.Error
		case strings.HasPrefix(v, "arn:") || strings.Contains(v, "://"):
			return "write the service principal's name, such as lambda.amazonaws.com, not an ARN or URL", source.Error
		case !serviceName().MatchString(strings.ToLower(v)):
			return "not a service principal name (service.amazonaws.com)", source.Error
		case strings.ToLower(v) != v:
			return "service principal names are lower case", source.Warning
		}
		for _, t := range servicesTail {
			if strings.HasSuffix(v, t) {
				return "", 0
			}
		}
		return "not of a known service principal form (SERVICE.amazonaws.com): check the service's documentation", source.Warning
	case "CanonicalUser":
		if v != "*" && !canonicalID().MatchString(v) {
			return "a canonical user id is 64 hexadecimal characters", source.Error
		}
	}
	return "", 0
}

func awsPrincipalProblem(v string) (string, source.Severity) {
	if v == "*" || arn.ValidAccount(v) && v != "" || uniqueID().MatchString(v) {
		return "", 0
	}
	if !strings.HasPrefix(v, "arn:") {
		if isDigits(v) {
			return "an account id has 12 digits", source.Error
		}
		return `want "*", a 12-digit account id or an IAM ARN such as arn:aws:iam::123456789012:role/NAME`, source.Error
	}
	parts, ok := arn.Split(v)
	if !ok {
		return "not an ARN: want arn:aws:iam::ACCOUNT:role/NAME", source.Error
	}
	part, svc, region, acct, res := parts[1], parts[2], parts[3], parts[4], parts[5]
	switch {
	case !arn.ValidPartition(part) && !strings.Contains(part, "${"):
		return "unknown partition " + quote(part), source.Error
	case svc != "iam" && svc != "sts":
		return "principal ARNs are IAM or STS ARNs (arn:aws:iam::ACCOUNT:...), not " + svc, source.Error
	case region != "":
		return "IAM and STS principal ARNs have no region", source.Error
	case strings.ContainsAny(v, "*?"):
		return `a principal ARN cannot hold a wildcard: use Principal {"AWS": "*"} with an ArnLike condition on aws:PrincipalArn, or name the principals`, source.Error
	case !strings.Contains(acct, "${") && !arn.ValidAccount(acct) || acct == "":
		return "the account must be a 12-digit id", source.Error
	}
	typ, name, _ := strings.Cut(res, "/")
	if svc == "sts" {
		switch typ {
		case "assumed-role":
			if strings.Count(name, "/") != 1 || strings.HasPrefix(name, "/") || strings.HasSuffix(name, "/") {
				return "an assumed-role session is assumed-role/ROLE-NAME/SESSION-NAME", source.Error
			}
			return "", 0
		case "federated-user":
			if name == "" {
				return "a federated user session needs its name", source.Error
			}
			return "", 0
		}
		return "STS principal ARNs are assumed-role/ROLE/SESSION or federated-user/NAME", source.Error
	}
	switch typ {
	case "root":
		if name != "" || strings.Contains(res, "/") {
			return "write arn:aws:iam::ACCOUNT:root", source.Error
		}
		return "", 0
	case "role", "user":
		if name == "" || strings.HasSuffix(name, "/") || strings.Contains(name, "//") || strings.HasPrefix(name, "/") {
			return "an empty path segment or name: " + typ + "/PATH/NAME has no empty parts", source.Error
		}
		return "", 0
	case "group":
		return "a user group cannot be a principal: name its users or a role", source.Error
	}
	for _, want := range []string{"role", "user", "root"} {
		if strings.EqualFold(strings.TrimSuffix(typ, "s"), want) {
			return "did you mean " + want + "/...? IAM principal ARNs spell " + want + " in lower case and singular", source.Error
		}
	}
	if typ == "assumed-role" || typ == "federated-user" {
		return typ + " ARNs are STS ARNs: arn:aws:sts::ACCOUNT:" + typ + "/...", source.Error
	}
	return "IAM principal ARNs are root, role/NAME or user/NAME", source.Error
}

func isDigits(s string) bool {
	for _, c := range s {
		if c < '0' || c > '9' {
			return false
		}
	}
	return s != ""
}

func quote(s string) string { return `"` + s + `"` }
