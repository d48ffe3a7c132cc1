package cloudtrail

import "strings"

// eventServices maps event sources whose prefix is not the IAM prefix.
var eventServices = map[string]string{
	"monitoring": "cloudwatch", "email": "ses", "elasticfilesystem": "elasticfilesystem",
	"elasticloadbalancing": "elasticloadbalancing", "tagging": "tag", "es": "es",
}

// Service returns the IAM service prefix of an event source
// ("ecs.amazonaws.com" -> "ecs").
func Service(eventSource string) string {
	s := strings.TrimSuffix(strings.TrimSuffix(eventSource, ".amazonaws.com"), ".amazonaws.com.cn")
	if p, ok := eventServices[s]; ok {
		return p
	}
	return s
}

// Caller returns the principal an event is attributed to: the role for a
// role session, else the identity's ARN.
func Caller(r *Record) string {
	if issuer := r.UserIdentity.SessionContext.SessionIssuer.ARN; issuer != "" {
		return issuer
	}
	return r.UserIdentity.ARN
}
