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
		names: &nameSet{seen: map[string]bool{}, seconds: map[string]prometheus.Observer{}, counts: map[[2]string]prometheus.Counter{}},
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
	s := m.names
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.labelLocked(name)
}

// ObserveRequest counts one GraphQL operation named op (OperationLabel) under outcome and
// times it. The collectors of a label are looked up once and kept: a vector's lookup hashes
// and checks its label values on every call, a point of a lookup's CPU.
func (m *Metrics) ObserveRequest(op, outcome string, seconds float64) {
	s := m.names
	s.mu.Lock()
	label := s.labelLocked(op)
	obs, ok := s.seconds[label]
	if !ok {
		obs = m.RequestSeconds.WithLabelValues(label)
		s.seconds[label] = obs
	}
	key := [2]string{label, outcome}
	c, ok := s.counts[key]
	if !ok {
		c = m.Requests.WithLabelValues(label, outcome)
		if len(s.counts) < maxKeptCounters {
			s.counts[key] = c
		}
	}
	s.mu.Unlock()
	obs.Observe(seconds)
	c.Inc()
}

// maxKeptCounters bounds the request counters kept by label and outcome.
const maxKeptCounters = 4096

// nameSet holds the operation names given a label of their own, and the collectors of each
// label (and outcome) asked so far; the labels are bounded (maxOperationNames and three more)
// and so are the outcomes (OK and the error codes).
type nameSet struct {
	mu      sync.Mutex
	seen    map[string]bool
	seconds map[string]prometheus.Observer
	counts  map[[2]string]prometheus.Counter
}

// labelLocked is OperationLabel's answer; s.mu must be held.
func (s *nameSet) labelLocked(name string) string {
	switch {
	case name == "":
		return "anonymous"
	case !validOperationName(name):
		return "invalid"
	}
	if s.seen[name] {
		return name
	}
	if len(s.seen) >= maxOperationNames {
		return "other"
	}
	s.seen[name] = true
	return name
}
