package httpapi_test

import (
	"context"
	"testing"

	"github.com/autograph-kg/autograph/bench/benchkit"
	"github.com/autograph-kg/autograph/graph/httpapi"
	"github.com/autograph-kg/autograph/graph/httpapi/apitest"
	"github.com/autograph-kg/autograph/graph/inmem"
	"github.com/autograph-kg/autograph/graph/model"
	"github.com/autograph-kg/autograph/seed"
)

// Every product question is answered without any loader batch waiting for the gathering
// window (the batches go out as soon as the siblings are known), and with no more store calls
// than the bound it has, on both stores. The bounds are the calls each question made when
// they were set; a change that needs more is a regression of the batching.
func TestProductQuestionsDoNotWaitForTheWindow(t *testing.T) {
	bounds := map[string]float64{
		"q01-avtotor-brands": 1, "q02-baic-group": 1, "q03-baic-models-at-avtotor": 1,
		"q04-agreement": 2, "q05-as-of": 1, "q06-paths": 3, "q07-neighborhood": 1,
		"q08-timeline": 3, "q09-search": 2, "q10-sources": 4,
		"q11-assembled-baic-group-brands": 3, "q12-brands-with-several-assemblers": 3,
		"q13-cited-tass-after-april": 3, "q14-counts": 4, "q15-assembly-newest-first": 3,
	}
	qs, err := benchkit.LoadQuestions("../testdata/questions")
	if err != nil {
		t.Fatal(err)
	}
	if len(qs) != len(bounds) {
		t.Fatalf("%d product questions, %d bounds: give every question its bound", len(qs), len(bounds))
	}
	run := func(t *testing.T, store model.Store) {
		if err := seed.Load(context.Background(), store); err != nil {
			t.Fatal(err)
		}
		srv := apitest.NewServerWith(t, httpapi.Options{Store: store, StoreCallsExtension: true, AnswerCacheBytes: -1})
		for _, q := range qs {
			query, vars := questionRequest(t, q)
			bound, ok := bounds[q.Name]
			if !ok {
				t.Errorf("%s: no bound", q.Name)
				continue
			}
			_, resp := apitest.Post(t, srv.URL, query, vars)
			if len(resp.Errors) > 0 {
				t.Errorf("%s: errors %+v", q.Name, resp.Errors)
				continue
			}
			calls, _ := resp.Extensions["storeCalls"].(float64)
			waited, ok := resp.Extensions["loaderWindowBatches"].(float64)
			switch {
			case !ok:
				t.Errorf("%s: no loaderWindowBatches in %v", q.Name, resp.Extensions)
			case waited != 0:
				t.Errorf("%s: %v loader batches waited for the window, want none", q.Name, waited)
			}
			if calls < 1 || calls > bound {
				t.Errorf("%s: %v store calls, want 1 to %v", q.Name, calls, bound)
			}
		}
	}
	t.Run("embedded", func(t *testing.T) { run(t, inmem.New()) })
	t.Run("neo4j", func(t *testing.T) { run(t, apitest.OpenNeo4j(t)) })
}
