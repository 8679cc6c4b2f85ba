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

// CounterKey is the context key under which a request carries its *Counter. WithCounter
// adds one; a context of its own that answers the key (the HTTP handler's request scope) holds
// the counter in place instead, sparing the layer and the allocation.
type CounterKey struct{}

// WithCounter returns a context whose store calls are counted by the returned Counter.
func WithCounter(ctx context.Context) (context.Context, *Counter) {
	c := &Counter{}
	return context.WithValue(ctx, CounterKey{}, c), c
}

// CounterFrom returns the request's counter, or nil.
func CounterFrom(ctx context.Context) *Counter {
	c, _ := ctx.Value(CounterKey{}).(*Counter)
	return c
}

// Store counts every call to the wrapped store in the calling request's Counter, and in
// metrics when it has them.
//
// It holds the wrapped store in an unexported field instead of embedding it, and forwards each
// method explicitly. An embedded interface would forward a method added to model.Store later
// without counting it; here such a method leaves Store short of model.Store, and the assertion
// below stops the build until the method is forwarded through call.
type Store struct {
	inner   model.Store
	metrics *Metrics
}

var (
	_ model.Store      = (*Store)(nil)
	_ model.EndsReader = (*Store)(nil)
)

// Wrap returns s wrapped so that its calls are counted; m may be nil.
func Wrap(s model.Store, m *Metrics) *Store { return &Store{inner: s, metrics: m} }

// begin counts a call, and returns when it started when it is timed (with metrics).
func (s *Store) begin(ctx context.Context) time.Time {
	if c := CounterFrom(ctx); c != nil {
		c.n.Add(1)
	}
	if s.metrics == nil {
		return time.Time{}
	}
	return time.Now()
}

// end records the outcome of a call of the named method that began at start.
func (s *Store) end(method string, start time.Time, err error) {
	if s.metrics == nil {
		return
	}
	code := "OK"
	if err != nil {
		code = string(model.ErrorCode(err))
	}
	s.metrics.storeCalls.WithLabelValues(method, code).Inc()
	s.metrics.storeSeconds.WithLabelValues(method).Observe(time.Since(start).Seconds())
}

// call counts and times one call of the named method.
func call[T any](ctx context.Context, s *Store, method string, f func() (T, error)) (T, error) {
	start := s.begin(ctx)
	v, err := f()
	s.end(method, start, err)
	return v, err
}

// callErr is call for the methods that return only an error.
func callErr(ctx context.Context, s *Store, method string, f func() error) error {
	start := s.begin(ctx)
	err := f()
	s.end(method, start, err)
	return err
}

// Entity implements model.Reader.
func (s *Store) Entity(ctx context.Context, id string) (model.Entity, error) {
	return call(ctx, s, "Entity", func() (model.Entity, error) { return s.inner.Entity(ctx, id) })
}

// EntitiesByID implements model.BatchReader.
func (s *Store) EntitiesByID(ctx context.Context, ids []string) (map[string]model.Entity, error) {
	return call(ctx, s, "EntitiesByID", func() (map[string]model.Entity, error) { return s.inner.EntitiesByID(ctx, ids) })
}

// Entities implements model.Reader.
func (s *Store) Entities(ctx context.Context, q model.EntityQuery) (*model.EntityPage, error) {
	return call(ctx, s, "Entities", func() (*model.EntityPage, error) { return s.inner.Entities(ctx, q) })
}

// Source implements model.Reader.
func (s *Store) Source(ctx context.Context, id string) (*model.Source, error) {
	return call(ctx, s, "Source", func() (*model.Source, error) { return s.inner.Source(ctx, id) })
}

// SourcesByID implements model.BatchReader.
func (s *Store) SourcesByID(ctx context.Context, ids []string) (map[string]*model.Source, error) {
	return call(ctx, s, "SourcesByID", func() (map[string]*model.Source, error) { return s.inner.SourcesByID(ctx, ids) })
}

// Sources implements model.Reader.
func (s *Store) Sources(ctx context.Context, q model.SourceQuery) (*model.SourcePage, error) {
	return call(ctx, s, "Sources", func() (*model.SourcePage, error) { return s.inner.Sources(ctx, q) })
}

// Relation implements model.Reader.
func (s *Store) Relation(ctx context.Context, id string) (*model.Relation, error) {
	return call(ctx, s, "Relation", func() (*model.Relation, error) { return s.inner.Relation(ctx, id) })
}

// Relations implements model.Reader.
func (s *Store) Relations(ctx context.Context, q model.RelationQuery) (*model.RelationPage, error) {
	return call(ctx, s, "Relations", func() (*model.RelationPage, error) { return s.inner.Relations(ctx, q) })
}

// RelationsOf implements model.BatchReader.
func (s *Store) RelationsOf(ctx context.Context, ids []string, q model.RelationsOfQuery) (map[string]*model.RelationPage, error) {
	return call(ctx, s, "RelationsOf", func() (map[string]*model.RelationPage, error) { return s.inner.RelationsOf(ctx, ids, q) })
}

// RelationsOfWithEnds implements model.EndsReader: one counted call when the wrapped store
// has the method, else RelationsOf and EntitiesByID through this wrapper, each counted.
func (s *Store) RelationsOfWithEnds(ctx context.Context, ids []string, q model.RelationsOfQuery) (map[string]*model.RelationPage, map[string]model.Entity, error) {
	er, ok := s.inner.(model.EndsReader)
	if !ok {
		return model.RelationsOfWithEnds(ctx, storeWithoutEnds{s}, ids, q)
	}
	type both struct {
		pages map[string]*model.RelationPage
		ends  map[string]model.Entity
	}
	got, err := call(ctx, s, "RelationsOfWithEnds", func() (both, error) {
		p, e, err := er.RelationsOfWithEnds(ctx, ids, q)
		return both{p, e}, err
	})
	return got.pages, got.ends, err
}

// storeWithoutEnds hides Store's RelationsOfWithEnds, so that model.RelationsOfWithEnds takes
// its fallback through the counted methods instead of calling back into Store.
type storeWithoutEnds struct{ s *Store }

func (w storeWithoutEnds) EntitiesByID(ctx context.Context, ids []string) (map[string]model.Entity, error) {
	return w.s.EntitiesByID(ctx, ids)
}

func (w storeWithoutEnds) SourcesByID(ctx context.Context, ids []string) (map[string]*model.Source, error) {
	return w.s.SourcesByID(ctx, ids)
}

func (w storeWithoutEnds) RelationsOf(ctx context.Context, ids []string, q model.RelationsOfQuery) (map[string]*model.RelationPage, error) {
	return w.s.RelationsOf(ctx, ids, q)
}

// Search implements model.Reader.
func (s *Store) Search(ctx context.Context, q model.SearchQuery) ([]model.SearchHit, error) {
	return call(ctx, s, "Search", func() ([]model.SearchHit, error) { return s.inner.Search(ctx, q) })
}

// Neighborhood implements model.Reader.
func (s *Store) Neighborhood(ctx context.Context, q model.NeighborhoodQuery) (*model.Subgraph, error) {
	return call(ctx, s, "Neighborhood", func() (*model.Subgraph, error) { return s.inner.Neighborhood(ctx, q) })
}

// Paths implements model.Reader.
func (s *Store) Paths(ctx context.Context, q model.PathQuery) ([]*model.Path, error) {
	return call(ctx, s, "Paths", func() ([]*model.Path, error) { return s.inner.Paths(ctx, q) })
}

// UpsertEntity implements model.Writer.
func (s *Store) UpsertEntity(ctx context.Context, e model.Entity) (model.Entity, error) {
	return call(ctx, s, "UpsertEntity", func() (model.Entity, error) { return s.inner.UpsertEntity(ctx, e) })
}

// UpsertSource implements model.Writer.
func (s *Store) UpsertSource(ctx context.Context, src *model.Source) (*model.Source, error) {
	return call(ctx, s, "UpsertSource", func() (*model.Source, error) { return s.inner.UpsertSource(ctx, src) })
}

// AddRelation implements model.Writer.
func (s *Store) AddRelation(ctx context.Context, r *model.Relation) (*model.Relation, error) {
	return call(ctx, s, "AddRelation", func() (*model.Relation, error) { return s.inner.AddRelation(ctx, r) })
}

// UpdateRelation implements model.Writer.
func (s *Store) UpdateRelation(ctx context.Context, r *model.Relation) (*model.Relation, error) {
	return call(ctx, s, "UpdateRelation", func() (*model.Relation, error) { return s.inner.UpdateRelation(ctx, r) })
}

// RemoveRelation implements model.Writer.
func (s *Store) RemoveRelation(ctx context.Context, id string) error {
	return callErr(ctx, s, "RemoveRelation", func() error { return s.inner.RemoveRelation(ctx, id) })
}

// DeleteEntity implements model.Writer.
func (s *Store) DeleteEntity(ctx context.Context, id string) (int, error) {
	return call(ctx, s, "DeleteEntity", func() (int, error) { return s.inner.DeleteEntity(ctx, id) })
}

// Import implements model.Importer.
func (s *Store) Import(ctx context.Context, d *model.Dataset) error {
	return callErr(ctx, s, "Import", func() error { return s.inner.Import(ctx, d) })
}

// Revisions implements model.History.
func (s *Store) Revisions(ctx context.Context, q model.RevisionQuery) (*model.RevisionPage, error) {
	return call(ctx, s, "Revisions", func() (*model.RevisionPage, error) { return s.inner.Revisions(ctx, q) })
}

// Changes implements model.History.
func (s *Store) Changes(ctx context.Context, number int64, ids []string) ([]model.Change, error) {
	return call(ctx, s, "Changes", func() ([]model.Change, error) { return s.inner.Changes(ctx, number, ids) })
}

// PriorStates implements model.History.
func (s *Store) PriorStates(ctx context.Context, number int64, ids []string) (map[string]model.Item, error) {
	return call(ctx, s, "PriorStates", func() (map[string]model.Item, error) { return s.inner.PriorStates(ctx, number, ids) })
}

// RevisionAt implements model.History.
func (s *Store) RevisionAt(ctx context.Context, t time.Time) (int64, error) {
	return call(ctx, s, "RevisionAt", func() (int64, error) { return s.inner.RevisionAt(ctx, t) })
}

// HistoryBounds implements model.History.
func (s *Store) HistoryBounds(ctx context.Context) (model.HistoryBounds, error) {
	return call(ctx, s, "HistoryBounds", func() (model.HistoryBounds, error) { return s.inner.HistoryBounds(ctx) })
}

// Prune implements model.History.
func (s *Store) Prune(ctx context.Context, before time.Time) (int, error) {
	return call(ctx, s, "Prune", func() (int, error) { return s.inner.Prune(ctx, before) })
}

// Ping implements model.Lifecycle.
func (s *Store) Ping(ctx context.Context) error {
	return callErr(ctx, s, "Ping", func() error { return s.inner.Ping(ctx) })
}

// Close implements model.Lifecycle.
func (s *Store) Close(ctx context.Context) error {
	return callErr(ctx, s, "Close", func() error { return s.inner.Close(ctx) })
}
