package httpapi_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"math"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"reflect"
	"sort"
	"strings"
	"testing"

	"github.com/autograph-kg/autograph/graph/httpapi"
	"github.com/autograph-kg/autograph/graph/httpapi/apitest"
	"github.com/autograph-kg/autograph/graph/inmem"
	"github.com/autograph-kg/autograph/graph/model"
	"github.com/autograph-kg/autograph/seed"
)

// directCases are queries whose answers graph.NewDirectFields writes itself, wholly or in part,
// or hands back to the executor: the explorer's queries, the product questions (added from
// graph/testdata/questions), and the shapes the writer has to get exactly right or refuse
// (aliases, merged and repeated fields, fragments on the interface and on kinds, __typename,
// @skip and @include, a kind's own fields, nested arguments, empty lists, errors).
var directCases = []struct {
	name  string
	query string
	vars  map[string]any
}{
	{"explorer relations page", benchExplorerRelations, map[string]any{"id": "avtotor", "asOf": nil, "after": nil}},
	{"explorer relations page as of", benchExplorerRelations, map[string]any{"id": "baic-group", "asOf": "2022", "after": nil}},
	{"explorer neighborhood", benchNeighborhood, map[string]any{"id": "avtotor", "depth": 2, "types": nil, "asOf": nil, "limit": 200}},
	{"explorer paths", `query ExplorerPaths($from: ID!, $to: ID!, $asOf: Date) {
  paths(from: $from, to: $to, asOf: $asOf, maxLength: 6, first: 20) {
    length
    nodes { id name kind }
    relations { ...RelationFields }
  }
}
fragment RelationFields on Relation {
  id type status validFrom validTo quantity note
  from { id name kind }
  to { id name kind }
  sources { ...SourceFields }
}
fragment SourceFields on Source { id title url publishedOn dateline publisher { id name } }`, map[string]any{"from": "avtotor", "to": "beijing-benz", "asOf": nil}},
	{"explorer timeline", `query ExplorerTimeline($id: ID!) {
  timeline(id: $id) {
    date kind summary
    entity { id name kind }
    relation { id type status sources { id title url publishedOn dateline publisher { id name } } }
  }
}`, map[string]any{"id": "avtotor"}},
	{"second page", `{ entity(id: "avtotor") { relations(first: 3, after: "` + "" + `") { totalCount pageInfo { hasNextPage hasPreviousPage startCursor endCursor } edges { cursor node { id } } } } }`, nil},
	{"empty page", `{ entity(id: "avtotor") { relations(first: 0) { totalCount pageInfo { hasNextPage startCursor endCursor } edges { node { id } } } } }`, nil},
	{"no relations of the type", `{ entity(id: "avtotor") { relations(types: [HAS_MODEL]) { totalCount edges { node { id } } } } }`, nil},
	{"relation listing", `{ relations(first: 50) { totalCount edges { cursor node { id type status validFrom validTo quantity note createdAt updatedAt from { __typename id } to { id aliases description createdAt updatedAt } } } } }`, nil},
	{"typenames and aliases", `{ entity(id: "baic") { ... on Brand { rels: relations(first: 5) { __typename n: totalCount edges { __typename e: node { __typename rid: id kind: type from { __typename who: name } to { k: kind } sources { __typename t: title p: publisher { __typename n: name } } } } pageInfo { __typename hasNextPage } } } } }`, nil},
	{"merged and repeated fields", `{ entity(id: "avtotor") { relations(first: 5) { edges { node { id from { id } from { name } to { id ...E } sources { id } sources { title id } id } } } } }
fragment E on Entity { id name kind sources { id } }`, nil},
	{"fragments on kinds", `{ entity(id: "avtotor") { relations(first: 20) { edges { node { from { ... on Organization { id name } ... on Plant { id } } to { ... on Brand { name } ... on VehicleModel { id name } ... on Entity { kind } } } } } } }`, nil},
	{"a kind's own fields", `{ entity(id: "avtotor") { relations(first: 20) { edges { node { id to { id ... on Brand { segment country { name } } ... on Organization { type } } } } } } }`, nil},
	{"publisher's own fields", `{ entity(id: "avtotor") { relations(first: 5) { edges { node { sources { publisher { name type country { name } } } } } } } }`, nil},
	{"publisher skipped or not", `query Q($skip: Boolean!) { entity(id: "avtotor") { a: relations(first: 5) { edges { node { sources { id publisher @skip(if: $skip) { name } } } } } b: relations(first: 5) { edges { node { sources { title } } } } } }`, map[string]any{"skip": true}},
	{"publisher in one of two selections", `{ entity(id: "avtotor") { a: relations(first: 5) { edges { node { sources { id } } } } b: relations(first: 5) { edges { node { sources { ...P } } } } } }
fragment P on Source { title publisher { id name } }`, nil},
	{"nested relations", `{ entity(id: "avtotor") { relations(first: 3) { edges { node { to { id relations(first: 2) { totalCount edges { node { id from { id } } } } } } } } } }`, nil},
	{"skip and include", `query Q($yes: Boolean!, $no: Boolean!) { entity(id: "avtotor") { relations(first: 5) { totalCount @skip(if: $yes) edges { node { id @include(if: $yes) note @include(if: $no) from @skip(if: $no) { id } sources @skip(if: $yes) { id } } } } } }`, map[string]any{"yes": true, "no": false}},
	{"assembles", `{ organization(id: "avtotor") { assembles { id to { id name } sources { title } } plants { assembles { id } } } brand(id: "baic") { assemblers { from { name } validFrom } models { assemblers(status: [ACTIVE]) { from { id } } } } }`, nil},
	{"typed lists read ahead", `{ organization(id: "baic-group") { name brands { id name segment models { id name powertrain brand { id name } } owner { name } } jointVentures { id name parent { id } } subsidiaries { id } plants { id location { id name } operator { name } } agreements { name parties { id name } } partners { id } } }`, nil},
	{"typed lists of each kind", `{ brand(id: "baic") { owner { id name brands { id } } models { id brand { id owner { id } } } } vehicleModel(id: "baic-x35") { brand { name models { name } } } plant(id: "avtotor-plant") { operator { name plants { id } } location { name parent { name contains { id } } } } place(id: "kaliningrad") { parent { name } contains { id } } agreement(id: "avtotor-baic-agreement-2023") { parties { name agreements { name } } } }`, nil},
	{"typed lists in fragments and aliases", `{ organization(id: "baic-group") { ...O b: brands { i: id ... on Brand { m: models { n: name } } } } }
fragment O on Organization { brands { id models { id } } brands { name } }`, nil},
	{"typed lists with arguments", `{ organization(id: "baic-group") { brands(asOf: "2020") { id models { id } } jointVentures(asOf: "2030") { id } } }`, nil},
	{"typed lists under a relations page", `{ entity(id: "baic-group") { relations(first: 10) { edges { node { to { id ... on Brand { models { id name } owner { id } } } } } } } }`, nil},
	{"typed lists skipped", `query Q($yes: Boolean!) { organization(id: "baic-group") { brands @include(if: $yes) { id models @skip(if: $yes) { id } } } }`, map[string]any{"yes": true}},
	{"typed lists of nothing", `{ organization(id: "avtotor") { brands { id models { id } } parent { id } } brand(id: "kaiyi") { models { id brand { id } } owner { id } } }`, nil},
	{"one relation", `{ relation(id: "avtotor-assembles-kaiyi") { type from { name } to { name } validFrom sources { title publisher { name } publishedOn dateline url language createdAt updatedAt } } none: relation(id: "no-such-relation") { id } }`, nil},
	{"node", `{ node(id: "avtotor-assembles-kaiyi") { id ... on Relation { type from { id } } } }`, nil},
	{"neighborhood with types", `{ neighborhood(id: "baic-group", depth: 2, types: [OWNS_BRAND, HAS_MODEL], limit: 20) { truncated nodes { __typename id name aliases description kind sources { id } } relations { id sources { id publisher { id } } } } }`, nil},
	{"no paths", `{ paths(from: "avtotor", to: "avtotor", maxLength: 1) { length } }`, nil},
	{"explorer search", `query ExplorerSearch($q: String!) {
  search(query: $q, first: 8) { score entity { id name kind aliases } }
}`, map[string]any{"q": "bai"}},
	{"search with a kind's fields", `{ search(query: "benz") { __typename s: score entity { __typename id ... on Organization { type } } } }`, nil},
	{"search finding nothing", `{ search(query: "zzzzzz") { score entity { id } } }`, nil},
	{"timeline with entities", `{ timeline(id: "baic-group") { __typename date kind summary entity { __typename id name kind description } relation { id from { id } to { id } sources { title publisher { name } } } } }`, nil},
	{"timeline with a kind's fields", `{ timeline(id: "avtotor", from: "2020", to: "2024") { date entity { ... on Brand { segment } } } }`, nil},
	{"explorer entity card, organization", `query ExplorerEntity($id: ID!) {
  entity(id: $id) {
    id name kind description aliases
    sources { ...SourceFields }
    ... on Organization { type ownership founded country { id name } }
    ... on Brand { segment founded country { id name } }
    ... on VehicleModel { powertrain }
    ... on Plant { opened }
    ... on Place { placeType: type countryCode }
    ... on Agreement { signedOn announcedOn provisions { summary due } }
  }
}
fragment SourceFields on Source { id title url publishedOn dateline publisher { id name } }`, map[string]any{"id": "avtotor"}},
	{"explorer entity card, brand", `query ExplorerEntity($id: ID!) {
  entity(id: $id) {
    id name kind description aliases
    sources { ...SourceFields }
    ... on Organization { type ownership founded country { id name } }
    ... on Brand { segment founded country { id name } }
    ... on VehicleModel { powertrain }
    ... on Plant { opened }
    ... on Place { placeType: type countryCode }
    ... on Agreement { signedOn announcedOn provisions { summary due } }
  }
}
fragment SourceFields on Source { id title url publishedOn dateline publisher { id name } }`, map[string]any{"id": "baic"}},
	{"explorer entity card, model", `query ExplorerEntity($id: ID!) {
  entity(id: $id) {
    id name kind description aliases
    sources { ...SourceFields }
    ... on Organization { type ownership founded country { id name } }
    ... on Brand { segment founded country { id name } }
    ... on VehicleModel { powertrain }
    ... on Plant { opened }
    ... on Place { placeType: type countryCode }
    ... on Agreement { signedOn announcedOn provisions { summary due } }
  }
}
fragment SourceFields on Source { id title url publishedOn dateline publisher { id name } }`, map[string]any{"id": "baic-x35"}},
	{"explorer entity card, plant", `query ExplorerEntity($id: ID!) {
  entity(id: $id) {
    id name kind description aliases
    sources { ...SourceFields }
    ... on Organization { type ownership founded country { id name } }
    ... on Brand { segment founded country { id name } }
    ... on VehicleModel { powertrain }
    ... on Plant { opened }
    ... on Place { placeType: type countryCode }
    ... on Agreement { signedOn announcedOn provisions { summary due } }
  }
}
fragment SourceFields on Source { id title url publishedOn dateline publisher { id name } }`, map[string]any{"id": "avtotor-plant"}},
	{"explorer entity card, place", `query ExplorerEntity($id: ID!) {
  entity(id: $id) {
    id name kind description aliases
    sources { ...SourceFields }
    ... on Organization { type ownership founded country { id name } }
    ... on Brand { segment founded country { id name } }
    ... on VehicleModel { powertrain }
    ... on Plant { opened }
    ... on Place { placeType: type countryCode }
    ... on Agreement { signedOn announcedOn provisions { summary due } }
  }
}
fragment SourceFields on Source { id title url publishedOn dateline publisher { id name } }`, map[string]any{"id": "kaliningrad-region"}},
	{"explorer entity card, agreement", `query ExplorerEntity($id: ID!) {
  entity(id: $id) {
    id name kind description aliases
    sources { ...SourceFields }
    ... on Organization { type ownership founded country { id name } }
    ... on Brand { segment founded country { id name } }
    ... on VehicleModel { powertrain }
    ... on Plant { opened }
    ... on Place { placeType: type countryCode }
    ... on Agreement { signedOn announcedOn provisions { summary due } }
  }
}
fragment SourceFields on Source { id title url publishedOn dateline publisher { id name } }`, map[string]any{"id": "avtotor-baic-agreement-2023"}},
	{"explorer entity card, unknown", `query ExplorerEntity($id: ID!) {
  entity(id: $id) {
    id name kind description aliases
    sources { ...SourceFields }
    ... on Organization { type ownership founded country { id name } }
    ... on Brand { segment founded country { id name } }
    ... on VehicleModel { powertrain }
    ... on Plant { opened }
    ... on Place { placeType: type countryCode }
    ... on Agreement { signedOn announcedOn provisions { summary due } }
  }
}
fragment SourceFields on Source { id title url publishedOn dateline publisher { id name } }`, map[string]any{"id": "nobody"}},
	{"every kind's fields in lists", `{ organizations(first: 50) { edges { node { id type ownership founded country { __typename id kind type countryCode } brands { id segment founded country { name } } plants { opened } agreements { signedOn announcedOn provisions { __typename summary due } } } } }
  places(first: 50) { edges { node { id type countryCode contains { id kind } parent { id } } } }
  vehicleModels(first: 50) { edges { node { id powertrain brand { id } } } } }`, nil},
	{"lookups of each kind", `{ organization(id: "baic-group") { name } brand(id: "baic") { segment } vehicleModel(id: "baic-x35") { powertrain } plant(id: "avtotor-plant") { opened } place(id: "russia") { type } agreement(id: "avtotor-baic-agreement-2023") { provisions { due } } wrongKind: brand(id: "avtotor") { id } none: organization(id: "nobody") { id } }`, nil},
	{"node of each kind", `{ a: node(id: "avtotor") { id ... on Entity { name } ... on Organization { type } } b: node(id: "tass-2023-04-18-avtotor-baic") { id } c: node(id: "avtotor-assembles-kia") { id ... on Relation { from { id } } } }`, nil},
	{"bad argument", `{ entity(id: "avtotor") { relations(first: 500) { totalCount } } }`, nil},
	{"bad nested argument", `{ entity(id: "avtotor") { relations(first: 2) { edges { node { to { relations(first: -1) { totalCount } } } } } } }`, nil},
	{"unknown entity", `{ entity(id: "nobody") { relations { totalCount } } }`, nil},
}

// TestDirectFieldsMatchTheExecutor asks every case, and every product question, of two
// servers on the same store, one with graph.NewDirectFields and one without, and wants the same
// bytes and the same errors from both, and no more store calls from the direct one.
func TestDirectFieldsMatchTheExecutor(t *testing.T) {
	files, err := filepath.Glob("../testdata/questions/*.graphql")
	if err != nil || len(files) == 0 {
		t.Fatalf("no product questions (%v)", err)
	}
	cases := directCases
	for _, f := range files {
		q, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		var vars map[string]any
		if b, err := os.ReadFile(strings.TrimSuffix(f, ".graphql") + ".vars.json"); err == nil {
			if err := json.Unmarshal(b, &vars); err != nil {
				t.Fatal(err)
			}
		}
		cases = append(cases, struct {
			name  string
			query string
			vars  map[string]any
		}{filepath.Base(f), string(q), vars})
	}
	run := func(t *testing.T, store model.Store) {
		t.Cleanup(func() { _ = store.Close(context.Background()) })
		if err := seed.Load(context.Background(), store); err != nil {
			t.Fatal(err)
		}
		direct := apitest.NewServerWith(t, httpapi.Options{Store: store, StoreCallsExtension: true})
		plain := apitest.NewServerWith(t, httpapi.Options{Store: store, StoreCallsExtension: true, PlainExecution: true})
		for _, c := range cases {
			t.Run(c.name, func(t *testing.T) {
				ds, d := apitest.Post(t, direct.URL, c.query, c.vars)
				ps, p := apitest.Post(t, plain.URL, c.query, c.vars)
				if ds != ps {
					t.Errorf("status %d, want %d", ds, ps)
				}
				if !bytes.Equal(d.Data, p.Data) {
					t.Errorf("data differs:\ndirect: %s\nplain:  %s", d.Data, p.Data)
				}
				// Errors come in the order concurrent resolvers report them, on either path.
				byPath := func(es []apitest.Error) func(i, j int) bool {
					return func(i, j int) bool { return fmt.Sprint(es[i].Path) < fmt.Sprint(es[j].Path) }
				}
				sort.Slice(d.Errors, byPath(d.Errors))
				sort.Slice(p.Errors, byPath(p.Errors))
				if !reflect.DeepEqual(d.Errors, p.Errors) {
					t.Errorf("errors differ:\ndirect: %+v\nplain:  %+v", d.Errors, p.Errors)
				}
				// Sibling fields resolve concurrently (q01's three aliased assembles, several root
				// fields), and which one's batch lands first decides whether two later batches
				// merge, on either path. Where the executor alone always makes the same number of
				// calls, the writer may make no more in the best of a few tries; where the
				// executor's own count varies, it is timing, and only logged.
				calls := func(url string) (lo, hi float64) {
					lo = math.Inf(1)
					for range 5 {
						_, r := apitest.Post(t, url, c.query, c.vars)
						n, _ := r.Extensions["storeCalls"].(float64)
						lo, hi = min(lo, n), max(hi, n)
					}
					return lo, hi
				}
				dlo, dhi := calls(direct.URL)
				plo, phi := calls(plain.URL)
				switch {
				case plo == phi && dlo > phi:
					t.Errorf("%v store calls with the writer, %v without", dlo, phi)
				case plo != phi:
					t.Logf("store calls vary with timing: %v to %v with the writer, %v to %v without", dlo, dhi, plo, phi)
				}
			})
		}
	}
	t.Run("embedded", func(t *testing.T) { run(t, inmem.New()) })
	t.Run("neo4j", func(t *testing.T) { run(t, apitest.OpenNeo4j(t)) })
}

// TestDirectFieldsAreUsed checks that the explorer's relations page does go through the
// writer: the executor alone allocates several times more for it.
func TestDirectFieldsAreUsed(t *testing.T) {
	store := inmem.New()
	t.Cleanup(func() { _ = store.Close(context.Background()) })
	if err := seed.Load(context.Background(), store); err != nil {
		t.Fatal(err)
	}
	body, _ := json.Marshal(map[string]any{"query": benchExplorerRelations, "variables": map[string]any{"id": "avtotor"}})
	allocs := func(plain bool) float64 {
		h := httpapi.NewHandler(httpapi.Options{Store: store, PlainExecution: plain})
		return testing.AllocsPerRun(20, func() {
			req := httptest.NewRequest(http.MethodPost, "/query", bytes.NewReader(body))
			req.Header.Set("Content-Type", "application/json")
			h.ServeHTTP(httptest.NewRecorder(), req)
		})
	}
	direct, plain := allocs(false), allocs(true)
	if direct*2 > plain {
		t.Errorf("%v allocations per explorer page with the writer, %v without: the writer was not used", direct, plain)
	}
	t.Logf("allocations per explorer page: %v with the writer, %v without", direct, plain)
}

// TestDirectFieldsFollowVariablesAcrossRequests asks the same query text again and again with
// other variables: the writer keeps field collections from one request to the next, and a
// selection that @skip or @include decides must be collected anew for each request.
func TestDirectFieldsFollowVariablesAcrossRequests(t *testing.T) {
	store := inmem.New()
	t.Cleanup(func() { _ = store.Close(context.Background()) })
	if err := seed.Load(context.Background(), store); err != nil {
		t.Fatal(err)
	}
	direct := apitest.NewServerWith(t, httpapi.Options{Store: store})
	plain := apitest.NewServerWith(t, httpapi.Options{Store: store, PlainExecution: true})
	const q = `query Q($yes: Boolean!, $no: Boolean!) {
  entity(id: "avtotor") {
    relations(first: 5) {
      totalCount @skip(if: $yes)
      edges { node { id @include(if: $yes) ...Ends sources { id publisher @skip(if: $no) { name } } } }
    }
  }
}
fragment Ends on Relation { note @include(if: $no) from @skip(if: $no) { id name } to { ... on Brand @include(if: $yes) { segment } id } }`
	seen := map[string]bool{}
	for _, v := range []bool{true, false, true, false, false, true} {
		vars := map[string]any{"yes": v, "no": !v}
		_, d := apitest.Post(t, direct.URL, q, vars)
		_, p := apitest.Post(t, plain.URL, q, vars)
		if len(d.Errors) > 0 || len(p.Errors) > 0 {
			t.Fatalf("errors: direct %+v, plain %+v", d.Errors, p.Errors)
		}
		if !bytes.Equal(d.Data, p.Data) {
			t.Fatalf("yes=%v: data differs:\ndirect: %s\nplain:  %s", v, d.Data, p.Data)
		}
		seen[string(d.Data)] = true
	}
	if len(seen) != 2 {
		t.Errorf("%d different answers to two sets of variables", len(seen))
	}
}

// TestDirectFieldsWriteHeldTypedLists checks that a lookup that follows typed relation lists,
// which reads them ahead, is written by the writer as a whole: the executor resolves each
// brand's fields, with a goroutine per brand, and allocates several times more.
func TestDirectFieldsWriteHeldTypedLists(t *testing.T) {
	store := inmem.New()
	t.Cleanup(func() { _ = store.Close(context.Background()) })
	if err := seed.Load(context.Background(), store); err != nil {
		t.Fatal(err)
	}
	const q = `{ organization(id: "baic-group") { name brands { id name models { id name } } jointVentures { id name } } }`
	body, _ := json.Marshal(map[string]any{"query": q})
	var answers [2]string
	allocs := func(plain bool) float64 {
		h := httpapi.NewHandler(httpapi.Options{Store: store, PlainExecution: plain})
		return testing.AllocsPerRun(20, func() {
			req := httptest.NewRequest(http.MethodPost, "/query", bytes.NewReader(body))
			req.Header.Set("Content-Type", "application/json")
			rec := httptest.NewRecorder()
			h.ServeHTTP(rec, req)
			if plain {
				answers[1] = rec.Body.String()
			} else {
				answers[0] = rec.Body.String()
			}
		})
	}
	direct, plain := allocs(false), allocs(true)
	if answers[0] != answers[1] || !strings.Contains(answers[0], `"models":[{`) {
		t.Fatalf("answers differ or hold no models:\ndirect: %s\nplain:  %s", answers[0], answers[1])
	}
	if direct*2 > plain {
		t.Errorf("%v allocations with the writer, %v without: the typed lists were not written", direct, plain)
	}
	t.Logf("allocations per lookup with typed lists: %v with the writer, %v without", direct, plain)
}
