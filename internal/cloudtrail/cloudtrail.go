// Package cloudtrail reads AWS CloudTrail logs: the {"Records": [...]} files
// that CloudTrail delivers to S3 (gzipped or not, in directories), and the
// output of `aws cloudtrail lookup-events` ({"Events": [{"CloudTrailEvent":
// "..."}]}). Records are streamed one at a time, so memory stays bounded
// whatever the size of the input; corrupt or truncated files are reported
// and skipped. It also writes the Athena query that aggregates a
// principal's calls and reads its CSV result, and writes synthetic logs
// for tests and benchmarks. What the calls need is package usage's
// business.
package cloudtrail

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"time"
)

// Record is the part of a CloudTrail event iamfit uses.
type Record struct {
	EventTime        time.Time    `json:"eventTime"`
	EventSource      string       `json:"eventSource"`
	EventName        string       `json:"eventName"`
	AWSRegion        string       `json:"awsRegion"`
	ErrorCode        string       `json:"errorCode"`
	ErrorMessage     string       `json:"errorMessage"`
	RecipientAccount string       `json:"recipientAccountId"`
	UserIdentity     UserIdentity `json:"userIdentity"`
	// RawParameters are the request parameters as logged; Params decodes
	// them on first use, as most records are never asked for them.
	RawParameters json.RawMessage `json:"requestParameters"`
	params        map[string]any
	Resources     []Resource `json:"resources"`
	size          int        // of the raw JSON, to bound what a reader holds
}

// Resource is one of the resources an event names.
type Resource struct {
	ARN       string `json:"ARN"`
	Type      string `json:"type"`
	AccountID string `json:"accountId"`
}

// UserIdentity is the caller of an event.
type UserIdentity struct {
	Type             string `json:"type"`
	PrincipalID      string `json:"principalId"`
	ARN              string `json:"arn"`
	AccountID        string `json:"accountId"`
	UserName         string `json:"userName"`
	IdentityProvider string `json:"identityProvider"`
	SessionContext   struct {
		SessionIssuer struct {
			ARN string `json:"arn"`
		} `json:"sessionIssuer"`
	} `json:"sessionContext"`
}

// deniedCodes are the error codes of authorization failures.
var deniedCodes = []string{"AccessDenied", "AccessDeniedException", "UnauthorizedOperation", "Client.UnauthorizedOperation",
	"UnauthorizedException", "AuthorizationError", "Forbidden"}

// Denied reports whether the event is an authorization failure.
func (r *Record) Denied() bool {
	return r.ErrorCode != "" && slices.Contains(deniedCodes, r.ErrorCode)
}

// Params returns the request parameters (nil when the event has none or
// they are not an object).
func (r *Record) Params() map[string]any {
	if r.params == nil && len(r.RawParameters) > 0 {
		if err := json.Unmarshal(r.RawParameters, &r.params); err != nil || r.params == nil {
			r.params = map[string]any{}
		}
	}
	return r.params
}

// Param returns a string request parameter, or "".
func (r *Record) Param(name string) string {
	if v, ok := r.Params()[name].(string); ok {
		return v
	}
	return ""
}

// Stats counts what a read saw.
type Stats struct {
	// Files and Records count the files read whole and their records:
	// the records delivered, and those a filter rejected.
	Files, Records int
	// Skipped lists the files and directories that could not be read
	// whole, in name order; none of their records was delivered.
	// SkippedRecords counts the records seen in skipped files before the
	// damage.
	Skipped        []Skip
	SkippedRecords int
	Bytes          int64
}

// Skip is a file or directory not read whole, with where (Line and Col
// in the decompressed JSON, 0 when the damage has no position) and why.
type Skip struct {
	Path      string
	Line, Col int
	Why       string
}

// String formats s as "path:line:col: why" or "path: why".
func (s Skip) String() string {
	if s.Line > 0 {
		return fmt.Sprintf("%s:%d:%d: %s", s.Path, s.Line, s.Col, s.Why)
	}
	return s.Path + ": " + s.Why
}

// Read streams the records of every log file under path (a file or a
// directory) to fn. Files are read in name order. A file that cannot be
// read whole (corrupt gzip, a failed checksum, truncated or corrupt JSON)
// contributes no record: it is listed in Stats.Skipped with the position
// of the damage. A directory that cannot be read and a file that is not a
// regular file are listed there too. fn returning an error stops the
// read.
func Read(path string, fn func(*Record) error) (Stats, error) {
	return ReadFiltered(path, nil, fn)
}

// A Filter sees each record's raw JSON before it is decoded; records it
// rejects are counted but not decoded, which makes reading logs for one
// principal or for errors several times faster. A filter must not keep
// raw. Filters match bytes as CloudTrail writes them: it does not escape
// "/" or non-ASCII in its strings.
type Filter func(raw []byte) bool

// ReadFiltered is Read with a filter; a nil filter keeps every record.
func ReadFiltered(path string, keep Filter, fn func(*Record) error) (Stats, error) {
	return (&Reader{Keep: keep}).Read(path, fn)
}

type stopError struct{ err error }

func (e stopError) Error() string { return e.err.Error() }

// offsetIn returns the offset encoding/json gives for an error inside a
// record, or 0 (the record's start).
func offsetIn(err error) int {
	var se *json.SyntaxError
	var te *json.UnmarshalTypeError
	switch {
	case errors.As(err, &se):
		return int(max(se.Offset-1, 0))
	case errors.As(err, &te):
		return int(max(te.Offset-1, 0))
	}
	return 0
}

// IsGzip reports whether data starts with the gzip magic number.
func IsGzip(data []byte) bool { return bytes.HasPrefix(data, []byte{0x1f, 0x8b}) }
