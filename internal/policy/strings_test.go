package policy

import (
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"testing"

	"github.com/iamfit/iamfit/internal/source"
)

// jsonStrings is every string of v as json.Unmarshal reads it: keys and
// string values.
func jsonStrings(out []string, v any) []string {
	switch v := v.(type) {
	case string:
		out = append(out, v)
	case []any:
		for _, e := range v {
			out = jsonStrings(out, e)
		}
	case map[string]any:
		for k, e := range v {
			out = append(out, k)
			out = jsonStrings(out, e)
		}
	}
	return out
}

// TestAppendStrings: the strings of a document are those of its JSON
// read back, as many times each, whatever they hold.
func TestAppendStrings(t *testing.T) {
	docs := []string{
		`{"Version": "2012-10-17", "Id": "x<y>&z", "Statement": [{"Sid": "A", "Effect": "Allow", "Action": ["s3:Get*", "s3:Get*"], "Resource": "arn:aws:s3:::b/\"q\"\\é",
		  "Condition": {"StringEquals": {"aws:PrincipalTag/team": ["a", "b"]}, "Bool": {"aws:SecureTransport": false}, "NumericLessThan": {"s3:max-keys": 10}}}]}`,
		`{"Version": "2012-10-17", "Statement": {"Effect": "Deny", "NotPrincipal": {"AWS": ["arn:aws:iam::123456789012:root"], "Service": "ecs.amazonaws.com"}, "NotAction": "iam:*", "NotResource": ["*"]}}`,
		`{"Statement": [{"Effect": "Allow", "Principal": "*", "Action": "sts:AssumeRole"}]}`,
		`{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:*", "Resource": "*",
		  "Condition": {"StringEquals": {"a:b": "x", "c:d": ["y", "z"]}, "StringLike": {"e:f": "z*"}, "Bool": {"g:h": "true"}}},
		  {"Effect": "Deny", "NotPrincipal": "*", "Action": "*", "Resource": "*"}]}`,
	}
	files, _ := filepath.Glob("testdata/parse/*.json")
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		docs = append(docs, string(data))
	}
	for i, text := range docs {
		doc, _ := Parse(source.NewFile("p.json", []byte(text)), Any)
		if doc == nil {
			continue
		}
		data, err := MarshalCompact(doc)
		if err != nil {
			t.Fatal(err)
		}
		var v any
		if err := json.Unmarshal(data, &v); err != nil {
			t.Fatal(err)
		}
		want := jsonStrings(nil, v)
		got := doc.AppendStrings(nil)
		slices.Sort(want)
		slices.Sort(got)
		if !slices.Equal(got, want) {
			t.Errorf("doc %d: AppendStrings\n got %q\nwant %q", i, got, want)
		}
	}
}
