package cloudtrail

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"
)

// TestWebIdentityOf decodes userIdentity in each form CloudTrail writes for
// AssumeRoleWithWebIdentity and AssumeRoleWithSAML. The events follow AWS's
// documentation:
//   - https://docs.aws.amazon.com/awscloudtrail/latest/userguide/cloudtrail-event-reference-user-identity.html
//     ("Values for AWS STS APIs with SAML and web identity federation":
//     principalId is the issuer, application id and user id; userName the
//     user id; identityProvider the issuer, accounts.google.com and
//     cognito-identity.amazon[aws].com for the built-in providers; for SAML
//     the name qualifier and subject);
//   - https://docs.aws.amazon.com/IAM/latest/UserGuide/cloudtrail-integration.html
//     ("Example OIDC AWS STS API event in CloudTrail log file": for an IAM
//     OIDC provider, identityProvider is arn:aws:iam::ACCOUNT:oidc-provider/ISSUER
//     and principalId starts with that ARN; "Example SAML AWS STS API event":
//     type SAMLUser, requestParameters.principalArn the SAML provider).
func TestWebIdentityOf(t *testing.T) {
	const ghSub = "repo:octo-org/shop:ref:refs/heads/main"
	tests := []struct {
		name, event, identity, params string
		want                          WebIdentity
	}{
		{"IAM OIDC provider, ARN form", "AssumeRoleWithWebIdentity",
			`{"type": "WebIdentityUser", "principalId": "arn:aws:iam::111122223333:oidc-provider/token.actions.githubusercontent.com:sts.amazonaws.com:` + ghSub + `",
			  "userName": "` + ghSub + `", "identityProvider": "arn:aws:iam::111122223333:oidc-provider/token.actions.githubusercontent.com"}`,
			`{"roleArn": "arn:aws:iam::111122223333:role/deploy", "roleSessionName": "GitHubActions"}`,
			WebIdentity{Issuer: "token.actions.githubusercontent.com", ProviderARN: "arn:aws:iam::111122223333:oidc-provider/token.actions.githubusercontent.com",
				Audience: "sts.amazonaws.com", Subject: ghSub, RoleARN: "arn:aws:iam::111122223333:role/deploy"}},
		{"IAM OIDC provider with a path (EKS)", "AssumeRoleWithWebIdentity",
			`{"type": "WebIdentityUser", "principalId": "arn:aws:iam::111122223333:oidc-provider/oidc.eks.us-west-2.amazonaws.com/id/A824:sts.amazonaws.com:system:serviceaccount:argo:app",
			  "userName": "system:serviceaccount:argo:app", "identityProvider": "arn:aws:iam::111122223333:oidc-provider/oidc.eks.us-west-2.amazonaws.com/id/A824"}`,
			`{"roleArn": "arn:aws:iam::111122223333:role/app"}`,
			WebIdentity{Issuer: "oidc.eks.us-west-2.amazonaws.com/id/A824", ProviderARN: "arn:aws:iam::111122223333:oidc-provider/oidc.eks.us-west-2.amazonaws.com/id/A824",
				Audience: "sts.amazonaws.com", Subject: "system:serviceaccount:argo:app", RoleARN: "arn:aws:iam::111122223333:role/app"}},
		{"bare host form", "AssumeRoleWithWebIdentity",
			`{"type": "WebIdentityUser", "principalId": "token.actions.githubusercontent.com:sts.amazonaws.com:` + ghSub + `",
			  "userName": "` + ghSub + `", "identityProvider": "token.actions.githubusercontent.com"}`,
			`{"roleArn": "arn:aws:iam::111122223333:role/deploy"}`,
			WebIdentity{Issuer: "token.actions.githubusercontent.com", Audience: "sts.amazonaws.com", Subject: ghSub, RoleARN: "arn:aws:iam::111122223333:role/deploy"}},
		{"Google (the guide's example)", "AssumeRoleWithWebIdentity",
			`{"type": "WebIdentityUser", "principalId": "accounts.google.com:application-id.apps.googleusercontent.com:user-id",
			  "userName": "user-id", "identityProvider": "accounts.google.com"}`,
			`{"roleArn": "arn:aws:iam::111122223333:role/web"}`,
			WebIdentity{Issuer: "accounts.google.com", Audience: "application-id.apps.googleusercontent.com", Subject: "user-id", RoleARN: "arn:aws:iam::111122223333:role/web"}},
		{"Cognito: colons in audience and subject", "AssumeRoleWithWebIdentity",
			`{"type": "WebIdentityUser", "principalId": "cognito-identity.amazonaws.com:us-east-1:0a1b2c3d-1111-2222-3333-444455556666:us-east-1:9f8e7d6c-aaaa-bbbb-cccc-ddddeeeeffff",
			  "userName": "us-east-1:9f8e7d6c-aaaa-bbbb-cccc-ddddeeeeffff", "identityProvider": "cognito-identity.amazonaws.com"}`,
			`{"roleArn": "arn:aws:iam::111122223333:role/Cognito_Unauth"}`,
			WebIdentity{Issuer: "cognito-identity.amazonaws.com", Audience: "us-east-1:0a1b2c3d-1111-2222-3333-444455556666",
				Subject: "us-east-1:9f8e7d6c-aaaa-bbbb-cccc-ddddeeeeffff", RoleARN: "arn:aws:iam::111122223333:role/Cognito_Unauth"}},
		{"Cognito as the guide spells it", "AssumeRoleWithWebIdentity",
			`{"type": "WebIdentityUser", "principalId": "cognito-identity.amazon.com:us-east-1:pool:us-east-1:user",
			  "userName": "us-east-1:user", "identityProvider": "cognito-identity.amazon.com"}`, `{}`,
			WebIdentity{Issuer: "cognito-identity.amazonaws.com", Audience: "us-east-1:pool", Subject: "us-east-1:user"}},
		{"no identityProvider, ARN principal id", "AssumeRoleWithWebIdentity",
			`{"type": "WebIdentityUser", "principalId": "arn:aws:iam::111122223333:oidc-provider/token.actions.githubusercontent.com:sts.amazonaws.com:` + ghSub + `",
			  "userName": "` + ghSub + `"}`, `{}`,
			WebIdentity{Issuer: "token.actions.githubusercontent.com", ProviderARN: "arn:aws:iam::111122223333:oidc-provider/token.actions.githubusercontent.com",
				Audience: "sts.amazonaws.com", Subject: ghSub}},
		{"SAML (the guide's example)", "AssumeRoleWithSAML",
			`{"type": "SAMLUser", "principalId": "SampleUkh1i4+ExamplexL/jEvs=:SamlExample", "userName": "SamlExample", "identityProvider": "SampleUkh1i4+ExamplexL/jEvs="}`,
			`{"roleArn": "arn:aws:iam::444455556666:role/SAMLTestRoleShibboleth", "principalArn": "arn:aws:iam::444455556666:saml-provider/Shibboleth", "durationSeconds": 1800}`,
			WebIdentity{SAML: true, Issuer: "SampleUkh1i4+ExamplexL/jEvs=", ProviderARN: "arn:aws:iam::444455556666:saml-provider/Shibboleth",
				Subject: "SamlExample", RoleARN: "arn:aws:iam::444455556666:role/SAMLTestRoleShibboleth"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			raw := `{"eventSource": "sts.amazonaws.com", "eventName": "` + tt.event + `", "userIdentity": ` + tt.identity +
				`, "errorCode": "AccessDenied", "requestParameters": ` + tt.params + `}`
			var r Record
			if err := decodeRecord([]byte(raw), &r); err != nil {
				t.Fatal(err)
			}
			got, ok := WebIdentityOf(&r)
			if !ok || got != tt.want {
				t.Errorf("got  %+v\nwant %+v", got, tt.want)
			}
			if !r.FederationFailed() {
				t.Error("FederationFailed is false")
			}
		})
	}
	if _, ok := WebIdentityOf(&Record{EventName: "AssumeRole"}); ok {
		t.Error("AssumeRole is not a web identity event")
	}
	var r Record
	json.Unmarshal([]byte(`{"eventName": "AssumeRoleWithWebIdentity", "errorCode": "InvalidIdentityToken"}`), &r)
	if !r.FederationFailed() {
		t.Error("an InvalidIdentityToken failure is a failed federation")
	}
}

// TestSyntheticFederation: the synthetic logs write the forms real logs
// have, and WebIdentityOf decodes each of them.
func TestSyntheticFederation(t *testing.T) {
	var b bytes.Buffer
	if err := Synthetic(&b, SyntheticOptions{Records: 2000, Seed: 7}); err != nil {
		t.Fatal(err)
	}
	oidc, saml := 0, 0
	_, err := Read(writeTemp(t, b.Bytes()), func(r *Record) error {
		w, ok := WebIdentityOf(r)
		if !ok {
			return nil
		}
		if !r.FederationFailed() {
			t.Errorf("%s not failed", r.EventName)
		}
		switch {
		case w.SAML:
			saml++
			if w.ProviderARN != "arn:aws:iam::123456789012:saml-provider/corp-idp" || w.Subject != "jdoe@example.com" || w.Issuer == "" {
				t.Errorf("SAML: %+v", w)
			}
		default:
			oidc++
			if w.ProviderARN != "arn:aws:iam::123456789012:oidc-provider/token.actions.githubusercontent.com" ||
				w.Issuer != "token.actions.githubusercontent.com" || w.Audience != "sts.amazonaws.com" || !strings.HasPrefix(w.Subject, "repo:octo-org/web:") {
				t.Errorf("OIDC: %+v", w)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if oidc == 0 || saml == 0 {
		t.Errorf("%d web identity and %d SAML events", oidc, saml)
	}
}
