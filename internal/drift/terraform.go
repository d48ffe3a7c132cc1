package drift

import (
	"encoding/json"
	"fmt"
	"sort"
	"strings"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/zclconf/go-cty/cty"
	"github.com/zclconf/go-cty/cty/function"
	"github.com/zclconf/go-cty/cty/function/stdlib"

	"github.com/iamfit/iamfit/internal/jsonpos"
	"github.com/iamfit/iamfit/internal/source"
)

// tfFuncs are the Terraform functions a policy expression may call.
var tfFuncs = map[string]function.Function{
	"jsonencode": stdlib.JSONEncodeFunc,
	"jsondecode": stdlib.JSONDecodeFunc,
	"format":     stdlib.FormatFunc,
	"join":       stdlib.JoinFunc,
	"concat":     stdlib.ConcatFunc,
	"merge":      stdlib.MergeFunc,
	"flatten":    stdlib.FlattenFunc,
	"distinct":   stdlib.DistinctFunc,
	"lower":      stdlib.LowerFunc,
	"upper":      stdlib.UpperFunc,
	"replace":    stdlib.ReplaceFunc,
	"tolist":     stdlib.MakeToFunc(cty.List(cty.DynamicPseudoType)),
	"toset":      stdlib.MakeToFunc(cty.Set(cty.DynamicPseudoType)),
	"tostring":   stdlib.MakeToFunc(cty.String),
}

// tfPlaceholder is the value a reference takes: data sources of the
// account, region and partition become iamfit's parameters and "aws",
// variables {{name}}, anything else {{address}}.
func tfPlaceholder(tr hcl.Traversal, docs map[string]string) string {
	parts := traversalParts(tr)
	addr := strings.Join(parts, ".")
	if len(parts) >= 4 && parts[0] == "data" {
		switch parts[1] + "." + parts[3] {
		case "aws_caller_identity.account_id":
			return "{{AccountId}}"
		case "aws_region.name", "aws_region.region", "aws_region.id":
			return "{{Region}}"
		case "aws_partition.partition":
			return "aws"
		case "aws_partition.dns_suffix":
			return "amazonaws.com"
		case "aws_iam_policy_document.json", "aws_iam_policy_document.minified_json":
			if d, ok := docs[strings.Join(parts[:3], ".")]; ok {
				return d
			}
		}
	}
	if len(parts) == 2 && parts[0] == "var" {
		return "{{" + parts[1] + "}}"
	}
	return "{{" + addr + "}}"
}

func traversalParts(tr hcl.Traversal) []string {
	var parts []string
	for _, t := range tr {
		switch t := t.(type) {
		case hcl.TraverseRoot:
			parts = append(parts, t.Name)
		case hcl.TraverseAttr:
			parts = append(parts, t.Name)
		case hcl.TraverseIndex:
			if t.Key.Type() == cty.String {
				parts = append(parts, t.Key.AsString())
			} else if t.Key.Type() == cty.Number {
				parts = append(parts, t.Key.AsBigFloat().String())
			}
		default:
			return parts
		}
	}
	return parts
}

// tfEval evaluates an expression with every reference a placeholder
// string.
func tfEval(expr hcl.Expression, docs map[string]string) (cty.Value, hcl.Diagnostics) {
	tree := map[string]any{}
	for _, tr := range expr.Variables() {
		parts := traversalParts(tr)
		if len(parts) == 0 {
			continue
		}
		node := tree
		ok := true
		for _, p := range parts[:len(parts)-1] {
			next, exists := node[p]
			if !exists {
				m := map[string]any{}
				node[p] = m
				node = m
				continue
			}
			if m, isMap := next.(map[string]any); isMap {
				node = m
			} else {
				ok = false
				break
			}
		}
		if ok {
			if _, exists := node[parts[len(parts)-1]]; !exists {
				node[parts[len(parts)-1]] = tfPlaceholder(tr, docs)
			}
		}
	}
	vars := map[string]cty.Value{}
	for k, v := range tree {
		vars[k] = toCty(v)
	}
	return expr.Value(&hcl.EvalContext{Variables: vars, Functions: tfFuncs})
}

func toCty(v any) cty.Value {
	switch v := v.(type) {
	case string:
		return cty.StringVal(v)
	case map[string]any:
		m := map[string]cty.Value{}
		for k, x := range v {
			m[k] = toCty(x)
		}
		return cty.ObjectVal(m)
	}
	return cty.NilVal
}

// tfString evaluates an attribute that must be a string.
func tfString(attr *hclsyntax.Attribute, docs map[string]string) (string, bool) {
	if attr == nil {
		return "", false
	}
	v, diags := tfEval(attr.Expr, docs)
	if diags.HasErrors() || !v.IsKnown() || v.IsNull() || v.Type() != cty.String {
		return "", false
	}
	return v.AsString(), true
}

// tfStrings evaluates an attribute that is a list (or set) of strings.
func tfStrings(attr *hclsyntax.Attribute, docs map[string]string) []string {
	if attr == nil {
		return nil
	}
	v, diags := tfEval(attr.Expr, docs)
	if diags.HasErrors() || !v.IsKnown() || v.IsNull() || !v.CanIterateElements() {
		return nil
	}
	var out []string
	for it := v.ElementIterator(); it.Next(); {
		_, e := it.Element()
		if e.IsKnown() && !e.IsNull() && e.Type() == cty.String {
			out = append(out, e.AsString())
		}
	}
	return out
}

// policyDocument builds the JSON of a data "aws_iam_policy_document"
// block from its statement blocks.
func policyDocument(b *hclsyntax.Block, docs map[string]string) string {
	type cond map[string]map[string][]string
	var stmts []map[string]any
	for _, sb := range b.Body.Blocks {
		if sb.Type != "statement" {
			continue
		}
		st := map[string]any{"Effect": "Allow"}
		a := sb.Body.Attributes
		if s, ok := tfString(a["sid"], docs); ok {
			st["Sid"] = s
		}
		if s, ok := tfString(a["effect"], docs); ok {
			st["Effect"] = s
		}
		for attr, key := range map[string]string{"actions": "Action", "not_actions": "NotAction", "resources": "Resource", "not_resources": "NotResource"} {
			if a[attr] != nil {
				st[key] = tfStrings(a[attr], docs)
			}
		}
		c := cond{}
		for _, cb := range sb.Body.Blocks {
			if cb.Type != "condition" {
				continue
			}
			test, _ := tfString(cb.Body.Attributes["test"], docs)
			variable, _ := tfString(cb.Body.Attributes["variable"], docs)
			if c[test] == nil {
				c[test] = map[string][]string{}
			}
			c[test][variable] = append(c[test][variable], tfStrings(cb.Body.Attributes["values"], docs)...)
		}
		if len(c) > 0 {
			st["Condition"] = c
		}
		stmts = append(stmts, st)
	}
	data, _ := json.Marshal(map[string]any{"Version": "2012-10-17", "Statement": stmts})
	return string(data)
}

func readTerraform(f *source.File) ([]*Kept, []source.Diagnostic, error) {
	file, diags := hclsyntax.ParseConfig(f.Data, f.Name, hcl.InitialPos)
	if diags.HasErrors() {
		return nil, nil, fmt.Errorf("%s", diags.Error())
	}
	body := file.Body.(*hclsyntax.Body)
	docs := map[string]string{}
	for _, b := range body.Blocks {
		if b.Type == "data" && len(b.Labels) == 2 && b.Labels[0] == "aws_iam_policy_document" {
			docs["data.aws_iam_policy_document."+b.Labels[1]] = policyDocument(b, docs)
		}
	}
	var out []*Kept
	var notes []source.Diagnostic
	roles := map[string]*Kept{}   // address -> role
	policies := map[string]*Doc{} // "{{aws_iam_policy.x.arn}}" -> document
	pos := func(r hcl.Range) source.Pos { return source.Pos{Line: r.Start.Line, Col: r.Start.Column} }
	doc := func(b *hclsyntax.Block, attr *hclsyntax.Attribute, what string) (*Doc, error) {
		text, ok := tfString(attr, docs)
		if !ok {
			return nil, fmt.Errorf("%s:%d: %s.%s: %s is not a policy iamfit can read (jsonencode, a heredoc or aws_iam_policy_document)", f.Name, attr.SrcRange.Start.Line, b.Labels[0], b.Labels[1], what)
		}
		name := fmt.Sprintf("%s:%d %s.%s %s", f.Name, attr.SrcRange.Start.Line, b.Labels[0], b.Labels[1], what)
		sf := source.NewFile(name, []byte(text))
		root, errs := jsonpos.Parse(sf.Data)
		if len(errs) > 0 {
			return nil, fmt.Errorf("%s: invalid JSON: %s", name, errs[0].Msg)
		}
		return &Doc{Where: name, File: sf, Root: root, Synthetic: true}, nil
	}
	type attachment struct {
		role string
		doc  *Doc
		arn  string
		addr string
		pos  source.Pos
	}
	var attachments []attachment
	for _, b := range body.Blocks {
		if b.Type != "resource" || len(b.Labels) != 2 {
			continue
		}
		addr := b.Labels[0] + "." + b.Labels[1]
		a := b.Body.Attributes
		switch b.Labels[0] {
		case "aws_iam_role":
			k := &Kept{ID: addr, File: f.Name, Pos: pos(b.TypeRange)}
			k.Name, _ = tfString(a["name"], docs)
			for _, ib := range b.Body.Blocks {
				if ib.Type == "inline_policy" && ib.Body.Attributes["policy"] != nil {
					d, err := doc(b, ib.Body.Attributes["policy"], "inline_policy")
					if err != nil {
						return nil, nil, err
					}
					k.Docs = append(k.Docs, d)
				}
			}
			k.Unresolved = tfStrings(a["managed_policy_arns"], docs)
			roles[addr] = k
			out = append(out, k)
		case "aws_iam_policy":
			if a["policy"] == nil {
				continue
			}
			d, err := doc(b, a["policy"], "policy")
			if err != nil {
				return nil, nil, err
			}
			policies["{{"+addr+".arn}}"] = d
			policies["{{"+addr+".id}}"] = d
		case "aws_iam_role_policy":
			if a["policy"] == nil {
				continue
			}
			d, err := doc(b, a["policy"], "policy")
			if err != nil {
				return nil, nil, err
			}
			role, _ := tfString(a["role"], docs)
			attachments = append(attachments, attachment{role: role, doc: d, addr: addr, pos: pos(b.TypeRange)})
		case "aws_iam_role_policy_attachment":
			role, _ := tfString(a["role"], docs)
			arn, _ := tfString(a["policy_arn"], docs)
			attachments = append(attachments, attachment{role: role, arn: arn, addr: addr, pos: pos(b.TypeRange)})
		}
	}
	find := func(ref string) *Kept {
		for addr, k := range roles {
			if ref == "{{"+addr+".id}}" || ref == "{{"+addr+".name}}" || k.Name != "" && ref == k.Name {
				return k
			}
		}
		return nil
	}
	for _, at := range attachments {
		k := find(at.role)
		if k == nil {
			if strings.Contains(at.role, "{{aws_iam_role.") || at.role == "" {
				notes = append(notes, source.Diagnostic{File: f.Name, Pos: at.pos, Severity: source.Info, Check: "check",
					Message: fmt.Sprintf("%s attaches to %q, a role this file does not declare: not compared", at.addr, at.role)})
				continue
			}
			// A policy for a role made elsewhere, named here.
			k = &Kept{Name: at.role, ID: at.addr, File: f.Name, Pos: at.pos}
			roles[at.addr] = k
			out = append(out, k)
		}
		switch {
		case at.doc != nil:
			k.Docs = append(k.Docs, at.doc)
		case policies[at.arn] != nil:
			k.Docs = append(k.Docs, policies[at.arn])
		default:
			k.Unresolved = append(k.Unresolved, at.arn)
		}
	}
	for _, k := range out {
		var left []string
		for _, arn := range k.Unresolved {
			if d := policies[arn]; d != nil {
				k.Docs = append(k.Docs, d)
			} else {
				left = append(left, arn)
			}
		}
		k.Unresolved = left
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].Pos.Line < out[j].Pos.Line })
	return out, notes, nil
}
