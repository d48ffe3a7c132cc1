package ecs

import (
	"fmt"
	"strings"
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
// family; a {{Param}} placeholder is kept whole.
func Family(s string) string {
	s = Name(s)
	if i := strings.LastIndexByte(s, ':'); i > 0 && !strings.Contains(s[i:], "}") {
		s = s[:i]
	}
	return s
}
