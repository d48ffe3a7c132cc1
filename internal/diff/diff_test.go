package diff

import (
	"strings"
	"testing"

	"github.com/iamfit/iamfit/internal/catalog"
	"github.com/iamfit/iamfit/internal/policy"
	"github.com/iamfit/iamfit/internal/source"
)

func TestCoversResource(t *testing.T) {
	tests := []struct {
		a, b string
		want bool
	}{
		{"*", "arn:aws:s3:::b", true},
		{"*", "*", true},
		{"arn:aws:s3:::b", "*", false},
		{"arn:aws:s3:::b/*", "arn:aws:s3:::b/key", true},
		{"arn:aws:s3:::b/*", "arn:aws:s3:::b/dir/*", true},
		{"arn:aws:s3:::b/dir/*", "arn:aws:s3:::b/*", false},
		{"arn:aws:s3:::b/*", "arn:aws:s3:::other/*", false},
		{"arn:aws:s3:::b/?", "arn:aws:s3:::b/*", false},
		{"arn:aws:ecr:*:1:repository/shop", "arn:aws:ecr:eu-west-1:1:repository/shop", true},
		{"arn:aws:ecr:eu-west-1:1:repository/shop", "arn:aws:ecr:*:1:repository/shop", false},
	}
	for _, tt := range tests {
		if got := coversResource(tt.a, tt.b); got != tt.want {
			t.Errorf("coversResource(%q, %q) = %v, want %v", tt.a, tt.b, got, tt.want)
		}
	}
}

func mustParse(t *testing.T, text string) *policy.Policy {
	t.Helper()
	p, diags := policy.Parse(source.NewFile("p.json", []byte(text)), policy.Identity)
	if p == nil {
		t.Fatalf("parse: %v", diags)
	}
	return p
}

func TestWider(t *testing.T) {
	cat, err := catalog.Load()
	if err != nil {
		t.Fatal(err)
	}
	const gen = `{"Version":"2012-10-17","Statement":[
 {"Effect":"Allow","Action":"ecr:PutImage","Resource":"arn:aws:ecr:eu-west-1:1:repository/shop"},
 {"Effect":"Allow","Action":"ecs:UpdateService","Resource":"*","Condition":{"ArnEquals":{"ecs:cluster":"arn:aws:ecs:eu-west-1:1:cluster/c"}}}]}`
	tests := []struct {
		name string
		b    string
		want []string // "action resource" of each reported grant
	}{
		{"same", gen, nil},
		{"extra action", `{"Version":"2012-10-17","Statement":[
 {"Effect":"Allow","Action":["ecr:PutImage","ecr:BatchDeleteImage"],"Resource":"arn:aws:ecr:eu-west-1:1:repository/shop"}]}`,
			[]string{"ecr:BatchDeleteImage arn:aws:ecr:eu-west-1:1:repository/shop"}},
		{"wildcard action expands", `{"Version":"2012-10-17","Statement":[
 {"Effect":"Allow","Action":"ecr:PutIm*","Resource":"arn:aws:ecr:eu-west-1:1:repository/shop"}]}`,
			[]string{"ecr:PutImageScanningConfiguration,ecr:PutImageTagMutability arn:aws:ecr:eu-west-1:1:repository/shop"}},
		{"condition dropped widens", `{"Version":"2012-10-17","Statement":[
 {"Effect":"Allow","Action":"ecs:UpdateService","Resource":"*"}]}`,
			[]string{"ecs:UpdateService *"}},
		{"same condition covered", `{"Version":"2012-10-17","Statement":[
 {"Effect":"Allow","Action":"ecs:UpdateService","Resource":"*","Condition":{"ArnEquals":{"ecs:cluster":"arn:aws:ecs:eu-west-1:1:cluster/c"}}}]}`,
			nil},
		{"deny ignored", `{"Version":"2012-10-17","Statement":[
 {"Effect":"Deny","Action":"*","Resource":"*"}]}`, nil},
		{"not action whole", `{"Version":"2012-10-17","Statement":[
 {"Effect":"Allow","NotAction":"iam:*","Resource":"*"}]}`, []string{"NotAction"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			gs := Wider(mustParse(t, gen), mustParse(t, tt.b), cat)
			var got []string
			for _, g := range gs {
				if g.Broad != "" {
					got = append(got, g.Broad)
					continue
				}
				got = append(got, strings.Join(g.Actions, ",")+" "+g.Resource)
			}
			if strings.Join(got, ";") != strings.Join(tt.want, ";") {
				t.Errorf("Wider = %q, want %q", got, tt.want)
			}
		})
	}
}

// TestWiderDenies: denies count on the safe side, so --fail-on-wider never
// misses access a change adds.
func TestWiderDenies(t *testing.T) {
	cat, err := catalog.Load()
	if err != nil {
		t.Fatal(err)
	}
	const allowECS = `{"Effect":"Allow","Action":"ecs:*","Resource":"*"}`
	const denyDelete = `{"Effect":"Deny","Action":"ecs:DeleteService","Resource":"*"}`
	tests := []struct {
		name, a, b string
		want       []string
	}{
		{"b's own unconditional deny takes it away",
			`[{"Effect":"Allow","Action":"ecs:UpdateService","Resource":"*"}]`,
			`[{"Effect":"Allow","Action":["ecs:UpdateService","ecs:DeleteService"],"Resource":"*"},` + denyDelete + `]`,
			nil},
		{"a's deny: a does not cover it",
			`[` + allowECS + `,` + denyDelete + `]`,
			`[{"Effect":"Allow","Action":["ecs:UpdateService","ecs:DeleteService"],"Resource":"*"}]`,
			[]string{"ecs:DeleteService *"}},
		{"a's deny with conditions still counts",
			`[` + allowECS + `,{"Effect":"Deny","Action":"ecs:DeleteService","Resource":"*","Condition":{"Bool":{"aws:MultiFactorAuthPresent":"false"}}}]`,
			`[{"Effect":"Allow","Action":"ecs:DeleteService","Resource":"arn:aws:ecs:eu-west-1:1:service/prod/web"}]`,
			[]string{"ecs:DeleteService arn:aws:ecs:eu-west-1:1:service/prod/web"}},
		{"the same deny in both",
			`[` + allowECS + `,` + denyDelete + `]`,
			`[{"Effect":"Allow","Action":"ecs:DeleteService","Resource":"*"},` + denyDelete + `]`,
			nil},
		{"a's deny on other resources does not matter",
			`[` + allowECS + `,{"Effect":"Deny","Action":"ecs:DeleteService","Resource":"arn:aws:ecs:eu-west-1:1:service/prod/*"}]`,
			`[{"Effect":"Allow","Action":"ecs:DeleteService","Resource":"arn:aws:ecs:eu-west-1:1:service/dev/web"}]`,
			nil},
	}
	doc := func(stmts string) string { return `{"Version":"2012-10-17","Statement":` + stmts + `}` }
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var got []string
			for _, g := range Wider(mustParse(t, doc(tt.a)), mustParse(t, doc(tt.b)), cat) {
				got = append(got, strings.Join(g.Actions, ",")+" "+g.Resource)
			}
			if strings.Join(got, ";") != strings.Join(tt.want, ";") {
				t.Errorf("Wider = %q, want %q", got, tt.want)
			}
		})
	}
}

// TestWiderUnknownActions: actions the pinned catalog does not know are
// possibly wider, and said so, unless A allows the same pattern.
func TestWiderUnknownActions(t *testing.T) {
	cat, err := catalog.Load()
	if err != nil {
		t.Fatal(err)
	}
	doc := func(stmts string) string { return `{"Version":"2012-10-17","Statement":` + stmts + `}` }
	const a = `[{"Effect":"Allow","Action":"ecs:UpdateService","Resource":"*"}]`
	tests := []struct {
		name, a, b string
		want       string
	}{
		{"a new service", a, `[{"Effect":"Allow","Action":["ecs:UpdateService","newsvc:DoEverything"],"Resource":"*"}]`, "newsvc:DoEverything * unknown"},
		{"a new action of a known service", a, `[{"Effect":"Allow","Action":"ecs:UpdateServiceEverywhere","Resource":"*"}]`, "ecs:UpdateServiceEverywhere * unknown"},
		{"a pattern matching nothing known", a, `[{"Effect":"Allow","Action":"ecs:Zz*","Resource":"*"}]`, "ecs:Zz* * unknown"},
		{"the same unknown action in A", `[{"Effect":"Allow","Action":"newsvc:DoEverything","Resource":"*"}]`, `[{"Effect":"Allow","Action":"newsvc:DoEverything","Resource":"*"}]`, ""},
		{"A allows the whole service", `[{"Effect":"Allow","Action":"newsvc:*","Resource":"*"}]`, `[{"Effect":"Allow","Action":"newsvc:DoEverything","Resource":"arn:aws:newsvc:::x"}]`, ""},
		{"B denies it itself", a, `[{"Effect":"Allow","Action":"newsvc:Do","Resource":"*"},{"Effect":"Deny","Action":"newsvc:*","Resource":"*"}]`, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var got []string
			for _, g := range Wider(mustParse(t, doc(tt.a)), mustParse(t, doc(tt.b)), cat) {
				s := strings.Join(g.Actions, ",") + " " + g.Resource
				if len(g.Unknown) > 0 {
					s += " unknown"
				}
				got = append(got, s)
			}
			if strings.Join(got, ";") != tt.want {
				t.Errorf("Wider = %q, want %q", got, tt.want)
			}
		})
	}
}
