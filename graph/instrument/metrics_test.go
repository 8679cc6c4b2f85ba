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

// TestObserveRequestCountsUnderTheLabels: the kept collectors count and time under the same
// label values the vectors give.
func TestObserveRequestCountsUnderTheLabels(t *testing.T) {
	reg := prometheus.NewRegistry()
	m := NewMetrics(reg)
	m.ObserveRequest("AvtotorBrands", "OK", 0.001)
	m.ObserveRequest("AvtotorBrands", "OK", 0.002)
	m.ObserveRequest("AvtotorBrands", "NOT_FOUND", 0.003)
	m.ObserveRequest("", "OK", 0.004)
	m.ObserveRequest("bad name", "BAD_REQUEST", 0.005)
	families, err := reg.Gather()
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]float64{}
	for _, f := range families {
		for _, mt := range f.GetMetric() {
			var labels []string
			for _, l := range mt.GetLabel() {
				labels = append(labels, l.GetName()+"="+l.GetValue())
			}
			key := f.GetName() + "{" + strings.Join(labels, ",") + "}"
			switch {
			case mt.GetCounter() != nil:
				got[key] = mt.GetCounter().GetValue()
			case mt.GetHistogram() != nil:
				got[key] = float64(mt.GetHistogram().GetSampleCount())
			}
		}
	}
	for key, want := range map[string]float64{
		"autograph_graphql_requests_total{operation=AvtotorBrands,outcome=OK}":        2,
		"autograph_graphql_requests_total{operation=AvtotorBrands,outcome=NOT_FOUND}": 1,
		"autograph_graphql_requests_total{operation=anonymous,outcome=OK}":            1,
		"autograph_graphql_requests_total{operation=invalid,outcome=BAD_REQUEST}":     1,
		"autograph_graphql_request_duration_seconds{operation=AvtotorBrands}":         3,
		"autograph_graphql_request_duration_seconds{operation=anonymous}":             1,
		"autograph_graphql_request_duration_seconds{operation=invalid}":               1,
	} {
		if got[key] != want {
			t.Errorf("%s = %v, want %v", key, got[key], want)
		}
	}
}
