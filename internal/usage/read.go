package usage

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
	"github.com/iamfit/iamfit/internal/need"
	"github.com/iamfit/iamfit/internal/source"
)

// Options say whose calls to read from where.
type Options struct {
	// Path is a CloudTrail log file, a directory of them, lookup-events
	// output, or (FromAthenaCSV) the CSV result of AthenaQuery's SQL.
	Path string
	// Principal is the role (or user) ARN whose calls are kept.
	Principal string
	// Window bounds the event time (logs only: an Athena query has its
	// own).
	Window        Window
	IncludeDenied bool
	// MaxPerPrefix is the number of distinct resources under one path
	// kept before generalising; 0 never generalises.
	MaxPerPrefix int
	Catalog      *catalog.Catalog
	// Progress, when not nil, counts what has been read of the logs.
	Progress *cloudtrail.Progress
}

// Window bounds the event time: From <= t < To, zero is open. Back, when
// positive, sets From that long before the principal's newest event.
type Window struct {
	From, To time.Time
	Back     time.Duration
}

// ParseSince reads a window's start: RFC 3339, or a positive duration
// back from the newest event.
func ParseSince(s string) (from time.Time, back time.Duration, err error) {
	if d, perr := time.ParseDuration(s); perr == nil && d > 0 {
		return from, d, nil
	}
	if from, err = time.Parse(time.RFC3339, s); err != nil {
		return from, 0, fmt.Errorf("%q: want RFC 3339 (2026-11-01T00:00:00Z) or a positive duration (720h)", s)
	}
	return from, 0, nil
}

// ParseUntil reads a window's end, RFC 3339.
func ParseUntil(s string) (time.Time, error) {
	to, err := time.Parse(time.RFC3339, s)
	if err != nil {
		return to, fmt.Errorf("%q: want RFC 3339", s)
	}
	return to, nil
}

// Usage is what a principal's recorded calls need.
type Usage struct {
	Principal string
	// Account is the principal's account, or the parameter {{AccountId}}
	// when its ARN has none.
	Account string
	Needs   []need.Need
	// Diagnostics are the events left out because no IAM action is known
	// for them.
	Diagnostics []source.Diagnostic
	// Kept counts the calls turned into needs, Denied the denied calls
	// left out, Other the failed calls that say nothing about permissions.
	Kept, Denied, Other int
	// Logs: what was read and the files that could not be (each also a
	// warning in Diagnostics).
	Records, Files int
	Skipped        []cloudtrail.Skip
	// Athena results: the rows read.
	Rows int
}

// IsAthenaResult tells whether path is a regular file that starts like
// the CSV result of AthenaQuery's SQL.
func IsAthenaResult(path string) bool {
	head, err := readHead(path)
	return err == nil && cloudtrail.IsAthenaCSV(head)
}

// FromLogs folds the principal's calls in CloudTrail logs into needs.
// Records that do not name the principal are not decoded.
func FromLogs(opt Options) (*Usage, error) {
	principal := opt.Principal
	mine := func(r *cloudtrail.Record) bool {
		return cloudtrail.Caller(r) == principal || r.UserIdentity.ARN == principal
	}
	rd := &cloudtrail.Reader{Keep: cloudtrail.Containing(principal), Progress: opt.Progress}
	from := opt.Window.From
	if opt.Window.Back > 0 {
		// A first pass finds the principal's newest event, so that memory
		// stays bounded: events are folded in as they are read.
		var last time.Time
		if _, err := rd.Read(opt.Path, func(r *cloudtrail.Record) error {
			if mine(r) && r.EventTime.After(last) {
				last = r.EventTime
			}
			return nil
		}); err != nil {
			return nil, err
		}
		from = last.Add(-opt.Window.Back)
	}
	agg := &Aggregator{Cat: opt.Catalog, File: opt.Path, From: from, To: opt.Window.To, IncludeDenied: opt.IncludeDenied, MaxPerPrefix: opt.MaxPerPrefix}
	st, err := rd.Read(opt.Path, func(r *cloudtrail.Record) error {
		if mine(r) {
			agg.Add(r)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	u := result(opt, agg)
	u.Records, u.Files, u.Skipped = st.Records, st.Files, st.Skipped
	for _, sk := range st.Skipped {
		u.Diagnostics = append(u.Diagnostics, source.Diagnostic{File: sk.Path, Pos: source.Pos{Line: sk.Line, Col: sk.Col},
			Severity: source.Warning, Message: "not read: " + sk.Why + "; none of its records is used", Check: "cloudtrail-skipped"})
	}
	return u, nil
}

// FromAthenaCSV folds the rows of the CSV result of AthenaQuery's SQL
// into needs. Errors are positioned path:line:col.
func FromAthenaCSV(opt Options) (*Usage, error) {
	f, err := os.Open(opt.Path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	agg := &Aggregator{Cat: opt.Catalog, File: opt.Path, IncludeDenied: opt.IncludeDenied, MaxPerPrefix: opt.MaxPerPrefix}
	rows, err := cloudtrail.ReadAthenaCSV(bufio.NewReaderSize(f, 256<<10), opt.Principal, func(r *cloudtrail.Record, calls int, first, last time.Time) error {
		agg.AddCalls(r, calls, first, last)
		return nil
	})
	if err != nil {
		var pe *csv.ParseError
		if errors.As(err, &pe) {
			return nil, fmt.Errorf("%s:%d:%d: %v", opt.Path, pe.Line, pe.Column, pe.Err)
		}
		return nil, fmt.Errorf("%s:%v", opt.Path, err) // errors start with line:col
	}
	u := result(opt, agg)
	u.Rows = rows
	return u, nil
}

func result(opt Options, agg *Aggregator) *Usage {
	u := &Usage{Principal: opt.Principal, Account: accountOf(opt.Principal), Needs: agg.Needs(),
		Kept: agg.Kept, Denied: agg.Denied, Other: agg.Other}
	for _, e := range agg.UnknownList() {
		u.Diagnostics = append(u.Diagnostics, source.Diagnostic{File: opt.Path, Severity: source.Warning,
			Message: e + "; not included", Check: "unknown-event"})
	}
	return u
}

// accountOf returns the account of a principal ARN, or a parameter when
// the ARN has none.
func accountOf(principal string) string {
	if a, err := arn.Parse(principal); err == nil && a.Account != "" {
		return a.Account
	}
	return "{{AccountId}}"
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
