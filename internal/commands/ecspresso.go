package commands

import (
	"fmt"
	"strings"

	"gopkg.in/yaml.v3"

	"github.com/iamfit/iamfit/internal/ecs"
	"github.com/iamfit/iamfit/internal/jsonpos"
	"github.com/iamfit/iamfit/internal/need"
	"github.com/iamfit/iamfit/internal/source"
)

// ecspressoConfig is the part of ecspresso.yml iamfit reads.
type ecspressoConfig struct {
	Region            string `yaml:"region"`
	Cluster           string `yaml:"cluster"`
	Service           string `yaml:"service"`
	TaskDefinition    string `yaml:"task_definition"`
	ServiceDefinition string `yaml:"service_definition"`
	Plugins           []struct {
		Name   string            `yaml:"name"`
		Config map[string]string `yaml:"config"`
	} `yaml:"plugins"`
}

// ecspresso reads an ecspresso command line with its config file.
func ecspresso(env Env, pos source.Pos, args []string) {
	opts := parseCLI(args[1:])
	if len(opts.pos) == 0 {
		return
	}
	sub := opts.pos[0]
	cfgName := opts.get("config")
	if cfgName == "" {
		cfgName = "ecspresso.yml"
	}
	line := strings.Join(args, " ")
	var cfg ecspressoConfig
	if strings.HasSuffix(cfgName, ".jsonnet") {
		env.Warnf(pos, "ecspresso-config", "ecspresso config %s is Jsonnet: iamfit reads YAML configs only; cluster, service and task definition become parameters", cfgName)
	} else if f, err := env.ReadFile(cfgName); err != nil {
		env.Warnf(pos, "ecspresso-config", "cannot read ecspresso config %s: %v; cluster, service and task definition become parameters", cfgName, err)
	} else if err := yaml.Unmarshal(f.Data, &cfg); err != nil {
		env.Diag(source.Diagnostic{File: cfgName, Pos: source.Pos{Line: 1, Col: 1}, Severity: source.Warning,
			Check: "ecspresso-config", Message: fmt.Sprintf("invalid ecspresso config: %v", err)})
	}
	region := env.Region()
	if cfg.Region != "" && !strings.Contains(cfg.Region, "{{") {
		region = cfg.Region
	}
	if r := opts.get("region"); r != "" {
		region = r
	}
	defer env.SetRegion(region)()
	acct := env.Account()
	cluster := orParam(cfg.Cluster, "ClusterName")
	if cluster == "" {
		cluster = "default"
	}
	service := orParam(cfg.Service, "ServiceName")
	svcARN := ecs.ServiceARN(region, acct, cluster, service)
	clusterARN := ecs.ClusterARN(region, acct, cluster)
	why := "ecspresso " + sub
	add := func(action, resource string, conds ...need.Cond) { env.Add(pos, line, action, resource, conds...) }
	for _, p := range cfg.Plugins {
		if p.Name == "tfstate" {
			if u := p.Config["url"]; strings.HasPrefix(u, "s3://") {
				add("s3:GetObject", "arn:aws:s3:::"+strings.TrimPrefix(u, "s3://"))
			} else if p.Config["url"] != "" {
				env.Warnf(pos, "ecspresso-config", "tfstate plugin url %q is not on S3: no AWS call", p.Config["url"])
			}
		}
	}
	register := func() string {
		if cfg.TaskDefinition == "" {
			return Register(env, pos, why, nil, false)
		}
		td := env.TaskDefinition(cfg.TaskDefinition, pos)
		if td != nil && cfg.ServiceDefinition != "" && execEnabled(env, cfg.ServiceDefinition) {
			env.EnableExec(td.File.Name)
		}
		return Register(env, pos, why, td, false)
	}
	switch sub {
	case "deploy":
		if !opts.has("skip-task-definition") {
			register()
		}
		add("ecs:DescribeServices", svcARN)
		add("ecs:UpdateService", svcARN)
		if w := opts.get("wait-until"); w == "deployed" {
			add("ecs:ListServiceDeployments", svcARN)
			add("ecs:DescribeServiceDeployments", fmt.Sprintf("arn:aws:ecs:%s:%s:service-deployment/%s/%s/*", region, acct, cluster, service))
		}
	case "register":
		register()
	case "run":
		family := need.Param("TaskFamily")
		if opts.has("latest-task-definition") || opts.has("skip-task-definition") {
			add("ecs:DescribeTaskDefinition", "*")
			if cfg.TaskDefinition != "" {
				if td := env.TaskDefinition(cfg.TaskDefinition, pos); td != nil && td.Family != nil {
					family = td.Family.Value
				}
			}
		} else {
			family = register()
		}
		add("ecs:RunTask", ecs.FamilyARN(region, acct, family),
			need.Cond{Op: "ArnEquals", Key: "ecs:cluster", Values: []string{clusterARN}})
		if !opts.has("no-wait") {
			add("ecs:DescribeTasks", ecs.TasksARN(region, acct, cluster))
		}
		if c := opts.get("watch-container"); c != "" {
			add("logs:GetLogEvents", fmt.Sprintf("arn:aws:logs:%s:%s:log-group:%s:log-stream:*", region, acct, need.Param("LogGroupName")))
		}
	case "rollback":
		add("ecs:DescribeServices", svcARN)
		add("ecs:ListTaskDefinitions", "*")
		add("ecs:UpdateService", svcARN)
		if opts.has("deregister-task-definition") {
			add("ecs:DeregisterTaskDefinition", "*")
		}
	case "diff":
		add("ecs:DescribeServices", svcARN)
		add("ecs:DescribeTaskDefinition", "*")
	case "status":
		add("ecs:DescribeServices", svcARN)
	case "exec":
		env.Warnf(pos, "ecspresso-exec", "ecspresso exec is interactive and does not belong in CI")
	default:
		env.Warnf(pos, "unknown-command", "iamfit does not know the AWS calls of %q", line)
	}
}

func orParam(v, name string) string {
	if v == "" || strings.Contains(v, "{{") {
		return need.Param(name)
	}
	return v
}

// execEnabled reads a service definition for "enableExecuteCommand": true.
func execEnabled(env Env, name string) bool {
	f, err := env.ReadFile(name)
	if err != nil {
		return false
	}
	root, errs := jsonpos.Parse(f.Data)
	if len(errs) > 0 || root == nil {
		return false
	}
	v := root.Get("enableExecuteCommand")
	return v != nil && v.Kind == jsonpos.Bool && v.Bool
}
