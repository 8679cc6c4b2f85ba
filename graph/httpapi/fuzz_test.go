package httpapi_test

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/autograph-kg/autograph/graph/httpapi"
	"github.com/autograph-kg/autograph/graph/httpapi/apitest"
	"github.com/autograph-kg/autograph/graph/inmem"
	"github.com/autograph-kg/autograph/seed"
)

const fuzzToken = "fuzz-writer-token-000001"

// fuzzMutations are writes the fuzzer starts from; each runs on a fresh store.
var fuzzMutations = []string{
	`mutation { upsertSource(input: {id: "example-report-2024", title: "Example report", publishedOn: "2024-03-01", publisher: "tass"}) { id createdAt } }`,
	`mutation { upsertOrganization(input: {id: "example-motors", name: "Example Motors", type: ASSEMBLER, country: "russia", sources: ["tass-2023-04-18-avtotor-baic"]}) { id } }`,
	`mutation($in: RelationInput!) { addRelation(input: $in) { id type status validFrom quantity } }`,
	`mutation { updateRelation(id: "avtotor-assembles-kaiyi", input: {type: ASSEMBLES, from: "avtotor", to: "kaiyi", status: ENDED, validFrom: "2023-01", validTo: "2024", quantity: 3, sourceIds: ["tass-2023-04-18-avtotor-baic"]}) { id status } }`,
	`mutation { removeRelation(id: "avtotor-assembles-kia") }`,
	`mutation { deleteEntity(id: "kaliningrad") }`,
	`mutation { upsertAgreement(input: {id: "a-b", name: "A B", signedOn: "2024-02-30", provisions: [{summary: "x", due: "2024"}]}) { id } }`,
}

// FuzzHandler sends requests built from GraphQL documents (the golden questions, the schema,
// mutations) through the whole handler, as POST bodies, raw bodies and GET URLs. Whatever
// comes in, the answer is below 500, is GraphQL JSON, every error has a code and a bounded
// message, and nothing is INTERNAL or shows Go internals.
//
//	go test -run=^$ -fuzz=FuzzHandler -fuzztime=10m ./graph/httpapi/
func FuzzHandler(f *testing.F) {
	docs := fuzzDocuments(f)
	vars := []string{``, `{}`, `{"date": "2023-02"}`, `{"in": {"type": "ASSEMBLES", "from": "avtotor", "to": "kia", "quantity": 2, "sourceIds": ["tass-2023-04-18-avtotor-baic"]}}`, `{"n": "10"}`, `{"id": null}`, `[1]`, `{"d": 2147483648}`}
	for i, d := range docs {
		for mode := range uint8(4) {
			f.Add(mode, d, vars[i%len(vars)], "")
		}
	}
	f.Add(uint8(1), `[{"query":"{ __typename }"}]`, ``, ``)
	f.Add(uint8(1), `{"query":"{ __typename }","operationName":5}`, ``, ``)
	f.Add(uint8(0), `query A { __typename } query B { brands { totalCount } }`, ``, `B`)
	f.Add(uint8(2), `{ organization(id: "avtotor") { name } }`, `{"x":1}`, ``)
	f.Add(uint8(3), `{ __schema { types { name } } }`, ``, ``)

	shared := fuzzStore(f)
	readHandler := httpapi.NewHandler(httpapi.Options{Store: shared, RequestTimeout: 2 * time.Second, MaxBodyBytes: 64 << 10})
	f.Fuzz(func(t *testing.T, mode uint8, doc, variables, operationName string) {
		h := readHandler
		if strings.Contains(doc, "mutation") {
			h = httpapi.NewHandler(httpapi.Options{Store: fuzzStore(t), RequestTimeout: 2 * time.Second, MaxBodyBytes: 64 << 10, WriteTokens: []string{fuzzToken}})
		}
		req := fuzzRequest(t, mode, doc, variables, operationName)
		if req == nil {
			return
		}
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		checkFuzzAnswer(t, req, rec)
	})
}

// fuzzDocuments are the seed documents: the golden questions, the schema's text, mutations.
// The questions and the schema are the resolvers' golden files, in graph/testdata.
func fuzzDocuments(f *testing.F) []string {
	files, err := filepath.Glob(filepath.Join("..", "testdata", "questions", "*.graphql"))
	if err != nil || len(files) == 0 {
		f.Fatalf("no questions in ../testdata/questions: %v", err)
	}
	files = append(files, filepath.Join("..", "testdata", "schema.golden.graphql"))
	var docs []string
	for _, p := range files {
		b, err := os.ReadFile(p)
		if err != nil {
			f.Fatal(err)
		}
		docs = append(docs, string(b))
	}
	docs = append(docs, fuzzMutations...)
	return append(docs, introspectionQuery, fragmentBomb(5))
}

type testingTB interface {
	Helper()
	Fatalf(string, ...any)
	Cleanup(func())
}

func fuzzStore(t testingTB) *inmem.Store {
	t.Helper()
	s := inmem.New()
	if err := seed.Load(context.Background(), s); err != nil {
		t.Fatalf("seed: %v", err)
	}
	t.Cleanup(func() { _ = s.Close(context.Background()) })
	return s
}

// fuzzRequest builds the request that mode says: 0 a JSON POST of the document, variables and
// operation name; 1 the document as the raw body; 2 a GET; 3 a JSON POST asking for
// application/graphql-response+json with a write token.
func fuzzRequest(t *testing.T, mode uint8, doc, variables, operationName string) *http.Request {
	var req *http.Request
	switch mode % 4 {
	case 0, 3:
		m := map[string]any{"query": doc}
		if operationName != "" {
			m["operationName"] = operationName
		}
		if json.Valid([]byte(variables)) {
			m["variables"] = json.RawMessage(variables)
		}
		body, err := json.Marshal(m)
		if err != nil {
			return nil
		}
		req = httptest.NewRequest(http.MethodPost, "/query", bytes.NewReader(body))
		req.Header.Set("Content-Type", "application/json")
		if mode%4 == 3 {
			req.Header.Set("Accept", "application/graphql-response+json")
			req.Header.Set("Authorization", "Bearer "+fuzzToken)
		}
	case 1:
		req = httptest.NewRequest(http.MethodPost, "/query", strings.NewReader(doc))
		req.Header.Set("Content-Type", "application/json")
	case 2:
		q := url.Values{"query": {doc}}
		if variables != "" {
			q.Set("variables", variables)
		}
		if operationName != "" {
			q.Set("operationName", operationName)
		}
		req = httptest.NewRequest(http.MethodGet, "/query?"+q.Encode(), nil)
	}
	return req
}

func checkFuzzAnswer(t *testing.T, req *http.Request, rec *httptest.ResponseRecorder) {
	t.Helper()
	body := rec.Body.Bytes()
	if rec.Code >= 500 {
		t.Fatalf("status %d: %.500s", rec.Code, body)
	}
	var out struct {
		Data   json.RawMessage `json:"data"`
		Errors []apitest.Error `json:"errors"`
	}
	if err := json.Unmarshal(body, &out); err != nil {
		t.Fatalf("status %d, not JSON (%v): %.500s", rec.Code, err, body)
	}
	if out.Data == nil && len(out.Errors) == 0 {
		t.Fatalf("status %d, neither data nor errors: %.500s", rec.Code, body)
	}
	if ct := rec.Header().Get("Content-Type"); !strings.HasPrefix(ct, "application/json") && !strings.HasPrefix(ct, "application/graphql-response+json") {
		t.Errorf("content type %q", ct)
	}
	for _, e := range out.Errors {
		switch {
		case e.Code() == "":
			t.Errorf("error without a code: %+v", e)
		case e.Code() == "INTERNAL":
			t.Errorf("INTERNAL for a %s request: %+v", req.Method, e)
		case len(e.Message) > 1100:
			t.Errorf("%d-byte message: %.200s", len(e.Message), e.Message)
		}
		for _, leak := range []string{"goroutine", ".go:", "runtime error", "Go value", "Go struct"} {
			if strings.Contains(e.Message, leak) {
				t.Errorf("message shows Go internals: %.300s", e.Message)
			}
		}
	}
}
