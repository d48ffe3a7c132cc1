package commands

import (
	"strings"

	"github.com/iamfit/iamfit/internal/calls"
	"github.com/iamfit/iamfit/internal/catalog"
	"github.com/iamfit/iamfit/internal/ecs"
	"github.com/iamfit/iamfit/internal/need"
	"github.com/iamfit/iamfit/internal/source"
)

// cliArgs are an aws CLI command's options and positional arguments.
type cliArgs struct {
	opts map[string][]string
	pos  []string
}

func (c cliArgs) get(name string) string {
	if v := c.opts[name]; len(v) > 0 {
		return v[0]
	}
	return ""
}

func (c cliArgs) has(name string) bool { _, ok := c.opts[name]; return ok }

// parseCLI reads "--name value", "--name=value" and boolean "--flag"
// options; a following word that starts with "--" makes the option boolean.
// Options that take several values (--services a b) keep them all.
func parseCLI(args []string) cliArgs {
	return parseOpts(args, func(name string) bool { return name == "services" || name == "tasks" || name == "names" })
}

// parseAPI reads the options of an API command ("aws SERVICE operation"),
// which has no positional arguments: an option takes every word up to
// the next option, as a list parameter does (--repository-names a b,
// --services a b, --image-ids imageTag=a imageTag=b); a scalar parameter
// given several words is an error of the aws CLI.
func parseAPI(args []string) cliArgs {
	return parseOpts(args, func(string) bool { return true })
}

func parseOpts(args []string, list func(name string) bool) cliArgs {
	c := cliArgs{opts: map[string][]string{}}
	for i := 0; i < len(args); i++ {
		a := args[i]
		if !strings.HasPrefix(a, "--") {
			c.pos = append(c.pos, a)
			continue
		}
		name := strings.TrimPrefix(a, "--")
		if k, v, ok := strings.Cut(name, "="); ok {
			c.opts[k] = append(c.opts[k], v)
			continue
		}
		c.opts[name] = c.opts[name][:0:0]
		if cliBool[name] || strings.HasPrefix(name, "no-") {
			continue
		}
		for i+1 < len(args) && !strings.HasPrefix(args[i+1], "--") {
			c.opts[name] = append(c.opts[name], args[i+1])
			i++
			if !list(name) {
				break
			}
		}
	}
	return c
}

// cliBool are aws CLI options that take no value (the global ones, the
// s3 commands' and the API commands' --flag/--no-flag booleans): the word
// after them is the next argument, as in "aws s3 cp --recursive . s3://b".
var cliBool = map[string]bool{
	"debug": true, "no-verify-ssl": true, "no-paginate": true, "no-sign-request": true, "no-cli-pager": true,
	"recursive": true, "delete": true, "dryrun": true, "quiet": true, "follow-symlinks": true, "only-show-errors": true,
	"exact-timestamps": true, "size-only": true, "force": true, "human-readable": true, "summarize": true,
	"follow": true, "force-new-deployment": true, "enable-execute-command": true, "disable-execute-command": true,
	"enable-ecs-managed-tags": true, "wait-for-completion": true, "fail-on-empty-changeset": true,
	"disable-rollback": true, "enable-termination-protection": true, "overwrite": true, "with-decryption": true, "include-deprecated": true, "all": true,
}

// cliNoop are commands that need no permission.
var cliNoop = map[string]bool{
	"sts get-caller-identity": true, "configure set": true, "configure get": true, "configure list": true,
	"--version": true,
}

// awsCLI reads one aws CLI command; stdin is the here-document fed to it
// and stdout the file its output is redirected to ("" for none).
func awsCLI(env Env, pos source.Pos, args []string, stdin, stdout string) {
	// Global options may come before the service.
	var words []string
	var global []string
	for i := 1; i < len(args); i++ {
		if strings.HasPrefix(args[i], "--") {
			global = append(global, args[i])
			if name := strings.TrimPrefix(args[i], "--"); cliBool[name] || strings.HasPrefix(name, "no-") {
				continue // --debug, --no-cli-pager: no value
			}
			if !strings.Contains(args[i], "=") && i+1 < len(args) && !strings.HasPrefix(args[i+1], "--") && len(words) < 2 {
				global = append(global, args[i+1])
				i++
			}
			continue
		}
		words = append(words, args[i:]...)
		break
	}
	if len(words) < 2 {
		return
	}
	svc, cmd := words[0], words[1]
	rest := words[2:]
	if cmd == "wait" && len(rest) > 0 {
		cmd, rest = "wait "+rest[0], rest[1:]
	}
	key := svc + " " + cmd
	if cliNoop[key] || svc == "configure" {
		return
	}
	opts := parseCLI(append(global, rest...))
	line := "aws " + strings.Join(words, " ")
	region := env.Region()
	if r := opts.get("region"); r != "" {
		region = r
	}
	region = Placeholder(env, pos, line, "--region", region, "Region")
	acct := Placeholder(env, pos, line, "", env.Account(), "AccountId")
	a := &awsCommand{env: env, pos: pos, line: line, svc: svc, cmd: cmd, rest: rest, global: global,
		region: region, acct: acct, stdin: stdin, stdout: stdout}
	param := func(opt, name string) string {
		if v := opts.get(opt); v != "" {
			return Placeholder(env, pos, line, "--"+opt, v, name)
		}
		return need.Param(name)
	}
	logGroup := func() map[string][]string {
		g := param("log-group-name", "LogGroupName")
		if len(opts.pos) > 0 && cmd == "tail" {
			g = Placeholder(env, pos, line, "", opts.pos[0], "LogGroupName")
		}
		return map[string][]string{"LogGroupName": {g}}
	}
	call := func(svc, op string, args map[string][]string) {
		callNeeds(env, pos, line, calls.Call{Service: svc, Operation: op, Args: args, Region: region, Account: acct})
	}
	api := func(op string, args map[string][]string) { call(svc, op, args) }
	switch key {
	case "ecr get-login-password":
		api("GetAuthorizationToken", nil)
	case "ecr-public get-login-password":
		api("GetAuthorizationToken", nil)
		call("sts", "GetServiceBearerToken", nil)
	case "ecs update-service":
		a.api()
		if opts.has("task-definition") {
			env.Warnf(pos, "task-definition", "%s changes the task definition; iamfit assumes it is already registered", line)
		}
		if opts.has("enable-execute-command") {
			env.Warnf(pos, "ecs-exec", "%s enables ECS Exec: the service's task role needs ssmmessages:CreateControlChannel, CreateDataChannel, OpenControlChannel and OpenDataChannel on \"*\"", line)
		}
	case "ecs run-task", "ecs start-task":
		// ECS passes the task definition's roles: known when a step
		// registered the family from the repository, else parameters.
		in := a.input()
		family, _ := in["TaskDefinition"].(string)
		family = ecs.Family(family)
		ov, _ := in["Overrides"].(map[string]any)
		if td := env.Registered(family); td != nil {
			a.taskRoles = &calls.TaskRoles{}
			if r := td.ExecutionRoleARN; r != nil {
				a.taskRoles.Execution = ecs.RoleRef(r.Value, acct)
			}
			if r := td.TaskRoleARN; r != nil {
				a.taskRoles.Task = ecs.RoleRef(r.Value, acct)
			}
		} else if (ov["taskRoleArn"] == nil || ov["executionRoleArn"] == nil) && env.Credentials() {
			env.Warnf(pos, "task-definition", "%s starts tasks of task definition %s as AWS holds it: ECS passes its execution role and task role (iam:PassRole), which become parameters", line, family)
		}
		a.api()
	case "ecs register-task-definition":
		a.registerTaskDefinition()
	case "ecs describe-task-definition":
		a.describeTaskDefinition()
	case "deploy create-deployment":
		a.createDeployment()
	case "deploy push":
		a.deployPush()
	case "logs create-log-group":
		a.api()
		if opts.has("tags") {
			api("TagResource", logGroup())
		}
	case "logs tail":
		api("FilterLogEvents", logGroup())
		if opts.has("follow") {
			api("StartLiveTail", logGroup())
		}
	case "s3 cp", "s3 mv", "s3 sync", "s3 ls", "s3 rm":
		s3(cmd, opts, func(op, bucket, key string, prefix bool) {
			bucket = Placeholder(env, pos, line, "", bucket, "BucketName")
			args := map[string][]string{"Bucket": {bucket}}
			switch {
			case prefix:
				args["Prefix"] = []string{key}
			case key != "":
				args["Key"] = []string{key}
			}
			if bucket == "" {
				args = nil
			}
			api(op, args)
		})
	case "cloudformation deploy":
		stack := map[string][]string{"StackName": {param("stack-name", "StackName")}}
		for _, op := range []string{"DescribeStacks", "CreateChangeSet", "DescribeChangeSet", "ExecuteChangeSet", "DescribeStackEvents", "GetTemplateSummary"} {
			api(op, stack)
		}
		if b := opts.get("s3-bucket"); b != "" {
			call("s3", "PutObject", map[string][]string{"Bucket": {Placeholder(env, pos, line, "--s3-bucket", b, "BucketName")}})
		}
		if opts.has("capabilities") {
			env.Warnf(pos, "cloudformation-deploy", "%s: CloudFormation creates the stack's resources with this role's permissions (or the --role-arn role); iamfit does not read the template's resources", line)
		}
	default:
		a.api()
	}
}

// s3 handles the high-level aws s3 commands, which call several APIs:
// api(operation, bucket, key, prefix) with the key a prefix for the
// commands that work on every object under it.
func s3(cmd string, opts cliArgs, api func(op, bucket, key string, prefix bool)) {
	var src, dst string
	if len(opts.pos) > 0 {
		src = opts.pos[0]
	}
	if len(opts.pos) > 1 {
		dst = opts.pos[1]
	}
	bucketKey := func(u string) (string, string, bool) {
		rest, ok := strings.CutPrefix(u, "s3://")
		if !ok {
			return "", "", false
		}
		b, k, _ := strings.Cut(rest, "/")
		return b, k, b != ""
	}
	objects := func(op, b, k string, dir bool) {
		api(op, b, k, dir || k == "" || strings.HasSuffix(k, "/"))
	}
	recursive := opts.has("recursive") || cmd == "sync"
	switch cmd {
	case "ls":
		if b, _, ok := bucketKey(src); ok {
			api("ListObjectsV2", b, "", false)
		} else {
			api("ListBuckets", "", "", false)
		}
		return
	case "rm":
		if b, k, ok := bucketKey(src); ok {
			if recursive {
				api("ListObjectsV2", b, "", false)
			}
			objects("DeleteObject", b, k, recursive)
		}
		return
	}
	if b, k, ok := bucketKey(src); ok {
		if recursive {
			api("ListObjectsV2", b, "", false)
		}
		objects("GetObject", b, k, recursive)
		if cmd == "mv" {
			objects("DeleteObject", b, k, recursive)
		}
	}
	if b, k, ok := bucketKey(dst); ok {
		if recursive {
			api("ListObjectsV2", b, "", false)
		}
		objects("PutObject", b, k, recursive)
		if cmd == "sync" && opts.has("delete") {
			objects("DeleteObject", b, k, true)
		}
		if opts.has("acl") {
			objects("PutObjectAcl", b, k, recursive)
		}
	}
}

// cliGlobal are the aws CLI's own options, which are not API parameters.
var cliGlobal = map[string]bool{
	"region": true, "output": true, "query": true, "profile": true, "endpoint-url": true, "no-verify-ssl": true,
	"no-paginate": true, "color": true, "debug": true, "ca-bundle": true, "cli-read-timeout": true,
	"cli-connect-timeout": true, "cli-binary-format": true, "no-cli-pager": true, "no-sign-request": true,
	"cli-input-json": true, "cli-input-yaml": true, "generate-cli-skeleton": true, "cli-auto-prompt": true,
	"page-size": true, "max-items": true, "starting-token": true,
}

// callNeeds adds what a call needs to the job's role, or says that iamfit
// does not know the call.
func callNeeds(env Env, pos source.Pos, line string, c calls.Call) {
	needs, err := calls.Needs(c, catalog.MustLoad())
	if err != nil {
		env.Warnf(pos, "unknown-command", "iamfit does not know the IAM action of %q; its needs are not included", line)
		return
	}
	for _, n := range needs {
		env.Add(pos, line, n.Action, n.Resource, n.Conditions...)
	}
}
