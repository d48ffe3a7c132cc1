package scan

import (
	"fmt"
	"path"
	"regexp"
	"sort"
	"strings"

	"github.com/iamfit/iamfit/internal/ecs"
	"github.com/iamfit/iamfit/internal/jsonpos"
	"github.com/iamfit/iamfit/internal/need"
	"github.com/iamfit/iamfit/internal/source"
	"github.com/iamfit/iamfit/internal/tf"
)

// terraformTaskDefs adds the task definitions declared in the
// repository's Terraform configurations (aws_ecs_task_definition) whose
// family the workflows and templates do not already deploy. tf evaluates
// their values through the configuration (what each resource type's
// attributes are, variables, locals, local modules); the region is the
// aws provider's, else the deploy role's, and the account the deploy
// role's, else parameters. A variable that a workflow may set at apply
// (TF_VAR_X, -var X=..., any -var-file) is a parameter, not its default.
func (a *scanner) terraformTaskDefs() {
	region, account := "", ""
	for _, r := range a.roles.List() {
		if r.Kind == need.Deploy {
			region = r.Region
			if !need.HasParams(r.Account) {
				account = r.Account
			}
			break
		}
	}
	opt := tf.Options{Region: region, Account: account}
	opt.Overridden, opt.VarFile, opt.VarFileWhy = a.tfVarsSet()
	tds, diags := tf.TaskDefinitions(a.tree, opt)
	a.inv.Diagnostics = append(a.inv.Diagnostics, diags...)
	known := map[string]bool{}
	for _, d := range a.deployments {
		if d.TD.Family != nil {
			known[d.TD.Family.Value] = true
		}
	}
	tfFamilies := map[string]bool{}
	tfRoles := map[string]string{}
	for _, t := range tds {
		a.inv.Diagnostics = append(a.inv.Diagnostics, t.Notes...)
		a.inv.Diagnostics = append(a.inv.Diagnostics, t.Warnings...)
		root := &jsonpos.Value{Kind: jsonpos.Object, Offset: t.File.Offset(t.Pos)}
		add := func(key string, v *jsonpos.Value) {
			if v != nil {
				root.Members = append(root.Members, jsonpos.Member{Key: key, KeyOffset: v.Offset, Value: v})
			}
		}
		add("family", t.Family)
		add("executionRoleArn", t.ExecutionRole)
		add("taskRoleArn", t.TaskRole)
		add("containerDefinitions", &jsonpos.Value{Kind: jsonpos.Array, Offset: root.Offset})
		td, tdDiags := ecs.FromValue(t.File, root)
		a.inv.Diagnostics = append(a.inv.Diagnostics, tdDiags...)
		if t.Containers != nil {
			cs, csDiags := ecs.FromValue(t.ContainersFile, &jsonpos.Value{Kind: jsonpos.Object, Offset: t.Containers.Offset,
				Members: []jsonpos.Member{{Key: "containerDefinitions", KeyOffset: t.Containers.Offset, Value: t.Containers}}})
			a.inv.Diagnostics = append(a.inv.Diagnostics, csDiags...)
			for _, c := range cs.Containers {
				if t.ContainersFile != t.File {
					c.File = t.ContainersFile.Name
				}
				td.Containers = append(td.Containers, c)
			}
		}
		if td.Family == nil {
			td.Family = &ecs.String{Value: need.Param(need.Identifier(t.Address) + "Family"), Pos: t.Pos}
		}
		if known[td.Family.Value] {
			if !tfFamilies[td.Family.Value] {
				a.inv.Diagnostics = append(a.inv.Diagnostics, source.Diagnostic{File: t.File.Name, Pos: t.Pos, Severity: source.Info, Check: tf.CheckValue,
					Message: fmt.Sprintf("%s: family %s is the one the workflows or a template deploy: its roles are read from there, not from here", t.Address, td.Family.Value)})
				continue
			}
			if same := tfRoles[td.Family.Value]; same == rolesKey(td) {
				continue // the same task definition, read again (another root module calls the same module alike)
			}
		}
		known[td.Family.Value] = true
		tfFamilies[td.Family.Value] = true
		tfRoles[td.Family.Value] = rolesKey(td)
		a.inv.Files[t.File.Name] = t.File
		for _, f := range t.Files {
			a.inv.Files[f.Name] = f
		}
		a.deployments = append(a.deployments, ecs.Deployment{TD: td, Region: t.Region, Account: t.Account,
			EnvPatterns: t.EnvPatterns, EnvResources: t.EnvResources, ExecuteCommand: t.ExecuteCommand})
		for _, r := range []struct {
			arn  *ecs.String
			at   *tf.RoleAt
			what string
		}{{td.ExecutionRoleARN, t.ExecutionRoleAt, "execution_role_arn"}, {td.TaskRoleARN, t.TaskRoleAt, "task_role_arn"}} {
			if r.arn == nil || r.at == nil {
				continue
			}
			if a.declared == nil {
				a.declared = map[string]*need.Declaration{}
			}
			key := roleARN(r.arn.Value, t.Account)
			if _, seen := a.declared[key]; !seen {
				a.declared[key] = &need.Declaration{File: r.at.File, Pos: r.at.Pos, Address: r.at.Address, Module: r.at.Module,
					By: fmt.Sprintf("the %s of %s, %s:%d", r.what, t.Address, t.File.Name, r.arn.Pos.Line)}
			}
		}
	}
}

// rolesKey is a task definition's roles, to tell two of one family apart.
func rolesKey(td *ecs.TaskDefinition) string {
	k := ""
	for _, r := range []*ecs.String{td.ExecutionRoleARN, td.TaskRoleARN} {
		if r != nil {
			k += r.Value
		}
		k += "\x00"
	}
	return k
}

var (
	tfVarEnvRe  = regexp.MustCompile(`\bTF_VAR_([A-Za-z_][A-Za-z0-9_-]*)`)
	tfVarFlagRe = regexp.MustCompile(`-var[= ]+['"]?([A-Za-z_][A-Za-z0-9_-]*)=`)
	tfVarFileRe = regexp.MustCompile(`-var-file[= ]+['"]?([^\s'"]+)`)
)

// workspacePrefixes are how a workflow names the checkout's root.
var workspacePrefixes = []string{"$GITHUB_WORKSPACE/", "${GITHUB_WORKSPACE}/", "./"}

// tfVarsSet reads what the repository's workflows and actions give the
// root modules' variables at apply: the names a TF_VAR_X variable or a
// -var X=... option sets (why returns why, or ""), and the one
// repository file they pass with -var-file. A -var-file iamfit cannot
// tell (a path from an expression, two different files) may set any
// variable.
func (a *scanner) tfVarsSet() (why func(string) string, varFile, varFileWhy string) {
	byName := map[string]string{}
	anyVar := ""
	files := map[string]string{} // repository file -> where a workflow passes it
	for _, e := range a.tree.Files {
		if !strings.HasPrefix(e.Name, ".github/") || path.Ext(e.Name) != ".yml" && path.Ext(e.Name) != ".yaml" {
			continue
		}
		f, err := a.tree.Read(e.Name)
		if err != nil {
			continue
		}
		// The checkout's root as an expression, without its spaces (the
		// offsets stay the line's).
		text := strings.NewReplacer("${{ github.workspace }}", "      $GITHUB_WORKSPACE",
			"${{github.workspace}}", "    $GITHUB_WORKSPACE").Replace(string(f.Data))
		at := func(off int) string { return fmt.Sprintf("%s:%d", f.Name, f.Position(off).Line) }
		for _, m := range tfVarEnvRe.FindAllStringSubmatchIndex(text, -1) {
			name := text[m[2]:m[3]]
			if _, seen := byName[name]; !seen {
				byName[name] = "a workflow sets TF_VAR_" + name + " (" + at(m[0]) + ")"
			}
		}
		for _, m := range tfVarFlagRe.FindAllStringSubmatchIndex(text, -1) {
			name := text[m[2]:m[3]]
			if _, seen := byName[name]; !seen {
				byName[name] = "a workflow passes -var " + name + "=... (" + at(m[0]) + ")"
			}
		}
		for _, m := range tfVarFileRe.FindAllStringSubmatchIndex(text, -1) {
			p := text[m[2]:m[3]]
			as := string(f.Data[m[0]:m[3]]) // as written: the replacements keep the offsets
			if name := a.repoFile(p); name != "" {
				if _, seen := files[name]; !seen {
					files[name] = "a workflow passes " + as + " (" + at(m[0]) + ")"
				}
			} else if anyVar == "" {
				anyVar = "a workflow passes " + as + " (" + at(m[0]) + "), which iamfit cannot read and may set any variable"
			}
		}
	}
	if len(files) == 1 && anyVar == "" {
		for name, w := range files {
			varFile, varFileWhy = name, w
		}
	} else if len(files) > 1 && anyVar == "" {
		var names []string
		for name := range files {
			names = append(names, name)
		}
		sort.Strings(names)
		anyVar = "the workflows pass different -var-files (" + strings.Join(names, ", ") + "), which may set any variable"
	}
	return func(name string) string {
		if why, ok := byName[name]; ok {
			return why
		}
		return anyVar
	}, varFile, varFileWhy
}

// repoFile returns the repository file a workflow's path names: from the
// checkout's root, or the one file of the repository the path ends with;
// "" when it names none (or is computed).
func (a *scanner) repoFile(p string) string {
	for _, pre := range workspacePrefixes {
		p = strings.TrimPrefix(p, pre)
	}
	if strings.ContainsAny(p, "${}") || p == "" {
		return ""
	}
	p = path.Clean(p)
	if a.tree.Has(p) {
		return p
	}
	found := ""
	for _, e := range a.tree.Files {
		if strings.HasSuffix(e.Name, "/"+p) {
			if found != "" {
				return ""
			}
			found = e.Name
		}
	}
	return found
}
