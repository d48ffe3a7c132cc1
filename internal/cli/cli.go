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
}

// subcommand is one iamfit command.
type subcommand struct {
	name    string
	summary string
	run     func(c *Command, args []string) int
}

func (c *Command) subcommands() []subcommand {
	return []subcommand{
		{"generate", "derive the deploy role's trust and permission policies from GitHub Actions workflows, proven", (*Command).generate},
		{"lint", "check policies, trust policies and CloudFormation templates, with positions; text, pretty, json, sarif", (*Command).lint},
		{"explain", "explain an AccessDenied message or the denials of CloudTrail logs, with the smallest fix", (*Command).explain},
		{"simulate", "decide IAM requests offline with AWS's evaluation logic and show the deciding statements", (*Command).simulate},
		{"diff", "compare the access two policies grant; --fail-on-wider for CI", (*Command).diff},
		{"actions", "expand action patterns; show an action's access level, resource types and condition keys", (*Command).actions},
		{"version", "print the iamfit version and the catalog's data version", (*Command).version},
		{"help", "show help for iamfit or one of its commands", (*Command).help},
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
	fmt.Fprintf(c.Stderr, "iamfit: unknown command %q\n\n", args[0])
	c.usage(c.Stderr)
	return ExitUsage
}

func (c *Command) usage(w io.Writer) {
	fmt.Fprintf(w, "iamfit: exactly the AWS IAM a container deploy pipeline needs, and not one permission more.\n\n")
	fmt.Fprintf(w, "Usage:\n  iamfit <command> [flags] [arguments]\n\nCommands:\n")
	for _, s := range c.subcommands() {
		fmt.Fprintf(w, "  %-9s %s\n", s.name, s.summary)
	}
	fmt.Fprintf(w, "\nRun 'iamfit <command> --help' for a command's flags.\n")
	fmt.Fprintf(w, "Exit codes: 0 ok, 1 findings or denied, 2 bad usage or input, 3 internal error.\n")
}

func (c *Command) help(args []string) int {
	if len(args) == 0 {
		c.usage(c.Stdout)
		return ExitOK
	}
	for _, s := range c.subcommands() {
		if s.name == args[0] && s.name != "help" {
			return s.run(c, []string{"--help"})
		}
	}
	fmt.Fprintf(c.Stderr, "iamfit: unknown command %q\n", args[0])
	return ExitUsage
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
	return &flags{FlagSet: fs, cmd: c, synopsis: synopsis, doc: doc}
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
			fmt.Fprintf(f.cmd.Stderr, "iamfit %s: %v\n\n", f.Name(), err)
			f.printUsage(f.cmd.Stderr)
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

// stringList is a repeatable flag.
type stringList []string

func (s *stringList) String() string     { return strings.Join(*s, ",") }
func (s *stringList) Set(v string) error { *s = append(*s, v); return nil }
