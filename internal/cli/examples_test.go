package cli

import (
	"bytes"
	"flag"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/iamfit/iamfit/internal/catalog"
	"github.com/iamfit/iamfit/internal/lint"
	"github.com/iamfit/iamfit/internal/source"
)

var update = flag.Bool("update", false, "rewrite the examples' golden outputs")

// generateExamples are the example repositories with the owner/name their
// trust policies use.
var generateExamples = []struct {
	dir, repo string
	flags     []string
}{
	{"push-to-ecr", "octo-org/web", nil},
	{"rolling-deploy", "octo-org/shop", nil},
	{"ecspresso", "octo-org/api", nil},
	{"ecspresso-jsonnet", "octo-org/jobs", nil},
	{"ecspresso-codedeploy", "octo-org/shop", nil},
	{"fargate-release", "octo-org/blog", nil},
	{"app-roles", "octo-org/shop", nil},
	{"app-patterns", "acme/shop", nil},
	{"cfn-stack", "acme/shop", nil},
	{"terraform-service", "acme/shop", nil},
	{"release-train", "octo-org/train", []string{"--default-branch", "main", "--var", "AWS_ACCOUNT_ID=123456789012"}},
}

var formats = []struct{ format, file string }{
	{"text", "generate.txt"},
	{"json", "generate.json"},
	{"cloudformation", "template.yaml"},
	{"terraform", "main.tf"},
}

// TestExamplesGolden runs iamfit generate on every example in every format
// and compares with examples/<name>/iamfit/; -update rewrites them. The
// proof must pass (exit 0).
func TestExamplesGolden(t *testing.T) {
	for _, ex := range generateExamples {
		for _, f := range formats {
			t.Run(ex.dir+"/"+f.format, func(t *testing.T) {
				dir := filepath.Join("..", "..", "examples", ex.dir)
				var out, errb bytes.Buffer
				c := Command{Stdin: strings.NewReader(""), Stdout: &out, Stderr: &errb}
				args := append([]string{"generate", "--repo", ex.repo, "--format", f.format}, ex.flags...)
				args = append(args, dir)
				if f.format != "text" && f.format != "json" {
					args = append(args, "--oidc-provider")
				}
				if code := c.Main(args); code != ExitOK {
					t.Fatalf("exit %d\n%s", code, errb.String())
				}
				checkGolden(t, filepath.Join(dir, "iamfit", f.file), out.Bytes())
			})
		}
	}
}

// TestExamplesLintClean lints what generate produces: the JSON policies
// and the CloudFormation template must have no warning or error.
func TestExamplesLintClean(t *testing.T) {
	cat := catalog.MustLoad()
	for _, ex := range generateExamples {
		for _, format := range []string{"json", "cloudformation"} {
			var out bytes.Buffer
			c := Command{Stdin: strings.NewReader(""), Stdout: &out, Stderr: io.Discard}
			args := append([]string{"generate", "--repo", ex.repo, "--format", format}, ex.flags...)
			if code := c.Main(append(args, filepath.Join("..", "..", "examples", ex.dir))); code != ExitOK {
				t.Fatalf("%s: exit %d", ex.dir, code)
			}
			var diags []source.Diagnostic
			if format == "cloudformation" {
				diags = lint.Template(source.NewFile(ex.dir+"/template.yaml", out.Bytes()), cat, nil)
			} else {
				diags = lintGeneratedJSON(t, ex.dir, out.Bytes(), cat)
			}
			for _, d := range diags {
				if d.Severity >= source.Warning {
					t.Errorf("%s (%s): %s", ex.dir, format, d)
				}
			}
		}
	}
}

// checkGolden compares got with the golden file, or rewrites it with
// -update.
func checkGolden(t *testing.T, golden string, got []byte) {
	t.Helper()
	if *update {
		if err := os.MkdirAll(filepath.Dir(golden), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(golden, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("output differs from %s (rerun with -update):\n%s", golden, got)
	}
}
