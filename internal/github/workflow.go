// Package workflow reads GitHub Actions workflow files with positions:
// triggers, jobs, environments, permissions and steps, every value with the
// line and column it came from.
package github

import (
	"fmt"
	"path"
	"strings"

	"gopkg.in/yaml.v3"

	"github.com/iamfit/iamfit/internal/source"
	"github.com/iamfit/iamfit/internal/tree"
)

// String is a scalar with its position.
type String struct {
	Value string
	Pos   source.Pos
}

// KV is one entry of a mapping such as env: or with:.
type KV struct {
	Key   String
	Value String
}

// Map is an ordered mapping of strings.
type Map []KV

// Get returns the value of key and whether it is set.
func (m Map) Get(key string) (String, bool) {
	for _, kv := range m {
		if kv.Key.Value == key {
			return kv.Value, true
		}
	}
	return String{}, false
}

// Workflow is one workflow file.
type Workflow struct {
	File        *source.File
	Name        string
	On          Triggers
	Env         Map
	Permissions Permissions
	Jobs        []*Job
	// WorkingDirectory is defaults.run.working-directory.
	WorkingDirectory string
}

// Triggers are the events of on:.
type Triggers struct {
	Pos               source.Pos
	Push              *Push
	PullRequest       *Event
	PullRequestTarget *Event
	WorkflowDispatch  *Event
	WorkflowCall      *Event
	Schedule          *Event
	Release           *Event
	Other             []String
}

// onlyWorkflowCall reports whether workflow_call is the only trigger.
func (t Triggers) onlyWorkflowCall() bool {
	return t.WorkflowCall != nil && t.Push == nil && t.PullRequest == nil && t.PullRequestTarget == nil &&
		t.WorkflowDispatch == nil && t.Schedule == nil && t.Release == nil && len(t.Other) == 0
}

// others reports whether events other than workflow_dispatch trigger the
// workflow.
func (t Triggers) others() bool {
	return t.Push != nil || t.PullRequest != nil || t.PullRequestTarget != nil || t.WorkflowCall != nil ||
		t.Schedule != nil || t.Release != nil || len(t.Other) > 0
}

// Event is a trigger without filters that matter here.
type Event struct {
	Pos      source.Pos
	Branches []String // pull_request branches (the base branch)
	// Inputs are workflow_dispatch's or workflow_call's inputs.
	Inputs []WorkflowInput
}

// WorkflowInput is one input of workflow_dispatch or workflow_call.
type WorkflowInput struct {
	Name String
	Type string // "string", "choice", "boolean", "number", "environment" ("" when not given)
	// Options are a choice input's values.
	Options []String
	Default *String
}

// Push is the push trigger with its filters. No branch and no tag filter
// means every branch and every tag.
type Push struct {
	Pos                                        source.Pos
	Branches, BranchesIgnore, Tags, TagsIgnore []String
}

// Permissions is a permissions: block, as far as OIDC cares.
type Permissions struct {
	Set     bool
	Pos     source.Pos
	IDToken string // "write", "read", "none" or "" (not named)
	All     string // "write-all", "read-all" or ""
}

// IDTokenWrite reports whether the block grants id-token: write.
func (p Permissions) IDTokenWrite() bool { return p.IDToken == "write" || p.All == "write-all" }

// Job is one job.
type Job struct {
	ID          String
	Name        string
	Environment *String
	Permissions Permissions
	Env         Map
	Steps       []*Step
	// Uses is set for a job that calls a reusable workflow.
	Uses *String
	With Map
	// Matrix holds strategy.matrix's own keys and their values; Include
	// and Exclude its include: and exclude: entries (scalar values only).
	Matrix                       map[string][]String
	MatrixInclude, MatrixExclude []map[string]String
	Needs                        []string
	// If is the job's if: condition.
	If *String
	// WorkingDirectory is defaults.run.working-directory.
	WorkingDirectory string
	// Outputs are the job's outputs: (needs.ID.outputs.NAME in later jobs).
	Outputs Map
}

// Step is one step of a job.
type Step struct {
	Index int
	Pos   source.Pos
	ID    *String
	Name  string
	Uses  *String
	Run   *String
	With  Map
	Env   Map
	// RunLine is the line of the first line of the run script, so that a
	// command on the script's line n is at RunLine+n.
	RunLine int
	// WorkingDirectory is the step's working-directory.
	WorkingDirectory string
}

// Action returns the action name and version of uses:
// "aws-actions/amazon-ecr-login@v2" -> ("aws-actions/amazon-ecr-login", "v2").
func (s *Step) Action() (name, version string) {
	if s.Uses == nil {
		return "", ""
	}
	name, version, _ = strings.Cut(s.Uses.Value, "@")
	return strings.ToLower(name), version
}

// Parse reads a workflow. It returns what it could read and every problem.
func Parse(f *source.File) (*Workflow, []source.Diagnostic) {
	p := &parser{f: f}
	root := p.document("a workflow")
	if root == nil {
		return nil, p.diags
	}
	w := &Workflow{File: f}
	for i := 0; i+1 < len(root.Content); i += 2 {
		k, v := root.Content[i], root.Content[i+1]
		switch k.Value {
		case "name":
			w.Name = v.Value
		case "on", "true": // YAML 1.1 reads a bare on as true
			w.On = p.triggers(v)
		case "env":
			w.Env = p.mapping(v)
		case "permissions":
			w.Permissions = p.permissions(v)
		case "defaults":
			if r := child(v, "run"); r != nil {
				if wd := child(r, "working-directory"); wd != nil {
					w.WorkingDirectory = wd.Value
				}
			}
		case "jobs":
			if v.Kind != yaml.MappingNode {
				p.errorf(pos(v), "jobs must be a mapping of job ids to jobs")
				continue
			}
			for j := 0; j+1 < len(v.Content); j += 2 {
				w.Jobs = append(w.Jobs, p.job(v.Content[j], v.Content[j+1]))
			}
		}
	}
	return w, p.diags
}

// ReadTree reads every .github/workflows/*.yml and *.yaml of a
// repository, sorted by name. A workflow that cannot be read is an error
// diagnostic.
func ReadTree(t *tree.Tree) ([]*Workflow, []source.Diagnostic) {
	var out []*Workflow
	var diags []source.Diagnostic
	for _, e := range t.Files {
		dir, file := path.Split(e.Name)
		if dir != ".github/workflows/" || (path.Ext(file) != ".yml" && path.Ext(file) != ".yaml") {
			continue
		}
		f, err := t.Read(e.Name)
		if err != nil {
			diags = append(diags, source.Diagnostic{File: e.Name, Pos: source.Pos{Line: 1, Col: 1}, Severity: source.Error, Check: "workflow", Message: err.Error()})
			continue
		}
		w, ds := Parse(f)
		diags = append(diags, ds...)
		if w != nil {
			out = append(out, w)
		}
	}
	return out, diags
}

type parser struct {
	f     *source.File
	diags []source.Diagnostic
}

// document parses the file as YAML and returns its root mapping, or nil
// with the error recorded.
func (p *parser) document(what string) *yaml.Node {
	var doc yaml.Node
	if err := yaml.Unmarshal(p.f.Data, &doc); err != nil {
		line := 1
		msg := strings.TrimPrefix(err.Error(), "yaml: ")
		if _, e := fmt.Sscanf(msg, "line %d:", &line); e == nil {
			msg = strings.TrimSpace(msg[strings.Index(msg, ":")+1:])
		}
		p.errorf(source.Pos{Line: line, Col: 1}, "invalid YAML: %s", msg)
		return nil
	}
	if len(doc.Content) == 0 || doc.Content[0].Kind != yaml.MappingNode {
		p.errorf(source.Pos{Line: 1, Col: 1}, "%s must be a YAML mapping", what)
		return nil
	}
	root := doc.Content[0]
	// Without aliases the document is a tree: its size is its count of
	// nodes, and each node is reached once without remembering it.
	n, aliases := treeSize(root)
	if aliases {
		n = expandedSize(root, map[*yaml.Node]int{})
	}
	if n > maxNodes {
		p.errorf(source.Pos{Line: 1, Col: 1}, "%s with its aliases expanded has more than %d YAML nodes: not read", what, maxNodes)
		return nil
	}
	var seen map[*yaml.Node]bool
	if aliases {
		seen = map[*yaml.Node]bool{}
	}
	p.resolve(root, seen)
	return root
}

// treeSize counts the nodes of n, aliases not followed, and reports
// whether it has any.
func treeSize(n *yaml.Node) (size int, aliases bool) {
	size = 1
	aliases = n.Kind == yaml.AliasNode
	for _, c := range n.Content {
		s, a := treeSize(c)
		size += s
		aliases = aliases || a
	}
	return size, aliases
}

// maxNodes bounds a document with its aliases expanded, against alias
// bombs (an alias of a list of aliases of lists...).
const maxNodes = 1_000_000

// expandedSize counts the nodes of n with aliases expanded, stopping past
// maxNodes.
func expandedSize(n *yaml.Node, memo map[*yaml.Node]int) int {
	for n.Kind == yaml.AliasNode && n.Alias != nil {
		n = n.Alias
	}
	if v, ok := memo[n]; ok {
		return v
	}
	memo[n] = maxNodes + 1 // a node that contains itself
	size := 1
	for _, c := range n.Content {
		if size += expandedSize(c, memo); size > maxNodes {
			break
		}
	}
	memo[n] = size
	return size
}

// resolve replaces aliases (environment: *env) by the nodes they name, as
// GitHub reads them, and reports keys that a mapping repeats, which
// GitHub rejects. Each node is visited once, however often it is named
// (seen remembers them; a document without aliases needs none).
func (p *parser) resolve(n *yaml.Node, seen map[*yaml.Node]bool) {
	if seen != nil {
		if seen[n] {
			return
		}
		seen[n] = true
	}
	for i, c := range n.Content {
		for c.Kind == yaml.AliasNode && c.Alias != nil {
			c = c.Alias
		}
		n.Content[i] = c
		p.resolve(c, seen)
	}
	if n.Kind != yaml.MappingNode {
		return
	}
	first := map[string]*yaml.Node{}
	kept := n.Content[:0]
	for i := 0; i+1 < len(n.Content); i += 2 {
		k := n.Content[i]
		if k.Kind == yaml.ScalarNode {
			if f, ok := first[k.Value]; ok {
				p.diags = append(p.diags, source.Diagnostic{File: p.f.Name, Pos: pos(k), Severity: source.Error, Check: "duplicate-key",
					Message: fmt.Sprintf("key %q repeats the one at line %d; GitHub rejects the workflow, iamfit reads the first", k.Value, f.Line)})
				continue
			}
			first[k.Value] = k
		}
		kept = append(kept, k, n.Content[i+1])
	}
	n.Content = kept
}

func pos(n *yaml.Node) source.Pos { return source.Pos{Line: n.Line, Col: n.Column} }

func (p *parser) errorf(at source.Pos, format string, args ...any) {
	p.diags = append(p.diags, source.Diagnostic{File: p.f.Name, Pos: at, Severity: source.Error,
		Message: fmt.Sprintf(format, args...), Check: "workflow-syntax"})
}

func str(n *yaml.Node) String { return String{Value: n.Value, Pos: pos(n)} }

// strings reads a string or a list of strings.
func (p *parser) strings(n *yaml.Node) []String {
	switch n.Kind {
	case yaml.ScalarNode:
		return []String{str(n)}
	case yaml.SequenceNode:
		var out []String
		for _, e := range n.Content {
			if e.Kind == yaml.ScalarNode {
				out = append(out, str(e))
			} else {
				p.errorf(pos(e), "expected a string")
			}
		}
		return out
	}
	p.errorf(pos(n), "expected a string or a list of strings")
	return nil
}

func (p *parser) mapping(n *yaml.Node) Map {
	if n.Kind != yaml.MappingNode {
		if n.Kind == yaml.ScalarNode && strings.HasPrefix(strings.TrimSpace(n.Value), "${{") {
			return nil // an expression (fromJSON...): not known statically
		}
		p.errorf(pos(n), "expected a mapping")
		return nil
	}
	var out Map
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := n.Content[i], n.Content[i+1]
		if v.Kind != yaml.ScalarNode {
			continue
		}
		out = append(out, KV{str(k), str(v)})
	}
	return out
}

// workflowInputs reads workflow_dispatch's or workflow_call's inputs:
// mapping.
func (p *parser) workflowInputs(body *yaml.Node) []WorkflowInput {
	var out []WorkflowInput
	if body == nil || body.Kind != yaml.MappingNode {
		return nil
	}
	for i := 0; i+1 < len(body.Content); i += 2 {
		if body.Content[i].Value != "inputs" || body.Content[i+1].Kind != yaml.MappingNode {
			continue
		}
		ins := body.Content[i+1]
		for j := 0; j+1 < len(ins.Content); j += 2 {
			in := WorkflowInput{Name: str(ins.Content[j])}
			if def := ins.Content[j+1]; def.Kind == yaml.MappingNode {
				for k := 0; k+1 < len(def.Content); k += 2 {
					switch v := def.Content[k+1]; def.Content[k].Value {
					case "type":
						in.Type = v.Value
					case "options":
						in.Options = p.strings(v)
					case "default":
						if v.Kind == yaml.ScalarNode {
							d := str(v)
							in.Default = &d
						}
					}
				}
			}
			out = append(out, in)
		}
	}
	return out
}

func (p *parser) triggers(n *yaml.Node) Triggers {
	t := Triggers{Pos: pos(n)}
	add := func(name *yaml.Node, body *yaml.Node) {
		ev := &Event{Pos: pos(name)}
		switch name.Value {
		case "push":
			push := &Push{Pos: pos(name)}
			if body != nil && body.Kind == yaml.MappingNode {
				for i := 0; i+1 < len(body.Content); i += 2 {
					k, v := body.Content[i], body.Content[i+1]
					switch k.Value {
					case "branches":
						push.Branches = p.strings(v)
					case "branches-ignore":
						push.BranchesIgnore = p.strings(v)
					case "tags":
						push.Tags = p.strings(v)
					case "tags-ignore":
						push.TagsIgnore = p.strings(v)
					}
				}
			}
			t.Push = push
		case "pull_request", "pull_request_target":
			if body != nil && body.Kind == yaml.MappingNode {
				for i := 0; i+1 < len(body.Content); i += 2 {
					if body.Content[i].Value == "branches" {
						ev.Branches = p.strings(body.Content[i+1])
					}
				}
			}
			if name.Value == "pull_request" {
				t.PullRequest = ev
			} else {
				t.PullRequestTarget = ev
			}
		case "workflow_dispatch":
			ev.Inputs = p.workflowInputs(body)
			t.WorkflowDispatch = ev
		case "workflow_call":
			ev.Inputs = p.workflowInputs(body)
			t.WorkflowCall = ev
		case "schedule":
			t.Schedule = ev
		case "release":
			t.Release = ev
		default:
			t.Other = append(t.Other, str(name))
		}
	}
	switch n.Kind {
	case yaml.ScalarNode:
		add(n, nil)
	case yaml.SequenceNode:
		for _, e := range n.Content {
			add(e, nil)
		}
	case yaml.MappingNode:
		for i := 0; i+1 < len(n.Content); i += 2 {
			add(n.Content[i], n.Content[i+1])
		}
	default:
		p.errorf(pos(n), "on: must be an event, a list of events or a mapping")
	}
	return t
}

func (p *parser) permissions(n *yaml.Node) Permissions {
	perm := Permissions{Set: true, Pos: pos(n)}
	switch n.Kind {
	case yaml.ScalarNode:
		perm.All = n.Value
	case yaml.MappingNode:
		for i := 0; i+1 < len(n.Content); i += 2 {
			if n.Content[i].Value == "id-token" {
				perm.IDToken = n.Content[i+1].Value
				perm.Pos = pos(n.Content[i])
			}
		}
	}
	return perm
}

func (p *parser) job(k, v *yaml.Node) *Job {
	j := &Job{ID: str(k)}
	if v.Kind != yaml.MappingNode {
		p.errorf(pos(v), "job %s must be a mapping", k.Value)
		return j
	}
	for i := 0; i+1 < len(v.Content); i += 2 {
		key, val := v.Content[i], v.Content[i+1]
		switch key.Value {
		case "name":
			j.Name = val.Value
		case "if":
			x := str(val)
			j.If = &x
		case "environment":
			switch val.Kind {
			case yaml.ScalarNode:
				s := str(val)
				j.Environment = &s
			case yaml.MappingNode:
				for e := 0; e+1 < len(val.Content); e += 2 {
					if val.Content[e].Value == "name" {
						s := str(val.Content[e+1])
						j.Environment = &s
					}
				}
			}
		case "defaults":
			if r := child(val, "run"); r != nil {
				if wd := child(r, "working-directory"); wd != nil {
					j.WorkingDirectory = wd.Value
				}
			}
		case "permissions":
			j.Permissions = p.permissions(val)
		case "env":
			j.Env = p.mapping(val)
		case "uses":
			s := str(val)
			j.Uses = &s
		case "with":
			j.With = p.mapping(val)
		case "needs":
			for _, s := range p.strings(val) {
				j.Needs = append(j.Needs, s.Value)
			}
		case "outputs":
			j.Outputs = p.mapping(val)
		case "strategy":
			if m := child(val, "matrix"); m != nil && m.Kind == yaml.MappingNode {
				j.Matrix = map[string][]String{}
				for e := 0; e+1 < len(m.Content); e += 2 {
					name, vals := m.Content[e], m.Content[e+1]
					if vals.Kind != yaml.SequenceNode {
						continue
					}
					if name.Value == "include" || name.Value == "exclude" {
						entries := matrixEntries(vals)
						if name.Value == "include" {
							j.MatrixInclude = entries
						} else {
							j.MatrixExclude = entries
						}
						continue
					}
					for _, x := range vals.Content {
						if x.Kind == yaml.ScalarNode {
							j.Matrix[name.Value] = append(j.Matrix[name.Value], str(x))
						}
					}
				}
			}
		case "steps":
			if val.Kind != yaml.SequenceNode {
				p.errorf(pos(val), "steps must be a list")
				continue
			}
			for idx, s := range val.Content {
				j.Steps = append(j.Steps, p.step(idx, s))
			}
		}
	}
	return j
}

// matrixEntries reads the entries of a matrix's include: or exclude:
// list, each a mapping of scalar values (a value that is not a scalar is
// left out: matrix.KEY then stays unknown).
func matrixEntries(list *yaml.Node) []map[string]String {
	var out []map[string]String
	for _, e := range list.Content {
		if e.Kind != yaml.MappingNode {
			continue
		}
		m := map[string]String{}
		for i := 0; i+1 < len(e.Content); i += 2 {
			if v := e.Content[i+1]; v.Kind == yaml.ScalarNode {
				m[e.Content[i].Value] = str(v)
			}
		}
		out = append(out, m)
	}
	return out
}

func child(n *yaml.Node, key string) *yaml.Node {
	if n.Kind != yaml.MappingNode {
		return nil
	}
	for i := 0; i+1 < len(n.Content); i += 2 {
		if n.Content[i].Value == key {
			return n.Content[i+1]
		}
	}
	return nil
}

func (p *parser) step(idx int, n *yaml.Node) *Step {
	s := &Step{Index: idx, Pos: pos(n)}
	if n.Kind != yaml.MappingNode {
		p.errorf(pos(n), "a step must be a mapping")
		return s
	}
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := n.Content[i], n.Content[i+1]
		switch k.Value {
		case "id":
			x := str(v)
			s.ID = &x
		case "name":
			s.Name = v.Value
		case "uses":
			x := str(v)
			s.Uses = &x
		case "run":
			x := str(v)
			s.Run = &x
			// A block scalar (| or >) starts on the next line.
			s.RunLine = v.Line
			if v.Style&(yaml.LiteralStyle|yaml.FoldedStyle) != 0 {
				s.RunLine = v.Line + 1
			}
		case "with":
			s.With = p.mapping(v)
		case "env":
			s.Env = p.mapping(v)
		case "working-directory":
			s.WorkingDirectory = v.Value
		}
	}
	if s.Uses == nil && s.Run == nil {
		p.errorf(s.Pos, "a step needs uses: or run:")
	}
	return s
}
