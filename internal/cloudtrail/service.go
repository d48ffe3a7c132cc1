package cloudtrail

import "github.com/iamfit/iamfit/internal/calls"

// Service returns the IAM service prefix of an event source
// ("ecs.amazonaws.com" -> "ecs", "monitoring.amazonaws.com" ->
// "cloudwatch"), from the one table of surface names in internal/calls.
func Service(eventSource string) string { return calls.Prefix(eventSource) }

// Caller returns the principal an event is attributed to: the role for a
// role session, else the identity's ARN.
func Caller(r *Record) string {
	if issuer := r.UserIdentity.SessionContext.SessionIssuer.ARN; issuer != "" {
		return issuer
	}
	return r.UserIdentity.ARN
}
