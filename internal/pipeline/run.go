package pipeline

import (
	"path"

	"github.com/iamfit/iamfit/internal/source"
	"github.com/iamfit/iamfit/internal/workflow"
)

// run reads a run: script for the commands that call AWS.
func (a *analyzer) run(st *jobState, s *workflow.Step) {
	script := st.scope.Expand(s.Run.Value)
	for _, cmd := range workflow.Commands(script, st.scope.Lookup) {
		if len(cmd.Args) == 0 {
			continue
		}
		pos := source.Pos{Line: s.RunLine + cmd.Line, Col: 1}
		if s.RunLine == 0 {
			pos = s.Run.Pos
		}
		switch path.Base(cmd.Args[0]) {
		case "aws":
			a.awsCLI(st, pos, cmd.Args)
		case "docker":
			a.docker(st, pos, cmd.Args)
		case "ecspresso":
			a.ecspresso(st, pos, cmd.Args)
		}
	}
}
