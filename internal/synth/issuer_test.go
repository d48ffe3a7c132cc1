package synth

import (
	"strings"
	"testing"

	"github.com/iamfit/iamfit/internal/catalog"
	"github.com/iamfit/iamfit/internal/need"
	"github.com/iamfit/iamfit/internal/policy"
)

// TestTrustOfAnyIssuer: trust is built from the subjects' issuer, so a
// reader of another CI system gets its provider and claim keys; a
// subject with a wildcard in its repository is never written.
func TestTrustOfAnyIssuer(t *testing.T) {
	cat := catalog.MustLoad()
	r := &need.Role{ARN: "arn:aws:iam::111122223333:role/ci", Account: "111122223333", OIDC: true, Kind: need.Deploy,
		Subjects: []need.Subject{{Issuer: "gitlab.example.com", Claim: "sub", Audience: "https://gitlab.example.com",
			Value: "project_path:group/app:ref_type:branch:ref:main"}}}
	p := Generate(r, "group/app", cat)
	if p.Trust == nil {
		t.Fatalf("no trust: %s", p.TrustWithheld)
	}
	data, _ := policy.Marshal(p.Trust)
	for _, want := range []string{"oidc-provider/gitlab.example.com", `"gitlab.example.com:sub": "project_path:group/app:ref_type:branch:ref:main"`, `"gitlab.example.com:aud": "https://gitlab.example.com"`} {
		if !strings.Contains(string(data), want) {
			t.Errorf("trust lacks %s:\n%s", want, data)
		}
	}
	r.Subjects = []need.Subject{{Value: "repo:octo/*:ref:refs/heads/main"}}
	if p := Generate(r, "octo/app", cat); p.Trust != nil || p.TrustWithheld == "" {
		t.Errorf("a wildcard repository got a trust: %+v", p.Trust)
	}
}

// TestSidsAlphanumeric: every generated Sid is letters and digits only,
// as IAM requires, also for resource types whose names hold '/'.
func TestSidsAlphanumeric(t *testing.T) {
	cat := catalog.MustLoad()
	r := &need.Role{ARN: "arn:aws:iam::111122223333:role/d", Account: "111122223333", Kind: need.Deploy, Needs: []need.Need{
		{Action: "elasticloadbalancing:CreateRule", Resource: "arn:aws:elasticloadbalancing:eu-west-1:111122223333:listener/app/lb/1/2"},
		{Action: "elasticloadbalancing:ModifyListener", Resource: "arn:aws:elasticloadbalancing:eu-west-1:111122223333:listener/net/lb/1/2"},
	}}
	for _, st := range Generate(r, "o/r", cat).Statements {
		for _, c := range st.Sid {
			if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9') {
				t.Errorf("Sid %q is not alphanumeric", st.Sid)
				break
			}
		}
	}
}

// TestProofCatchesInvalidGrammar: a generated document IAM would reject
// (a Sid with '/') fails the proof.
func TestProofCatchesInvalidGrammar(t *testing.T) {
	cat := catalog.MustLoad()
	r := &need.Role{ARN: "arn:aws:iam::111122223333:role/d", Account: "111122223333", Kind: need.Deploy, OIDC: true,
		Subjects: []need.Subject{{Value: "repo:o/r:ref:refs/heads/main"}},
		Needs:    []need.Need{{Action: "ecs:UpdateService", Resource: "arn:aws:ecs:eu-west-1:111122223333:service/c/s"}}}
	p := Generate(r, "o/r", cat)
	pr, err := Prove(p, cat)
	if err != nil || len(pr.Failures()) != 0 {
		t.Fatalf("a right plan fails: %v %v", err, pr.Failures())
	}
	p.Policy.Statements[0].Sid.Value = "Ecs/Service"
	pr, err = Prove(p, cat)
	if err != nil || len(pr.Failures()) == 0 {
		t.Errorf("a Sid with '/' passed the proof")
	}
}
