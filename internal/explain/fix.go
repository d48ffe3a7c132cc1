package explain

import (
	"fmt"
	"strings"

	"github.com/iamfit/iamfit/internal/arn"
	"github.com/iamfit/iamfit/internal/catalog"
	"github.com/iamfit/iamfit/internal/need"
	"github.com/iamfit/iamfit/internal/policy"
)

// Advice is the smallest change that would allow the denied call.
type Advice struct {
	// Where names the policy to change: "the identity-based policy of role gh-deploy".
	Where string
	// Statement is the statement to add there; nil when the fix is to
	// remove or narrow a Deny, or is not a statement.
	Statement *policy.Policy
	// Notes explain the choices and what else to check.
	Notes []string
	// Generalized is set when the denied resource is one run's (a task
	// definition revision, a task, a task's log stream, an image digest)
	// and the statement names what the next run uses instead.
	Generalized *Generalization
}

// RoleOf returns the IAM role ARN of a role session ARN (without the
// role's path, which the session ARN does not carry), or the principal.
func RoleOf(principal string) string {
	a, err := arn.Parse(principal)
	if err != nil || a.Service != "sts" || !strings.HasPrefix(a.Resource, "assumed-role/") {
		return principal
	}
	role, _, _ := strings.Cut(strings.TrimPrefix(a.Resource, "assumed-role/"), "/")
	return "arn:" + a.Partition + ":iam::" + a.Account + ":role/" + role
}

// passRoleServices guesses the service a role is passed to from the
// operation that passed it.
var passRoleServices = map[string]string{
	"RegisterTaskDefinition": "ecs-tasks.amazonaws.com", "RunTask": "ecs-tasks.amazonaws.com", "StartTask": "ecs-tasks.amazonaws.com",
	"CreateService": "ecs.amazonaws.com", "CreateFunction": "lambda.amazonaws.com", "UpdateFunctionConfiguration": "lambda.amazonaws.com",
	"RunInstances": "ec2.amazonaws.com", "CreateStack": "cloudformation.amazonaws.com", "UpdateStack": "cloudformation.amazonaws.com",
	"CreateProject": "codebuild.amazonaws.com", "StartExecution": "states.amazonaws.com",
}

// Fix proposes the smallest change for a denial.
func Fix(d *Denial, cat *catalog.Catalog) Advice {
	var adv Advice
	role := RoleOf(d.Principal)
	who := "the principal"
	if role != "" {
		who = role
	}
	if d.Type == WebIdentity && d.Action == "sts:AssumeRoleWithSAML" {
		adv.Where = "the role's trust policy or the SAML provider"
		adv.Notes = []string{
			"the trust policy must allow sts:AssumeRoleWithSAML for Federated arn:aws:iam::ACCOUNT:saml-provider/NAME (the request's principalArn), with SAML:aud https://signin.aws.amazon.com/saml for console sign-in",
			"its SAML:sub, SAML:namequalifier or other SAML: conditions must match the assertion (CloudTrail records the subject as userName and the name qualifier as identityProvider)",
			"give --trust FILE with --cloudtrail and the failed event for an exact answer",
		}
		return adv
	}
	if d.Type == WebIdentity {
		adv.Where = "the role's trust policy, the OIDC provider, or the workflow"
		if d.TokenError != "" {
			adv.Where = "the account's IAM OIDC provider"
			adv.Notes = append(adv.Notes, fmt.Sprintf("STS could not validate the token (%s): %s", d.TokenError, tokenErrorFix(d.TokenError)))
		}
		adv.Notes = append(adv.Notes,
			"the token's audience must match the trust policy's token.actions.githubusercontent.com:aud condition (sts.amazonaws.com for configure-aws-credentials)",
			"the token's subject (repo:OWNER/REPO:ref:refs/heads/BRANCH, ...:environment:NAME when the job has an environment, ...:pull_request; repo:OWNER@OWNER_ID/REPO@REPO_ID:... for repositories with immutable subjects) must match the :sub condition",
			"the account must have the OIDC provider token.actions.githubusercontent.com with the audience sts.amazonaws.com in its client id list",
			"the job must grant permissions: id-token: write",
			"the role ARN in role-to-assume must be the role whose trust policy you read",
			"give --trust FILE with --sub and --aud, or --cloudtrail with the failed event, for an exact answer",
		)
		return adv
	}
	a := cat.Action(d.Action)
	action := d.Action
	if a != nil {
		action = a.String()
	}
	resource := d.Resource
	if a != nil && a.WildcardOnly() {
		resource = "*"
		adv.Notes = append(adv.Notes, action+` has no resource types: it can only be granted on Resource "*"`)
	}
	if resource == "" {
		resource = "{{ResourceArn}}"
		adv.Notes = append(adv.Notes, "the message names no resource: put the resource ARN in place of {{ResourceArn}}")
	}
	if g, ok := Generalize(resource); ok {
		resource = g.To
		adv.Generalized = &g
		adv.Notes = append(adv.Notes, "generalized "+g.From+" to "+g.To+": "+g.Why)
	}
	actions := []string{action}
	if a != nil {
		actions = append(actions, a.DependentActions...)
	}
	st := &policy.Statement{Effect: policy.Allow, Path: "Statement[0]",
		Sid:      &policy.String{Value: "Allow" + sidPart(action)},
		Action:   &policy.Strings{Values: toStrings(actions), List: len(actions) > 1},
		Resource: &policy.Strings{Values: []policy.String{{Value: resource}}}}
	if strings.EqualFold(action, "iam:PassRole") {
		if svc, ok := passRoleServices[d.Operation]; ok {
			st.Conditions = []*policy.Condition{{Operator: policy.String{Value: "StringEquals"}, Base: "StringEquals",
				Key: policy.String{Value: "iam:PassedToService"}, Values: []policy.Value{{Value: svc}}}}
		} else {
			adv.Notes = append(adv.Notes, `pin iam:PassRole with "Condition": {"StringEquals": {"iam:PassedToService": "SERVICE.amazonaws.com"}} for the service the role is passed to`)
		}
	}
	doc := &policy.Policy{Version: &policy.String{Value: "2012-10-17"}, Statements: []*policy.Statement{st}, StatementList: true}
	switch {
	case d.Explicit:
		adv.Where = fmt.Sprintf("a Deny statement in %s", article(d.Type))
		adv.Notes = append(adv.Notes, "an explicit deny wins over every allow: remove or narrow the Deny statement that matches; no added Allow can fix this",
			"give the policies in force (--policy, --boundary, --scp, --resource-policy) and iamfit points at the statement")
		if d.PolicyARN != "" {
			adv.Notes = append(adv.Notes, "the message names the denying policy: "+d.PolicyARN)
		}
		return adv
	case d.Type == Resource:
		st.Principal = &policy.Principal{Entries: []policy.PrincipalEntry{{Type: "AWS", Values: []policy.String{{Value: role}}}}}
		adv.Where = "the resource-based policy of " + resource + " (a KMS key policy, a role trust policy, or a cross-account resource)"
	case d.Type == Boundary:
		adv.Where = "the permissions boundary of " + who + " (the identity-based policy may allow it already)"
	case d.Type == Session:
		adv.Where = "the session policy passed when " + who + " was assumed"
	case d.Type == SCP:
		adv.Where = "the service control policies of the account's organization: every level (root, OUs, account) must allow it"
		adv.Notes = append(adv.Notes, "SCPs are managed in the organization's management account")
	case d.Type == RCP:
		adv.Where = "the resource control policies of the resource's organization"
	case d.Type == Endpoint:
		adv.Where = "the VPC endpoint policy the call went through"
	default:
		adv.Where = "the identity-based policy of " + who
		if d.Type == Unknown {
			adv.Notes = append(adv.Notes, "the message does not say which policy type denied (older form): most often it is the missing identity-based allow; with --policy and the other policies in force iamfit can tell")
		}
	}
	adv.Statement = doc
	return adv
}

func toStrings(vs []string) []policy.String {
	out := make([]policy.String, len(vs))
	for i, v := range vs {
		out[i] = policy.String{Value: v}
	}
	return out
}

func article(t PolicyType) string {
	switch t {
	case Identity:
		return "an identity-based policy"
	case Unknown:
		return "a policy"
	}
	return "the " + string(t)
}

// sidPart turns "iam:PassRole" into "IamPassRole".
func sidPart(action string) string {
	svc, name, _ := strings.Cut(action, ":")
	return need.Camel(svc) + strings.ReplaceAll(name, "*", "")
}

// tokenErrorFix is the fix for what STS answered about a token it could
// not validate.
func tokenErrorFix(msg string) string {
	if strings.Contains(strings.ToLower(msg), "audience") {
		return "add the token's audience (sts.amazonaws.com for configure-aws-credentials) to the provider's client id list: aws iam add-client-id-to-open-id-connect-provider"
	}
	return "create the IAM OIDC provider for the issuer in the role's account, with the client id sts.amazonaws.com (iamfit generate --provider writes it)"
}
