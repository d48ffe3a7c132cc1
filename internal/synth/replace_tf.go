package synth

import (
	"sort"
	"strings"

	"github.com/iamfit/iamfit/internal/catalog"
	"github.com/iamfit/iamfit/internal/need"
	"github.com/iamfit/iamfit/internal/policy"
	"github.com/iamfit/iamfit/internal/tf"
	"github.com/iamfit/iamfit/internal/tree"
)

// terraformReplacements proposes, for the task and execution roles that
// the repository's Terraform task definitions name (need.Role.Declared),
// the generated statements in place of what the configuration grants
// them: the role's inline_policy blocks, the aws_iam_role_policy and
// aws_iam_policy resources attached to it, its managed policies. The
// grants are read from the role's own file (tf.Read); policies that other
// files of its directory attach to it are named, not counted.
func terraformReplacements(t *tree.Tree, plans []*Plan, cat *catalog.Catalog) []Replacement {
	var out []Replacement
	configs := map[string]*tf.Config{}
	read := func(name string) *tf.Config {
		if c, ok := configs[name]; ok {
			return c
		}
		var c *tf.Config
		if f, err := t.Read(name); err == nil {
			c, _ = tf.Read(f)
		}
		configs[name] = c
		return c
	}
	for _, p := range plans {
		d := p.Role.Declared
		if d == nil || p.Role.Service != need.ECSTasks {
			continue
		}
		c := read(d.File)
		if c == nil {
			continue
		}
		var role *tf.Role
		for _, r := range c.Roles {
			if r.Declared && r.Address == d.Address {
				role = r
			}
		}
		if role == nil {
			continue
		}
		f, _ := t.Read(d.File)
		resource := d.Address
		if d.Module != "" {
			resource = d.Module + "." + d.Address
		}
		r := Replacement{Source: "Terraform", File: d.File, Pos: role.Pos, Resource: resource, RoleName: role.Name,
			MatchedBy: d.By, Plan: p, Removed: map[string]int{}}
		attached := map[*tf.Document]int{}
		for _, other := range c.Roles {
			for _, pd := range other.Policies {
				attached[pd]++
			}
		}
		granted := map[*catalog.Action]bool{}
		grant := func(acts []string) {
			for _, a := range acts {
				if as, err := cat.Expand(a); err == nil {
					for _, x := range as {
						granted[x] = true
					}
				}
			}
		}
		inline := false
		for _, pd := range role.Policies {
			prefix := ""
			if pd.Address == role.Address {
				inline = true
			} else {
				prefix = pd.Address + ": "
				r.Replace = append(r.Replace, pd.Address)
				if attached[pd] > 1 {
					r.Shared = append(r.Shared, pd.Address)
				}
			}
			if pd.Value == nil {
				r.Current = append(r.Current, prefix+"a policy iamfit cannot read")
				continue
			}
			pol, _ := policy.ParseValue(f, pd.Value, policy.Identity)
			if pol == nil {
				continue
			}
			r.Current = append(r.Current, allowed(pol, prefix, grant)...)
		}
		if inline {
			r.Replace = append([]string{"its inline_policy blocks"}, r.Replace...)
		}
		for _, a := range role.Unresolved {
			switch {
			case isManagedExecutionPolicy(a):
				grant(catalog.ManagedExecutionPolicy)
				r.Current = append(r.Current, "AmazonECSTaskExecutionRolePolicy (AWS managed): "+strings.Join(catalog.ManagedExecutionPolicy, ", ")+" on *")
			default:
				r.Current = append(r.Current, a+" (a managed policy whose document the repository does not hold)")
				r.Unread = append(r.Unread, a)
			}
		}
		if len(role.Unresolved) > 0 {
			r.Replace = append(r.Replace, "its managed policy attachments")
		}
		// Policies the role's other files attach to it.
		for _, name := range siblings(t, d.File) {
			oc := read(name)
			if oc == nil {
				continue
			}
			for _, st := range oc.Strays {
				if st.Role == "${"+role.Address+".id}" || st.Role == "${"+role.Address+".name}" {
					r.Elsewhere = append(r.Elsewhere, st.Address+" ("+name+":"+itoa(st.Pos.Line)+")")
				}
			}
		}
		kept := map[string]bool{}
		for _, st := range p.Statements {
			for _, a := range st.Actions {
				kept[strings.ToLower(a)] = true
			}
		}
		for a := range granted {
			if !kept[strings.ToLower(a.String())] {
				r.Removed[a.Service.Key]++
			}
		}
		out = append(out, r)
	}
	sort.SliceStable(out, func(i, j int) bool {
		if out[i].File != out[j].File {
			return out[i].File < out[j].File
		}
		return out[i].Pos.Line < out[j].Pos.Line
	})
	return out
}

// siblings lists the other .tf files of a file's directory.
func siblings(t *tree.Tree, name string) []string {
	dir := name[:strings.LastIndexByte(name, '/')+1]
	var out []string
	for _, e := range t.Files {
		if e.Name != name && strings.HasPrefix(e.Name, dir) && strings.HasSuffix(e.Name, ".tf") && !strings.Contains(e.Name[len(dir):], "/") {
			out = append(out, e.Name)
		}
	}
	return out
}

func itoa(n int) string {
	if n == 0 {
		return "0"
	}
	var b []byte
	for ; n > 0; n /= 10 {
		b = append([]byte{byte('0' + n%10)}, b...)
	}
	return string(b)
}
