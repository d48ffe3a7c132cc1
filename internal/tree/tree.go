// Package tree is a repository's files as one walk finds them: regular
// files under the root, with one list of the directories no reader wants
// (dependencies, VCS data, build output), never a file outside the root
// (links are resolved and checked), never a FIFO or device, and files
// read with a size limit. Every reader of a repository takes its files
// from a Tree, so they agree on what the repository is.
package tree

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"sort"
	"strings"

	"github.com/iamfit/iamfit/internal/source"
)

// MaxFile is the default limit on a file's size: larger files are not
// read (policies, templates, workflows and source files are far smaller;
// CloudFormation takes at most 1 MB, IAM policies 10 KB).
const MaxFile = 4 << 20

// maxFiles bounds the files one walk lists.
const maxFiles = 200_000

// skipDirs are the directories that hold nothing of the repository's own:
// version control data, dependencies, virtual environments, caches and
// build output.
var skipDirs = map[string]bool{
	".git": true, ".hg": true, ".svn": true, "node_modules": true, "vendor": true, ".venv": true, "venv": true,
	"__pycache__": true, ".terraform": true, ".terragrunt-cache": true, "dist": true, "build": true, "target": true,
	".next": true, ".nuxt": true, "coverage": true, ".idea": true, ".vscode": true, ".tox": true, ".mypy_cache": true,
	"bower_components": true, ".gradle": true, "cdk.out": true, ".serverless": true, ".aws-sam": true,
}

// fixtureDirs hold test fixtures and iamfit's own output: not the
// repository's inputs unless asked for.
var fixtureDirs = map[string]bool{"testdata": true, "iamfit": true}

// Options control a walk.
type Options struct {
	// MaxFile overrides the size limit (0: MaxFile).
	MaxFile int64
	// Fixtures also lists testdata/ and iamfit/ directories.
	Fixtures bool
	// NoSize lists a file that its directory entry shows to be regular
	// without a stat of its own, with Size -1: for a reader that applies
	// its own size limit when it reads (links are still resolved and
	// checked, and anything else still stat'ed).
	NoSize bool
}

// Entry is one regular file of the tree.
type Entry struct {
	Name string // slash-separated, relative to the root
	Size int64  // -1 when listed with Options.NoSize
}

// Skip is something the walk did not list, and why.
type Skip struct {
	Name string
	Why  string
}

// Tree is the files of a repository.
type Tree struct {
	Root    string
	Files   []Entry
	Skipped []Skip
	max     int64
	real    string // the root with its links resolved
}

// Walk lists the regular files under root.
func Walk(root string, opt Options) (*Tree, error) {
	st, err := os.Stat(root)
	if err != nil {
		return nil, err
	}
	if !st.IsDir() {
		return nil, fmt.Errorf("%s is not a directory", root)
	}
	t := &Tree{Root: root, max: opt.MaxFile}
	if t.max <= 0 {
		t.max = MaxFile
	}
	if t.real, err = filepath.EvalSymlinks(root); err != nil {
		return nil, err
	}
	err = filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		rel := t.rel(p)
		if err != nil {
			if p == root {
				return err
			}
			t.Skipped = append(t.Skipped, Skip{rel, "cannot be read: " + errText(err)})
			if d != nil && d.IsDir() {
				return filepath.SkipDir
			}
			return nil
		}
		if d.IsDir() {
			if p != root && (skipDirs[d.Name()] || !opt.Fixtures && fixtureDirs[d.Name()]) {
				return filepath.SkipDir
			}
			return nil
		}
		if len(t.Files) >= maxFiles {
			t.Skipped = append(t.Skipped, Skip{rel, fmt.Sprintf("the walk lists at most %d files", maxFiles)})
			return filepath.SkipAll
		}
		if opt.NoSize && d.Type().IsRegular() {
			t.Files = append(t.Files, Entry{Name: rel, Size: -1})
			return nil
		}
		info, err := t.check(p, d.Type())
		if err != nil {
			t.Skipped = append(t.Skipped, Skip{rel, err.Error()})
			return nil
		}
		t.Files = append(t.Files, Entry{Name: rel, Size: info.Size()})
		return nil
	})
	if err != nil {
		return nil, err
	}
	sort.Slice(t.Files, func(i, j int) bool { return t.Files[i].Name < t.Files[j].Name })
	return t, nil
}

func (t *Tree) rel(p string) string {
	rel, err := filepath.Rel(t.Root, p)
	if err != nil {
		return filepath.ToSlash(p)
	}
	return filepath.ToSlash(rel)
}

func errText(err error) string {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Err.Error()
	}
	return err.Error()
}

// check says whether the file at p (of type typ in its directory) may be
// read: a regular file, or a link to a regular file inside the root.
func (t *Tree) check(p string, typ fs.FileMode) (fs.FileInfo, error) {
	if typ&fs.ModeSymlink != 0 {
		target, err := filepath.EvalSymlinks(p)
		if err != nil {
			return nil, fmt.Errorf("a broken link")
		}
		if !inside(t.real, target) {
			return nil, fmt.Errorf("a link to %s, outside the repository: not read", target)
		}
		p = target
	}
	info, err := os.Stat(p)
	if err != nil {
		return nil, fmt.Errorf("cannot be read: %s", errText(err))
	}
	if info.IsDir() {
		return nil, fmt.Errorf("a link to a directory: not followed")
	}
	if !info.Mode().IsRegular() {
		return nil, fmt.Errorf("not a regular file (%s): not read", info.Mode().Type())
	}
	return info, nil
}

func inside(root, p string) bool {
	rel, err := filepath.Rel(root, p)
	return err == nil && rel != ".." && !strings.HasPrefix(rel, ".."+string(filepath.Separator)) && !filepath.IsAbs(rel)
}

// Has reports whether the walk listed the file.
func (t *Tree) Has(name string) bool {
	i := sort.Search(len(t.Files), func(i int) bool { return t.Files[i].Name >= name })
	return i < len(t.Files) && t.Files[i].Name == name
}

// Read reads a file of the repository named relative to its root: never
// a file outside the root (through "..", an absolute name or a link),
// never a FIFO or device, and at most the size limit.
func (t *Tree) Read(name string) (*source.File, error) {
	name = strings.TrimPrefix(filepath.ToSlash(name), "./")
	if name == "" || path.IsAbs(name) || filepath.IsAbs(name) {
		return nil, fmt.Errorf("%s is not a file of the repository", name)
	}
	clean := path.Clean(name)
	if clean == ".." || strings.HasPrefix(clean, "../") {
		return nil, fmt.Errorf("%s is outside the repository", name)
	}
	p := filepath.Join(t.Root, filepath.FromSlash(clean))
	li, err := os.Lstat(p)
	if err != nil {
		return nil, fmt.Errorf("cannot read %s: %s", clean, errText(err))
	}
	if !inside(t.real, mustResolve(filepath.Dir(p))) {
		return nil, fmt.Errorf("%s is outside the repository (through a link)", clean)
	}
	info, err := t.check(p, li.Mode().Type())
	if err != nil {
		return nil, fmt.Errorf("%s: %v", clean, err)
	}
	if info.Size() > t.max {
		return nil, fmt.Errorf("%s is %d bytes, more than the %d bytes iamfit reads", clean, info.Size(), t.max)
	}
	f, err := os.Open(p)
	if err != nil {
		return nil, fmt.Errorf("cannot read %s: %s", clean, errText(err))
	}
	defer f.Close()
	// Read into a buffer of the size the file has (one byte more, to see
	// that it ends there), up to the limit.
	buf := bytes.NewBuffer(make([]byte, 0, min(info.Size(), t.max)+1))
	_, err = buf.ReadFrom(io.LimitReader(f, t.max+1))
	data := buf.Bytes()
	if err != nil {
		return nil, fmt.Errorf("cannot read %s: %s", clean, errText(err))
	}
	if int64(len(data)) > t.max {
		return nil, fmt.Errorf("%s is more than the %d bytes iamfit reads", clean, t.max)
	}
	return source.NewFile(clean, data), nil
}

func mustResolve(p string) string {
	if r, err := filepath.EvalSymlinks(p); err == nil {
		return r
	}
	return p
}

// Hidden reports whether a name lies under a hidden directory (.github,
// .aws), or is a hidden file.
func Hidden(name string) bool {
	for _, part := range strings.Split(name, "/") {
		if strings.HasPrefix(part, ".") {
			return true
		}
	}
	return false
}
