package commands

import (
	"encoding/json"
	"fmt"
	"sort"
	"strings"

	"github.com/iamfit/iamfit/internal/calls"
	"github.com/iamfit/iamfit/internal/ecs"
	"github.com/iamfit/iamfit/internal/need"
	"github.com/iamfit/iamfit/internal/source"
)

// awsCommand is one "aws SERVICE operation ..." command being read.
type awsCommand struct {
	env           Env
	pos           source.Pos
	line          string
	svc, cmd      string
	rest, global  []string
	region, acct  string
	stdin, stdout string
	in            apiInput
	opts          *cliArgs
	inputRead     bool
	// unread is set when an input file of the command could not be read.
	unread bool
	// taskRoles are the roles of the task definition a run-task starts,
	// when a step registered it from the repository.
	taskRoles *calls.TaskRoles
}

// options are the command's options as an API command reads them.
func (a *awsCommand) options() cliArgs {
	if a.opts == nil {
		o := parseAPI(append(append([]string(nil), a.global...), a.rest...))
		a.opts = &o
	}
	return *a.opts
}

// input is the command's API input (options, --cli-input-json/yaml).
func (a *awsCommand) input() apiInput {
	if !a.inputRead {
		a.inputRead = true
		a.in, a.unread = readAPIInput(a.env, a.pos, a.line, a.options().opts, a.stdin)
	}
	return a.in
}

// operation is the API operation of the command: its name, or the one a
// waiter polls.
func (a *awsCommand) operation() (string, bool) {
	if w, ok := strings.CutPrefix(a.cmd, "wait "); ok {
		op, ok := calls.Waiter(a.svc, w)
		if !ok {
			a.env.Warnf(a.pos, "unknown-command", "iamfit does not know which call the waiter of %q makes; its needs are not included", a.line)
		}
		return op, ok
	}
	return calls.Operation(a.cmd), true
}

// api adds the needs of the command's own API call.
func (a *awsCommand) api() {
	op, ok := a.operation()
	if !ok {
		return
	}
	a.call(a.svc, op, a.args(a.input()))
}

// args are the call's arguments, placeholders made parameters.
func (a *awsCommand) args(in apiInput) map[string][]string {
	args := in.args()
	names := make([]string, 0, len(args))
	for k := range args {
		names = append(names, k)
	}
	sort.Strings(names)
	for _, k := range names {
		name := k[strings.LastIndexByte(k, '.')+1:]
		for i, v := range args[k] {
			args[k][i] = Placeholder(a.env, a.pos, a.line, "--"+kebab(name), v, name)
		}
	}
	return args
}

func (a *awsCommand) call(svc, op string, args map[string][]string) {
	callNeeds(a.env, a.pos, a.line, calls.Call{Service: svc, Operation: op, Args: args, Region: a.region, Account: a.acct, Unread: a.unread, TaskRoles: a.taskRoles})
}

// kebab turns TaskRoleArn into task-role-arn, as the aws CLI names options.
func kebab(s string) string {
	var b strings.Builder
	for i, r := range s {
		if r >= 'A' && r <= 'Z' {
			if i > 0 {
				b.WriteByte('-')
			}
			r += 'a' - 'A'
		}
		b.WriteRune(r)
	}
	return b.String()
}

// Placeholder returns a workflow value that becomes part of an ARN (an
// aws CLI option, an action input such as cluster or service), with the
// placeholders copied from templates (<aws account id>,
// YOUR_ECS_CLUSTER, MY_AWS_REGION) made parameters and reported with
// check "placeholder": they are not real names. why is the command or
// step, what names the value ("--cluster"; "" to leave it out) and name
// is the parameter for a value that is all placeholder.
func Placeholder(env Env, pos source.Pos, why, what, value, name string) string {
	out, found := need.Placeholders(value, name)
	if len(found) == 0 {
		return value
	}
	if what != "" {
		what = " in " + what
	}
	env.Warnf(pos, "placeholder", "%s: %q%s looks like a placeholder copied from a template, not a real name; it becomes a parameter: %s", why, strings.Join(found, `", "`), what, out)
	return out
}

// registerTaskDefinition reads "aws ecs register-task-definition": the
// task definition from --cli-input-json file://FILE (recorded as
// deployed), from a here-document (file://-) or from the options
// (--family, --execution-role-arn, --task-role-arn,
// --container-definitions ...), and registers it with its roles.
func (a *awsCommand) registerTaskDefinition() {
	opts := a.options()
	var td *ecs.TaskDefinition
	tags := opts.has("tags")
	if in := opts.get("cli-input-json"); strings.HasPrefix(in, "file://") && in != "file://-" {
		td = a.env.TaskDefinition(repoPath(a.env, strings.TrimPrefix(in, "file://")), a.pos)
	} else {
		in := a.input()
		if in["Family"] != nil || in["ContainerDefinitions"] != nil {
			data, _ := json.Marshal(in)
			name := fmt.Sprintf("%s:%d", a.env.File(), a.pos.Line)
			if strings.HasSuffix(opts.get("cli-input-json"), "-") || strings.HasSuffix(opts.get("cli-input-yaml"), "-") {
				name += " (here-document)"
			}
			var diags []source.Diagnostic
			td, diags = ecs.Read(source.NewFile(name, data))
			for _, d := range diags {
				if d.Check == "placeholder" { // a role the options give as a placeholder
					a.env.Warnf(a.pos, d.Check, "%s: %s", a.line, d.Message)
				}
			}
			if td != nil {
				// The roles and images are named on the command line.
				fields := []struct {
					s    *ecs.String
					name string
				}{{td.Family, "TaskFamily"}, {td.ExecutionRoleARN, "ExecutionRoleName"}, {td.TaskRoleARN, "TaskRoleName"}}
				for _, f := range fields {
					if f.s != nil {
						f.s.Pos = a.pos
						f.s.Value = Placeholder(a.env, a.pos, a.line, "", f.s.Value, f.name)
					}
				}
				a.env.Deployed(td)
			}
		}
		tags = tags || in["Tags"] != nil
	}
	Register(a.env, a.pos, a.line, td, tags)
}

// describeTaskDefinition reads "aws ecs describe-task-definition
// --task-definition FAMILY > FILE": the call, and the file the output is
// written to, which a later render or deploy of FILE reads (the family
// from the command, its roles parameters).
func (a *awsCommand) describeTaskDefinition() {
	a.api()
	out := a.stdout
	if out == "" || strings.Contains(out, "{{") || out == "/dev/null" {
		return
	}
	family := need.Param("TaskFamily")
	if v, ok := a.input()["TaskDefinition"].(string); ok && v != "" {
		family = ecs.Family(Placeholder(a.env, a.pos, a.line, "", v, "TaskFamily"))
	}
	// The task definition as AWS holds it: its roles are not in the
	// repository (parameters named after the family), nor are its
	// containers (no execution role is derived from it).
	if a.env.Credentials() { // else the call's no-credentials warning says enough
		a.env.Warnf(a.pos, "task-definition", "%s: the task definition of family %s comes from AWS, not the repository: its roles become parameters and its execution role is not derived", a.line, family)
	}
	execRole, taskRole := ecs.RegisteredRoles(family)
	td := map[string]any{"family": family, "executionRoleArn": execRole, "taskRoleArn": taskRole, "containerDefinitions": []any{}}
	// --query taskDefinition prints the task definition itself, else it
	// is wrapped: {"taskDefinition": {...}}; ecs.Read reads both.
	data, _ := json.MarshalIndent(td, "", "  ")
	a.env.WroteFile(repoPath(a.env, out), data)
}

// createDeployment reads "aws deploy create-deployment": CreateDeployment
// on the deployment group, which also reads the deployment configuration
// and registers the revision (calls table); the aws CLI's own
// --s3-location and --github-location give the revision
// (https://docs.aws.amazon.com/cli/latest/reference/deploy/create-deployment.html).
// A revision in S3 is read by CodeDeploy (its service role for ECS and
// Lambda, the instances' profile for EC2), not by the caller: reported.
func (a *awsCommand) createDeployment() {
	in := a.input()
	if v, ok := in["S3Location"]; ok {
		loc, isMap := v.(map[string]any)
		if s, isStr := v.(string); isStr {
			// --s3-location s3://bucket/key
			b, k, _ := strings.Cut(strings.TrimPrefix(s, "s3://"), "/")
			loc = map[string]any{"bucket": b, "key": k}
			isMap = true
		}
		delete(in, "S3Location")
		if isMap {
			in["Revision"] = map[string]any{"revisionType": "S3", "s3Location": loc}
			b, _ := loc["bucket"].(string)
			k, _ := loc["key"].(string)
			a.env.Warnf(a.pos, "codedeploy-revision", "%s: CodeDeploy reads the revision s3://%s/%s with its service role (ECS, Lambda) or the instances' profile (EC2), not with this role: that role needs s3:GetObject on arn:aws:s3:::%s/%s", a.line, b, k, b, k)
		}
	}
	if v, ok := in["GithubLocation"]; ok {
		delete(in, "GithubLocation")
		in["Revision"] = map[string]any{"revisionType": "GitHub", "gitHubLocation": v}
	}
	a.call(a.svc, "CreateDeployment", a.args(in))
}

// deployPush reads "aws deploy push": the bundle is uploaded to S3 and
// registered as a revision of the application
// (https://docs.aws.amazon.com/cli/latest/reference/deploy/push.html).
func (a *awsCommand) deployPush() {
	opts := a.options()
	app := Placeholder(a.env, a.pos, a.line, "--application-name", opts.get("application-name"), "ApplicationName")
	if app == "" {
		app = need.Param("ApplicationName")
	}
	if loc := opts.get("s3-location"); loc != "" {
		b, k, _ := strings.Cut(strings.TrimPrefix(loc, "s3://"), "/")
		b = Placeholder(a.env, a.pos, a.line, "--s3-location", b, "BucketName")
		for _, op := range []string{"PutObject", "CreateMultipartUpload", "UploadPart", "CompleteMultipartUpload"} {
			a.call("s3", op, map[string][]string{"Bucket": {b}, "Key": {k}})
		}
	}
	a.call(a.svc, "RegisterApplicationRevision", map[string][]string{"ApplicationName": {app}})
}
