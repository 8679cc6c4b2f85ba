package httpapi_test

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/autograph-kg/autograph/graph/httpapi"
	"github.com/autograph-kg/autograph/graph/httpapi/apitest"
)

// TestDeadlineBeforeExecution: a request whose deadline passes while its body is still
// arriving, or before it runs, is answered with a TIMEOUT error, logged and counted as one.
func TestDeadlineBeforeExecution(t *testing.T) {
	const body = `{"query":"{ brand(id: \"kia\") { name } }"}`
	headers := "POST /query HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: " + fmt.Sprint(len(body)) + "\r\n\r\n"
	for _, tc := range []struct {
		name    string
		timeout time.Duration
		parts   []string
	}{
		{"body stalls after 10 bytes", 100 * time.Millisecond, []string{headers + body[:10], body[10:]}},
		{"body 50 ms late with a 1 ms deadline", time.Millisecond, []string{headers, body}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			srv := newObservedServer(t, httpapi.Options{RequestTimeout: tc.timeout})
			resp, b := rawExchange(t, srv.Listener.Addr().String(), 300*time.Millisecond, tc.parts...)
			if resp.StatusCode >= 500 {
				t.Errorf("status %d", resp.StatusCode)
			}
			var out apitest.Response
			if err := json.Unmarshal(b, &out); err != nil || len(out.Errors) == 0 || out.Errors[0].Code() != "TIMEOUT" {
				t.Fatalf("status %d, body %q; want a TIMEOUT error", resp.StatusCode, b)
			}
			if !strings.Contains(out.Errors[0].Message, "too long") {
				t.Errorf("message %q", out.Errors[0].Message)
			}
			lines := srv.requestLines(t)
			if len(lines) != 1 || lines[0]["outcome"] != "TIMEOUT" {
				t.Errorf("log lines %v, want one with outcome TIMEOUT", lines)
			}
			m := srv.metrics(t)
			for _, want := range []string{`outcome="TIMEOUT"} 1`, `autograph_graphql_errors_total{code="TIMEOUT"} 1`} {
				if !strings.Contains(m, want) {
					t.Errorf("/metrics lacks %s", want)
				}
			}
		})
	}
}

// TestBodyDecodingErrors: a body that is not a GraphQL request gets a plain message naming
// what is wrong, without Go internals and without the body echoed back.
func TestBodyDecodingErrors(t *testing.T) {
	srv := apitest.NewServer(t, httpapi.Options{})
	big := `{"query": "{ __typename }", "variables": {` + strings.Repeat(`"a": 1, `, 25000) + `}`
	for _, tc := range []struct {
		name, body, contains string
	}{
		{"array", `[{"query":"{ __typename }"}]`, "batch"},
		{"string", `"{ __typename }"`, "JSON object"},
		{"number", `42`, "JSON object"},
		{"operationName a number", `{"query":"{ __typename }","operationName":5}`, "operationName"},
		{"query a number", `{"query":5}`, "query"},
		{"query an object", `{"query":{"a":1}}`, "query"},
		{"variables a list", `{"query":"{ __typename }","variables":[1]}`, "variables"},
		{"variables a string", `{"query":"{ __typename }","variables":"{}"}`, "variables"},
		{"extensions a number", `{"query":"{ __typename }","extensions":0}`, "extensions"},
		{"not JSON", `{"query": `, "not valid JSON"},
		{"trailing garbage", `{"query":"{ __typename }"} x`, "not valid JSON"},
		{"200 KB malformed body", big, "not valid JSON"},
		{"empty body", ``, "empty"},
		{"no query", `{"qeury":"{ __typename }"}`, "query"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := send(t, newRequest(t, http.MethodPost, srv.URL+"/query", "application/json", []byte(tc.body)))
			out := r.decode(t)
			if r.status != http.StatusBadRequest {
				t.Errorf("status %d, want 400", r.status)
			}
			if len(out.Errors) != 1 || out.Errors[0].Code() != "BAD_REQUEST" || !strings.Contains(out.Errors[0].Message, tc.contains) {
				t.Fatalf("errors %+v, want one BAD_REQUEST mentioning %q", out.Errors, tc.contains)
			}
			noInternals(t, out.Errors[0].Message)
			if len(r.body) > 1000 {
				t.Errorf("%d bytes of answer to a bad body; the body must not be echoed", len(r.body))
			}
			if len(tc.body) > 20 && strings.Contains(string(r.body), tc.body[:20]) {
				t.Errorf("the answer echoes the body: %.300s", r.body)
			}
		})
	}
}

// TestEveryAnswerIsGraphQLJSON: whatever reaches /query is answered with GraphQL JSON whose
// errors carry a code.
func TestEveryAnswerIsGraphQLJSON(t *testing.T) {
	srv := apitest.NewServer(t, httpapi.Options{})
	q := []byte(`{"query":"{ __typename }"}`)
	for _, tc := range []struct {
		name, method, path, contentType string
		body                            []byte
		status                          int
	}{
		{"GET mutation", http.MethodGet, `/query?query=mutation%7BdeleteEntity(id:"avtotor")%7D`, "", nil, http.StatusNotAcceptable},
		{"GET without query", http.MethodGet, `/query`, "", nil, http.StatusBadRequest},
		{"GET with malformed variables", http.MethodGet, `/query?query=%7B__typename%7D&variables=%7B`, "", nil, http.StatusBadRequest},
		{"GET with malformed URL query", http.MethodGet, `/query?query=%zz`, "", nil, http.StatusBadRequest},
		{"text/plain", http.MethodPost, "/query", "text/plain", q, http.StatusBadRequest},
		{"no content type", http.MethodPost, "/query", "", q, http.StatusBadRequest},
		{"malformed content type", http.MethodPost, "/query", "application/json; =", q, http.StatusBadRequest},
		{"multipart", http.MethodPost, "/query", "multipart/form-data; boundary=x", []byte("--x\r\nContent-Disposition: form-data; name=\"operations\"\r\n\r\n{}\r\n--x--\r\n"), http.StatusBadRequest},
		{"application/graphql", http.MethodPost, "/query", "application/graphql", []byte(`{ __typename }`), http.StatusBadRequest},
		{"form", http.MethodPost, "/query", "application/x-www-form-urlencoded", []byte("query=%7B__typename%7D"), http.StatusBadRequest},
		{"PUT", http.MethodPut, "/query", "application/json", q, http.StatusBadRequest},
		{"DELETE", http.MethodDelete, "/query", "", nil, http.StatusBadRequest},
		{"PATCH", http.MethodPatch, "/query", "application/json", q, http.StatusBadRequest},
		{"websocket upgrade", http.MethodGet, "/query", "", nil, http.StatusBadRequest},
	} {
		t.Run(tc.name, func(t *testing.T) {
			req := newRequest(t, tc.method, srv.URL+tc.path, tc.contentType, tc.body)
			if tc.name == "websocket upgrade" {
				req.Header.Set("Connection", "Upgrade")
				req.Header.Set("Upgrade", "websocket")
			}
			r := send(t, req)
			if r.status != tc.status {
				t.Errorf("status %d, want %d", r.status, tc.status)
			}
			if !strings.HasPrefix(r.contentType, "application/json") && !strings.HasPrefix(r.contentType, "application/graphql-response+json") {
				t.Errorf("content type %q", r.contentType)
			}
			out := r.decode(t)
			if len(out.Errors) == 0 || out.Errors[0].Code() == "" || out.Errors[0].Message == "" {
				t.Fatalf("errors %+v, want one with a code and a message", out.Errors)
			}
			noInternals(t, out.Errors[0].Message)
			if strings.Contains(out.Errors[0].Message, "transport not supported") {
				t.Errorf("message %q does not tell the client what to do", out.Errors[0].Message)
			}
		})
	}
	t.Run("OPTIONS lists the methods", func(t *testing.T) {
		r := send(t, newRequest(t, http.MethodOptions, srv.URL+"/query", "", nil))
		if r.status >= 300 || !strings.Contains(r.header.Get("Allow"), "POST") {
			t.Errorf("status %d, Allow %q", r.status, r.header.Get("Allow"))
		}
	})
}

// TestRequestErrorStatus follows the GraphQL-over-HTTP spec: a request that fails before
// execution has no data entry; under application/json it answers 200, under
// application/graphql-response+json 400.
func TestRequestErrorStatus(t *testing.T) {
	srv := apitest.NewServer(t, httpapi.Options{})
	for _, tc := range []struct{ name, body, code string }{
		{"parse", `{"query":"{"}`, "GRAPHQL_PARSE_FAILED"},
		{"validation", `{"query":"{ nonsense }"}`, "GRAPHQL_VALIDATION_FAILED"},
		{"variable coercion", `{"query":"query($id: ID!) { organization(id: $id) { id } }","variables":{"id":null}}`, "GRAPHQL_VALIDATION_FAILED"},
		{"depth", `{"query":"{ organization(id: \"avtotor\") ` + strings.Repeat("{ parent ", 20) + "{ id }" + strings.Repeat(" }", 21) + `"}`, "DEPTH_LIMIT_EXCEEDED"},
	} {
		for _, accept := range []string{"", "application/json", "application/graphql-response+json"} {
			t.Run(tc.name+" accept "+accept, func(t *testing.T) {
				req := newRequest(t, http.MethodPost, srv.URL+"/query", "application/json", []byte(tc.body))
				if accept != "" {
					req.Header.Set("Accept", accept)
				}
				r := send(t, req)
				want, wantType := http.StatusOK, "application/json"
				if accept == "application/graphql-response+json" {
					want, wantType = http.StatusBadRequest, accept
				}
				if r.status != want || !strings.HasPrefix(r.contentType, wantType) {
					t.Errorf("status %d %q, want %d %q", r.status, r.contentType, want, wantType)
				}
				var m map[string]json.RawMessage
				if err := json.Unmarshal(r.body, &m); err != nil {
					t.Fatal(err)
				}
				if _, ok := m["data"]; ok {
					t.Errorf("a request error has a data entry: %s", r.body)
				}
				if out := r.decode(t); len(out.Errors) == 0 || out.Errors[0].Code() != tc.code {
					t.Errorf("errors %+v, want %s", out.Errors, tc.code)
				}
			})
		}
	}
	t.Run("field errors keep data and 200", func(t *testing.T) {
		req := newRequest(t, http.MethodPost, srv.URL+"/query", "application/json", []byte(`{"query":"{ timeline(id: \"nobody\") { date } }"}`))
		req.Header.Set("Accept", "application/graphql-response+json")
		r := send(t, req)
		if r.status != http.StatusOK || !bytes.Contains(r.body, []byte(`"data":null`)) {
			t.Errorf("status %d body %s", r.status, r.body)
		}
	})
}

// TestOversizedBodyWrittenWhole: a client that writes its whole body before reading sees the
// 413, not a reset connection.
func TestOversizedBodyWrittenWhole(t *testing.T) {
	srv := apitest.NewServer(t, httpapi.Options{})
	for _, size := range []int{2 << 20, 6 << 20} {
		for _, chunked := range []bool{false, true} {
			t.Run(fmt.Sprintf("%d MiB chunked=%v", size>>20, chunked), func(t *testing.T) {
				body := `{"query": "` + strings.Repeat("a", size) + `"}`
				conn, err := net.Dial("tcp", srv.Listener.Addr().String())
				if err != nil {
					t.Fatal(err)
				}
				defer conn.Close()
				_ = conn.SetDeadline(time.Now().Add(20 * time.Second))
				w := bufio.NewWriter(conn)
				fmt.Fprintf(w, "POST /query HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n")
				if chunked {
					fmt.Fprintf(w, "Transfer-Encoding: chunked\r\n\r\n")
					for rest := body; rest != ""; {
						n := min(len(rest), 64<<10)
						fmt.Fprintf(w, "%x\r\n%s\r\n", n, rest[:n])
						rest = rest[n:]
					}
					fmt.Fprintf(w, "0\r\n\r\n")
				} else {
					fmt.Fprintf(w, "Content-Length: %d\r\n\r\n%s", len(body), body)
				}
				if err := w.Flush(); err != nil {
					t.Fatalf("writing the body: %v", err)
				}
				resp, err := http.ReadResponse(bufio.NewReader(conn), nil)
				if err != nil {
					t.Fatalf("reading the answer: %v", err)
				}
				b, _ := io.ReadAll(resp.Body)
				resp.Body.Close()
				if resp.StatusCode != http.StatusRequestEntityTooLarge || !bytes.Contains(b, []byte("PAYLOAD_TOO_LARGE")) {
					t.Errorf("status %d body %.300s", resp.StatusCode, b)
				}
			})
		}
	}
}
