// Package usage turns the calls CloudTrail recorded into the needs a
// policy must grant: event name to IAM actions (with the known
// exceptions), resources from the event, aggregated with call counts.
package usage

import (
	"fmt"
	"strings"

	"github.com/iamfit/iamfit/internal/arn"
	"github.com/iamfit/iamfit/internal/catalog"
	"github.com/iamfit/iamfit/internal/cloudtrail"
	"github.com/iamfit/iamfit/internal/code"
	"github.com/iamfit/iamfit/internal/ecs"
	"github.com/iamfit/iamfit/internal/need"
)

// paramNames maps CloudTrail's request parameter names to the API's.
var paramNames = map[string]string{
	"bucketName": "Bucket", "key": "Key", "prefix": "Prefix", "queueUrl": "QueueUrl", "queueName": "QueueName",
	"tableName": "TableName", "indexName": "IndexName", "name": "Name", "path": "Path", "secretId": "SecretId",
	"stackName": "StackName", "topicArn": "TopicArn", "keyId": "KeyId",
}

// Needs turns one event into the needs it shows: its IAM actions (with
// the known exceptions) on the resources the event names or its request
// parameters determine, and for ecs:RegisterTaskDefinition the roles it
// passed (iam:PassRole is checked inside the call and never logged).
func Needs(r *cloudtrail.Record, file string, cat *catalog.Catalog) ([]need.Need, error) {
	svc := cloudtrail.Service(r.EventSource)
	acts, err := code.Actions(svc, r.EventName, cat)
	if err != nil {
		return nil, err
	}
	region, acct := r.AWSRegion, r.RecipientAccount
	if acct == "" {
		acct = r.UserIdentity.AccountID
	}
	why := fmt.Sprintf("%s %s.%s", r.EventTime.UTC().Format("2006-01-02T15:04:05Z"), r.EventSource, r.EventName)
	var out []need.Need
	add := func(action, resource string, conds ...need.Cond) {
		out = append(out, need.Need{Action: action, Resource: resource, Conditions: conds, Why: why, File: file})
	}
	cluster := ecs.Name(r.Param("cluster"))
	if cluster == "" {
		cluster = "default"
	}
	for _, act := range acts {
		a := cat.Action(act)
		if a != nil && a.WildcardOnly() {
			add(act, "*")
			continue
		}
		// The event's own resources, where they fit the action.
		fitted := false
		for _, res := range r.Resources {
			if res.ARN != "" && a != nil && arn.MatchesAction(res.ARN, a) {
				add(act, res.ARN)
				fitted = true
			}
		}
		if fitted {
			continue
		}
		switch act {
		case "ecs:UpdateService", "ecs:CreateService", "ecs:DeleteService":
			add(act, ecs.ServiceARN(region, acct, cluster, ecs.Name(r.Param("service"))))
			continue
		case "ecs:DescribeServices":
			if list, ok := r.Params()["services"].([]any); ok {
				for _, s := range list {
					if name, ok := s.(string); ok {
						add(act, ecs.ServiceARN(region, acct, cluster, ecs.Name(name)))
					}
				}
				continue
			}
		case "ecs:RegisterTaskDefinition":
			family := r.Param("family")
			add(act, ecs.FamilyARN(region, acct, family))
			for _, k := range []string{"executionRoleArn", "taskRoleArn"} {
				if role := r.Param(k); role != "" {
					add("iam:PassRole", role, need.Cond{Op: "StringEquals", Key: "iam:PassedToService", Values: []string{"ecs-tasks.amazonaws.com"}})
				}
			}
			continue
		case "ecs:RunTask":
			family := ecs.Family(r.Param("taskDefinition"))
			add(act, ecs.FamilyARN(region, acct, family),
				need.Cond{Op: "ArnEquals", Key: "ecs:cluster", Values: []string{ecs.ClusterARN(region, acct, cluster)}})
			continue
		case "ecs:DescribeTasks", "ecs:StopTask":
			add(act, ecs.TasksARN(region, acct, cluster))
			continue
		}
		if repo := r.Param("repositoryName"); repo != "" && svc == "ecr" {
			registry := r.Param("registryId")
			if registry == "" {
				registry = acct
			}
			add(act, fmt.Sprintf("arn:aws:ecr:%s:%s:repository/%s", region, registry, repo))
			continue
		}
		if g := r.Param("logGroupName"); g != "" && svc == "logs" {
			res := fmt.Sprintf("arn:aws:logs:%s:%s:log-group:%s", region, acct, g)
			if s := r.Param("logStreamName"); s != "" && a != nil && !supportsType(a, "log-group") {
				res += ":log-stream:" + s
			}
			add(act, res)
			continue
		}
		call := code.Call{Service: svc, Operation: r.EventName, Args: map[string]string{}}
		for k, v := range r.Params() {
			str, ok := v.(string)
			if !ok {
				continue
			}
			if n, ok := paramNames[k]; ok {
				call.Args[n] = str
			} else if k != "" {
				call.Args[strings.ToUpper(k[:1])+k[1:]] = str
			}
		}
		for _, res := range code.Resources(call, act, code.Context{Region: region, Account: acct}, cat) {
			add(act, res)
		}
	}
	return out, nil
}

func supportsType(a *catalog.Action, typ string) bool {
	for _, r := range a.Resources {
		if r.Name == typ {
			return true
		}
	}
	return false
}
