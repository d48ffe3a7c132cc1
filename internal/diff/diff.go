// Package diff compares the access two policies grant: what one allows
// that the other does not, by action and resource pattern.
package diff

import (
	"sort"
	"strings"

	"github.com/iamfit/iamfit/internal/arn"
	"github.com/iamfit/iamfit/internal/catalog"
	"github.com/iamfit/iamfit/internal/need"
	"github.com/iamfit/iamfit/internal/policy"
	"github.com/iamfit/iamfit/internal/source"
)

// Grant is access that one policy gives and the other does not.
type Grant struct {
	Actions    []string
	Resource   string
	Conditions string // canonical text, "" without conditions
	Pos        source.Pos
	// Broad marks grants by exclusion (NotAction, NotResource) that are
	// reported whole.
	Broad string
	// Unknown are the action patterns of Actions that the pinned catalog
	// does not know (an action newer than the catalog, or a mistyped
	// one): what they grant cannot be compared, so they count as
	// possibly wider unless A allows the very same pattern.
	Unknown []string
}

// pair is one action on one resource pattern under conditions.
type pair struct {
	action   *catalog.Action
	resource string
	conds    string
	pos      source.Pos
}

type stmt struct {
	actions  []string // lower-case patterns
	resource []string
	// notAction and notResource mark exclusion lists: the statement
	// covers what the list does not match.
	notAction, notResource bool
	conds                  map[string]bool
}

// Wider returns the access b grants that a does not. Allow statements are
// expanded to catalog actions; a pair of b is covered when a statement of
// a allows the action on a resource pattern that covers b's and asks no
// condition that b's statement does not ask.
//
// Deny statements count on the safe side: a pair of b that b's own
// unconditional Deny takes away entirely is not a grant; a pair that a
// Deny of a may touch (a matching action, an overlapping resource, any
// conditions) is not covered by a, unless b has the same Deny. So the
// result can overstate what b adds, never understate it. Exclusion grants
// (NotAction, NotResource) of b are reported whole unless a has the same
// statement.
func Wider(a, b *policy.Policy, cat *catalog.Catalog) []Grant {
	as := allows(a)
	bDenies := denies(b, nil)
	aDenies := denies(a, b) // a's denies that b does not share
	var out []Grant
	groups := map[string]*Grant{}
	var order []string
	for _, s := range b.Statements {
		if s.Effect != policy.Allow {
			continue
		}
		if s.NotAction != nil || s.NotResource != nil {
			if !sameInA(s, a) {
				kind := "NotAction"
				if s.NotResource != nil && s.NotAction == nil {
					kind = "NotResource"
				}
				out = append(out, Grant{Pos: s.Pos, Broad: kind, Conditions: condText(s)})
			}
			continue
		}
		if s.Action == nil || s.Resource == nil {
			continue
		}
		conds := condSet(s)
		for _, av := range s.Action.Values {
			acts, err := cat.Expand(av.Value)
			if err != nil || len(acts) == 0 {
				// Not in the catalog: compared as written, on the safe side.
				name := strings.ToLower(av.Value)
				for _, rv := range s.Resource.Values {
					if deniedWhole(bDenies, name, rv.Value) ||
						coveredName(as, name, rv.Value, conds) && !touched(aDenies, name, rv.Value) {
						continue
					}
					key := rv.Value + "\x00" + condText(s) + "\x00unknown"
					g, ok := groups[key]
					if !ok {
						g = &Grant{Resource: rv.Value, Conditions: condText(s), Pos: s.Pos}
						groups[key] = g
						order = append(order, key)
					}
					g.Actions = append(g.Actions, av.Value)
					g.Unknown = append(g.Unknown, av.Value)
				}
				continue
			}
			for _, act := range acts {
				name := strings.ToLower(act.String())
				for _, rv := range s.Resource.Values {
					if deniedWhole(bDenies, name, rv.Value) {
						continue
					}
					if covered(as, act, rv.Value, conds) && !touched(aDenies, name, rv.Value) {
						continue
					}
					key := rv.Value + "\x00" + condText(s)
					g, ok := groups[key]
					if !ok {
						g = &Grant{Resource: rv.Value, Conditions: condText(s), Pos: s.Pos}
						groups[key] = g
						order = append(order, key)
					}
					g.Actions = append(g.Actions, act.String())
				}
			}
		}
	}
	for _, k := range order {
		g := groups[k]
		sort.Strings(g.Actions)
		g.Actions = dedupe(g.Actions)
		if g.Unknown != nil {
			sort.Strings(g.Unknown)
			g.Unknown = dedupe(g.Unknown)
		}
		out = append(out, *g)
	}
	return out
}

func dedupe(s []string) []string {
	out := s[:0]
	for i, x := range s {
		if i == 0 || x != s[i-1] {
			out = append(out, x)
		}
	}
	return out
}

func allows(p *policy.Policy) []stmt { return statements(p, policy.Allow, nil) }

// denies returns p's Deny statements, leaving out those that other has too.
func denies(p, other *policy.Policy) []stmt { return statements(p, policy.Deny, other) }

func statements(p *policy.Policy, effect policy.Effect, skipSameIn *policy.Policy) []stmt {
	var out []stmt
	for _, s := range p.Statements {
		if s.Effect != effect || skipSameIn != nil && sameInA(s, skipSameIn) {
			continue
		}
		st := stmt{conds: condSet(s)}
		acts, res := s.Action, s.Resource
		if s.NotAction != nil {
			acts, st.notAction = s.NotAction, true
		}
		if s.NotResource != nil {
			res, st.notResource = s.NotResource, true
		}
		if acts == nil || res == nil {
			continue
		}
		for _, v := range acts.Values {
			st.actions = append(st.actions, strings.ToLower(v.Value))
		}
		for _, v := range res.Values {
			st.resource = append(st.resource, v.Value)
		}
		out = append(out, st)
	}
	return out
}

func condSet(s *policy.Statement) map[string]bool {
	out := map[string]bool{}
	for _, c := range s.Conditions {
		vals := make([]string, 0, len(c.Values))
		for _, v := range c.Values {
			vals = append(vals, v.Value)
		}
		out[need.CondKey([]need.Cond{{Op: c.Operator.Value, Key: c.Key.Value, Values: vals}})] = true
	}
	return out
}

func condText(s *policy.Statement) string {
	var parts []string
	for _, c := range s.Conditions {
		var vals []string
		for _, v := range c.Values {
			vals = append(vals, v.Value)
		}
		parts = append(parts, c.Operator.Value+" "+c.Key.Value+"="+strings.Join(vals, "|"))
	}
	sort.Strings(parts)
	return strings.Join(parts, ", ")
}

// covered reports whether some allow of a grants the action on a resource
// pattern that covers r, with conditions no stricter than b's.
func covered(as []stmt, act *catalog.Action, r string, bConds map[string]bool) bool {
	return coveredName(as, strings.ToLower(act.String()), r, bConds)
}

// coveredName is covered for a lower-case action name or pattern.
func coveredName(as []stmt, name, r string, bConds map[string]bool) bool {
	for _, s := range as {
		for c := range s.conds {
			if !bConds[c] {
				goto next
			}
		}
		if s.matchesAction(name) && s.coversResource(r) {
			return true
		}
	next:
	}
	return false
}

// deniedWhole reports whether an unconditional Deny takes away the action
// on every resource pattern r can match.
func deniedWhole(ds []stmt, name, r string) bool {
	for _, d := range ds {
		if len(d.conds) == 0 && d.matchesAction(name) && d.coversResource(r) {
			return true
		}
	}
	return false
}

// touched reports whether some Deny may apply to the action on some
// resource r can match, whatever its conditions.
func touched(ds []stmt, name, r string) bool {
	for _, d := range ds {
		if !d.matchesAction(name) {
			continue
		}
		if d.notResource {
			return true // it denies all but a list: assume it reaches r
		}
		for _, dr := range d.resource {
			if overlap(dr, r) {
				return true
			}
		}
	}
	return false
}

// overlap reports whether two resource patterns may match a common ARN:
// one covers the other, or their literal prefixes (up to the first
// wildcard) are compatible.
func overlap(a, b string) bool {
	if coversResource(a, b) || coversResource(b, a) {
		return true
	}
	pa, pb := literalPrefix(a), literalPrefix(b)
	if !strings.ContainsAny(a, "*?") && !strings.ContainsAny(b, "*?") {
		return false
	}
	return strings.HasPrefix(pa, pb) || strings.HasPrefix(pb, pa)
}

func literalPrefix(p string) string {
	if i := strings.IndexAny(p, "*?"); i >= 0 {
		return p[:i]
	}
	return p
}

func (s stmt) matchesAction(name string) bool {
	for _, ap := range s.actions {
		if ap == "*" || catalog.Match(ap, name) {
			return !s.notAction
		}
	}
	return s.notAction
}

// coversResource reports whether the statement's resources cover all of
// pattern r. For NotResource, r is covered when it is literal and no
// excluded pattern matches it; a wildcard r could reach an excluded
// resource, so it is not.
func (s stmt) coversResource(r string) bool {
	if s.notResource {
		if strings.ContainsAny(r, "*?") {
			return false
		}
		for _, ar := range s.resource {
			if ar == "*" || arn.Match(ar, r) {
				return false
			}
		}
		return true
	}
	for _, ar := range s.resource {
		if coversResource(ar, r) {
			return true
		}
	}
	return false
}

// coversResource reports whether pattern a matches everything pattern b
// does: equal, "*", b literal and matched by a, or a ends in "*" after a
// literal prefix that b also starts with.
func coversResource(a, b string) bool {
	switch {
	case a == "*" || a == b:
		return true
	case b == "*":
		return false
	case !strings.ContainsAny(b, "*?$"):
		return arn.Match(a, b)
	}
	if strings.HasSuffix(a, "*") && !strings.ContainsAny(a[:len(a)-1], "*?") {
		return strings.HasPrefix(b, a[:len(a)-1])
	}
	return false
}

func sameInA(s *policy.Statement, a *policy.Policy) bool {
	text := func(st *policy.Statement) (string, error) {
		c := *st
		c.Sid = nil // statement ids do not change access
		b, err := policy.MarshalCompact(&policy.Policy{Statements: []*policy.Statement{&c}})
		return string(b), err
	}
	want, err := text(s)
	if err != nil {
		return false
	}
	for _, o := range a.Statements {
		got, err := text(o)
		if err == nil && got == want {
			return true
		}
	}
	return false
}
