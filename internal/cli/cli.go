// Package cli implements the iamfit command line: one file per command, no
// globals. Command.Main is the whole program; cmd/iamfit only wires it to
// the process.
package cli

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"runtime/debug"
	"sort"
	"strings"

	"github.com/iamfit/iamfit/internal/catalog"
)

// Exit codes, as documented in the README.
const (
	ExitOK       = 0 // clean / allowed
	ExitFindings = 1 // findings at or over --fail-on, or a request denied
	ExitUsage    = 2 // bad usage or unreadable input
	ExitInternal = 3 // iamfit itself failed
)

// Command is one run of iamfit with its standard streams.
type Command struct {
	Stdin          io.Reader
	Stdout, Stderr io.Writer
	// Getenv reads the environment (NO_COLOR, TERM); nil reads none.
	Getenv func(key string) string

	// defined, when set, receives each flag set a command defines: it is
	// how help, suggestions and completion read the commands' flags.
	defined func(*flags)
}

// getenv returns the environment variable key, or "".
func (c *Command) getenv(key string) string {
	if c.Getenv == nil {
		return ""
	}
	return c.Getenv(key)
}

// subcommand is one iamfit command.
type subcommand struct {
	name    string
	summary string
	run     func(c *Command, args []string) int
	// files: the positional arguments are files or directories (for
	// shell completion).
	files bool
}

func (c *Command) subcommands() []subcommand {
	return []subcommand{
		{"generate", "derive the deploy role's trust and permission policies from GitHub Actions workflows, proven", (*Command).generate, true},
		{"lint", "check policies, trust policies and CloudFormation templates, with positions; text, pretty, json, sarif, github", (*Command).lint, true},
		{"explain", "explain an AccessDenied message or the denials of CloudTrail logs, with the smallest fix", (*Command).explain, false},
		{"simulate", "decide IAM requests offline with AWS's evaluation logic and show the deciding statements", (*Command).simulate, false},
		{"diff", "compare the access two policies grant; --fail-on-wider for CI", (*Command).diff, true},
		{"actions", "expand action patterns; show an action's access level, resource types and condition keys", (*Command).actions, false},
		{"version", "print the iamfit version and the catalog's data version", (*Command).version, false},
		{"completion", "print a shell completion script: bash, zsh or fish", (*Command).completion, false},
		{"help", "show help for iamfit or one of its commands", (*Command).help, false},
	}
}

// Main runs iamfit with args (without the program name) and returns the
// exit code.
func (c *Command) Main(args []string) (code int) {
	defer func() {
		if r := recover(); r != nil {
			fmt.Fprintf(c.Stderr, "iamfit: internal error: %v\n%s\nPlease report this with the input that caused it.\n", r, debug.Stack())
			code = ExitInternal
		}
	}()
	defer c.bufferStdout()()
	if len(args) == 0 {
		c.usage(c.Stderr)
		return ExitUsage
	}
	switch args[0] {
	case "-h", "-help", "--help":
		c.usage(c.Stdout)
		return ExitOK
	case "-version", "--version":
		return c.version(nil)
	}
	for _, s := range c.subcommands() {
		if s.name == args[0] {
			return s.run(c, args[1:])
		}
	}
	fmt.Fprintf(c.Stderr, "iamfit: unknown command %q%s\nRun 'iamfit help' for the list of commands.\n", args[0], c.suggest(args[0]))
	return ExitUsage
}

// suggest returns "; did you mean X?" for the command nearest to name, or
// "".
func (c *Command) suggest(name string) string {
	var names []string
	for _, s := range c.subcommands() {
		names = append(names, s.name)
	}
	if best := nearest(name, names); best != "" {
		return fmt.Sprintf("; did you mean %q?", best)
	}
	return ""
}

// nearest returns the candidate nearest to name: at most two edits away
// (one for names of three letters or fewer), or of which name is a
// prefix of two letters or more; "" when none is.
func nearest(name string, candidates []string) string {
	best, dist := "", 3
	if len(name) <= 3 {
		dist = 2
	}
	for _, cand := range candidates {
		d := catalog.EditDistance(name, cand, dist)
		if strings.HasPrefix(cand, name) && len(name) >= 2 {
			d = min(d, 1)
		}
		if d < dist {
			best, dist = cand, d
		}
	}
	return best
}

func (c *Command) usage(w io.Writer) {
	fmt.Fprintf(w, "iamfit: exactly the AWS IAM a container deploy pipeline needs, and not one permission more.\n\n")
	fmt.Fprintf(w, "Usage:\n  iamfit <command> [flags] [arguments]\n\nCommands:\n")
	for _, s := range c.subcommands() {
		fmt.Fprintf(w, "  %-10s %s\n", s.name, s.summary)
	}
	fmt.Fprintf(w, "\nRun 'iamfit help <command>' (or 'iamfit <command> --help') for a command's flags;\n'iamfit completion bash|zsh|fish' prints a shell completion script.\n")
	fmt.Fprintf(w, "Exit codes: 0 ok, 1 findings or denied, 2 bad usage or input, 3 internal error.\n")
}

func (c *Command) help(args []string) int {
	if len(args) == 0 || args[0] == "help" {
		c.usage(c.Stdout)
		return ExitOK
	}
	if len(args) > 1 {
		return c.fail("help", "one COMMAND at most, got %d", len(args))
	}
	for _, s := range c.subcommands() {
		if s.name == args[0] {
			return s.run(c, []string{"--help"})
		}
	}
	fmt.Fprintf(c.Stderr, "iamfit help: unknown command %q%s\nRun 'iamfit help' for the list of commands.\n", args[0], c.suggest(args[0]))
	return ExitUsage
}

// commandFlags returns the flags a command defines, read by running it
// with --help and its output discarded; nil for a command without flags.
func (c *Command) commandFlags(s subcommand) *flags {
	var got *flags
	probe := &Command{Stdin: strings.NewReader(""), Stdout: io.Discard, Stderr: io.Discard, defined: func(f *flags) { got = f }}
	if s.name != "help" {
		s.run(probe, []string{"--help"})
	}
	return got
}

// flags is a command's flag set with its usage text.
type flags struct {
	*flag.FlagSet
	cmd      *Command
	synopsis string
	doc      string
}

func (c *Command) newFlags(name, synopsis, doc string) *flags {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	f := &flags{FlagSet: fs, cmd: c, synopsis: synopsis, doc: doc}
	if c.defined != nil {
		c.defined(f)
	}
	return f
}

func (f *flags) printUsage(w io.Writer) {
	fmt.Fprintf(w, "Usage: iamfit %s %s\n\n%s\n", f.Name(), f.synopsis, strings.TrimSpace(f.doc))
	var names []string
	f.VisitAll(func(fl *flag.Flag) { names = append(names, fl.Name) })
	if len(names) == 0 {
		return
	}
	sort.Strings(names)
	fmt.Fprintf(w, "\nFlags:\n")
	for _, n := range names {
		fl := f.Lookup(n)
		typ, usage := flag.UnquoteUsage(fl)
		head := "  --" + n
		if typ != "" {
			head += " " + typ
		}
		def := ""
		if fl.DefValue != "" && fl.DefValue != "false" && fl.DefValue != "[]" {
			def = fmt.Sprintf(" (default %q)", fl.DefValue)
		}
		fmt.Fprintf(w, "%s\n      %s%s\n", head, usage, def)
	}
}

// parse parses flags and positional arguments in any order ("--" ends
// flags). It returns the positional arguments, or a non-negative exit code
// when the command should stop: 0 after --help, 2 on a bad flag.
func (f *flags) parse(args []string) ([]string, int) {
	var pos []string
	for {
		if err := f.Parse(args); err != nil {
			if errors.Is(err, flag.ErrHelp) {
				f.printUsage(f.cmd.Stdout)
				return nil, ExitOK
			}
			fmt.Fprintf(f.cmd.Stderr, "iamfit %s: %v%s\nRun 'iamfit %s --help' for its flags.\n", f.Name(), err, f.suggestFlag(err), f.Name())
			return nil, ExitUsage
		}
		rest := f.Args()
		if len(rest) == 0 {
			return pos, -1
		}
		if len(args) > len(rest) && args[len(args)-len(rest)-1] == "--" {
			return append(pos, rest...), -1
		}
		pos = append(pos, rest[0])
		args = rest[1:]
	}
}

// suggestFlag returns "; did you mean --X?" for an unknown flag near one
// of the command's, "; --X is a flag of iamfit OTHER" for a flag another
// command has, or "".
func (f *flags) suggestFlag(err error) string {
	name, ok := strings.CutPrefix(err.Error(), "flag provided but not defined: -")
	if !ok {
		return ""
	}
	name = strings.TrimPrefix(name, "-")
	var names []string
	f.VisitAll(func(fl *flag.Flag) { names = append(names, fl.Name) })
	if best := nearest(name, names); best != "" {
		return fmt.Sprintf("; did you mean --%s?", best)
	}
	if f.cmd.defined != nil {
		return "" // a probe for the flags: no recursion
	}
	var others []string
	for _, s := range f.cmd.subcommands() {
		if s.name == f.Name() {
			continue
		}
		if of := f.cmd.commandFlags(s); of != nil && of.Lookup(name) != nil {
			others = append(others, "iamfit "+s.name)
		}
	}
	if len(others) > 0 {
		return fmt.Sprintf("; --%s is a flag of %s", name, strings.Join(others, " and "))
	}
	return ""
}

// stringList is a repeatable flag.
type stringList []string

func (s *stringList) String() string     { return strings.Join(*s, ",") }
func (s *stringList) Set(v string) error { *s = append(*s, v); return nil }
