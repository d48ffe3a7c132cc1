// Package need is the requirement model: what a pipeline calls, on which
// resource, under which conditions, and where in the inputs it comes from.
// Readers of workflows, task definitions and code produce needs; the
// synthesizer turns them into the smallest policy that allows them all.
package need

import (
	"sort"
	"strconv"
	"strings"

	"github.com/iamfit/iamfit/internal/source"
)

// Cond is a condition that pins a need, such as iam:PassedToService.
type Cond struct {
	Op     string // "StringEquals", "StringLike", "ArnEquals"
	Key    string
	Values []string
}

func (c Cond) String() string {
	return c.Op + " " + c.Key + "=" + strings.Join(c.Values, "|")
}

// Need is one permission the pipeline needs.
type Need struct {
	Action string // "ecr:PutImage"
	// Resource is an ARN, an ARN pattern ("...:task-definition/web:*"), or
	// "*" for actions without resource types. {{Name}} marks a parameter
	// the inputs do not determine.
	Resource   string
	Conditions []Cond
	// Context holds request context values that come with the call (for the
	// proof), beyond what the conditions state.
	Context map[string]string
	// Why and where: "docker push 1234.dkr.ecr.../web", file and position.
	Why  string
	File string
	Pos  source.Pos
}

// Where formats the provenance as file:line.
func (n Need) Where() string {
	if n.Pos.IsValid() {
		return n.File + ":" + strconv.Itoa(n.Pos.Line)
	}
	return n.File
}

// CondKey is a canonical string for a set of conditions.
func CondKey(cs []Cond) string {
	parts := make([]string, len(cs))
	for i, c := range cs {
		vals := append([]string(nil), c.Values...)
		sort.Strings(vals)
		parts[i] = c.Op + "\x00" + strings.ToLower(c.Key) + "\x00" + strings.Join(vals, "\x00")
	}
	sort.Strings(parts)
	return strings.Join(parts, "\x01")
}

// Camel turns "secrets-manager" or "log_group" into "SecretsManager" and
// "LogGroup", for statement ids: '-', '_', ' ' and ':' separate words.
func Camel(s string) string {
	var b strings.Builder
	up := true
	for _, r := range s {
		if r == '-' || r == '_' || r == ' ' || r == ':' {
			up = true
			continue
		}
		if up && r >= 'a' && r <= 'z' {
			r -= 'a' - 'A'
		}
		up = false
		b.WriteRune(r)
	}
	return b.String()
}

// Identifier keeps the letters and digits of s, upper-casing the first of
// each word: a statement id (IAM accepts only letters and digits in a
// Sid) or a CloudFormation logical id. It may be "".
func Identifier(s string) string {
	var b strings.Builder
	up := true
	for _, r := range s {
		switch {
		case r >= 'a' && r <= 'z':
			if up {
				r -= 'a' - 'A'
			}
			b.WriteRune(r)
			up = false
		case r >= 'A' && r <= 'Z' || r >= '0' && r <= '9':
			b.WriteRune(r)
			up = false
		default:
			up = true
		}
	}
	return b.String()
}
