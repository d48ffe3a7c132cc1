package cli

import (
	"fmt"
	"strings"

	"github.com/iamfit/iamfit/internal/jsonpos"
	"github.com/iamfit/iamfit/internal/policy"
	"github.com/iamfit/iamfit/internal/source"
)

// generatedRoles returns the roles of generate --format json output
// ({"version": N, "roles": [{"role": ARN, "permissionPolicy": {...}}]})
// that have a permission policy, each policy parsed where it stands in
// the file, so that positions are the file's; ok is false when the file is
// not of that shape (then it is read as a policy file).
func generatedRoles(f *source.File) (roles []generatedRole, ok bool, err error) {
	root, jerrs := jsonpos.Parse(f.Data)
	if len(jerrs) > 0 || root == nil || root.Kind != jsonpos.Object {
		return nil, false, nil
	}
	version, list := root.Get("version"), root.Get("roles")
	if version == nil || version.Kind != jsonpos.Number || list == nil || list.Kind != jsonpos.Array || root.Get("Statement") != nil {
		return nil, false, nil
	}
	for i, r := range list.Elems {
		arnV, pp := r.Get("role"), r.Get("permissionPolicy")
		if arnV == nil || arnV.Kind != jsonpos.String {
			return nil, true, fmt.Errorf("%s: roles[%d] has no \"role\"", f.Name, i)
		}
		if pp == nil || pp.Kind == jsonpos.Null {
			continue
		}
		doc, diags := policy.ParseValue(f, pp, policy.Identity)
		for _, d := range diags {
			if d.Severity == source.Error {
				return nil, true, fmt.Errorf("%s: the permission policy of %s: %s", f.Name, arnV.Str, d)
			}
		}
		if doc == nil {
			return nil, true, fmt.Errorf("%s: the permission policy of %s is not a policy", f.Name, arnV.Str)
		}
		roles = append(roles, generatedRole{ARN: arnV.Str, Doc: doc})
	}
	return roles, true, nil
}

// generatedRole is one role's permission policy in generate's JSON.
type generatedRole struct {
	ARN string
	Doc *policy.Policy
}

// pickRole selects the role named by want (its ARN or name), or the only
// role when want is empty.
func pickRole(name string, roles []generatedRole, want string) (generatedRole, error) {
	var arns []string
	for _, r := range roles {
		arns = append(arns, r.ARN)
		if want != "" && (r.ARN == want || roleName(r.ARN) == want) {
			return r, nil
		}
	}
	switch {
	case len(roles) == 0:
		return generatedRole{}, fmt.Errorf("%s has no role with a permission policy", name)
	case want != "":
		return generatedRole{}, fmt.Errorf("%s has no role %s (it has %s)", name, want, strings.Join(arns, ", "))
	case len(roles) > 1:
		return generatedRole{}, fmt.Errorf("%s has %d roles with permission policies (%s): choose one with --role", name, len(roles), strings.Join(arns, ", "))
	}
	return roles[0], nil
}

func roleName(arn string) string {
	if i := strings.LastIndexByte(arn, '/'); i >= 0 {
		return arn[i+1:]
	}
	return arn
}
