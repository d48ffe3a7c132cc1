package eval

import "testing"

// TestParseNumber: only decimal numbers are numbers in IAM conditions.
func TestParseNumber(t *testing.T) {
	for s, want := range map[string]bool{
		"10": true, "-1.5": true, " 42 ": true, "1e3": true, "0.25": true,
		"1_000": false, "0x1p4": false, "0x10": false, "NaN": false, "Inf": false, "+Inf": false,
		"Infinity": false, "1e400": false, "": false, "1,000": false, "ten": false,
	} {
		if _, ok := parseNumber(s); ok != want {
			t.Errorf("parseNumber(%q) ok = %v, want %v", s, ok, want)
		}
	}
}
