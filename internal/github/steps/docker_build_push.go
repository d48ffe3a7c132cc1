package steps

import (
	"strings"

	"github.com/iamfit/iamfit/internal/commands"
	"github.com/iamfit/iamfit/internal/github"
)

// DockerBuildPush is docker/build-push-action: pushes of its tags and
// registry caches to ECR.
var DockerBuildPush = &github.Action{
	Name: "docker/build-push-action",
	Doc:  "ECR push of `tags` when `push: true`, and of `cache-to`/`cache-from` registry refs",
	Run:  buildPush,
}

// DepotBuildPush is depot/build-push-action, which takes
// docker/build-push-action's inputs.
var DepotBuildPush = &github.Action{
	Name: "depot/build-push-action",
	Doc:  "as docker/build-push-action",
	Run:  buildPush,
}

func buildPush(c *github.Ctx) {
	{
		push, _, _ := c.With("push")
		tags, pos, _ := c.With("tags")
		if strings.EqualFold(push, "true") {
			for _, t := range strings.FieldsFunc(tags, func(r rune) bool { return r == ',' || r == '\n' }) {
				commands.Image(c, pos, "docker/build-push-action: push "+strings.TrimSpace(t), strings.TrimSpace(t), true)
			}
		}
		for _, k := range []string{"cache-from", "cache-to"} {
			v, cpos, ok := c.With(k)
			if !ok {
				continue
			}
			for _, line := range strings.Split(v, "\n") {
				for _, opt := range strings.Split(line, ",") {
					if ref, ok := strings.CutPrefix(strings.TrimSpace(opt), "ref="); ok {
						commands.Image(c, cpos, "docker/build-push-action: "+k+" "+ref, ref, k == "cache-to")
					}
				}
			}
		}
	}
}
