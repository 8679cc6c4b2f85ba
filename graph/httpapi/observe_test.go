package httpapi_test

import (
	"bytes"
	"encoding/json"
	"io"
	"log/slog"
	"maps"
	"net/http"
	"strings"
	"sync"
	"testing"

	"github.com/autograph-kg/autograph/graph/httpapi"
	"github.com/autograph-kg/autograph/graph/httpapi/apitest"
	"github.com/prometheus/client_golang/prometheus"
)

// syncBuffer is a bytes.Buffer safe for the concurrent writes of a logger.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

func TestMetricsAndLogs(t *testing.T) {
	var logs syncBuffer
	reg := prometheus.NewRegistry()
	srv := apitest.NewServer(t, httpapi.Options{
		Logger:      slog.New(slog.NewJSONHandler(&logs, nil)),
		Registry:    reg,
		WriteTokens: []string{"metrics-test-token-0001"},
	})
	apitest.Post(t, srv.URL, `query AvtotorName { organization(id: "avtotor") { name } }`, nil)
	apitest.Post(t, srv.URL, `query Broken { paths(from: "avtotor", to: "nobody") { length } }`, nil)
	apitest.PostAs(t, srv.URL, "Bearer metrics-test-token-0001-wrong", `mutation Sneaky { removeRelation(id: "x") }`, nil)

	resp, err := http.Get(srv.URL + "/metrics")
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	for _, want := range []string{
		`autograph_graphql_requests_total{operation="AvtotorName",outcome="OK"} 1`,
		`autograph_graphql_requests_total{operation="Broken",outcome="NOT_FOUND"} 1`,
		`autograph_graphql_requests_total{operation="Sneaky",outcome="UNAUTHENTICATED"} 1`,
		`autograph_graphql_errors_total{code="NOT_FOUND"} 1`,
		`autograph_store_calls_total{code="NOT_FOUND",method="Paths"} 1`,
		`autograph_graphql_request_duration_seconds_count{operation="AvtotorName"} 1`,
		`autograph_graphql_requests_in_flight 0`,
	} {
		if !strings.Contains(string(body), want) {
			t.Errorf("/metrics lacks %s", want)
		}
	}

	var lines []map[string]any
	for _, l := range strings.Split(strings.TrimSpace(logs.String()), "\n") {
		var m map[string]any
		if err := json.Unmarshal([]byte(l), &m); err != nil {
			t.Fatalf("log line is not JSON: %s", l)
		}
		if m["msg"] == "request" {
			lines = append(lines, m)
		}
	}
	// At info, the fast successful request is not logged; the failed ones are (debug shows
	// every request: TestRequestLogLevels).
	if len(lines) != 2 {
		t.Fatalf("want 2 request log lines, got %d:\n%s", len(lines), logs.String())
	}
	for i, want := range []struct{ op, outcome string }{{"Broken", "NOT_FOUND"}, {"Sneaky", "UNAUTHENTICATED"}} {
		if lines[i]["operation"] != want.op || lines[i]["outcome"] != want.outcome || lines[i]["requestId"] == "" {
			t.Errorf("log line %d = %v, want operation %s outcome %s and a request id", i, lines[i], want.op, want.outcome)
		}
	}
	if s := logs.String(); strings.Contains(s, "metrics-test-token") || strings.Contains(s, "nobody") {
		t.Errorf("logs leak a token or query text:\n%s", s)
	}
}

func TestRequestIDIsEchoed(t *testing.T) {
	srv := apitest.NewServer(t, httpapi.Options{})
	req, _ := http.NewRequest(http.MethodPost, srv.URL+"/query", strings.NewReader(`{"query":"{ __typename }"}`))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("X-Request-Id", "trace-123")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if got := resp.Header.Get("X-Request-Id"); got != "trace-123" {
		t.Errorf("X-Request-Id = %q", got)
	}
}

func TestRequestLogLevels(t *testing.T) {
	var logs syncBuffer
	srv := apitest.NewServer(t, httpapi.Options{Logger: slog.New(slog.NewJSONHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug}))})
	apitest.Post(t, srv.URL, `query AvtotorName { organization(id: "avtotor") { name } }`, nil)
	apitest.Post(t, srv.URL, `query Broken { paths(from: "avtotor", to: "nobody") { length } }`, nil)
	levels := map[string]string{}
	for _, l := range strings.Split(strings.TrimSpace(logs.String()), "\n") {
		var m map[string]any
		if err := json.Unmarshal([]byte(l), &m); err != nil {
			t.Fatalf("log line is not JSON: %s", l)
		}
		if m["msg"] == "request" {
			levels[m["operation"].(string)] = m["level"].(string)
		}
	}
	if want := map[string]string{"AvtotorName": "DEBUG", "Broken": "INFO"}; !maps.Equal(levels, want) {
		t.Errorf("request log levels = %v, want %v", levels, want)
	}
}
