package httpapi_test

import (
	"encoding/json"
	"testing"

	"github.com/autograph-kg/autograph/graph/httpapi"
	"github.com/autograph-kg/autograph/graph/httpapi/apitest"
)

// TestCursorsShownHoweverSelected: a relation connection makes only the cursors its selection
// may show; each one shown, however it is selected (aliased, through fragments, under
// @include, in Query.relations and Entity.relations), is the cursor the connection shows when
// all of them are selected.
func TestCursorsShownHoweverSelected(t *testing.T) {
	srv := apitest.NewServer(t, httpapi.Options{AnswerCacheBytes: -1})
	type page struct {
		Edges []struct {
			Cursor string `json:"cursor"`
			C      string `json:"c"`
		} `json:"edges"`
		PageInfo struct {
			StartCursor *string `json:"startCursor"`
			EndCursor   *string `json:"endCursor"`
			S           *string `json:"s"`
			E           *string `json:"e"`
		} `json:"pageInfo"`
	}
	get := func(t *testing.T, query string, vars map[string]any) page {
		t.Helper()
		_, r := apitest.Post(t, srv.URL, query, vars)
		if len(r.Errors) > 0 {
			t.Fatalf("%s: %+v", query, r.Errors)
		}
		var d map[string]json.RawMessage
		if err := json.Unmarshal(r.Data, &d); err != nil {
			t.Fatal(err)
		}
		var out page
		for _, v := range d {
			var e struct {
				Relations json.RawMessage `json:"relations"`
			}
			if err := json.Unmarshal(v, &e); err == nil && e.Relations != nil {
				v = e.Relations
			}
			if err := json.Unmarshal(v, &out); err != nil {
				t.Fatalf("%s: %v", v, err)
			}
		}
		return out
	}
	for _, root := range []struct{ name, open, close string }{
		{"Query.relations", `relations(first: 5)`, ``},
		{"Entity.relations", `entity(id: "avtotor") { relations(first: 5)`, `}`},
	} {
		t.Run(root.name, func(t *testing.T) {
			all := get(t, `{ `+root.open+` { edges { cursor } pageInfo { startCursor endCursor } } `+root.close+` }`, nil)
			if len(all.Edges) < 2 || all.PageInfo.StartCursor == nil || all.PageInfo.EndCursor == nil {
				t.Fatalf("a page of fewer than two relations: %+v", all)
			}
			first, last := *all.PageInfo.StartCursor, *all.PageInfo.EndCursor
			if first != all.Edges[0].Cursor || last != all.Edges[len(all.Edges)-1].Cursor || first == last {
				t.Fatalf("page cursors %q, %q for edges %+v", first, last, all.Edges)
			}
			check := func(what, got, want string) {
				t.Helper()
				if got != want {
					t.Errorf("%s: %q, want %q", what, got, want)
				}
			}
			p := get(t, `{ `+root.open+` { pageInfo { endCursor } } `+root.close+` }`, nil)
			check("endCursor alone", *p.PageInfo.EndCursor, last)
			p = get(t, `{ `+root.open+` { pageInfo { s: startCursor } } `+root.close+` }`, nil)
			check("startCursor aliased", *p.PageInfo.S, first)
			p = get(t, `{ `+root.open+` { ...C } `+root.close+` } fragment C on RelationConnection { pageInfo { ...P } } fragment P on PageInfo { e: endCursor startCursor }`, nil)
			check("endCursor through fragments", *p.PageInfo.E, last)
			check("startCursor through fragments", *p.PageInfo.StartCursor, first)
			p = get(t, `query($yes: Boolean!) { `+root.open+` { pageInfo { endCursor @include(if: $yes) } } `+root.close+` }`, map[string]any{"yes": true})
			check("endCursor under @include", *p.PageInfo.EndCursor, last)
			p = get(t, `{ `+root.open+` { edges { ... on RelationEdge { c: cursor } } } `+root.close+` }`, nil)
			for i, e := range p.Edges {
				check("edge cursor in an inline fragment", e.C, all.Edges[i].Cursor)
			}
		})
	}
}
