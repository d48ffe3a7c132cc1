package cloudtrail

import (
	"bytes"
	"testing"
)

func TestContaining(t *testing.T) {
	tests := []struct {
		needle, raw string
		want        bool
	}{
		{`"errorCode"`, `{"eventName":"X","errorCode":"AccessDenied"}`, true},
		{`"errorCode"`, `{"eventName":"X","errorcode":"AccessDenied"}`, false},
		{`"errorCode"`, `"errorCode"`, true},
		{`"errorCode"`, `errorCode"`, false},
		{`"errorCode"`, `{"x":"CCCC"}`, false},
		{"arn:aws:iam::1:role/a", `{"arn":"arn:aws:iam::1:role/a"}`, true},
		{"arn:aws:iam::1:role/a", `{"arn":"arn:aws:iam::1:role/b"}`, false},
		{"", `{}`, true},
		{"abc", ``, false},
	}
	for _, tt := range tests {
		if got := Containing(tt.needle)([]byte(tt.raw)); got != tt.want {
			t.Errorf("Containing(%q)(%q) = %v, want %v", tt.needle, tt.raw, got, tt.want)
		}
	}
}

func FuzzContaining(f *testing.F) {
	f.Add("errorCode", []byte(`{"errorCode":1}`))
	f.Fuzz(func(t *testing.T, needle string, raw []byte) {
		if got, want := Containing(needle)(raw), bytes.Contains(raw, []byte(needle)); got != want {
			t.Fatalf("Containing(%q)(%q) = %v, bytes.Contains says %v", needle, raw, got, want)
		}
	})
}
