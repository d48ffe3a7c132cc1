// Package source holds input files and positions in them, and the
// diagnostics that every reader and check reports against them.
package source

import (
	"bytes"
	"cmp"
	"fmt"
	"slices"
	"sort"
	"strconv"
	"strings"
	"unicode/utf8"
)

// File is one input: its name as the user gave it and its bytes.
type File struct {
	Name string
	Data []byte

	lines []int // offsets of line starts, computed on first use

	// The last Position answer: readers ask for increasing offsets on the
	// same line, so counting can resume from there.
	lastOff, lastLine, lastCol int
}

// NewFile returns a File for data read from name.
func NewFile(name string, data []byte) *File { return &File{Name: name, Data: data} }

// Pos is a position in a file: 1-based line and column, where the column
// counts characters (runes), as editors and SARIF do. The zero Pos means
// "no position".
type Pos struct {
	Line, Col int
}

// IsValid reports whether p names a position.
func (p Pos) IsValid() bool { return p.Line > 0 }

func (p Pos) String() string { return fmt.Sprintf("%d:%d", p.Line, p.Col) }

// Position converts a byte offset into a line and column. Offsets past the
// end give the position just after the last byte.
func (f *File) Position(offset int) Pos {
	if f == nil {
		return Pos{}
	}
	if f.lines == nil {
		f.lines = make([]int, 1, bytes.Count(f.Data, []byte{'\n'})+1)
		for i := 0; ; {
			j := bytes.IndexByte(f.Data[i:], '\n')
			if j < 0 {
				break
			}
			i += j + 1
			f.lines = append(f.lines, i)
		}
	}
	offset = max(0, min(offset, len(f.Data)))
	if f.lastLine > 0 && offset >= f.lastOff {
		next := len(f.Data) + 1
		if f.lastLine < len(f.lines) {
			next = f.lines[f.lastLine]
		}
		if offset < next {
			col := f.lastCol + utf8.RuneCount(f.Data[f.lastOff:offset])
			f.lastOff, f.lastCol = offset, col
			return Pos{Line: f.lastLine, Col: col}
		}
	}
	var i int
	if f.lastLine > 0 && offset >= f.lastOff && f.lastLine+4 < len(f.lines) && offset < f.lines[f.lastLine+4] {
		// A few lines further on, as readers mostly go: no search.
		for i = f.lastLine; f.lines[i+1] <= offset; i++ {
		}
	} else {
		i = sort.Search(len(f.lines), func(i int) bool { return f.lines[i] > offset }) - 1
	}
	start := f.lines[i]
	col := 1 + utf8.RuneCount(f.Data[start:offset])
	f.lastOff, f.lastLine, f.lastCol = offset, i+1, col
	return Pos{Line: i + 1, Col: col}
}

// Offset converts a line and column (in characters) back into a byte
// offset, clamped to the file.
func (f *File) Offset(p Pos) int {
	if f == nil || p.Line < 1 {
		return 0
	}
	f.Position(0)
	if p.Line > len(f.lines) {
		return len(f.Data)
	}
	off := f.lines[p.Line-1]
	for col := 1; col < p.Col && off < len(f.Data) && f.Data[off] != '\n'; col++ {
		_, size := utf8.DecodeRune(f.Data[off:])
		off += size
	}
	return off
}

// Line returns the text of the 1-based line n without its line break, or "".
func (f *File) Line(n int) string {
	if f == nil || n < 1 {
		return ""
	}
	f.Position(0)
	if n > len(f.lines) {
		return ""
	}
	start := f.lines[n-1]
	end := len(f.Data)
	if n < len(f.lines) {
		end = f.lines[n] - 1
	}
	return strings.TrimSuffix(string(f.Data[start:end]), "\r")
}

// Severity orders diagnostics by how much they matter.
type Severity int

// The severities, from least to most severe.
const (
	Info Severity = iota
	Warning
	Error
)

func (s Severity) String() string {
	switch s {
	case Info:
		return "info"
	case Warning:
		return "warning"
	default:
		return "error"
	}
}

// ParseSeverity reads "error", "warning" or "info".
func ParseSeverity(s string) (Severity, error) {
	switch s {
	case "error":
		return Error, nil
	case "warning":
		return Warning, nil
	case "info":
		return Info, nil
	}
	return 0, fmt.Errorf("unknown severity %q (want error, warning or info)", s)
}

// Diagnostic is one problem found in a file.
type Diagnostic struct {
	File     string
	Pos      Pos
	Severity Severity
	Message  string
	Check    string // the check id, such as "json-syntax"
	Path     string // the JSON path of the value, such as "Statement[0].Action"
	// Fix, when set, is the mechanical edit that resolves the finding.
	Fix Fix
}

// Fix is an edit of one file that resolves a finding: the text from Start
// up to End (exclusive, on the same line) becomes New. The zero Fix means
// there is none.
type Fix struct {
	Start, End Pos
	New        string
	// Description says what the edit does: "replace with s3:GetObject".
	Description string
}

// IsValid reports whether f is an edit.
func (f Fix) IsValid() bool { return f.Start.IsValid() }

// ReplaceAt returns the fix that replaces old with new at p, where p points
// at old itself or at the quote that opens it. ok is false when the file
// does not hold old there (the value was written with escapes, or built by
// a template).
func (f *File) ReplaceAt(p Pos, old, new string) (Fix, bool) {
	if f == nil || !p.IsValid() || old == "" || strings.ContainsAny(old, "\n") {
		return Fix{}, false
	}
	off := f.Offset(p)
	rest := f.Data[off:]
	start := p
	if len(rest) > 0 && (rest[0] == '"' || rest[0] == '\'') {
		rest = rest[1:]
		start.Col++
	}
	if !strings.HasPrefix(string(rest[:min(len(rest), len(old))]), old) {
		return Fix{}, false
	}
	end := Pos{Line: start.Line, Col: start.Col + utf8.RuneCountInString(old)}
	return Fix{Start: start, End: end, New: new, Description: "replace " + strconv.Quote(old) + " with " + strconv.Quote(new)}, true
}

// String formats d as "file:line:col: severity: message [check]".
func (d Diagnostic) String() string { return string(d.AppendText(nil)) }

// AppendText appends String's text to b.
func (d Diagnostic) AppendText(b []byte) []byte {
	b = append(b, d.File...)
	if d.Pos.IsValid() {
		b = append(b, ':')
		b = strconv.AppendInt(b, int64(d.Pos.Line), 10)
		b = append(b, ':')
		b = strconv.AppendInt(b, int64(d.Pos.Col), 10)
	}
	b = append(b, ": "...)
	b = append(b, d.Severity.String()...)
	b = append(b, ": "...)
	b = append(b, d.Message...)
	if d.Check != "" {
		b = append(b, " ["...)
		b = append(b, d.Check...)
		b = append(b, ']')
	}
	return b
}

// Sort orders diagnostics by file, position, check and message.
func Sort(ds []Diagnostic) {
	if len(ds) < 2 {
		return
	}
	slices.SortStableFunc(ds, compareDiagnostics)
}

// compareDiagnostics orders by file, position, check and message.
func compareDiagnostics(a, b Diagnostic) int {
	if c := strings.Compare(a.File, b.File); c != 0 {
		return c
	}
	if c := cmp.Compare(a.Pos.Line, b.Pos.Line); c != 0 {
		return c
	}
	if c := cmp.Compare(a.Pos.Col, b.Pos.Col); c != 0 {
		return c
	}
	if c := strings.Compare(a.Check, b.Check); c != 0 {
		return c
	}
	return strings.Compare(a.Message, b.Message)
}

// Dedupe drops repeated diagnostics from a sorted list (the same step
// read once per matrix combination, or the same finding from two checks).
func Dedupe(ds []Diagnostic) []Diagnostic {
	out := ds[:0]
	for i, d := range ds {
		if i > 0 && d == ds[i-1] {
			continue
		}
		out = append(out, d)
	}
	return out
}
