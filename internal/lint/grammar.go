package lint

import (
	"strings"

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
	Doc:      "A Sid in an identity-based policy may only hold ASCII letters and digits; IAM rejects others (some resource policies, such as SQS and SNS, accept more). Rename the statement.",
	Run: func(p *Pass) error {
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
	Doc:      "An action names a service or action that does not exist (often a typo: ecr:GetAuthorisationToken, esc:RunTask), or a wildcard pattern matches no action. IAM accepts the policy, but the statement grants or denies nothing for it. iamfit suggests the closest known name.",
	Run: func(p *Pass) error {
		for _, s := range p.Statements {
			for _, r := range s.Actions {
				v := r.Value.Value
				if strings.Contains(v, "${") {
					continue // built by a template function: unknown
				}
				switch {
				case r.Err != nil:
					if strings.TrimSpace(v) != v {
						p.Reportf(r.Value.Pos, "action %q has spaces around it and matches nothing: IAM does not trim", v)
					} else {
						p.Reportf(r.Value.Pos, "%v", r.Err)
					}
				case len(r.Matched) == 0 && strings.Contains(v, ":"):
					p.Reportf(r.Value.Pos, "action pattern %q matches no action", v)
				}
			}
		}
		return nil
	},
}
