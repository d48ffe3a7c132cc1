package synth

import (
	"hash/fnv"
	"index/suffixarray"
	"sort"
	"strconv"
	"strings"

	"github.com/iamfit/iamfit/internal/arn"
	"github.com/iamfit/iamfit/internal/need"
	"github.com/iamfit/iamfit/internal/policy"
)

// paramRe matches one {{Name}} parameter (need.ParamRe).
var paramRe = need.ParamRe

// binding gives every {{Name}} of a plan one concrete value for the whole
// proof (the same in the needs, the policies and the requests), and makes
// probe values that occur nowhere in the inputs. A parameter is a value the
// inputs leave open, never a reason for the proof to fail: an account
// parameter becomes a 12-digit account, a region parameter a region, the
// repository parameter owner/name, any other a token derived from its name.
type binding struct {
	values map[string]string // parameter name -> value
	// text is every literal of the inputs (the parameters cut out),
	// lower-cased: a value is fresh when it is not a substring of it and
	// was not handed out before.
	text strings.Builder
	// taken are the values handed out; next is fresh's next suffix for a
	// base, so that asking for many values of one base stays linear.
	taken map[string]bool
	next  map[string]int
	// nextAccount is account's next candidate for a seed: every candidate
	// before it is in the inputs or taken, and stays so, so that asking
	// for many accounts of one seed stays linear.
	nextAccount map[string]uint64
	// index finds substrings of text in logarithmic time (text is final
	// once the binding is made). It is built when first needed: a value
	// whose first bytes text does not hold at all is fresh without it.
	index *suffixarray.Index
	// heads remembers whether text holds a value's first headLen bytes.
	heads map[string]bool
	// scans counts the values looked for without the index.
	scans int
	// staleRegions marks the regions found not fresh (bit i for
	// regions[i]): one never becomes fresh again, so that asking for many
	// regions stays linear.
	staleRegions uint64
}

// headLen is how many first bytes of a value isFresh looks for in text
// before it needs the index: probe values share them ("iamfit-p").
const headLen = 8

// Kinds of parameters, by the place they take in an ARN or the plan.
const (
	kindOther = iota
	kindAccount
	kindRegion
	kindRepo
	kindRole
)

// newBinding binds the parameters of p, looking at every value of the
// role, its needs, subjects and generated documents.
func newBinding(p *Plan) *binding {
	strs := planStrings(p)
	// A proof hands out a few values for each need.
	b := &binding{values: map[string]string{}, taken: make(map[string]bool, len(strs)/2), next: map[string]int{}, nextAccount: map[string]uint64{}}
	// The same value comes from a need, its statement and the documents:
	// once in text is enough to find its substrings.
	seen := make(map[string]bool, len(strs))
	for _, s := range strs {
		if seen[s] {
			continue
		}
		seen[s] = true
		if strings.Contains(s, "{{") {
			s = paramRe().ReplaceAllString(s, "\n")
		}
		writeLower(&b.text, s)
		b.text.WriteByte('\n')
	}
	kinds := paramKinds(p, strs)
	names := make([]string, 0, len(kinds))
	for n := range kinds {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		switch kinds[n] {
		case kindAccount:
			b.values[n] = b.account(n)
		case kindRegion:
			b.values[n] = b.region(n)
		case kindRepo:
			owner := b.fresh(slug(n) + "-owner")
			b.values[n] = owner + "/" + b.fresh(slug(n))
		case kindRole:
			// After the accounts: a role ARN parameter is a role of the
			// account the inputs leave open.
		default:
			b.values[n] = b.fresh("iamfit-" + slug(n))
		}
	}
	for _, n := range names {
		if kinds[n] == kindRole {
			b.values[n] = "arn:aws:iam::" + b.accountID() + ":role/" + b.fresh(slug(n))
		}
	}
	return b
}

// writeLower writes strings.ToLower(s), without making it first when s
// is ASCII.
func writeLower(sb *strings.Builder, s string) {
	for i := 0; i < len(s); i++ {
		if s[i] >= 0x80 {
			sb.WriteString(strings.ToLower(s))
			return
		}
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if 'A' <= c && c <= 'Z' {
			c += 'a' - 'A'
		}
		sb.WriteByte(c)
	}
}

// bind replaces the parameters in s with their values.
func (b *binding) bind(s string) string {
	if !strings.Contains(s, "{{") {
		return s
	}
	return paramRe().ReplaceAllStringFunc(s, func(m string) string {
		name := paramRe().FindStringSubmatch(m)[1]
		v, ok := b.values[name]
		if !ok {
			// A parameter first seen here (planStrings reads every document,
			// so only a caller's own string can hold one).
			v = b.fresh("iamfit-" + slug(name))
			b.values[name] = v
		}
		return v
	})
}

// fresh returns base, or base-2, base-3, ..., the first that occurs in no
// input and in no value handed out, and records it.
func (b *binding) fresh(base string) string {
	base = strings.ToLower(base)
	for i := max(1, b.next[base]); ; i++ {
		v := base
		if i > 1 {
			v = base + "-" + strconv.Itoa(i)
		}
		if b.isFresh(v) {
			b.take(v)
			b.next[base] = i + 1
			return v
		}
	}
}

// pick returns the first candidate that is fresh, else fresh(fallback).
func (b *binding) pick(fallback string, cands ...string) string {
	for _, c := range cands {
		if b.isFresh(c) {
			b.take(c)
			return c
		}
	}
	return b.fresh(fallback)
}

func (b *binding) isFresh(v string) bool {
	v = strings.ToLower(v)
	if v == "" || b.taken[v] {
		return false
	}
	head := v[:min(len(v), headLen)]
	held, ok := b.heads[head]
	if !ok {
		if b.heads == nil {
			b.heads = map[string]bool{}
		}
		held = strings.Contains(b.text.String(), head)
		b.heads[head] = held
	}
	if !held {
		return true // not even its first bytes are in text
	}
	if b.index == nil && b.scans < maxScans {
		// A few values are looked for in the text as it is: the index
		// costs many of these lookups to build.
		b.scans++
		return !strings.Contains(b.text.String(), v)
	}
	if b.index == nil {
		b.index = suffixarray.New([]byte(b.text.String()))
	}
	return len(b.index.Lookup([]byte(v), 1)) == 0
}

// maxScans is how many values isFresh looks for in the text before it
// builds the index.
const maxScans = 16

func (b *binding) take(v string) { b.taken[strings.ToLower(v)] = true }

// account returns a 12-digit account derived from seed that occurs in no
// input, not even inside a longer number.
func (b *binding) account(seed string) string {
	n, ok := b.nextAccount[seed]
	if !ok {
		h := fnv.New64a()
		h.Write([]byte(seed))
		n = 100000000000 + h.Sum64()%900000000000
	}
	for {
		v := strconv.FormatUint(n, 10)
		n++
		if n > 999999999999 {
			n = 100000000000
		}
		if b.isFresh(v) {
			b.take(v)
			b.nextAccount[seed] = n
			return v
		}
	}
}

// accountID is the value of {{AccountId}}, the account the inputs leave
// open, bound on first use.
func (b *binding) accountID() string {
	if v, ok := b.values["AccountId"]; ok {
		return v
	}
	v := b.account("AccountId")
	b.values["AccountId"] = v
	return v
}

// otherAccount is an account that no input names.
func (b *binding) otherAccount() string { return b.account("another account") }

// regions are real region names to bind region parameters and to probe
// "another region" with.
var regions = []string{"us-west-2", "eu-central-1", "ap-southeast-2", "sa-east-1", "ca-central-1",
	"eu-north-1", "ap-northeast-1", "af-south-1", "me-south-1", "ap-south-1", "eu-west-3", "us-east-2"}

// region returns a region derived from seed that occurs in no input.
func (b *binding) region(seed string) string {
	if b.staleRegions == 1<<len(regions)-1 {
		return b.fresh("zz-iamfit-1") // every region is in the inputs or handed out
	}
	h := fnv.New32a()
	h.Write([]byte(seed))
	start := int(h.Sum32() % uint32(len(regions)))
	for i := range regions {
		k := (start + i) % len(regions)
		if b.staleRegions&(1<<k) != 0 {
			continue
		}
		if r := regions[k]; b.isFresh(r) {
			b.take(r)
			b.staleRegions |= 1 << k
			return r
		}
		b.staleRegions |= 1 << k
	}
	return b.fresh("zz-iamfit-1")
}

// otherRegion is a region that no input names.
func (b *binding) otherRegion() string { return b.region("another region") }

// slug turns a parameter name into lower-case letters, digits and '-'.
func slug(name string) string {
	var sb strings.Builder
	for _, r := range strings.ToLower(name) {
		if r >= 'a' && r <= 'z' || r >= '0' && r <= '9' {
			sb.WriteRune(r)
		} else {
			sb.WriteByte('-')
		}
	}
	return strings.Trim(sb.String(), "-")
}

// planStrings returns every value of the plan the proof may see: the
// role, its needs (resources, conditions, context), the subjects and the
// generated documents as they will be evaluated.
func planStrings(p *Plan) []string {
	var out []string
	r := p.Role
	out = append(out, r.ARN, r.Account, r.Region, r.AssumedBy, r.Service, p.Repo)
	for _, n := range r.Needs {
		out = append(out, needStrings(n.Action, n.Resource, n.Conditions, n.Context)...)
	}
	for _, st := range p.Statements {
		for _, n := range st.Needs {
			out = append(out, needStrings(n.Action, n.Resource, n.Conditions, n.Context)...)
		}
	}
	for _, s := range r.Subjects {
		out = append(out, s.Value)
	}
	for _, s := range p.Subjects {
		out = append(out, s.Value)
	}
	for _, doc := range []*policy.Policy{p.Policy, p.Trust} {
		if doc == nil {
			continue
		}
		// The values as written, not as JSON escapes them.
		out = doc.AppendStrings(out)
	}
	return out
}

func needStrings(action, resource string, conds []need.Cond, ctx map[string]string) []string {
	out := []string{action, resource}
	for _, c := range conds {
		out = append(out, c.Key)
		out = append(out, c.Values...)
	}
	for k, v := range ctx {
		out = append(out, k, v)
	}
	return out
}

// paramKinds finds every parameter of strs and what it stands for: a
// parameter that is the whole account part of an ARN, the role's account
// or the value of an account condition is an account; the whole region
// part of an ARN or the role's region, a region; the repository, owner/name;
// the whole role ARN, the role it is assumed from or a role it assumes or
// passes, a role ARN.
func paramKinds(p *Plan, strs []string) map[string]int {
	kinds := map[string]int{}
	whole := func(s string) string {
		if m := paramRe().FindStringSubmatch(s); m != nil && m[0] == s {
			return m[1]
		}
		return ""
	}
	set := func(name string, k int) {
		if name != "" && kinds[name] == kindOther {
			kinds[name] = k
		}
	}
	for _, s := range strs {
		if !strings.Contains(s, "{{") {
			continue // neither a parameter nor an ARN part that is one
		}
		for _, m := range paramRe().FindAllStringSubmatch(s, -1) {
			if _, ok := kinds[m[1]]; !ok {
				kinds[m[1]] = kindOther
			}
		}
		for i := strings.Index(s, "arn:"); i >= 0; {
			if parts, ok := arn.Split(s[i:]); ok {
				set(whole(parts[4]), kindAccount)
				set(whole(parts[3]), kindRegion)
			}
			j := strings.Index(s[i+4:], "arn:")
			if j < 0 {
				break
			}
			i += 4 + j
		}
	}
	set(whole(p.Role.Account), kindAccount)
	set(whole(p.Role.Region), kindRegion)
	set(whole(p.Repo), kindRepo)
	set(whole(p.Role.ARN), kindRole)
	set(whole(p.Role.AssumedBy), kindRole)
	for _, n := range p.Role.Needs {
		if !strings.HasPrefix(n.Resource, "{{") {
			continue // not a parameter
		}
		switch strings.ToLower(n.Action) {
		case "sts:assumerole", "sts:tagsession", "iam:passrole":
			set(whole(n.Resource), kindRole)
		}
	}
	for n := range kinds {
		switch strings.ToLower(n) {
		case "accountid":
			set(n, kindAccount)
		case "region":
			set(n, kindRegion)
		}
	}
	accountKeys := map[string]bool{"aws:sourceaccount": true, "aws:resourceaccount": true, "aws:principalaccount": true}
	var conds []need.Cond
	for _, n := range p.Role.Needs {
		conds = append(conds, n.Conditions...)
	}
	for _, st := range p.Statements {
		conds = append(conds, st.Conditions...)
	}
	for _, c := range conds {
		if accountKeys[strings.ToLower(c.Key)] {
			for _, v := range c.Values {
				set(whole(v), kindAccount)
			}
		}
	}
	return kinds
}
