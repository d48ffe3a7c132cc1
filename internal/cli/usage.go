package cli

import (
	"fmt"

	"github.com/iamfit/iamfit/internal/catalog"
	"github.com/iamfit/iamfit/internal/cloudtrail"
	"github.com/iamfit/iamfit/internal/need"
	"github.com/iamfit/iamfit/internal/source"
	"github.com/iamfit/iamfit/internal/usage"
)

// fromCloudTrail builds a role's needs from the calls it made, as
// CloudTrail recorded them (logs, or the CSV result of the Athena query).
func (c *Command) fromCloudTrail(path, principal, since, until string, includeDenied bool, maxResources int, cat *catalog.Catalog) (*need.Inventory, error) {
	win, err := parseWindow(since, until)
	if err != nil {
		return nil, err
	}
	opt := usage.Options{Path: path, Principal: principal, Window: win, IncludeDenied: includeDenied, MaxPerPrefix: maxResources, Catalog: cat}
	var u *usage.Usage
	if usage.IsAthenaResult(path) {
		if since != "" || until != "" {
			return nil, fmt.Errorf("--since and --until do not apply to an Athena result: the query's WHERE clause sets its window")
		}
		if u, err = usage.FromAthenaCSV(opt); err != nil {
			return nil, err
		}
		fmt.Fprintf(c.Stderr, "%d rows read from the Athena result %s; ", u.Rows, path)
	} else {
		opt.Progress = &cloudtrail.Progress{}
		stop := c.showProgress(opt.Progress)
		u, err = usage.FromLogs(opt)
		stop()
		if err != nil {
			return nil, err
		}
		// Each skipped file is also a warning among the diagnostics.
		fmt.Fprintf(c.Stderr, "%d records read from %d files (%d skipped); ", u.Records, u.Files, len(u.Skipped))
	}
	fmt.Fprintf(c.Stderr, "%d calls by %s used", u.Kept, principal)
	if u.Denied > 0 {
		fmt.Fprintf(c.Stderr, ", %d denied calls left out (--include-denied grants them)", u.Denied)
	}
	if u.Other > 0 {
		fmt.Fprintf(c.Stderr, ", %d failed calls (not access errors) left out", u.Other)
	}
	fmt.Fprintln(c.Stderr)
	if u.Kept == 0 {
		return nil, fmt.Errorf("no successful call by %s in %s", principal, path)
	}
	role := &need.Role{ARN: principal, Kind: need.Usage, Account: u.Account, Needs: u.Needs}
	return &need.Inventory{Files: map[string]*source.File{}, Diagnostics: u.Diagnostics, Roles: []*need.Role{role}}, nil
}

// parseWindow reads --since (RFC 3339, or a duration back from the newest
// event) and --until.
func parseWindow(since, until string) (usage.Window, error) {
	var w usage.Window
	var err error
	if since != "" {
		if w.From, w.Back, err = usage.ParseSince(since); err != nil {
			return w, fmt.Errorf("--since %v", err)
		}
	}
	if until != "" {
		if w.To, err = usage.ParseUntil(until); err != nil {
			return w, fmt.Errorf("--until %v", err)
		}
	}
	return w, nil
}

// athenaSQL prints the Athena query that aggregates a principal's usage.
func (c *Command) athenaSQL(principal, since, until, table string) int {
	w, err := parseWindow(since, until)
	if err != nil {
		return c.exit("generate", err)
	}
	if principal == "" {
		return c.fail("generate", "--cloudtrail-athena-sql needs --principal ROLE_ARN")
	}
	sql, err := cloudtrail.AthenaQuery{Table: table, Principal: principal, Since: w.From, Until: w.To, Back: w.Back}.SQL()
	if err != nil {
		return c.exit("generate", err)
	}
	fmt.Fprint(c.Stdout, sql)
	return ExitOK
}
