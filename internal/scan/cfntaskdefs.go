package scan

import (
	"errors"
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
	hasTaskDef := func(data []byte) bool { return strings.Contains(string(data), "AWS::ECS::TaskDefinition") }
	cfn.Templates(a.tree, hasTaskDef, func(f *source.File, t *cfn.Template, err error) {
		if err != nil {
			// The template's own error carries the position.
			pos, msg := source.Pos{Line: 1, Col: 1}, err.Error()
			var perr *cfn.Error
			if errors.As(err, &perr) {
				pos, msg = perr.Pos, perr.Msg
			}
			a.warnf(f.Name, pos, "template", "cannot read template: %s", msg)
			return
		}
		res := t.Root.Get("Resources")
		if res == nil {
			return
		}
		for _, m := range res.Members {
			typ, props := m.Value.Get("Type"), m.Value.Get("Properties")
			if typ == nil || typ.Str != "AWS::ECS::TaskDefinition" || props == nil {
				continue
			}
			resolveRefs(props, region, account)
			td, diags := ecs.FromValue(f, props)
			a.inv.Diagnostics = append(a.inv.Diagnostics, diags...)
			if td.Family == nil {
				td.Family = &ecs.String{Value: need.Param(m.Key + "Family"), Pos: f.Position(m.KeyOffset)}
			}
			if known[td.Family.Value] {
				continue
			}
			known[td.Family.Value] = true
			a.deployments = append(a.deployments, ecs.Deployment{TD: td, Region: region, Account: account})
		}
	})
}

// resolveRefs rewrites the template placeholders in every string.
func resolveRefs(v *jsonpos.Value, region, account string) {
	switch v.Kind {
	case jsonpos.String:
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
			resolveRefs(e, region, account)
		}
	case jsonpos.Object:
		for _, m := range v.Members {
			resolveRefs(m.Value, region, account)
		}
	}
}
