package graph_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http/httptest"
	"testing"

	"github.com/autograph-kg/autograph/graph/httpapi"
	"github.com/autograph-kg/autograph/graph/httpapi/apitest"
	"github.com/autograph-kg/autograph/graph/inmem"
	"github.com/autograph-kg/autograph/graph/model"
)

// TestLookupsReadTheirListsAhead shows that a lookup by id whose selection follows typed
// relation lists, down to the lists of the entities they reach, costs one store call on both
// stores, where reading level by level costs one per level; and that the answer is the one
// the levels give, asOf included, whatever else the selection asks.
func TestLookupsReadTheirListsAhead(t *testing.T) {
	d := &model.Dataset{Sources: []*model.Source{{ID: "src", Title: "Synthetic", PublishedOn: model.MustDate("2024")}}}
	d.Add(&model.Place{EntityBase: model.EntityBase{ID: "land", Name: "Land"}, Type: model.PlaceCountry})
	d.Add(&model.Organization{EntityBase: model.EntityBase{ID: "o", Name: "Group"}, Type: model.OrgGroup, CountryID: "land"})
	for _, j := range []string{"j1", "j2"} {
		d.Add(&model.Organization{EntityBase: model.EntityBase{ID: j, Name: "Venture " + j}, Type: model.OrgJointVenture})
		d.Relations = append(d.Relations, &model.Relation{ID: "jv-" + j, Type: model.RelJointVentureOf, FromID: j, ToID: "o", Status: model.StatusActive, SourceIDs: []string{"src"}})
	}
	for i, b := range []string{"b1", "b2", "b3"} {
		d.Add(&model.Brand{EntityBase: model.EntityBase{ID: b, Name: "Brand " + b}, CountryID: "land"})
		own := &model.Relation{ID: "own-" + b, Type: model.RelOwnsBrand, FromID: "o", ToID: b, Status: model.StatusActive, SourceIDs: []string{"src"}}
		if b == "b2" {
			own.Status, own.ValidTo = model.StatusEnded, ptr(model.MustDate("2010"))
		}
		d.Relations = append(d.Relations, own)
		for m := range i + 1 {
			id := fmt.Sprintf("%s-m%d", b, m)
			d.Add(&model.VehicleModel{EntityBase: model.EntityBase{ID: id, Name: "Model " + id}})
			d.Relations = append(d.Relations, &model.Relation{ID: "has-" + id, Type: model.RelHasModel, FromID: b, ToID: id, Status: model.StatusActive, SourceIDs: []string{"src"}})
		}
	}
	d.Relations = append(d.Relations, &model.Relation{ID: "asm-b1-m0", Type: model.RelAssembles, FromID: "o", ToID: "b1-m0", Status: model.StatusActive, ValidFrom: ptr(model.MustDate("2019")), SourceIDs: []string{"src"}})
	if err := d.Validate(); err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		name, query, want string
		calls             float64
	}{
		{"brands and their models", `{ organization(id: "o") { brands { id name models { id name } } } }`,
			`{"organization":{"brands":[{"id":"b1","name":"Brand b1","models":[{"id":"b1-m0","name":"Model b1-m0"}]},` +
				`{"id":"b3","name":"Brand b3","models":[{"id":"b3-m0","name":"Model b3-m0"},{"id":"b3-m1","name":"Model b3-m1"},{"id":"b3-m2","name":"Model b3-m2"}]},` +
				`{"id":"b2","name":"Brand b2","models":[{"id":"b2-m0","name":"Model b2-m0"},{"id":"b2-m1","name":"Model b2-m1"}]}]}}`, 1},
		{"brands and joint ventures", `{ organization(id: "o") { brands { id name } jointVentures { id name } } }`,
			`{"organization":{"brands":[{"id":"b1","name":"Brand b1"},{"id":"b3","name":"Brand b3"},{"id":"b2","name":"Brand b2"}],` +
				`"jointVentures":[{"id":"j1","name":"Venture j1"},{"id":"j2","name":"Venture j2"}]}}`, 1},
		{"asOf, aliases and fragments", `query($d: Date) { organization(id: "o") { now: brands(asOf: $d) { id ... on Brand { models { id } } } all: brands { id } } }`,
			`{"organization":{"now":[{"id":"b1","models":[{"id":"b1-m0"}]},{"id":"b3","models":[{"id":"b3-m0"},{"id":"b3-m1"},{"id":"b3-m2"}]}],` +
				`"all":[{"id":"b1"},{"id":"b3"},{"id":"b2"}]}}`, 1},
		{"back up the lists, and a field read on its own", `{ brand(id: "b3") { owner { name country { name } brands { id } } models { brand { id } } } }`,
			`{"brand":{"owner":{"name":"Group","country":{"name":"Land"},"brands":[{"id":"b1"},{"id":"b3"},{"id":"b2"}]},` +
				`"models":[{"brand":{"id":"b3"}},{"brand":{"id":"b3"}},{"brand":{"id":"b3"}}]}}`, 2},
		{"a list of relations, and one below a typed list", `{ organization(id: "o") { assembles(asOf: "2020") { id validFrom to { id name } } brands { assemblers { id from { id } } } } }`,
			`{"organization":{"assembles":[{"id":"asm-b1-m0","validFrom":"2019","to":{"id":"b1-m0","name":"Model b1-m0"}}],` +
				`"brands":[{"assemblers":[]},{"assemblers":[]},{"assemblers":[]}]}}`, 1},
		{"an unknown id", `{ organization(id: "nope") { brands { id models { id } } } }`, `{"organization":null}`, 1},
		{"an entity of another kind", `{ organization(id: "b1") { brands { id } } }`, `{"organization":null}`, 1},
		{"no list: the lookup alone", `{ organization(id: "o") { name } }`, `{"organization":{"name":"Group"}}`, 1},
	}
	run := func(t *testing.T, store model.Store) {
		t.Cleanup(func() { _ = store.Close(context.Background()) })
		if err := store.Import(t.Context(), d); err != nil {
			t.Fatal(err)
		}
		srv := httptest.NewServer(httpapi.NewHandler(httpapi.Options{Store: store, StoreCallsExtension: true}))
		defer srv.Close()
		for _, c := range cases {
			t.Run(c.name, func(t *testing.T) {
				_, resp := apitest.Post(t, srv.URL, c.query, map[string]any{"d": "2015"})
				if len(resp.Errors) > 0 {
					t.Fatalf("errors: %+v", resp.Errors)
				}
				var got, want bytes.Buffer
				if err := json.Compact(&got, resp.Data); err != nil {
					t.Fatal(err)
				}
				if err := json.Compact(&want, []byte(c.want)); err != nil {
					t.Fatal(err)
				}
				if got.String() != want.String() {
					t.Errorf("data = %s\nwant   %s", got.String(), want.String())
				}
				if calls := resp.Extensions["storeCalls"]; calls != c.calls {
					t.Errorf("%v store calls, want %v", calls, c.calls)
				}
			})
		}
	}
	t.Run("embedded", func(t *testing.T) { run(t, inmem.New()) })
	t.Run("neo4j", func(t *testing.T) { run(t, apitest.OpenNeo4j(t)) })
}

func ptr[T any](v T) *T { return &v }
