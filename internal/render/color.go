package render

import (
	"fmt"
	"strings"

	"github.com/iamfit/iamfit/internal/source"
)

// ANSI SGR sequences of the pretty format's colours.
const (
	sgrReset  = "\x1b[0m"
	sgrBold   = "\x1b[1m"
	sgrDim    = "\x1b[2m"
	sgrRed    = "\x1b[1;31m"
	sgrYellow = "\x1b[1;33m"
	sgrCyan   = "\x1b[1;36m"
	sgrGreen  = "\x1b[1;32m"
	sgrGutter = "\x1b[34m"
)

// palette paints the parts of a diagnostic; the zero palette paints
// nothing.
type palette struct{ on bool }

func (p palette) paint(sgr, s string) string {
	if !p.on || s == "" {
		return s
	}
	return sgr + s + sgrReset
}

func (p palette) severity(s source.Severity) string {
	switch s {
	case source.Error:
		return p.paint(sgrRed, s.String())
	case source.Warning:
		return p.paint(sgrYellow, s.String())
	}
	return p.paint(sgrCyan, s.String())
}

// diagnostic formats d as Diagnostic.String does, in colour when on: the
// place bold, the severity in its colour, the check id dim.
func (p palette) diagnostic(d source.Diagnostic) string {
	if !p.on {
		return d.String()
	}
	var b strings.Builder
	place := d.File
	if d.Pos.IsValid() {
		place += fmt.Sprintf(":%d:%d", d.Pos.Line, d.Pos.Col)
	}
	b.WriteString(p.paint(sgrBold, place))
	fmt.Fprintf(&b, ": %s: %s", p.severity(d.Severity), d.Message)
	if d.Check != "" {
		b.WriteString(" " + p.paint(sgrDim, "["+d.Check+"]"))
	}
	return b.String()
}
