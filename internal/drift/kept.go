// Package drift compares the permission policies that a repository's
// workflows need (the generated plans) with the policies the repository
// keeps for the same roles (a JSON policy, a CloudFormation template, a
// Terraform configuration): what the workflows need that the kept policy
// does not allow, and what the kept policy grants beyond the needs.
package drift

import (
	"fmt"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"sync"

	"github.com/iamfit/iamfit/internal/cfn"
	"github.com/iamfit/iamfit/internal/jsonpos"
	"github.com/iamfit/iamfit/internal/source"
)

// Kept is one role as the repository keeps it, with its permission
// policies.
type Kept struct {
	// Name is the role name the file gives: a literal, a parameter
	// ({{Name}}) or "" when the file does not say.
	Name string
	// ID is the role's identity inside its file: the CloudFormation
	// logical id, the Terraform address (aws_iam_role.deploy) or, for a
	// JSON policy, the file's base name.
	ID   string
	File string
	Pos  source.Pos
	Docs []*Doc
	// Unresolved lists attached policies whose documents the files do not
	// hold (AWS managed policies, policies of other files): their grants are
	// not compared.
	Unresolved []string
}

// Label names the role for people: its name and where it is kept.
func (k *Kept) Label() string {
	if k.Name != "" && k.Name != k.ID {
		return fmt.Sprintf("%s (%s in %s)", k.Name, k.ID, k.File)
	}
	return fmt.Sprintf("%s in %s", k.ID, k.File)
}

// Doc is one permission policy attached to a kept role.
type Doc struct {
	// Where says where the document is: "template.yaml:12 Policies[0]".
	Where string
	File  *source.File
	Root  *jsonpos.Value
	// Named is true when Where, not its statements' lines, names what the
	// document grants: a Terraform argument, whose statements may be the
	// blocks of a data source.
	Named bool
}

// Read reads the roles kept in one file: a JSON policy, a CloudFormation
// template or a Terraform file (.tf). Problems that make the file
// unusable are errors; others are diagnostics.
func Read(f *source.File) ([]*Kept, []source.Diagnostic, error) {
	switch {
	case strings.HasSuffix(f.Name, ".tf"):
		return readTerraform(f)
	case cfn.LooksLikeTemplate(f.Data):
		return readTemplate(f)
	}
	return readJSON(f)
}

func readJSON(f *source.File) ([]*Kept, []source.Diagnostic, error) {
	root, errs := jsonpos.Parse(f.Data)
	if len(errs) > 0 {
		return nil, nil, fmt.Errorf("%s:%s: %s", f.Name, f.Position(errs[0].Offset), errs[0].Msg)
	}
	if root.Kind != jsonpos.Object || root.Get("Statement") == nil {
		return nil, nil, fmt.Errorf("%s: not a policy document, a CloudFormation template or a Terraform file", f.Name)
	}
	if isTrust(root) {
		return nil, []source.Diagnostic{{File: f.Name, Pos: f.Position(root.Offset), Severity: source.Info, Check: "check",
			Message: "a trust policy: generate --check compares permission policies; trust policies are lint's (iamfit lint --workflows)"}}, nil
	}
	base := filepath.Base(f.Name)
	base = strings.TrimSuffix(base, filepath.Ext(base))
	return []*Kept{{ID: base, File: f.Name, Pos: f.Position(root.Offset), Docs: []*Doc{{Where: f.Name, File: f, Root: root}}}}, nil, nil
}

// isTrust reports whether a document's statements name principals.
func isTrust(root *jsonpos.Value) bool {
	st := root.Get("Statement")
	var list []*jsonpos.Value
	if st.Kind == jsonpos.Array {
		list = st.Elems
	} else {
		list = []*jsonpos.Value{st}
	}
	for _, s := range list {
		if s.Get("Principal") != nil || s.Get("NotPrincipal") != nil {
			return true
		}
	}
	return false
}

// cfnRef matches a placeholder the cfn reader makes of an intrinsic:
// ${Name} or ${Name.Attr} (pseudo parameters as ${AWS.AccountId}).
var cfnRef = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`\$\{([A-Za-z0-9]+)(\.[A-Za-z0-9.]+)?\}`) })

// cfnString turns the cfn reader's placeholders into iamfit's: pseudo
// parameters to {{AccountId}} and {{Region}}, the partition to aws,
// template parameters and attributes to {{Name}}, and !Sub's escaped
// policy variables ${!x} back to ${x}.
func cfnString(s string) string {
	s = cfnRef().ReplaceAllStringFunc(s, func(m string) string {
		sub := cfnRef().FindStringSubmatch(m)
		switch sub[1] + sub[2] {
		case "AWS.AccountId":
			return "{{AccountId}}"
		case "AWS.Region":
			return "{{Region}}"
		case "AWS.Partition":
			return "aws"
		case "AWS.URLSuffix":
			return "amazonaws.com"
		}
		return "{{" + sub[1] + sub[2] + "}}"
	})
	return strings.ReplaceAll(s, "${!", "${")
}

// mapStrings applies fn to every string of a tree, in place.
func mapStrings(v *jsonpos.Value, fn func(string) string) {
	switch v.Kind {
	case jsonpos.String:
		v.Str = fn(v.Str)
	case jsonpos.Array:
		for _, e := range v.Elems {
			mapStrings(e, fn)
		}
	case jsonpos.Object:
		for _, m := range v.Members {
			mapStrings(m.Value, fn)
		}
	}
}

func readTemplate(f *source.File) ([]*Kept, []source.Diagnostic, error) {
	t, err := cfn.Parse(f)
	if err != nil {
		return nil, nil, fmt.Errorf("%s:%v", f.Name, err)
	}
	res := t.Root.Get("Resources")
	if res == nil || res.Kind != jsonpos.Object {
		return nil, nil, fmt.Errorf("%s: a template without Resources", f.Name)
	}
	// The template's roles and what it attaches to them, before the
	// strings are rewritten into iamfit's parameters (in place: the
	// documents are the template's values).
	roles, others := t.Roles()
	mapStrings(res, cfnString)
	doc := func(p cfn.Policy) *Doc {
		return &Doc{Where: fmt.Sprintf("%s:%d %s %s", f.Name, f.Position(p.Doc.Offset).Line, p.Holder, p.Prop), File: f, Root: p.Doc}
	}
	var out []*Kept
	for _, r := range roles {
		k := &Kept{ID: r.ID, File: f.Name, Pos: f.Position(r.Value.Offset), Name: cfnString(r.Name)}
		for _, p := range r.Policies {
			k.Docs = append(k.Docs, doc(p))
		}
		for _, a := range r.Managed {
			k.Unresolved = append(k.Unresolved, cfnString(a))
		}
		out = append(out, k)
	}
	var diags []source.Diagnostic
	elsewhere := map[string]*Kept{}
	for _, a := range others {
		for _, r := range a.Roles {
			if strings.Contains(r, "${") {
				diags = append(diags, source.Diagnostic{File: f.Name, Severity: source.Info, Check: "check",
					Message: fmt.Sprintf("%s is attached to %s, which the template does not declare: not compared", a.Policy.Holder, cfnString(r))})
				continue
			}
			// A policy for a role made elsewhere, named here.
			if k := elsewhere[r]; k != nil {
				k.Docs = append(k.Docs, doc(a.Policy))
				continue
			}
			k := &Kept{Name: r, ID: a.Policy.Holder, File: f.Name, Pos: f.Position(a.Policy.Doc.Offset), Docs: []*Doc{doc(a.Policy)}}
			elsewhere[r] = k
			out = append(out, k)
		}
	}
	return out, diags, nil
}

// Names lists the roles for messages, sorted.
func Names(ks []*Kept) string {
	var out []string
	for _, k := range ks {
		out = append(out, k.Label())
	}
	sort.Strings(out)
	return strings.Join(out, ", ")
}
