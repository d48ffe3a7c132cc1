package lint

import (
	"github.com/iamfit/iamfit/internal/arn"
	"github.com/iamfit/iamfit/internal/catalog"
	"github.com/iamfit/iamfit/internal/policy"
	"github.com/iamfit/iamfit/internal/source"
)

// Redundant flags statements and actions already granted elsewhere.
var Redundant = &Check{
	ID:       "redundant",
	Severity: source.Warning,
	Doc:      "A statement, or an action of one, grants nothing that another part of the same policy does not already grant: the same action listed twice or covered by a wildcard, or a statement whose actions and resources another unconditional statement covers. Remove it; duplicated grants hide what a policy really allows.",
	Run: func(p *Pass) error {
		for _, s := range p.Statements {
			if s.Action == nil || len(s.Conditions) > 0 {
				continue
			}
			// Actions covered by another value of the same statement. Each
			// value's set of actions is made once, when first needed: a
			// statement of many wildcards compares every pair.
			sets := make([]map[*catalog.Action]bool, len(s.Actions))
			coveredBy := func(j int, small []*catalog.Action) bool {
				big := s.Actions[j].Matched
				if len(big) == 1 {
					for _, a := range small {
						if a != big[0] {
							return false
						}
					}
					return len(small) > 0
				}
				if sets[j] == nil {
					sets[j] = make(map[*catalog.Action]bool, len(big))
					for _, a := range big {
						sets[j][a] = true
					}
				}
				return coversSet(sets[j], small)
			}
			for i, r := range s.Actions {
				if len(r.Matched) == 0 {
					continue
				}
				for j, o := range s.Actions {
					if i == j || len(o.Matched) == 0 || !coveredBy(j, r.Matched) {
						continue
					}
					if len(o.Matched) == len(r.Matched) && j > i {
						continue // identical sets: report only the later one
					}
					p.Reportf(r.Value.Pos, "action %q is already granted by %q in the same statement", r.Value.Value, o.Value.Value)
					break
				}
			}
		}
		// Statements covered by an earlier unconditional statement of the same effect.
		for i, s := range p.Statements {
			if s.Action == nil || s.Resource == nil {
				continue
			}
			for j, o := range p.Statements {
				if i == j || o.Effect != s.Effect || o.Action == nil || o.Resource == nil || len(o.Conditions) > 0 {
					continue
				}
				if len(s.Conditions) == 0 && j > i && sameGrant(s, o) {
					continue // mutual: report only the later one
				}
				if o.Principal != nil || s.Principal != nil {
					continue // principals would need comparing too
				}
				if o.Granted() != nil && coversSet(o.grantedSet, s.Granted()) && resourcesCovered(o.Resource.Values, s.Resource.Values) {
					p.Reportf(s.Pos, "this statement is covered by %s at %s", o.Path, o.Pos)
					break
				}
			}
		}
		return nil
	},
}

func sameGrant(a, b *Statement) bool {
	a.Granted()
	b.Granted()
	return coversSet(a.grantedSet, b.granted) && coversSet(b.grantedSet, a.granted) &&
		resourcesCovered(a.Resource.Values, b.Resource.Values) && resourcesCovered(b.Resource.Values, a.Resource.Values)
}

func coversSet(set map[*catalog.Action]bool, small []*catalog.Action) bool {
	if len(small) == 0 {
		return false
	}
	for _, a := range small {
		if !set[a] {
			return false
		}
	}
	return true
}

// resourcesCovered reports whether every value of small is matched by a
// value of big: literally equal, "*", or (for values without wildcards)
// matched by big's pattern.
func resourcesCovered(big, small []policy.String) bool {
	for _, s := range small {
		ok := false
		for _, b := range big {
			if b.Value == "*" || b.Value == s.Value || (!hasWildcard(s.Value) && arn.Match(b.Value, s.Value)) {
				ok = true
				break
			}
		}
		if !ok {
			return false
		}
	}
	return true
}

func hasWildcard(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] == '*' || s[i] == '?' || s[i] == '$' {
			return true
		}
	}
	return false
}
