// Package instrument wraps a model.Store to count its calls per request. The count is the
// embedded store's measure of "database round trips" and lets tests prove that a query over
// many parents costs a bounded number of store calls (no N+1); the server can report it in the
// response's extensions.
package instrument

import (
	"context"
	"sync/atomic"

	"github.com/autograph-kg/autograph/graph/model"
)

// Counter counts store calls made on behalf of one request.
type Counter struct{ n atomic.Int64 }

// Load returns the number of calls counted so far.
func (c *Counter) Load() int64 { return c.n.Load() }

type ctxKey struct{}

// WithCounter returns a context whose store calls are counted by the returned Counter.
func WithCounter(ctx context.Context) (context.Context, *Counter) {
	c := &Counter{}
	return context.WithValue(ctx, ctxKey{}, c), c
}

// CounterFrom returns the request's counter, or nil.
func CounterFrom(ctx context.Context) *Counter {
	c, _ := ctx.Value(ctxKey{}).(*Counter)
	return c
}

// Store counts every call to the wrapped store in the calling request's Counter.
type Store struct {
	model.Store
}

var _ model.Store = (*Store)(nil)

// Wrap returns s wrapped so that its calls are counted.
func Wrap(s model.Store) *Store { return &Store{Store: s} }

func count(ctx context.Context) {
	if c := CounterFrom(ctx); c != nil {
		c.n.Add(1)
	}
}

// Entity implements model.Store.
func (s *Store) Entity(ctx context.Context, id string) (model.Entity, error) {
	count(ctx)
	return s.Store.Entity(ctx, id)
}

// EntitiesByID implements model.Store.
func (s *Store) EntitiesByID(ctx context.Context, ids []string) (map[string]model.Entity, error) {
	count(ctx)
	return s.Store.EntitiesByID(ctx, ids)
}

// Entities implements model.Store.
func (s *Store) Entities(ctx context.Context, q model.EntityQuery) (*model.EntityPage, error) {
	count(ctx)
	return s.Store.Entities(ctx, q)
}

// Source implements model.Store.
func (s *Store) Source(ctx context.Context, id string) (*model.Source, error) {
	count(ctx)
	return s.Store.Source(ctx, id)
}

// SourcesByID implements model.Store.
func (s *Store) SourcesByID(ctx context.Context, ids []string) (map[string]*model.Source, error) {
	count(ctx)
	return s.Store.SourcesByID(ctx, ids)
}

// Sources implements model.Store.
func (s *Store) Sources(ctx context.Context, q model.SourceQuery) (*model.SourcePage, error) {
	count(ctx)
	return s.Store.Sources(ctx, q)
}

// Relation implements model.Store.
func (s *Store) Relation(ctx context.Context, id string) (*model.Relation, error) {
	count(ctx)
	return s.Store.Relation(ctx, id)
}

// Relations implements model.Store.
func (s *Store) Relations(ctx context.Context, q model.RelationQuery) (*model.RelationPage, error) {
	count(ctx)
	return s.Store.Relations(ctx, q)
}

// RelationsOf implements model.Store.
func (s *Store) RelationsOf(ctx context.Context, ids []string, q model.RelationsOfQuery) (map[string]*model.RelationPage, error) {
	count(ctx)
	return s.Store.RelationsOf(ctx, ids, q)
}

// Search implements model.Store.
func (s *Store) Search(ctx context.Context, q model.SearchQuery) ([]model.SearchHit, error) {
	count(ctx)
	return s.Store.Search(ctx, q)
}

// Neighborhood implements model.Store.
func (s *Store) Neighborhood(ctx context.Context, q model.NeighborhoodQuery) (*model.Subgraph, error) {
	count(ctx)
	return s.Store.Neighborhood(ctx, q)
}

// Paths implements model.Store.
func (s *Store) Paths(ctx context.Context, q model.PathQuery) ([]*model.Path, error) {
	count(ctx)
	return s.Store.Paths(ctx, q)
}
