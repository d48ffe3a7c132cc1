package cli

import (
	"errors"
	"fmt"

	"github.com/iamfit/iamfit/internal/catalog"
)

// usageError is bad usage: a wrong flag value, a missing argument.
// Errors that are not internal (unreadable input among them) exit the
// same way.
type usageError struct{ msg string }

func (e *usageError) Error() string { return e.msg }

// usagef makes a usageError.
func usagef(format string, args ...any) error {
	return &usageError{fmt.Sprintf(format, args...)}
}

// internalError is a failure of iamfit itself, not of its input.
type internalError struct{ err error }

func (e *internalError) Error() string { return e.err.Error() }
func (e *internalError) Unwrap() error { return e.err }

// internal marks err as a failure of iamfit itself.
func internal(err error) error {
	if err == nil {
		return nil
	}
	return &internalError{err}
}

// exit reports err on stderr and returns the exit code it maps to: 3 with
// "iamfit: internal error: ..." for internal errors, 2 with
// "iamfit CMD: ..." for everything else (bad usage, unreadable input).
// This is the one place errors become exit codes.
func (c *Command) exit(cmd string, err error) int {
	var ie *internalError
	if errors.As(err, &ie) {
		fmt.Fprintf(c.Stderr, "iamfit: internal error: %v\n", ie.err)
		return ExitInternal
	}
	fmt.Fprintf(c.Stderr, "iamfit %s: %v\n", cmd, err)
	return ExitUsage
}

// loadCatalog loads the embedded catalog; failing to is an internal error.
func loadCatalog() (*catalog.Catalog, error) {
	cat, err := catalog.Load()
	return cat, internal(err)
}

// fail reports bad usage for the command and returns its exit code.
func (c *Command) fail(cmd string, format string, args ...any) int {
	return c.exit(cmd, usagef(format, args...))
}
