package cloudtrail

import (
	"errors"
	"fmt"
	"runtime"
	"sync"
	"sync/atomic"
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
// Memory is bounded by the workers' buffers, not by the input's size.
type Reader struct {
	Keep     Filter
	Workers  int       // default GOMAXPROCS
	Progress *Progress // optional
}

const (
	batchSize = 256
	// aheadBatches is how far a worker may read ahead of the consumer in
	// one file: 16384 records, a typical delivered file. Smaller buffers
	// leave the workers of later files waiting when most records are
	// kept (generate --cloudtrail on a busy role); memory stays bounded
	// by workers x this.
	aheadBatches = 64
)

type fileResult struct {
	batches chan []*Record
	n       int
	err     error
}

// Read streams the records of every log file under path to fn, as the
// package's Read does.
func (rd *Reader) Read(path string, fn func(*Record) error) (Stats, error) {
	var st Stats
	files, err := logFiles(path)
	if err != nil {
		return st, err
	}
	prog := rd.Progress
	if prog == nil {
		prog = &Progress{}
	}
	prog.Total.Store(int64(len(files)))
	workers := rd.Workers
	if workers <= 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	workers = min(workers, len(files))
	results := make([]*fileResult, len(files))
	for i := range results {
		results[i] = &fileResult{batches: make(chan []*Record, aheadBatches)}
	}
	jobs := make(chan int)
	quit := make(chan struct{})
	errQuit := errors.New("stopped")
	var wg sync.WaitGroup
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range jobs {
				res := results[i]
				var batch []*Record
				send := func() error {
					select {
					case res.batches <- batch:
						batch = nil
						return nil
					case <-quit:
						return errQuit
					}
				}
				n, err := readFile(files[i], &prog.Bytes, rd.Keep, func(r *Record) error {
					batch = append(batch, r)
					if len(batch) == batchSize {
						return send()
					}
					return nil
				})
				if len(batch) > 0 && !errors.Is(err, errQuit) && send() != nil {
					err = stopError{errQuit}
				}
				res.n, res.err = n, err
				prog.Records.Add(int64(n))
				prog.Files.Add(1)
				close(res.batches)
			}
		}()
	}
	go func() {
		defer close(jobs)
		for i := range files {
			select {
			case jobs <- i:
			case <-quit:
				return
			}
		}
	}()
	var stop error
	for i, res := range results {
		for batch := range res.batches {
			for _, r := range batch {
				if err := fn(r); err != nil {
					stop = err
					break
				}
			}
			if stop != nil {
				break
			}
		}
		if stop != nil {
			close(quit)
			wg.Wait()
			return st, stop
		}
		// The batches channel is closed after n and err are set.
		st.Records += res.n
		if res.err != nil {
			var pe *PosError
			if errors.As(res.err, &pe) {
				st.Skipped = append(st.Skipped, fmt.Sprintf("%s:%d:%d: %v", files[i], pe.Line, pe.Col, pe.Err))
			} else {
				st.Skipped = append(st.Skipped, fmt.Sprintf("%s: %v", files[i], res.err))
			}
			continue
		}
		st.Files++
	}
	wg.Wait()
	st.Bytes = prog.Bytes.Load()
	return st, nil
}
