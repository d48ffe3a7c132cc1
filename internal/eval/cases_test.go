package eval

import (
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/iamfit/iamfit/internal/catalog"
	"github.com/iamfit/iamfit/internal/jsonpos"
	"github.com/iamfit/iamfit/internal/policy"
	"github.com/iamfit/iamfit/internal/source"
)

// caseKeys are the members a case may have: "doc" is the AWS documentation
// the case follows (a URL or a list of them), "evidence" what that
// documentation says, when the case settles a question.
var caseKeys = map[string]bool{"name": true, "doc": true, "evidence": true, "identity": true, "resource": true,
	"boundary": true, "session": true, "endpoint": true, "scps": true, "rcps": true, "request": true,
	"want": true, "matches": true}

// docURL reports whether u is a page of AWS's documentation.
func docURL(u string) bool {
	return strings.HasPrefix(u, "https://docs.aws.amazon.com/") && !strings.ContainsAny(u, " \t\n")
}

// TestCases runs the evaluator specification in testdata/cases/*.json: each
// case gives the policies in force, a request, the decision and the
// statements that applied ("kind[i] Statement[j]"), and may cite the AWS
// documentation it follows.
func TestCases(t *testing.T) {
	files, _ := filepath.Glob("testdata/cases/*.json")
	if len(files) == 0 {
		t.Fatal("no cases")
	}
	cat := catalog.MustLoad()
	for _, file := range files {
		data, err := os.ReadFile(file)
		if err != nil {
			t.Fatal(err)
		}
		f := source.NewFile(file, data)
		root, errs := jsonpos.Parse(data)
		if len(errs) > 0 {
			t.Fatalf("%s: %v", file, errs[0])
		}
		for _, c := range root.Elems {
			name := c.Get("name").Str
			t.Run(filepath.Base(file)+"/"+name, func(t *testing.T) {
				for _, m := range c.Members {
					if !caseKeys[m.Key] {
						t.Fatalf("unknown case member %q", m.Key)
					}
				}
				if doc := c.Get("doc"); doc != nil {
					urls := doc.Elems
					if doc.Kind == jsonpos.String {
						urls = []*jsonpos.Value{doc}
					}
					if len(urls) == 0 {
						t.Fatalf("doc is empty")
					}
					for _, u := range urls {
						if u.Kind != jsonpos.String || !docURL(u.Str) {
							t.Fatalf("doc %q is not a docs.aws.amazon.com URL", u.Str)
						}
					}
				}
				load := func(kind Kind, label string, v *jsonpos.Value) []*Policy {
					if v == nil {
						return nil
					}
					elems := v.Elems
					if v.Kind == jsonpos.Object {
						elems = []*jsonpos.Value{v}
					}
					out := []*Policy{}
					for i, e := range elems {
						doc, diags := policy.ParseValue(f, e, policy.Any)
						for _, d := range diags {
							t.Fatalf("policy in case: %s", d)
						}
						out = append(out, NewPolicy(kind, fmt.Sprintf("%s[%d]", label, i), doc))
					}
					return out
				}
				in := Input{
					Identity: load(IdentityPolicy, "identity", c.Get("identity")),
					Resource: load(ResourcePolicy, "resource", c.Get("resource")),
					Boundary: load(PermissionsBoundary, "boundary", c.Get("boundary")),
					Session:  load(SessionPolicy, "session", c.Get("session")),
					Endpoint: load(EndpointPolicy, "endpoint", c.Get("endpoint")),
				}
				if v := c.Get("scps"); v != nil {
					for i, l := range v.Elems {
						in.SCPs = append(in.SCPs, Level{Name: fmt.Sprint(i), Policies: load(SCP, "scp", l)})
					}
				}
				if v := c.Get("rcps"); v != nil {
					for i, l := range v.Elems {
						in.RCPs = append(in.RCPs, Level{Name: fmt.Sprint(i), Policies: load(RCP, "rcp", l)})
					}
				}
				req, err := RequestFromJSON(c.Get("request"), cat)
				if err != nil {
					t.Fatal(err)
				}
				d := Compile(in, cat).Evaluate(req)
				if want := c.Get("want").Str; d.Result.String() != want {
					t.Errorf("decision %s, want %s", d.Result, want)
				}
				got := []string{}
				for _, m := range d.Matches {
					got = append(got, m.Policy.Name+" "+m.Statement.Path)
				}
				want := []string{}
				for _, m := range c.Get("matches").Elems {
					want = append(want, m.Str)
				}
				if !reflect.DeepEqual(got, want) {
					t.Errorf("matches %q, want %q", got, want)
				}
			})
		}
	}
}

func TestDecodeRequestErrors(t *testing.T) {
	for _, in := range []string{
		`[]`, `{"action": 1}`, `{"principal": "p", "action": "s3:GetObject"}`,
		`{"principal": "p", "resource": "*"}`, `{"principal": "p", "action": "s3:Get*", "resource": "*"}`,
		`{"action": "s3:GetObject", "resource": "*"}`, `{"principal": "p", "action": "s3:GetObject", "resource": "*", "bogus": 1}`,
		`{"principal": "p", "action": "s3:GetObject", "resource": "*", "context": {"k": {"x": 1}}}`,
		`{"principal": "p", "action": "s3:GetObject", "resource": "*", "context": []}`,
		`{"principal": "p",`, `{"principal": "p", "action": "nocolon", "resource": "*"}`,
		`{"anonymous": "yes", "action": "s3:GetObject", "resource": "*"}`,
	} {
		if _, err := DecodeRequest([]byte(in), nil); err == nil {
			t.Errorf("DecodeRequest(%s) succeeded", in)
		}
	}
	r, err := DecodeRequest([]byte(`{"anonymous": true, "action": "s3:GetObject", "resource": "arn:aws:s3:::b/k", "context": {"aws:TagKeys": "a", "n": 5, "b": true}}`), catalog.MustLoad())
	if err != nil {
		t.Fatal(err)
	}
	if v := r.Context.Get("aws:tagkeys"); v == nil || !v.Multi {
		t.Errorf("aws:TagKeys must be multivalued from the catalog: %+v", v)
	}
	if v := r.Context.Get("n"); v == nil || v.Values[0] != "5" {
		t.Errorf("number context value: %+v", v)
	}
}

func FuzzDecodeRequest(f *testing.F) {
	f.Add([]byte(`{"principal": "arn:aws:iam::111111111111:user/u", "action": "s3:GetObject", "resource": "arn:aws:s3:::b/k", "context": {"aws:SourceIp": "10.0.0.1", "aws:TagKeys": ["a"]}}`))
	f.Add([]byte(`{"anonymous": true, "action": "s3:GetObject", "resource": "*"}`))
	pol, _ := policy.Parse(source.NewFile("p.json", []byte(`{"Version": "2012-10-17", "Statement": [
		{"Effect": "Allow", "Action": "*", "Resource": "arn:aws:s3:::${aws:username}/*", "Condition": {"IpAddress": {"aws:SourceIp": "10.0.0.0/8"}, "DateLessThan": {"aws:CurrentTime": "${aws:TokenIssueTime}"}}},
		{"Effect": "Deny", "Action": "s3:*", "Resource": "*", "Condition": {"ForAnyValue:StringLike": {"aws:TagKeys": "x*${aws:PrincipalTag/t, 'd'}"}, "NumericGreaterThan": {"aws:MultiFactorAuthAge": "10"}, "ArnLike": {"aws:SourceArn": "arn:aws:*:*:*:*"}, "Null": {"aws:SourceVpc": "true"}}}]}`)), policy.Any)
	set := Compile(Input{Identity: []*Policy{NewPolicy(IdentityPolicy, "p", pol)}, Resource: []*Policy{NewPolicy(ResourcePolicy, "r", pol)}}, catalog.MustLoad())
	f.Fuzz(func(t *testing.T, data []byte) {
		r, err := DecodeRequest(data, nil)
		if err != nil {
			if _, ok := err.(*RequestError); !ok {
				t.Fatalf("error of type %T", err)
			}
			return
		}
		set.Evaluate(r)
	})
}
