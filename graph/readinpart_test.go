package graph_test

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/vektah/gqlparser/v2/ast"

	"github.com/autograph-kg/autograph/graph"
	"github.com/autograph-kg/autograph/graph/httpapi"
	"github.com/autograph-kg/autograph/graph/httpapi/apitest"
	"github.com/autograph-kg/autograph/graph/inmem"
	"github.com/autograph-kg/autograph/graph/model"
	"github.com/autograph-kg/autograph/graph/storetest"
)

// everyField is a selection of every field of the named type that takes no required
// argument: a scalar or an enum as itself, an entity (or a list of them) with every field of
// its own while depth lasts and its id after that, any other object with every field.
func everyField(s *ast.Schema, name string, depth int) string {
	def := s.Types[name]
	var parts []string
	for _, f := range def.Fields {
		if strings.HasPrefix(f.Name, "__") || requiresArgs(f) {
			continue
		}
		t := s.Types[f.Type.Name()]
		switch {
		case t.Kind == ast.Scalar || t.Kind == ast.Enum:
			parts = append(parts, f.Name)
		case f.Name == "relations":
			parts = append(parts, "relations { totalCount edges { node { id } } }")
		case isEntity(s, t) && depth > 0:
			parts = append(parts, f.Name+" { "+everyField(s, t.Name, depth-1)+" }")
		case t.Fields.ForName("id") != nil:
			parts = append(parts, f.Name+" { id }")
		default:
			parts = append(parts, f.Name+" { "+everyField(s, t.Name, 0)+" }")
		}
	}
	if def.Kind == ast.Interface {
		parts = append(parts, "__typename")
	}
	return strings.Join(parts, " ")
}

func requiresArgs(f *ast.FieldDefinition) bool {
	for _, a := range f.Arguments {
		if a.Type.NonNull && a.DefaultValue == nil {
			return true
		}
	}
	return false
}

func isEntity(s *ast.Schema, t *ast.Definition) bool {
	if t.Name == "Entity" {
		return true
	}
	for _, i := range t.Interfaces {
		if i == "Entity" {
			return true
		}
	}
	return false
}

// wideServer serves store, with the fixture imported, under limits wide enough for selections
// of every field (far over the ones a server sets by default); the store closes with the test.
func wideServer(t *testing.T, store model.Store) *httptest.Server {
	t.Helper()
	t.Cleanup(func() { _ = store.Close(context.Background()) })
	if err := store.Import(t.Context(), storetest.Fixture()); err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(httpapi.NewHandler(httpapi.Options{Store: store, ComplexityLimit: 1 << 30, FieldLimit: 10000}))
	t.Cleanup(srv.Close)
	return srv
}

// TestListsReadInPartAnswerAsWhole holds a lookup that reads its typed relation lists ahead,
// in part when the selection reads only some fields (model.RelationsTree.Ends), to the answer
// of the same selection reached from a listing, which reads nothing ahead: on both stores,
// for selections of every field one and two lists deep and of a few, and with both
// in one request, where the entities read in part must not serve the whole ones.
func TestListsReadInPartAnswerAsWhole(t *testing.T) {
	s := graph.NewExecutableSchema(graph.Config{}).Schema()
	sels := map[string]string{
		"every field": everyField(s, "Organization", 1),
		"every field two lists deep": "brands { " + everyField(s, "Brand", 0) + " models { " + everyField(s, "VehicleModel", 0) + " } } " +
			"plants { " + everyField(s, "Plant", 0) + " location { " + everyField(s, "Place", 0) + " } } " +
			"agreements { " + everyField(s, "Agreement", 0) + " parties { " + everyField(s, "Organization", 0) + " } }",
		"ids and names": `id name brands { id name models { id name } } plants { name location { name } }
			subsidiaries { id name brands { id } } jointVentures { name partners { id name } } agreements { name parties { id } }`,
		"own fields and sources": `brands { segment founded country { id name } sources { id title } models { powertrain description aliases } }
			plants { opened createdAt updatedAt operator { type ownership } } agreements { signedOn announcedOn provisions { summary due } }`,
		"a brand's country alone":         `brands { country { name } }`,
		"an organization's country alone": `subsidiaries { country { id } } agreements { parties { id country { name } } }`,
		"relation lists": `assembles { id status validFrom validTo note quantity sources { id } from { id } to { id name ... on Brand { segment } } }
			in2021: assembles(asOf: "2021") { id to { id } } planned: assembles(status: [PLANNED, ACTIVE]) { id }
			brands { assemblers { id from { name } } models { assemblers(asOf: "2019") { id status } } } plants { assembles { id to { name } } }`,
		"fragments and aliases": `a: brands { ... on Entity { name kind } models { id } } b: brands { id ... on Brand { description models { name } } }`,
	}
	ids := []string{"baic-group", "baic-motor", "mercedes-benz-group", "avtotor"}
	run := func(t *testing.T, store model.Store) {
		srv := wideServer(t, store)
		post := func(t *testing.T, query string, vars map[string]any) map[string]json.RawMessage {
			t.Helper()
			_, resp := apitest.Post(t, srv.URL, query, vars)
			if len(resp.Errors) > 0 {
				t.Fatalf("errors: %+v", resp.Errors)
			}
			var data map[string]json.RawMessage
			if err := json.Unmarshal(resp.Data, &data); err != nil {
				t.Fatal(err)
			}
			return data
		}
		compact := func(t *testing.T, raw json.RawMessage) string {
			t.Helper()
			var b bytes.Buffer
			if err := json.Compact(&b, raw); err != nil {
				t.Fatal(err)
			}
			return b.String()
		}
		for name, sel := range sels {
			for _, id := range ids {
				t.Run(name+"/"+id, func(t *testing.T) {
					vars := map[string]any{"id": id}
					lookup := `query($id: ID!) { organization(id: $id) { ` + sel + ` } }`
					listing := `query($id: ID!) { organizations(where: { ids: [$id] }) { edges { node { ` + sel + ` } } } }`
					var listed struct {
						Edges []struct {
							Node json.RawMessage `json:"node"`
						} `json:"edges"`
					}
					if err := json.Unmarshal(post(t, listing, vars)["organizations"], &listed); err != nil || len(listed.Edges) != 1 {
						t.Fatalf("the listing: %v, %d edges", err, len(listed.Edges))
					}
					want := compact(t, listed.Edges[0].Node)
					if got := compact(t, post(t, lookup, vars)["organization"]); got != want {
						t.Errorf("lookup = %s\nwant     %s", got, want)
					}
					// Both in one request, and a lookup of every field of what was read in part.
					both := `query($id: ID!) { l: organization(id: $id) { ` + sel + ` } w: organization(id: $id) { ` + sels["every field"] + ` } }`
					data := post(t, both, vars)
					if got := compact(t, data["l"]); got != want {
						t.Errorf("lookup beside a whole one = %s\nwant     %s", got, want)
					}
					whole := compact(t, post(t, `query($id: ID!) { organization(id: $id) { `+sels["every field"]+` } }`, vars)["organization"])
					if got := compact(t, data["w"]); got != whole {
						t.Errorf("whole lookup beside one in part = %s\nwant     %s", got, whole)
					}
				})
			}
		}
	}
	t.Run("embedded", func(t *testing.T) { run(t, inmem.New()) })
	t.Run("neo4j", func(t *testing.T) { run(t, apitest.OpenNeo4j(t)) })
}

// aliasedFields is everyField(s, name, 0) with each field under an alias of its type's name,
// so that the selections of several types can share one selection set.
func aliasedFields(s *ast.Schema, name string) string {
	var parts []string
	for _, f := range s.Types[name].Fields {
		if strings.HasPrefix(f.Name, "__") || requiresArgs(f) {
			continue
		}
		alias := strings.ToLower(name) + "_" + f.Name + ": "
		t := s.Types[f.Type.Name()]
		switch {
		case t.Kind == ast.Scalar || t.Kind == ast.Enum:
			parts = append(parts, alias+f.Name)
		case f.Name == "relations":
			parts = append(parts, alias+"relations { totalCount edges { node { id } } }")
		case t.Fields.ForName("id") != nil:
			parts = append(parts, alias+f.Name+" { id }")
		default:
			parts = append(parts, alias+f.Name+" { "+everyField(s, t.Name, 0)+" }")
		}
	}
	return strings.Join(parts, " ")
}

// TestNeighborhoodsReadInPartAnswerAsWhole holds a neighbourhood whose selection reads only
// some fields of the entities under it, or no relations (model.NeighborhoodQuery.Nodes and
// NoRelations), to the same selection asked beside one that reads every field of the nodes and
// the relations, on both stores: nodes, the relations' ends, the sources' publishers and
// fragments on the node types.
func TestNeighborhoodsReadInPartAnswerAsWhole(t *testing.T) {
	s := graph.NewExecutableSchema(graph.Config{}).Schema()
	var every []string
	for _, name := range []string{"Organization", "Brand", "VehicleModel", "Plant", "Place", "Agreement"} {
		every = append(every, "... on "+name+" { "+aliasedFields(s, name)+" }")
	}
	sels := map[string]string{
		"ids, names and kinds":     `truncated nodes { id name kind }`,
		"truncated alone":          `truncated`,
		"every field":              `nodes { ` + strings.Join(every, " ") + ` }`,
		"relations and their ends": `nodes { id } relations { id type status from { id name } to { id ... on Brand { segment } ... on Organization { country { name } } } }`,
		"publishers":               `nodes { id sources { id publisher { id name description } } } relations { id sources { publisher { name aliases } } }`,
		"fragments":                `nodes { ... on Entity { name } ... on Plant { opened operator { name } } ... on Organization { brands { id description } } }`,
		"relations alone":          `relations { id from { description } to { updatedAt } }`,
	}
	asks := []string{
		`id: "avtotor", depth: 2`,
		`id: "haval-plant", depth: 1, types: [ASSEMBLES, LOCATED_IN]`,
		`id: "baic-group", depth: 3, limit: 5`,
		`id: "avtotor", depth: 2, asOf: "2019"`,
	}
	whole := `wholeNodes: nodes { ` + strings.Join(every, " ") + ` } wholeRelations: relations { id }`
	run := func(t *testing.T, store model.Store) {
		srv := wideServer(t, store)
		neighborhood := func(t *testing.T, query string) map[string]any {
			t.Helper()
			_, resp := apitest.Post(t, srv.URL, query, nil)
			if len(resp.Errors) > 0 {
				t.Fatalf("errors: %+v", resp.Errors)
			}
			var data struct {
				Neighborhood map[string]any `json:"neighborhood"`
			}
			if err := json.Unmarshal(resp.Data, &data); err != nil || data.Neighborhood == nil {
				t.Fatalf("answer %s: %v", resp.Data, err)
			}
			return data.Neighborhood
		}
		for name, sel := range sels {
			for _, args := range asks {
				t.Run(name+"/"+args, func(t *testing.T) {
					got := neighborhood(t, `{ neighborhood(`+args+`) { `+sel+` } }`)
					want := neighborhood(t, `{ neighborhood(`+args+`) { `+sel+` `+whole+` } }`)
					delete(want, "wholeNodes")
					delete(want, "wholeRelations")
					g, _ := json.Marshal(got)
					w, _ := json.Marshal(want)
					if !bytes.Equal(g, w) {
						t.Errorf("read in part = %s\nwant           %s", g, w)
					}
				})
			}
		}
	}
	t.Run("embedded", func(t *testing.T) { run(t, inmem.New()) })
	t.Run("neo4j", func(t *testing.T) { run(t, apitest.OpenNeo4j(t)) })
}
