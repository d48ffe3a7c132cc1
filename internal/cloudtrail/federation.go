package cloudtrail

import (
	"strings"

	"github.com/iamfit/iamfit/internal/arn"
)

// WebIdentity is what an AssumeRoleWithWebIdentity or AssumeRoleWithSAML
// event says about the token (or SAML assertion) presented, decoded here
// once from every form CloudTrail writes; see WebIdentityOf.
type WebIdentity struct {
	// SAML is true for AssumeRoleWithSAML.
	SAML bool
	// Issuer is the issuer host, the prefix of the token's condition keys
	// ("token.actions.githubusercontent.com", "accounts.google.com",
	// "cognito-identity.amazonaws.com", "oidc.eks.REGION.amazonaws.com/id/X");
	// for SAML it is the assertion's name qualifier (SAML:namequalifier).
	Issuer string
	// ProviderARN is the IAM identity provider when the event names it:
	// arn:aws:iam::ACCOUNT:oidc-provider/ISSUER for an IAM OIDC provider,
	// arn:aws:iam::ACCOUNT:saml-provider/NAME for SAML; empty for the
	// providers built into AWS (Cognito, Google, Login with Amazon, Facebook)
	// and for logs that name the issuer host only.
	ProviderARN string
	// Audience is the token's aud (the application or client id); empty
	// when the event does not record it (SAML assertions).
	Audience string
	// Subject is the token's sub (SAML: the assertion's subject).
	Subject string
	// RoleARN is the role the token was presented for.
	RoleARN string
}

// WebIdentityOf decodes the token of an AssumeRoleWithWebIdentity or
// AssumeRoleWithSAML event. CloudTrail writes userIdentity in these forms
// (AWS CloudTrail User Guide, "CloudTrail userIdentity element", section
// "Values for AWS STS APIs with SAML and web identity federation", and IAM
// User Guide, "Logging IAM and AWS STS API calls with AWS CloudTrail",
// examples of the OIDC and SAML events):
//
//   - an IAM OIDC provider: identityProvider is the provider's ARN,
//     arn:aws:iam::ACCOUNT:oidc-provider/ISSUER, and principalId is
//     that ARN, ":", the application id (audience), ":", the user id
//     (subject); userName is the subject;
//   - a provider built into AWS, and older logs: identityProvider is the
//     issuer host (accounts.google.com, cognito-identity.amazonaws.com)
//     and principalId HOST:AUDIENCE:SUBJECT; Cognito's audience (the
//     identity pool id) and subject (the identity id) hold colons
//     themselves ("us-east-1:GUID"), so the subject is cut off the end
//     with userName, never split at the first colon;
//   - SAML (type SAMLUser): identityProvider is the name qualifier,
//     principalId NAMEQUALIFIER:SUBJECT, userName the subject, and the
//     request's principalArn the IAM SAML provider.
func WebIdentityOf(r *Record) (WebIdentity, bool) {
	var w WebIdentity
	switch r.EventName {
	case "AssumeRoleWithWebIdentity":
	case "AssumeRoleWithSAML":
		w.SAML = true
	default:
		return WebIdentity{}, false
	}
	id := &r.UserIdentity
	w.Subject, w.RoleARN = id.UserName, r.Param("roleArn")
	idp, pid := id.IdentityProvider, id.PrincipalID
	if w.SAML {
		w.Issuer, w.ProviderARN = idp, r.Param("principalArn")
		if w.Subject == "" && idp != "" {
			w.Subject = strings.TrimPrefix(pid, idp+":")
		}
		return w, true
	}
	if idp == "" {
		// No provider: the principal id starts with the provider ARN or host.
		idp = providerOfPrincipalID(pid, w.Subject)
	}
	w.Issuer = idp
	if host, ok := oidcProviderHost(idp); ok {
		w.Issuer, w.ProviderARN = host, idp
	}
	w.Issuer = strings.TrimPrefix(w.Issuer, "https://")
	if w.Issuer == "cognito-identity.amazon.com" {
		// The CloudTrail guide's spelling; the condition keys and the
		// principal are cognito-identity.amazonaws.com.
		w.Issuer = "cognito-identity.amazonaws.com"
	}
	rest, ok := strings.CutPrefix(pid, idp+":")
	if !ok && w.Issuer != idp {
		rest, ok = strings.CutPrefix(pid, w.Issuer+":")
	}
	if !ok {
		return w, true
	}
	switch {
	case w.Subject != "" && strings.HasSuffix(rest, ":"+w.Subject):
		w.Audience = strings.TrimSuffix(rest, ":"+w.Subject)
	case w.Subject == "":
		w.Audience, w.Subject, _ = strings.Cut(rest, ":")
	}
	return w, true
}

// oidcProviderHost returns the issuer of an IAM OIDC provider ARN.
func oidcProviderHost(s string) (string, bool) {
	if !strings.HasPrefix(s, "arn:") {
		return "", false
	}
	a, err := arn.Parse(s)
	if err != nil || a.Service != "iam" {
		return "", false
	}
	return strings.CutPrefix(a.Resource, "oidc-provider/")
}

// providerOfPrincipalID recovers the provider from a principal id
// PROVIDER:AUDIENCE:SUBJECT whose event names no identityProvider.
func providerOfPrincipalID(pid, sub string) string {
	if sub != "" {
		pid = strings.TrimSuffix(pid, ":"+sub)
	}
	if strings.HasPrefix(pid, "arn:") {
		// arn:PARTITION:iam::ACCOUNT:oidc-provider/HOST:AUDIENCE
		parts := strings.SplitN(pid, ":", 7)
		if len(parts) == 7 {
			return strings.Join(parts[:6], ":")
		}
		return ""
	}
	host, _, _ := strings.Cut(pid, ":")
	return host
}

// FederationFailed reports whether the event is an AssumeRoleWithWebIdentity
// or AssumeRoleWithSAML call that STS refused: denied by the trust policy
// (AccessDenied), or a token or assertion it could not validate
// (InvalidIdentityToken: no OIDC provider for the issuer in the account, an
// audience not in the provider's client ids; IDPRejectedClaim;
// ExpiredToken).
func (r *Record) FederationFailed() bool {
	if r.EventName != "AssumeRoleWithWebIdentity" && r.EventName != "AssumeRoleWithSAML" {
		return false
	}
	switch strings.TrimSuffix(r.ErrorCode, "Exception") {
	case "AccessDenied", "InvalidIdentityToken", "IDPRejectedClaim", "ExpiredToken", "IDPCommunicationError":
		return true
	}
	return false
}
