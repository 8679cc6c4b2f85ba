package graph_test

import (
	"encoding/json"
	"slices"
	"testing"

	"github.com/autograph-kg/autograph/graph/httpapi"
	"github.com/autograph-kg/autograph/graph/httpapi/apitest"
	"github.com/autograph-kg/autograph/graph/inmem"
	"github.com/autograph-kg/autograph/graph/storetest"
)

// TestListingOrderBy checks that orderBy reaches the store as the schema says, now that the
// order inputs are bound to model.Order: every field and direction, the inputs' own defaults
// ({} is NAME ASC for entities and PUBLISHED_ON DESC for sources), a listing without orderBy,
// and values of the other listing or in another case refused. The orders expected
// are the conformance fixture's, worked out by hand there (graph/storetest).
func TestListingOrderBy(t *testing.T) {
	store := inmem.New()
	if err := store.Import(t.Context(), storetest.Fixture()); err != nil {
		t.Fatal(err)
	}
	srv := apitest.NewServerWith(t, httpapi.Options{Store: store})
	var (
		orgsByName     = []string{"autostat", "avtotor", "avtotor-holding", "avtovaz", "baic-motor", "baic-group"}
		orgsByID       = []string{"autostat", "avtotor", "avtotor-holding", "avtovaz", "baic-group", "baic-motor"}
		orgsByNameDesc = []string{"geely", "volkswagen-group", "tagaz", "stellantis", "sollers", "skoda-auto"}
		orgsByIDDesc   = []string{"volkswagen-group", "tagaz", "stellantis", "sollers-ford", "sollers", "skoda-auto"}
		sourcesByDate  = []string{"vedomosti-2019", "kommersant-2022", "autostat-2023-01", "press-release-2023", "zavod-digest-2023", "interfax-2023-04-04"}
		sourcesByTitle = []string{"autostat-2023-01", "interfax-2023-04-04", "kommersant-2022", "vedomosti-2019", "press-release-2023", "zavod-digest-2023"}
		sourcesByID    = []string{"autostat-2023-01", "interfax-2023-04-04", "kommersant-2022", "press-release-2023", "vedomosti-2019", "zavod-digest-2023"}
	)
	reversed := func(s []string) []string { r := slices.Clone(s); slices.Reverse(r); return r }
	orgs := func(orderBy string) string {
		return `{ organizations(first: 6` + orderBy + `) { edges { node { id } } } }`
	}
	sources := func(orderBy string) string {
		return `{ sources(first: 6` + orderBy + `) { edges { node { id } } } }`
	}
	for _, c := range []struct {
		name, query, listing string
		want                 []string
	}{
		{"organizations without orderBy", orgs(""), "organizations", orgsByName},
		{"organizations orderBy {}", orgs(", orderBy: {}"), "organizations", orgsByName},
		{"organizations by name", orgs(", orderBy: {field: NAME}"), "organizations", orgsByName},
		{"organizations by name descending", orgs(", orderBy: {field: NAME, direction: DESC}"), "organizations", orgsByNameDesc},
		{"organizations by id", orgs(", orderBy: {field: ID, direction: ASC}"), "organizations", orgsByID},
		{"organizations by id descending", orgs(", orderBy: {field: ID, direction: DESC}"), "organizations", orgsByIDDesc},
		{"sources without orderBy: newest first", sources(""), "sources", reversed(sourcesByDate)},
		{"sources orderBy {}: newest first", sources(", orderBy: {}"), "sources", reversed(sourcesByDate)},
		{"sources by date ascending", sources(", orderBy: {direction: ASC}"), "sources", sourcesByDate},
		{"sources by title: descending by default", sources(", orderBy: {field: TITLE}"), "sources", reversed(sourcesByTitle)},
		{"sources by title ascending", sources(", orderBy: {field: TITLE, direction: ASC}"), "sources", sourcesByTitle},
		{"sources by id ascending", sources(", orderBy: {field: ID, direction: ASC}"), "sources", sourcesByID},
	} {
		t.Run(c.name, func(t *testing.T) {
			_, resp := apitest.Post(t, srv.URL, c.query, nil)
			if len(resp.Errors) > 0 {
				t.Fatalf("errors: %+v", resp.Errors)
			}
			var data map[string]struct {
				Edges []struct{ Node struct{ ID string } }
			}
			if err := json.Unmarshal(resp.Data, &data); err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, e := range data[c.listing].Edges {
				got = append(got, e.Node.ID)
			}
			if !slices.Equal(got, c.want) {
				t.Errorf("ids = %v\nwant %v", got, c.want)
			}
		})
	}
	for _, c := range []struct {
		name, query string
		vars        map[string]any
	}{
		{"a source field for entities", orgs(", orderBy: {field: TITLE}"), nil},
		{"an entity field for sources", sources(", orderBy: {field: NAME}"), nil},
		{"a source field for entities in a variable", `query($o: EntityOrder) { organizations(orderBy: $o) { totalCount } }`,
			map[string]any{"o": map[string]any{"field": "PUBLISHED_ON"}}},
		{"a direction that is not one", `query($o: SourceOrder) { sources(orderBy: $o) { totalCount } }`,
			map[string]any{"o": map[string]any{"direction": "UP"}}},
	} {
		t.Run(c.name, func(t *testing.T) {
			status, resp := apitest.Post(t, srv.URL, c.query, c.vars)
			if len(resp.Errors) == 0 || resp.Errors[0].Code() != "GRAPHQL_VALIDATION_FAILED" || resp.Data != nil && string(resp.Data) != "null" {
				t.Errorf("status %d, data %s, errors %+v; want GRAPHQL_VALIDATION_FAILED and no data", status, resp.Data, resp.Errors)
			}
		})
	}
	// gqlparser lets a variable's enum value through in any case; the binding refuses it, as
	// the domain's enums do, rather than read "desc" as ASC.
	for _, c := range []struct {
		name, query string
		vars        map[string]any
		message     string
	}{
		{"a lower-case direction", `query($o: SourceOrder) { sources(orderBy: $o) { totalCount } }`,
			map[string]any{"o": map[string]any{"direction": "desc"}}, "desc is not a valid OrderDirection (allowed: [ASC DESC])"},
		{"a lower-case entity field", `query($o: EntityOrder) { brands(orderBy: $o) { totalCount } }`,
			map[string]any{"o": map[string]any{"field": "name"}}, "name is not a valid EntityOrderField (allowed: [NAME ID FOUNDED CREATED_AT UPDATED_AT])"},
		{"a mixed-case source field", `query($o: SourceOrder) { sources(orderBy: $o) { totalCount } }`,
			map[string]any{"o": map[string]any{"field": "Title"}}, "Title is not a valid SourceOrderField (allowed: [PUBLISHED_ON TITLE ID])"},
	} {
		t.Run(c.name, func(t *testing.T) {
			status, resp := apitest.Post(t, srv.URL, c.query, c.vars)
			if status >= 500 || len(resp.Errors) != 1 || resp.Errors[0].Code() != "BAD_USER_INPUT" || resp.Errors[0].Message != c.message {
				t.Errorf("status %d, data %s, errors %+v; want one BAD_USER_INPUT saying %q", status, resp.Data, resp.Errors, c.message)
			}
		})
	}
}
