// Package conformance helps the tests that replay the peer conformance
// corpus (../shared/conformance beside the checkout, see its README.md).
package conformance

import (
	"os"
	"strconv"
)

// TB is the part of testing.TB that Missing uses.
type TB interface {
	Helper()
	Fatalf(format string, args ...any)
	Skip(args ...any)
}

// CI reports whether the tests run under continuous integration: the CI
// environment variable is a true boolean ("true", "1"), as GitHub Actions
// and most CI systems set it.
func CI() bool {
	ci, err := strconv.ParseBool(os.Getenv("CI"))
	return err == nil && ci
}

// Missing ends a conformance test whose corpus file or directory path could
// not be read (err): it skips the test locally, where the corpus is
// optional, and fails it under CI, where a test that skips would pass
// without checking anything.
func Missing(t TB, path string, err error) {
	t.Helper()
	if CI() {
		t.Fatalf("conformance corpus missing under CI=%s: %s: %v", os.Getenv("CI"), path, err)
		return
	}
	t.Skip("conformance corpus not present:", path)
}
