package cloudtrail

import "bytes"

// Containing returns a filter that keeps the records containing needle.
// It is bytes.Contains, faster on JSON: bytes.Index starts from the
// needle's first byte, and a needle such as `"errorCode"` starts with a
// quote, which JSON has every few bytes, so it falls back to a slower
// search. Containing jumps instead to the needle's rarest byte by a
// static guess of byte frequencies in CloudTrail's JSON, and compares
// around it.
func Containing(needle string) Filter {
	if len(needle) == 0 {
		return func([]byte) bool { return true }
	}
	n := []byte(needle)
	pivot := 0
	for i := range n {
		if jsonFrequency(n[i]) < jsonFrequency(n[pivot]) {
			pivot = i
		}
	}
	c := n[pivot]
	return func(raw []byte) bool {
		i := pivot
		for i < len(raw) {
			j := bytes.IndexByte(raw[i:], c)
			if j < 0 {
				return false
			}
			i += j
			start := i - pivot
			if start+len(n) <= len(raw) && bytes.Equal(raw[start:start+len(n)], n) {
				return true
			}
			i++
		}
		return false
	}
}

// jsonFrequency guesses how common a byte is in CloudTrail's JSON: quotes
// and separators most, lower-case letters and digits next, then the
// rest; upper case, '/' and other punctuation least.
func jsonFrequency(c byte) int {
	switch {
	case c == '"' || c == ':' || c == ',':
		return 5
	case bytes.IndexByte([]byte("etaoinsr"), c) >= 0:
		return 4
	case c >= 'a' && c <= 'z', c >= '0' && c <= '9':
		return 3
	case c == '-' || c == '.' || c == ' ' || c == '{' || c == '}':
		return 2
	case c >= 'A' && c <= 'Z':
		return 0
	}
	return 1
}
