//go:build unix

package cli

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
)

// TestReadInput: files are read whole whatever their size (an empty one,
// one of exactly a page, one larger than any first buffer); a directory,
// a missing file and a file over the limit are the errors os.Open and the
// limit give; a FIFO is read as a stream.
func TestReadInput(t *testing.T) {
	dir := t.TempDir()
	c := &Command{}
	for _, size := range []int{0, 1, 4096, 4097, 1 << 20} {
		p := filepath.Join(dir, "f.json")
		data := bytes.Repeat([]byte("a\n"), size)[:size]
		if err := os.WriteFile(p, data, 0o644); err != nil {
			t.Fatal(err)
		}
		f, err := c.readInput(p)
		if err != nil || !bytes.Equal(f.Data, data) || f.Name != p {
			t.Errorf("size %d: read %d bytes as %q, %v", size, len(f.Data), f.Name, err)
		}
	}
	if _, err := c.readInput(dir); err == nil || err.Error() != dir+" is a directory" {
		t.Errorf("directory: %v", err)
	}
	missing := filepath.Join(dir, "missing.json")
	_, want := os.Open(missing)
	if _, err := c.readInput(missing); err == nil || err.Error() != want.Error() {
		t.Errorf("missing file: %v, want %v", err, want)
	}
	big := filepath.Join(dir, "big.json")
	if err := os.WriteFile(big, make([]byte, maxInput+1), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := c.readInput(big); err == nil || !strings.Contains(err.Error(), "is larger than 64 MiB") {
		t.Errorf("file over the limit: %v", err)
	}
	fifo := filepath.Join(dir, "fifo.json")
	if err := syscall.Mkfifo(fifo, 0o644); err != nil {
		t.Skipf("mkfifo: %v", err)
	}
	go func() {
		w, err := os.OpenFile(fifo, os.O_WRONLY, 0)
		if err != nil {
			return
		}
		w.WriteString(`{"Statement": []}`)
		w.Close()
	}()
	if f, err := c.readInput(fifo); err != nil || string(f.Data) != `{"Statement": []}` {
		t.Errorf("FIFO: %v, %v", f, err)
	}
}
