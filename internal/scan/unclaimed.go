package scan

import (
	"fmt"
	"path"
	"strings"

	"github.com/iamfit/iamfit/internal/catalog"
	"github.com/iamfit/iamfit/internal/code"
	"github.com/iamfit/iamfit/internal/ecs"
	"github.com/iamfit/iamfit/internal/need"
	"github.com/iamfit/iamfit/internal/source"
)

// unclaimedImages handles the code of images no task role got: an image
// that a workflow builds for a repository that deploys to ECS runs in a
// task whose definition is kept elsewhere (CDK, Terraform, the console),
// so its code's calls go to a task role named by a parameter; any other
// image's calls are said, never dropped. A task definition without a
// task role whose image's code calls AWS is said too: those calls would
// have no credentials.
func (a *scanner) unclaimedImages(builds []*imageBuild, used map[*imageBuild]bool, calls []code.Call, given map[int]bool, cat *catalog.Catalog) {
	// Builds of task definitions that have no task role.
	noRole := map[*imageBuild]ecs.Deployment{}
	for _, d := range a.deployments {
		if d.TD.TaskRoleARN != nil {
			continue
		}
		for _, b := range buildsOf(d.TD, builds) {
			if !used[b] {
				noRole[b] = d
			}
		}
	}
	region, account, ecsDeploy := a.ecsDeployTarget()
	taken := map[string]bool{}
	// Each image gets all of its code that no task definition's role got:
	// a package two images copy is in both.
	for _, b := range builds {
		if used[b] {
			continue
		}
		var own []code.Call
		for i, c := range calls {
			if !given[i] && b.runs(c.File, builds) {
				own = append(own, c)
			}
		}
		if len(own) == 0 {
			continue
		}
		first := fmt.Sprintf("%s:%d", own[0].File, own[0].Line)
		if d, ok := noRole[b]; ok {
			a.warnf(d.TD.File.Name, familyPos(d.TD), "task-role-code",
				"the task definition has no taskRoleArn, but the code of its image (%s) calls AWS (%d calls, the first at %s): those calls have no credentials; give the task definition a task role", b.dockerfile, len(own), first)
			continue
		}
		if !ecsDeploy || !b.built {
			a.warnf(b.dockerfile, source.Pos{Line: 1, Col: 1}, "task-role-code",
				"the code of the image built from %s calls AWS (%d calls, the first at %s), but no task definition in the repository runs that image and no workflow builds it for an ECS deploy: its calls are in no role", b.dockerfile, len(own), first)
			continue
		}
		bn := buildName(b)
		if _, repo, ok := strings.Cut(a.inv.Repo, "/"); ok && bn == "image" && !need.HasParams(repo) {
			bn = repo // the repository's one root image
		}
		name := "TaskRoleArn_" + paramName(bn)
		for taken[name] {
			name += "_"
		}
		taken[name] = true
		r := a.serviceRole(need.Param(name), need.Task)
		r.Region, r.Account = region, account
		a.warnf(b.dockerfile, source.Pos{Line: 1, Col: 1}, "task-role-code",
			"the workflows build the image of %s and deploy to ECS, but no task definition in the repository names its task role: its code's AWS calls (%d, the first at %s) go to the task role %s; give its ARN with --var %s=ARN",
			b.dockerfile, len(own), first, need.Param(name), name)
		ctx := code.Context{Region: region, Account: account}
		needs, diags := code.Needs(own, ctx, cat)
		r.Needs = append(r.Needs, needs...)
		a.assumedRoles(r, own, ctx, cat)
		a.inv.Diagnostics = append(a.inv.Diagnostics, diags...)
	}
}

// ecsDeployTarget reports whether a workflow deploys to ECS (registers a
// task definition, updates or creates a service, runs a task), and the
// region and account of those deploys when they are one of each (else
// parameters).
func (a *scanner) ecsDeployTarget() (region, account string, deploys bool) {
	regions, accounts := map[string]bool{}, map[string]bool{}
	for _, d := range a.deployments {
		regions[d.Region] = true
		accounts[d.Account] = true
		deploys = true
	}
	for _, r := range a.roles.List() {
		if r.Kind != need.Deploy && r.Kind != need.User {
			continue
		}
		for _, n := range r.Needs {
			switch n.Action {
			case "ecs:UpdateService", "ecs:CreateService", "ecs:RegisterTaskDefinition", "ecs:RunTask":
				deploys = true
				if p, ok := ecsARN(n.Resource); ok {
					regions[p[0]] = true
					accounts[p[1]] = true
				}
			}
		}
	}
	region, account = need.Param("Region"), need.Param("AccountId")
	if len(regions) == 1 {
		for k := range regions {
			region = k
		}
	}
	if len(accounts) == 1 {
		for k := range accounts {
			account = k
		}
	}
	return region, account, deploys
}

// ecsARN returns the region and account of an ECS ARN.
func ecsARN(s string) ([2]string, bool) {
	parts := strings.SplitN(s, ":", 6)
	if len(parts) < 6 || parts[2] != "ecs" || parts[3] == "" || parts[4] == "" {
		return [2]string{}, false
	}
	return [2]string{parts[3], parts[4]}, true
}

// buildName names a build after its Dockerfile's directory, else the
// Dockerfile's own name (worker.Dockerfile, Dockerfile.worker).
func buildName(b *imageBuild) string {
	if dir := path.Dir(b.dockerfile); dir != "." {
		return path.Base(dir)
	}
	base := path.Base(b.dockerfile)
	base = strings.TrimSuffix(strings.TrimSuffix(base, ".Dockerfile"), ".dockerfile")
	base = strings.TrimPrefix(base, "Dockerfile.")
	if base == "Dockerfile" || base == "" {
		return "image"
	}
	return base
}

// paramName keeps the characters a parameter name may have.
func paramName(s string) string {
	return strings.Map(func(r rune) rune {
		if r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '_' {
			return r
		}
		if r == '-' || r == '.' {
			return '_'
		}
		return -1
	}, s)
}

// familyPos is where a task definition names its family, else its start.
func familyPos(td *ecs.TaskDefinition) source.Pos {
	if td.Family != nil {
		return td.Family.Pos
	}
	return source.Pos{Line: 1, Col: 1}
}

// imageReference reports whether an image names something a registry
// could hold: [registry/]path[:tag][@digest], each path component
// lower-case letters and digits joined by '.', '_', '__' or dashes
// (distribution's reference grammar). A placeholder such as
// REPLACE_ME_IMAGE is not one.
func imageReference(v string) bool {
	if i := strings.IndexByte(v, '@'); i >= 0 {
		v = v[:i]
	}
	if i := strings.LastIndexByte(v, ':'); i > strings.LastIndexByte(v, '/') {
		v = v[:i]
	}
	comps := strings.Split(v, "/")
	if len(comps) > 1 && (strings.ContainsAny(comps[0], ".:") || comps[0] == "localhost") {
		comps = comps[1:]
	}
	for _, c := range comps {
		if !pathComponent(c) {
			return false
		}
	}
	return len(comps) > 0
}

func pathComponent(c string) bool {
	if c == "" {
		return false
	}
	alnum := func(b byte) bool { return b >= 'a' && b <= 'z' || b >= '0' && b <= '9' }
	if !alnum(c[0]) || !alnum(c[len(c)-1]) {
		return false
	}
	for i := 0; i < len(c); i++ {
		if !alnum(c[i]) && c[i] != '.' && c[i] != '_' && c[i] != '-' {
			return false
		}
	}
	return !strings.Contains(c, "..") && !strings.Contains(c, "___") && !strings.Contains(c, "._") && !strings.Contains(c, "_.")
}
