package httpapi_test

import (
	"bytes"
	"context"
	"strings"
	"testing"

	"github.com/autograph-kg/autograph/graph/httpapi"
	"github.com/autograph-kg/autograph/graph/httpapi/apitest"
	"github.com/autograph-kg/autograph/graph/inmem"
	"github.com/autograph-kg/autograph/seed"
)

// TestReadAheadFollowsVariablesAcrossRequests asks one lookup text again and again with
// other variables: the trees a lookup reads ahead are remembered per selection and variable
// values, so each request must read its own dates and statuses ahead. An answer read ahead
// under the wrong values would still be right (the lists would ask the store again), so the
// store calls are checked too: the lookup and its lists are one call, as with the text
// written out.
func TestReadAheadFollowsVariablesAcrossRequests(t *testing.T) {
	store := inmem.New()
	t.Cleanup(func() { _ = store.Close(context.Background()) })
	if err := seed.Load(context.Background(), store); err != nil {
		t.Fatal(err)
	}
	srv := apitest.NewServerWith(t, httpapi.Options{Store: store, StoreCallsExtension: true, AnswerCacheBytes: -1})
	const q = `query Q($d: Date, $skip: Boolean!) {
  organization(id: "avtotor") {
    name
    assembles(asOf: $d) { to { id } validFrom }
    brands(asOf: $d) @skip(if: $skip) { id }
  }
}`
	literal := func(d string, skip bool) string {
		s := strings.ReplaceAll(q, "query Q($d: Date, $skip: Boolean!)", "query L")
		s = strings.ReplaceAll(s, "$d", `"`+d+`"`)
		if skip {
			return strings.ReplaceAll(s, "$skip", "true")
		}
		return strings.ReplaceAll(s, "$skip", "false")
	}
	seen := map[string]bool{}
	for _, c := range []struct {
		d    string
		skip bool
	}{{"2019", false}, {"2023-02", false}, {"2019", true}, {"2023-02", false}, {"2019", false}} {
		_, got := apitest.Post(t, srv.URL, q, map[string]any{"d": c.d, "skip": c.skip})
		_, want := apitest.Post(t, srv.URL, literal(c.d, c.skip), nil)
		if len(got.Errors) > 0 || len(want.Errors) > 0 {
			t.Fatalf("errors: %+v / %+v", got.Errors, want.Errors)
		}
		if !bytes.Equal(got.Data, want.Data) {
			t.Fatalf("%+v: answers differ:\nvariables: %s\nliteral:   %s", c, got.Data, want.Data)
		}
		if g, w := got.Extensions["storeCalls"], want.Extensions["storeCalls"]; g != w || g != float64(1) {
			t.Errorf("%+v: %v store calls with variables, %v with the text written out; want 1", c, g, w)
		}
		seen[string(got.Data)] = true
	}
	if len(seen) != 3 {
		t.Errorf("%d different answers to three sets of variables", len(seen))
	}
}
