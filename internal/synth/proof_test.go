package synth

import (
	"strings"
	"testing"

	"github.com/iamfit/iamfit/internal/catalog"
	"github.com/iamfit/iamfit/internal/need"
	"github.com/iamfit/iamfit/internal/policy"
)

// Roles of the tests, built the way the workflow reader builds them.

const (
	acct     = "123456789012"
	repoARN  = "arn:aws:ecr:us-east-1:" + acct + ":repository/web"
	svcARN   = "arn:aws:ecs:us-east-1:" + acct + ":service/prod/web"
	tdARN    = "arn:aws:ecs:us-east-1:" + acct + ":task-definition/web:*"
	cluster  = "arn:aws:ecs:us-east-1:" + acct + ":cluster/prod"
	execRole = "arn:aws:iam::" + acct + ":role/web-exec"
)

func passRole(role string) need.Need {
	return need.Need{Action: "iam:PassRole", Resource: role, Why: "pass " + role,
		Conditions: []need.Cond{{Op: "StringEquals", Key: "iam:PassedToService", Values: []string{"ecs-tasks.amazonaws.com"}}}}
}

func ecrPush(repo string) []need.Need {
	var out []need.Need
	for _, a := range []string{"ecr:BatchCheckLayerAvailability", "ecr:InitiateLayerUpload", "ecr:UploadLayerPart", "ecr:CompleteLayerUpload", "ecr:PutImage"} {
		out = append(out, need.Need{Action: a, Resource: repo, Why: "docker push"})
	}
	return out
}

// deployRole is a deploy role that pushes, registers, runs and deploys.
func deployRole() *need.Role {
	needs := []need.Need{{Action: "ecr:GetAuthorizationToken", Resource: "*", Why: "ecr login"}}
	needs = append(needs, ecrPush(repoARN)...)
	needs = append(needs,
		need.Need{Action: "ecs:RegisterTaskDefinition", Resource: "*", Why: "register"},
		need.Need{Action: "ecs:UpdateService", Resource: svcARN, Why: "deploy"},
		need.Need{Action: "ecs:DescribeServices", Resource: svcARN, Why: "deploy"},
		need.Need{Action: "ecs:RunTask", Resource: tdARN, Why: "migrations",
			Conditions: []need.Cond{{Op: "ArnEquals", Key: "ecs:cluster", Values: []string{cluster}}}},
		passRole(execRole))
	return &need.Role{ARN: "arn:aws:iam::" + acct + ":role/deploy", Account: acct, Region: "us-east-1", OIDC: true, Kind: need.Deploy,
		Needs: needs, Subjects: []need.Subject{{Value: "repo:octo-org/web:ref:refs/heads/main", Why: "on: push to main"}}}
}

// serviceRole is a task execution role.
func serviceRole(account string) *need.Role {
	return &need.Role{ARN: "arn:aws:iam::" + account + ":role/web-exec", Account: account, Region: "us-east-1",
		Service: "ecs-tasks.amazonaws.com", Kind: need.Execution,
		Needs: []need.Need{{Action: "logs:CreateLogStream", Resource: "arn:aws:logs:us-east-1:" + account + ":log-group:/ecs/web:*", Why: "awslogs"}}}
}

// chainedRole is a role assumed from the deploy role.
func chainedRole() *need.Role {
	return &need.Role{ARN: "arn:aws:iam::210987654321:role/deploy-prod", Account: "210987654321", Region: "us-east-1",
		Kind: need.Deploy, AssumedBy: "arn:aws:iam::" + acct + ":role/deploy",
		Needs: []need.Need{{Action: "ecs:UpdateService", Resource: "arn:aws:ecs:us-east-1:210987654321:service/prod/web", Why: "deploy"}}}
}

func prove(t *testing.T, p *Plan) *Proof {
	t.Helper()
	proof, err := Prove(p, catalog.MustLoad())
	if err != nil {
		t.Fatalf("Prove: %v", err)
	}
	return proof
}

// Mutations of a generated policy.

// statementsWith returns the statements of doc whose Action holds action.
func statementsWith(doc *policy.Policy, action string) []*policy.Statement {
	var out []*policy.Statement
	for _, st := range doc.Statements {
		if st.Action == nil {
			continue
		}
		for _, a := range st.Action.Values {
			if strings.EqualFold(a.Value, action) {
				out = append(out, st)
				break
			}
		}
	}
	return out
}

func removeAction(action string) func(*Plan) {
	return func(p *Plan) {
		for _, st := range statementsWith(p.Policy, action) {
			var keep []policy.String
			for _, a := range st.Action.Values {
				if !strings.EqualFold(a.Value, action) {
					keep = append(keep, a)
				}
			}
			if len(keep) == 0 {
				keep = []policy.String{{Value: "ecr:DescribeImages"}}
			}
			st.Action.Values, st.Action.List = keep, len(keep) > 1
		}
	}
}

func setResource(action, resource string) func(*Plan) {
	return func(p *Plan) {
		for _, st := range statementsWith(p.Policy, action) {
			st.Resource = strs([]string{resource})
		}
	}
}

func dropCondition(trust bool, key string) func(*Plan) {
	return func(p *Plan) {
		doc := p.Policy
		if trust {
			doc = p.Trust
		}
		for _, st := range doc.Statements {
			var keep []*policy.Condition
			for _, c := range st.Conditions {
				if !strings.EqualFold(c.Key.Value, key) {
					keep = append(keep, c)
				}
			}
			st.Conditions = keep
		}
	}
}

func setTrustCondition(op, key string, values ...string) func(*Plan) {
	return func(p *Plan) {
		for _, st := range p.Trust.Statements {
			for _, c := range st.Conditions {
				if strings.EqualFold(c.Key.Value, key) {
					c.Operator, c.Base = policy.String{Value: op}, op
					c.Values, c.List = nil, len(values) > 1
					for _, v := range values {
						c.Values = append(c.Values, policy.Value{Value: v})
					}
				}
			}
		}
	}
}

// setTrustPrincipal sets the trust's Principal; typ "*" is "Principal": "*".
func setTrustPrincipal(typ, value string) func(*Plan) {
	return func(p *Plan) {
		for _, st := range p.Trust.Statements {
			if typ == "*" {
				st.Principal = &policy.Principal{Wildcard: true}
				continue
			}
			st.Principal = &policy.Principal{Entries: []policy.PrincipalEntry{{Type: typ, Values: []policy.String{{Value: value}}}}}
		}
	}
}

// TestProofCatchesWrongPolicies feeds the proof policies that are wrong on
// purpose; each must fail the proof, on the check named by want.
func TestProofCatchesWrongPolicies(t *testing.T) {
	cases := []struct {
		name   string
		role   func() *need.Role
		mutate func(*Plan)
		want   string // in the Why of a failed check
	}{
		{"needed action removed", deployRole, removeAction("ecr:PutImage"), "docker push"},
		{"PassRole removed", deployRole, removeAction("iam:PassRole"), "pass " + execRole},
		{"repository widened to *", deployRole, setResource("ecr:PutImage", "*"), "another resource of the same type"},
		{"repository in any account", deployRole, setResource("ecr:PutImage", "arn:aws:ecr:us-east-1:*:repository/web"), "the same resource in another account"},
		{"repository in any region", deployRole, setResource("ecr:PutImage", "arn:aws:ecr:*:"+acct+":repository/web"), "the same resource in another region"},
		{"service widened to the cluster", deployRole, setResource("ecs:UpdateService", "arn:aws:ecs:us-east-1:"+acct+":service/prod/*"), "another resource of the same type"},
		{"PassRole on any role", deployRole, setResource("iam:PassRole", "*"), "another resource of the same type"},
		{"PassRole without iam:PassedToService", deployRole, dropCondition(false, "iam:PassedToService"), "the same call with iam:PassedToService"},
		{"RunTask without ecs:cluster", deployRole, dropCondition(false, "ecs:cluster"), "the same call with ecs:cluster"},
		{"ecs:cluster on any cluster", deployRole, func(p *Plan) {
			for _, st := range statementsWith(p.Policy, "ecs:RunTask") {
				st.Conditions[0].Values = []policy.Value{{Value: "arn:aws:ecs:us-east-1:" + acct + ":cluster/*"}}
				st.Conditions[0].Operator, st.Conditions[0].Base = policy.String{Value: "ArnLike"}, "ArnLike"
			}
		}, "the same call with ecs:cluster"},
		{"trust without sub", deployRole, dropCondition(true, OIDCHost+":sub"), "another repository"},
		{"trust without aud", deployRole, dropCondition(true, OIDCHost+":aud"), "another audience"},
		{"trust sub widened to the owner", deployRole, setTrustCondition("StringLike", OIDCHost+":sub", "repo:octo-org/*"), "another repository of the same owner"},
		{"trust sub widened to any ref", deployRole, setTrustCondition("StringLike", OIDCHost+":sub", "repo:octo-org/web:*"), "a pull request"},
		{"trust sub widened to any branch", deployRole, setTrustCondition("StringLike", OIDCHost+":sub", "repo:octo-org/web:ref:refs/heads/*"), "another branch"},
		{"trust of any principal", deployRole, setTrustPrincipal("*", ""), "another identity provider"},
		{"service trust without confused-deputy conditions", func() *need.Role { return serviceRole(acct) },
			func(p *Plan) { dropCondition(true, "aws:SourceAccount")(p); dropCondition(true, "aws:SourceArn")(p) }, "another account"},
		{"service trust for any service", func() *need.Role { return serviceRole(acct) }, setTrustPrincipal("*", ""), "another service"},
		{"chained trust to the whole account", chainedRole, setTrustPrincipal("AWS", "arn:aws:iam::"+acct+":root"), "another role of the same account"},
		{"chained trust to any account", chainedRole, setTrustPrincipal("AWS", "*"), "in another account"},
		{"log group widened", func() *need.Role { return serviceRole(acct) }, setResource("logs:CreateLogStream", "*"), "another resource of the same type"},
	}
	cat := catalog.MustLoad()
	// Each case alone, then all with one Prover, as generate proves the
	// roles of a repository: what one proof kept (the documents read, the
	// resource side) must not hide another's failure.
	shared := NewProver(cat)
	for _, mode := range []string{"alone", "shared"} {
		proveIn := func(t *testing.T, p *Plan) *Proof {
			if mode == "alone" {
				return prove(t, p)
			}
			t.Helper()
			proof, err := shared.Prove(p)
			if err != nil {
				t.Fatalf("Prove: %v", err)
			}
			return proof
		}
		for _, tc := range cases {
			t.Run(mode+"/"+tc.name, func(t *testing.T) {
				p := Generate(tc.role(), "octo-org/web", cat)
				if f := proveIn(t, p).Failures(); len(f) > 0 {
					t.Fatalf("the unchanged plan fails: %+v", f)
				}
				tc.mutate(p)
				failures := proveIn(t, p).Failures()
				if len(failures) == 0 {
					data, _ := policy.Marshal(p.Policy)
					trust, _ := policy.Marshal(p.Trust)
					t.Fatalf("the proof passes a wrong policy:\n%s\n%s", data, trust)
				}
				for _, f := range failures {
					if strings.Contains(f.Why, tc.want) {
						return
					}
				}
				t.Errorf("no failure says %q; failures: %+v", tc.want, failures)
			})
		}
	}
}

// TestProofPassesRightPolicies are the inputs on which the proof used to
// fail although the generated policies were right.
func TestProofPassesRightPolicies(t *testing.T) {
	withAccount := func(r *need.Role, account string) *need.Role {
		r.ARN = strings.ReplaceAll(r.ARN, acct, account)
		r.Account = strings.ReplaceAll(r.Account, acct, account)
		for i, n := range r.Needs {
			n.Resource = strings.ReplaceAll(n.Resource, acct, account)
			var conds []need.Cond
			for _, c := range n.Conditions {
				c.Values = []string{strings.ReplaceAll(c.Values[0], acct, account)}
				conds = append(conds, c)
			}
			n.Conditions = conds
			r.Needs[i] = n
		}
		return r
	}
	cases := []struct {
		name string
		role func() *need.Role
		repo string
	}{
		{"account from vars.X", func() *need.Role { return withAccount(deployRole(), "{{AWS_ACCOUNT_ID}}") }, "octo-org/web"},
		{"account from a matrix", func() *need.Role { return withAccount(deployRole(), "{{matrix.account}}") }, "octo-org/web"},
		{"region and repository parameters", func() *need.Role {
			r := deployRole()
			r.Region = "{{Region}}"
			for i := range r.Needs {
				r.Needs[i].Resource = strings.ReplaceAll(r.Needs[i].Resource, "us-east-1", "{{Region}}")
			}
			r.Subjects[0].Value = "repo:{{GitHubRepository}}:ref:refs/heads/main"
			return r
		}, "{{GitHubRepository}}"},
		{"literal account next to {{AccountId}}", func() *need.Role {
			r := withAccount(deployRole(), "{{AccountId}}")
			r.ARN = "{{AWS_ROLE_ARN}}"
			r.Needs = append(r.Needs, passRole("arn:aws:iam::"+acct+":role/other-exec"))
			return r
		}, "octo-org/web"},
		{"role chaining: sts:AssumeRole on the next role", func() *need.Role {
			r := deployRole()
			next := "arn:aws:iam::210987654321:role/deploy-prod"
			r.Needs = append(r.Needs, need.Need{Action: "sts:AssumeRole", Resource: next, Why: "chain"}, need.Need{Action: "sts:TagSession", Resource: next, Why: "chain"})
			return r
		}, "octo-org/web"},
		{"the chained role", chainedRole, "octo-org/web"},
		{"KMS key", func() *need.Role {
			r := deployRole()
			r.Needs = append(r.Needs, need.Need{Action: "kms:Decrypt", Resource: "arn:aws:kms:us-east-1:" + acct + ":key/1234abcd-12ab-34cd-56ef-1234567890ab", Why: "decrypt"})
			return r
		}, "octo-org/web"},
		{"account equal to the old 'another account'", func() *need.Role { return withAccount(deployRole(), "444455556666") }, "octo-org/web"},
		{"service role in the old 'another account'", func() *need.Role { return serviceRole("444455556666") }, "octo-org/web"},
		{"account equal to the old {{AccountId}} stand-in", func() *need.Role {
			r := withAccount(deployRole(), "111122223333")
			r.Needs = append(r.Needs, need.Need{Action: "ecs:UpdateService", Resource: "arn:aws:ecs:us-east-1:{{AccountId}}:service/prod/api", Why: "deploy api"})
			return r
		}, "octo-org/web"},
		{"a need within another need's pattern", func() *need.Role {
			r := deployRole()
			r.Needs = append(r.Needs, ecrPush("arn:aws:ecr:us-east-1:"+acct+":repository/*")...)
			return r
		}, "octo-org/web"},
		{"any branch", func() *need.Role {
			r := deployRole()
			r.Subjects[0].Value = "repo:octo-org/web:ref:refs/heads/*"
			return r
		}, "octo-org/web"},
		{"the probe names are in the inputs", func() *need.Role {
			r := deployRole()
			r.Needs = append(r.Needs, ecrPush("arn:aws:ecr:us-east-1:"+acct+":repository/iamfit-probe-web")...)
			r.Subjects = append(r.Subjects, need.Subject{Value: "repo:octo-org/web:ref:refs/heads/iamfit-probe-branch"},
				need.Subject{Value: "repo:octo-org/web:pull_request"})
			return r
		}, "octo-org/web"},
	}
	cat := catalog.MustLoad()
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			p := Generate(tc.role(), tc.repo, cat)
			proof := prove(t, p)
			for _, f := range proof.Failures() {
				t.Errorf("%s: want %s, got %s (%s)", f.Request, f.Want, f.Got, f.Why)
			}
			if len(proof.Needs) == 0 || len(proof.Probes) == 0 {
				t.Errorf("%d needs, %d probes: the proof checks nothing", len(proof.Needs), len(proof.Probes))
			}
		})
	}
}

// TestBinding checks that parameters get one value each that no input
// holds, accounts and regions of the right shape.
func TestBinding(t *testing.T) {
	r := deployRole()
	r.Account = "{{AccountId}}"
	r.Needs = append(r.Needs,
		need.Need{Action: "ecs:UpdateService", Resource: "arn:aws:ecs:{{Region}}:{{AccountId}}:service/{{CLUSTER}}/web"},
		need.Need{Action: "ecs:UpdateService", Resource: "arn:aws:ecs:us-west-2:111122223333:service/iamfit-cluster/web"})
	p := Generate(r, "octo-org/web", catalog.MustLoad())
	b := newBinding(p)
	literals := strings.Join(planStrings(p), "\n")
	for name, v := range b.values {
		if strings.Contains(literals, v) {
			t.Errorf("{{%s}} = %q: in the inputs", name, v)
		}
	}
	if v := b.values["AccountId"]; len(v) != 12 || strings.Trim(v, "0123456789") != "" {
		t.Errorf("{{AccountId}} = %q, want 12 digits", v)
	}
	if v := b.values["Region"]; v == "us-west-2" || v == "us-east-1" || !strings.Contains(v, "-") {
		t.Errorf("{{Region}} = %q, want a region not in the inputs", v)
	}
	if got := b.bind("{{AccountId}}/{{AccountId}}"); got != b.values["AccountId"]+"/"+b.values["AccountId"] {
		t.Errorf("bind is not consistent: %q", got)
	}
	other := b.otherAccount()
	if other == b.values["AccountId"] || strings.Contains(literals, other) {
		t.Errorf("another account %q is not another", other)
	}
}

// TestChainedRoleParameters: roles named by parameters are bound to role
// ARNs, so the chained trust is proven too.
func TestChainedRoleParameters(t *testing.T) {
	r := chainedRole()
	r.ARN, r.Account, r.AssumedBy = "{{DEPLOY_ROLE}}", "{{AccountId}}", "{{AWS_ROLE_ARN}}"
	p := Generate(r, "octo-org/web", catalog.MustLoad())
	proof := prove(t, p)
	for _, f := range proof.Failures() {
		t.Errorf("%s: want %s, got %s (%s)", f.Request, f.Want, f.Got, f.Why)
	}
	found := false
	for _, c := range proof.Probes {
		found = found || c.Why == "another role of the same account"
	}
	if !found {
		t.Errorf("the chained trust is not proven: %+v", proof.Probes)
	}
	setTrustPrincipal("*", "")(p)
	if len(prove(t, p).Failures()) == 0 {
		t.Errorf("a chained trust for anyone passes")
	}
}
