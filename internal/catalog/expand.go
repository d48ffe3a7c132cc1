package catalog

import (
	"fmt"
	"sort"
	"strings"
)

// NotFoundError reports an unknown service or action, with the closest known
// name when there is one.
type NotFoundError struct {
	Kind       string // "service" or "action"
	Name       string // as written
	Suggestion string // "" when nothing is close
}

func (e *NotFoundError) Error() string {
	msg := fmt.Sprintf("unknown %s %q", e.Kind, e.Name)
	if e.Suggestion != "" {
		msg += fmt.Sprintf("; did you mean %q?", e.Suggestion)
	}
	return msg
}

// Expand returns the actions that an IAM action pattern matches. A pattern is
// "*" or "service:action", where both parts may hold the wildcards '*' (any
// run of characters) and '?' (one character); matching is case-insensitive.
// Results are sorted by service, then action name. The returned slice may
// share storage with the catalog: do not modify it.
//
// A pattern without wildcards that names no action, or a service part that
// names no service, gives a *NotFoundError with a suggestion. A wildcard
// pattern that matches nothing gives an empty result and no error.
func (c *Catalog) Expand(pattern string) ([]*Action, error) {
	if pattern == "*" {
		return c.all(), nil
	}
	svcPat, actPat, ok := strings.Cut(pattern, ":")
	if !ok {
		return nil, fmt.Errorf("action %q: want service:action or *", pattern)
	}
	if hasWildcard(svcPat) {
		sp := lowerASCII(svcPat)
		ap := lowerASCII(actPat)
		var out []*Action
		for _, s := range c.Services {
			if Match(sp, s.Key) {
				out = append(out, s.match(ap)...)
			}
		}
		return out, nil
	}
	s := c.Service(svcPat)
	if s == nil {
		return nil, &NotFoundError{Kind: "service", Name: svcPat, Suggestion: c.suggestService(svcPat)}
	}
	if !hasWildcard(actPat) {
		if i := s.find(actPat); i >= 0 {
			return s.actions[i : i+1 : i+1], nil
		}
		ap := lowerASCII(actPat)
		e := &NotFoundError{Kind: "action", Name: pattern}
		if sug := c.suggestAction(s, ap); sug != "" {
			e.Suggestion = s.Key + ":" + sug
		}
		return nil, e
	}
	return s.match(lowerASCII(actPat)), nil
}

// all returns every action, made once: "*" is common (administrator
// policies, NotAction statements) and the list has tens of thousands.
func (c *Catalog) all() []*Action {
	c.allOnce.Do(func() {
		n := 0
		for _, s := range c.Services {
			n += len(s.Actions())
		}
		out := make([]*Action, 0, n)
		for _, s := range c.Services {
			out = append(out, s.actions...)
		}
		c.allActs = out[:n:n]
	})
	return c.allActs
}

// match returns the service's actions matching the lower-case pattern lp.
func (s *Service) match(lp string) []*Action {
	s.load()
	star := strings.IndexByte(lp, '*')
	q := strings.IndexByte(lp, '?')
	switch {
	case lp == "*":
		return s.actions
	case q < 0 && star == len(lp)-1:
		// "Prefix*": a range of the sorted names.
		prefix := lp[:star]
		lo := sort.SearchStrings(s.lower, prefix)
		hi := lo + sort.SearchStrings(s.lower[lo:], prefix+"\xff")
		return s.actions[lo:hi:hi]
	}
	var out []*Action
	if q < 0 {
		// Only '*': literal segments found in order with strings.Index.
		segs := strings.Split(lp, "*")
		for i, name := range s.lower {
			if matchSegments(segs, name) {
				out = append(out, s.actions[i])
			}
		}
		return out
	}
	for i, name := range s.lower {
		if Match(lp, name) {
			out = append(out, s.actions[i])
		}
	}
	return out
}

// matchSegments matches name against a pattern split at its '*'s: the first
// segment anchors the start, the last the end, the others are found in order.
func matchSegments(segs []string, name string) bool {
	first, last := segs[0], segs[len(segs)-1]
	if len(segs) == 1 {
		return name == first
	}
	if !strings.HasPrefix(name, first) {
		return false
	}
	name = name[len(first):]
	for _, mid := range segs[1 : len(segs)-1] {
		i := strings.Index(name, mid)
		if i < 0 {
			return false
		}
		name = name[i+len(mid):]
	}
	return strings.HasSuffix(name, last)
}

// Match reports whether name matches the glob pattern, where '*' matches any
// run of characters (including none) and '?' exactly one character. The
// comparison is exact (case-sensitive): callers fold case where IAM does.
// It runs in O(len(pattern)*len(name)) in the worst case, without allocating.
func Match(pattern, name string) bool {
	// Iterative matcher with single backtracking point (the last '*').
	p, n := 0, 0
	starP, starN := -1, 0
	for n < len(name) {
		if p < len(pattern) {
			switch c := pattern[p]; c {
			case '*':
				starP, starN = p, n
				p++
				continue
			case '?':
				// '?' matches one character, which may be a multi-byte rune.
				p++
				n += runeLen(name[n])
				continue
			default:
				if c == name[n] {
					p++
					n++
					continue
				}
			}
		}
		if starP < 0 {
			return false
		}
		starN += runeLen(name[starN])
		p, n = starP+1, starN
	}
	for p < len(pattern) && pattern[p] == '*' {
		p++
	}
	return p == len(pattern)
}

func runeLen(b byte) int {
	switch {
	case b < 0xC0:
		return 1
	case b < 0xE0:
		return 2
	case b < 0xF0:
		return 3
	default:
		return 4
	}
}

// hasWildcard reports whether s holds '*' or '?'.
func hasWildcard(s string) bool {
	return strings.IndexByte(s, '*') >= 0 || strings.IndexByte(s, '?') >= 0
}

// lowerASCII lower-cases ASCII letters, returning s itself when it has none
// in upper case.
func lowerASCII(s string) string {
	for i := 0; i < len(s); i++ {
		if c := s[i]; 'A' <= c && c <= 'Z' {
			return strings.ToLower(s)
		}
	}
	return s
}

func (c *Catalog) suggestService(name string) string {
	lc := strings.ToLower(name)
	key := "service:" + lc
	if v, ok := c.suggestions.Load(key); ok {
		return v.(string)
	}
	keys := make([]string, len(c.Services))
	for i, s := range c.Services {
		keys[i] = s.Key
	}
	sug := closest(lc, keys, keys)
	c.suggestions.Store(key, sug)
	return sug
}

func (c *Catalog) suggestAction(s *Service, lc string) string {
	key := "action:" + s.Key + ":" + lc
	if v, ok := c.suggestions.Load(key); ok {
		return v.(string)
	}
	s.load()
	names := make([]string, len(s.actions))
	for i, a := range s.actions {
		names[i] = a.Name
	}
	sug := closest(lc, s.lower, names)
	c.suggestions.Store(key, sug)
	return sug
}

// Closest returns the candidate nearest to name by edit distance, ignoring
// case, or "" when none is near enough to be a plausible typo. Ties go to
// the candidate whose length is nearest, then to the first given.
func Closest(name string, candidates []string) string {
	lower := make([]string, len(candidates))
	for i, c := range candidates {
		lower[i] = strings.ToLower(c)
	}
	return closest(strings.ToLower(name), lower, candidates)
}

// closest returns the display name of the candidate nearest to lc by edit
// distance, or "" when none is near enough to be a plausible typo.
func closest(lc string, lower, display []string) string {
	// A candidate past the limit is never the answer, so none is measured
	// past it: most are given up at once, by their length.
	limit := 2 + len(lc)/4
	best, bestD := -1, limit+1
	var counts [256]int16 // the letters of lc, for a lower bound of the distance
	for i := 0; i < len(lc); i++ {
		counts[lc[i]]++
	}
	for i, cand := range lower {
		if d := len(lc) - len(cand); d > bestD || -d > bestD || bagDistance(&counts, cand) > bestD {
			continue
		}
		d := EditDistance(lc, cand, bestD)
		if d < bestD || (d == bestD && best >= 0 && absDiff(len(cand), len(lc)) < absDiff(len(lower[best]), len(lc))) {
			best, bestD = i, d
		}
	}
	if best < 0 || bestD > limit {
		return ""
	}
	return display[best]
}

// bagDistance is a lower bound of EditDistance(a, b) where counts are the
// bytes of a: the bytes one has more than the other, the greater count of
// the two sides (an insertion, a deletion or a substitution changes each
// side by at most one, a transposition neither).
func bagDistance(counts *[256]int16, b string) int {
	c := *counts
	more := 0 // bytes of b that a lacks
	for i := 0; i < len(b); i++ {
		if c[b[i]] > 0 {
			c[b[i]]--
		} else {
			more++
		}
	}
	fewer := 0 // bytes of a that b lacks
	for _, n := range c {
		fewer += int(n)
	}
	return max(more, fewer)
}

// EditDistance is the Damerau-Levenshtein (optimal string alignment)
// distance, giving up early (returning a value > max) once it must exceed
// max: the one measure behind every "did you mean".
func EditDistance(a, b string, max int) int {
	if d := len(a) - len(b); d > max || -d > max {
		return max + 1
	}
	// Three rows, on the stack for strings of up to 63 bytes (every name).
	var rows [3][64]int
	var prev2, prev, cur []int
	if len(b) < len(rows[0]) {
		prev2, prev, cur = rows[0][:len(b)+1], rows[1][:len(b)+1], rows[2][:len(b)+1]
	} else {
		prev2, prev, cur = make([]int, len(b)+1), make([]int, len(b)+1), make([]int, len(b)+1)
	}
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		rowMin := cur[0]
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			v := min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
			if i > 1 && j > 1 && a[i-1] == b[j-2] && a[i-2] == b[j-1] {
				v = min(v, prev2[j-2]+1)
			}
			cur[j] = v
			rowMin = min(rowMin, v)
		}
		if rowMin > max {
			return max + 1
		}
		prev2, prev, cur = prev, cur, prev2
	}
	return prev[len(b)]
}

func absDiff(a, b int) int {
	if a > b {
		return a - b
	}
	return b - a
}
