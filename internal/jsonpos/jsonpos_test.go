package jsonpos

import (
	"bytes"
	"encoding/json"
	"reflect"
	"strings"
	"testing"
)

func TestParseErrors(t *testing.T) {
	tests := []struct {
		in      string
		offsets []int
		msg     string
		root    bool // a usable root despite the errors
	}{
		{`{"a": 1,}`, []int{7}, "trailing comma", true},
		{`[1, 2,]`, []int{5}, "trailing comma", true},
		{"{\"a\": [1,\n 2,\n],\n \"b\": 3,\n}", []int{12, 24}, "trailing comma", true},
		{`{"a" 1}`, []int{5}, "after object key", false},
		{`{"a": tru}`, []int{9}, "in literal true", false},
		{`{"a": 01}`, []int{7}, "after object key:value pair", false},
		{`"abc`, []int{4}, "unexpected end", false},
		{"\"a\x01\"", []int{2}, "in string literal", false},
		{`"\x"`, []int{2}, "string escape", false},
		{`"\u12G4"`, []int{5}, "hexadecimal", false},
		{`{} {}`, []int{3}, "after top-level value", false},
		{``, []int{0}, "unexpected end", false},
		{`{'a': 1}`, []int{1}, "object key", false},
		{`[1 2]`, []int{3}, "after array element", false},
		{`-`, []int{1}, "unexpected end", false},
		{`1.`, []int{2}, "unexpected end", false},
		{`1.e`, []int{2}, "decimal point", false},
		{`1e+`, []int{3}, "unexpected end", false},
		{`[,1]`, []int{1}, "beginning of value", false},
		{`{,}`, []int{1}, "object key", false},
		{strings.Repeat("[", MaxDepth+1) + strings.Repeat("]", MaxDepth+1), []int{MaxDepth}, "max depth", false},
	}
	for _, tt := range tests {
		v, errs := Parse([]byte(tt.in))
		var offs []int
		for _, e := range errs {
			offs = append(offs, e.Offset)
		}
		name := tt.in
		if len(name) > 40 {
			name = name[:40]
		}
		if !reflect.DeepEqual(offs, tt.offsets) {
			t.Errorf("Parse(%q) error offsets = %v, want %v (%v)", name, offs, tt.offsets, errs)
			continue
		}
		if !strings.Contains(errs[0].Msg, tt.msg) {
			t.Errorf("Parse(%q) = %q, want it to mention %q", name, errs[0].Msg, tt.msg)
		}
		if (v != nil) != tt.root {
			t.Errorf("Parse(%q) root = %v, want present=%v", name, v, tt.root)
		}
	}
}

func TestParseValues(t *testing.T) {
	in := `{"s": "a\"\\\/\b\f\n\r\t\u00e9\ud83d\ude00\ud800x", "n": -1.5e+3, "t": true, "f": false, "z": null, "a": [1, {"k": "v"}], "s": "dup"}`
	v, errs := Parse([]byte(in))
	if errs != nil {
		t.Fatal(errs)
	}
	want := decode(t, []byte(in))
	if got := v.Interface(); !reflect.DeepEqual(got, want) {
		t.Errorf("got %#v\nwant %#v", got, want)
	}
	if len(v.Members) != 7 || v.Members[6].Key != "s" || v.Get("s").Str != "dup" {
		t.Errorf("duplicate keys not kept in order: %+v", v.Members)
	}
	if m := v.Members[1]; m.KeyOffset != strings.Index(in, `"n"`) || m.Value.Offset != strings.Index(in, "-1.5") || m.Value.Str != "-1.5e+3" {
		t.Errorf("offsets of n: %+v %+v", m, m.Value)
	}
	arr := v.Get("a")
	if arr.Offset != strings.Index(in, "[1,") || arr.End != strings.Index(in, `}]`)+2 {
		t.Errorf("array span = %d..%d", arr.Offset, arr.End)
	}
}

// FuzzParse checks that Parse accepts exactly what encoding/json accepts and
// decodes to the same values, and never panics.
func FuzzParse(f *testing.F) {
	for _, s := range []string{
		`{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:*", "Resource": "*"}]}`,
		`{"a": [1, 2,], }`, `[1e5, -0.0, "\u0041\ud834\udd1e"]`, "\"\xff\xfe\"", `{"a":{"a":{"a":[]}}}`,
		`  true `, `nul`, `"\ud800\u0041"`, `[` + strings.Repeat("[", 50),
	} {
		f.Add([]byte(s))
	}
	// A Parser that read another document before must give the same tree.
	other := []byte(`{"Statement": [{"Action": ["a", "b", "c"], "Condition": {"k": {"x": [1, true, null]}}}], "z": {}}`)
	f.Fuzz(func(t *testing.T, data []byte) {
		var ps Parser
		ps.Parse(other)
		pv, perrs := ps.Parse(data)
		v, errs := Parse(data)
		if len(perrs) != len(errs) || (pv == nil) != (v == nil) {
			t.Fatalf("Parser.Parse: %v errors (root %v), Parse: %v (root %v)", perrs, pv != nil, errs, v != nil)
		}
		for i := range errs {
			if *perrs[i] != *errs[i] {
				t.Fatalf("Parser.Parse error %v, Parse %v", perrs[i], errs[i])
			}
		}
		if v != nil && !reflect.DeepEqual(pv, v) {
			t.Fatalf("Parser.Parse tree differs from Parse's")
		}
		// ParseShared, into the same memory, reads the same.
		sv, serrs := ps.ParseShared(append([]byte(nil), data...))
		if !reflect.DeepEqual(serrs, errs) || (v != nil && !reflect.DeepEqual(sv, v)) {
			t.Fatalf("Parser.ParseShared differs from Parse: %v, %v", serrs, errs)
		}
		valid := json.Valid(data)
		if valid != (len(errs) == 0) {
			t.Fatalf("json.Valid = %v, Parse errors = %v", valid, errs)
		}
		for _, e := range errs {
			if e.Offset < 0 || e.Offset > len(data) {
				t.Fatalf("error offset %d outside 0..%d", e.Offset, len(data))
			}
		}
		if !valid {
			return
		}
		want := decode(t, data)
		if got := v.Interface(); !reflect.DeepEqual(got, want) {
			t.Fatalf("decoded %#v, encoding/json %#v", got, want)
		}
	})
}

func decode(t *testing.T, data []byte) any {
	t.Helper()
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		t.Fatal(err)
	}
	return v
}
