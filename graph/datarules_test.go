package graph_test

import (
	"encoding/json"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/autograph-kg/autograph/graph/httpapi"
	"github.com/autograph-kg/autograph/graph/httpapi/apitest"
	"github.com/autograph-kg/autograph/graph/model"
)

// TestDataRules checks, through the API and on both stores, the data rules that the stores
// enforce: no self-relations or hierarchy cycles, cursors that belong to one listing, null for
// optional text that was not given, and entity ids that cannot squat on a relation's id.
func TestDataRules(t *testing.T) {
	apitest.EachStore(t, httpapi.Options{WriteTokens: []string{token}}, dataRules)
}

func dataRules(t *testing.T, srv *httptest.Server) {
	auth := "Bearer " + token
	must := func(t *testing.T, q string, vars ...map[string]any) json.RawMessage {
		t.Helper()
		var v map[string]any
		if len(vars) > 0 {
			v = vars[0]
		}
		resp := apitest.PostAs(t, srv.URL, auth, q, v)
		if len(resp.Errors) > 0 {
			t.Fatalf("%s: errors %+v", q, resp.Errors)
		}
		return resp.Data
	}
	refused := func(t *testing.T, q string, vars map[string]any, says string) {
		t.Helper()
		resp := apitest.PostAs(t, srv.URL, auth, q, vars)
		if len(resp.Errors) != 1 || resp.Errors[0].Code() != "BAD_USER_INPUT" || !strings.Contains(resp.Errors[0].Message, says) {
			t.Errorf("%s: errors %+v, want one BAD_USER_INPUT saying %q", q, resp.Errors, says)
		}
	}
	const add = `mutation($in: RelationInput!) { addRelation(input: $in) { id } }`
	rel := func(typ, from, to string) map[string]any {
		return map[string]any{"in": map[string]any{"type": typ, "from": from, "to": to, "sourceIds": []string{"tass-2023-04-18-avtotor-baic"}}}
	}

	t.Run("a place is not located in itself", func(t *testing.T) {
		refused(t, add, rel("LOCATED_IN", "kaliningrad", "kaliningrad"), "itself")
		got := string(must(t, `{ place(id: "kaliningrad") { parent { id } } }`))
		if got != `{"place":{"parent":{"id":"kaliningrad-region"}}}` {
			t.Errorf("parent of kaliningrad: %s", got)
		}
	})
	t.Run("no cycle of places", func(t *testing.T) {
		refused(t, add, rel("LOCATED_IN", "russia", "kaliningrad"), "cycle")
	})
	t.Run("no cycle of subsidiaries", func(t *testing.T) {
		must(t, add, rel("SUBSIDIARY_OF", "avtotor", "baic-group"))
		refused(t, add, rel("SUBSIDIARY_OF", "baic-group", "avtotor"), "cycle")
	})

	t.Run("a cursor belongs to its listing", func(t *testing.T) {
		var orgs struct {
			Organizations struct {
				PageInfo struct{ EndCursor string } `json:"pageInfo"`
			} `json:"organizations"`
		}
		if err := json.Unmarshal(must(t, `{ organizations(first: 1) { pageInfo { endCursor } } }`), &orgs); err != nil {
			t.Fatal(err)
		}
		c := orgs.Organizations.PageInfo.EndCursor
		for _, q := range []string{
			`query($c: String) { brands(after: $c) { totalCount } }`,
			`query($c: String) { places(after: $c) { totalCount } }`,
			`query($c: String) { organizations(where: {type: [ASSEMBLER]}, after: $c) { totalCount } }`,
			`query($c: String) { sources(after: $c) { totalCount } }`,
			`query($c: String) { relations(after: $c) { totalCount } }`,
			`query($c: String) { organization(id: "avtotor") { relations(after: $c) { totalCount } } }`,
		} {
			refused(t, q, map[string]any{"c": c}, "cursor")
		}
		var rels struct {
			Relations struct {
				PageInfo struct{ EndCursor string } `json:"pageInfo"`
			} `json:"relations"`
		}
		if err := json.Unmarshal(must(t, `{ relations(first: 1) { pageInfo { endCursor } } }`), &rels); err != nil {
			t.Fatal(err)
		}
		refused(t, `query($c: String) { organization(id: "avtotor") { relations(after: $c) { totalCount } } }`,
			map[string]any{"c": rels.Relations.PageInfo.EndCursor}, "cursor")
		// The same listing takes its own cursor.
		must(t, `query($c: String) { organizations(first: 1, after: $c) { totalCount } }`, map[string]any{"c": c})
	})

	t.Run("optional text left out is null", func(t *testing.T) {
		must(t, `mutation { upsertSource(input: {id: "bare-report", title: "Bare report", publishedOn: "2024", dateline: ""}) { id } }`)
		must(t, `mutation { upsertPlace(input: {id: "bare-place", name: "Bare Place", type: CITY, description: ""}) { id } }`)
		in := rel("LOCATED_IN", "bare-place", "russia")
		in["in"].(map[string]any)["sourceIds"] = []string{"bare-report"}
		must(t, add, in)
		got := string(must(t, `{
			source(id: "bare-report") { dateline url language }
			place(id: "bare-place") { description countryCode relations { edges { node { note } } } }
			relation(id: "avtotor-located-in-kaliningrad") { note }
		}`))
		want := `{"source":{"dateline":null,"url":null,"language":null},` +
			`"place":{"description":null,"countryCode":null,"relations":{"edges":[{"node":{"note":null}}]}},` +
			`"relation":{"note":null}}`
		if got != want {
			t.Errorf("got  %s\nwant %s", got, want)
		}
	})

	t.Run("an entity cannot take a relation's id", func(t *testing.T) {
		r := &model.Relation{Type: model.RelAssembles, FromID: "avtotor", ToID: "baic-x35", Status: model.StatusActive,
			ValidFrom: &model.Date{Year: 2030}, SourceIDs: []string{"tass-2023-04-18-avtotor-baic"}}
		id := model.RelationID(r)
		refused(t, `mutation($id: ID!) { upsertPlace(input: {id: $id, name: "Squatter", type: CITY}) { id } }`, map[string]any{"id": id}, "reserved")
		refused(t, `mutation($id: ID!) { upsertSource(input: {id: $id, title: "Squatter", publishedOn: "2024"}) { id } }`, map[string]any{"id": id}, "reserved")
		in := rel("ASSEMBLES", "avtotor", "baic-x35")
		in["in"].(map[string]any)["validFrom"] = "2030"
		got := string(must(t, add, in))
		if got != `{"addRelation":{"id":"`+id+`"}}` {
			t.Errorf("addRelation: %s, want id %s", got, id)
		}
	})
}
