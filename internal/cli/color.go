package cli

import (
	"fmt"
	"io"
)

// colorModes are the values of --color.
const colorModes = "auto, always or never"

// useColor decides whether output to w is in colour: never, always, or
// (auto) when w is a terminal, NO_COLOR is unset or empty
// (https://no-color.org) and TERM is not dumb. --color always overrides
// NO_COLOR, as a per-run choice does.
func (c *Command) useColor(mode string, w io.Writer) (bool, error) {
	switch mode {
	case "never":
		return false, nil
	case "always":
		return true, nil
	case "auto", "":
		return colorAuto(isTerminal(w), c.getenv), nil
	}
	return false, fmt.Errorf("--color %q: want %s", mode, colorModes)
}

// colorAuto is --color auto's decision.
func colorAuto(terminal bool, getenv func(string) string) bool {
	return terminal && getenv("NO_COLOR") == "" && getenv("TERM") != "dumb"
}
