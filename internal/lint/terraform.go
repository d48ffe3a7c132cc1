package lint

import (
	"github.com/iamfit/iamfit/internal/catalog"
	"github.com/iamfit/iamfit/internal/policy"
	"github.com/iamfit/iamfit/internal/source"
	"github.com/iamfit/iamfit/internal/tf"
)

// Terraform lints every policy document of a Terraform configuration (a
// .tf file): aws_iam_policy_document data sources, and the jsonencode,
// heredoc and string policies of aws_iam_policy, aws_iam_role_policy,
// aws_iam_role and the resource-policy resources. Findings carry their
// positions in the .tf file. A file HCL cannot parse gets one
// template-syntax finding, never a JSON syntax error.
func Terraform(f *source.File, cat *catalog.Catalog, checks []*Check) []source.Diagnostic {
	docs, err := tf.Parse(f)
	if err != nil {
		pos := source.Pos{Line: 1, Col: 1}
		msg := err.Error()
		if e, ok := err.(*tf.Error); ok {
			pos, msg = e.Pos, e.Msg
		}
		return Policy(f, nil, []source.Diagnostic{{File: f.Name, Pos: pos, Severity: source.Error, Message: msg, Check: TemplateSyntax.ID}}, policy.Any, cat, checks)
	}
	var out []source.Diagnostic
	for _, d := range docs {
		if d.Value == nil {
			out = append(out, Policy(f, nil, d.Diagnostics, d.Type, cat, checks)...)
			continue
		}
		typ := d.Type
		if typ == policy.Any {
			typ = detectJSON(d.Value)
		}
		doc, diags := policy.ParseValue(f, d.Value, typ)
		out = append(out, Policy(f, doc, append(d.Diagnostics, diags...), typ, cat, checks)...)
	}
	source.Sort(out)
	return source.Dedupe(out)
}
