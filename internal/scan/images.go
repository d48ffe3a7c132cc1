package scan

import (
	"path"
	"strings"

	"gopkg.in/yaml.v3"

	"github.com/iamfit/iamfit/internal/ecs"
	"github.com/iamfit/iamfit/internal/tree"
)

// An image build: the Dockerfile, its context and the repository paths
// its COPY and ADD instructions take from the context, and the tags the
// workflows give it. The application code of a container is the code of
// its image's build.
type imageBuild struct {
	dockerfile string
	context    string   // repository-relative; "." for the root
	sources    []string // repository-relative paths copied into the image
	repos      []string // repository names of the tags (the last path segment, no tag)
	built      bool     // a workflow builds it
}

// imageBuilds finds the image builds of a repository: each Dockerfile,
// with the context and tags the workflows' docker build commands and
// docker/build-push-action steps give it (else its own directory).
func imageBuilds(t *tree.Tree) []*imageBuild {
	byFile := map[string]*imageBuild{}
	var order []string
	for _, e := range t.Files {
		base := path.Base(e.Name)
		if base == "Dockerfile" || strings.HasPrefix(base, "Dockerfile.") || strings.HasSuffix(strings.ToLower(base), ".dockerfile") {
			byFile[e.Name] = &imageBuild{dockerfile: e.Name, context: path.Dir(e.Name)}
			order = append(order, e.Name)
		}
	}
	if len(byFile) == 0 {
		return nil
	}
	// The workflows' builds: -f FILE, -t TAG, CONTEXT.
	for _, e := range t.Files {
		if !strings.HasPrefix(e.Name, ".github/") || !(strings.HasSuffix(e.Name, ".yml") || strings.HasSuffix(e.Name, ".yaml")) {
			continue
		}
		f, err := t.Read(e.Name)
		if err != nil {
			continue
		}
		for _, b := range workflowBuilds(f.Data) {
			file := b.file
			if file == "" {
				file = path.Join(b.context, "Dockerfile")
			}
			file = path.Clean(strings.TrimPrefix(file, "./"))
			var ibs []*imageBuild
			if pat := shellGlob(file); pat != file {
				// -f ./$SERVICE/Dockerfile: the Dockerfiles the value
				// can name are the repository's that match.
				for _, name := range order {
					if ok, _ := path.Match(pat, name); ok && !hidden(name) {
						ibs = append(ibs, byFile[name])
					}
				}
			} else if ib := byFile[file]; ib != nil {
				ibs = append(ibs, ib)
			}
			for _, ib := range ibs {
				if ctx := path.Clean(strings.TrimPrefix(b.context, "./")); shellGlob(ctx) == ctx {
					ib.context = ctx
				}
				ib.repos = append(ib.repos, b.repos...)
				ib.built = true
			}
		}
	}
	var out []*imageBuild
	for _, name := range order {
		ib := byFile[name]
		if f, err := t.Read(name); err == nil {
			ib.sources = copySources(string(f.Data), ib.context)
		}
		out = append(out, ib)
	}
	return out
}

// build is one docker build a workflow runs.
type build struct {
	file, context string
	repos         []string
}

// workflowBuilds reads the docker builds of a workflow: run: lines of
// docker build / docker buildx build, and docker/build-push-action steps.
func workflowBuilds(data []byte) []build {
	var out []build
	var doc map[string]any
	if yaml.Unmarshal(data, &doc) != nil {
		return nil
	}
	jobs, _ := doc["jobs"].(map[string]any)
	for _, j := range jobs {
		job, _ := j.(map[string]any)
		steps, _ := job["steps"].([]any)
		for _, s := range steps {
			step, _ := s.(map[string]any)
			if uses, _ := step["uses"].(string); strings.HasPrefix(uses, "docker/build-push-action") {
				with, _ := step["with"].(map[string]any)
				b := build{context: "."}
				if c, ok := with["context"].(string); ok && !strings.Contains(c, "${{") {
					b.context = c
				}
				if f, ok := with["file"].(string); ok {
					b.file = f
				}
				if tags, ok := with["tags"].(string); ok {
					for _, tag := range strings.FieldsFunc(tags, func(r rune) bool { return r == '\n' || r == ',' }) {
						b.repos = append(b.repos, repoOf(strings.TrimSpace(tag)))
					}
				}
				out = append(out, b)
			}
			if run, ok := step["run"].(string); ok {
				wd, _ := step["working-directory"].(string)
				if wd == "" || strings.Contains(wd, "${{") {
					wd = "."
				}
				out = append(out, runBuildsIn(run, wd)...)
			}
		}
	}
	return out
}

// runBuilds reads docker build commands of a run: script.
func runBuilds(run string) []build { return runBuildsIn(run, ".") }

// runBuildsIn reads the docker build commands of a run: script that
// starts in dir (the step's working-directory), following its cd DIR
// lines: the file and context are relative to where the build runs.
func runBuildsIn(run, dir string) []build {
	var out []build
	run = strings.ReplaceAll(run, "\\\n", " ")
	for _, line := range strings.Split(run, "\n") {
		fields := strings.Fields(line)
		if len(fields) == 2 && fields[0] == "cd" {
			if d := strings.Trim(fields[1], `"'`); !strings.ContainsAny(d, "$`~") && !path.IsAbs(d) {
				dir = path.Join(dir, d)
			} else {
				dir = "."
			}
			continue
		}
		i := 0
		for i < len(fields) && fields[i] != "docker" {
			i++
		}
		if i+1 >= len(fields) {
			continue
		}
		rest := fields[i+1:]
		if rest[0] == "buildx" {
			rest = rest[1:]
		}
		if len(rest) == 0 || rest[0] != "build" {
			continue
		}
		b := build{}
		var positional []string
		for k := 1; k < len(rest); k++ {
			a := rest[k]
			switch {
			case a == "-f" || a == "--file":
				if k+1 < len(rest) {
					b.file = rest[k+1]
					k++
				}
			case strings.HasPrefix(a, "--file="):
				b.file = strings.TrimPrefix(a, "--file=")
			case a == "-t" || a == "--tag":
				if k+1 < len(rest) {
					b.repos = append(b.repos, repoOf(rest[k+1]))
					k++
				}
			case strings.HasPrefix(a, "--tag="):
				b.repos = append(b.repos, repoOf(strings.TrimPrefix(a, "--tag=")))
			case a == "&&" || a == ";" || a == "|":
				k = len(rest)
			case strings.HasPrefix(a, "-"):
				if !strings.Contains(a, "=") && k+1 < len(rest) && !strings.HasPrefix(rest[k+1], "-") && a != "--push" && a != "--load" && a != "--pull" && a != "-q" && a != "--no-cache" && a != "--quiet" {
					k++
				}
			default:
				positional = append(positional, a)
			}
		}
		if len(positional) == 0 {
			continue
		}
		b.context = path.Join(dir, strings.Trim(positional[len(positional)-1], `"'`))
		if b.file != "" && !path.IsAbs(b.file) {
			b.file = path.Join(dir, b.file)
		}
		out = append(out, b)
	}
	return out
}

// hidden reports a path with a dot-directory, which a shell's * does not
// match (.devcontainer/Dockerfile).
func hidden(name string) bool {
	for _, c := range strings.Split(name, "/") {
		if strings.HasPrefix(c, ".") && c != "." && c != ".." {
			return true
		}
	}
	return false
}

// shellGlob turns the shell variables and workflow expressions of a path
// ($X, ${X}, ${{ x }}) into *.
func shellGlob(p string) string {
	if !strings.Contains(p, "$") {
		return p
	}
	var b strings.Builder
	for i := 0; i < len(p); i++ {
		if p[i] != '$' {
			b.WriteByte(p[i])
			continue
		}
		j := i + 1
		if strings.HasPrefix(p[j:], "{{") {
			if k := strings.Index(p[j:], "}}"); k >= 0 {
				j += k + 2
			} else {
				j = len(p)
			}
		} else if j < len(p) && p[j] == '{' {
			if k := strings.IndexByte(p[j:], '}'); k >= 0 {
				j += k + 1
			} else {
				j = len(p)
			}
		} else {
			for j < len(p) && (p[j] == '_' || p[j] >= 'a' && p[j] <= 'z' || p[j] >= 'A' && p[j] <= 'Z' || p[j] >= '0' && p[j] <= '9') {
				j++
			}
		}
		b.WriteByte('*')
		i = j - 1
	}
	return b.String()
}

// repoOf is the repository name of an image tag: REGISTRY/team/app:sha
// -> app.
func repoOf(tag string) string {
	tag = strings.Trim(tag, `"'`)
	if i := strings.IndexByte(tag, '@'); i >= 0 {
		tag = tag[:i]
	}
	if i := strings.LastIndexByte(tag, '/'); i >= 0 {
		tag = tag[i+1:]
	}
	if i := strings.IndexByte(tag, ':'); i >= 0 {
		tag = tag[:i]
	}
	return tag
}

// copySources reads a Dockerfile's COPY and ADD sources (not those from
// another stage), relative to the repository.
func copySources(df, context string) []string {
	var out []string
	text := strings.ReplaceAll(df, "\\\n", " ")
	for _, line := range strings.Split(text, "\n") {
		fields := strings.Fields(strings.TrimSpace(line))
		if len(fields) < 3 {
			continue
		}
		ins := strings.ToUpper(fields[0])
		if ins != "COPY" && ins != "ADD" {
			continue
		}
		args := fields[1:]
		fromStage := false
		var rest []string
		for _, a := range args {
			if strings.HasPrefix(a, "--from=") {
				fromStage = true
			}
			if strings.HasPrefix(a, "--") {
				continue
			}
			rest = append(rest, strings.Trim(a, `[],"`))
		}
		if fromStage || len(rest) < 2 {
			continue
		}
		for _, src := range rest[:len(rest)-1] {
			if strings.Contains(src, "://") {
				continue
			}
			out = append(out, path.Clean(path.Join(context, src)))
		}
	}
	return out
}

// runs reports whether the image runs a repository file: the build puts
// it in the image, and no other build's Dockerfile sits nearer to it than
// what claims it for this image (its Dockerfile's directory, a COPY
// source, the context). A monorepo whose images all copy the whole
// repository runs worker/ in the worker image, not in web's.
func (b *imageBuild) runs(file string, builds []*imageBuild) bool {
	if !b.owns(file) {
		return false
	}
	under := func(dir string) bool {
		dir = strings.TrimSuffix(strings.TrimRight(dir, "*"), "/")
		return dir == "." || dir == "" || file == dir || strings.HasPrefix(file, dir+"/")
	}
	depth := func(dir string) int {
		if dir = strings.TrimSuffix(dir, "/"); dir == "." || dir == "" {
			return 0
		}
		return strings.Count(dir, "/") + 1
	}
	claim := -1
	for _, c := range append([]string{path.Dir(b.dockerfile), b.context}, b.sources...) {
		if !strings.ContainsAny(c, "*?[") && under(c) && depth(c) > claim {
			claim = depth(c)
		}
	}
	for _, o := range builds {
		if d := path.Dir(o.dockerfile); o != b && d != "." && under(d) && depth(d) > claim {
			return false
		}
	}
	return true
}

// owns reports whether the build puts a repository file in its image.
func (b *imageBuild) owns(file string) bool {
	under := func(dir string) bool {
		dir = strings.TrimRight(dir, "*")
		dir = strings.TrimSuffix(dir, "/")
		return dir == "." || dir == "" || file == dir || strings.HasPrefix(file, dir+"/")
	}
	if !under(b.context) {
		return false
	}
	if len(b.sources) == 0 {
		return true
	}
	for _, s := range b.sources {
		if strings.ContainsAny(s, "*?[") {
			if ok, _ := path.Match(s, file); ok {
				return true
			}
			s = path.Dir(s)
		}
		if under(s) {
			return true
		}
	}
	return false
}

// buildsOf returns the builds of a task definition's containers: by the
// image's repository name among the builds' tags, else by a build whose
// directory is named after the container, the family or the repository.
func buildsOf(td *ecs.TaskDefinition, builds []*imageBuild) []*imageBuild {
	var out []*imageBuild
	seen := map[*imageBuild]bool{}
	for _, c := range td.Containers {
		repo := ""
		if c.Image != nil {
			repo = repoOf(c.Image.Value)
		}
		names := []string{c.Name}
		if td.Family != nil {
			names = append(names, td.Family.Value)
		}
		if repo != "" && !strings.Contains(repo, "{{") {
			names = append(names, repo)
		}
		var found *imageBuild
		for _, b := range builds {
			for _, r := range b.repos {
				if repo != "" && r == repo {
					found = b
				}
			}
		}
		if found == nil {
			for _, b := range builds {
				dir := path.Base(path.Dir(b.dockerfile))
				ctx := path.Base(b.context)
				for _, n := range names {
					if n != "" && (dir == n || ctx == n || strings.HasSuffix(n, "-"+dir) || strings.HasSuffix(n, "-"+ctx) ||
						strings.HasPrefix(dir, n+"-") || strings.HasPrefix(ctx, n+"-")) {
						found = b
					}
				}
			}
		}
		if found != nil && !seen[found] {
			seen[found] = true
			out = append(out, found)
		}
	}
	return out
}
