package httpapi_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"sync"
	"testing"

	"github.com/autograph-kg/autograph/graph/httpapi"
	"github.com/autograph-kg/autograph/graph/httpapi/apitest"
)

// TestConcurrentAnswersKeepTheirBuffers asks answers of very different sizes (a neighbourhood,
// relation pages, single entities) from many connections at once, with the answer cache off
// so that every one is written anew, and wants each byte for byte as it is asked alone: the
// buffers the answers are written into are reused from request to request, and one handed
// to a second request while the first still reads it would show here (and to -race).
func TestConcurrentAnswersKeepTheirBuffers(t *testing.T) {
	srv := apitest.NewServer(t, httpapi.Options{AnswerCacheBytes: -1})
	queries := []string{
		`{ neighborhood(id: "avtotor", depth: 2, limit: 200) { truncated nodes { id name kind } relations { id type from { id } to { id } sources { id title publisher { name } } } } }`,
		`{ neighborhood(id: "baic-group", depth: 1) { nodes { id name aliases } relations { id validFrom validTo } } }`,
		`{ entity(id: "avtotor") { relations(first: 20) { totalCount edges { cursor node { id type from { id name } to { id name } sources { id title url publisher { id name } } } } } } }`,
		`{ entity(id: "baic") { relations(first: 3) { edges { node { id note } } } } }`,
		`{ organization(id: "avtotor") { name } }`,
		`{ entity(id: "kaliningrad") { id name kind } }`,
		`{ search(query: "bai", first: 8) { score entity { id name kind aliases } } }`,
	}
	ask := func(q string) ([]byte, error) {
		body, _ := json.Marshal(map[string]any{"query": q})
		resp, err := http.Post(srv.URL+"/query", "application/json", bytes.NewReader(body))
		if err != nil {
			return nil, err
		}
		defer resp.Body.Close()
		b, err := io.ReadAll(resp.Body)
		if err == nil && resp.StatusCode != http.StatusOK {
			err = fmt.Errorf("status %d: %s", resp.StatusCode, b)
		}
		return b, err
	}
	want := make([][]byte, len(queries))
	for i, q := range queries {
		b, err := ask(q)
		if err != nil {
			t.Fatalf("query %d alone: %v", i, err)
		}
		if bytes.Contains(b, []byte(`"errors"`)) {
			t.Fatalf("query %d alone answers errors: %s", i, b)
		}
		want[i] = b
	}
	const workers, rounds = 8, 30
	var wg sync.WaitGroup
	for w := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for r := range rounds {
				i := (w + r) % len(queries)
				got, err := ask(queries[i])
				if err != nil {
					t.Errorf("worker %d, query %d: %v", w, i, err)
					return
				}
				if !bytes.Equal(got, want[i]) {
					t.Errorf("worker %d, query %d: the answer differs from the one asked alone:\n%s\nwant\n%s", w, i, got, want[i])
					return
				}
			}
		}()
	}
	wg.Wait()
}
