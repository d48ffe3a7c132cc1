package eval

import (
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"reflect"
	"testing"

	"github.com/iamfit/iamfit/internal/catalog"
	"github.com/iamfit/iamfit/internal/policy"
	"github.com/iamfit/iamfit/internal/source"
)

// Pools for large policies: prefixes of one another, wildcards in every
// part, so that the index's prefix lookups are tried at every length.
var (
	bigActions = append([]string{"s3:GetObjectAcl", "s3:get*", "S3:GETOBJECT", "s?:GetObject", "*:GetObject",
		"ecs:Update*", "ecs:UpdateServicePrimaryTaskSet", "ec*", "kms:*"}, genActions...)
	bigResources = append([]string{"arn:aws:s3:::bucket/a", "arn:aws:s3:::bucket/a*", "arn:aws:s3:::b*",
		"arn:aws:s3:::bucket/al?ce", "arn:aws:ecs:*:111111111111:service/prod/app", "arn:aws:ecs:us-east-1:*:service/*",
		"arn:aws:ecs:us-east-1:111111111111:service/prod/app", "arn:aws:kms:us-east-1:111111111111:key/*",
		"arn:aws:iam::111111111111:role/deploy", "arn:aws:iam::111111111111:role/deploy2", "arn:aws:s3:::bucket",
		"arn:aws:s3:::bucket/${aws:username}*", "not-an-arn", "arn:aws:s3:::${x:y}/*"}, genResources...)
)

// genBigPolicy is genPolicy with enough statements, actions and resources
// for the index to be built.
func genBigPolicy(t testing.TB, c chooser, k Kind, name string) *Policy {
	principals := k == ResourcePolicy || k == RCP || k == EndpointPolicy
	doc := map[string]any{"Version": []string{"2012-10-17", "2008-10-17"}[c.intn(2)]}
	var sts []any
	for range indexMin + c.intn(4*indexMin) {
		st := genStatement(c, principals)
		for _, key := range []string{"Action", "NotAction"} {
			if _, ok := st[key]; ok && c.intn(2) == 0 {
				st[key] = pickN(c, bigActions, 6)
			}
		}
		for _, key := range []string{"Resource", "NotResource"} {
			if _, ok := st[key]; ok && c.intn(2) == 0 {
				st[key] = pickN(c, bigResources, 6*indexMin)
			}
		}
		sts = append(sts, st)
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

// dropIndexes makes every policy of in scan all its statements.
func dropIndexes(in Input) {
	all := []*Policy{}
	all = append(append(append(append(append(all, in.Identity...), in.Resource...), in.Boundary...), in.Session...), in.Endpoint...)
	for _, l := range append(append([]Level(nil), in.SCPs...), in.RCPs...) {
		all = append(all, l.Policies...)
	}
	for _, p := range all {
		p.index = nil
		for i := range p.stmts {
			p.stmts[i].resIndex = nil
		}
	}
}

// TestIndexAgreesWithScan decides requests on large policies with the
// index and by scanning every statement and wants the same decisions, with
// the same matches in the same order; and Check agrees with the indexed
// decision.
func TestIndexAgreesWithScan(t *testing.T) {
	cat := catalog.MustLoad()
	n := 1500
	if testing.Short() {
		n = 150
	}
	rng := rand.New(rand.NewPCG(20261201, 19))
	requests := []string{"arn:aws:s3:::bucket/alice", "arn:aws:s3:::bucket/a", "arn:aws:s3:::bucket",
		"arn:aws:s3:::bucket/al?ce", "arn:aws:ecs:eu-west-1:111111111111:service/prod/app", "not-an-arn",
		"arn:aws:s3:::${x:y}/z"}
	actions := []string{"s3:GetObjectAcl", "ecs:UpdateServicePrimaryTaskSet", "ec2:RunInstances", "kms:Decrypt"}
	for i := range n {
		c := randChooser{rng}
		in, r := genScenario(t, c)
		for j := range in.Identity {
			in.Identity[j] = genBigPolicy(t, c, IdentityPolicy, fmt.Sprintf("identity[%d]", j))
		}
		for j := range in.Resource {
			in.Resource[j] = genBigPolicy(t, c, ResourcePolicy, fmt.Sprintf("resource[%d]", j))
		}
		if len(in.SCPs) > 0 {
			in.SCPs[0].Policies = append(in.SCPs[0].Policies, genBigPolicy(t, c, SCP, "scp-big"))
		}
		if c.intn(3) == 0 {
			r.Resource = requests[c.intn(len(requests))]
		}
		if c.intn(3) == 0 {
			r.Action = actions[c.intn(len(actions))]
		}
		t.Run(fmt.Sprint(i), func(t *testing.T) {
			checkAgreement(t, in, r, cat)
			indexed := Compile(in, cat).Evaluate(r)
			dropIndexes(in)
			r.Reset()
			scanned := Compile(in, cat).Evaluate(r)
			indexed.cand, scanned.cand = nil, nil
			if !reflect.DeepEqual(indexed, scanned) {
				t.Fatalf("request %+v\nindexed %+v\nscanned %+v", r, indexed, scanned)
			}
		})
		if t.Failed() {
			break
		}
	}
}
