package lint

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"sync"

	"github.com/iamfit/iamfit/internal/source"
)

// Baseline is the set of findings a repository had when it adopted iamfit
// (--baseline FILE): those findings are hidden, new ones are reported.
// A finding is known by its file, check and message, not its line, so
// that edits elsewhere in the file do not bring it back; the same finding
// twice in a file is counted. Dates in messages (the catalog's "data of
// 2026-09-26") are ignored, so that a catalog update keeps the baseline.
type Baseline struct {
	// Version is the format of the file: 1.
	Version  int             `json:"version"`
	Findings []BaselineEntry `json:"findings"`

	dir    string
	counts map[baselineKey]int
}

// BaselineEntry is one known finding.
type BaselineEntry struct {
	// File is slash-separated and relative to the baseline file.
	File    string `json:"file"`
	Check   string `json:"check"`
	Message string `json:"message"`
	// Count is how many times the finding occurs in the file.
	Count int `json:"count,omitempty"`
}

type baselineKey struct{ file, check, message string }

var dates = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`\b\d{4}-\d{2}-\d{2}\b`) })

func keyOf(dir string, d source.Diagnostic) baselineKey {
	return baselineKey{relativeTo(dir, d.File), d.Check, dates().ReplaceAllString(d.Message, "DATE")}
}

// NewBaseline records the findings, for a baseline file in dir.
func NewBaseline(dir string, ds []source.Diagnostic) *Baseline {
	b := &Baseline{Version: 1, dir: dir, counts: map[baselineKey]int{}}
	for _, d := range ds {
		b.counts[keyOf(dir, d)]++
	}
	for k, n := range b.counts {
		e := BaselineEntry{File: k.file, Check: k.check, Message: k.message}
		if n > 1 {
			e.Count = n
		}
		b.Findings = append(b.Findings, e)
	}
	sort.Slice(b.Findings, func(i, j int) bool {
		x, y := b.Findings[i], b.Findings[j]
		if x.File != y.File {
			return x.File < y.File
		}
		if x.Check != y.Check {
			return x.Check < y.Check
		}
		return x.Message < y.Message
	})
	return b
}

// ReadBaseline reads a baseline file.
func ReadBaseline(file string) (*Baseline, error) {
	data, err := os.ReadFile(file)
	if err != nil {
		return nil, err
	}
	var b Baseline
	if err := json.Unmarshal(data, &b); err != nil {
		return nil, fmt.Errorf("baseline %s: %w", file, err)
	}
	if b.Version != 1 {
		return nil, fmt.Errorf("baseline %s: version %d, want 1", file, b.Version)
	}
	b.dir = filepath.Dir(file)
	b.counts = map[baselineKey]int{}
	for _, e := range b.Findings {
		b.counts[baselineKey{e.File, e.Check, e.Message}] += max(e.Count, 1)
	}
	return &b, nil
}

// Write writes the baseline as indented JSON, sorted.
func (b *Baseline) Write(file string) error {
	data, err := json.MarshalIndent(b, "", "  ")
	if err != nil {
		return err
	}
	return os.WriteFile(file, append(data, '\n'), 0o644)
}

// Filter returns the findings the baseline does not hold (each entry hides
// as many findings as its count) and how many it hid.
func (b *Baseline) Filter(ds []source.Diagnostic) (kept []source.Diagnostic, hidden int) {
	if b == nil {
		return ds, 0
	}
	return b.NewFilter()(ds)
}

// NewFilter returns Filter for findings given a part at a time, in order
// (a file's findings after another's): what the earlier parts used up of
// an entry's count stays used.
func (b *Baseline) NewFilter() func(ds []source.Diagnostic) (kept []source.Diagnostic, hidden int) {
	left := make(map[baselineKey]int, len(b.counts))
	for k, n := range b.counts {
		left[k] = n
	}
	return func(ds []source.Diagnostic) (kept []source.Diagnostic, hidden int) {
		for _, d := range ds {
			k := keyOf(b.dir, d)
			if left[k] > 0 {
				left[k]--
				hidden++
				continue
			}
			kept = append(kept, d)
		}
		return kept, hidden
	}
}
