package steps

import "github.com/iamfit/iamfit/internal/github"

// ConfigureAWSCredentials is aws-actions/configure-aws-credentials. The
// job reader itself follows it (it decides the job's role, region and
// trust subjects); this value documents it.
var ConfigureAWSCredentials = &github.Action{
	Name: "aws-actions/configure-aws-credentials",
	Doc:  "the role the job assumes (`role-to-assume` with OIDC; stored keys; `role-chaining`: `sts:AssumeRole` and `sts:TagSession` on the next role) and the region",
}
