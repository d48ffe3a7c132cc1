package lint

import (
	"context"
	"os"
	"path/filepath"
	"reflect"
	"testing"

	"github.com/iamfit/iamfit/internal/catalog"
	"github.com/iamfit/iamfit/internal/source"
)

// TestRun lints a directory and named files: walked files that are not
// policies are left out, missing paths are errors, and the results are
// the same for any number of workers.
func TestRun(t *testing.T) {
	dir := t.TempDir()
	write := func(name, data string) {
		t.Helper()
		p := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(data), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	wide := `{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"}]}`
	write("b.json", wide)
	write("a.json", wide)
	write("package.json", `{"name": "not a policy"}`)
	write("node_modules/x.json", wide)
	write("notes.txt", wide)
	cat := catalog.MustLoad()
	var first *Results
	for _, workers := range []int{1, 2, 8} {
		res, err := Run(context.Background(), RunOptions{Paths: []string{dir, filepath.Join(dir, "missing.json")}, Catalog: cat, Workers: workers})
		if err != nil {
			t.Fatal(err)
		}
		var names []string
		for _, f := range res.Files {
			names = append(names, filepath.Base(f.Name))
		}
		if want := []string{"a.json", "b.json"}; !reflect.DeepEqual(names, want) {
			t.Errorf("files %v, want %v", names, want)
		}
		if len(res.Errors) != 1 || !os.IsNotExist(res.Errors[0]) {
			t.Errorf("errors %v, want one for missing.json", res.Errors)
		}
		if len(res.Diagnostics) == 0 || filepath.Base(res.Diagnostics[0].File) != "a.json" {
			t.Errorf("diagnostics %v: want findings, a.json's first", res.Diagnostics)
		}
		if first == nil {
			first = res
		} else if !reflect.DeepEqual(res.Diagnostics, first.Diagnostics) {
			t.Errorf("%d workers: diagnostics differ from 1 worker's", workers)
		}
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := Run(ctx, RunOptions{Paths: []string{dir}, Catalog: cat}); err != context.Canceled {
		t.Errorf("canceled run: err %v", err)
	}
}

// TestRunEach streams the findings of the checks' testdata (and of AWS's
// managed policies, when present) and wants, file by file, what Run
// returns at once, for any number of workers; memory is bounded by the
// window, not by the number of files.
func TestRunEach(t *testing.T) {
	after := parallelAfter
	defer func() { parallelAfter = after }()
	cat := catalog.MustLoad()
	paths := []string{"testdata"}
	if _, err := os.Stat(managedDir); err == nil && !testing.Short() {
		paths = append(paths, managedDir)
	}
	for _, p := range paths {
		want, err := Run(context.Background(), RunOptions{Paths: []string{p}, Catalog: cat})
		if err != nil {
			t.Fatal(err)
		}
		for _, workers := range []int{1, 3, -3} {
			// -3: three workers from the start, not after parallelAfter.
			parallelAfter = after
			if workers < 0 {
				workers, parallelAfter = -workers, 0
			}
			var files []*source.File
			var diags []source.Diagnostic
			got, err := Run(context.Background(), RunOptions{Paths: []string{p}, Catalog: cat, Workers: workers,
				Each: func(f *source.File, ds []source.Diagnostic) {
					files = append(files, f)
					diags = append(diags, ds...)
				}})
			if err != nil {
				t.Fatal(err)
			}
			if len(got.Files) != 0 || len(got.Diagnostics) != 0 {
				t.Errorf("%s: with Each, Results holds %d files", p, len(got.Files))
			}
			if !reflect.DeepEqual(got.Errors, want.Errors) {
				t.Errorf("%s: errors %v, want %v", p, got.Errors, want.Errors)
			}
			if len(files) != len(want.Files) {
				t.Fatalf("%s: %d files streamed, want %d", p, len(files), len(want.Files))
			}
			for i := range files {
				if files[i].Name != want.Files[i].Name {
					t.Fatalf("%s: file %d is %s, want %s", p, i, files[i].Name, want.Files[i].Name)
				}
			}
			if !reflect.DeepEqual(diags, want.Diagnostics) {
				t.Errorf("%s, %d workers: streamed diagnostics differ (%d, want %d)", p, workers, len(diags), len(want.Diagnostics))
			}
		}
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := Run(ctx, RunOptions{Paths: []string{"testdata"}, Catalog: cat, Each: func(*source.File, []source.Diagnostic) {}}); err != context.Canceled {
		t.Errorf("canceled run: err %v", err)
	}
}
