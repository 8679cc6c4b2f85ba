package graph_test

import (
	"context"
	"net/http/httptest"
	"testing"

	"github.com/autograph-kg/autograph/graph/httpapi"
	"github.com/autograph-kg/autograph/graph/httpapi/apitest"
	"github.com/autograph-kg/autograph/graph/inmem"
	"github.com/autograph-kg/autograph/graph/model"
)

// TestTypedRelationsBringTheOtherEnd holds a typed list of relations (Organization.assembles,
// VehicleModel.assemblers) to reading the entities at the other end with the relations when
// the selection shows them: on Neo4j, whose store reads a lookup's lists ahead in one
// statement, the entity and its relations with their ends are one store call, the same as
// without the ends; on the embedded store the ends are a batch of their own either way. The
// answers are the same.
func TestTypedRelationsBringTheOtherEnd(t *testing.T) {
	d := &model.Dataset{Sources: []*model.Source{{ID: "src", Title: "Source", PublishedOn: model.MustDate("2024")}}}
	d.Add(&model.Organization{EntityBase: model.EntityBase{ID: "maker", Name: "Maker"}, Type: model.OrgGroup})
	d.Add(&model.VehicleModel{EntityBase: model.EntityBase{ID: "car", Name: "Car"}})
	d.Add(&model.VehicleModel{EntityBase: model.EntityBase{ID: "van", Name: "Van"}})
	d.Relations = []*model.Relation{
		{ID: "asm-car", Type: model.RelAssembles, FromID: "maker", ToID: "car", Status: model.StatusActive, SourceIDs: []string{"src"}},
		{ID: "asm-van", Type: model.RelAssembles, FromID: "maker", ToID: "van", Status: model.StatusEnded, SourceIDs: []string{"src"}},
	}
	if err := d.Validate(); err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		query, want string
		neo4jCalls  float64
	}{
		{`{ organization(id: "maker") { assembles { id to { id name } } } }`,
			`{"organization":{"assembles":[{"id":"asm-car","to":{"id":"car","name":"Car"}},{"id":"asm-van","to":{"id":"van","name":"Van"}}]}}`, 1},
		{`{ organization(id: "maker") { assembles { id from { id } } } }`,
			`{"organization":{"assembles":[{"id":"asm-car","from":{"id":"maker"}},{"id":"asm-van","from":{"id":"maker"}}]}}`, 1},
		{`{ vehicleModel(id: "car") { assemblers { id from { name } } } }`,
			`{"vehicleModel":{"assemblers":[{"id":"asm-car","from":{"name":"Maker"}}]}}`, 1},
	}
	run := func(t *testing.T, store model.Store, neo4j bool) {
		t.Cleanup(func() { _ = store.Close(context.Background()) })
		if err := store.Import(context.Background(), d); err != nil {
			t.Fatal(err)
		}
		srv := httptest.NewServer(httpapi.NewHandler(httpapi.Options{Store: store, StoreCallsExtension: true}))
		defer srv.Close()
		for _, c := range cases {
			_, resp := apitest.Post(t, srv.URL, c.query, nil)
			if len(resp.Errors) > 0 {
				t.Fatalf("%s: errors: %+v", c.query, resp.Errors)
			}
			if string(resp.Data) != c.want {
				t.Errorf("%s:\n got %s\nwant %s", c.query, resp.Data, c.want)
			}
			calls, _ := resp.Extensions["storeCalls"].(float64)
			if neo4j && calls != c.neo4jCalls {
				t.Errorf("%s: %v store calls, want %v", c.query, calls, c.neo4jCalls)
			}
		}
	}
	t.Run("embedded", func(t *testing.T) { run(t, inmem.New(), false) })
	t.Run("neo4j", func(t *testing.T) { run(t, apitest.OpenNeo4j(t), true) })
}
