// Package inmem is the embedded store: a complete, in-process implementation of model.Store
// and model.Writer that keeps the whole knowledge graph in memory, optionally backed by a
// file so that it survives restarts and crashes.
//
// It is not a mock. It implements every method with the shared semantics written down in
// model.Store and model.Writer and passes the same storetest conformance suites as the Neo4j
// backend, so the server can run without a database (development, tests, small deployments).
//
// Data is copied on the way in and on the way out (with the model's Clone methods): callers
// never share memory with the store, so they may change what they pass in or get back.
//
// # Concurrency
//
// A Store is safe for concurrent use. Reads share a sync.RWMutex over the in-memory graph.
// Writes (the model.Writer methods, Import and Close) are serialized by a second mutex, the
// write lock: a write checks everything first, works out its whole effect (timestamps
// included), makes it durable, and only then takes the read-write mutex for the moment it
// takes to apply that effect in memory. So readers see the graph before a write or after it,
// never half of one, and they never wait for the disk.
//
// # Durability
//
// New returns a store that lives in memory only. Open backs it with a bbolt database file,
// <dir>/graph.db: every write is committed to the file in one bbolt transaction (bbolt syncs
// the file on commit) before it is applied in memory and acknowledged, so a write that
// returned success survives a crash of the process, kill -9 included, and one that returned
// an error changed neither the file nor memory. At start the whole file is read back into
// memory, so reads never touch the disk. The file is locked while a store has it open: a
// second process (or a second Open in the same one) fails with "data directory ... is in
// use by another process".
//
// Import stops when its context is done (a server told to stop while it loads a dataset),
// within moments, and leaves the file as it was: its checks and the writing of its records
// look at the context as they go, and the file's transaction rolls back. A large first
// import into an empty file is written in several transactions into a staging bucket that its
// last transaction swaps in, so it can stop at any point; a staging bucket left by a crash is
// dropped at Open. Once the file holds a large import, a done context also stops loading it
// into memory: the store then closes itself, and the import loads at the next Open.
//
// # On-disk format
//
// The file holds four buckets, keyed by id, with JSON values:
//
//	meta       "version" -> "1" (the format version; Open refuses any other)
//	entities   id -> {"kind": "BRAND", "entity": {...}, "createdAt": ..., "updatedAt": ...}
//	sources    id -> {"source": {...}, "createdAt": ..., "updatedAt": ...}
//	relations  id -> {"relation": {...}, "createdAt": ..., "updatedAt": ...}
//	import-staging  entities, sources, relations as above, only while a first import is
//	                written (see Import above); never read
//
// "entity", "source" and "relation" are the model types' own JSON (the seed's format); the
// timestamps, which the model types leave out of their JSON, are RFC 3339 in UTC with
// microsecond precision, the precision the store keeps them in. A change of layout must bump
// the version, so that an older build refuses a newer file instead of misreading it.
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
	// byFrom and byTo index relations by endpoint: entity id -> relation id -> relation.
	byFrom map[string]map[string]*model.Relation
	byTo   map[string]map[string]*model.Relation

	// Sorted views, patched by small writes and rebuilt after large ones (see apply). Keyset
	// pages walk them in order, so a listing is one linear scan with no per-query sort.
	views views
	// search is the trigram index of the entities' search keys, maintained like the views.
	search searchIndex
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
		byFrom:    map[string]map[string]*model.Relation{},
		byTo:      map[string]map[string]*model.Relation{},
	}
	s.rebuildViews()
	s.search.rebuild(nil)
	return s
}

// stamp is the time to record as CreatedAt or UpdatedAt: UTC, truncated to microseconds so
// that it survives a round trip through JSON and Neo4j unchanged.
func (s *Store) stamp() time.Time { return s.now().UTC().Truncate(time.Microsecond) }

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
	s.entities, s.byKind, s.sources, s.relations, s.byFrom, s.byTo = nil, nil, nil, nil, nil, nil
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
	v := views{
		entsByName: map[model.EntityKind][]*entityRec{},
		entsByID:   map[model.EntityKind][]*entityRec{},
	}
	all := make([]*entityRec, 0, len(s.entities))
	for _, r := range s.entities {
		all = append(all, r)
	}
	// Each view gets its own backing array, so patching one never shifts another.
	put := func(kind model.EntityKind, recs []*entityRec) {
		v.entsByName[kind] = slices.SortedFunc(slices.Values(recs), entityByName)
		v.entsByID[kind] = slices.SortedFunc(slices.Values(recs), entityByID)
	}
	put("", all)
	for kind, m := range s.byKind {
		if ctx.Err() != nil {
			return false
		}
		recs := make([]*entityRec, 0, len(m))
		for _, r := range m {
			recs = append(recs, r)
		}
		put(kind, recs)
	}
	if ctx.Err() != nil {
		return false
	}

	srcs := make([]*sourceRec, 0, len(s.sources))
	for _, r := range s.sources {
		srcs = append(srcs, r)
	}
	v.srcByID = slices.SortedFunc(slices.Values(srcs), sourceByID)
	v.srcByTitle = slices.SortedFunc(slices.Values(srcs), sourceByTitle)
	v.srcByPub = slices.SortedFunc(slices.Values(srcs), sourceByPub)

	rels := make([]*model.Relation, 0, len(s.relations))
	for _, r := range s.relations {
		rels = append(rels, r)
	}
	if ctx.Err() != nil {
		return false
	}
	slices.SortFunc(rels, byRelationID)
	v.relsByID = rels
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
