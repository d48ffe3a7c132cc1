package ecs

import (
	"fmt"
	"strings"

	"github.com/iamfit/iamfit/internal/need"
)

// The ARNs of ECS resources that deploys name, built in one place.

// ClusterARN is a cluster's ARN.
func ClusterARN(region, account, cluster string) string {
	return fmt.Sprintf("arn:aws:ecs:%s:%s:cluster/%s", region, account, cluster)
}

// ServiceARN is a service's ARN in the long format (with the cluster).
func ServiceARN(region, account, cluster, service string) string {
	return fmt.Sprintf("arn:aws:ecs:%s:%s:service/%s/%s", region, account, cluster, service)
}

// FamilyARN matches every revision of a task definition family.
func FamilyARN(region, account, family string) string {
	return fmt.Sprintf("arn:aws:ecs:%s:%s:task-definition/%s:*", region, account, family)
}

// TasksARN matches every task of a cluster.
func TasksARN(region, account, cluster string) string {
	return fmt.Sprintf("arn:aws:ecs:%s:%s:task/%s/*", region, account, cluster)
}

// Name returns the last path segment of a name or ARN
// ("arn:aws:ecs:...:service/prod/web" -> "web").
func Name(s string) string {
	if i := strings.LastIndexByte(s, '/'); i >= 0 {
		return s[i+1:]
	}
	return s
}

// Family reduces "family", "family:3" or a task definition ARN to the
// family; a {{Param}} placeholder is kept whole, but one whose name says
// it holds an ARN ({{TASK_DEF_ARN}}, what describe-services prints) is
// not a family: the family is a parameter of its own, {{TaskFamily_NAME}},
// so a value given for NAME never lands where the family goes.
func Family(s string) string {
	if name := strings.TrimSuffix(strings.TrimPrefix(s, "{{"), "}}"); need.IsParam(s) && namesARN(name) && !strings.HasPrefix(name, "TaskFamily") {
		return need.Param("TaskFamily_" + name)
	}
	s = Name(s)
	if i := strings.LastIndexByte(s, ':'); i > 0 && !strings.Contains(s[i:], "}") {
		s = s[:i]
	}
	return s
}

// ECRImage splits an image reference into its ECR registry's account and
// region and the repository name: ACCOUNT.dkr.ecr.REGION.amazonaws.com[.cn]/REPO[:TAG|@DIGEST],
// or public.ecr.aws/ALIAS/REPO (public, no account or region). A {{Param}}
// in the host is one part, whatever it holds ({{matrix.region}} is a
// region). ok is false for other registries.
func ECRImage(ref string) (account, region, repo string, public, ok bool) {
	host, path, found := strings.Cut(ref, "/")
	if !found {
		return "", "", "", false, false
	}
	// Drop the tag or digest.
	if i := strings.IndexByte(path, '@'); i >= 0 {
		path = path[:i]
	}
	if i := strings.LastIndexByte(path, ':'); i >= 0 && !strings.Contains(path[i:], "/") {
		path = path[:i]
	}
	if host == "public.ecr.aws" {
		_, name, ok := strings.Cut(path, "/") // public.ecr.aws/ALIAS/REPO
		return "", "", name, true, ok && name != ""
	}
	parts := hostParts(host)
	if len(parts) < 6 || parts[1] != "dkr" || parts[2] != "ecr" || parts[4] != "amazonaws" || parts[5] != "com" {
		return "", "", "", false, false
	}
	return parts[0], parts[3], path, false, path != ""
}

// hostParts splits a host name at its dots, a {{Param}} whole.
func hostParts(host string) []string {
	var parts []string
	start, depth := 0, 0
	for i := 0; i < len(host); i++ {
		switch {
		case strings.HasPrefix(host[i:], "{{"):
			depth++
			i++
		case strings.HasPrefix(host[i:], "}}") && depth > 0:
			depth--
			i++
		case host[i] == '.' && depth == 0:
			parts = append(parts, host[start:i])
			start = i + 1
		}
	}
	return append(parts, host[start:])
}

// namesARN reports a name with the word ARN in it: TASK_DEF_ARN,
// taskDefinitionArn, steps.td.outputs.arn (not "learn").
func namesARN(name string) bool {
	word := func(i, j int) bool { return strings.EqualFold(name[i:j], "arn") }
	start := 0
	for i := 1; i <= len(name); i++ {
		end := i == len(name)
		sep := !end && strings.IndexByte("_.-/:", name[i]) >= 0
		camel := !end && name[i] >= 'A' && name[i] <= 'Z' && name[i-1] >= 'a' && name[i-1] <= 'z'
		if end || sep || camel {
			if word(start, i) {
				return true
			}
			start = i
			if sep {
				start = i + 1
			}
		}
	}
	return false
}
