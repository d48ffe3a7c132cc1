package cfn

import (
	"fmt"
	"regexp"
	"strings"
	"sync"

	"github.com/iamfit/iamfit/internal/jsonpos"
)

// Problem is an entry of a template's policies that iamfit cannot read as
// a document: a SAM policy template it does not know (not understood, so
// not linted), or one the SAM transform rejects or reads otherwise than
// written (Invalid: a missing parameter, parameters that are not a
// mapping; Ignored: a parameter the template does not take).
type Problem struct {
	// Offset is the entry's byte offset in the template.
	Offset int
	Msg    string
	Kind   ProblemKind
}

// ProblemKind says what a Problem is.
type ProblemKind int

// Kinds of problems.
const (
	// NotUnderstood: iamfit does not know what the entry grants.
	NotUnderstood ProblemKind = iota
	// Invalid: the SAM transform rejects the template.
	Invalid
	// Ignored: the transform leaves part of the entry out.
	Ignored
	// Mismatch: the document the transform makes names resources that
	// cannot exist, so it grants nothing on them.
	Mismatch
)

// SAMPolicyTemplates returns the SAM policy templates iamfit expands,
// by name, with the parameters each takes.
func SAMPolicyTemplates() map[string][]string {
	out := make(map[string][]string, len(samPolicyTemplates))
	for n, t := range samPolicyTemplates {
		out[n] = append([]string(nil), t.Params...)
	}
	return out
}

// samExpansion is a SAM policy template entry expanded.
type samExpansion struct {
	name string
	// doc is the document the template stands for, with the positions of
	// the entry: a value built from a parameter at the parameter's value,
	// the rest at the template's name.
	doc *jsonpos.Value
	// generic is the document with the parameters left unknown, and
	// params the values the entry gives them (see Document.SAMGeneric).
	generic *jsonpos.Value
	params  map[string]string
}

// SAMParameter is how a generic document (Document.SAMGeneric) writes the
// value of a template's parameter.
func SAMParameter(name string) string { return "${SAM." + name + "}" }

// samEntry reads one entry of a SAM Policies list that is an object
// without a Statement: a policy template {Name: {Param: value, ...}}. It
// returns the expansion, nil when there is none, and the problems of the
// entry.
func samEntry(p *jsonpos.Value) (*samExpansion, []Problem) {
	if len(p.Members) != 1 {
		keys := make([]string, len(p.Members))
		for i, m := range p.Members {
			keys[i] = m.Key
		}
		return nil, []Problem{{Offset: p.Offset, Kind: NotUnderstood,
			Msg: fmt.Sprintf("a Policies entry with the keys %s is neither a policy document (no Statement) nor a SAM policy template (one key, its name): not understood, not linted", strings.Join(keys, ", "))}}
	}
	m := p.Members[0]
	tmpl, ok := samPolicyTemplates[m.Key]
	if !ok {
		msg := fmt.Sprintf("SAM policy template %q is not one iamfit knows: what it grants is not understood and not linted", m.Key)
		if near := nearestTemplate(m.Key); near != "" {
			msg += fmt.Sprintf(" (did you mean %q?)", near)
		}
		return nil, []Problem{{Offset: m.KeyOffset, Kind: NotUnderstood, Msg: msg}}
	}
	params := m.Value
	if params.Kind != jsonpos.Object {
		return nil, []Problem{{Offset: params.Offset, Kind: Invalid,
			Msg: fmt.Sprintf("SAM policy template %s takes its parameters as a mapping (%s), found %s: the SAM transform rejects it", m.Key, paramList(tmpl.Params), params.Kind)}}
	}
	var probs []Problem
	values := map[string]*jsonpos.Value{}
	for _, pm := range params.Members {
		if !contains(tmpl.Params, pm.Key) {
			probs = append(probs, Problem{Offset: pm.KeyOffset, Kind: Ignored,
				Msg: fmt.Sprintf("SAM policy template %s takes no parameter %s (%s): the SAM transform ignores it, so it narrows nothing", m.Key, pm.Key, paramList(tmpl.Params))})
			continue
		}
		v := pm.Value
		if v.Kind != jsonpos.String && v.Kind != jsonpos.Number {
			probs = append(probs, Problem{Offset: v.Offset, Kind: NotUnderstood,
				Msg: fmt.Sprintf("parameter %s of SAM policy template %s is %s, not a string or an intrinsic function: not understood, not linted", pm.Key, m.Key, v.Kind)})
			return nil, probs
		}
		if pattern, ok := tmpl.embeds(pm.Key); ok {
			if what := notAName(v.Str); what != "" {
				probs = append(probs, Problem{Offset: v.Offset, Kind: Mismatch,
					Msg: fmt.Sprintf("parameter %s of SAM policy template %s is %s (%s), but the template builds an ARN around it (%s): the policy names a resource that cannot exist and grants nothing on it; %s takes a name or an id", pm.Key, m.Key, what, written(v.Str), pattern, pm.Key)})
			}
		}
		values[pm.Key] = v
	}
	var missing []string
	for _, name := range tmpl.Params {
		if values[name] == nil {
			missing = append(missing, name)
		}
	}
	if len(missing) > 0 {
		probs = append(probs, Problem{Offset: m.KeyOffset, Kind: Invalid,
			Msg: fmt.Sprintf("SAM policy template %s lacks the parameter %s: the SAM transform rejects it", m.Key, strings.Join(missing, ", "))})
		return nil, probs
	}
	e := &samExpansion{name: m.Key, doc: tmpl.document(m.KeyOffset, values), params: map[string]string{}}
	generic := map[string]*jsonpos.Value{}
	for name, v := range values {
		e.params[name] = v.Str
		generic[name] = &jsonpos.Value{Kind: jsonpos.String, Offset: v.Offset, End: v.End, Str: SAMParameter(name)}
	}
	e.generic = tmpl.document(m.KeyOffset, generic)
	return e, probs
}

// document builds the template's policy document: every value at the
// offset at, but a value built from a parameter at that parameter.
func (tmpl samPolicyTemplate) document(at int, values map[string]*jsonpos.Value) *jsonpos.Value {
	str := func(off int, s string) *jsonpos.Value {
		return &jsonpos.Value{Kind: jsonpos.String, Offset: off, End: off, Str: s}
	}
	// fill substitutes the parameters of a pattern; the value is at the
	// first parameter it holds.
	fill := func(pattern string) *jsonpos.Value {
		off := at
		first := len(pattern)
		for _, name := range tmpl.Params {
			ref := "${" + name + "}"
			if i := strings.Index(pattern, ref); i >= 0 && i < first {
				first, off = i, values[name].Offset
			}
		}
		s := pattern
		for _, name := range tmpl.Params {
			s = strings.ReplaceAll(s, "${"+name+"}", values[name].Str)
		}
		return str(off, noColonsInVars(s))
	}
	obj := func(kv ...any) *jsonpos.Value {
		v := &jsonpos.Value{Kind: jsonpos.Object, Offset: at, End: at}
		for i := 0; i+1 < len(kv); i += 2 {
			v.Members = append(v.Members, jsonpos.Member{Key: kv[i].(string), KeyOffset: at, Value: kv[i+1].(*jsonpos.Value)})
		}
		return v
	}
	list := func(elems []*jsonpos.Value) *jsonpos.Value {
		return &jsonpos.Value{Kind: jsonpos.Array, Offset: at, End: at, Elems: elems}
	}
	var stmts []*jsonpos.Value
	for _, st := range tmpl.Statements {
		var actions, resources []*jsonpos.Value
		for _, a := range st.Actions {
			actions = append(actions, str(at, a))
		}
		for _, r := range st.Resources {
			resources = append(resources, fill(r))
		}
		s := obj("Effect", str(at, "Allow"), "Action", list(actions), "Resource", list(resources))
		if len(st.Conditions) > 0 {
			cond := obj()
			for _, c := range st.Conditions {
				cond.Members = append(cond.Members, jsonpos.Member{Key: c.Operator, KeyOffset: at, Value: obj(c.Key, fill(c.Value))})
			}
			s.Members = append(s.Members, jsonpos.Member{Key: "Condition", KeyOffset: at, Value: cond})
		}
		stmts = append(stmts, s)
	}
	return obj("Version", str(at, "2012-10-17"), "Statement", list(stmts))
}

// embeds returns a pattern that holds the parameter inside an ARN (not
// as the whole value, as AWSSecretsManagerGetSecretValuePolicy's
// SecretArn is).
func (tmpl samPolicyTemplate) embeds(param string) (string, bool) {
	ref := "${" + param + "}"
	for _, st := range tmpl.Statements {
		patterns := append([]string(nil), st.Resources...)
		for _, c := range st.Conditions {
			patterns = append(patterns, c.Value)
		}
		for _, p := range patterns {
			if strings.Contains(p, ref) && p != ref && strings.HasPrefix(p, "arn:") {
				return p, true
			}
		}
	}
	return "", false
}

// getAttArn is the placeholder of an attribute that holds an ARN:
// !GetAtt Queue.Arn, !GetAtt Table.StreamArn, !GetAtt Topic.TopicArn.
var getAttArn = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`^\$\{[A-Za-z0-9]+\.[A-Za-z]*Arn\}$`) })

// notAName says what a parameter value that cannot go inside an ARN is:
// "an ARN" (written out, or an attribute that holds one), "a URL", or ""
// for a value that can be a name.
func notAName(v string) string {
	switch {
	case strings.HasPrefix(v, "arn:") || getAttArn().MatchString(v):
		return "an ARN"
	case strings.Contains(v, "://"):
		return "a URL"
	}
	return ""
}

// written is a parameter value as the template wrote it: an attribute's
// placeholder ${Queue.Arn} as !GetAtt Queue.Arn.
func written(v string) string {
	if getAttArn().MatchString(v) {
		return "!GetAtt " + strings.TrimSuffix(strings.TrimPrefix(v, "${"), "}")
	}
	return v
}

func paramList(params []string) string {
	if len(params) == 0 {
		return "it takes none: {}"
	}
	return "it takes " + strings.Join(params, ", ")
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// nearestTemplate is the known template a name spelt in another case
// means ("DynamoDbCrudPolicy"), or "".
func nearestTemplate(name string) string {
	for n := range samPolicyTemplates {
		if strings.EqualFold(n, name) {
			return n
		}
	}
	return ""
}
