package lint

import (
	"errors"
	"strconv"
	"strings"

	"github.com/iamfit/iamfit/internal/catalog"
	"github.com/iamfit/iamfit/internal/policy"
	"github.com/iamfit/iamfit/internal/source"
)

// PolicyVersion flags a missing or old Version.
var PolicyVersion = &Check{
	ID:       "policy-version",
	Severity: source.Warning,
	Doc:      `The policy has no Version, or "2008-10-17". Without "2012-10-17" IAM treats policy variables such as ${aws:username} as literal text, so a Resource that uses them matches nothing. Write "Version": "2012-10-17".`,
	Run: func(p *Pass) error {
		v := p.Policy.Version
		switch {
		case v == nil:
			p.Reportf(p.Policy.Pos, `the policy has no Version; add "Version": "2012-10-17" (without it, policy variables are not supported)`)
		case v.Value == "2008-10-17":
			p.Reportf(v.Pos, `Version "2008-10-17" does not support policy variables; write "2012-10-17"`)
		}
		return nil
	},
}

// InvalidSid flags statement ids IAM rejects.
var InvalidSid = &Check{
	ID:       "invalid-sid",
	Severity: source.Error,
	Doc:      "A Sid in an identity-based policy may only hold ASCII letters and digits; IAM rejects others. Resource policies are not checked: AWS documents that services may allow more, such as spaces (AWS's default KMS key policy has \"Enable IAM User Permissions\") and hyphens (SNS, SQS) (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_sid.html). Rename the statement.",
	Run: func(p *Pass) error {
		if p.Type == policy.Resource {
			return nil
		}
		for _, s := range p.Statements {
			if s.Sid == nil {
				continue
			}
			ok := true
			for _, c := range s.Sid.Value {
				if !('a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9') {
					ok = false
				}
			}
			if !ok {
				sev := p.Check.Severity
				if s.Principal != nil || s.NotPrincipal != nil {
					sev = source.Warning
				}
				p.ReportSeverity(sev, s.Sid.Pos, "Sid %q may only hold ASCII letters and digits", s.Sid.Value)
			}
		}
		return nil
	},
}

// DuplicateSid flags repeated statement ids.
var DuplicateSid = &Check{
	ID:       "duplicate-sid",
	Severity: source.Error,
	Doc:      "Two statements of one policy have the same Sid. IAM requires statement ids to be unique within a policy. Rename one.",
	Run: func(p *Pass) error {
		seen := map[string]source.Pos{}
		for _, s := range p.Statements {
			if s.Sid == nil || s.Sid.Value == "" {
				continue
			}
			if first, dup := seen[s.Sid.Value]; dup {
				p.Reportf(s.Sid.Pos, "Sid %q is already used at %s", s.Sid.Value, first)
				continue
			}
			seen[s.Sid.Value] = s.Sid.Pos
		}
		return nil
	},
}

// UnknownAction flags actions that are not in the catalog.
var UnknownAction = &Check{
	ID:       "unknown-action",
	Severity: source.Error,
	Doc:      `An action names a service or action that is not in the Service Authorization Reference iamfit carries. When a known name is one or two keystrokes away (ecr:GetAuthorisationToken, esc:RunTask, s3:ListBuckets) it is a typo: IAM accepts the policy, but the statement grants or denies nothing for it, an error. Otherwise the name may be newer than iamfit's data, or retired (IAM keeps accepting the actions of retired services): a warning that says the date of the data. A wildcard pattern that matches no action is a warning for the same reason.`,
	Run: func(p *Pass) error {
		for _, s := range p.Statements {
			for _, r := range s.Actions {
				v := r.Value.Value
				if strings.Contains(v, "${") {
					continue // built by a template function: unknown
				}
				switch {
				case r.Err != nil:
					var nf *catalog.NotFoundError
					switch {
					case strings.TrimSpace(v) != v:
						fix, _ := p.File.ReplaceAt(r.Value.Pos, v, strings.TrimSpace(v))
						p.ReportFix(r.Value.Pos, fix, "action %q has spaces around it and matches nothing: IAM does not trim", v)
					case errors.As(r.Err, &nf) && !typo(nf):
						p.ReportSeverity(source.Warning, r.Value.Pos, "%s %q is not in iamfit's data of %s: it may be newer, retired or misspelled; if misspelled, the statement grants nothing for it%s",
							nf.Kind, nf.Name, dataDate(p.Catalog), didYouMean(nf))
					default:
						fix, _ := typoFix(p.File, r.Value, nf)
						p.ReportFix(r.Value.Pos, fix, "%v", r.Err)
					}
				case len(r.Matched) == 0 && strings.Contains(v, ":"):
					p.ReportSeverity(source.Warning, r.Value.Pos, "action pattern %q matches no action in iamfit's data of %s", v, dataDate(p.Catalog))
				}
			}
		}
		return nil
	},
}

// typoFix is the edit that replaces a mistyped action with the known one
// suggested for it: the whole action for an action typo, the service
// prefix for a service typo.
func typoFix(f *source.File, v policy.String, nf *catalog.NotFoundError) (source.Fix, bool) {
	if nf == nil || !typo(nf) {
		return source.Fix{}, false
	}
	want := nf.Suggestion
	if w, ok := apiNames[strings.ToLower(v.Value)]; ok {
		want = w
	} else if nf.Kind == "service" {
		_, act, _ := strings.Cut(v.Value, ":")
		want = nf.Suggestion + ":" + act
	}
	return f.ReplaceAt(v.Pos, v.Value, want)
}

// apiNames are mistyped actions that spell an API whose permission has
// another name, so that the closest action is the wrong fix: the
// ListBuckets API is authorized by s3:ListAllMyBuckets
// (https://docs.aws.amazon.com/AmazonS3/latest/API/API_ListBuckets.html).
var apiNames = map[string]string{"s3:listbuckets": "s3:ListAllMyBuckets"}

// typo reports whether an unknown name is a keystroke or two from the
// known name suggested for it.
func typo(nf *catalog.NotFoundError) bool {
	if nf.Suggestion == "" {
		return false
	}
	name, sug := nf.Name, nf.Suggestion
	if nf.Kind == "action" {
		_, name, _ = strings.Cut(name, ":")
		_, sug, _ = strings.Cut(sug, ":")
	}
	return isTypo(name, sug)
}

// isTypo reports whether two names, compared without case, are at most two
// edits apart (one for names of up to four characters) and not the same.
func isTypo(a, b string) bool {
	a, b = strings.ToLower(a), strings.ToLower(b)
	limit := 2
	if len(a) <= 4 {
		limit = 1
	}
	d := osaDistance(a, b)
	return d > 0 && d <= limit
}

// osaDistance is the optimal string alignment distance: insertions,
// deletions, substitutions and transpositions of neighbours.
func osaDistance(a, b string) int {
	d := make([][]int, len(a)+1)
	for i := range d {
		d[i] = make([]int, len(b)+1)
		d[i][0] = i
	}
	for j := range d[0] {
		d[0][j] = j
	}
	for i := 1; i <= len(a); i++ {
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			d[i][j] = min(d[i-1][j]+1, d[i][j-1]+1, d[i-1][j-1]+cost)
			if i > 1 && j > 1 && a[i-1] == b[j-2] && a[i-2] == b[j-1] {
				d[i][j] = min(d[i][j], d[i-2][j-2]+1)
			}
		}
	}
	return d[len(a)][len(b)]
}

func didYouMean(nf *catalog.NotFoundError) string {
	if nf.Suggestion == "" {
		return ""
	}
	return "; did you mean " + strconv.Quote(nf.Suggestion) + "?"
}

// dataDate is the day the catalog's data was published.
func dataDate(c *catalog.Catalog) string {
	if len(c.UpdatedAt) >= 10 {
		return c.UpdatedAt[:10]
	}
	return c.Version
}
