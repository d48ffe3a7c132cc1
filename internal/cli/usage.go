package cli

import (
	"fmt"
	"time"

	"github.com/iamfit/iamfit/internal/catalog"
	"github.com/iamfit/iamfit/internal/cloudtrail"
	"github.com/iamfit/iamfit/internal/pipeline"
	"github.com/iamfit/iamfit/internal/source"
)

// usage builds a role's needs from the calls it made, as CloudTrail
// recorded them.
func (c *Command) fromCloudTrail(path, principal, since, until string, includeDenied bool, maxResources int, cat *catalog.Catalog) (*pipeline.Result, error) {
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
	newest := func(r *cloudtrail.Record) bool {
		return cloudtrail.Caller(r) == principal || r.UserIdentity.ARN == principal
	}
	if back > 0 {
		// A first pass finds the principal's newest event, so that memory
		// stays bounded: events are folded in as they are read.
		var last time.Time
		if _, err := cloudtrail.Read(path, func(r *cloudtrail.Record) error {
			if newest(r) && r.EventTime.After(last) {
				last = r.EventTime
			}
			return nil
		}); err != nil {
			return nil, err
		}
		from = last.Add(-back)
	}
	agg := &cloudtrail.Aggregator{Cat: cat, File: path, From: from, To: to, IncludeDenied: includeDenied, MaxPerPrefix: maxResources}
	st, err := cloudtrail.Read(path, func(r *cloudtrail.Record) error {
		if newest(r) {
			agg.Add(r)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	for _, s := range st.Skipped {
		fmt.Fprintf(c.Stderr, "iamfit generate: skipped %s\n", s)
	}
	role := &pipeline.Role{ARN: principal, Kind: "usage", Account: accountOf(principal), Needs: agg.Needs()}
	res := &pipeline.Result{Files: map[string]*source.File{}}
	for _, u := range agg.UnknownList() {
		res.Diagnostics = append(res.Diagnostics, source.Diagnostic{File: path, Severity: source.Warning,
			Message: u + "; not included", Check: "unknown-event"})
	}
	fmt.Fprintf(c.Stderr, "%d records read from %d files (%d skipped); %d calls by %s used", st.Records, st.Files, len(st.Skipped), agg.Kept, principal)
	if agg.Denied > 0 {
		fmt.Fprintf(c.Stderr, ", %d denied calls left out (--include-denied grants them)", agg.Denied)
	}
	if agg.Other > 0 {
		fmt.Fprintf(c.Stderr, ", %d failed calls (not access errors) left out", agg.Other)
	}
	fmt.Fprintln(c.Stderr)
	if agg.Kept == 0 {
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
