package httpapi_test

import (
	"bufio"
	"bytes"
	"encoding/json"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/autograph-kg/autograph/graph/httpapi"
	"github.com/autograph-kg/autograph/graph/httpapi/apitest"
	"github.com/prometheus/client_golang/prometheus"
)

// observed is a test server with its log and metrics at hand.
type observed struct {
	*httptest.Server
	logs *syncBuffer
}

func newObservedServer(t *testing.T, opts httpapi.Options) *observed {
	t.Helper()
	logs := &syncBuffer{}
	opts.Logger = slog.New(slog.NewJSONHandler(logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
	opts.Registry = prometheus.NewRegistry()
	return &observed{Server: apitest.NewServer(t, opts), logs: logs}
}

// requestLines are the server's per-request log lines.
func (o *observed) requestLines(t *testing.T) []map[string]any {
	t.Helper()
	var lines []map[string]any
	for _, l := range strings.Split(strings.TrimSpace(o.logs.String()), "\n") {
		if l == "" {
			continue
		}
		var m map[string]any
		if err := json.Unmarshal([]byte(l), &m); err != nil {
			t.Fatalf("log line is not JSON: %.300s", l)
		}
		if m["msg"] == "request" {
			lines = append(lines, m)
		}
	}
	return lines
}

func (o *observed) metrics(t *testing.T) string {
	t.Helper()
	resp, err := http.Get(o.URL + "/metrics")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return string(b)
}

// rawResponse is an HTTP answer with its body kept as sent.
type rawResponse struct {
	status      int
	contentType string
	body        []byte
	header      http.Header
}

func (r rawResponse) decode(t *testing.T) apitest.Response {
	t.Helper()
	var out apitest.Response
	if err := json.Unmarshal(r.body, &out); err != nil {
		t.Fatalf("status %d, content type %q, body is not GraphQL JSON: %.300s", r.status, r.contentType, r.body)
	}
	return out
}

func send(t *testing.T, req *http.Request) rawResponse {
	t.Helper()
	resp, err := (&http.Client{Timeout: 20 * time.Second}).Do(req)
	if err != nil {
		t.Fatalf("%s %s: %v", req.Method, req.URL, err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return rawResponse{status: resp.StatusCode, contentType: resp.Header.Get("Content-Type"), body: b, header: resp.Header}
}

func newRequest(t *testing.T, method, url, contentType string, body []byte) *http.Request {
	t.Helper()
	req, err := http.NewRequest(method, url, bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	if contentType != "" {
		req.Header.Set("Content-Type", contentType)
	}
	return req
}

// noInternals fails when text shows Go internals.
func noInternals(t *testing.T, text string) {
	t.Helper()
	for _, leak := range []string{"Go value", "Go struct", "RawParams", "graphql.", "json: ", "goroutine", ".go:", "unmarshal", "body:"} {
		if strings.Contains(text, leak) {
			t.Errorf("message shows Go internals (%q): %.300s", leak, text)
		}
	}
}

// rawExchange writes the parts of a request on one connection, waiting pause between them,
// then reads the answer.
func rawExchange(t *testing.T, addr string, pause time.Duration, parts ...string) (*http.Response, []byte) {
	t.Helper()
	conn, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	_ = conn.SetDeadline(time.Now().Add(10 * time.Second))
	for i, p := range parts {
		if i > 0 {
			time.Sleep(pause)
		}
		// The server may answer and close before the last part: that is its right.
		if _, err := io.WriteString(conn, p); err != nil {
			break
		}
	}
	resp, err := http.ReadResponse(bufio.NewReader(conn), nil)
	if err != nil {
		t.Fatalf("no HTTP answer: %v", err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatalf("reading the answer: %v", err)
	}
	return resp, b
}
