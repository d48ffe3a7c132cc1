package cli

import (
	"os"
	"testing"

	"github.com/rogpeppe/go-internal/testscript"
)

// TestMain lets the test binary act as iamfit inside the scripts.
func TestMain(m *testing.M) {
	testscript.Main(m, map[string]func(){
		"iamfit": func() {
			c := Command{Stdin: os.Stdin, Stdout: os.Stdout, Stderr: os.Stderr}
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
		UpdateScripts: os.Getenv("UPDATE_SCRIPTS") == "1",
	})
}
