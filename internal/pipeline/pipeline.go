// Package pipeline reads what a repository's GitHub Actions workflows do
// with AWS and turns it into needs: for each role the workflows assume,
// the calls its steps make (with the file:line that makes them) and the
// OIDC subjects its triggers and jobs produce.
//
// The knowledge of what each step calls lives in steps.go (actions),
// docker.go, awscli.go and ecspresso.go, each a table or a small function
// with its own tests.
package pipeline

import (
	"bufio"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/iamfit/iamfit/internal/arn"
	"github.com/iamfit/iamfit/internal/ecs"
	"github.com/iamfit/iamfit/internal/need"
	"github.com/iamfit/iamfit/internal/source"
	"github.com/iamfit/iamfit/internal/workflow"
)

// Options control the analysis.
type Options struct {
	// Dir is the repository root.
	Dir string
	// Repo is "owner/name"; empty reads it from the checkout's origin remote.
	Repo string
	// Vars gives values for vars.X, secrets.X and inputs.X expressions.
	Vars map[string]string
}

// Subject is one OIDC subject a role's trust must admit.
type Subject struct {
	Value string
	Why   string
	File  string
	Pos   source.Pos
}

// Role is a role the workflows assume, with what they need of it.
type Role struct {
	ARN     string // may hold {{Param}}s
	Account string
	Region  string // the default region of the steps that use it
	// OIDC is true for the role assumed with the workflow's web identity;
	// a chained role is assumed from another role instead.
	OIDC bool
	// Service is the service principal that assumes the role (ECS task
	// execution and task roles: ecs-tasks.amazonaws.com).
	Service string
	// Kind is "deploy", "execution" or "task".
	Kind string
	// AssumedBy is the role that chains into this one.
	AssumedBy string
	Needs     []need.Need
	Subjects  []Subject
	Jobs      []string // "file:job"
}

// Name returns the role name from its ARN.
func (r *Role) Name() string {
	if i := strings.LastIndexByte(r.ARN, '/'); i >= 0 {
		return r.ARN[i+1:]
	}
	return r.ARN
}

// Result is the analysis of a repository.
type Result struct {
	// Dir is the repository root analysed; file names are relative to it.
	Dir         string
	Repo        string
	Roles       []*Role
	Workflows   []*workflow.Workflow
	Diagnostics []source.Diagnostic // warnings about wide triggers, unknown steps, unreadable files
	Files       map[string]*source.File
	// TaskDefs are the task definitions the workflows deploy, in order.
	TaskDefs []DeployedTaskDef
}

// DeployedTaskDef is a task definition with where it is deployed.
type DeployedTaskDef struct {
	TD              *ecs.TaskDefinition
	Region, Account string
	// ExecuteCommand is set when the service enables ECS Exec.
	ExecuteCommand bool
}

// Params returns every parameter used by the roles' ARNs and needs, sorted.
func (r *Result) Params() []string {
	seen := map[string]bool{}
	add := func(s string) {
		for _, p := range workflow.Params(s) {
			seen[p] = true
		}
	}
	for _, role := range r.Roles {
		add(role.ARN)
		for _, n := range role.Needs {
			add(n.Resource)
			for _, c := range n.Conditions {
				for _, v := range c.Values {
					add(v)
				}
			}
		}
		for _, s := range role.Subjects {
			add(s.Value)
		}
	}
	out := make([]string, 0, len(seen))
	for p := range seen {
		out = append(out, p)
	}
	sort.Strings(out)
	return out
}

// Analyze reads the workflows under dir and returns the roles and needs.
func Analyze(opt Options) (*Result, error) {
	wfs, diags, err := workflow.ReadDir(opt.Dir)
	if err != nil {
		return nil, err
	}
	res := &Result{Dir: opt.Dir, Workflows: wfs, Diagnostics: diags, Files: map[string]*source.File{}}
	res.Repo = opt.Repo
	if res.Repo == "" {
		res.Repo = originRepo(opt.Dir)
	}
	if res.Repo == "" {
		res.Repo = workflow.Param("GitHubRepository")
	}
	a := &analyzer{opt: opt, res: res, roles: map[string]*Role{}}
	for _, w := range wfs {
		res.Files[w.File.Name] = w.File
		for _, j := range w.Jobs {
			a.job(w, j)
		}
	}
	a.templateTaskDefs()
	a.taskRoles()
	for _, key := range a.order {
		res.Roles = append(res.Roles, a.roles[key])
	}
	source.Sort(res.Diagnostics)
	return res, nil
}

type analyzer struct {
	opt   Options
	res   *Result
	roles map[string]*Role
	order []string
}

func (a *analyzer) warnf(file string, pos source.Pos, check, format string, args ...any) {
	a.res.Diagnostics = append(a.res.Diagnostics, source.Diagnostic{File: file, Pos: pos,
		Severity: source.Warning, Message: fmt.Sprintf(format, args...), Check: check})
}

func (a *analyzer) role(arnStr string) *Role {
	if r, ok := a.roles[arnStr]; ok {
		return r
	}
	r := &Role{ARN: arnStr, Kind: "deploy"}
	if parsed, err := arn.Parse(arnStr); err == nil {
		r.Account = parsed.Account
	} else if p, ok := arn.Split(arnStr); ok {
		r.Account = p[4]
	}
	if r.Account == "" {
		r.Account = workflow.Param("AccountId")
	}
	a.roles[arnStr] = r
	a.order = append(a.order, arnStr)
	return r
}

// jobState follows one job's steps.
type jobState struct {
	w      *workflow.Workflow
	job    *workflow.Job
	scope  *workflow.Scope
	role   *Role
	region string
	// files rendered by amazon-ecs-render-task-definition, by step id.
	rendered map[string]string
}

func (a *analyzer) job(w *workflow.Workflow, j *workflow.Job) {
	st := &jobState{w: w, job: j, rendered: map[string]string{},
		scope: &workflow.Scope{Env: []workflow.Map{w.Env, j.Env}, Outputs: map[string]map[string]string{},
			Matrix: j.Matrix, Vars: a.opt.Vars}}
	if j.Uses != nil {
		a.warnf(w.File.Name, j.Uses.Pos, "reusable-workflow", "job %s calls the reusable workflow %s: iamfit reads workflows in this repository only, so its AWS calls are not included", j.ID.Value, j.Uses.Value)
	}
	for _, s := range j.Steps {
		st.scope.Env = []workflow.Map{w.Env, j.Env, s.Env}
		a.step(st, s)
	}
}

// add records a need for the job's current role.
func (a *analyzer) add(st *jobState, pos source.Pos, why string, action, resource string, conds ...need.Cond) {
	if st.role == nil {
		a.warnf(st.w.File.Name, pos, "no-credentials", "%s calls %s, but no earlier step of job %s configures AWS credentials: iamfit cannot tell which role needs it", why, action, st.job.ID.Value)
		return
	}
	st.role.Needs = append(st.role.Needs, need.Need{Action: action, Resource: resource, Conditions: conds,
		Why: why, File: st.w.File.Name, Pos: pos})
}

// region returns the job's current region, or a parameter.
func (st *jobState) regionOr() string {
	if st.region != "" {
		return st.region
	}
	return workflow.Param("Region")
}

func (st *jobState) account() string {
	if st.role != nil {
		return st.role.Account
	}
	return workflow.Param("AccountId")
}

// readFile reads a repository file named by a workflow (relative to the
// repository root).
func (a *analyzer) readFile(name string) (*source.File, error) {
	name = strings.TrimPrefix(name, "./")
	if f, ok := a.res.Files[name]; ok {
		return f, nil
	}
	if filepath.IsAbs(name) || strings.Contains(name, "..") {
		return nil, fmt.Errorf("%s is outside the repository", name)
	}
	data, err := os.ReadFile(filepath.Join(a.opt.Dir, filepath.FromSlash(name)))
	if err != nil {
		return nil, err
	}
	f := source.NewFile(name, data)
	a.res.Files[name] = f
	return f, nil
}

// originRepo reads owner/name of the origin remote from .git/config.
func originRepo(dir string) string {
	f, err := os.Open(filepath.Join(dir, ".git", "config"))
	if err != nil {
		return ""
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	inOrigin := false
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		if strings.HasPrefix(line, "[") {
			inOrigin = line == `[remote "origin"]`
			continue
		}
		if !inOrigin {
			continue
		}
		k, v, ok := strings.Cut(line, "=")
		if !ok || strings.TrimSpace(k) != "url" {
			continue
		}
		return repoFromURL(strings.TrimSpace(v))
	}
	return ""
}

// repoFromURL extracts owner/name from a GitHub remote URL.
func repoFromURL(u string) string {
	u = strings.TrimSuffix(strings.TrimSuffix(u, "/"), ".git")
	for _, prefix := range []string{"git@github.com:", "https://github.com/", "http://github.com/", "ssh://git@github.com/", "git://github.com/"} {
		if strings.HasPrefix(u, prefix) {
			rest := strings.TrimPrefix(u, prefix)
			if strings.Count(rest, "/") == 1 {
				return rest
			}
		}
	}
	return ""
}
