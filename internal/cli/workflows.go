package cli

import (
	"fmt"
	"strings"

	"github.com/iamfit/iamfit/internal/catalog"

	"github.com/iamfit/iamfit/internal/explain"
	"github.com/iamfit/iamfit/internal/lint"
	"github.com/iamfit/iamfit/internal/scan"
)

// This file is the one place where what the workflow reader found becomes
// the plain data the analyses (lint, explain) take: they import no reader.

// readWorkflows reads the repository at dir for a --workflows flag.
func readWorkflows(dir, repo string) (*scan.Result, error) {
	flows, err := scan.Analyze(scan.Options{Dir: dir, Repo: repo})
	if err != nil {
		return nil, usagef("--workflows: %v", err)
	}
	return flows, nil
}

// lintWorkflows are the subjects of the roles the workflows assume with
// their web identity, for lint's trust-workflows check; with role, of that
// role only (a role ARN the workflows write with {{Param}}s matches any
// value of the parameters).
func lintWorkflows(flows *scan.Result, role string) (*lint.Workflows, error) {
	out := &lint.Workflows{Dir: flows.Dir, Repo: flows.Repo, Role: role}
	var arns []string
	found := false
	for _, r := range flows.Roles {
		if r.OIDC {
			arns = append(arns, r.ARN)
		}
		if role != "" && !sameRole(r.ARN, role) {
			continue
		}
		found = found || r.OIDC
		if r.OIDC {
			for _, s := range r.Subjects {
				out.Subjects = append(out.Subjects, s)
			}
		}
	}
	if role != "" && !found {
		return nil, usagef("--role: no workflow in %s assumes %s with its web identity (they assume: %s)", flows.Dir, role, orNone(arns))
	}
	return out, nil
}

// sameRole reports whether a role ARN the workflows name (perhaps with
// {{Param}}s) is arn.
func sameRole(written, arn string) bool {
	if written == arn {
		return true
	}
	if !strings.Contains(written, "{{") {
		return false
	}
	var pattern strings.Builder
	for rest := written; rest != ""; {
		i := strings.Index(rest, "{{")
		j := strings.Index(rest, "}}")
		if i < 0 || j < i {
			pattern.WriteString(rest)
			break
		}
		pattern.WriteString(rest[:i])
		pattern.WriteString("*")
		rest = rest[j+2:]
	}
	return catalog.Match(pattern.String(), arn)
}

func orNone(list []string) string {
	if len(list) == 0 {
		return "none"
	}
	return strings.Join(list, ", ")
}

// explainWorkflows are the roles the workflows assume and their subjects,
// for explain's web identity diagnosis.
func explainWorkflows(flows *scan.Result) *explain.Workflows {
	out := &explain.Workflows{Repo: flows.Repo}
	for _, r := range flows.Roles {
		role := explain.WorkflowRole{ARN: r.ARN}
		for _, s := range r.Subjects {
			role.Subjects = append(role.Subjects, s)
		}
		out.Roles = append(out.Roles, role)
	}
	for _, d := range flows.Diagnostics {
		if d.Check == "id-token-permission" {
			out.NoIDToken = append(out.NoIDToken, fmt.Sprintf("%s:%d: %s", d.File, d.Pos.Line, d.Message))
		}
	}
	return out
}
