package policy

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/iamfit/iamfit/internal/jsonpos"
	"github.com/iamfit/iamfit/internal/source"
)

// TestLimits: what AWS would reject is rejected at once, with the limit
// named, whatever its size.
func TestLimits(t *testing.T) {
	var many strings.Builder
	many.WriteString(`{"Version":"2012-10-17","Statement":[`)
	for i := range 10000 {
		if i > 0 {
			many.WriteString(",")
		}
		fmt.Fprintf(&many, `{"Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::b%d/*"}`, i)
	}
	many.WriteString("]}")
	stmt := func(action, resource string) string {
		return `{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"` + action + `","Resource":"` + resource + `"}}`
	}
	tests := []struct {
		name, doc, want string
		nilPolicy       bool
	}{
		{"10,000 statements", many.String(), "1:1: error: the policy is more than 524288 characters without white space, four times the 131072 IAM accepts", true},
		{"5,000 short statements", `{"Statement":[` + strings.Repeat(`{"Effect":"Deny","Action":"*","Resource":"*"},`, 4999) + `{"Effect":"Deny","Action":"*","Resource":"*"}]}`, "1:14: error: the policy has 5000 statements", true},
		{"a 1 MB action", stmt("s3:"+strings.Repeat("A", 1<<20), "*"), "error: the policy is more than 524288 characters", true},
		{"a long action", stmt("s3:"+strings.Repeat("A", 200), "*"), "Action value of 203 characters: longer than the 128 characters", false},
		{"a long ARN", stmt("s3:GetObject", "arn:aws:s3:::b/"+strings.Repeat("k", 3000)), "Resource value of 3015 characters: longer than the 2048 characters of an ARN", false},
		{"white space is not counted", "{" + strings.Repeat(" ", 200000) + `"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"s3:GetObject","Resource":"*"}}`, "", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			start := time.Now()
			pol, diags := Parse(source.NewFile("p.json", []byte(tt.doc)), Identity)
			if d := time.Since(start); d > 2*time.Second {
				t.Errorf("took %v", d)
			}
			var got []string
			for _, d := range diags {
				got = append(got, d.String())
			}
			all := strings.Join(got, "\n")
			if tt.want == "" && len(diags) > 0 || !strings.Contains(all, tt.want) {
				t.Errorf("diagnostics:\n%s\nwant %q", all, tt.want)
			}
			if (pol == nil) != tt.nilPolicy {
				t.Errorf("policy %v, want nil %v", pol != nil, tt.nilPolicy)
			}
			if pol != nil {
				for _, s := range pol.Statements {
					for _, v := range append(s.Action.Values, s.Resource.Values...) {
						if len(v.Value) > MaxARN {
							t.Errorf("a value of %d characters kept", len(v.Value))
						}
					}
				}
			}
		})
	}
}

// TestCompactBound checks what ParseTree relies on to skip measuring: a
// document's compact size is at most four times its text.
func TestCompactBound(t *testing.T) {
	docs := []string{
		`[1,1,1,1,1,1,1,1,1,1]`, `{"a":1,"b":[true,false,null],"c":{}}`, `[[],[],{},""]`,
		`{"\u0041\u00e9\ud834\udd1e":"\n\t\"\\","x":[-0.5e10,0,1]}`, "[\"\xff\xfe\"]", `[1,2,]`,
	}
	files, _ := filepath.Glob("../../../shared/aws-managed-policies/*.json")
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		docs = append(docs, string(data))
	}
	for _, d := range docs {
		root, _ := jsonpos.Parse([]byte(d))
		if root == nil {
			t.Fatalf("%.40q: not parsed", d)
		}
		if n := compactSize(root, 1<<30); n > 4*len(d) {
			t.Errorf("%.40q: compact size %d, more than four times its %d bytes", d, n, len(d))
		}
	}
}
