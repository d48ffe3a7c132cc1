package eval

import (
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"testing"

	"github.com/iamfit/iamfit/internal/catalog"
	"github.com/iamfit/iamfit/internal/policy"
	"github.com/iamfit/iamfit/internal/source"
)

// chooser is where a generated scenario takes its choices from: a seeded
// random source in TestCheckAgreesWithDecision, the fuzzer's bytes in
// FuzzCheckAgreesWithDecision.
type chooser interface {
	intn(n int) int
}

type randChooser struct{ r *rand.Rand }

func (c randChooser) intn(n int) int { return c.r.IntN(n) }

// byteChooser reads one byte a choice; past the end every choice is 0.
type byteChooser struct{ b []byte }

func (c *byteChooser) intn(n int) int {
	if len(c.b) == 0 {
		return 0
	}
	v := int(c.b[0])
	c.b = c.b[1:]
	return v % n
}

// The pools scenarios draw from: values chosen so that statements match
// and miss the requests in every part.
var (
	genActions = []string{"s3:GetObject", "s3:*", "*", "s3:Get*", "kms:Decrypt", "sts:AssumeRole",
		"ecs:UpdateService", "iam:PassRole", "sts:GetCallerIdentity"}
	genResources = []string{"*", "arn:aws:s3:::bucket/*", "arn:aws:s3:::bucket/${aws:username}",
		"arn:aws:kms:us-east-1:111111111111:key/k1", "arn:aws:iam::111111111111:role/deploy",
		"arn:aws:ecs:us-east-1:111111111111:service/prod/*", "arn:aws:s3:::other/*",
		"arn:aws:s3:::bucket/${aws:PrincipalTag/team, 'none'}"}
	genAWSPrincipals = []string{"111111111111", "arn:aws:iam::111111111111:root", "arn:aws:iam::222222222222:root",
		"arn:aws:iam::111111111111:user/alice", "arn:aws:iam::111111111111:role/deploy",
		"arn:aws:sts::111111111111:assumed-role/deploy/s1", "*"}
	genConditions = []string{
		`{"StringEquals": {"aws:PrincipalTag/team": "a"}}`,
		`{"StringEqualsIfExists": {"aws:ResourceTag/env": "dev"}}`,
		`{"ForAnyValue:StringEquals": {"aws:TagKeys": ["a", "b"]}}`,
		`{"ForAllValues:StringLike": {"aws:TagKeys": "a*"}}`,
		`{"ForAnyValue:StringEqualsIfExists": {"aws:TagKeys": "a"}}`,
		`{"Bool": {"aws:PrincipalIsAWSService": "true"}}`,
		`{"Null": {"aws:SourceVpc": "true"}}`,
		`{"ArnLike": {"aws:PrincipalArn": "arn:aws:iam::111111111111:role/*"}}`,
		`{"StringNotEquals": {"aws:PrincipalAccount": "111111111111"}}`,
		`{"IpAddress": {"aws:SourceIp": "10.0.0.0/8"}}`,
		`{"StringLike": {"aws:username": "${aws:PrincipalTag/team}*"}}`,
	}
	genCallers = []string{"arn:aws:iam::111111111111:user/alice", "arn:aws:iam::111111111111:role/deploy",
		"arn:aws:sts::111111111111:assumed-role/deploy/s1", "arn:aws:iam::111111111111:root",
		"arn:aws:iam::222222222222:user/bob", "arn:aws:sts::222222222222:assumed-role/deploy/s2",
		"ecs-tasks.amazonaws.com", "arn:aws:iam::111111111111:oidc-provider/token.actions.githubusercontent.com", ""}
	genRequestResources = []string{"arn:aws:s3:::bucket/alice", "arn:aws:s3:::bucket/a", "arn:aws:s3:::other/x",
		"arn:aws:kms:us-east-1:111111111111:key/k1", "arn:aws:iam::111111111111:role/deploy",
		"arn:aws:ecs:us-east-1:111111111111:service/prod/app", "*"}
)

func pickN(c chooser, pool []string, max int) []string {
	n := 1 + c.intn(max)
	out := make([]string, n)
	for i := range out {
		out[i] = pool[c.intn(len(pool))]
	}
	return out
}

// genStatement builds one statement; with principals, Principal and
// NotPrincipal appear as resource-side policies have them.
func genStatement(c chooser, principals bool) map[string]any {
	st := map[string]any{"Effect": []string{"Allow", "Deny"}[c.intn(2)]}
	switch c.intn(8) {
	case 0:
		st["NotAction"] = pickN(c, genActions, 2)
	case 1:
		// Neither Action nor NotAction: the statement matches nothing.
	default:
		st["Action"] = pickN(c, genActions, 2)
	}
	switch c.intn(6) {
	case 0:
		st["NotResource"] = pickN(c, genResources, 2)
	case 1:
	default:
		st["Resource"] = pickN(c, genResources, 2)
	}
	if principals {
		var pr any
		switch c.intn(5) {
		case 0:
			pr = "*"
		case 1:
			pr = map[string]any{"Service": "ecs-tasks.amazonaws.com"}
		case 2:
			pr = map[string]any{"Federated": "arn:aws:iam::111111111111:oidc-provider/token.actions.githubusercontent.com"}
		default:
			pr = map[string]any{"AWS": pickN(c, genAWSPrincipals, 2)}
		}
		switch c.intn(5) {
		case 0:
			st["NotPrincipal"] = pr
		case 1:
		default:
			st["Principal"] = pr
		}
	}
	if n := c.intn(3); n > 0 {
		cond := map[string]map[string]json.RawMessage{}
		for range n {
			var one map[string]map[string]json.RawMessage
			if err := json.Unmarshal([]byte(genConditions[c.intn(len(genConditions))]), &one); err != nil {
				panic(err) // the pool is constant
			}
			for op, kv := range one {
				if cond[op] == nil {
					cond[op] = map[string]json.RawMessage{}
				}
				for k, v := range kv {
					cond[op][k] = v
				}
			}
		}
		st["Condition"] = cond
	}
	return st
}

// genPolicy builds and parses one policy of kind k.
func genPolicy(t testing.TB, c chooser, k Kind, name string) *Policy {
	principals := k == ResourcePolicy || k == RCP || k == EndpointPolicy
	doc := map[string]any{}
	switch c.intn(8) {
	case 0:
		doc["Version"] = "2008-10-17"
	case 1:
	default:
		doc["Version"] = "2012-10-17"
	}
	var sts []any
	for range 1 + c.intn(3) {
		sts = append(sts, genStatement(c, principals))
	}
	doc["Statement"] = sts
	data, err := json.Marshal(doc)
	if err != nil {
		t.Fatal(err)
	}
	pol, _ := policy.Parse(source.NewFile(name, data), policy.Any)
	if pol == nil {
		t.Fatalf("%s: generated policy does not parse: %s", name, data)
	}
	return NewPolicy(k, name, pol)
}

// genScenario builds the policies in force and a request.
func genScenario(t testing.TB, c chooser) (Input, *Request) {
	some := func(k Kind, label string) []*Policy {
		var out []*Policy
		for i := range c.intn(3) {
			out = append(out, genPolicy(t, c, k, fmt.Sprintf("%s[%d]", label, i)))
		}
		return out
	}
	// Guardrails are often absent: nil, not an empty list, which denies.
	rare := func(k Kind, label string) []*Policy {
		if c.intn(3) != 0 {
			return nil
		}
		return some(k, label)
	}
	in := Input{
		Identity: some(IdentityPolicy, "identity"),
		Resource: some(ResourcePolicy, "resource"),
		Boundary: rare(PermissionsBoundary, "boundary"),
		Session:  rare(SessionPolicy, "session"),
		Endpoint: rare(EndpointPolicy, "endpoint"),
	}
	for i := range c.intn(3) {
		in.SCPs = append(in.SCPs, Level{Name: fmt.Sprint(i), Policies: some(SCP, fmt.Sprintf("scp%d", i))})
	}
	for i := range c.intn(3) {
		in.RCPs = append(in.RCPs, Level{Name: fmt.Sprint(i), Policies: some(RCP, fmt.Sprintf("rcp%d", i))})
	}
	r := &Request{Principal: genCallers[c.intn(len(genCallers))], Action: genActions[c.intn(len(genActions))],
		Resource: genRequestResources[c.intn(len(genRequestResources))], Context: NewContext()}
	if r.Action == "*" || r.Action == "s3:*" || r.Action == "s3:Get*" {
		r.Action = "s3:GetObject"
	}
	r.Anonymous = r.Principal == ""
	if c.intn(2) == 0 {
		r.Context.Set("aws:PrincipalTag/team", []string{"a", "b", "*"}[c.intn(3)])
	}
	if c.intn(2) == 0 {
		// Zero to three keys: an empty set is not an absent key.
		keys := pickN(c, []string{"a", "b", "ab", "c"}, 3)
		r.Context.SetMulti("aws:TagKeys", keys[:c.intn(len(keys)+1)]...)
	}
	if c.intn(2) == 0 {
		r.Context.Set("aws:SourceIp", []string{"10.1.2.3", "192.0.2.1"}[c.intn(2)])
	}
	if c.intn(3) == 0 {
		r.Context.Set("aws:SourceVpc", "vpc-1")
	}
	if c.intn(3) == 0 {
		r.Context.Set("aws:ResourceTag/env", []string{"dev", "prod"}[c.intn(2)])
	}
	return in, r
}

// checkAgreement asserts that Check and the Decision agree: the statements
// Check says apply are exactly those the Decision lists as matched, for
// every policy in force; the kinds with an applying Deny are the kinds the
// Decision calls explicit; an explicit deny names a Deny, and an allow an
// Allow.
func checkAgreement(t testing.TB, in Input, r *Request, cat *catalog.Catalog) {
	t.Helper()
	set := Compile(in, cat)
	d := set.Evaluate(r)
	matched := map[*policy.Statement]bool{}
	for _, m := range d.Matches {
		matched[m.Statement] = true
	}
	type slot struct {
		k  Kind
		ps []*Policy
	}
	slots := []slot{{IdentityPolicy, in.Identity}, {ResourcePolicy, in.Resource}, {PermissionsBoundary, in.Boundary},
		{SessionPolicy, in.Session}, {EndpointPolicy, in.Endpoint}}
	for _, l := range in.SCPs {
		slots = append(slots, slot{SCP, l.Policies})
	}
	for _, l := range in.RCPs {
		slots = append(slots, slot{RCP, l.Policies})
	}
	applying := 0
	denyKinds := map[Kind]bool{}
	anyAllow, anyDeny := false, false
	for _, s := range slots {
		for _, p := range s.ps {
			checks := set.Check(p, r)
			old := Check(p, r)
			for i, c := range checks {
				st := c.Statement
				if c.Applies() != matched[st] {
					t.Fatalf("%s %s: Check says applies=%v (%+v), the decision %s says %v\nrequest %+v\npolicy %s",
						p.Name, st.Path, c.Applies(), c, d.Result, matched[st], r, p.Doc.File.Data)
				}
				if old[i].Applies() != c.Applies() {
					t.Fatalf("%s %s: package-level Check disagrees with Set.Check", p.Name, st.Path)
				}
				if !c.Applies() {
					continue
				}
				applying++
				if st.Effect == policy.Deny {
					denyKinds[s.k], anyDeny = true, true
				} else {
					anyAllow = true
				}
			}
		}
	}
	if applying != len(d.Matches) {
		t.Fatalf("Check finds %d applying statements, the decision lists %d", applying, len(d.Matches))
	}
	getCallerIdentity := r.actionLC == "sts:getcalleridentity"
	if !getCallerIdentity {
		for _, k := range d.Explicit {
			if !denyKinds[k] {
				t.Fatalf("decision calls %s explicit, no Deny of it applies", k)
			}
		}
		if len(denyKinds) != len(d.Explicit) {
			t.Fatalf("Deny statements of %v apply, the decision calls %v explicit", denyKinds, d.Explicit)
		}
	}
	switch {
	case d.Result == ExplicitlyDenied && !anyDeny:
		t.Fatalf("ExplicitlyDenied and no Deny applies")
	case d.Result == Allowed && !getCallerIdentity && !anyAllow:
		t.Fatalf("Allowed and no Allow applies")
	}
}

// TestCheckAgreesWithDecision generates policies of every kind and
// requests from a fixed seed and checks that Check and Evaluate agree.
func TestCheckAgreesWithDecision(t *testing.T) {
	cat := catalog.MustLoad()
	n := 3000
	if testing.Short() {
		n = 300
	}
	rng := rand.New(rand.NewPCG(20261201, 1))
	for i := range n {
		in, r := genScenario(t, randChooser{rng})
		t.Run(fmt.Sprint(i), func(t *testing.T) { checkAgreement(t, in, r, cat) })
		if t.Failed() {
			break
		}
	}
}

// FuzzCheckAgreesWithDecision is TestCheckAgreesWithDecision with the
// fuzzer choosing: go test -fuzz FuzzCheckAgreesWithDecision ./internal/eval
func FuzzCheckAgreesWithDecision(f *testing.F) {
	f.Add([]byte{})
	// A resource policy with a NotPrincipal Deny naming the caller, and a
	// permissions boundary.
	f.Add([]byte{0, 1, 0, 0, 2, 0, 1, 3, 0, 0, 4, 0, 0, 0, 0, 0, 0, 0, 0, 3, 1})
	f.Add([]byte("\x05\x02\x01\x07\x03\x09\x00\x01\x02\x03\x04\x05\x06\x07\x08\x09\x0a\x0b\x0c\x0d\x0e\x0f"))
	f.Add([]byte("iamfit explain said ExplicitlyDenied and named no Deny"))
	cat := catalog.MustLoad()
	f.Fuzz(func(t *testing.T, data []byte) {
		in, r := genScenario(t, &byteChooser{data})
		checkAgreement(t, in, r, cat)
	})
}

// TestCheckNotPrincipalBoundary is the case that made explain contradict
// itself: a resource policy's NotPrincipal Deny names the caller, who has
// a permissions boundary, so the Deny applies (IAM User Guide, "AWS JSON
// policy elements: NotPrincipal": "The NotPrincipal element with a Deny
// effect will always deny any IAM principal that has a permissions boundary
// policy attached, regardless of the values specified in the NotPrincipal
// element",
// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_notprincipal.html).
func TestCheckNotPrincipalBoundary(t *testing.T) {
	parse := func(k Kind, name, text string) *Policy {
		doc, diags := policy.Parse(source.NewFile(name, []byte(text)), policy.Any)
		if doc == nil {
			t.Fatalf("%s: %v", name, diags)
		}
		return NewPolicy(k, name, doc)
	}
	allow := `{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"}]}`
	res := parse(ResourcePolicy, "bucket", `{"Version": "2012-10-17", "Statement": [{"Effect": "Deny", "NotPrincipal": {"AWS": "arn:aws:iam::111111111111:user/alice"}, "Action": "s3:*", "Resource": "*"}]}`)
	for _, tc := range []struct {
		name     string
		boundary bool
		want     Result
	}{
		{"without a boundary NotPrincipal spares alice", false, Allowed},
		{"with a boundary the Deny applies to alice", true, ExplicitlyDenied},
	} {
		t.Run(tc.name, func(t *testing.T) {
			in := Input{Identity: []*Policy{parse(IdentityPolicy, "id", allow)}, Resource: []*Policy{res}}
			if tc.boundary {
				in.Boundary = []*Policy{parse(PermissionsBoundary, "pb", allow)}
			}
			set := Compile(in, catalog.MustLoad())
			r := &Request{Principal: "arn:aws:iam::111111111111:user/alice", Action: "s3:GetObject", Resource: "arn:aws:s3:::b/k"}
			if d := set.Evaluate(r); d.Result != tc.want {
				t.Fatalf("decision %s, want %s", d.Result, tc.want)
			}
			c := set.Check(res, r)[0]
			if c.Applies() != tc.boundary || c.Principal != tc.boundary {
				t.Errorf("Check: %+v, want the Deny to apply: %v", c, tc.boundary)
			}
		})
	}
}

// TestCheckNotInForce: Check says why a policy does not govern a request
// at all, where evaluation skips it.
func TestCheckNotInForce(t *testing.T) {
	doc, _ := policy.Parse(source.NewFile("p", []byte(`{"Version": "2012-10-17", "Statement": [{"Effect": "Deny", "Action": "*", "Resource": "*"}]}`)), policy.Any)
	cat := catalog.MustLoad()
	for _, tc := range []struct {
		name      string
		kind      Kind
		principal string
		action    string
		inForce   bool
	}{
		// SCPs limit the IAM users and roles of member accounts, not service
		// principals (https://docs.aws.amazon.com/organizations/latest/userguide/orgs_manage_policies_scps.html).
		{"SCP, service principal", SCP, "ecs-tasks.amazonaws.com", "s3:GetObject", false},
		{"SCP, role session", SCP, "arn:aws:sts::111111111111:assumed-role/r/s", "s3:GetObject", true},
		{"identity policy, service principal", IdentityPolicy, "ecs-tasks.amazonaws.com", "s3:GetObject", false},
		{"boundary, identity provider", PermissionsBoundary, "accounts.google.com", "sts:AssumeRoleWithWebIdentity", false},
		{"session policy, role session", SessionPolicy, "arn:aws:sts::111111111111:assumed-role/r/s", "s3:GetObject", true},
		// ECS is not among the services that support RCPs
		// (https://docs.aws.amazon.com/organizations/latest/userguide/orgs_manage_policies_rcps.html).
		{"RCP, a service without RCPs", RCP, "arn:aws:iam::222222222222:user/u", "ecs:UpdateService", false},
		{"RCP, S3", RCP, "arn:aws:iam::222222222222:user/u", "s3:GetObject", true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p := NewPolicy(tc.kind, "p", doc)
			in := Input{}
			switch tc.kind {
			case SCP:
				in.SCPs = []Level{{Policies: []*Policy{p}}}
			case RCP:
				in.RCPs = []Level{{Policies: []*Policy{p}}}
			case IdentityPolicy:
				in.Identity = []*Policy{p}
			case PermissionsBoundary:
				in.Boundary = []*Policy{p}
			case SessionPolicy:
				in.Session = []*Policy{p}
			}
			set := Compile(in, cat)
			r := &Request{Principal: tc.principal, Action: tc.action, Resource: "*"}
			c := set.Check(p, r)[0]
			if (c.NotInForce == "") != tc.inForce || c.Applies() != tc.inForce {
				t.Errorf("Check: %+v, want in force %v", c, tc.inForce)
			}
			if d := set.Evaluate(r); (len(d.Matches) == 1) != tc.inForce {
				t.Errorf("decision matches %d, want in force %v", len(d.Matches), tc.inForce)
			}
		})
	}
}
