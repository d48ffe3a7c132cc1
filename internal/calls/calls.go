// Package calls is the one table of AWS call knowledge. A Call is one AWS
// API call as a reader saw it: a service named by any of its surfaces (SDK
// client, aws CLI service, CloudTrail event source, or the IAM prefix
// itself), the operation in API form ("HeadObject"), the arguments by API
// parameter name (Bucket, Key, QueueUrl, TableName, ...), the region and
// account it runs in, and where it was seen. Needs turns it into the IAM
// actions it needs (the catalog's prefix:Operation, or one of the
// documented exceptions), on the resources its arguments determine, under
// the conditions that pin them.
//
// The readers of application code (internal/code), of aws CLI commands
// and of CloudTrail records (internal/usage) all go through here, so that
// the same call needs the same permissions whichever way it was seen.
package calls

import (
	"fmt"

	"github.com/iamfit/iamfit/internal/catalog"
	"github.com/iamfit/iamfit/internal/need"
	"github.com/iamfit/iamfit/internal/source"
)

// Call is one AWS API call.
type Call struct {
	// Service is a surface name ("s3api", "cloudwatchlogs",
	// "@aws-sdk/client-sfn", "s3.amazonaws.com") or an IAM prefix ("s3").
	Service string
	// Operation is the API operation: "HeadObject", "SendMessageBatch".
	Operation string
	// Args are the arguments by API parameter name in Pascal case (Bucket,
	// Key, QueueUrl, TableName, Cluster, Services); ArgName converts the
	// other spellings. A list parameter keeps every value.
	Args map[string][]string
	// Region and Account are where the call runs; a parameter ({{Region}})
	// when the inputs do not say.
	Region, Account string
	// Known are ARNs the surface names outright, such as a CloudTrail
	// event's resources. They scope an action whose resource the arguments
	// do not determine.
	Known []string
	// TaskRoles are the roles of the task definition a RunTask or
	// StartTask names, when the reader knows it; nil leaves them
	// parameters named after its family.
	TaskRoles *TaskRoles
	// Params name the parameter that stands for an argument the reader
	// could not determine, after where its value comes from (API name ->
	// parameter name: Bucket -> "Store.bucket"), so that two unknown
	// buckets stay two parameters; without one, the parameter is named
	// after the resource ({{BucketName}}).
	Params map[string]string
	// Unread is set when an input of the call could not be read (an aws
	// --cli-input-json file the repository does not hold): it may give
	// arguments that Args lack, so no default the API applies when they
	// are absent (the default cluster) is assumed.
	Unread bool
	// Why, File and Pos are the provenance copied into every need.
	Why  string
	File string
	Pos  source.Pos
}

// TaskRoles are a task definition's execution role and task role ARNs
// ("" for a role it does not name).
type TaskRoles struct{ Execution, Task string }

// Arg returns the first value of an argument.
func (c Call) Arg(name string) (string, bool) {
	if v := c.Args[name]; len(v) > 0 {
		return v[0], true
	}
	return "", false
}

// UnknownError reports a call whose IAM action neither the catalog nor the
// exceptions know.
type UnknownError struct {
	Service, Operation string
	Action             string // the action looked up: "s3:NoSuchCall"
}

func (e *UnknownError) Error() string {
	return fmt.Sprintf("no IAM action %s for the %s call %s", e.Action, e.Service, e.Operation)
}

// Needs returns what the call needs: each IAM action on each resource the
// call touches, with the conditions that pin it, and the call's
// provenance. A call that needs no permission (sts:GetCallerIdentity)
// returns none; an unknown call returns an *UnknownError.
func Needs(c Call, cat *catalog.Catalog) ([]need.Need, error) {
	acts, err := Actions(c.Service, c.Operation, cat)
	if err != nil {
		return nil, err
	}
	var out []need.Need
	for _, act := range acts {
		for _, g := range grants(c, act, cat) {
			out = append(out, need.Need{Action: g.action, Resource: g.resource, Conditions: g.conds,
				Why: c.Why, File: c.File, Pos: c.Pos})
		}
	}
	return out, nil
}

// Resources returns the resources one action of the call touches.
func Resources(c Call, action string, cat *catalog.Catalog) []string {
	var out []string
	for _, g := range grants(c, action, cat) {
		if g.action == action {
			out = append(out, g.resource)
		}
	}
	return out
}
