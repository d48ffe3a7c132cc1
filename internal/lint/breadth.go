package lint

import (
	"bytes"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/iamfit/iamfit/internal/arn"
	"github.com/iamfit/iamfit/internal/catalog"
	"github.com/iamfit/iamfit/internal/policy"
	"github.com/iamfit/iamfit/internal/source"
)

// ActionWildcard flags Allow statements with Action "*".
var ActionWildcard = &Check{
	ID:       "action-wildcard",
	Severity: source.Warning,
	Doc:      `An Allow grants Action "*": every action of every service, administrator access where the Resource is "*". IAM accepts it and it works, so it is a warning (breadth), not an error. Grant the actions the workload calls; iamfit generate derives them from the pipeline.`,
	Run: func(p *Pass) error {
		for _, s := range p.Statements {
			if s.Effect != policy.Allow || s.Action == nil {
				continue
			}
			for _, v := range s.Action.Values {
				if v.Value == "*" || v.Value == "*:*" {
					p.Reportf(v.Pos, `Action %q grants every action of every service`, v.Value)
				}
			}
		}
		return nil
	},
}

// ServiceWildcard flags Allow statements with "service:*".
var ServiceWildcard = &Check{
	ID:       "service-wildcard",
	Severity: source.Warning,
	Doc:      `An Allow grants a whole service ("sqs:*", "ecs:*"), including its write and permissions-management actions that the workload never calls. List the actions it needs. A resource policy that grants a service to account roots only (arn:aws:iam::ACCOUNT:root) is not flagged: it delegates to that account's IAM policies, as AWS's default key policy does with "kms:*".`,
	Run: func(p *Pass) error {
		for _, s := range p.Statements {
			if s.Effect != policy.Allow || s.Action == nil || (p.Type == policy.Resource && rootsOnly(s)) {
				continue
			}
			for _, r := range s.Actions {
				svc, act, ok := strings.Cut(r.Value.Value, ":")
				if !ok || act != "*" || svc == "*" || len(r.Matched) == 0 {
					continue
				}
				w, pm := 0, 0
				for _, a := range r.Matched {
					switch a.Access {
					case catalog.Write, catalog.Tagging:
						w++
					case catalog.PermissionsManagement:
						pm++
					}
				}
				// The message of fmt's %q and %d, made without fmt: the check fires often.
				p.reportText(r.Value.Pos, strconv.Quote(r.Value.Value)+" grants all "+strconv.Itoa(len(r.Matched))+" "+svc+" actions ("+
					strconv.Itoa(w)+" write, "+strconv.Itoa(pm)+" permissions-management): list the ones needed")
			}
		}
		return nil
	},
}

func notCheck(id, elem, doc string, get func(*Statement) source.Pos) *Check {
	c := &Check{ID: id, Severity: source.Warning, Doc: doc}
	c.Run = func(p *Pass) error {
		for _, s := range p.Statements {
			if s.Effect != policy.Allow {
				continue
			}
			if pos := get(s); pos.IsValid() {
				p.Reportf(pos, "Allow with %s grants everything except what it lists, including whatever AWS adds later: list what to allow instead", elem)
			}
		}
		return nil
	}
	return c
}

// AllowNotAction, AllowNotResource and AllowNotPrincipal flag Allow
// statements that grant by exclusion.
var (
	AllowNotAction = notCheck("allow-not-action", "NotAction",
		"An Allow with NotAction grants every action except the listed ones, of every service, now and in future. Use Action with the actions needed.",
		func(s *Statement) source.Pos {
			if s.NotAction == nil {
				return source.Pos{}
			}
			return s.NotAction.Pos
		})
	AllowNotResource = notCheck("allow-not-resource", "NotResource",
		"An Allow with NotResource grants on every resource except the listed ones, in every account. Use Resource with the resources needed.",
		func(s *Statement) source.Pos {
			if s.NotResource == nil {
				return source.Pos{}
			}
			return s.NotResource.Pos
		})
	AllowNotPrincipal = notCheck("allow-not-principal", "NotPrincipal",
		"An Allow with NotPrincipal grants to every principal except the listed ones, anonymous callers included. Name the principals in Principal instead.",
		func(s *Statement) source.Pos {
			if s.NotPrincipal == nil {
				return source.Pos{}
			}
			return s.NotPrincipal.Pos
		})
)

// grantedOnStar returns the statement's actions granted on every resource:
// Resource "*" or a NotResource statement, with the position to report. A
// resource policy's "*" is the resource it is attached to (a key policy's
// "*" is "this KMS key"), and a statement whose conditions confine the
// resources grants on those alone: neither is every resource.
func grantedOnStar(p *Pass, s *Statement) ([]*catalog.Action, source.Pos, bool) {
	if s.Effect != policy.Allow || s.Action == nil || p.Type == policy.Resource || scopedByCondition(s) {
		return nil, source.Pos{}, false
	}
	if star, ok := hasStar(s.Resource); ok {
		return s.Granted(), star.Pos, true
	}
	if s.NotResource != nil {
		return s.Granted(), s.NotResource.Pos, true
	}
	return nil, source.Pos{}, false
}

// WriteOnStar flags write access on every resource.
var WriteOnStar = &Check{
	ID:       "write-on-star",
	Severity: source.Warning,
	Doc:      `An Allow grants write or tagging actions that support resource types on Resource "*" (or through NotResource): they can change every such resource in the account. Scope them to the resources the workload writes. Not flagged: actions a request may call without naming a resource of their types (cloudwatch:PutMetricData, whose only resource type, a dataset, is optional: AWS documents it on "*" with a cloudwatch:namespace condition), statements whose conditions confine the resources (a positive condition on aws:ResourceTag/..., aws:RequestTag/... or a Null "false" on them, iam:AWSServiceName, iam:PassedToService, kms:RequestAlias), and resource policies, where "*" is the resource the policy is attached to.`,
	Run: func(p *Pass) error {
		for _, s := range p.Statements {
			acts, pos, ok := grantedOnStar(p, s)
			if !ok || s.Action.Has("*") {
				continue
			}
			// The first few are named, the others counted.
			var w [5]*catalog.Action
			n := 0
			for _, a := range acts {
				if (a.Access == catalog.Write || a.Access == catalog.Tagging) && !a.MayNameNoResource() {
					if n < len(w) {
						w[n] = a
					}
					n++
				}
			}
			if n > 0 {
				p.reportText(pos, "write access on every resource: "+namesOf(w[:min(n, len(w))], n, 4))
			}
		}
		return nil
	},
}

// PermissionsManagement flags grants of permissions-management actions.
var PermissionsManagement = &Check{
	ID:       "permissions-management",
	Severity: source.Warning,
	Doc:      "An Allow grants permissions-management actions (changing IAM entities, resource policies, ACLs, grants or shares) on every resource. Whoever holds them can grant themselves or others more access. Grant them only where a workload really manages permissions, on named resources. As for write-on-star, statements whose conditions confine the resources and resource policies (whose \"*\" is the resource they are attached to, as in a KMS key policy) are not flagged.",
	Run: func(p *Pass) error {
		for _, s := range p.Statements {
			acts, pos, ok := grantedOnStar(p, s)
			if !ok || s.Action.Has("*") {
				continue
			}
			var pm [5]*catalog.Action
			n := 0
			for _, a := range acts {
				if a.Access == catalog.PermissionsManagement {
					if n < len(pm) {
						pm[n] = a
					}
					n++
				}
			}
			if n > 0 {
				p.reportText(pos, "permissions-management access on every resource: "+namesOf(pm[:min(n, len(pm))], n, 4))
			}
		}
		return nil
	},
}

// escalation lists actions that let a principal raise its own privileges
// when granted broadly (after Rhino Security Labs' IAM privilege
// escalation research).
var escalation = map[string]string{
	"iam:passrole":                      "pass any role, and with it that role's permissions, to a service",
	"iam:createpolicyversion":           "rewrite any managed policy",
	"iam:setdefaultpolicyversion":       "switch any managed policy to another version",
	"iam:attachuserpolicy":              "attach any policy to users",
	"iam:attachgrouppolicy":             "attach any policy to groups",
	"iam:attachrolepolicy":              "attach any policy to roles",
	"iam:putuserpolicy":                 "write inline policies on users",
	"iam:putgrouppolicy":                "write inline policies on groups",
	"iam:putrolepolicy":                 "write inline policies on roles",
	"iam:addusertogroup":                "join any group",
	"iam:updateassumerolepolicy":        "rewrite any role's trust policy",
	"iam:createaccesskey":               "create keys for other users",
	"iam:createloginprofile":            "set console passwords for other users",
	"iam:updateloginprofile":            "change other users' console passwords",
	"iam:deleterolepermissionsboundary": "remove permissions boundaries from roles",
	"iam:deleteuserpermissionsboundary": "remove permissions boundaries from users",
	"iam:putrolepermissionsboundary":    "replace permissions boundaries of roles",
	"iam:putuserpermissionsboundary":    "replace permissions boundaries of users",
	"sts:assumerole":                    "assume any role that trusts the account",
	"lambda:updatefunctioncode":         "run code as any function's role",
	"lambda:createfunction":             "run code as a passed role",
	"glue:updatedevendpoint":            "run code as any dev endpoint's role",
	"glue:createdevendpoint":            "run code as a passed role",
	"cloudformation:createstack":        "create anything a passed role can",
	"ec2:runinstances":                  "run instances with a passed role",
	"codebuild:createproject":           "run builds as a passed role",
	"ssm:sendcommand":                   "run commands on any managed instance",
	"datapipeline:createpipeline":       "run pipelines as a passed role",
	"sagemaker:createnotebookinstance":  "run notebooks as a passed role",
	"iam:createservicelinkedrole":       "create service-linked roles for any service",
}

// broadResource reports whether a Resource value covers every resource of
// its type: "*", or an ARN whose resource part is only a wildcard after the
// type ("role/*", "*").
func broadResource(v string) bool {
	if v == "*" {
		return true
	}
	if !strings.HasSuffix(v, "*") {
		return false // a resource part of only a wildcard ends with it
	}
	a, ok := parseARN(v)
	if !ok {
		return false
	}
	res := a.Resource
	if i := strings.IndexAny(res, "/:"); i >= 0 {
		res = res[i+1:]
	}
	return res == "*" || a.Resource == "*"
}

// PrivilegeEscalation flags broadly granted privilege-escalation actions.
var PrivilegeEscalation = &Check{
	ID:       "privilege-escalation",
	Severity: source.Warning,
	Doc:      `An Allow grants, on every resource of its type, an action that lets the holder raise its own privileges: iam:PassRole on "*", rewriting or attaching policies, changing trust policies or boundaries, sts:AssumeRole on "*", updating function code. It is a risk, not a mistake IAM rejects, so a warning. The conditions that pin the risk are read: iam:PassRole limited by iam:PassedToService, iam:CreateServiceLinkedRole limited by iam:AWSServiceName, and the actions that run code "as a passed role" (ec2:RunInstances, lambda:CreateFunction, ...) only count when the policy grants iam:PassRole broadly too. Scope it to the named roles, policies or functions the workload needs, with conditions such as iam:PassedToService.`,
	Run: func(p *Pass) error {
		passRole := grantsBroadPassRole(p)
		for _, s := range p.Statements {
			if s.Effect != policy.Allow || s.Action == nil || s.Action.Has("*") {
				continue
			}
			pos, broad := broadIn(s)
			if !broad {
				continue
			}
			for _, ref := range s.Actions {
				for _, a := range ref.Matched {
					name := a.Lower()
					why, ok := escalation[name]
					if !ok || pinned(s, name) || (needsPassRole[name] && !passRole) {
						continue
					}
					p.Reportf(ref.Value.Pos, "%s on %s lets the holder %s", a, resourceText(s, pos), why)
					break
				}
			}
		}
		return nil
	},
}

// needsPassRole are the escalation actions whose risk is running code as a
// role passed to the service: without iam:PassRole they cannot.
var needsPassRole = map[string]bool{
	"lambda:createfunction": true, "glue:createdevendpoint": true, "cloudformation:createstack": true,
	"ec2:runinstances": true, "codebuild:createproject": true, "datapipeline:createpipeline": true,
	"sagemaker:createnotebookinstance": true,
}

// pinningKeys are the condition keys that confine an escalation action to
// what it is meant for: the service a role is passed to, the service a
// service-linked role is created for
// (https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_create_service-linked-role.html#service-linked-role-permissions).
var pinningKeys = map[string]string{
	"iam:passrole":                "iam:passedtoservice",
	"iam:createservicelinkedrole": "iam:awsservicename",
}

// pinned reports whether the statement's conditions confine the action: a
// positive (not negated) condition on its pinning key.
func pinned(s *Statement, action string) bool {
	key, ok := pinningKeys[action]
	if !ok {
		return false
	}
	for _, c := range s.Conditions {
		if strings.EqualFold(c.Key.Value, key) && !strings.Contains(c.Base, "Not") && c.Base != "Null" {
			return true
		}
	}
	return false
}

// broadIn returns the position of a Resource value of the statement that
// covers every resource of its type (or of NotResource).
func broadIn(s *Statement) (source.Pos, bool) {
	if s.NotResource != nil {
		return s.NotResource.Pos, true
	}
	if s.Resource != nil {
		for _, r := range s.Resource.Values {
			if broadResource(r.Value) {
				return r.Pos, true
			}
		}
	}
	return source.Pos{}, false
}

// grantsBroadPassRole reports whether some Allow of the policy grants
// iam:PassRole on every role without pinning the service.
func grantsBroadPassRole(p *Pass) bool {
	for _, s := range p.Statements {
		if s.Effect != policy.Allow || s.Action == nil {
			continue
		}
		if _, broad := broadIn(s); !broad || pinned(s, "iam:passrole") {
			continue
		}
		for _, a := range s.Granted() {
			if a.Lower() == "iam:passrole" {
				return true
			}
		}
	}
	return false
}

func resourceText(s *Statement, pos source.Pos) string {
	if s.Resource != nil {
		for _, r := range s.Resource.Values {
			if r.Pos == pos {
				return `"` + r.Value + `"`
			}
		}
	}
	return "every resource"
}

// PassRoleWithoutService flags iam:PassRole grants without iam:PassedToService.
var PassRoleWithoutService = &Check{
	ID:       "passrole-without-service",
	Severity: source.Warning,
	Doc:      `An Allow grants iam:PassRole without an iam:PassedToService condition, so the roles can be passed to any service (to Lambda or EC2 to run code as that role, not only to ECS). Add "Condition": {"StringEquals": {"iam:PassedToService": "ecs-tasks.amazonaws.com"}} with the service that needs the role.`,
	Run: func(p *Pass) error {
		for _, s := range p.Statements {
			if s.Effect != policy.Allow || s.Action == nil {
				continue
			}
			has := false
			for _, c := range s.Conditions {
				if strings.EqualFold(c.Key.Value, "iam:PassedToService") && !strings.Contains(c.Base, "Not") {
					has = true
				}
			}
			if has {
				continue
			}
			for _, ref := range s.Actions {
				if ref.Value.Value == "*" {
					continue
				}
				for _, a := range ref.Matched {
					if a.Lower() == "iam:passrole" {
						p.Reportf(ref.Value.Pos, "iam:PassRole without an iam:PassedToService condition: the roles can be passed to any service")
						break
					}
				}
			}
		}
		return nil
	},
}

// MFAPattern flags Allow statements that require MFA with Bool false.
var MFAPattern = &Check{
	ID:       "mfa-pattern",
	Severity: source.Warning,
	Doc:      `An Allow is conditioned on "Bool": {"aws:MultiFactorAuthPresent": "false"}. The key is absent, not false, for long-term access keys and most role sessions, so the statement rarely applies as meant. To require MFA, Deny with "BoolIfExists": {"aws:MultiFactorAuthPresent": "false"}.`,
	Run: func(p *Pass) error {
		for _, s := range p.Statements {
			if s.Effect != policy.Allow {
				continue
			}
			for _, c := range s.Conditions {
				if c.Base == "Bool" && !c.IfExists && strings.EqualFold(c.Key.Value, "aws:MultiFactorAuthPresent") {
					for _, v := range c.Values {
						if strings.EqualFold(v.Value, "false") {
							p.Reportf(c.Key.Pos, `Allow on aws:MultiFactorAuthPresent "false": the key is absent (not false) without MFA; use a Deny with BoolIfExists`)
						}
					}
				}
			}
		}
		return nil
	},
}

// rootsOnly reports whether every principal of the statement is an
// account (arn:aws:iam::ACCOUNT:root or a bare account id): in a resource
// policy, such a grant delegates to the account's IAM policies
// (https://docs.aws.amazon.com/kms/latest/developerguide/key-policy-default.html).
func rootsOnly(s *Statement) bool {
	pr := s.Principal
	if pr == nil || pr.Wildcard || len(pr.Entries) == 0 {
		return false
	}
	for _, e := range pr.Entries {
		if e.Type != "AWS" {
			return false
		}
		for _, v := range e.Values {
			if !strings.HasSuffix(v.Value, ":root") && !arn.ValidAccount(v.Value) {
				return false
			}
		}
	}
	return true
}

// scopedByCondition reports whether the statement's conditions confine
// the resources it applies to: a positive condition, or a Null "false"
// (the key must be present), on a resource or request tag (attribute-based
// access control, as in the AWS Load Balancer Controller's policy), or on a
// key that pins the resource: the service a service-linked role is for or a
// role is passed to, the alias a KMS key is used through.
func scopedByCondition(s *Statement) bool {
	var buf [128]byte
	for _, c := range s.Conditions {
		if !confiningKey(c.Key.Value, &buf) {
			continue
		}
		if c.Base == "Null" {
			for _, v := range c.Values {
				if strings.EqualFold(v.Value, "false") {
					return true
				}
			}
			continue
		}
		if !c.IfExists && !strings.Contains(c.Base, "Not") {
			return true
		}
	}
	return false
}

// confiningKey reports whether a condition key, in any case, is a
// resource or request tag or one of resourcePinningKeys: lowered in buf
// when it is short and ASCII, not in a new string.
func confiningKey(key string, buf *[128]byte) bool {
	if len(key) > len(buf) {
		return confiningLower(strings.ToLower(key))
	}
	b := buf[:len(key)]
	for i := 0; i < len(key); i++ {
		c := key[i]
		if c >= utf8.RuneSelf {
			return confiningLower(strings.ToLower(key))
		}
		if 'A' <= c && c <= 'Z' {
			c += 'a' - 'A'
		}
		b[i] = c
	}
	return bytes.Contains(b, []byte(":resourcetag/")) || bytes.Contains(b, []byte(":requesttag/")) || resourcePinningKeys[string(b)]
}

// confiningLower is confiningKey of a lower-case key.
func confiningLower(k string) bool {
	return strings.Contains(k, ":resourcetag/") || strings.Contains(k, ":requesttag/") || resourcePinningKeys[k]
}

// resourcePinningKeys are the condition keys, other than tags, that
// confine a statement to some resources of its actions' types.
var resourcePinningKeys = map[string]bool{
	"iam:awsservicename": true, "iam:passedtoservice": true,
	"kms:requestalias": true, "kms:resourcealiases": true,
}
