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
	b.WriteString(configDoc)
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

// configDoc is the section of docs/checks.md on suppressions.
const configDoc = `
## Suppressions: .iamfit.yaml and baselines

JSON has no comments, so a finding cannot be silenced next to the policy. Instead, the repository holds a
` + "`.iamfit.yaml`" + ` (read from the current directory, or named with ` + "`--config FILE`" + `), as checkov and cfn-lint do:

` + "```yaml" + `
disable: [resource-star]          # checks not to run
severity:
  write-on-star: error            # error, warning or info
ignore:                           # findings left out, each with its reason
  - paths: ["legacy/**"]          # relative to the file; ** is any number of directories,
    checks: [service-wildcard]    # "dir/" everything under dir, a name without / any file of that name
    reason: the legacy stack is deleted in Q3
  - paths: ["site/bucket-policy.json"]
    checks: [public-resource-policy]
    reason: the bucket is the public website
` + "```" + `

Unknown fields and check ids, and an ignore rule without a reason, are errors. A rule without ` + "`paths`" + ` applies to
every file, one without ` + "`checks`" + ` to every check.

To adopt iamfit on a repository that already has findings, record them once and see only new ones afterwards:

` + "```sh" + `
iamfit lint --baseline iamfit-baseline.json --update-baseline .   # writes the file, exits 0
iamfit lint --baseline iamfit-baseline.json .                     # reports what is not in it
` + "```" + `

A baseline entry is a file (relative to the baseline), a check and a message, with a count, not a line: edits elsewhere
in the file do not bring a finding back, and a second occurrence of the same finding is new. Dates in messages (the
catalog's "data of 2026-09-26") are ignored, so a catalog update keeps the baseline. The configuration applies first:
ignored findings are not recorded.

Output for CI: ` + "`--format sarif`" + ` for GitHub code scanning, with a fix where it is mechanical (a mistyped action or service,
spaces around a value). Each rule has a name, help, tags (` + "`security`" + ` with a CWE, or ` + "`correctness`" + `) and, for the
security checks, a ` + "`security-severity`" + `; each result a partial fingerprint (` + "`iamfitFinding/v1`" + `: the file, check and message,
not the line) and a URI relative to ` + "`SRCROOT`" + `, the repository root (the nearest directory up from the working directory
that holds ` + "`.git`" + `); standard input is ` + "`file:///dev/stdin`" + `. ` + "`--format github`" + ` for workflow-command annotations
(` + "`::error file=F,line=L,col=C,title=CHECK::MESSAGE`" + `) on the pull request without code scanning.
`
