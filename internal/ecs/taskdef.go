// Package ecs reads Amazon ECS task definitions: JSON files as registered
// (bare, or wrapped as {"taskDefinition": ...} the way
// `aws ecs describe-task-definition` prints them), with positions.
package ecs

import (
	"fmt"
	"regexp"
	"strings"

	"github.com/iamfit/iamfit/internal/jsonpos"
	"github.com/iamfit/iamfit/internal/need"
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
	Name string
	// File is the name of the file the definition is in when it is not
	// the task definition's (Terraform's file("containers.json")), or "".
	File       string
	Pos        source.Pos
	Image      *String
	LogDriver  string
	LogOptions map[string]String
	Secrets    []Secret
	// LogSecrets are the log configuration's secretOptions.
	LogSecrets       []Secret
	EnvironmentFiles []String // S3 object ARNs
	Environment      map[string]String
	// RepositoryCredentials is the Secrets Manager ARN of private registry
	// credentials.
	RepositoryCredentials *String
	// FirelensConfigS3 is the S3 object ARN of a FireLens configuration file.
	FirelensConfigS3 *String
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
	t, more := FromValue(f, root)
	return t, append(diags, more...)
}

// get looks a field up in the API's camelCase ("family") or in
// CloudFormation's PascalCase ("Family").
func get(v *jsonpos.Value, name string) *jsonpos.Value {
	if x := v.Get(name); x != nil {
		return x
	}
	return v.Get(strings.ToUpper(name[:1]) + name[1:])
}

// FromValue reads a task definition from a JSON value: a task definition
// file's root, or the Properties of an AWS::ECS::TaskDefinition in a
// CloudFormation template (PascalCase keys).
func FromValue(f *source.File, root *jsonpos.Value) (*TaskDefinition, []source.Diagnostic) {
	var diags []source.Diagnostic
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
	t.Family = str(get(root, "family"), "family")
	t.ExecutionRoleARN = str(get(root, "executionRoleArn"), "executionRoleArn")
	t.TaskRoleARN = str(get(root, "taskRoleArn"), "taskRoleArn")
	family := ""
	if t.Family != nil {
		family = t.Family.Value
	}
	execParam, taskParam := RegisteredRoles(family)
	for _, r := range []struct {
		v            *String
		field, param string
	}{{t.ExecutionRoleARN, "executionRoleArn", execParam}, {t.TaskRoleARN, "taskRoleArn", taskParam}} {
		if r.v == nil {
			continue
		}
		if v, ok := placeholderRole(r.v.Value, r.param); ok {
			diags = append(diags, source.Diagnostic{File: f.Name, Pos: r.v.Pos, Severity: source.Warning,
				Message: fmt.Sprintf("%s %q is a placeholder, not a role: iamfit uses %s for it (give it with --var)", r.field, r.v.Value, v),
				Check:   "placeholder"})
			r.v.Value = v
		}
	}
	if tags := get(root, "tags"); tags != nil && tags.Kind == jsonpos.Array {
		for _, tg := range tags.Elems {
			k, v := get(tg, "key"), get(tg, "value")
			if k != nil && k.Kind == jsonpos.String {
				val := ""
				if v != nil {
					val = v.Str
				}
				t.Tags = append(t.Tags, Tag{k.Str, val})
			}
		}
	}
	cds := get(root, "containerDefinitions")
	if cds == nil || cds.Kind != jsonpos.Array {
		diags = append(diags, diag(f, root, "the task definition has no containerDefinitions list"))
		return t, diags
	}
	for _, cd := range cds.Elems {
		if cd.Kind != jsonpos.Object {
			continue
		}
		c := Container{Pos: f.Position(cd.Offset), LogOptions: map[string]String{}, Environment: map[string]String{}}
		if n := get(cd, "name"); n != nil {
			c.Name = n.Str
		}
		c.Image = str(get(cd, "image"), "image")
		if lc := get(cd, "logConfiguration"); lc != nil && lc.Kind == jsonpos.Object {
			if d := get(lc, "logDriver"); d != nil {
				c.LogDriver = d.Str
			}
			c.LogSecrets = append(c.LogSecrets, secretList(f, get(lc, "secretOptions"))...)
			if o := get(lc, "options"); o != nil && o.Kind == jsonpos.Object {
				for _, m := range o.Members {
					if m.Value.Kind == jsonpos.String {
						c.LogOptions[m.Key] = String{m.Value.Str, f.Position(m.Value.Offset)}
					}
				}
			}
		}
		c.Secrets = secretList(f, get(cd, "secrets"))
		if efs := get(cd, "environmentFiles"); efs != nil && efs.Kind == jsonpos.Array {
			for _, e := range efs.Elems {
				if v := get(e, "value"); v != nil && v.Kind == jsonpos.String {
					c.EnvironmentFiles = append(c.EnvironmentFiles, String{v.Str, f.Position(v.Offset)})
				}
			}
		}
		if env := get(cd, "environment"); env != nil && env.Kind == jsonpos.Array {
			for _, e := range env.Elems {
				n, v := get(e, "name"), get(e, "value")
				if n != nil && v != nil && v.Kind == jsonpos.String {
					c.Environment[n.Str] = String{v.Str, f.Position(v.Offset)}
				}
			}
		}
		if fl := get(cd, "firelensConfiguration"); fl != nil && fl.Kind == jsonpos.Object {
			if o := get(fl, "options"); o != nil && o.Kind == jsonpos.Object {
				if t := o.Get("config-file-type"); t != nil && t.Str == "s3" {
					c.FirelensConfigS3 = str(o.Get("config-file-value"), "config-file-value")
				}
			}
		}
		if rc := get(cd, "repositoryCredentials"); rc != nil {
			c.RepositoryCredentials = str(get(rc, "credentialsParameter"), "credentialsParameter")
		}
		t.Containers = append(t.Containers, c)
	}
	return t, diags
}

// secretList reads a list of {name, valueFrom}.
func secretList(f *source.File, ss *jsonpos.Value) []Secret {
	if ss == nil || ss.Kind != jsonpos.Array {
		return nil
	}
	var out []Secret
	for _, s := range ss.Elems {
		n, vf := get(s, "name"), get(s, "valueFrom")
		if vf != nil && vf.Kind == jsonpos.String {
			name := ""
			if n != nil {
				name = n.Str
			}
			out = append(out, Secret{name, String{vf.Str, f.Position(vf.Offset)}})
		}
	}
	return out
}

func diag(f *source.File, v *jsonpos.Value, msg string) source.Diagnostic {
	return source.Diagnostic{File: f.Name, Pos: f.Position(v.Offset), Severity: source.Error, Message: msg, Check: "task-definition"}
}

// placeholderRole returns the parameter that stands for a role value a
// task definition holds as a placeholder for the deploy to fill in
// (REPLACE_ME_ECS_TASK_ROLE_ARN, <task-role-arn>, xxx, ${TASK_ROLE_ARN},
// an ARN whose account is ACCOUNT_ID): the whole value is param (or the
// variable a ${NAME} names), an ARN's placeholder account alone is
// {{AccountId}}. ok is false for a role name or ARN.
func placeholderRole(v, param string) (string, bool) {
	if need.HasParams(v) {
		return "", false
	}
	if m := envRef.FindStringSubmatch(v); m != nil {
		return need.Param(m[1]), true
	}
	if out, found := need.Placeholders(v, strings.Trim(param, "{}")); found != nil {
		return out, true // <account-id>, ACCOUNT_ID, YOUR_ROLE: as the commands' placeholders
	}
	if rest, ok := strings.CutPrefix(v, "arn:"); ok {
		parts := strings.SplitN(rest, ":", 5) // partition, service, region, account, resource
		if len(parts) == 5 && parts[1] == "iam" && strings.HasPrefix(parts[4], "role/") {
			name := strings.TrimPrefix(parts[4], "role/")
			if placeholderText(name) {
				return param, true
			}
			if !accountRe.MatchString(parts[3]) {
				return "arn:" + strings.Join([]string{parts[0], parts[1], parts[2], need.Param("AccountId"), parts[4]}, ":"), true
			}
			return "", false
		}
		return param, true // not a role's ARN
	}
	if placeholderText(v) || !roleNameRe.MatchString(v) {
		return param, true
	}
	return "", false
}

var (
	envRef     = regexp.MustCompile(`^\$\{?([A-Za-z_][A-Za-z0-9_]*)\}?$`)
	accountRe  = regexp.MustCompile(`^\d{12}$`)
	roleNameRe = regexp.MustCompile(`^[\w+=,.@/-]{1,512}$`) // IAM's role names, with a path
	xxxRe      = regexp.MustCompile(`^(?i)x{3,}$`)
)

// placeholderText reports text that marks a value to be filled in.
func placeholderText(s string) bool {
	l := strings.ToLower(s)
	for _, w := range []string{"replace_me", "replace-me", "replaceme", "change_me", "change-me", "changeme", "your_", "your-", "todo", "placeholder", "<", ">", " "} {
		if strings.Contains(l, w) {
			return true
		}
	}
	return xxxRe.MatchString(s)
}
