package cli

import (
	"runtime"
	"runtime/debug"
	"sync"
)

// heapFloor lets the heap grow to floor bytes before the collector runs,
// and after each collection to the floor or to three times what survived
// it (GOGC=200), whichever is more. A run over thousands of small files
// makes garbage fast and keeps little (findings stream, each worker parses
// into the memory of its last file): it collects once or not at all,
// where GOGC=200 would collect every few MB. One that keeps much (the
// findings of a format written at the end) grows as with GOGC=200. The
// returned function restores the collector.
func heapFloor(floor uint64) (restore func()) {
	var mu sync.Mutex
	done := false
	// Before the first collection the runtime aims at 4 MB times
	// GOGC/100.
	old := debug.SetGCPercent(gcPercent(floor, 4<<20))
	var arm func()
	arm = func() {
		// A finalizer runs after the collection that finds its object
		// unreachable: once per collection, while re-armed.
		runtime.SetFinalizer(&gcSentinel{}, func(*gcSentinel) {
			mu.Lock()
			defer mu.Unlock()
			if done {
				return
			}
			// What is allocated just after a collection is about what
			// survived it (runtime/metrics would say it exactly, at the
			// cost of building its tables when the program starts).
			var ms runtime.MemStats
			runtime.ReadMemStats(&ms)
			debug.SetGCPercent(gcPercent(floor, ms.HeapAlloc))
			arm()
		})
	}
	arm()
	return func() {
		mu.Lock()
		defer mu.Unlock()
		done = true
		debug.SetGCPercent(old)
	}
}

// gcSentinel is an object whose finalizer tells that a collection ran: it
// holds a pointer, so that it is never one of the tiny objects that share
// a block (and their finalizers' fate).
type gcSentinel struct {
	_ *int
	_ [16]byte
}

// gcPercent is the GOGC that lets a heap of live bytes grow to floor, and
// at least 200.
func gcPercent(floor, live uint64) int {
	if live == 0 || floor/live > 1<<20 {
		return 1 << 20
	}
	return max(200, int(floor/live)*100-100)
}
