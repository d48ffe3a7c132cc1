package cli

import (
	"bytes"
	"path/filepath"
	"strings"
	"testing"
)

// TestWebIdentityGolden explains failed AssumeRoleWithWebIdentity and
// AssumeRoleWithSAML events against trust policies and compares with
// testdata/webid/*.golden and testdata/webid/forms/*.golden; -update
// rewrites them.
//
// testdata/webid/events.json has a feature branch, an audience of
// "sigstore" and a production token in the bare host form. The events of
// testdata/webid/forms/ are written after AWS's documentation of the
// forms CloudTrail writes, one file a form:
//   - oidc-arn.json: GitHub through the account's IAM OIDC provider:
//     identityProvider is the provider ARN and principalId starts with it
//     (https://docs.aws.amazon.com/IAM/latest/UserGuide/cloudtrail-integration.html,
//     "Example OIDC AWS STS API event in CloudTrail log file");
//   - bare-host.json: the same tokens with the issuer host as
//     identityProvider and principalId HOST:AUDIENCE:SUBJECT
//     (https://docs.aws.amazon.com/awscloudtrail/latest/userguide/cloudtrail-event-reference-user-identity.html,
//     "Values for AWS STS APIs with SAML and web identity federation");
//   - cognito.json: Cognito identity pools, whose audience and subject hold
//     colons (same page, cognito-identity as a built-in provider);
//   - saml.json: AssumeRoleWithSAML, type SAMLUser, principalId
//     NAMEQUALIFIER:SUBJECT, the SAML provider in requestParameters.principalArn
//     (cloudtrail-integration.html, "Example SAML AWS STS API event");
//   - immutable.json: GitHub's immutable subject repo:OWNER@ID/REPO@ID:...;
//   - invalid-token.json: STS's InvalidIdentityToken answers, "No
//     OpenIDConnect provider found in your account for ..." and "Incorrect
//     token audience" (messages as the AWS SDKs and configure-aws-credentials
//     print them).
func TestWebIdentityGolden(t *testing.T) {
	const dir = "testdata/webid"
	const forms = dir + "/forms"
	tests := []struct {
		name, log string
		args      []string
	}{
		// Subject mismatch for all three; audience mismatch for the second.
		{"trust-main", dir + "/events.json", []string{"--trust", dir + "/trust-main.json"}},
		// Admits the production token: the report looks elsewhere, and the
		// workflows show the event's role is not the one they assume.
		{"trust-production", dir + "/events.json", []string{"--trust", dir + "/trust-production.json", "--workflows", dir + "/repo", "--repo", "octo-org/shop"}},
		// Another account's provider and sts:AssumeRole.
		{"trust-wrong-account", dir + "/events.json", []string{"--trust", dir + "/trust-wrong-account.json"}},
		// No trust policy: the tokens' claims only.
		{"no-trust", dir + "/events.json", nil},
		// The IAM OIDC provider's ARN form: the feature branch is refused
		// by its sub condition alone, the production token is admitted and
		// the report says so first, then what else refuses it.
		{"forms/oidc-arn", forms + "/oidc-arn.json", []string{"--trust", dir + "/trust-production.json", "--workflows", dir + "/repo", "--repo", "octo-org/shop"}},
		// The bare host form: the same diagnosis.
		{"forms/bare-host", forms + "/bare-host.json", []string{"--trust", dir + "/trust-production.json"}},
		{"forms/cognito", forms + "/cognito.json", []string{"--trust", forms + "/trust-cognito.json"}},
		{"forms/saml", forms + "/saml.json", []string{"--trust", forms + "/trust-saml.json"}},
		{"forms/saml-no-trust", forms + "/saml.json", nil},
		// The immutable subject against a trust in the classic form; the
		// workflows (read without ids) produce the same run's subject.
		{"forms/immutable", forms + "/immutable.json", []string{"--trust", dir + "/trust-production.json", "--workflows", dir + "/repo", "--repo", "octo-org/shop"}},
		// STS's own answer comes first.
		{"forms/invalid-token", forms + "/invalid-token.json", []string{"--trust", dir + "/trust-production.json"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var out, errb bytes.Buffer
			c := Command{Stdin: &bytes.Buffer{}, Stdout: &out, Stderr: &errb}
			args := append([]string{"explain", "--cloudtrail", tt.log}, tt.args...)
			if code := c.Main(args); code != ExitOK {
				t.Fatalf("exit %d: %s", code, errb.String())
			}
			out.WriteString("--- stderr\n")
			out.Write(errb.Bytes())
			checkGolden(t, filepath.Join(dir, tt.name+".golden"), out.Bytes())
		})
	}
}

// TestWebIdentityForms: the ARN form and the bare host form of the same
// tokens get the same diagnosis of the trust policy, and no satisfied
// condition is ever given as a reason.
func TestWebIdentityForms(t *testing.T) {
	run := func(log string) string {
		var out, errb bytes.Buffer
		c := Command{Stdin: &bytes.Buffer{}, Stdout: &out, Stderr: &errb}
		if code := c.Main([]string{"explain", "--cloudtrail", log, "--trust", "testdata/webid/trust-production.json"}); code != ExitOK {
			t.Fatalf("exit %d: %s", code, errb.String())
		}
		return out.String()
	}
	arnForm, bare := run("testdata/webid/forms/oidc-arn.json"), run("testdata/webid/forms/bare-host.json")
	for _, s := range []string{arnForm, bare} {
		if strings.Contains(s, "not the provider") || strings.Contains(s, "oidc-provider/arn:") {
			t.Errorf("provider misread:\n%s", s)
		}
		for _, line := range strings.Split(s, "\n") {
			if i := strings.Index(line, " wants "); i >= 0 {
				want, got, _ := strings.Cut(line[i+len(" wants "):], "; the token has ")
				if want == got {
					t.Errorf("a satisfied condition given as a reason: %s", line)
				}
			}
		}
	}
	// The decisions agree: same admitted and refused lines (the provider
	// lines differ by form).
	count := func(s, sub string) int { return strings.Count(s, sub) }
	for _, sub := range []string{"the trust policy admits this token", "wants \"repo:octo-org/shop:environment:production\""} {
		if count(arnForm, sub) != 1 || count(bare, sub) != 1 {
			t.Errorf("%q: %d in the ARN form, %d in the bare form", sub, count(arnForm, sub), count(bare, sub))
		}
	}
}
