package code

// DynamoDB's multi-table operations name their tables inside the input:
// BatchGetItem and BatchWriteItem by the keys of RequestItems
// ({table: [...]}), TransactWriteItems and TransactGetItems by the
// TableName of each item's Put, Update, Delete, ConditionCheck or Get
// (https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_BatchWriteItem.html,
// https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_TransactWriteItems.html).
// The tables are TableName values; a transaction's are kept by the kind
// of item too (TransactItems.Put, ...), so that each item action is
// granted on the tables that take it.

// requestItems reads the tables of RequestItems: the dict's keys.
func (s *service) requestItems(a args, v val, n *node, e *env) {
	if v.kind != vDict {
		a.unread("RequestItems")
		return
	}
	es, unread := s.entries(v.dict)
	if unread != "" {
		a.unread(unread)
	}
	for _, k := range es {
		t := lit(k.key)
		if k.kx != nil {
			t = s.str(k.kx, s.deeper(k.e))
		}
		if _, ok := t.arg(); !ok || k.key == "" && k.kx == nil {
			a.unread("a table of RequestItems")
			continue
		}
		a.add("TableName", t)
	}
}

// transactKinds are the item kinds of a transaction.
var transactKinds = []string{"Put", "Update", "Delete", "ConditionCheck", "Get"}

// transactItems reads the tables of TransactItems: each item's kind and
// its TableName.
func (s *service) transactItems(a args, v val, n *node, e *env) {
	items, ok := s.elements(v, n, e)
	if !ok {
		a.unread("TransactItems")
		return
	}
	for _, it := range items {
		d := s.eval(it.n, s.deeper(it.e))
		if d.kind != vDict {
			a.unread("an item of TransactItems")
			continue
		}
		found := false
		for _, kind := range transactKinds {
			k, ok := s.get(d.dict, kind)
			if !ok {
				continue
			}
			found = true
			body := s.eval(k.val, s.deeper(k.e))
			t, ok := entry{}, false
			if body.kind == vDict {
				t, ok = s.get(body.dict, "TableName")
			}
			if !ok {
				a.unread("the table of a " + kind + " item")
				continue
			}
			tv := s.str(t.val, s.deeper(t.e))
			if _, known := tv.arg(); !known {
				a.unread("the table of a " + kind + " item")
			}
			a.add("TransactItems."+kind, tv)
			a.add("TableName", tv)
		}
		if !found {
			a.unread("an item of TransactItems")
		}
	}
}

// elements are the values of a list the code builds: its literal's
// elements and what the function appends to it; ok is false when the
// value is not such a list.
func (s *service) elements(v val, n *node, e *env) ([]located, bool) {
	switch {
	case n != nil && n.kind == nList:
		out := make([]located, 0, len(n.args))
		for _, x := range n.args {
			out = append(out, located{x, e})
		}
		return out, true
	case v.kind == vList:
		lit, le := v.dict.n, v.dict.e
		var out []located
		for _, x := range lit.args {
			out = append(out, located{x, le})
		}
		for _, st := range le.f.body {
			c := st.value
			if st.kind != sExpr || c == nil || c.kind != nCall || c.x == nil || c.x.kind != nAttr || c.x.x == nil ||
				c.x.x.kind != nName || c.x.x.name != v.name || len(c.args) == 0 {
				continue
			}
			switch c.x.name {
			case "append", "push":
				out = append(out, located{c.args[len(c.args)-1], le})
			}
		}
		return out, true
	}
	return nil, false
}
