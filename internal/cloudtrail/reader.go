package cloudtrail

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"sort"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/klauspost/compress/gzip"
)

// Progress is updated as a read goes, for a progress indicator in
// another goroutine.
type Progress struct {
	Bytes   atomic.Int64 // decompressed bytes read
	Records atomic.Int64
	Files   atomic.Int64 // files finished
	Total   atomic.Int64 // files to read
}

// A Reader reads log files in parallel, one file per worker, and delivers
// their records in file order, so that results do not depend on timing.
// A file's records are delivered only once the whole file has been read
// without error (JSON closed, gzip checksums right), so that a damaged
// file contributes nothing. Memory is bounded by the workers' buffers,
// not by the input's size nor by the number of files: a worker holds at
// most heldBytes of one file's kept records; a file that keeps more is
// read twice, once to prove it whole and once to deliver its records.
type Reader struct {
	Keep     Filter
	Workers  int       // default GOMAXPROCS
	Progress *Progress // optional
	// held overrides heldBytes (tests).
	held int
}

const (
	batchSize = 256
	// aheadBatches is how far a worker may get ahead of the consumer in
	// one file.
	aheadBatches = 64
	// heldBytes bounds the raw JSON of the kept records a worker holds
	// while it proves their file whole.
	heldBytes = 32 << 20
	// keepBuf is the largest splitter buffer a worker keeps for the next
	// file.
	keepBuf = 4 << 20
)

// fileResult is one file's outcome. Its batches channel is closed after
// the other fields are set.
type fileResult struct {
	name    string
	batches chan []*Record
	n       int
	skipped *Skip // why the file was not read whole (nil when it was)
	fatal   error // the read must stop: the file changed between passes
}

// Read streams the records of every log file under path to fn, as the
// package's Read does.
func (rd *Reader) Read(path string, fn func(*Record) error) (Stats, error) {
	var st Stats
	files, skipped, err := logFiles(path)
	if err != nil {
		return st, err
	}
	st.Skipped = skipped
	prog := rd.Progress
	if prog == nil {
		prog = &Progress{}
	}
	prog.Total.Store(int64(len(files)))
	workers := rd.Workers
	if workers <= 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	workers = max(1, min(workers, len(files)))
	held := rd.held
	if held <= 0 {
		held = heldBytes
	}
	// Results are made as files are handed out, and at most workers+1
	// of them wait for the consumer: nothing is kept per file once it has
	// been delivered.
	order := make(chan *fileResult, workers)
	jobs := make(chan *fileResult)
	quit := make(chan struct{})
	var wg sync.WaitGroup
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			wk := &worker{keep: rd.Keep, bytes: &prog.Bytes, quit: quit, held: held}
			for res := range jobs {
				wk.run(res)
				prog.Records.Add(int64(res.n))
				prog.Files.Add(1)
				close(res.batches)
			}
		}()
	}
	go func() {
		defer close(order)
		defer close(jobs)
		for _, name := range files {
			res := &fileResult{name: name, batches: make(chan []*Record, aheadBatches)}
			select {
			case order <- res:
			case <-quit:
				return
			}
			select {
			case jobs <- res:
			case <-quit:
				return
			}
		}
	}()
	stop := func(err error) (Stats, error) {
		close(quit)
		for range order { // let the dispatcher finish
		}
		wg.Wait()
		return st, err
	}
	for res := range order {
		for batch := range res.batches {
			for _, r := range batch {
				if err := fn(r); err != nil {
					return stop(err)
				}
			}
		}
		switch {
		case res.fatal != nil:
			return stop(res.fatal)
		case res.skipped != nil:
			st.Skipped = append(st.Skipped, *res.skipped)
			st.SkippedRecords += res.n
		default:
			st.Files++
			st.Records += res.n
		}
	}
	wg.Wait()
	sort.Slice(st.Skipped, func(i, j int) bool { return st.Skipped[i].Path < st.Skipped[j].Path })
	st.Bytes = prog.Bytes.Load()
	return st, nil
}

// errQuit stops a worker when the consumer has stopped.
var errQuit = errors.New("stopped")

// worker reads one file at a time, reusing its buffers from file to file.
type worker struct {
	keep  Filter
	bytes *atomic.Int64
	quit  chan struct{}
	held  int
	br    *bufio.Reader
	zr    *gzip.Reader
	buf   []byte
}

// run reads res's file: the kept records are held until the file is
// proven whole, then sent. When they outgrow w.held, the rest of the
// file is read only to prove it whole, and a second pass sends them.
func (w *worker) run(res *fileResult) {
	var held []*Record
	size := 0
	errFull := errors.New("full")
	n, err := w.read(res.name, func(r *Record) error {
		held = append(held, r)
		size += r.size
		if size > w.held {
			held = nil
			return errFull
		}
		return nil
	})
	if errors.Is(err, errFull) {
		// Prove the file whole (decoding the kept records, so that one
		// that does not decode is found now), then read it again.
		n, err = w.read(res.name, func(*Record) error { return nil })
		if err == nil {
			var batch []*Record
			m, err2 := w.read(res.name, func(r *Record) error {
				batch = append(batch, r)
				if len(batch) == batchSize {
					if !w.send(res, batch) {
						return errQuit
					}
					batch = nil
				}
				return nil
			})
			if err2 == nil && len(batch) > 0 && !w.send(res, batch) {
				err2 = errQuit
			}
			if err2 != nil || m != n {
				if !errors.Is(err2, errQuit) {
					res.fatal = fmt.Errorf("%s changed while it was read (%d records, then %d: %v); nothing read from it is sure", res.name, n, m, err2)
				}
			}
			res.n = n
			return
		}
	}
	res.n = n
	if err != nil {
		if !errors.Is(err, errQuit) {
			res.skipped = skipOf(res.name, err)
		}
		return
	}
	for len(held) > 0 {
		k := min(batchSize, len(held))
		if !w.send(res, held[:k:k]) {
			return
		}
		held = held[k:]
	}
}

func skipOf(name string, err error) *Skip {
	var pe *PosError
	if errors.As(err, &pe) {
		return &Skip{Path: name, Line: pe.Line, Col: pe.Col, Why: pe.Err.Error()}
	}
	return &Skip{Path: name, Why: err.Error()}
}

func (w *worker) send(res *fileResult, batch []*Record) bool {
	select {
	case res.batches <- batch:
		return true
	case <-w.quit:
		return false
	}
}

// read decodes one file, gzipped or not, to its end.
func (w *worker) read(name string, fn func(*Record) error) (int, error) {
	f, err := os.Open(name)
	if err != nil {
		return 0, err
	}
	defer f.Close()
	if w.br == nil {
		w.br = bufio.NewReaderSize(f, 256<<10)
	} else {
		w.br.Reset(f)
	}
	var r io.Reader = w.br
	if head, err := w.br.Peek(2); err == nil && head[0] == 0x1f && head[1] == 0x8b {
		if w.zr == nil {
			w.zr, err = gzip.NewReader(w.br)
		} else {
			err = w.zr.Reset(w.br)
		}
		if err != nil {
			return 0, fmt.Errorf("gzip: %w", err)
		}
		r = w.zr
	}
	buf := w.buf
	w.buf = nil
	n, err := decode(countingReader{r, w.bytes}, &buf, w.keep, func(r *Record) error {
		if err := fn(r); err != nil {
			return err
		}
		return nil
	})
	if len(buf) <= keepBuf {
		w.buf = buf
	}
	var se stopError
	if errors.As(err, &se) {
		return n, se.err
	}
	return n, err
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

// logFiles lists the log files under path, in name order, and what the
// walk could not read: directories that cannot be listed, and files that
// are not regular (FIFOs, devices, links to them), which are never opened.
// A path named directly is read whatever it is (a pipe from a shell is a
// fair input).
func logFiles(path string) (files []string, skipped []Skip, err error) {
	info, err := os.Stat(path)
	if err != nil {
		return nil, nil, err
	}
	if !info.IsDir() {
		return []string{path}, nil, nil
	}
	err = filepath.WalkDir(path, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			if p == path {
				return err
			}
			skipped = append(skipped, Skip{Path: p, Why: "cannot be read: " + errText(err)})
			if d != nil && d.IsDir() {
				return filepath.SkipDir
			}
			return nil
		}
		if d.IsDir() || !(strings.HasSuffix(p, ".json") || strings.HasSuffix(p, ".gz")) {
			return nil
		}
		if !d.Type().IsRegular() {
			info, err := os.Stat(p) // follows a link
			if err != nil {
				skipped = append(skipped, Skip{Path: p, Why: "cannot be read: " + errText(err)})
				return nil
			}
			if !info.Mode().IsRegular() {
				skipped = append(skipped, Skip{Path: p, Why: fmt.Sprintf("not a regular file (%s): not read", info.Mode().Type())})
				return nil
			}
		}
		files = append(files, p)
		return nil
	})
	sort.Strings(files)
	return files, skipped, err
}

func errText(err error) string {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Err.Error()
	}
	return err.Error()
}
