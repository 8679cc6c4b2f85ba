package httpapi

import (
	"context"
	"fmt"
	"log/slog"
	"math/rand/v2"
	"net/http"
	"regexp"
	"sync"
	"time"
	"unsafe"

	"github.com/99designs/gqlgen/graphql"
	"github.com/vektah/gqlparser/v2/gqlerror"

	"github.com/autograph-kg/autograph/graph/instrument"
)

// Every request to /query gets an id (the client's X-Request-Id when it is sane, otherwise a
// fresh one, echoed in the response), one JSON log line with its operation, duration and
// outcome, and its share of the Prometheus metrics. Query text and variables are never
// logged: they may hold what users would not want in logs.

// requestRecord collects what the GraphQL layer learns about a request for the log line.
type requestRecord struct {
	mu        sync.Mutex
	operation string
	codes     []string
	cached    bool
}

// setCached notes a request answered from the answer cache, with its operation's name.
func (r *requestRecord) setCached(operation string) {
	r.set(operation, nil)
	r.mu.Lock()
	r.cached = true
	r.mu.Unlock()
}

func (r *requestRecord) set(operation string, codes []string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if operation != "" {
		r.operation = clip(operation, maxLogged)
	}
	r.codes = append(r.codes, codes...)
}

func (r *requestRecord) get() (string, []string, bool) {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.operation, append([]string(nil), r.codes...), r.cached
}

type recordKey struct{}

func recordFrom(ctx context.Context) *requestRecord {
	r, _ := ctx.Value(recordKey{}).(*requestRecord)
	return r
}

var requestIDRE = regexp.MustCompile(`^[A-Za-z0-9._-]{1,64}$`)

// newRequestID is 16 random hex digits. A request id tells log lines apart and is no
// secret, so it comes from math/rand/v2's generator (ChaCha8, seeded by the runtime) rather
// than from crypto/rand, which cost 0.7 % of a lookup's CPU.
func newRequestID() string {
	var b [16]byte
	fillRequestID(&b)
	return string(b[:])
}

// fillRequestID writes a new request id into b.
func fillRequestID(b *[16]byte) {
	const digits = "0123456789abcdef"
	n := rand.Uint64()
	for i := len(b) - 1; i >= 0; i-- {
		b[i] = digits[n&15]
		n >>= 4
	}
}

// requestID is the request's id, held by its scope: the id the client sent when it is a
// valid one, else a new one written into the scope itself. The header's value is the scope's
// one-element slice, so that naming the request allocates nothing (Header.Set makes a slice,
// and a new id its string, for every request).
func (s *requestScope) requestID(sent string) []string {
	if sent == "" || !requestIDRE.MatchString(sent) {
		fillRequestID(&s.idText)
		// The bytes are written once, before the string exists, and the scope outlives
		// nothing that holds it: it is garbage only when the string is.
		sent = unsafe.String(&s.idText[0], len(s.idText))
	}
	s.idHeader[0] = sent
	return s.idHeader[:]
}

// statusWriter remembers the status code written.
type statusWriter struct {
	http.ResponseWriter
	status int
}

func (w *statusWriter) WriteHeader(code int) {
	if w.status == 0 {
		w.status = code
	}
	w.ResponseWriter.WriteHeader(code)
}

// Unwrap lets http.ResponseController reach the connection (limitBody sets read deadlines).
func (w *statusWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }

func (w *statusWriter) Write(b []byte) (int, error) {
	if w.status == 0 {
		w.status = http.StatusOK
	}
	return w.ResponseWriter.Write(b)
}

// SlowRequest is how long a request may take and still be logged at debug level only when it
// succeeds. Failed and slow requests are logged at info (error for internal errors); at 64
// connections a log line for every fast, successful request cost about a tenth of a lookup's
// CPU, for lines that say nothing the metrics do not.
const SlowRequest = 500 * time.Millisecond

// observe logs and measures the request r, whose scope is s, as next serves it on sw.
func observe(logger *slog.Logger, m *instrument.Metrics, s *requestScope, start time.Time, next http.Handler, sw *statusWriter, r *http.Request) {
	ids := s.requestID(r.Header.Get("X-Request-Id"))
	id := ids[0]
	// Assigned, not Set: the key is canonical already, and the value is the scope's.
	sw.Header()["X-Request-Id"] = ids
	rec := &s.record
	if m != nil {
		m.InFlight.Inc()
		defer m.InFlight.Dec()
	}
	next.ServeHTTP(sw, r)

	op, codes, cached := rec.get()
	outcome := "OK"
	switch {
	case len(codes) > 0:
		outcome = codes[0]
	case sw.status == http.StatusRequestEntityTooLarge:
		outcome = "PAYLOAD_TOO_LARGE"
	case sw.status >= 400:
		outcome = "BAD_REQUEST"
	}
	d := time.Since(start)
	if m != nil {
		m.ObserveRequest(op, outcome, d.Seconds())
		for _, c := range codes {
			m.Errors.WithLabelValues(c).Inc()
		}
	}
	level := slog.LevelDebug
	switch {
	case outcome == "INTERNAL" || sw.status >= 500:
		level = slog.LevelError
	case outcome != "OK" || d >= SlowRequest:
		level = slog.LevelInfo
	}
	var storeCalls int64
	if c := instrument.CounterFrom(r.Context()); c != nil {
		storeCalls = c.Load()
	}
	logger.LogAttrs(r.Context(), level, "request",
		slog.String("requestId", id),
		slog.String("method", r.Method),
		slog.Int("status", sw.status),
		slog.String("operation", op),
		slog.String("outcome", outcome),
		slog.Float64("durationMs", float64(d.Microseconds())/1000),
		slog.Int64("storeCalls", storeCalls),
		slog.Bool("cached", cached),
	)
}

// maxErrors bounds the errors of one response: a document repeating a mistake thousands of
// times would otherwise get an answer thousands of times its size.
const maxErrors = 20

// recordResponses caps each response's errors and notes its operation name and error codes
// for the log line.
func recordResponses(ctx context.Context, next graphql.ResponseHandler) *graphql.Response {
	resp := next(ctx)
	if resp != nil && len(resp.Errors) > maxErrors {
		more := len(resp.Errors) - maxErrors
		resp.Errors = append(resp.Errors[:maxErrors:maxErrors], &gqlerror.Error{
			Message:    fmt.Sprintf("%d more errors omitted", more),
			Extensions: resp.Errors[0].Extensions,
		})
	}
	rec := recordFrom(ctx)
	if rec == nil || resp == nil {
		return resp
	}
	op := ""
	if graphql.HasOperationContext(ctx) {
		op = operationName(graphql.GetOperationContext(ctx))
	}
	var codes []string
	for _, e := range resp.Errors {
		if c, ok := e.Extensions["code"].(string); ok {
			codes = append(codes, c)
		}
	}
	rec.set(op, codes)
	return resp
}

// operationName is the name of the operation being run: the one the client selected, or the
// name in the document.
func operationName(oc *graphql.OperationContext) string {
	if oc.OperationName != "" {
		return oc.OperationName
	}
	if oc.Operation != nil {
		return oc.Operation.Name
	}
	return ""
}
