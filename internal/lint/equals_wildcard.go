package lint

import (
	"strings"

	"github.com/iamfit/iamfit/internal/source"
)

// EqualsWithWildcard flags a * or ? under an operator that compares
// literally.
//
// StringEquals, StringNotEquals and their IgnoreCase forms are exact
// matches; only StringLike and StringNotLike read * and ? as wildcards
// (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html#Conditions_String).
// ArnEquals is not flagged: it takes wildcards like ArnLike
// (same page, #Conditions_ARN).
var EqualsWithWildcard = &Check{
	ID:       "equals-with-wildcard",
	Severity: source.Error,
	Doc:      `A StringEquals, StringNotEquals or IgnoreCase condition value holds * or ?. These operators compare the value literally; only StringLike and StringNotLike read * and ? as wildcards. A trust policy with "StringEquals": {"token.actions.githubusercontent.com:sub": "repo:octo-org/app:*"} can never be assumed, because no token's subject is that literal text. It is an error where the key's values can never hold * or ? (GitHub token claims, ARNs, account and organization ids, tags), so that a positive operator never matches; elsewhere (a literal * is possible in an S3 prefix or a user agent) a warning. Write StringLike (StringNotLike for the negated operators), or ${*} and ${?} for a literal * or ? (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html#Conditions_String).`,
	Run: func(p *Pass) error {
		for _, s := range p.Statements {
			for _, c := range s.Conditions {
				if !literalOperator(c.Base) {
					continue
				}
				for _, v := range c.Values {
					if Unknown(v.Value) || !strings.ContainsAny(withoutVariables(v.Value), "*?") {
						continue
					}
					like := strings.Replace(strings.Replace(c.Base, "EqualsIgnoreCase", "Like", 1), "Equals", "Like", 1)
					negated := strings.Contains(c.Base, "Not")
					sev, effect := source.Warning, "it matches only that literal text"
					switch {
					case neverWildcard(c.Key.Value) && !negated:
						sev, effect = p.Check.Severity, "no "+c.Key.Value+" value holds * or ?, so it never matches"
					case neverWildcard(c.Key.Value):
						effect = "no " + c.Key.Value + " value holds * or ?, so the condition is always true"
					}
					note := ""
					if strings.Contains(c.Base, "IgnoreCase") {
						note = " (StringLike is case-sensitive)"
					}
					p.ReportSeverity(sev, v.Pos, "%s compares %q literally: %s; write %s%s if * or ? are wildcards", c.Base, v.Value, effect, like, note)
				}
			}
		}
		return nil
	},
}

// literalOperator reports whether a base operator compares strings
// literally.
func literalOperator(base string) bool {
	switch base {
	case "StringEquals", "StringNotEquals", "StringEqualsIgnoreCase", "StringNotEqualsIgnoreCase":
		return true
	}
	return false
}

// withoutVariables removes policy variables (${aws:username}, and the
// escapes ${*}, ${?}, ${$} that stand for a literal character) from v.
func withoutVariables(v string) string {
	for {
		i := strings.Index(v, "${")
		if i < 0 {
			return v
		}
		j := strings.IndexByte(v[i:], '}')
		if j < 0 {
			return v
		}
		v = v[:i] + v[i+j+1:]
	}
}

// neverWildcard reports whether the values of a key can never hold * or ?:
// GitHub token claims (git refs and repository names forbid them), ARNs
// and names of principals and sources, account and organization ids, and
// tag keys and values (their characters are letters, digits, spaces and
// _.:/=+-@).
func neverWildcard(key string) bool {
	k := strings.ToLower(key)
	if isGitHubKey(k) {
		return true
	}
	switch k {
	case "aws:principalarn", "aws:principalaccount", "aws:principalorgid", "aws:principalorgpaths",
		"aws:sourcearn", "aws:sourceaccount", "aws:sourceowner", "aws:sourceorgid", "aws:sourceorgpaths",
		"aws:resourceaccount", "aws:resourceorgid", "aws:resourceorgpaths", "aws:sourcevpc", "aws:sourcevpce",
		"aws:principalservicename", "aws:calledvia", "aws:calledviafirst", "aws:calledvialast",
		"aws:requestedregion", "aws:principaltype", "aws:securetransport", "aws:viaawsservice",
		"iam:passedtoservice", "iam:awsservicename", "kms:calleraccount", "kms:viaservice", "sts:externalid":
		return true
	}
	if i := strings.Index(k, ":"); i > 0 {
		rest := k[i+1:]
		for _, t := range []string{"resourcetag/", "requesttag/", "principaltag/"} {
			if strings.HasPrefix(rest, t) {
				return true
			}
		}
	}
	return false
}
