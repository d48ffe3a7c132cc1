// Package commands reads the commands a CI job runs (run: scripts of any
// CI system): the shell around them, and the aws CLI, docker and
// ecspresso command lines, turning each into the needs of the role the
// job holds. A command it cannot map is reported through the Env, never
// dropped.
package commands

import (
	"github.com/iamfit/iamfit/internal/ecs"
	"github.com/iamfit/iamfit/internal/need"
	"github.com/iamfit/iamfit/internal/source"
)

// Env is what a command reader needs from the CI reader that runs it: the
// job's role, region and account, files of the repository, and where to
// put needs and diagnostics. The GitHub Actions reader implements it; a
// reader for another CI system implements it the same way.
type Env interface {
	// File is the CI definition the commands come from (for diagnostics).
	File() string
	// Add records a need of the job's current role.
	Add(pos source.Pos, why, action, resource string, conds ...need.Cond)
	// Warnf records a diagnostic at pos of File.
	Warnf(pos source.Pos, check, format string, args ...any)
	// Diag records a diagnostic about another file.
	Diag(d source.Diagnostic)
	// Region is the job's current region, or a parameter.
	Region() string
	// SetRegion changes the current region (for the rest of one command
	// when restore is called).
	SetRegion(region string) (restore func())
	// Account is the current role's account, or a parameter.
	Account() string
	// ReadFile reads a repository file (relative to its root).
	ReadFile(name string) (*source.File, error)
	// TaskDefinition reads a task definition file named by a command and
	// records it as deployed; nil (with a diagnostic) when it cannot.
	TaskDefinition(name string, pos source.Pos) *ecs.TaskDefinition
	// Credentials reports whether the job holds AWS credentials here:
	// commands iamfit does not know are reported only then.
	Credentials() bool
	// Getenv is an environment variable of the step that runs the
	// command (workflow, job and step env:, $GITHUB_ENV writes earlier in
	// the job), already expanded; false when the step does not set it.
	Getenv(name string) (string, bool)
	// Deployed records a task definition that a command reader read
	// itself (rendered from a template or Jsonnet) as deployed, the way
	// TaskDefinition records a file; its File is the source file's name
	// with the rendered bytes.
	Deployed(td *ecs.TaskDefinition)
	// WorkingDirectory is the step's working-directory (relative to the
	// repository root, "" for the root): relative paths on the command
	// line start there.
	WorkingDirectory() string
	// SetEnv records a variable a command writes to the CI system's
	// environment file ($GITHUB_ENV): later steps of the job see it.
	SetEnv(name, value string)
	// SetOutput records an output a command writes ($GITHUB_OUTPUT) for
	// later steps.
	SetOutput(name, value string)
	// EnableExec records that the tasks of a task definition file run with
	// ECS Exec enabled.
	EnableExec(taskDefFile string)
	// Registered returns a task definition of the family that a step read
	// from the repository and registered (nil when none did): what a later
	// run-task of the family starts.
	Registered(family string) *ecs.TaskDefinition
	// WroteFile records a file that a command writes into the job's
	// workspace (aws ecs describe-task-definition ... > NAME, relative to
	// the repository root): later steps of the job that read NAME get
	// data, not the repository's file or a "cannot read" diagnostic.
	WroteFile(name string, data []byte)
}

// Register adds the needs of registering a task definition: the call, the
// roles it passes to ECS, and tagging on create. It returns the family.
func Register(env Env, pos source.Pos, why string, td *ecs.TaskDefinition, tags bool) string {
	return RegisterOf(env, pos, why, td, tags, "")
}

// RegisterOf is Register for a task definition that may be unknown, named
// by hint (its file or input) so that unknown ones stay apart.
func RegisterOf(env Env, pos source.Pos, why string, td *ecs.TaskDefinition, tags bool, hint string) string {
	needs, family := ecs.RegisterNeedsOf(env.Region(), env.Account(), td, tags, hint)
	for _, n := range needs {
		env.Add(pos, why+": "+n.Why, n.Action, n.Resource, n.Conditions...)
	}
	return family
}
