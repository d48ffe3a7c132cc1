package commands

import (
	"fmt"
	"regexp"
	"strings"

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
		for i+1 < len(args) && !strings.HasPrefix(args[i+1], "--") {
			c.opts[name] = append(c.opts[name], args[i+1])
			i++
			if name != "services" && name != "tasks" && name != "names" {
				break
			}
		}
	}
	return c
}

// cliServices maps aws CLI service names to IAM service prefixes where they differ.
var cliServices = map[string]string{
	"s3api": "s3", "elbv2": "elasticloadbalancing", "elb": "elasticloadbalancing",
	"configservice": "config", "stepfunctions": "states", "opensearch": "es",
	"application-autoscaling": "application-autoscaling", "deploy": "codedeploy",
}

// cliNoop are commands that need no permission.
var cliNoop = map[string]bool{
	"sts get-caller-identity": true, "configure set": true, "configure get": true, "configure list": true,
	"--version": true,
}

// awsCLI reads one aws CLI command.
func awsCLI(env Env, pos source.Pos, args []string) {
	// Global options may come before the service.
	var words []string
	var global []string
	for i := 1; i < len(args); i++ {
		if strings.HasPrefix(args[i], "--") {
			global = append(global, args[i])
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
	region := env.Region()
	if r := opts.get("region"); r != "" {
		region = r
	}
	acct := env.Account()
	line := "aws " + strings.Join(words, " ")
	add := func(action, resource string, conds ...need.Cond) {
		env.Add(pos, line, action, resource, conds...)
	}
	param := func(opt, name string) string {
		if v := opts.get(opt); v != "" {
			return v
		}
		return need.Param(name)
	}
	cluster := func() string {
		c := opts.get("cluster")
		if c == "" {
			return "default"
		}
		return ecs.Name(c)
	}
	logGroup := func() string {
		g := param("log-group-name", "LogGroupName")
		if len(opts.pos) > 0 && cmd == "tail" {
			g = opts.pos[0]
		}
		return fmt.Sprintf("arn:aws:logs:%s:%s:log-group:%s", region, acct, g)
	}
	switch key {
	case "ecr get-login-password", "ecr get-authorization-token":
		add("ecr:GetAuthorizationToken", "*")
	case "ecr-public get-login-password":
		add("ecr-public:GetAuthorizationToken", "*")
		add("sts:GetServiceBearerToken", "*")
	case "ecs update-service":
		add("ecs:UpdateService", ecs.ServiceARN(region, acct, cluster(), ecs.Name(param("service", "ServiceName"))))
		if opts.has("task-definition") {
			env.Warnf(pos, "task-definition", "%s changes the task definition; iamfit assumes it is already registered", line)
		}
		if opts.has("enable-execute-command") {
			env.Warnf(pos, "ecs-exec", "%s enables ECS Exec: the service's task role needs ssmmessages:CreateControlChannel, CreateDataChannel, OpenControlChannel and OpenDataChannel on \"*\"", line)
		}
	case "ecs describe-services", "ecs wait services-stable", "ecs wait services-inactive":
		svcs := opts.opts["services"]
		if len(svcs) == 0 {
			svcs = []string{need.Param("ServiceName")}
		}
		for _, s := range svcs {
			add("ecs:DescribeServices", ecs.ServiceARN(region, acct, cluster(), ecs.Name(s)))
		}
	case "ecs describe-tasks", "ecs wait tasks-stopped", "ecs wait tasks-running":
		add("ecs:DescribeTasks", ecs.TasksARN(region, acct, cluster()))
	case "ecs run-task":
		family := ecs.Family(param("task-definition", "TaskFamily"))
		add("ecs:RunTask", ecs.FamilyARN(region, acct, family),
			need.Cond{Op: "ArnEquals", Key: "ecs:cluster", Values: []string{ecs.ClusterARN(region, acct, cluster())}})
	case "ecs describe-task-definition":
		add("ecs:DescribeTaskDefinition", "*")
	case "ecs register-task-definition":
		var td *ecs.TaskDefinition
		if in := opts.get("cli-input-json"); strings.HasPrefix(in, "file://") {
			td = env.TaskDefinition(strings.TrimPrefix(in, "file://"), pos)
		}
		if td == nil {
			if fam := opts.get("family"); fam != "" {
				td = &ecs.TaskDefinition{Family: &ecs.String{Value: fam}}
				if r := opts.get("execution-role-arn"); r != "" {
					td.ExecutionRoleARN = &ecs.String{Value: r, Pos: pos}
				}
				if r := opts.get("task-role-arn"); r != "" {
					td.TaskRoleARN = &ecs.String{Value: r, Pos: pos}
				}
				td.File, _ = env.ReadFile(env.File())
			}
		}
		Register(env, pos, line, td, opts.has("tags"))
	case "logs create-log-group":
		add("logs:CreateLogGroup", logGroup())
		if opts.has("tags") {
			add("logs:TagResource", logGroup())
		}
	case "logs put-retention-policy":
		add("logs:PutRetentionPolicy", logGroup())
	case "logs tail":
		add("logs:FilterLogEvents", logGroup())
		if opts.has("follow") {
			add("logs:StartLiveTail", logGroup())
		}
	case "s3 cp", "s3 mv", "s3 sync", "s3 ls", "s3 rm":
		s3(cmd, opts, add)
	case "cloudformation deploy":
		stack := fmt.Sprintf("arn:aws:cloudformation:%s:%s:stack/%s/*", region, acct, param("stack-name", "StackName"))
		for _, act := range []string{"cloudformation:DescribeStacks", "cloudformation:CreateChangeSet", "cloudformation:DescribeChangeSet",
			"cloudformation:ExecuteChangeSet", "cloudformation:DescribeStackEvents", "cloudformation:GetTemplateSummary"} {
			add(act, stack)
		}
		if b := opts.get("s3-bucket"); b != "" {
			add("s3:PutObject", "arn:aws:s3:::"+b+"/*")
		}
		if opts.has("capabilities") {
			env.Warnf(pos, "cloudformation-deploy", "%s: CloudFormation creates the stack's resources with this role's permissions (or the --role-arn role); iamfit does not read the template's resources", line)
		}
	case "ssm get-parameter", "ssm get-parameters":
		names := opts.opts["names"]
		if n := opts.get("name"); n != "" {
			names = append(names, n)
		}
		for _, n := range names {
			add("ssm:GetParameters", ssmParameterARN(region, acct, n))
			add("ssm:GetParameter", ssmParameterARN(region, acct, n))
		}
	default:
		genericCLI(env, pos, line, svc, cmd, opts, region, acct)
	}
}

func ssmParameterARN(region, acct, name string) string {
	return fmt.Sprintf("arn:aws:ssm:%s:%s:parameter/%s", region, acct, strings.TrimPrefix(name, "/"))
}

// s3 handles the high-level aws s3 commands, which call several APIs.
func s3(cmd string, opts cliArgs, add func(string, string, ...need.Cond)) {
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
	objects := func(b, k string, dir bool) string {
		if dir || k == "" || strings.HasSuffix(k, "/") {
			return "arn:aws:s3:::" + b + "/" + k + "*"
		}
		return "arn:aws:s3:::" + b + "/" + k
	}
	recursive := opts.has("recursive") || cmd == "sync"
	switch cmd {
	case "ls":
		if b, _, ok := bucketKey(src); ok {
			add("s3:ListBucket", "arn:aws:s3:::"+b)
		} else {
			add("s3:ListAllMyBuckets", "*")
		}
		return
	case "rm":
		if b, k, ok := bucketKey(src); ok {
			if recursive {
				add("s3:ListBucket", "arn:aws:s3:::"+b)
			}
			add("s3:DeleteObject", objects(b, k, recursive))
		}
		return
	}
	if b, k, ok := bucketKey(src); ok {
		if recursive {
			add("s3:ListBucket", "arn:aws:s3:::"+b)
		}
		add("s3:GetObject", objects(b, k, recursive))
		if cmd == "mv" {
			add("s3:DeleteObject", objects(b, k, recursive))
		}
	}
	if b, k, ok := bucketKey(dst); ok {
		if recursive {
			add("s3:ListBucket", "arn:aws:s3:::"+b)
		}
		add("s3:PutObject", objects(b, k, recursive))
		if cmd == "sync" && opts.has("delete") {
			add("s3:DeleteObject", objects(b, k, true))
		}
		if opts.has("acl") {
			add("s3:PutObjectAcl", objects(b, k, recursive))
		}
	}
}

var kebab = regexp.MustCompile(`(^|-)([a-z0-9])`)

// genericCLI maps "aws SERVICE some-command" to SERVICE:SomeCommand when
// the catalog has it, scoping it to the ARN format of its resource type,
// filled from the command's options where they name the format's
// variables, and with parameters for the rest.
func genericCLI(env Env, pos source.Pos, line, svc, cmd string, opts cliArgs, region, acct string) {
	prefix := svc
	if p, ok := cliServices[svc]; ok {
		prefix = p
	}
	op := kebab.ReplaceAllStringFunc(cmd, func(m string) string { return strings.ToUpper(strings.TrimPrefix(m, "-")) })
	cat := catalog.MustLoad()
	act := cat.Action(prefix + ":" + op)
	if act == nil {
		env.Warnf(pos, "unknown-command", "iamfit does not know the IAM action of %q; its needs are not included", line)
		return
	}
	if act.WildcardOnly() {
		env.Add(pos, line, act.String(), "*")
		return
	}
	var rt *catalog.ResourceType
	for _, r := range act.Resources {
		if r.Required && r.Type != nil {
			rt = r.Type
			break
		}
	}
	if rt == nil {
		for _, r := range act.Resources {
			if r.Type != nil {
				rt = r.Type
				break
			}
		}
	}
	if rt == nil {
		env.Add(pos, line, act.String(), "*")
		return
	}
	env.Add(pos, line, act.String(), fillFormat(rt.ARN, region, acct, opts))
}

var formatVar = regexp.MustCompile(`\$\{([A-Za-z0-9]+)\}`)

// fillFormat instantiates a catalog ARN format: partition aws, the region
// and account, variables from matching options (ClusterName from
// --cluster or --cluster-name), and parameters for the others.
func fillFormat(format, region, acct string, opts cliArgs) string {
	return formatVar.ReplaceAllStringFunc(format, func(m string) string {
		name := formatVar.FindStringSubmatch(m)[1]
		switch name {
		case "Partition":
			return "aws"
		case "Region":
			return region
		case "Account":
			return acct
		}
		base := strings.ToLower(strings.TrimSuffix(name, "Name"))
		for opt, vals := range opts.opts {
			norm := strings.ReplaceAll(strings.ToLower(opt), "-", "")
			if len(vals) > 0 && (norm == strings.ToLower(name) || norm == base || norm == base+"name" || norm == base+"id") {
				return ecs.Name(vals[0])
			}
		}
		return need.Param(name)
	})
}
