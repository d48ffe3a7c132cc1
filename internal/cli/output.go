package cli

import (
	"bufio"
	"bytes"
	"io"
	"os"
	"runtime/debug"

	"github.com/mattn/go-isatty"
)

// outputBuffer is the size of standard output's buffer.
const outputBuffer = 64 << 10

// bufferStdout buffers c.Stdout for one run, so that a command writing
// many small pieces (a table cell at a time) makes a few large writes. A
// terminal gets its output a line at a time, so that it interleaves with
// standard error as written; a pipe, a file or /dev/null at exit. The returned
// function flushes and restores c.Stdout.
func (c *Command) bufferStdout() (flush func()) {
	if c.Stdout == nil {
		return func() {}
	}
	orig := c.Stdout
	bw := bufio.NewWriterSize(orig, outputBuffer)
	if f, ok := orig.(*os.File); ok && isatty.IsTerminal(f.Fd()) {
		c.Stdout = &lineWriter{bw}
	} else {
		c.Stdout = bw
	}
	return func() {
		bw.Flush()
		c.Stdout = orig
	}
}

// flushStdout writes out what bufferStdout holds, so that what follows on
// standard error comes after it, as a terminal shows them.
func (c *Command) flushStdout() {
	switch w := c.Stdout.(type) {
	case *bufio.Writer:
		w.Flush()
	case *lineWriter:
		w.w.Flush()
	}
}

// lineWriter flushes its buffer after every write that ends a line.
type lineWriter struct{ w *bufio.Writer }

func (l *lineWriter) Write(p []byte) (int, error) {
	n, err := l.w.Write(p)
	if err == nil && bytes.IndexByte(p, '\n') >= 0 {
		err = l.w.Flush()
	}
	return n, err
}

var _ io.Writer = (*lineWriter)(nil)

// lessGC raises the collector's target for a command that makes much
// short-lived garbage (a proof of many requests, many small files): a few
// MB of memory for a fifth less time. The returned function restores it.
func lessGC() (restore func()) {
	old := debug.SetGCPercent(400)
	return func() { debug.SetGCPercent(old) }
}
