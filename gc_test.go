package main

import (
	"errors"
	"math"
	"runtime"
	"runtime/debug"
	"runtime/metrics"
	"strings"
	"testing"
	"time"
)

func TestChooseGC(t *testing.T) {
	env := func(kv map[string]string) func(string) string { return func(k string) string { return kv[k] } }
	for _, tc := range []struct {
		name      string
		env       map[string]string
		available int64
		want      gcPolicy
	}{
		{"defaults", nil, 1 << 30, gcPolicy{Percent: defaultGOGC, MemLimit: 1 << 30 * 9 / 10, MinHeap: defaultMinHeapMB << 20}},
		{"a small container", nil, 1000, gcPolicy{Percent: defaultGOGC, MemLimit: 900, MinHeap: 450}},
		{"GOGC set", map[string]string{"GOGC": "off"}, 1000, gcPolicy{MemLimit: 900}},
		{"GOMEMLIMIT set", map[string]string{"GOMEMLIMIT": "1GiB"}, 1000, gcPolicy{Percent: defaultGOGC, MinHeap: defaultMinHeapMB << 20}},
		{"memory unknown", nil, 0, gcPolicy{Percent: defaultGOGC, MinHeap: defaultMinHeapMB << 20}},
		{"both set", map[string]string{"GOGC": "50", "GOMEMLIMIT": "1GiB"}, 1000, gcPolicy{}},
		{"minimum heap set", map[string]string{"KG_GC_MIN_HEAP_MB": "16"}, 0, gcPolicy{Percent: defaultGOGC, MinHeap: 16 << 20}},
		{"no minimum heap", map[string]string{"KG_GC_MIN_HEAP_MB": "0"}, 0, gcPolicy{Percent: defaultGOGC}},
		{"minimum heap and GOGC set", map[string]string{"KG_GC_MIN_HEAP_MB": "16", "GOGC": "100"}, 0, gcPolicy{}},
	} {
		got, err := chooseGC(env(tc.env), tc.available)
		if err != nil || got != tc.want {
			t.Errorf("%s: %+v, %v; want %+v", tc.name, got, err, tc.want)
		}
	}
	for _, bad := range []string{"lots", "-1", "1.5", "64MiB"} {
		_, err := chooseGC(env(map[string]string{"KG_GC_MIN_HEAP_MB": bad}), 0)
		if err == nil || !strings.Contains(err.Error(), "KG_GC_MIN_HEAP_MB") || !strings.Contains(err.Error(), "whole number of MiB") {
			t.Errorf("KG_GC_MIN_HEAP_MB=%q: error %v", bad, err)
		}
	}
}

func TestTunedGOGC(t *testing.T) {
	const mib = 1 << 20
	for _, tc := range []struct {
		live uint64
		want int
	}{
		{4 * mib, 1500},             // 4 MiB live: the next goal at 64 MiB
		{16 * mib, 300},             // 16 MiB: 64 MiB is 4 times it
		{30 * mib, defaultGOGC},     // 30 MiB: GOGC 200 already reaches 90 MiB
		{1 << 30, defaultGOGC},      // a large graph: GOGC as set
		{64 * mib, defaultGOGC},     // at the floor
		{100 << 10, maxTunedGOGC},   // an almost empty heap: bounded
		{0, maxTunedGOGC},           // nothing live yet
		{21 * mib, defaultGOGC + 4}, // just under the point where base takes over
	} {
		if got := tunedGOGC(defaultGOGC, 64*mib, tc.live); got != tc.want {
			t.Errorf("live %d bytes: GOGC %d, want %d", tc.live, got, tc.want)
		}
	}
}

// TestGCTunerRaisesGOGCForASmallHeap applies a policy whose minimum heap is far above this
// test process's live heap and wants GOGC raised after a collection, then back at its base
// once stopped and set again. It changes the runtime's settings, and puts them back.
func TestGCTunerRaisesGOGCForASmallHeap(t *testing.T) {
	defer debug.SetGCPercent(debug.SetGCPercent(100))
	tuner := gcPolicy{Percent: 150, MinHeap: 1 << 34}.apply()
	defer tuner.stop()
	deadline := time.Now().Add(5 * time.Second)
	for {
		runtime.GC()
		time.Sleep(10 * time.Millisecond)
		// Reading GOGC means setting it; put back what was read.
		p := debug.SetGCPercent(-1)
		debug.SetGCPercent(p)
		if p == maxTunedGOGC {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("GOGC %d after collections with a 16 GiB minimum heap, want %d", p, maxTunedGOGC)
		}
	}
	tuner.stop()
	debug.SetGCPercent(150)
	runtime.GC()
	runtime.GC()
	time.Sleep(50 * time.Millisecond)
	if p := debug.SetGCPercent(100); p != 150 {
		t.Errorf("GOGC %d after the tuner stopped, want 150 as set", p)
	}
}

func TestAvailableMemory(t *testing.T) {
	const meminfo = "MemTotal:       24000000 kB\nMemFree:        1 kB\n"
	files := func(m map[string]string) func(string) ([]byte, error) {
		return func(p string) ([]byte, error) {
			if s, ok := m[p]; ok {
				return []byte(s), nil
			}
			return nil, errors.New("no such file")
		}
	}
	for _, tc := range []struct {
		name  string
		files map[string]string
		want  int64
	}{
		{"cgroup v2 limit", map[string]string{"/proc/meminfo": meminfo, "/sys/fs/cgroup/memory.max": "1073741824\n"}, 1 << 30},
		{"cgroup v2 without limit", map[string]string{"/proc/meminfo": meminfo, "/sys/fs/cgroup/memory.max": "max\n"}, 24000000 << 10},
		{"cgroup v1 limit above the machine", map[string]string{"/proc/meminfo": meminfo, "/sys/fs/cgroup/memory/memory.limit_in_bytes": "9223372036854771712"}, 24000000 << 10},
		{"cgroup v1 limit", map[string]string{"/sys/fs/cgroup/memory/memory.limit_in_bytes": "536870912"}, 512 << 20},
		{"nothing readable", nil, 0},
	} {
		if got := availableMemory(files(tc.files)); got != tc.want {
			t.Errorf("%s: %d, want %d", tc.name, got, tc.want)
		}
	}
}

// TestPauseGC checks that pauseGC turns the collector off and back to its setting when a
// memory limit is in effect, and leaves it alone when there is none. It changes the runtime's
// settings, and puts them back.
func TestPauseGC(t *testing.T) {
	defer debug.SetMemoryLimit(debug.SetMemoryLimit(-1))
	defer debug.SetGCPercent(debug.SetGCPercent(150))

	debug.SetMemoryLimit(1 << 40)
	resume := pauseGC(nil)
	if got := debug.SetGCPercent(-1); got != -1 {
		t.Fatalf("with a memory limit, GOGC during the pause = %d, want -1 (off)", got)
	}
	resume()
	if got := debug.SetGCPercent(150); got != 150 {
		t.Fatalf("after the pause GOGC = %d, want 150 back", got)
	}

	debug.SetMemoryLimit(math.MaxInt64)
	resume = pauseGC(nil)
	if got := debug.SetGCPercent(150); got != 150 {
		t.Fatalf("without a memory limit, GOGC during the pause = %d, want 150 (untouched)", got)
	}
	resume()
	if got := debug.SetGCPercent(150); got != 150 {
		t.Fatalf("without a memory limit, GOGC after the pause = %d, want 150", got)
	}
}

// TestPauseGCRetunes: resuming with a tuner sets GOGC for the heap the pause left instead of
// the GOGC of before the pause. Here the minimum heap is far above the live heap, so the
// retuned GOGC is the tuner's bound, where 150 was set before the pause.
func TestPauseGCRetunes(t *testing.T) {
	defer debug.SetMemoryLimit(debug.SetMemoryLimit(-1))
	defer debug.SetGCPercent(debug.SetGCPercent(100))
	debug.SetMemoryLimit(1 << 40)
	// Not armed: nothing but the resume tunes it.
	tuner := &gcTuner{base: 150, minHeap: 1 << 34, last: 150, sample: []metrics.Sample{{Name: "/gc/heap/live:bytes"}}}
	debug.SetGCPercent(150)
	resume := pauseGC(tuner)
	if got := debug.SetGCPercent(-1); got != -1 {
		t.Fatalf("GOGC during the pause = %d, want -1 (off)", got)
	}
	resume()
	if got := debug.SetGCPercent(100); got != maxTunedGOGC {
		t.Errorf("GOGC after the pause = %d, want %d (retuned for the live heap)", got, maxTunedGOGC)
	}
}
