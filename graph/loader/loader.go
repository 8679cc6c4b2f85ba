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
//
// An announcement is kept as the values it was made of (news) and turned into groups of keys
// only when its loader is next asked for a key it does not hold: most announcements are of
// keys that no field of the query asks for (a relations page announces its sources whether
// or not the query selects them), and those cost one slice entry instead of their groups.
// The groups are the ones the announcement would have made at once, less the keys asked for
// since, which a group's first ask would have left out anyway.
type Loaders struct {
	store       model.BatchReader
	entities    batcher[string, model.Entity]
	sources     batcher[string, *model.Source]
	relationsOf batcher[relKey, *model.RelationPage]

	// The announcements not yet grouped and the announced groups of each loader, guarded by
	// that loader's mu. The first announcement of each is held in place.
	entityNews, sourceNews []news
	relNews                []entityNews
	entityNews0            [1]news
	sourceNews0            [1]news
	relNews0               [1]entityNews
	entityGroups           map[string]*keyGroup
	sourceGroups           map[string]*keyGroup
	relGroups              map[string]*relGroup

	// queries holds the query behind each relKey.query seen in this request, so that a batch
	// of keys can be turned back into Store.RelationsOf calls. Resolvers add to it
	// concurrently.
	mu      sync.Mutex
	queries []keyedQuery
	// partial holds the entities nested reads brought with some of their fields only
	// (model.Nested.Partial), one set per read, guarded by mu; EntitiesReading serves from
	// it. A request makes few nested reads, so a lookup goes through the sets.
	partial []partialSet
}

// partialSet is the entities a nested read brought of which only fields (with their id and
// kind) were read. The map is the read's own, kept as it came.
type partialSet struct {
	ents   map[string]model.Entity
	fields model.EntityFields
}

// partialEntity is an entity a nested read brought with the fields f or more; mu must be held.
func (l *Loaders) partialEntity(id string, f model.EntityFields) (model.Entity, bool) {
	for _, s := range l.partial {
		if !s.fields.Has(f) {
			continue
		}
		if e, ok := s.ents[id]; ok {
			return e, true
		}
	}
	return nil, false
}

// news is one announcement: the relations, pages, entities or sources whose keys it
// announces (one of them is set). errs, when not nil, holds one error per page, entity or
// source, and one with an error is skipped.
type news struct {
	rels  []*model.Relation
	pages []*model.RelationPage
	ents  []model.Entity
	srcs  []*model.Source
	errs  []error
}

// entityNews is an announcement of entities' relations.
type entityNews struct {
	ents []model.Entity
	errs []error
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
	used []relAsk // the ways asked so far: one or two in practice
}

// relAsk is one way of asking for pages: the query, as its comparable key
// (model.RelationsOfQuery.Key), so that equal queries share a batch, and whether the
// entities at the other ends come too (model.RelationsOfWithEnds), and whether a slim page
// serves (model.TreePages.Slim: only a nested read primes one; a batch fetches whole pages).
type relAsk struct {
	query model.RelationsOfKey
	ends  bool
	slim  bool
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
	l := &Loaders{store: store}
	l.entityNews, l.sourceNews, l.relNews = l.entityNews0[:0], l.sourceNews0[:0], l.relNews0[:0]
	l.entities = batcher[string, model.Entity]{src: entitySource{l}, wait: wait, capacity: model.MaxListSize}
	l.sources = batcher[string, *model.Source]{src: sourceSource{l}, wait: wait, capacity: model.MaxListSize}
	l.relationsOf = batcher[relKey, *model.RelationPage]{src: relationSource{l}, wait: wait, capacity: model.MaxListSize}
	return l
}

// entitySource, sourceSource and relationSource are the sources of the three batchers, each
// one pointer, which an interface holds without an allocation.
type (
	entitySource   struct{ l *Loaders }
	sourceSource   struct{ l *Loaders }
	relationSource struct{ l *Loaders }
)

func (s entitySource) fetch(ctx context.Context, ids []string) ([]model.Entity, []error) {
	if sr, ok := s.l.store.(model.SharedReader); ok {
		vals := make([]model.Entity, len(ids))
		return vals, alignShared(vals, sr.SharedEntitiesByID(ctx, ids, vals))
	}
	got, err := s.l.store.EntitiesByID(ctx, ids)
	return align(ids, got, err)
}

// siblings is called with l.entities.mu held.
func (s entitySource) siblings(id string) []string {
	l := s.l
	return newsSiblings(&l.entities, &l.entityGroups, &l.entityNews, entityBound, entityKeys, id)
}

func (s entitySource) seen(_ []string, ents []model.Entity, errs []error) {
	s.l.sawEntities(ents, errs)
}

func (s sourceSource) fetch(ctx context.Context, ids []string) ([]*model.Source, []error) {
	if sr, ok := s.l.store.(model.SharedReader); ok {
		vals := make([]*model.Source, len(ids))
		return vals, alignShared(vals, sr.SharedSourcesByID(ctx, ids, vals))
	}
	got, err := s.l.store.SourcesByID(ctx, ids)
	return align(ids, got, err)
}

// siblings is called with l.sources.mu held.
func (s sourceSource) siblings(id string) []string {
	l := s.l
	return newsSiblings(&l.sources, &l.sourceGroups, &l.sourceNews, sourceBound, sourceKeys, id)
}

// seen announces the publishers of the sources found.
func (s sourceSource) seen(_ []string, srcs []*model.Source, errs []error) {
	s.l.tellEntities(news{srcs: srcs, errs: errs})
}

func (s relationSource) fetch(ctx context.Context, keys []relKey) ([]*model.RelationPage, []error) {
	return s.l.fetchRelations(ctx, s.l.store, keys)
}

// siblings is called with l.relationsOf.mu held.
func (s relationSource) siblings(k relKey) []relKey {
	l := s.l
	if len(l.relNews) > 0 {
		l.groupRelNews()
	}
	return l.relSiblings(k)
}

// seen announces the endpoints and sources of the relations on the pages found.
func (s relationSource) seen(_ []relKey, pages []*model.RelationPage, errs []error) {
	n := news{pages: pages, errs: errs}
	s.l.tellEntities(n)
	s.l.tellSources(n)
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

// alignShared is align for a model.SharedReader's answer, in vals already: the batch's
// error for every key (and no values), errNotFound for a key the store left nil; nil when
// every key has its value (see failed), as it has in almost every batch.
func alignShared[V comparable](vals []V, err error) []error {
	var errs []error
	var none V
	for i, v := range vals {
		if err == nil && v != none {
			continue
		}
		if errs == nil {
			errs = make([]error, len(vals))
		}
		if err != nil {
			vals[i], errs[i] = none, err
		} else {
			errs[i] = errNotFound
		}
	}
	return errs
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
	if g == nil || slices.Contains(g.used, k.relAsk) {
		return nil
	}
	g.used = append(g.used, k.relAsk)
	out := make([]relKey, len(g.ids))
	for i, id := range g.ids {
		out[i] = relKey{id: id, relAsk: k.relAsk}
	}
	return out
}

// tellEntities adds n to the entity loader's announcements.
func (l *Loaders) tellEntities(n news) {
	l.entities.mu.Lock()
	l.entityNews = append(l.entityNews, n)
	l.entities.mu.Unlock()
}

// tellSources adds n to the source loader's announcements.
func (l *Loaders) tellSources(n news) {
	l.sources.mu.Lock()
	l.sourceNews = append(l.sourceNews, n)
	l.sources.mu.Unlock()
}

// failed says whether the i-th value of an announcement made with errs is to be skipped.
func failed(errs []error, i int) bool { return errs != nil && errs[i] != nil }

// entityBound is at least the number of keys entityKeys appends for n.
func entityBound(n *news) int {
	c := 2*len(n.rels) + len(n.srcs) + len(n.ents)
	for _, p := range n.pages {
		if p != nil {
			c += 2 * len(p.Items)
		}
	}
	return c
}

// entityKeys appends the entity ids n announces, in order: both ends of each relation (a
// query that asks for one end usually asks for the other, and the end a relation was reached
// from is often not cached yet either), the publishers of the sources, the countries of the
// organizations and brands.
func entityKeys(n *news, out []string) []string {
	for _, r := range n.rels {
		out = append(out, r.FromID, r.ToID)
	}
	for i, p := range n.pages {
		if p != nil && !failed(n.errs, i) {
			for _, r := range p.Items {
				out = append(out, r.FromID, r.ToID)
			}
		}
	}
	for i, s := range n.srcs {
		if s != nil && !failed(n.errs, i) && s.PublisherID != "" {
			out = append(out, s.PublisherID)
		}
	}
	for i, e := range n.ents {
		if e == nil || failed(n.errs, i) {
			continue
		}
		switch v := e.(type) {
		case *model.Organization:
			if v.CountryID != "" {
				out = append(out, v.CountryID)
			}
		case *model.Brand:
			if v.CountryID != "" {
				out = append(out, v.CountryID)
			}
		}
	}
	return out
}

// sourceBound is the number of keys sourceKeys appends for n at most.
func sourceBound(n *news) int {
	c := 0
	for _, r := range n.rels {
		c += len(r.SourceIDs)
	}
	for _, p := range n.pages {
		if p != nil {
			for _, r := range p.Items {
				c += len(r.SourceIDs)
			}
		}
	}
	for _, e := range n.ents {
		if e != nil {
			c += len(e.Common().SourceIDs)
		}
	}
	return c
}

// sourceKeys appends the source ids n announces, in order: the sources of the relations,
// then those of the entities.
func sourceKeys(n *news, out []string) []string {
	for _, r := range n.rels {
		out = append(out, r.SourceIDs...)
	}
	for i, p := range n.pages {
		if p != nil && !failed(n.errs, i) {
			for _, r := range p.Items {
				out = append(out, r.SourceIDs...)
			}
		}
	}
	for i, e := range n.ents {
		if e != nil && !failed(n.errs, i) {
			out = append(out, e.Common().SourceIDs...)
		}
	}
	return out
}

// newsSiblings is a loader's siblings of k: the announcements pending (*pending) first become
// groups (*groups), and are then dropped. b.mu is held.
func newsSiblings[V any](b *batcher[string, V], groups *map[string]*keyGroup, pending *[]news, bound func(*news) int, keysOf func(*news, []string) []string, k string) []string {
	if len(*pending) > 0 {
		*groups = groupNews(b, *groups, *pending, bound, keysOf)
		clear(*pending)
		*pending = (*pending)[:0]
	}
	return groupSiblings(*groups, k)
}

// groupNews turns announcements into groups of b's keys, in the order they were made: each
// announcement's keys not yet asked for, in groups of at most b.capacity, each key in its
// latest group. b.mu is held; groups is made when nil and returned. The keys of all the
// groups share one array.
func groupNews[V any](b *batcher[string, V], groups map[string]*keyGroup, all []news, bound func(*news) int, keysOf func(*news, []string) []string) map[string]*keyGroup {
	c := 0
	for i := range all {
		c += bound(&all[i])
	}
	if groups == nil {
		// Made at the size of what is announced: a neighbourhood announces some 300 sources
		// at once, and growing the map to them from empty cost more than grouping them.
		groups = make(map[string]*keyGroup, c)
	}
	buf := make([]string, 0, c)
	for i := range all {
		start := len(buf)
		buf = keysOf(&all[i], buf)
		buf = buf[:start+groupKeys(b, groups, buf[start:])]
	}
	return groups
}

// groupKeys groups the keys of one announcement, compacting ids in place to the keys it
// keeps, which the groups then hold; it returns how many it kept.
func groupKeys[V any](b *batcher[string, V], groups map[string]*keyGroup, ids []string) int {
	var g *keyGroup
	w, start := 0, 0
	for _, id := range ids {
		if _, asked := b.entries[id]; asked {
			continue
		}
		if old := groups[id]; old == g && g != nil {
			continue // a repeat within this announcement
		}
		if g == nil || w-start == b.capacity {
			if g != nil {
				g.keys = ids[start:w:w]
			}
			g, start = &keyGroup{}, w
		}
		ids[w] = id
		w++
		groups[id] = g
	}
	if g != nil {
		g.keys = ids[start:w:w]
	}
	return w
}

// groupRelNews turns the announcements of entities into groups for Store.RelationsOf, at
// most model.MaxListSize ids each; l.relationsOf.mu is held.
func (l *Loaders) groupRelNews() {
	if l.relGroups == nil {
		l.relGroups = map[string]*relGroup{}
	}
	for _, n := range l.relNews {
		ids := make([]string, 0, len(n.ents))
		for i, e := range n.ents {
			if e == nil || failed(n.errs, i) {
				continue
			}
			ids = append(ids, e.GetID())
		}
		for start := 0; start < len(ids); start += model.MaxListSize {
			g := &relGroup{ids: ids[start:min(start+model.MaxListSize, len(ids)):min(start+model.MaxListSize, len(ids))]}
			for _, id := range g.ids {
				l.relGroups[id] = g
			}
		}
	}
	clear(l.relNews)
	l.relNews = l.relNews[:0]
}

// AnnounceRelations tells the loaders that rels are about to be resolved: their endpoints
// and sources are fetched together when the first of them is asked for. Resolvers that read
// relations from the store directly (listings, neighbourhoods, paths) call it; the loaders'
// own batches announce what they load. rels is read when the loaders next need it, and must
// not change meanwhile.
func (l *Loaders) AnnounceRelations(rels []*model.Relation) {
	if len(rels) == 0 {
		return
	}
	n := news{rels: rels}
	l.tellEntities(n)
	l.tellSources(n)
}

// AnnounceEntities tells the loaders that ents are about to be resolved: their relations
// (under any one query), their sources and their countries are each fetched together when
// the first of them is asked for. ents is read when the loaders next need it, and must not
// change meanwhile.
func (l *Loaders) AnnounceEntities(ents []model.Entity) {
	l.sawEntities(ents, nil)
}

// sawEntities announces what the found entities among ents refer to; errs, when not nil,
// holds one error per entity, and an entity with an error is skipped.
func (l *Loaders) sawEntities(ents []model.Entity, errs []error) {
	if len(ents) == 0 {
		return
	}
	n := news{ents: ents, errs: errs}
	l.tellSources(n)
	l.tellEntities(n)
	l.relationsOf.mu.Lock()
	l.relNews = append(l.relNews, entityNews{ents: ents, errs: errs})
	l.relationsOf.mu.Unlock()
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

// keyedQuery is a query the request's loaders have been asked, under its key.
type keyedQuery struct {
	key model.RelationsOfKey
	q   model.RelationsOfQuery
}

// query returns the query a key stands for.
func (l *Loaders) query(k model.RelationsOfKey) model.RelationsOfQuery {
	l.mu.Lock()
	defer l.mu.Unlock()
	if i := l.queryIndex(k); i >= 0 {
		return l.queries[i].q
	}
	return model.RelationsOfQuery{}
}

// queryIndex is the index of k among l.queries, -1 when it is not there; mu is held. A
// request asks a few distinct relation queries (one per relation list field and arguments
// of its selection, bounded by the field limit), so a list searched from the end, where the
// last one asked is, costs less than a map made for every request.
func (l *Loaders) queryIndex(k model.RelationsOfKey) int {
	for i := len(l.queries) - 1; i >= 0; i-- {
		if l.queries[i].key == k {
			return i
		}
	}
	return -1
}

// fetchRelations makes one Store.RelationsOf call per distinct query among the keys (in
// practice one: sibling resolvers ask the same question of different parents), or one
// model.RelationsOfWithEnds call for keys that want the other ends, whose entities then
// fill the entity cache before any waiter wakes.
func (l *Loaders) fetchRelations(ctx context.Context, store model.BatchReader, keys []relKey) ([]*model.RelationPage, []error) {
	pages := make([]*model.RelationPage, len(keys))
	var errs []error // made on the first error (see failed)
	fail := func(i int, err error) {
		if errs == nil {
			errs = make([]error, len(keys))
		}
		errs[i] = err
	}
	for _, g := range groupByAsk(keys) {
		k, idx := g.ask, g.idx
		ids := make([]string, 0, len(idx))
		for _, i := range idx {
			ids = append(ids, keys[i].id)
		}
		var got map[string]*model.RelationPage
		var err error
		if sr, ok := store.(model.SharedReader); ok {
			// What the loaders cache is read-only already: the store's own values do.
			var ends map[string]model.Entity
			got, ends, err = sr.SharedRelationsOf(ctx, ids, l.query(k.query), k.ends)
			if err == nil && k.ends {
				l.primeEntities(ends)
			}
		} else if k.ends {
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
				fail(i, err)
			case !ok || p == nil:
				fail(i, fmt.Errorf("relations of %q: store returned no page", keys[i].id))
			default:
				pages[i] = p
			}
		}
	}
	return pages, errs
}

// askGroup is the indexes of the keys of a batch that ask one way (one query, with or without
// the other ends).
type askGroup struct {
	ask relAsk
	idx []int
}

// groupByAsk groups the indexes of keys by their way of asking, in the order the ways first
// appear. Siblings ask one question of different parents, so a batch is almost always one
// group, which then costs one list of indexes and no map.
func groupByAsk(keys []relKey) []askGroup {
	if len(keys) == 0 {
		return nil
	}
	one := true
	for _, k := range keys[1:] {
		if k.relAsk != keys[0].relAsk {
			one = false
			break
		}
	}
	if one {
		idx := make([]int, len(keys))
		for i := range idx {
			idx[i] = i
		}
		return []askGroup{{ask: keys[0].relAsk, idx: idx}}
	}
	var groups []askGroup
	at := map[relAsk]int{}
	for i, k := range keys {
		g, ok := at[k.relAsk]
		if !ok {
			g = len(groups)
			at[k.relAsk] = g
			groups = append(groups, askGroup{ask: k.relAsk})
		}
		groups[g].idx = append(groups[g].idx, i)
	}
	return groups
}

// With returns a context carrying the loaders.
func With(ctx context.Context, l *Loaders) context.Context {
	return context.WithValue(ctx, Key{}, l)
}

// Key is the context key under which a request carries its loaders: a *Loaders (With), or a
// *Lazy (WithStore, or a context of its own that answers the key with one, as the HTTP
// handler's request scope does, sparing the layer and the allocation).
type Key struct{}

// Lazy is a request's loaders, built when the request first asks for them (For), so that a
// request answered without reading the store (an answer served from the HTTP layer's cache, a
// refused request) does not pay for them. Its zero value is ready for Use.
type Lazy struct {
	once  sync.Once
	store model.BatchReader
	l     *Loaders
}

// Use sets the store the loaders will read; it is called once, before the request runs.
func (z *Lazy) Use(store model.BatchReader) { z.store = store }

// lazy is the context WithStore makes: a Lazy and the context it carries it in.
type lazy struct {
	context.Context
	z Lazy
}

// Value answers the loaders' key with the lazy loaders, and any other from the parent.
func (c *lazy) Value(key any) any {
	if key == (Key{}) {
		return &c.z
	}
	return c.Context.Value(key)
}

// WithStore returns a context carrying loaders over store that are built on first use (For).
func WithStore(ctx context.Context, store model.BatchReader) context.Context {
	c := &lazy{Context: ctx}
	c.z.Use(store)
	return c
}

// For returns the request's loaders. It panics when the request was not given any, which is
// a wiring bug caught by every test.
func For(ctx context.Context) *Loaders {
	switch v := ctx.Value(Key{}).(type) {
	case *Loaders:
		return v
	case *Lazy:
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

// WindowBatches is how many batches the request's loaders have sent because a gathering
// window closed: each one made its callers wait for the window. Batches of announced
// siblings, of a caller outside a list and of a full batch are sent at once and not counted.
// A context without loaders (a subscription's) has sent none.
func WindowBatches(ctx context.Context) int64 {
	if ctx.Value(Key{}) == nil {
		return 0
	}
	l := For(ctx)
	return l.entities.windowed.Load() + l.sources.windowed.Load() + l.relationsOf.windowed.Load()
}

// Entities loads several entities in the order asked, leaving out unknown ids.
func (l *Loaders) Entities(ctx context.Context, ids []string) ([]model.Entity, error) {
	return present(l.entities.load(ctx, ids...))
}

// EntitiesAsked is Entities of exactly ids: nothing announced with them is fetched with them
// (see batcher.loadAsked). For a caller that asks at once for all it reads.
func (l *Loaders) EntitiesAsked(ctx context.Context, ids []string) ([]model.Entity, error) {
	return present(l.entities.loadAsked(ctx, ids...))
}

// SourcesAsked is Sources of exactly ids, as EntitiesAsked.
func (l *Loaders) SourcesAsked(ctx context.Context, ids []string) ([]*model.Source, error) {
	return present(l.sources.loadAsked(ctx, ids...))
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
	return l.relationsOfAsked(ctx, id, q, relAsk{})
}

// RelationsOfWithEnds is RelationsOf for a caller that goes on to load the entities at the
// other ends (the typed relation fields): sibling calls become one
// model.RelationsOfWithEnds call, and those entities are then in the cache, so that
// Entities finds them without a round trip of its own.
func (l *Loaders) RelationsOfWithEnds(ctx context.Context, id string, q model.RelationsOfQuery) (*model.RelationPage, error) {
	return l.relationsOfAsked(ctx, id, q, relAsk{ends: true})
}

// RelatedPage is RelationsOfWithEnds for a caller that reads of the relations on the page only
// their id, type, status and ends (a typed relation list, which shows the entities at the
// other ends): the slim page a nested read primed serves it (model.TreePages.Slim), and
// otherwise a whole page is loaded, batched with its siblings.
func (l *Loaders) RelatedPage(ctx context.Context, id string, q model.RelationsOfQuery) (*model.RelationPage, error) {
	return l.relationsOfAsked(ctx, id, q, relAsk{ends: true, slim: true})
}

// relationsOfAsked is RelationsOf asked in the way ask says (its query is set here).
func (l *Loaders) relationsOfAsked(ctx context.Context, id string, q model.RelationsOfQuery, ask relAsk) (*model.RelationPage, error) {
	ask.query = l.remember(q)
	e := l.relationsOf.loadOne(ctx, relKey{id: id, relAsk: ask})
	return e.val, e.err
}

// remember notes the query behind q's key, for the batch that fetches under it, and returns
// the key.
func (l *Loaders) remember(q model.RelationsOfQuery) model.RelationsOfKey {
	return l.rememberAs(q, "")
}

// rememberAs is remember with q's key given when the caller has it (k == q.Key()), or "".
func (l *Loaders) rememberAs(q model.RelationsOfQuery, k model.RelationsOfKey) model.RelationsOfKey {
	if k == "" {
		k = q.Key()
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.queryIndex(k) < 0 {
		if l.queries == nil {
			l.queries = make([]keyedQuery, 0, 4)
		}
		l.queries = append(l.queries, keyedQuery{key: k, q: q})
	}
	return k
}
