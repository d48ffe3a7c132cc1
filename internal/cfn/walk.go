package cfn

import (
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"github.com/iamfit/iamfit/internal/source"
)

// maxTemplate bounds the size of a template file that Templates reads;
// CloudFormation itself takes at most 1 MB.
const maxTemplate = 4 << 20

// skipDirs are directories that hold no templates of the repository's own:
// dependencies, test fixtures and iamfit's output. Hidden directories
// (.git, .github) are skipped too.
var skipDirs = map[string]bool{"node_modules": true, "vendor": true, "iamfit": true, "testdata": true}

// Templates finds the CloudFormation templates under dir (.yaml, .yml,
// .json and .template files up to 4 MiB that look like templates) and
// calls fn with each, named relative to dir, parsed or with the parse
// error. want, when not nil, picks the files by their bytes before they
// are parsed.
func Templates(dir string, want func(data []byte) bool, fn func(f *source.File, t *Template, err error)) {
	filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return nil
		}
		if d.IsDir() {
			if path != dir && (skipDirs[d.Name()] || strings.HasPrefix(d.Name(), ".")) {
				return filepath.SkipDir
			}
			return nil
		}
		switch filepath.Ext(path) {
		case ".yaml", ".yml", ".json", ".template":
		default:
			return nil
		}
		if info, err := d.Info(); err != nil || info.Size() > maxTemplate {
			return nil
		}
		data, err := os.ReadFile(path)
		if err != nil || !LooksLikeTemplate(data) || want != nil && !want(data) {
			return nil
		}
		rel, _ := filepath.Rel(dir, path)
		f := source.NewFile(filepath.ToSlash(rel), data)
		t, err := Parse(f)
		fn(f, t, err)
		return nil
	})
}
