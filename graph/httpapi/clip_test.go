package httpapi_test

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/autograph-kg/autograph/graph/httpapi"
	"github.com/autograph-kg/autograph/graph/httpapi/apitest"
)

// TestEchoedValuesAreClipped: values a client sends come back in messages and go to the log
// clipped, whatever their size.
func TestEchoedValuesAreClipped(t *testing.T) {
	srv := newObservedServer(t, httpapi.Options{})
	huge := strings.Repeat("x", 200<<10)
	for _, tc := range []struct {
		name, query string
		vars        map[string]any
	}{
		{"Date literal", `{ relations(where: { asOf: "` + huge + `" }) { totalCount } }`, nil},
		{"Date variable", `query($d: Date) { relations(where: { asOf: $d }) { totalCount } }`, map[string]any{"d": huge}},
		{"ID in paths", `{ paths(from: "` + huge + `", to: "avtotor") { length } }`, nil},
		{"ID in timeline", `query($id: ID!) { timeline(id: $id) { date } }`, map[string]any{"id": huge}},
		{"ID with spaces", `query($id: ID!) { neighborhood(id: $id) { truncated } }`, map[string]any{"id": strings.Repeat("a b ", 50<<10)}},
		{"unknown field", `{ ` + huge + ` }`, nil},
		{"Int literal", `{ brands(first: ` + strings.Repeat("9", 5000) + `) { totalCount } }`, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, resp := apitest.Post(t, srv.URL, tc.query, tc.vars)
			if len(resp.Errors) == 0 || resp.Errors[0].Code() == "" {
				t.Fatalf("errors %+v", resp.Errors)
			}
			for _, e := range resp.Errors {
				if len(e.Message) > 400 {
					t.Errorf("%d-byte message: %.200s…", len(e.Message), e.Message)
				}
			}
		})
	}
	t.Run("operation name in the log", func(t *testing.T) {
		name := "Q" + strings.Repeat("q", 100<<10)
		apitest.Post(t, srv.URL, "query "+name+" { __typename }", nil)
		body, _ := json.Marshal(map[string]any{"query": "{ __typename }", "operationName": name})
		apitest.PostRaw(t, srv.URL, "application/json", body)
		for _, l := range srv.requestLines(t) {
			if op, _ := l["operation"].(string); len(op) > 200 {
				t.Errorf("logged a %d-byte operation name", len(op))
			}
		}
		if n := len(srv.logs.String()); n > 20000 {
			t.Errorf("%d bytes of log for a few requests", n)
		}
	})
}
