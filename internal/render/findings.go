package render

import (
	"io"

	"github.com/iamfit/iamfit/internal/source"
)

// Findings are what a findings format writes: the diagnostics of a run,
// the files they point into and the rules (checks) that ran.
type Findings struct {
	Diagnostics []source.Diagnostic
	// Files are the files read; a later file of the same name wins.
	Files []*source.File
	// FileCount is the number of files read when Files is nil: a run that
	// writes its findings file by file keeps no files.
	FileCount int
	// Rules describe the checks that ran, for formats that carry them.
	Rules []Rule
	// Root is the absolute repository root (or working directory), which
	// SARIF's relative URIs are relative to (its SRCROOT); empty leaves
	// them unanchored. Dir is the working directory the files' relative
	// names are relative to (Root when empty).
	Root, Dir string
	// Version is iamfit's version, for formats that name their tool.
	Version string
	// Color asks the formats for people to use colour (a terminal that
	// wants it: see the --color flag of lint).
	Color bool
}

// FindingsFormat is one output format for findings.
type FindingsFormat struct {
	Name string
	// ForPeople formats are read in a terminal: a summary of the counts
	// belongs beside them; machine formats stand alone.
	ForPeople bool
	// Stream formats write each finding on its own, with nothing before or
	// after: Write of one file's findings after another's makes the output
	// of all, so that a run need not hold them all.
	Stream bool
	Write  func(w io.Writer, f *Findings) error
}

// findingsFormats is the registry of findings formats, in the order help
// texts list them. A new format is a file with its writer and a line here.
var findingsFormats = []*FindingsFormat{
	{Name: "text", ForPeople: true, Stream: true, Write: func(w io.Writer, f *Findings) error { return Text(w, f.Diagnostics) }},
	{Name: "pretty", ForPeople: true, Stream: true, Write: func(w io.Writer, f *Findings) error { return Pretty(w, f.Diagnostics, fileMap(f.Files), f.Color) }},
	{Name: "json", Write: func(w io.Writer, f *Findings) error { return JSON(w, f) }},
	{Name: "sarif", Write: func(w io.Writer, f *Findings) error { return SARIF(w, f) }},
	{Name: "github", Stream: true, Write: func(w io.Writer, f *Findings) error { return GitHub(w, f.Diagnostics) }},
}

// LookupFindings returns the findings format of that name.
func LookupFindings(name string) (*FindingsFormat, bool) {
	return lookup(findingsFormats, name)
}

// FindingsFormats lists the names of the findings formats:
// "text, pretty, json, sarif or github".
func FindingsFormats() string {
	return names(findingsFormats)
}

func fileMap(files []*source.File) map[string]*source.File {
	m := make(map[string]*source.File, len(files))
	for _, f := range files {
		m[f.Name] = f
	}
	return m
}
