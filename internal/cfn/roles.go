package cfn

import (
	"fmt"
	"path"
	"strings"

	"github.com/iamfit/iamfit/internal/jsonpos"
	"github.com/iamfit/iamfit/internal/need"
)

// Role is an AWS::IAM::Role of a template with the permission policies
// the template attaches to it.
type Role struct {
	// ID is the logical id; Value the resource, KeyOffset where its id is.
	ID        string
	Value     *jsonpos.Value
	KeyOffset int
	// Name is the RoleName as written (placeholders and all), "" when
	// CloudFormation generates the name.
	Name  string
	Trust *jsonpos.Value
	// Policies are the role's own Policies, then the AWS::IAM::Policy,
	// ManagedPolicy and RolePolicy resources that name the role, then the
	// template's managed policies that its ManagedPolicyArns lists.
	Policies []Policy
	// Managed are the ManagedPolicyArns the template does not declare
	// (AWS managed policies, other stacks' policies), as written: their
	// documents are not in the template.
	Managed []string
}

// Policy is a permission policy document of a template.
type Policy struct {
	// Holder is the logical id of the resource that holds the document:
	// the role for its Policies, else the policy resource; HolderType
	// is its type.
	Holder, HolderType string
	// Prop is the property: "Policies[0]", "PolicyDocument".
	Prop string
	// Name is the PolicyName or ManagedPolicyName, if the template gives
	// one.
	Name string
	Doc  *jsonpos.Value
}

// Where names the policy for people: "Policies[0] (backend)" for a
// role's own, "AppPolicy (AWS::IAM::Policy)" for a policy resource.
func (p Policy) Where() string {
	if p.HolderType == "AWS::IAM::Role" {
		if p.Name != "" {
			return fmt.Sprintf("%s (%s)", p.Prop, p.Name)
		}
		return p.Prop
	}
	return fmt.Sprintf("%s (%s)", p.Holder, p.HolderType)
}

// Attachment is a policy resource and the roles it names (its Roles, or
// a RolePolicy's RoleName), as written.
type Attachment struct {
	Policy Policy
	Roles  []string
}

// Roles returns the template's roles in template order, each with the
// policies the template attaches to it, and apart the attachments that
// name roles the template does not declare. A policy names a role of the
// template by !Ref (its logical id) or by its RoleName; a role lists a
// managed policy of the template by !Ref. Documents are returned as they
// are written (Fn::If not expanded), so that callers may rewrite their
// strings in place.
func (t *Template) Roles() ([]*Role, []Attachment) {
	res := t.Root.Get("Resources")
	if res == nil || res.Kind != jsonpos.Object {
		return nil, nil
	}
	var roles []*Role
	var attachments []Attachment
	managed := map[string]Policy{} // "${Id}" of each managed policy -> it
	for _, m := range resources(res) {
		typ, props := str(m.Value.Get("Type")), m.Value.Get("Properties")
		if props == nil || props.Kind != jsonpos.Object {
			continue
		}
		switch typ {
		case "AWS::IAM::Role":
			r := &Role{ID: m.Key, Value: m.Value, KeyOffset: m.KeyOffset, Name: str(props.Get("RoleName")), Trust: props.Get("AssumeRolePolicyDocument")}
			if ps := props.Get("Policies"); ps != nil && ps.Kind == jsonpos.Array {
				for i, p := range ps.Elems {
					if d := p.Get("PolicyDocument"); d != nil && d.Kind == jsonpos.Object {
						r.Policies = append(r.Policies, Policy{Holder: m.Key, HolderType: typ, Prop: fmt.Sprintf("Policies[%d]", i),
							Name: str(p.Get("PolicyName")), Doc: d})
					}
				}
			}
			r.Managed = strList(props.Get("ManagedPolicyArns"))
			roles = append(roles, r)
		case "AWS::IAM::Policy", "AWS::IAM::ManagedPolicy", "AWS::IAM::RolePolicy":
			d := props.Get("PolicyDocument")
			if d == nil || d.Kind != jsonpos.Object {
				continue
			}
			p := Policy{Holder: m.Key, HolderType: typ, Prop: "PolicyDocument", Name: str(props.Get("PolicyName")), Doc: d}
			names := strList(props.Get("Roles"))
			if typ == "AWS::IAM::RolePolicy" {
				names = strList(props.Get("RoleName"))
			}
			if typ == "AWS::IAM::ManagedPolicy" {
				p.Name = str(props.Get("ManagedPolicyName"))
				managed["${"+m.Key+"}"] = p
			}
			attachments = append(attachments, Attachment{Policy: p, Roles: names})
		}
	}
	find := func(ref string) *Role {
		for _, r := range roles {
			if ref == "${"+r.ID+"}" || r.Name != "" && ref == r.Name {
				return r
			}
		}
		return nil
	}
	var others []Attachment
	for _, a := range attachments {
		var elsewhere []string
		for _, name := range a.Roles {
			if r := find(name); r != nil {
				r.Policies = append(r.Policies, a.Policy)
			} else {
				elsewhere = append(elsewhere, name)
			}
		}
		if len(elsewhere) > 0 {
			others = append(others, Attachment{Policy: a.Policy, Roles: elsewhere})
		}
	}
	for _, r := range roles {
		var left []string
		for _, arn := range r.Managed {
			p, ok := managed[arn]
			if !ok {
				left = append(left, arn)
				continue
			}
			if !hasPolicy(r.Policies, p) {
				// A managed policy of the template that the role lists
				// (and that may also list the role).
				r.Policies = append(r.Policies, p)
			}
		}
		r.Managed = left
	}
	return roles, others
}

func hasPolicy(ps []Policy, p Policy) bool {
	for _, x := range ps {
		if x.Doc == p.Doc {
			return true
		}
	}
	return false
}

// strList returns a property as a list of strings: a string, or the
// strings of a list.
func strList(v *jsonpos.Value) []string {
	if v == nil {
		return nil
	}
	if v.Kind == jsonpos.String {
		return []string{v.Str}
	}
	var out []string
	for _, e := range v.Elems {
		if e.Kind == jsonpos.String {
			out = append(out, e.Str)
		}
	}
	return out
}

// RoleRef returns the logical id a role reference names: ${Id} (!Ref,
// the role's name) or ${Id.Arn} (!GetAtt Id.Arn).
func RoleRef(s string) (string, bool) {
	if !strings.HasPrefix(s, "${") || !strings.HasSuffix(s, "}") || strings.Count(s, "${") != 1 {
		return "", false
	}
	id := strings.TrimSuffix(s[2:len(s)-1], ".Arn")
	if id == "" || strings.ContainsAny(id, ".:") {
		return "", false
	}
	return id, true
}

// Qualifier names the template among the repository's: its path without
// the extension, as an identifier (infra/worker.yaml is InfraWorker). A
// role whose logical id two templates use is {{InfraWorkerTaskRole.Arn}}
// in one, so that the two roles stay two.
func (t *Template) Qualifier() string {
	return need.Identifier(strings.TrimSuffix(t.File.Name, path.Ext(t.File.Name)))
}
