// Package scan reads a repository: it finds the CI definitions, task
// definitions, templates and application source, runs the readers, and
// derives every role (deploy, execution, task) into one need.Inventory.
package scan

import (
	"bufio"
	"fmt"
	"os"
	"path"
	"path/filepath"
	"strings"

	"github.com/iamfit/iamfit/internal/ecs"
	"github.com/iamfit/iamfit/internal/github"
	"github.com/iamfit/iamfit/internal/github/steps"
	"github.com/iamfit/iamfit/internal/need"
	"github.com/iamfit/iamfit/internal/source"
	"github.com/iamfit/iamfit/internal/tree"
)

// Options control the analysis.
type Options struct {
	// Dir is the repository root.
	Dir string
	// Repo is "owner/name"; empty reads it from the checkout's origin remote.
	Repo string
	// DefaultBranch overrides the branch read from the checkout.
	DefaultBranch string
	// Vars gives values for vars.X, secrets.X and inputs.X expressions.
	Vars map[string]string
	// OwnerID and RepoID select GitHub's immutable subject form; with
	// BothSubjectForms, trusts admit both forms.
	OwnerID, RepoID  string
	BothSubjectForms bool
	// Subjects are callers' subjects for reusable workflows that no
	// workflow of the repository calls.
	Subjects []string
	// AssumeSteps declares what actions iamfit does not know call, by
	// action name.
	AssumeSteps map[string][]need.Need
	// ActionSources are local copies of other repositories (owner/repo ->
	// directory) whose reusable workflows and actions the workflows use.
	ActionSources map[string]string
}

// Result is the inventory of a repository with the reader-side details
// that the command line reports.
type Result struct {
	*need.Inventory
	// Workflows are the GitHub Actions workflows read.
	Workflows []*github.Workflow
	// Deployments are the task definitions the workflows deploy (and those
	// declared in CloudFormation and Terraform), in order.
	Deployments []ecs.Deployment
	// Tree is the repository's files as the walk found them.
	Tree *tree.Tree
}

// Analyze reads the repository under opt.Dir.
func Analyze(opt Options) (*Result, error) {
	t, err := tree.Walk(opt.Dir, tree.Options{})
	if err != nil {
		return nil, err
	}
	wfs, diags := github.ReadTree(t)
	inv := &need.Inventory{Dir: opt.Dir, Files: map[string]*source.File{}, Diagnostics: diags, Pipelines: len(wfs)}
	inv.Repo = opt.Repo
	if inv.Repo == "" {
		inv.Repo = originRepo(opt.Dir)
	}
	if inv.Repo == "" {
		inv.Repo = need.Param("GitHubRepository")
	}
	s := &scanner{opt: opt, inv: inv, tree: t}
	s.skipped()
	for _, w := range wfs {
		inv.Files[w.File.Name] = w.File
	}
	branch := opt.DefaultBranch
	if branch == "" {
		branch = defaultBranch(opt.Dir)
	}
	actions := steps.All()
	for name, needs := range opt.AssumeSteps {
		actions = append(actions, github.Declared(name, needs))
	}
	gh := github.Read(wfs, github.Options{Repo: inv.Repo, DefaultBranch: branch, Vars: opt.Vars,
		Actions: actions, ReadFile: s.readFile, OwnerID: opt.OwnerID, RepoID: opt.RepoID,
		BothSubjectForms: opt.BothSubjectForms, CallerSubjects: opt.Subjects, Sources: s.sources})
	inv.Diagnostics = append(inv.Diagnostics, gh.Diagnostics...)
	s.roles.Add(gh.Roles...)
	s.deployments = gh.Deployments
	s.templateTaskDefs()
	s.terraformTaskDefs()
	s.fileTaskDefs()
	s.taskRoles()
	inv.Roles = s.roles.List()
	source.Sort(inv.Diagnostics)
	inv.Diagnostics = source.Dedupe(inv.Diagnostics)
	return &Result{Inventory: inv, Workflows: wfs, Deployments: s.deployments, Tree: t}, nil
}

type scanner struct {
	opt         Options
	inv         *need.Inventory
	roles       need.RoleSet
	deployments []ecs.Deployment
	tree        *tree.Tree
	copies      map[string]*tree.Tree
	// declared are the roles the task definitions of the repository's
	// configurations name, by ARN, with where they are declared.
	declared map[string]*need.Declaration
}

func (s *scanner) warnf(file string, pos source.Pos, check, format string, args ...any) {
	s.inv.Diagnostics = append(s.inv.Diagnostics, source.Diagnostic{File: file, Pos: pos,
		Severity: source.Warning, Message: fmt.Sprintf(format, args...), Check: check})
}

// role returns the role with this ARN, adding it as kind when new.
func (s *scanner) role(arnStr string, kind need.Kind) *need.Role { return s.roles.Get(arnStr, kind) }

// readFile reads a repository file named by a workflow (relative to the
// repository root), through the tree: never outside the root, never a
// FIFO, never past the size limit.
func (s *scanner) readFile(name string) (*source.File, error) {
	name = path.Clean(strings.TrimPrefix(name, "./"))
	if f, ok := s.inv.Files[name]; ok {
		return f, nil
	}
	f, err := s.tree.Read(name)
	if err != nil {
		return nil, err
	}
	s.inv.Files[name] = f
	return f, nil
}

// sources reads files of a copy of another repository (--action-source),
// through a tree of its own: never outside that copy.
func (s *scanner) sources(ownerRepo string) (func(string) (*source.File, error), bool) {
	dir, ok := s.opt.ActionSources[strings.ToLower(ownerRepo)]
	if !ok {
		return nil, false
	}
	if s.copies == nil {
		s.copies = map[string]*tree.Tree{}
	}
	t, ok := s.copies[dir]
	if !ok {
		var err error
		if t, err = tree.Walk(dir, tree.Options{}); err != nil {
			return func(string) (*source.File, error) { return nil, err }, true
		}
		s.copies[dir] = t
	}
	return t.Read, true
}

// readExts are the files a reader of the repository may need.
var readExts = map[string]bool{".json": true, ".yml": true, ".yaml": true, ".template": true, ".jsonnet": true,
	".go": true, ".py": true, ".js": true, ".ts": true, ".mjs": true, ".cjs": true, ".tsx": true, ".jsx": true, ".sh": true}

// skipped reports the files the walk did not read that a reader may
// need: links out of the repository, FIFOs and devices, unreadable
// entries.
func (s *scanner) skipped() {
	for _, sk := range s.tree.Skipped {
		if !readExts[path.Ext(sk.Name)] && !strings.HasPrefix(sk.Why, "cannot be read") {
			continue
		}
		s.warnf(sk.Name, source.Pos{}, "skipped-file", "%s: %s", sk.Name, sk.Why)
	}
}

// defaultBranch reads the checked-out branch from .git/HEAD, or "".
func defaultBranch(dir string) string {
	data, err := os.ReadFile(filepath.Join(dir, ".git", "HEAD"))
	if err != nil {
		return ""
	}
	ref, _ := strings.CutPrefix(strings.TrimSpace(string(data)), "ref: refs/heads/")
	if ref == strings.TrimSpace(string(data)) {
		return ""
	}
	return ref
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
