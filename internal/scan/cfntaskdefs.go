package scan

import (
	"errors"
	"fmt"
	"regexp"
	"strings"
	"sync"

	"github.com/iamfit/iamfit/internal/cfn"
	"github.com/iamfit/iamfit/internal/ecs"
	"github.com/iamfit/iamfit/internal/jsonpos"
	"github.com/iamfit/iamfit/internal/need"
	"github.com/iamfit/iamfit/internal/source"
)

var cfnVarRe = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`\$\{([^}]+)\}`) })

// templateTaskDefs adds the task definitions declared in CloudFormation
// templates (AWS::ECS::TaskDefinition) whose family the workflows do not
// already deploy from a file. Their values are evaluated through the
// template (evalTaskDef), their roles' references become parameters;
// AWS::Region and AWS::AccountId become the deploy role's region and
// account.
func (a *scanner) templateTaskDefs() {
	region, account := need.Param("Region"), need.Param("AccountId")
	for _, r := range a.roles.List() {
		if r.Kind == need.Deploy {
			if r.Region != "" {
				region = r.Region
			}
			account = r.Account
			break
		}
	}
	known := map[string]bool{}
	for _, d := range a.deployments {
		if d.TD.Family != nil {
			known[d.TD.Family.Value] = true
		}
	}
	// The task definitions' templates, and the exports of every template
	// (for Fn::ImportValue), read once.
	wanted := func(data []byte) bool {
		return strings.Contains(string(data), "AWS::ECS::TaskDefinition") || strings.Contains(string(data), "Export")
	}
	var exports cfn.Exports
	var withTaskDefs []*cfn.Template
	cfn.Templates(a.tree, wanted, func(f *source.File, t *cfn.Template, err error) {
		if err != nil {
			if !strings.Contains(string(f.Data), "AWS::ECS::TaskDefinition") {
				return // a template of other resources: lint's to report
			}
			// The template's own error carries the position.
			pos, msg := source.Pos{Line: 1, Col: 1}, err.Error()
			var perr *cfn.Error
			if errors.As(err, &perr) {
				pos, msg = perr.Pos, perr.Msg
			}
			a.warnf(f.Name, pos, "template", "cannot read template: %s", msg)
			return
		}
		exports.Add(t)
		if strings.Contains(string(f.Data), "AWS::ECS::TaskDefinition") {
			withTaskDefs = append(withTaskDefs, t)
		}
	})
	st := cfn.Stack{Region: region, Account: account, Exports: &exports}
	// A role logical id that task definitions of two templates reference
	// names two roles: each is qualified by its template.
	templatesOf := map[string]int{}
	for _, t := range withTaskDefs {
		for id := range taskDefRoles(t) {
			templatesOf[id]++
		}
	}
	for _, t := range withTaskDefs {
		f := t.File
		res := t.Root.Get("Resources")
		if res == nil {
			continue
		}
		for _, m := range res.Members {
			typ, props := m.Value.Get("Type"), m.Value.Get("Properties")
			if typ == nil || typ.Str != "AWS::ECS::TaskDefinition" || props == nil {
				continue
			}
			sameRoleRefs(t, props, templatesOf)
			done := map[*jsonpos.Value]bool{}
			patterns, resources := a.evalTaskDef(t, props, st, done)
			resolveRefs(props, region, account, done)
			td, diags := ecs.FromValue(f, props)
			a.inv.Diagnostics = append(a.inv.Diagnostics, diags...)
			if td.Family == nil {
				td.Family = &ecs.String{Value: need.Param(m.Key + "Family"), Pos: f.Position(m.KeyOffset)}
			}
			if known[td.Family.Value] {
				continue
			}
			known[td.Family.Value] = true
			a.deployments = append(a.deployments, ecs.Deployment{TD: td, Region: region, Account: account, EnvPatterns: patterns, EnvResources: resources})
		}
	}
}

// taskDefRoles lists the roles of a template that its task definitions
// reference.
func taskDefRoles(t *cfn.Template) map[string]bool {
	out := map[string]bool{}
	res := t.Root.Get("Resources")
	if res == nil || res.Kind != jsonpos.Object {
		return out
	}
	for _, m := range res.Members {
		typ, props := m.Value.Get("Type"), m.Value.Get("Properties")
		if typ == nil || typ.Str != "AWS::ECS::TaskDefinition" || props == nil {
			continue
		}
		for _, p := range []string{"TaskRoleArn", "ExecutionRoleArn"} {
			if v := props.Get(p); v != nil && v.Kind == jsonpos.String {
				if id, ok := cfn.RoleRef(v.Str); ok && t.ResourceType(id) == "AWS::IAM::Role" {
					out[id] = true
				}
			}
		}
	}
	return out
}

// sameRoleRefs writes a task definition's references to a role of its
// template as !GetAtt Role.Arn: !Ref Role (the role's name) names the same
// role, which is one role however its task definitions reference it. A
// role whose logical id other templates' task definitions use too is
// qualified by its template (cfn.Template.Qualifier).
func sameRoleRefs(t *cfn.Template, props *jsonpos.Value, templatesOf map[string]int) {
	for _, p := range []string{"TaskRoleArn", "ExecutionRoleArn"} {
		v := props.Get(p)
		if v == nil || v.Kind != jsonpos.String {
			continue
		}
		id, ok := cfn.RoleRef(v.Str)
		if !ok || t.ResourceType(id) != "AWS::IAM::Role" {
			continue
		}
		if templatesOf[id] > 1 {
			v.Str = "${" + t.Qualifier() + id + ".Arn}"
		} else {
			v.Str = "${" + id + ".Arn}"
		}
	}
}

// evalTaskDef evaluates the strings of a task definition through the
// template's references (cfn.Template.Eval): !Ref Bucket is the bucket's
// name, !GetAtt Queue.Arn the queue's ARN, !Ref Secret the secret's ARN,
// an import the export of another template. The roles are not: a role
// the template declares stays the parameter its reference names
// ({{TaskRole.Arn}}), the created role's own. What a container's values
// assume (a name CloudFormation generates) is an info diagnostic at the
// value. The environment values that are IAM patterns, and the ARNs of
// the resources that values identify without naming them (a KMS key id),
// are returned by variable name.
func (a *scanner) evalTaskDef(t *cfn.Template, props *jsonpos.Value, st cfn.Stack, done map[*jsonpos.Value]bool) (patterns, resources map[string]string) {
	eval := func(v *jsonpos.Value, container, what string) (cfn.Value, bool) {
		if v == nil || v.Kind != jsonpos.String || done[v] {
			return cfn.Value{}, false
		}
		done[v] = true
		if !strings.Contains(v.Str, "${") {
			return cfn.Value{Text: v.Str}, true
		}
		val := t.Eval(v.Str, st)
		if what != "" {
			for _, n := range val.Notes {
				a.inv.Diagnostics = append(a.inv.Diagnostics, source.Diagnostic{File: t.File.Name, Pos: t.File.Position(v.Offset),
					Severity: source.Info, Check: "template-value", Message: fmt.Sprintf("container %s: %s: %s", container, what, n)})
			}
		}
		v.Str = val.Text
		return val, true
	}
	roles := map[*jsonpos.Value]bool{}
	for _, p := range []string{"TaskRoleArn", "ExecutionRoleArn"} {
		if v := props.Get(p); v != nil {
			roles[v] = true
		}
	}
	if cds := props.Get("ContainerDefinitions"); cds != nil && cds.Kind == jsonpos.Array {
		for _, cd := range cds.Elems {
			container := "?"
			if n, ok := eval(cd.Get("Name"), "", ""); ok {
				container = n.Text
			}
			eval(cd.Get("Image"), container, "image")
			named := func(list *jsonpos.Value, valueKey, what string, each func(name string, val cfn.Value)) {
				if list == nil || list.Kind != jsonpos.Array {
					return
				}
				for _, e := range list.Elems {
					n := e.Get("Name")
					if n == nil || n.Kind != jsonpos.String {
						continue
					}
					if val, ok := eval(e.Get(valueKey), container, what+" "+n.Str); ok && each != nil {
						each(n.Str, val)
					}
				}
			}
			named(cd.Get("Environment"), "Value", "environment", func(name string, val cfn.Value) {
				if val.Pattern {
					if patterns == nil {
						patterns = map[string]string{}
					}
					patterns[name] = val.Text
				}
				if val.Resource != "" {
					if resources == nil {
						resources = map[string]string{}
					}
					resources[name] = val.Resource
				}
			})
			named(cd.Get("Secrets"), "ValueFrom", "secret", nil)
			if files := cd.Get("EnvironmentFiles"); files != nil && files.Kind == jsonpos.Array {
				for _, f := range files.Elems {
					eval(f.Get("Value"), container, "environment file")
				}
			}
			if lc := cd.Get("LogConfiguration"); lc != nil && lc.Kind == jsonpos.Object {
				if opts := lc.Get("Options"); opts != nil && opts.Kind == jsonpos.Object {
					for _, m := range opts.Members {
						eval(m.Value, container, "log option "+m.Key)
					}
				}
				named(lc.Get("SecretOptions"), "ValueFrom", "log configuration secret", nil)
			}
			if rc := cd.Get("RepositoryCredentials"); rc != nil {
				eval(rc.Get("CredentialsParameter"), container, "repository credentials")
			}
		}
	}
	// The rest (family, volumes, options of other containers' fields).
	var rest func(v *jsonpos.Value)
	rest = func(v *jsonpos.Value) {
		if roles[v] {
			return // resolveRefs's
		}
		switch v.Kind {
		case jsonpos.String:
			eval(v, "", "")
		case jsonpos.Array:
			for _, e := range v.Elems {
				rest(e)
			}
		case jsonpos.Object:
			for _, m := range v.Members {
				rest(m.Value)
			}
		}
	}
	rest(props)
	return patterns, resources
}

// resolveRefs rewrites the template placeholders in every string that
// evalTaskDef has not evaluated (the roles' references).
func resolveRefs(v *jsonpos.Value, region, account string, done map[*jsonpos.Value]bool) {
	switch v.Kind {
	case jsonpos.String:
		if done[v] {
			return
		}
		v.Str = cfnVarRe().ReplaceAllStringFunc(v.Str, func(m string) string {
			switch name := cfnVarRe().FindStringSubmatch(m)[1]; name {
			case "AWS.Region":
				return region
			case "AWS.AccountId":
				return account
			case "AWS.Partition":
				return "aws"
			case "AWS.URLSuffix":
				return "amazonaws.com"
			default:
				return need.Param(name)
			}
		})
	case jsonpos.Array:
		for _, e := range v.Elems {
			resolveRefs(e, region, account, done)
		}
	case jsonpos.Object:
		for _, m := range v.Members {
			resolveRefs(m.Value, region, account, done)
		}
	}
}
