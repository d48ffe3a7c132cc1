package render

import (
	"bytes"
	"regexp"
	"strings"
	"testing"

	"github.com/iamfit/iamfit/internal/source"
)

// TestPrettyColor: in colour, the pretty format is the plain one with ANSI
// escapes around the place, the severities, the check ids and the caret;
// without, it has none.
func TestPrettyColor(t *testing.T) {
	f := source.NewFile("p.json", []byte("{\n\t\"Statement\": []\n}\n"))
	ds := []source.Diagnostic{
		{File: "p.json", Pos: source.Pos{Line: 2, Col: 2}, Severity: source.Error, Message: "bad", Check: "x"},
		{File: "p.json", Pos: source.Pos{Line: 2, Col: 3}, Severity: source.Warning, Message: "meh", Check: "y"},
		{File: "p.json", Severity: source.Info, Message: "whole file"},
	}
	files := map[string]*source.File{"p.json": f}
	var plain, color bytes.Buffer
	if err := Pretty(&plain, ds, files, false); err != nil {
		t.Fatal(err)
	}
	if err := Pretty(&color, ds, files, true); err != nil {
		t.Fatal(err)
	}
	if strings.Contains(plain.String(), "\x1b") {
		t.Errorf("escapes without colour:\n%q", plain.String())
	}
	stripped := regexp.MustCompile("\x1b\\[[0-9;]*m").ReplaceAllString(color.String(), "")
	if stripped != plain.String() {
		t.Errorf("colour changes the text:\n%s\nwant\n%s", stripped, plain.String())
	}
	for _, want := range []string{sgrRed + "error" + sgrReset, sgrYellow + "warning" + sgrReset, sgrCyan + "info" + sgrReset,
		sgrDim + "[x]" + sgrReset, sgrGreen + "^" + sgrReset, sgrBold + "p.json:2:2" + sgrReset} {
		if !strings.Contains(color.String(), want) {
			t.Errorf("no %q in\n%q", want, color.String())
		}
	}
}
