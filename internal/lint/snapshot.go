package lint

import (
	"net/url"
	"strings"

	"github.com/iamfit/iamfit/internal/catalog"
	"github.com/iamfit/iamfit/internal/jsonpos"
	"github.com/iamfit/iamfit/internal/policy"
	"github.com/iamfit/iamfit/internal/source"
)

// An account snapshot is the output of `aws iam get-account-authorization-details`:
// RoleDetailList (each role's AssumeRolePolicyDocument, RolePolicyList of
// inline policies and AttachedManagedPolicies), UserDetailList and
// GroupDetailList (their inline policies), and Policies (the customer
// managed policies, each with its PolicyVersionList). The API returns the
// documents URL-encoded (RFC 3986); the AWS CLI decodes them and prints
// them as JSON objects. Both are read: an object is linted in place, with
// positions in the snapshot; a string is decoded and its findings point at
// the string.

// IsSnapshot reports whether a JSON document has the shape of an account
// snapshot.
func IsSnapshot(root *jsonpos.Value) bool {
	if root == nil || root.Kind != jsonpos.Object || root.Get("Statement") != nil {
		return false
	}
	for _, k := range []string{"RoleDetailList", "UserDetailList", "GroupDetailList"} {
		if v := root.Get(k); v != nil && v.Kind == jsonpos.Array {
			return true
		}
	}
	p := root.Get("Policies")
	return p != nil && p.Kind == jsonpos.Array && len(p.Elems) > 0 && p.Elems[0].Get("PolicyVersionList") != nil
}

// snapshotDoc is one policy document of a snapshot and whose it is.
type snapshotDoc struct {
	owner string // "role deploy", "policy Deploy (attached to role a, role b)"
	arn   string // the role's, for a trust policy
	value *jsonpos.Value
	typ   policy.Type
}

// Snapshot lints every policy of an account snapshot, role by role: the
// trust policy, the inline policies and the managed policies attached (a
// customer managed policy once, naming the roles it is attached to). Each
// finding says whose policy it is. With flows, GitHub trust policies are
// checked against the workflows too.
func Snapshot(f *source.File, root *jsonpos.Value, cat *catalog.Catalog, checks []*Check, flows *Workflows) []source.Diagnostic {
	var docs []snapshotDoc
	attached := map[string][]string{} // policy ARN -> owners
	for _, list := range []struct{ key, kind, policies, name string }{
		{"RoleDetailList", "role", "RolePolicyList", "RoleName"},
		{"UserDetailList", "user", "UserPolicyList", "UserName"},
		{"GroupDetailList", "group", "GroupPolicyList", "GroupName"},
	} {
		for _, e := range elems(root.Get(list.key)) {
			owner := list.kind + " " + str(e.Get(list.name))
			if list.kind == "role" {
				if v := e.Get("AssumeRolePolicyDocument"); v != nil {
					docs = append(docs, snapshotDoc{owner: owner + " (trust policy)", arn: str(e.Get("Arn")), value: v, typ: policy.Trust})
				}
			}
			for _, p := range elems(e.Get(list.policies)) {
				if v := p.Get("PolicyDocument"); v != nil {
					docs = append(docs, snapshotDoc{owner: owner + " (inline policy " + str(p.Get("PolicyName")) + ")", value: v, typ: policy.Identity})
				}
			}
			for _, a := range elems(e.Get("AttachedManagedPolicies")) {
				arn := str(a.Get("PolicyArn"))
				attached[arn] = append(attached[arn], owner)
			}
		}
	}
	for _, p := range elems(root.Get("Policies")) {
		arn := str(p.Get("Arn"))
		if awsManaged(arn) {
			// With --filter AWSManagedPolicy the snapshot holds AWS's own
			// policies too: the account cannot change them.
			continue
		}
		owner := "policy " + str(p.Get("PolicyName"))
		if who := attached[arn]; len(who) > 0 {
			owner += " (attached to " + strings.Join(who, ", ") + ")"
		}
		for _, v := range elems(p.Get("PolicyVersionList")) {
			if d := v.Get("Document"); d != nil && (v.Get("IsDefaultVersion") == nil || v.Get("IsDefaultVersion").Bool) {
				docs = append(docs, snapshotDoc{owner: owner, value: d, typ: policy.Identity})
			}
		}
	}
	var out []source.Diagnostic
	for _, d := range docs {
		out = append(out, snapshotLint(f, d, cat, checks, flows)...)
	}
	source.Sort(out)
	return source.Dedupe(out)
}

// snapshotLint lints one document of a snapshot.
func snapshotLint(f *source.File, d snapshotDoc, cat *catalog.Catalog, checks []*Check, flows *Workflows) []source.Diagnostic {
	file, value := f, d.value
	if d.value.Kind == jsonpos.String {
		// URL-encoded, as the API returns it: lint the decoded text, and
		// point every finding at the string.
		text, err := url.PathUnescape(d.value.Str)
		if err != nil {
			text = d.value.Str
		}
		file = source.NewFile(f.Name, []byte(text))
		root, jerrs := jsonpos.Parse(file.Data)
		if root == nil {
			msg := "the document is not JSON"
			if len(jerrs) > 0 {
				msg += ": " + jerrs[0].Msg
			}
			return []source.Diagnostic{{File: f.Name, Pos: f.Position(d.value.Offset), Severity: source.Error,
				Message: d.owner + ": " + msg, Check: policy.CheckJSON}}
		}
		value = root
	}
	doc, diags := policy.ParseValue(file, value, d.typ)
	out := Policy(file, doc, diags, d.typ, cat, checks)
	if flows != nil && d.typ == policy.Trust && doc != nil && hasCheck(checks, TrustWorkflows.ID) && (flows.Role == "" || flows.Role == d.arn) {
		out = append(out, CheckTrustWorkflows(file, doc, flows, cat)...)
	}
	for i := range out {
		out[i].Message = d.owner + ": " + out[i].Message
		if file != f {
			out[i].Pos, out[i].Fix = f.Position(d.value.Offset), source.Fix{}
		}
	}
	return out
}

func elems(v *jsonpos.Value) []*jsonpos.Value {
	if v == nil || v.Kind != jsonpos.Array {
		return nil
	}
	return v.Elems
}

func str(v *jsonpos.Value) string {
	if v == nil || v.Kind != jsonpos.String {
		return "?"
	}
	return v.Str
}

// awsManaged reports whether a policy ARN is one of AWS's managed
// policies (arn:aws:iam::aws:policy/..., in any partition).
func awsManaged(arn string) bool {
	_, rest, ok := strings.Cut(arn, ":iam::aws:policy/")
	return ok && rest != "" && strings.HasPrefix(arn, "arn:")
}
