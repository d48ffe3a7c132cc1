package cli

import (
	"bytes"
	"os"
	"testing"
)

func TestColorAuto(t *testing.T) {
	for _, tt := range []struct {
		terminal bool
		env      map[string]string
		want     bool
	}{
		{true, nil, true},
		{false, nil, false},
		{true, map[string]string{"NO_COLOR": "1"}, false},
		{true, map[string]string{"NO_COLOR": ""}, true}, // set but empty: no-color.org leaves colour on
		{true, map[string]string{"TERM": "dumb"}, false},
		{true, map[string]string{"TERM": "xterm-256color"}, true},
	} {
		if got := colorAuto(tt.terminal, func(k string) string { return tt.env[k] }); got != tt.want {
			t.Errorf("terminal %v, env %v: %v, want %v", tt.terminal, tt.env, got, tt.want)
		}
	}
}

func TestUseColor(t *testing.T) {
	c := &Command{Getenv: func(string) string { return "" }}
	var buf bytes.Buffer
	for mode, want := range map[string]bool{"auto": false, "": false, "never": false, "always": true} {
		if got, err := c.useColor(mode, &buf); err != nil || got != want {
			t.Errorf("%q: %v, %v; want %v", mode, got, err, want)
		}
	}
	if _, err := c.useColor("sometimes", &buf); err == nil {
		t.Error("--color sometimes accepted")
	}
}

// TestIsTerminal: files, pipes and /dev/null are not terminals.
func TestIsTerminal(t *testing.T) {
	r, w, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	defer w.Close()
	null, err := os.OpenFile(os.DevNull, os.O_WRONLY, 0)
	if err != nil {
		t.Fatal(err)
	}
	defer null.Close()
	file, err := os.Create(t.TempDir() + "/out")
	if err != nil {
		t.Fatal(err)
	}
	defer file.Close()
	for name, f := range map[string]*os.File{"pipe": w, "null": null, "file": file} {
		if isTerminal(f) {
			t.Errorf("%s is a terminal", name)
		}
	}
	if isTerminal(&bytes.Buffer{}) {
		t.Error("a buffer is a terminal")
	}
}
