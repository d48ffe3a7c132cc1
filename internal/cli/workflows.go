package cli

import (
	"fmt"

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
// their web identity, for lint's trust-workflows check.
func lintWorkflows(flows *scan.Result) *lint.Workflows {
	out := &lint.Workflows{Dir: flows.Dir, Repo: flows.Repo}
	for _, r := range flows.Roles {
		if r.OIDC {
			for _, s := range r.Subjects {
				out.Subjects = append(out.Subjects, s)
			}
		}
	}
	return out
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
