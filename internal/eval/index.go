package eval

import (
	"slices"
	"strings"
)

// The index finds, for a request, the statements of a policy that can
// apply to it, so that a decision on a large policy touches only those
// instead of every statement. It only prunes: every candidate is still
// decided by the one statement matcher (cstmt.match), so a decision with
// the index is the decision without it, in the same statement order.
//
// Statements are looked up by action: exact names, wildcard patterns by
// their literal service ("ecs:Describe*" under "ecs"), and the rest
// (NotAction, a wildcard in the service) always. A group of many
// statements under one key is narrowed again by resource: a Resource
// pattern can only match an ARN that starts with the pattern's text up to
// its first wildcard.

// indexMin is the number of statements (and of a statement's Resource
// patterns) from which an index pays for its lookups; below it a scan is
// faster.
const indexMin = 8

// stmtIndex is a policy's statements by action.
type stmtIndex struct {
	exact   map[string]*group
	service map[string]*group
	rest    *group
}

// group is the statements under one action key, ascending; res narrows
// them by resource when there are many.
type group struct {
	stmts []int32
	res   *prefixIndex
}

// prefixIndex holds values by a literal prefix of the pattern they stand
// for: lookup(s) yields every value whose prefix s starts with, and the
// values that must always be tried.
type prefixIndex struct {
	byPrefix map[string][]int32
	lens     []int // the distinct prefix lengths, ascending
	always   []int32
}

func (x *prefixIndex) add(prefix string, v int32) {
	if x.byPrefix == nil {
		x.byPrefix = map[string][]int32{}
	}
	if _, ok := x.byPrefix[prefix]; !ok {
		if i, found := slices.BinarySearch(x.lens, len(prefix)); !found {
			x.lens = slices.Insert(x.lens, i, len(prefix))
		}
	}
	x.byPrefix[prefix] = append(x.byPrefix[prefix], v)
}

// appendLookup appends the values that can match s to buf, unordered and
// possibly repeated.
func (x *prefixIndex) appendLookup(buf []int32, s string) []int32 {
	buf = append(buf, x.always...)
	for _, n := range x.lens {
		if n > len(s) {
			break
		}
		buf = append(buf, x.byPrefix[s[:n]]...)
	}
	return buf
}

// literalPrefix is s up to its first wildcard.
func literalPrefix(s string) string {
	if i := strings.IndexAny(s, "*?"); i >= 0 {
		return s[:i]
	}
	return s
}

// buildIndex indexes the policy's statements, when there are enough.
func (p *Policy) buildIndex() {
	if len(p.stmts) < indexMin {
		return
	}
	x := &stmtIndex{exact: map[string]*group{}, service: map[string]*group{}, rest: &group{}}
	add := func(m map[string]*group, key string, i int32) {
		g := m[key]
		if g == nil {
			g = &group{}
			m[key] = g
		}
		if n := len(g.stmts); n == 0 || g.stmts[n-1] != i {
			g.stmts = append(g.stmts, i)
		}
	}
	for i := range p.stmts {
		st := &p.stmts[i]
		n := int32(i)
		if st.notAction {
			x.rest.stmts = append(x.rest.stmts, n)
			continue
		}
		// A statement without actions matches nothing and is in no group.
		for _, a := range st.actions {
			lit := literalPrefix(a)
			switch svc, _, colon := strings.Cut(lit, ":"); {
			case lit == a:
				add(x.exact, a, n)
			case colon:
				add(x.service, svc, n)
			default:
				if k := len(x.rest.stmts); k == 0 || x.rest.stmts[k-1] != n {
					x.rest.stmts = append(x.rest.stmts, n)
				}
			}
		}
	}
	for _, g := range x.exact {
		g.narrow(p.stmts)
	}
	for _, g := range x.service {
		g.narrow(p.stmts)
	}
	x.rest.narrow(p.stmts)
	p.index = x
}

// narrow indexes a large group by resource.
func (g *group) narrow(stmts []cstmt) {
	if len(g.stmts) < indexMin {
		return
	}
	res := &prefixIndex{}
	for _, i := range g.stmts {
		st := &stmts[i]
		if st.anyResource || st.notResource || len(st.resources) > 4*indexMin {
			res.always = append(res.always, i)
			continue
		}
		for k := range st.resources {
			if t := &st.resources[k]; t.hasVars() {
				res.always = append(res.always, i)
			} else {
				res.add(literalPrefix(t.raw), i)
			}
		}
	}
	g.res = res
}

func (g *group) appendTo(buf []int32, r *Request) []int32 {
	if g == nil {
		return buf
	}
	if g.res == nil {
		return append(buf, g.stmts...)
	}
	return g.res.appendLookup(buf, r.Resource)
}

// candidates returns the statements of the policy that can apply to the
// request, ascending, in buf's storage.
func (x *stmtIndex) candidates(r *Request, buf []int32) []int32 {
	buf = buf[:0]
	buf = x.exact[r.actionLC].appendTo(buf, r)
	if r.serviceLC != "" {
		buf = x.service[r.serviceLC].appendTo(buf, r)
	}
	buf = x.rest.appendTo(buf, r)
	if len(buf) > 1 {
		slices.Sort(buf)
		buf = slices.Compact(buf)
	}
	return buf
}

// resIndex is a statement's Resource patterns by literal prefix, when it
// has many.
func (c *cstmt) buildResIndex() {
	if len(c.resources) < 2*indexMin {
		return
	}
	x := &prefixIndex{}
	for i := range c.resources {
		t := &c.resources[i]
		if t.hasVars() {
			x.always = append(x.always, int32(i))
			continue
		}
		x.add(literalPrefix(t.raw), int32(i))
	}
	c.resIndex = x
}
