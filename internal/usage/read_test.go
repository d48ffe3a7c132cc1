package usage

import (
	"testing"
	"time"
)

func TestParseWindow(t *testing.T) {
	if from, back, err := ParseSince("720h"); err != nil || !from.IsZero() || back != 720*time.Hour {
		t.Errorf("ParseSince(720h) = %v, %v, %v", from, back, err)
	}
	if from, back, err := ParseSince("2026-11-01T00:00:00Z"); err != nil || back != 0 || from != time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC) {
		t.Errorf("ParseSince(RFC 3339) = %v, %v, %v", from, back, err)
	}
	for _, bad := range []string{"-1h", "0s", "yesterday"} {
		if _, _, err := ParseSince(bad); err == nil {
			t.Errorf("ParseSince(%q): no error", bad)
		}
	}
	if _, err := ParseUntil("720h"); err == nil || err.Error() != `"720h": want RFC 3339` {
		t.Errorf("ParseUntil(720h): %v", err)
	}
}

func TestIsAthenaResult(t *testing.T) {
	if IsAthenaResult(t.TempDir()) {
		t.Error("a directory is an Athena result")
	}
}
