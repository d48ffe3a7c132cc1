package cfn

import (
	"path"

	"github.com/iamfit/iamfit/internal/source"
	"github.com/iamfit/iamfit/internal/tree"
)

// maxTemplate bounds the size of a template file that Templates reads;
// CloudFormation itself takes at most 1 MB.
const maxTemplate = 4 << 20

// Templates finds the CloudFormation templates of a repository (.yaml,
// .yml, .json and .template files up to 4 MiB that look like templates,
// outside hidden directories) and calls fn with each, parsed or with the
// parse error. want, when not nil, picks the files by their bytes before
// they are parsed.
func Templates(t *tree.Tree, want func(data []byte) bool, fn func(f *source.File, t *Template, err error)) {
	for _, e := range t.Files {
		switch path.Ext(e.Name) {
		case ".yaml", ".yml", ".json", ".template":
		default:
			continue
		}
		if tree.Hidden(e.Name) || e.Size > maxTemplate {
			continue
		}
		f, err := t.Read(e.Name)
		if err != nil || !LooksLikeTemplate(f.Data) || want != nil && !want(f.Data) {
			continue
		}
		tpl, err := Parse(f)
		fn(f, tpl, err)
	}
}
