package steps

import (
	"strings"

	"github.com/iamfit/iamfit/internal/arn"
	"github.com/iamfit/iamfit/internal/github"
)

// SecretsManagerGetSecrets is aws-actions/aws-secretsmanager-get-secrets:
// each secret-ids line (ALIAS,ID or ID) is read with GetSecretValue; a
// name with a wildcard is first looked up with ListSecrets.
var SecretsManagerGetSecrets = &github.Action{
	Name: "aws-actions/aws-secretsmanager-get-secrets",
	Doc:  "`secretsmanager:GetSecretValue` on each of `secret-ids` (names with `*`: `secretsmanager:ListSecrets` too)",
	Run: func(c *github.Ctx) {
		ids, pos, ok := c.With("secret-ids")
		if !ok {
			c.Warnf(c.Pos(), "unknown-step", "aws-secretsmanager-get-secrets without secret-ids: no secret to read")
			return
		}
		for _, line := range strings.Split(ids, "\n") {
			line = strings.TrimSpace(line)
			if line == "" {
				continue
			}
			id := line
			if _, after, found := strings.Cut(line, ","); found {
				id = strings.TrimSpace(after)
			}
			why := "aws-secretsmanager-get-secrets: read " + id
			if strings.Contains(id, "*") && !strings.HasPrefix(id, "arn:") {
				c.Add(pos, why+" (a name pattern: the action lists the secrets)", "secretsmanager:ListSecrets", "*")
			}
			c.Add(pos, why, "secretsmanager:GetSecretValue", secretARN(c, id))
		}
	},
}

// secretARN turns a secret name into an ARN pattern: Secrets Manager adds
// a six-character suffix to the name (the "-??????" of its documented
// ARN format), and the name may already be an ARN.
func secretARN(c *github.Ctx, id string) string {
	if strings.HasPrefix(id, "arn:") {
		if _, ok := arn.Split(id); ok {
			return id
		}
	}
	return "arn:aws:secretsmanager:" + c.Region() + ":" + c.Account() + ":secret:" + id + "-??????"
}
