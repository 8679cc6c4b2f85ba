package httpapi_test

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"syscall"
	"testing"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/autograph-kg/autograph/bench/benchkit"
	"github.com/autograph-kg/autograph/graph/feed"
	"github.com/autograph-kg/autograph/graph/httpapi"
	"github.com/autograph-kg/autograph/graph/inmem"
	"github.com/autograph-kg/autograph/seed"
)

// The explorer's relations page as bench/ladder asks it (api.js RELATIONS with first: 20),
// and the ladder's point lookup. The ladder measures them over the network against the built
// server; these benchmarks measure the same requests in process, so that allocations per
// request (deterministic) and CPU profiles of the handler can be compared change by change.
const (
	benchExplorerRelations = `query ExplorerRelations($id: ID!, $asOf: Date, $after: String) {
  entity(id: $id) {
    id
    relations(asOf: $asOf, first: 20, after: $after) {
      totalCount
      pageInfo { hasNextPage endCursor }
      edges { node { ...RelationFields } }
    }
  }
}
fragment RelationFields on Relation {
  id type status validFrom validTo quantity note
  from { id name kind }
  to { id name kind }
  sources { ...SourceFields }
}
fragment SourceFields on Source { id title url publishedOn dateline publisher { id name } }`

	benchNeighborhood = `query ExplorerNeighborhood($id: ID!, $depth: Int, $types: [RelationType!], $asOf: Date, $limit: Int) {
  neighborhood(id: $id, depth: $depth, types: $types, asOf: $asOf, limit: $limit) {
    truncated
    nodes { id name kind }
    relations { id type status validFrom validTo from { id } to { id } sources { id publisher { name } } }
  }
}`

	benchLookup = `{ organization(id: "avtotor") { name } }`
)

func BenchmarkExplorerRelations(b *testing.B) {
	benchQuery(b, 0, benchExplorerRelations, map[string]any{"id": "avtotor", "asOf": nil, "after": nil})
}

// The same requests through the handler as the server builds it (server.go): with metrics,
// the change feed and a JSON logger at the ladder's level (warn), which the ones above leave
// out.
func BenchmarkServedExplorerRelations(b *testing.B) {
	benchServed(b, benchExplorerRelations, map[string]any{"id": "avtotor", "asOf": nil, "after": nil})
}

func BenchmarkServedLookup(b *testing.B) {
	benchServed(b, benchLookup, nil)
}

func BenchmarkNeighborhood(b *testing.B) {
	benchQuery(b, 0, benchNeighborhood, map[string]any{"id": "avtotor", "depth": 2, "types": nil, "asOf": nil, "limit": 200})
}

func BenchmarkLookup(b *testing.B) {
	benchQuery(b, 0, benchLookup, nil)
}

// The same requests answered from the answer cache, as the server on the embedded store
// answers a query asked again while the graph has not changed.
func BenchmarkCachedExplorerRelations(b *testing.B) {
	benchQuery(b, 1<<20, benchExplorerRelations, map[string]any{"id": "avtotor", "asOf": nil, "after": nil})
}

func BenchmarkCachedLookup(b *testing.B) {
	benchQuery(b, 1<<20, benchLookup, nil)
}

// benchQuery serves one query again and again through the real handler on the seeded
// embedded store, failing on any error in the answer; cache is the answer cache's budget (0:
// off).
func benchQuery(b *testing.B, cache int64, query string, vars map[string]any) {
	benchHandler(b, func(store *inmem.Store) httpapi.Options {
		return httpapi.Options{Store: store, AnswerCacheBytes: cache}
	}, query, vars)
}

// benchServed is benchQuery through the handler as the server builds it, the answer cache
// off.
func benchServed(b *testing.B, query string, vars map[string]any) {
	benchHandler(b, func(store *inmem.Store) httpapi.Options {
		logger := slog.New(slog.NewJSONHandler(io.Discard, &slog.HandlerOptions{Level: slog.LevelWarn}))
		f := feed.New(store, feed.Options{Logger: logger})
		b.Cleanup(f.Close)
		return httpapi.Options{Store: store, Logger: logger, Feed: f, Registry: prometheus.NewRegistry()}
	}, query, vars)
}

// benchHandler serves query again and again through the handler built with the options
// opts returns for the seeded store.
func benchHandler(b *testing.B, opts func(*inmem.Store) httpapi.Options, query string, vars map[string]any) {
	store := inmem.New()
	b.Cleanup(func() { _ = store.Close(context.Background()) })
	if err := seed.Load(context.Background(), store); err != nil {
		b.Fatal(err)
	}
	h := httpapi.NewHandler(opts(store))
	body, err := json.Marshal(map[string]any{"query": query, "variables": vars})
	if err != nil {
		b.Fatal(err)
	}
	serve := func() *httptest.ResponseRecorder {
		req := httptest.NewRequest(http.MethodPost, "/query", bytes.NewReader(body))
		req.Header.Set("Content-Type", "application/json")
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		return rec
	}
	first := serve()
	if first.Code != http.StatusOK || bytes.Contains(first.Body.Bytes(), []byte(`"errors"`)) {
		b.Fatalf("status %d: %.500s", first.Code, first.Body.String())
	}
	b.ReportAllocs()
	b.ResetTimer()
	cpu0 := processCPU()
	for b.Loop() {
		if rec := serve(); rec.Code != http.StatusOK {
			b.Fatalf("status %d", rec.Code)
		}
	}
	// The process's CPU time per request, the collector's included, as the ladder measures
	// the server's: on a machine shared with other work it drifts less than the time per
	// request, which counts the time the benchmark waited for a CPU.
	b.ReportMetric(float64(processCPU()-cpu0)/float64(b.N), "cpu-ns/op")
}

// processCPU is the CPU time the process has used, user and system, in nanoseconds.
func processCPU() int64 {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return ru.Utime.Nano() + ru.Stime.Nano()
}

// The product questions of the load mix (graph/testdata/questions, as bench/loadgen sends
// them), one sub-benchmark each, through the handler as the server builds it with the answer
// cache off: which question costs what.
func BenchmarkServedQuestions(b *testing.B) {
	qs, err := benchkit.LoadQuestions("../testdata/questions")
	if err != nil {
		b.Fatal(err)
	}
	for _, q := range qs {
		query, vars := questionRequest(b, q)
		b.Run(q.Name, func(b *testing.B) { benchServed(b, query, vars) })
	}
}

// questionRequest is the query text and variables of a product question's request body.
func questionRequest(tb testing.TB, q benchkit.Question) (string, map[string]any) {
	tb.Helper()
	var req struct {
		Query     string         `json:"query"`
		Variables map[string]any `json:"variables"`
	}
	if err := json.Unmarshal(q.Body, &req); err != nil {
		tb.Fatalf("%s: %v", q.Name, err)
	}
	return req.Query, req.Variables
}
