package inmem

import (
	"slices"

	"github.com/autograph-kg/autograph/graph/model"
)

// adjacency indexes relations by one endpoint: entity id -> its relations at that end, in id
// order, so that a page of an entity's relations is a walk of a list that is already sorted
// (a hub has thousands) and the index costs a slice per entity rather than a map.
type adjacency map[string][]*model.Relation

// add puts r into id's list at its place.
func (a adjacency) add(id string, r *model.Relation) {
	a[id] = insertSorted(a[id], r, byRelationID)
}

// remove takes the relation with id relID out of id's list, dropping the entity's entry when it
// empties so that the index does not keep stale keys.
func (a adjacency) remove(id, relID string) {
	rows := a[id]
	i, ok := slices.BinarySearchFunc(rows, relID, func(r *model.Relation, id string) int { return byIDString(r.ID, id) })
	if !ok {
		return
	}
	// A list shares its backing array with others' (see buildAdjacency): removing copies.
	rows = slices.Concat(rows[:i], rows[i+1:])
	if len(rows) == 0 {
		delete(a, id)
		return
	}
	a[id] = rows
}

func byIDString(a, b string) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

// buildAdjacency indexes rels (in id order) by their from and to ends. Every list is carved,
// at its exact length, from one block per direction: two allocations instead of one per entity,
// no spare capacity, and no sort, since rels come in id order. A later add to a list then
// copies it (its capacity is its length), which leaves its neighbours in the block alone.
func buildAdjacency(rels []*model.Relation, entities int) (from, to adjacency) {
	build := func(end func(*model.Relation) string) adjacency {
		count := make(map[string]int, entities)
		for _, r := range rels {
			count[end(r)]++
		}
		block := make([]*model.Relation, len(rels))
		a := make(adjacency, len(count))
		off := 0
		for _, r := range rels {
			id := end(r)
			rows, ok := a[id]
			if !ok {
				n := count[id]
				rows = block[off : off : off+n]
				off += n
			}
			a[id] = append(rows, r)
		}
		return a
	}
	return build(func(r *model.Relation) string { return r.FromID }), build(func(r *model.Relation) string { return r.ToID })
}

// relationsOf lists the relations of an entity in the direction asked for, in id order; a
// self-loop, which is in both lists, comes once. The result is shared: callers only read it.
func (s *Store) relationsOf(id string, dir model.Direction) []*model.Relation {
	out, in := s.byFrom[id], s.byTo[id]
	switch {
	case dir == model.DirectionOut || len(in) == 0 && dir != model.DirectionIn:
		return out
	case dir == model.DirectionIn || len(out) == 0:
		return in
	}
	merged := make([]*model.Relation, 0, len(out)+len(in))
	i, j := 0, 0
	for i < len(out) && j < len(in) {
		switch c := byRelationID(out[i], in[j]); {
		case c < 0:
			merged = append(merged, out[i])
			i++
		case c > 0:
			merged = append(merged, in[j])
			j++
		default: // a self-loop
			merged = append(merged, out[i])
			i, j = i+1, j+1
		}
	}
	merged = append(merged, out[i:]...)
	return append(merged, in[j:]...)
}
