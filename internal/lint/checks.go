package lint

import (
	"fmt"

	"github.com/iamfit/iamfit/internal/policy"
	"github.com/iamfit/iamfit/internal/source"
)

// Checks returns every check in the order they are documented.
func Checks() []*Check {
	var out []*Check
	for _, f := range families {
		out = append(out, f.Checks...)
	}
	return out
}

// A Family is a group of checks documented together. Its Security flag
// and tags become the checks' SARIF properties, which GitHub code scanning
// reads to rank and filter alerts.
type Family struct {
	Name string
	// Security families find what grants too much or admits the wrong
	// principals; the others find what IAM rejects or what does nothing.
	Security bool
	// CWE is the weakness the family's findings are instances of, for
	// security families.
	CWE    int
	Checks []*Check
}

var families = []*Family{
	// Reported by the policy parser.
	{Name: "syntax", Checks: []*Check{JSONSyntax, TemplateSyntax, SAMPolicyTemplate, DuplicateKey, PolicySyntax, PolicyLimit, PolicyType, EmptyList}},
	{Name: "grammar", Checks: []*Check{PolicyVersion, InvalidSid, DuplicateSid, UnknownAction, UnknownConditionKey, ConditionType,
		StringLikeWithoutWildcard, EqualsWithWildcard, ConditionKeyPartial}},
	{Name: "resources", Checks: []*Check{MalformedARN, ResourceMismatch, ResourceStar, ResourceAnyAccount}},
	{Name: "principals", Security: true, CWE: 284, Checks: []*Check{InvalidPrincipal, PublicResourcePolicy, ServiceWithoutSource}},
	{Name: "breadth", Security: true, CWE: 269, Checks: []*Check{ActionWildcard, ServiceWildcard, AllowNotAction, AllowNotResource, AllowNotPrincipal,
		WriteOnStar, PermissionsManagement, PrivilegeEscalation, PassRoleWithoutService, MFAPattern}},
	{Name: "trust", Security: true, CWE: 284, Checks: []*Check{TrustAnyPrincipal, TrustFederatedAction, OIDCProviderARN, GitHubAudience, GitHubSubject, GitHubSetOperator,
		GitHubWeakSubject, TrustWorkflows}},
	{Name: "redundancy", Checks: []*Check{Redundant}},
}

// FamilyOf returns the family of a check, nil for a check not registered.
func FamilyOf(c *Check) *Family {
	for _, f := range families {
		for _, fc := range f.Checks {
			if fc == c {
				return f
			}
		}
	}
	return nil
}

// securityOverride gives the checks whose findings are worse than their
// severity says: an error there lets anyone in, not only the wrong workflow.
var securityOverride = map[*Check]float64{}

func init() {
	securityOverride[TrustAnyPrincipal] = 9.5
	securityOverride[PublicResourcePolicy] = 9.0
	securityOverride[GitHubSubject] = 9.0
	securityOverride[PrivilegeEscalation] = 8.5
}

// SecuritySeverity is the check's score on GitHub's 0.0-10.0 scale
// (over 9.0 critical, 7.0 high, 4.0 medium, else low), 0 for the checks
// that are not about security (what IAM rejects or what does nothing).
func SecuritySeverity(c *Check) float64 {
	if f := FamilyOf(c); f == nil || !f.Security {
		return 0
	}
	if s, ok := securityOverride[c]; ok {
		return s
	}
	switch c.Severity {
	case source.Error:
		return 8.0
	case source.Warning:
		return 5.0
	}
	return 2.0
}

// Tags are the check's tags: "security" or "correctness", its family, and
// for security checks the CWE as GitHub spells it (external/cwe/cwe-N).
func Tags(c *Check) []string {
	f := FamilyOf(c)
	if f == nil {
		return []string{"iam"}
	}
	if !f.Security {
		return []string{"correctness", "iam", f.Name}
	}
	return []string{"security", "iam", f.Name, fmt.Sprintf("external/cwe/cwe-%d", f.CWE)}
}

// Parser checks: their findings come from policy.Parse.
var (
	JSONSyntax = &Check{ID: policy.CheckJSON, Severity: source.Error,
		Doc: "The file is not valid JSON: a trailing comma, a missing comma or quote, a comment. IAM rejects the whole policy. The finding points at the offending character."}
	TemplateSyntax = &Check{ID: "template-syntax", Severity: source.Error,
		Doc: "A CloudFormation template is not valid YAML or JSON (a wrong indentation, a tab, an unclosed quote), so CloudFormation rejects it and iamfit cannot look at its policies. The finding gives the line the YAML parser stopped at."}
	DuplicateKey = &Check{ID: policy.CheckDuplicate, Severity: source.Error,
		Doc: "An object repeats a key, such as two Resource elements in one statement or the same condition key twice under one operator. Only one of them takes effect, and tools disagree on which: merge the values into one list."}
	PolicySyntax = &Check{ID: policy.CheckSyntax, Severity: source.Error,
		Doc: "The JSON is not a valid IAM policy: an unknown or mistyped element (element names are case-sensitive), a missing or misspelled Effect, a value of the wrong type, both Action and NotAction, an action that is not service:action, an unknown condition operator. IAM rejects the policy."}
	PolicyLimit = &Check{ID: policy.CheckLimit, Severity: source.Error,
		Doc: "The policy is past a size AWS rejects: a document of more than four times the IAM API's 131,072 characters (white space not counted; AWS's largest managed policy has 152,297) or more than 4,096 statements, an ARN of more than 2,048 characters, an action of more than 128. Such input is rejected at once, before any other check, so that it costs no time."}
	PolicyType = &Check{ID: policy.CheckType, Severity: source.Error,
		Doc: "The policy breaks a rule of its type: identity policies and SCPs take no Principal, trust policies take no Resource, resource control policies only deny and apply to Principal \"*\", and so on. IAM rejects it when it is attached. Use --type when the type is not detected right."}
	EmptyList = &Check{ID: policy.CheckEmpty, Severity: source.Warning,
		Doc: "An element is an empty list or object: a statement with no actions or resources grants or denies nothing, an empty Principal names nobody. Remove the element or fill it."}
)
