package cli

import (
	"bytes"
	"errors"
	"fmt"
	"testing"
)

func TestExit(t *testing.T) {
	tests := []struct {
		err        error
		code       int
		wantStderr string
	}{
		{usagef("need %d PATH", 1), ExitUsage, "iamfit lint: need 1 PATH\n"},
		{errors.New("open x: no such file"), ExitUsage, "iamfit lint: open x: no such file\n"},
		{internal(errors.New("catalog damaged")), ExitInternal, "iamfit: internal error: catalog damaged\n"},
		{fmt.Errorf("render: %w", internal(errors.New("boom"))), ExitInternal, "iamfit: internal error: boom\n"},
	}
	for _, tt := range tests {
		var errb bytes.Buffer
		c := Command{Stderr: &errb}
		if code := c.exit("lint", tt.err); code != tt.code || errb.String() != tt.wantStderr {
			t.Errorf("exit(%v) = %d, %q; want %d, %q", tt.err, code, errb.String(), tt.code, tt.wantStderr)
		}
	}
	if internal(nil) != nil {
		t.Error("internal(nil) != nil")
	}
}
