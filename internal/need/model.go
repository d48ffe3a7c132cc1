package need

import (
	"regexp"
	"sort"
	"strings"
	"sync"

	"github.com/iamfit/iamfit/internal/source"
)

// GitHubOIDC is the issuer host of GitHub Actions' OIDC tokens: the IAM
// OIDC provider's URL without "https://", and the prefix of its condition
// keys (token.actions.githubusercontent.com:sub).
const GitHubOIDC = "token.actions.githubusercontent.com"

// STSAudience is the audience aws-actions/configure-aws-credentials
// requests, which the trust policy pins.
const STSAudience = "sts.amazonaws.com"

// ECSTasks is the service principal of task execution and task roles.
const ECSTasks = "ecs-tasks.amazonaws.com"

// Kind says who uses a role.
type Kind int

// The kinds of role iamfit derives.
const (
	// Deploy is a role a CI job assumes (by web identity or chained).
	Deploy Kind = iota
	// Execution is an ECS task execution role.
	Execution
	// Task is an ECS task role, used by the application.
	Task
	// User is an IAM user whose stored access keys a CI job uses.
	User
	// Usage is a principal whose CloudTrail calls were read.
	Usage
	// Assumed is a role the application assumes (sts:AssumeRole from the
	// task role) and calls AWS with.
	Assumed
)

func (k Kind) String() string {
	switch k {
	case Deploy:
		return "deploy"
	case Execution:
		return "execution"
	case Task:
		return "task"
	case User:
		return "user"
	case Usage:
		return "usage"
	case Assumed:
		return "assumed"
	}
	return "unknown"
}

// Subject is one value of an OIDC token's subject claim that a role's
// trust must admit, with the issuer that mints it.
type Subject struct {
	// Issuer is the provider host (GitHubOIDC for GitHub Actions).
	Issuer string
	// Claim is the claim the value is compared with: "sub", or
	// "job_workflow_ref" where the subject alone cannot pin the caller.
	Claim string
	Value string
	// Audience is the token audience the trust pins ("" for
	// sts.amazonaws.com, the audience configure-aws-credentials requests).
	Audience string
	Why      string
	File     string
	Pos      source.Pos
}

// Role is a role (or user) the inputs use, with what they need of it.
type Role struct {
	ARN     string // may hold {{Param}}s
	Account string
	Region  string // the default region of the steps that use it
	// OIDC is true for the role assumed with a CI job's web identity; a
	// chained role is assumed from another role instead.
	OIDC bool
	// Service is the service principal that assumes the role (ECS task
	// execution and task roles: ecs-tasks.amazonaws.com).
	Service string
	Kind    Kind
	// AlsoTask marks an execution role that task definitions also name as
	// their task role: it holds the application's needs too.
	AlsoTask bool
	// AssumedBy is the role that chains into this one.
	AssumedBy string
	Needs     []Need
	Subjects  []Subject
	Jobs      []string // "file:job"
	// OpenTrust says why no pinned trust can be written for this role
	// (a reusable workflow with no caller in the repository, say); the
	// trust policy is then withheld.
	OpenTrust string
	// Declared is where the repository declares the role, when a task
	// definition names a role of its configuration (a Terraform
	// aws_iam_role), or nil.
	Declared *Declaration
}

// Declaration is a role's declaration in the repository.
type Declaration struct {
	File string
	Pos  source.Pos
	// Address is the resource's in its file ("aws_iam_role.task"); Module
	// the module call that declares it ("module.api"), or "".
	Address, Module string
	// By says what names it: "the task_role_arn of
	// aws_ecs_task_definition.api, infra/api.tf:8".
	By string
}

// IsTask reports whether the application's containers use the role: a
// task role, or an execution role named as the task role too.
func (r *Role) IsTask() bool { return r.Kind == Task || r.AlsoTask }

// Name returns the role name from its ARN.
func (r *Role) Name() string {
	if i := strings.LastIndexByte(r.ARN, '/'); i >= 0 {
		return r.ARN[i+1:]
	}
	return r.ARN
}

// Inventory is what the readers found in a repository: the roles with
// their needs, the files read, and every diagnostic, including what was
// not understood.
type Inventory struct {
	// Dir is the repository root analysed; file names are relative to it.
	Dir   string
	Repo  string
	Roles []*Role
	// Pipelines counts the CI definitions read (workflow files).
	Pipelines   int
	Diagnostics []source.Diagnostic
	Files       map[string]*source.File
}

// NotUnderstood returns the diagnostics that name something the readers
// did not understand (a step, a command, a call), whose needs may be
// missing from the roles.
func (inv *Inventory) NotUnderstood() []source.Diagnostic {
	var out []source.Diagnostic
	for _, d := range inv.Diagnostics {
		if IsNotUnderstood(d.Check) {
			out = append(out, d)
		}
	}
	return out
}

// notUnderstood are the diagnostic checks that mean "needs may be missing".
var notUnderstood = map[string]bool{
	"unknown-step": true, "unknown-command": true, "unknown-image": true, "reusable-workflow": true,
	"task-definition": true, "code-scan": true, "template": true, "unknown-call": true, "script": true,
	"ecspresso": true, "unresolved": true, "skipped-file": true, "matrix": true, "terraform": true,
	// Application code: an SDK call the reader could not name, an SDK the
	// readers do not parse.
	"sdk-call-not-understood": true, "sdk-not-read": true,
}

// IsNotUnderstood reports whether a diagnostic check id says that some
// input was not understood.
func IsNotUnderstood(check string) bool { return notUnderstood[check] }

// Params returns every parameter used by the roles' ARNs, needs and
// subjects, sorted.
func (inv *Inventory) Params() []string {
	seen := map[string]bool{}
	add := func(s string) {
		for _, p := range Params(s) {
			seen[p] = true
		}
	}
	for _, role := range inv.Roles {
		add(role.ARN)
		for _, n := range role.Needs {
			add(n.Resource)
			for _, c := range n.Conditions {
				for _, v := range c.Values {
					add(v)
				}
			}
		}
		for _, s := range role.Subjects {
			add(s.Value)
		}
	}
	out := make([]string, 0, len(seen))
	for p := range seen {
		out = append(out, p)
	}
	sort.Strings(out)
	return out
}

// Param marks a value the inputs do not determine: it is written {{Name}}
// inside resolved strings and becomes a named parameter of the output.
func Param(name string) string { return "{{" + name + "}}" }

var paramRe = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`\{\{([A-Za-z0-9_.\-]+)\}\}`) })

// Params lists the parameters in s, in order, without duplicates.
func Params(s string) []string {
	if !strings.Contains(s, "{{") {
		return nil
	}
	var out []string
	seen := map[string]bool{}
	for _, m := range paramRe().FindAllStringSubmatch(s, -1) {
		if !seen[m[1]] {
			seen[m[1]] = true
			out = append(out, m[1])
		}
	}
	return out
}

// HasParams reports whether s holds a parameter.
func HasParams(s string) bool { return strings.Contains(s, "{{") }

// IsParam reports whether s is exactly one parameter.
func IsParam(s string) bool {
	return strings.HasPrefix(s, "{{") && strings.HasSuffix(s, "}}") && strings.Count(s, "{{") == 1
}

// ParamRe matches one {{Name}} parameter; group 1 is the name.
func ParamRe() *regexp.Regexp { return paramRe() }

// RoleSet holds roles by ARN in the order first seen.
type RoleSet struct {
	byARN map[string]*Role
	order []*Role
}

// Get returns the role with this ARN, adding it as kind when new (its
// account from the ARN, else the AccountId parameter).
func (s *RoleSet) Get(roleARN string, kind Kind) *Role {
	if r, ok := s.byARN[roleARN]; ok {
		return r
	}
	if s.byARN == nil {
		s.byARN = map[string]*Role{}
	}
	r := &Role{ARN: roleARN, Kind: kind, Account: accountOf(roleARN)}
	s.byARN[roleARN] = r
	s.order = append(s.order, r)
	return r
}

// Add adds roles made elsewhere (keeping the first of an ARN).
func (s *RoleSet) Add(rs ...*Role) {
	for _, r := range rs {
		if _, ok := s.byARN[r.ARN]; ok {
			continue
		}
		if s.byARN == nil {
			s.byARN = map[string]*Role{}
		}
		s.byARN[r.ARN] = r
		s.order = append(s.order, r)
	}
}

// List returns the roles in the order first seen.
func (s *RoleSet) List() []*Role { return append([]*Role(nil), s.order...) }

// accountOf is the account field of an ARN (arn:PARTITION:SERVICE:REGION:ACCOUNT:...),
// or the AccountId parameter when it has none.
func accountOf(a string) string {
	parts := strings.SplitN(a, ":", 6)
	if len(parts) == 6 && parts[0] == "arn" && parts[4] != "" {
		return parts[4]
	}
	return Param("AccountId")
}
