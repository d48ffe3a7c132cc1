// Package ecs reads Amazon ECS task definitions: JSON files as registered
// (bare, or wrapped as {"taskDefinition": ...} the way
// `aws ecs describe-task-definition` prints them), with positions.
package ecs

import (
	"fmt"

	"github.com/iamfit/iamfit/internal/jsonpos"
	"github.com/iamfit/iamfit/internal/source"
)

// String is a value with its position.
type String struct {
	Value string
	Pos   source.Pos
}

// TaskDefinition is what iamfit needs from a task definition.
type TaskDefinition struct {
	File             *source.File
	Family           *String
	ExecutionRoleARN *String
	TaskRoleARN      *String
	Containers       []Container
	Tags             []Tag
}

// Tag is a task definition tag.
type Tag struct{ Key, Value string }

// Container is one container definition.
type Container struct {
	Name             string
	Pos              source.Pos
	Image            *String
	LogDriver        string
	LogOptions       map[string]String
	Secrets          []Secret
	EnvironmentFiles []String // S3 object ARNs
	Environment      map[string]String
	// RepositoryCredentials is the Secrets Manager ARN of private registry
	// credentials.
	RepositoryCredentials *String
}

// Secret is one entry of secrets: an environment variable from SSM or
// Secrets Manager.
type Secret struct {
	Name      string
	ValueFrom String
}

// Read parses a task definition file.
func Read(f *source.File) (*TaskDefinition, []source.Diagnostic) {
	root, errs := jsonpos.Parse(f.Data)
	var diags []source.Diagnostic
	for _, e := range errs {
		diags = append(diags, source.Diagnostic{File: f.Name, Pos: f.Position(e.Offset), Severity: source.Error, Message: e.Msg, Check: "json-syntax"})
	}
	if root == nil {
		return nil, diags
	}
	if root.Kind != jsonpos.Object {
		return nil, append(diags, diag(f, root, "a task definition must be a JSON object"))
	}
	if td := root.Get("taskDefinition"); td != nil && td.Kind == jsonpos.Object {
		root = td
	}
	t := &TaskDefinition{File: f}
	str := func(v *jsonpos.Value, field string) *String {
		if v == nil {
			return nil
		}
		if v.Kind != jsonpos.String {
			diags = append(diags, diag(f, v, fmt.Sprintf("%s must be a string, found %s", field, v.Kind)))
			return nil
		}
		return &String{v.Str, f.Position(v.Offset)}
	}
	t.Family = str(root.Get("family"), "family")
	t.ExecutionRoleARN = str(root.Get("executionRoleArn"), "executionRoleArn")
	t.TaskRoleARN = str(root.Get("taskRoleArn"), "taskRoleArn")
	if tags := root.Get("tags"); tags != nil && tags.Kind == jsonpos.Array {
		for _, tg := range tags.Elems {
			k, v := tg.Get("key"), tg.Get("value")
			if k != nil && k.Kind == jsonpos.String {
				val := ""
				if v != nil {
					val = v.Str
				}
				t.Tags = append(t.Tags, Tag{k.Str, val})
			}
		}
	}
	cds := root.Get("containerDefinitions")
	if cds == nil || cds.Kind != jsonpos.Array {
		diags = append(diags, diag(f, root, "the task definition has no containerDefinitions list"))
		return t, diags
	}
	for _, cd := range cds.Elems {
		if cd.Kind != jsonpos.Object {
			continue
		}
		c := Container{Pos: f.Position(cd.Offset), LogOptions: map[string]String{}, Environment: map[string]String{}}
		if n := cd.Get("name"); n != nil {
			c.Name = n.Str
		}
		c.Image = str(cd.Get("image"), "image")
		if lc := cd.Get("logConfiguration"); lc != nil && lc.Kind == jsonpos.Object {
			if d := lc.Get("logDriver"); d != nil {
				c.LogDriver = d.Str
			}
			if o := lc.Get("options"); o != nil && o.Kind == jsonpos.Object {
				for _, m := range o.Members {
					if m.Value.Kind == jsonpos.String {
						c.LogOptions[m.Key] = String{m.Value.Str, f.Position(m.Value.Offset)}
					}
				}
			}
		}
		if ss := cd.Get("secrets"); ss != nil && ss.Kind == jsonpos.Array {
			for _, s := range ss.Elems {
				n, vf := s.Get("name"), s.Get("valueFrom")
				if vf != nil && vf.Kind == jsonpos.String {
					name := ""
					if n != nil {
						name = n.Str
					}
					c.Secrets = append(c.Secrets, Secret{name, String{vf.Str, f.Position(vf.Offset)}})
				}
			}
		}
		if efs := cd.Get("environmentFiles"); efs != nil && efs.Kind == jsonpos.Array {
			for _, e := range efs.Elems {
				if v := e.Get("value"); v != nil && v.Kind == jsonpos.String {
					c.EnvironmentFiles = append(c.EnvironmentFiles, String{v.Str, f.Position(v.Offset)})
				}
			}
		}
		if env := cd.Get("environment"); env != nil && env.Kind == jsonpos.Array {
			for _, e := range env.Elems {
				n, v := e.Get("name"), e.Get("value")
				if n != nil && v != nil && v.Kind == jsonpos.String {
					c.Environment[n.Str] = String{v.Str, f.Position(v.Offset)}
				}
			}
		}
		if rc := cd.Get("repositoryCredentials"); rc != nil {
			c.RepositoryCredentials = str(rc.Get("credentialsParameter"), "credentialsParameter")
		}
		t.Containers = append(t.Containers, c)
	}
	return t, diags
}

func diag(f *source.File, v *jsonpos.Value, msg string) source.Diagnostic {
	return source.Diagnostic{File: f.Name, Pos: f.Position(v.Offset), Severity: source.Error, Message: msg, Check: "task-definition"}
}
