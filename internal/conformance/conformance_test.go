package conformance

import (
	"errors"
	"fmt"
	"testing"
)

// recorder is a TB that records what Missing did.
type recorder struct{ fatal, skip string }

func (r *recorder) Helper()                      {}
func (r *recorder) Fatalf(f string, args ...any) { r.fatal = fmt.Sprintf(f, args...) }
func (r *recorder) Skip(args ...any)             { r.skip = fmt.Sprint(args...) }

func TestMissing(t *testing.T) {
	for _, tc := range []struct {
		ci   string
		fail bool
	}{
		{"", false},
		{"false", false},
		{"0", false},
		{"yes", false}, // not a boolean: not CI
		{"true", true},
		{"TRUE", true},
		{"1", true},
	} {
		t.Run("CI="+tc.ci, func(t *testing.T) {
			t.Setenv("CI", tc.ci)
			var r recorder
			Missing(&r, "../shared/conformance/x.json", errors.New("no such file"))
			if got := r.fatal != ""; got != tc.fail {
				t.Errorf("failed %v (%q), want %v", got, r.fatal, tc.fail)
			}
			if got := r.skip != ""; got == tc.fail {
				t.Errorf("skipped %v (%q), want %v", got, r.skip, !tc.fail)
			}
		})
	}
}
