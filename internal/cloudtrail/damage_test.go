package cloudtrail

import (
	"bytes"
	"compress/gzip"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"syscall"
	"testing"
)

func gzipped(t testing.TB, data []byte) []byte {
	var b bytes.Buffer
	zw := gzip.NewWriter(&b)
	zw.Write(data)
	zw.Close()
	return b.Bytes()
}

func readAll(t *testing.T, rd *Reader, path string) (Stats, []string) {
	t.Helper()
	var names []string
	st, err := rd.Read(path, func(r *Record) error {
		names = append(names, r.EventName)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return st, names
}

// TestDamagedFilesContributeNothing: a file reported as skipped gives no
// record, whatever the damage and wherever it is, and the skip names the
// file and the position.
func TestDamagedFilesContributeNothing(t *testing.T) {
	good := synthetic(t, 30)
	badCRC := gzipped(t, good)
	badCRC[len(badCRC)-8] ^= 0xff // the CRC-32 of the only member
	second := append(gzipped(t, good[:len(good)/2]), gzipped(t, good[len(good)/2:])...)
	second[len(second)-7] ^= 0x01 // the CRC-32 of the second member
	cases := map[string]struct {
		data []byte
		want string // in the skip
	}{
		"truncated.json":      {good[:len(good)-100], "truncated record"},
		"crc.json.gz":         {badCRC, "checksum"},
		"member.json.gz":      {second, "checksum"},
		"nocomma.json":        {[]byte(`{"Records":[{"eventName":"A"}{"eventName":"B"}]}`), "1:30: "},
		"badrecord.json":      {bytes.Replace(good, []byte(`"eventName":`), []byte(`"eventName"`), 5), "corrupt"},
		"trailing.json":       {append(append([]byte{}, good...), []byte(`{"Records":[]}`)...), "data after the log object"},
		"unclosed.json":       {bytes.TrimSuffix(bytes.TrimSpace(good), []byte("}")), "not closed"},
		"events-nocomma.json": {[]byte(`{"Events":[{"CloudTrailEvent":"{}"} {"CloudTrailEvent":"{}"}]}`), "want ',' or ']'"},
	}
	for name, c := range cases {
		t.Run(name, func(t *testing.T) {
			for _, held := range []int{0, 100} { // held 100: the two-pass read
				dir := t.TempDir()
				os.WriteFile(filepath.Join(dir, "ok.json"), good, 0o644)
				os.WriteFile(filepath.Join(dir, name), c.data, 0o644)
				st, names := readAll(t, &Reader{held: held}, dir)
				if len(names) != 30 || st.Records != 30 || st.Files != 1 {
					t.Errorf("held %d: %d records delivered, stats %d records in %d files; want only ok.json's 30", held, len(names), st.Records, st.Files)
				}
				if len(st.Skipped) != 1 || !strings.Contains(st.Skipped[0].String(), name+":") || !strings.Contains(st.Skipped[0].String(), c.want) {
					t.Errorf("held %d: skipped %q, want %s with %q", held, st.Skipped, name, c.want)
				}
			}
		})
	}
}

// TestUnreadableEntries: a directory that cannot be listed and a FIFO
// are counted as skipped; the FIFO is never opened (the read would
// block).
func TestUnreadableEntries(t *testing.T) {
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "a.json"), synthetic(t, 5), 0o644)
	locked := filepath.Join(dir, "2026", "12")
	os.MkdirAll(locked, 0o755)
	os.WriteFile(filepath.Join(locked, "b.json"), synthetic(t, 5), 0o644)
	os.Chmod(locked, 0)
	t.Cleanup(func() { os.Chmod(locked, 0o755) })
	if err := syscall.Mkfifo(filepath.Join(dir, "fifo.json"), 0o644); err != nil {
		t.Skip(err)
	}
	os.Symlink("/dev/zero", filepath.Join(dir, "zero.json.gz"))
	st, names := readAll(t, &Reader{}, dir)
	wantSkips := 2
	if os.Geteuid() != 0 { // root lists the directory anyway
		wantSkips = 3
	}
	if len(st.Skipped) != wantSkips || len(names) != 5*(1+3-wantSkips) {
		t.Errorf("skipped %q, %d records", st.Skipped, len(names))
	}
	for _, sk := range st.Skipped {
		s := sk.String()
		if !strings.Contains(s, "fifo.json") && !strings.Contains(s, "zero.json.gz") && !strings.Contains(s, "12: cannot be read") {
			t.Errorf("skipped %s", s)
		}
	}
}

// TestLookupEventsStreamed: lookup-events output is parsed as it is read,
// members in any order; an event larger than the limit is an error, not
// an allocation of the whole input.
func TestLookupEventsStreamed(t *testing.T) {
	var b bytes.Buffer
	if err := Synthetic(&b, SyntheticOptions{Records: 200, Seed: 3, Lookup: true}); err != nil {
		t.Fatal(err)
	}
	n := 0
	if _, err := Decode(bytes.NewReader(b.Bytes()), func(r *Record) error {
		if r.EventName == "" || r.EventSource == "" {
			t.Fatalf("record %d: %+v", n, r)
		}
		n++
		return nil
	}); err != nil || n != 200 {
		t.Fatalf("%d records, %v", n, err)
	}
	// One event of 100 MiB: rejected at the limit.
	huge := repeatInput(`{"NextToken":null,"Events":[{"CloudTrailEvent":"`, "a", 100<<20)
	_, err := Decode(huge, func(*Record) error { return nil })
	if err == nil || !strings.Contains(err.Error(), "larger than 64 MiB") {
		t.Errorf("huge event: %v", err)
	}
}

// repeatReader is head followed by n copies of s.
type repeatReader struct {
	head []byte
	s    string
	n    int
}

func repeatInput(head, s string, n int) *repeatReader {
	return &repeatReader{head: []byte(head), s: s, n: n}
}

func (r *repeatReader) Read(p []byte) (int, error) {
	if len(r.head) > 0 {
		k := copy(p, r.head)
		r.head = r.head[k:]
		return k, nil
	}
	if r.n <= 0 {
		return 0, io.EOF
	}
	k := 0
	for k+len(r.s) <= len(p) && r.n > 0 {
		k += copy(p[k:], r.s)
		r.n--
	}
	return k, nil
}

// TestManyFilesNoResidue: reading many small files keeps nothing per
// file: the live heap during the read of 10,000 files is the workers'
// buffers, a few MB, not a share of every file.
func TestManyFilesNoResidue(t *testing.T) {
	if testing.Short() {
		t.Skip("writes 10,000 files")
	}
	dir := t.TempDir()
	data := gzipped(t, synthetic(t, 3))
	const files = 10000
	for i := range files {
		os.WriteFile(filepath.Join(dir, fmt.Sprintf("%05d.json.gz", i)), data, 0o644)
	}
	live := func() uint64 {
		runtime.GC()
		var ms runtime.MemStats
		runtime.ReadMemStats(&ms)
		return ms.HeapAlloc
	}
	before := live()
	n := 0
	var peak uint64
	st, err := (&Reader{Workers: 2}).Read(dir, func(*Record) error {
		if n++; n%3000 == 0 {
			peak = max(peak, live())
		}
		return nil
	})
	if err != nil || st.Files != files {
		t.Fatal(st, err)
	}
	// The list of names is 10,000 x about 80 bytes.
	if grown := peak - min(peak, before); grown > 6<<20 {
		t.Errorf("live heap grew by %d KB during the read of %d files", grown>>10, files)
	}
}

// FuzzCloudTrailEvent checks the fast reading of a lookup-events event
// against encoding/json: the same record, found or not, error or not.
func FuzzCloudTrailEvent(f *testing.F) {
	var b bytes.Buffer
	Synthetic(&b, SyntheticOptions{Records: 3, Seed: 5, Lookup: true})
	data := b.Bytes()
	for _, ev := range bytes.Split(data[bytes.IndexByte(data, '[')+1:], []byte("\n,")) {
		f.Add(bytes.TrimSpace(bytes.TrimSuffix(bytes.TrimSpace(ev), []byte(`],"NextToken":null}`))))
	}
	f.Add([]byte(`{"cloudtrailevent":"{\"a\":\"\\u00e9\"}","CloudTrailEvent":null}`))
	f.Add([]byte(`{"CloudTrailEvent":"a\tb","x":tru}`))
	f.Fuzz(func(t *testing.T, raw []byte) {
		var want struct {
			CloudTrailEvent *string `json:"CloudTrailEvent"`
		}
		errW := json.Unmarshal(raw, &want)
		got, found, err := cloudTrailEvent(raw, nil)
		if (err == nil) != (errW == nil) {
			t.Fatalf("error %v, encoding/json %v", err, errW)
		}
		if err != nil {
			return
		}
		if found != (want.CloudTrailEvent != nil) || found && string(got) != *want.CloudTrailEvent {
			t.Fatalf("got %q (%v), encoding/json %v", got, found, want.CloudTrailEvent)
		}
	})
}

// BenchmarkDecodeLookup measures reading lookup-events output (MB/s of
// the output's JSON).
func BenchmarkDecodeLookup(b *testing.B) {
	var buf bytes.Buffer
	if err := Synthetic(&buf, SyntheticOptions{Records: 20000, Seed: 1, Lookup: true}); err != nil {
		b.Fatal(err)
	}
	data := buf.Bytes()
	b.SetBytes(int64(len(data)))
	for b.Loop() {
		if _, err := Decode(bytes.NewReader(data), func(*Record) error { return nil }); err != nil {
			b.Fatal(err)
		}
	}
}

// FuzzValid checks valid against json.Valid.
func FuzzValid(f *testing.F) {
	for _, s := range []string{`{"a":[1,-0.5e+3,true,false,null,"\u00e9\n"]}`, `{"a":1,}`, `[01]`, `"\x01"`, `{"a" 1}`, `-`, `1.`, `{"\ud800":"\/"}`, "\"\xff\""} {
		f.Add([]byte(s))
	}
	f.Add(synthetic(f, 2))
	f.Fuzz(func(t *testing.T, b []byte) {
		if got, want := valid(b), json.Valid(b); got != want {
			t.Fatalf("valid %v, json.Valid %v", got, want)
		}
	})
}

func BenchmarkValid(b *testing.B) {
	data := synthetic(b, 5000)
	b.Run("valid", func(b *testing.B) {
		b.SetBytes(int64(len(data)))
		for b.Loop() {
			if !valid(data) {
				b.Fatal("invalid")
			}
		}
	})
	b.Run("json.Valid", func(b *testing.B) {
		b.SetBytes(int64(len(data)))
		for b.Loop() {
			if !json.Valid(data) {
				b.Fatal("invalid")
			}
		}
	})
}
