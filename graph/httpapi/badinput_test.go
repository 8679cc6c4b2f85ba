package httpapi_test

import (
	"bytes"
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/autograph-kg/autograph/graph/httpapi"
	"github.com/autograph-kg/autograph/graph/httpapi/apitest"
)

// TestBadInput sends bad requests through the real handler: each must get a 4xx or a GraphQL
// error with the expected code and a readable message, never a 5xx, and the server must go on
// answering normally.
func TestBadInput(t *testing.T) {
	srv := apitest.NewServer(t, httpapi.Options{})
	deep := "{ organization(id: \"avtotor\") { " + strings.Repeat("parent { ", 20) + "id" + strings.Repeat(" }", 20) + " } }"
	tests := []struct {
		name     string
		query    string
		vars     map[string]any
		code     string
		contains string
	}{
		{"impossible date literal", `{ organization(id: "avtotor") { assembles(asOf: "2024-02-30") { id } } }`, nil, "BAD_USER_INPUT", "no such day"},
		{"malformed date variable", `query($d: Date) { organization(id: "avtotor") { assembles(asOf: $d) { id } } }`, map[string]any{"d": "yesterday"}, "BAD_USER_INPUT", "invalid date"},
		{"date of wrong type", `query($d: Date) { timeline(id: "avtotor", from: $d) { date } }`, map[string]any{"d": 2023}, "BAD_USER_INPUT", "invalid date"},
		{"timeline to before from", `{ timeline(id: "avtotor", from: "2023", to: "2022") { date } }`, nil, "BAD_USER_INPUT", "before"},
		{"unknown id in paths", `{ paths(from: "avtotor", to: "no-such-thing") { length } }`, nil, "NOT_FOUND", "no-such-thing"},
		{"unknown id in neighborhood", `{ neighborhood(id: "nobody") { truncated } }`, nil, "NOT_FOUND", "nobody"},
		{"unknown id in timeline", `{ timeline(id: "nobody") { date } }`, nil, "NOT_FOUND", "nobody"},
		{"first over the limit", `{ brands(first: 101) { totalCount } }`, nil, "BAD_USER_INPUT", "between 0 and 100"},
		{"negative first", `{ relations(first: -1) { totalCount } }`, nil, "BAD_USER_INPUT", "between 0 and 100"},
		{"huge first", `{ organizations(first: 2000000000) { totalCount } }`, nil, "BAD_USER_INPUT", "between 0 and 100"},
		{"search first over the limit", `{ search(query: "baic", first: 500) { score } }`, nil, "BAD_USER_INPUT", "between 1 and 100"},
		{"neighborhood depth over the limit", `{ neighborhood(id: "avtotor", depth: 4) { truncated } }`, nil, "BAD_USER_INPUT", "depth must be between 0 and 3"},
		{"neighborhood limit over the limit", `{ neighborhood(id: "avtotor", limit: 1001) { truncated } }`, nil, "BAD_USER_INPUT", "limit must be between 1 and 1000"},
		{"path length over the limit", `{ paths(from: "avtotor", to: "kia", maxLength: 7) { length } }`, nil, "BAD_USER_INPUT", "maxLength must be between 1 and 6"},
		{"invalid cursor", `{ brands(after: "not-a-cursor") { totalCount } }`, nil, "BAD_USER_INPUT", "cursor"},
		{"cursor from another ordering", `{ brands(after: "WyJicmFuZHMiLCJJRDphc2MiLCIiLCJrYWl5aSIsImthaXlpIl0") { totalCount } }`, nil, "BAD_USER_INPUT", "ordering"},
		{"empty search", `{ search(query: "  ") { score } }`, nil, "BAD_USER_INPUT", "letter or digit"},
		{"too deep", deep, nil, "DEPTH_LIMIT_EXCEEDED", "limit of 15"},
		{"too complex", `{ brands(first: 100) { edges { node { relations(first: 100) { edges { node { from { name } to { name } sources { title } } } } } } } }`, nil, "COMPLEXITY_LIMIT_EXCEEDED", "complexity"},
		{"syntax error", `{ brands(first: 1 { totalCount } }`, nil, "GRAPHQL_PARSE_FAILED", ""},
		{"unknown field", `{ brands { nonsense } }`, nil, "GRAPHQL_VALIDATION_FAILED", "nonsense"},
		{"unknown enum value", `{ relations(where: { types: [OWNS] }) { totalCount } }`, nil, "GRAPHQL_VALIDATION_FAILED", "OWNS"},
		{"bad enum in variable", `query($k: [EntityKind!]) { search(query: "baic", kinds: $k) { score } }`, map[string]any{"k": []string{"CAR"}}, "GRAPHQL_VALIDATION_FAILED", "CAR"},
		{"missing required argument", `{ paths(from: "avtotor") { length } }`, nil, "GRAPHQL_VALIDATION_FAILED", "to"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			status, resp := apitest.Post(t, srv.URL, tc.query, tc.vars)
			if status >= 500 {
				t.Fatalf("status %d", status)
			}
			if len(resp.Errors) == 0 {
				t.Fatalf("no error; data %s", resp.Data)
			}
			e := resp.Errors[0]
			if e.Code() != tc.code || !strings.Contains(e.Message, tc.contains) {
				t.Errorf("got %q (code %q), want code %q and a message containing %q", e.Message, e.Code(), tc.code, tc.contains)
			}
			for _, leak := range []string{"goroutine", "panic", "runtime.", ".go:"} {
				if strings.Contains(e.Message, leak) {
					t.Errorf("message leaks internals: %q", e.Message)
				}
			}
		})
	}

	t.Run("unknown id in a nullable lookup is null", func(t *testing.T) {
		_, resp := apitest.Post(t, srv.URL, `{ organization(id: "nobody") { id } entity(id: "nobody") { id } node(id: "nobody") { id } brand(id: "avtotor") { id } }`, nil)
		if len(resp.Errors) > 0 || string(resp.Data) != `{"organization":null,"entity":null,"node":null,"brand":null}` {
			t.Errorf("data %s errors %+v", resp.Data, resp.Errors)
		}
	})

	httpCases := []struct {
		name, contentType string
		body              []byte
		status            int
		code              string
	}{
		{"malformed JSON", "application/json", []byte(`{"query": "{ brands { totalCount } }"`), http.StatusBadRequest, ""},
		{"oversized body", "application/json", append([]byte(`{"query": "`), bytes.Repeat([]byte(" "), httpapi.DefaultMaxBodyBytes+10)...), http.StatusRequestEntityTooLarge, "PAYLOAD_TOO_LARGE"},
		{"empty body", "application/json", nil, http.StatusBadRequest, ""},
	}
	for _, tc := range httpCases {
		t.Run(tc.name, func(t *testing.T) {
			status, resp := apitest.PostRaw(t, srv.URL, tc.contentType, tc.body)
			if status != tc.status {
				t.Errorf("status %d, want %d", status, tc.status)
			}
			if len(resp.Errors) == 0 || (tc.code != "" && resp.Errors[0].Code() != tc.code) {
				t.Errorf("errors %+v, want one with code %q", resp.Errors, tc.code)
			}
		})
	}

	t.Run("still answers", func(t *testing.T) {
		_, resp := apitest.Post(t, srv.URL, `{ organization(id: "avtotor") { name } }`, nil)
		if len(resp.Errors) > 0 || string(resp.Data) != `{"organization":{"name":"Avtotor"}}` {
			t.Errorf("data %s errors %+v", resp.Data, resp.Errors)
		}
	})
}

func TestHealthEndpoints(t *testing.T) {
	srv := apitest.NewServer(t, httpapi.Options{})
	for _, path := range []string{"/healthz", "/readyz", "/"} {
		resp, err := http.Get(srv.URL + path)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusOK {
			t.Errorf("GET %s: status %d", path, resp.StatusCode)
		}
	}
	resp, err := http.Get(srv.URL + `/query?query={organization(id:"avtotor"){name}}`)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Errorf("GET /query: status %d", resp.StatusCode)
	}
}

func TestPlaygroundLinksToExplorer(t *testing.T) {
	srv := apitest.NewServer(t, httpapi.Options{Explorer: http.NotFoundHandler()})
	resp, err := http.Get(srv.URL + "/")
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK || !bytes.Contains(body, []byte(`href="/explore"`)) || !bytes.Contains(body, []byte("graphiql")) {
		t.Errorf("status %d; the playground page should link to /explore:\n%.400s", resp.StatusCode, body)
	}
}
