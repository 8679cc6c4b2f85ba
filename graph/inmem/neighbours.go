package inmem

import (
	"cmp"
	"slices"
	"sync"

	"github.com/autograph-kg/autograph/graph/model"
)

// The neighbour index: for an entity with many relations (a hub), its relations ordered by
// their other end's id, then by relation id, built the first time a neighbourhood walks the
// entity and kept until a write changes one of its relations.
//
// Why: a neighbourhood keeps, layer by layer, the Limit smallest ids, and a walk of a hub's
// relations in id order (byFrom, byTo) has to look at every one of them to find those: on the
// 1M dataset syn-city-5 has 5,913, each a pointer chase to the relation, its other end, a
// string comparison and a lookup, for a layer that keeps 200. Walked in other-end order, the
// layer is done as soon as an id is beyond every id it keeps (smallestIDs.beyond), since every
// later entry's is larger: the walk costs about the ids kept plus those the filter drops or
// that are kept already, not the degree.
//
// What: a slice of (other end, relation) per entity of at least neighbourMin relations, in a
// cache of its own beside the endpoint index, which stays as it is (pages walk it in id order).
// Entities below the threshold are walked as before and never cached, so the cache holds at
// most the relation ends of the entities over it, 24 bytes each (a self-loop once): on the 1M
// dataset 87 entities and 72k of its 2.9M relation ends, under 2 MB, and only those that
// neighbourhoods walked.
//
// Cost: building an entity's list is a copy and a sort of its relations (2 µs for 50 of them,
// 0.8 ms for 2,000; BenchmarkNeighbourWalk), paid by the first neighbourhood that walks it after
// a start or a write that touched it, under the read lock like any read. Nothing is built at
// load, so a restart costs what it did. A write drops the lists of both ends of each relation
// it adds, changes or removes (indexRelation, unindexRelation); a change that rebuilds or
// replaces the endpoint index drops them all.
//
// Readers share the store's read lock, so the cache has a mutex of its own, held only for a
// map lookup or store: finding a built list costs about 40 ns, 70 with both cores asking at
// once (BenchmarkNeighbourLookup), against a microsecond or more for a walk of 64 relations.
// Two readers that miss at once may both build a list, and the first one stored is kept.
// Writes change it only under the store's write lock (mu), when no reader is in, so a list is
// never stored from lists that a write has already changed.

// neighbourMin is the fewest relations an entity has for a neighbourhood to walk it through the
// neighbour index. The index walks faster at any size (BenchmarkNeighbourWalk: in a layer that
// is cut already, 0.08 µs instead of 0.9 for 32 to 63 relations, 0.07 instead of 12 for 512 to
// 1023; in one that keeps every other end, a third less), but each list is memory and a build:
// below 64 relations a walk costs a couple of microseconds at most, and on the 1M dataset the
// entities of 16 to 63 relations are 28,000 with 640k relation ends (15 MB of lists), for
// 87 entities and 72k ends at 64 and over.
const neighbourMin = 64

// neighbour is one entry of an entity's neighbour index: a relation and its other end (the
// entity itself for a self-loop), kept beside it so that the walk compares ids without a
// pointer chase to each relation.
type neighbour struct {
	other string
	rel   *model.Relation
}

func byNeighbour(a, b neighbour) int {
	return cmp.Or(cmp.Compare(a.other, b.other), cmp.Compare(a.rel.ID, b.rel.ID))
}

// neighbourCache holds the neighbour indexes built so far, by entity id.
type neighbourCache struct {
	mu sync.Mutex
	m  map[string][]neighbour
	// min overrides neighbourMin when positive, for tests inside the package.
	min int
}

func (c *neighbourCache) threshold() int {
	if c.min > 0 {
		return c.min
	}
	return neighbourMin
}

// drop forgets the lists of the given entities; the caller holds the store's write lock.
func (c *neighbourCache) drop(ids ...string) {
	c.mu.Lock()
	for _, id := range ids {
		delete(c.m, id)
	}
	c.mu.Unlock()
}

// reset forgets every list, for a change that rebuilds or replaces the endpoint index; the
// caller holds the store's write lock.
func (c *neighbourCache) reset() {
	c.mu.Lock()
	c.m = nil
	c.mu.Unlock()
}

// neighbours returns id's relations ordered by their other end's id, then by relation id, a
// self-loop once, when id has at least the threshold's relations; nil otherwise (walk the
// endpoint lists). The list is shared: callers only read it. The caller holds the read lock.
func (s *Store) neighbours(id string) []neighbour {
	out, in := s.byFrom[id], s.byTo[id]
	if len(out)+len(in) < s.nbrs.threshold() {
		return nil
	}
	c := &s.nbrs
	c.mu.Lock()
	list, ok := c.m[id]
	c.mu.Unlock()
	if ok {
		return list
	}
	list = make([]neighbour, 0, len(out)+len(in)-s.loops[id])
	for _, r := range out {
		list = append(list, neighbour{r.ToID, r})
	}
	for _, r := range in {
		if r.FromID != id { // a self-loop is in out already
			list = append(list, neighbour{r.FromID, r})
		}
	}
	slices.SortFunc(list, byNeighbour)
	c.mu.Lock()
	if have, ok := c.m[id]; ok {
		list = have // another reader built it meanwhile: one copy is kept
	} else {
		if c.m == nil {
			c.m = map[string][]neighbour{}
		}
		c.m[id] = list
	}
	c.mu.Unlock()
	return list
}
