package commands

import (
	"fmt"
	"path"
	"strings"

	"github.com/iamfit/iamfit/internal/need"
	"github.com/iamfit/iamfit/internal/source"
)

// Script reads a run: script (already expanded by the CI reader) for the
// commands that call AWS. line is the script's first line in the CI
// file (0 when the script is a one-line scalar at pos); lookup resolves
// the step's environment variables.
func Script(env Env, script string, line int, pos source.Pos, lookup func(string) (string, bool)) {
	r := &runner{env: env, lookup: lookup}
	r.script(script, line, pos, "")
}

// Run reads one command line.
func Run(env Env, pos source.Pos, args []string) {
	r := &runner{env: env}
	r.run(pos, args, "")
}

// shellKeywords start a compound command whose first command follows.
var shellKeywords = map[string]bool{"if": true, "elif": true, "while": true, "until": true, "!": true, "then": true, "do": true, "else": true, "{": true, "(": true}

// maxScriptDepth bounds scripts that run scripts (and bash -c nesting).
const maxScriptDepth = 8

type runner struct {
	env Env
	// stdin and stdout are the here-document and the output file of the
	// command being read.
	stdin, stdout string
	lookup        func(string) (string, bool)
	depth         int
	// scripts being read, for cycles.
	stack []string
	// args are the arguments of the repository script being read.
	args []string
}

// script reads the commands of a script; in names the repository script
// they come from ("" for the CI file itself).
func (r *runner) script(script string, line int, pos source.Pos, in string) {
	cmds, _ := ParseArgs(script, r.args, r.lookup)
	for _, cmd := range cmds {
		if len(cmd.Args) == 0 {
			continue
		}
		if r.ciFile(cmd) {
			continue
		}
		at := source.Pos{Line: line + cmd.Line, Col: 1}
		if line == 0 {
			at = pos
		}
		where := ""
		if in != "" {
			where = fmt.Sprintf("%s:%d", in, cmd.Line+1)
		}
		r.stdin, r.stdout = cmd.Stdin, cmd.Stdout
		if len(cmd.Env) > 0 {
			// Variables the script exports, or sets for this command.
			outer := r.env
			r.env = &cmdEnv{Env: outer, vars: cmd.Env}
			r.run(at, cmd.Args, where)
			r.env = outer
			r.stdin, r.stdout = "", ""
			continue
		}
		r.run(at, cmd.Args, where)
		r.stdin, r.stdout = "", ""
	}
}

// run reads one command: the programs iamfit knows, wrappers around
// them, and scripts of the repository; anything else that runs while the
// job holds AWS credentials is reported.
func (r *runner) run(pos source.Pos, args []string, where string) {
	if len(args) == 0 {
		return
	}
	env := r.env
	if where != "" {
		env = &scriptEnv{Env: r.env, where: where}
	}
	prog := path.Base(args[0])
	switch {
	case prog == "aws":
		awsCLI(env, pos, args, r.stdin, r.stdout)
		return
	case prog == "docker":
		docker(env, pos, args)
		return
	case prog == "ecspresso":
		ecspresso(env, pos, args)
		return
	}
	if shellKeywords[prog] {
		// if ! aws ...; then: the command after the keyword.
		r.run(pos, args[1:], where)
		return
	}
	if inner, ok := unwrap(args); ok {
		if len(inner) == 1 && strings.ContainsAny(inner[0], " \t") {
			// parallel "ecspresso deploy --config {}": a command line in
			// one word, run by a shell.
			r.nested(pos, func() { r.script(inner[0], 0, pos, where) })
			return
		}
		r.run(pos, inner, where)
		return
	}
	if (prog == "bash" || prog == "sh" || prog == "zsh") && len(args) >= 3 && args[1] == "-c" {
		r.nested(pos, func() { r.script(args[2], 0, pos, where) })
		return
	}
	if file, ok := repoScript(args); ok {
		r.repoScript(pos, file, where, scriptArgs(args))
		return
	}
	if r.executable(pos, args, where) {
		return
	}
	if noAWS(args) || !env.Credentials() {
		return
	}
	env.Warnf(pos, "unknown-command", "%q runs with the job's AWS credentials; iamfit does not know which AWS calls it makes, so its needs are not included%s", strings.Join(args, " "), whereSuffix(where))
}

func whereSuffix(where string) string {
	if where == "" {
		return ""
	}
	return " (" + where + ")"
}

// nested runs f one level deeper, or reports that the nesting is too deep.
func (r *runner) nested(pos source.Pos, f func()) {
	if r.depth >= maxScriptDepth {
		r.env.Warnf(pos, "script", "scripts nested more than %d levels deep are not read", maxScriptDepth)
		return
	}
	r.depth++
	defer func() { r.depth-- }()
	f()
}

// repoScript reads a script of the repository that a command runs.
func (r *runner) repoScript(pos source.Pos, file, where string, args []string) {
	name := path.Clean(strings.TrimPrefix(file, "./"))
	for _, s := range r.stack {
		if s == name {
			r.env.Warnf(pos, "script", "%s runs itself (a cycle): read once%s", name, whereSuffix(where))
			return
		}
	}
	f, err := r.env.ReadFile(name)
	if err != nil {
		if r.env.Credentials() {
			r.env.Warnf(pos, "script", "cannot read the script %s (%v): the AWS calls it makes with the job's credentials are not included%s", file, err, whereSuffix(where))
		}
		return
	}
	r.runScript(pos, name, string(f.Data), where, args)
}

// runScript reads a script of the repository with its arguments as $1,
// $2, ... and $@.
func (r *runner) runScript(pos source.Pos, name, body, where string, args []string) {
	r.nested(pos, func() {
		r.stack = append(r.stack, name)
		outer := r.args
		if args == nil {
			args = []string{}
		}
		r.args = args
		defer func() { r.stack, r.args = r.stack[:len(r.stack)-1], outer }()
		r.script(body, 0, pos, name)
	})
}

// scriptArgs are the arguments a script is run with (after bash/sh and
// the script's name).
func scriptArgs(args []string) []string {
	if (args[0] == "bash" || args[0] == "sh" || args[0] == "source" || args[0] == ".") && len(args) > 1 {
		return args[2:]
	}
	return args[1:]
}

// executable reads a program of the repository run by its path
// (./bin/deploy): a shell script (by its #! line) is read like a .sh
// file; another language is reported when it runs with the credentials.
func (r *runner) executable(pos source.Pos, args []string, where string) bool {
	first := args[0]
	if !strings.Contains(first, "/") || strings.HasPrefix(first, "/") || strings.Contains(first, "{{") || strings.HasPrefix(first, "~") {
		return false
	}
	name := path.Clean(strings.TrimPrefix(first, "./"))
	f, err := r.env.ReadFile(name)
	if err != nil {
		return false
	}
	line, _, _ := strings.Cut(string(f.Data), "\n")
	if strings.HasPrefix(line, "#!") && (strings.Contains(line, "sh") && !strings.Contains(line, "python") && !strings.Contains(line, "node") && !strings.Contains(line, "ruby") && !strings.Contains(line, "perl")) {
		for _, s := range r.stack {
			if s == name {
				return true
			}
		}
		r.runScript(pos, name, string(f.Data), where, args[1:])
		return true
	}
	if r.env.Credentials() {
		lang := "not a shell script"
		if strings.HasPrefix(line, "#!") {
			lang = "a " + strings.TrimSpace(strings.TrimPrefix(line, "#!")) + " program"
		}
		r.env.Warnf(pos, "unknown-command", "%q runs the repository's %s (%s) with the job's AWS credentials; iamfit reads shell scripts only, so its needs are not included%s", strings.Join(args, " "), name, lang, whereSuffix(where))
	}
	return true
}

// repoScript reports whether a command runs a shell script of the
// repository: ./deploy.sh, scripts/deploy.sh, bash scripts/deploy.sh.
func repoScript(args []string) (string, bool) {
	first := args[0]
	if first == "bash" || first == "sh" || first == "source" || first == "." {
		if len(args) < 2 || strings.HasPrefix(args[1], "-") {
			return "", false
		}
		first = args[1]
	} else if !strings.Contains(first, "/") {
		return "", false
	}
	if strings.HasPrefix(first, "/") || strings.Contains(first, "{{") || strings.HasPrefix(first, "~") {
		return "", false
	}
	if strings.HasSuffix(first, ".sh") || strings.HasSuffix(first, ".bash") || args[0] == "bash" || args[0] == "sh" {
		return first, true
	}
	return "", false
}

// scriptEnv names the repository script a command comes from in the
// reasons of its needs.
type scriptEnv struct {
	Env
	where string
}

func (s *scriptEnv) Add(pos source.Pos, why, action, resource string, conds ...need.Cond) {
	s.Env.Add(pos, why+" ("+s.where+")", action, resource, conds...)
}

// cmdEnv adds the variables a script sets for a command (X=1 cmd, export
// X=1) to the step's environment.
type cmdEnv struct {
	Env
	vars []string // NAME=value
}

func (c *cmdEnv) Getenv(name string) (string, bool) {
	for i := len(c.vars) - 1; i >= 0; i-- {
		if k, v, ok := strings.Cut(c.vars[i], "="); ok && k == name {
			return v, true
		}
	}
	return c.Env.Getenv(name)
}

// ciFile reads a command that writes NAME=value lines to GitHub's
// environment or output file (echo "X=1" >> "$GITHUB_ENV", cat <<EOF >>
// $GITHUB_OUTPUT), and records them for the later steps.
func (r *runner) ciFile(cmd Command) bool {
	if (path.Base(cmd.Args[0]) == "echo") && cmd.Stdout == "" && len(cmd.Args) > 1 {
		// The older workflow command: echo "::set-output name=X::VALUE"
		// (deprecated, still run) sets step output X.
		if rest, ok := strings.CutPrefix(strings.Join(cmd.Args[1:], " "), "::set-output name="); ok {
			if name, value, ok := strings.Cut(rest, "::"); ok && validName(strings.ReplaceAll(name, "-", "_")) {
				r.env.SetOutput(name, value)
			}
			return true
		}
	}
	var set func(name, value string)
	switch {
	case strings.HasSuffix(cmd.Stdout, "GITHUB_ENV}}") || strings.HasSuffix(cmd.Stdout, "GITHUB_ENV"):
		set = r.env.SetEnv
	case strings.HasSuffix(cmd.Stdout, "GITHUB_OUTPUT}}") || strings.HasSuffix(cmd.Stdout, "GITHUB_OUTPUT"):
		set = r.env.SetOutput
	default:
		return false
	}
	var content string
	switch path.Base(cmd.Args[0]) {
	case "echo":
		args := cmd.Args[1:]
		for len(args) > 0 && (args[0] == "-e" || args[0] == "-n" || args[0] == "-E") {
			args = args[1:]
		}
		content = strings.Join(args, " ")
	case "printf":
		if len(cmd.Args) < 2 {
			return true
		}
		content = strings.ReplaceAll(cmd.Args[1], "\\n", "\n")
		for _, a := range cmd.Args[2:] {
			content = strings.Replace(content, "%s", a, 1)
		}
	case "cat":
		content = cmd.Stdin
	default:
		return true
	}
	lines := strings.Split(content, "\n")
	for i := 0; i < len(lines); i++ {
		line := lines[i]
		if name, delim, ok := strings.Cut(line, "<<"); ok && validName(name) {
			// NAME<<DELIM, the value's lines, DELIM.
			var val []string
			for i++; i < len(lines) && lines[i] != delim; i++ {
				val = append(val, lines[i])
			}
			set(name, strings.Join(val, "\n"))
			continue
		}
		if name, val, ok := strings.Cut(line, "="); ok && validName(name) {
			set(name, val)
		}
	}
	return true
}
