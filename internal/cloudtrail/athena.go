package cloudtrail

import (
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"time"
)

// AthenaQuery describes the usage query for Athena's CloudTrail table.
type AthenaQuery struct {
	Table     string // default cloudtrail_logs
	Principal string // role or user ARN
	// Since and Until bound eventtime (RFC 3339); Back, when set, is a
	// duration back from the query's run time instead of Since.
	Since, Until time.Time
	Back         time.Duration
}

var tableName = sync.OnceValue(func() *regexp.Regexp {
	return regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)?$`)
})

func sqlString(s string) string { return "'" + strings.ReplaceAll(s, "'", "''") + "'" }

// SQL returns the Athena (Trino) query that aggregates the principal's
// calls the way Aggregator does: one row per distinct event, region,
// account, error, request parameters (top-level values only; nested
// objects such as container definitions are dropped) and resources, with
// the call count and time span. Its CSV result is what ReadAthenaCSV
// reads. The columns follow the CloudTrail table of the Athena user guide
// ("Create a table for CloudTrail logs in Athena using manual
// partitioning").
func (q AthenaQuery) SQL() (string, error) {
	table := q.Table
	if table == "" {
		table = "cloudtrail_logs"
	}
	if !tableName().MatchString(table) {
		return "", fmt.Errorf("table %q: want a name such as cloudtrail_logs or db.cloudtrail_logs", table)
	}
	if !strings.HasPrefix(q.Principal, "arn:") || strings.ContainsAny(q.Principal, "'\\\n\r") {
		return "", fmt.Errorf("principal %q: want a role or user ARN", q.Principal)
	}
	var codes []string
	for _, c := range deniedCodes {
		codes = append(codes, sqlString(c))
	}
	where := []string{
		fmt.Sprintf("(useridentity.sessioncontext.sessionissuer.arn = %s OR useridentity.arn = %s)", sqlString(q.Principal), sqlString(q.Principal)),
		"(errorcode IS NULL OR errorcode IN (" + strings.Join(codes, ", ") + "))",
	}
	switch {
	case q.Back > 0:
		hours := int64(math.Ceil(q.Back.Hours()))
		where = append(where, fmt.Sprintf("from_iso8601_timestamp(eventtime) >= current_timestamp - INTERVAL '%d' HOUR", hours))
	case !q.Since.IsZero():
		where = append(where, "eventtime >= "+sqlString(q.Since.UTC().Format("2006-01-02T15:04:05Z")))
	}
	if !q.Until.IsZero() {
		where = append(where, "eventtime < "+sqlString(q.Until.UTC().Format("2006-01-02T15:04:05Z")))
	}
	return fmt.Sprintf(`-- iamfit: the calls of %s, aggregated for iamfit generate --cloudtrail RESULT.csv.
-- Add the table's partition columns (region, year, month, day) to the WHERE
-- clause to scan less.
SELECT
  eventsource,
  eventname,
  awsregion,
  recipientaccountid,
  errorcode,
  json_format(CAST(map_filter(TRY(CAST(json_parse(requestparameters) AS MAP(VARCHAR, JSON))),
    (k, v) -> is_json_scalar(v) OR (json_array_length(v) IS NOT NULL AND strpos(json_format(v), '{') = 0)) AS JSON)) AS requestparameters,
  array_join(transform(resources, r -> r.arn), ' ') AS resources,
  count(*) AS calls,
  min(eventtime) AS first_seen,
  max(eventtime) AS last_seen
FROM %s
WHERE %s
GROUP BY 1, 2, 3, 4, 5, 6, 7
ORDER BY 1, 2, 3, 4, 5, 6, 7
`, q.Principal, table, strings.Join(where, "\n  AND ")), nil
}

// athenaColumns are the columns SQL selects, in order.
var athenaColumns = []string{"eventsource", "eventname", "awsregion", "recipientaccountid", "errorcode",
	"requestparameters", "resources", "calls", "first_seen", "last_seen"}

// IsAthenaCSV reports whether data starts like the result of SQL.
func IsAthenaCSV(head []byte) bool {
	line, _, _ := strings.Cut(string(head), "\n")
	line = strings.ReplaceAll(strings.TrimSpace(line), `"`, "")
	return strings.HasPrefix(line, "eventsource,eventname,")
}

// ReadAthenaCSV reads the CSV result of SQL and gives each row to fn as a
// record standing for calls events between first and last. The principal
// is not a column: the query selected it. Errors name the row.
func ReadAthenaCSV(r io.Reader, principal string, fn func(r *Record, calls int, first, last time.Time) error) (int, error) {
	cr := csv.NewReader(r)
	cr.ReuseRecord = true
	header, err := cr.Read()
	if err != nil {
		return 0, fmt.Errorf("1:1: not an Athena CSV result: %w", err)
	}
	col := map[string]int{}
	for i, h := range header {
		col[strings.ToLower(strings.TrimSpace(h))] = i
	}
	for _, c := range athenaColumns {
		if _, ok := col[c]; !ok {
			return 0, fmt.Errorf("1:1: not the result of iamfit's Athena query: no column %q (run iamfit generate --cloudtrail-athena-sql)", c)
		}
	}
	rows := 0
	for {
		row, err := cr.Read()
		if errors.Is(err, io.EOF) {
			return rows, nil
		}
		if err != nil {
			return rows, err // csv errors carry the line and column
		}
		rows++
		get := func(c string) string { return row[col[c]] }
		rec := &Record{EventSource: get("eventsource"), EventName: get("eventname"), AWSRegion: get("awsregion"),
			RecipientAccount: get("recipientaccountid"), ErrorCode: get("errorcode")}
		rec.UserIdentity.ARN = principal
		if p := get("requestparameters"); p != "" {
			if !json.Valid([]byte(p)) {
				line, c := cr.FieldPos(col["requestparameters"])
				return rows, fmt.Errorf("%d:%d: requestparameters is not JSON", line, c)
			}
			rec.RawParameters = json.RawMessage(strings.Clone(p))
		}
		for _, a := range strings.Fields(get("resources")) {
			rec.Resources = append(rec.Resources, Resource{ARN: a})
		}
		calls, err := strconv.Atoi(get("calls"))
		if err != nil || calls < 1 {
			line, c := cr.FieldPos(col["calls"])
			return rows, fmt.Errorf("%d:%d: calls %q is not a positive count", line, c, get("calls"))
		}
		first, err1 := parseAthenaTime(get("first_seen"))
		last, err2 := parseAthenaTime(get("last_seen"))
		if err1 != nil || err2 != nil {
			line, c := cr.FieldPos(col["first_seen"])
			return rows, fmt.Errorf("%d:%d: first_seen/last_seen are not times: %v", line, c, errors.Join(err1, err2))
		}
		rec.EventTime = last
		if err := fn(rec, calls, first, last); err != nil {
			return rows, err
		}
	}
}

func parseAthenaTime(s string) (time.Time, error) {
	for _, layout := range []string{time.RFC3339, "2006-01-02 15:04:05.000", "2006-01-02 15:04:05.000 UTC"} {
		if t, err := time.Parse(layout, s); err == nil {
			return t, nil
		}
	}
	return time.Time{}, fmt.Errorf("%q", s)
}
