package httpapi_test

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/autograph-kg/autograph/graph/httpapi"
	"github.com/autograph-kg/autograph/graph/httpapi/apitest"
	"github.com/autograph-kg/autograph/graph/model"
)

// TestFilterLimits checks that pathological filters are refused, each with a coded error
// naming the bound it passes, and that the complexity estimate counts filters, so many
// costly ones in one request are refused before anything runs.
func TestFilterLimits(t *testing.T) {
	srv := apitest.NewServer(t, httpapi.Options{})
	related := func(depth int) string {
		w := `{ids: ["baic-group"]}`
		for range depth {
			w = fmt.Sprintf(`{relations: {some: {other: %s}}}`, w)
		}
		return w
	}
	quoted := make([]string, model.MaxFilterValues+1)
	for i := range quoted {
		quoted[i] = fmt.Sprintf("%q", fmt.Sprint("x", i))
	}
	nots := `{ids: ["a"]}`
	for range model.MaxFilterDepth + 1 {
		nots = `{NOT: ` + nots + `}`
	}
	for _, c := range []struct {
		name, query, code, says string
	}{
		{"deep some nesting", `{ organizations(where: ` + related(model.MaxFilterHops+1) + `) { totalCount } }`, "BAD_USER_INPUT", "the limit is 3"},
		{"a huge in list", `{ brands(where: {name: {in: [` + strings.Join(quoted, ",") + `]}}) { totalCount } }`, "BAD_USER_INPUT", "the limit is 100"},
		{"a long string", `{ brands(where: {name: {contains: "` + strings.Repeat("é", model.MaxFilterText+1) + `"}}) { totalCount } }`, "BAD_USER_INPUT", "the limit is 200"},
		{"NOT nested too deep", `{ plants(where: ` + nots + `) { totalCount } }`, "BAD_USER_INPUT", "the limit is 8"},
		{"other outside an entity's relations", `{ relations(where: {other: {ids: ["a"]}}) { totalCount } }`, "BAD_USER_INPUT", "other is only for an entity's relations"},
		{"an order relations do not have", `{ relations(orderBy: {field: NAME}) { totalCount } }`, "GRAPHQL_VALIDATION_FAILED", "RelationOrderField"},
	} {
		t.Run(c.name, func(t *testing.T) {
			status, resp := apitest.Post(t, srv.URL, c.query, nil)
			if status >= 500 || len(resp.Errors) == 0 {
				t.Fatalf("status %d, errors %+v; want a %s error", status, resp.Errors, c.code)
			}
			if e := resp.Errors[0]; e.Code() != c.code || !strings.Contains(e.Message, c.says) {
				t.Errorf("error %q (%s), want %s saying %q", e.Message, e.Code(), c.code, c.says)
			}
		})
	}

	t.Run("many costly filters", func(t *testing.T) {
		// Each listing is allowed on its own; a hundred of them, each three relations filters
		// deep, cost more than the limit.
		var b strings.Builder
		b.WriteString("{")
		for i := range 100 {
			fmt.Fprintf(&b, " o%d: organizations(first: 1, where: %s) { totalCount }", i, related(model.MaxFilterHops))
		}
		b.WriteString(" }")
		status, resp := apitest.Post(t, srv.URL, b.String(), nil)
		if status >= 500 || len(resp.Errors) == 0 || resp.Errors[0].Code() != "COMPLEXITY_LIMIT_EXCEEDED" {
			t.Fatalf("status %d, errors %+v; want COMPLEXITY_LIMIT_EXCEEDED", status, resp.Errors)
		}
		status, resp = apitest.Post(t, srv.URL, `{ organizations(where: `+related(model.MaxFilterHops)+`) { totalCount } }`, nil)
		if status != http.StatusOK || len(resp.Errors) > 0 {
			t.Fatalf("one such listing: status %d, errors %+v; want an answer", status, resp.Errors)
		}
	})
}

// TestEntityAggregateRefusals checks that a countBy field the listed kind does not have is
// refused with BAD_USER_INPUT naming it, and that entity aggregates count towards the
// complexity limit as relation aggregates do.
func TestEntityAggregateRefusals(t *testing.T) {
	srv := apitest.NewServer(t, httpapi.Options{})
	status, resp := apitest.Post(t, srv.URL, `{ brands { aggregate { countBy(field: OWNERSHIP) { value count } } } }`, nil)
	if status >= 500 || len(resp.Errors) != 1 || resp.Errors[0].Code() != "BAD_USER_INPUT" || !strings.Contains(resp.Errors[0].Message, "Brand entities cannot be counted by OWNERSHIP") {
		t.Errorf("status %d, errors %+v; want BAD_USER_INPUT saying brands cannot be counted by OWNERSHIP", status, resp.Errors)
	}
	// Five aggregate parts cost 20 each: past a limit of 100 that the count alone is within.
	small := apitest.NewServer(t, httpapi.Options{ComplexityLimit: 100})
	status, resp = apitest.Post(t, small.URL, `{ organizations(first: 0) { totalCount aggregate { count } } }`, nil)
	if status != http.StatusOK || len(resp.Errors) > 0 {
		t.Errorf("the count alone: status %d, errors %+v; want an answer", status, resp.Errors)
	}
	status, resp = apitest.Post(t, small.URL, `{ organizations(first: 0) { aggregate { t: countBy(field: TYPE) { value } c: countBy(field: COUNTRY) { value } o: countBy(field: OWNERSHIP) { value } k: countBy(field: KIND) { value } founded { min } } } }`, nil)
	if status >= 500 || len(resp.Errors) == 0 || resp.Errors[0].Code() != "COMPLEXITY_LIMIT_EXCEEDED" {
		t.Errorf("five aggregate parts: status %d, errors %+v; want COMPLEXITY_LIMIT_EXCEEDED", status, resp.Errors)
	}
}

// TestFilterInputs checks that the where inputs reach the stores as written: nested typed
// inputs keep their flat fields, the flat fields of the relations listing and its newer ones
// are ANDed, and an entity's relations take where and orderBy besides their arguments.
func TestFilterInputs(t *testing.T) {
	apitest.EachStore(t, httpapi.Options{}, func(t *testing.T, srv *httptest.Server) {
		for _, c := range []struct {
			name, query, want string
		}{
			{"nested flat fields", `{ organizations(where: {OR: [{ids: ["avtotor"]}, {type: [GROUP], nameContains: "baic"}]}) { edges { node { id } } } }`,
				`{"organizations":{"edges":[{"node":{"id":"avtotor"}},{"node":{"id":"baic-group"}}]}}`},
			{"flat and new fields ANDed", `{ relations(where: {from: ["avtotor"], types: [ASSEMBLES], validTo: {exists: true}, NOT: {status: [ENDED]}}) { edges { node { id } } } }`,
				`{"relations":{"edges":[{"node":{"id":"avtotor-plans-five-more-baic-models"}}]}}`},
			{"an entity's relations", `{ organization(id: "avtotor") { relations(types: [ASSEMBLES], where: {other: {name: {startsWith: "baic x"}}}, orderBy: {field: VALID_FROM, direction: DESC}) { totalCount edges { node { id } } } } }`,
				`{"organization":{"relations":{"totalCount":1,"edges":[{"node":{"id":"avtotor-assembles-baic-x35"}}]}}}`},
			{"aggregate with edges", `{ relations(first: 1, where: {types: [OWNS_BRAND]}) { totalCount aggregate { count validFrom { min max } countBy(field: STATUS) { value count } } edges { node { id } } } }`,
				`{"relations":{"totalCount":4,"aggregate":{"count":4,"validFrom":{"min":null,"max":null},"countBy":[{"value":"ACTIVE","count":4}]},"edges":[{"node":{"id":"baic-group-owns-arcfox"}}]}}`},
			{"entity aggregate with edges", `{ brands(first: 1, where: {country: ["south-korea"]}) { totalCount aggregate { count founded { min max } countBy(field: KIND) { value count } } edges { node { id relations(first: 1) { aggregate { count } } } } } }`,
				`{"brands":{"totalCount":2,"aggregate":{"count":2,"founded":{"min":null,"max":null},"countBy":[{"value":"BRAND","count":2}]},"edges":[{"node":{"id":"hyundai","relations":{"aggregate":{"count":1}}}}]}}`},
		} {
			t.Run(c.name, func(t *testing.T) {
				status, resp := apitest.Post(t, srv.URL, c.query, nil)
				if status != http.StatusOK || len(resp.Errors) > 0 {
					t.Fatalf("status %d, errors %+v", status, resp.Errors)
				}
				var got, want any
				if err := json.Unmarshal(resp.Data, &got); err != nil {
					t.Fatal(err)
				}
				if err := json.Unmarshal([]byte(c.want), &want); err != nil {
					t.Fatal(err)
				}
				if g, w := fmt.Sprint(got), fmt.Sprint(want); g != w {
					t.Errorf("got  %s\nwant %s", resp.Data, c.want)
				}
			})
		}
	})
}
