package cli

import (
	"fmt"
	"io"
	"os"
	"sync"
	"time"

	"golang.org/x/term"

	"github.com/iamfit/iamfit/internal/cloudtrail"
)

// isTerminal reports whether w is a terminal, where a progress line that
// rewrites itself is welcome; logs and pipes get none.
func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	return ok && term.IsTerminal(int(f.Fd()))
}

// showProgress writes a progress line for a CloudTrail read to stderr
// once the read has taken a second, when stderr is a terminal. The
// returned function stops it and clears the line.
func (c *Command) showProgress(p *cloudtrail.Progress) (stop func()) {
	if !isTerminal(c.Stderr) {
		return func() {}
	}
	done := make(chan struct{})
	finished := make(chan struct{})
	go func() {
		defer close(finished)
		start := time.Now()
		delay := time.NewTimer(time.Second)
		defer delay.Stop()
		select {
		case <-done:
			return
		case <-delay.C:
		}
		tick := time.NewTicker(250 * time.Millisecond)
		defer tick.Stop()
		for {
			fmt.Fprintf(c.Stderr, "\r%s\x1b[K", progressLine(p, time.Since(start)))
			select {
			case <-done:
				fmt.Fprint(c.Stderr, "\r\x1b[K")
				return
			case <-tick.C:
			}
		}
	}()
	var once sync.Once
	return func() {
		once.Do(func() {
			close(done)
			<-finished
		})
	}
}

// progressLine is "reading CloudTrail: 3/8 files, 120000 records, 512 MB (256 MB/s)".
func progressLine(p *cloudtrail.Progress, elapsed time.Duration) string {
	mb := float64(p.Bytes.Load()) / 1e6
	rate := 0.0
	if s := elapsed.Seconds(); s > 0 {
		rate = mb / s
	}
	return fmt.Sprintf("reading CloudTrail: %d/%d files, %d records, %.0f MB (%.0f MB/s)",
		p.Files.Load(), p.Total.Load(), p.Records.Load(), mb, rate)
}
