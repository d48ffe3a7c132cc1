package cli

import (
	"bytes"
	"os"
	"testing"
	"time"

	"github.com/iamfit/iamfit/internal/cloudtrail"
	"github.com/iamfit/iamfit/internal/render/sarifschema"

	"github.com/rogpeppe/go-internal/testscript"
)

// TestMain lets the test binary act as iamfit inside the scripts.
func TestMain(m *testing.M) {
	testscript.Main(m, map[string]func(){
		"iamfit": func() {
			c := Command{Stdin: os.Stdin, Stdout: os.Stdout, Stderr: os.Stderr, Getenv: os.Getenv}
			os.Exit(c.Main(os.Args[1:]))
		},
	})
}

// TestScripts runs the end-to-end scripts in testdata/script/*.txtar.
// The repository root is available to scripts as $ROOT.
func TestScripts(t *testing.T) {
	testscript.Run(t, testscript.Params{
		Dir: "testdata/script",
		Setup: func(env *testscript.Env) error {
			root, err := os.Getwd()
			if err != nil {
				return err
			}
			env.Setenv("ROOT", root+"/../..")
			return nil
		},
		Cmds:          map[string]func(ts *testscript.TestScript, neg bool, args []string){"sarif-valid": sarifValid},
		UpdateScripts: os.Getenv("UPDATE_SCRIPTS") == "1",
	})
}

// sarifValid is the scripts' command "sarif-valid FILE...": each file
// ("stdout" for the last command's output) is a SARIF log that validates
// against the SARIF 2.1.0 schema ("! sarif-valid": that does not).
func sarifValid(ts *testscript.TestScript, neg bool, args []string) {
	if len(args) == 0 {
		ts.Fatalf("usage: sarif-valid FILE...")
	}
	for _, name := range args {
		err := sarifschema.Validate([]byte(ts.ReadFile(name)))
		switch {
		case err != nil && !neg:
			ts.Fatalf("%s: not valid SARIF 2.1.0: %v", name, err)
		case err == nil && neg:
			ts.Fatalf("%s: valid SARIF 2.1.0", name)
		}
	}
}

func TestProgressLine(t *testing.T) {
	var p cloudtrail.Progress
	p.Total.Store(8)
	p.Files.Store(3)
	p.Records.Store(120000)
	p.Bytes.Store(512e6)
	got := progressLine(&p, 2*time.Second)
	want := "reading CloudTrail: 3/8 files, 120000 records, 512 MB (256 MB/s)"
	if got != want {
		t.Errorf("progressLine = %q, want %q", got, want)
	}
	// Output that is not a terminal gets no progress line.
	var buf bytes.Buffer
	c := Command{Stderr: &buf}
	c.showProgress(&p)()
	if buf.Len() != 0 {
		t.Errorf("progress written to a buffer: %q", buf.String())
	}
}
