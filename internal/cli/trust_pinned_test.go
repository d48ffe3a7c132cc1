package cli

import (
	"bytes"
	"encoding/json"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/iamfit/iamfit/internal/catalog"
	"github.com/iamfit/iamfit/internal/lint"
	"github.com/iamfit/iamfit/internal/source"
	"github.com/iamfit/iamfit/internal/synth"
)

// repositories returns every example and testdata repository (a
// directory with .github/workflows) under the module.
func repositories(t *testing.T) []string {
	t.Helper()
	var out []string
	for _, root := range []string{"../../examples", "../../internal"} {
		err := filepath.WalkDir(root, func(p string, d os.DirEntry, err error) error {
			if err != nil {
				return err
			}
			if d.IsDir() && d.Name() == "workflows" && filepath.Base(filepath.Dir(p)) == ".github" {
				out = append(out, filepath.Dir(filepath.Dir(p)))
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	if len(out) < 5 {
		t.Fatalf("found only %d repositories", len(out))
	}
	return out
}

// TestGeneratedTrustPinned: in every example and testdata repository, no
// generated web identity trust lacks a sub condition pinned to the
// repository, and lint finds no error in any generated output.
func TestGeneratedTrustPinned(t *testing.T) {
	cat := catalog.MustLoad()
	const repo = "octo-org/pinned"
	for _, dir := range repositories(t) {
		t.Run(dir, func(t *testing.T) {
			var out bytes.Buffer
			c := Command{Stdin: strings.NewReader(""), Stdout: &out, Stderr: io.Discard}
			code := c.Main([]string{"generate", "--repo", repo, "--format", "json", dir})
			if code == ExitUsage {
				t.Skipf("not a generate input (exit 2)")
			}
			if code != ExitOK {
				t.Fatalf("exit %d", code)
			}
			var doc struct {
				Roles []struct {
					Role        string `json:"role"`
					TrustPolicy *struct {
						Statement []struct {
							Principal map[string]any            `json:"Principal"`
							Condition map[string]map[string]any `json:"Condition"`
						} `json:"Statement"`
					} `json:"trustPolicy"`
				} `json:"roles"`
			}
			if err := json.Unmarshal(out.Bytes(), &doc); err != nil {
				t.Fatal(err)
			}
			for _, r := range doc.Roles {
				if r.TrustPolicy == nil {
					continue
				}
				for _, st := range r.TrustPolicy.Statement {
					if _, fed := st.Principal["Federated"]; !fed {
						continue
					}
					var subs []string
					for _, kv := range st.Condition {
						for k, v := range kv {
							if strings.HasSuffix(k, ":sub") {
								switch v := v.(type) {
								case string:
									subs = append(subs, v)
								case []any:
									for _, x := range v {
										subs = append(subs, x.(string))
									}
								}
							}
						}
					}
					if len(subs) == 0 {
						t.Errorf("%s: a web identity trust without a sub condition", r.Role)
					}
					for _, s := range subs {
						if !synth.PinnedSubject(s) || !strings.HasPrefix(s, "repo:"+repo+":") {
							t.Errorf("%s: sub %q is not pinned to %s", r.Role, s, repo)
						}
					}
				}
			}
			for _, d := range lintGeneratedJSON(t, dir, out.Bytes(), cat) {
				if d.Severity == source.Error {
					t.Errorf("lint on the generated policy: %s", d)
				}
			}
			out.Reset()
			if code := c.Main([]string{"generate", "--repo", repo, "--format", "cloudformation", dir}); code != ExitOK {
				t.Fatalf("cloudformation: exit %d", code)
			}
			for _, d := range lint.Template(source.NewFile("template.yaml", out.Bytes()), cat, nil) {
				if d.Severity == source.Error {
					t.Errorf("lint on the generated template: %s", d)
				}
			}
		})
	}
}
