package httpapi_test

import (
	"strings"
	"testing"

	"github.com/autograph-kg/autograph/graph/httpapi"
	"github.com/autograph-kg/autograph/graph/httpapi/apitest"
)

// TestIntrospectionDisabled: with introspection off, asking for the schema is the client's
// mistake, with its own code, not a server error.
func TestIntrospectionDisabled(t *testing.T) {
	srv := newObservedServer(t, httpapi.Options{DisableIntrospection: true})
	for _, q := range []string{
		introspectionQuery,
		`{ __type(name: "Organization") { name } }`,
		`{ ... on Query { __schema { queryType { name } } } }`,
		`query { ...Q } fragment Q on Query { __schema { types { name } } }`,
	} {
		status, resp := apitest.Post(t, srv.URL, q, nil)
		if status >= 500 || len(resp.Errors) != 1 || resp.Errors[0].Code() != "INTROSPECTION_DISABLED" {
			t.Errorf("%.40s: status %d errors %+v, want one INTROSPECTION_DISABLED", q, status, resp.Errors)
			continue
		}
		if !strings.Contains(resp.Errors[0].Message, "introspection is disabled") {
			t.Errorf("message %q", resp.Errors[0].Message)
		}
	}
	if _, resp := apitest.Post(t, srv.URL, `{ __typename organization(id: "avtotor") { __typename name } }`, nil); len(resp.Errors) > 0 {
		t.Errorf("__typename must stay allowed: %+v", resp.Errors)
	}
	if s := srv.logs.String(); strings.Contains(s, `"level":"ERROR"`) || strings.Contains(s, "INTERNAL") {
		t.Errorf("introspection logged as a server error:\n%s", s)
	}
	m := srv.metrics(t)
	if strings.Contains(m, `code="INTERNAL"`) || !strings.Contains(m, `autograph_graphql_errors_total{code="INTROSPECTION_DISABLED"} 4`) {
		t.Errorf("metrics should count 4 INTROSPECTION_DISABLED and no INTERNAL:\n%s", grepLines(m, "autograph_graphql_errors_total"))
	}
}

func grepLines(s, sub string) string {
	var out []string
	for _, l := range strings.Split(s, "\n") {
		if strings.Contains(l, sub) {
			out = append(out, l)
		}
	}
	return strings.Join(out, "\n")
}
