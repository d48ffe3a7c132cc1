package policy

import (
	"bytes"
	"encoding/json"
	"testing"
)

// refObj is obj as it was first written, every value through
// encoding/json: the reference appendValue must agree with.
type refObj []kv

func (o refObj) MarshalJSON() ([]byte, error) {
	var b bytes.Buffer
	b.WriteByte('{')
	for i, e := range o {
		if i > 0 {
			b.WriteByte(',')
		}
		k, err := json.Marshal(e.k)
		if err != nil {
			return nil, err
		}
		b.Write(k)
		b.WriteByte(':')
		v, err := json.Marshal(toRef(e.v))
		if err != nil {
			return nil, err
		}
		b.Write(v)
	}
	b.WriteByte('}')
	return b.Bytes(), nil
}

func toRef(v any) any {
	switch v := v.(type) {
	case obj:
		return refObj(v)
	case []any:
		out := make([]any, len(v))
		for i, e := range v {
			out[i] = toRef(e)
		}
		return out
	}
	return v
}

// FuzzAppendValue: the policy encoder writes what encoding/json writes,
// indented or not, for every string.
func FuzzAppendValue(f *testing.F) {
	for _, s := range []string{"", "s3:GetObject", "a<b>&c", "quote\"s", "back\\slash", "tab\t", "\x7f", "é", "\xff", "\u2028", "${aws:username}"} {
		f.Add(s, s+"x")
	}
	f.Fuzz(func(t *testing.T, a, b string) {
		v := obj{{"Version", a}, {a, b}, {"Statement", []any{obj{{"Effect", b}, {"Action", []string{a, b}},
			{"Condition", obj{{"Bool", obj{{a, true}, {b, []any{false, a, json.Number("1")}}}}}}}}},
			{"Empty", []string{}}, {"Nil", []string(nil)}, {"List", []any{}}, {"Obj", obj{}},
			{"Nested", []any{[]any{obj{{a, []string{b}}}}, obj{{b, obj{}}}, []string{}, json.Number("-1.5e3"), map[string]any{a: []any{1, b}}}}}
		want, werr := json.MarshalIndent(toRef(v), "", "  ")
		got, gerr := json.MarshalIndent(v, "", "  ")
		if (werr == nil) != (gerr == nil) || !bytes.Equal(want, got) {
			t.Fatalf("encoding/json:\n%s (%v)\nappendValue:\n%s (%v)", want, werr, got, gerr)
		}
		indented, ierr := appendIndented(nil, v, 0)
		if ierr != nil || !bytes.Equal(want, indented) {
			t.Fatalf("encoding/json:\n%s\nappendIndented:\n%s (%v)", want, indented, ierr)
		}
		want, _ = json.Marshal(toRef(v))
		got, _ = json.Marshal(v)
		if !bytes.Equal(want, got) {
			t.Fatalf("compact: encoding/json %s, appendValue %s", want, got)
		}
		// MarshalCompact writes appendValue's output as it is.
		if direct, err := appendValue(nil, v); err != nil || !bytes.Equal(want, direct) {
			t.Fatalf("compact: encoding/json %s, appendValue alone %s (%v)", want, direct, err)
		}
	})
}
