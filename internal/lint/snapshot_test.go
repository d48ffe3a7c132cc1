package lint

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/iamfit/iamfit/internal/catalog"
	"github.com/iamfit/iamfit/internal/jsonpos"
	"github.com/iamfit/iamfit/internal/source"
)

// TestSnapshot lints the account snapshots of testdata/snapshot (the
// output of aws iam get-account-authorization-details) against their
// goldens: every role's trust, inline and attached customer managed
// policies, documents as objects (the CLI) and URL-encoded strings (the
// API), the default policy version only.
func TestSnapshot(t *testing.T) {
	cat := catalog.MustLoad()
	files, _ := filepath.Glob("testdata/snapshot/*.json")
	if len(files) == 0 {
		t.Fatal("no snapshots")
	}
	for _, in := range files {
		t.Run(filepath.Base(in), func(t *testing.T) {
			data, err := os.ReadFile(in)
			if err != nil {
				t.Fatal(err)
			}
			f := source.NewFile(filepath.ToSlash(in), data)
			root, _ := jsonpos.Parse(data)
			if !IsSnapshot(root) {
				t.Fatal("not detected as a snapshot")
			}
			var b bytes.Buffer
			for _, d := range Snapshot(f, root, cat, nil, nil) {
				b.WriteString(d.String() + "\n")
			}
			golden := strings.TrimSuffix(in, ".json") + ".out"
			if *update {
				if err := os.WriteFile(golden, b.Bytes(), 0o644); err != nil {
					t.Fatal(err)
				}
				return
			}
			want, err := os.ReadFile(golden)
			if err != nil {
				t.Fatal(err)
			}
			if b.String() != string(want) {
				t.Errorf("findings differ from %s (rerun with -update):\n%s", golden, b.String())
			}
			// Run detects the snapshot by its shape, named or found by
			// walking, and --account-snapshot names it.
			for _, opt := range []RunOptions{{Paths: []string{in}}, {Paths: []string{filepath.Dir(in)}}, {Snapshots: []string{in}}} {
				opt.Catalog = cat
				res, err := Run(context.Background(), opt)
				if err != nil || len(res.Errors) > 0 {
					t.Fatalf("Run: %v %v", err, res.Errors)
				}
				var got bytes.Buffer
				for _, d := range res.Diagnostics {
					if d.File == f.Name {
						got.WriteString(d.String() + "\n")
					}
				}
				if got.String() != b.String() {
					t.Errorf("Run(%+v) differs:\n%s", opt.Paths, got.String())
				}
				// The same, streamed file by file.
				var streamed bytes.Buffer
				opt.Each = func(sf *source.File, ds []source.Diagnostic) {
					for _, d := range ds {
						if d.File == f.Name {
							streamed.WriteString(d.String() + "\n")
						}
					}
				}
				if res, err := Run(context.Background(), opt); err != nil || len(res.Errors) > 0 || streamed.String() != b.String() {
					t.Errorf("Run(%+v) with Each: %v %v\n%s", opt.Paths, err, res.Errors, streamed.String())
				}
			}
		})
	}
	// A policy named as a snapshot is an error, not linted as a policy.
	res, err := Run(context.Background(), RunOptions{Snapshots: []string{"testdata/github-oidc-subject/trust-missing.json"}, Catalog: cat})
	if err != nil || len(res.Errors) != 1 || !strings.Contains(res.Errors[0].Error(), "not an account snapshot") {
		t.Errorf("a policy as a snapshot: %v %v", err, res.Errors)
	}
}
