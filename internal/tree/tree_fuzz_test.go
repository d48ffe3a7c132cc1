package tree

import (
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// FuzzWalk builds a small tree from the input (files, directories, links
// inside, outside, dangling and cyclic, FIFOs, unreadable entries) and
// checks the walk: it ends, it lists only regular files inside the root,
// and reading any name, listed or not, never blocks nor leaves the root.
func FuzzWalk(f *testing.F) {
	f.Add([]byte{0, 1, 2, 3, 4, 5, 6, 7})
	f.Add([]byte{1, 1, 0, 6, 6, 3, 2})
	f.Add([]byte{4, 4, 4, 5, 7, 0})
	f.Fuzz(func(t *testing.T, ops []byte) {
		if len(ops) > 24 {
			return
		}
		root, outside := t.TempDir(), t.TempDir()
		os.WriteFile(filepath.Join(outside, "secret.json"), []byte(`{"secret": 1}`), 0o644)
		dirs := []string{root}
		var names []string
		for i, op := range ops {
			dir := dirs[int(op>>3)%len(dirs)]
			name := filepath.Join(dir, "e"+string(rune('a'+i%26))+".json")
			switch op % 8 {
			case 0:
				os.WriteFile(name, []byte(`{"Version": "2012-10-17"}`), 0o644)
			case 1:
				name = strings.TrimSuffix(name, ".json")
				os.Mkdir(name, 0o755)
				dirs = append(dirs, name)
			case 2:
				os.Symlink(filepath.Join(outside, "secret.json"), name)
			case 3:
				os.Symlink(root, name) // a cycle
			case 4:
				syscall.Mkfifo(name, 0o644)
			case 5:
				os.Symlink("/dev/zero", name)
			case 6:
				os.WriteFile(name, []byte("{}"), 0)
				os.Chmod(dir, 0o300) // listable by root only
			case 7:
				os.Symlink("nowhere", name)
			}
			names = append(names, name)
		}
		t.Cleanup(func() {
			for _, d := range dirs {
				os.Chmod(d, 0o755)
			}
		})
		done := make(chan struct{})
		go func() {
			defer close(done)
			tr, err := Walk(root, Options{MaxFile: 1 << 10})
			if err != nil {
				return
			}
			real, _ := filepath.EvalSymlinks(root)
			for _, e := range tr.Files {
				p := filepath.Join(root, filepath.FromSlash(e.Name))
				target, err := filepath.EvalSymlinks(p)
				if err != nil || !inside(real, target) {
					t.Errorf("listed %s: %s outside the root (%v)", e.Name, target, err)
				}
				if info, err := os.Stat(p); err != nil || !info.Mode().IsRegular() {
					t.Errorf("listed %s: not a regular file", e.Name)
				}
			}
			for _, n := range append(names, filepath.Join(root, "..", filepath.Base(outside), "secret.json")) {
				rel, _ := filepath.Rel(root, n)
				if f, err := tr.Read(rel); err == nil && strings.Contains(string(f.Data), "secret") {
					t.Errorf("read %s: a file outside the root", rel)
				}
			}
		}()
		select {
		case <-done:
		case <-time.After(10 * time.Second):
			t.Fatal("the walk or a read blocked")
		}
	})
}
