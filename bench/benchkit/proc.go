package benchkit

import (
	"fmt"
	"os"
	"strconv"
	"strings"
	"time"
)

// userHZ is the unit of the CPU times in /proc/PID/stat: the kernel's USER_HZ, which Linux
// fixes at 100 on every architecture it exposes to user space (getconf CLK_TCK).
const userHZ = 100

// ProcCPU is the CPU time a process has used so far, user plus system, from /proc/PID/stat
// (utime and stime, fields 14 and 15). Its resolution is 10 ms, so it measures a run of many
// requests, not one.
func ProcCPU(pid int) (time.Duration, error) {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return 0, fmt.Errorf("cpu of pid %d: %w", pid, err)
	}
	// The command name (field 2) is in parentheses and may hold spaces or parentheses: the
	// fields after it start after its last ')'.
	s := string(b)
	i := strings.LastIndexByte(s, ')')
	if i < 0 {
		return 0, fmt.Errorf("cpu of pid %d: unexpected /proc stat %q", pid, Truncate(s, 80))
	}
	f := strings.Fields(s[i+1:])
	// f[0] is field 3 (state), so utime (field 14) is f[11] and stime f[12].
	if len(f) < 13 {
		return 0, fmt.Errorf("cpu of pid %d: short /proc stat", pid)
	}
	var ticks int64
	for _, v := range f[11:13] {
		n, err := strconv.ParseInt(v, 10, 64)
		if err != nil {
			return 0, fmt.Errorf("cpu of pid %d: %w", pid, err)
		}
		ticks += n
	}
	return time.Duration(ticks) * time.Second / userHZ, nil
}

// LoadAvg is the first three fields of /proc/loadavg (1, 5 and 15 minutes), or a note saying
// why it could not be read: the machine is shared, so every figure is printed with it.
func LoadAvg() string {
	b, err := os.ReadFile("/proc/loadavg")
	if err != nil {
		return "load average unknown (" + err.Error() + ")"
	}
	f := strings.Fields(string(b))
	if len(f) < 3 {
		return "load average unknown"
	}
	return strings.Join(f[:3], " ")
}

// Load1 is the 1-minute load average, or -1 when it cannot be read.
func Load1() float64 {
	b, err := os.ReadFile("/proc/loadavg")
	if err != nil {
		return -1
	}
	f := strings.Fields(string(b))
	if len(f) == 0 {
		return -1
	}
	v, err := strconv.ParseFloat(f[0], 64)
	if err != nil {
		return -1
	}
	return v
}

// Machine describes this machine in one line: cores, processor model, as the page on
// performance records them.
func Machine() string {
	model := "unknown processor"
	if b, err := os.ReadFile("/proc/cpuinfo"); err == nil {
		for _, line := range strings.Split(string(b), "\n") {
			if k, v, ok := strings.Cut(line, ":"); ok && strings.TrimSpace(k) == "model name" {
				model = strings.TrimSpace(v)
				break
			}
		}
	}
	cpus := "?"
	if b, err := os.ReadFile("/proc/self/status"); err == nil {
		for _, line := range strings.Split(string(b), "\n") {
			if v, ok := strings.CutPrefix(line, "Cpus_allowed_list:"); ok {
				cpus = strings.TrimSpace(v)
			}
		}
	}
	return fmt.Sprintf("%s, %d online CPUs (this process may run on CPUs %s)", model, numCPU(), cpus)
}

// numCPU counts the online CPUs (what nproc prints without affinity), from /proc/cpuinfo.
func numCPU() int {
	b, err := os.ReadFile("/proc/cpuinfo")
	if err != nil {
		return 0
	}
	n := 0
	for _, line := range strings.Split(string(b), "\n") {
		if k, _, ok := strings.Cut(line, ":"); ok && strings.TrimSpace(k) == "processor" {
			n++
		}
	}
	return n
}

// CPUTimes is the machine's CPU time from /proc/stat's first line, in clock ticks: all of it
// and the part a hypervisor gave to other machines (steal). On a shared virtual machine the
// stolen part is time a pinned server waited for its CPU, which lowers its req/s without
// changing its CPU per request.
type CPUTimes struct{ Total, Steal uint64 }

// ReadCPUTimes reads CPUTimes; ok is false where /proc/stat is not there or not readable.
func ReadCPUTimes() (t CPUTimes, ok bool) {
	b, err := os.ReadFile("/proc/stat")
	if err != nil {
		return t, false
	}
	line, _, _ := strings.Cut(string(b), "\n")
	f := strings.Fields(line)
	if len(f) < 9 || f[0] != "cpu" {
		return t, false
	}
	for i, s := range f[1:] {
		n, err := strconv.ParseUint(s, 10, 64)
		if err != nil {
			return t, false
		}
		if i < 8 { // user nice system idle iowait irq softirq steal; guest is in user already
			t.Total += n
		}
		if i == 7 {
			t.Steal = n
		}
	}
	return t, true
}

// StealShare is the share of the machine's CPU time stolen between a and b, -1 when unknown.
func StealShare(a, b CPUTimes) float64 {
	if b.Total <= a.Total {
		return -1
	}
	return float64(b.Steal-a.Steal) / float64(b.Total-a.Total)
}
