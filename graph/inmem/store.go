package inmem

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"sync"
	"time"

	bolt "go.etcd.io/bbolt"

	"github.com/autograph-kg/autograph/graph/model"
)

// Compile-time checks that Store implements the storage contract and its write half.
var (
	_ model.Store  = (*Store)(nil)
	_ model.Writer = (*Store)(nil)
)

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
	// slot is the record's compact id in the search index (searchIndex.recs). Unlike the
	// other fields it is set by the index, under the write lock of mu, when the record is
	// indexed or the index is rebuilt.
	slot uint32
}

// sourceRec is a stored source with its precomputed sort keys.
type sourceRec struct {
	s        *model.Source
	titleKey string // model.SortKey(title)
	pubKey   string // publishedOn.Start()
}

// Store is the embedded model.Store and model.Writer. The zero value is not usable; call New
// or Open.
type Store struct {
	// wmu is the write lock: it serializes writes (Writer methods, Import, Close), which read
	// the graph while holding it alone (no one else changes it) and take mu only to apply.
	wmu sync.Mutex
	// mu guards the in-memory graph: readers share it, a write holds it while applying.
	mu sync.RWMutex
	// closed is set by Close under both locks, so either one is enough to read it.
	closed bool
	// now stamps CreatedAt and UpdatedAt; a field so that tests inside the package can pin it.
	// Use stamp, which gives it the precision the store keeps.
	now func() time.Time
	// db is the file every write is committed to before it is applied; nil for New's stores.
	db *bolt.DB

	// Primary data and the indexes that every write maintains entry by entry.
	entities  map[string]*entityRec
	byKind    map[model.EntityKind]map[string]*entityRec
	sources   map[string]*sourceRec
	relations map[string]*model.Relation
	// byFrom and byTo index relations by endpoint: entity id -> its relations, in id order
	// (adjacency.go).
	byFrom adjacency
	byTo   adjacency
	// loops counts, for each entity with self-loops, how many it has: they are in both of
	// its lists, and a page of all its relations counts them once without merging the lists.
	loops map[string]int
	// nbrs caches, for the entities with most relations, their relations in other-end order
	// (neighbours.go), built as neighbourhoods walk them and dropped as writes change them.
	nbrs neighbourCache

	// Sorted views, patched by small writes and rebuilt after large ones (see apply). Keyset
	// pages walk them in order, so a listing is one linear scan with no per-query sort.
	views views
	// search is the trigram index of the entities' search keys, maintained like the views.
	search searchIndex

	// hist is the store's history (history.go): its bounds, and the revisions themselves when
	// there is no file. It is the store's own, not the graph's: adopt keeps it.
	hist histState
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
		now:       func() time.Time { return time.Now().UTC() },
		entities:  map[string]*entityRec{},
		byKind:    map[model.EntityKind]map[string]*entityRec{},
		sources:   map[string]*sourceRec{},
		relations: map[string]*model.Relation{},
		byFrom:    adjacency{},
		byTo:      adjacency{},
		loops:     map[string]int{},
	}
	s.rebuildViews()
	s.search.rebuild(nil)
	return s
}

// stamp is the time to record as CreatedAt or UpdatedAt (model.Timestamp).
func (s *Store) stamp() time.Time { return model.Timestamp(s.now()) }

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

// Close releases the graph's memory and closes the file, if any. After Close every method,
// Close included, returns UNAVAILABLE, as the contract says of a store that cannot answer.
// Close waits for a write in progress to finish.
func (s *Store) Close(ctx context.Context) error {
	const op = "inmem: close"
	s.wmu.Lock()
	defer s.wmu.Unlock()
	s.mu.Lock()
	if err := s.ready(ctx, op); err != nil {
		s.mu.Unlock()
		return err
	}
	s.closed = true
	s.entities, s.byKind, s.sources, s.relations, s.byFrom, s.byTo, s.loops = nil, nil, nil, nil, nil, nil, nil
	s.nbrs.reset()
	s.views = views{}
	s.search = searchIndex{}
	s.mu.Unlock()
	// Readers already see a closed store; only the file is left, and no write can start.
	if s.db != nil {
		if err := s.db.Close(); err != nil {
			return fmt.Errorf("%s: %w", op, &model.Error{Code: model.CodeInternal, Message: "closing the data file failed", Err: err})
		}
	}
	return nil
}

// The orderings of the views. Every one ends with the id, so it is total and a row has
// exactly one place in a view: that is what lets a write patch a view by binary search.
func entityByName(a, b *entityRec) int {
	return cmp.Or(cmp.Compare(a.sortKey, b.sortKey), cmp.Compare(a.e.GetID(), b.e.GetID()))
}

func entityByID(a, b *entityRec) int { return cmp.Compare(a.e.GetID(), b.e.GetID()) }

func sourceByTitle(a, b *sourceRec) int {
	return cmp.Or(cmp.Compare(a.titleKey, b.titleKey), cmp.Compare(a.s.ID, b.s.ID))
}

func sourceByPub(a, b *sourceRec) int {
	return cmp.Or(cmp.Compare(a.pubKey, b.pubKey), cmp.Compare(a.s.ID, b.s.ID))
}

func sourceByID(a, b *sourceRec) int { return cmp.Compare(a.s.ID, b.s.ID) }

// byRelationID orders relations by id, the only relation ordering there is.
func byRelationID(a, b *model.Relation) int { return cmp.Compare(a.ID, b.ID) }

// rebuildViews recomputes every sorted view from the primary maps. A write that changes many
// items (an import) calls it once at the end; a small write patches the views instead (see
// change.go), which costs a copy of each view rather than a sort.
func (s *Store) rebuildViews() { s.rebuildViewsContext(context.Background()) }

// rebuildViewsContext is rebuildViews that stops between two sorts when ctx is done, leaving
// the views as they were, and reports whether it finished.
func (s *Store) rebuildViewsContext(ctx context.Context) bool {
	return s.rebuildViewsFrom(ctx, nil, nil)
}

// rebuildViewsFrom is rebuildViewsContext given the records of a change that replaced or
// added everything the store holds (ents, rels; nil when it did not): the views start from
// their order instead of the maps'. A file is read in id order, so then the id sorts find
// their input sorted, which costs them one pass instead of a sort.
func (s *Store) rebuildViewsFrom(ctx context.Context, ents []*entityRec, rels []*model.Relation) bool {
	v := views{
		entsByName: map[model.EntityKind][]*entityRec{},
		entsByID:   map[model.EntityKind][]*entityRec{},
	}
	all := ents
	if len(all) != len(s.entities) {
		all = make([]*entityRec, 0, len(s.entities))
		for _, r := range s.entities {
			all = append(all, r)
		}
	}
	srcs := make([]*sourceRec, 0, len(s.sources))
	for _, r := range s.sources {
		srcs = append(srcs, r)
	}
	if len(rels) == len(s.relations) {
		rels = slices.Clone(rels) // sorted in place below
	} else {
		rels = make([]*model.Relation, 0, len(s.relations))
		for _, r := range s.relations {
			rels = append(rels, r)
		}
	}
	if ctx.Err() != nil {
		return false
	}
	// The sorts are independent: the entities' by name, and the others, run side by side (the entities' name sort alone is a third of an import of 1M). Each kind's
	// views are then filtered, in order, out of the sorted views of all entities rather than
	// sorted again. Each view gets its own backing array, so patching one never shifts another.
	var wg sync.WaitGroup
	wg.Go(func() {
		byName := slices.Clone(all)
		sortByKey(byName, func(r *entityRec) string { return r.sortKey }, entityByName)
		v.entsByName[""] = byName
	})
	wg.Go(func() {
		v.entsByID[""] = sortedByID(all, func(r *entityRec) string { return r.e.GetID() })
		sortByID(rels, func(r *model.Relation) string { return r.ID })
		v.relsByID = rels
		v.srcByID = sortedByID(srcs, func(r *sourceRec) string { return r.s.ID })
		v.srcByTitle = slices.Clone(srcs)
		sortByKey(v.srcByTitle, func(r *sourceRec) string { return r.titleKey }, sourceByTitle)
		v.srcByPub = slices.Clone(srcs)
		sortByKey(v.srcByPub, func(r *sourceRec) string { return r.pubKey }, sourceByPub)
	})
	// A sort cannot be interrupted; a done ctx stops the wait for them, and the abandoned
	// goroutines only finish sorting copies that nothing reads.
	sorted := make(chan struct{})
	go func() { wg.Wait(); close(sorted) }()
	select {
	case <-sorted:
	case <-ctx.Done():
		return false
	}
	for kind, m := range s.byKind {
		v.entsByName[kind] = make([]*entityRec, 0, len(m))
		v.entsByID[kind] = make([]*entityRec, 0, len(m))
	}
	for _, r := range v.entsByName[""] {
		k := r.e.Kind()
		v.entsByName[k] = append(v.entsByName[k], r)
	}
	for _, r := range v.entsByID[""] {
		k := r.e.Kind()
		v.entsByID[k] = append(v.entsByID[k], r)
	}
	if ctx.Err() != nil {
		return false
	}
	s.views = v
	return true
}

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
