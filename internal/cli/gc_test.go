package cli

import (
	"runtime"
	"runtime/debug"
	"testing"
)

// TestGCPercent: the heap may grow to the floor, and to three times what
// survives once that is more.
func TestGCPercent(t *testing.T) {
	for _, c := range []struct {
		floor, live uint64
		want        int
	}{
		{64 << 20, 4 << 20, 1500},
		{64 << 20, 16 << 20, 300},
		{64 << 20, 32 << 20, 200},
		{64 << 20, 1 << 30, 200},
		{64 << 20, 0, 1 << 20},
		{64 << 20, 1, 1 << 20},
	} {
		if got := gcPercent(c.floor, c.live); got != c.want {
			t.Errorf("gcPercent(%d, %d) = %d, want %d", c.floor, c.live, got, c.want)
		}
	}
}

// TestHeapFloor: collections re-arm the floor, and restoring gives back
// the collector as it was, also after collections.
func TestHeapFloor(t *testing.T) {
	old := debug.SetGCPercent(150)
	defer debug.SetGCPercent(old)
	restore := heapFloor(64 << 20)
	if got := debug.SetGCPercent(-1); got != 1500 {
		t.Errorf("GOGC %d before the first collection, want 1500", got)
	}
	debug.SetGCPercent(1500)
	for i := 0; i < 3; i++ {
		runtime.GC()
	}
	restore()
	runtime.GC()
	runtime.GC() // a finalizer left would run now, after restore
	if got := debug.SetGCPercent(old); got != 150 {
		t.Errorf("GOGC %d after restore, want 150", got)
	}
}
