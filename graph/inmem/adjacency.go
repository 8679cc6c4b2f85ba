package inmem

import (
	"slices"
	"sort"

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
//
// Each endpoint is looked up in a map once per relation end: it gets a dense number, and the
// counting and filling work on slices by that number. Counting and filling through maps took
// three lookups per end, a sixth of a restart's map work at 1M entities (2.9M relation ends).
//
// It also counts each entity's self-loops (loops), which are in both of its lists.
func buildAdjacency(rels []*model.Relation, entities int) (from, to adjacency, loops map[string]int) {
	num := make(map[string]int32, entities)
	var names []string // by number
	number := func(id string) int32 {
		n, ok := num[id]
		if !ok {
			n = int32(len(names))
			num[id] = n
			names = append(names, id)
		}
		return n
	}
	fromN, toN := make([]int32, len(rels)), make([]int32, len(rels))
	loops = map[string]int{}
	for i, r := range rels {
		fromN[i], toN[i] = number(r.FromID), number(r.ToID)
		if r.FromID == r.ToID {
			loops[r.FromID]++
		}
	}
	build := func(ends []int32) adjacency {
		count := make([]int32, len(names))
		for _, n := range ends {
			count[n]++
		}
		// off[n] is where n's list starts in block; it moves along as the list fills.
		off := make([]int32, len(names))
		sum, lists := int32(0), 0
		for n, c := range count {
			off[n] = sum
			sum += c
			if c > 0 {
				lists++
			}
		}
		block := make([]*model.Relation, len(rels))
		for i, n := range ends {
			block[off[n]] = rels[i]
			off[n]++
		}
		a := make(adjacency, lists)
		for n, c := range count {
			if c > 0 {
				end := off[n] // the fill moved off[n] to the list's end
				a[names[n]] = block[end-c : end : end]
			}
		}
		return a
	}
	return build(fromN), build(toN), loops
}

// indexRelation adds r to the endpoint index: both lists, and the count of self-loops. The
// neighbour indexes of both ends (neighbours.go) no longer hold all their relations, and go.
func (s *Store) indexRelation(r *model.Relation) {
	s.nbrs.drop(r.FromID, r.ToID)
	s.byFrom.add(r.FromID, r)
	s.byTo.add(r.ToID, r)
	if r.FromID == r.ToID {
		s.loops[r.FromID]++
	}
}

// unindexRelation takes r out of the endpoint index, as indexRelation put it in.
func (s *Store) unindexRelation(r *model.Relation) {
	s.nbrs.drop(r.FromID, r.ToID)
	s.byFrom.remove(r.FromID, r.ID)
	s.byTo.remove(r.ToID, r.ID)
	if r.FromID == r.ToID {
		if s.loops[r.FromID]--; s.loops[r.FromID] <= 0 {
			delete(s.loops, r.FromID)
		}
	}
}

// endLists are the relations of one entity in one direction, as the endpoint index holds
// them: out (from the entity) and in (to it), each in id order. For DirectionOut in is nil,
// for DirectionIn out is nil; for both, a self-loop is in each list and counts once (loops is
// how many there are), so that the lists need not be merged to know their number.
type endLists struct {
	out, in []*model.Relation
	loops   int
}

// endsOf returns the lists of id's relations in the direction asked for. They are shared:
// callers only read them.
func (s *Store) endsOf(id string, dir model.Direction) endLists {
	switch dir {
	case model.DirectionOut:
		return endLists{out: s.byFrom[id]}
	case model.DirectionIn:
		return endLists{in: s.byTo[id]}
	}
	return endLists{out: s.byFrom[id], in: s.byTo[id], loops: s.loops[id]}
}

// len is the number of relations in the lists, a self-loop once.
func (e endLists) len() int { return len(e.out) + len(e.in) - e.loops }

// merged lists the relations in id order, a self-loop once. When one list is empty it is the
// other, shared; otherwise it is a new slice of them all, which a page that takes every row in
// id order does not need (page).
func (e endLists) merged() []*model.Relation {
	out, in := e.out, e.in
	switch {
	case len(in) == 0:
		return out
	case len(out) == 0:
		return in
	}
	merged := make([]*model.Relation, 0, e.len())
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

// page is relationPageByID of the merged lists, without merging them: the page starts where
// the cursor falls in each list (by binary search) and merges only its own rows, so that a
// page of a hub's relations (5,913 on the 1M dataset's) costs the page, not the hub. The
// answer is relationPageByID's, field for field (TestEndListsPageIsTheMergedPage).
func (e endLists) page(desc bool, first int, after *model.Cursor, out relationOut) *model.RelationPage {
	if len(e.out) == 0 || len(e.in) == 0 {
		return relationPageByID(e.merged(), desc, first, after, out)
	}
	// Each list is walked in the page's order: ascending ids, or descending ones.
	at := func(rows []*model.Relation, i int) *model.Relation {
		if desc {
			return rows[len(rows)-1-i]
		}
		return rows[i]
	}
	start := func(rows []*model.Relation) int {
		if after == nil {
			return 0
		}
		return sort.Search(len(rows), func(i int) bool { return after.After("", at(rows, i).ID, desc) })
	}
	// before says whether a comes before b in the page's order.
	before := func(a, b *model.Relation) bool {
		if desc {
			return a.ID > b.ID
		}
		return a.ID < b.ID
	}
	i, j := start(e.out), start(e.in)
	var items []*model.Relation
	if n := min(max(first, 0), len(e.out)-i+len(e.in)-j); n > 0 {
		items = make([]*model.Relation, 0, n)
	}
	for len(items) < max(first, 0) && (i < len(e.out) || j < len(e.in)) {
		var r *model.Relation
		switch {
		case j == len(e.in) || i < len(e.out) && before(at(e.out, i), at(e.in, j)):
			r = at(e.out, i)
			i++
		case i == len(e.out) || before(at(e.in, j), at(e.out, i)):
			r = at(e.in, j)
			j++
		default: // a self-loop, the same relation in both lists
			r = at(e.out, i)
			i, j = i+1, j+1
		}
		items = append(items, out(r))
	}
	return &model.RelationPage{Items: items, HasNextPage: i < len(e.out) || j < len(e.in), TotalCount: e.len()}
}
