package httpapi_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/autograph-kg/autograph/graph/httpapi"
	"github.com/autograph-kg/autograph/graph/httpapi/apitest"
)

// introspectionQuery is the query GraphiQL and most clients send to learn the schema.
const introspectionQuery = `query IntrospectionQuery {
  __schema {
    queryType { name } mutationType { name } subscriptionType { name }
    types { ...FullType }
    directives { name description locations args { ...InputValue } }
  }
}
fragment FullType on __Type {
  kind name description
  fields(includeDeprecated: true) { name description args { ...InputValue } type { ...TypeRef } isDeprecated deprecationReason }
  inputFields { ...InputValue }
  interfaces { ...TypeRef }
  enumValues(includeDeprecated: true) { name description isDeprecated deprecationReason }
  possibleTypes { ...TypeRef }
}
fragment InputValue on __InputValue { name description type { ...TypeRef } defaultValue }
fragment TypeRef on __Type {
  kind name
  ofType { kind name ofType { kind name ofType { kind name ofType { kind name ofType { kind name ofType { kind name ofType { kind name } } } } } } }
}`

// fragmentBomb builds fragments each spreading the next one twice: 2^n fields once expanded.
func fragmentBomb(n int) string {
	var b strings.Builder
	b.WriteString("{ organization(id: \"avtotor\") { ...F0 } }\n")
	for i := range n {
		fmt.Fprintf(&b, "fragment F%d on Organization { a%d: parent { ...F%d } b%d: parent { ...F%d } }\n", i, i, i+1, i, i+1)
	}
	fmt.Fprintf(&b, "fragment F%d on Organization { name }\n", n)
	return b.String()
}

// TestAbuse is the hostile-input battery: every request gets a 4xx or a GraphQL error with
// a code — never a 5xx, a panic or a hang — and the server answers normally afterwards.
func TestAbuse(t *testing.T) {
	srv := apitest.NewServer(t, httpapi.Options{WriteTokens: []string{"abuse-test-token-000001"}})
	client := &http.Client{Timeout: 15 * time.Second}
	type req struct {
		name, method, contentType, body, query string
		// wantStatus 0 means: any status below 500; the answer must then hold a coded error.
		wantStatus int
		wantCode   string
	}
	gql := func(q string) string { b, _ := json.Marshal(map[string]any{"query": q}); return string(b) }
	gqlv := func(q string, v any) string {
		b, _ := json.Marshal(map[string]any{"query": q, "variables": v})
		return string(b)
	}
	aliases := func(n int, field string) string {
		var b strings.Builder
		b.WriteString("{")
		for i := range n {
			fmt.Fprintf(&b, " a%d: %s", i, field)
		}
		b.WriteString(" }")
		return b.String()
	}
	cases := []req{
		// Transport.
		{name: "malformed JSON", body: `{"query": `, wantStatus: 400},
		{name: "JSON array (batching is not supported)", body: `[{"query":"{ __typename }"},{"query":"{ __typename }"}]`, wantStatus: 400},
		{name: "JSON string", body: `"{ __typename }"`, wantStatus: 400},
		{name: "query is a number", body: `{"query": 42}`, wantStatus: 400},
		{name: "variables not an object", body: `{"query": "{ __typename }", "variables": [1]}`, wantStatus: 400},
		{name: "empty body", body: ``, wantStatus: 400},
		{name: "empty query", body: `{"query": ""}`},
		{name: "null query", body: `{"query": null}`},
		{name: "text/plain body", contentType: "text/plain", body: gql("{ __typename }"), wantStatus: 400},
		{name: "form body", contentType: "application/x-www-form-urlencoded", body: "query=%7B__typename%7D", wantStatus: 400},
		{name: "xml body", contentType: "application/xml", body: "<query/>", wantStatus: 400},
		{name: "PUT", method: http.MethodPut, body: gql("{ __typename }"), wantStatus: 400},
		{name: "DELETE", method: http.MethodDelete, wantStatus: 400},
		{name: "oversized body", body: `{"query": "` + strings.Repeat("a", 2<<20) + `"}`, wantStatus: 413, wantCode: "PAYLOAD_TOO_LARGE"},
		{name: "GET without query", method: http.MethodGet},
		{name: "GET mutation", method: http.MethodGet, query: `mutation { deleteEntity(id: "avtotor") }`, wantStatus: 406},
		{name: "GET malformed variables", method: http.MethodGet, query: `{ __typename }&variables={`, wantStatus: 400},
		// Documents.
		{name: "syntax error", body: gql(`{ brands(first: 1 { totalCount } }`), wantCode: "GRAPHQL_PARSE_FAILED"},
		{name: "lone brace", body: gql(`{`), wantCode: "GRAPHQL_PARSE_FAILED"},
		{name: "unknown operation name", body: `{"query": "query A { __typename }", "operationName": "B"}`},
		{name: "two operations, none chosen", body: gql(`query A { __typename } query B { __typename }`)},
		{name: "subscription", body: gql(`subscription { x }`), wantCode: "GRAPHQL_VALIDATION_FAILED"},
		{name: "unknown field", body: gql(`{ nonsense }`), wantCode: "GRAPHQL_VALIDATION_FAILED"},
		{name: "unknown argument", body: gql(`{ organization(id: "avtotor", color: RED) { id } }`), wantCode: "GRAPHQL_VALIDATION_FAILED"},
		{name: "fragment cycle", body: gql(`{ organization(id: "avtotor") { ...A } } fragment A on Organization { parent { ...B } } fragment B on Organization { parent { ...A } }`), wantCode: "GRAPHQL_VALIDATION_FAILED"},
		{name: "fragment bomb", body: gql(fragmentBomb(40)), wantCode: "DEPTH_LIMIT_EXCEEDED"},
		{name: "wide fragment bomb", body: gql(strings.ReplaceAll(fragmentBomb(30), "parent", "country")), wantCode: "GRAPHQL_VALIDATION_FAILED"},
		{name: "alias flood", body: gql(aliases(1000, `organization(id: "avtotor") { name }`)), wantCode: "FIELD_LIMIT_EXCEEDED"},
		{name: "alias flood of searches", body: gql(aliases(300, `search(query: "a") { score }`)), wantCode: "COMPLEXITY_LIMIT_EXCEEDED"},
		{name: "alias flood of paths", body: gql(aliases(200, `paths(from: "avtotor", to: "kia") { length }`)), wantCode: "COMPLEXITY_LIMIT_EXCEEDED"},
		{name: "directive flood", body: gql(`{ __typename ` + strings.Repeat("@include(if: true) ", 2000) + `}`), wantCode: "GRAPHQL_VALIDATION_FAILED"},
		{name: "unknown directive", body: gql(`{ __typename @nope }`), wantCode: "GRAPHQL_VALIDATION_FAILED"},
		{name: "very deep nesting", body: gql(strings.Repeat("{ organization(id: \"avtotor\") ", 1) + strings.Repeat("{ parent ", 500) + "{ id }" + strings.Repeat(" }", 501)), wantCode: "DEPTH_LIMIT_EXCEEDED"},
		{name: "deep nesting under the token limit", body: gql(`{ organization(id: "avtotor") ` + strings.Repeat("{ parent ", 30) + "{ id }" + strings.Repeat(" }", 31)), wantCode: "DEPTH_LIMIT_EXCEEDED"},
		{name: "introspection nested too deep", body: gql(`{ __schema { types ` + strings.Repeat("{ fields { type ", 8) + "{ name }" + strings.Repeat(" } }", 8) + ` } }`), wantCode: "GRAPHQL_VALIDATION_FAILED"},
		{name: "huge token count", body: gql(`{ __typename ` + strings.Repeat("__typename ", 20000) + `}`), wantCode: "GRAPHQL_PARSE_FAILED"},
		// Arguments.
		{name: "huge first", body: gql(`{ brands(first: 100000) { totalCount } }`), wantCode: "BAD_USER_INPUT"},
		{name: "negative first", body: gql(`{ brands(first: -5) { totalCount } }`), wantCode: "BAD_USER_INPUT"},
		{name: "first beyond Int", body: gql(`{ brands(first: 99999999999999999999) { totalCount } }`), wantCode: "GRAPHQL_VALIDATION_FAILED"},
		{name: "first as a string", body: gql(`{ brands(first: "10") { totalCount } }`), wantCode: "GRAPHQL_VALIDATION_FAILED"},
		{name: "first as a float variable", body: gqlv(`query($n: Int) { brands(first: $n) { totalCount } }`, map[string]any{"n": 1.5})},
		{name: "negative depth", body: gql(`{ neighborhood(id: "avtotor", depth: -1) { truncated } }`), wantCode: "BAD_USER_INPUT"},
		{name: "absurd depth", body: gql(`{ neighborhood(id: "avtotor", depth: 2147483647) { truncated } }`), wantCode: "BAD_USER_INPUT"},
		{name: "zero limit", body: gql(`{ neighborhood(id: "avtotor", limit: 0) { truncated } }`), wantCode: "BAD_USER_INPUT"},
		{name: "zero maxLength", body: gql(`{ paths(from: "avtotor", to: "kia", maxLength: 0) { length } }`), wantCode: "BAD_USER_INPUT"},
		{name: "paths first 0", body: gql(`{ paths(from: "avtotor", to: "kia", first: 0) { length } }`), wantCode: "BAD_USER_INPUT"},
		{name: "invalid date", body: gql(`{ relations(where: { asOf: "2023-02-29" }) { totalCount } }`), wantCode: "BAD_USER_INPUT"},
		{name: "date with time", body: gql(`{ relations(where: { asOf: "2023-02-01T00:00:00Z" }) { totalCount } }`), wantCode: "BAD_USER_INPUT"},
		{name: "date as a number", body: gql(`{ relations(where: { asOf: 2023 }) { totalCount } }`), wantCode: "BAD_USER_INPUT"},
		{name: "date variable of wrong type", body: gqlv(`query($d: Date) { timeline(id: "avtotor", from: $d) { date } }`, map[string]any{"d": map[string]any{"y": 1}}), wantCode: "BAD_USER_INPUT"},
		{name: "garbage cursor", body: gql(`{ relations(after: "!!!") { totalCount } }`), wantCode: "BAD_USER_INPUT"},
		{name: "base64 garbage cursor", body: gql(`{ relations(after: "aGVsbG8") { totalCount } }`), wantCode: "BAD_USER_INPUT"},
		{name: "cursor with NUL", body: gql("{ relations(after: \"\\u0000\") { totalCount } }"), wantCode: "BAD_USER_INPUT"},
		{name: "huge cursor", body: gql(`{ relations(after: "` + strings.Repeat("A", 100000) + `") { totalCount } }`), wantCode: "BAD_USER_INPUT"},
		{name: "search NUL only", body: gql("{ search(query: \"\\u0000\") { score } }"), wantCode: "BAD_USER_INPUT"},
		{name: "search too long", body: gql(`{ search(query: "` + strings.Repeat("x", 1000) + `") { score } }`), wantCode: "BAD_USER_INPUT"},
		{name: "bad enum in variable", body: gqlv(`query($t: [RelationType!]) { relations(where: { types: $t }) { totalCount } }`, map[string]any{"t": []string{"LOVES"}}), wantCode: "GRAPHQL_VALIDATION_FAILED"},
		{name: "missing required variable", body: gql(`query($id: ID!) { organization(id: $id) { name } }`), wantCode: "GRAPHQL_VALIDATION_FAILED"},
		{name: "undeclared variable", body: gql(`{ organization(id: $id) { name } }`), wantCode: "GRAPHQL_VALIDATION_FAILED"},
		{name: "null for a non-null variable", body: gqlv(`query($id: ID!) { organization(id: $id) { name } }`, map[string]any{"id": nil}), wantCode: "GRAPHQL_VALIDATION_FAILED"},
		{name: "unknown id in paths", body: gql(`{ paths(from: "💥", to: "avtotor") { length } }`), wantCode: "NOT_FOUND"},
		{name: "unknown id with NUL", body: gql("{ timeline(id: \"a\\u0000b\") { date } }"), wantCode: "NOT_FOUND"},
		{name: "unauthenticated mutation", body: gql(`mutation { deleteEntity(id: "avtotor") }`), wantCode: "UNAUTHENTICATED"},
		{name: "persisted query not found", body: `{"extensions": {"persistedQuery": {"version": 1, "sha256Hash": "` + strings.Repeat("0", 64) + `"}}}`, wantCode: "PERSISTED_QUERY_NOT_FOUND"},
		{name: "persisted query with wrong hash", body: `{"query": "{ __typename }", "extensions": {"persistedQuery": {"version": 1, "sha256Hash": "` + strings.Repeat("0", 64) + `"}}}`},
		{name: "persisted query of another version", body: `{"query": "{ __typename }", "extensions": {"persistedQuery": {"version": 99, "sha256Hash": "x"}}}`},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			method := tc.method
			if method == "" {
				method = http.MethodPost
			}
			url := srv.URL + "/query"
			if tc.query != "" {
				url += "?query=" + strings.NewReplacer(" ", "%20", "{", "%7B", "}", "%7D", "\"", "%22").Replace(tc.query)
			}
			ctx, cancel := context.WithTimeout(context.Background(), 15*time.Second)
			defer cancel()
			r, _ := http.NewRequestWithContext(ctx, method, url, strings.NewReader(tc.body))
			ct := tc.contentType
			if ct == "" {
				ct = "application/json"
			}
			r.Header.Set("Content-Type", ct)
			resp, err := client.Do(r)
			if err != nil {
				t.Fatalf("request failed (hang?): %v", err)
			}
			raw, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			if resp.StatusCode >= 500 {
				t.Fatalf("status %d: %.300s", resp.StatusCode, raw)
			}
			if tc.wantStatus != 0 && resp.StatusCode != tc.wantStatus {
				t.Errorf("status %d, want %d: %.300s", resp.StatusCode, tc.wantStatus, raw)
			}
			var out apitest.Response
			if err := json.Unmarshal(raw, &out); err != nil {
				if resp.StatusCode < 400 {
					t.Fatalf("status %d and a body that is not JSON: %.300s", resp.StatusCode, raw)
				}
				return
			}
			if resp.StatusCode < 400 && len(out.Errors) == 0 {
				t.Fatalf("no error for a bad request: %.300s", raw)
			}
			for _, e := range out.Errors {
				if e.Code() == "" && resp.StatusCode < 400 {
					t.Errorf("error without a code: %+v", e)
				}
				if e.Code() == "INTERNAL" {
					t.Errorf("bad input reported as INTERNAL: %+v", e)
				}
				if strings.Contains(e.Message, "goroutine") || strings.Contains(e.Message, ".go:") {
					t.Errorf("message leaks internals: %q", e.Message)
				}
			}
			if tc.wantCode != "" && (len(out.Errors) == 0 || out.Errors[0].Code() != tc.wantCode) {
				t.Errorf("errors %.500v, want code %s", out.Errors, tc.wantCode)
			}
			if len(out.Errors) > 21 {
				t.Errorf("%d errors in one response; want them capped", len(out.Errors))
			}
		})
	}
	if len(cases) < 60 {
		t.Errorf("the battery has %d cases; keep at least 60", len(cases))
	}

	t.Run("introspection still works", func(t *testing.T) {
		status, resp := apitest.Post(t, srv.URL, introspectionQuery, nil)
		if status != http.StatusOK || len(resp.Errors) > 0 || !bytes.Contains(resp.Data, []byte(`"Organization"`)) {
			t.Errorf("status %d errors %+v", status, resp.Errors)
		}
	})
	t.Run("server answers normally afterwards", func(t *testing.T) {
		_, resp := apitest.Post(t, srv.URL, `{ organization(id: "avtotor") { name } }`, nil)
		if string(resp.Data) != `{"organization":{"name":"Avtotor"}}` {
			t.Errorf("data %s errors %+v", resp.Data, resp.Errors)
		}
	})
}
