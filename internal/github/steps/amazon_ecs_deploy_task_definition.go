package steps

import (
	"fmt"
	"strings"

	"github.com/iamfit/iamfit/internal/commands"
	"github.com/iamfit/iamfit/internal/ecs"
	"github.com/iamfit/iamfit/internal/github"
	"github.com/iamfit/iamfit/internal/need"
)

// AmazonECSDeployTaskDefinition is aws-actions/amazon-ecs-deploy-task-definition:
// register the task definition (passing its roles), then update the
// service (rolling) or start a CodeDeploy deployment (blue/green), and
// optionally run a task.
var AmazonECSDeployTaskDefinition = &github.Action{
	Name: "aws-actions/amazon-ecs-deploy-task-definition",
	Doc:  "register with `iam:PassRole` on the task definition's roles pinned by `iam:PassedToService`, tagging on create with `ecs:CreateAction`, rolling update and wait, `run-task` pinned by `ecs:cluster`, CodeDeploy blue/green",
	Run:  deployTaskDefinition,
}

func deployTaskDefinition(c *github.Ctx) {
	const why = "amazon-ecs-deploy-task-definition"
	value, tdPos, ok := c.With("task-definition")
	if !ok {
		c.Warnf(c.Step.Pos, "task-definition", "amazon-ecs-deploy-task-definition without task-definition input")
		return
	}
	td := c.TaskDefinition(value, tdPos)
	_, tagPos, tags := c.With("tags")
	if tags {
		tdPos = tagPos
	}
	family := commands.RegisterOf(c, tdPos, why, td, tags, value)
	cluster := "default"
	if v, _, ok := c.With("cluster"); ok && v != "" {
		cluster = v
	}
	region, account := c.Region(), c.Account()
	clusterARN := ecs.ClusterARN(region, account, cluster)
	if svc, pos, ok := c.With("service"); ok && svc != "" {
		svcARN := ecs.ServiceARN(region, account, cluster, svc)
		c.Add(pos, why+": read service "+svc+" (its deployment controller)", "ecs:DescribeServices", svcARN)
		_, _, cdApp := c.With("codedeploy-application")
		_, _, cdGroup := c.With("codedeploy-deployment-group")
		_, _, cdSpec := c.With("codedeploy-appspec")
		if cdApp || cdGroup || cdSpec {
			codeDeploy(c, cluster, svc)
		} else {
			c.Add(pos, why+": update service "+svc+" to the new task definition", "ecs:UpdateService", svcARN)
			if w, wpos, ok := c.With("wait-for-service-stability"); ok && strings.EqualFold(w, "true") {
				c.Add(wpos, why+": wait for the service to become stable", "ecs:DescribeServices", svcARN)
			}
		}
	}
	if rt, pos, ok := c.With("run-task"); ok && strings.EqualFold(rt, "true") {
		c.Add(pos, why+": run a task of "+family+" in cluster "+cluster, "ecs:RunTask", ecs.FamilyARN(region, account, family),
			need.Cond{Op: "ArnEquals", Key: "ecs:cluster", Values: []string{clusterARN}})
		if w, _, ok := c.With("wait-for-task-stopped"); ok && strings.EqualFold(w, "true") {
			c.Add(pos, why+": wait for the task to stop", "ecs:DescribeTasks", ecs.TasksARN(region, account, cluster))
		}
	}
}

// codeDeploy adds the needs of a blue/green deployment through CodeDeploy.
func codeDeploy(c *github.Ctx, cluster, svc string) {
	const why = "amazon-ecs-deploy-task-definition (CodeDeploy blue/green)"
	app := "AppECS-" + cluster + "-" + svc
	if v, _, ok := c.With("codedeploy-application"); ok && v != "" {
		app = v
	}
	group := "DgpECS-" + cluster + "-" + svc
	if v, _, ok := c.With("codedeploy-deployment-group"); ok && v != "" {
		group = v
	}
	region, account := c.Region(), c.Account()
	groupARN := fmt.Sprintf("arn:aws:codedeploy:%s:%s:deploymentgroup:%s/%s", region, account, app, group)
	appARN := fmt.Sprintf("arn:aws:codedeploy:%s:%s:application:%s", region, account, app)
	config := need.Param("CodeDeployConfig")
	pos := c.Pos()
	c.Add(pos, why+": read deployment group "+group, "codedeploy:GetDeploymentGroup", groupARN)
	c.Add(pos, why+": start the deployment", "codedeploy:CreateDeployment", groupARN)
	c.Add(pos, why+": register the AppSpec revision", "codedeploy:RegisterApplicationRevision", appARN)
	c.Add(pos, why+": read the deployment group's deployment configuration", "codedeploy:GetDeploymentConfig",
		fmt.Sprintf("arn:aws:codedeploy:%s:%s:deploymentconfig:%s", region, account, config))
	if w, _, ok := c.With("wait-for-service-stability"); ok && strings.EqualFold(w, "true") {
		c.Add(pos, why+": wait for the deployment to succeed", "codedeploy:GetDeployment", groupARN)
	}
}
