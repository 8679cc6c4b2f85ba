package httpapi_test

import (
	"encoding/json"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/autograph-kg/autograph/graph/httpapi"
	"github.com/autograph-kg/autograph/graph/httpapi/apitest"
)

const historyToken = "history-test-token-0123456789"

// The curator story over the API on each store: a fact corrected, then both versions in
// history, the old answer with knownAt, and a bitemporal question (as known then, as of
// 2022).
func TestHistoryOverTheAPI(t *testing.T) {
	apitest.EachStore(t, httpapi.Options{WriteTokens: []string{historyToken}}, func(t *testing.T, srv *httptest.Server) {
		ask := func(query string, vars map[string]any) map[string]any {
			t.Helper()
			resp := apitest.PostAs(t, srv.URL, "Bearer "+historyToken, query, vars)
			if len(resp.Errors) > 0 {
				t.Fatalf("%s: errors %+v", query, resp.Errors)
			}
			var out map[string]any
			if err := json.Unmarshal(resp.Data, &out); err != nil {
				t.Fatal(err)
			}
			return out
		}
		assembledIn2022 := `query($t: Time) { organization(id: "avtotor", knownAt: $t) { assembles(asOf: "2022") { to { id } } } }`
		targets := func(t0 any) []string {
			t.Helper()
			d := ask(assembledIn2022, map[string]any{"t": t0})
			var out []string
			for _, r := range d["organization"].(map[string]any)["assembles"].([]any) {
				out = append(out, r.(map[string]any)["to"].(map[string]any)["id"].(string))
			}
			return out
		}
		before := targets(nil)
		if !contains(before, "kia") {
			t.Fatalf("the seed has avtotor assembling kia as of 2022: %v", before)
		}
		time.Sleep(10 * time.Millisecond)
		known := time.Now().UTC().Format(time.RFC3339Nano)
		time.Sleep(10 * time.Millisecond)
		// The correction: Kia assembly ended in 2021, not 2022.
		ask(`mutation { updateRelation(id: "avtotor-assembles-kia", input: {type: ASSEMBLES, from: "avtotor", to: "kia", status: ENDED, validTo: "2021", note: "Assembly stopped in 2021.", sourceIds: ["tass-2023-04-18-avtotor-baic"]}) { id } }`, nil)

		if now := targets(nil); contains(now, "kia") {
			t.Errorf("after the correction, avtotor still assembles kia as of 2022: %v", now)
		}
		if then := targets(known); strings.Join(then, ",") != strings.Join(before, ",") {
			t.Errorf("as known before the correction: %v, want %v", then, before)
		}

		d := ask(`{ history(id: "avtotor-assembles-kia") { nodes { number operation actor { name role } before after } } }`, nil)
		nodes := d["history"].(map[string]any)["nodes"].([]any)
		if len(nodes) != 2 {
			t.Fatalf("history of the relation: %d revisions, want 2 (import, correction): %v", len(nodes), nodes)
		}
		fix, imp := nodes[0].(map[string]any), nodes[1].(map[string]any)
		if fix["operation"] != "UPDATE_RELATION" || imp["operation"] != "IMPORT" {
			t.Errorf("operations = %v, %v; want UPDATE_RELATION, IMPORT", fix["operation"], imp["operation"])
		}
		validTo := func(v any) any {
			if v == nil {
				return nil
			}
			return v.(map[string]any)["value"].(map[string]any)["validTo"]
		}
		if validTo(fix["before"]) != "2022" || validTo(fix["after"]) != "2021" {
			t.Errorf("the correction's before/after validTo = %v/%v, want 2022/2021", validTo(fix["before"]), validTo(fix["after"]))
		}
		if imp["before"] != nil || validTo(imp["after"]) != "2022" {
			t.Errorf("the import's before/after = %v/%v, want null/2022", imp["before"], validTo(imp["after"]))
		}

		// The revision across the graph, and the server's bounds.
		d = ask(`{ historyInfo { last { number operation changeCount ids changes { totalCount nodes { id sort before after } } } floorAt } }`, nil)
		last := d["historyInfo"].(map[string]any)["last"].(map[string]any)
		if last["operation"] != "UPDATE_RELATION" || last["changeCount"] != float64(1) {
			t.Errorf("historyInfo.last = %v", last)
		}
		ch := last["changes"].(map[string]any)["nodes"].([]any)
		if len(ch) != 1 || ch[0].(map[string]any)["sort"] != "relation" {
			t.Errorf("the last revision's changes = %v", ch)
		}
		// knownAt on listings and search.
		d = ask(`query($t: Time) { relations(knownAt: $t, where: {types: [ASSEMBLES]}) { totalCount } }`, map[string]any{"t": known})
		if d["relations"].(map[string]any)["totalCount"].(float64) < 1 {
			t.Errorf("relations known then: %v", d)
		}
	})
}

func TestKnownAtRefusals(t *testing.T) {
	srv := apitest.NewServer(t, httpapi.Options{})
	for name, c := range map[string]struct{ query, code, says string }{
		"not a time":     {`{ organization(id: "avtotor", knownAt: "yesterday") { name } }`, "BAD_USER_INPUT", "RFC 3339"},
		"a bad revision": {`{ revisions(first: 101) { nodes { number } } }`, "BAD_USER_INPUT", "first"},
		"a bad cursor":   {`{ history(id: "avtotor", after: "xyz") { nodes { number } } }`, "BAD_USER_INPUT", "cursor"},
	} {
		t.Run(name, func(t *testing.T) {
			_, resp := apitest.Post(t, srv.URL, c.query, nil)
			if len(resp.Errors) == 0 {
				t.Fatalf("no error")
			}
			e := resp.Errors[0]
			if e.Code() != c.code && !(c.code == "GRAPHQL_VALIDATION_FAILED" && e.Code() == "BAD_USER_INPUT") {
				t.Errorf("code = %s (%s), want %s", e.Code(), e.Message, c.code)
			}
			if !strings.Contains(e.Message, c.says) {
				t.Errorf("message %q does not mention %q", e.Message, c.says)
			}
			noInternals(t, e.Message)
		})
	}
}

func contains(xs []string, x string) bool {
	for _, y := range xs {
		if y == x {
			return true
		}
	}
	return false
}
