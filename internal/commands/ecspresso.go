package commands

import (
	"encoding/json"
	"fmt"
	"path"
	"strings"

	"gopkg.in/yaml.v3"

	"github.com/iamfit/iamfit/internal/arn"
	"github.com/iamfit/iamfit/internal/ecs"
	"github.com/iamfit/iamfit/internal/need"
	"github.com/iamfit/iamfit/internal/source"
)

// The knowledge of this file comes from kayac/ecspresso v2 (cli.go,
// config.go, plugin.go, deploy.go, wait.go, run.go, rollback.go,
// verify.go, register.go, refresh.go, scale.go, status.go, diff.go,
// tasks.go, delete.go, appspec.go, deregister.go, revisions.go,
// autoscaling.go, ecspresso.go): which AWS calls each subcommand and flag
// makes. Each need says which call it is for.

// ecspressoConfig is the part of an ecspresso config iamfit reads.
type ecspressoConfig struct {
	Region            string `yaml:"region"`
	Cluster           string `yaml:"cluster"`
	Service           string `yaml:"service"`
	TaskDefinition    string `yaml:"task_definition"`
	ServiceDefinition string `yaml:"service_definition"`
	Plugins           []struct {
		Name       string         `yaml:"name"`
		Config     map[string]any `yaml:"config"`
		FuncPrefix string         `yaml:"func_prefix"`
	} `yaml:"plugins"`
	CodeDeploy *struct {
		ApplicationName     string `yaml:"application_name"`
		DeploymentGroupName string `yaml:"deployment_group_name"`
	} `yaml:"codedeploy"`
}

// serviceDefinition is the part of a service definition iamfit reads.
type serviceDefinition struct {
	DeploymentController *struct {
		Type string `json:"type"`
	} `json:"deploymentController"`
	EnableExecuteCommand bool `json:"enableExecuteCommand"`
	Tags                 []struct {
		Key string `json:"key"`
	} `json:"tags"`
	LoadBalancers               []json.RawMessage `json:"loadBalancers"`
	ServiceConnectConfiguration *struct {
		Namespace string `json:"namespace"`
	} `json:"serviceConnectConfiguration"`
}

// ecspressoBools are the boolean flags of every subcommand (kong: a bool
// takes no value; --no-X negates a negatable one).
var ecspressoBools = map[string]bool{
	"debug": true, "dry-run": true, "skip-task-definition": true, "force-new-deployment": true,
	"wait": true, "suspend-auto-scaling": true, "resume-auto-scaling": true, "update-service": true,
	"latest-task-definition": true, "deregister-task-definition": true, "get-secrets": true,
	"put-logs": true, "cache": true, "unified": true, "force": true, "delete": true,
	"ebs-delete-on-termination": true, "color": true, "external": true, "force-overwrite": true,
	"jsonnet": true, "local": true, "version": true, "help": true,
}

// ecspressoFlags is an ecspresso command line.
type ecspressoFlags struct {
	pos   []string
	vals  map[string][]string
	bools map[string]bool
}

func parseEcspresso(args []string) ecspressoFlags {
	f := ecspressoFlags{vals: map[string][]string{}, bools: map[string]bool{}}
	for i := 0; i < len(args); i++ {
		a := args[i]
		if !strings.HasPrefix(a, "--") || a == "--" {
			f.pos = append(f.pos, a)
			continue
		}
		name, val, hasVal := strings.Cut(a[2:], "=")
		if hasVal {
			f.vals[name] = append(f.vals[name], val)
			continue
		}
		if n, ok := strings.CutPrefix(name, "no-"); ok && ecspressoBools[n] {
			f.bools[n] = false
			continue
		}
		if ecspressoBools[name] || i+1 >= len(args) || strings.HasPrefix(args[i+1], "--") {
			f.bools[name] = true
			continue
		}
		f.vals[name] = append(f.vals[name], args[i+1])
		i++
	}
	return f
}

func (f ecspressoFlags) get(name string) string {
	if v := f.vals[name]; len(v) > 0 {
		return v[len(v)-1]
	}
	return ""
}

// flag is a boolean flag with its default.
func (f ecspressoFlags) flag(name string, def bool) bool {
	if v, ok := f.bools[name]; ok {
		return v
	}
	return def
}

// ecspressoRun is one ecspresso command being read.
type ecspressoRun struct {
	env     Env
	pos     source.Pos
	sub     string
	flags   ecspressoFlags
	lookup  func(string) (string, bool)
	wd      string // the step's working directory
	cfg     ecspressoConfig
	cfgFile string
	dir     string
	region  string
	acct    string
	cluster string
	service string
	svcARN  string
	clARN   string
	rend    *renderer
	tds     map[string]*ecs.TaskDefinition
	sd      *serviceDefinition
	sdRead  bool
}

// ecspresso reads an ecspresso command line with its config and
// definition files.
func ecspresso(env Env, pos source.Pos, args []string) {
	flags := parseEcspresso(args[1:])
	if len(flags.pos) == 0 {
		if !flags.flag("version", false) && !flags.flag("help", false) {
			env.Warnf(pos, "ecspresso", "ecspresso without a subcommand: no AWS call")
		}
		return
	}
	e := &ecspressoRun{env: env, pos: pos, sub: flags.pos[0], flags: flags}
	switch e.sub {
	case "version", "help":
		return
	case "exec":
		env.Warnf(pos, "ecspresso-exec", "ecspresso exec opens an interactive session (ECS Exec through SSM) and does not belong in CI: its calls are not included")
		return
	case "init":
		env.Warnf(pos, "ecspresso", "ecspresso init writes configuration files from a running service; in CI it reads the service and its task definition")
	}
	e.lookup, e.wd = env.Getenv, env.WorkingDirectory()
	e.loadConfig()
	defer env.SetRegion(e.region)()
	e.subcommand()
	for _, r := range e.rend.reads {
		e.add(r.Action, r.Resource, "render "+r.Why)
	}
}

// getenv is the step's environment with --envfile values over it
// (envfile.go: the files' variables are set before the config loads).
func (e *ecspressoRun) getenv(name string) (string, bool) {
	if e.lookup == nil {
		return "", false
	}
	return e.lookup(name)
}

func (e *ecspressoRun) add(action, resource, why string, conds ...need.Cond) {
	e.env.Add(e.pos, "ecspresso "+e.sub+": "+why, action, resource, conds...)
}

// loadConfig finds, renders and reads the config (cli.go
// resolveConfigFilePath, config.go Load and Restrict) and sets up the
// plugins (plugin.go).
func (e *ecspressoRun) loadConfig() {
	env := e.env
	envs := map[string]string{}
	for _, ef := range e.flags.vals["envfile"] {
		f, err := env.ReadFile(e.cwd(ef))
		if err != nil {
			env.Warnf(e.pos, "ecspresso", "cannot read --envfile %s: %v; its variables are not known", ef, err)
			continue
		}
		for _, l := range strings.Split(string(f.Data), "\n") {
			l = strings.TrimSpace(strings.TrimPrefix(strings.TrimSpace(l), "export "))
			if k, v, ok := strings.Cut(l, "="); ok && !strings.HasPrefix(k, "#") {
				envs[strings.TrimSpace(k)] = strings.Trim(strings.TrimSpace(v), `"'`)
			}
		}
	}
	if len(envs) > 0 {
		outer := e.lookup
		e.lookup = func(k string) (string, bool) {
			if v, ok := envs[k]; ok {
				return v, true
			}
			if outer != nil {
				return outer(k)
			}
			return "", false
		}
	}
	e.acct = env.Account()
	region := env.Region()
	if r, ok := e.getenv("AWS_REGION"); ok && r != "" {
		region = r
	}
	e.rend = newRenderer(env, e.getenv, region, e.acct)
	e.rend.extStr, e.rend.extCode = keyValues(e.flags.vals["ext-str"]), keyValues(e.flags.vals["ext-code"])

	name := e.flags.get("config")
	if name == "" {
		name, _ = e.getenv("ECSPRESSO_CONFIG")
	}
	if name == "" || name == "ecspresso.yml" {
		name = "ecspresso.yml"
		for _, c := range []string{"ecspresso.yml", "ecspresso.yaml", "ecspresso.json", "ecspresso.jsonnet"} {
			if _, err := env.ReadFile(e.cwd(c)); err == nil {
				name = c
				break
			}
		}
	}
	name = e.cwd(name)
	e.cfgFile, e.dir = name, path.Dir(name)
	var r *rendered
	switch _, err := env.ReadFile(name); {
	case strings.Contains(name, "{}") || need.HasParams(name):
		env.Warnf(e.pos, "ecspresso-config", "the ecspresso config %s is chosen when the job runs: cluster, service and task definition become parameters", name)
	case err != nil:
		env.Warnf(e.pos, "ecspresso-config", "cannot read the ecspresso config %s (%v): cluster, service and task definition become parameters", name, err)
	default:
		// A config that does not render has its diagnostic.
		if r = e.rend.Render(name, e.pos, true); r != nil {
			if err := yaml.Unmarshal(r.File.Data, &e.cfg); err != nil {
				env.Diag(source.Diagnostic{File: name, Pos: source.Pos{Line: 1, Col: 1}, Severity: source.Warning,
					Check: "ecspresso-config", Message: fmt.Sprintf("invalid ecspresso config: %v", err)})
			}
		}
	}
	if e.cfg.Region != "" && !need.HasParams(e.cfg.Region) {
		region = e.cfg.Region
	}
	e.region = region
	e.rend.region = region
	e.cluster = orParam(e.cfg.Cluster, "ClusterName")
	if e.cfg.Cluster == "" && r != nil {
		// A config that is read and names no cluster: ecspresso uses the
		// default cluster. A config that is not read leaves it a parameter.
		e.cluster = "default"
	}
	e.service = orParam(e.cfg.Service, "ServiceName")
	e.svcARN = ecs.ServiceARN(region, e.acct, e.cluster, e.service)
	e.clARN = ecs.ClusterARN(region, e.acct, e.cluster)
	e.plugins()
}

func keyValues(vs []string) map[string]string {
	m := map[string]string{}
	for _, v := range vs {
		for _, kv := range strings.Split(v, ";") {
			if k, v, ok := strings.Cut(kv, "="); ok {
				m[k] = v
			}
		}
	}
	return m
}

// cwd resolves a path of the command line against the step's working
// directory.
func (e *ecspressoRun) cwd(p string) string {
	if path.IsAbs(p) {
		return path.Clean(p)
	}
	return path.Join(e.wd, p)
}

// rel resolves a path of the config relative to the config's directory
// (config.go Restrict).
func (e *ecspressoRun) rel(p string) string {
	if p == "" || path.IsAbs(p) {
		return p
	}
	return path.Join(e.dir, p)
}

// plugins sets up the template functions of the configured plugins
// (plugin.go Setup). The tfstate plugin reads its state when the config
// loads, for every subcommand.
func (e *ecspressoRun) plugins() {
	r := e.rend
	r.plugins = true
	for _, p := range e.cfg.Plugins {
		switch strings.ToLower(p.Name) {
		case "ssm":
			if p.FuncPrefix != "" {
				r.ssmPref = append(r.ssmPref, p.FuncPrefix)
			}
		case "secretsmanager":
			if p.FuncPrefix != "" {
				r.smPrefix = append(r.smPrefix, p.FuncPrefix)
			}
		case "cloudformation":
			r.cfn = append(r.cfn, p.FuncPrefix)
		case "tfstate":
			ts := tfstateSource{prefix: p.FuncPrefix}
			loc, _ := p.Config["path"].(string)
			if loc != "" {
				loc = e.rel(loc)
			} else {
				loc, _ = p.Config["url"].(string)
			}
			e.tfstateSource(&ts, loc)
			r.tfstates = append(r.tfstates, ts)
		default:
			e.env.Diag(source.Diagnostic{File: e.cfgFile, Pos: source.Pos{Line: 1, Col: 1}, Severity: source.Warning, Check: "ecspresso-config",
				Message: fmt.Sprintf("ecspresso has no plugin %q (it knows tfstate, cloudformation, ssm, secretsmanager): ecspresso stops here", p.Name)})
		}
	}
}

// tfstateSource locates one tfstate plugin's state (tfstate-lookup
// ReadURL): an S3 object (s3:GetObject), a file of the repository (its
// values are looked up), or a place without AWS calls.
func (e *ecspressoRun) tfstateSource(ts *tfstateSource, loc string) {
	why := "tfstate plugin reads " + loc + " (" + e.cfgFile + ")"
	switch {
	case loc == "":
		e.env.Diag(source.Diagnostic{File: e.cfgFile, Pos: source.Pos{Line: 1, Col: 1}, Severity: source.Warning, Check: "ecspresso-config",
			Message: "the tfstate plugin needs config.path or config.url: its values become parameters"})
	case strings.HasPrefix(loc, "s3://"):
		ts.url = loc
		e.rend.read("s3:GetObject", "arn:aws:s3:::"+strings.TrimPrefix(loc, "s3://"), why)
	case strings.Contains(loc, "://"):
		e.env.Warnf(e.pos, "ecspresso", "tfstate plugin state %s is not on S3: no AWS call; its values become parameters", loc)
	default:
		f, err := e.env.ReadFile(strings.TrimPrefix(loc, "file://"))
		if err != nil {
			e.env.Warnf(e.pos, "ecspresso", "tfstate plugin state %s is not a file of the repository (%v): its values become parameters", loc, err)
			return
		}
		st, err := parseTFState(f.Data)
		if err != nil {
			e.env.Diag(source.Diagnostic{File: f.Name, Pos: source.Pos{Line: 1, Col: 1}, Severity: source.Warning, Check: "ecspresso",
				Message: fmt.Sprintf("not a Terraform state: %v; the tfstate values become parameters", err)})
			return
		}
		backend := struct {
			Backend *struct {
				Type   string         `json:"type"`
				Config map[string]any `json:"config"`
			} `json:"backend"`
		}{}
		if json.Unmarshal(f.Data, &backend) == nil && backend.Backend != nil {
			// An initialised working directory's state points to the
			// remote state (tfstate-lookup readRemoteState).
			if backend.Backend.Type == "s3" {
				b, _ := backend.Backend.Config["bucket"].(string)
				k, _ := backend.Backend.Config["key"].(string)
				if b != "" && k != "" {
					e.rend.read("s3:GetObject", "arn:aws:s3:::"+b+"/"+k, why+" (backend s3)")
				}
			} else {
				e.env.Warnf(e.pos, "ecspresso", "tfstate plugin state %s uses the %s backend: no AWS call iamfit knows", loc, backend.Backend.Type)
			}
			return
		}
		ts.local, ts.state = f, st
	}
}

// taskDefinition renders and reads the task definition file (the config's
// or --task-def) and records it as deployed.
func (e *ecspressoRun) taskDefinition(file string) *ecs.TaskDefinition {
	name := file
	if name == "" {
		if e.cfg.TaskDefinition == "" {
			return nil
		}
		name = e.rel(e.cfg.TaskDefinition)
	}
	if td, ok := e.tds[name]; ok {
		return td
	}
	if e.tds == nil {
		e.tds = map[string]*ecs.TaskDefinition{}
	}
	e.tds[name] = nil
	r := e.rend.Render(name, e.pos, false)
	if r == nil {
		return nil
	}
	td, diags := ecs.Read(r.File)
	for i := range diags {
		diags[i].Pos = relocate(r.Src, r.File, diags[i].Pos)
		e.env.Diag(diags[i])
	}
	if td == nil {
		return nil
	}
	relocateTD(td, r)
	e.env.Deployed(td)
	e.tds[name] = td
	if file == "" {
		if sd := e.serviceDefinition(); sd != nil && sd.EnableExecuteCommand {
			e.env.EnableExec(td.File.Name)
		}
	}
	return td
}

// relocateTD moves the positions of a rendered Jsonnet task definition
// back to its source.
func relocateTD(td *ecs.TaskDefinition, r *rendered) {
	td.File = source.NewFile(r.Src.Name, r.File.Data)
	mv := func(s *ecs.String) {
		if s != nil {
			s.Pos = relocate(r.Src, r.File, s.Pos)
		}
	}
	mv(td.Family)
	mv(td.ExecutionRoleARN)
	mv(td.TaskRoleARN)
	for i := range td.Containers {
		c := &td.Containers[i]
		c.Pos = relocate(r.Src, r.File, c.Pos)
		mv(c.Image)
		mv(c.RepositoryCredentials)
		mv(c.FirelensConfigS3)
		for k, v := range c.LogOptions {
			mv(&v)
			c.LogOptions[k] = v
		}
		for k, v := range c.Environment {
			mv(&v)
			c.Environment[k] = v
		}
		for j := range c.Secrets {
			mv(&c.Secrets[j].ValueFrom)
		}
		for j := range c.EnvironmentFiles {
			mv(&c.EnvironmentFiles[j])
		}
	}
}

// serviceDefinition renders and reads the config's service definition.
func (e *ecspressoRun) serviceDefinition() *serviceDefinition {
	if e.sdRead {
		return e.sd
	}
	e.sdRead = true
	if e.cfg.ServiceDefinition == "" {
		return nil
	}
	name := e.rel(e.cfg.ServiceDefinition)
	r := e.rend.Render(name, e.pos, false)
	if r == nil {
		return nil
	}
	var sd serviceDefinition
	if err := json.Unmarshal(r.File.Data, &sd); err != nil {
		e.env.Diag(source.Diagnostic{File: name, Pos: source.Pos{Line: 1, Col: 1}, Severity: source.Warning, Check: "ecspresso",
			Message: fmt.Sprintf("invalid service definition: %v", err)})
		return nil
	}
	e.sd = &sd
	return e.sd
}

// codeDeploy reports whether the service uses the CodeDeploy deployment
// controller (ecspresso.go isCodeDeploy, from the service as described;
// iamfit reads it from the service definition).
func (e *ecspressoRun) codeDeploy() bool {
	sd := e.serviceDefinition()
	return sd != nil && sd.DeploymentController != nil && strings.EqualFold(sd.DeploymentController.Type, "CODE_DEPLOY")
}

func (e *ecspressoRun) family() string {
	if td := e.taskDefinition(""); td != nil && td.Family != nil {
		return td.Family.Value
	}
	return need.Param("TaskFamily")
}

// register is RegisterTaskDefinition of the task definition file (with
// PassRole for its roles and TagResource when it has tags).
func (e *ecspressoRun) register(file string) string {
	td := e.taskDefinition(file)
	return Register(e.env, e.pos, "ecspresso "+e.sub, td, false)
}

// describeService is DescribeService (ecspresso.go): DescribeServices,
// and GetNamespace for a Service Connect service.
func (e *ecspressoRun) describeService() {
	e.add("ecs:DescribeServices", e.svcARN, "describe service "+e.service)
	if sd := e.serviceDefinition(); sd != nil && sd.ServiceConnectConfiguration != nil && !e.codeDeploy() {
		e.add("servicediscovery:GetNamespace", fmt.Sprintf("arn:aws:servicediscovery:%s:%s:namespace/*", e.region, e.acct),
			"resolve the Service Connect namespace of "+e.service)
	}
}

// describeServiceStatus is DescribeServiceStatus (ecspresso.go): the
// service and its Application Auto Scaling target and policies.
func (e *ecspressoRun) describeServiceStatus() {
	e.describeService()
	e.add("application-autoscaling:DescribeScalableTargets", "*", "show the auto scaling target of "+e.service)
	e.add("application-autoscaling:DescribeScalingPolicies", "*", "show the auto scaling policies of "+e.service)
}

// codeDeployNames are the CodeDeploy application and deployment group
// ARNs: the config's codedeploy names, else every ECS application and
// group is listed (deploy.go findDeploymentInfo).
func (e *ecspressoRun) findDeploymentInfo() (appARN, groupARN string) {
	base := fmt.Sprintf("arn:aws:codedeploy:%s:%s:", e.region, e.acct)
	app, group := "", ""
	if cd := e.cfg.CodeDeploy; cd != nil {
		app, group = cd.ApplicationName, cd.DeploymentGroupName
	}
	if app == "" {
		e.add("codedeploy:ListApplications", "*", "find the CodeDeploy application of "+e.service)
		appARN = base + "application:*"
	} else {
		appARN = base + "application:" + app
	}
	e.add("codedeploy:BatchGetApplications", appARN, "read the CodeDeploy application")
	switch {
	case group == "":
		e.add("codedeploy:ListDeploymentGroups", appARN, "find the deployment group of "+e.service)
		groupARN = base + "deploymentgroup:" + strings.TrimPrefix(appARN, base+"application:") + "/*"
	case app == "":
		groupARN = base + "deploymentgroup:*/" + group
	default:
		groupARN = base + "deploymentgroup:" + app + "/" + group
	}
	e.add("codedeploy:BatchGetDeploymentGroups", groupARN, "read the deployment group")
	return appARN, groupARN
}

// createDeployment is deploy.go createDeployment: a CodeDeploy deployment
// with the AppSpec as content.
func (e *ecspressoRun) createDeployment() {
	appARN, groupARN := e.findDeploymentInfo()
	e.add("codedeploy:CreateDeployment", groupARN, "start a CodeDeploy blue/green deployment")
	e.add("codedeploy:RegisterApplicationRevision", appARN, "register the AppSpec revision of the deployment")
	e.add("codedeploy:GetDeploymentConfig", fmt.Sprintf("arn:aws:codedeploy:%s:%s:deploymentconfig:%s", e.region, e.acct, need.Param("CodeDeployConfig")),
		"read the deployment group's deployment configuration")
}

// wait is WaitFunc (wait.go) for the controller and --wait-until.
func (e *ecspressoRun) wait(until string) {
	if e.codeDeploy() {
		_, groupARN := e.findDeploymentInfo()
		e.add("codedeploy:ListDeployments", groupARN, "find the deployment in progress")
		e.add("codedeploy:GetDeployment", groupARN, "wait for the deployment to succeed")
		e.add("codedeploy:GetDeploymentTarget", "*", "show the traffic shift of the deployment")
		return
	}
	e.add("ecs:DescribeServices", e.svcARN, "wait for service "+e.service+" to become stable")
	if until == "deployed" {
		e.add("ecs:ListServiceDeployments", e.svcARN, "find the service deployment")
		depARN := fmt.Sprintf("arn:aws:ecs:%s:%s:service-deployment/%s/%s/*", e.region, e.acct, e.cluster, e.service)
		e.add("ecs:DescribeServiceDeployments", e.svcARN, "wait for the service deployment to complete")
		e.add("ecs:DescribeServiceDeployments", depARN, "wait for the service deployment to complete")
	} else if until != "" && until != "stable" {
		e.env.Warnf(e.pos, "ecspresso", "ecspresso --wait-until=%s is not stable or deployed: ecspresso rejects it", until)
	}
}

// deploy is deploy.go Deploy with the given options (refresh.go and
// scale.go call it with theirs).
func (e *ecspressoRun) deploy(skipTD, forceNew, updateService, latest bool) {
	f := e.flags
	dry := f.flag("dry-run", false)
	e.describeServiceStatus()
	e.env.Warnf(e.pos, "ecspresso-create", "ecspresso %s creates service %s when it does not exist (ecs:CreateService): that call is not included, as the service exists after the first deploy; grant it for that one", e.sub, e.service)
	// taskDefinitionArnForDeploy
	switch {
	case latest || f.get("revision") != "" && f.get("revision") != "0":
		if latest {
			e.add("ecs:ListTaskDefinitions", "*", "find the latest task definition of the service's family")
		}
	case skipTD:
	case dry:
		e.taskDefinition("")
	default:
		e.register("")
	}
	if e.cfg.ServiceDefinition != "" && updateService {
		sd := e.serviceDefinition()
		if !dry {
			e.add("ecs:UpdateService", e.svcARN, "update the attributes of service "+e.service+" from its service definition")
		}
		if sd != nil && len(sd.Tags) > 0 && !dry {
			e.add("ecs:TagResource", e.svcARN, "tag service "+e.service+" as its definition says")
			e.add("ecs:UntagResource", e.svcARN, "remove service tags its definition no longer has")
		}
	}
	// modifyAutoScaling (autoscaling.go)
	if f.bools["suspend-auto-scaling"] || f.bools["resume-auto-scaling"] || f.get("auto-scaling-min") != "" || f.get("auto-scaling-max") != "" {
		e.add("application-autoscaling:DescribeScalableTargets", "*", "read the service's scalable target")
		if !dry {
			e.add("application-autoscaling:RegisterScalableTarget",
				fmt.Sprintf("arn:aws:application-autoscaling:%s:%s:scalable-target/*", e.region, e.acct), "change the service's auto scaling")
		}
	}
	if dry {
		return
	}
	if e.codeDeploy() {
		// DeployByCodeDeploy: the desired count, then a deployment.
		e.add("ecs:UpdateService", e.svcARN, "set the desired count of service "+e.service)
		if !(skipTD && !updateService && !forceNew) {
			e.createDeployment()
		}
	} else {
		e.add("ecs:UpdateService", e.svcARN, "update service "+e.service+" to the task definition")
	}
	if f.flag("wait", true) {
		e.wait(f.get("wait-until"))
	}
}

// run is run.go Run.
func (e *ecspressoRun) run() {
	f := e.flags
	dry := f.flag("dry-run", false)
	family := ""
	resolve := func() {
		// resolveTaskdefinition: the service's task definition, else the file's family.
		if e.cfg.Service != "" {
			e.add("ecs:DescribeServices", e.svcARN, "find the task definition of service "+e.service)
			family = need.Param("TaskFamily")
			if td := e.taskDefinition(""); td != nil && td.Family != nil {
				family = td.Family.Value
			}
		} else {
			family = e.family()
		}
	}
	var td *ecs.TaskDefinition
	registered := false
	switch {
	case f.get("revision") != "" && f.get("revision") != "0":
		resolve()
	case f.flag("latest-task-definition", false):
		resolve()
		e.add("ecs:ListTaskDefinitions", "*", "find the latest revision of "+family)
	case f.flag("skip-task-definition", false):
		resolve()
		if e.cfg.Service == "" {
			e.add("ecs:ListTaskDefinitions", "*", "find the latest revision of "+family)
		}
	default:
		file := ""
		if t := f.get("task-def"); t != "" {
			file = e.cwd(t)
		}
		if dry {
			td = e.taskDefinition(file)
		} else {
			family = e.register(file)
			td = e.taskDefinition(file)
			registered = true
		}
	}
	if td == nil {
		td = e.taskDefinition("")
	}
	if family == "" {
		family = need.Param("TaskFamily")
		if td != nil && td.Family != nil {
			family = td.Family.Value
		}
	}
	e.serviceDefinition() // network configuration and launch type of the task
	if dry {
		return
	}
	e.add("ecs:DescribeTaskDefinition", "*", "read the task definition to run")
	onCluster := need.Cond{Op: "ArnEquals", Key: "ecs:cluster", Values: []string{e.clARN}}
	e.add("ecs:RunTask", ecs.FamilyARN(e.region, e.acct, family), "run a task of "+family+" in cluster "+e.cluster, onCluster)
	if td != nil && !registered {
		for _, r := range []*ecs.String{td.ExecutionRoleARN, td.TaskRoleARN} {
			if r != nil {
				role := arn.RoleARN(r.Value, e.acct)
				e.add("iam:PassRole", role, "run the task with "+role, ecs.PassedToECS)
			}
		}
	}
	e.overrides()
	pt := f.get("propagate-tags")
	if pt == "SERVICE" {
		e.add("ecs:ListTagsForResource", e.svcARN, "copy the tags of service "+e.service+" to the task")
	}
	if f.get("tags") != "" || (pt != "" && pt != "NONE") {
		e.add("ecs:TagResource", ecs.TasksARN(e.region, e.acct, e.cluster), "tag the task when it starts",
			need.Cond{Op: "StringEquals", Key: "ecs:CreateAction", Values: []string{"RunTask"}})
	}
	if !f.flag("wait", true) {
		return
	}
	e.add("ecs:DescribeTasks", ecs.TasksARN(e.region, e.acct, e.cluster), "wait for the task to "+orDefault(f.get("wait-until"), "stop"))
	// WaitRunTask follows the watched container's awslogs stream (the
	// --watch-container, else the first container).
	if td == nil {
		if c := f.get("watch-container"); c != "" {
			e.add("logs:GetLogEvents", fmt.Sprintf("arn:aws:logs:%s:%s:log-group:%s:log-stream:*", e.region, e.acct, need.Param("LogGroupName")),
				"show the logs of container "+c)
		}
		return
	}
	var watch *ecs.Container
	for i := range td.Containers {
		if c := f.get("watch-container"); c == "" || td.Containers[i].Name == c {
			watch = &td.Containers[i]
			break
		}
	}
	if watch == nil {
		e.env.Warnf(e.pos, "ecspresso", "--watch-container %s is not a container of %s", f.get("watch-container"), td.File.Name)
		return
	}
	group, prefix := watch.LogOptions["awslogs-group"], watch.LogOptions["awslogs-stream-prefix"]
	if watch.LogDriver == "awslogs" && group.Value != "" && prefix.Value != "" {
		e.add("logs:GetLogEvents", fmt.Sprintf("arn:aws:logs:%s:%s:log-group:%s:log-stream:%s/%s/*", e.region, e.acct, group.Value, prefix.Value, watch.Name),
			fmt.Sprintf("show the logs of container %s (%s:%d)", watch.Name, td.File.Name, group.Pos.Line))
	}
}

// overrides reads --overrides / --overrides-file for roles the task runs
// with instead of the task definition's (RunTask passes them).
func (e *ecspressoRun) overrides() {
	var data []byte
	if s := e.flags.get("overrides"); s != "" {
		data = []byte(s)
	} else if file := e.flags.get("overrides-file"); file != "" {
		r := e.rend.Render(e.cwd(file), e.pos, false)
		if r == nil {
			return
		}
		data = r.File.Data
	}
	if data == nil {
		return
	}
	var ov struct {
		TaskRoleArn      string `json:"taskRoleArn"`
		ExecutionRoleArn string `json:"executionRoleArn"`
	}
	if err := json.Unmarshal(data, &ov); err != nil {
		e.env.Warnf(e.pos, "ecspresso", "cannot read the task overrides: %v", err)
		return
	}
	for _, r := range []string{ov.TaskRoleArn, ov.ExecutionRoleArn} {
		if r != "" {
			role := arn.RoleARN(r, e.acct)
			e.add("iam:PassRole", role, "run the task with the override role "+role, ecs.PassedToECS)
		}
	}
}

func orDefault(v, def string) string {
	if v == "" {
		return def
	}
	return v
}

// rollback is rollback.go Rollback.
func (e *ecspressoRun) rollback() {
	f := e.flags
	dry := f.flag("dry-run", false)
	wait := f.flag("wait", true)
	deregister := f.flag("deregister-task-definition", true)
	if deregister && !wait {
		e.env.Warnf(e.pos, "ecspresso", "ecspresso rollback --no-wait fails unless --no-deregister-task-definition is given too: no AWS call")
		return
	}
	e.describeServiceStatus()
	if e.codeDeploy() {
		appARN, groupARN := e.findDeploymentInfo()
		e.add("codedeploy:ListDeployments", groupARN, "find the deployment to roll back")
		e.add("codedeploy:GetDeployment", groupARN, "read the deployment to roll back")
		e.add("ecs:ListTaskDefinitions", "*", "find the previous task definition")
		if !dry {
			// A finished deployment is rolled back by a new deployment of
			// the previous revision; one in progress is stopped.
			e.add("codedeploy:CreateDeployment", groupARN, "deploy the previous task definition")
			e.add("codedeploy:RegisterApplicationRevision", appARN, "register the AppSpec revision of the rollback")
			e.add("codedeploy:GetDeploymentConfig", fmt.Sprintf("arn:aws:codedeploy:%s:%s:deploymentconfig:%s", e.region, e.acct, need.Param("CodeDeployConfig")),
				"read the deployment group's deployment configuration")
			e.add("codedeploy:GetApplicationRevision", appARN, "find the task definition of the deployment in progress")
			e.add("codedeploy:StopDeployment", "*", "stop the deployment in progress with a rollback")
		}
	} else {
		e.add("ecs:ListTaskDefinitions", "*", "find the previous task definition")
		if !dry {
			e.add("ecs:UpdateService", e.svcARN, "roll service "+e.service+" back")
		}
	}
	if dry || !wait {
		return
	}
	e.wait("")
	if deregister {
		e.add("ecs:DeregisterTaskDefinition", "*", "deregister the rolled-back task definition")
	}
}

// verify is verify.go Verify. The checks of the task definition's
// resources run as the execution role when the deploy role may assume it;
// iamfit's execution role trusts ECS tasks only, so they run as the deploy
// role (ecspresso continues with the current session).
func (e *ecspressoRun) verify() {
	f := e.flags
	td := e.taskDefinition("")
	sd := e.serviceDefinition()
	if td != nil {
		for _, r := range []*ecs.String{td.ExecutionRoleARN, td.TaskRoleARN} {
			if r != nil {
				e.add("iam:GetRole", arn.RoleARN(r.Value, e.acct), "check the role and its trust policy")
			}
		}
		token := false
		for _, c := range td.Containers {
			needs, _ := ecs.ExecutionNeeds(&ecs.TaskDefinition{File: td.File, Containers: []ecs.Container{c}}, ecs.Where{Region: e.region, Account: e.acct})
			for _, n := range needs {
				switch {
				case strings.HasPrefix(n.Action, "ecr:"):
					if n.Action == "ecr:GetAuthorizationToken" {
						if token {
							continue
						}
						token = true
					}
					if n.Action == "ecr:GetDownloadUrlForLayer" {
						continue // the image manifest is read, not its layers
					}
				case strings.HasPrefix(n.Action, "secretsmanager:"), strings.HasPrefix(n.Action, "ssm:"):
					if !f.flag("get-secrets", true) {
						continue
					}
				case strings.HasPrefix(n.Action, "logs:"):
					if !f.flag("put-logs", true) {
						continue
					}
				case n.Action == "s3:GetBucketLocation":
					continue
				}
				e.add(n.Action, n.Resource, fmt.Sprintf("verify %s (%s)", n.Why, n.Where()), n.Conditions...)
			}
		}
	}
	if sd != nil && len(sd.LoadBalancers) > 0 {
		e.add("elasticloadbalancing:DescribeTargetGroups", "*", "check the service's target groups")
	}
	e.add("ecs:DescribeClusters", e.clARN, "check cluster "+e.cluster)
}

// subcommand adds the needs of one subcommand.
func (e *ecspressoRun) subcommand() {
	f := e.flags
	switch e.sub {
	case "deploy":
		e.deploy(f.flag("skip-task-definition", false), f.flag("force-new-deployment", false),
			f.flag("update-service", true), f.flag("latest-task-definition", false))
	case "refresh":
		e.deploy(true, true, false, false)
	case "scale":
		e.deploy(true, false, false, false)
	case "register":
		if f.flag("dry-run", false) {
			e.taskDefinition("")
			return
		}
		e.register("")
	case "run":
		e.run()
	case "rollback":
		e.rollback()
	case "wait":
		e.describeServiceStatus()
		e.wait(f.get("wait-until") + f.get("until"))
	case "status":
		e.describeServiceStatus()
	case "diff":
		e.taskDefinition("")
		e.serviceDefinition()
		e.describeService()
		e.add("ecs:DescribeTaskDefinition", "*", "read the running task definition to compare")
	case "appspec":
		e.describeService()
		e.add("ecs:DescribeTaskDefinition", "*", "read the task definition of the AppSpec")
	case "verify":
		e.verify()
	case "render":
		for _, what := range f.pos[1:] {
			switch what {
			case "taskdef", "task-definition":
				e.taskDefinition("")
			case "servicedef", "service-definition":
				e.serviceDefinition()
			}
		}
	case "tasks":
		e.describeService()
		e.add("ecs:DescribeTaskDefinition", "*", "find the family of the service's task definition")
		e.add("ecs:ListTasks", fmt.Sprintf("arn:aws:ecs:%s:%s:container-instance/%s/*", e.region, e.acct, e.cluster), "list the tasks of the family",
			need.Cond{Op: "ArnEquals", Key: "ecs:cluster", Values: []string{e.clARN}})
		e.add("ecs:DescribeTasks", ecs.TasksARN(e.region, e.acct, e.cluster), "describe the tasks")
	case "delete":
		e.describeServiceStatus()
		if !f.flag("dry-run", false) {
			e.add("ecs:DeleteService", e.svcARN, "delete service "+e.service)
		}
	case "deregister":
		e.add("ecs:DescribeServices", e.svcARN, "find the revisions in use")
		e.add("ecs:ListTaskDefinitions", "*", "list the revisions of "+e.family())
		e.add("ecs:DescribeTaskDefinition", "*", "read the revision to deregister")
		if !f.flag("dry-run", false) {
			e.add("ecs:DeregisterTaskDefinition", "*", "deregister revisions of "+e.family())
			if f.flag("delete", false) {
				e.add("ecs:DeleteTaskDefinitions", ecs.FamilyARN(e.region, e.acct, e.family()), "delete the deregistered revisions")
			}
		}
	case "revisions":
		e.add("ecs:ListTaskDefinitions", "*", "list the revisions of "+e.family())
		e.add("ecs:DescribeTaskDefinition", "*", "show a revision")
	case "init":
		e.add("ecs:DescribeServices", e.svcARN, "read service "+e.service)
		e.add("ecs:DescribeTaskDefinition", "*", "read the service's task definition")
	default:
		e.env.Warnf(e.pos, "unknown-command", "ecspresso has no subcommand %q that iamfit knows: its AWS calls are not included", e.sub)
	}
}

func orParam(v, name string) string {
	if v == "" || strings.Contains(v, "{{") {
		return need.Param(name)
	}
	return v
}
