package tf

import (
	"path"
	"sort"
	"strings"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"

	"github.com/iamfit/iamfit/internal/source"
	"github.com/iamfit/iamfit/internal/tree"
)

// maxTF bounds the size of a .tf file read for its task definitions.
const maxTF = 1 << 20

// module is one directory's configuration: the blocks of all its .tf
// files, which share one namespace.
type module struct {
	dir   string // slash-separated, relative to the repository root; "." for the root
	files []*source.File
	// resources and data are keyed "TYPE.NAME".
	resources, data map[string]*block
	variables       map[string]*block
	locals          map[string]*hclsyntax.Attribute
	outputs         map[string]*block
	calls           map[string]*block // module blocks by name
	// provider is the aws provider block without an alias, or nil.
	provider *block
	taskDefs []*block // aws_ecs_task_definition resources, in file order
	// tfvars are the values of terraform.tfvars and *.auto.tfvars, which
	// Terraform loads by itself for a root module.
	tfvars     map[string]*hclsyntax.Attribute
	tfvarFiles []*source.File
	diags      []source.Diagnostic
	// brokenTD is set when a file HCL cannot parse names a task
	// definition.
	brokenTD bool
}

// block is one block of a module with the file it is in.
type block struct {
	typ, name string // resource type and name; a variable's or output's name
	b         *hclsyntax.Block
	file      *source.File
}

func (b *block) pos() source.Pos { return b.file.Position(b.b.TypeRange.Start.Byte) }

func (b *block) attr(name string) *hclsyntax.Attribute {
	if b == nil {
		return nil
	}
	return b.b.Body.Attributes[name]
}

// modules reads the directories of a repository that hold .tf files,
// by directory: each is one module, with the values of its .tfvars
// files.
func modules(t *tree.Tree) map[string]*module {
	byDir := map[string][]tree.Entry{}
	for _, e := range t.Files {
		if tree.Hidden(e.Name) || e.Size > maxTF {
			continue
		}
		if strings.HasSuffix(e.Name, ".tf") || strings.HasSuffix(e.Name, ".tfvars") {
			dir := path.Dir(e.Name)
			byDir[dir] = append(byDir[dir], e)
		}
	}
	out := map[string]*module{}
	for dir, entries := range byDir {
		m := &module{dir: dir, resources: map[string]*block{}, data: map[string]*block{}, variables: map[string]*block{},
			locals: map[string]*hclsyntax.Attribute{}, outputs: map[string]*block{}, calls: map[string]*block{}}
		for _, e := range entries {
			f, err := t.Read(e.Name)
			if err != nil {
				continue
			}
			if strings.HasSuffix(e.Name, ".tfvars") {
				base := path.Base(e.Name)
				if base == "terraform.tfvars" || strings.HasSuffix(base, ".auto.tfvars") {
					m.readTFVars(f)
				}
				continue
			}
			m.read(f)
		}
		if len(m.files) > 0 || m.brokenTD {
			out[dir] = m
		}
	}
	return out
}

// read adds the blocks of one .tf file; a file HCL cannot parse is a
// diagnostic.
func (m *module) read(f *source.File) {
	if reserved(f.Data) {
		m.diags = append(m.diags, source.Diagnostic{File: f.Name, Pos: source.Pos{Line: 1, Col: 1}, Severity: source.Warning, Check: CheckTerraform,
			Message: "the file holds U+E000 or U+E001, which iamfit reserves for the characters AWS generates: it is not read"})
		m.brokenTD = m.brokenTD || strings.Contains(string(f.Data), "aws_ecs_task_definition")
		return
	}
	body, err := body(f)
	if err != nil {
		pos, msg := source.Pos{Line: 1, Col: 1}, err.Error()
		if e, ok := err.(*Error); ok {
			pos, msg = e.Pos, e.Msg
		}
		m.diags = append(m.diags, source.Diagnostic{File: f.Name, Pos: pos, Severity: source.Warning, Check: CheckTerraform,
			Message: "cannot read the Terraform file: " + msg})
		m.brokenTD = m.brokenTD || strings.Contains(string(f.Data), "aws_ecs_task_definition")
		return
	}
	if body == nil {
		return
	}
	m.files = append(m.files, f)
	for _, b := range body.Blocks {
		bl := &block{b: b, file: f}
		switch {
		case b.Type == "resource" && len(b.Labels) == 2:
			bl.typ, bl.name = b.Labels[0], b.Labels[1]
			m.resources[bl.typ+"."+bl.name] = bl
			if bl.typ == "aws_ecs_task_definition" {
				m.taskDefs = append(m.taskDefs, bl)
			}
		case b.Type == "data" && len(b.Labels) == 2:
			bl.typ, bl.name = b.Labels[0], b.Labels[1]
			m.data[bl.typ+"."+bl.name] = bl
		case b.Type == "variable" && len(b.Labels) == 1:
			bl.name = b.Labels[0]
			m.variables[bl.name] = bl
		case b.Type == "output" && len(b.Labels) == 1:
			bl.name = b.Labels[0]
			m.outputs[bl.name] = bl
		case b.Type == "module" && len(b.Labels) == 1:
			bl.name = b.Labels[0]
			m.calls[bl.name] = bl
		case b.Type == "locals":
			for name, a := range b.Body.Attributes {
				m.locals[name] = a
			}
		case b.Type == "provider" && len(b.Labels) == 1 && b.Labels[0] == "aws" && b.Body.Attributes["alias"] == nil:
			m.provider = bl
		}
	}
}

// reserved reports whether data holds the runes that stand for the
// characters AWS generates while a value is evaluated (wildStar,
// wildQuery): a file that holds them is not read, so that no character
// of its own becomes a wildcard.
func reserved(data []byte) bool {
	return strings.ContainsRune(string(data), wildStar) || strings.ContainsRune(string(data), wildQuery)
}

// readTFVars adds the values of a .tfvars file.
func (m *module) readTFVars(f *source.File) {
	if reserved(f.Data) {
		return
	}
	file, diags := hclsyntax.ParseConfig(f.Data, f.Name, hcl.Pos{Line: 1, Column: 1})
	if diags.HasErrors() {
		return
	}
	b, ok := file.Body.(*hclsyntax.Body)
	if !ok {
		return
	}
	if m.tfvars == nil {
		m.tfvars = map[string]*hclsyntax.Attribute{}
	}
	m.tfvarFiles = append(m.tfvarFiles, f)
	for name, a := range b.Attributes {
		m.tfvars[name] = a
	}
}

// localSource returns the directory a module call's source names when it
// is a local path ("./modules/app", "../shared"), relative to the
// repository root; ok is false for a registry or remote source, or a
// path outside the repository.
func (m *module) localSource(call *block) (dir, src string, ok bool) {
	a := call.attr("source")
	if a == nil {
		return "", "", false
	}
	v, d := a.Expr.Value(nil)
	if d.HasErrors() || !v.IsKnown() || v.IsNull() || v.Type().FriendlyName() != "string" {
		return "", "", false
	}
	src = v.AsString()
	if !strings.HasPrefix(src, "./") && !strings.HasPrefix(src, "../") {
		return "", src, false
	}
	dir = path.Clean(path.Join(m.dir, src))
	if dir == ".." || strings.HasPrefix(dir, "../") {
		return "", src, false
	}
	return dir, src, true
}

// sortedDirs lists the modules' directories in order.
func sortedDirs(ms map[string]*module) []string {
	out := make([]string, 0, len(ms))
	for d := range ms {
		out = append(out, d)
	}
	sort.Strings(out)
	return out
}

// CheckTerraform is the check id of what the Terraform reader does not
// read (a task definition's container definitions it cannot evaluate, a
// module it does not follow); CheckValue of what a value assumes.
const (
	CheckTerraform = "terraform"
	CheckValue     = "terraform-value"
)
