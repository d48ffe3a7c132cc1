package scan

import (
	"errors"
	"fmt"
	"regexp"
	"strings"

	"github.com/iamfit/iamfit/internal/cfn"
	"github.com/iamfit/iamfit/internal/ecs"
	"github.com/iamfit/iamfit/internal/jsonpos"
	"github.com/iamfit/iamfit/internal/need"
	"github.com/iamfit/iamfit/internal/source"
)

var cfnVarRe = regexp.MustCompile(`\$\{([^}]+)\}`)

// templateTaskDefs adds the task definitions declared in CloudFormation
// templates (AWS::ECS::TaskDefinition) whose family the workflows do not
// already deploy from a file. Template references become parameters;
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
			sameRoleRefs(t, props)
			done := map[*jsonpos.Value]bool{}
			patterns := a.evalContainers(t, props, st, done)
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
			a.deployments = append(a.deployments, ecs.Deployment{TD: td, Region: region, Account: account, EnvPatterns: patterns})
		}
	}
}

// sameRoleRefs writes a task definition's !Ref Role (the role's name) as
// !GetAtt Role.Arn, for a role of the template: both name the same role,
// which is one role however its task definitions reference it.
func sameRoleRefs(t *cfn.Template, props *jsonpos.Value) {
	for _, p := range []string{"TaskRoleArn", "ExecutionRoleArn"} {
		v := props.Get(p)
		if v == nil || v.Kind != jsonpos.String {
			continue
		}
		if id, ok := cfn.RoleRef(v.Str); ok && v.Str == "${"+id+"}" && t.ResourceType(id) == "AWS::IAM::Role" {
			v.Str = "${" + id + ".Arn}"
		}
	}
}

// evalContainers evaluates, in each container definition, the values
// that name resources (environment variables and the image) through the
// template's references: !Ref Bucket is the bucket's name, !GetAtt
// Queue.Arn the queue's ARN, an import the export of another template.
// What a value assumes is an info diagnostic at the value; the values
// that are IAM patterns (a secret's ARN ends in characters AWS
// generates) are returned by variable name.
func (a *scanner) evalContainers(t *cfn.Template, props *jsonpos.Value, st cfn.Stack, done map[*jsonpos.Value]bool) map[string]string {
	var patterns map[string]string
	cds := props.Get("ContainerDefinitions")
	if cds == nil || cds.Kind != jsonpos.Array {
		return nil
	}
	for _, cd := range cds.Elems {
		container := "?"
		if n := cd.Get("Name"); n != nil && n.Kind == jsonpos.String {
			container = t.Eval(n.Str, st).Text
		}
		eval := func(v *jsonpos.Value, what string) (cfn.Value, bool) {
			if v == nil || v.Kind != jsonpos.String || !strings.Contains(v.Str, "${") {
				return cfn.Value{}, false
			}
			val := t.Eval(v.Str, st)
			done[v] = true
			for _, n := range val.Notes {
				a.inv.Diagnostics = append(a.inv.Diagnostics, source.Diagnostic{File: t.File.Name, Pos: t.File.Position(v.Offset),
					Severity: source.Info, Check: "template-value", Message: fmt.Sprintf("container %s: %s: %s", container, what, n)})
			}
			return val, true
		}
		if img := cd.Get("Image"); img != nil {
			if val, ok := eval(img, "image"); ok && !val.Pattern {
				img.Str = val.Text
			}
		}
		env := cd.Get("Environment")
		if env == nil || env.Kind != jsonpos.Array {
			continue
		}
		for _, e := range env.Elems {
			n, v := e.Get("Name"), e.Get("Value")
			if n == nil || n.Kind != jsonpos.String {
				continue
			}
			val, ok := eval(v, "environment "+n.Str)
			if !ok {
				continue
			}
			v.Str = val.Text
			if val.Pattern {
				if patterns == nil {
					patterns = map[string]string{}
				}
				patterns[n.Str] = val.Text
			}
		}
	}
	return patterns
}

// resolveRefs rewrites the template placeholders in every string that
// evalContainers has not evaluated.
func resolveRefs(v *jsonpos.Value, region, account string, done map[*jsonpos.Value]bool) {
	switch v.Kind {
	case jsonpos.String:
		if done[v] {
			return
		}
		v.Str = cfnVarRe.ReplaceAllStringFunc(v.Str, func(m string) string {
			switch name := cfnVarRe.FindStringSubmatch(m)[1]; name {
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
