package main

import (
	"errors"
	"math"
	"runtime/debug"
	"testing"
)

func TestChooseGC(t *testing.T) {
	env := func(kv map[string]string) func(string) string { return func(k string) string { return kv[k] } }
	for _, tc := range []struct {
		name      string
		env       map[string]string
		available int64
		want      gcPolicy
	}{
		{"defaults", nil, 1000, gcPolicy{Percent: defaultGOGC, MemLimit: 900}},
		{"GOGC set", map[string]string{"GOGC": "off"}, 1000, gcPolicy{MemLimit: 900}},
		{"GOMEMLIMIT set", map[string]string{"GOMEMLIMIT": "1GiB"}, 1000, gcPolicy{Percent: defaultGOGC}},
		{"memory unknown", nil, 0, gcPolicy{Percent: defaultGOGC}},
		{"both set", map[string]string{"GOGC": "50", "GOMEMLIMIT": "1GiB"}, 1000, gcPolicy{}},
	} {
		if got := chooseGC(env(tc.env), tc.available); got != tc.want {
			t.Errorf("%s: %+v, want %+v", tc.name, got, tc.want)
		}
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
	resume := pauseGC()
	if got := debug.SetGCPercent(-1); got != -1 {
		t.Fatalf("with a memory limit, GOGC during the pause = %d, want -1 (off)", got)
	}
	resume()
	if got := debug.SetGCPercent(150); got != 150 {
		t.Fatalf("after the pause GOGC = %d, want 150 back", got)
	}

	debug.SetMemoryLimit(math.MaxInt64)
	resume = pauseGC()
	if got := debug.SetGCPercent(150); got != 150 {
		t.Fatalf("without a memory limit, GOGC during the pause = %d, want 150 (untouched)", got)
	}
	resume()
	if got := debug.SetGCPercent(150); got != 150 {
		t.Fatalf("without a memory limit, GOGC after the pause = %d, want 150", got)
	}
}
