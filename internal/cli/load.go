package cli

import (
	"fmt"
	"io"

	"github.com/iamfit/iamfit/internal/eval"
	"github.com/iamfit/iamfit/internal/policy"
	"github.com/iamfit/iamfit/internal/render"
	"github.com/iamfit/iamfit/internal/source"
)

// maxInput caps the size of one input file; IAM's own limit for a policy is
// far smaller (10,240 characters for a managed policy).
const maxInput = 64 << 20

// readInput reads a file, or standard input for "-".
func (c *Command) readInput(path string) (*source.File, error) {
	var r io.Reader
	name := path
	size := 512 // io.ReadAll's first buffer
	if path == "-" {
		r, name = c.Stdin, render.Stdin
	} else {
		// A regular file is read with as few system calls as there can be
		// (lint reads thousands of small ones); anything else comes back
		// open, to be read as a stream.
		data, f, err := readRegular(path, maxInput)
		if err != nil {
			return nil, err
		}
		if f == nil {
			if len(data) > maxInput {
				return nil, fmt.Errorf("%s is larger than %d MiB", name, maxInput>>20)
			}
			return source.NewFile(name, data), nil
		}
		defer f.Close()
		if st, err := f.Stat(); err == nil && st.IsDir() {
			return nil, fmt.Errorf("%s is a directory", path)
		} else if err == nil && st.Mode().IsRegular() {
			// A file's size, and a byte more to see the end, as
			// os.ReadFile does: one buffer, no growing.
			size = int(min(st.Size(), maxInput)) + 1
		}
		r = f
	}
	data, err := readAll(io.LimitReader(r, maxInput+1), size)
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", name, err)
	}
	if len(data) > maxInput {
		return nil, fmt.Errorf("%s is larger than %d MiB", name, maxInput>>20)
	}
	return source.NewFile(name, data), nil
}

// loadPolicy reads and parses one policy file. Any error diagnostic makes
// it unusable: iamfit never evaluates a policy it could not read fully.
func (c *Command) loadPolicy(path string, typ policy.Type) (*policy.Policy, bool) {
	f, err := c.readInput(path)
	if err != nil {
		fmt.Fprintf(c.Stderr, "iamfit: %v\n", err)
		return nil, false
	}
	return c.parsePolicy(f, typ)
}

// parsePolicy parses a policy file already read, as loadPolicy does.
func (c *Command) parsePolicy(f *source.File, typ policy.Type) (*policy.Policy, bool) {
	doc, diags := policy.Parse(f, typ)
	bad := doc == nil
	for _, d := range diags {
		fmt.Fprintln(c.Stderr, d)
		bad = bad || d.Severity == source.Error
	}
	if bad {
		fmt.Fprintf(c.Stderr, "iamfit: %s is not a valid %s policy; fix the errors above\n", f.Name, typ)
		return nil, false
	}
	return doc, true
}

// policyLoader loads the policy files of a command's flags, remembering
// whether any failed so that all errors are reported before giving up.
type policyLoader struct {
	c      *Command
	failed bool
}

func (l *policyLoader) load(kind eval.Kind, typ policy.Type, path string) *eval.Policy {
	doc, ok := l.c.loadPolicy(path, typ)
	if !ok {
		l.failed = true
		return nil
	}
	return eval.NewPolicy(kind, path, doc)
}

// readAll is io.ReadAll with a first buffer of the given size.
func readAll(r io.Reader, size int) ([]byte, error) {
	b := make([]byte, 0, size)
	for {
		n, err := r.Read(b[len(b):cap(b)])
		b = b[:len(b)+n]
		if err != nil {
			if err == io.EOF {
				err = nil
			}
			return b, err
		}
		if len(b) == cap(b) {
			b = append(b, 0)[:len(b)] // let append grow it
		}
	}
}
