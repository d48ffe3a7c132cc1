// Package render writes iamfit's results: findings as text, pretty text,
// JSON and SARIF; decisions, diffs and actions as text and JSON;
// explanations of denials as text; and policies as CloudFormation and
// Terraform. Each kind of result has a registry of formats that commands
// look up by name (see registry.go). Every machine format is built from
// typed values and is deterministic.
package render

import (
	"encoding/json"
	"fmt"
	"io"
	"strings"
	"unicode/utf8"

	"github.com/iamfit/iamfit/internal/source"
)

// Text writes one "file:line:col: severity: message [check]" line each.
func Text(w io.Writer, ds []source.Diagnostic) error {
	var line []byte
	for _, d := range ds {
		line = append(d.AppendText(line[:0]), '\n')
		if _, err := w.Write(line); err != nil {
			return err
		}
	}
	return nil
}

// Pretty writes each diagnostic followed by its source line and a caret
// under the column. files maps names to their contents. With color, the
// place, severity, check id and caret are in colour (ANSI escapes): for a
// terminal only.
func Pretty(w io.Writer, ds []source.Diagnostic, files map[string]*source.File, color bool) error {
	p := palette{on: color}
	for _, d := range ds {
		if _, err := fmt.Fprintln(w, p.diagnostic(d)); err != nil {
			return err
		}
		f := files[d.File]
		if f == nil || !d.Pos.IsValid() {
			continue
		}
		line := f.Line(d.Pos.Line)
		if line == "" {
			continue
		}
		gutter := fmt.Sprintf("%5d | ", d.Pos.Line)
		// Tabs keep their width under the caret.
		var pad strings.Builder
		col := 1
		for _, r := range line {
			if col >= d.Pos.Col {
				break
			}
			if r == '\t' {
				pad.WriteByte('\t')
			} else {
				pad.WriteByte(' ')
			}
			col++
		}
		if utf8.RuneCountInString(line) > 400 {
			continue // minified JSON: the line would not help
		}
		fmt.Fprintf(w, "%s%s\n%s%s%s\n", p.paint(sgrGutter, gutter), line, p.paint(sgrGutter, strings.Repeat(" ", len(gutter)-2)+"| "), pad.String(), p.paint(sgrGreen, "^"))
	}
	return nil
}

type jsonDiag struct {
	File     string `json:"file"`
	Line     int    `json:"line"`
	Column   int    `json:"column"`
	Severity string `json:"severity"`
	Check    string `json:"check"`
	Message  string `json:"message"`
}

// jsonLintVersion is the version of lint's JSON output;
// docs/json/lint.schema.json documents it. A change that removes or
// renames a field, or changes a field's meaning, takes a new version.
const jsonLintVersion = 1

// jsonFindings is lint's JSON output.
type jsonFindings struct {
	Version  int         `json:"version"`
	Findings []jsonDiag  `json:"findings"`
	Summary  jsonSummary `json:"summary"`
}

// jsonSummary counts the files read and the findings by severity.
type jsonSummary struct {
	Files    int `json:"files"`
	Errors   int `json:"errors"`
	Warnings int `json:"warnings"`
	Infos    int `json:"infos"`
}

// JSON writes the findings as one JSON object: the version, the findings
// in order and their counts.
func JSON(w io.Writer, f *Findings) error {
	out := jsonFindings{Version: jsonLintVersion, Findings: make([]jsonDiag, 0, len(f.Diagnostics))}
	out.Summary.Files = len(f.Files)
	if f.Files == nil {
		out.Summary.Files = f.FileCount
	}
	for _, d := range f.Diagnostics {
		out.Findings = append(out.Findings, jsonDiag{d.File, d.Pos.Line, d.Pos.Col, d.Severity.String(), d.Check, d.Message})
		switch d.Severity {
		case source.Error:
			out.Summary.Errors++
		case source.Warning:
			out.Summary.Warnings++
		default:
			out.Summary.Infos++
		}
	}
	return writeJSON(w, out)
}

// writeJSON writes v as indented JSON and a newline.
func writeJSON(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(v)
}
