package steps

import (
	"strings"

	"github.com/iamfit/iamfit/internal/github"
)

// AmazonECSRenderTaskDefinition is aws-actions/amazon-ecs-render-task-definition:
// rendering a file makes no AWS call; rendering from a family or ARN
// describes the task definition.
var AmazonECSRenderTaskDefinition = &github.Action{
	Name: "aws-actions/amazon-ecs-render-task-definition",
	Doc:  "a file: no call (later steps deploy that file, with the `image` the execution role pulls); a family or ARN: `ecs:DescribeTaskDefinition`",
	Run: func(c *github.Ctx) {
		if file, _, ok := c.With("task-definition"); ok {
			// Rendering an already rendered file keeps pointing at the original.
			if prev, ok := c.Rendered(strings.TrimSuffix(strings.TrimPrefix(file, "{{"), ".task-definition}}")); ok {
				file = prev
			}
			c.SetRendered(file)
			if name, _, ok := c.With("container-name"); ok {
				if image, pos, ok := c.With("image"); ok && image != "" {
					// The deployed task definition runs this image: the
					// execution role pulls it.
					c.SetImage(file, name, image, pos)
				}
			}
			return
		}
		for _, k := range []string{"task-definition-family", "task-definition-arn"} {
			if _, pos, ok := c.With(k); ok {
				c.Add(pos, "amazon-ecs-render-task-definition: read the current task definition", "ecs:DescribeTaskDefinition", "*")
				c.SetRendered("")
				return
			}
		}
	},
}
