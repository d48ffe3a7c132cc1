package github

import (
	"gopkg.in/yaml.v3"

	"github.com/iamfit/iamfit/internal/source"
)

// ActionFile is an action's metadata file (action.yml), as far as iamfit
// follows it: a composite action's inputs and steps.
type ActionFile struct {
	File *source.File
	Name string
	// Using is runs.using: "composite", "node20", "docker", ...
	Using  string
	Inputs []ActionInput
	Steps  []*Step
}

// ActionInput is one declared input with its default.
type ActionInput struct {
	Name    string
	Default *String
}

// ParseAction reads an action metadata file.
func ParseAction(f *source.File) (*ActionFile, []source.Diagnostic) {
	p := &parser{f: f}
	root := p.document("an action")
	if root == nil {
		return nil, p.diags
	}
	act := &ActionFile{File: f}
	for i := 0; i+1 < len(root.Content); i += 2 {
		k, v := root.Content[i], root.Content[i+1]
		switch k.Value {
		case "name":
			act.Name = v.Value
		case "inputs":
			if v.Kind != yaml.MappingNode {
				continue
			}
			for j := 0; j+1 < len(v.Content); j += 2 {
				in := ActionInput{Name: v.Content[j].Value}
				if d := child(v.Content[j+1], "default"); d != nil && d.Kind == yaml.ScalarNode {
					s := str(d)
					in.Default = &s
				}
				act.Inputs = append(act.Inputs, in)
			}
		case "runs":
			if u := child(v, "using"); u != nil {
				act.Using = u.Value
			}
			if steps := child(v, "steps"); steps != nil {
				if steps.Kind != yaml.SequenceNode {
					p.errorf(pos(steps), "runs.steps must be a list")
					continue
				}
				for idx, s := range steps.Content {
					act.Steps = append(act.Steps, p.step(idx, s))
				}
			}
		}
	}
	return act, p.diags
}
