package graph_test

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"os"
	"reflect"
	"strings"
	"sync"
	"testing"

	"github.com/autograph-kg/autograph/graph/httpapi"
	"github.com/autograph-kg/autograph/graph/httpapi/apitest"
	"github.com/autograph-kg/autograph/graph/inmem"
	"github.com/autograph-kg/autograph/graph/model"
	"github.com/autograph-kg/autograph/seed"
)

// queryLog is a store that records the listing queries it is asked.
type queryLog struct {
	model.Store
	mu   sync.Mutex
	seen []string // "relations", "relationsOf" or "entities", with ":count" when CountOnly, ":agg" with an aggregate
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

func (s *queryLog) Entities(ctx context.Context, q model.EntityQuery) (*model.EntityPage, error) {
	what := "entities"
	if q.CountOnly {
		what += ":count"
	}
	if q.Aggregate != nil {
		what += ":agg"
	}
	s.mu.Lock()
	s.seen = append(s.seen, what)
	s.mu.Unlock()
	return s.Store.Entities(ctx, q)
}

func (s *queryLog) RelationsOf(ctx context.Context, ids []string, q model.RelationsOfQuery) (map[string]*model.RelationPage, error) {
	s.note("relationsOf", q.CountOnly, q.Aggregate)
	return s.Store.RelationsOf(ctx, ids, q)
}

// TestCountsReadNoRows checks that a relation or entity connection asked for totalCount or
// aggregate alone reaches the store as a count-only query, and one asked for edges as a page.
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
		{"entity totalCount", `{ brands { totalCount } }`, []string{"entities:count"}},
		{"entity aggregate", `{ organizations { aggregate { countBy(field: COUNTRY) { value count } } } }`, []string{"entities:count:agg"}},
		{"entity edges and aggregate", `{ plants(first: 1) { edges { node { id } } aggregate { count } } }`, []string{"entities:agg"}},
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

// TestReadmeEntityAggregateExample runs the entity aggregate example of the README's
// "Filters, orders and aggregates" section on both stores and compares the answer with the
// one the README shows under it.
func TestReadmeEntityAggregateExample(t *testing.T) {
	readme, err := os.ReadFile("../README.md")
	if err != nil {
		t.Fatal(err)
	}
	_, section, ok := strings.Cut(string(readme), "\n### Filters, orders and aggregates\n")
	if !ok {
		t.Fatal(`README.md has no section "### Filters, orders and aggregates"`)
	}
	section, _, _ = strings.Cut(section, "\n### ")
	_, rest, ok := strings.Cut(section, "\n```graphql\n")
	query, rest, ok2 := strings.Cut(rest, "\n```\n")
	_, rest, ok3 := strings.Cut(rest, "\n```json\n")
	answer, _, ok4 := strings.Cut(rest, "\n```\n")
	if !ok || !ok2 || !ok3 || !ok4 || !strings.Contains(query, "countBy(field: COUNTRY)") {
		t.Fatal("the section shows no entity aggregate query followed by its JSON answer")
	}
	var want any
	if err := json.Unmarshal([]byte(answer), &want); err != nil {
		t.Fatalf("the README's answer: %v", err)
	}
	apitest.EachStore(t, httpapi.Options{}, func(t *testing.T, srv *httptest.Server) {
		status, resp := apitest.Post(t, srv.URL, query, nil)
		if status != http.StatusOK || len(resp.Errors) > 0 {
			t.Fatalf("status %d, errors %+v", status, resp.Errors)
		}
		var got any
		if err := json.Unmarshal(resp.Data, &got); err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(got, want) {
			t.Errorf("answer %s\nthe README shows %s", resp.Data, answer)
		}
	})
}
