package commands

import (
	"path"

	"github.com/iamfit/iamfit/internal/source"
)

// Script reads a run: script (already expanded by the CI reader) for the
// commands that call AWS. line is the script's first line in the CI
// file (0 when the script is a one-line scalar at pos); lookup resolves
// the step's environment variables.
func Script(env Env, script string, line int, pos source.Pos, lookup func(string) (string, bool)) {
	for _, cmd := range Commands(script, lookup) {
		if len(cmd.Args) == 0 {
			continue
		}
		at := source.Pos{Line: line + cmd.Line, Col: 1}
		if line == 0 {
			at = pos
		}
		Run(env, at, cmd.Args)
	}
}

// Run reads one command line.
func Run(env Env, pos source.Pos, args []string) {
	switch path.Base(args[0]) {
	case "aws":
		awsCLI(env, pos, args)
	case "docker":
		docker(env, pos, args)
	case "ecspresso":
		ecspresso(env, pos, args)
	}
}
