package source

import (
	"math/rand/v2"
	"strings"
	"testing"
	"unicode/utf8"
)

// naivePosition counts lines and runes from the start of the data.
func naivePosition(data []byte, offset int) Pos {
	offset = max(0, min(offset, len(data)))
	line, start := 1, 0
	for i := 0; i < offset; i++ {
		if data[i] == '\n' {
			line, start = line+1, i+1
		}
	}
	return Pos{Line: line, Col: 1 + utf8.RuneCount(data[start:offset])}
}

// TestPosition checks Position, which remembers its last answer and the
// line starts, against counting from the start, for offsets asked in
// increasing order (as readers ask), in any order and out of range.
func TestPosition(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	var b strings.Builder
	for i := 0; i < 400; i++ {
		switch rng.IntN(6) {
		case 0:
			b.WriteString("\n")
		case 1:
			b.WriteString("é")
		case 2:
			b.WriteString("\n\n")
		default:
			b.WriteString(`{"Action": "s3:GetObject"}`[:rng.IntN(20)])
		}
	}
	data := []byte(b.String())
	for _, order := range []string{"increasing", "random"} {
		f := NewFile("f", data)
		off := -3
		for k := 0; k < 3000; k++ {
			if order == "increasing" {
				off += rng.IntN(12)
			} else {
				off = rng.IntN(len(data)+10) - 5
			}
			// Readers give offsets of tokens, never inside a character.
			for off > 0 && off < len(data) && !utf8.RuneStart(data[off]) {
				off--
			}
			if got, want := f.Position(off), naivePosition(data, off); got != want {
				t.Fatalf("%s: Position(%d) = %v, want %v", order, off, got, want)
			}
		}
	}
}

func TestDiagnosticString(t *testing.T) {
	tests := []struct {
		d    Diagnostic
		want string
	}{
		{Diagnostic{File: "p.json", Pos: Pos{3, 14}, Severity: Error, Message: `unknown action "s3:GetObjekt"`, Check: "unknown-action"},
			`p.json:3:14: error: unknown action "s3:GetObjekt" [unknown-action]`},
		{Diagnostic{File: "<stdin>", Severity: Warning, Message: "no position"}, "<stdin>: warning: no position"},
		{Diagnostic{File: "t.yaml", Pos: Pos{120, 1}, Severity: Info, Message: "ünïcode", Check: "c"}, "t.yaml:120:1: info: ünïcode [c]"},
	}
	for _, tt := range tests {
		if got := tt.d.String(); got != tt.want {
			t.Errorf("String() = %q, want %q", got, tt.want)
		}
	}
}
