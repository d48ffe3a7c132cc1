package lint

import (
	"fmt"
	"strings"
)

// Markdown renders the checks reference (docs/checks.md).
func Markdown() string {
	var b strings.Builder
	b.WriteString("# iamfit lint checks\n\n")
	b.WriteString("Generated from the checks' own documentation (`internal/lint`); `go test ./internal/lint -run TestDocs -update` rewrites it. ")
	b.WriteString("`iamfit lint --list` prints the same list.\n\n")
	b.WriteString("| id | severity |\n|---|---|\n")
	for _, c := range Checks() {
		fmt.Fprintf(&b, "| [`%s`](#%s) | %s |\n", c.ID, c.ID, c.Severity)
	}
	for _, c := range Checks() {
		fmt.Fprintf(&b, "\n## %s\n\nSeverity: %s.", c.ID, c.Severity)
		switch {
		case c.External:
			b.WriteString(" Needs --workflows DIR.")
		case c.Run == nil:
			b.WriteString(" Reported by the policy parser.")
		}
		fmt.Fprintf(&b, "\n\n%s\n", c.Doc)
	}
	return b.String()
}
