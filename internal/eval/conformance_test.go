package eval

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/iamfit/iamfit/internal/catalog"
	"github.com/iamfit/iamfit/internal/conformance"
	"github.com/iamfit/iamfit/internal/policy"
	"github.com/iamfit/iamfit/internal/source"
)

const conformanceDir = "../../../shared/conformance/iam-simulate"

// skippedGroups are iam-simulate groups that test the peer's own features,
// not IAM's evaluation logic.
var skippedGroups = map[string]string{
	"discoveryMode": "iam-simulate's discovery mode (finding context keys that would change a decision) is a feature of that tool, not IAM evaluation",
}

// disputed are iam-simulate cases whose expected answer contradicts AWS's
// documentation: iamfit follows the documentation, the test checks that it
// answers otherwise than the case, and they count apart from the pass rate.
var disputed = map[string]string{
	"Implicit deny in session policy denies even if session ARN in resource policy": "AWS: a resource-based policy that specifies the ARN of the session as principal is not limited by the session policy " +
		"(https://docs.aws.amazon.com/IAM/latest/UserGuide/access_policies.html#policies_session)",
}

type coreCase struct {
	Name    string `json:"name"`
	Request struct {
		Action   string `json:"action"`
		Resource struct {
			Resource  string `json:"resource"`
			AccountID string `json:"accountId"`
		} `json:"resource"`
		Principal json.RawMessage            `json:"principal"`
		Context   map[string]json.RawMessage `json:"context"`
	} `json:"request"`
	IdentityPolicies       []json.RawMessage `json:"identityPolicies"`
	ResourcePolicy         json.RawMessage   `json:"resourcePolicy"`
	ResourcePolicies       []json.RawMessage `json:"resourcePolicies"`
	PermissionBoundaries   []json.RawMessage `json:"permissionBoundaries"`
	ServiceControlPolicies []orgLevel        `json:"serviceControlPolicies"`
	ResourceControlPolicy  []orgLevel        `json:"resourceControlPolicies"`
	SessionPolicy          json.RawMessage   `json:"sessionPolicy"`
	EndpointPolicies       []json.RawMessage `json:"endpointPolicies"`
	Simulation             *struct {
		Mode string `json:"mode"`
	} `json:"simulation"`
	Expected struct {
		Response string `json:"response"`
	} `json:"expected"`
}

type orgLevel struct {
	OrgIdentifier string            `json:"orgIdentifier"`
	Policies      []json.RawMessage `json:"policies"`
}

func mustPolicy(t *testing.T, kind Kind, name string, raw json.RawMessage) *Policy {
	t.Helper()
	doc, diags := policy.Parse(source.NewFile(name, raw), policy.Any)
	for _, d := range diags {
		if d.Severity == source.Error && d.Check == policy.CheckJSON {
			t.Fatalf("%s: %s", name, d)
		}
	}
	if doc == nil {
		t.Fatalf("%s: not a policy", name)
	}
	return NewPolicy(kind, name, doc)
}

func policies(t *testing.T, kind Kind, raws []json.RawMessage) []*Policy {
	out := []*Policy{}
	for i, r := range raws {
		out = append(out, mustPolicy(t, kind, fmt.Sprintf("%s[%d]", kind, i), r))
	}
	return out
}

func (c *coreCase) build(t *testing.T) (*Set, *Request) {
	in := Input{Identity: policies(t, IdentityPolicy, c.IdentityPolicies)}
	if len(c.ResourcePolicy) > 0 && string(c.ResourcePolicy) != "null" {
		in.Resource = append(in.Resource, mustPolicy(t, ResourcePolicy, "resource", c.ResourcePolicy))
	}
	in.Resource = append(in.Resource, policies(t, ResourcePolicy, c.ResourcePolicies)...)
	if len(c.PermissionBoundaries) > 0 {
		in.Boundary = policies(t, PermissionsBoundary, c.PermissionBoundaries)
	}
	for _, l := range c.ServiceControlPolicies {
		in.SCPs = append(in.SCPs, Level{Name: l.OrgIdentifier, Policies: policies(t, SCP, l.Policies)})
	}
	for _, l := range c.ResourceControlPolicy {
		in.RCPs = append(in.RCPs, Level{Name: l.OrgIdentifier, Policies: policies(t, RCP, l.Policies)})
	}
	if len(c.SessionPolicy) > 0 && string(c.SessionPolicy) != "null" {
		in.Session = []*Policy{mustPolicy(t, SessionPolicy, "session", c.SessionPolicy)}
	}
	if c.EndpointPolicies != nil {
		in.Endpoint = policies(t, EndpointPolicy, c.EndpointPolicies)
	}
	r := &Request{Action: c.Request.Action, Resource: c.Request.Resource.Resource,
		ResourceAccount: c.Request.Resource.AccountID, Context: NewContext()}
	var ps string
	if err := json.Unmarshal(c.Request.Principal, &ps); err == nil {
		r.Principal = ps
	} else {
		var po struct {
			Type string `json:"type"`
		}
		if err := json.Unmarshal(c.Request.Principal, &po); err != nil || po.Type != "Anonymous" {
			t.Fatalf("principal %s", c.Request.Principal)
		}
		r.Anonymous = true
	}
	for k, raw := range c.Request.Context {
		var s string
		if err := json.Unmarshal(raw, &s); err == nil {
			r.Context.Set(k, s)
			continue
		}
		var l []string
		if err := json.Unmarshal(raw, &l); err != nil {
			t.Fatalf("context %s: %s", k, raw)
		}
		r.Context.SetMulti(k, l...)
	}
	return Compile(in, catalog.MustLoad()), r
}

// TestConformanceCoreEngine replays iam-simulate's coreEngineTests.
func TestConformanceCoreEngine(t *testing.T) {
	dir := filepath.Join(conformanceDir, "coreEngineTests")
	if _, err := os.Stat(dir); err != nil {
		conformance.Missing(t, dir, err)
	}
	var files []string
	filepath.Walk(dir, func(p string, info os.FileInfo, err error) error {
		if err == nil && strings.HasSuffix(p, ".json") {
			files = append(files, p)
		}
		return nil
	})
	sort.Strings(files)
	pass, total, skipped, disagreed := 0, 0, 0, 0
	for _, f := range files {
		rel, _ := filepath.Rel(dir, f)
		group := strings.Split(filepath.ToSlash(rel), "/")[0]
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		var cases []coreCase
		if err := json.Unmarshal(data, &cases); err != nil {
			t.Fatalf("%s: %v", f, err)
		}
		for _, c := range cases {
			if _, skip := skippedGroups[group]; skip || (c.Simulation != nil && c.Simulation.Mode == "Discovery") {
				skipped++
				continue
			}
			set, r := c.build(t)
			got := set.Evaluate(r)
			if why, ok := disputed[c.Name]; ok {
				disagreed++
				if got.Result.String() == c.Expected.Response {
					t.Errorf("disputed case %s %q: iamfit answers %s like the case; the dispute (%s) is stale", rel, c.Name, got.Result, why)
				} else {
					t.Logf("disputed %s %q: iamfit %s, the case %s: %s", rel, c.Name, got.Result, c.Expected.Response, why)
				}
				continue
			}
			total++
			if got.Result.String() == c.Expected.Response {
				pass++
			} else {
				t.Logf("MISMATCH %s %q: got %s, want %s", rel, c.Name, got.Result, c.Expected.Response)
			}
		}
	}
	if total == 0 {
		t.Fatalf("no coreEngineTests cases in %s", dir)
	}
	for g, why := range skippedGroups {
		t.Logf("skipped group %s: %s", g, why)
	}
	rate := float64(pass) / float64(total)
	t.Logf("iam-simulate coreEngineTests: %d/%d (%.1f%%), %d discovery-mode cases skipped, %d disputed", pass, total, 100*rate, skipped, disagreed)
	if disagreed != len(disputed) {
		t.Errorf("%d disputed cases found, %d listed: a listed case is no longer in the corpus", disagreed, len(disputed))
	}
	if rate < 0.95 {
		t.Errorf("pass rate %.1f%% below 95%%", 100*rate)
	}
}

type opCase struct {
	Name           string            `json:"name"`
	RequestContext map[string]any    `json:"requestContext"`
	PolicyValues   []json.RawMessage `json:"policyValues"`
	TestValue      string            `json:"testValue"`
	Expected       bool              `json:"expected"`
}

// TestConformanceConditionOperators replays iam-simulate's operator cases:
// one operator, policy values, one request value.
func TestConformanceConditionOperators(t *testing.T) {
	file := filepath.Join(conformanceDir, "condition-operators.json")
	data, err := os.ReadFile(file)
	if err != nil {
		conformance.Missing(t, file, err)
	}
	var ops map[string]struct {
		Cases []opCase `json:"cases"`
	}
	if err := json.Unmarshal(data, &ops); err != nil {
		t.Fatal(err)
	}
	pass, total := 0, 0
	names := make([]string, 0, len(ops))
	for op := range ops {
		names = append(names, op)
	}
	sort.Strings(names)
	for _, op := range names {
		for _, c := range ops[op].Cases {
			total++
			cond := &policy.Condition{Operator: policy.String{Value: op}, Base: op, Key: policy.String{Value: "test:key"}, List: true}
			for _, raw := range c.PolicyValues {
				var s string
				if err := json.Unmarshal(raw, &s); err != nil {
					s = string(raw)
				}
				cond.Values = append(cond.Values, policy.Value{Value: s})
			}
			cc := compileCondition(cond, true)
			// An anonymous caller derives no context keys that could
			// satisfy the cases' variables.
			r := &Request{Anonymous: true, Context: NewContext()}
			for k, v := range c.RequestContext {
				switch v := v.(type) {
				case string:
					r.Context.Set(k, v)
				case []any:
					var l []string
					for _, x := range v {
						l = append(l, fmt.Sprint(x))
					}
					r.Context.SetMulti(k, l...)
				}
			}
			r.Context.Set("test:key", c.TestValue)
			r.prepare()
			if got := cc.eval(r); got == c.Expected {
				pass++
			} else {
				t.Logf("MISMATCH %s %q: got %v, want %v", op, c.Name, got, c.Expected)
			}
		}
	}
	if total == 0 {
		t.Fatalf("no condition-operator cases in %s", file)
	}
	rate := float64(pass) / float64(total)
	t.Logf("iam-simulate condition-operators: %d/%d (%.1f%%)", pass, total, 100*rate)
	if rate < 0.98 {
		t.Errorf("pass rate %.1f%% below 98%%", 100*rate)
	}
}
