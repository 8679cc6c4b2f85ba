// Package loader batches the store calls of one GraphQL request. Resolvers run concurrently,
// one per parent object; instead of one store call each, they ask a per-request loader, which
// gathers the keys asked for within a short window and makes one batch call
// (Store.EntitiesByID, Store.SourcesByID, Store.RelationsOf). Results are cached for the rest
// of the request, so an entity reached twice is read once.
package loader

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"time"

	"github.com/autograph-kg/autograph/graph/model"
	"github.com/vikstrous/dataloadgen"
)

// wait is how long a loader gathers keys before it calls the store. Sibling resolvers start
// within microseconds of each other, so a few milliseconds catch them all.
const wait = 2 * time.Millisecond

// Loaders are one request's batching loaders. Build a fresh set per request (New); they cache.
type Loaders struct {
	entities    *dataloadgen.Loader[string, model.Entity]
	sources     *dataloadgen.Loader[string, *model.Source]
	relationsOf *dataloadgen.Loader[relKey, *model.RelationPage]

	// queries holds the query behind each relKey.query seen in this request, so that a batch
	// of keys can be turned back into Store.RelationsOf calls. Resolvers add to it
	// concurrently.
	mu      sync.Mutex
	queries map[model.RelationsOfKey]model.RelationsOfQuery
}

// relKey identifies one entity's page of relations under one query. The query is kept as its
// comparable key (model.RelationsOfQuery.Key), so that equal queries share a batch.
type relKey struct {
	id    string
	query model.RelationsOfKey
}

// New builds the loaders of one request over store.
func New(store model.BatchReader) *Loaders {
	opts := []dataloadgen.Option{dataloadgen.WithWait(wait), dataloadgen.WithBatchCapacity(model.MaxListSize)}
	l := &Loaders{
		entities: dataloadgen.NewMappedLoader(func(ctx context.Context, ids []string) (map[string]model.Entity, error) {
			return store.EntitiesByID(ctx, ids)
		}, opts...),
		sources: dataloadgen.NewMappedLoader(func(ctx context.Context, ids []string) (map[string]*model.Source, error) {
			return store.SourcesByID(ctx, ids)
		}, opts...),
		queries: map[model.RelationsOfKey]model.RelationsOfQuery{},
	}
	l.relationsOf = dataloadgen.NewLoader(func(ctx context.Context, keys []relKey) ([]*model.RelationPage, []error) {
		return l.fetchRelations(ctx, store, keys)
	}, opts...)
	return l
}

// query returns the query a key stands for.
func (l *Loaders) query(k model.RelationsOfKey) model.RelationsOfQuery {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.queries[k]
}

// fetchRelations makes one Store.RelationsOf call per distinct query among the keys (in
// practice one: sibling resolvers ask the same question of different parents).
func (l *Loaders) fetchRelations(ctx context.Context, store model.BatchReader, keys []relKey) ([]*model.RelationPage, []error) {
	pages := make([]*model.RelationPage, len(keys))
	errs := make([]error, len(keys))
	byQuery := map[model.RelationsOfKey][]int{}
	var order []model.RelationsOfKey
	for i, k := range keys {
		if _, ok := byQuery[k.query]; !ok {
			order = append(order, k.query)
		}
		byQuery[k.query] = append(byQuery[k.query], i)
	}
	for _, k := range order {
		idx := byQuery[k]
		ids := make([]string, 0, len(idx))
		for _, i := range idx {
			ids = append(ids, keys[i].id)
		}
		got, err := store.RelationsOf(ctx, ids, l.query(k))
		for _, i := range idx {
			switch p, ok := got[keys[i].id]; {
			case err != nil:
				errs[i] = err
			case !ok || p == nil:
				errs[i] = fmt.Errorf("relations of %q: store returned no page", keys[i].id)
			default:
				pages[i] = p
			}
		}
	}
	return pages, errs
}

type ctxKey struct{}

// With returns a context carrying the loaders.
func With(ctx context.Context, l *Loaders) context.Context {
	return context.WithValue(ctx, ctxKey{}, l)
}

// For returns the request's loaders. It panics when the request was not given any, which is
// a wiring bug caught by every test.
func For(ctx context.Context) *Loaders {
	l, ok := ctx.Value(ctxKey{}).(*Loaders)
	if !ok {
		panic("loader: no loaders in context; wrap the handler with httpapi.NewHandler")
	}
	return l
}

// Entity loads one entity; NOT_FOUND for an unknown id.
func (l *Loaders) Entity(ctx context.Context, id string) (model.Entity, error) {
	e, err := l.entities.Load(ctx, id)
	if errors.Is(err, dataloadgen.ErrNotFound) {
		return nil, model.NotFound("entity", id)
	}
	return e, err
}

// Entities loads several entities in the order asked, leaving out unknown ids.
func (l *Loaders) Entities(ctx context.Context, ids []string) ([]model.Entity, error) {
	thunks := make([]func() (model.Entity, error), len(ids))
	for i, id := range ids {
		thunks[i] = l.entities.LoadThunk(ctx, id)
	}
	out := make([]model.Entity, 0, len(ids))
	for _, th := range thunks {
		e, err := th()
		if errors.Is(err, dataloadgen.ErrNotFound) {
			continue
		}
		if err != nil {
			return nil, err
		}
		out = append(out, e)
	}
	return out, nil
}

// Source loads one source; NOT_FOUND for an unknown id.
func (l *Loaders) Source(ctx context.Context, id string) (*model.Source, error) {
	s, err := l.sources.Load(ctx, id)
	if errors.Is(err, dataloadgen.ErrNotFound) {
		return nil, model.NotFound("source", id)
	}
	return s, err
}

// Sources loads several sources in the order asked, leaving out unknown ids.
func (l *Loaders) Sources(ctx context.Context, ids []string) ([]*model.Source, error) {
	thunks := make([]func() (*model.Source, error), len(ids))
	for i, id := range ids {
		thunks[i] = l.sources.LoadThunk(ctx, id)
	}
	out := make([]*model.Source, 0, len(ids))
	for _, th := range thunks {
		s, err := th()
		if errors.Is(err, dataloadgen.ErrNotFound) {
			continue
		}
		if err != nil {
			return nil, err
		}
		out = append(out, s)
	}
	return out, nil
}

// RelationsOf loads one page of an entity's relations; calls for sibling entities with the
// same query (the same model.RelationsOfQuery.Key) become one Store.RelationsOf call.
func (l *Loaders) RelationsOf(ctx context.Context, id string, q model.RelationsOfQuery) (*model.RelationPage, error) {
	k := q.Key()
	l.mu.Lock()
	if _, ok := l.queries[k]; !ok {
		l.queries[k] = q
	}
	l.mu.Unlock()
	return l.relationsOf.Load(ctx, relKey{id: id, query: k})
}
