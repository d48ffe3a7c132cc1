// Package github reads GitHub Actions: workflow files with positions,
// expressions, jobs and their steps, and the OIDC subjects their triggers
// produce. What each action calls is one registered Action value (the
// actions iamfit knows are in package github/steps); run: scripts go to
// package commands.
package github

import (
	"fmt"
	"path"
	"sort"
	"strings"

	"github.com/iamfit/iamfit/internal/commands"
	"github.com/iamfit/iamfit/internal/ecs"
	"github.com/iamfit/iamfit/internal/need"
	"github.com/iamfit/iamfit/internal/source"
)

// Options control the reading of a repository's workflows.
type Options struct {
	// Repo is "owner/name" (already resolved by the caller).
	Repo string
	// DefaultBranch is the repository's default branch, or "".
	DefaultBranch string
	// Vars gives values for vars.X, secrets.X and inputs.X expressions.
	Vars map[string]string
	// Actions is the knowledge of actions, by name.
	Actions []*Action
	// ReadFile reads a file of the repository (relative to its root).
	ReadFile func(name string) (*source.File, error)
	// OwnerID and RepoID are the numeric ids GitHub puts in immutable
	// subject claims (repo:OWNER@OWNER_ID/REPO@REPO_ID:...); with both
	// set, subjects take that form, and both forms with BothSubjectForms.
	OwnerID, RepoID  string
	BothSubjectForms bool
	// CallerSubjects are the subjects of callers outside the repository,
	// for reusable workflows that no workflow of the repository calls.
	CallerSubjects []string
	// Sources reads files of other repositories the user has a copy of
	// (generate --action-source owner/repo=DIR), for their reusable
	// workflows and actions; nil, or false, when there is none.
	Sources func(ownerRepo string) (func(name string) (*source.File, error), bool)
}

// Result is what the workflows do with AWS.
type Result struct {
	Workflows []*Workflow
	// Roles are the roles the jobs assume (or the users whose keys they
	// use), in the order first seen.
	Roles []*need.Role
	// Deployments are the task definitions the jobs deploy, in order.
	Deployments []ecs.Deployment
	Diagnostics []source.Diagnostic
}

// Action is what iamfit knows of one action (uses: OWNER/NAME@REF).
type Action struct {
	// Name is "owner/name" (or "owner/name/path").
	Name string
	// Doc says in one line what the action calls, for the README.
	Doc string
	// NoAWS marks actions that make no AWS call with the job's
	// credentials (checkout, setup-*, caches, artifacts).
	NoAWS bool
	// Run adds the needs of one step of the action.
	Run func(c *Ctx)
}

// Declared is the knowledge a user declares for an action iamfit does not
// know (generate --assume-step): every step of it needs these.
func Declared(name string, needs []need.Need) *Action {
	return &Action{Name: strings.ToLower(name), Doc: "declared by the user", Run: func(c *Ctx) {
		for _, n := range needs {
			res := n.Resource
			c.Add(c.Pos(), n.Why, n.Action, res, n.Conditions...)
		}
	}}
}

// Read reads the workflows and follows their jobs.
func Read(wfs []*Workflow, opt Options) *Result {
	a := &analyzer{opt: opt, res: &Result{Workflows: wfs}, actions: map[string]*Action{},
		byFile: map[string]*Workflow{}, callers: map[string]int{}, seen: map[*need.Role]map[string]bool{}, jobOutputs: map[string]map[string]string{}, exprs: exprCache{}}
	for _, act := range opt.Actions {
		a.actions[strings.ToLower(act.Name)] = act
	}
	for _, w := range wfs {
		a.byFile[w.File.Name] = w
		for _, j := range w.Jobs {
			if target, ok := localWorkflow(j); ok {
				a.callers[target]++
			}
		}
	}
	for _, w := range wfs {
		if w.On.onlyWorkflowCall() && a.callers[w.File.Name] > 0 {
			// Read through its callers, with their triggers and inputs.
			continue
		}
		runs := a.dispatchRuns(w)
		for _, j := range ordered(w.Jobs) {
			for _, inputs := range runs {
				a.job(w, j, trigger{w: w, ifs: []*String{j.If}, dispatch: inputs}, inputs, 0)
			}
		}
	}
	for _, r := range a.roles.List() {
		if r.OpenTrust != "" && len(opt.CallerSubjects) > 0 {
			a.callerSubjects(r)
		}
		a.res.Roles = append(a.res.Roles, r)
	}
	return a.res
}

type analyzer struct {
	opt     Options
	res     *Result
	roles   need.RoleSet
	actions map[string]*Action
	byFile  map[string]*Workflow
	// remote names the repository of each workflow read from another
	// repository's copy (--action-source), by its file key.
	remote map[string]string
	// callers counts the jobs of the repository that call each workflow.
	callers map[string]int
	// seen holds each role's needs, to add each once.
	seen map[*need.Role]map[string]bool
	// jobOutputs are the outputs of the jobs read: file NUL job -> name -> value.
	jobOutputs map[string]map[string]string
	// written are the files commands wrote into the workspace (what AWS
	// returned): deploying one derives no execution or task role.
	written map[string]bool
	// exprs are the expressions parsed, by text.
	exprs exprCache
}

// maxCallDepth bounds nested reusable workflows and composite actions
// (GitHub allows ten levels of reusable workflows).
const maxCallDepth = 10

// localWorkflow returns the file a job calls with uses: ./.github/workflows/X.yml.
func localWorkflow(j *Job) (string, bool) {
	if j.Uses == nil || !strings.HasPrefix(j.Uses.Value, "./") {
		return "", false
	}
	name, _, _ := strings.Cut(strings.TrimPrefix(j.Uses.Value, "./"), "@")
	return path.Clean(name), true
}

func (a *analyzer) warnf(file string, pos source.Pos, check, format string, args ...any) {
	a.res.Diagnostics = append(a.res.Diagnostics, source.Diagnostic{File: file, Pos: pos,
		Severity: source.Warning, Message: fmt.Sprintf(format, args...), Check: check})
}

func (a *analyzer) role(arnStr string, kind need.Kind) *need.Role { return a.roles.Get(arnStr, kind) }

// jobState follows one job's steps. It is the commands.Env of the job's
// run: steps.
type jobState struct {
	a      *analyzer
	w      *Workflow
	job    *Job
	scope  *Scope
	role   *need.Role
	region string
	// files rendered by amazon-ecs-render-task-definition, by step id.
	rendered map[string]string
	// images set by a render step: file -> container -> image.
	images map[string]map[string]ecs.String
	// trig is where the job's runs come from (for the trust subjects).
	trig trigger
	// depth counts the reusable workflows and composite actions entered.
	depth int
	// stack holds the local actions being read (cycles).
	stack []string
	// credsAt is where the job's current credentials were configured.
	credsAt string
	// step is the step being read.
	step *Step
	// written holds what earlier steps wrote to $GITHUB_ENV.
	written Map
	// keysAt is where the step's env: gives stored access keys (the IAM
	// user is made at the first call).
	keysAt *source.Pos
	// jobFile is the workflow that defines the job (w is the file being
	// read, a composite action's inside one).
	jobFile string
	// jobScope resolves the job's own expressions (environment:, if:):
	// inside a composite action, scope is the action's (its inputs), not
	// the job's.
	jobScope *Scope
}

// jobLevel is the scope of the job's own expressions.
func (st *jobState) jobLevel() *Scope {
	if st.jobScope != nil {
		return st.jobScope
	}
	return st.scope
}

// job follows one job. inputs are the with: values of a caller (for a
// job of a reusable workflow); depth counts the calls on the way.
func (a *analyzer) job(w *Workflow, j *Job, trig trigger, inputs map[string]string, depth int) {
	combos, ok := matrixCombos(j)
	if !ok {
		a.warnf(w.File.Name, j.ID.Pos, "matrix", "job %s has more than %d matrix combinations: its matrix values become parameters", j.ID.Value, maxMatrix)
	}
	for _, m := range combos {
		a.jobWith(w, j, m, trig, inputs, depth)
	}
}

// maxDispatch bounds the combinations of workflow_dispatch choice inputs
// a workflow is read with.
const maxDispatch = 16

// dispatchRuns returns the inputs a workflow's runs are read with: one
// run per combination of its workflow_dispatch choice inputs' options
// (other inputs stay unknown), and, when other events trigger it too, one
// run with the inputs those events leave empty. A workflow without choice
// inputs is read once, its inputs unknown (nil).
func (a *analyzer) dispatchRuns(w *Workflow) []map[string]string {
	d := w.On.WorkflowDispatch
	if d == nil {
		return []map[string]string{nil}
	}
	runs := []map[string]string{{}}
	for _, in := range d.Inputs {
		if in.Type != "choice" || len(in.Options) == 0 || a.opt.Vars[in.Name.Value] != "" {
			continue
		}
		if len(runs)*len(in.Options) > maxDispatch {
			a.warnf(w.File.Name, in.Name.Pos, "matrix", "workflow_dispatch has more than %d combinations of choice inputs: input %s stays a parameter", maxDispatch, in.Name.Value)
			continue
		}
		var next []map[string]string
		for _, r := range runs {
			for _, o := range in.Options {
				n := map[string]string{in.Name.Value: o.Value}
				for k, v := range r {
					n[k] = v
				}
				next = append(next, n)
			}
		}
		runs = next
	}
	if len(runs) == 1 {
		return []map[string]string{nil} // no choice input
	}
	if w.On.others() {
		// The inputs context of a push (or any other event's) run is
		// empty: every input reads as null, an empty string.
		empty := map[string]string{}
		for _, in := range d.Inputs {
			if _, given := a.opt.Vars[in.Name.Value]; !given {
				empty[in.Name.Value] = ""
			}
		}
		runs = append(runs, empty)
	}
	return runs
}

// githubContext is what the github context holds that the repository
// determines.
func (a *analyzer) githubContext() map[string]string {
	if a.opt.Repo == "" || need.HasParams(a.opt.Repo) {
		return nil
	}
	owner, name, _ := strings.Cut(a.opt.Repo, "/")
	return map[string]string{"repository": a.opt.Repo, "repository_owner": owner, "event.repository.name": name}
}

// maxMatrix bounds the matrix combinations a job is read with.
const maxMatrix = 64

// matrixCombos returns each combination of a job's matrix values (one
// value per name) as GitHub expands strategy.matrix: the product of its
// own keys' values, less the combinations an exclude: entry matches (on
// every key it names), then each include: entry added to every
// combination whose own keys it does not change, or, when it fits none,
// a combination of its own
// (https://docs.github.com/en/actions/writing-workflows/choosing-what-your-workflow-does/running-variations-of-jobs-in-a-workflow).
// With more than maxMatrix combinations it returns one whose keys hold
// every value they take (each then a parameter) and false.
func matrixCombos(j *Job) ([]map[string][]String, bool) {
	m := j.Matrix
	names := make([]string, 0, len(m))
	total := 1
	for k, v := range m {
		if len(v) == 0 {
			continue
		}
		names = append(names, k)
		total *= len(v)
		if total > maxMatrix {
			return []map[string][]String{allValues(j)}, false
		}
	}
	if len(j.MatrixInclude) == 0 && len(j.MatrixExclude) == 0 && len(names) == 0 {
		return []map[string][]String{m}, true
	}
	sort.Strings(names)
	var base []map[string]String
	if len(names) > 0 {
		base = []map[string]String{{}}
		for _, k := range names {
			var next []map[string]String
			for _, c := range base {
				for _, v := range m[k] {
					n := map[string]String{k: v}
					for kk, vv := range c {
						n[kk] = vv
					}
					next = append(next, n)
				}
			}
			base = next
		}
	}
	own := map[string]bool{}
	for _, k := range names {
		own[k] = true
	}
	kept := base[:0]
	for _, c := range base {
		excluded := false
		for _, e := range j.MatrixExclude {
			match := len(e) > 0
			for k, v := range e {
				match = match && c[k].Value == v.Value
			}
			excluded = excluded || match
		}
		if !excluded {
			kept = append(kept, c)
		}
	}
	var extra []map[string]String
	for _, e := range j.MatrixInclude {
		matched := false
		for _, c := range kept {
			fits := true
			for k, v := range e {
				if own[k] && c[k].Value != v.Value {
					fits = false
				}
			}
			if !fits {
				continue
			}
			matched = true
			for k, v := range e {
				if !own[k] {
					c[k] = v
				}
			}
		}
		if !matched {
			n := map[string]String{}
			for k, v := range e {
				n[k] = v
			}
			extra = append(extra, n)
		}
	}
	all := append(kept, extra...)
	if len(all) > maxMatrix {
		return []map[string][]String{allValues(j)}, false
	}
	if len(all) == 0 {
		// Every combination excluded: no value is known.
		return []map[string][]String{{}}, true
	}
	out := make([]map[string][]String, 0, len(all))
	for _, c := range all {
		n := map[string][]String{}
		for k, v := range c {
			n[k] = []String{v}
		}
		out = append(out, n)
	}
	return out, true
}

// allValues is a matrix whose keys hold every value they take in the
// job's matrix, its include: entries too.
func allValues(j *Job) map[string][]String {
	out := map[string][]String{}
	for k, v := range j.Matrix {
		out[k] = append(out[k], v...)
	}
	for _, e := range j.MatrixInclude {
		for k, v := range e {
			out[k] = append(out[k], v)
		}
	}
	return out
}

// jobWith follows one job with one matrix combination.
func (a *analyzer) jobWith(w *Workflow, j *Job, matrix map[string][]String, trig trigger, inputs map[string]string, depth int) {
	st := &jobState{a: a, w: w, job: j, jobFile: w.File.Name, rendered: map[string]string{}, images: map[string]map[string]ecs.String{}, trig: trig, depth: depth,
		scope: &Scope{Env: []Map{w.Env, j.Env}, Outputs: map[string]map[string]string{},
			Matrix: matrix, Vars: a.opt.Vars, Inputs: inputs, Github: a.githubContext(), Dispatch: trig.dispatch, Booleans: booleanInputs(w), Needs: a.needsOutputs(w, j), exprs: a.exprs}}
	if j.Uses != nil {
		a.callWorkflow(st)
		return
	}
	for _, s := range j.Steps {
		st.scope.Env = []Map{w.Env, j.Env, st.written, s.Env}
		a.envKeys(st, s)
		st.step = s
		a.step(st, s)
	}
	// The job's outputs, for the jobs that need it.
	st.scope.Env = []Map{w.Env, j.Env, st.written}
	out := map[string]string{}
	for _, kv := range j.Outputs {
		out[kv.Key.Value] = st.scope.Expand(kv.Value.Value)
	}
	a.jobOutputs[w.File.Name+"\x00"+j.ID.Value] = out
}

// needsOutputs are the outputs of the jobs j needs, read before it.
func (a *analyzer) needsOutputs(w *Workflow, j *Job) map[string]map[string]string {
	out := map[string]map[string]string{}
	for _, n := range j.Needs {
		if o, ok := a.jobOutputs[w.File.Name+"\x00"+n]; ok {
			out[n] = o
		}
	}
	return out
}

// ordered returns a workflow's jobs with each after the jobs it needs (in
// file order otherwise; a cycle keeps file order).
func ordered(jobs []*Job) []*Job {
	byID := map[string]*Job{}
	for _, j := range jobs {
		byID[j.ID.Value] = j
	}
	done := map[*Job]bool{}
	visiting := map[*Job]bool{}
	var out []*Job
	var visit func(j *Job)
	visit = func(j *Job) {
		if done[j] || visiting[j] {
			return
		}
		visiting[j] = true
		for _, n := range j.Needs {
			if d, ok := byID[n]; ok {
				visit(d)
			}
		}
		visiting[j] = false
		done[j] = true
		out = append(out, j)
	}
	for _, j := range jobs {
		visit(j)
	}
	return out
}

// envKeys notices stored access keys given to a step through env:
// (AWS_ACCESS_KEY_ID from a secret), which the AWS CLI and SDKs use. The
// IAM user is made when a command of the job calls AWS with them, so a
// job that never does is no user of the keys. A literal value that is no
// AWS access key id (minio, test) is a local emulator's, not AWS's.
func (a *analyzer) envKeys(st *jobState, s *Step) {
	if st.role != nil {
		return
	}
	st.keysAt = nil
	for _, m := range []Map{s.Env, st.job.Env, st.w.Env} {
		if v, ok := m.Get("AWS_ACCESS_KEY_ID"); ok {
			if !strings.Contains(v.Value, "${{") && !awsKeyID(v.Value) {
				return
			}
			at := v.Pos
			st.keysAt = &at
			if st.credsAt == "" {
				st.credsAt = st.where(at)
			}
			return
		}
	}
}

// awsKeyID reports whether s looks like an AWS access key id (AKIA or
// ASIA and 16 more letters and digits).
func awsKeyID(s string) bool {
	if len(s) != 20 || !(strings.HasPrefix(s, "AKIA") || strings.HasPrefix(s, "ASIA")) {
		return false
	}
	for _, r := range s {
		if !(r >= 'A' && r <= 'Z' || r >= '0' && r <= '9') {
			return false
		}
	}
	return true
}

// callWorkflow follows a job that calls a reusable workflow of the same
// repository, with the caller's triggers, if: and with: inputs.
func (a *analyzer) callWorkflow(st *jobState) {
	j := st.job
	target, local := localWorkflow(j)
	if repo, ok := a.remote[st.w.File.Name]; ok && local {
		// ./.github/workflows/X in another repository's workflow is a
		// workflow of that repository.
		a.remoteWorkflow(st, repo, target)
		return
	}
	if !local {
		repo, file, ok := remoteRef(j.Uses.Value)
		if !ok {
			repo = ""
		}
		a.remoteWorkflow(st, repo, file)
		return
	}
	if st.depth >= maxCallDepth {
		a.warnf(st.w.File.Name, j.Uses.Pos, "reusable-workflow", "job %s calls %s more than %d levels deep: not followed", j.ID.Value, j.Uses.Value, maxCallDepth)
		return
	}
	for _, f := range st.trig.stackOf(st) {
		if f == target {
			a.warnf(st.w.File.Name, j.Uses.Pos, "reusable-workflow", "job %s calls %s, which is already being read (a cycle): not followed", j.ID.Value, j.Uses.Value)
			return
		}
	}
	called := a.byFile[target]
	if called == nil {
		a.warnf(st.w.File.Name, j.Uses.Pos, "reusable-workflow", "job %s calls %s, which is not a workflow of this repository's .github/workflows: its AWS calls are not included", j.ID.Value, j.Uses.Value)
		return
	}
	inputs := callInputs(st, called)
	for _, cj := range ordered(called.Jobs) {
		trig := trigger{w: st.trig.w, ifs: append(append([]*String(nil), st.trig.ifs...), cj.If), files: append(st.trig.stackOf(st), target), dispatch: st.trig.dispatch}
		a.job(called, cj, trig, inputs, st.depth+1)
	}
}

// remoteRef splits owner/repo/path@ref into owner/repo and path.
func remoteRef(uses string) (repo, file string, ok bool) {
	name, _, _ := strings.Cut(uses, "@")
	parts := strings.SplitN(name, "/", 3)
	if len(parts) < 2 || parts[0] == "" || parts[1] == "" {
		return "", "", false
	}
	repo = strings.ToLower(parts[0] + "/" + parts[1])
	if len(parts) == 3 {
		file = path.Clean(parts[2])
	}
	return repo, file, true
}

// callInputs are the inputs of a called workflow: its workflow_call
// defaults, then the caller's with: values.
func callInputs(st *jobState, called *Workflow) map[string]string {
	inputs := map[string]string{}
	if on := called.On.WorkflowCall; on != nil {
		for _, in := range on.Inputs {
			if in.Default != nil {
				inputs[in.Name.Value] = st.scope.Expand(in.Default.Value)
			}
		}
	}
	for _, kv := range st.job.With {
		inputs[kv.Key.Value] = st.scope.Expand(kv.Value.Value)
	}
	return inputs
}

// booleanInputs are the names of a workflow's boolean inputs: inputs.X of
// those is a boolean, not a string.
func booleanInputs(w *Workflow) map[string]bool {
	var out map[string]bool
	for _, ev := range []*Event{w.On.WorkflowCall, w.On.WorkflowDispatch} {
		if ev == nil {
			continue
		}
		for _, in := range ev.Inputs {
			if in.Type == "boolean" {
				if out == nil {
					out = map[string]bool{}
				}
				out[in.Name.Value] = true
			}
		}
	}
	return out
}

// remoteWorkflow follows a job that calls a reusable workflow of another
// repository (file in repo; repo "" when the reference names none) when
// the user gave a copy of it (--action-source).
func (a *analyzer) remoteWorkflow(st *jobState, repo, file string) {
	j := st.job
	ok := repo != ""
	var read func(string) (*source.File, error)
	if ok && a.opt.Sources != nil {
		read, ok = a.opt.Sources(repo)
	} else {
		ok = false
	}
	if !ok {
		a.warnf(st.w.File.Name, j.Uses.Pos, "reusable-workflow", "job %s calls the reusable workflow %s of another repository: its AWS calls are not included; give iamfit a copy with --action-source %s=DIR", j.ID.Value, j.Uses.Value, repoOf(j.Uses.Value))
		return
	}
	key := repo + "/" + file
	for _, f := range st.trig.stackOf(st) {
		if f == key {
			a.warnf(st.w.File.Name, j.Uses.Pos, "reusable-workflow", "job %s calls %s, which is already being read (a cycle): not followed", j.ID.Value, j.Uses.Value)
			return
		}
	}
	if st.depth >= maxCallDepth {
		a.warnf(st.w.File.Name, j.Uses.Pos, "reusable-workflow", "job %s calls %s more than %d levels deep: not followed", j.ID.Value, j.Uses.Value, maxCallDepth)
		return
	}
	f, err := read(file)
	if err != nil {
		a.warnf(st.w.File.Name, j.Uses.Pos, "reusable-workflow", "cannot read %s from the copy of %s: %v; its AWS calls are not included", file, repo, err)
		return
	}
	called, diags := Parse(source.NewFile(key, f.Data))
	a.res.Diagnostics = append(a.res.Diagnostics, diags...)
	if called == nil {
		return
	}
	if a.remote == nil {
		a.remote = map[string]string{}
	}
	a.remote[key] = repo
	inputs := callInputs(st, called)
	for _, cj := range ordered(called.Jobs) {
		trig := trigger{w: st.trig.w, ifs: append(append([]*String(nil), st.trig.ifs...), cj.If), files: append(st.trig.stackOf(st), key), dispatch: st.trig.dispatch}
		a.job(called, cj, trig, inputs, st.depth+1)
	}
}

// repoOf returns owner/repo of a uses: reference.
func repoOf(uses string) string {
	if r, _, ok := remoteRef(uses); ok {
		return r
	}
	return "OWNER/REPO"
}

// step dispatches one step to the knowledge of its action or script.
func (a *analyzer) step(st *jobState, s *Step) {
	if s.Run != nil {
		commands.Script(st, st.scope.Expand(s.Run.Value), s.RunLine, s.Run.Pos, st.scope.Lookup)
		return
	}
	if s.Uses == nil {
		return
	}
	name, _ := s.Action()
	c := &Ctx{jobState: st, Step: s}
	switch {
	case name == "aws-actions/configure-aws-credentials":
		a.configureCredentials(c)
		return
	case strings.HasPrefix(s.Uses.Value, "./"):
		a.localAction(st, s)
		return
	case strings.HasPrefix(s.Uses.Value, "docker://"):
		if st.Credentials() {
			a.warnf(st.w.File.Name, s.Uses.Pos, "unknown-step", "the container step %s runs with the job's AWS credentials (assumed at %s); iamfit does not know which AWS calls it makes: its needs are not included", s.Uses.Value, st.credsAt)
		}
		return
	}
	if act := a.lookup(name); act != nil {
		if act.Run != nil {
			act.Run(c)
		}
		return
	}
	if repo, dir, ok := remoteRef(s.Uses.Value); ok && a.opt.Sources != nil {
		if read, ok := a.opt.Sources(repo); ok {
			if dir == "" {
				dir = "."
			}
			a.compositeAction(st, s, dir, path.Join(repo, dir), read)
			return
		}
	}
	if st.Credentials() || strings.HasPrefix(name, "aws-actions/") {
		st.usesKeys("unknown-step")
		a.warnf(st.w.File.Name, s.Uses.Pos, "unknown-step", "iamfit does not know which AWS calls %s makes (it runs after the job's AWS credentials are configured, at %s); its needs are not included: declare them with --assume-step '%s=SERVICE:ACTION[@RESOURCE],...', or give iamfit a copy with --action-source %s=DIR", s.Uses.Value, st.credsAt, name, repoOf(s.Uses.Value))
	}
}

// localAction follows a step that uses an action of the same repository
// (uses: ./.github/actions/deploy): a composite action's steps run in
// the job, with its inputs bound from with: and the input defaults.
func (a *analyzer) localAction(st *jobState, s *Step) {
	dir := path.Clean(strings.TrimPrefix(s.Uses.Value, "./"))
	a.compositeAction(st, s, dir, dir, st.ReadFile)
}

// compositeAction follows an action read with read from dir (key names
// it for cycles and positions).
func (a *analyzer) compositeAction(st *jobState, s *Step, dir, key string, read func(string) (*source.File, error)) {
	if st.depth >= maxCallDepth {
		a.warnf(st.w.File.Name, s.Uses.Pos, "unknown-step", "the local action %s is nested more than %d levels deep: not followed", s.Uses.Value, maxCallDepth)
		return
	}
	for _, f := range st.stack {
		if f == key {
			a.warnf(st.w.File.Name, s.Uses.Pos, "unknown-step", "the local action %s uses itself (a cycle): not followed", s.Uses.Value)
			return
		}
	}
	var f *source.File
	var err error
	for _, name := range []string{"action.yml", "action.yaml"} {
		if f, err = read(path.Join(dir, name)); err == nil {
			if key != dir {
				f = source.NewFile(path.Join(key, name), f.Data)
			}
			break
		}
	}
	if f == nil {
		a.warnf(st.w.File.Name, s.Uses.Pos, "unknown-step", "cannot read the local action %s (%v): its AWS calls are not included", s.Uses.Value, err)
		return
	}
	act, diags := ParseAction(f)
	a.res.Diagnostics = append(a.res.Diagnostics, diags...)
	if act == nil {
		return
	}
	if act.Using != "composite" {
		if st.role != nil {
			a.warnf(st.w.File.Name, s.Uses.Pos, "unknown-step", "the local %s action %s runs with the job's AWS credentials; iamfit reads composite actions only, so its AWS calls are not included", act.Using, s.Uses.Value)
		}
		return
	}
	inputs := map[string]string{}
	for _, in := range act.Inputs {
		if in.Default != nil {
			inputs[in.Name] = st.scope.Expand(in.Default.Value)
		}
	}
	for _, kv := range s.With {
		inputs[kv.Key.Value] = st.scope.Expand(kv.Value.Value)
	}
	// The action's steps see the job's env, the step's env, and their own;
	// inputs.X are the action's inputs; its files name positions.
	inner := &jobState{a: a, w: &Workflow{File: f, On: st.w.On, Env: st.w.Env, Permissions: st.w.Permissions}, job: st.job,
		role: st.role, region: st.region, rendered: st.rendered, images: st.images, trig: st.trig, depth: st.depth + 1,
		stack: append(append([]string(nil), st.stack...), key), credsAt: st.credsAt, written: st.written, jobFile: st.jobFile, keysAt: st.keysAt, jobScope: st.jobLevel(),
		scope: &Scope{Outputs: map[string]map[string]string{}, Matrix: st.scope.Matrix, Vars: st.scope.Vars, Inputs: inputs,
			Github: st.scope.Github, Dispatch: st.scope.Dispatch, exprs: a.exprs}}
	for _, as := range act.Steps {
		inner.scope.Env = []Map{st.w.Env, st.job.Env, st.written, s.Env, as.Env}
		inner.step = as
		a.step(inner, as)
	}
	// Credentials configured inside the action hold for the job's later steps.
	st.role, st.region, st.credsAt, st.written = inner.role, inner.region, inner.credsAt, inner.written
}

// lookup finds the knowledge of an action by name, then by its
// owner/name prefix (owner/name/path actions of the same repository).
func (a *analyzer) lookup(name string) *Action {
	if act, ok := a.actions[name]; ok {
		return act
	}
	parts := strings.Split(name, "/")
	if len(parts) > 2 {
		if act, ok := a.actions[path.Join(parts[0], parts[1])]; ok {
			return act
		}
	}
	return nil
}

// FamilyRef marks a rendered task definition that a render step read
// from AWS by family (task-definition-family): FamilyRef + family.
const FamilyRef = "family:"

// Ctx is one step of a job as an action's knowledge sees it: its with:
// inputs (expanded), the job's role, region and account, and where its
// needs go. It is a commands.Env.
type Ctx struct {
	*jobState
	Step *Step
}

// With returns the expanded value of a with: input, its position, and
// whether it is set.
func (c *Ctx) With(key string) (string, source.Pos, bool) {
	v, ok := c.Step.With.Get(key)
	if !ok {
		return "", c.Step.Pos, false
	}
	// A placeholder copied from a template (YOUR_ECS_CLUSTER, <aws
	// account id>) is a parameter, never a real name.
	name, _ := c.Step.Action()
	return commands.Placeholder(c, v.Pos, name, key, c.scope.Expand(v.Value), need.Camel(key)), v.Pos, true
}

// Pos is the position of the step's uses:.
func (c *Ctx) Pos() source.Pos {
	if c.Step.Uses != nil {
		return c.Step.Uses.Pos
	}
	return c.Step.Pos
}

// SetOutput records a step output that later steps read through
// steps.ID.outputs.KEY.
func (c *Ctx) SetOutput(key, value string) {
	if c.Step.ID == nil {
		return
	}
	if c.scope.Outputs[c.Step.ID.Value] == nil {
		c.scope.Outputs[c.Step.ID.Value] = map[string]string{}
	}
	c.scope.Outputs[c.Step.ID.Value][key] = value
}

// Rendered returns the task definition file that the step with this id
// rendered ("" when it rendered from a family or ARN).
func (c *Ctx) Rendered(id string) (string, bool) {
	f, ok := c.rendered[id]
	return f, ok
}

// SetImage records the image a render step puts into a container of a
// task definition file.
func (c *Ctx) SetImage(file, container, image string, pos source.Pos) {
	file = path.Clean(strings.TrimPrefix(file, "./"))
	if c.images[file] == nil {
		c.images[file] = map[string]ecs.String{}
	}
	c.images[file][container] = ecs.String{Value: image, Pos: pos}
}

// SetRendered records the task definition file this step renders.
func (c *Ctx) SetRendered(file string) {
	if c.Step.ID != nil {
		c.rendered[c.Step.ID.Value] = file
	}
}

// where formats a position of the file being read as file:line.
func (st *jobState) where(pos source.Pos) string {
	return fmt.Sprintf("%s:%d", st.w.File.Name, pos.Line)
}

// Credentials implements commands.Env: whether the job holds AWS
// credentials at this step.
func (st *jobState) Credentials() bool { return st.role != nil || st.keysAt != nil }

// File implements commands.Env.
func (st *jobState) File() string { return st.w.File.Name }

// Add implements commands.Env: a need of the job's current role.
func (st *jobState) Add(pos source.Pos, why, action, resource string, conds ...need.Cond) {
	if st.role == nil && st.keysAt != nil {
		st.a.storedKeys(st, *st.keysAt, "env: AWS_ACCESS_KEY_ID")
	}
	if st.role == nil {
		st.a.warnf(st.w.File.Name, pos, "no-credentials", "%s calls %s, but no earlier step of job %s configures AWS credentials: iamfit cannot tell which role needs it", why, action, st.job.ID.Value)
		return
	}
	key := fmt.Sprintf("%s\x00%s\x00%s\x00%s\x00%s\x00%d:%d", action, resource, need.CondKey(conds), why, st.w.File.Name, pos.Line, pos.Col)
	seen := st.a.seen[st.role]
	if seen == nil {
		seen = map[string]bool{}
		st.a.seen[st.role] = seen
	}
	if seen[key] {
		return // the same need from another matrix combination
	}
	seen[key] = true
	st.role.Needs = append(st.role.Needs, need.Need{Action: action, Resource: resource, Conditions: conds,
		Why: why, File: st.w.File.Name, Pos: pos})
}

// Warnf implements commands.Env.
func (st *jobState) Warnf(pos source.Pos, check, format string, args ...any) {
	st.usesKeys(check)
	st.a.warnf(st.w.File.Name, pos, check, format, args...)
}

// usesKeys makes the IAM user of the job's stored keys when something
// the job runs with them is not understood: it may call AWS with them.
func (st *jobState) usesKeys(check string) {
	if st.role == nil && st.keysAt != nil && need.IsNotUnderstood(check) {
		st.a.storedKeys(st, *st.keysAt, "env: AWS_ACCESS_KEY_ID")
	}
}

// Diag implements commands.Env.
func (st *jobState) Diag(d source.Diagnostic) { st.a.res.Diagnostics = append(st.a.res.Diagnostics, d) }

// Region implements commands.Env: the job's current region, or a parameter.
func (st *jobState) Region() string {
	if st.region != "" {
		return st.region
	}
	// The AWS CLI and SDKs read the region from the environment.
	for _, name := range []string{"AWS_REGION", "AWS_DEFAULT_REGION"} {
		if v, ok := st.scope.Lookup(name); ok && v != "" {
			return v
		}
	}
	return need.Param("Region")
}

// SetRegion implements commands.Env.
func (st *jobState) SetRegion(region string) func() {
	saved := st.region
	st.region = region
	return func() { st.region = saved }
}

// Account implements commands.Env.
func (st *jobState) Account() string {
	if st.role != nil {
		return st.role.Account
	}
	return need.Param("AccountId")
}

// ReadFile implements commands.Env.
func (st *jobState) ReadFile(name string) (*source.File, error) {
	if st.a.opt.ReadFile == nil {
		return nil, fmt.Errorf("cannot read %s: no repository", name)
	}
	return st.a.opt.ReadFile(strings.TrimPrefix(name, "./"))
}

// TaskDefinition implements commands.Env: it resolves a task definition
// input (a file, or the output of a render step) and reads it.
func (st *jobState) TaskDefinition(value string, pos source.Pos) *ecs.TaskDefinition {
	file := value
	if strings.HasPrefix(value, "{{") && strings.HasSuffix(value, ".task-definition}}") {
		id := strings.TrimSuffix(strings.TrimPrefix(value, "{{"), ".task-definition}}")
		if f, ok := st.rendered[id]; ok {
			file = f
		}
	}
	if fam, ok := strings.CutPrefix(file, FamilyRef); ok {
		// Rendered from the task definition registered in AWS: the family
		// is known, its roles are not.
		st.Warnf(pos, "task-definition", "the task definition of family %s comes from AWS, not the repository: its roles become parameters and its execution role is not derived", fam)
		exec, task := ecs.RegisteredRoles(fam)
		return &ecs.TaskDefinition{Family: &ecs.String{Value: fam, Pos: pos},
			ExecutionRoleARN: &ecs.String{Value: exec, Pos: pos},
			TaskRoleARN:      &ecs.String{Value: task, Pos: pos}}
	}
	if file == "" || need.HasParams(file) {
		st.Warnf(pos, "task-definition", "the task definition %q is not a file in the repository: its family and roles become parameters", value)
		return nil
	}
	f, err := st.ReadFile(file)
	if err != nil {
		st.Warnf(pos, "task-definition", "cannot read task definition %s: %v; its family and roles become parameters", file, err)
		return nil
	}
	td, diags := ecs.Read(f)
	st.a.res.Diagnostics = append(st.a.res.Diagnostics, diags...)
	if td != nil {
		for i := range td.Containers {
			if img, ok := st.images[f.Name][td.Containers[i].Name]; ok {
				img := img
				if old := td.Containers[i].Image; old != nil {
					img.Pos = old.Pos // the need names the task definition's line
				}
				td.Containers[i].Image = &img
			}
		}
		// A file a command wrote from what AWS holds is no task definition
		// of the repository: its roles are parameters, not roles to derive.
		seen := st.a.written[f.Name]
		for _, d := range st.a.res.Deployments {
			seen = seen || d.TD.File.Name == td.File.Name
		}
		if !seen {
			st.a.res.Deployments = append(st.a.res.Deployments, ecs.Deployment{TD: td, Region: st.Region(), Account: st.Account()})
		}
	}
	return td
}

// Getenv implements commands.Env: the step's environment as GitHub sets
// it (workflow, job and step env:), expanded.
func (st *jobState) Getenv(name string) (string, bool) { return st.scope.Lookup(name) }

// WorkingDirectory implements commands.Env: the step's
// working-directory, else the job's or the workflow's default.
func (st *jobState) WorkingDirectory() string {
	wd := st.w.WorkingDirectory
	if st.job.WorkingDirectory != "" {
		wd = st.job.WorkingDirectory
	}
	if st.step != nil && st.step.WorkingDirectory != "" {
		wd = st.step.WorkingDirectory
	}
	wd = st.scope.Expand(wd)
	if wd == "" || wd == "." || need.HasParams(wd) {
		return ""
	}
	return path.Clean(strings.TrimPrefix(wd, "./"))
}

// Deployed implements commands.Env: a task definition a command reader
// read itself (rendered from a template) is deployed.
func (st *jobState) Deployed(td *ecs.TaskDefinition) {
	if td == nil || td.File == nil {
		return
	}
	for _, d := range st.a.res.Deployments {
		if d.TD.File.Name == td.File.Name {
			return
		}
	}
	st.a.res.Deployments = append(st.a.res.Deployments, ecs.Deployment{TD: td, Region: st.Region(), Account: st.Account()})
}

// Registered implements commands.Env: a task definition of the family
// that a step registered from the repository.
func (st *jobState) Registered(family string) *ecs.TaskDefinition {
	for _, d := range st.a.res.Deployments {
		if d.TD.Family != nil && d.TD.Family.Value == family {
			return d.TD
		}
	}
	return nil
}

// SetEnv implements commands.Env: later steps of the job see the variable.
func (st *jobState) SetEnv(name, value string) {
	for i := range st.written {
		if st.written[i].Key.Value == name {
			st.written[i].Value.Value = value
			return
		}
	}
	st.written = append(st.written, KV{Key: String{Value: name}, Value: String{Value: value}})
}

// SetOutput implements commands.Env: steps.ID.outputs.NAME of the step.
func (st *jobState) SetOutput(name, value string) {
	if st.step == nil || st.step.ID == nil {
		return
	}
	if st.scope.Outputs[st.step.ID.Value] == nil {
		st.scope.Outputs[st.step.ID.Value] = map[string]string{}
	}
	st.scope.Outputs[st.step.ID.Value][name] = value
}

// EnableExec implements commands.Env.
func (st *jobState) EnableExec(file string) {
	for i := range st.a.res.Deployments {
		if st.a.res.Deployments[i].TD.File.Name == file {
			st.a.res.Deployments[i].ExecuteCommand = true
		}
	}
}

// callerSubjects gives a reusable workflow's role the subjects of its
// callers that the user named (--subject).
func (a *analyzer) callerSubjects(r *need.Role) {
	r.Subjects = nil
	for _, v := range a.opt.CallerSubjects {
		r.Subjects = append(r.Subjects, need.Subject{Issuer: need.GitHubOIDC, Claim: "sub", Value: v, Why: "a caller named with --subject"})
	}
	r.OpenTrust = ""
}

// WroteFile implements commands.Env: a file a command writes into the
// workspace (aws ecs describe-task-definition ... > NAME) is what later
// steps read under that name. The repository reader is wrapped, so the
// jobs read after this one see the file too.
func (st *jobState) WroteFile(name string, data []byte) {
	name = path.Clean(strings.TrimPrefix(name, "./"))
	if st.a.written == nil {
		st.a.written = map[string]bool{}
	}
	st.a.written[name] = true
	read := st.a.opt.ReadFile
	st.a.opt.ReadFile = func(n string) (*source.File, error) {
		if path.Clean(strings.TrimPrefix(n, "./")) == name {
			return source.NewFile(name, data), nil
		}
		if read == nil {
			return nil, fmt.Errorf("cannot read %s: no repository", n)
		}
		return read(n)
	}
}
