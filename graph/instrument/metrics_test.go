package instrument

import (
	"fmt"
	"strings"
	"testing"

	"github.com/prometheus/client_golang/prometheus"
)

func TestOperationLabelIsBounded(t *testing.T) {
	m := NewMetrics(prometheus.NewRegistry())
	for _, tc := range []struct{ in, want string }{
		{"", "anonymous"},
		{"AvtotorBrands", "AvtotorBrands"},
		{"has space", "invalid"},
		{strings.Repeat("x", 65), "invalid"},
		{"名前", "invalid"},
		{"9lives", "invalid"},
		{"_op9", "_op9"},
		{strings.Repeat("x", 64), strings.Repeat("x", 64)},
	} {
		if got := m.OperationLabel(tc.in); got != tc.want {
			t.Errorf("OperationLabel(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
	for i := range maxOperationNames * 2 {
		m.OperationLabel(fmt.Sprintf("Op%d", i))
	}
	if got := m.OperationLabel("OneMore"); got != "other" {
		t.Errorf("past the cap: %q, want other", got)
	}
	if got := m.OperationLabel("AvtotorBrands"); got != "AvtotorBrands" {
		t.Errorf("a name seen before the cap: %q", got)
	}
}
