// Package inmem is the embedded store: a complete, in-process implementation of model.Store
// that keeps the whole knowledge graph in memory.
//
// It is not a mock. It implements every method with the shared semantics written down in
// model.Store and passes the same storetest conformance suite as the Neo4j backend, so the
// server can run without a database (development, tests, small deployments).
//
// Data is copied on the way in and on the way out (with the model's Clone methods): callers
// never share memory with the store, so they may change what they pass in or get back.
//
// A Store is safe for concurrent use: reads share a sync.RWMutex, and Import takes it
// exclusively, checks the whole dataset first and only then applies it, so readers see either
// the graph before an import or the graph after it, never half of one.
package inmem

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"sync"
	"time"

	"github.com/autograph-kg/autograph/graph/model"
)

// Compile-time check that Store implements the storage contract.
var _ model.Store = (*Store)(nil)

// ctxCheckEvery is how many loop iterations pass between two ctx.Err() checks in scans and
// graph walks: often enough to stop promptly, rarely enough to cost nothing measurable.
const ctxCheckEvery = 256

// entityRec is a stored entity with the keys that listings and search need, computed once at
// write time so that reads never normalise text.
type entityRec struct {
	e model.Entity
	// keys are model.SearchKeys(e): the normalised name and aliases.
	keys []string
	// sortKey is model.SortKey(name), the NAME ordering's key.
	sortKey string
}

// sourceRec is a stored source with its precomputed sort keys.
type sourceRec struct {
	s        *model.Source
	titleKey string // model.SortKey(title)
	pubKey   string // publishedOn.Start()
}

// Store is the embedded model.Store. The zero value is not usable; call New.
type Store struct {
	mu     sync.RWMutex
	closed bool
	// now stamps CreatedAt and UpdatedAt; a field so that tests inside the package can pin it.
	now func() time.Time

	// Primary data and the indexes that Import maintains entry by entry.
	entities  map[string]*entityRec
	byKind    map[model.EntityKind]map[string]*entityRec
	sources   map[string]*sourceRec
	relations map[string]*model.Relation
	// byFrom and byTo index relations by endpoint: entity id -> relation id -> relation.
	byFrom map[string]map[string]*model.Relation
	byTo   map[string]map[string]*model.Relation

	// Sorted views, rebuilt after an import that changed something. Keyset pages walk them
	// in order, so a listing is one linear scan with no per-query sort.
	views views
}

// views holds every ordering a listing can ask for.
type views struct {
	// entsByName and entsByID are keyed by kind; the empty kind holds every entity.
	entsByName map[model.EntityKind][]*entityRec
	entsByID   map[model.EntityKind][]*entityRec
	srcByTitle []*sourceRec
	srcByPub   []*sourceRec
	srcByID    []*sourceRec
	relsByID   []*model.Relation
}

// New returns an empty, open store.
func New() *Store {
	s := &Store{
		now:       time.Now,
		entities:  map[string]*entityRec{},
		byKind:    map[model.EntityKind]map[string]*entityRec{},
		sources:   map[string]*sourceRec{},
		relations: map[string]*model.Relation{},
		byFrom:    map[string]map[string]*model.Relation{},
		byTo:      map[string]map[string]*model.Relation{},
	}
	s.rebuildViews()
	return s
}

// ready is the first thing every method does under the lock: a done context or a closed store
// ends the call before any work.
func (s *Store) ready(ctx context.Context, op string) error {
	if err := ctx.Err(); err != nil {
		return fmt.Errorf("%s: %w", op, err)
	}
	if s.closed {
		return fmt.Errorf("%s: %w", op, model.Errorf(model.CodeUnavailable, "the embedded store is closed"))
	}
	return nil
}

// tick checks the context every ctxCheckEvery calls; loops call it once per iteration.
func tick(ctx context.Context, op string, i int) error {
	if i%ctxCheckEvery != 0 {
		return nil
	}
	if err := ctx.Err(); err != nil {
		return fmt.Errorf("%s: %w", op, err)
	}
	return nil
}

// Ping reports whether the store can answer: nil while it is open, UNAVAILABLE once closed.
func (s *Store) Ping(ctx context.Context) error {
	s.mu.RLock()
	defer s.mu.RUnlock()
	return s.ready(ctx, "inmem: ping")
}

// Close releases the graph's memory. After Close every method, Close included, returns
// UNAVAILABLE, as the contract says of a store that cannot answer.
func (s *Store) Close(ctx context.Context) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if err := s.ready(ctx, "inmem: close"); err != nil {
		return err
	}
	s.closed = true
	s.entities, s.byKind, s.sources, s.relations, s.byFrom, s.byTo = nil, nil, nil, nil, nil, nil
	s.views = views{}
	return nil
}

// rebuildViews recomputes every sorted view from the primary maps. Import calls it once per
// import that changed something, never per item.
func (s *Store) rebuildViews() {
	v := views{
		entsByName: map[model.EntityKind][]*entityRec{},
		entsByID:   map[model.EntityKind][]*entityRec{},
	}
	all := make([]*entityRec, 0, len(s.entities))
	for _, r := range s.entities {
		all = append(all, r)
	}
	byName := func(a, b *entityRec) int {
		return cmp.Or(cmp.Compare(a.sortKey, b.sortKey), cmp.Compare(a.e.GetID(), b.e.GetID()))
	}
	byID := func(a, b *entityRec) int { return cmp.Compare(a.e.GetID(), b.e.GetID()) }
	put := func(kind model.EntityKind, recs []*entityRec) {
		n := slices.Clone(recs)
		slices.SortFunc(n, byName)
		i := slices.Clone(recs)
		slices.SortFunc(i, byID)
		v.entsByName[kind], v.entsByID[kind] = n, i
	}
	put("", all)
	for kind, m := range s.byKind {
		recs := make([]*entityRec, 0, len(m))
		for _, r := range m {
			recs = append(recs, r)
		}
		put(kind, recs)
	}

	srcs := make([]*sourceRec, 0, len(s.sources))
	for _, r := range s.sources {
		srcs = append(srcs, r)
	}
	v.srcByID = slices.SortedFunc(slices.Values(srcs), func(a, b *sourceRec) int { return cmp.Compare(a.s.ID, b.s.ID) })
	v.srcByTitle = slices.SortedFunc(slices.Values(srcs), func(a, b *sourceRec) int {
		return cmp.Or(cmp.Compare(a.titleKey, b.titleKey), cmp.Compare(a.s.ID, b.s.ID))
	})
	v.srcByPub = slices.SortedFunc(slices.Values(srcs), func(a, b *sourceRec) int {
		return cmp.Or(cmp.Compare(a.pubKey, b.pubKey), cmp.Compare(a.s.ID, b.s.ID))
	})

	rels := make([]*model.Relation, 0, len(s.relations))
	for _, r := range s.relations {
		rels = append(rels, r)
	}
	slices.SortFunc(rels, byRelationID)
	v.relsByID = rels
	s.views = v
}

// byRelationID orders relations by id, the only relation ordering there is.
func byRelationID(a, b *model.Relation) int { return cmp.Compare(a.ID, b.ID) }

// adjacent calls fn for every relation that touches id, in either direction; a self-loop is
// seen twice (once from each end), which callers that walk the graph ignore because its other
// end is already visited, and callers that collect relations dedupe by id.
func (s *Store) adjacent(id string, fn func(r *model.Relation)) {
	for _, r := range s.byFrom[id] {
		fn(r)
	}
	for _, r := range s.byTo[id] {
		fn(r)
	}
}

// firstOr is the page-size rule: First <= 0 means the default.
func firstOr(first, def int) int {
	if first <= 0 {
		return def
	}
	return first
}
