package httpapi_test

import (
	"fmt"
	"sync"
	"testing"

	"github.com/autograph-kg/autograph/graph/httpapi"
	"github.com/autograph-kg/autograph/graph/httpapi/apitest"
)

// TestRequestScopesAreTheirOwn: requests served at once and one after another each get their
// own loaders and store-call counter from the request scope: each answers its own entity,
// and counts only its own store calls.
func TestRequestScopesAreTheirOwn(t *testing.T) {
	srv := apitest.NewServer(t, httpapi.Options{StoreCallsExtension: true})
	names := map[string]string{"avtotor": "Avtotor", "kia": "Kia", "hyundai": "Hyundai"}
	var wg sync.WaitGroup
	for round := range 20 {
		for id, name := range names {
			wg.Add(1)
			go func() {
				defer wg.Done()
				q := fmt.Sprintf(`{ entity(id: %q) { name } }`, id)
				_, r := apitest.Post(t, srv.URL, q, nil)
				if len(r.Errors) > 0 {
					t.Errorf("round %d, %s: %+v", round, id, r.Errors)
					return
				}
				if got := string(r.Data); got != fmt.Sprintf(`{"entity":{"name":%q}}`, name) {
					t.Errorf("round %d, %s: data %s", round, id, got)
				}
				if n, _ := r.Extensions["storeCalls"].(float64); n != 1 {
					t.Errorf("round %d, %s: storeCalls %v, want 1", round, id, r.Extensions["storeCalls"])
				}
			}()
		}
		if round%2 == 0 {
			wg.Wait() // every other round after the one before it
		}
	}
	wg.Wait()
}
