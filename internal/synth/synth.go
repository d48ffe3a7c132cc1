// Package synth turns needs into the smallest policies that allow them:
// the permission policy of a role, statement by statement with the needs
// that justify each one, and the trust policy that lets the right GitHub
// workflows (or the right role) assume it. Prove then checks the result
// with the evaluator.
package synth

import (
	"fmt"
	"sort"
	"strings"

	"github.com/iamfit/iamfit/internal/arn"
	"github.com/iamfit/iamfit/internal/catalog"
	"github.com/iamfit/iamfit/internal/need"
	"github.com/iamfit/iamfit/internal/policy"
)

// Statement is a generated statement with its justification.
type Statement struct {
	Sid        string
	Actions    []string
	Resources  []string
	Conditions []need.Cond
	Needs      []need.Need
	// Notes say why a resource is "*" and the like.
	Notes []string
}

// Plan is what iamfit generates for one role.
type Plan struct {
	Role       *need.Role
	Repo       string
	Statements []*Statement
	// Policy is nil when the role needs no permission at all.
	Policy *policy.Policy
	// Trust is nil for a role derived from its CloudTrail usage.
	Trust *policy.Policy
	// Subjects are the OIDC subjects the trust admits, with why (for an
	// IAM user: the subjects an OIDC trust would admit instead).
	Subjects []need.Subject
	// TrustWithheld says why no trust policy is written for a role that
	// needs one: iamfit never writes a web identity trust without a sub
	// pinned to the repository.
	TrustWithheld string
	Params        []string
}

// OIDCHost is GitHub Actions' token issuer.
const OIDCHost = need.GitHubOIDC

// Generate builds the plan for a role.
func Generate(r *need.Role, repo string, cat *catalog.Catalog) *Plan {
	p := &Plan{Role: r, Repo: repo}
	p.Statements = statements(r.Needs, cat)
	if len(p.Statements) > 0 {
		p.Policy = toPolicy(p.Statements)
	}
	switch {
	case r.Kind == need.Usage:
		// A role derived from its CloudTrail usage keeps its trust policy.
	case r.Kind == need.User:
		// An IAM user has no trust policy; keep the subjects for the note.
		p.Subjects = append([]need.Subject(nil), r.Subjects...)
	default:
		p.Trust, p.Subjects, p.TrustWithheld = trust(r, repo)
	}
	seen := map[string]bool{}
	add := func(s string) {
		for _, x := range need.Params(s) {
			if !seen[x] {
				seen[x] = true
				p.Params = append(p.Params, x)
			}
		}
	}
	add(r.ARN)
	for _, st := range p.Statements {
		for _, res := range st.Resources {
			add(res)
		}
		for _, c := range st.Conditions {
			for _, v := range c.Values {
				add(v)
			}
		}
	}
	for _, s := range p.Subjects {
		add(s.Value)
	}
	sort.Strings(p.Params)
	return p
}

type groupKey struct{ resource, cond string }

// statements groups needs: first the actions on one resource under the
// same conditions, then the resources that need the same actions under
// the same conditions.
func statements(needs []need.Need, cat *catalog.Catalog) []*Statement {
	type group struct {
		resource string
		conds    []need.Cond
		actions  map[string]bool
		needs    []need.Need
	}
	groups := map[groupKey]*group{}
	var order []groupKey
	for _, n := range needs {
		if a := cat.Action(n.Action); a != nil {
			n.Action = a.String() // canonical case
		}
		k := groupKey{n.Resource, need.CondKey(n.Conditions)}
		g, ok := groups[k]
		if !ok {
			g = &group{resource: n.Resource, conds: n.Conditions, actions: map[string]bool{}}
			groups[k] = g
			order = append(order, k)
		}
		g.actions[n.Action] = true
		g.needs = append(g.needs, n)
	}
	// Merge groups with the same actions and conditions.
	type mergeKey struct{ actions, cond string }
	merged := map[mergeKey]*Statement{}
	var out []*Statement
	for _, k := range order {
		g := groups[k]
		acts := make([]string, 0, len(g.actions))
		for a := range g.actions {
			acts = append(acts, a)
		}
		sort.Strings(acts)
		mk := mergeKey{strings.Join(acts, ","), k.cond}
		st, ok := merged[mk]
		if !ok {
			st = &Statement{Actions: acts, Conditions: g.conds}
			merged[mk] = st
			out = append(out, st)
		}
		st.Resources = append(st.Resources, g.resource)
		st.Needs = append(st.Needs, g.needs...)
	}
	for _, st := range out {
		sort.Strings(st.Resources)
		if len(st.Resources) == 1 && st.Resources[0] == "*" {
			for _, a := range st.Actions {
				if act := cat.Action(a); act != nil && act.WildcardOnly() {
					st.Notes = append(st.Notes, a+` has no resource types: Resource "*" is the only possible scope`)
				} else {
					st.Notes = append(st.Notes, a+` is granted on "*": the inputs do not name its resource`)
				}
			}
		}
		st.Sid = sidFor(st, cat)
	}
	sort.SliceStable(out, func(i, j int) bool {
		if out[i].Sid != out[j].Sid {
			return out[i].Sid < out[j].Sid
		}
		return strings.Join(out[i].Resources, ",") < strings.Join(out[j].Resources, ",")
	})
	// Stable, unique Sids: a second statement on the same resource type is
	// named after its first action, then numbered.
	count := map[string]int{}
	for _, st := range out {
		count[st.Sid]++
	}
	used := map[string]bool{}
	for _, st := range out {
		if count[st.Sid] > 1 {
			_, act, _ := strings.Cut(st.Actions[0], ":")
			st.Sid += act
		}
		base := st.Sid
		for n := 2; used[st.Sid]; n++ {
			st.Sid = fmt.Sprintf("%s%d", base, n)
		}
		used[st.Sid] = true
	}
	return out
}

// sidFor names a statement after its service and resource type:
// EcrRepository, EcsService, IamRole, EcrAnyResource.
func sidFor(st *Statement, cat *catalog.Catalog) string {
	svc, _, _ := strings.Cut(st.Actions[0], ":")
	for _, a := range st.Actions[1:] {
		if p, _, _ := strings.Cut(a, ":"); p != svc {
			svc = "" // actions of several services: named by the resource alone
			break
		}
	}
	typ := "AnyResource"
	if st.Resources[0] != "*" {
		typ = "Resource"
		if s := cat.Service(svc); s != nil {
			res := strings.ReplaceAll(st.Resources[0], "{{", "")
			res = strings.ReplaceAll(res, "}}", "")
			pat := arn.CompilePattern(res)
			for _, a := range st.Actions {
				act := cat.Action(a)
				if act == nil {
					continue
				}
				for _, r := range act.Resources {
					if r.Type != nil && pat.MatchesFormat(r.Type.ARN) {
						typ = r.Name
						break
					}
				}
				if typ != "Resource" {
					break
				}
			}
		}
	}
	if len(st.Conditions) > 0 && strings.EqualFold(st.Conditions[0].Key, "ecs:CreateAction") {
		typ += "OnCreate"
	}
	return sidSafe(need.Camel(svc) + need.Camel(typ))
}

// sidSafe keeps the letters and digits of a statement id: IAM accepts
// only those in a Sid (the IAM JSON policy element reference: "Sid"), and
// resource type names hold '/' (listener/app).
func sidSafe(s string) string {
	if id := need.Identifier(s); id != "" {
		return id
	}
	return "Statement"
}

func strs(vs []string) *policy.Strings {
	s := &policy.Strings{List: len(vs) > 1}
	for _, v := range vs {
		s.Values = append(s.Values, policy.String{Value: v})
	}
	return s
}

func toPolicy(sts []*Statement) *policy.Policy {
	p := &policy.Policy{Version: &policy.String{Value: "2012-10-17"}, StatementList: true}
	for i, st := range sts {
		ps := &policy.Statement{Index: i, Sid: &policy.String{Value: st.Sid}, Effect: policy.Allow,
			Action: strs(st.Actions), Resource: strs(st.Resources), Path: fmt.Sprintf("Statement[%d]", i)}
		ps.Conditions = conditions(st.Conditions)
		p.Statements = append(p.Statements, ps)
	}
	return p
}

func conditions(cs []need.Cond) []*policy.Condition {
	var out []*policy.Condition
	for _, c := range cs {
		pc := &policy.Condition{Operator: policy.String{Value: c.Op}, Base: c.Op, Key: policy.String{Value: c.Key}, List: len(c.Values) > 1}
		for _, v := range c.Values {
			pc.Values = append(pc.Values, policy.Value{Value: v})
		}
		out = append(out, pc)
	}
	return out
}

// trust builds the role's trust policy: GitHub's OIDC provider with the
// audience and the subjects for an OIDC role, the previous role for a
// chained one.
func trust(r *need.Role, repo string) (*policy.Policy, []need.Subject, string) {
	p := &policy.Policy{Version: &policy.String{Value: "2012-10-17"}, StatementList: true}
	if r.Service != "" {
		// The service assumes the role, for tasks of this account only
		// (the confused-deputy conditions AWS recommends for ECS).
		region := r.Region
		if region == "" {
			region = "*"
		}
		p.Statements = append(p.Statements, &policy.Statement{Sid: &policy.String{Value: "EcsTasks"}, Effect: policy.Allow, Path: "Statement[0]",
			Principal: &policy.Principal{Entries: []policy.PrincipalEntry{{Type: "Service", Values: []policy.String{{Value: r.Service}}}}},
			Action:    strs([]string{"sts:AssumeRole"}),
			Conditions: conditions([]need.Cond{
				{Op: "ArnLike", Key: "aws:SourceArn", Values: []string{"arn:aws:ecs:" + region + ":" + r.Account + ":*"}},
				{Op: "StringEquals", Key: "aws:SourceAccount", Values: []string{r.Account}},
			})})
		return p, nil, ""
	}
	if !r.OIDC && r.AssumedBy != "" {
		p.Statements = append(p.Statements, &policy.Statement{Sid: &policy.String{Value: "AssumedFromRole"}, Effect: policy.Allow, Path: "Statement[0]",
			Principal: &policy.Principal{Entries: []policy.PrincipalEntry{{Type: "AWS", Values: []policy.String{{Value: r.AssumedBy}}}}},
			Action:    strs([]string{"sts:AssumeRole", "sts:TagSession"})})
		return p, nil, ""
	}
	if !r.OIDC {
		return nil, nil, "nothing in the inputs says who assumes " + r.ARN
	}
	if r.OpenTrust != "" {
		return nil, r.Subjects, r.OpenTrust
	}
	if len(r.Subjects) == 0 {
		return nil, nil, "no trigger of the workflows that assume " + r.ARN + " produces a subject iamfit knows: a trust without a pinned sub would admit every repository"
	}
	for _, s := range r.Subjects {
		if issuer(s) == need.GitHubOIDC && !PinnedSubject(s.Value) || issuer(s) != need.GitHubOIDC && strings.ContainsAny(s.Value, "*?") {
			return nil, r.Subjects, fmt.Sprintf("the subject %q is not pinned to one repository (%s)", s.Value, repo)
		}
	}
	subs := mergeSubjects(r.Subjects)
	sort.SliceStable(subs, func(i, j int) bool { return subs[i].Value < subs[j].Value })
	// One statement per issuer (GitHub's, or another CI system's).
	var issuers []string
	byIssuer := map[string][]need.Subject{}
	for _, s := range subs {
		is := issuer(s)
		if _, ok := byIssuer[is]; !ok {
			issuers = append(issuers, is)
		}
		byIssuer[is] = append(byIssuer[is], s)
	}
	for i, host := range issuers {
		var values []string
		like := false
		aud := need.STSAudience
		for _, s := range byIssuer[host] {
			values = append(values, s.Value)
			if strings.ContainsAny(s.Value, "*?") {
				like = true
			}
			if s.Audience != "" {
				aud = s.Audience
			}
		}
		conds := []need.Cond{{Op: "StringEquals", Key: host + ":aud", Values: []string{aud}}}
		if like {
			conds = append(conds, need.Cond{Op: "StringLike", Key: host + ":sub", Values: values})
		} else {
			conds = append(conds, need.Cond{Op: "StringEquals", Key: host + ":sub", Values: values})
		}
		sid := "GitHubActions"
		if host != need.GitHubOIDC {
			sid = need.Camel(strings.ReplaceAll(host, ".", "-"))
		}
		st := &policy.Statement{Sid: &policy.String{Value: sid}, Effect: policy.Allow, Path: fmt.Sprintf("Statement[%d]", i),
			Principal: &policy.Principal{Entries: []policy.PrincipalEntry{{Type: "Federated",
				Values: []policy.String{{Value: "arn:aws:iam::" + r.Account + ":oidc-provider/" + host}}}}},
			Action:     strs([]string{"sts:AssumeRoleWithWebIdentity"}),
			Conditions: conditions(conds)}
		p.Statements = append(p.Statements, st)
	}
	return p, subs, ""
}

// issuer is a subject's OIDC issuer host (GitHub's when the reader did
// not say).
func issuer(s need.Subject) string {
	if s.Issuer == "" {
		return need.GitHubOIDC
	}
	return s.Issuer
}

// PinnedSubject reports whether a sub value names one concrete
// repository (owner/name, or the immutable form OWNER@ID/NAME@ID) with no
// wildcard standing for the repository, followed by a context.
func PinnedSubject(sub string) bool {
	rest, ok := strings.CutPrefix(sub, "repo:")
	if !ok {
		return false
	}
	name, ctx, ok := strings.Cut(rest, ":")
	if !ok || ctx == "" || strings.ContainsAny(name, "*?") {
		return false
	}
	if need.IsParam(name) {
		return true // the repository parameter, bound to one value
	}
	o, n, ok := strings.Cut(name, "/")
	if !ok || o == "" || n == "" || strings.Contains(n, "/") {
		return false
	}
	if oName, oID, ok := strings.Cut(o, "@"); ok {
		nName, nID, ok2 := strings.Cut(n, "@")
		return ok2 && oName != "" && nName != "" && digits(oID) && digits(nID)
	}
	return true
}

func digits(s string) bool {
	if s == "" {
		return false
	}
	for _, r := range s {
		if r < '0' || r > '9' {
			return false
		}
	}
	return true
}

// mergeSubjects drops the subjects that another one of the same issuer
// and claim already admits as a StringLike pattern (refs/heads/main next
// to refs/heads/*), keeping the order.
func mergeSubjects(subs []need.Subject) []need.Subject {
	var out []need.Subject
	for i, s := range subs {
		covered := false
		for j, o := range subs {
			if i == j || o.Issuer != s.Issuer || o.Claim != s.Claim || !strings.ContainsAny(o.Value, "*?") || o.Value == s.Value {
				continue
			}
			if catalog.Match(o.Value, s.Value) && !(catalog.Match(s.Value, o.Value) && j > i) {
				covered = true
				break
			}
		}
		if !covered {
			out = append(out, s)
		}
	}
	return out
}
