package lint

import (
	"bytes"
	"fmt"
	"os"
	"path"
	"path/filepath"
	"strings"

	"gopkg.in/yaml.v3"

	"github.com/iamfit/iamfit/internal/source"
)

// ConfigName is the name of the configuration file iamfit lint reads from
// the current directory when --config is not given.
const ConfigName = ".iamfit.yaml"

// Config is a repository's lint configuration (.iamfit.yaml): checks to
// disable, severities to change, and findings to ignore by path, each with
// its reason. JSON has no comments, so this file is where suppressions
// live, as checkov's and cfn-lint's configuration files do.
//
//	disable: [resource-star]
//	severity:
//	  write-on-star: error
//	ignore:
//	  - paths: ["legacy/**"]
//	    checks: [action-wildcard, service-wildcard]
//	    reason: the legacy stack is deleted in Q3
type Config struct {
	// Disable are check ids not to run.
	Disable []string `yaml:"disable"`
	// Severity maps check ids to the severity their findings get.
	Severity map[string]string `yaml:"severity"`
	// Ignore are the findings to leave out.
	Ignore []IgnoreRule `yaml:"ignore"`

	// dir is the directory of the file: paths are relative to it.
	dir      string
	severity map[string]source.Severity
}

// IgnoreRule leaves out the findings of some checks in some files.
type IgnoreRule struct {
	// Paths are slash-separated patterns relative to the configuration
	// file's directory: path.Match patterns where "**" matches any number
	// of directories, "dir/" everything under dir, and a pattern without
	// a slash a file's base name in any directory. None means every file.
	Paths []string `yaml:"paths"`
	// Checks are check ids; none means every check.
	Checks []string `yaml:"checks"`
	// Reason says why: required, so that a suppression is reviewed.
	Reason string `yaml:"reason"`
}

// LoadConfig reads a configuration file. Unknown fields, unknown check
// ids, bad severities and patterns, and ignore rules without a reason are
// errors.
func LoadConfig(file string) (*Config, error) {
	data, err := os.ReadFile(file)
	if err != nil {
		return nil, err
	}
	c, err := ParseConfig(data, filepath.Dir(file))
	if err != nil {
		return nil, fmt.Errorf("%s: %w", file, err)
	}
	return c, nil
}

// ParseConfig reads configuration text whose paths are relative to dir.
func ParseConfig(data []byte, dir string) (*Config, error) {
	c := &Config{dir: dir, severity: map[string]source.Severity{}}
	dec := yaml.NewDecoder(bytes.NewReader(data))
	dec.KnownFields(true)
	if err := dec.Decode(c); err != nil && err.Error() != "EOF" {
		return nil, err
	}
	known := map[string]bool{}
	for _, ch := range Checks() {
		known[ch.ID] = true
	}
	checkID := func(where, id string) error {
		if !known[id] {
			return fmt.Errorf("%s: unknown check %q (see iamfit lint --list)", where, id)
		}
		return nil
	}
	for _, id := range c.Disable {
		if err := checkID("disable", id); err != nil {
			return nil, err
		}
	}
	for id, s := range c.Severity {
		if err := checkID("severity", id); err != nil {
			return nil, err
		}
		sev, err := source.ParseSeverity(s)
		if err != nil {
			return nil, fmt.Errorf("severity of %s: %w", id, err)
		}
		c.severity[id] = sev
	}
	for i, r := range c.Ignore {
		where := fmt.Sprintf("ignore[%d]", i)
		if strings.TrimSpace(r.Reason) == "" {
			return nil, fmt.Errorf("%s: give a reason", where)
		}
		for _, id := range r.Checks {
			if err := checkID(where, id); err != nil {
				return nil, err
			}
		}
		for _, p := range r.Paths {
			if _, err := path.Match(strings.ReplaceAll(p, "**", "*"), ""); err != nil {
				return nil, fmt.Errorf("%s: bad pattern %q: %w", where, p, err)
			}
		}
	}
	return c, nil
}

// Enabled returns the checks the configuration leaves on.
func (c *Config) Enabled(checks []*Check) []*Check {
	if c == nil || len(c.Disable) == 0 {
		return checks
	}
	off := map[string]bool{}
	for _, id := range c.Disable {
		off[id] = true
	}
	var out []*Check
	for _, ch := range checks {
		if !off[ch.ID] {
			out = append(out, ch)
		}
	}
	return out
}

// Apply sets the configured severities and leaves out the ignored
// findings; it returns the findings kept and how many were ignored.
func (c *Config) Apply(ds []source.Diagnostic) (kept []source.Diagnostic, ignored int) {
	if c == nil {
		return ds, 0
	}
	for _, d := range ds {
		if c.ignored(d) {
			ignored++
			continue
		}
		if sev, ok := c.severity[d.Check]; ok {
			d.Severity = sev
		}
		kept = append(kept, d)
	}
	return kept, ignored
}

func (c *Config) ignored(d source.Diagnostic) bool {
	rel := relativeTo(c.dir, d.File)
	for _, r := range c.Ignore {
		if len(r.Checks) > 0 && !contains(r.Checks, d.Check) {
			continue
		}
		if len(r.Paths) == 0 {
			return true
		}
		for _, p := range r.Paths {
			if matchPath(p, rel) {
				return true
			}
		}
	}
	return false
}

// relativeTo returns file relative to dir, slash-separated; a file
// outside dir (or standard input) keeps its name.
func relativeTo(dir, file string) string {
	if file == "-" || file == "" {
		return file
	}
	absDir, err1 := filepath.Abs(dir)
	absFile, err2 := filepath.Abs(file)
	if err1 == nil && err2 == nil {
		if rel, err := filepath.Rel(absDir, absFile); err == nil && !strings.HasPrefix(rel, "..") {
			return filepath.ToSlash(rel)
		}
	}
	return filepath.ToSlash(file)
}

// matchPath matches a slash-separated relative path against a pattern of
// IgnoreRule.Paths.
func matchPath(pattern, name string) bool {
	pattern = strings.TrimPrefix(pattern, "./")
	if strings.HasSuffix(pattern, "/") {
		return strings.HasPrefix(name, pattern)
	}
	if !strings.Contains(pattern, "/") {
		return matchSegments([]string{pattern}, []string{path.Base(name)})
	}
	return matchSegments(strings.Split(pattern, "/"), strings.Split(name, "/"))
}

func matchSegments(pat, name []string) bool {
	for len(pat) > 0 {
		if pat[0] == "**" {
			for i := 0; i <= len(name); i++ {
				if matchSegments(pat[1:], name[i:]) {
					return true
				}
			}
			return false
		}
		if len(name) == 0 {
			return false
		}
		if ok, _ := path.Match(pat[0], name[0]); !ok {
			return false
		}
		pat, name = pat[1:], name[1:]
	}
	return len(name) == 0
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}
