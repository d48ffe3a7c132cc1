package lint

import (
	"net/netip"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/iamfit/iamfit/internal/catalog"
	"github.com/iamfit/iamfit/internal/need"
	"github.com/iamfit/iamfit/internal/policy"
	"github.com/iamfit/iamfit/internal/source"
)

// UnknownConditionKey flags condition keys that do not exist or do not
// apply to the statement's actions.
var UnknownConditionKey = &Check{
	ID:       "unknown-condition-key",
	Severity: source.Error,
	Doc:      "A condition key is unknown, or it belongs to a service whose actions the statement does not grant, or no action of the statement supports it. A key a keystroke or two from a known one (aws:SecureTransprt) is a typo and an error: the key is absent from every request. A key iamfit's data does not know otherwise may be newer than the data: a warning that says the date. A known key that no action of the statement supports is a warning too, and says what the absent key does: a positive operator is never true (an Allow grants nothing, a Deny never denies), a negated one (StringNotEquals) always true (the Deny always applies). Keys are looked up case-insensitively, among the keys of the services the statement grants as well, and tag keys in the form some services spell them (secretsmanager:ResourceTag/tag-key); keys that describe the credentials rather than the action (ec2:SourceInstanceARN, lambda:SourceFunctionArn) hold for every service, and aws:SourceOwner, which the SNS console writes into default topic policies, is known although AWS leaves it undocumented. Use a key from the catalog's list for the action (iamfit actions SERVICE:ACTION shows them).",
	Run: func(p *Pass) error {
		for _, s := range p.Statements {
			for _, c := range s.Conditions {
				checkKey(p, s, c)
			}
		}
		return nil
	},
}

func checkKey(p *Pass, s *Statement, c *policy.Condition) {
	name := c.Key.Value
	if strings.Contains(name, "${") {
		return // built by a template function: unknown
	}
	if legacyKeys[strings.ToLower(name)] {
		return
	}
	k := lookupKey(p.Catalog, s, name)
	if k == nil {
		sug := suggestKey(p, s, name)
		if sug != "" && isTypo(name, sug) {
			p.Reportf(c.Key.Pos, "unknown condition key %q; did you mean %q?", name, sug)
			return
		}
		hint := ""
		if sug != "" {
			hint = "; did you mean " + strconv.Quote(sug) + "?"
		}
		p.ReportSeverity(source.Warning, c.Key.Pos, "condition key %q is not in iamfit's data of %s: it may be newer or misspelled; if misspelled, %s%s",
			name, dataDate(p.Catalog), absentEffect(s, c), hint)
		return
	}
	if k.Global || s.Action == nil || strings.Contains(k.Name, "${Provider}") || anyServiceKeys[strings.ToLower(name)] {
		return
	}
	prefix, _, _ := strings.Cut(strings.ToLower(name), ":")
	granted := s.Granted()
	if len(granted) == 0 {
		return
	}
	services := map[string]bool{}
	for _, a := range granted {
		services[a.Service.Key] = true
		if keySupported(a, k) {
			return
		}
	}
	if p.Catalog.Service(prefix) != nil && !services[p.Catalog.Service(prefix).Key] {
		p.ReportSeverity(source.Warning, c.Key.Pos, "condition key %s belongs to %s, but the statement grants no %s action: %s", name, prefix, prefix, absentEffect(s, c))
		return
	}
	p.ReportSeverity(source.Warning, c.Key.Pos, "no action of the statement (%s) supports condition key %s: %s", names(granted, 3), name, absentEffect(s, c))
}

// absentEffect says what a condition on a key absent from the request does:
// a positive operator is false, so an Allow grants nothing and a Deny never
// denies; a negated operator (StringNotEquals, ArnNotLike, ...) is true, so
// the statement applies as if it had no condition
// (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html:
// "...IfExists" and negated operators on missing keys).
func absentEffect(s *Statement, c *policy.Condition) string {
	switch {
	case c.Base == "Null":
		return "the key is always absent for them, so the Null condition is decided by that alone"
	case c.IfExists || strings.Contains(c.Base, "Not"):
		if s.Effect == policy.Deny {
			return "the key is absent, so the condition is always true and the Deny always applies"
		}
		return "the key is absent, so the condition is always true and does not restrict the Allow"
	case s.Effect == policy.Deny:
		return "the key is absent, so the condition is never true and the Deny never applies"
	}
	return "the key is absent, so the condition is never true and the Allow grants nothing"
}

// templateBuilt reports whether a value holds a part a template builds (a
// CloudFormation !Sub of ${Branch} or ${AWS::AccountId}, a Terraform
// ${var.branch}), unknown here; IAM's own policy variables (${aws:username},
// ${aws:PrincipalTag/team}) and escapes (${*}) are not such parts.
func templateBuilt(v string) bool {
	for _, m := range unknownPart().FindAllString(v, -1) {
		inner := m[2 : len(m)-1]
		if inner == "*" || inner == "?" || inner == "$" {
			continue
		}
		if svc, key, ok := strings.Cut(inner, ":"); ok && svc != "" && key != "" && !strings.HasPrefix(key, ":") && !strings.Contains(svc, ".") {
			continue // a policy variable
		}
		return true
	}
	return false
}

// legacyKeys are keys that services evaluate although the list of global
// keys does not carry them: aws:SourceOwner, the account of the source
// resource, which the SNS console writes into every default topic policy;
// AWS keeps it undocumented, aws:SourceAccount being its documented
// replacement (https://github.com/awsdocs/iam-user-guide/issues/111).
var legacyKeys = map[string]bool{"aws:sourceowner": true}

// anyServiceKeys are service-prefixed keys that describe the credentials
// of the request rather than its action, so they are present whatever
// service is called: the EC2 instance or Lambda function the role
// credentials were issued to, the service that issued Glue's credentials
// (https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/iam-roles-for-amazon-ec2.html#iam-roles-for-amazon-ec2-condition-keys,
// https://docs.aws.amazon.com/lambda/latest/dg/permissions-source-function-arn.html).
var anyServiceKeys = map[string]bool{
	"ec2:sourceinstancearn": true, "ec2:sourceinstanceprivateipv4": true,
	"lambda:sourcefunctionarn": true, "glue:roleassumedby": true, "glue:credentialissuingservice": true,
	"ssm:sourceinstancearn": true,
}

// lookupKey finds a condition key as the catalog does, and also where the
// catalog files it under another prefix than the key's own (catalog:ChangeType
// is a key of aws-marketplace-catalog), so among the keys of the services
// the statement grants, and under the literal template some services spell
// their tag keys with (secretsmanager:ResourceTag/tag-key).
func lookupKey(cat *catalog.Catalog, s *Statement, name string) *catalog.ConditionKey {
	if k := cat.ConditionKey(name); k != nil {
		return k
	}
	prefix, rest, ok := strings.Cut(name, ":")
	if !ok {
		return nil
	}
	for _, kind := range []string{"ResourceTag/", "RequestTag/"} {
		if len(rest) > len(kind) && strings.EqualFold(rest[:len(kind)], kind) {
			if k := cat.ConditionKey(prefix + ":" + kind + "tag-key"); k != nil {
				return k
			}
		}
	}
	seen := map[*catalog.Service]bool{}
	var last *catalog.Service
	for _, a := range s.Granted() {
		if a.Service == last || seen[a.Service] {
			continue // a service's actions mostly come together
		}
		seen[a.Service], last = true, a.Service
		for _, k := range a.Service.ConditionKeys() {
			if strings.EqualFold(k.Name, name) {
				return k
			}
		}
	}
	return nil
}

// keySupported reports whether the action lists the key, directly or
// through one of its resource types.
func keySupported(a *catalog.Action, k *catalog.ConditionKey) bool {
	for _, n := range a.ConditionKeys {
		if strings.EqualFold(n, k.Name) {
			return true
		}
	}
	for _, r := range a.Resources {
		for _, n := range r.ConditionKeys {
			if strings.EqualFold(n, k.Name) {
				return true
			}
		}
		if r.Type != nil {
			for _, n := range r.Type.ConditionKeys {
				if strings.EqualFold(n, k.Name) {
					return true
				}
			}
		}
	}
	return false
}

// suggestKey returns the known key closest to name, or "".
func suggestKey(p *Pass, s *Statement, name string) string {
	cands := map[string]bool{}
	for _, g := range p.Catalog.GlobalKeys {
		cands[g.Name] = true
	}
	granted := s.Granted()
	for i := 0; i < len(granted); {
		if acts := wholeService(granted[i:]); acts > 0 {
			// Every action of a service ("*", "ec2:*"): its keys, gathered once.
			for _, k := range serviceKeys(granted[i].Service) {
				cands[k] = true
			}
			i += acts
			continue
		}
		for _, k := range granted[i].ConditionKeys {
			cands[k] = true
		}
		i++
	}
	var list []string
	for c := range cands {
		if !strings.Contains(c, "${") {
			list = append(list, c)
		}
	}
	sort.Strings(list) // ties go to the first: keep them stable
	return catalog.Closest(name, list)
}

// ConditionType flags operators that cannot work with the key's type or
// with the values given.
var ConditionType = &Check{
	ID:       "condition-type",
	Severity: source.Error,
	Doc:      "A condition operator does not fit its key or its values: a Numeric, Date, Bool, IpAddress or Arn operator on a key of another type, a value that is not a number, date, boolean, CIDR block or ARN, or a set operator (ForAllValues, ForAnyValue) on a single-valued key, where ForAllValues is true whenever the key is absent. Such conditions never match, or match when they should not. Use the operator family of the key's type (iamfit actions shows key types).",
	Run: func(p *Pass) error {
		for _, s := range p.Statements {
			for _, c := range s.Conditions {
				checkType(p, c)
			}
		}
		return nil
	},
}

var familyOf = map[string]string{
	"StringEquals": "String", "StringNotEquals": "String", "StringEqualsIgnoreCase": "String",
	"StringNotEqualsIgnoreCase": "String", "StringLike": "String", "StringNotLike": "String",
	"NumericEquals": "Numeric", "NumericNotEquals": "Numeric", "NumericLessThan": "Numeric",
	"NumericLessThanEquals": "Numeric", "NumericGreaterThan": "Numeric", "NumericGreaterThanEquals": "Numeric",
	"DateEquals": "Date", "DateNotEquals": "Date", "DateLessThan": "Date", "DateLessThanEquals": "Date",
	"DateGreaterThan": "Date", "DateGreaterThanEquals": "Date",
	"Bool": "Bool", "BinaryEquals": "Binary", "IpAddress": "IPAddress", "NotIpAddress": "IPAddress",
	"ArnEquals": "ARN", "ArnNotEquals": "ARN", "ArnLike": "ARN", "ArnNotLike": "ARN", "Null": "Null",
}

func checkType(p *Pass, c *policy.Condition) {
	fam := familyOf[c.Base]
	if k := p.Catalog.ConditionKey(c.Key.Value); k != nil && fam != "Null" {
		kt := string(k.Type.Elem())
		switch {
		case kt == "" || kt == fam:
		case fam == "String" && kt == "ARN":
			p.ReportSeverity(source.Info, c.Operator.Pos, "%s is an ARN key: %s works, but ArnEquals or ArnLike compare ARNs part by part", c.Key.Value, c.Operator.Value)
		case fam == "String":
			p.ReportSeverity(source.Warning, c.Operator.Pos, "%s is a %s key: compare it with a %s operator, not %s", c.Key.Value, kt, opFor(kt), c.Operator.Value)
		case fam == "ARN" && kt == "String":
			// ARN operators on string keys that hold ARNs are common and work.
		default:
			p.Reportf(c.Operator.Pos, "%s is a %s key, but %s compares %s values: the condition never matches", c.Key.Value, kt, c.Operator.Value, strings.ToLower(fam))
		}
		if c.Set != policy.NoSet && !k.Type.Multivalued() && !isGitHubKey(c.Key.Value) {
			setOp := "ForAllValues"
			if c.Set == policy.ForAnyValue {
				setOp = "ForAnyValue"
			}
			msg := "%s is single-valued: drop %s"
			if c.Set == policy.ForAllValues {
				msg += " (ForAllValues is also true when the key is absent)"
			}
			p.ReportSeverity(source.Warning, c.Operator.Pos, msg, c.Key.Value, setOp)
		}
	}
	for _, v := range c.Values {
		if strings.Contains(v.Value, "${") || Unknown(v.Value) {
			continue
		}
		if bad := badValue(fam, v.Value); bad != "" {
			p.Reportf(v.Pos, "%q is not %s, so %s never matches it", v.Value, bad, c.Operator.Value)
		}
	}
}

func opFor(kt string) string {
	switch kt {
	case "Numeric":
		return "Numeric*"
	case "Date":
		return "Date*"
	case "Bool":
		return "Bool"
	case "IPAddress":
		return "IpAddress"
	}
	return kt
}

var dateLayouts = []string{"2006-01-02", time.RFC3339Nano, "2006-01-02T15:04:05Z0700", "2006-01-02T15:04:05", "2006-01-02T15:04Z07:00", "2006-01-02T15:04"}

// badValue returns what the value should be when it is unusable for the
// operator family, or "".
func badValue(fam, v string) string {
	switch fam {
	case "Numeric":
		// Decimal only: Go also reads "0x1p4", "NaN" and "Inf".
		if _, err := strconv.ParseFloat(v, 64); err != nil || strings.Trim(v, "0123456789+-.eE") != "" {
			return "a number"
		}
	case "Date":
		if _, err := strconv.ParseInt(v, 10, 64); err == nil {
			return ""
		}
		for _, l := range dateLayouts {
			if _, err := time.Parse(l, v); err == nil {
				return ""
			}
		}
		return "a date (ISO 8601, such as 2026-01-31T00:00:00Z, or epoch seconds)"
	case "Bool", "Null":
		if !strings.EqualFold(v, "true") && !strings.EqualFold(v, "false") {
			return "true or false"
		}
	case "IPAddress":
		if _, err := netip.ParsePrefix(v); err != nil {
			if _, err := netip.ParseAddr(v); err != nil {
				return "an IP address or CIDR block"
			}
		}
	case "ARN":
		if v == "*" {
			return ""
		}
		if _, ok := parseARN(v); !ok {
			return "an ARN"
		}
	}
	return ""
}

func isGitHubKey(k string) bool {
	return strings.HasPrefix(strings.ToLower(k), need.GitHubOIDC)
}

// StringLikeWithoutWildcard flags *Like operators with no wildcard.
var StringLikeWithoutWildcard = &Check{
	ID:       "like-without-wildcard",
	Severity: source.Info,
	Doc:      "StringLike or ArnLike is used with values that hold no * or ?. It works like StringEquals, but tells readers (and reviewers of trust policies) that a pattern was meant. Values built from template parameters or variables (${BranchName}) are not flagged: they may hold wildcards. Use StringEquals or ArnEquals.",
	Run: func(p *Pass) error {
		for _, s := range p.Statements {
			for _, c := range s.Conditions {
				if c.Base != "StringLike" && c.Base != "StringNotLike" && c.Base != "ArnLike" && c.Base != "ArnNotLike" {
					continue
				}
				wild := false
				for _, v := range c.Values {
					// A value built by a template (a !Sub of parameters, a
					// Terraform variable) may hold wildcards once resolved.
					if strings.ContainsAny(v.Value, "*?") || templateBuilt(v.Value) {
						wild = true
					}
				}
				if !wild && len(c.Values) > 0 {
					eq := strings.Replace(c.Operator.Value, "Like", "Equals", 1)
					p.Reportf(c.Key.Pos, "%s on %s has no wildcard in its values: write %s", c.Operator.Value, c.Key.Value, eq)
				}
			}
		}
		return nil
	},
}
