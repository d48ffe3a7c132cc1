package drift

import (
	"fmt"
	"regexp"
	"strings"
	"sync"

	"github.com/iamfit/iamfit/internal/jsonpos"
	"github.com/iamfit/iamfit/internal/source"
	"github.com/iamfit/iamfit/internal/tf"
)

// tfRef matches a reference the tf reader leaves in a string:
// ${var.name}, ${data.aws_region.current.name}, ${aws_s3_bucket.b[0].arn}.
// IAM's policy variables (${aws:username}, ${*}) do not match.
var tfRef = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`\$\{([A-Za-z_][A-Za-z0-9_.\-\[\]"]*)\}`) })

// tfIndex writes a reference's index steps as attributes: b[0] is b.0.
var tfIndex = strings.NewReplacer(`["`, ".", `"]`, "", "[", ".", "]", "")

// tfString turns the tf reader's references into iamfit's parameters:
// the account, region and partition data sources become {{AccountId}},
// {{Region}} and aws, variables {{name}}, anything else {{address}}.
func tfString(s string) string {
	return tfRef().ReplaceAllStringFunc(s, func(m string) string {
		addr := tfIndex.Replace(m[2 : len(m)-1])
		parts := strings.Split(addr, ".")
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
			}
		}
		if len(parts) == 2 && parts[0] == "var" {
			return "{{" + parts[1] + "}}"
		}
		return "{{" + addr + "}}"
	})
}

// cloneStrings copies a tree with fn applied to every string: the tf
// reader's trees may be shared (a data source's document, an
// aws_iam_policy attached to two roles), and a kept document's strings
// are bound in place.
func cloneStrings(v *jsonpos.Value, fn func(string) string) *jsonpos.Value {
	c := *v
	if c.Kind == jsonpos.String {
		c.Str = fn(c.Str)
	}
	c.Elems = nil
	for _, e := range v.Elems {
		c.Elems = append(c.Elems, cloneStrings(e, fn))
	}
	c.Members = nil
	for _, m := range v.Members {
		c.Members = append(c.Members, jsonpos.Member{Key: m.Key, KeyOffset: m.KeyOffset, Value: cloneStrings(m.Value, fn)})
	}
	return &c
}

// tfDoc is a permission policy of a Terraform file as a kept document,
// named by its line, resource and argument: "main.tf:9
// aws_iam_role_policy.push policy".
func tfDoc(f *source.File, d *tf.Document) (*Doc, error) {
	what := d.Where
	if strings.HasPrefix(what, "inline_policy") {
		what = "inline_policy"
	}
	name := fmt.Sprintf("%s:%d %s %s", f.Name, d.Pos.Line, d.Address, what)
	if len(d.Diagnostics) > 0 {
		return nil, fmt.Errorf("%s: invalid JSON: %s", name, d.Diagnostics[0].Message)
	}
	if d.Value == nil {
		return nil, fmt.Errorf("%s:%d: %s: %s is not a policy iamfit can read (jsonencode, a heredoc or aws_iam_policy_document)", f.Name, d.Pos.Line, d.Address, what)
	}
	return &Doc{Where: name, File: f, Root: cloneStrings(d.Value, tfString), Named: true}, nil
}

// readTerraform reads the roles of a .tf file with tf.Read: every
// permission policy must be one iamfit can read; a policy attached to a
// role the file does not declare is a note.
func readTerraform(f *source.File) ([]*Kept, []source.Diagnostic, error) {
	c, err := tf.Read(f)
	if err != nil {
		return nil, nil, fmt.Errorf("%s:%v", f.Name, err)
	}
	docs := map[*tf.Document]*Doc{}
	for _, d := range c.Policies {
		if docs[d], err = tfDoc(f, d); err != nil {
			return nil, nil, err
		}
	}
	var out []*Kept
	for _, r := range c.Roles {
		k := &Kept{ID: r.Address, Name: tfString(r.Name), File: f.Name, Pos: r.Pos}
		for _, d := range r.Policies {
			k.Docs = append(k.Docs, docs[d])
		}
		for _, u := range r.Unresolved {
			k.Unresolved = append(k.Unresolved, tfString(u))
		}
		out = append(out, k)
	}
	var notes []source.Diagnostic
	for _, s := range c.Strays {
		notes = append(notes, source.Diagnostic{File: f.Name, Pos: s.Pos, Severity: source.Info, Check: "check",
			Message: fmt.Sprintf("%s attaches to %q, a role this file does not declare: not compared", s.Address, tfString(s.Role))})
	}
	return out, notes, nil
}
