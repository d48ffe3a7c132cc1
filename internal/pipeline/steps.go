package pipeline

import (
	"fmt"
	"strings"

	"github.com/iamfit/iamfit/internal/ecs"
	"github.com/iamfit/iamfit/internal/need"
	"github.com/iamfit/iamfit/internal/source"
	"github.com/iamfit/iamfit/internal/workflow"
)

// step dispatches one step to the knowledge of its action or script.
func (a *analyzer) step(st *jobState, s *workflow.Step) {
	if s.Run != nil {
		a.run(st, s)
		return
	}
	name, _ := s.Action()
	with := func(k string) (string, source.Pos, bool) {
		v, ok := s.With.Get(k)
		if !ok {
			return "", s.Pos, false
		}
		return st.scope.Expand(v.Value), v.Pos, true
	}
	switch name {
	case "aws-actions/configure-aws-credentials":
		a.configureCredentials(st, s, with)
	case "aws-actions/amazon-ecr-login":
		a.ecrLogin(st, s, with)
	case "aws-actions/amazon-ecs-render-task-definition":
		a.renderTaskDefinition(st, s, with)
	case "aws-actions/amazon-ecs-deploy-task-definition":
		a.deployTaskDefinition(st, s, with)
	case "docker/build-push-action":
		a.buildPushAction(st, s, with)
	default:
		if strings.HasPrefix(name, "aws-actions/") {
			a.warnf(st.w.File.Name, s.Uses.Pos, "unknown-step", "iamfit does not know which AWS calls %s makes; its needs are not included", s.Uses.Value)
		}
	}
}

// configureCredentials handles aws-actions/configure-aws-credentials: the
// role the job assumes (by OIDC, or chained from the current role) and the
// region.
func (a *analyzer) configureCredentials(st *jobState, s *workflow.Step, with func(string) (string, source.Pos, bool)) {
	if r, _, ok := with("aws-region"); ok {
		st.region = r
	}
	roleARN, pos, ok := with("role-to-assume")
	if !ok {
		if _, _, keys := with("aws-access-key-id"); keys {
			a.warnf(st.w.File.Name, s.Pos, "stored-keys", "this step uses stored access keys: iamfit derives the permissions, but there is no OIDC trust to generate; prefer role-to-assume with id-token: write")
			st.role = a.role(workflow.Param("DeployPrincipalArn"))
		}
		return
	}
	if !strings.HasPrefix(roleARN, "arn:") && !workflow.HasParams(roleARN) {
		// A role name: the action resolves it in the current account.
		roleARN = "arn:aws:iam::" + st.account() + ":role/" + roleARN
	}
	chaining := false
	if v, _, ok := with("role-chaining"); ok && strings.EqualFold(v, "true") {
		chaining = true
	}
	_, _, keys := with("aws-access-key-id")
	if st.role != nil && (chaining || keys) {
		// Role chaining: the current role assumes the next one.
		prev := st.role
		why := "configure-aws-credentials: assume " + roleARN + " from " + prev.ARN
		a.add(st, pos, why, "sts:AssumeRole", roleARN)
		a.add(st, pos, why, "sts:TagSession", roleARN)
		next := a.role(roleARN)
		next.AssumedBy = prev.ARN
		st.role = next
		return
	}
	r := a.role(roleARN)
	r.OIDC = true
	if st.region != "" && r.Region == "" {
		r.Region = st.region
	}
	r.Jobs = append(r.Jobs, st.w.File.Name+":"+st.job.ID.Value)
	st.role = r
	a.subjects(st, r, s)
	perm := st.job.Permissions
	if !perm.Set {
		perm = st.w.Permissions
	}
	if !perm.IDTokenWrite() {
		a.warnf(st.w.File.Name, st.job.ID.Pos, "id-token-permission", "job %s assumes %s with OIDC but does not grant permissions: id-token: write; the step will fail with \"Credentials could not be loaded\"", st.job.ID.Value, roleARN)
	}
}

// ecrLogin handles aws-actions/amazon-ecr-login: the authorization token
// and the registry output that later steps push to.
func (a *analyzer) ecrLogin(st *jobState, s *workflow.Step, with func(string) (string, source.Pos, bool)) {
	pos := s.Uses.Pos
	if t, _, ok := with("registry-type"); ok && t == "public" {
		a.add(st, pos, "amazon-ecr-login: log in to Amazon ECR Public", "ecr-public:GetAuthorizationToken", "*")
		a.add(st, pos, "amazon-ecr-login: log in to Amazon ECR Public", "sts:GetServiceBearerToken", "*")
		a.setOutput(st, s, "registry", "public.ecr.aws")
		return
	}
	a.add(st, pos, "amazon-ecr-login: get a registry authorization token", "ecr:GetAuthorizationToken", "*")
	account := st.account()
	if regs, _, ok := with("registries"); ok && regs != "" {
		account = strings.TrimSpace(strings.Split(regs, ",")[0])
	}
	a.setOutput(st, s, "registry", account+".dkr.ecr."+st.regionOr()+".amazonaws.com")
}

func (a *analyzer) setOutput(st *jobState, s *workflow.Step, key, value string) {
	if s.ID == nil {
		return
	}
	if st.scope.Outputs[s.ID.Value] == nil {
		st.scope.Outputs[s.ID.Value] = map[string]string{}
	}
	st.scope.Outputs[s.ID.Value][key] = value
}

// renderTaskDefinition handles aws-actions/amazon-ecs-render-task-definition:
// rendering a file makes no AWS call; rendering from a family or ARN
// describes the task definition.
func (a *analyzer) renderTaskDefinition(st *jobState, s *workflow.Step, with func(string) (string, source.Pos, bool)) {
	if file, _, ok := with("task-definition"); ok {
		// Rendering an already rendered file keeps pointing at the original.
		if prev, ok := st.rendered[strings.TrimSuffix(strings.TrimPrefix(file, "{{"), ".task-definition}}")]; ok {
			file = prev
		}
		if s.ID != nil {
			st.rendered[s.ID.Value] = file
		}
		return
	}
	for _, k := range []string{"task-definition-family", "task-definition-arn"} {
		if _, pos, ok := with(k); ok {
			a.add(st, pos, "amazon-ecs-render-task-definition: read the current task definition", "ecs:DescribeTaskDefinition", "*")
			if s.ID != nil {
				st.rendered[s.ID.Value] = ""
			}
			return
		}
	}
}

// taskDefinition resolves the task-definition input of a deploy step to a
// file and reads it.
func (a *analyzer) taskDefinition(st *jobState, value string, pos source.Pos) *ecs.TaskDefinition {
	file := value
	if strings.HasPrefix(value, "{{") && strings.HasSuffix(value, ".task-definition}}") {
		id := strings.TrimSuffix(strings.TrimPrefix(value, "{{"), ".task-definition}}")
		if f, ok := st.rendered[id]; ok {
			file = f
		}
	}
	if file == "" || workflow.HasParams(file) {
		a.warnf(st.w.File.Name, pos, "task-definition", "the task definition %q is not a file in the repository: its family and roles become parameters", value)
		return nil
	}
	f, err := a.readFile(file)
	if err != nil {
		a.warnf(st.w.File.Name, pos, "task-definition", "cannot read task definition %s: %v; its family and roles become parameters", file, err)
		return nil
	}
	td, diags := ecs.Read(f)
	a.res.Diagnostics = append(a.res.Diagnostics, diags...)
	if td != nil {
		seen := false
		for _, d := range a.res.TaskDefs {
			seen = seen || d.TD.File.Name == td.File.Name
		}
		if !seen {
			a.res.TaskDefs = append(a.res.TaskDefs, DeployedTaskDef{TD: td, Region: st.regionOr(), Account: st.account()})
		}
	}
	return td
}

// registerNeeds are the needs of registering a task definition: the call,
// the roles it passes to ECS, and tagging at creation.
func (a *analyzer) registerNeeds(st *jobState, pos source.Pos, why string, td *ecs.TaskDefinition, extraTags bool) string {
	family := workflow.Param("TaskFamily")
	if td != nil && td.Family != nil {
		family = td.Family.Value
	}
	tdARN := ecs.FamilyARN(st.regionOr(), st.account(), family)
	a.add(st, pos, why+": register task definition "+family, "ecs:RegisterTaskDefinition", tdARN)
	if td != nil {
		for _, r := range []*ecs.String{td.ExecutionRoleARN, td.TaskRoleARN} {
			if r == nil {
				continue
			}
			role := r.Value
			if !strings.HasPrefix(role, "arn:") {
				role = "arn:aws:iam::" + st.account() + ":role/" + role
			}
			a.add(st, pos, why+": pass "+role+" to ECS (named in "+td.File.Name+fmt.Sprintf(":%d)", r.Pos.Line),
				"iam:PassRole", role, need.Cond{Op: "StringEquals", Key: "iam:PassedToService", Values: []string{"ecs-tasks.amazonaws.com"}})
		}
		if len(td.Tags) > 0 {
			extraTags = true
		}
	} else {
		a.add(st, pos, why+": pass the task definition's roles to ECS",
			"iam:PassRole", "arn:aws:iam::"+st.account()+":role/"+workflow.Param("TaskRoleNames"),
			need.Cond{Op: "StringEquals", Key: "iam:PassedToService", Values: []string{"ecs-tasks.amazonaws.com"}})
	}
	if extraTags {
		a.add(st, pos, why+": tag the task definition when registering it", "ecs:TagResource", tdARN,
			need.Cond{Op: "StringEquals", Key: "ecs:CreateAction", Values: []string{"RegisterTaskDefinition"}})
	}
	return family
}

// deployTaskDefinition handles aws-actions/amazon-ecs-deploy-task-definition.
func (a *analyzer) deployTaskDefinition(st *jobState, s *workflow.Step, with func(string) (string, source.Pos, bool)) {
	const why = "amazon-ecs-deploy-task-definition"
	value, tdPos, ok := with("task-definition")
	if !ok {
		a.warnf(st.w.File.Name, s.Pos, "task-definition", "amazon-ecs-deploy-task-definition without task-definition input")
		return
	}
	td := a.taskDefinition(st, value, tdPos)
	_, tagPos, tags := with("tags")
	if tags {
		tdPos = tagPos
	}
	family := a.registerNeeds(st, tdPos, why, td, tags)
	cluster := "default"
	if c, _, ok := with("cluster"); ok && c != "" {
		cluster = c
	}
	clusterARN := ecs.ClusterARN(st.regionOr(), st.account(), cluster)
	if svc, pos, ok := with("service"); ok && svc != "" {
		svcARN := ecs.ServiceARN(st.regionOr(), st.account(), cluster, svc)
		a.add(st, pos, why+": read service "+svc+" (its deployment controller)", "ecs:DescribeServices", svcARN)
		_, _, cdApp := with("codedeploy-application")
		_, _, cdGroup := with("codedeploy-deployment-group")
		_, _, cdSpec := with("codedeploy-appspec")
		if cdApp || cdGroup || cdSpec {
			a.codeDeploy(st, s, with, cluster, svc)
		} else {
			a.add(st, pos, why+": update service "+svc+" to the new task definition", "ecs:UpdateService", svcARN)
			if w, wpos, ok := with("wait-for-service-stability"); ok && strings.EqualFold(w, "true") {
				a.add(st, wpos, why+": wait for the service to become stable", "ecs:DescribeServices", svcARN)
			}
		}
	}
	if rt, pos, ok := with("run-task"); ok && strings.EqualFold(rt, "true") {
		tdARN := ecs.FamilyARN(st.regionOr(), st.account(), family)
		a.add(st, pos, why+": run a task of "+family+" in cluster "+cluster, "ecs:RunTask", tdARN,
			need.Cond{Op: "ArnEquals", Key: "ecs:cluster", Values: []string{clusterARN}})
		if w, _, ok := with("wait-for-task-stopped"); ok && strings.EqualFold(w, "true") {
			a.add(st, pos, why+": wait for the task to stop", "ecs:DescribeTasks",
				ecs.TasksARN(st.regionOr(), st.account(), cluster))
		}
	}
}

// codeDeploy adds the needs of a blue/green deployment through CodeDeploy.
func (a *analyzer) codeDeploy(st *jobState, s *workflow.Step, with func(string) (string, source.Pos, bool), cluster, svc string) {
	const why = "amazon-ecs-deploy-task-definition (CodeDeploy blue/green)"
	app := "AppECS-" + cluster + "-" + svc
	if v, _, ok := with("codedeploy-application"); ok && v != "" {
		app = v
	}
	group := "DgpECS-" + cluster + "-" + svc
	if v, _, ok := with("codedeploy-deployment-group"); ok && v != "" {
		group = v
	}
	region, account := st.regionOr(), st.account()
	groupARN := fmt.Sprintf("arn:aws:codedeploy:%s:%s:deploymentgroup:%s/%s", region, account, app, group)
	appARN := fmt.Sprintf("arn:aws:codedeploy:%s:%s:application:%s", region, account, app)
	config := workflow.Param("CodeDeployConfig")
	pos := s.Uses.Pos
	a.add(st, pos, why+": read deployment group "+group, "codedeploy:GetDeploymentGroup", groupARN)
	a.add(st, pos, why+": start the deployment", "codedeploy:CreateDeployment", groupARN)
	a.add(st, pos, why+": register the AppSpec revision", "codedeploy:RegisterApplicationRevision", appARN)
	a.add(st, pos, why+": read the deployment group's deployment configuration", "codedeploy:GetDeploymentConfig",
		fmt.Sprintf("arn:aws:codedeploy:%s:%s:deploymentconfig:%s", region, account, config))
	if w, _, ok := with("wait-for-service-stability"); ok && strings.EqualFold(w, "true") {
		a.add(st, pos, why+": wait for the deployment to succeed", "codedeploy:GetDeployment", groupARN)
	}
}

// buildPushAction handles docker/build-push-action.
func (a *analyzer) buildPushAction(st *jobState, s *workflow.Step, with func(string) (string, source.Pos, bool)) {
	push, _, _ := with("push")
	tags, pos, _ := with("tags")
	if strings.EqualFold(push, "true") {
		for _, t := range strings.FieldsFunc(tags, func(r rune) bool { return r == ',' || r == '\n' }) {
			a.image(st, pos, "docker/build-push-action: push "+strings.TrimSpace(t), strings.TrimSpace(t), true)
		}
	}
	for _, k := range []string{"cache-from", "cache-to"} {
		v, cpos, ok := with(k)
		if !ok {
			continue
		}
		for _, line := range strings.Split(v, "\n") {
			for _, opt := range strings.Split(line, ",") {
				if ref, ok := strings.CutPrefix(strings.TrimSpace(opt), "ref="); ok {
					a.image(st, cpos, "docker/build-push-action: "+k+" "+ref, ref, k == "cache-to")
				}
			}
		}
	}
}
