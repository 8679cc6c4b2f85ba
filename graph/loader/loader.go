package loader

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/autograph-kg/autograph/graph/model"
)

// wait is how long a loader gathers keys before it calls the store, for the keys that were
// neither announced by an earlier batch nor asked for outside a list (see batcher). Sibling
// resolvers start within microseconds of each other, so a few milliseconds catch them all.
const wait = 2 * time.Millisecond

// Loaders are one request's batching loaders. Build a fresh set per request (New); they cache.
//
// Each batch announces what the next level of the query is likely to ask for: the endpoints
// and sources of the relations it loaded, the relations, sources and countries of the
// entities it loaded, the publishers of the sources it loaded. When a resolver then asks for
// one announced key, the whole announced group is fetched in one call at once, so that its
// siblings are served from the cache instead of waiting for a batch to gather.
type Loaders struct {
	entities    *batcher[string, model.Entity]
	sources     *batcher[string, *model.Source]
	relationsOf *batcher[relKey, *model.RelationPage]

	// The announced groups of each loader, guarded by that loader's mu.
	entityGroups map[string]*keyGroup
	sourceGroups map[string]*keyGroup
	relGroups    map[string]*relGroup

	// queries holds the query behind each relKey.query seen in this request, so that a batch
	// of keys can be turned back into Store.RelationsOf calls. Resolvers add to it
	// concurrently.
	mu      sync.Mutex
	queries map[model.RelationsOfKey]model.RelationsOfQuery
}

// keyGroup is a set of keys announced together; used once its first key was asked for and
// the group fetched.
type keyGroup struct {
	keys []string
	used bool
}

// relGroup is a set of entity ids announced together for Store.RelationsOf: the first ask
// under each query (and each way of asking, with or without the other ends) fetches the
// group's pages for that query.
type relGroup struct {
	ids  []string
	used map[relAsk]bool
}

// relAsk is one way of asking for pages: the query, as its comparable key
// (model.RelationsOfQuery.Key), so that equal queries share a batch, and whether the
// entities at the other ends come too (model.RelationsOfWithEnds).
type relAsk struct {
	query model.RelationsOfKey
	ends  bool
}

// relKey identifies one entity's page of relations under one way of asking.
type relKey struct {
	id string
	relAsk
}

// New builds the loaders of one request over store.
func New(store model.BatchReader) *Loaders {
	return newLoaders(store, wait)
}

// newLoaders is New with the gathering window given, for tests.
func newLoaders(store model.BatchReader, wait time.Duration) *Loaders {
	l := &Loaders{
		entityGroups: map[string]*keyGroup{},
		sourceGroups: map[string]*keyGroup{},
		relGroups:    map[string]*relGroup{},
		queries:      map[model.RelationsOfKey]model.RelationsOfQuery{},
	}
	l.entities = newBatcher(wait, model.MaxListSize, func(ctx context.Context, ids []string) ([]model.Entity, []error) {
		got, err := store.EntitiesByID(ctx, ids)
		return align(ids, got, err)
	})
	l.sources = newBatcher(wait, model.MaxListSize, func(ctx context.Context, ids []string) ([]*model.Source, []error) {
		got, err := store.SourcesByID(ctx, ids)
		return align(ids, got, err)
	})
	l.relationsOf = newBatcher(wait, model.MaxListSize, func(ctx context.Context, keys []relKey) ([]*model.RelationPage, []error) {
		return l.fetchRelations(ctx, store, keys)
	})
	l.entities.siblings = func(id string) []string { return groupSiblings(l.entityGroups, id) }
	l.sources.siblings = func(id string) []string { return groupSiblings(l.sourceGroups, id) }
	l.relationsOf.siblings = l.relSiblings
	l.entities.seen = func(_ []string, ents []model.Entity, errs []error) { l.sawEntities(ents, errs) }
	l.sources.seen = func(_ []string, srcs []*model.Source, errs []error) {
		var pubs []string
		for i, s := range srcs {
			if errs[i] == nil && s != nil && s.PublisherID != "" {
				pubs = append(pubs, s.PublisherID)
			}
		}
		announce(l.entities, l.entityGroups, pubs)
	}
	l.relationsOf.seen = func(_ []relKey, pages []*model.RelationPage, errs []error) {
		var rels []*model.Relation
		for i, p := range pages {
			if errs[i] == nil && p != nil {
				rels = append(rels, p.Items...)
			}
		}
		l.AnnounceRelations(rels)
	}
	return l
}

// align turns a mapped batch answer into one value or error per key: the batch's error for
// every key, errNotFound for a key the store did not return.
func align[V any](keys []string, got map[string]V, err error) ([]V, []error) {
	vals := make([]V, len(keys))
	errs := make([]error, len(keys))
	for i, k := range keys {
		v, ok := got[k]
		switch {
		case err != nil:
			errs[i] = err
		case !ok:
			errs[i] = errNotFound
		default:
			vals[i] = v
		}
	}
	return vals, errs
}

// groupSiblings is a batcher's siblings for the groups of one loader; its mu is held.
func groupSiblings(groups map[string]*keyGroup, k string) []string {
	g := groups[k]
	if g == nil || g.used {
		return nil
	}
	g.used = true
	return g.keys
}

// relSiblings is the relations loader's siblings: the pages of k's group under k's query.
func (l *Loaders) relSiblings(k relKey) []relKey {
	g := l.relGroups[k.id]
	if g == nil || g.used[k.relAsk] {
		return nil
	}
	g.used[k.relAsk] = true
	out := make([]relKey, len(g.ids))
	for i, id := range g.ids {
		out[i] = relKey{id: id, relAsk: k.relAsk}
	}
	return out
}

// announce adds ids not yet asked for to b's groups, in groups of at most b.capacity, each id
// in its latest group.
func announce[V any](b *batcher[string, V], groups map[string]*keyGroup, ids []string) {
	if len(ids) == 0 {
		return
	}
	b.mu.Lock()
	defer b.mu.Unlock()
	var g *keyGroup
	for _, id := range ids {
		if _, asked := b.entries[id]; asked {
			continue
		}
		if old := groups[id]; old == g && g != nil {
			continue // a repeat within this announcement
		}
		if g == nil || len(g.keys) == b.capacity {
			g = &keyGroup{}
		}
		g.keys = append(g.keys, id)
		groups[id] = g
	}
}

// AnnounceRelations tells the loaders that rels are about to be resolved: their endpoints
// and sources are fetched together when the first of them is asked for. Resolvers that read
// relations from the store directly (listings, neighbourhoods, paths) call it; the loaders'
// own batches announce what they load.
func (l *Loaders) AnnounceRelations(rels []*model.Relation) {
	if len(rels) == 0 {
		return
	}
	// Both ends in one group: a query that asks for one end usually asks for the other, and
	// the end a relation was reached from is often not cached yet either.
	ends := make([]string, 0, 2*len(rels))
	var srcs []string
	for _, r := range rels {
		ends = append(ends, r.FromID, r.ToID)
		srcs = append(srcs, r.SourceIDs...)
	}
	announce(l.entities, l.entityGroups, ends)
	announce(l.sources, l.sourceGroups, srcs)
}

// AnnounceEntities tells the loaders that ents are about to be resolved: their relations
// (under any one query), their sources and their countries are each fetched together when
// the first of them is asked for.
func (l *Loaders) AnnounceEntities(ents []model.Entity) {
	l.sawEntities(ents, nil)
}

// sawEntities announces what the found entities among ents refer to; errs, when not nil,
// holds one error per entity, and an entity with an error is skipped.
func (l *Loaders) sawEntities(ents []model.Entity, errs []error) {
	ids := make([]string, 0, len(ents))
	var srcs, countries []string
	for i, e := range ents {
		if e == nil || (errs != nil && errs[i] != nil) {
			continue
		}
		c := e.Common()
		ids = append(ids, c.ID)
		srcs = append(srcs, c.SourceIDs...)
		switch v := e.(type) {
		case *model.Organization:
			if v.CountryID != "" {
				countries = append(countries, v.CountryID)
			}
		case *model.Brand:
			if v.CountryID != "" {
				countries = append(countries, v.CountryID)
			}
		}
	}
	announce(l.sources, l.sourceGroups, srcs)
	announce(l.entities, l.entityGroups, countries)
	if len(ids) == 0 {
		return
	}
	l.relationsOf.mu.Lock()
	defer l.relationsOf.mu.Unlock()
	for start := 0; start < len(ids); start += model.MaxListSize {
		g := &relGroup{ids: ids[start:min(start+model.MaxListSize, len(ids))], used: map[relAsk]bool{}}
		for _, id := range g.ids {
			l.relGroups[id] = g
		}
	}
}

// primeEntities caches entities that came with another batch and announces what they refer
// to, as if the entity loader had fetched them itself.
func (l *Loaders) primeEntities(ents map[string]model.Entity) {
	if len(ents) == 0 {
		return
	}
	l.entities.prime(ents)
	list := make([]model.Entity, 0, len(ents))
	for _, e := range ents {
		list = append(list, e)
	}
	slices.SortFunc(list, func(a, b model.Entity) int { return strings.Compare(a.GetID(), b.GetID()) })
	l.sawEntities(list, nil)
}

// query returns the query a key stands for.
func (l *Loaders) query(k model.RelationsOfKey) model.RelationsOfQuery {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.queries[k]
}

// fetchRelations makes one Store.RelationsOf call per distinct query among the keys (in
// practice one: sibling resolvers ask the same question of different parents), or one
// model.RelationsOfWithEnds call for keys that want the other ends, whose entities then
// fill the entity cache before any waiter wakes.
func (l *Loaders) fetchRelations(ctx context.Context, store model.BatchReader, keys []relKey) ([]*model.RelationPage, []error) {
	pages := make([]*model.RelationPage, len(keys))
	errs := make([]error, len(keys))
	byAsk := map[relAsk][]int{}
	var order []relAsk
	for i, k := range keys {
		if _, ok := byAsk[k.relAsk]; !ok {
			order = append(order, k.relAsk)
		}
		byAsk[k.relAsk] = append(byAsk[k.relAsk], i)
	}
	for _, k := range order {
		idx := byAsk[k]
		ids := make([]string, 0, len(idx))
		for _, i := range idx {
			ids = append(ids, keys[i].id)
		}
		var got map[string]*model.RelationPage
		var err error
		if k.ends {
			var ends map[string]model.Entity
			got, ends, err = model.RelationsOfWithEnds(ctx, store, ids, l.query(k.query))
			if err == nil {
				l.primeEntities(ends)
			}
		} else {
			got, err = store.RelationsOf(ctx, ids, l.query(k.query))
		}
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

// lazy is a request's loaders, built when the request first asks for them.
type lazy struct {
	once  sync.Once
	store model.BatchReader
	l     *Loaders
}

// WithStore returns a context carrying loaders over store that are built on first use (For):
// a request answered without reading the store (an answer served from the HTTP layer's
// cache, a refused request) does not pay for them.
func WithStore(ctx context.Context, store model.BatchReader) context.Context {
	return context.WithValue(ctx, ctxKey{}, &lazy{store: store})
}

// For returns the request's loaders. It panics when the request was not given any, which is
// a wiring bug caught by every test.
func For(ctx context.Context) *Loaders {
	switch v := ctx.Value(ctxKey{}).(type) {
	case *Loaders:
		return v
	case *lazy:
		v.once.Do(func() { v.l = New(v.store) })
		return v.l
	}
	panic("loader: no loaders in context; wrap the handler with httpapi.NewHandler")
}

// Entity loads one entity; NOT_FOUND for an unknown id.
func (l *Loaders) Entity(ctx context.Context, id string) (model.Entity, error) {
	e := l.entities.loadOne(ctx, id)
	if errors.Is(e.err, errNotFound) {
		return nil, model.NotFound("entity", id)
	}
	return e.val, e.err
}

// Entities loads several entities in the order asked, leaving out unknown ids.
func (l *Loaders) Entities(ctx context.Context, ids []string) ([]model.Entity, error) {
	return present(l.entities.load(ctx, ids...))
}

// Source loads one source; NOT_FOUND for an unknown id.
func (l *Loaders) Source(ctx context.Context, id string) (*model.Source, error) {
	e := l.sources.loadOne(ctx, id)
	if errors.Is(e.err, errNotFound) {
		return nil, model.NotFound("source", id)
	}
	return e.val, e.err
}

// Sources loads several sources in the order asked, leaving out unknown ids.
func (l *Loaders) Sources(ctx context.Context, ids []string) ([]*model.Source, error) {
	return present(l.sources.load(ctx, ids...))
}

// present is the values of the entries that were found, in order, or the first error.
func present[V any](ents []*entry[V]) ([]V, error) {
	out := make([]V, 0, len(ents))
	for _, e := range ents {
		if errors.Is(e.err, errNotFound) {
			continue
		}
		if e.err != nil {
			return nil, e.err
		}
		out = append(out, e.val)
	}
	return out, nil
}

// RelationsOf loads one page of an entity's relations; calls for sibling entities with the
// same query (the same model.RelationsOfQuery.Key) become one Store.RelationsOf call.
func (l *Loaders) RelationsOf(ctx context.Context, id string, q model.RelationsOfQuery) (*model.RelationPage, error) {
	return l.relationsOfAsked(ctx, id, q, false)
}

// RelationsOfWithEnds is RelationsOf for a caller that goes on to load the entities at the
// other ends (the typed relation fields): sibling calls become one
// model.RelationsOfWithEnds call, and those entities are then in the cache, so that
// Entities finds them without a round trip of its own.
func (l *Loaders) RelationsOfWithEnds(ctx context.Context, id string, q model.RelationsOfQuery) (*model.RelationPage, error) {
	return l.relationsOfAsked(ctx, id, q, true)
}

// relationsOfAsked is RelationsOf, with ends RelationsOfWithEnds.
func (l *Loaders) relationsOfAsked(ctx context.Context, id string, q model.RelationsOfQuery, ends bool) (*model.RelationPage, error) {
	k := q.Key()
	l.mu.Lock()
	if _, ok := l.queries[k]; !ok {
		l.queries[k] = q
	}
	l.mu.Unlock()
	e := l.relationsOf.loadOne(ctx, relKey{id: id, relAsk: relAsk{query: k, ends: ends}})
	return e.val, e.err
}
