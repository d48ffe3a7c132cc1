package code

import (
	"path"
	"strings"

	"github.com/iamfit/iamfit/internal/tree"
)

// vendored returns the test for files that are third-party Python
// packages installed into the repository (pip install --target DIR, the
// usual way to ship a Lambda function's dependencies): every file a
// NAME.dist-info/RECORD lists, else the packages its top_level.txt names,
// else the package named after the distribution. They are libraries, not
// the application; botocore among them would read as thousands of SDK
// calls.
func vendored(t *tree.Tree) func(name string) bool {
	files := map[string]bool{}
	var dirs []string
	type info struct {
		root, dist  string
		record, top bool
	}
	infos := map[string]*info{} // the .dist-info directory -> what it holds
	var order []string
	for _, e := range t.Files {
		parts := strings.Split(e.Name, "/")
		for i := len(parts) - 2; i >= 0; i-- {
			p := parts[i]
			if !strings.HasSuffix(p, ".dist-info") && !strings.HasSuffix(p, ".egg-info") {
				continue
			}
			dir := strings.Join(parts[:i+1], "/")
			in := infos[dir]
			if in == nil {
				dist := strings.TrimSuffix(strings.TrimSuffix(p, ".dist-info"), ".egg-info")
				if j := strings.IndexByte(dist, '-'); j >= 0 {
					dist = dist[:j]
				}
				in = &info{root: path.Dir(dir), dist: strings.ToLower(strings.ReplaceAll(dist, "-", "_"))}
				infos[dir] = in
				order = append(order, dir)
			}
			switch strings.Join(parts[i+1:], "/") {
			case "RECORD":
				in.record = true
			case "top_level.txt":
				in.top = true
			}
			break
		}
	}
	under := func(root, rel string) string {
		if root == "." {
			return rel
		}
		return root + "/" + rel
	}
	for _, dir := range order {
		in := infos[dir]
		files[dir] = true
		if in.record {
			if f, err := t.Read(dir + "/RECORD"); err == nil {
				for _, line := range strings.Split(string(f.Data), "\n") {
					rel, _, _ := strings.Cut(strings.TrimSpace(line), ",")
					rel = strings.Trim(rel, `"`)
					if rel == "" || strings.HasPrefix(rel, "../") || strings.HasPrefix(rel, "/") {
						continue
					}
					files[path.Clean(under(in.root, rel))] = true
				}
				continue
			}
		}
		names := []string{in.dist}
		if in.top {
			if f, err := t.Read(dir + "/top_level.txt"); err == nil {
				names = nil
				for _, n := range strings.Fields(string(f.Data)) {
					names = append(names, n)
				}
			}
		}
		for _, n := range names {
			files[under(in.root, n+".py")] = true
			dirs = append(dirs, under(in.root, n)+"/")
		}
	}
	if len(files) == 0 {
		return func(string) bool { return false }
	}
	return func(name string) bool {
		if files[name] {
			return true
		}
		for _, d := range dirs {
			if strings.HasPrefix(name, d) {
				return true
			}
		}
		// A .dist-info directory's own files.
		for _, p := range strings.Split(path.Dir(name), "/") {
			if strings.HasSuffix(p, ".dist-info") || strings.HasSuffix(p, ".egg-info") {
				return true
			}
		}
		return false
	}
}
