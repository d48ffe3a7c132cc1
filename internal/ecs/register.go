package ecs

import (
	"fmt"
	"strings"

	"github.com/iamfit/iamfit/internal/arn"
	"github.com/iamfit/iamfit/internal/need"
)

// Deployment is a task definition with where it is deployed.
type Deployment struct {
	TD              *TaskDefinition
	Region, Account string
	// ExecuteCommand is set when the service enables ECS Exec.
	ExecuteCommand bool
	// EnvPatterns are the environment values the deploy determines only as
	// IAM patterns, by variable: a CloudFormation reference to a secret is
	// its ARN, which ends in six characters Secrets Manager generates
	// (-??????). They bind as written; the containers' Environment values
	// are literal text.
	EnvPatterns map[string]string
	// EnvResources are the ARNs of the resources environment values
	// identify where the value is not an ARN that calls can read (a
	// CloudFormation KMS key's !Ref is its key id), by variable.
	EnvResources map[string]string
}

// PassedToECS pins iam:PassRole to ECS tasks.
var PassedToECS = need.Cond{Op: "StringEquals", Key: "iam:PassedToService", Values: []string{need.ECSTasks}}

// RegisterNeeds are the needs of ecs:RegisterTaskDefinition for td (nil
// when the task definition is not known): the call on the family, the
// roles it passes to ECS pinned by iam:PassedToService, and tagging on
// create when the task definition (or the command) has tags. Each need's
// Why says what it is for; the family is returned.
func RegisterNeeds(region, account string, td *TaskDefinition, tags bool) ([]need.Need, string) {
	return RegisterNeedsOf(region, account, td, tags, "")
}

// RegisterNeedsOf is RegisterNeeds for a task definition that may not be
// known: its family and roles become parameters named after hint (the
// file or input that names it), so two unknown task definitions stay two
// parameters, never one.
func RegisterNeedsOf(region, account string, td *TaskDefinition, tags bool, hint string) ([]need.Need, string) {
	suffix := paramSuffix(hint)
	family := need.Param("TaskFamily" + suffix)
	if td != nil && td.Family != nil {
		family = td.Family.Value
	}
	tdARN := FamilyARN(region, account, family)
	out := []need.Need{{Action: "ecs:RegisterTaskDefinition", Resource: tdARN, Why: "register task definition " + family}}
	if td != nil {
		for _, r := range []*String{td.ExecutionRoleARN, td.TaskRoleARN} {
			if r == nil {
				continue
			}
			role := RoleRef(r.Value, account)
			where := ""
			if td.File != nil {
				where = fmt.Sprintf(" (named in %s:%d)", td.File.Name, r.Pos.Line)
			}
			out = append(out, need.Need{Action: "iam:PassRole", Resource: role, Conditions: []need.Cond{PassedToECS},
				Why: "pass " + role + " to ECS" + where})
		}
		if len(td.Tags) > 0 {
			tags = true
		}
	} else {
		out = append(out, need.Need{Action: "iam:PassRole", Resource: arn.RoleARN(need.Param("TaskRoleNames"+suffix), account),
			Conditions: []need.Cond{PassedToECS}, Why: "pass the task definition's roles to ECS"})
	}
	if tags {
		out = append(out, need.Need{Action: "ecs:TagResource", Resource: tdARN,
			Conditions: []need.Cond{{Op: "StringEquals", Key: "ecs:CreateAction", Values: []string{"RegisterTaskDefinition"}}},
			Why:        "tag the task definition when registering it"})
	}
	return out, family
}

// RegisteredRoles are the execution role and task role ARNs of a task
// definition registered in AWS, not in the repository: parameters named
// after its family ({{ExecutionRoleArn_web}}, {{TaskRoleArn_web}}), each
// a whole ARN (RoleRef keeps them so).
func RegisteredRoles(family string) (execution, task string) {
	suffix := "_" + strings.Map(func(r rune) rune {
		if r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '-' || r == '_' {
			return r
		}
		return -1
	}, family)
	if suffix == "_" {
		suffix = ""
	}
	return need.Param("ExecutionRoleArn" + suffix), need.Param("TaskRoleArn" + suffix)
}

// RoleRef is the role ARN a task definition's executionRoleArn or
// taskRoleArn names: an ARN, a role name in the account, or a parameter
// that holds a whole ARN (a value rendered from SSM or Terraform state
// whose name says so, {{ssm.app.task-role-arn}}).
func RoleRef(v, account string) string {
	if need.IsParam(v) && strings.Contains(strings.ToLower(v), "arn") {
		return v
	}
	return arn.RoleARN(v, account)
}

// paramSuffix turns a hint into a parameter name suffix: "_" and the
// hint's letters, digits, '.', '-' and '_' (a file's base name without
// its extension), or "" for no hint.
func paramSuffix(hint string) string {
	if i := strings.LastIndexByte(hint, '/'); i >= 0 {
		hint = hint[i+1:]
	}
	for _, ext := range []string{".json", ".jsonnet", ".yaml", ".yml"} {
		hint = strings.TrimSuffix(hint, ext)
	}
	var b strings.Builder
	for _, r := range hint {
		if r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '-' || r == '_' || r == '.' {
			b.WriteRune(r)
		}
	}
	if b.Len() == 0 {
		return ""
	}
	return "_" + b.String()
}
