// Package cfn reads AWS CloudFormation templates, in YAML (with the
// short-form tags !Sub, !Ref, !GetAtt, !Join, ...) or JSON, and finds the
// IAM policy documents in them, keeping the template's own positions.
//
// Values built by intrinsic functions become strings that keep their
// shape: !Sub "arn:aws:s3:::${Bucket}/*" stays a string with a ${...}
// placeholder (a !Sub's variable map substituted), !Ref Bucket becomes
// "${Bucket}", and !GetAtt Role.Arn becomes "${Role.Arn}"; pseudo
// parameters lose their "::" (${AWS::AccountId} becomes ${AWS.AccountId})
// so that ARNs keep their six parts. Checks treat ${...} like a policy
// variable: unknown, but the rest of the value is checked. Eval evaluates
// such a string as the deployed stack would, as far as the repository
// determines it: the resources' names and ARNs from the table of what Ref
// and Fn::GetAtt return (refs.go), imports from the exports of the
// repository's other templates.
package cfn

import (
	"bytes"
	"fmt"
	"sort"
	"strings"

	"gopkg.in/yaml.v3"

	"github.com/iamfit/iamfit/internal/jsonpos"
	"github.com/iamfit/iamfit/internal/need"
	"github.com/iamfit/iamfit/internal/policy"
	"github.com/iamfit/iamfit/internal/source"
)

// Document is one policy document found in a template.
type Document struct {
	// Resource is the logical id of the resource that holds it.
	Resource string
	// ResourceType is its CloudFormation type, such as AWS::IAM::Role.
	ResourceType string
	// Where names the property: "AssumeRolePolicyDocument", "Policies[0] (deploy)".
	Where string
	Type  policy.Type
	Value *jsonpos.Value
	// Text, when not nil, is a document written as a JSON string (the
	// String properties such as AWS::Logs::ResourcePolicy's, or a !Sub of
	// JSON text): Value's offsets are in Text, and At is the offset of the
	// string in the template.
	Text *source.File
	At   int
	// SAMTemplate names the SAM policy template (DynamoDBCrudPolicy, ...)
	// the document was expanded from: Value is built, its values at the
	// template's entry (see Policies).
	SAMTemplate string
	// SAMGeneric is the same template expanded with its parameters left
	// unknown (${SAM.Name} for the parameter Name), and SAMParams the
	// values the entry gives them: what the generic document has, the
	// template has whatever its parameters are.
	SAMGeneric *jsonpos.Value
	SAMParams  map[string]string
}

// Template is a parsed template.
type Template struct {
	File *source.File
	Root *jsonpos.Value

	// ifs keeps the branches of each Fn::If, whose value is the
	// placeholder "${If}": documents expand them (see expandIfs).
	ifs map[*jsonpos.Value][]*jsonpos.Value
	// resources and params index Resources and Parameters, made on first
	// use (Eval).
	resources map[string]*jsonpos.Value
	params    map[string]bool
}

// Error is a template that cannot be read, with its position.
type Error struct {
	Pos source.Pos
	Msg string
}

func (e *Error) Error() string { return fmt.Sprintf("%d:%d: %s", e.Pos.Line, e.Pos.Col, e.Msg) }

// LooksLikeTemplate reports whether data is plausibly a CloudFormation
// template: it mentions AWSTemplateFormatVersion, or Resources with an
// AWS:: type.
func LooksLikeTemplate(data []byte) bool {
	return bytes.Contains(data, []byte("AWSTemplateFormatVersion")) ||
		(bytes.Contains(data, []byte("Resources")) && bytes.Contains(data, []byte("AWS::")))
}

// Parse reads a template in JSON (when it starts with '{') or YAML.
func Parse(f *source.File) (*Template, error) {
	trimmed := strings.TrimSpace(string(f.Data))
	if strings.HasPrefix(trimmed, "{") {
		root, errs := jsonpos.Parse(f.Data)
		if len(errs) > 0 {
			return nil, &Error{f.Position(errs[0].Offset), errs[0].Msg}
		}
		ifs := map[*jsonpos.Value][]*jsonpos.Value{}
		return &Template{File: f, Root: intrinsicsIfs(root, ifs), ifs: ifs}, nil
	}
	var n yaml.Node
	if err := yaml.Unmarshal(f.Data, &n); err != nil {
		return nil, yamlError(err)
	}
	if n.Kind == 0 || len(n.Content) == 0 {
		return nil, &Error{source.Pos{Line: 1, Col: 1}, "empty template"}
	}
	c := &converter{f: f, ifs: map[*jsonpos.Value][]*jsonpos.Value{}}
	root := c.convert(n.Content[0], 0)
	if c.err != nil {
		return nil, c.err
	}
	return &Template{File: f, Root: root, ifs: c.ifs}, nil
}

func yamlError(err error) error {
	msg := err.Error()
	// yaml.v3: "yaml: line 7: did not find expected key"
	var line int
	if _, scanErr := fmt.Sscanf(strings.TrimPrefix(msg, "yaml: "), "line %d:", &line); scanErr == nil {
		rest := msg[strings.Index(msg, ":")+1:]
		rest = strings.TrimSpace(rest[strings.Index(rest, ":")+1:])
		return &Error{source.Pos{Line: line, Col: 1}, "invalid YAML: " + rest}
	}
	return &Error{source.Pos{Line: 1, Col: 1}, "invalid YAML: " + strings.TrimPrefix(msg, "yaml: ")}
}

const maxDepth = 512

// maxNodes bounds the values a template may expand to: YAML aliases can
// repeat a subtree exponentially ("billion laughs").
const maxNodes = 2_000_000

type converter struct {
	f     *source.File
	err   error
	nodes int
	ifs   map[*jsonpos.Value][]*jsonpos.Value
}

func (c *converter) off(n *yaml.Node) int {
	return c.f.Offset(source.Pos{Line: n.Line, Col: n.Column})
}

// convert turns a YAML node into a positioned JSON value, resolving
// short-form intrinsic tags into placeholder strings.
func (c *converter) convert(n *yaml.Node, depth int) *jsonpos.Value {
	c.nodes++
	if c.nodes > maxNodes && c.err == nil {
		c.err = &Error{source.Pos{Line: n.Line, Col: n.Column}, "template expands to too many values (YAML aliases?)"}
	}
	if c.err != nil {
		return &jsonpos.Value{Kind: jsonpos.Null}
	}
	if depth > maxDepth {
		if c.err == nil {
			c.err = &Error{source.Pos{Line: n.Line, Col: n.Column}, "template nested too deeply"}
		}
		return &jsonpos.Value{Kind: jsonpos.Null, Offset: c.off(n)}
	}
	off := c.off(n)
	if n.Kind == yaml.AliasNode && n.Alias != nil {
		return c.convert(n.Alias, depth+1)
	}
	if strings.HasPrefix(n.Tag, "!") && !strings.HasPrefix(n.Tag, "!!") {
		inner := *n
		inner.Tag = ""
		fn := strings.TrimPrefix(n.Tag, "!")
		if fn != "Ref" && fn != "Condition" {
			fn = "Fn::" + fn
		}
		arg := c.convert(&inner, depth+1)
		v := &jsonpos.Value{Kind: jsonpos.String, Offset: off, Str: placeholder(fn, arg)}
		keepIf(c.ifs, v, fn, arg)
		return v
	}
	switch n.Kind {
	case yaml.DocumentNode:
		if len(n.Content) > 0 {
			return c.convert(n.Content[0], depth+1)
		}
	case yaml.MappingNode:
		v := &jsonpos.Value{Kind: jsonpos.Object, Offset: off}
		for i := 0; i+1 < len(n.Content); i += 2 {
			k, val := n.Content[i], n.Content[i+1]
			if k.Kind == yaml.ScalarNode && k.Value == "<<" {
				continue // merge keys are not used in templates
			}
			v.Members = append(v.Members, jsonpos.Member{Key: k.Value, KeyOffset: c.off(k), Value: c.convert(val, depth+1)})
		}
		return intrinsicsIfs(v, c.ifs)
	case yaml.SequenceNode:
		v := &jsonpos.Value{Kind: jsonpos.Array, Offset: off}
		for _, e := range n.Content {
			v.Elems = append(v.Elems, c.convert(e, depth+1))
		}
		return v
	case yaml.ScalarNode:
		switch n.Tag {
		case "!!bool":
			var b bool
			if err := n.Decode(&b); err == nil {
				return &jsonpos.Value{Kind: jsonpos.Bool, Offset: off, Bool: b}
			}
		case "!!int", "!!float":
			return &jsonpos.Value{Kind: jsonpos.Number, Offset: off, Str: n.Value}
		case "!!null":
			return &jsonpos.Value{Kind: jsonpos.Null, Offset: off}
		}
		return &jsonpos.Value{Kind: jsonpos.String, Offset: off, Str: n.Value}
	}
	return &jsonpos.Value{Kind: jsonpos.Null, Offset: off}
}

// intrinsicsIfs replaces a one-key object {"Fn::X": arg} or {"Ref": name},
// recursively, by its placeholder string, keeping the branches of each
// Fn::If in ifs.
func intrinsicsIfs(v *jsonpos.Value, ifs map[*jsonpos.Value][]*jsonpos.Value) *jsonpos.Value {
	switch v.Kind {
	case jsonpos.Array:
		for i, e := range v.Elems {
			v.Elems[i] = intrinsicsIfs(e, ifs)
		}
	case jsonpos.Object:
		for i := range v.Members {
			v.Members[i].Value = intrinsicsIfs(v.Members[i].Value, ifs)
		}
		if len(v.Members) == 1 {
			k := v.Members[0].Key
			if k == "Ref" || strings.HasPrefix(k, "Fn::") {
				p := &jsonpos.Value{Kind: jsonpos.String, Offset: v.Offset, End: v.End, Str: placeholder(k, v.Members[0].Value)}
				keepIf(ifs, p, k, v.Members[0].Value)
				return p
			}
		}
	}
	return v
}

// keepIf records the two branches of Fn::If [condition, then, else].
func keepIf(ifs map[*jsonpos.Value][]*jsonpos.Value, v *jsonpos.Value, fn string, arg *jsonpos.Value) {
	if fn == "Fn::If" && ifs != nil && arg != nil && arg.Kind == jsonpos.Array && len(arg.Elems) == 3 {
		ifs[v] = arg.Elems[1:]
	}
}

// placeholder renders an intrinsic function call as a string of the same
// shape.
func placeholder(fn string, arg *jsonpos.Value) string {
	text := func(x *jsonpos.Value) string {
		if x == nil {
			return "${?}"
		}
		switch x.Kind {
		case jsonpos.String, jsonpos.Number:
			return x.Str
		}
		return "${" + fn + "}"
	}
	switch fn {
	case "Ref":
		return "${" + noColons(text(arg)) + "}"
	case "Fn::Sub":
		if arg.Kind == jsonpos.Array && len(arg.Elems) > 0 {
			s := noColonsInVars(text(arg.Elems[0]))
			if len(arg.Elems) == 2 && arg.Elems[1].Kind == jsonpos.Object {
				// !Sub [text, {Var: value}]: each ${Var} is its value.
				for _, m := range arg.Elems[1].Members {
					if v := m.Value; v.Kind == jsonpos.String || v.Kind == jsonpos.Number {
						s = strings.ReplaceAll(s, "${"+m.Key+"}", v.Str)
					}
				}
			}
			return s
		}
		return noColonsInVars(text(arg))
	case "Fn::GetAtt":
		if arg.Kind == jsonpos.Array {
			var parts []string
			for _, e := range arg.Elems {
				parts = append(parts, text(e))
			}
			return "${" + strings.Join(parts, ".") + "}"
		}
		return "${" + text(arg) + "}"
	case "Fn::Join":
		if arg.Kind == jsonpos.Array && len(arg.Elems) == 2 && arg.Elems[1].Kind == jsonpos.Array {
			var parts []string
			for _, e := range arg.Elems[1].Elems {
				parts = append(parts, text(e))
			}
			return strings.Join(parts, text(arg.Elems[0]))
		}
	}
	name := strings.TrimPrefix(fn, "Fn::")
	if fn == "Fn::ImportValue" && arg != nil && arg.Kind == jsonpos.String {
		// Two imports stay two values: ${ImportValueShopTaskRoleArn}.
		return "${" + name + need.Identifier(arg.Str) + "}"
	}
	return "${" + name + "}"
}

func noColons(s string) string { return strings.ReplaceAll(s, "::", ".") }

// pseudoDisplay writes the pseudo parameters of values back as templates
// spell them, for messages: ${AWS.Region} is ${AWS::Region}.
var pseudoDisplay = strings.NewReplacer("${AWS.AccountId}", "${AWS::AccountId}", "${AWS.Region}", "${AWS::Region}",
	"${AWS.Partition}", "${AWS::Partition}", "${AWS.URLSuffix}", "${AWS::URLSuffix}", "${AWS.StackName}", "${AWS::StackName}",
	"${AWS.StackId}", "${AWS::StackId}", "${AWS.NotificationARNs}", "${AWS::NotificationARNs}", "${AWS.NoValue}", "${AWS::NoValue}")

// Display returns a message about the template's values with its pseudo
// parameters spelled as the template spells them.
func Display(msg string) string {
	if !strings.Contains(msg, "${AWS.") {
		return msg
	}
	return pseudoDisplay.Replace(msg)
}

// noColonsInVars replaces "::" inside ${...} with ".".
func noColonsInVars(s string) string {
	var b strings.Builder
	for {
		i := strings.Index(s, "${")
		if i < 0 {
			b.WriteString(s)
			return b.String()
		}
		j := strings.IndexByte(s[i:], '}')
		if j < 0 {
			b.WriteString(s)
			return b.String()
		}
		b.WriteString(s[:i])
		b.WriteString(noColons(s[i : i+j+1]))
		s = s[i+j+1:]
	}
}

// Property kinds: a policy document, the Policies list of AWS::IAM::Role,
// User and Group, a single statement, and the Policies of a SAM function
// or state machine.
const (
	propDocument = iota
	propPolicies
	propStatement
	propSAM
)

// policyProps lists, per resource type, the properties that hold policy
// documents, their kind and their policy type.
var policyProps = map[string][]struct {
	prop string
	kind int
	typ  policy.Type
}{
	"AWS::IAM::Role":                      {{"AssumeRolePolicyDocument", propDocument, policy.Trust}, {"Policies", propPolicies, policy.Identity}},
	"AWS::IAM::Policy":                    {{"PolicyDocument", propDocument, policy.Identity}},
	"AWS::IAM::ManagedPolicy":             {{"PolicyDocument", propDocument, policy.Identity}},
	"AWS::IAM::User":                      {{"Policies", propPolicies, policy.Identity}},
	"AWS::IAM::Group":                     {{"Policies", propPolicies, policy.Identity}},
	"AWS::IAM::RolePolicy":                {{"PolicyDocument", propDocument, policy.Identity}},
	"AWS::IAM::UserPolicy":                {{"PolicyDocument", propDocument, policy.Identity}},
	"AWS::IAM::GroupPolicy":               {{"PolicyDocument", propDocument, policy.Identity}},
	"AWS::SSO::PermissionSet":             {{"InlinePolicy", propDocument, policy.Identity}},
	"AWS::S3::BucketPolicy":               {{"PolicyDocument", propDocument, policy.Resource}},
	"AWS::S3::AccessPoint":                {{"Policy", propDocument, policy.Resource}},
	"AWS::SQS::QueuePolicy":               {{"PolicyDocument", propDocument, policy.Resource}},
	"AWS::SNS::TopicPolicy":               {{"PolicyDocument", propDocument, policy.Resource}},
	"AWS::KMS::Key":                       {{"KeyPolicy", propDocument, policy.Resource}},
	"AWS::KMS::ReplicaKey":                {{"KeyPolicy", propDocument, policy.Resource}},
	"AWS::ECR::Repository":                {{"RepositoryPolicyText", propDocument, policy.Resource}},
	"AWS::ECR::RegistryPolicy":            {{"PolicyText", propDocument, policy.Resource}},
	"AWS::SecretsManager::ResourcePolicy": {{"ResourcePolicy", propDocument, policy.Resource}},
	"AWS::Backup::BackupVault":            {{"AccessPolicy", propDocument, policy.Resource}},
	"AWS::EFS::FileSystem":                {{"FileSystemPolicy", propDocument, policy.Resource}},
	"AWS::ApiGateway::RestApi":            {{"Policy", propDocument, policy.Resource}},
	"AWS::OpenSearchService::Domain":      {{"AccessPolicies", propDocument, policy.Resource}},
	"AWS::Elasticsearch::Domain":          {{"AccessPolicies", propDocument, policy.Resource}},
	"AWS::Logs::ResourcePolicy":           {{"PolicyDocument", propDocument, policy.Resource}},
	// One statement, not a document.
	"AWS::Events::EventBusPolicy": {{"Statement", propStatement, policy.Resource}},
	// AWS::Serverless-2016-10-31: Policies is a managed policy name, a
	// document, or a list of names, SAM policy templates and documents.
	"AWS::Serverless::Function":     {{"AssumeRolePolicyDocument", propDocument, policy.Trust}, {"Policies", propSAM, policy.Identity}},
	"AWS::Serverless::StateMachine": {{"Policies", propSAM, policy.Identity}},
}

// Policies returns the template's policy documents, in template order,
// and the entries of SAM Policies lists it cannot read as one.
// A single statement (AWS::Events::EventBusPolicy) is returned as a
// document holding it. A SAM Policies list holds inline documents,
// managed policy names or ARNs (references to documents elsewhere, not
// returned) and SAM policy templates, which are expanded to the document
// the SAM transform makes of them (its statements at the template's name,
// the values built from a parameter at the parameter); a template not in
// the table, or one the transform rejects, is a Problem.
// Each Fn::If in a document is expanded to both its branches where a list
// is allowed (statements, actions, resources, condition values), to its
// first branch elsewhere, and AWS::NoValue removes what it stands for.
func (t *Template) Policies() ([]Document, []Problem) {
	res := t.Root.Get("Resources")
	if res == nil || res.Kind != jsonpos.Object {
		return nil, nil
	}
	var out []Document
	var problems []Problem
	add := func(d Document) {
		d.Value = t.expandIfs(d.Value, "")
		out = append(out, d)
	}
	for _, m := range resources(res) {
		if m.Value.Kind != jsonpos.Object {
			continue
		}
		typ := m.Value.Get("Type")
		props := m.Value.Get("Properties")
		if typ == nil || typ.Kind != jsonpos.String || props == nil || props.Kind != jsonpos.Object {
			continue
		}
		if typ.Str == "AWS::Events::EventBusPolicy" && props.Get("Statement") == nil {
			if d, ok := legacyEventBusStatement(props); ok {
				add(Document{Resource: m.Key, ResourceType: typ.Str, Where: "Principal", Type: policy.Resource, Value: d})
			}
		}
		for _, pp := range policyProps[typ.Str] {
			v := props.Get(pp.prop)
			if v == nil {
				continue
			}
			doc := Document{Resource: m.Key, ResourceType: typ.Str, Where: pp.prop, Type: pp.typ, Value: v}
			switch pp.kind {
			case propPolicies:
				v = t.expandIfs(v, pp.prop) // a policy in an Fn::If
				if v.Kind != jsonpos.Array {
					continue
				}
				for i, p := range v.Elems {
					d := p.Get("PolicyDocument")
					if d == nil {
						continue
					}
					doc.Where = fmt.Sprintf("Policies[%d]", i)
					if n := p.Get("PolicyName"); n != nil && n.Kind == jsonpos.String {
						doc.Where += " (" + n.Str + ")"
					}
					if d.Kind == jsonpos.Object {
						doc.Value = d
						add(doc)
					} else if td, ok := textDocument(t, doc, d); ok {
						// A policy of the list written as JSON text.
						out = append(out, td)
					}
				}
			case propSAM:
				v = t.expandIfs(v, pp.prop)
				elems := []*jsonpos.Value{v}
				if v.Kind == jsonpos.Array {
					elems = v.Elems
				}
				for i, p := range elems {
					if p.Kind == jsonpos.String {
						continue // a managed policy name or ARN, or an intrinsic
					}
					if p.Kind != jsonpos.Object {
						problems = append(problems, Problem{Offset: p.Offset, Kind: NotUnderstood,
							Msg: fmt.Sprintf("a Policies entry that is a JSON %s, neither a policy name or ARN, a document nor a SAM policy template: not understood, not linted", p.Kind)})
						continue
					}
					doc.Where, doc.SAMTemplate = pp.prop, ""
					if v.Kind == jsonpos.Array {
						doc.Where = fmt.Sprintf("Policies[%d]", i)
					}
					if p.Get("Statement") != nil {
						doc.Value = p
						add(doc)
						continue
					}
					e, probs := samEntry(p)
					problems = append(problems, probs...)
					if e != nil {
						d := doc
						d.Value, d.SAMTemplate, d.SAMGeneric, d.SAMParams = e.doc, e.name, e.generic, e.params
						d.Where += " (" + e.name + ")"
						add(d)
					}
				}
			case propStatement:
				if v.Kind != jsonpos.Object {
					continue
				}
				// EventBridge takes the statement alone, with the 2012-10-17
				// grammar: lint it as the document it stands for.
				doc.Value = &jsonpos.Value{Kind: jsonpos.Object, Offset: v.Offset, End: v.End, Members: []jsonpos.Member{
					{Key: "Version", KeyOffset: v.Offset, Value: &jsonpos.Value{Kind: jsonpos.String, Offset: v.Offset, Str: "2012-10-17"}},
					{Key: "Statement", KeyOffset: v.Offset, Value: v},
				}}
				add(doc)
			default:
				if v.Kind == jsonpos.Object {
					add(doc)
				} else if td, ok := textDocument(t, doc, v); ok {
					out = append(out, td)
				}
			}
		}
	}
	return out, problems
}

// textDocument reads a document written as a JSON string (a YAML block
// scalar of JSON text): its positions are in the text, At is the string's.
func textDocument(t *Template, doc Document, v *jsonpos.Value) (Document, bool) {
	if v.Kind != jsonpos.String || !strings.HasPrefix(strings.TrimSpace(v.Str), "{") {
		return doc, false
	}
	doc.Text = source.NewFile(t.File.Name, []byte(v.Str))
	root, _ := jsonpos.Parse(doc.Text.Data)
	if root == nil {
		root = &jsonpos.Value{Kind: jsonpos.String, Str: v.Str}
	}
	doc.Value, doc.At = root, v.Offset
	return doc, true
}

// resources lists the members of Resources, with the resources of each
// Fn::ForEach loop of AWS::LanguageExtensions (["Item", [values],
// {"Name${Item}": resource}], nested loops included) read once, their
// ${Item} left unknown.
func resources(res *jsonpos.Value) []jsonpos.Member {
	var out []jsonpos.Member
	for _, m := range res.Members {
		if strings.HasPrefix(m.Key, "Fn::ForEach::") && m.Value.Kind == jsonpos.Array && len(m.Value.Elems) == 3 && m.Value.Elems[2].Kind == jsonpos.Object {
			out = append(out, resources(m.Value.Elems[2])...)
			continue
		}
		out = append(out, m)
	}
	return out
}

// legacyEventBusStatement is the statement an EventBusPolicy written with
// Action, Principal (an account id or "*") and Condition ({Type, Key,
// Value}) instead of Statement stands for, as a document.
func legacyEventBusStatement(props *jsonpos.Value) (*jsonpos.Value, bool) {
	principal, action := props.Get("Principal"), props.Get("Action")
	if principal == nil || principal.Kind != jsonpos.String || action == nil {
		return nil, false
	}
	str := func(at *jsonpos.Value, s string) *jsonpos.Value {
		return &jsonpos.Value{Kind: jsonpos.String, Offset: at.Offset, End: at.End, Str: s}
	}
	obj := func(at *jsonpos.Value, kv ...any) *jsonpos.Value {
		v := &jsonpos.Value{Kind: jsonpos.Object, Offset: at.Offset, End: at.End}
		for i := 0; i+1 < len(kv); i += 2 {
			v.Members = append(v.Members, jsonpos.Member{Key: kv[i].(string), KeyOffset: at.Offset, Value: kv[i+1].(*jsonpos.Value)})
		}
		return v
	}
	p := principal
	if principal.Str != "*" {
		p = obj(principal, "AWS", principal)
	}
	stmt := obj(principal, "Effect", str(principal, "Allow"), "Principal", p, "Action", action,
		"Resource", str(principal, "${EventBus}"))
	if c := props.Get("Condition"); c != nil && c.Kind == jsonpos.Object {
		typ, key, val := c.Get("Type"), c.Get("Key"), c.Get("Value")
		if typ != nil && typ.Kind == jsonpos.String && key != nil && key.Kind == jsonpos.String && val != nil {
			cond := obj(c, typ.Str, obj(typ, key.Str, val))
			stmt.Members = append(stmt.Members, jsonpos.Member{Key: "Condition", KeyOffset: c.Offset, Value: cond})
		}
	}
	return obj(principal, "Version", str(principal, "2012-10-17"), "Statement", stmt), true
}

// Parameters returns the template's parameter names with their allowed
// values (for EnvType: Dev|Staging|Production style parameters), sorted.
func (t *Template) Parameters() map[string][]string {
	out := map[string][]string{}
	ps := t.Root.Get("Parameters")
	if ps == nil || ps.Kind != jsonpos.Object {
		return out
	}
	for _, m := range ps.Members {
		var vals []string
		if av := m.Value.Get("AllowedValues"); av != nil && av.Kind == jsonpos.Array {
			for _, e := range av.Elems {
				if e.Kind == jsonpos.String {
					vals = append(vals, e.Str)
				}
			}
		}
		sort.Strings(vals)
		out[m.Key] = vals
	}
	return out
}
