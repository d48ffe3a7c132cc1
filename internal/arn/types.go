package arn

import (
	"strings"
	"sync"

	"github.com/iamfit/iamfit/internal/catalog"
)

// A pattern part is compiled into tokens. A token either produces exactly
// one character (lit, any1, classOne) or a run of zero or more (star,
// classStar). A class excludes some characters.
type tokKind uint8

const (
	lit       tokKind = iota // one given character
	any1                     // '?': any one character
	classOne                 // one character not in excl
	star                     // '*': any run
	classStar                // any run of characters not in excl
)

type token struct {
	kind tokKind
	c    byte  // lit
	excl chars // classOne, classStar
}

// chars is a set of the characters that classes exclude: '/' and ':'.
type chars uint8

const (
	exSlash chars = 1 << iota
	exColon
)

// charsIn returns the set of the excludable characters of s.
func charsIn(s string) chars {
	var out chars
	for i := 0; i < len(s); i++ {
		out |= charOf(s[i])
	}
	return out
}

func charOf(c byte) chars {
	switch c {
	case '/':
		return exSlash
	case ':':
		return exColon
	}
	return 0
}

func (t token) isRun() bool { return t.kind == star || t.kind == classStar }

// pathVariables are ARN-format variables, in final position, whose values
// may contain '/' (S3 object keys, ECR repository namespaces, IAM paths,
// SSM parameter hierarchies, log group names). Any variable with "Path" in
// its name is one too. Every other variable is a non-empty run without '/'
// or ':'.
var pathVariables = map[string]bool{
	"ObjectName": true, "RepositoryName": true, "FullyQualifiedParameterName": true,
	"LogGroupName": true, "LogStreamName": true, "SecretId": true, "ResourceId": true,
	"Key": true, "KeyName": true, "ObjectKey": true, "ParameterNameWithoutLeadingSlash": true,
}

// compilePattern compiles one part of a user's pattern: '*' and '?' are
// wildcards; a policy variable ${...} may become anything, so it is a '*'.
// In the resource part '*' crosses everything; in the other parts a part
// never holds ':' anyway.
func compilePattern(s string) []token { return appendPattern(nil, s) }

// appendPattern appends the tokens of s to out.
func appendPattern(out []token, s string) []token {
	for i := 0; i < len(s); i++ {
		switch c := s[i]; c {
		case '*':
			out = append(out, token{kind: star})
		case '?':
			out = append(out, token{kind: any1})
		case '$':
			if i+1 < len(s) && s[i+1] == '{' {
				if j := strings.IndexByte(s[i:], '}'); j > 0 {
					out = append(out, token{kind: star})
					i += j
					continue
				}
			}
			out = append(out, token{kind: lit, c: c})
		default:
			out = append(out, token{kind: lit, c: c})
		}
	}
	return out
}

// compileTemplate compiles one part of a catalog ARN format, where ${Name}
// is a variable (see pathVariables) and '*' a wildcard.
//
// A final variable in the resource part may hold '/' and ':' (names such
// as an AWS Config service-linked rule "aws-service-rule/backup.amazonaws.com/x",
// an RDS snapshot "awsbackup:job-1", a Lambda function with its
// ":alias", an OpenSearch domain with a request path), unless another
// format of the service goes on after the variable (an S3 bucket name is
// followed by "/" and the object key in object ARNs, a DynamoDB table by
// "/index/"), where the variable stops at '/' and ':' to tell the types
// apart.
func compileTemplate(service, s string, resourcePart bool) []token {
	var out []token
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c == '$' && i+1 < len(s) && s[i+1] == '{' {
			if j := strings.IndexByte(s[i:], '}'); j > 0 {
				name := s[i+2 : i+j]
				excl := exSlash | exColon
				final := i+j+1 == len(s)
				pathLike := pathVariables[name] || strings.Contains(name, "Path")
				switch {
				case resourcePart && final && (pathLike || !extended(service, s[:i+j+1])):
					excl = 0
				case resourcePart && pathLike:
					excl = exColon // a log group name has '/' but no ':'
				}
				if !resourcePart || excl == exSlash|exColon && !final {
					// A name inside the resource part may hold ':' (the
					// Glue database "aws:cloudtrail" of CloudTrail Lake).
					excl = exColon
					if resourcePart {
						excl = exSlash
					}
				}
				out = append(out, token{kind: classOne, excl: excl}, token{kind: classStar, excl: excl})
				i += j
				continue
			}
		}
		switch c {
		case '*':
			out = append(out, token{kind: star})
		case '?':
			out = append(out, token{kind: any1})
		default:
			out = append(out, token{kind: lit, c: c})
		}
	}
	return out
}

// compatible reports whether some character satisfies both one-character
// tokens (a class or a run's class standing for one character).
func compatible(a, b token) bool {
	switch {
	case a.kind == lit && b.kind == lit:
		return a.c == b.c
	case a.kind == lit:
		return charOf(a.c)&b.excl == 0
	case b.kind == lit:
		return charOf(b.c)&a.excl == 0
	default:
		return true // classes exclude only a few characters
	}
}

// intersects reports whether some string matches both token sequences.
func intersects(a, b []token) bool {
	// One-character tokens that begin (or end) both sequences produce the
	// same first (or last) character: they must be compatible, and the
	// rest must intersect. Patterns and formats share long literal
	// prefixes ("arn:aws:ecs:", "log-group:"), which the table then
	// does without.
	for len(a) > 0 && len(b) > 0 && !a[0].isRun() && !b[0].isRun() {
		if !compatible(a[0], b[0]) {
			return false
		}
		a, b = a[1:], b[1:]
	}
	for len(a) > 0 && len(b) > 0 && !a[len(a)-1].isRun() && !b[len(b)-1].isRun() {
		if !compatible(a[len(a)-1], b[len(b)-1]) {
			return false
		}
		a, b = a[:len(a)-1], b[:len(b)-1]
	}
	return intersectsTable(a, b)
}

// intersectsTable is intersects by a table of the prefixes of a and b.
func intersectsTable(a, b []token) bool {
	// reach[i][j]: some prefix is matched by a[:i] and b[:j].
	n, m := len(a), len(b)
	var small [512]bool
	var reach []bool
	if size := (n + 1) * (m + 1); size <= len(small) {
		reach = small[:size]
	} else {
		reach = make([]bool, size)
	}
	at := func(i, j int) *bool { return &reach[i*(m+1)+j] }
	*at(0, 0) = true
	for i := 0; i <= n; i++ {
		for j := 0; j <= m; j++ {
			if !*at(i, j) {
				continue
			}
			if i < n && a[i].isRun() {
				*at(i+1, j) = true // a's run ends
			}
			if j < m && b[j].isRun() {
				*at(i, j+1) = true // b's run ends
			}
			if i < n && j < m {
				ai, bj := a[i], b[j]
				switch {
				case !ai.isRun() && !bj.isRun():
					if compatible(ai, bj) {
						*at(i+1, j+1) = true
					}
				case ai.isRun() && !bj.isRun():
					// a's run produces the character of b[j].
					if compatible(token{kind: classOne, excl: ai.excl}, bj) {
						*at(i, j+1) = true
					}
				case !ai.isRun() && bj.isRun():
					if compatible(ai, token{kind: classOne, excl: bj.excl}) {
						*at(i+1, j) = true
					}
				}
			}
		}
	}
	return *at(n, m)
}

// MatchesFormat reports whether the Resource pattern can denote a resource
// whose ARN has the given catalog format, such as
// "arn:${Partition}:ecs:${Region}:${Account}:cluster/${ClusterName}". "*"
// denotes every resource. Parts left empty by the format (the region and
// account of S3 buckets) must be empty or wildcards in the pattern; parts
// the format fills with a variable must not be empty.
func MatchesFormat(pattern, format string) bool {
	return CompilePattern(pattern).MatchesFormat(format)
}

// Pattern is a Resource pattern compiled for repeated format tests.
type Pattern struct {
	star  bool
	ok    bool // an ARN pattern with six parts
	parts [6]part
	buf   []token // the parts' tokens
}

// part is one compiled part of a pattern or format, with what lets
// intersects be skipped: most parts are literal (a service, an account
// id), a single variable (${Region}) or a lone '*'.
type part struct {
	toks []token
	kind partKind
	lit  string // literal: the text
	has  chars  // literal: the excludable characters it has
	excl chars  // variable: the characters it excludes
}

type partKind uint8

const (
	general  partKind = iota
	literal           // only lit tokens
	variable          // one classOne and one classStar of the same class: a format's ${Name}
	anything          // a lone star
)

func newPart(toks []token, text string) part {
	p := part{toks: toks}
	switch {
	case len(toks) == 1 && toks[0].kind == star:
		p.kind = anything
	case len(toks) == 2 && toks[0].kind == classOne && toks[1].kind == classStar && toks[0].excl == toks[1].excl:
		p.kind, p.excl = variable, toks[0].excl
	default:
		for _, t := range toks {
			if t.kind != lit {
				return p
			}
		}
		if len(toks) == len(text) {
			// Only literal tokens, one per byte: the text is exactly their characters.
			p.kind, p.lit, p.has = literal, text, charsIn(text)
		}
	}
	return p
}

// partsIntersect is intersects(a.toks, b.toks), a pattern's part a and a
// format's part b, taking the shortcuts their kinds allow.
func partsIntersect(a, b *part) bool {
	switch {
	case a.kind == anything:
		return true // every token sequence matches some string
	case a.kind == literal && b.kind == literal:
		return a.lit == b.lit
	case a.kind == literal && b.kind == variable:
		// One or more characters, none excluded.
		return a.lit != "" && a.has&b.excl == 0
	}
	return intersects(a.toks, b.toks)
}

// CompilePattern compiles a Resource value.
func CompilePattern(pattern string) *Pattern {
	p := new(Pattern)
	p.Compile(pattern)
	return p
}

// Compile compiles a Resource value into p, in the memory of what p held:
// for a caller that compiles many, one after another.
func (p *Pattern) Compile(pattern string) {
	buf := p.buf[:0]
	*p = Pattern{star: pattern == "*"}
	if p.star {
		p.buf = buf
		return
	}
	pp, ok := Split(pattern)
	if !ok || pp[0] != "arn" {
		p.buf = buf
		return
	}
	p.ok = true
	if cap(buf) < len(pattern) {
		buf = make([]token, 0, len(pattern))
	}
	for i := 1; i < 6; i++ {
		start := len(buf)
		buf = appendPattern(buf, pp[i])
		p.parts[i] = newPart(buf[start:len(buf):len(buf)], pp[i])
	}
	p.buf = buf
}

// compiledFormat is a catalog format compiled; a resource type may have
// several formats ("arn:...:/apis/${ApiId}, arn:...:/restapis/${RestApiId}"
// in the catalog), each an alternative.
type compiledFormat struct {
	alts [][6]part
}

// formats caches compiled catalog formats: there are a few thousand.
var formats sync.Map // string -> *compiledFormat

func compileFormat(format string) *compiledFormat {
	if v, ok := formats.Load(format); ok {
		return v.(*compiledFormat)
	}
	cf := &compiledFormat{}
	for _, f := range strings.Split(format, ", ") {
		fp, ok := Split(strings.TrimSpace(f))
		if !ok {
			continue
		}
		var parts [6]part
		for i := 1; i < 6; i++ {
			parts[i] = newPart(compileTemplate(fp[2], fp[i], i == 5), fp[i])
		}
		cf.alts = append(cf.alts, parts)
	}
	formats.Store(format, cf)
	return cf
}

// MatchesFormat is the package function MatchesFormat for a compiled pattern.
func (p *Pattern) MatchesFormat(format string) bool {
	if p.star || format == "*" {
		return true
	}
	if !p.ok {
		return false
	}
	return p.matches(compileFormat(format))
}

// typeFormats caches compiled formats by resource type: a pointer is
// hashed faster than the format it points to.
var typeFormats sync.Map // *catalog.ResourceType -> *compiledFormat

// MatchesType is p.MatchesFormat(rt.ARN), for the resource type's format
// that is compiled once.
func (p *Pattern) MatchesType(rt *catalog.ResourceType) bool {
	if p.star || rt.ARN == "*" {
		return true
	}
	if !p.ok {
		return false
	}
	cf, ok := typeFormats.Load(rt)
	if !ok {
		cf, _ = typeFormats.LoadOrStore(rt, compileFormat(rt.ARN))
	}
	return p.matches(cf.(*compiledFormat))
}

func (p *Pattern) matches(cf *compiledFormat) bool {
	for i := range cf.alts {
		if p.matchesParts(&cf.alts[i]) {
			return true
		}
	}
	return false
}

func (p *Pattern) matchesParts(f *[6]part) bool {
	// The service first: it differs in most of the pairs tried.
	if !partsIntersect(&p.parts[2], &f[2]) {
		return false
	}
	for i := 1; i < 6; i++ {
		if i != 2 && !partsIntersect(&p.parts[i], &f[i]) {
			return false
		}
	}
	return true
}

// MatchesAction is the package function MatchesAction for a compiled pattern.
func (p *Pattern) MatchesAction(a *catalog.Action) bool {
	if a.WildcardOnly() {
		return p.star
	}
	for _, r := range a.Resources {
		if r.Type == nil || p.MatchesFormat(r.Type.ARN) {
			return true
		}
	}
	return false
}

// MatchesFormatStrictly is MatchesFormat, and in addition the pattern writes
// out the format's resource-type prefix ("user/", "task-definition/") rather
// than reaching it through a wildcard, unless its resource part is just "*".
// "arn:aws:iam::123456789012:u*" can match users, but not on purpose.
func MatchesFormatStrictly(pattern, format string) bool {
	if !MatchesFormat(pattern, format) {
		return false
	}
	if pattern == "*" || format == "*" {
		return true
	}
	pp, _ := Split(pattern)
	if pp[5] == "*" {
		return true
	}
	for _, f := range strings.Split(format, ", ") {
		fp, ok := Split(strings.TrimSpace(f))
		if !ok || !MatchesFormat(pattern, strings.TrimSpace(f)) {
			continue
		}
		prefix := fp[5]
		if i := strings.IndexAny(prefix, "$*?"); i >= 0 {
			prefix = prefix[:i]
		}
		if strings.HasPrefix(pp[5], prefix) {
			return true
		}
	}
	return false
}

// Types returns the resource types of svc that the pattern can denote.
func Types(pattern string, svc *catalog.Service) []*catalog.ResourceType {
	var out []*catalog.ResourceType
	p := CompilePattern(pattern)
	for _, rt := range svc.ResourceTypes() {
		if p.MatchesFormat(rt.ARN) {
			out = append(out, rt)
		}
	}
	return out
}

// MatchesAction reports whether the pattern can denote a resource that the
// action can be scoped to. An action without resource types is only ever
// granted on "*", so only a pattern that is "*" matches it.
func MatchesAction(pattern string, a *catalog.Action) bool {
	return CompilePattern(pattern).MatchesAction(a)
}

// extendedPrefixes holds, for each service, the resource-part prefixes of
// catalog formats that end with a variable which another format of the
// service continues after: s3 "${BucketName}", dynamodb "table/${TableName}".
var extendedPrefixes = sync.OnceValue(func() map[prefix]bool {
	out := map[prefix]bool{}
	cat, err := catalog.Load()
	if err != nil {
		return out
	}
	for _, format := range cat.ResourceFormats() {
		for f := range strings.SplitSeq(format, ", ") {
			fp, ok := Split(strings.TrimSpace(f))
			if !ok {
				continue
			}
			rp := fp[5]
			for i := 0; i < len(rp); i++ {
				if rp[i] != '$' || i+1 >= len(rp) || rp[i+1] != '{' {
					continue
				}
				j := strings.IndexByte(rp[i:], '}')
				if j < 0 {
					break
				}
				if end := i + j + 1; end < len(rp) {
					out[prefix{fp[2], rp[:end]}] = true
				}
				i += j
			}
		}
	}
	return out
})

// extended reports whether a format of service continues after the
// resource-part prefix rp, which ends with a variable.
func extended(service, rp string) bool { return extendedPrefixes()[prefix{service, rp}] }

// prefix is a service and a resource-part prefix of its formats.
type prefix struct{ service, rp string }
