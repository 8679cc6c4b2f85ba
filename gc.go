package main

import (
	"bufio"
	"bytes"
	"fmt"
	"math"
	"os"
	"runtime"
	"runtime/debug"
	"runtime/metrics"
	"strconv"
	"strings"
	"sync"
)

// The garbage collector's defaults for the server, used unless the environment sets GOGC or
// GOMEMLIMIT (the Go runtime reads those itself, and they win).
const (
	// defaultGOGC lets the heap grow to three times the live heap between collections
	// instead of two: a request allocates a few thousand short-lived objects, and at 100 the
	// collector took about a tenth of the server's CPU under load.
	defaultGOGC = 200
	// memLimitShare is the part of the memory available to the process that GOMEMLIMIT is
	// set to: the collector works harder as the heap nears it, which keeps the higher GOGC
	// from growing the process past its container's limit.
	memLimitShare = 0.9
	// defaultMinHeapMB is the smallest heap the collector lets grow between collections, in
	// MiB (KG_GC_MIN_HEAP_MB; 0: none): with a small graph (the seed's live heap is 3–5 MiB)
	// GOGC alone would collect every 10 MiB or so of garbage, a few hundred requests, and
	// the collector's share of a lookup's CPU was about a tenth.
	defaultMinHeapMB = 64
	// maxTunedGOGC bounds the GOGC the minimum heap sets, for an almost empty heap.
	maxTunedGOGC = 10000
)

// gcPolicy is the collector settings the server applies; zero fields are left as they are.
type gcPolicy struct {
	Percent  int   // GOGC
	MemLimit int64 // GOMEMLIMIT in bytes
	// MinHeap is the heap goal's floor in bytes, kept by raising GOGC above Percent while
	// the live heap is small (see gcTuner); 0: none. Only with Percent set.
	MinHeap uint64
}

// chooseGC picks the settings: defaultGOGC unless GOGC is set, and memLimitShare of
// available bytes (the cgroup's memory limit, or the machine's memory) unless GOMEMLIMIT is
// set or available is unknown (0).
//
// KG_GC_MIN_HEAP_MB (default defaultMinHeapMB, 0 for none) sets the floor of the heap goal,
// unless GOGC is set, which then alone decides; an error names a value that is not a whole
// number of MiB.
func chooseGC(getenv func(string) string, available int64) (gcPolicy, error) {
	var p gcPolicy
	minHeapMB := uint64(defaultMinHeapMB)
	if v := getenv("KG_GC_MIN_HEAP_MB"); v != "" {
		n, err := strconv.ParseUint(strings.TrimSpace(v), 10, 32)
		if err != nil {
			return gcPolicy{}, fmt.Errorf("KG_GC_MIN_HEAP_MB=%q: want a whole number of MiB (0 for none)", clipValue(v))
		}
		minHeapMB = n
	}
	if getenv("GOGC") == "" {
		p.Percent = defaultGOGC
		p.MinHeap = minHeapMB << 20
	}
	if getenv("GOMEMLIMIT") == "" && available > 0 {
		p.MemLimit = int64(float64(available) * memLimitShare)
		if p.MinHeap > uint64(p.MemLimit)/2 {
			p.MinHeap = uint64(p.MemLimit) / 2 // a small container keeps its room
		}
	}
	return p, nil
}

// apply sets the policy in the runtime, and starts the tuner that keeps the minimum heap (nil
// when there is none).
func (p gcPolicy) apply() *gcTuner {
	if p.Percent != 0 {
		debug.SetGCPercent(p.Percent)
	}
	if p.MemLimit > 0 {
		debug.SetMemoryLimit(p.MemLimit)
	}
	if p.Percent > 0 && p.MinHeap > 0 {
		t := &gcTuner{base: p.Percent, minHeap: p.MinHeap, last: p.Percent,
			sample: []metrics.Sample{{Name: "/gc/heap/live:bytes"}}}
		t.arm()
		return t
	}
	return nil
}

// gcTuner keeps the heap goal at least minHeap while the live heap is small: after every
// collection it sets GOGC to base, or to what puts the next goal at minHeap when that is
// more (at most maxTunedGOGC). Once the live heap passes minHeap/(1+base/100) GOGC is base
// again, so a large graph is collected as GOGC=base says; the memory limit (GOMEMLIMIT)
// bounds the heap either way. While the collector is paused (pauseGC) it is left off.
type gcTuner struct {
	mu      sync.Mutex
	base    int
	minHeap uint64
	last    int
	sample  []metrics.Sample
	stopped bool
}

// stop ends the tuning; GOGC stays as it is.
func (t *gcTuner) stop() {
	t.mu.Lock()
	t.stopped = true
	t.mu.Unlock()
}

// arm makes tune run after the next collection: a cleanup of an object nothing refers to
// runs once a collection has found it unreachable, and tune arms the next one.
func (t *gcTuner) arm() {
	sentinel := new([32]byte) // not a tiny allocation, which may share its block and live on
	runtime.AddCleanup(sentinel, func(t *gcTuner) {
		if t.tune() {
			t.arm()
		}
	}, t)
}

// tune sets GOGC for the live heap the last collection left; false once stopped.
func (t *gcTuner) tune() bool {
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.stopped {
		return false
	}
	t.tuneLocked(false)
	return true
}

// retune sets GOGC for the live heap now, as after a collection, whatever it was: pauseGC's
// resume restores the GOGC of before the pause, tuned for the heap of then, which may be a
// small fraction of what the pause built (a data directory's graph).
func (t *gcTuner) retune() {
	t.mu.Lock()
	defer t.mu.Unlock()
	if !t.stopped {
		t.tuneLocked(true)
	}
}

// tuneLocked sets GOGC for the live heap the last collection measured; t.mu is held. Unless
// always, a change of less than a tenth is left out.
func (t *gcTuner) tuneLocked(always bool) {
	metrics.Read(t.sample)
	if t.sample[0].Value.Kind() != metrics.KindUint64 {
		return
	}
	p := tunedGOGC(t.base, t.minHeap, t.sample[0].Value.Uint64())
	// A change of less than a tenth is not worth the runtime's bookkeeping.
	if !always && (p == t.last || (p > t.last*9/10 && p < t.last*11/10 && p != t.base)) {
		return
	}
	if prev := debug.SetGCPercent(p); prev < 0 && !always {
		debug.SetGCPercent(prev) // paused (pauseGC): its resume retunes
		return
	}
	t.last = p
}

// tunedGOGC is the GOGC that puts the next heap goal, live*(1+GOGC/100), at minHeap, or base
// when that is higher; at most maxTunedGOGC.
func tunedGOGC(base int, minHeap, live uint64) int {
	if live == 0 {
		return maxTunedGOGC
	}
	if live >= minHeap {
		return base
	}
	need := minHeap*100/live - 100
	if need <= uint64(base) {
		return base
	}
	return int(min(need, maxTunedGOGC))
}

// availableMemory is the memory the process may use: the cgroup v2 or v1 limit when there is
// one below the machine's memory, else the machine's memory (MemTotal); 0 when unknown.
func availableMemory(readFile func(string) ([]byte, error)) int64 {
	total := memTotal(readFile)
	for _, path := range []string{"/sys/fs/cgroup/memory.max", "/sys/fs/cgroup/memory/memory.limit_in_bytes"} {
		b, err := readFile(path)
		if err != nil {
			continue
		}
		n, err := strconv.ParseInt(strings.TrimSpace(string(b)), 10, 64)
		if err != nil || n <= 0 {
			continue // "max": no limit
		}
		if total == 0 || n < total {
			return n
		}
	}
	return total
}

// memTotal is MemTotal from /proc/meminfo in bytes, 0 when unknown.
func memTotal(readFile func(string) ([]byte, error)) int64 {
	b, err := readFile("/proc/meminfo")
	if err != nil {
		return 0
	}
	sc := bufio.NewScanner(bytes.NewReader(b))
	for sc.Scan() {
		f := strings.Fields(sc.Text())
		if len(f) >= 2 && f[0] == "MemTotal:" {
			kb, err := strconv.ParseInt(f[1], 10, 64)
			if err != nil {
				return 0
			}
			return kb << 10
		}
	}
	return 0
}

// applyGCPolicy applies the server's collector defaults where the environment leaves them
// unset.
func applyGCPolicy() (*gcTuner, error) {
	p, err := chooseGC(os.Getenv, availableMemory(os.ReadFile))
	if err != nil {
		return nil, err
	}
	return p.apply(), nil
}

// pauseGC turns the collector off until the returned function is called, when a memory limit
// is in effect (the runtime then still collects as the heap nears it). Opening a data
// directory builds the graph (most of what the process will hold) in one go, so every
// collection during it marks a heap that only grows and frees little: at 1M entities that was
// a sixth of the restart's CPU. Without a limit the collector is left alone, so that the
// garbage of the load cannot grow the process unbounded.
//
// With a tuner (nil: none), resuming sets GOGC for the heap the pause left, not the GOGC
// tuned for the heap of before.
func pauseGC(t *gcTuner) (resume func()) {
	if debug.SetMemoryLimit(-1) == math.MaxInt64 {
		return func() {}
	}
	prev := debug.SetGCPercent(-1)
	return func() {
		debug.SetGCPercent(prev)
		if t != nil {
			t.retune()
		}
	}
}
