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
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"github.com/klauspost/compress/gzip"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"sync/atomic"
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
	Files, Records int
	// Skipped lists the files that could not be read, with why.
	Skipped []string
	Bytes   int64
}

// Read streams the records of every log file under path (a file or a
// directory) to fn. Files are read in name order. A file that cannot be
// read (corrupt gzip, truncated JSON) is counted in Stats.Skipped with its
// records up to the damage delivered; fn returning an error stops the read.
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

func logFiles(path string) ([]string, error) {
	info, err := os.Stat(path)
	if err != nil {
		return nil, err
	}
	if !info.IsDir() {
		return []string{path}, nil
	}
	var out []string
	err = filepath.WalkDir(path, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return nil
		}
		if !d.IsDir() && (strings.HasSuffix(p, ".json") || strings.HasSuffix(p, ".json.gz") || strings.HasSuffix(p, ".gz")) {
			out = append(out, p)
		}
		return nil
	})
	sort.Strings(out)
	return out, err
}

// countingReader counts the bytes read through it.
type countingReader struct {
	r io.Reader
	n *atomic.Int64
}

func (c countingReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.n.Add(int64(n))
	return n, err
}

func readFile(name string, bytesRead *atomic.Int64, keep Filter, fn func(*Record) error) (int, error) {
	f, err := os.Open(name)
	if err != nil {
		return 0, err
	}
	defer f.Close()
	br := bufio.NewReaderSize(f, 256<<10)
	var r io.Reader = br
	if head, err := br.Peek(2); err == nil && head[0] == 0x1f && head[1] == 0x8b {
		zr, err := gzip.NewReader(br)
		if err != nil {
			return 0, fmt.Errorf("gzip: %w", err)
		}
		defer zr.Close()
		r = zr
	}
	return decode(countingReader{r, bytesRead}, keep, fn)
}

// decode takes the fast path for files as S3 delivers them, and the
// general decoder otherwise.
func decode(r io.Reader, keep Filter, fn func(*Record) error) (int, error) {
	head := make([]byte, 64)
	n, err := io.ReadFull(r, head)
	head = head[:n]
	if err != nil && err != io.ErrUnexpectedEOF && err != io.EOF {
		return 0, err
	}
	skip, ok := recordsPrefix(head)
	if !ok {
		return decodeGeneral(io.MultiReader(bytes.NewReader(head), r), keep, fn)
	}
	s := newSplitter(r, head, skip)
	var dec recordDecoder
	count := 0
	for {
		raw, err := s.next()
		if err != nil {
			var pe *PosError
			if errors.As(err, &pe) {
				pe.Err = fmt.Errorf("truncated or corrupt JSON after %d records: %w", count, pe.Err)
				return count, pe
			}
			return count, fmt.Errorf("truncated or corrupt JSON after %d records: %w", count, err)
		}
		if raw == nil {
			break
		}
		count++
		if keep != nil && !keep(raw) {
			continue
		}
		var rec Record
		if err := dec.decode(raw, &rec); err != nil {
			return count - 1, s.errAt(s.recStart+offsetIn(err), fmt.Errorf("corrupt record %d: %w", count, err))
		}
		if err := fn(&rec); err != nil {
			return count, stopError{err}
		}
	}
	return count, s.rest()
}

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

// Decode streams the records of one log document: {"Records": [...]} or
// the JSON of aws cloudtrail lookup-events ({"Events": [...]}).
func Decode(r io.Reader, fn func(*Record) error) (int, error) {
	return decode(r, nil, fn)
}

// decodeGeneral decodes any log document with encoding/json's streaming
// decoder.
func decodeGeneral(r io.Reader, keep Filter, fn func(*Record) error) (int, error) {
	dec := json.NewDecoder(r)
	tok, err := dec.Token()
	if err != nil {
		return 0, fmt.Errorf("not JSON: %w", err)
	}
	if d, ok := tok.(json.Delim); !ok || d != '{' {
		return 0, errors.New("not a CloudTrail log: want a JSON object with Records or Events")
	}
	n := 0
	for dec.More() {
		keyTok, err := dec.Token()
		if err != nil {
			return n, fmt.Errorf("truncated or corrupt JSON after %d records: %w", n, err)
		}
		key, _ := keyTok.(string)
		switch key {
		case "Records", "Events":
			tok, err := dec.Token()
			if err != nil {
				return n, fmt.Errorf("truncated or corrupt JSON: %w", err)
			}
			if d, ok := tok.(json.Delim); !ok || d != '[' {
				return n, fmt.Errorf("%s must be a list", key)
			}
			for dec.More() {
				var rec Record
				if key == "Records" {
					var raw json.RawMessage
					if err := dec.Decode(&raw); err != nil {
						return n, fmt.Errorf("truncated or corrupt record %d: %w", n+1, err)
					}
					if keep != nil && !keep(raw) {
						n++
						continue
					}
					if err := json.Unmarshal(raw, &rec); err != nil {
						return n, fmt.Errorf("corrupt record %d: %w", n+1, err)
					}
				} else {
					var ev struct {
						CloudTrailEvent string `json:"CloudTrailEvent"`
					}
					if err := dec.Decode(&ev); err != nil {
						return n, fmt.Errorf("truncated or corrupt event %d: %w", n+1, err)
					}
					if keep != nil && !keep([]byte(ev.CloudTrailEvent)) {
						n++
						continue
					}
					if err := json.Unmarshal([]byte(ev.CloudTrailEvent), &rec); err != nil {
						return n, fmt.Errorf("event %d: CloudTrailEvent is not a record: %w", n+1, err)
					}
				}
				n++
				if err := fn(&rec); err != nil {
					return n, stopError{err}
				}
			}
			if _, err := dec.Token(); err != nil {
				return n, fmt.Errorf("truncated or corrupt JSON after %d records: %w", n, err)
			}
		default:
			var skip json.RawMessage
			if err := dec.Decode(&skip); err != nil {
				return n, fmt.Errorf("truncated or corrupt JSON: %w", err)
			}
		}
	}
	if _, err := dec.Token(); err != nil {
		return n, fmt.Errorf("truncated JSON: %w", err)
	}
	if _, err := dec.Token(); err != io.EOF {
		return n, errors.New("corrupt JSON: data after the log object")
	}
	return n, nil
}

// IsGzip reports whether data starts with the gzip magic number.
func IsGzip(data []byte) bool { return bytes.HasPrefix(data, []byte{0x1f, 0x8b}) }
