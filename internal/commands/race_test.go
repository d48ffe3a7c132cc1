//go:build race

package commands

// raceSlowdown scales the time bounds of hostile-input tests under the
// race detector, which runs the parser several times slower.
const raceSlowdown = 10
