package drift

import (
	"fmt"
	"regexp"
	"sort"
	"strings"

	"github.com/iamfit/iamfit/internal/catalog"
	"github.com/iamfit/iamfit/internal/diff"
	"github.com/iamfit/iamfit/internal/eval"
	"github.com/iamfit/iamfit/internal/jsonpos"
	"github.com/iamfit/iamfit/internal/need"
	"github.com/iamfit/iamfit/internal/policy"
	"github.com/iamfit/iamfit/internal/source"
	"github.com/iamfit/iamfit/internal/synth"
)

// Result is the comparison of one generated role with its kept policies.
type Result struct {
	Plan *synth.Plan
	Kept *Kept
	// MatchedBy says how the two were paired.
	MatchedBy string
	// Missing are the needs the kept policies do not allow: the workflow
	// would be denied them.
	Missing []need.Need
	// Add is the smallest policy that allows them; nil when none is missing.
	Add *synth.Plan
	// Extra is the access the kept policies grant beyond every need.
	Extra []Grant
	// Values are the parameters of the generated policy whose values the
	// kept policy gives (the account in its ARNs, say).
	Values map[string]string
}

// Drifted reports whether the kept policy lacks a need or grants more.
func (r *Result) Drifted() bool { return len(r.Missing) > 0 || len(r.Extra) > 0 }

// Grant is access a kept policy grants that no need asks for.
type Grant struct {
	diff.Grant
	// Where is the statement's file:line, or the document's place when the
	// document is a Terraform expression.
	Where string
}

// Report is the comparison of every generated role.
type Report struct {
	Results []*Result
	// Unchecked are the generated roles that no kept role matched.
	Unchecked []*synth.Plan
	// Uncompared are the kept roles that no generated role matched.
	Uncompared []*Kept
}

// Drifted reports whether any role drifted.
func (r *Report) Drifted() bool {
	for _, x := range r.Results {
		if x.Drifted() {
			return true
		}
	}
	return false
}

// Pairing rules, in the order they are tried.
const (
	byFlag  = "--match"
	byName  = "role name"
	byParam = "the role ARN's parameter and the kept role's name"
	byOnly  = "the only role left on both sides"
)

// norm reduces a role key to lower-case letters and digits, without the
// suffixes arn, role and policy: {{AWS_ROLE_ARN}}, AWSRoleArnRole,
// aws_role_arn and aws-role-policy.json all become "aws".
func norm(s string) string {
	s = strings.TrimSuffix(s, ".json")
	var b strings.Builder
	for _, r := range strings.ToLower(s) {
		if r >= 'a' && r <= 'z' || r >= '0' && r <= '9' {
			b.WriteRune(r)
		}
	}
	out := b.String()
	for {
		trimmed := out
		for _, suf := range []string{"arn", "role", "policy", "name"} {
			if len(trimmed) > len(suf) {
				trimmed = strings.TrimSuffix(trimmed, suf)
			}
		}
		if trimmed == out {
			return out
		}
		out = trimmed
	}
}

// planKeys are the names a generated role answers to.
func planKeys(p *synth.Plan) []string {
	keys := []string{p.Role.Name(), p.Role.ARN}
	for _, x := range need.Params(p.Role.ARN) {
		keys = append(keys, x)
	}
	return keys
}

// keptKeys are the names a kept role answers to.
func keptKeys(k *Kept) []string {
	keys := []string{k.ID, k.File}
	if k.Name != "" {
		keys = append(keys, k.Name)
		keys = append(keys, need.Params(k.Name)...)
	}
	if i := strings.LastIndexByte(k.ID, '.'); i >= 0 {
		keys = append(keys, k.ID[i+1:]) // aws_iam_role.deploy answers to deploy
	}
	return keys
}

// Match pairs generated roles with kept roles. In order: --match GEN=KEPT
// (GEN a role name, ARN or parameter, KEPT a role name, logical id,
// Terraform address or file); the same role name (IAM role names are
// case-insensitive); a role ARN that is a parameter with the kept role
// whose name or id is that parameter (compared without case, punctuation
// and the words arn, role and policy: {{AWS_ROLE_ARN}} and
// aws_iam_role.aws_role); and last, one generated role and one kept role
// left unpaired.
func Match(plans []*synth.Plan, kept []*Kept, explicit map[string]string) (pairs []*Result, unchecked []*synth.Plan, uncompared []*Kept, err error) {
	usedK := map[*Kept]bool{}
	pairOf := map[*synth.Plan]*Result{}
	pair := func(p *synth.Plan, k *Kept, by string) {
		r := &Result{Plan: p, Kept: k, MatchedBy: by}
		pairOf[p] = r
		usedK[k] = true
	}
	candidates := make([]*synth.Plan, 0, len(plans))
	for _, p := range plans {
		if p.Role.Kind != need.User {
			candidates = append(candidates, p)
		}
	}
	for gen, kk := range explicit {
		var p *synth.Plan
		for _, c := range candidates {
			for _, key := range planKeys(c) {
				if key == gen || "{{"+gen+"}}" == key {
					p = c
				}
			}
		}
		var k *Kept
		for _, c := range kept {
			for _, key := range keptKeys(c) {
				if key == kk {
					k = c
				}
			}
		}
		if p == nil {
			return nil, nil, nil, fmt.Errorf("--match %s=%s: no workflow assumes a role %s", gen, kk, gen)
		}
		if k == nil {
			return nil, nil, nil, fmt.Errorf("--match %s=%s: the files keep no role %s (they keep %s)", gen, kk, kk, Names(kept))
		}
		pair(p, k, byFlag)
	}
	rules := []struct {
		by string
		ok func(p *synth.Plan, k *Kept) bool
	}{
		{byName, func(p *synth.Plan, k *Kept) bool {
			return k.Name != "" && !need.HasParams(p.Role.Name()) && strings.EqualFold(k.Name, p.Role.Name())
		}},
		{byParam, func(p *synth.Plan, k *Kept) bool {
			params := need.Params(p.Role.ARN)
			if len(params) == 0 || !need.IsParam(p.Role.Name()) {
				return false
			}
			want := norm(params[len(params)-1])
			for _, key := range keptKeys(k) {
				if key != k.File && norm(key) == want && want != "" {
					return true
				}
			}
			return false
		}},
	}
	for _, rule := range rules {
		for _, p := range candidates {
			if pairOf[p] != nil {
				continue
			}
			var found []*Kept
			for _, k := range kept {
				if !usedK[k] && rule.ok(p, k) {
					found = append(found, k)
				}
			}
			if len(found) == 1 {
				pair(p, found[0], rule.by)
			}
		}
	}
	var leftP []*synth.Plan
	for _, p := range candidates {
		if pairOf[p] == nil {
			leftP = append(leftP, p)
		}
	}
	var leftK []*Kept
	for _, k := range kept {
		if !usedK[k] {
			leftK = append(leftK, k)
		}
	}
	if len(leftP) == 1 && len(leftK) == 1 {
		pair(leftP[0], leftK[0], byOnly)
		leftP, leftK = nil, nil
	}
	for _, p := range plans {
		if r := pairOf[p]; r != nil {
			pairs = append(pairs, r)
		} else if p.Role.Kind != need.User {
			unchecked = append(unchecked, p)
		}
	}
	return pairs, unchecked, leftK, nil
}

// Check compares the generated plans with the kept roles.
func Check(plans []*synth.Plan, kept []*Kept, explicit map[string]string, cat *catalog.Catalog) (*Report, []source.Diagnostic, error) {
	pairs, unchecked, uncompared, err := Match(plans, kept, explicit)
	if err != nil {
		return nil, nil, err
	}
	rep := &Report{Unchecked: unchecked, Uncompared: uncompared}
	var diags []source.Diagnostic
	for _, r := range pairs {
		d, err := compare(r, cat)
		diags = append(diags, d...)
		if err != nil {
			return nil, diags, err
		}
		rep.Results = append(rep.Results, r)
	}
	return rep, diags, nil
}

// paramRe matches one {{Name}} parameter (need.ParamRe).
var paramRe = need.ParamRe

// planStrings are the generated values that may hold parameters.
func planStrings(p *synth.Plan) []string {
	var out []string
	for _, st := range p.Statements {
		for _, n := range st.Needs {
			out = append(out, n.Resource)
			for _, c := range n.Conditions {
				out = append(out, c.Values...)
			}
			for _, v := range n.Context {
				out = append(out, v)
			}
		}
	}
	return out
}

// valueStrings collects the strings of a policy document where a
// generated policy may hold parameters: Resource and NotResource values
// and condition values (not Effect, Sid, actions or condition keys).
func valueStrings(v *jsonpos.Value, out *[]string) {
	switch v.Kind {
	case jsonpos.Array:
		for _, e := range v.Elems {
			valueStrings(e, out)
		}
	case jsonpos.Object:
		for _, m := range v.Members {
			switch m.Key {
			case "Resource", "NotResource":
				treeStrings(m.Value, out)
			case "Condition":
				if m.Value.Kind == jsonpos.Object {
					for _, op := range m.Value.Members {
						if op.Value.Kind == jsonpos.Object {
							for _, kv := range op.Value.Members {
								treeStrings(kv.Value, out)
							}
						}
					}
				}
			default:
				valueStrings(m.Value, out)
			}
		}
	}
}

func treeStrings(v *jsonpos.Value, out *[]string) {
	switch v.Kind {
	case jsonpos.String:
		*out = append(*out, v.Str)
	case jsonpos.Array:
		for _, e := range v.Elems {
			treeStrings(e, out)
		}
	case jsonpos.Object:
		for _, m := range v.Members {
			treeStrings(m.Value, out)
		}
	}
}

// infer takes the values of the generated parameters from the kept
// strings: a generated ARN arn:aws:ecr:{{Region}}:{{AccountId}}:repository/web
// and a kept arn:aws:ecr:eu-west-1:123456789012:repository/web give both.
// Values with wildcards are not taken (they are what the kept policy
// grants, not what the parameter is); where strings disagree, the value
// most of them give wins.
func infer(gen, kept []string) map[string]string {
	// A kept string that a generated literal equals is that literal's, not
	// a parameter's value.
	literal := map[string]bool{}
	for _, g := range gen {
		if !need.HasParams(g) {
			literal[g] = true
		}
	}
	var free []string
	for _, k := range kept {
		if !literal[k] {
			free = append(free, k)
		}
	}
	kept = free
	// A generated parameter that stands for a whole value takes the kept
	// policy's parameter of the same name as the template or module spells
	// it (ExecutionRoleArn_web-app is ExecutionRoleArnWebApp in
	// CloudFormation, execution_role_arn_web_app in Terraform); another
	// kept string would fit it whatever it is.
	out := map[string]string{}
	for _, g := range gen {
		if !need.IsParam(g) {
			continue
		}
		name := g[2 : len(g)-2]
		for _, k := range kept {
			if need.IsParam(k) && squash(k) == squash(name) {
				out[name] = k
			}
		}
	}
	votes := map[string]map[string]int{}
	for _, g := range gen {
		names := need.Params(g)
		if len(names) == 0 || need.IsParam(g) && out[g[2:len(g)-2]] != "" {
			continue
		}
		var re strings.Builder
		re.WriteString("^")
		last := 0
		var order []string
		for _, m := range paramRe().FindAllStringSubmatchIndex(g, -1) {
			re.WriteString(regexp.QuoteMeta(g[last:m[0]]))
			if m[0] == 0 && m[1] == len(g) {
				re.WriteString("(.+)")
			} else {
				re.WriteString("([^:/]+)")
			}
			order = append(order, g[m[2]:m[3]])
			last = m[1]
		}
		re.WriteString(regexp.QuoteMeta(g[last:]) + "$")
		rx, err := regexp.Compile(re.String())
		if err != nil {
			continue
		}
		for _, k := range kept {
			sub := rx.FindStringSubmatch(k)
			if sub == nil {
				continue
			}
			for i, name := range order {
				v := sub[i+1]
				if strings.ContainsAny(v, "*?") || v == "{{"+name+"}}" {
					continue
				}
				if votes[name] == nil {
					votes[name] = map[string]int{}
				}
				votes[name][v]++
			}
		}
	}
	for name, vs := range votes {
		if _, ok := out[name]; ok {
			continue
		}
		best, n := "", 0
		for v, c := range vs {
			// Ties go to the kept policy's own parameters, then to order.
			if c > n || c == n && (need.HasParams(v) && !need.HasParams(best) || need.HasParams(v) == need.HasParams(best) && v < best) {
				best, n = v, c
			}
		}
		out[name] = best
	}
	return out
}

// squash is a name's letters and digits, lower case.
func squash(s string) string {
	var b strings.Builder
	for _, r := range strings.ToLower(s) {
		if r >= 'a' && r <= 'z' || r >= '0' && r <= '9' {
			b.WriteRune(r)
		}
	}
	return b.String()
}

func substitute(s string, values map[string]string) string {
	return paramRe().ReplaceAllStringFunc(s, func(m string) string {
		if v, ok := values[paramRe().FindStringSubmatch(m)[1]]; ok {
			return v
		}
		return m
	})
}

// freshRegion stands for a region parameter that neither side gives:
// the same on both sides, so that a parameter matches itself.
const freshRegion = "xx-iamfit-1"

// binder gives every parameter left open one concrete value for the
// evaluation, and turns those values back into parameters for reports.
type binder struct {
	values  map[string]string
	reverse map[string]string
}

func (b *binder) bind(s string) string {
	return paramRe().ReplaceAllStringFunc(s, func(m string) string {
		name := paramRe().FindStringSubmatch(m)[1]
		v, ok := b.values[name]
		if !ok {
			switch {
			case name == "AccountId" || strings.Contains(strings.ToLower(name), "account"):
				// Account parameters apart from each other: one value for
				// all would make them match.
				v = fmt.Sprintf("%012d", 999999999999-len(b.values))
			case name == "Region" || strings.Contains(strings.ToLower(name), "region"):
				v = freshRegion
			default:
				v = "iamfit-" + strings.ToLower(strings.NewReplacer(".", "-", "_", "-").Replace(name))
			}
			b.values[name] = v
			b.reverse[v] = m
		}
		return v
	})
}

func (b *binder) unbind(s string) string {
	for v, p := range b.reverse {
		s = strings.ReplaceAll(s, v, p)
	}
	return s
}

// instance turns a pattern into one value it matches.
func instance(s string) string {
	if s == "*" {
		return s
	}
	return strings.NewReplacer("*", "1", "?", "x").Replace(s)
}

// compare fills r: the needs the kept policies do not allow, and what
// they grant beyond the generated policy.
func compare(r *Result, cat *catalog.Catalog) ([]source.Diagnostic, error) {
	p, k := r.Plan, r.Kept
	var keptStrs []string
	for _, d := range k.Docs {
		valueStrings(d.Root, &keptStrs)
	}
	genStrs := planStrings(p)
	r.Values = infer(genStrs, keptStrs)
	// And the other way: the kept policy's own parameters (${AWS::Region},
	// var.account_id) take the values the workflows give in their place.
	keptValues := infer(keptStrs, genStrs)
	for k, v := range keptValues {
		if need.HasParams(v) {
			// Two parameters in each other's place: one is enough.
			delete(keptValues, k)
		} else if _, ok := r.Values[k]; !ok {
			r.Values[k] = v
		}
	}
	b := &binder{values: map[string]string{}, reverse: map[string]string{}}
	// The kept policy, its parameters bound.
	merged := &policy.Policy{StatementList: true}
	where := map[*policy.Statement]string{}
	var diags []source.Diagnostic
	for _, d := range k.Docs {
		mapStrings(d.Root, func(s string) string { return b.bind(substitute(s, keptValues)) })
		doc, ds := policy.ParseValue(d.File, d.Root, policy.Identity)
		bad := doc == nil
		for _, x := range ds {
			if x.Severity == source.Error {
				bad = true
				diags = append(diags, x)
			}
		}
		if bad {
			return diags, fmt.Errorf("%s is not a valid identity policy", d.Where)
		}
		for _, st := range doc.Statements {
			if d.Named {
				where[st] = d.Where
			} else {
				where[st] = fmt.Sprintf("%s:%d", d.File.Name, st.Pos.Line)
			}
			merged.Statements = append(merged.Statements, st)
		}
	}
	account := fmt.Sprintf("%012d", 999999999000)
	if a := b.bind(substitute(p.Role.Account, r.Values)); len(a) == 12 {
		account = a
	}
	side := `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::` + account + `:root"},"Action":"*","Resource":"*"}]}`
	sideDoc, ds := policy.Parse(source.NewFile("the resource side (delegates to IAM)", []byte(side)), policy.Resource)
	if sideDoc == nil || len(ds) > 0 {
		return nil, fmt.Errorf("internal: the delegating resource policy does not parse")
	}
	set := eval.Compile(eval.Input{
		Identity: []*eval.Policy{eval.NewPolicy(eval.IdentityPolicy, k.Label(), merged)},
		Resource: []*eval.Policy{eval.NewPolicy(eval.ResourcePolicy, "delegating", sideDoc)},
	}, cat)
	principal := "arn:aws:sts::" + account + ":assumed-role/" + b.bind(substitute(p.Role.Name(), r.Values)) + "/iamfit-check"
	for _, st := range p.Statements {
		for _, n := range st.Needs {
			ctx := eval.NewContext()
			for key, v := range n.Context {
				ctx.Set(key, b.bind(substitute(v, r.Values)))
			}
			for _, c := range n.Conditions {
				if len(c.Values) == 0 {
					continue
				}
				v := b.bind(substitute(c.Values[0], r.Values))
				if strings.Contains(c.Op, "Like") {
					v = instance(v)
				}
				ctx.Set(c.Key, v)
			}
			req := &eval.Request{Principal: principal, Action: n.Action, Resource: instance(b.bind(substitute(n.Resource, r.Values))), Context: ctx}
			if set.Evaluate(req).Result != eval.Allowed {
				m := n
				m.Resource = substitute(n.Resource, r.Values)
				m.Conditions = nil
				for _, c := range n.Conditions {
					vals := make([]string, len(c.Values))
					for i, v := range c.Values {
						vals[i] = substitute(v, r.Values)
					}
					m.Conditions = append(m.Conditions, need.Cond{Op: c.Op, Key: c.Key, Values: vals})
				}
				r.Missing = append(r.Missing, m)
			}
		}
	}
	if len(r.Missing) > 0 {
		r.Add = synth.Generate(&need.Role{ARN: p.Role.ARN, Account: p.Role.Account, Kind: need.Usage, Needs: r.Missing}, p.Repo, cat)
	}
	// What the kept policy grants beyond the generated one.
	gen := &policy.Policy{}
	if p.Policy != nil {
		data, err := policy.Marshal(p.Policy)
		if err != nil {
			return nil, err
		}
		text := b.bind(substitute(string(data), r.Values))
		doc, ds := policy.Parse(source.NewFile("generated policy", []byte(text)), policy.Identity)
		for _, x := range ds {
			if x.Severity == source.Error {
				return nil, fmt.Errorf("internal: the generated policy bound for comparison does not parse: %s", x)
			}
		}
		gen = doc
	}
	for _, g := range diff.Wider(gen, merged, cat) {
		g.Resource = b.unbind(g.Resource)
		g.Conditions = b.unbind(g.Conditions)
		w := ""
		for _, st := range merged.Statements {
			if st.Pos == g.Pos {
				w = where[st]
				break
			}
		}
		r.Extra = append(r.Extra, Grant{Grant: g, Where: w})
	}
	sort.SliceStable(r.Extra, func(i, j int) bool { return r.Extra[i].Where < r.Extra[j].Where })
	return diags, nil
}
