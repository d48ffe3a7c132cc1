package cli

import (
	"bufio"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"os"
	"time"

	"github.com/iamfit/iamfit/internal/arn"
	"github.com/iamfit/iamfit/internal/catalog"
	"github.com/iamfit/iamfit/internal/cloudtrail"
	"github.com/iamfit/iamfit/internal/pipeline"
	"github.com/iamfit/iamfit/internal/source"
	"github.com/iamfit/iamfit/internal/usage"
)

// usage builds a role's needs from the calls it made, as CloudTrail
// recorded them.
func (c *Command) fromCloudTrail(path, principal, since, until string, includeDenied bool, maxResources int, cat *catalog.Catalog) (*pipeline.Result, error) {
	from, to, back, err := parseWindow(since, until)
	if err != nil {
		return nil, err
	}
	if head, err := readHead(path); err == nil && cloudtrail.IsAthenaCSV(head) {
		if since != "" || until != "" {
			return nil, fmt.Errorf("--since and --until do not apply to an Athena result: the query's WHERE clause sets its window")
		}
		return c.fromAthenaCSV(path, principal, includeDenied, maxResources, cat)
	}
	mine := func(r *cloudtrail.Record) bool {
		return cloudtrail.Caller(r) == principal || r.UserIdentity.ARN == principal
	}
	// Records that do not name the principal are not decoded.
	prog := &cloudtrail.Progress{}
	rd := &cloudtrail.Reader{Keep: cloudtrail.Containing(principal), Progress: prog}
	stop := c.showProgress(prog)
	defer stop()
	if back > 0 {
		// A first pass finds the principal's newest event, so that memory
		// stays bounded: events are folded in as they are read.
		var last time.Time
		if _, err := rd.Read(path, func(r *cloudtrail.Record) error {
			if mine(r) && r.EventTime.After(last) {
				last = r.EventTime
			}
			return nil
		}); err != nil {
			return nil, err
		}
		from = last.Add(-back)
	}
	agg := &usage.Aggregator{Cat: cat, File: path, From: from, To: to, IncludeDenied: includeDenied, MaxPerPrefix: maxResources}
	st, err := rd.Read(path, func(r *cloudtrail.Record) error {
		if mine(r) {
			agg.Add(r)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	stop()
	for _, s := range st.Skipped {
		fmt.Fprintf(c.Stderr, "iamfit generate: skipped %s\n", s)
	}
	fmt.Fprintf(c.Stderr, "%d records read from %d files (%d skipped); ", st.Records, st.Files, len(st.Skipped))
	return usageResult(c, path, principal, agg)
}

// usageResult reports what the aggregation kept and makes the role.
func usageResult(c *Command, path, principal string, agg *usage.Aggregator) (*pipeline.Result, error) {
	role := &pipeline.Role{ARN: principal, Kind: "usage", Account: accountOf(principal), Needs: agg.Needs()}
	res := &pipeline.Result{Files: map[string]*source.File{}}
	for _, u := range agg.UnknownList() {
		res.Diagnostics = append(res.Diagnostics, source.Diagnostic{File: path, Severity: source.Warning,
			Message: u + "; not included", Check: "unknown-event"})
	}
	fmt.Fprintf(c.Stderr, "%d calls by %s used", agg.Kept, principal)
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

// accountOf returns the account of a principal ARN, or a parameter when
// the ARN has none.
func accountOf(principal string) string {
	if a, err := arn.Parse(principal); err == nil && a.Account != "" {
		return a.Account
	}
	return "{{AccountId}}"
}

// parseWindow reads --since (RFC 3339, or a duration back from the newest
// event) and --until.
func parseWindow(since, until string) (from, to time.Time, back time.Duration, err error) {
	if since != "" {
		if d, perr := time.ParseDuration(since); perr == nil && d > 0 {
			back = d
		} else if from, perr = time.Parse(time.RFC3339, since); perr != nil {
			return from, to, back, fmt.Errorf("--since %q: want RFC 3339 (2026-11-01T00:00:00Z) or a positive duration (720h)", since)
		}
	}
	if until != "" {
		if to, err = time.Parse(time.RFC3339, until); err != nil {
			return from, to, back, fmt.Errorf("--until %q: want RFC 3339", until)
		}
	}
	return from, to, back, nil
}

// readHead returns the first bytes of a regular file.
func readHead(path string) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	if info, err := f.Stat(); err != nil || info.IsDir() {
		return nil, fmt.Errorf("not a file")
	}
	head := make([]byte, 512)
	n, err := io.ReadFull(f, head)
	if err != nil && err != io.ErrUnexpectedEOF {
		return nil, err
	}
	return head[:n], nil
}

// fromAthenaCSV builds a role's needs from the CSV result of the query
// --cloudtrail-athena-sql prints.
func (c *Command) fromAthenaCSV(path, principal string, includeDenied bool, maxResources int, cat *catalog.Catalog) (*pipeline.Result, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	agg := &usage.Aggregator{Cat: cat, File: path, IncludeDenied: includeDenied, MaxPerPrefix: maxResources}
	rows, err := cloudtrail.ReadAthenaCSV(bufio.NewReaderSize(f, 256<<10), principal, func(r *cloudtrail.Record, calls int, first, last time.Time) error {
		agg.AddCalls(r, calls, first, last)
		return nil
	})
	if err != nil {
		var pe *csv.ParseError
		if errors.As(err, &pe) {
			return nil, fmt.Errorf("%s:%d:%d: %v", path, pe.Line, pe.Column, pe.Err)
		}
		return nil, fmt.Errorf("%s:%v", path, err) // errors start with line:col
	}
	fmt.Fprintf(c.Stderr, "%d rows read from the Athena result %s; ", rows, path)
	return usageResult(c, path, principal, agg)
}

// athenaSQL prints the Athena query that aggregates a principal's usage.
func (c *Command) athenaSQL(principal, since, until, table string) int {
	from, to, back, err := parseWindow(since, until)
	if err != nil {
		return c.exit("generate", err)
	}
	if principal == "" {
		return c.fail("generate", "--cloudtrail-athena-sql needs --principal ROLE_ARN")
	}
	sql, err := cloudtrail.AthenaQuery{Table: table, Principal: principal, Since: from, Until: to, Back: back}.SQL()
	if err != nil {
		return c.exit("generate", err)
	}
	fmt.Fprint(c.Stdout, sql)
	return ExitOK
}
