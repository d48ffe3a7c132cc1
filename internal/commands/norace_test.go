//go:build !race

package commands

// raceSlowdown scales the time bounds of hostile-input tests (1 without
// the race detector).
const raceSlowdown = 1
