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
			redundantValues(p, s)
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
				if o.Granted() != nil && o.grantedSetOf().covers(s.Granted()) && resourcesCovered(o.Resource.Values, s.Resource.Values) {
					p.Reportf(s.Pos, "this statement is covered by %s at %s", o.Path, o.Pos)
					break
				}
			}
		}
		return nil
	},
}

// redundantValues reports the action values of s covered by another value
// of the same statement: the first such value, in order, is named. Only a
// value that matches the first action of a value can cover it, so each
// value is compared with those alone, not with every other value (AWS's
// read-only policies list over 1,500 actions in one statement).
func redundantValues(p *Pass, s *Statement) {
	if len(s.Actions) < 2 {
		return // no other value
	}
	// holders[k] lists, in order, the values that match firsts[k], the
	// first action of some value.
	firsts := map[*catalog.Action]int{}
	var first []*catalog.Action
	for _, r := range s.Actions {
		if len(r.Matched) > 0 {
			if _, ok := firsts[r.Matched[0]]; !ok {
				firsts[r.Matched[0]] = len(firsts)
				first = append(first, r.Matched[0])
			}
		}
	}
	if len(firsts) == 0 {
		return
	}
	isFirst := setOf(first)
	holders := make([][]int, len(firsts))
	for j, o := range s.Actions {
		for _, a := range o.Matched {
			if isFirst.has(a) {
				k := firsts[a]
				holders[k] = append(holders[k], j)
			}
		}
	}
	// Each value's set of actions is made once, when first needed.
	sets := make([]actionSet, len(s.Actions))
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
		if sets[j].bits == nil {
			sets[j] = setOf(big)
		}
		return sets[j].covers(small)
	}
	for i, r := range s.Actions {
		if len(r.Matched) == 0 {
			continue
		}
		for _, j := range holders[firsts[r.Matched[0]]] {
			o := s.Actions[j]
			if i == j || !coveredBy(j, r.Matched) {
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

func sameGrant(a, b *Statement) bool {
	return a.grantedSetOf().covers(b.Granted()) && b.grantedSetOf().covers(a.Granted()) &&
		resourcesCovered(a.Resource.Values, b.Resource.Values) && resourcesCovered(b.Resource.Values, a.Resource.Values)
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
