package cloudtrail

import (
	"bytes"
	"compress/gzip"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"
)

func synthetic(t testing.TB, n int) []byte {
	var b bytes.Buffer
	if err := Synthetic(&b, SyntheticOptions{Records: n, Seed: 1}); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func TestReadFormats(t *testing.T) {
	dir := t.TempDir()
	plain := synthetic(t, 50)
	os.WriteFile(filepath.Join(dir, "a.json"), plain, 0o644)
	var gz bytes.Buffer
	zw := gzip.NewWriter(&gz)
	zw.Write(plain)
	zw.Close()
	os.MkdirAll(filepath.Join(dir, "2026", "11"), 0o755)
	os.WriteFile(filepath.Join(dir, "2026", "11", "b.json.gz"), gz.Bytes(), 0o644)
	lookup := `{"Events": [{"EventId": "1", "CloudTrailEvent": "{\"eventSource\":\"ecs.amazonaws.com\",\"eventName\":\"UpdateService\",\"awsRegion\":\"us-east-1\",\"recipientAccountId\":\"123456789012\",\"userIdentity\":{\"arn\":\"arn:aws:sts::123456789012:assumed-role/r/s\"},\"requestParameters\":{\"cluster\":\"prod\",\"service\":\"web\"}}"}], "NextToken": null}`
	os.WriteFile(filepath.Join(dir, "c.json"), []byte(lookup), 0o644)
	os.WriteFile(filepath.Join(dir, "d.json"), plain[:len(plain)/2], 0o644)           // truncated
	os.WriteFile(filepath.Join(dir, "e.json.gz"), []byte{0x1f, 0x8b, 1, 2, 3}, 0o644) // corrupt
	n := 0
	st, err := Read(dir, func(r *Record) error { n++; return nil })
	if err != nil {
		t.Fatal(err)
	}
	if st.Files != 3 || len(st.Skipped) != 2 {
		t.Errorf("files %d, skipped %v", st.Files, st.Skipped)
	}
	if n != 50+50+1 || n != st.Records {
		t.Errorf("records %d (stats %d)", n, st.Records)
	}
	for _, sk := range st.Skipped {
		if s := sk.String(); !strings.Contains(s, "d.json") && !strings.Contains(s, "e.json.gz") {
			t.Errorf("skipped %s", s)
		}
	}
}

func writeTemp(t testing.TB, data []byte) string {
	p := filepath.Join(t.TempDir(), "log.json")
	if err := os.WriteFile(p, data, 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

// FuzzDecode checks that no input panics, and that the streaming parser
// agrees with encoding/json's decoder: same records, and an error
// exactly when the decoder finds one.
func FuzzDecode(f *testing.F) {
	f.Add(synthetic(f, 3))
	f.Add([]byte(`{"Events":[{"CloudTrailEvent":"{}"}]}`))
	f.Add([]byte(`{"Records":[{"eventName":"a\"}]"},{}],"x":1}`))
	f.Add([]byte(`{"Records":[{"eventName":"a"}`))
	f.Add([]byte(`{"Records":[{}{}]}`))
	f.Add([]byte(`{"NextToken":"x","Events":[{"CloudTrailEvent":"{\"eventName\":\"e\"}"},{"CloudTrailEvent":"{}"}],"Records":[{"eventName":"r"}]}`))
	f.Add([]byte(`{"Rec\u006frds":[{"eventName":"a"},{}],"x":[1,"]",{"y":null}],"z":-1.5e3}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		var fast, general []string
		nf, errF := Decode(bytes.NewReader(data), func(r *Record) error {
			fast = append(fast, r.EventName)
			return nil
		})
		ng, errG := decodeReference(bytes.NewReader(data), nil, func(r *Record) error {
			general = append(general, r.EventName)
			return nil
		})
		if (errF == nil) != (errG == nil) {
			t.Fatalf("fast err %v, general err %v", errF, errG)
		}
		if errF == nil && (nf != ng || strings.Join(fast, "\x00") != strings.Join(general, "\x00")) {
			t.Fatalf("fast %d %q, general %d %q", nf, fast, ng, general)
		}
	})
}

// BenchmarkDecode measures reading uncompressed CloudTrail JSON, every
// record decoded (MB/s).
func BenchmarkDecode(b *testing.B) {
	data := synthetic(b, 20000)
	b.SetBytes(int64(len(data)))
	for b.Loop() {
		if _, err := Decode(bytes.NewReader(data), func(*Record) error { return nil }); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkDecodeFiltered measures reading for one principal (generate
// --cloudtrail) and for errors (explain --cloudtrail): records the filter
// rejects are split out but not decoded.
func BenchmarkDecodeFiltered(b *testing.B) {
	data := synthetic(b, 20000)
	for _, bm := range []struct {
		name string
		keep Filter
	}{
		{"principal", Containing("arn:aws:iam::123456789012:role/analytics")},
		{"errors", Containing(`"errorCode"`)},
	} {
		b.Run(bm.name, func(b *testing.B) {
			b.SetBytes(int64(len(data)))
			for b.Loop() {
				if _, err := decode(bytes.NewReader(data), nil, bm.keep, func(*Record) error { return nil }); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// FuzzAthenaCSV: no input panics; rows read are never more than lines.
func FuzzAthenaCSV(f *testing.F) {
	f.Add([]byte("\"eventsource\",\"eventname\",\"awsregion\",\"recipientaccountid\",\"errorcode\",\"requestparameters\",\"resources\",\"calls\",\"first_seen\",\"last_seen\"\n" +
		"\"s3.amazonaws.com\",\"GetObject\",\"us-east-1\",\"1\",\"\",\"{\"\"bucketName\"\":\"\"b\"\"}\",\"\",\"3\",\"2026-11-01T00:00:00Z\",\"2026-11-01 00:10:00.000\"\n"))
	f.Add([]byte("eventsource,eventname\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		n, _ := ReadAthenaCSV(bytes.NewReader(data), "arn:aws:iam::1:role/x", func(r *Record, calls int, first, last time.Time) error {
			if calls < 1 {
				t.Fatalf("calls %d", calls)
			}
			r.Params()
			return nil
		})
		if n > bytes.Count(data, []byte("\n"))+1 {
			t.Fatalf("%d rows from %d lines", n, bytes.Count(data, []byte("\n"))+1)
		}
	})
}

// FuzzRecord checks decodeRecord against json.Unmarshal: whenever
// encoding/json decodes a record, decodeRecord decodes the same.
func FuzzRecord(f *testing.F) {
	data := synthetic(f, 40)
	for _, rec := range bytes.Split(data[bytes.IndexByte(data, '[')+1:], []byte("\n,")) {
		f.Add(bytes.TrimSpace(rec))
	}
	f.Add([]byte(`{"EVENTNAME":"x","eventName":"y","userIdentity":{"arn":"a"},"userIdentity":{"type":"t"},"requestParameters":null}`))
	f.Add([]byte(`{"eventName":"a\u00e9\"b","eventTime":null,"resources":[{"ARN":"arn:aws:s3:::b"}],"x":[1,{"y":"}"}]}`))
	f.Add([]byte(`{"resources":[{"ARN":"a","type":"t"},{"accountId":"1"}],"resources":[{"ARN":"b"}]}`))
	f.Add([]byte(`{"resources":[],"resources":null}`))
	f.Fuzz(func(t *testing.T, raw []byte) {
		var want Record
		if err := json.Unmarshal(raw, &want); err != nil {
			return
		}
		var got Record
		if err := decodeRecord(raw, &got); err != nil {
			t.Fatalf("decodeRecord: %v; encoding/json accepts it", err)
		}
		if !reflect.DeepEqual(got, want) {
			t.Fatalf("decodeRecord:\n%+v\nencoding/json:\n%+v", got, want)
		}
	})
}

// TestErrorPositions: a damaged record deep in a file, past several
// buffer refills, is reported at its line and column.
func TestErrorPositions(t *testing.T) {
	data := synthetic(t, 5000) // several MB: the splitter refills and compacts
	lines := bytes.Split(data, []byte("\n"))
	const target = 4000
	// Damage one record: drop the colon after its first key.
	i := bytes.Index(lines[target], []byte(`":`))
	if i < 0 {
		t.Fatalf("line %d has no member: %q", target+1, lines[target])
	}
	lines[target] = append(append(append([]byte{}, lines[target][:i+1]...), ' '), lines[target][i+2:]...)
	bad := bytes.Join(lines, []byte("\n"))
	n, err := Decode(bytes.NewReader(bad), func(*Record) error { return nil })
	var pe *PosError
	if !errors.As(err, &pe) {
		t.Fatalf("error %v (%T), want a *PosError", err, err)
	}
	if pe.Line != target+1 || pe.Col != i+3 {
		t.Errorf("position %d:%d, want %d:%d (%v)", pe.Line, pe.Col, target+1, i+3, err)
	}
	if n < target-2 || n > target {
		t.Errorf("%d records before the damage, want about %d", n, target-1)
	}

	// Truncated: at the start of the record that never ends.
	cut := data[:len(data)-200]
	_, err = Decode(bytes.NewReader(cut), func(*Record) error { return nil })
	if !errors.As(err, &pe) || pe.Col != 2 || !strings.Contains(err.Error(), "truncated record") {
		t.Errorf("truncated: %v", err)
	}
}

// decodeReference decodes a log document with encoding/json's streaming
// decoder, as decode did before it had its own parser: FuzzDecode checks
// that the two agree.
func decodeReference(r io.Reader, keep Filter, fn func(*Record) error) (int, error) {
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
					if raw[0] != '{' {
						return n, fmt.Errorf("record %d is not an object", n+1)
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
					var raw json.RawMessage
					if err := dec.Decode(&raw); err != nil {
						return n, fmt.Errorf("truncated or corrupt event %d: %w", n+1, err)
					}
					if raw[0] != '{' {
						return n, fmt.Errorf("event %d is not an object", n+1)
					}
					if err := json.Unmarshal(raw, &ev); err != nil {
						return n, fmt.Errorf("corrupt event %d: %w", n+1, err)
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
