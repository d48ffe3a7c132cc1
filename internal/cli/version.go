package cli

import (
	"encoding/json"
	"fmt"
	"runtime/debug"
)

// Version is the iamfit release. Release builds stamp it, with Commit and
// Date, through the linker:
//
//	go build -ldflags "-X github.com/iamfit/iamfit/internal/cli.Version=1.2.3 -X github.com/iamfit/iamfit/internal/cli.Commit=abc1234 -X github.com/iamfit/iamfit/internal/cli.Date=2025-01-01T00:00:00Z" ./cmd/iamfit
//
// Without stamps, `go install github.com/iamfit/iamfit/cmd/iamfit@v1.2.3`
// reports the module version and a build from a checkout its VCS revision,
// both read from the binary's build information.
var (
	Version = ""
	Commit  = ""
	Date    = ""
)

// devVersion is what a build without any version information reports.
const devVersion = "0.1.0-dev"

// buildInfo is debug.ReadBuildInfo, replaceable in tests.
var buildInfo = debug.ReadBuildInfo

// versionInfo returns the version, commit and build date, from the
// linker's stamps first, then from the build information.
func versionInfo() (version, commit, date string) {
	version, commit, date = Version, Commit, Date
	bi, ok := buildInfo()
	if !ok {
		if version == "" {
			version = devVersion
		}
		return
	}
	if version == "" && bi.Main.Version != "" && bi.Main.Version != "(devel)" {
		version = bi.Main.Version
	}
	modified := false
	for _, s := range bi.Settings {
		switch s.Key {
		case "vcs.revision":
			if commit == "" {
				commit = s.Value
			}
		case "vcs.time":
			if date == "" {
				date = s.Value
			}
		case "vcs.modified":
			modified = s.Value == "true"
		}
	}
	if version == "" {
		version = devVersion
	}
	if len(commit) > 12 {
		commit = commit[:12]
	}
	if modified && commit != "" && Commit == "" {
		commit += "-dirty"
	}
	return
}

func toolVersion() string {
	v, _, _ := versionInfo()
	return v
}

// jsonVersionVersion is the version of version's JSON output;
// docs/json/version.schema.json documents it.
const jsonVersionVersion = 1

// versionJSON is version's JSON output.
type versionJSON struct {
	Version int         `json:"version"`
	IAMFit  string      `json:"iamfit"`
	Commit  string      `json:"commit,omitempty"`
	Date    string      `json:"date,omitempty"`
	Catalog catalogJSON `json:"catalog"`
}

type catalogJSON struct {
	Package   string `json:"package"`
	Version   string `json:"version"`
	UpdatedAt string `json:"updatedAt"`
}

func (c *Command) version(args []string) int {
	f := c.newFlags("version", "[flags]", "Print the iamfit version, the commit and date it was built from, and the version and date of the embedded AWS action catalog.")
	format := f.String("format", "text", "output format: text or json")
	if _, code := f.parse(args); code >= 0 {
		return code
	}
	if *format != "text" && *format != "json" {
		return c.fail("version", "unknown --format %q (want text or json)", *format)
	}
	cat, err := loadCatalog()
	if err != nil {
		return c.exit("version", err)
	}
	v, commit, date := versionInfo()
	if *format == "json" {
		enc := json.NewEncoder(c.Stdout)
		enc.SetIndent("", "  ")
		if err := enc.Encode(versionJSON{Version: jsonVersionVersion, IAMFit: v, Commit: commit, Date: date,
			Catalog: catalogJSON{Package: cat.Package, Version: cat.Version, UpdatedAt: cat.UpdatedAt}}); err != nil {
			return c.exit("version", err)
		}
		return ExitOK
	}
	line := "iamfit " + v
	if commit != "" {
		line += " (commit " + commit
		if date != "" {
			line += ", " + date
		}
		line += ")"
	}
	fmt.Fprintf(c.Stdout, "%s\ncatalog %s %s (data of %s)\n", line, cat.Package, cat.Version, cat.UpdatedAt)
	return ExitOK
}
