package tree

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
)

func write(t *testing.T, p, body string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
		t.Fatal(err)
	}
}

// TestWalk: links out of the root, FIFOs, links to directories and
// skipped directories are never listed; links inside the root are.
func TestWalk(t *testing.T) {
	root := t.TempDir()
	outside := t.TempDir()
	write(t, filepath.Join(root, "a.json"), "{}")
	write(t, filepath.Join(root, "node_modules/x/p.json"), "{}")
	write(t, filepath.Join(root, "testdata/f.json"), "{}")
	write(t, filepath.Join(outside, "secret.json"), `{"x": 1}`)
	must(t, os.Symlink(filepath.Join(outside, "secret.json"), filepath.Join(root, "out.json")))
	must(t, os.Symlink("a.json", filepath.Join(root, "in.json")))
	must(t, os.Symlink(outside, filepath.Join(root, "dirlink")))
	must(t, os.Symlink("/dev/zero", filepath.Join(root, "zero.json")))
	if err := syscall.Mkfifo(filepath.Join(root, "fifo.json"), 0o644); err != nil {
		t.Skipf("mkfifo: %v", err)
	}
	tr, err := Walk(root, Options{})
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, e := range tr.Files {
		names = append(names, e.Name)
	}
	if got := strings.Join(names, " "); got != "a.json in.json" {
		t.Errorf("files %q, want a.json in.json", got)
	}
	skipped := map[string]string{}
	for _, s := range tr.Skipped {
		skipped[s.Name] = s.Why
	}
	for _, name := range []string{"out.json", "dirlink", "zero.json", "fifo.json"} {
		if skipped[name] == "" {
			t.Errorf("%s not reported as skipped: %v", name, skipped)
		}
	}
	// Read refuses the same, and names outside the root.
	for _, name := range []string{"out.json", "zero.json", "fifo.json", "../x", "/etc/passwd", "dirlink/secret.json"} {
		if _, err := tr.Read(name); err == nil {
			t.Errorf("Read(%q) succeeded", name)
		}
	}
	if f, err := tr.Read("./in.json"); err != nil || string(f.Data) != "{}" {
		t.Errorf("Read(in.json) = %v, %v", f, err)
	}
}

// TestWalkNoSize: without a stat of each regular file, the walk lists and
// skips the same files; only the sizes of regular files are unknown (a
// link inside the root is resolved and measured).
func TestWalkNoSize(t *testing.T) {
	root := t.TempDir()
	outside := t.TempDir()
	write(t, filepath.Join(root, "a.json"), "{}")
	write(t, filepath.Join(root, "d/b.json"), "{ }")
	write(t, filepath.Join(outside, "secret.json"), `{"x": 1}`)
	must(t, os.Symlink(filepath.Join(outside, "secret.json"), filepath.Join(root, "out.json")))
	must(t, os.Symlink("a.json", filepath.Join(root, "in.json")))
	must(t, os.Symlink(outside, filepath.Join(root, "dirlink")))
	must(t, os.Symlink("/dev/zero", filepath.Join(root, "zero.json")))
	if err := syscall.Mkfifo(filepath.Join(root, "fifo.json"), 0o644); err != nil {
		t.Skipf("mkfifo: %v", err)
	}
	full, err := Walk(root, Options{})
	if err != nil {
		t.Fatal(err)
	}
	lazy, err := Walk(root, Options{NoSize: true})
	if err != nil {
		t.Fatal(err)
	}
	if len(full.Files) != 3 || len(lazy.Files) != len(full.Files) {
		t.Fatalf("files %v, without sizes %v", full.Files, lazy.Files)
	}
	for i, e := range lazy.Files {
		want := full.Files[i]
		if e.Name == "in.json" {
			if e != want {
				t.Errorf("link listed as %v, want %v", e, want)
			}
		} else if e.Name != want.Name || e.Size != -1 {
			t.Errorf("file %d listed as %v, want %s of size -1", i, e, want.Name)
		}
	}
	if fmt.Sprint(lazy.Skipped) != fmt.Sprint(full.Skipped) {
		t.Errorf("skipped %v, with sizes %v", lazy.Skipped, full.Skipped)
	}
}

// TestReadLimit: a file over the limit is an error naming the limit.
func TestReadLimit(t *testing.T) {
	root := t.TempDir()
	write(t, filepath.Join(root, "big.json"), strings.Repeat("x", 100))
	tr, err := Walk(root, Options{MaxFile: 10})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := tr.Read("big.json"); err == nil || !strings.Contains(err.Error(), "10 bytes") {
		t.Errorf("err = %v, want the limit named", err)
	}
}

// TestUnreadableDir: a directory that cannot be read is reported.
func TestUnreadableDir(t *testing.T) {
	if os.Geteuid() == 0 {
		t.Skip("root reads every directory")
	}
	root := t.TempDir()
	write(t, filepath.Join(root, "d/x.json"), "{}")
	must(t, os.Chmod(filepath.Join(root, "d"), 0))
	defer os.Chmod(filepath.Join(root, "d"), 0o755)
	tr, err := Walk(root, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if len(tr.Skipped) != 1 || tr.Skipped[0].Name != "d" {
		t.Errorf("skipped %v", tr.Skipped)
	}
}

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}
