package cli

import (
	"fmt"
	"runtime/debug"
)

// Version is the iamfit release; builds from a module version report that.
const Version = "0.1.0-dev"

func toolVersion() string {
	if bi, ok := debug.ReadBuildInfo(); ok && bi.Main.Version != "" && bi.Main.Version != "(devel)" {
		return bi.Main.Version
	}
	return Version
}

func (c *Command) version(args []string) int {
	f := c.newFlags("version", "", "Print the iamfit version and the version and date of the embedded AWS action catalog.")
	if _, code := f.parse(args); code >= 0 {
		return code
	}
	cat, err := loadCatalog()
	if err != nil {
		return c.exit("version", err)
	}
	fmt.Fprintf(c.Stdout, "iamfit %s\ncatalog %s %s (data of %s)\n", toolVersion(), cat.Package, cat.Version, cat.UpdatedAt)
	return ExitOK
}
