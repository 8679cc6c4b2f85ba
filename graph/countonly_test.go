package graph_test

import (
	"context"
	"net/http/httptest"
	"sync"
	"testing"

	"github.com/autograph-kg/autograph/graph/httpapi"
	"github.com/autograph-kg/autograph/graph/httpapi/apitest"
	"github.com/autograph-kg/autograph/graph/inmem"
	"github.com/autograph-kg/autograph/graph/model"
	"github.com/autograph-kg/autograph/seed"
)

// queryLog is a store that records the relation queries it is asked.
type queryLog struct {
	model.Store
	mu   sync.Mutex
	seen []string // "relations" or "relationsOf", with ":count" when CountOnly, ":agg" with an aggregate
}

func (s *queryLog) note(what string, countOnly bool, agg *model.AggregateRequest) {
	if countOnly {
		what += ":count"
	}
	if agg != nil {
		what += ":agg"
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.seen = append(s.seen, what)
}

func (s *queryLog) Relations(ctx context.Context, q model.RelationQuery) (*model.RelationPage, error) {
	s.note("relations", q.CountOnly, q.Aggregate)
	return s.Store.Relations(ctx, q)
}

func (s *queryLog) RelationsOf(ctx context.Context, ids []string, q model.RelationsOfQuery) (map[string]*model.RelationPage, error) {
	s.note("relationsOf", q.CountOnly, q.Aggregate)
	return s.Store.RelationsOf(ctx, ids, q)
}

// TestCountsReadNoRows checks that a relation connection asked for totalCount or aggregate
// alone reaches the store as a count-only query, and one asked for edges as a page.
func TestCountsReadNoRows(t *testing.T) {
	store := inmem.New()
	if err := seed.Load(t.Context(), store); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		name, query string
		want        []string
	}{
		{"totalCount", `{ relations { totalCount } }`, []string{"relations:count"}},
		{"aggregate", `{ organization(id: "avtotor") { relations { aggregate { countBy(field: TYPE) { value count } } } } }`, []string{"relationsOf:count:agg"}},
		{"edges", `{ relations(first: 1) { totalCount edges { node { id } } } }`, []string{"relations"}},
		{"pageInfo and aggregate", `{ relations(first: 1) { pageInfo { hasNextPage } aggregate { count } } }`, []string{"relations:agg"}},
	} {
		t.Run(c.name, func(t *testing.T) {
			log := &queryLog{Store: store}
			srv := httptest.NewServer(httpapi.NewHandler(httpapi.Options{Store: log}))
			defer srv.Close()
			_, resp := apitest.Post(t, srv.URL, c.query, nil)
			if len(resp.Errors) > 0 {
				t.Fatalf("errors: %+v", resp.Errors)
			}
			if len(log.seen) != len(c.want) || (len(c.want) > 0 && log.seen[0] != c.want[0]) {
				t.Errorf("store asked %v, want %v", log.seen, c.want)
			}
		})
	}
}
