package main

import (
	"bufio"
	"bytes"
	"math"
	"os"
	"runtime/debug"
	"strconv"
	"strings"
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
)

// gcPolicy is the collector settings the server applies; zero fields are left as they are.
type gcPolicy struct {
	Percent  int   // GOGC
	MemLimit int64 // GOMEMLIMIT in bytes
}

// chooseGC picks the settings: defaultGOGC unless GOGC is set, and memLimitShare of
// available bytes (the cgroup's memory limit, or the machine's memory) unless GOMEMLIMIT is
// set or available is unknown (0).
func chooseGC(getenv func(string) string, available int64) gcPolicy {
	var p gcPolicy
	if getenv("GOGC") == "" {
		p.Percent = defaultGOGC
	}
	if getenv("GOMEMLIMIT") == "" && available > 0 {
		p.MemLimit = int64(float64(available) * memLimitShare)
	}
	return p
}

// apply sets the policy in the runtime.
func (p gcPolicy) apply() {
	if p.Percent != 0 {
		debug.SetGCPercent(p.Percent)
	}
	if p.MemLimit > 0 {
		debug.SetMemoryLimit(p.MemLimit)
	}
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
func applyGCPolicy() {
	chooseGC(os.Getenv, availableMemory(os.ReadFile)).apply()
}

// pauseGC turns the collector off until the returned function is called, when a memory limit
// is in effect (the runtime then still collects as the heap nears it). Opening a data
// directory builds the graph (most of what the process will hold) in one go, so every
// collection during it marks a heap that only grows and frees little: at 1M entities that was
// a sixth of the restart's CPU. Without a limit the collector is left alone, so that the
// garbage of the load cannot grow the process unbounded.
func pauseGC() (resume func()) {
	if debug.SetMemoryLimit(-1) == math.MaxInt64 {
		return func() {}
	}
	prev := debug.SetGCPercent(-1)
	return func() { debug.SetGCPercent(prev) }
}
