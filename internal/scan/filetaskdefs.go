package scan

import (
	"path"
	"strings"

	"github.com/iamfit/iamfit/internal/arn"
	"github.com/iamfit/iamfit/internal/ecs"
	"github.com/iamfit/iamfit/internal/need"
)

// fileTaskDefs adds the task definition files of a repository that no
// workflow registers (a repository with task definitions and code and no
// workflow, or whose workflows only redeploy a service whose task
// definition is kept in the repository): their execution and task roles.
// A family a workflow deploys is the workflow's. The account comes from
// the roles' ARNs, the region from the awslogs configuration; else
// parameters.
func (a *scanner) fileTaskDefs() {
	known := map[string]bool{}
	for _, d := range a.deployments {
		if d.TD.Family != nil {
			known[d.TD.Family.Value] = true
		}
	}
	for _, e := range a.tree.Files {
		if path.Ext(e.Name) != ".json" || strings.HasPrefix(e.Name, ".github/") || strings.HasPrefix(path.Base(e.Name), "package") || strings.Contains(e.Name, "/iamfit/") {
			continue
		}
		if _, read := a.inv.Files[e.Name]; read {
			continue // a workflow's input (a deploy tool renders it): the workflow's
		}
		f, err := a.tree.Read(e.Name)
		if err != nil || !strings.Contains(string(f.Data), "containerDefinitions") {
			continue
		}
		td, diags := ecs.Read(f)
		if td == nil || len(td.Containers) == 0 {
			continue
		}
		a.inv.Diagnostics = append(a.inv.Diagnostics, diags...)
		if td.Family != nil {
			if known[td.Family.Value] {
				continue
			}
			known[td.Family.Value] = true
		}
		region, account := need.Param("Region"), need.Param("AccountId")
		for _, r := range []*ecs.String{td.ExecutionRoleARN, td.TaskRoleARN} {
			if r == nil {
				continue
			}
			if p, err := arn.Parse(r.Value); err == nil && p.Account != "" {
				account = p.Account
				break
			}
		}
		for _, c := range td.Containers {
			if v, ok := c.LogOptions["awslogs-region"]; ok && arn.ValidRegion(v.Value) { // not a placeholder (REPLACE_ME_REGION)
				region = v.Value
				break
			}
		}
		a.inv.Files[f.Name] = f
		a.deployments = append(a.deployments, ecs.Deployment{TD: td, Region: region, Account: account})
	}
}
