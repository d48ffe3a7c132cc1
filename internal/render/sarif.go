package render

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"net/url"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"unicode"

	"github.com/owenrumney/go-sarif/v2/sarif"

	"github.com/iamfit/iamfit/internal/source"
)

// Rule describes a check for SARIF's rule metadata.
type Rule struct {
	ID       string
	Severity source.Severity
	Doc      string
	// Tags are GitHub's rule tags ("security", a family, a CWE).
	Tags []string
	// SecuritySeverity is the score on GitHub's 0.0-10.0 scale; 0 for a
	// check that is not about security, which code scanning then ranks by
	// its level.
	SecuritySeverity float64
	// Documented is true when docs/checks.md has a section on the rule,
	// so that a helpUri to it resolves.
	Documented bool
}

// Stdin is the name the CLI gives standard input.
const Stdin = "<stdin>"

// srcRoot is the uriBaseId of the files' URIs: the working directory
// (SARIF 2.1.0 §3.4.4, §3.14.14).
const srcRoot = "SRCROOT"

// FingerprintKey names iamfit's partial fingerprint (SARIF 2.1.0 §3.27.17):
// a hash of the file, check, message and occurrence, without the line, so
// that an alert keeps its identity when lines above it move.
const FingerprintKey = "iamfitFinding/v1"

var (
	dates   = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`\b\d{4}-\d{2}-\d{2}\b`) })
	release = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`^v?(\d+\.\d+\.\d+)$`) })
)

// helpURI is the rule's section of docs/checks.md, at the release's tag
// (whose docs match the binary) or on main for a development build.
func helpURI(id, version string) string {
	ref := "main"
	if m := release().FindStringSubmatch(version); m != nil {
		ref = "v" + m[1]
	}
	return "https://github.com/iamfit/iamfit/blob/" + ref + "/docs/checks.md#" + id
}

// RuleName is a check id as a SARIF rule name (§3.49.7), which is meant to
// be read and is distinct from the id: "unknown-action" is "UnknownAction".
func RuleName(id string) string {
	var b strings.Builder
	up := true
	for _, r := range id {
		switch {
		case r == '-' || r == '_':
			up = true
		case up:
			b.WriteRune(unicode.ToUpper(r))
			up = false
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}

// ArtifactURI returns a file's SARIF artifact location: a relative
// reference against SRCROOT (root: the repository root) for a file under
// it, an absolute file:// URI for one outside, and file:///dev/stdin for
// standard input (§3.4.3: a URI, percent-encoded). A relative name is
// relative to dir, the working directory (root when empty).
func ArtifactURI(name, dir, root string) *sarif.ArtifactLocation {
	if name == Stdin {
		return sarif.NewArtifactLocation().WithUri("file:///dev/stdin").
			WithDescription(sarif.NewMessage().WithText("standard input"))
	}
	p := filepath.ToSlash(filepath.Clean(name))
	abs := filepath.IsAbs(name)
	if root != "" {
		full := name
		if !abs {
			if dir == "" {
				dir = root
			}
			full = filepath.Join(dir, name)
		}
		p, abs = filepath.ToSlash(full), true
		if rel, err := filepath.Rel(root, full); err == nil && rel != ".." && !strings.HasPrefix(filepath.ToSlash(rel), "../") {
			p, abs = filepath.ToSlash(rel), false
		}
	}
	if abs {
		if !strings.HasPrefix(p, "/") {
			p = "/" + p // a Windows drive: file:///C:/...
		}
		return sarif.NewArtifactLocation().WithUri((&url.URL{Scheme: "file", Path: p}).String())
	}
	ref := (&url.URL{Path: p}).EscapedPath()
	if first, _, _ := strings.Cut(ref, "/"); strings.Contains(first, ":") {
		ref = "./" + ref // not read as a scheme
	}
	loc := sarif.NewArtifactLocation().WithUri(ref)
	if root != "" {
		loc.WithUriBaseId(srcRoot)
	}
	return loc
}

func sarifLevel(s source.Severity) string {
	switch s {
	case source.Error:
		return "error"
	case source.Warning:
		return "warning"
	}
	return "note"
}

// problemSeverity is GitHub's problem.severity property for rules that are
// not about security.
func problemSeverity(s source.Severity) string {
	switch s {
	case source.Error:
		return "error"
	case source.Warning:
		return "warning"
	}
	return "recommendation"
}

// SARIF writes a SARIF 2.1.0 log as GitHub code scanning takes it: rules
// with a name, descriptions, help, tags and a security-severity; results
// with a partial fingerprint and a location relative to SRCROOT (f.Root,
// the repository root); fixes where one is mechanical. GitHub's reading
// of these properties: docs.github.com/en/code-security/code-scanning/
// integrating-with-code-scanning/sarif-support-for-code-scanning.
func SARIF(w io.Writer, f *Findings) error {
	report, err := sarif.New(sarif.Version210)
	if err != nil {
		return err
	}
	run := sarif.NewRunWithInformationURI("iamfit", "https://github.com/iamfit/iamfit")
	run.Tool.Driver.WithVersion(f.Version)
	run.WithColumnKind("unicodeCodePoints") // columns count runes (§3.14.18)
	if f.Root != "" {
		root := filepath.ToSlash(f.Root)
		if !strings.HasPrefix(root, "/") {
			root = "/" + root
		}
		if !strings.HasSuffix(root, "/") {
			root += "/" // §3.14.14: a base URI ends with a slash
		}
		run.WithOriginalUriBaseIds(map[string]*sarif.ArtifactLocation{
			srcRoot: sarif.NewArtifactLocation().WithUri((&url.URL{Scheme: "file", Path: root}).String()),
		})
	}
	index := map[string]uint{}
	addRule := func(r Rule) {
		short := r.Doc
		if i := strings.Index(short, ". "); i > 0 {
			short = short[:i+1]
		}
		if short == "" {
			short = r.ID
		}
		props := sarif.Properties{"tags": r.Tags, "precision": "very-high"}
		if r.Tags == nil {
			props["tags"] = []string{"iam"}
		}
		if r.SecuritySeverity > 0 {
			props["security-severity"] = strconv.FormatFloat(r.SecuritySeverity, 'f', 1, 64)
		} else {
			props["problem.severity"] = problemSeverity(r.Severity)
		}
		markdown := fmt.Sprintf("**%s** (`%s`, default severity %s)\n\n%s", RuleName(r.ID), r.ID, r.Severity, r.Doc)
		rule := run.AddRule(r.ID).
			WithName(RuleName(r.ID)).
			WithShortDescription(sarif.NewMultiformatMessageString(short)).
			WithFullDescription(sarif.NewMultiformatMessageString(r.Doc)).
			WithDefaultConfiguration(sarif.NewReportingConfiguration().WithLevel(sarifLevel(r.Severity)))
		if r.Documented {
			u := helpURI(r.ID, f.Version)
			rule.WithHelpURI(u)
			markdown += fmt.Sprintf("\n\n[%s in the checks reference](%s)", r.ID, u)
		}
		rule.WithHelp(sarif.NewMultiformatMessageString(r.Doc).WithMarkdown(markdown))
		rule.Properties = props
		index[r.ID] = uint(len(run.Tool.Driver.Rules) - 1)
	}
	for _, r := range f.Rules {
		if _, dup := index[r.ID]; !dup {
			addRule(r)
		}
	}
	occurrences := map[string]int{}
	for _, d := range f.Diagnostics {
		if d.Check == "" {
			d.Check = "iamfit" // a ruleId is never empty
		}
		if _, ok := index[d.Check]; !ok {
			// A finding of a check the rules do not describe (a read
			// error): a rule of its own, without help to link to.
			addRule(Rule{ID: d.Check, Severity: d.Severity, Doc: d.Message})
		}
		loc := ArtifactURI(d.File, f.Dir, f.Root)
		run.AddDistinctArtifact(*loc.URI).Location = loc
		region := sarif.NewRegion().WithStartLine(max(d.Pos.Line, 1)).WithStartColumn(max(d.Pos.Col, 1))
		key := *loc.URI + "\x00" + d.Check + "\x00" + dates().ReplaceAllString(d.Message, "DATE")
		occurrences[key]++
		sum := sha256.Sum256([]byte(key + "\x00" + strconv.Itoa(occurrences[key])))
		res := run.CreateResultForRule(d.Check).
			WithRuleIndex(int(index[d.Check])).
			WithLevel(sarifLevel(d.Severity)).
			WithMessage(sarif.NewTextMessage(d.Message)).
			WithPartialFingerPrints(map[string]interface{}{FingerprintKey: hex.EncodeToString(sum[:16])})
		res.AddLocation(sarif.NewLocationWithPhysicalLocation(
			sarif.NewPhysicalLocation().WithArtifactLocation(loc).WithRegion(region)))
		withFix(res, d.Fix, loc)
	}
	report.AddRun(run)
	return report.PrettyWrite(w)
}
