package lint

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/iamfit/iamfit/internal/catalog"
	"github.com/iamfit/iamfit/internal/policy"
	"github.com/iamfit/iamfit/internal/source"
)

// fixCase is one statement that used to raise a false alarm (or that must
// keep raising a true one), with the AWS documentation that says which.
type fixCase struct {
	name      string
	check     *Check
	statement string // one statement, as JSON
	// want is the highest severity the check may report: "" for no
	// finding, "warning", "error".
	want string
	// ref is the AWS page that documents the behaviour.
	ref string
}

// runFix lints a policy of the one statement with the one check and
// returns its findings.
func runFix(t *testing.T, c fixCase) []source.Diagnostic {
	t.Helper()
	doc := `{"Version":"2012-10-17","Statement":[` + c.statement + `]}`
	if !json.Valid([]byte(doc)) {
		t.Fatalf("invalid JSON: %s", doc)
	}
	f := source.NewFile(c.name+".json", []byte(doc))
	return File(f, catalog.MustLoad(), Options{Type: policy.Identity, Checks: []*Check{c.check}}).Diagnostics
}

func checkFix(t *testing.T, c fixCase) {
	t.Helper()
	if c.ref == "" {
		t.Errorf("%s: no AWS reference", c.name)
	}
	diags := runFix(t, c)
	got := ""
	for _, d := range diags {
		if got == "" || d.Severity == source.Error {
			got = d.Severity.String()
		}
	}
	if got != c.want {
		var b strings.Builder
		for _, d := range diags {
			b.WriteString("\n\t" + d.String())
		}
		t.Errorf("%s: highest severity %q, want %q (see %s):%s", c.name, got, c.want, c.ref, b.String())
	}
}

// TestResourceMismatchFixes: resource ARNs valid for the action's resource
// types (every format of a type, names holding '/' or ':', AWS-owned
// resources with an empty account, policy variables, services that share a
// prefix) are not errors; ARNs that can denote no resource are.
func TestResourceMismatchFixes(t *testing.T) {
	const sar = "https://docs.aws.amazon.com/service-authorization/latest/reference/"
	tests := []fixCase{
		{name: "elbv2-addtags-targetgroup", want: "",
			statement: `{"Effect":"Allow","Action":"elasticloadbalancing:AddTags","Resource":"arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/k8s-*/*"}`,
			ref:       sar + "list_awselasticloadbalancingv2.html"},
		{name: "elbv2-addtags-alb", want: "",
			statement: `{"Effect":"Allow","Action":["elasticloadbalancing:AddTags","elasticloadbalancing:RemoveTags"],"Resource":["arn:aws:elasticloadbalancing:*:*:loadbalancer/app/*/*","arn:aws:elasticloadbalancing:*:*:listener/net/*/*/*"]}`,
			ref:       sar + "list_awselasticloadbalancingv2.html"},
		{name: "apigateway-two-formats", want: "",
			statement: `{"Effect":"Allow","Action":"apigateway:SetWebACL","Resource":"arn:aws:apigateway:us-east-1::/restapis/a1b2c3/stages/prod"}`,
			ref:       sar + "list_amazonapigatewaymanagement.html"},
		{name: "ssm-aws-owned-document", want: "",
			statement: `{"Effect":"Allow","Action":"ssm:SendCommand","Resource":["arn:aws:ssm:us-east-1::document/AWS-RunShellScript","arn:aws:ec2:us-east-1:123456789012:instance/*"]}`,
			ref:       "https://docs.aws.amazon.com/arc-region-switch/latest/api/API_SsmDocumentConfig.html"},
		{name: "config-service-linked-rule", want: "",
			statement: `{"Effect":"Allow","Action":["config:PutConfigRule","config:DeleteConfigRule"],"Resource":"arn:aws:config:*:*:config-rule/aws-service-rule/securityhub.amazonaws.com/*"}`,
			ref:       sar + "list_awsconfig.html"},
		{name: "rds-backup-snapshot-colon", want: "",
			statement: `{"Effect":"Allow","Action":"rds:DeleteDBSnapshot","Resource":"arn:aws:rds:*:*:snapshot:awsbackup:*"}`,
			ref:       "https://docs.aws.amazon.com/aws-backup/latest/devguide/iam-service-roles.html"},
		{name: "opensearch-domain-path", want: "",
			statement: `{"Effect":"Allow","Action":"es:ESHttpGet","Resource":"arn:aws:es:us-east-1:123456789012:domain/logs/_cat/indices"}`,
			ref:       "https://docs.aws.amazon.com/opensearch-service/latest/developerguide/ac.html"},
		{name: "lambda-alias", want: "",
			statement: `{"Effect":"Allow","Action":"lambda:InvokeFunction","Resource":"arn:aws:lambda:us-east-1:123456789012:function:app:live"}`,
			ref:       "https://docs.aws.amazon.com/lambda/latest/dg/lambda-api-permissions-ref.html"},
		{name: "variable-in-account", want: "",
			statement: `{"Effect":"Allow","Action":"kms:Decrypt","Resource":"arn:*:kms:*:${aws:PrincipalAccount}:key/*"}`,
			ref:       "https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_variables.html"},
		{name: "glue-database-with-colon", want: "",
			statement: `{"Effect":"Allow","Action":"glue:DeleteTable","Resource":"arn:aws:glue:*:*:table/aws:cloudtrail/*"}`,
			ref:       sar + "list_awsglue.html"},
		// The scaling policy exists (no error), but cloudwatch:PutMetricAlarm
		// is not authorized on it (a warning).
		{name: "application-autoscaling-policy", want: "warning",
			statement: `{"Effect":"Allow","Action":"cloudwatch:PutMetricAlarm","Resource":["arn:aws:cloudwatch:*:*:alarm:*","arn:aws:autoscaling:*:*:scalingPolicy:*:resource/dynamodb/table/*"]}`,
			ref:       "https://docs.aws.amazon.com/autoscaling/application/APIReference/API_ScalingPolicy.html"},
		{name: "cloudformation-transform", want: "",
			statement: `{"Effect":"Allow","Action":"cloudformation:CreateChangeSet","Resource":"arn:aws:cloudformation:us-east-1:aws:transform/Serverless-2016-10-31"}`,
			ref:       "https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/control-access-with-iam.html"},
		// Actions the reference lists without resource types are authorized
		// on ARNs all the same (AccessDenied messages name the log group).
		{name: "no-resource-types-on-arn", want: "warning",
			statement: `{"Effect":"Allow","Action":"logs:DescribeLogGroups","Resource":"arn:aws:logs:us-east-1:123456789012:log-group:*"}`,
			ref:       "https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_resource.html"},
		// A type the reference does not list for the action: the statement
		// may grant nothing, but the reference's lists are incomplete.
		{name: "listbucket-on-objects", want: "warning",
			statement: `{"Effect":"Allow","Action":["s3:ListBucket","s3:GetObject"],"Resource":"arn:aws:s3:::b/*"}`,
			ref:       sar + "list_amazons3.html"},
		// ARNs that denote no resource type of their service: certain when
		// the type is known and the rest cannot be filled, or the type is
		// a misspelling of a known one; a type the data does not know may
		// be newer than the data (a warning).
		{name: "secret-without-type", want: "warning",
			statement: `{"Effect":"Allow","Action":"secretsmanager:GetSecretValue","Resource":"arn:aws:secretsmanager:*:*:sqlworkbench!*"}`,
			ref:       sar + "list_awssecretsmanager.html"},
		{name: "stack-without-id", want: "error",
			statement: `{"Effect":"Allow","Action":"cloudformation:DeleteStack","Resource":"arn:aws:cloudformation:*:*:stack/app"}`,
			ref:       sar + "list_awscloudformation.html"},
		{name: "log-group-without-type", want: "warning",
			statement: `{"Effect":"Allow","Action":"logs:CreateLogGroup","Resource":"arn:aws:logs:*:*:/aws-glue/*"}`,
			ref:       sar + "list_amazoncloudwatchlogs.html"},
		{name: "state-machine-case", want: "error",
			statement: `{"Effect":"Allow","Action":"states:StartExecution","Resource":"arn:aws:states:*:*:statemachine:app*"}`,
			ref:       "https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_resource.html"},
		{name: "kms-empty-account", want: "error",
			statement: `{"Effect":"Allow","Action":"kms:Decrypt","Resource":"arn:aws:kms:*::*"}`,
			ref:       sar + "list_awskeymanagementservice.html#awskeymanagementservice-resources-for-iam-policies"},
		{name: "ecs-service-on-cluster", want: "warning",
			statement: `{"Effect":"Allow","Action":"ecs:UpdateService","Resource":"arn:aws:ecs:us-east-1:123456789012:cluster/prod"}`,
			ref:       sar + "list_amazonelasticcontainerservice.html"},
	}
	for _, tt := range tests {
		tt.check = ResourceMismatch
		t.Run(tt.name, func(t *testing.T) { checkFix(t, tt) })
	}
}

// TestNameFixes: names newer than iamfit's data, keys filed under another
// prefix or spelled with the catalog's literal tag template, and keys of
// the credentials are not errors; typos are.
func TestNameFixes(t *testing.T) {
	const sar = "https://docs.aws.amazon.com/service-authorization/latest/reference/"
	tests := []fixCase{
		{name: "retired-service", check: UnknownAction, want: "warning",
			statement: `{"Effect":"Allow","Action":"deepracer:ListModels","Resource":"*"}`,
			ref:       "https://docs.aws.amazon.com/IAM/latest/UserGuide/access-analyzer-reference-policy-checks.html"},
		{name: "action-typo", check: UnknownAction, want: "error",
			statement: `{"Effect":"Allow","Action":"ecr:GetAuthorisationToken","Resource":"*"}`,
			ref:       sar + "list_amazonelasticcontainerregistry.html"},
		{name: "secretsmanager-tag-template", check: UnknownConditionKey, want: "",
			statement: `{"Effect":"Allow","Action":"secretsmanager:GetSecretValue","Resource":"*","Condition":{"StringEquals":{"secretsmanager:ResourceTag/aws:secretsmanager:owningService":"rds"}}}`,
			ref:       sar + "list_awssecretsmanager.html#awssecretsmanager-policy-keys"},
		{name: "catalog-changetype", check: UnknownConditionKey, want: "",
			statement: `{"Effect":"Allow","Action":"aws-marketplace:StartChangeSet","Resource":"*","Condition":{"StringEquals":{"catalog:ChangeType":"AddRevisions"}}}`,
			ref:       sar + "list_awsmarketplacecatalog.html"},
		{name: "ec2-source-instance-arn", check: UnknownConditionKey, want: "",
			statement: `{"Effect":"Allow","Action":"s3:GetObject","Resource":"*","Condition":{"ArnEquals":{"ec2:SourceInstanceARN":"arn:aws:ec2:us-east-1:123456789012:instance/i-0123456789abcdef0"}}}`,
			ref:       "https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/iam-roles-for-amazon-ec2.html"},
		{name: "new-global-key", check: UnknownConditionKey, want: "warning",
			statement: `{"Effect":"Deny","Action":"*","Resource":"*","Condition":{"Bool":{"aws:IsMcpServiceAction":"true"}}}`,
			ref:       "https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html"},
		{name: "key-typo", check: UnknownConditionKey, want: "error",
			statement: `{"Effect":"Deny","Action":"s3:*","Resource":"*","Condition":{"Bool":{"aws:SecureTransprt":"false"}}}`,
			ref:       "https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html#condition-keys-securetransport"},
		{name: "arn-service-of-another-prefix", check: MalformedARN, want: "",
			statement: `{"Effect":"Allow","Action":"servicecatalog:DescribeProduct","Resource":"arn:aws:catalog:us-east-1:123456789012:product/prod-abc"}`,
			ref:       sar + "list_awsservicecatalog.html#awsservicecatalog-resources-for-iam-policies"},
		{name: "passrole-pinned", check: PrivilegeEscalation, want: "",
			statement: `{"Effect":"Allow","Action":"iam:PassRole","Resource":"*","Condition":{"StringEquals":{"iam:PassedToService":"ecs-tasks.amazonaws.com"}}}`,
			ref:       "https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_iam-condition-keys.html#ck_PassedToService"},
		{name: "service-linked-role-pinned", check: PrivilegeEscalation, want: "",
			statement: `{"Effect":"Allow","Action":"iam:CreateServiceLinkedRole","Resource":"*","Condition":{"StringLike":{"iam:AWSServiceName":"ecs.amazonaws.com"}}}`,
			ref:       "https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_create_service-linked-role.html#service-linked-role-permissions"},
		{name: "passrole-unpinned", check: PrivilegeEscalation, want: "warning",
			statement: `{"Effect":"Allow","Action":"iam:PassRole","Resource":"*"}`,
			ref:       "https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_use_passrole.html"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) { checkFix(t, tt) })
	}
}
