// Package policy is the IAM policy language: a typed document in which every
// value keeps its position, a parser that reports every problem it finds,
// the per-policy-type rules, and a canonical serialiser.
package policy

import (
	"strings"

	"github.com/iamfit/iamfit/internal/source"
)

// Type is the kind of policy a document is used as. The grammar is shared;
// what elements are required or allowed differs.
type Type int

// The policy types. Any applies only the shared grammar.
const (
	Any      Type = iota
	Identity      // attached to a user, group or role; also permissions boundaries
	Resource      // a resource-based policy such as a bucket or queue policy
	Trust         // a role's trust policy
	SCP           // an AWS Organizations service control policy
	RCP           // an AWS Organizations resource control policy
	Session       // passed when assuming a role or federating
	Endpoint      // a VPC endpoint policy
)

var typeNames = [...]string{"any", "identity", "resource", "trust", "scp", "rcp", "session", "endpoint"}

func (t Type) String() string { return typeNames[t] }

// ParseType reads a type name as written on the command line.
func ParseType(s string) (Type, bool) {
	for i, n := range typeNames {
		if n == s {
			return Type(i), true
		}
	}
	switch s {
	case "boundary", "permissions-boundary":
		return Identity, true
	case "resource-based":
		return Resource, true
	}
	return Any, false
}

// TypeNames lists the names ParseType accepts, for help texts.
func TypeNames() []string { return typeNames[:] }

// String is a string value with its position.
type String struct {
	Value string
	Pos   source.Pos
}

// Effect is Allow or Deny.
type Effect string

// The effects.
const (
	Allow Effect = "Allow"
	Deny  Effect = "Deny"
)

// Policy is a parsed policy document.
type Policy struct {
	File       *source.File // nil for policies built in code
	Pos        source.Pos
	Version    *String
	ID         *String
	Statements []*Statement
	// StatementList is true when Statement was written as an array.
	StatementList bool
}

// Statement is one statement of a policy.
type Statement struct {
	Index  int
	Pos    source.Pos
	Path   string // "Statement[0]" or "Statement"
	Sid    *String
	Effect Effect
	// EffectPos is where Effect is written.
	EffectPos source.Pos

	Principal, NotPrincipal *Principal
	Action, NotAction       *Strings
	Resource, NotResource   *Strings
	Conditions              []*Condition
}

// Strings is a string-or-list element such as Action or Resource.
type Strings struct {
	Pos    source.Pos
	List   bool // written as an array
	Values []String
}

// Has reports whether one of the values equals s exactly.
func (s *Strings) Has(v string) bool {
	if s == nil {
		return false
	}
	for _, x := range s.Values {
		if x.Value == v {
			return true
		}
	}
	return false
}

// Principal is a Principal or NotPrincipal element.
type Principal struct {
	Pos source.Pos
	// Wildcard is true for "Principal": "*".
	Wildcard bool
	// Entries are the typed principals, in source order: AWS, Service,
	// Federated, CanonicalUser.
	Entries []PrincipalEntry
}

// PrincipalEntry is one key of a principal object with its values.
type PrincipalEntry struct {
	Type   string // "AWS", "Service", "Federated" or "CanonicalUser"
	Pos    source.Pos
	List   bool
	Values []String
}

// Values returns the values of every entry of type typ.
func (p *Principal) Values(typ string) []String {
	if p == nil {
		return nil
	}
	var out []String
	for _, e := range p.Entries {
		if e.Type == typ {
			out = append(out, e.Values...)
		}
	}
	return out
}

// SetOp is a condition set operator.
type SetOp int

// The set operators.
const (
	NoSet SetOp = iota
	ForAnyValue
	ForAllValues
)

// Condition is one key of one operator of a Condition block.
type Condition struct {
	// Operator is the operator as written, such as "ForAnyValue:StringLikeIfExists".
	Operator String
	// Base is the operator without qualifiers: "StringLike".
	Base     string
	IfExists bool
	Set      SetOp
	Key      String
	// Values are the condition values; booleans and numbers are kept as
	// their JSON text ("true", "10") with Kind saying which they were.
	Values []Value
	// List is true when the values were written as an array.
	List bool
}

// ValueKind is the JSON type a condition value was written as.
type ValueKind int

// The value kinds.
const (
	StringValue ValueKind = iota
	BoolValue
	NumberValue
)

// Value is one condition value.
type Value struct {
	Value string
	Kind  ValueKind
	Pos   source.Pos
}

// operators are the condition operators IAM knows, by base name.
var operators = map[string]bool{
	"StringEquals": true, "StringNotEquals": true, "StringEqualsIgnoreCase": true,
	"StringNotEqualsIgnoreCase": true, "StringLike": true, "StringNotLike": true,
	"NumericEquals": true, "NumericNotEquals": true, "NumericLessThan": true,
	"NumericLessThanEquals": true, "NumericGreaterThan": true, "NumericGreaterThanEquals": true,
	"DateEquals": true, "DateNotEquals": true, "DateLessThan": true, "DateLessThanEquals": true,
	"DateGreaterThan": true, "DateGreaterThanEquals": true,
	"Bool": true, "BinaryEquals": true, "IpAddress": true, "NotIpAddress": true,
	"ArnEquals": true, "ArnNotEquals": true, "ArnLike": true, "ArnNotLike": true,
	"Null": true,
}

// IsOperator reports whether base is a condition operator name (without
// set-operator prefix or IfExists suffix). IAM matches it case-sensitively.
func IsOperator(base string) bool { return operators[base] }

// ParseOperator splits an operator as written into its parts. ok is false
// when the text is not a valid operator; msg then says why.
func ParseOperator(op string) (base string, set SetOp, ifExists bool, ok bool, msg string) {
	rest := op
	if prefix, after, found := strings.Cut(op, ":"); found {
		switch strings.ToLower(prefix) {
		case "foranyvalue":
			set = ForAnyValue
		case "forallvalues":
			set = ForAllValues
		default:
			return "", 0, false, false, "condition set operator must be either ForAllValues or ForAnyValue"
		}
		rest = after
	}
	if strings.ContainsAny(rest, ":.") {
		return "", 0, false, false, "condition operator is invalid"
	}
	base = rest
	if strings.HasSuffix(rest, "IfExists") && rest != "IfExists" {
		base, ifExists = strings.TrimSuffix(rest, "IfExists"), true
	}
	if !operators[base] {
		return "", 0, false, false, "unknown condition operator " + quote(rest)
	}
	if base == "Null" && ifExists {
		return "", 0, false, false, "NullIfExists is not a condition operator"
	}
	return base, set, ifExists, true, ""
}

func quote(s string) string { return `"` + s + `"` }
