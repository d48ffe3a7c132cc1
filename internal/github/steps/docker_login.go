package steps

import (
	"strings"

	"github.com/iamfit/iamfit/internal/github"
)

// DockerLogin is docker/login-action: logging in to an ECR registry gets
// the registry's authorization token with the job's AWS credentials;
// other registries make no AWS call.
var DockerLogin = &github.Action{
	Name: "docker/login-action",
	Doc:  "an ECR `registry`: `ecr:GetAuthorizationToken` (ECR Public: its token and `sts:GetServiceBearerToken`); other registries: no call",
	Run: func(c *github.Ctx) {
		reg, pos, _ := c.With("registry")
		switch {
		case reg == "public.ecr.aws":
			c.Add(pos, "docker/login-action: log in to Amazon ECR Public", "ecr-public:GetAuthorizationToken", "*")
			c.Add(pos, "docker/login-action: log in to Amazon ECR Public", "sts:GetServiceBearerToken", "*")
		case strings.Contains(reg, ".dkr.ecr.") && strings.Contains(reg, ".amazonaws.com"):
			c.Add(pos, "docker/login-action: get an authorization token for "+reg, "ecr:GetAuthorizationToken", "*")
		}
	},
}
