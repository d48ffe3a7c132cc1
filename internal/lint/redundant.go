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
	// The values that can cover value i are those that match its first
	// action: in a long statement they are found through holders, made
	// once; in a short one, all are tried.
	var firsts map[*catalog.Action]int
	var holders [][]int // holders[k] lists, in order, the values that match an action k of firsts
	if len(s.Actions) > 16 {
		firsts = map[*catalog.Action]int{}
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
		holders = make([][]int, len(firsts))
		for j, o := range s.Actions {
			for _, a := range o.Matched {
				if isFirst.has(a) {
					k := firsts[a]
					holders[k] = append(holders[k], j)
				}
			}
		}
	}
	// coveredBy reports whether value j matches every action of small.
	// What a value matches has no duplicates, so a shorter list covers no
	// longer one; a long one's set of actions is made once, when first
	// needed.
	var sets []actionSet
	coveredBy := func(j int, small []*catalog.Action) bool {
		big := s.Actions[j].Matched
		if len(small) == 0 || len(small) > len(big) {
			return false
		}
		if len(big) <= 8 {
			for _, a := range small {
				found := false
				for _, b := range big {
					if a == b {
						found = true
						break
					}
				}
				if !found {
					return false
				}
			}
			return true
		}
		if sets == nil {
			sets = make([]actionSet, len(s.Actions))
		}
		if sets[j].bits == nil {
			sets[j] = setOf(big)
		}
		return sets[j].covers(small)
	}
	// covers reports value j covering value i, the first such is named.
	covers := func(i, j int) bool {
		r, o := s.Actions[i], s.Actions[j]
		if i == j || len(o.Matched) == 0 || !coveredBy(j, r.Matched) {
			return false
		}
		if len(o.Matched) == len(r.Matched) && j > i {
			return false // identical sets: report only the later one
		}
		p.Reportf(r.Value.Pos, "action %q is already granted by %q in the same statement", r.Value.Value, o.Value.Value)
		return true
	}
	for i, r := range s.Actions {
		if len(r.Matched) == 0 {
			continue
		}
		if holders == nil {
			for j := range s.Actions {
				if covers(i, j) {
					break
				}
			}
			continue
		}
		for _, j := range holders[firsts[r.Matched[0]]] {
			if covers(i, j) {
				break
			}
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
