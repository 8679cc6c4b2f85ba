package graph_test

import (
	"encoding/json"
	"fmt"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/autograph-kg/autograph/graph/httpapi"
	"github.com/autograph-kg/autograph/graph/httpapi/apitest"
	"github.com/google/go-cmp/cmp"
)

const importMutation = `mutation($data: String!, $format: DatasetFormat, $dry: Boolean) {
  importDataset(data: $data, format: $format, dryRun: $dry) {
    dryRun imported records sources entities relations stored problemCount
    problems { line what id message }
  }
}`

// reportFacts is a new report's facts as JSON Lines: a source, an organization, and two
// relations to stored entities (one without an id or a status, as curators write them).
const reportFacts = `{"kind":"source","id":"example-report-2024","title":"Example report","publishedOn":"2024-03-01","publisherId":"tass"}
{"kind":"organization","id":"example-motors","name":"Example Motors","type":"ASSEMBLER","countryId":"russia","sources":["example-report-2024"]}
{"kind":"relation","type":"ASSEMBLES","from":"example-motors","to":"baic","validFrom":"2024-02","sources":["example-report-2024"]}
{"kind":"relation","id":"example-motors-in-kaliningrad","type":"LOCATED_IN","from":"example-motors","to":"kaliningrad","status":"ACTIVE","sources":["example-report-2024"]}
`

type importReport struct {
	DryRun       bool `json:"dryRun"`
	Imported     bool `json:"imported"`
	Records      int  `json:"records"`
	Sources      int  `json:"sources"`
	Entities     int  `json:"entities"`
	Relations    int  `json:"relations"`
	Stored       int  `json:"stored"`
	ProblemCount int  `json:"problemCount"`
	Problems     []struct {
		Line    *int    `json:"line"`
		What    *string `json:"what"`
		ID      *string `json:"id"`
		Message string  `json:"message"`
	} `json:"problems"`
}

// TestImportDatasetMutation is a curator's import over HTTP, on both stores: refused without
// a token, refused over the size limit, a dry run that writes nothing, problems with their
// lines, then the import, visible to queries, and a second import that changes nothing.
func TestImportDatasetMutation(t *testing.T) {
	apitest.EachStore(t, httpapi.Options{WriteTokens: []string{token}}, importDatasetMutation)
}

func importDatasetMutation(t *testing.T, srv *httptest.Server) {
	auth := "Bearer " + token
	run := func(t *testing.T, auth string, vars map[string]any) (importReport, apitest.Response) {
		t.Helper()
		resp := apitest.PostAs(t, srv.URL, auth, importMutation, vars)
		var out struct {
			ImportDataset importReport `json:"importDataset"`
		}
		if len(resp.Errors) == 0 {
			if err := json.Unmarshal(resp.Data, &out); err != nil {
				t.Fatalf("decoding %s: %v", resp.Data, err)
			}
		}
		return out.ImportDataset, resp
	}
	query := func(t *testing.T) string {
		t.Helper()
		resp := apitest.PostAs(t, srv.URL, "", `{ organization(id: "example-motors") { name assembles { to { id } validFrom sources { title } } } }`, nil)
		if len(resp.Errors) > 0 {
			t.Fatalf("errors %+v", resp.Errors)
		}
		return string(resp.Data)
	}
	jsonl := map[string]any{"data": reportFacts, "format": "JSONL"}

	t.Run("needs a write token", func(t *testing.T) {
		_, resp := run(t, "", jsonl)
		if len(resp.Errors) != 1 || resp.Errors[0].Code() != "UNAUTHENTICATED" {
			t.Fatalf("errors %+v, want UNAUTHENTICATED", resp.Errors)
		}
		if got := query(t); got != `{"organization":null}` {
			t.Errorf("a refused import left %s", got)
		}
	})
	t.Run("size limit", func(t *testing.T) {
		big := strings.Repeat(" ", 512<<10) + reportFacts
		_, resp := run(t, auth, map[string]any{"data": big, "format": "JSONL"})
		if len(resp.Errors) != 1 || resp.Errors[0].Code() != "BAD_USER_INPUT" || !strings.Contains(resp.Errors[0].Message, "524288 bytes") {
			t.Fatalf("errors %+v, want BAD_USER_INPUT naming the limit of 524288 bytes", resp.Errors)
		}
	})
	t.Run("problems with their lines", func(t *testing.T) {
		bad := strings.Replace(reportFacts, `"to":"baic"`, `"to":"no-such-brand"`, 1) +
			`{"kind":"brand","id":"Bad Id","name":""}` + "\n"
		rep, resp := run(t, auth, map[string]any{"data": bad, "format": "JSONL"})
		if len(resp.Errors) > 0 {
			t.Fatalf("errors %+v", resp.Errors)
		}
		derivedID := ""
		if len(rep.Problems) > 0 && rep.Problems[0].ID != nil {
			derivedID = *rep.Problems[0].ID
		}
		if !strings.HasPrefix(derivedID, "example-motors-assembles-no-such-brand-") {
			t.Errorf("the relation without an id has the id %q, want the one addRelation derives", derivedID)
		}
		type problem struct {
			Line        int
			What, ID, M string
		}
		var got []problem
		for _, p := range rep.Problems {
			got = append(got, problem{*p.Line, *p.What, *p.ID, p.Message})
		}
		want := []problem{
			{3, "relation", derivedID, `no entity with id "no-such-brand"`},
			{5, "entity", "Bad Id", `id "Bad Id" is not a slug (lower-case letters and digits joined by single hyphens, at most 100 characters, e.g. "baic-x35")`},
			{5, "entity", "Bad Id", "no name"},
		}
		if diff := cmp.Diff(want, got); diff != "" || rep.Imported || rep.ProblemCount != 3 {
			t.Errorf("problems (-want +got):\n%s\nreport %+v", diff, rep)
		}
	})
	t.Run("dry run", func(t *testing.T) {
		rep, resp := run(t, auth, map[string]any{"data": reportFacts, "format": "JSONL", "dry": true})
		if len(resp.Errors) > 0 {
			t.Fatalf("errors %+v", resp.Errors)
		}
		want := importReport{DryRun: true, Records: 4, Sources: 1, Entities: 1, Relations: 2, Stored: rep.Stored, Problems: rep.Problems}
		if diff := cmp.Diff(want, rep); diff != "" || len(rep.Problems) != 0 || rep.Stored == 0 {
			t.Errorf("report (-want +got):\n%s", diff)
		}
		if got := query(t); got != `{"organization":null}` {
			t.Errorf("a dry run wrote %s", got)
		}
	})
	t.Run("import, twice", func(t *testing.T) {
		for range 2 {
			rep, resp := run(t, auth, jsonl)
			if len(resp.Errors) > 0 || !rep.Imported || rep.DryRun || rep.ProblemCount != 0 || rep.Records != 4 {
				t.Fatalf("report %+v errors %+v", rep, resp.Errors)
			}
			want := `{"organization":{"name":"Example Motors","assembles":[{"to":{"id":"baic"},"validFrom":"2024-02","sources":[{"title":"Example report"}]}]}}`
			if got := query(t); got != want {
				t.Errorf("read back %s, want %s", got, want)
			}
		}
	})
}

// TestImportDatasetComplexity: importDataset is costly, and the complexity limit says so: a
// request may hold a few, not a dozen (each costs 5000, the limit is 50000).
func TestImportDatasetComplexity(t *testing.T) {
	srv := apitest.NewServer(t, httpapi.Options{WriteTokens: []string{token}})
	var q strings.Builder
	q.WriteString("mutation {")
	for i := range 11 {
		fmt.Fprintf(&q, ` i%d: importDataset(data: "{}", dryRun: true) { imported }`, i)
	}
	q.WriteString(" }")
	resp := apitest.PostAs(t, srv.URL, "Bearer "+token, q.String(), nil)
	if len(resp.Errors) != 1 || resp.Errors[0].Code() != "COMPLEXITY_LIMIT_EXCEEDED" {
		t.Errorf("eleven imports in one request: errors %+v, want COMPLEXITY_LIMIT_EXCEEDED", resp.Errors)
	}
	resp = apitest.PostAs(t, srv.URL, "Bearer "+token, `mutation { importDataset(data: "{}", dryRun: true) { dryRun imported records problemCount } }`, nil)
	if len(resp.Errors) > 0 || string(resp.Data) != `{"importDataset":{"dryRun":true,"imported":false,"records":0,"problemCount":0}}` {
		t.Errorf("an empty dataset: data %s, errors %+v", resp.Data, resp.Errors)
	}
}
