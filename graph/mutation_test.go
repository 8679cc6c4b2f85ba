package graph_test

import (
	"bytes"
	"encoding/json"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/autograph-kg/autograph/graph/httpapi"
	"github.com/autograph-kg/autograph/graph/httpapi/apitest"
)

const token = "curator-secret-1"

const upsertSource = `mutation { upsertSource(input: {id: "example-report-2024", title: "Example report", publishedOn: "2024-03-01", publisher: "tass"}) { id } }`

// TestCuratorRecordsAFact is the curator's story: record "company X assembles brand Y from
// 2024-02, per source Z" and read it back at once.
// It runs on both stores.
func TestCuratorRecordsAFact(t *testing.T) {
	apitest.EachStore(t, httpapi.Options{WriteTokens: []string{token}}, curatorRecordsAFact)
}

func curatorRecordsAFact(t *testing.T, srv *httptest.Server) {
	auth := "Bearer " + token
	must := func(q string, vars map[string]any) json.RawMessage {
		t.Helper()
		resp := apitest.PostAs(t, srv.URL, auth, q, vars)
		if len(resp.Errors) > 0 {
			t.Fatalf("%s: errors %+v", q, resp.Errors)
		}
		return resp.Data
	}
	must(upsertSource, nil)
	must(`mutation { upsertOrganization(input: {id: "example-motors", name: "Example Motors", type: ASSEMBLER, country: "russia", sources: ["example-report-2024"]}) { id } }`, nil)
	must(`mutation { upsertBrand(input: {id: "example-brand", name: "Example Brand", segment: PASSENGER, country: "china"}) { id } }`, nil)
	add := `mutation($in: RelationInput!) { addRelation(input: $in) { id type from { id } to { id } status validFrom sources { id } createdAt updatedAt } }`
	in := map[string]any{"type": "ASSEMBLES", "from": "example-motors", "to": "example-brand", "validFrom": "2024-02", "sourceIds": []string{"example-report-2024"}}
	first := must(add, map[string]any{"in": in})
	again := must(add, map[string]any{"in": in})
	if !bytes.Equal(first, again) {
		t.Errorf("adding the same fact twice gave\n%s\nthen\n%s", first, again)
	}
	got := string(must(`{ organization(id: "example-motors") { assembles(asOf: "2024-03") { to { id } validFrom sources { title } } } }`, nil))
	want := `{"organization":{"assembles":[{"to":{"id":"example-brand"},"validFrom":"2024-02","sources":[{"title":"Example report"}]}]}}`
	if got != want {
		t.Errorf("read back %s, want %s", got, want)
	}
	before := string(must(`{ organization(id: "example-motors") { assembles(asOf: "2024-01") { to { id } } } }`, nil))
	if before != `{"organization":{"assembles":[]}}` {
		t.Errorf("asOf before the start: %s", before)
	}

	var rel struct {
		AddRelation struct{ ID string } `json:"addRelation"`
	}
	_ = json.Unmarshal(first, &rel)
	upd := must(`mutation($id: ID!) { updateRelation(id: $id, input: {type: ASSEMBLES, from: "example-motors", to: "example-brand", status: ENDED, validFrom: "2024-02", validTo: "2024-06", sourceIds: ["example-report-2024"]}) { id status validTo } }`, map[string]any{"id": rel.AddRelation.ID})
	if !strings.Contains(string(upd), `"status":"ENDED","validTo":"2024-06"`) {
		t.Errorf("updateRelation: %s", upd)
	}
	must(`mutation($id: ID!) { removeRelation(id: $id) }`, map[string]any{"id": rel.AddRelation.ID})
	if got := string(must(`{ organization(id: "example-motors") { assembles { id } } }`, nil)); got != `{"organization":{"assembles":[]}}` {
		t.Errorf("after removeRelation: %s", got)
	}
	must(`mutation { deleteEntity(id: "example-motors") }`, nil)
	if got := string(must(`{ organization(id: "example-motors") { id } }`, nil)); got != `{"organization":null}` {
		t.Errorf("after deleteEntity: %s", got)
	}
}

// TestInvalidWritesAreRefused sends each invalid write and checks its code, its message and
// that nothing changed, on both stores.
func TestInvalidWritesAreRefused(t *testing.T) {
	apitest.EachStore(t, httpapi.Options{WriteTokens: []string{token}}, invalidWritesAreRefused)
}

func invalidWritesAreRefused(t *testing.T, srv *httptest.Server) {
	auth := "Bearer " + token
	rel := func(fields string) string {
		return `mutation { addRelation(input: {` + fields + `}) { id } }`
	}
	src := `sourceIds: ["tass-2023-04-18-avtotor-baic"]`
	for _, tc := range []struct{ name, query, code, contains string }{
		{"unknown endpoint", rel(`type: ASSEMBLES, from: "avtotor", to: "no-such-brand", ` + src), "NOT_FOUND", "no-such-brand"},
		{"unknown source", rel(`type: ASSEMBLES, from: "avtotor", to: "arcfox", sourceIds: ["no-such-source"]`), "NOT_FOUND", "no-such-source"},
		{"no source", rel(`type: ASSEMBLES, from: "avtotor", to: "arcfox", sourceIds: []`), "BAD_USER_INPUT", "at least one source"},
		{"type does not fit the kinds", rel(`type: OWNS_BRAND, from: "kia", to: "arcfox", ` + src), "BAD_USER_INPUT", "OWNS_BRAND"},
		{"impossible date", rel(`type: ASSEMBLES, from: "avtotor", to: "arcfox", validFrom: "2024-02-30", ` + src), "BAD_USER_INPUT", "no such day"},
		{"validTo before validFrom", rel(`type: ASSEMBLES, from: "avtotor", to: "arcfox", validFrom: "2024", validTo: "2023", ` + src), "BAD_USER_INPUT", "before validFrom"},
		{"negative quantity", rel(`type: ASSEMBLES, from: "avtotor", to: "arcfox", quantity: -1, ` + src), "BAD_USER_INPUT", "negative"},
		{"id not a slug", `mutation { upsertBrand(input: {id: "Not A Slug", name: "X"}) { id } }`, "BAD_USER_INPUT", "slug"},
		{"empty name", `mutation { upsertBrand(input: {id: "blank", name: "  "}) { id } }`, "BAD_USER_INPUT", "name"},
		{"id of another kind", `mutation { upsertBrand(input: {id: "avtotor", name: "Avtotor brand"}) { id } }`, "BAD_USER_INPUT", "avtotor"},
		{"country that is not a place", `mutation { upsertBrand(input: {id: "new-brand", name: "New", country: "avtotor"}) { id } }`, "", "avtotor"},
		{"source without title", `mutation { upsertSource(input: {id: "s", title: "", publishedOn: "2024"}) { id } }`, "BAD_USER_INPUT", "title"},
		{"unknown relation to update", `mutation { updateRelation(id: "nope", input: {type: ASSEMBLES, from: "avtotor", to: "arcfox", ` + src + `}) { id } }`, "NOT_FOUND", "nope"},
		{"unknown relation to remove", `mutation { removeRelation(id: "nope") }`, "NOT_FOUND", "nope"},
		{"unknown entity to delete", `mutation { deleteEntity(id: "nope") }`, "NOT_FOUND", "nope"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			before := apitest.PostAs(t, srv.URL, "", `{ relations(first: 0) { totalCount } brands(first: 0) { totalCount } sources(first: 0) { totalCount } }`, nil)
			resp := apitest.PostAs(t, srv.URL, auth, tc.query, nil)
			if len(resp.Errors) != 1 {
				t.Fatalf("errors %+v, want one", resp.Errors)
			}
			e := resp.Errors[0]
			if (tc.code != "" && e.Code() != tc.code) || (tc.code == "" && e.Code() != "BAD_USER_INPUT" && e.Code() != "NOT_FOUND") || !strings.Contains(e.Message, tc.contains) {
				t.Errorf("got %q (code %s), want code %q and a message containing %q", e.Message, e.Code(), tc.code, tc.contains)
			}
			after := apitest.PostAs(t, srv.URL, "", `{ relations(first: 0) { totalCount } brands(first: 0) { totalCount } sources(first: 0) { totalCount } }`, nil)
			if !bytes.Equal(before.Data, after.Data) {
				t.Errorf("refused write changed the graph: %s -> %s", before.Data, after.Data)
			}
		})
	}
}
