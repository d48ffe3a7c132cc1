package cli

import (
	"bytes"
	"flag"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
)

// completionScript runs iamfit completion SHELL.
func completionScript(t *testing.T, shell string) string {
	t.Helper()
	var out, errb bytes.Buffer
	c := Command{Stdin: strings.NewReader(""), Stdout: &out, Stderr: &errb}
	if code := c.Main([]string{"completion", shell}); code != ExitOK {
		t.Fatalf("completion %s: exit %d: %s", shell, code, errb.String())
	}
	return out.String()
}

// TestCompletionMentionsEverything: each shell's script names every
// command and every flag of every command, as that shell spells it, and
// is valid syntax where the shell is installed.
func TestCompletionMentionsEverything(t *testing.T) {
	c := &Command{}
	model := c.completionModel()
	if len(model) != len(c.subcommands()) {
		t.Fatalf("%d commands in the model, %d defined", len(model), len(c.subcommands()))
	}
	spell := map[string]func(cmd, flag string) string{
		"bash": func(_, flag string) string { return "--" + flag },
		"zsh":  func(_, flag string) string { return "--" + flag + "[" },
		"fish": func(cmd, flag string) string {
			return "-n '__fish_seen_subcommand_from " + cmd + "' -l " + flag + " "
		},
	}
	for _, sh := range shells {
		t.Run(sh.name, func(t *testing.T) {
			script := completionScript(t, sh.name)
			for _, s := range c.subcommands() {
				if !strings.Contains(script, s.name) {
					t.Errorf("no command %s", s.name)
				}
				f := c.commandFlags(s)
				if f == nil {
					continue
				}
				f.VisitAll(func(fl *flag.Flag) {
					if !strings.Contains(script, spell[sh.name](s.name, fl.Name)) {
						t.Errorf("%s: no flag --%s", s.name, fl.Name)
					}
				})
			}
			if _, err := exec.LookPath(sh.name); err != nil {
				t.Logf("%s is not installed: syntax not checked", sh.name)
				return
			}
			file := filepath.Join(t.TempDir(), "iamfit."+sh.name)
			os.WriteFile(file, []byte(script), 0o644)
			if out, err := exec.Command(sh.name, "-n", file).CombinedOutput(); err != nil {
				t.Errorf("%s -n: %v\n%s", sh.name, err, out)
			}
		})
	}
}

// TestBashCompletion completes words with the bash script.
func TestBashCompletion(t *testing.T) {
	if _, err := exec.LookPath("bash"); err != nil {
		t.Skip("bash is not installed")
	}
	file := filepath.Join(t.TempDir(), "iamfit.bash")
	os.WriteFile(file, []byte(completionScript(t, "bash")), 0o644)
	for _, tt := range []struct {
		words string // the command line; the last word is completed
		want  []string
	}{
		{"iamfit li", []string{"lint"}},
		{"iamfit ", []string{"generate", "lint", "explain", "simulate", "diff", "actions", "version", "completion", "help", "--help", "--version"}},
		{"iamfit lint --for", []string{"--format"}},
		{"iamfit lint --format ", []string{"text", "pretty", "json", "sarif", "github"}},
		{"iamfit lint --format j", []string{"json"}},
		{"iamfit generate --fail-on ", []string{"error", "warning", "none"}},
		{"iamfit lint --type s", []string{"scp", "session"}},
		{"iamfit generate --ch", []string{"--check"}},
		{"iamfit help ge", []string{"generate"}},
		{"iamfit completion ", []string{"bash", "zsh", "fish"}},
		{"iamfit lint --workflows ", nil}, // files: the shell's default
		{"iamfit simulate --quiet --po", []string{"--policy"}},
	} {
		words := strings.Split(tt.words, " ")
		var quoted []string
		for _, w := range words {
			quoted = append(quoted, "'"+w+"'")
		}
		prog := "source " + file + "\nCOMP_WORDS=(" + strings.Join(quoted, " ") + ")\nCOMP_CWORD=" + strconv.Itoa(len(words)-1) +
			"\n_iamfit\nprintf '%s\\n' \"${COMPREPLY[@]}\"\n"
		out, err := exec.Command("bash", "--norc", "--noprofile", "-c", prog).CombinedOutput()
		if err != nil {
			t.Fatalf("%q: %v\n%s", tt.words, err, out)
		}
		got := strings.Fields(string(out))
		if !slices.Equal(got, tt.want) {
			t.Errorf("%q: got %q, want %q", tt.words, got, tt.want)
		}
	}
}

func TestChoices(t *testing.T) {
	for _, tt := range []struct {
		usage string
		want  []string
	}{
		{"output format: text, pretty, json or sarif", []string{"text", "pretty", "json", "sarif"}},
		{"output format: text or json (one JSON object per request)", []string{"text", "json"}},
		{"policy type of every policy file: identity, resource, trust (default: detected)", []string{"identity", "resource", "trust"}},
		{"exit 1 at this severity: error, warning (wide triggers, steps) or none", nil},
		{"the GitHub repository owner/name (default: from the origin remote)", nil},
		{"with --check: the repository DIR whose workflows to read", nil},
	} {
		if got := choices(tt.usage); !slices.Equal(got, tt.want) {
			t.Errorf("choices(%q) = %q, want %q", tt.usage, got, tt.want)
		}
	}
}

func TestCompletionUsage(t *testing.T) {
	for _, tt := range []struct {
		args []string
		want string
	}{
		{[]string{"completion"}, "need one shell: bash, zsh, fish"},
		{[]string{"completion", "bsh"}, `unknown shell "bsh" (want bash, zsh, fish); did you mean "bash"?`},
		{[]string{"completion", "bash", "zsh"}, "need one shell"},
	} {
		var out, errb bytes.Buffer
		c := Command{Stdin: strings.NewReader(""), Stdout: &out, Stderr: &errb}
		if code := c.Main(tt.args); code != ExitUsage || !strings.Contains(errb.String(), tt.want) || out.Len() > 0 {
			t.Errorf("%v: exit %d, %q", tt.args, code, errb.String())
		}
	}
}
