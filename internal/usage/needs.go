// Package usage turns the calls CloudTrail recorded into the needs a
// policy must grant: each event is read as an API call and mapped through
// the calls table (internal/calls), then aggregated with call counts.
package usage

import (
	"fmt"

	"github.com/iamfit/iamfit/internal/calls"
	"github.com/iamfit/iamfit/internal/catalog"
	"github.com/iamfit/iamfit/internal/cloudtrail"
	"github.com/iamfit/iamfit/internal/need"
)

// Call returns the API call an event records: the event source as the
// service, the event name as the operation, the request parameters by
// their API names (string and string-list values), the region and
// account, and the event's resources as ARNs known outright.
func Call(r *cloudtrail.Record, file string) calls.Call {
	acct := r.RecipientAccount
	if acct == "" {
		acct = r.UserIdentity.AccountID
	}
	c := calls.Call{Service: r.EventSource, Operation: r.EventName, Args: map[string][]string{},
		Region: r.AWSRegion, Account: acct, File: file,
		Why: fmt.Sprintf("%s %s.%s", r.EventTime.UTC().Format("2006-01-02T15:04:05Z"), r.EventSource, r.EventName)}
	for k, v := range r.Params() {
		if k == "" {
			continue
		}
		switch v := v.(type) {
		case string:
			c.Args[calls.ArgName(k)] = []string{v}
		case []any:
			var list []string
			for _, e := range v {
				if s, ok := e.(string); ok {
					list = append(list, s)
				}
			}
			if len(list) > 0 {
				c.Args[calls.ArgName(k)] = list
			}
		}
	}
	for _, res := range r.Resources {
		if res.ARN != "" {
			c.Known = append(c.Known, res.ARN)
		}
	}
	return c
}

// Needs turns one event into the needs it shows: its IAM actions on the
// resources its request parameters determine (or, where they do not, the
// resources the event names), and for ecs:RegisterTaskDefinition the roles
// it passed (iam:PassRole is checked inside the call and never logged).
func Needs(r *cloudtrail.Record, file string, cat *catalog.Catalog) ([]need.Need, error) {
	return calls.Needs(Call(r, file), cat)
}
