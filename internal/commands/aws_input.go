package commands

import (
	"encoding/json"
	"fmt"
	"path"
	"sort"
	"strings"

	"gopkg.in/yaml.v3"

	"github.com/iamfit/iamfit/internal/calls"
	"github.com/iamfit/iamfit/internal/source"
)

// The aws CLI's ways of giving an API command its input, as documented:
//
//   - options named after the parameters (--queue-url is QueueUrl); a list
//     parameter takes every word up to the next option (--repository-names
//     a b, --services a b), and a list of structures one structure a word
//     (--image-ids imageTag=a imageTag=b):
//     https://docs.aws.amazon.com/cli/latest/userguide/cli-usage-parameters-types.html
//   - structure values in shorthand (key=value,key2=[a,b],key3={k=v}) or
//     JSON: https://docs.aws.amazon.com/cli/latest/userguide/cli-usage-shorthand.html
//   - a value read from a file (file://x.json; fileb:// for binary):
//     https://docs.aws.amazon.com/cli/latest/userguide/cli-usage-parameters-file.html
//   - the whole input as JSON or YAML (--cli-input-json file://x.json,
//     --cli-input-yaml), which the options override:
//     https://docs.aws.amazon.com/cli/latest/userguide/cli-usage-skeleton.html

// apiInput is the input of one API command by API parameter name (Pascal
// case): strings, []any, map[string]any (from JSON, YAML or shorthand)
// and bools.
type apiInput map[string]any

// readAPIInput builds the input of an API command from its options:
// --cli-input-json/--cli-input-yaml first, then each option. Values are
// read from file://NAME (relative to the step's working directory) and
// from file://- (the command's here-document). A file it cannot read is
// reported; its parameters become parameters, and unread is set: the
// input may give arguments the options do not.
func readAPIInput(env Env, pos source.Pos, line string, opts map[string][]string, stdin string) (in apiInput, unread bool) {
	in = apiInput{}
	for _, opt := range []string{"cli-input-json", "cli-input-yaml"} {
		v, ok := first(opts[opt])
		if !ok {
			continue
		}
		text, ok := loadValue(env, pos, line, opt, v, stdin)
		if !ok {
			unread = true
			continue
		}
		var doc any
		var err error
		if opt == "cli-input-yaml" {
			err = yaml.Unmarshal([]byte(text), &doc)
		} else {
			err = json.Unmarshal([]byte(text), &doc)
		}
		m, isMap := normalize(doc).(map[string]any)
		if err != nil || !isMap {
			env.Warnf(pos, "unresolved", "%s: the --%s input is not a %s object; the parameters it gives become parameters", line, opt, strings.ToUpper(strings.TrimPrefix(opt, "cli-input-")))
			unread = true
			continue
		}
		for k, v := range m {
			in[calls.ArgName(k)] = v
		}
	}
	names := make([]string, 0, len(opts))
	for k := range opts {
		names = append(names, k)
	}
	sort.Strings(names)
	for _, k := range names {
		vs := opts[k]
		if cliGlobal[k] {
			continue
		}
		if len(vs) == 0 {
			// A boolean flag: --force-new-deployment, --no-wait.
			if name, ok := strings.CutPrefix(k, "no-"); ok {
				in[calls.ArgName(name)] = false
			} else {
				in[calls.ArgName(k)] = true
			}
			continue
		}
		var vals []any
		for _, v := range vs {
			text, ok := loadValue(env, pos, line, k, v, stdin)
			if !ok {
				continue
			}
			vals = append(vals, parseValue(text))
		}
		switch {
		case len(vals) == 0:
		case len(vals) == 1:
			in[calls.ArgName(k)] = vals[0]
		default:
			in[calls.ArgName(k)] = vals
		}
	}
	return in, unread
}

func first(vs []string) (string, bool) {
	if len(vs) == 0 {
		return "", false
	}
	return vs[0], true
}

// loadValue returns an option's value, read from the file it names with
// file:// (file://- is the here-document). fileb:// values are binary
// blobs, which name no resource: skipped.
func loadValue(env Env, pos source.Pos, line, opt, v, stdin string) (string, bool) {
	if strings.HasPrefix(v, "fileb://") {
		return "", false
	}
	name, ok := strings.CutPrefix(v, "file://")
	if !ok {
		return v, true
	}
	if name == "-" || name == "/dev/stdin" {
		if stdin == "" {
			env.Warnf(pos, "unresolved", "%s: --%s reads standard input, which is not a here-document iamfit can read; the parameters it gives become parameters", line, opt)
			return "", false
		}
		return stdin, true
	}
	f, err := env.ReadFile(repoPath(env, name))
	if err != nil {
		env.Warnf(pos, "unresolved", "%s: cannot read --%s %s (%v); the parameters it gives become parameters", line, opt, v, err)
		return "", false
	}
	return string(f.Data), true
}

// repoPath is a command-line path relative to the repository root.
func repoPath(env Env, name string) string {
	name = strings.TrimPrefix(name, "./")
	if wd := env.WorkingDirectory(); wd != "" && !strings.HasPrefix(name, "/") {
		name = path.Join(wd, name)
	}
	return path.Clean(name)
}

// parseValue reads one option value: JSON when it looks like JSON, a
// shorthand structure when it starts with key=, else the string.
func parseValue(s string) any {
	t := strings.TrimSpace(s)
	if strings.HasPrefix(t, "{") || strings.HasPrefix(t, "[") {
		var v any
		if json.Unmarshal([]byte(t), &v) == nil {
			return normalize(v)
		}
		return s
	}
	if m, ok := shorthand(t); ok {
		return m
	}
	return s
}

// normalize turns YAML's and JSON's numbers and booleans into strings
// where they are scalars, and map[any]any into map[string]any.
func normalize(v any) any {
	switch x := v.(type) {
	case map[string]any:
		for k, e := range x {
			x[k] = normalize(e)
		}
		return x
	case map[any]any:
		m := make(map[string]any, len(x))
		for k, e := range x {
			m[fmt.Sprint(k)] = normalize(e)
		}
		return m
	case []any:
		for i, e := range x {
			x[i] = normalize(e)
		}
		return x
	case nil:
		return nil
	case string, bool:
		return x
	}
	return fmt.Sprint(v)
}

// shorthand parses the aws CLI's shorthand syntax for a structure:
// key=value,key2=[a,b],key3={k=v},key4=a,b (a value without key= after a
// comma continues the previous key's list). ok is false when s does not
// start with key=.
func shorthand(s string) (map[string]any, bool) {
	p := &shortParser{s: s}
	m, ok := p.structure(0)
	return m, ok && p.i == len(p.s)
}

type shortParser struct {
	s string
	i int
}

func (p *shortParser) key() (string, bool) {
	start := p.i
	for p.i < len(p.s) {
		c := p.s[p.i]
		if c == '=' {
			k := strings.TrimSpace(p.s[start:p.i])
			p.i++
			return k, k != "" && validShortKey(k)
		}
		if c == ',' || c == '{' || c == '}' || c == '[' || c == ']' {
			break
		}
		p.i++
	}
	p.i = start
	return "", false
}

func validShortKey(k string) bool {
	for _, c := range k {
		if !(c == '_' || c == '-' || c == '.' || c == ':' || c == '@' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9') {
			return false
		}
	}
	return true
}

// structure reads key=value pairs until the end or a closing brace at
// depth > 0.
func (p *shortParser) structure(depth int) (map[string]any, bool) {
	m := map[string]any{}
	for {
		k, ok := p.key()
		if !ok {
			return m, false
		}
		k = strings.TrimSuffix(k, "@") // key@=file://x: a file's content
		m[k] = p.value(depth)
		for {
			if p.i >= len(p.s) {
				return m, true
			}
			c := p.s[p.i]
			if c == '}' && depth > 0 {
				return m, true
			}
			if c != ',' {
				return m, false
			}
			p.i++
			save := p.i
			if _, ok := p.key(); ok {
				p.i = save
				break // the next key=value
			}
			// key=a,b: a word without key= continues the list.
			v := p.value(depth)
			if prev, ok := m[k].([]any); ok {
				m[k] = append(prev, v)
			} else {
				m[k] = []any{m[k], v}
			}
		}
	}
}

// value reads one value: [list], {structure}, a quoted or a bare string.
func (p *shortParser) value(depth int) any {
	if p.i >= len(p.s) {
		return ""
	}
	switch p.s[p.i] {
	case '[':
		p.i++
		var list []any
		for p.i < len(p.s) && p.s[p.i] != ']' {
			at := p.i
			list = append(list, p.value(depth+1))
			if p.i < len(p.s) && p.s[p.i] == ',' {
				p.i++
			}
			if p.i == at {
				p.i++ // a stray "}": skipped, never looped on
			}
		}
		if p.i < len(p.s) {
			p.i++
		}
		return list
	case '{':
		p.i++
		m, _ := p.structure(depth + 1)
		if p.i < len(p.s) && p.s[p.i] == '}' {
			p.i++
		}
		return m
	case '"', '\'':
		q := p.s[p.i]
		end := strings.IndexByte(p.s[p.i+1:], q)
		if end < 0 {
			v := p.s[p.i+1:]
			p.i = len(p.s)
			return v
		}
		v := p.s[p.i+1 : p.i+1+end]
		p.i += end + 2
		return v
	}
	start := p.i
	for p.i < len(p.s) {
		c := p.s[p.i]
		if c == ',' || (depth > 0 && (c == ']' || c == '}')) {
			break
		}
		p.i++
	}
	return strings.TrimSpace(p.s[start:p.i])
}

// args flattens the input into calls.Call arguments: a scalar or a list
// of scalars by its name; each element of a list of structures (and a
// structure) as its JSON text by its name, and its members by dotted
// path in Pascal case (Targets.RoleArn, Overrides.TaskRoleArn) so the
// calls table can read them.
func (in apiInput) args() map[string][]string {
	out := map[string][]string{}
	for k, v := range in {
		flatten(out, k, v, true)
	}
	return out
}

func flatten(out map[string][]string, name string, v any, top bool) {
	switch x := v.(type) {
	case string:
		out[name] = append(out[name], x)
	case bool:
		if top {
			return // flags name no resource
		}
		out[name] = append(out[name], fmt.Sprint(x))
	case []any:
		for _, e := range x {
			flatten(out, name, e, false)
		}
	case map[string]any:
		text, _ := json.Marshal(x)
		out[name] = append(out[name], string(text))
		for k, e := range x {
			flatten(out, name+"."+calls.ArgName(k), e, false)
		}
	}
}
