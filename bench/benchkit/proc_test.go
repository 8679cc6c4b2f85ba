package benchkit

import (
	"runtime"
	"testing"
)

func TestStealShare(t *testing.T) {
	a := CPUTimes{Total: 1000, Steal: 100}
	if got := StealShare(a, CPUTimes{Total: 1400, Steal: 200}); got != 0.25 {
		t.Errorf("StealShare = %v, want 0.25", got)
	}
	if got := StealShare(a, a); got != -1 {
		t.Errorf("StealShare over no time = %v, want -1 (unknown)", got)
	}
	if runtime.GOOS != "linux" {
		return
	}
	c, ok := ReadCPUTimes()
	if !ok || c.Total == 0 || c.Steal > c.Total {
		t.Errorf("ReadCPUTimes = %+v, %v; want the machine's CPU time with steal within it", c, ok)
	}
}
