// Package tf finds the IAM policy documents of Terraform configurations
// (.tf files) and reads them into the JSON trees that policy.ParseValue
// takes, with every value at its position in the .tf file.
//
// It reads aws_iam_policy_document data sources (statement blocks with
// their principals and conditions), and the policy arguments of the
// resources that hold policies (aws_iam_policy, aws_iam_role_policy,
// aws_iam_role's assume_role_policy and inline_policy, bucket, queue, topic
// and repository policies) when written as jsonencode({...}) or as a
// heredoc or string of JSON. References and interpolations that only
// Terraform can evaluate become "${...}" strings, which the checks treat as
// unknown, as they treat CloudFormation's intrinsic functions; a policy
// argument that is a reference (data.aws_iam_policy_document.x.json,
// file(...)) is skipped: its document is linted where it is written.
package tf

import (
	"fmt"
	"sort"
	"strings"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/zclconf/go-cty/cty"

	"github.com/iamfit/iamfit/internal/jsonpos"
	"github.com/iamfit/iamfit/internal/policy"
	"github.com/iamfit/iamfit/internal/source"
)

// Document is one policy document found in a configuration.
type Document struct {
	// Address is the Terraform address of the block that holds it:
	// "data.aws_iam_policy_document.deploy", "aws_iam_role.ci".
	Address string
	// Where names the argument: "policy", "assume_role_policy",
	// "inline_policy[0].policy", or "" for a policy document data source.
	Where string
	// Type is the policy type the argument takes; policy.Any when the
	// document may be of any type (a data source).
	Type policy.Type
	// Value is the document as JSON, with offsets into the .tf file.
	Value *jsonpos.Value
	// Diagnostics are problems found reading it (JSON syntax errors in a
	// heredoc), with positions in the .tf file.
	Diagnostics []source.Diagnostic
}

// Error is a configuration that HCL cannot parse, with its position.
type Error struct {
	Pos source.Pos
	Msg string
}

func (e *Error) Error() string { return fmt.Sprintf("%d:%d: %s", e.Pos.Line, e.Pos.Col, e.Msg) }

// policyArgs lists, per resource type, the arguments that hold a policy
// document and the policy type they take.
var policyArgs = map[string][]struct {
	arg string
	typ policy.Type
}{
	"aws_iam_policy":            {{"policy", policy.Identity}},
	"aws_iam_role_policy":       {{"policy", policy.Identity}},
	"aws_iam_user_policy":       {{"policy", policy.Identity}},
	"aws_iam_group_policy":      {{"policy", policy.Identity}},
	"aws_iam_role":              {{"assume_role_policy", policy.Trust}},
	"aws_s3_bucket_policy":      {{"policy", policy.Resource}},
	"aws_sqs_queue_policy":      {{"policy", policy.Resource}},
	"aws_sns_topic_policy":      {{"policy", policy.Resource}},
	"aws_ecr_repository_policy": {{"policy", policy.Resource}},
	"aws_kms_key":               {{"policy", policy.Resource}},
	"aws_secretsmanager_secret": {{"policy", policy.Resource}},
	"aws_organizations_policy":  {{"content", policy.Any}},
}

// CheckHCL is the check id of HCL syntax errors.
const CheckHCL = "template-syntax"

// Parse reads a .tf file and returns its policy documents in file order.
func Parse(f *source.File) ([]Document, error) {
	file, diags := hclsyntax.ParseConfig(f.Data, f.Name, hcl.Pos{Line: 1, Column: 1, Byte: 0})
	if diags.HasErrors() {
		d := diags[0]
		pos := source.Pos{Line: 1, Col: 1}
		if d.Subject != nil {
			pos = f.Position(d.Subject.Start.Byte)
		}
		msg := d.Summary
		if d.Detail != "" {
			msg += ": " + d.Detail
		}
		return nil, &Error{Pos: pos, Msg: msg}
	}
	body, ok := file.Body.(*hclsyntax.Body)
	if !ok {
		return nil, nil
	}
	r := &reader{f: f}
	var out []Document
	for _, b := range body.Blocks {
		switch {
		case b.Type == "data" && len(b.Labels) == 2 && b.Labels[0] == "aws_iam_policy_document":
			out = append(out, Document{Address: "data." + b.Labels[0] + "." + b.Labels[1], Type: policy.Any, Value: r.document(b.Body)})
		case b.Type == "resource" && len(b.Labels) == 2:
			addr := b.Labels[0] + "." + b.Labels[1]
			for _, pa := range policyArgs[b.Labels[0]] {
				if a := b.Body.Attributes[pa.arg]; a != nil {
					out = r.appendArg(out, addr, pa.arg, pa.typ, a.Expr)
				}
			}
			if b.Labels[0] == "aws_iam_role" {
				n := 0
				for _, ib := range b.Body.Blocks {
					if ib.Type != "inline_policy" {
						continue
					}
					if a := ib.Body.Attributes["policy"]; a != nil {
						out = r.appendArg(out, addr, fmt.Sprintf("inline_policy[%d].policy", n), policy.Identity, a.Expr)
					}
					n++
				}
			}
		}
	}
	return out, nil
}

type reader struct {
	f     *source.File
	diags []source.Diagnostic
}

// appendArg adds the document of a policy argument, when it is written
// in the file.
func (r *reader) appendArg(out []Document, addr, where string, typ policy.Type, e hclsyntax.Expression) []Document {
	var v *jsonpos.Value
	r.diags = nil
	switch x := e.(type) {
	case *hclsyntax.FunctionCallExpr:
		if x.Name != "jsonencode" || len(x.Args) != 1 {
			return out
		}
		v = r.value(x.Args[0])
	case *hclsyntax.TemplateExpr:
		v = r.jsonText(x)
	default:
		return out // a reference or another function: linted where it is written, or unknown
	}
	if v == nil && len(r.diags) == 0 {
		return out
	}
	return append(out, Document{Address: addr, Where: where, Type: typ, Value: v, Diagnostics: r.diags})
}

// jsonText parses a string or heredoc of JSON in place: the raw bytes of
// its content are JSON whose offsets are shifted to the file's.
func (r *reader) jsonText(x *hclsyntax.TemplateExpr) *jsonpos.Value {
	start, end := x.SrcRange.Start.Byte, x.SrcRange.End.Byte
	raw := string(r.f.Data[start:end])
	switch {
	case strings.HasPrefix(raw, "<<"):
		nl := strings.IndexByte(raw, '\n')
		last := strings.LastIndexByte(strings.TrimRight(raw, "\n"), '\n')
		if nl < 0 || last <= nl {
			return nil
		}
		start, end = start+nl+1, start+last+1
	case strings.HasPrefix(raw, `"`):
		// A one-line string of JSON needs its escapes decoded: use the
		// literal value and give every position the string's.
		if len(x.Parts) != 1 {
			return nil
		}
		lit, ok := x.Parts[0].(*hclsyntax.LiteralValueExpr)
		if !ok || lit.Val.Type() != cty.String {
			return nil
		}
		root, errs := jsonpos.Parse([]byte(lit.Val.AsString()))
		if len(errs) > 0 || root == nil {
			return nil
		}
		pin(root, start)
		return root
	default:
		return nil
	}
	root, errs := jsonpos.Parse(r.f.Data[start:end])
	for _, e := range errs {
		r.diags = append(r.diags, source.Diagnostic{File: r.f.Name, Pos: r.f.Position(start + e.Offset),
			Severity: source.Error, Message: e.Msg, Check: policy.CheckJSON})
	}
	if root != nil {
		shift(root, start)
	}
	return root
}

func shift(v *jsonpos.Value, by int) {
	v.Offset += by
	v.End += by
	for _, e := range v.Elems {
		shift(e, by)
	}
	for i := range v.Members {
		v.Members[i].KeyOffset += by
		shift(v.Members[i].Value, by)
	}
}

func pin(v *jsonpos.Value, at int) {
	v.Offset, v.End = at, at
	for _, e := range v.Elems {
		pin(e, at)
	}
	for i := range v.Members {
		v.Members[i].KeyOffset = at
		pin(v.Members[i].Value, at)
	}
}

// value converts an HCL expression into JSON: objects, tuples, literals
// and templates; anything Terraform evaluates becomes a "${...}" string.
func (r *reader) value(e hclsyntax.Expression) *jsonpos.Value {
	rng := e.Range()
	at := &jsonpos.Value{Offset: rng.Start.Byte, End: rng.End.Byte}
	switch x := e.(type) {
	case *hclsyntax.ObjectConsExpr:
		at.Kind = jsonpos.Object
		for _, it := range x.Items {
			key, ok := r.key(it.KeyExpr)
			if !ok {
				continue
			}
			at.Members = append(at.Members, jsonpos.Member{Key: key, KeyOffset: it.KeyExpr.Range().Start.Byte, Value: r.value(it.ValueExpr)})
		}
	case *hclsyntax.TupleConsExpr:
		at.Kind = jsonpos.Array
		for _, el := range x.Exprs {
			at.Elems = append(at.Elems, r.value(el))
		}
	case *hclsyntax.LiteralValueExpr:
		literal(at, x.Val)
	case *hclsyntax.TemplateExpr:
		at.Kind = jsonpos.String
		var b strings.Builder
		for _, p := range x.Parts {
			if lit, ok := p.(*hclsyntax.LiteralValueExpr); ok && lit.Val.Type() == cty.String && lit.Val.IsKnown() {
				b.WriteString(lit.Val.AsString())
				continue
			}
			b.WriteString(r.unknown(p))
		}
		at.Str = b.String()
	case *hclsyntax.TemplateWrapExpr:
		at.Kind, at.Str = jsonpos.String, r.unknown(x.Wrapped)
	default:
		at.Kind, at.Str = jsonpos.String, r.unknown(e)
	}
	return at
}

func literal(at *jsonpos.Value, v cty.Value) {
	switch {
	case v.IsNull() || !v.IsKnown():
		at.Kind = jsonpos.Null
	case v.Type() == cty.String:
		at.Kind, at.Str = jsonpos.String, v.AsString()
	case v.Type() == cty.Bool:
		at.Kind, at.Bool = jsonpos.Bool, v.True()
	case v.Type() == cty.Number:
		at.Kind, at.Str = jsonpos.Number, v.AsBigFloat().Text('g', -1)
	default:
		at.Kind = jsonpos.Null
	}
}

// key returns an object key: a name or a literal string.
func (r *reader) key(e hclsyntax.Expression) (string, bool) {
	if k, ok := e.(*hclsyntax.ObjectConsKeyExpr); ok {
		if !k.ForceNonLiteral {
			if t, d := hcl.AbsTraversalForExpr(k.Wrapped); !d.HasErrors() && len(t) == 1 {
				return t.RootName(), true
			}
		}
		e = k.Wrapped
	}
	v := r.value(e)
	return v.Str, v.Kind == jsonpos.String
}

// unknown renders an expression Terraform evaluates as "${source}", with
// any "::" turned into "." so that it cannot split an ARN.
func (r *reader) unknown(e hclsyntax.Expression) string {
	rng := e.Range()
	src := strings.TrimSpace(string(r.f.Data[rng.Start.Byte:rng.End.Byte]))
	src = strings.TrimSuffix(strings.TrimPrefix(src, "${"), "}")
	src = strings.ReplaceAll(strings.Join(strings.Fields(src), " "), ":", ".")
	return "${" + src + "}"
}

// document converts an aws_iam_policy_document body into a policy.
func (r *reader) document(b *hclsyntax.Body) *jsonpos.Value {
	root := &jsonpos.Value{Kind: jsonpos.Object, Offset: b.SrcRange.Start.Byte, End: b.SrcRange.End.Byte}
	version := &jsonpos.Value{Kind: jsonpos.String, Str: "2012-10-17", Offset: b.SrcRange.Start.Byte}
	if a := b.Attributes["version"]; a != nil {
		version = r.value(a.Expr)
	}
	root.Members = append(root.Members, jsonpos.Member{Key: "Version", KeyOffset: version.Offset, Value: version})
	if a := b.Attributes["policy_id"]; a != nil {
		root.Members = append(root.Members, jsonpos.Member{Key: "Id", KeyOffset: a.NameRange.Start.Byte, Value: r.value(a.Expr)})
	}
	stmts := &jsonpos.Value{Kind: jsonpos.Array, Offset: b.SrcRange.Start.Byte}
	for _, sb := range b.Blocks {
		if sb.Type == "statement" {
			stmts.Elems = append(stmts.Elems, r.statement(sb))
		}
	}
	root.Members = append(root.Members, jsonpos.Member{Key: "Statement", KeyOffset: stmts.Offset, Value: stmts})
	return root
}

var statementArgs = []struct{ arg, key string }{
	{"sid", "Sid"}, {"effect", "Effect"}, {"actions", "Action"}, {"not_actions", "NotAction"},
	{"resources", "Resource"}, {"not_resources", "NotResource"},
}

func (r *reader) statement(sb *hclsyntax.Block) *jsonpos.Value {
	st := &jsonpos.Value{Kind: jsonpos.Object, Offset: sb.TypeRange.Start.Byte, End: sb.Body.SrcRange.End.Byte}
	add := func(key string, off int, v *jsonpos.Value) {
		st.Members = append(st.Members, jsonpos.Member{Key: key, KeyOffset: off, Value: v})
	}
	if sb.Body.Attributes["effect"] == nil {
		add("Effect", st.Offset, &jsonpos.Value{Kind: jsonpos.String, Str: "Allow", Offset: st.Offset})
	}
	for _, sa := range statementArgs {
		if a := sb.Body.Attributes[sa.arg]; a != nil {
			add(sa.key, a.NameRange.Start.Byte, r.value(a.Expr))
		}
	}
	principals := map[string]*jsonpos.Value{}
	var conds *jsonpos.Value
	for _, pb := range sb.Body.Blocks {
		switch pb.Type {
		case "principals", "not_principals":
			key := "Principal"
			if pb.Type == "not_principals" {
				key = "NotPrincipal"
			}
			p := principals[key]
			if p == nil {
				p = &jsonpos.Value{Kind: jsonpos.Object, Offset: pb.TypeRange.Start.Byte}
				principals[key] = p
				add(key, pb.TypeRange.Start.Byte, p)
			}
			typ, ids := pb.Body.Attributes["type"], pb.Body.Attributes["identifiers"]
			if typ == nil || ids == nil {
				continue
			}
			t := r.value(typ.Expr)
			v := r.value(ids.Expr)
			if t.Str == "*" {
				// type "*" with identifiers ["*"] is Principal "*".
				*p = jsonpos.Value{Kind: jsonpos.String, Str: "*", Offset: pb.TypeRange.Start.Byte}
				continue
			}
			p.Members = append(p.Members, jsonpos.Member{Key: t.Str, KeyOffset: t.Offset, Value: v})
		case "condition":
			test, variable, values := pb.Body.Attributes["test"], pb.Body.Attributes["variable"], pb.Body.Attributes["values"]
			if test == nil || variable == nil || values == nil {
				continue
			}
			if conds == nil {
				conds = &jsonpos.Value{Kind: jsonpos.Object, Offset: pb.TypeRange.Start.Byte}
				add("Condition", pb.TypeRange.Start.Byte, conds)
			}
			op := r.value(test.Expr)
			ops := conds.Get(op.Str)
			if ops == nil || op.Kind != jsonpos.String {
				ops = &jsonpos.Value{Kind: jsonpos.Object, Offset: op.Offset}
				conds.Members = append(conds.Members, jsonpos.Member{Key: op.Str, KeyOffset: op.Offset, Value: ops})
			}
			k := r.value(variable.Expr)
			ops.Members = append(ops.Members, jsonpos.Member{Key: k.Str, KeyOffset: k.Offset, Value: r.value(values.Expr)})
		}
	}
	sort.SliceStable(st.Members, func(i, j int) bool { return st.Members[i].KeyOffset < st.Members[j].KeyOffset })
	return st
}
