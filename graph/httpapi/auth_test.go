package httpapi_test

import (
	"net/http"
	"strings"
	"testing"

	"github.com/autograph-kg/autograph/graph/httpapi"
	"github.com/autograph-kg/autograph/graph/httpapi/apitest"
)

const token = "curator-secret-1"

const upsertSource = `mutation { upsertSource(input: {id: "example-report-2024", title: "Example report", publishedOn: "2024-03-01", publisher: "tass"}) { id } }`

func TestWritesNeedAToken(t *testing.T) {
	t.Run("writes disabled without configured tokens", func(t *testing.T) {
		srv := apitest.NewServer(t, httpapi.Options{})
		resp := apitest.PostAs(t, srv.URL, "Bearer anything", upsertSource, nil)
		if len(resp.Errors) != 1 || resp.Errors[0].Code() != "UNAUTHENTICATED" || !strings.Contains(resp.Errors[0].Message, "KG_WRITE_TOKEN") {
			t.Errorf("errors %+v, want UNAUTHENTICATED saying how to enable writes", resp.Errors)
		}
	})
	srv := apitest.NewServer(t, httpapi.Options{WriteTokens: []string{"other-token", token}})
	for _, tc := range []struct{ name, auth, want string }{
		{"missing", "", "Authorization: Bearer"},
		{"wrong", "Bearer nope", "not valid"},
		{"wrong scheme", "Basic " + token, "not valid"},
		{"empty bearer", "Bearer ", "not valid"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			resp := apitest.PostAs(t, srv.URL, tc.auth, upsertSource, nil)
			if len(resp.Errors) != 1 || resp.Errors[0].Code() != "UNAUTHENTICATED" || !strings.Contains(resp.Errors[0].Message, tc.want) {
				t.Errorf("errors %+v, want UNAUTHENTICATED mentioning %q", resp.Errors, tc.want)
			}
			check := apitest.PostAs(t, srv.URL, "", `{ source(id: "example-report-2024") { id } }`, nil)
			if string(check.Data) != `{"source":null}` {
				t.Errorf("refused write left a trace: %s", check.Data)
			}
		})
	}
	t.Run("right token, any case of Bearer", func(t *testing.T) {
		resp := apitest.PostAs(t, srv.URL, "bearer "+token, upsertSource, nil)
		if len(resp.Errors) > 0 {
			t.Fatalf("errors %+v", resp.Errors)
		}
	})
	t.Run("reads stay open", func(t *testing.T) {
		resp := apitest.PostAs(t, srv.URL, "Bearer nope", `{ organization(id: "avtotor") { name } }`, nil)
		if len(resp.Errors) > 0 || string(resp.Data) != `{"organization":{"name":"Avtotor"}}` {
			t.Errorf("data %s errors %+v", resp.Data, resp.Errors)
		}
	})
	t.Run("no mutations over GET", func(t *testing.T) {
		resp, err := http.Get(srv.URL + "/query?query=" + strings.ReplaceAll(`mutation{removeRelation(id:"avtotor-assembles-kia")}`, " ", ""))
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode < 400 || resp.StatusCode >= 500 {
			t.Errorf("status %d, want a 4xx", resp.StatusCode)
		}
	})
}
