package instrument

import (
	"sync"

	"github.com/prometheus/client_golang/prometheus"
)

// Metrics are the server's Prometheus collectors. They are registered on the registry given
// to NewMetrics (never on a global one), which /metrics serves.
type Metrics struct {
	storeCalls   *prometheus.CounterVec
	storeSeconds *prometheus.HistogramVec
	// Requests counts GraphQL operations by operation name and outcome (OK or the first
	// error code).
	Requests *prometheus.CounterVec
	// RequestSeconds times GraphQL operations by operation name.
	RequestSeconds *prometheus.HistogramVec
	// Errors counts GraphQL errors by code.
	Errors *prometheus.CounterVec
	// InFlight is the number of GraphQL requests being served.
	InFlight prometheus.Gauge

	names *nameSet
}

// NewMetrics creates the collectors and registers them on reg.
func NewMetrics(reg prometheus.Registerer) *Metrics {
	buckets := []float64{.0005, .001, .0025, .005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5, 10}
	m := &Metrics{
		storeCalls: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "autograph_store_calls_total", Help: "Store calls (database round trips) by method and outcome code.",
		}, []string{"method", "code"}),
		storeSeconds: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name: "autograph_store_call_duration_seconds", Help: "Store call latency by method.", Buckets: buckets,
		}, []string{"method"}),
		Requests: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "autograph_graphql_requests_total", Help: "GraphQL operations by operation name and outcome (OK or the first error code).",
		}, []string{"operation", "outcome"}),
		RequestSeconds: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name: "autograph_graphql_request_duration_seconds", Help: "GraphQL operation latency by operation name.", Buckets: buckets,
		}, []string{"operation"}),
		Errors: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "autograph_graphql_errors_total", Help: "GraphQL errors by extensions.code.",
		}, []string{"code"}),
		InFlight: prometheus.NewGauge(prometheus.GaugeOpts{
			Name: "autograph_graphql_requests_in_flight", Help: "GraphQL requests being served.",
		}),
		names: &nameSet{seen: map[string]bool{}},
	}
	reg.MustRegister(m.storeCalls, m.storeSeconds, m.Requests, m.RequestSeconds, m.Errors, m.InFlight)
	return m
}

// maxOperationNames bounds the operation-name label: clients choose names freely, and every
// new one would otherwise make new time series.
const maxOperationNames = 200

// validOperationName reports whether name is a GraphQL name of at most 64 characters
// ([_A-Za-z][_0-9A-Za-z]*), which alone may become a label value.
func validOperationName(name string) bool {
	if name == "" || len(name) > 64 {
		return false
	}
	for i := 0; i < len(name); i++ {
		c := name[i]
		switch {
		case c == '_', 'a' <= c && c <= 'z', 'A' <= c && c <= 'Z':
		case '0' <= c && c <= '9' && i > 0:
		default:
			return false
		}
	}
	return true
}

// OperationLabel is the label value for an operation name: "anonymous" for none, "other"
// past the first maxOperationNames distinct valid names.
func (m *Metrics) OperationLabel(name string) string {
	switch {
	case name == "":
		return "anonymous"
	case !validOperationName(name):
		return "invalid"
	}
	return m.names.label(name)
}

type nameSet struct {
	mu   sync.Mutex
	seen map[string]bool
}

func (s *nameSet) label(name string) string {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.seen[name] {
		return name
	}
	if len(s.seen) >= maxOperationNames {
		return "other"
	}
	s.seen[name] = true
	return name
}
