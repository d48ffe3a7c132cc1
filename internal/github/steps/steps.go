// Package steps holds what iamfit knows of each GitHub action: one
// github.Action value per action, in its own file, listed by All.
package steps

import (
	"sort"

	"github.com/iamfit/iamfit/internal/github"
)

// All returns the knowledge of every action iamfit knows, sorted by name.
func All() []*github.Action {
	out := []*github.Action{
		ConfigureAWSCredentials,
		AmazonECRLogin,
		AmazonECSDeployTaskDefinition,
		AmazonECSRenderTaskDefinition,
		SecretsManagerGetSecrets,
		DockerBuildPush,
		DepotBuildPush,
		DockerLogin,
	}
	out = append(out, quiet()...)
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out
}
