package tf

import (
	"fmt"
	"sort"
	"strings"

	"github.com/hashicorp/hcl/v2/hclsyntax"

	"github.com/iamfit/iamfit/internal/jsonpos"
	"github.com/iamfit/iamfit/internal/policy"
	"github.com/iamfit/iamfit/internal/source"
)

// Config is what a configuration says of IAM: its policy documents and
// its roles with the permission policies that belong to each.
type Config struct {
	// Documents are the documents the file writes, in file order (what
	// Parse returns).
	Documents []Document
	// Policies are the permission policies, in file order, whether a role
	// of the file takes them or not: aws_iam_role's inline_policy blocks,
	// aws_iam_role_policy and aws_iam_policy resources. A policy argument
	// that refers to a data source of the file has its document.
	Policies []*Document
	// Roles are the roles, in file order.
	Roles []*Role
	// Strays are the policies attached to a role of the configuration
	// (aws_iam_role.x) that the file does not declare, or to no role.
	Strays []Stray
}

// Role is an aws_iam_role, or a role made elsewhere that a policy of the
// file names (role = "deploy", role = var.role).
type Role struct {
	// Address is the aws_iam_role's; for a role made elsewhere, that of
	// the first resource that names it.
	Address string
	// Name is the name argument: a literal, "${var.role_name}", or ""
	// when the file does not say.
	Name string
	// Declared is false for a role made elsewhere.
	Declared bool
	// Pos is where the block of Address starts.
	Pos source.Pos
	// Policies are its permission policies: its inline_policy blocks,
	// then the aws_iam_role_policy resources and attached aws_iam_policy
	// resources in file order, then the aws_iam_policy resources its
	// managed_policy_arns name.
	Policies []*Document
	// Unresolved are the policy ARNs attached to it (managed_policy_arns,
	// then policy_arn of attachments) that name no aws_iam_policy of the
	// file: AWS managed policies, policies made elsewhere.
	Unresolved []string
}

// Stray is a policy attached to a role the file does not declare.
type Stray struct {
	// Address is the attaching resource's.
	Address string
	// Role is its role argument: "${aws_iam_role.x.name}", or "".
	Role string
	Pos  source.Pos
}

// attachment is a role argument: a policy of aws_iam_role_policy (doc)
// or the ARN of aws_iam_role_policy_attachment.
type attachment struct {
	role, arn, addr string
	doc             *Document
	pos             source.Pos
}

// Read reads a .tf file: its policy documents in file order, as Parse
// returns them, and its roles with their permission policies. A role
// argument names a role by reference (aws_iam_role.x.id or .name) or by
// the role's name; policy_arn and managed_policy_arns name an
// aws_iam_policy by reference (.arn or .id).
func Read(f *source.File) (*Config, error) {
	body, err := body(f)
	if err != nil || body == nil {
		return &Config{}, err
	}
	r := &reader{f: f, data: map[string]*jsonpos.Value{}}
	// Data sources first: a resource may refer to one declared below it.
	for _, b := range body.Blocks {
		if b.Type == "data" && len(b.Labels) == 2 && b.Labels[0] == "aws_iam_policy_document" {
			r.data["data."+b.Labels[0]+"."+b.Labels[1]] = r.document(b.Body)
		}
	}
	c := &Config{}
	var attachments []attachment
	arns := map[string]*Document{} // "${aws_iam_policy.x.arn}" -> its document
	managed := map[*Role][]string{}
	for _, b := range body.Blocks {
		switch {
		case b.Type == "data" && len(b.Labels) == 2 && b.Labels[0] == "aws_iam_policy_document":
			addr := "data." + b.Labels[0] + "." + b.Labels[1]
			c.Documents = append(c.Documents, Document{Address: addr, Type: policy.Any, Pos: r.f.Position(b.TypeRange.Start.Byte), Value: r.data[addr]})
		case b.Type == "resource" && len(b.Labels) == 2:
			typ, addr, a := b.Labels[0], b.Labels[0]+"."+b.Labels[1], b.Body.Attributes
			pos := r.f.Position(b.TypeRange.Start.Byte)
			read := func(where string, pt policy.Type, attr *hclsyntax.Attribute) *Document {
				d, in := r.arg(addr, where, pt, attr)
				if in {
					c.Documents = append(c.Documents, *d)
				}
				return d
			}
			var policyDoc *Document
			for _, pa := range policyArgs[typ] {
				if attr := a[pa.arg]; attr != nil {
					d := read(pa.arg, pa.typ, attr)
					if pa.typ == policy.Identity {
						policyDoc = d
					}
				}
			}
			switch typ {
			case "aws_iam_role":
				role := &Role{Address: addr, Name: r.str(a["name"]), Declared: true, Pos: pos}
				n := 0
				for _, ib := range b.Body.Blocks {
					if ib.Type != "inline_policy" {
						continue
					}
					if attr := ib.Body.Attributes["policy"]; attr != nil {
						d := read(fmt.Sprintf("inline_policy[%d].policy", n), policy.Identity, attr)
						role.Policies = append(role.Policies, d)
						c.Policies = append(c.Policies, d)
					}
					n++
				}
				managed[role] = r.strs(a["managed_policy_arns"])
				c.Roles = append(c.Roles, role)
			case "aws_iam_policy":
				if policyDoc != nil {
					c.Policies = append(c.Policies, policyDoc)
					arns["${"+addr+".arn}"] = policyDoc
					arns["${"+addr+".id}"] = policyDoc
				}
			case "aws_iam_role_policy":
				if policyDoc != nil {
					c.Policies = append(c.Policies, policyDoc)
					attachments = append(attachments, attachment{role: r.str(a["role"]), doc: policyDoc, addr: addr, pos: pos})
				}
			case "aws_iam_role_policy_attachment":
				attachments = append(attachments, attachment{role: r.str(a["role"]), arn: r.str(a["policy_arn"]), addr: addr, pos: pos})
			}
		}
	}
	c.attach(attachments, arns, managed)
	return c, nil
}

// attach gives every role the policies attached to it.
func (c *Config) attach(attachments []attachment, arns map[string]*Document, managed map[*Role][]string) {
	for _, role := range c.Roles {
		role.Unresolved = managed[role]
	}
	for _, at := range attachments {
		role := c.find(at.role)
		if role == nil {
			if at.role == "" || strings.Contains(at.role, "${aws_iam_role.") {
				c.Strays = append(c.Strays, Stray{Address: at.addr, Role: at.role, Pos: at.pos})
				continue
			}
			role = &Role{Address: at.addr, Name: at.role, Pos: at.pos}
			c.Roles = append(c.Roles, role)
		}
		switch {
		case at.doc != nil:
			role.Policies = append(role.Policies, at.doc)
		case arns[at.arn] != nil:
			role.Policies = append(role.Policies, arns[at.arn])
		default:
			role.Unresolved = append(role.Unresolved, at.arn)
		}
	}
	for _, role := range c.Roles {
		var left []string
		for _, arn := range role.Unresolved {
			if d := arns[arn]; d != nil {
				role.Policies = append(role.Policies, d)
			} else {
				left = append(left, arn)
			}
		}
		role.Unresolved = left
	}
	sort.SliceStable(c.Roles, func(i, j int) bool { return c.Roles[i].Pos.Line < c.Roles[j].Pos.Line })
}

// find returns the role a role argument names: "${aws_iam_role.x.id}"
// or "${aws_iam_role.x.name}" of a declared role, or a role's name.
func (c *Config) find(ref string) *Role {
	for _, role := range c.Roles {
		if role.Declared && (ref == "${"+role.Address+".id}" || ref == "${"+role.Address+".name}") || role.Name != "" && ref == role.Name {
			return role
		}
	}
	return nil
}

// str reads an argument that is a string: a literal, or "${...}" for what
// Terraform evaluates; "" when it is missing or of another type.
func (r *reader) str(a *hclsyntax.Attribute) string {
	if a == nil {
		return ""
	}
	if v := r.value(a.Expr); v.Kind == jsonpos.String {
		return v.Str
	}
	return ""
}

// strs reads an argument that is a list of strings.
func (r *reader) strs(a *hclsyntax.Attribute) []string {
	if a == nil {
		return nil
	}
	var out []string
	for _, e := range r.value(a.Expr).Elems {
		if e.Kind == jsonpos.String {
			out = append(out, e.Str)
		}
	}
	return out
}
