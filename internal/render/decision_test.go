package render

import (
	"encoding/json"
	"strings"
	"testing"
)

// FuzzAppendJSONString: the string written is JSON that encoding/json
// reads back as the input, each byte of invalid UTF-8 as U+FFFD.
func FuzzAppendJSONString(f *testing.F) {
	for _, s := range []string{"", "plain", `q"b\s`, "tab\tnl\n\x00\x1f\x7f", "é€😀", "bad\xffutf8\xc3", "arn:aws:iam::1:role/x"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		b := appendJSONString([]byte("prefix"), s)
		if !strings.HasPrefix(string(b), "prefix") {
			t.Fatalf("%q: the buffer's bytes were lost: %q", s, b)
		}
		var got string
		if err := json.Unmarshal(b[len("prefix"):], &got); err != nil {
			t.Fatalf("%q: %s is not a JSON string: %v", s, b[len("prefix"):], err)
		}
		var want strings.Builder
		for _, r := range s {
			want.WriteRune(r)
		}
		if got != want.String() {
			t.Fatalf("%q: read back %q, want %q", s, got, want.String())
		}
	})
}
