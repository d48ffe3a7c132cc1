// Package tf finds the IAM policy documents of Terraform configurations
// (.tf files) and reads them into the JSON trees that policy.ParseValue
// takes, with every value at its position in the .tf file, and the roles
// they belong to.
//
// It reads aws_iam_policy_document data sources (statement blocks with
// their principals and conditions), and the policy arguments of the
// resources that hold policies (aws_iam_policy, aws_iam_role_policy,
// aws_iam_role's assume_role_policy and inline_policy, bucket, queue, topic
// and repository policies) when written as jsonencode({...}) or as a
// heredoc or string of JSON. Calls of the standard library's string and
// collection functions (format, join, concat...) are evaluated. References
// and interpolations that only Terraform can evaluate become "${...}"
// strings, which the checks treat as unknown, as they treat
// CloudFormation's intrinsic functions. Parse returns the documents the
// file writes: a policy argument that is a reference
// (data.aws_iam_policy_document.x.json, file(...)) is skipped, its
// document is linted where it is written. Read also returns the roles
// (aws_iam_role, and the roles made elsewhere that the file's policies
// name) with the permission policies that aws_iam_role_policy,
// aws_iam_role_policy_attachment and managed_policy_arns give each, a
// reference to a data source of the file read as its document.
//
// TaskDefinitions reads the aws_ecs_task_definition resources of a
// repository's configurations, each value evaluated through its module:
// what each resource type's attributes are (returnValues, one table),
// variables, locals, functions and local modules.
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
	// Pos is where the argument (or the data source) starts.
	Pos source.Pos
	// Value is the document as JSON, with offsets into the .tf file; nil
	// when the file does not hold it. It is shared with the data source's
	// Document when From is set: read it, do not change it.
	Value *jsonpos.Value
	// From is the data source whose document the argument refers to
	// ("data.aws_iam_policy_document.push" for its .json), or "".
	From string
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

// Parse reads a .tf file and returns its policy documents in file order:
// those the file writes (a data source, jsonencode, a heredoc or a
// string), not the arguments that refer to them.
func Parse(f *source.File) ([]Document, error) {
	c, err := Read(f)
	if err != nil {
		return nil, err
	}
	return c.Documents, nil
}

// body parses a .tf file.
func body(f *source.File) (*hclsyntax.Body, error) {
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
	b, _ := file.Body.(*hclsyntax.Body)
	return b, nil
}

type reader struct {
	f     *source.File
	diags []source.Diagnostic
	// data holds the documents of the aws_iam_policy_document data
	// sources by address, for the arguments that refer to them.
	data map[string]*jsonpos.Value
}

// arg reads the document of a policy argument. The Document has no Value
// when the argument is neither written in place nor a reference to a data
// source of the file (file(...), a module's output); in reports whether
// the file writes it in place.
func (r *reader) arg(addr, where string, typ policy.Type, a *hclsyntax.Attribute) (d *Document, in bool) {
	d = &Document{Address: addr, Where: where, Type: typ, Pos: r.f.Position(a.SrcRange.Start.Byte)}
	r.diags = nil
	switch x := a.Expr.(type) {
	case *hclsyntax.FunctionCallExpr:
		if x.Name != "jsonencode" || len(x.Args) != 1 {
			return d, false
		}
		d.Value = r.value(x.Args[0])
	case *hclsyntax.TemplateExpr:
		d.Value = r.jsonText(x)
	case *hclsyntax.ScopeTraversalExpr:
		parts := traversalParts(x.Traversal)
		if len(parts) == 4 && parts[0] == "data" && parts[1] == "aws_iam_policy_document" && (parts[3] == "json" || parts[3] == "minified_json") {
			d.From = strings.Join(parts[:3], ".")
			d.Value = r.data[d.From]
		}
		return d, false
	default:
		return d, false
	}
	d.Diagnostics = r.diags
	return d, d.Value != nil || len(d.Diagnostics) > 0
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
		// A one-line string of JSON needs its escapes decoded: use its
		// value and give every position the string's.
		return r.rendered(x)
	default:
		return nil
	}
	root, errs := jsonpos.Parse(r.f.Data[start:end])
	if len(errs) > 0 && !literal(x) {
		// An interpolation that is not JSON as written
		// (${jsonencode(var.arns)}) may render JSON.
		if v := r.rendered(x); v != nil {
			return v
		}
	}
	for _, e := range errs {
		r.diags = append(r.diags, source.Diagnostic{File: r.f.Name, Pos: r.f.Position(start + e.Offset),
			Severity: source.Error, Message: e.Msg, Check: policy.CheckJSON})
	}
	if root != nil {
		shift(root, start)
		unescape(root)
	}
	return root
}

// literal reports whether a template is text alone, without
// interpolations or directives.
func literal(x *hclsyntax.TemplateExpr) bool {
	for _, p := range x.Parts {
		if _, ok := p.(*hclsyntax.LiteralValueExpr); !ok {
			return false
		}
	}
	return true
}

// rendered parses the JSON a template renders, every position the
// template's; nil when it is not JSON.
func (r *reader) rendered(x *hclsyntax.TemplateExpr) *jsonpos.Value {
	v := r.value(x)
	if v.Kind != jsonpos.String {
		return nil
	}
	root, errs := jsonpos.Parse([]byte(v.Str))
	if len(errs) > 0 || root == nil {
		return nil
	}
	pin(root, x.SrcRange.Start.Byte)
	return root
}

// unescape decodes a heredoc's template escapes in the JSON read from its
// raw text: $${ is ${ and %%{ is %{.
func unescape(v *jsonpos.Value) {
	r := strings.NewReplacer("$${", "${", "%%{", "%{")
	if v.Kind == jsonpos.String {
		v.Str = r.Replace(v.Str)
	}
	for _, e := range v.Elems {
		unescape(e)
	}
	for i := range v.Members {
		v.Members[i].Key = r.Replace(v.Members[i].Key)
		unescape(v.Members[i].Value)
	}
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
		setLiteral(at, x.Val)
	case *hclsyntax.TemplateExpr:
		at.Kind = jsonpos.String
		var b strings.Builder
		for _, p := range x.Parts {
			if lit, ok := p.(*hclsyntax.LiteralValueExpr); ok && lit.Val.Type() == cty.String && lit.Val.IsKnown() {
				b.WriteString(lit.Val.AsString())
				continue
			}
			b.WriteString(r.text(p))
		}
		at.Str = b.String()
	case *hclsyntax.TemplateWrapExpr:
		at.Kind, at.Str = jsonpos.String, r.text(x.Wrapped)
	case *hclsyntax.FunctionCallExpr:
		if v, ok := r.call(x); ok {
			return v
		}
		at.Kind, at.Str = jsonpos.String, r.unknown(e)
	default:
		at.Kind, at.Str = jsonpos.String, r.unknown(e)
	}
	return at
}

// text renders an interpolation: the string or number it evaluates to, or
// "${source}".
func (r *reader) text(e hclsyntax.Expression) string {
	if v := r.value(e); v.Kind == jsonpos.String || v.Kind == jsonpos.Number {
		return v.Str
	}
	return r.unknown(e)
}

func setLiteral(at *jsonpos.Value, v cty.Value) {
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
func (r *reader) unknown(e hclsyntax.Expression) string { return r.unknownAt(e.Range()) }

func (r *reader) unknownAt(rng hcl.Range) string {
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
