package cli

import (
	"bytes"
	"io"
	"strings"
	"testing"
)

// TestExplainStdinTooLarge: stdin past the input limit is an error that
// says so, not a message cut short.
func TestExplainStdinTooLarge(t *testing.T) {
	msg := "User: arn:aws:sts::1:assumed-role/r/s is not authorized to perform: s3:GetObject "
	in := io.MultiReader(strings.NewReader(msg), io.LimitReader(zeros{}, maxInput))
	var out, errs bytes.Buffer
	c := Command{Stdin: in, Stdout: &out, Stderr: &errs}
	if code := c.Main([]string{"explain"}); code != ExitUsage {
		t.Errorf("exit %d, want %d", code, ExitUsage)
	}
	if !strings.Contains(errs.String(), "larger than 64 MiB") || out.Len() != 0 {
		t.Errorf("stdout %q, stderr %q", out.String(), errs.String())
	}
}

type zeros struct{}

func (zeros) Read(p []byte) (int, error) {
	for i := range p {
		p[i] = ' '
	}
	return len(p), nil
}
