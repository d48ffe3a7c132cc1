package scan

import (
	"fmt"
	"slices"
	"strings"

	"github.com/iamfit/iamfit/internal/arn"
	"github.com/iamfit/iamfit/internal/catalog"
	"github.com/iamfit/iamfit/internal/code"
	"github.com/iamfit/iamfit/internal/ecs"
	"github.com/iamfit/iamfit/internal/need"
	"github.com/iamfit/iamfit/internal/source"
)

// taskRoles adds the execution and task roles of the task definitions the
// workflows deploy: the execution role from the task definitions
// (images, logs, secrets), the task role from the application's SDK calls.
func (a *scanner) taskRoles() {
	var taskRoleTDs []ecs.Deployment
	for _, d := range a.deployments {
		if d.TD.ExecutionRoleARN != nil {
			r := a.serviceRole(roleARN(d.TD.ExecutionRoleARN.Value, d.Account), need.Execution)
			if strings.HasPrefix(r.Account, "{{") {
				r.Account = d.Account // a role named by a template reference
			}
			if r.Region == "" {
				r.Region = d.Region
			}
			needs, diags := ecs.ExecutionNeeds(d.TD, ecs.Where{Region: d.Region, Account: roleAccount(r, d.Account)})
			r.Needs = append(r.Needs, needs...)
			a.inv.Diagnostics = append(a.inv.Diagnostics, diags...)
		}
		if d.TD.TaskRoleARN != nil {
			taskRoleTDs = append(taskRoleTDs, d)
		}
	}
	builds := imageBuilds(a.tree)
	if len(taskRoleTDs) == 0 && len(builds) == 0 {
		return
	}
	calls, codeDiags := code.ScanTree(a.tree)
	a.inv.Diagnostics = append(a.inv.Diagnostics, codeDiags...)
	distinct := map[string]bool{}
	for _, d := range taskRoleTDs {
		distinct[roleARN(d.TD.TaskRoleARN.Value, d.Account)] = true
	}
	if len(distinct) > 1 && len(calls) > 0 && len(builds) == 0 {
		a.warnf(taskRoleTDs[0].TD.File.Name, taskRoleTDs[0].TD.TaskRoleARN.Pos, "task-role",
			"%d task roles share one repository: code under a top-level directory named after a container or task family goes to that task's role, other code to every task role", len(distinct))
	}
	cat := catalog.MustLoad()
	// Code belongs to the containers whose images are built from it (the
	// Dockerfile's context and COPY sources); without a build that names
	// the task's containers, code in a top-level directory named after a
	// container (or a task family) belongs to that task definition and
	// other code to all of them.
	given := map[int]bool{} // the calls some task role got
	used := map[*imageBuild]bool{}
	owners := map[string]bool{}
	for _, d := range taskRoleTDs {
		for _, c := range d.TD.Containers {
			owners[c.Name] = true
		}
		if d.TD.Family != nil {
			owners[d.TD.Family.Value] = true
		}
	}
	// The builds some task definition claims.
	claimed := map[*imageBuild]bool{}
	for _, d := range taskRoleTDs {
		for _, b := range buildsOf(d.TD, builds) {
			claimed[b] = true
		}
	}
	var unclaimed []*imageBuild
	for _, b := range builds {
		if !claimed[b] {
			unclaimed = append(unclaimed, b)
		}
	}
	for _, d := range taskRoleTDs {
		mine := map[string]bool{}
		for _, c := range d.TD.Containers {
			mine[c.Name] = true
		}
		if d.TD.Family != nil {
			mine[d.TD.Family.Value] = true
		}
		bs := buildsOf(d.TD, builds)
		if len(bs) == 0 && len(builds) == 1 && privateImage(d.TD) {
			bs = builds
		}
		if len(bs) == 0 && len(unclaimed) > 0 && privateImage(d.TD) {
			// No build names this task's containers: the images no other
			// task definition claims may be its, and the output says so.
			bs = unclaimed
			var names []string
			for _, b := range unclaimed {
				names = append(names, b.dockerfile)
			}
			a.warnf(d.TD.File.Name, d.TD.TaskRoleARN.Pos, "task-role-code",
				"no image build names this task definition's containers: its task role gets the code of %s, which no other task definition claims; name the container or the image's repository after the build's directory to attribute it exactly", strings.Join(names, ", "))
		}
		for _, b := range bs {
			used[b] = true
		}
		var own []code.Call
		for i, c := range calls {
			if len(bs) > 0 {
				for _, b := range bs {
					if b.runs(c.File, builds) {
						own = append(own, c)
						given[i] = true
						break
					}
				}
				continue
			}
			if builtInto(c.File, builds) {
				continue // the code of an image
			}
			top, _, nested := strings.Cut(c.File, "/")
			if !nested || !owners[top] || mine[top] {
				own = append(own, c)
				given[i] = true
			}
		}
		r := a.serviceRole(roleARN(d.TD.TaskRoleARN.Value, d.Account), need.Task)
		if r.Kind == need.Execution {
			r.AlsoTask = true // one role for both: it holds both roles' needs
		}
		if strings.HasPrefix(r.Account, "{{") {
			r.Account = d.Account
		}
		if r.Region == "" {
			r.Region = d.Region
		}
		env := map[string]string{}
		secrets := map[string]bool{}
		for _, c := range d.TD.Containers {
			for k, v := range c.Environment {
				env[k] = v.Value
			}
			for _, sec := range c.Secrets {
				secrets[sec.Name] = true
			}
		}
		if len(own) > 0 {
			a.envKeys(d.TD)
		}
		ctx := code.Context{Region: d.Region, Account: roleAccount(r, d.Account), Env: env, EnvPatterns: d.EnvPatterns, EnvResources: d.EnvResources, Secrets: secrets}
		needs, diags := code.Needs(own, ctx, cat)
		r.Needs = append(r.Needs, needs...)
		a.assumedRoles(r, own, ctx, cat)
		r.Needs = append(r.Needs, ecs.TaskNeeds(d.TD, ecs.Where{Region: d.Region, Account: roleAccount(r, d.Account)})...)
		if d.ExecuteCommand {
			// ECS Exec: the task's SSM agent opens its channels with the task role.
			for _, act := range []string{"ssmmessages:CreateControlChannel", "ssmmessages:CreateDataChannel",
				"ssmmessages:OpenControlChannel", "ssmmessages:OpenDataChannel"} {
				r.Needs = append(r.Needs, need.Need{Action: act, Resource: "*", Why: "the service enables ECS Exec (enableExecuteCommand)",
					File: d.TD.File.Name, Pos: d.TD.TaskRoleARN.Pos})
			}
		}
		a.inv.Diagnostics = append(a.inv.Diagnostics, diags...)
	}
	a.unclaimedImages(builds, used, calls, given, cat)
}

// serviceRole returns the role assumed by ECS tasks, with where the
// repository declares it.
func (a *scanner) serviceRole(arnStr string, kind need.Kind) *need.Role {
	r := a.role(arnStr, kind)
	r.Service = need.ECSTasks
	if d := a.declared[arnStr]; d != nil && r.Declared == nil {
		r.Declared = d
	}
	return r
}

// roleARN completes a role name into an ARN in the account.
func roleARN(v, account string) string {
	if need.IsParam(v) {
		return v
	}
	return arn.RoleARN(v, account)
}

// privateImage reports a task definition with a container whose image is
// not a public one (ECR, or a reference iamfit cannot resolve: a template
// or a placeholder such as REPLACE_ME_IMAGE that no registry could hold).
func privateImage(td *ecs.TaskDefinition) bool {
	for _, c := range td.Containers {
		if c.Image == nil {
			continue
		}
		v := c.Image.Value
		if strings.Contains(v, ".dkr.ecr.") || strings.ContainsAny(v, "{}<>$") || v == "" || !imageReference(v) {
			return true
		}
	}
	return false
}

// builtInto reports whether a file is in the image of any build.
func builtInto(file string, builds []*imageBuild) bool {
	for _, b := range builds {
		if b.owns(file) {
			return true
		}
	}
	return false
}

// roleAccount is the account a task's resources default to: the account
// the task definition names its role in, else the deploy's.
func roleAccount(r *need.Role, deploy string) string {
	if r.Account != "" && !need.HasParams(r.Account) {
		return r.Account
	}
	return deploy
}

// assumedRoles adds the roles the application assumes from a task role:
// each with the needs of the calls made with its credentials (which the
// task role does not get), trusting the task role.
func (a *scanner) assumedRoles(task *need.Role, own []code.Call, ctx code.Context, cat *catalog.Catalog) {
	assumed, diags := code.Assumed(own, ctx, cat)
	a.inv.Diagnostics = append(a.inv.Diagnostics, diags...)
	// The task role assumes each: sts:AssumeRole on its ARN, where the
	// assume call itself (read without its callers) names a parameter.
	var at []string
	for _, as := range assumed {
		at = append(at, as.At...)
	}
	kept := task.Needs[:0]
	for _, n := range task.Needs {
		if n.Action == "sts:AssumeRole" && need.HasParams(n.Resource) && slices.Contains(at, fmt.Sprintf("%s:%d", n.File, n.Pos.Line)) {
			continue
		}
		kept = append(kept, n)
	}
	task.Needs = kept
	for _, as := range assumed {
		pos := source.Pos{Line: as.Line, Col: 1}
		file := as.File
		if len(as.At) > 0 {
			if f, l, ok := strings.Cut(as.At[0], ":"); ok {
				file = f
				fmt.Sscan(l, &pos.Line)
			}
		}
		task.Needs = append(task.Needs, need.Need{Action: "sts:AssumeRole", Resource: as.Role,
			Why: "assume the role whose credentials the code's calls are made with", File: file, Pos: pos})
		r := a.role(as.Role, need.Assumed)
		if r.AssumedBy == "" {
			r.AssumedBy = task.ARN
		}
		r.Account = as.Account
		if r.Region == "" {
			r.Region = ctx.Region
		}
		r.Needs = append(r.Needs, as.Needs...)
		a.inv.Diagnostics = append(a.inv.Diagnostics, source.Diagnostic{File: as.File, Pos: source.Pos{Line: as.Line, Col: 1}, Severity: source.Info,
			Message: fmt.Sprintf("the code assumes the role %s (the task role %s needs sts:AssumeRole on it): the calls made with its credentials, the first here, are that role's, not the task role's", as.Role, task.ARN),
			Check:   "assumed-role"})
	}
}

// envKeys warns of a container that the task definition gives access
// keys (AWS_ACCESS_KEY_ID in its environment or secrets): the SDKs'
// default credential chain takes them before the task role's, so the
// code's calls are made as the keys' user
// (https://docs.aws.amazon.com/sdkref/latest/guide/standardized-credentials.html).
func (a *scanner) envKeys(td *ecs.TaskDefinition) {
	for _, c := range td.Containers {
		pos, from := source.Pos{}, ""
		if v, ok := c.Environment["AWS_ACCESS_KEY_ID"]; ok && v.Value != "" { // empty: no key
			pos, from = v.Pos, "environment"
		}
		for _, sec := range c.Secrets {
			if sec.Name == "AWS_ACCESS_KEY_ID" {
				pos, from = sec.ValueFrom.Pos, "secrets"
			}
		}
		if from == "" {
			continue
		}
		a.warnf(td.File.Name, pos, "task-role-keys",
			"container %s gets AWS_ACCESS_KEY_ID from its %s: the SDKs' default credentials are those keys, taken before the task role's, so the code's calls are made as the keys' user; the task role holds what they need, for when the keys are removed", c.Name, from)
	}
}
