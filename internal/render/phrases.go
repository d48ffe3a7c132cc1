package render

import "github.com/iamfit/iamfit/internal/eval"

var blockedPhrases = map[eval.Kind]string{
	eval.IdentityPolicy:      "no identity-based policy allows it",
	eval.ResourcePolicy:      "the resource-based policy does not allow it",
	eval.PermissionsBoundary: "the permissions boundary does not allow it",
	eval.SCP:                 "a service control policy does not allow it",
	eval.RCP:                 "a resource control policy denies it",
	eval.SessionPolicy:       "the session policy does not allow it",
	eval.EndpointPolicy:      "the VPC endpoint policy does not allow it",
}

// BlockedPhrase says, for a "why:" line, that a policy kind does not allow
// a request: "the permissions boundary does not allow it".
func BlockedPhrase(k eval.Kind) string { return blockedPhrases[k] }
