package inmem

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

// change is the whole effect of one write, worked out (timestamps included) while holding
// the write lock and before anything is written, so that exactly the same values go to the
// file and into memory, and a write that fails half-way cannot exist: either commit returns
// an error and nothing changed, or everything did.
type change struct {
	// Items to store, complete: canonical copies with their timestamps set.
	entities  []model.Entity
	sources   []*model.Source
	relations []*model.Relation
	// Ids to delete. A change never both stores and deletes the same id.
	dropRelations []string
	dropEntities  []string
	// operation is the write that makes the change, which commit records as a revision;
	// empty for what is no write (loading the file).
	operation model.Operation
	// rev is the revision commit records with the change (history.go).
	rev *pendingRevision
}

// size is the number of items the change touches.
func (c *change) size() int {
	return len(c.entities) + len(c.sources) + len(c.relations) + len(c.dropRelations) + len(c.dropEntities)
}

// patchLimit is the largest change whose views are patched item by item. Patching costs a
// binary search and a copy of each affected view per item; rebuilding costs a sort of every
// view, a few hundred times more for one item. Past this many items (imports), rebuild.
const patchLimit = 64

// commit makes c durable (when the store has a file), then applies it in memory. The caller
// holds the write lock and has checked c against the store. The file is written first so that
// a failed commit leaves memory as it was, and an acknowledged write is on disk. Readers are
// held off only while c is applied in memory, never during the disk write.
//
// A done ctx stops a commit before the file has it, with ctx's error and nothing changed. A
// large change (an import) goes in several transactions through the staging bucket, so it
// stops within moments at any point. Once the file has a large change,
// a done ctx also stops its (long) application in memory: the store then closes, since its
// memory no longer matches its file, and the change loads at the next Open. A small change
// is applied whatever ctx says. A large change to a small store is built in memory while the
// file takes it (prebuild.go), and takes the store's place once the file has it.
func (s *Store) commit(ctx context.Context, op string, c *change) error {
	if c.size() == 0 {
		return nil
	}
	if c.operation != "" {
		c.rev = s.revisionFor(ctx, c.operation, c)
	}
	var next <-chan *Store
	if s.prebuilds(c) {
		bctx, cancel := context.WithCancel(ctx)
		defer cancel() // stops the build when the file does not take c
		next = s.prebuild(bctx, c)
	}
	if s.db != nil {
		persist := s.persist
		if len(c.dropEntities)+len(c.dropRelations) == 0 && c.size() > stagingChunk {
			persist = s.persistStaged
		}
		if err := persist(ctx, c); err != nil {
			if ctxErr := ctx.Err(); ctxErr != nil && errors.Is(err, ctxErr) {
				return fmt.Errorf("%s: %w", op, err)
			}
			return fmt.Errorf("%s: %w", op, &model.Error{Code: model.CodeInternal, Message: "the change could not be saved", Err: err})
		}
	}
	var built *Store
	if next != nil {
		built = <-next
	}
	if c.rev != nil {
		s.hist.written = c.rev.rev.Number
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if built != nil {
		s.adopt(built)
		s.recorded(c.rev)
		return nil
	}
	if next == nil && s.applyContext(ctx, c) {
		s.recorded(c.rev)
		return nil
	}
	msg := "the store stopped while loading the change into memory and is closed"
	if s.db != nil {
		msg = "the change is saved, but the store stopped before loading it into memory and is closed; it loads at the next start"
	}
	s.abandon()
	return fmt.Errorf("%s: %w", op, &model.Error{Code: model.CodeUnavailable, Message: msg, Err: ctx.Err()})
}

// abandon closes the store at once, under both locks, when its memory no longer matches
// what it should hold.
func (s *Store) abandon() {
	s.closed = true
	s.entities, s.byKind, s.sources, s.relations, s.byFrom, s.byTo, s.loops = nil, nil, nil, nil, nil, nil, nil
	s.nbrs.reset()
	s.views = views{}
	s.search = searchIndex{}
	if s.db != nil {
		_ = s.db.Close() // nothing is left to write, and the file is consistent
	}
}

// apply changes the in-memory graph and its indexes. It cannot fail. Deletions go first so
// that an index entry of a deleted relation never points at a deleted entity.
func (s *Store) apply(c *change) { s.applyContext(context.Background(), c) }

// newEntityRec is e's record, with the keys listings and search need. The name's sort key is
// its normalised form, the first search key (TestSortKeyIsTheFirstSearchKey), so it is not
// worked out twice.
func newEntityRec(e model.Entity) *entityRec {
	keys := model.SearchKeys(e)
	return &entityRec{e: e, keys: keys, sortKey: keys[0]}
}

// newEntityRecs is newEntityRec of each of es, half of them on a goroutine of its own: text
// normalisation, a third of applying a load of 1M entities. It is nil when ctx is done.
//
// The records of a half are one block, and each record's search keys one string (the keys
// are substrings of it) in a list carved from a block of lists (slabs): at 1M entities
// that is a record, a key list and one to three key strings fewer objects per entity for
// every collection to mark (3.3M in all). Nothing changes a record's keys once made.
func newEntityRecs(ctx context.Context, es []model.Entity) []*entityRec {
	out := make([]*entityRec, len(es))
	fill := func(from, to int) bool {
		recs := make([]entityRec, to-from)
		lists := &slabs{}
		var packed strings.Builder
		for i := from; i < to; i++ {
			if tick(ctx, "", i+1) != nil {
				return false
			}
			keys := model.SearchKeys(es[i])
			packed.Reset()
			n := 0
			for _, k := range keys {
				n += len(k)
			}
			packed.Grow(n)
			for _, k := range keys {
				packed.WriteString(k)
			}
			all, packedKeys := packed.String(), lists.list(len(keys))
			at := 0
			for j, k := range keys {
				packedKeys[j] = all[at : at+len(k)]
				at += len(k)
			}
			r := &recs[i-from]
			*r = entityRec{e: es[i], keys: packedKeys, sortKey: packedKeys[0]}
			out[i] = r
		}
		return true
	}
	half := len(es) / 2
	var second bool
	var wg sync.WaitGroup
	wg.Go(func() { second = fill(half, len(es)) })
	first := fill(0, half)
	wg.Wait()
	if !first || !second {
		return nil
	}
	return out
}

// applyContext is apply that, for a change large enough to rebuild the views, stops when ctx
// is done and reports false: the graph in memory is then half changed, and the caller must
// abandon the store. A small change is always applied whole (true).
func (s *Store) applyContext(ctx context.Context, c *change) bool {
	patch := c.size() <= patchLimit
	n := 0
	stop := func() bool {
		n++
		return !patch && tick(ctx, "", n) != nil
	}
	if !patch && ctx.Err() != nil {
		return false
	}
	// relsDone, when not nil, yields whether the relations' map was filled on a goroutine of
	// its own (see below); it must be waited for before any return.
	var relsDone chan bool
	if !patch && len(s.entities)+len(s.sources)+len(s.relations) == 0 {
		// A load or a first import: maps sized for it at once, rather than grown (and
		// rehashed) a step at a time.
		s.entities = make(map[string]*entityRec, len(c.entities))
		s.sources = make(map[string]*sourceRec, len(c.sources))
		s.relations = make(map[string]*model.Relation, len(c.relations))
		if len(c.dropEntities)+len(c.dropRelations) == 0 {
			// Nothing to drop, and nothing stored: the relations' map shares nothing with
			// what the loops below fill, so it fills beside them, on the other core.
			relsDone = make(chan bool, 1)
			rels, m := c.relations, s.relations
			go func() {
				for i, r := range rels {
					if tick(ctx, "", i+1) != nil {
						relsDone <- false
						return
					}
					m[r.ID] = r
				}
				relsDone <- true
			}()
		}
	}
	relsFilled := relsDone != nil
	waitRels := func() bool {
		if relsDone == nil {
			return true
		}
		ok := <-relsDone
		relsDone = nil
		return ok
	}
	defer waitRels()
	for _, id := range c.dropRelations {
		old := s.relations[id]
		if old == nil {
			continue
		}
		delete(s.relations, id)
		if patch {
			s.unindexRelation(old)
			s.views.relsByID = removeSorted(s.views.relsByID, old, byRelationID)
		}
	}
	for _, id := range c.dropEntities {
		old := s.entities[id]
		if old == nil {
			continue
		}
		delete(s.entities, id)
		delete(s.byKind[old.e.Kind()], id)
		if patch {
			s.views.removeEntity(old)
			s.search.remove(old)
		}
	}
	for _, src := range c.sources {
		if stop() {
			return false
		}
		if old := s.sources[src.ID]; old != nil && patch {
			s.views.removeSource(old)
		}
		rec := &sourceRec{s: src, titleKey: model.SortKey(src.Title), pubKey: src.PublishedOn.Start()}
		s.sources[src.ID] = rec
		if patch {
			s.views.insertSource(rec)
		}
	}
	var added []*entityRec // for rebuildViewsFrom
	if !patch {
		added = make([]*entityRec, 0, len(c.entities))
	}
	// A bulk change into an empty store works out its records' keys on both cores first.
	var pre []*entityRec
	if relsFilled {
		if pre = newEntityRecs(ctx, c.entities); pre == nil {
			return false
		}
	}
	for i, e := range c.entities {
		if stop() {
			return false
		}
		id := e.GetID()
		var rec *entityRec
		if pre != nil {
			rec = pre[i]
		} else {
			rec = newEntityRec(e)
		}
		if !patch {
			added = append(added, rec)
		}
		old := s.entities[id]
		if old != nil {
			// The kind may change (Import allows it when nothing stored depends on it).
			delete(s.byKind[old.e.Kind()], id)
			if patch {
				s.views.removeEntity(old)
			}
		}
		if patch {
			// The search index holds no kind, so a kind change is only a new record.
			if old != nil {
				s.search.replace(old, rec)
			} else {
				s.search.add(rec)
			}
		}
		s.entities[id] = rec
		kind := s.byKind[e.Kind()]
		if kind == nil {
			kind = map[string]*entityRec{}
			s.byKind[e.Kind()] = kind
		}
		kind[id] = rec
		if patch {
			s.views.insertEntity(rec)
		}
	}
	if !waitRels() {
		return false
	}
	for _, r := range c.relations {
		if relsFilled {
			break // the map is filled (above), and a bulk change does nothing else here
		}
		if stop() {
			return false
		}
		// When the endpoints move, the old index entries go before the new ones come, so the
		// relation is never found from an entity it no longer touches.
		if old := s.relations[r.ID]; old != nil && patch {
			s.unindexRelation(old)
			s.views.relsByID = removeSorted(s.views.relsByID, old, byRelationID)
		}
		s.relations[r.ID] = r
		if patch {
			s.indexRelation(r)
			s.views.relsByID = insertSorted(s.views.relsByID, r, byRelationID)
		}
	}
	if !patch {
		if !s.rebuildViewsFrom(ctx, added, c.relations) || ctx.Err() != nil {
			return false
		}
		// The endpoint index, from the relations in id order (every list comes out sorted),
		// beside the search index, in name order, which Search's top-k selection benefits
		// from (see rebuild). They share nothing.
		// A done ctx stops the wait for them, as for the views: the abandoned goroutines build
		// into values nothing else holds.
		rels, byName, n := s.views.relsByID, s.views.entsByName[""], len(s.entities)
		var (
			from, to adjacency
			loops    map[string]int
			idx      searchIndex
			wg       sync.WaitGroup
		)
		wg.Go(func() { from, to, loops = buildAdjacency(rels, n) })
		wg.Go(func() { idx.rebuild(byName) })
		built := make(chan struct{})
		go func() { wg.Wait(); close(built) }()
		select {
		case <-built:
		case <-ctx.Done():
			return false
		}
		s.byFrom, s.byTo, s.loops, s.search = from, to, loops, idx
		s.nbrs.reset()
	}
	return true
}

// insertEntity puts r into the views of every entity and of its kind.
func (v *views) insertEntity(r *entityRec) {
	for _, k := range []model.EntityKind{"", r.e.Kind()} {
		v.entsByName[k] = insertSorted(v.entsByName[k], r, entityByName)
		v.entsByID[k] = insertSorted(v.entsByID[k], r, entityByID)
	}
}

// removeEntity takes r out of the views it is in.
func (v *views) removeEntity(r *entityRec) {
	for _, k := range []model.EntityKind{"", r.e.Kind()} {
		v.entsByName[k] = removeSorted(v.entsByName[k], r, entityByName)
		v.entsByID[k] = removeSorted(v.entsByID[k], r, entityByID)
	}
}

func (v *views) insertSource(r *sourceRec) {
	v.srcByTitle = insertSorted(v.srcByTitle, r, sourceByTitle)
	v.srcByPub = insertSorted(v.srcByPub, r, sourceByPub)
	v.srcByID = insertSorted(v.srcByID, r, sourceByID)
}

func (v *views) removeSource(r *sourceRec) {
	v.srcByTitle = removeSorted(v.srcByTitle, r, sourceByTitle)
	v.srcByPub = removeSorted(v.srcByPub, r, sourceByPub)
	v.srcByID = removeSorted(v.srcByID, r, sourceByID)
}

// insertSorted inserts x into rows, sorted by order, at its place.
func insertSorted[T any](rows []T, x T, order func(a, b T) int) []T {
	i, _ := slices.BinarySearchFunc(rows, x, order)
	return slices.Insert(rows, i, x)
}

// removeSorted removes x (the very pointer) from rows, sorted by order. x is found by binary
// search on its own keys, which are those it was inserted with: records are never changed in
// place, only replaced.
func removeSorted[T comparable](rows []T, x T, order func(a, b T) int) []T {
	if i, ok := slices.BinarySearchFunc(rows, x, order); ok && rows[i] == x {
		return slices.Delete(rows, i, i+1)
	}
	// Unreachable while records stay immutable; a linear search keeps the views right anyway.
	if i := slices.Index(rows, x); i >= 0 {
		return slices.Delete(rows, i, i+1)
	}
	return rows
}

// nextEntity is what storing e would put in the store: a canonical copy stamped now (keeping
// the stored CreatedAt), and false when the stored entity already has e's content, in which
// case nothing is written and no timestamp moves.
func (s *Store) nextEntity(e model.Entity, now time.Time) (model.Entity, bool) {
	old := s.entities[e.GetID()]
	if old != nil && model.SameEntity(old.e, e) {
		return nil, false
	}
	c := model.CanonicalEntity(e)
	b := c.Common()
	b.CreatedAt, b.UpdatedAt = now, now
	if old != nil {
		b.CreatedAt = old.e.Common().CreatedAt
	}
	return c, true
}

// nextSource is nextEntity for sources.
func (s *Store) nextSource(src *model.Source, now time.Time) (*model.Source, bool) {
	old := s.sources[src.ID]
	if old != nil && model.SameSource(old.s, src) {
		return nil, false
	}
	c := model.CanonicalSource(src)
	c.CreatedAt, c.UpdatedAt = now, now
	if old != nil {
		c.CreatedAt = old.s.CreatedAt
	}
	return c, true
}

// nextRelation is nextEntity for relations.
func (s *Store) nextRelation(r *model.Relation, now time.Time) (*model.Relation, bool) {
	old := s.relations[r.ID]
	if old != nil && model.SameRelation(old, r) {
		return nil, false
	}
	c := model.CanonicalRelation(r)
	c.CreatedAt, c.UpdatedAt = now, now
	if old != nil {
		c.CreatedAt = old.CreatedAt
	}
	return c, true
}
