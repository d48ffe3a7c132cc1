package policy

// builtInWebIdentityProviders are the web identity providers built into
// AWS, which a trust policy names by host as a Federated principal, without
// an IAM identity provider (IAM User Guide, "IAM JSON policy elements:
// Principal", "Federated web identity principals",
// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_principal.html#principal-federated-web-identity).
// cognito-identity.amazonaws.com looks like a service principal but is not
// one.
var builtInWebIdentityProviders = map[string]bool{
	"cognito-identity.amazonaws.com": true,
	"www.amazon.com":                 true,
	"graph.facebook.com":             true,
	"accounts.google.com":            true,
}

// BuiltInWebIdentityProvider reports whether host is one of the web
// identity providers built into AWS (a Federated principal that is not an
// IAM identity provider ARN).
func BuiltInWebIdentityProvider(host string) bool { return builtInWebIdentityProviders[host] }
