package httpapi_test

import (
	"context"
	"net/http"
	"sync/atomic"
	"testing"
	"time"

	"github.com/autograph-kg/autograph/graph/httpapi"
	"github.com/autograph-kg/autograph/graph/httpapi/apitest"
	"github.com/autograph-kg/autograph/graph/inmem"
	"github.com/autograph-kg/autograph/graph/model"
	"github.com/autograph-kg/autograph/seed"
)

// flakyStore is a store whose backend can be switched off and on, as a database that goes
// away and comes back: while down, every call fails at once with UNAVAILABLE.
type flakyStore struct {
	*inmem.Store
	down atomic.Bool
}

func (s *flakyStore) err() error {
	if s.down.Load() {
		return model.Errorf(model.CodeUnavailable, "the graph database cannot be reached; try again shortly")
	}
	return nil
}

func (s *flakyStore) Ping(ctx context.Context) error {
	if err := s.err(); err != nil {
		return err
	}
	return s.Store.Ping(ctx)
}

func (s *flakyStore) Entity(ctx context.Context, id string) (model.Entity, error) {
	if err := s.err(); err != nil {
		return nil, err
	}
	return s.Store.Entity(ctx, id)
}

func (s *flakyStore) EntitiesByID(ctx context.Context, ids []string) (map[string]model.Entity, error) {
	if err := s.err(); err != nil {
		return nil, err
	}
	return s.Store.EntitiesByID(ctx, ids)
}

func (s *flakyStore) Paths(ctx context.Context, q model.PathQuery) ([]*model.Path, error) {
	if err := s.err(); err != nil {
		return nil, err
	}
	return s.Store.Paths(ctx, q)
}

// TestStoreOutage checks what clients see while the store is down: fast UNAVAILABLE errors
// and a 503 from /readyz, then normal answers once it is back, with nothing to restart.
func TestStoreOutage(t *testing.T) {
	mem := inmem.New()
	if err := seed.Load(context.Background(), mem); err != nil {
		t.Fatal(err)
	}
	store := &flakyStore{Store: mem}
	srv := apitest.NewServerWith(t, httpapi.Options{Store: store})
	ready := func() int {
		resp, err := http.Get(srv.URL + "/readyz")
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		return resp.StatusCode
	}
	query := `{ organization(id: "avtotor") { name } paths(from: "avtotor", to: "kia") { length } }`

	if code := ready(); code != http.StatusOK {
		t.Fatalf("/readyz = %d before the outage", code)
	}
	store.down.Store(true)
	if code := ready(); code != http.StatusServiceUnavailable {
		t.Errorf("/readyz = %d during the outage, want 503", code)
	}
	start := time.Now()
	status, resp := apitest.Post(t, srv.URL, query, nil)
	took := time.Since(start)
	if status >= 500 || len(resp.Errors) == 0 {
		t.Fatalf("status %d, errors %+v", status, resp.Errors)
	}
	for _, e := range resp.Errors {
		if e.Code() != "UNAVAILABLE" {
			t.Errorf("error %+v, want UNAVAILABLE", e)
		}
	}
	t.Logf("failed in %v during the outage", took)

	store.down.Store(false)
	if code := ready(); code != http.StatusOK {
		t.Errorf("/readyz = %d after the outage", code)
	}
	_, resp = apitest.Post(t, srv.URL, query, nil)
	if len(resp.Errors) > 0 || string(resp.Data) != `{"organization":{"name":"Avtotor"},"paths":[{"length":1}]}` {
		t.Errorf("after the outage: data %s errors %+v", resp.Data, resp.Errors)
	}
}

// TestRequestDeadline checks that a request running past its deadline is stopped with
// TIMEOUT instead of hanging.
func TestRequestDeadline(t *testing.T) {
	mem := inmem.New()
	if err := seed.Load(context.Background(), mem); err != nil {
		t.Fatal(err)
	}
	for _, wrap := range []bool{false, true} {
		srv := apitest.NewServerWith(t, httpapi.Options{Store: slowStore{Store: mem, wrap: wrap}, RequestTimeout: 50 * time.Millisecond})
		_, resp := apitest.Post(t, srv.URL, `{ paths(from: "avtotor", to: "kia") { length } }`, nil)
		if len(resp.Errors) != 1 || resp.Errors[0].Code() != "TIMEOUT" {
			t.Errorf("wrapped %v: errors %+v, want one TIMEOUT", wrap, resp.Errors)
		}
	}
}

// slowStore answers Paths only when the caller's context ends, as a stuck database would;
// like the Neo4j store, it may wrap the context's error in an UNAVAILABLE domain error.
type slowStore struct {
	*inmem.Store
	wrap bool
}

func (s slowStore) Paths(ctx context.Context, _ model.PathQuery) ([]*model.Path, error) {
	<-ctx.Done()
	if s.wrap {
		return nil, &model.Error{Code: model.CodeUnavailable, Message: "the graph database did not answer", Err: ctx.Err()}
	}
	return nil, ctx.Err()
}
