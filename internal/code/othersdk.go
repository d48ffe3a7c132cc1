package code

import (
	"path"
	"strings"

	"github.com/iamfit/iamfit/internal/source"
	"github.com/iamfit/iamfit/internal/tree"
)

// The AWS SDKs of languages the readers do not parse, by the manifest
// that declares them. An application that depends on one makes calls
// whose needs iamfit cannot derive: each such dependency is a diagnostic
// at its line, so a task role never reads as complete when it is not.
var otherSDKs = []struct {
	lang     string
	manifest func(base string) bool
	dep      func(line string) string // the dependency a line declares, or ""
}{
	{"Ruby", func(b string) bool { return b == "Gemfile" || strings.HasSuffix(b, ".gemspec") }, func(l string) string {
		f := strings.Fields(strings.NewReplacer("(", " ", ",", " ").Replace(l))
		if len(f) >= 2 && (f[0] == "gem" || strings.HasSuffix(f[0], "add_dependency") || strings.HasSuffix(f[0], "add_runtime_dependency")) {
			if name := strings.Trim(f[1], `"'`); strings.HasPrefix(name, "aws-sdk") {
				return name
			}
		}
		return ""
	}},
	{"Java", func(b string) bool { return b == "pom.xml" || b == "build.gradle" || b == "build.gradle.kts" }, func(l string) string {
		switch {
		case strings.Contains(l, "software.amazon.awssdk"):
			return "software.amazon.awssdk"
		case strings.Contains(l, "aws-java-sdk"):
			return "com.amazonaws:aws-java-sdk"
		}
		return ""
	}},
	{"Rust", func(b string) bool { return b == "Cargo.toml" }, func(l string) string {
		name, _, ok := strings.Cut(strings.TrimSpace(l), "=")
		if name = strings.TrimSpace(name); ok && (strings.HasPrefix(name, "aws-sdk-") || name == "aws-config" || name == "rusoto_core") {
			return name
		}
		return ""
	}},
	{".NET", func(b string) bool { return strings.HasSuffix(b, ".csproj") || strings.HasSuffix(b, ".fsproj") }, func(l string) string {
		if i := strings.Index(l, `Include="AWSSDK.`); i >= 0 {
			rest := l[i+len(`Include="`):]
			return rest[:max(0, strings.IndexByte(rest, '"'))]
		}
		return ""
	}},
	{"PHP", func(b string) bool { return b == "composer.json" }, func(l string) string {
		if strings.Contains(l, `"aws/aws-sdk-php"`) {
			return "aws/aws-sdk-php"
		}
		return ""
	}},
}

// otherSDKDiagnostics reports the dependencies on AWS SDKs the readers do
// not parse, in the repository's application code (not tests, vendored
// or infrastructure trees).
func otherSDKDiagnostics(t *tree.Tree) []source.Diagnostic {
	var out []source.Diagnostic
	for _, e := range t.Files {
		base := path.Base(e.Name)
		for _, o := range otherSDKs {
			if !o.manifest(base) || !applicationDir(e.Name) {
				continue
			}
			f, err := t.Read(e.Name)
			if err != nil {
				continue
			}
			for i, line := range strings.Split(string(f.Data), "\n") {
				if strings.HasPrefix(strings.TrimSpace(line), "#") || strings.HasPrefix(strings.TrimSpace(line), "//") {
					continue
				}
				if dep := o.dep(line); dep != "" {
					out = append(out, source.Diagnostic{File: e.Name, Pos: source.Pos{Line: i + 1, Col: 1}, Severity: source.Warning,
						Message: "the application depends on the AWS SDK for " + o.lang + " (" + dep + "), which iamfit does not read: the needs of the calls it makes are not included",
						Check:   "sdk-not-read"})
					break // one per manifest
				}
			}
		}
	}
	return out
}

// applicationDir reports a file outside the trees that are not
// application code (tests, dependencies, infrastructure).
func applicationDir(name string) bool {
	return langOf(path.Join(path.Dir(name), "x.go")) != langNone
}
