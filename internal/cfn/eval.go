package cfn

import (
	"fmt"
	"regexp"
	"sort"
	"strings"
	"sync"

	"github.com/iamfit/iamfit/internal/arn"
	"github.com/iamfit/iamfit/internal/jsonpos"
	"github.com/iamfit/iamfit/internal/need"
	"github.com/iamfit/iamfit/internal/source"
)

// Stack is where a template's values are evaluated: the region and
// account it is deployed to (values, or the {{Region}} and {{AccountId}}
// parameters) and the exports of the repository's other templates.
type Stack struct {
	Region, Account string
	Exports         *Exports
}

// Value is what a string of a template evaluates to when the stack is
// deployed, as far as the repository determines it.
type Value struct {
	// Text is the value, each part the repository leaves open a {{Name}}
	// parameter: a template parameter by its name, a physical name that
	// CloudFormation generates by the resource's logical id.
	Text string
	// Pattern reports that Text is an IAM pattern: a part that AWS
	// generates is a wildcard (the six characters Secrets Manager
	// appends to a secret's name are ??????), the literal text is escaped
	// (${*}, ${?}, ${$}).
	Pattern bool
	// Notes say what the value assumes, for the output: a name that
	// CloudFormation generates, an import taken from another template.
	Notes []string
	// Resource is, for the identifier of a resource that IAM names by an
	// ARN the identifier alone does not give (!Ref of a KMS key is its key
	// id), that ARN.
	Resource string
}

var varRe = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`\$\{([^}]*)\}`) })

// maxEval bounds how deep names are evaluated through other resources'
// names and exports (a cycle is not a valid template).
const maxEval = 8

// piece is a part of an evaluated value: literal text, or a wildcard of
// characters AWS generates.
type piece struct {
	text string
	wild bool
}

type evaluation struct {
	pieces []piece
	notes  []string
	// opaque is set by a placeholder of an intrinsic function the
	// evaluation cannot follow (Fn::If, Fn::Select, Fn::FindInMap...).
	opaque bool
}

func (e *evaluation) lit(s string) { e.pieces = append(e.pieces, piece{text: s}) }

func (e *evaluation) note(format string, args ...any) {
	n := fmt.Sprintf(format, args...)
	for _, x := range e.notes {
		if x == n {
			return
		}
	}
	e.notes = append(e.notes, n)
}

func (e *evaluation) value() Value {
	v := Value{Notes: e.notes}
	var b strings.Builder
	for _, p := range e.pieces {
		if p.wild {
			v.Pattern = true
		}
	}
	for _, p := range e.pieces {
		switch {
		case p.wild:
			b.WriteString(p.text)
		case v.Pattern:
			b.WriteString(escapeIAM(p.text))
		default:
			b.WriteString(p.text)
		}
	}
	v.Text = b.String()
	return v
}

// escapeIAM writes the characters IAM reads as wildcards or variables as
// the policy variables that stand for them.
func escapeIAM(s string) string {
	if !strings.ContainsAny(s, "*?$") {
		return s
	}
	var b strings.Builder
	for _, r := range s {
		switch r {
		case '*', '?', '$':
			b.WriteString("${" + string(r) + "}")
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}

// Eval evaluates a string of the template (as Parse renders intrinsic
// functions: ${Name}, ${Resource.Attribute}, ${AWS.Region}): pseudo
// parameters from the stack; template parameters as {{Name}}; references
// to the template's resources through the table of what Ref and
// Fn::GetAtt return (returnValues), with the resource's name property
// where the template sets it; Fn::ImportValue through the exports of the
// repository's other templates. Anything else (a resource type or
// attribute the table does not know, Fn::If) is the parameter
// {{Name}} the placeholder names, as it always was.
func (t *Template) Eval(s string, st Stack) Value {
	var e evaluation
	t.eval(s, st, &e, 0)
	v := e.value()
	// !Ref of a resource whose identifier alone does not name it in IAM.
	if m := varRe().FindStringSubmatch(s); m != nil && m[0] == s && !strings.Contains(m[1], ".") {
		if r := t.resource(m[1]); r != nil {
			typ := str(r.Get("Type"))
			if rv := returnValues[typ]; rv.identifies != "" {
				var re evaluation
				region, account := st.Region, st.Account
				if region == "" {
					region = need.Param("Region")
				}
				if account == "" {
					account = need.Param("AccountId")
				}
				t.evalFormat(m[1], typ, rv, r.Get("Properties"), rv.identifies, region, account, st, &re, 0)
				v.Resource = re.value().Text
			}
		}
	}
	return v
}

func (t *Template) eval(s string, st Stack, e *evaluation, depth int) {
	for {
		loc := varRe().FindStringSubmatchIndex(s)
		if loc == nil {
			if s != "" {
				e.lit(s)
			}
			return
		}
		if loc[0] > 0 {
			e.lit(s[:loc[0]])
		}
		t.evalVar(s[loc[2]:loc[3]], st, e, depth)
		s = s[loc[1]:]
	}
}

func (t *Template) evalVar(name string, st Stack, e *evaluation, depth int) {
	region, account := st.Region, st.Account
	if region == "" {
		region = need.Param("Region")
	}
	if account == "" {
		account = need.Param("AccountId")
	}
	switch name {
	case "AWS.Region":
		e.lit(region)
		return
	case "AWS.AccountId":
		e.lit(account)
		return
	case "AWS.Partition":
		e.lit(arn.PartitionOf(region))
		return
	case "AWS.URLSuffix":
		e.lit(urlSuffix(region))
		return
	}
	if strings.HasPrefix(name, "!") {
		e.lit("${" + name[1:] + "}") // !Sub's escape of a literal ${...}
		return
	}
	if depth >= maxEval {
		e.lit(need.Param(name))
		e.opaque = true
		return
	}
	if t.isParam(name) {
		e.lit(need.Param(name))
		return
	}
	if ident, ok := strings.CutPrefix(name, "ImportValue"); ok && ident != "" && st.Exports != nil {
		if x, n := st.Exports.lookup(ident); n == 1 {
			e.note("Fn::ImportValue %s is the export of %s:%d%s", x.name, x.t.File.Name, x.pos.Line, sameParams(x))
			x.t.eval(x.value, st, e, depth+1)
			return
		} else if n > 1 {
			e.note("Fn::ImportValue %s: %d templates export it: it stays the parameter {{%s}}", x.name, n, name)
		}
	}
	id, attr, _ := strings.Cut(name, ".")
	r := t.resource(id)
	if r == nil {
		// A pseudo parameter the stack does not determine (AWS.StackName),
		// an import, or an intrinsic function left as its name.
		e.lit(need.Param(name))
		if !strings.HasPrefix(name, "AWS.") && !strings.HasPrefix(name, "ImportValue") {
			e.opaque = true
		}
		return
	}
	typ := str(r.Get("Type"))
	rv, known := returnValues[typ]
	format := rv.ref
	if attr != "" {
		format = rv.attrs[attr]
	}
	if !known || format == "" {
		what := "Ref"
		if attr != "" {
			what = "Fn::GetAtt " + attr
		}
		e.note("iamfit does not know what %s of %s returns: %s stays a parameter", what, typ, name)
		e.lit(need.Param(name))
		return
	}
	if strings.ContainsAny(format, "*?") {
		e.note("%s: %s", name, wildNotes[typ])
	}
	t.evalFormat(id, typ, rv, r.Get("Properties"), format, region, account, st, e, depth)
}

// evalFormat evaluates a returnValues format for resource id.
func (t *Template) evalFormat(id, typ string, rv returns, props *jsonpos.Value, format, region, account string, st Stack, e *evaluation, depth int) {
	for format != "" {
		i := strings.IndexAny(format, "$*?")
		if i < 0 {
			e.lit(format)
			break
		}
		if i > 0 {
			e.lit(format[:i])
		}
		if format[i] != '$' {
			e.pieces = append(e.pieces, piece{text: format[i : i+1], wild: true})
			format = format[i+1:]
			continue
		}
		j := strings.IndexByte(format[i:], '}')
		v := format[i+2 : i+j]
		format = format[i+j+1:]
		switch v {
		case "Region":
			e.lit(region)
		case "Account":
			e.lit(account)
		case "Partition":
			e.lit(arn.PartitionOf(region))
		case "URLSuffix":
			e.lit(urlSuffix(region))
		case "Star":
			e.lit("*") // a literal * of the value
		case "Path":
			p := "/"
			if pv := props.Get("Path"); pv != nil && pv.Kind == jsonpos.String && pv.Str != "" {
				var pe evaluation
				t.eval(pv.Str, st, &pe, depth+1)
				if !pe.opaque {
					e.pieces = append(e.pieces, pe.pieces...)
					e.notes = append(e.notes, pe.notes...)
					continue
				}
			}
			e.lit(p)
		case "Name":
			t.evalName(id, typ, rv, props, st, e, depth)
		}
	}
}

// wildNotes say, for the types whose values have parts AWS generates, what
// the wildcard stands for.
var wildNotes = map[string]string{
	"AWS::SecretsManager::Secret": "Secrets Manager ends a secret's ARN with a hyphen and six characters it generates, matched by ??????",
	"AWS::DynamoDB::Table":        "DynamoDB names the stream with a label it generates, matched by *",
	"AWS::DynamoDB::GlobalTable":  "DynamoDB names the stream with a label it generates, matched by *",
}

// evalName evaluates the physical name of resource id: its name property,
// else the parameter {{id}}, which the output says CloudFormation
// generates.
func (t *Template) evalName(id, typ string, rv returns, props *jsonpos.Value, st Stack, e *evaluation, depth int) {
	if rv.name == "" {
		e.note("%s (%s): AWS generates its identifier: the parameter {{%s}} stands for it", id, typ, id)
		e.lit(need.Param(id))
		return
	}
	nv := props.Get(rv.name)
	if nv == nil || nv.Kind != jsonpos.String && nv.Kind != jsonpos.Number {
		e.note("%s (%s) sets no %s: CloudFormation generates the name, so the parameter {{%s}} stands for it", id, typ, rv.name, id)
		e.lit(need.Param(id))
		return
	}
	var ne evaluation
	t.eval(nv.Str, st, &ne, depth+1)
	if ne.opaque {
		e.note("%s (%s): its %s is computed by functions iamfit does not evaluate, so the parameter {{%s}} stands for it", id, typ, rv.name, id)
		e.lit(need.Param(id))
		return
	}
	e.pieces = append(e.pieces, ne.pieces...)
	for _, n := range ne.notes {
		e.note("%s", n)
	}
}

// isParam reports whether the template declares a parameter of this name.
func (t *Template) isParam(name string) bool {
	if t.params == nil {
		t.params = map[string]bool{}
		if ps := t.Root.Get("Parameters"); ps != nil && ps.Kind == jsonpos.Object {
			for _, m := range ps.Members {
				t.params[m.Key] = true
			}
		}
	}
	return t.params[name]
}

// ResourceType returns the type of the resource with this logical id, or
// "" when the template declares none.
func (t *Template) ResourceType(id string) string {
	if r := t.resource(id); r != nil {
		return str(r.Get("Type"))
	}
	return ""
}

// resource returns the resource with this logical id, or nil.
func (t *Template) resource(id string) *jsonpos.Value {
	if t.resources == nil {
		t.resources = map[string]*jsonpos.Value{}
		if res := t.Root.Get("Resources"); res != nil && res.Kind == jsonpos.Object {
			for _, m := range resources(res) {
				if m.Value.Kind == jsonpos.Object {
					t.resources[m.Key] = m.Value
				}
			}
		}
	}
	return t.resources[id]
}

func str(v *jsonpos.Value) string {
	if v == nil || v.Kind != jsonpos.String {
		return ""
	}
	return v.Str
}

// urlSuffix is AWS::URLSuffix in a region.
func urlSuffix(region string) string {
	if strings.HasPrefix(region, "cn-") {
		return "amazonaws.com.cn"
	}
	return "amazonaws.com"
}

// Exports are the outputs that a repository's templates export, for
// Fn::ImportValue. Names are compared as the ImportValue placeholder
// names them (need.Identifier of the export name with its template
// parameters): an import of ${Env}:UsersTable is the export named
// ${Env}:UsersTable, the two stacks taken to be given the same Env.
type Exports struct {
	byIdent map[string][]export
}

type export struct {
	t     *Template
	name  string // as written, with placeholders
	value string
	pos   source.Pos
}

// Add records the exports of a template.
func (x *Exports) Add(t *Template) {
	outs := t.Root.Get("Outputs")
	if outs == nil || outs.Kind != jsonpos.Object {
		return
	}
	if x.byIdent == nil {
		x.byIdent = map[string][]export{}
	}
	for _, m := range outs.Members {
		ex := m.Value.Get("Export")
		val := m.Value.Get("Value")
		if ex == nil || val == nil || val.Kind != jsonpos.String {
			continue
		}
		name := str(ex.Get("Name"))
		if name == "" {
			continue
		}
		id := need.Identifier(name)
		x.byIdent[id] = append(x.byIdent[id], export{t: t, name: name, value: val.Str, pos: t.File.Position(m.KeyOffset)})
	}
}

// sameParams says which template parameters the import assumes the
// exporting stack is given alike.
func sameParams(x export) string {
	var ps []string
	for _, m := range varRe().FindAllStringSubmatch(x.name, -1) {
		if x.t.isParam(m[1]) {
			ps = append(ps, m[1])
		}
	}
	if len(ps) == 0 {
		return ""
	}
	return " (the two stacks given the same " + strings.Join(ps, ", ") + ")"
}

// lookup returns the export an ImportValue placeholder names, and how
// many templates export that name.
func (x *Exports) lookup(ident string) (export, int) {
	if x == nil {
		return export{}, 0
	}
	es := x.byIdent[ident]
	if len(es) == 0 {
		return export{}, 0
	}
	return es[0], len(es)
}

// Export is one output a template exports.
type Export struct {
	Template *Template
	// Name is the export's name and Value its value, as written (with
	// placeholders); Pos is where the output is.
	Name, Value string
	Pos         source.Pos
}

// Export returns the one export an ImportValue placeholder
// (ImportValueEnvChatServiceRole) names.
func (x *Exports) Export(placeholder string) (Export, bool) {
	ident, found := strings.CutPrefix(placeholder, "ImportValue")
	if !found {
		return Export{}, false
	}
	e, n := x.lookup(ident)
	if n != 1 {
		return Export{}, false
	}
	return Export{Template: e.t, Name: e.name, Value: e.value, Pos: e.pos}, true
}

// Names lists the exports, sorted (for tests and messages).
func (x *Exports) Names() []string {
	var out []string
	for _, es := range x.byIdent {
		for _, e := range es {
			out = append(out, e.name)
		}
	}
	sort.Strings(out)
	return out
}
