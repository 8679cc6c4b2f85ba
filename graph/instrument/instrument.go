// Package instrument observes the server: it wraps a model.Store to count and time its calls
// (per request, for the "no N+1" checks and the storeCalls extension, and in Prometheus
// metrics), and holds the Prometheus collectors of the GraphQL layer.
package instrument

import (
	"context"
	"sync/atomic"
	"time"

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

// Store counts every call to the wrapped store in the calling request's Counter, and in
// metrics when it has them.
type Store struct {
	model.Store
	metrics *Metrics
}

var _ model.Store = (*Store)(nil)

// Wrap returns s wrapped so that its calls are counted; m may be nil.
func Wrap(s model.Store, m *Metrics) *Store { return &Store{Store: s, metrics: m} }

// begin counts a call and returns the function that records its outcome.
func (s *Store) begin(ctx context.Context, method string) func(error) {
	if c := CounterFrom(ctx); c != nil {
		c.n.Add(1)
	}
	if s.metrics == nil {
		return func(error) {}
	}
	start := time.Now()
	return func(err error) {
		code := "OK"
		if err != nil {
			code = string(model.ErrorCode(err))
		}
		s.metrics.storeCalls.WithLabelValues(method, code).Inc()
		s.metrics.storeSeconds.WithLabelValues(method).Observe(time.Since(start).Seconds())
	}
}

// Entity implements model.Store.
func (s *Store) Entity(ctx context.Context, id string) (model.Entity, error) {
	done := s.begin(ctx, "Entity")
	v, err := s.Store.Entity(ctx, id)
	done(err)
	return v, err
}

// EntitiesByID implements model.Store.
func (s *Store) EntitiesByID(ctx context.Context, ids []string) (map[string]model.Entity, error) {
	done := s.begin(ctx, "EntitiesByID")
	v, err := s.Store.EntitiesByID(ctx, ids)
	done(err)
	return v, err
}

// Entities implements model.Store.
func (s *Store) Entities(ctx context.Context, q model.EntityQuery) (*model.EntityPage, error) {
	done := s.begin(ctx, "Entities")
	v, err := s.Store.Entities(ctx, q)
	done(err)
	return v, err
}

// Source implements model.Store.
func (s *Store) Source(ctx context.Context, id string) (*model.Source, error) {
	done := s.begin(ctx, "Source")
	v, err := s.Store.Source(ctx, id)
	done(err)
	return v, err
}

// SourcesByID implements model.Store.
func (s *Store) SourcesByID(ctx context.Context, ids []string) (map[string]*model.Source, error) {
	done := s.begin(ctx, "SourcesByID")
	v, err := s.Store.SourcesByID(ctx, ids)
	done(err)
	return v, err
}

// Sources implements model.Store.
func (s *Store) Sources(ctx context.Context, q model.SourceQuery) (*model.SourcePage, error) {
	done := s.begin(ctx, "Sources")
	v, err := s.Store.Sources(ctx, q)
	done(err)
	return v, err
}

// Relation implements model.Store.
func (s *Store) Relation(ctx context.Context, id string) (*model.Relation, error) {
	done := s.begin(ctx, "Relation")
	v, err := s.Store.Relation(ctx, id)
	done(err)
	return v, err
}

// Relations implements model.Store.
func (s *Store) Relations(ctx context.Context, q model.RelationQuery) (*model.RelationPage, error) {
	done := s.begin(ctx, "Relations")
	v, err := s.Store.Relations(ctx, q)
	done(err)
	return v, err
}

// RelationsOf implements model.Store.
func (s *Store) RelationsOf(ctx context.Context, ids []string, q model.RelationsOfQuery) (map[string]*model.RelationPage, error) {
	done := s.begin(ctx, "RelationsOf")
	v, err := s.Store.RelationsOf(ctx, ids, q)
	done(err)
	return v, err
}

// Search implements model.Store.
func (s *Store) Search(ctx context.Context, q model.SearchQuery) ([]model.SearchHit, error) {
	done := s.begin(ctx, "Search")
	v, err := s.Store.Search(ctx, q)
	done(err)
	return v, err
}

// Neighborhood implements model.Store.
func (s *Store) Neighborhood(ctx context.Context, q model.NeighborhoodQuery) (*model.Subgraph, error) {
	done := s.begin(ctx, "Neighborhood")
	v, err := s.Store.Neighborhood(ctx, q)
	done(err)
	return v, err
}

// Paths implements model.Store.
func (s *Store) Paths(ctx context.Context, q model.PathQuery) ([]*model.Path, error) {
	done := s.begin(ctx, "Paths")
	v, err := s.Store.Paths(ctx, q)
	done(err)
	return v, err
}

// UpsertEntity implements model.Writer.
func (s *Store) UpsertEntity(ctx context.Context, e model.Entity) (model.Entity, error) {
	done := s.begin(ctx, "UpsertEntity")
	v, err := s.Store.UpsertEntity(ctx, e)
	done(err)
	return v, err
}

// UpsertSource implements model.Writer.
func (s *Store) UpsertSource(ctx context.Context, src *model.Source) (*model.Source, error) {
	done := s.begin(ctx, "UpsertSource")
	v, err := s.Store.UpsertSource(ctx, src)
	done(err)
	return v, err
}

// AddRelation implements model.Writer.
func (s *Store) AddRelation(ctx context.Context, r *model.Relation) (*model.Relation, error) {
	done := s.begin(ctx, "AddRelation")
	v, err := s.Store.AddRelation(ctx, r)
	done(err)
	return v, err
}

// UpdateRelation implements model.Writer.
func (s *Store) UpdateRelation(ctx context.Context, r *model.Relation) (*model.Relation, error) {
	done := s.begin(ctx, "UpdateRelation")
	v, err := s.Store.UpdateRelation(ctx, r)
	done(err)
	return v, err
}

// RemoveRelation implements model.Writer.
func (s *Store) RemoveRelation(ctx context.Context, id string) error {
	done := s.begin(ctx, "RemoveRelation")
	err := s.Store.RemoveRelation(ctx, id)
	done(err)
	return err
}

// DeleteEntity implements model.Writer.
func (s *Store) DeleteEntity(ctx context.Context, id string) (int, error) {
	done := s.begin(ctx, "DeleteEntity")
	v, err := s.Store.DeleteEntity(ctx, id)
	done(err)
	return v, err
}
