package cli

import (
	"os"
	"os/exec"
	"path/filepath"
	"runtime/debug"
	"strings"
	"testing"

	"gopkg.in/yaml.v3"
)

// TestGoReleaserConfig checks .goreleaser.yaml the way `goreleaser check`
// would for what iamfit needs (goreleaser cannot be downloaded in CI):
// static builds of ./cmd/iamfit for linux, darwin and windows on amd64 and
// arm64, the version stamped into variables that exist, checksums, and
// the license in every archive.
func TestGoReleaserConfig(t *testing.T) {
	data, err := os.ReadFile("../../.goreleaser.yaml")
	if err != nil {
		t.Fatal(err)
	}
	var cfg struct {
		Version int `yaml:"version"`
		Builds  []struct {
			ID      string   `yaml:"id"`
			Main    string   `yaml:"main"`
			Binary  string   `yaml:"binary"`
			Env     []string `yaml:"env"`
			Flags   []string `yaml:"flags"`
			Ldflags []string `yaml:"ldflags"`
			Goos    []string `yaml:"goos"`
			Goarch  []string `yaml:"goarch"`
		} `yaml:"builds"`
		Archives []struct {
			Formats []string `yaml:"formats"`
			Files   []string `yaml:"files"`
		} `yaml:"archives"`
		Checksum struct {
			NameTemplate string `yaml:"name_template"`
			Algorithm    string `yaml:"algorithm"`
		} `yaml:"checksum"`
	}
	var loose map[string]any
	if err := yaml.Unmarshal(data, &loose); err != nil {
		t.Fatal(err)
	}
	for k := range loose {
		switch k {
		case "version", "project_name", "before", "builds", "archives", "checksum", "snapshot", "changelog", "release", "dockers", "kos":
		default:
			t.Errorf("unknown top-level key %q", k)
		}
	}
	if err := yaml.Unmarshal(data, &cfg); err != nil {
		t.Fatal(err)
	}
	if cfg.Version != 2 {
		t.Errorf("version: %d, want 2 (GoReleaser v2 configuration)", cfg.Version)
	}
	if len(cfg.Builds) != 1 {
		t.Fatalf("%d builds, want 1", len(cfg.Builds))
	}
	b := cfg.Builds[0]
	if _, err := os.Stat(filepath.Join("../..", b.Main, "main.go")); err != nil {
		t.Errorf("main %s: %v", b.Main, err)
	}
	if !contains(b.Env, "CGO_ENABLED=0") {
		t.Errorf("env %v: a static binary needs CGO_ENABLED=0", b.Env)
	}
	for _, want := range []string{"linux", "darwin", "windows"} {
		if !contains(b.Goos, want) {
			t.Errorf("goos lacks %s", want)
		}
	}
	for _, want := range []string{"amd64", "arm64"} {
		if !contains(b.Goarch, want) {
			t.Errorf("goarch lacks %s", want)
		}
	}
	ld := strings.Join(b.Ldflags, " ")
	for _, v := range []string{"Version", "Commit", "Date"} {
		if !strings.Contains(ld, "-X github.com/iamfit/iamfit/internal/cli."+v+"=") {
			t.Errorf("ldflags do not stamp cli.%s: %s", v, ld)
		}
	}
	if cfg.Checksum.NameTemplate == "" {
		t.Errorf("no checksum file")
	}
	if len(cfg.Archives) == 0 || !contains(cfg.Archives[0].Files, "LICENSE") {
		t.Errorf("archives do not carry LICENSE")
	}
	if _, err := os.Stat("../../LICENSE"); err != nil {
		t.Error(err)
	}
	docker, err := os.ReadFile("../../Dockerfile")
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"CGO_ENABLED=0", "./cmd/iamfit", "internal/cli.Version=", "USER nonroot", "ENTRYPOINT"} {
		if !strings.Contains(string(docker), want) {
			t.Errorf("Dockerfile lacks %s", want)
		}
	}
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

func TestVersionInfo(t *testing.T) {
	defer func(f func() (*debug.BuildInfo, bool)) { buildInfo = f }(buildInfo)
	buildInfo = func() (*debug.BuildInfo, bool) {
		return &debug.BuildInfo{Main: debug.Module{Version: "v1.2.3"}, Settings: []debug.BuildSetting{
			{Key: "vcs.revision", Value: "0123456789abcdef0123"}, {Key: "vcs.time", Value: "2025-01-02T03:04:05Z"}}}, true
	}
	if v, c, d := versionInfo(); v != "v1.2.3" || c != "0123456789ab" || d != "2025-01-02T03:04:05Z" {
		t.Errorf("go install build: %s %s %s", v, c, d)
	}
	buildInfo = func() (*debug.BuildInfo, bool) { return &debug.BuildInfo{Main: debug.Module{Version: "(devel)"}}, true }
	if v, _, _ := versionInfo(); v != devVersion {
		t.Errorf("devel build: %s", v)
	}
}

// TestStampedBuild builds the binary with the release's -ldflags and runs
// iamfit version.
func TestStampedBuild(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the binary")
	}
	bin := filepath.Join(t.TempDir(), "iamfit")
	cmd := exec.Command("go", "build", "-ldflags", "-X github.com/iamfit/iamfit/internal/cli.Version=9.8.7 -X github.com/iamfit/iamfit/internal/cli.Commit=abc1234", "-o", bin, "../../cmd/iamfit")
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	out, err := exec.Command(bin, "version").Output()
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(string(out), "iamfit 9.8.7 (commit abc1234") {
		t.Errorf("iamfit version: %s", out)
	}
}
