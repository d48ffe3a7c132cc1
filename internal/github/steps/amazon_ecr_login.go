package steps

import (
	"strings"

	"github.com/iamfit/iamfit/internal/github"
)

// AmazonECRLogin is aws-actions/amazon-ecr-login: the authorization token
// and the registry output that later steps push to.
var AmazonECRLogin = &github.Action{
	Name: "aws-actions/amazon-ecr-login",
	Doc:  "`ecr:GetAuthorizationToken` (private, `registries`) or ECR Public's token; the `registry` output later steps push to",
	Run: func(c *github.Ctx) {
		pos := c.Pos()
		if t, _, ok := c.With("registry-type"); ok && t == "public" {
			c.Add(pos, "amazon-ecr-login: log in to Amazon ECR Public", "ecr-public:GetAuthorizationToken", "*")
			c.Add(pos, "amazon-ecr-login: log in to Amazon ECR Public", "sts:GetServiceBearerToken", "*")
			c.SetOutput("registry", "public.ecr.aws")
			return
		}
		c.Add(pos, "amazon-ecr-login: get a registry authorization token", "ecr:GetAuthorizationToken", "*")
		account := c.Account()
		if regs, _, ok := c.With("registries"); ok && regs != "" {
			account = strings.TrimSpace(strings.Split(regs, ",")[0])
		}
		c.SetOutput("registry", account+".dkr.ecr."+c.Region()+".amazonaws.com")
	},
}
