// Package apitest serves stores through the real HTTP handler (httpapi.NewHandler) for tests,
// and sends them GraphQL requests: the helpers that the resolvers' tests (package graph) and
// the HTTP layer's tests (package httpapi) share. Every request goes over a real connection,
// so a test sees what a client sees.
package apitest

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/autograph-kg/autograph/graph/httpapi"
	"github.com/autograph-kg/autograph/graph/inmem"
	"github.com/autograph-kg/autograph/graph/model"
	"github.com/autograph-kg/autograph/graph/neo4jstore"
	"github.com/autograph-kg/autograph/graph/neo4jstore/neo4jtest"
	"github.com/autograph-kg/autograph/seed"
)

// NewServer serves the seeded embedded store through the real handler.
func NewServer(t *testing.T, opts httpapi.Options) *httptest.Server {
	t.Helper()
	return NewSeededServer(t, opts, inmem.New())
}

// NewSeededServer loads the seed into store and serves it through the real handler; the
// store is closed with the server.
func NewSeededServer(t *testing.T, opts httpapi.Options, store model.Store) *httptest.Server {
	t.Helper()
	if err := seed.Load(context.Background(), store); err != nil {
		t.Fatalf("seed.Load: %v", err)
	}
	opts.Store = store
	srv := httptest.NewServer(httpapi.NewHandler(withAnswerCache(opts)))
	t.Cleanup(func() {
		srv.Close()
		_ = store.Close(context.Background())
	})
	return srv
}

// NewServerWith serves opts.Store (already loaded) through the real handler.
func NewServerWith(t *testing.T, opts httpapi.Options) *httptest.Server {
	t.Helper()
	srv := httptest.NewServer(httpapi.NewHandler(withAnswerCache(opts)))
	t.Cleanup(srv.Close)
	return srv
}

// withAnswerCache turns the answer cache on, as the server has it on the embedded store, unless
// opts say otherwise (a negative AnswerCacheBytes turns it off): every test through these
// servers, on either store, then also checks that no answer is served stale.
func withAnswerCache(opts httpapi.Options) httpapi.Options {
	if opts.AnswerCacheBytes == 0 {
		opts.AnswerCacheBytes = 4 << 20
	}
	return opts
}

// OpenNeo4j opens a store on the Neo4j test database, which the test has to itself and which
// is empty (see package neo4jtest); it skips without a test server, or fails under CI.
func OpenNeo4j(t *testing.T) *neo4jstore.Store {
	t.Helper()
	s := neo4jtest.Use(t)
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	store, err := neo4jstore.Open(ctx, neo4jstore.Config{
		URI: s.URI, Username: s.Username, Password: s.Password, Database: s.Database,
		AcquireTimeout: 10 * time.Second,
	})
	if err != nil {
		t.Fatalf("opening the Neo4j store on %s: %v", s, err)
	}
	return store
}

// EachStore runs f against a server on each store, seeded: the embedded store, and Neo4j
// when a test server is named (see package neo4jtest).
func EachStore(t *testing.T, opts httpapi.Options, f func(t *testing.T, srv *httptest.Server)) {
	t.Run("embedded", func(t *testing.T) { f(t, NewServer(t, opts)) })
	t.Run("neo4j", func(t *testing.T) { f(t, NewSeededServer(t, opts, OpenNeo4j(t))) })
}

// Response is a GraphQL response with its data left raw.
type Response struct {
	Data       json.RawMessage `json:"data"`
	Errors     []Error         `json:"errors"`
	Extensions map[string]any  `json:"extensions"`
}

// Error is one GraphQL error of a response.
type Error struct {
	Message    string         `json:"message"`
	Path       []any          `json:"path"`
	Extensions map[string]any `json:"extensions"`
}

// Code is the error's extensions.code, or "".
func (e Error) Code() string { s, _ := e.Extensions["code"].(string); return s }

// Post sends a GraphQL request to url's /query and decodes the answer.
func Post(t *testing.T, url, query string, vars map[string]any) (int, Response) {
	t.Helper()
	body, err := json.Marshal(map[string]any{"query": query, "variables": vars})
	if err != nil {
		t.Fatal(err)
	}
	return PostRaw(t, url, "application/json", body)
}

// PostRaw posts body as it is to url's /query and decodes the answer, which must be JSON.
func PostRaw(t *testing.T, url, contentType string, body []byte) (int, Response) {
	t.Helper()
	resp, err := http.Post(url+"/query", contentType, bytes.NewReader(body))
	if err != nil {
		t.Fatalf("POST: %v", err)
	}
	defer resp.Body.Close()
	raw, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatalf("read body: %v", err)
	}
	var out Response
	if err := json.Unmarshal(raw, &out); err != nil {
		t.Fatalf("status %d, body is not JSON: %v\n%s", resp.StatusCode, err, raw)
	}
	return resp.StatusCode, out
}

// PostAs sends a GraphQL request with an Authorization header (none when auth is ""); a 5xx
// answer fails the test.
func PostAs(t *testing.T, url, auth, query string, vars map[string]any) Response {
	t.Helper()
	body, _ := json.Marshal(map[string]any{"query": query, "variables": vars})
	req, err := http.NewRequest(http.MethodPost, url+"/query", bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/json")
	if auth != "" {
		req.Header.Set("Authorization", auth)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	raw, _ := io.ReadAll(resp.Body)
	if resp.StatusCode >= 500 {
		t.Fatalf("status %d: %s", resp.StatusCode, raw)
	}
	var out Response
	if err := json.Unmarshal(raw, &out); err != nil {
		t.Fatalf("not JSON: %s", raw)
	}
	return out
}
