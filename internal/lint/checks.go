package lint

import (
	"github.com/iamfit/iamfit/internal/policy"
	"github.com/iamfit/iamfit/internal/source"
)

// Checks returns every check in the order they are documented.
func Checks() []*Check {
	return []*Check{
		// Reported by the policy parser.
		JSONSyntax, TemplateSyntax, DuplicateKey, PolicySyntax, PolicyType, EmptyList,
		// Grammar and names.
		PolicyVersion, InvalidSid, DuplicateSid, UnknownAction, UnknownConditionKey, ConditionType,
		StringLikeWithoutWildcard, EqualsWithWildcard, ConditionKeyPartial,
		// Resources.
		MalformedARN, ResourceMismatch, ResourceStar, ResourceAnyAccount,
		// Principals.
		InvalidPrincipal, PublicResourcePolicy,
		// Breadth.
		ActionWildcard, ServiceWildcard, AllowNotAction, AllowNotResource, AllowNotPrincipal,
		WriteOnStar, PermissionsManagement, PrivilegeEscalation, PassRoleWithoutService, MFAPattern,
		// Trust policies.
		TrustAnyPrincipal, TrustFederatedAction, OIDCProviderARN, GitHubAudience, GitHubSubject, GitHubSetOperator,
		GitHubWeakSubject, TrustWorkflows,
		// Redundancy.
		Redundant,
	}
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
	PolicyType = &Check{ID: policy.CheckType, Severity: source.Error,
		Doc: "The policy breaks a rule of its type: identity policies and SCPs take no Principal, trust policies take no Resource, resource control policies only deny and apply to Principal \"*\", and so on. IAM rejects it when it is attached. Use --type when the type is not detected right."}
	EmptyList = &Check{ID: policy.CheckEmpty, Severity: source.Warning,
		Doc: "An element is an empty list or object: a statement with no actions or resources grants or denies nothing, an empty Principal names nobody. Remove the element or fill it."}
)
