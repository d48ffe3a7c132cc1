package code

// The entries of a dict or object literal the code builds: its own keys
// and those of the dicts it spreads ({...defaults, Bucket: b} in
// JavaScript, {**base, "Bucket": b} in Python), each read in the
// environment of the literal that holds it.

// entry is one key of a dict and its value.
type entry struct {
	key string
	kx  *node // a computed key ([expr] in JavaScript, a non-literal key in Python)
	val *node
	e   *env
}

// entries returns a dict value's entries: a spread's first, the
// literal's own after them (so they win in get). unread names the first
// spread the reader could not evaluate to a dict ("" when there is none).
func (s *service) entries(d located) (out []entry, unread string) {
	return s.entriesDepth(d, 0)
}

func (s *service) entriesDepth(d located, depth int) (out []entry, unread string) {
	for _, sp := range d.n.args {
		v := s.eval(sp, s.deeper(d.e))
		if v.kind != vDict || depth > 4 {
			if unread == "" {
				unread = spreadText(sp, s.python, true)
			}
			continue
		}
		more, u := s.entriesDepth(v.dict, depth+1)
		out = append(out, more...)
		if unread == "" {
			unread = u
		}
	}
	for _, k := range d.n.kw {
		out = append(out, entry{key: k.key, kx: k.kx, val: k.val, e: d.e})
	}
	return out, unread
}

// get returns the last entry of a dict with this key.
func (s *service) get(d located, key string) (entry, bool) {
	if len(d.n.args) == 0 {
		// No spreads: the literal's own keys (the common case, without
		// building the list).
		for i := len(d.n.kw) - 1; i >= 0; i-- {
			if k := d.n.kw[i]; k.key == key {
				return entry{key: k.key, val: k.val, e: d.e}, true
			}
		}
		return entry{}, false
	}
	es, _ := s.entries(d)
	for i := len(es) - 1; i >= 0; i-- {
		if es[i].key == key {
			return es[i], true
		}
	}
	return entry{}, false
}

// spreadText is how the source writes a spread argument: **name,
// ...name; an expression that is not a name is "**dict" or "...object".
func spreadText(n *node, python, inDict bool) string {
	name := exprText(n)
	switch {
	case python && name != "":
		return "**" + name
	case python:
		return "**dict"
	case name != "":
		if inDict {
			return "..." + name
		}
		return name
	}
	return "an object"
}

// exprText is the dotted text of a name or attribute chain (a.b.c), ""
// for other expressions.
func exprText(n *node) string {
	switch {
	case n == nil:
		return ""
	case n.kind == nName:
		return n.name
	case n.kind == nAttr:
		if x := exprText(n.x); x != "" {
			return x + "." + n.name
		}
	}
	return ""
}
