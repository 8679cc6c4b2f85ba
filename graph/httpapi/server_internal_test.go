package httpapi

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/99designs/gqlgen/graphql"
	"github.com/99designs/gqlgen/graphql/executor"

	"github.com/autograph-kg/autograph/graph"
)

// fakeTransport is a transport for graphqlServer's tests: it takes the requests supports
// says, and do serves them.
type fakeTransport struct {
	supports func(*http.Request) bool
	do       func(http.ResponseWriter, *http.Request)
}

func (f fakeTransport) Supports(r *http.Request) bool { return f.supports(r) }
func (f fakeTransport) Do(w http.ResponseWriter, r *http.Request, _ graphql.GraphExecutor) {
	f.do(w, r)
}

// TestGraphqlServerAsHandlerServerDoes: the first transport that supports a request serves
// it, with the operation's start time in its context whether or not a request scope put it
// there; a request no transport takes gets a BAD_REQUEST; a panic in a transport is a 500
// with a GraphQL error, never a dropped connection.
func TestGraphqlServerAsHandlerServerDoes(t *testing.T) {
	exec := executor.New(graph.NewExecutableSchema(graph.Config{Resolvers: &graph.Resolver{}}))
	never := fakeTransport{supports: func(*http.Request) bool { return false }, do: func(http.ResponseWriter, *http.Request) {
		t.Error("a transport that does not support the request served it")
	}}
	served := ""
	timed := fakeTransport{supports: func(*http.Request) bool { return true }, do: func(w http.ResponseWriter, r *http.Request) {
		if graphql.GetStartTime(r.Context()).IsZero() {
			t.Error("no operation start time")
		}
		served = r.URL.Path
		w.WriteHeader(http.StatusNoContent)
	}}
	s := graphqlServer{exec: exec, transports: []graphql.Transport{never, timed}}

	rec := httptest.NewRecorder()
	s.ServeHTTP(rec, httptest.NewRequest(http.MethodPost, "/query", strings.NewReader("{}")))
	if rec.Code != http.StatusNoContent || served != "/query" {
		t.Fatalf("without a scope: %d, served %q", rec.Code, served)
	}

	// Inside a request scope, whose context carries the start already.
	scoped := &requestScope{Context: graphql.StartOperationTrace(context.Background())}
	rec = httptest.NewRecorder()
	served = ""
	s.ServeHTTP(rec, httptest.NewRequest(http.MethodPost, "/query", strings.NewReader("{}")).WithContext(scoped))
	if rec.Code != http.StatusNoContent || served != "/query" {
		t.Fatalf("in a scope: %d, served %q", rec.Code, served)
	}

	rec = httptest.NewRecorder()
	graphqlServer{exec: exec, transports: []graphql.Transport{never}}.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/query", nil))
	if rec.Code != http.StatusBadRequest || !strings.Contains(rec.Body.String(), codeBadRequest) {
		t.Fatalf("no transport: %d %s", rec.Code, rec.Body)
	}

	boom := fakeTransport{supports: func(*http.Request) bool { return true }, do: func(http.ResponseWriter, *http.Request) { panic("boom") }}
	rec = httptest.NewRecorder()
	graphqlServer{exec: exec, transports: []graphql.Transport{boom}}.ServeHTTP(rec, httptest.NewRequest(http.MethodPost, "/query", strings.NewReader("{}")))
	var body struct {
		Errors []struct{ Message string } `json:"errors"`
	}
	if rec.Code != http.StatusInternalServerError || json.Unmarshal(rec.Body.Bytes(), &body) != nil || len(body.Errors) != 1 || body.Errors[0].Message == "" {
		t.Fatalf("a panic: %d %s", rec.Code, rec.Body)
	}
	if strings.Contains(rec.Body.String(), "boom") {
		t.Fatalf("the panic's text reached the client: %s", rec.Body)
	}
}
