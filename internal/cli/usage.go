package cli

import (
	"fmt"
	"time"

	"github.com/iamfit/iamfit/internal/catalog"
	"github.com/iamfit/iamfit/internal/cloudtrail"
	"github.com/iamfit/iamfit/internal/need"
	"github.com/iamfit/iamfit/internal/pipeline"
	"github.com/iamfit/iamfit/internal/source"
)

// usage builds a role's needs from the calls it made, as CloudTrail
// recorded them.
func (c *Command) fromCloudTrail(path, principal, since, until string, includeDenied bool, cat *catalog.Catalog) (*pipeline.Result, error) {
	var from, to time.Time
	var back time.Duration
	if since != "" {
		if d, err := time.ParseDuration(since); err == nil {
			back = d
		} else if from, err = time.Parse(time.RFC3339, since); err != nil {
			return nil, fmt.Errorf("--since %q: want RFC 3339 (2026-11-01T00:00:00Z) or a duration (720h)", since)
		}
	}
	if until != "" {
		var err error
		if to, err = time.Parse(time.RFC3339, until); err != nil {
			return nil, fmt.Errorf("--until %q: want RFC 3339", until)
		}
	}
	var recs []*cloudtrail.Record
	var newest time.Time
	st, err := cloudtrail.Read(path, func(r *cloudtrail.Record) error {
		if cloudtrail.Caller(r) != principal && r.UserIdentity.ARN != principal {
			return nil
		}
		if r.EventTime.After(newest) {
			newest = r.EventTime
		}
		rec := *r
		recs = append(recs, &rec)
		return nil
	})
	if err != nil {
		return nil, err
	}
	for _, s := range st.Skipped {
		fmt.Fprintf(c.Stderr, "iamfit generate: skipped %s\n", s)
	}
	if back > 0 {
		from = newest.Add(-back)
	}
	role := &pipeline.Role{ARN: principal, Kind: "usage"}
	if p := principal; len(p) > 0 {
		role.Account = accountOf(p)
	}
	res := &pipeline.Result{Repo: "", Files: map[string]*source.File{}}
	kept, denied, unknown := 0, 0, 0
	type agg struct {
		n           need.Need
		count       int
		first, last time.Time
		event       string
	}
	byKey := map[string]*agg{}
	var order []string
	for _, r := range recs {
		if !from.IsZero() && r.EventTime.Before(from) || !to.IsZero() && !r.EventTime.Before(to) {
			continue
		}
		if r.ErrorCode != "" && !r.Denied() {
			continue // failed for another reason (validation, throttling): says nothing of permissions
		}
		if r.Denied() && !includeDenied {
			denied++
			continue
		}
		needs, err := cloudtrail.Needs(r, path, cat)
		if err != nil {
			unknown++
			res.Diagnostics = append(res.Diagnostics, source.Diagnostic{File: path, Severity: source.Warning,
				Message: err.Error() + "; not included", Check: "unknown-event"})
			continue
		}
		kept++
		for _, n := range needs {
			k := n.Action + "\x00" + n.Resource + "\x00" + need.CondKey(n.Conditions)
			a, ok := byKey[k]
			if !ok {
				a = &agg{n: n, first: r.EventTime, event: r.EventSource + " " + r.EventName}
				byKey[k] = a
				order = append(order, k)
			}
			a.count++
			if r.EventTime.Before(a.first) {
				a.first = r.EventTime
			}
			if r.EventTime.After(a.last) {
				a.last = r.EventTime
			}
		}
	}
	for _, k := range order {
		a := byKey[k]
		a.n.Why = fmt.Sprintf("%s: %d calls, %s to %s", a.event, a.count,
			a.first.UTC().Format("2006-01-02T15:04Z"), a.last.UTC().Format("2006-01-02T15:04Z"))
		role.Needs = append(role.Needs, a.n)
	}
	fmt.Fprintf(c.Stderr, "%d records read from %d files (%d skipped); %d calls by %s used", st.Records, st.Files, len(st.Skipped), kept, principal)
	if denied > 0 {
		fmt.Fprintf(c.Stderr, ", %d denied calls left out (--include-denied grants them)", denied)
	}
	fmt.Fprintln(c.Stderr)
	if kept == 0 {
		return nil, fmt.Errorf("no successful call by %s in %s", principal, path)
	}
	res.Roles = []*pipeline.Role{role}
	return res, nil
}

func accountOf(arnStr string) string {
	// arn:aws:iam::ACCOUNT:role/NAME
	parts := [6]string{}
	rest := arnStr
	for i := 0; i < 5; i++ {
		j := indexByte(rest, ':')
		if j < 0 {
			return "{{AccountId}}"
		}
		parts[i], rest = rest[:j], rest[j+1:]
	}
	return parts[4]
}

func indexByte(s string, c byte) int {
	for i := 0; i < len(s); i++ {
		if s[i] == c {
			return i
		}
	}
	return -1
}
