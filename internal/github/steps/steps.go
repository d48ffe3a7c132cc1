// Package steps holds what iamfit knows of each GitHub action: one
// github.Action value per action, in its own file, listed by All.
package steps

import "github.com/iamfit/iamfit/internal/github"

// All returns the knowledge of every action iamfit knows, sorted by name.
func All() []*github.Action {
	return []*github.Action{
		ConfigureAWSCredentials,
		AmazonECRLogin,
		AmazonECSDeployTaskDefinition,
		AmazonECSRenderTaskDefinition,
		DockerBuildPush,
	}
}
