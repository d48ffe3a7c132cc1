package explain

import "testing"

func TestParseMessage(t *testing.T) {
	tests := []struct {
		name, text                      string
		principal, action, resource, op string
		typ                             PolicyType
		explicit                        bool
		policyARN                       string
	}{
		{"identity implicit",
			"User: arn:aws:sts::123456789012:assumed-role/gh-deploy/GitHubActions is not authorized to perform: ecs:UpdateService on resource: arn:aws:ecs:us-east-1:123456789012:service/prod/web because no identity-based policy allows the ecs:UpdateService action",
			"arn:aws:sts::123456789012:assumed-role/gh-deploy/GitHubActions", "ecs:UpdateService", "arn:aws:ecs:us-east-1:123456789012:service/prod/web", "", Identity, false, ""},
		{"CLI wrapper",
			"An error occurred (AccessDeniedException) when calling the RegisterTaskDefinition operation: User: arn:aws:sts::123456789012:assumed-role/gh-deploy/GitHubActions is not authorized to perform: iam:PassRole on resource: arn:aws:iam::123456789012:role/web-task because no identity-based policy allows the iam:PassRole action",
			"arn:aws:sts::123456789012:assumed-role/gh-deploy/GitHubActions", "iam:PassRole", "arn:aws:iam::123456789012:role/web-task", "RegisterTaskDefinition", Identity, false, ""},
		{"explicit identity",
			"User: arn:aws:iam::123456789012:user/dev is not authorized to perform: s3:DeleteObject on resource: \"arn:aws:s3:::logs/a.gz\" with an explicit deny in an identity-based policy",
			"arn:aws:iam::123456789012:user/dev", "s3:DeleteObject", "arn:aws:s3:::logs/a.gz", "", Identity, true, ""},
		{"boundary implicit",
			"User: arn:aws:sts::123456789012:assumed-role/app/s is not authorized to perform: sqs:SendMessage on resource: arn:aws:sqs:us-east-1:123456789012:q because no permissions boundary allows the sqs:SendMessage action",
			"arn:aws:sts::123456789012:assumed-role/app/s", "sqs:SendMessage", "arn:aws:sqs:us-east-1:123456789012:q", "", Boundary, false, ""},
		{"boundary explicit",
			"User: arn:aws:sts::123456789012:assumed-role/app/s is not authorized to perform: sqs:SendMessage on resource: arn:aws:sqs:us-east-1:123456789012:q with an explicit deny in a permissions boundary",
			"arn:aws:sts::123456789012:assumed-role/app/s", "sqs:SendMessage", "arn:aws:sqs:us-east-1:123456789012:q", "", Boundary, true, ""},
		{"SCP explicit with policy ARN",
			"User: arn:aws:sts::123456789012:assumed-role/gh-deploy/x is not authorized to perform: ec2:RunInstances on resource: arn:aws:ec2:eu-central-1:123456789012:instance/* with an explicit deny in a service control policy: arn:aws:organizations::111111111111:policy/o-abc/service_control_policy/p-123",
			"arn:aws:sts::123456789012:assumed-role/gh-deploy/x", "ec2:RunInstances", "arn:aws:ec2:eu-central-1:123456789012:instance/*", "", SCP, true, "arn:aws:organizations::111111111111:policy/o-abc/service_control_policy/p-123"},
		{"SCP implicit",
			"User: arn:aws:sts::123456789012:assumed-role/r/s is not authorized to perform: ecs:RunTask on resource: arn:aws:ecs:us-east-1:123456789012:task-definition/web:3 because no service control policy allows the ecs:RunTask action",
			"arn:aws:sts::123456789012:assumed-role/r/s", "ecs:RunTask", "arn:aws:ecs:us-east-1:123456789012:task-definition/web:3", "", SCP, false, ""},
		{"RCP",
			"User: arn:aws:sts::123456789012:assumed-role/r/s is not authorized to perform: s3:GetObject on resource: arn:aws:s3:::b/k with an explicit deny in a resource control policy",
			"arn:aws:sts::123456789012:assumed-role/r/s", "s3:GetObject", "arn:aws:s3:::b/k", "", RCP, true, ""},
		{"resource-based explicit",
			"User: arn:aws:sts::123456789012:assumed-role/r/s is not authorized to perform: kms:Decrypt on resource: arn:aws:kms:us-east-1:123456789012:key/abc with an explicit deny in a resource-based policy",
			"arn:aws:sts::123456789012:assumed-role/r/s", "kms:Decrypt", "arn:aws:kms:us-east-1:123456789012:key/abc", "", Resource, true, ""},
		{"resource-based implicit",
			"User: arn:aws:sts::123456789012:assumed-role/r/s is not authorized to perform: kms:Decrypt on resource: arn:aws:kms:us-east-1:123456789012:key/abc because no resource-based policy allows the kms:Decrypt action",
			"arn:aws:sts::123456789012:assumed-role/r/s", "kms:Decrypt", "arn:aws:kms:us-east-1:123456789012:key/abc", "", Resource, false, ""},
		{"session",
			"User: arn:aws:sts::123456789012:assumed-role/r/s is not authorized to perform: s3:PutObject on resource: arn:aws:s3:::b/k because no session policy allows the s3:PutObject action",
			"arn:aws:sts::123456789012:assumed-role/r/s", "s3:PutObject", "arn:aws:s3:::b/k", "", Session, false, ""},
		{"VPC endpoint",
			"User: arn:aws:sts::123456789012:assumed-role/r/s is not authorized to perform: s3:GetObject on resource: arn:aws:s3:::b/k with an explicit deny in a VPC endpoint policy",
			"arn:aws:sts::123456789012:assumed-role/r/s", "s3:GetObject", "arn:aws:s3:::b/k", "", Endpoint, true, ""},
		{"older form, no because",
			"An error occurred (AccessDeniedException) when calling the GetAuthorizationToken operation: User: arn:aws:sts::123456789012:assumed-role/r/s is not authorized to perform: ecr:GetAuthorizationToken on resource: *",
			"arn:aws:sts::123456789012:assumed-role/r/s", "ecr:GetAuthorizationToken", "*", "GetAuthorizationToken", Unknown, false, ""},
		{"no resource",
			"User: arn:aws:iam::123456789012:user/ci is not authorized to perform: ecs:ListClusters",
			"arn:aws:iam::123456789012:user/ci", "ecs:ListClusters", "", "", Unknown, false, ""},
		{"web identity",
			"Error: Could not assume role with OIDC: Not authorized to perform sts:AssumeRoleWithWebIdentity",
			"", "sts:AssumeRoleWithWebIdentity", "", "", WebIdentity, false, ""},
		{"decoded message",
			`{"DecodedMessage": "{\"allowed\":false,\"explicitDeny\":false,\"matchedStatements\":{\"items\":[]},\"failures\":{\"items\":[]},\"context\":{\"principal\":{\"id\":\"AROA:s\",\"arn\":\"arn:aws:sts::123456789012:assumed-role/r/s\"},\"action\":\"ec2:RunInstances\",\"resource\":\"arn:aws:ec2:us-east-1:123456789012:instance/*\",\"conditions\":{\"items\":[{\"key\":\"ec2:InstanceType\",\"values\":{\"items\":[{\"value\":\"t3.micro\"}]}}]}}}"}`,
			"arn:aws:sts::123456789012:assumed-role/r/s", "ec2:RunInstances", "arn:aws:ec2:us-east-1:123456789012:instance/*", "", Unknown, false, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d, err := ParseMessage(tt.text)
			if err != nil {
				t.Fatal(err)
			}
			if d.Principal != tt.principal || d.Action != tt.action || d.Resource != tt.resource || d.Operation != tt.op ||
				d.Type != tt.typ || d.Explicit != tt.explicit || d.PolicyARN != tt.policyARN {
				t.Errorf("got %+v", d)
			}
		})
	}
	if _, err := ParseMessage("everything is fine"); err == nil {
		t.Error("a text without a denial must be an error")
	}
}

func FuzzParseMessage(f *testing.F) {
	f.Add("User: arn:aws:iam::1:user/u is not authorized to perform: s3:GetObject on resource: arn:aws:s3:::b/k with an explicit deny in a service control policy: arn:x")
	f.Add(`{"DecodedMessage": "{\"context\":{\"action\":\"a\"}}"}`)
	f.Fuzz(func(t *testing.T, s string) { ParseMessage(s) })
}
