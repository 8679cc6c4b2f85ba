package inmem

import (
	"context"
	"fmt"
	"maps"
	"slices"

	"github.com/autograph-kg/autograph/graph/model"
)

// Neighborhood returns the entities within Depth hops of an entity, walking only relations that
// match Types and AsOf in either direction, and the matching relations among the kept nodes.
// Nodes are kept layer by layer, each layer in id order, until Limit; a cut sets Truncated.
func (s *Store) Neighborhood(ctx context.Context, q model.NeighborhoodQuery) (*model.Subgraph, error) {
	return s.neighborhood(ctx, q, false)
}

// SharedNeighborhood implements model.SharedReader: Neighborhood with the stored entities and
// relations in the subgraph, which a change replaces rather than changes.
func (s *Store) SharedNeighborhood(ctx context.Context, q model.NeighborhoodQuery) (*model.Subgraph, error) {
	return s.neighborhood(ctx, q, true)
}

// neighborhood is Neighborhood, with copies of the nodes and relations unless shared is set.
func (s *Store) neighborhood(ctx context.Context, q model.NeighborhoodQuery, shared bool) (*model.Subgraph, error) {
	const op = "inmem: neighborhood"
	q, err := q.Normalize()
	if err != nil {
		return nil, fmt.Errorf("%s: %w", op, err)
	}
	s.mu.RLock()
	defer s.mu.RUnlock()
	if err := s.ready(ctx, op); err != nil {
		return nil, err
	}
	if _, ok := s.entities[q.ID]; !ok {
		return nil, fmt.Errorf("%s: %w", op, model.NotFound("entity", q.ID))
	}
	f := compileRelFilter(model.RelationFilter{Types: q.Types, AsOf: q.AsOf})
	limit := q.Limit
	// Limit bounds the nodes kept: up to a few hundred (the explorer asks for 200), the set
	// and the list are made at that size rather than grown to it.
	kept := make(map[string]bool, min(limit, presize))
	kept[q.ID] = true
	order := make([]string, 1, min(limit, presize))
	order[0] = q.ID
	frontier := []string{q.ID}
	truncated := false
	visits := 0
	// Each layer is every node one hop from the last that is not kept yet; of it the first
	// room in id order are kept, so the nodes are "the first Limit in (distance, id) order":
	// every node of a nearer layer comes before any node of a farther one.
	for d := 1; d <= q.Depth && len(frontier) > 0 && !truncated; d++ {
		layer := smallestIDs{k: limit - len(order)}
		for _, u := range frontier {
			visits++
			if err := tick(ctx, op, visits); err != nil {
				return nil, err
			}
			// A hub's relations in other-end order: once an id is beyond the layer, so is
			// every later one, and the walk of its thousands stops after about the room left
			// (neighbours.go).
			if list := s.neighbours(u); list != nil {
				for _, n := range list {
					if layer.beyond(n.other) {
						break
					}
					if !kept[n.other] && f.match(n.rel) {
						layer.offer(n.other)
					}
				}
				continue
			}
			s.adjacent(u, func(r *model.Relation) {
				// Once the layer is cut, an id above every one it keeps changes nothing, and
				// costs a comparison instead of a lookup in kept.
				if v := r.Other(u); !layer.beyond(v) && !kept[v] && f.match(r) {
					layer.offer(v)
				}
			})
		}
		next := layer.sorted()
		truncated = layer.cut
		for _, v := range next {
			kept[v] = true
		}
		order = append(order, next...)
		frontier = next
	}

	// Every relation between two kept nodes is in the lists of both, so one end of each is
	// enough: the node with the most relations (the hub the explorer asks about, thousands)
	// is not walked, and its relations with the others are found from them. Only its
	// self-loops, whose both ends are itself, are looked for in its own list.
	// A relation between two walked nodes is found from each: the list is sorted and the
	// second finding dropped, which costs less than a set of them all.
	var rels []*model.Relation
	skip := ""
	if len(order) > 1 {
		most := -1
		for _, u := range order {
			if n := len(s.byFrom[u]) + len(s.byTo[u]); n > most {
				skip, most = u, n
			}
		}
		if s.loops[skip] > 0 { // most entities have none, and their list is not walked
			for _, r := range s.byFrom[skip] {
				if r.FromID == r.ToID && f.match(r) {
					rels = append(rels, r)
				}
			}
		}
	}
	for _, u := range order {
		if u == skip {
			continue
		}
		visits++
		if err := tick(ctx, op, visits); err != nil {
			return nil, err
		}
		s.adjacent(u, func(r *model.Relation) {
			if kept[r.Other(u)] && f.match(r) {
				rels = append(rels, r)
			}
		})
	}
	slices.SortFunc(rels, byRelationID)
	sorted := slices.Compact(rels) // one relation, one pointer: its findings are equal
	if len(sorted) > model.MaxSubgraphRelations {
		sorted, truncated = sorted[:model.MaxSubgraphRelations], true
	}

	g := &model.Subgraph{
		Nodes:     make([]model.Entity, len(order)),
		Relations: sorted,
		Truncated: truncated,
	}
	for i, id := range order {
		if g.Nodes[i] = s.entities[id].e; !shared {
			g.Nodes[i] = g.Nodes[i].Clone()
		}
	}
	if !shared {
		for i, r := range sorted {
			sorted[i] = r.Clone()
		}
	}
	return g, nil
}

// presize is the most nodes a neighbourhood's sets are made for before it knows how many it
// will keep: the explorer's limit of 200 fits, and a small neighbourhood under the largest
// limit (MaxNeighborhoodLimit) does not start with sets for a thousand.
const presize = 256

// smallestIDs keeps the k smallest of the distinct ids offered, and whether there were more
// (cut): a layer of a hub's neighbourhood has thousands of nodes of which a page keeps a
// couple of hundred, and a heap of those, with the largest at the root, makes an id that does
// not make the cut cost one comparison, where hashing them all into a set and sorting it cost
// most of the neighbourhood's time.
type smallestIDs struct {
	k    int
	heap []string        // a max-heap of the kept ids
	in   map[string]bool // the ids in heap
	cut  bool            // an id other than those in heap was offered
}

func (h *smallestIDs) offer(id string) {
	if len(h.heap) == h.k && (h.k == 0 || id > h.heap[0]) {
		h.cut = true // larger than every kept id, so not one of them
		return
	}
	if h.in[id] {
		return
	}
	if h.in == nil {
		h.in = make(map[string]bool, min(h.k, presize))
	}
	h.in[id] = true
	if len(h.heap) < h.k {
		h.heap = append(h.heap, id)
		for i := len(h.heap) - 1; i > 0; {
			p := (i - 1) / 2
			if h.heap[p] >= h.heap[i] {
				break
			}
			h.heap[p], h.heap[i] = h.heap[i], h.heap[p]
			i = p
		}
		return
	}
	// id is below the largest kept id, which leaves.
	delete(h.in, h.heap[0])
	h.cut = true
	h.heap[0] = id
	for i := 0; ; {
		w, l, r := i, 2*i+1, 2*i+2
		if l < len(h.heap) && h.heap[l] > h.heap[w] {
			w = l
		}
		if r < len(h.heap) && h.heap[r] > h.heap[w] {
			w = r
		}
		if w == i {
			return
		}
		h.heap[i], h.heap[w] = h.heap[w], h.heap[i]
		i = w
	}
}

// beyond reports whether offering id can change nothing: the heap is full, id is above every
// id in it, and an id beyond them was offered already.
func (h *smallestIDs) beyond(id string) bool {
	return h.cut && len(h.heap) == h.k && (h.k == 0 || id > h.heap[0])
}

// sorted returns the kept ids in increasing order.
func (h *smallestIDs) sorted() []string {
	slices.Sort(h.heap)
	return h.heap
}

// step is one way of reaching a node on a shortest path: from node, over rel.
type step struct {
	node string
	rel  *model.Relation
}

// reach is how a shortest-path walk reached an entity: at what distance, and by which
// first step (none for the start).
type reach struct {
	dist  int
	first step
}

// Paths returns the shortest paths between two entities (up to First), walking relations that
// match Types and AsOf in either direction.
//
// A breadth-first search from From records, for every node, each (predecessor, relation) that
// reaches it on a shortest path, and stops at the layer where To appears or at MaxLength. Paths
// are then enumerated forwards over those steps, next nodes in id order and parallel relations
// in id order, which is the order of model.SortPaths: so the MaxPathsExplored paths explored
// when there are more are the first ones in the final order, not an arbitrary subset.
func (s *Store) Paths(ctx context.Context, q model.PathQuery) ([]*model.Path, error) {
	const op = "inmem: paths"
	q, err := q.Normalize()
	if err != nil {
		return nil, fmt.Errorf("%s: %w", op, err)
	}
	s.mu.RLock()
	defer s.mu.RUnlock()
	if err := s.ready(ctx, op); err != nil {
		return nil, err
	}
	for _, id := range []string{q.From, q.To} {
		if _, ok := s.entities[id]; !ok {
			return nil, fmt.Errorf("%s: %w", op, model.NotFound("entity", id))
		}
	}
	f := compileRelFilter(model.RelationFilter{Types: q.Types, AsOf: q.AsOf})
	if q.From == q.To {
		return []*model.Path{{Nodes: []model.Entity{s.entities[q.From].e.Clone()}, Relations: []*model.Relation{}}}, nil
	}
	maxLen := q.MaxLength

	// reached holds each entity the walk reached: its distance and the first step into it
	// on a shortest path; the other such steps (a node reached from several nodes of the
	// layer before, or by parallel relations) are in more. One map entry per node and no
	// list for the common single step: a map of lists was a quarter of the walk's CPU.
	reached := make(map[string]reach, 16)
	reached[q.From] = reach{}
	more := map[string][]step{}
	frontier := []string{q.From}
	visits := 0
	for d := 1; d <= maxLen && len(frontier) > 0; d++ {
		var next []string
		for _, u := range frontier {
			visits++
			if err := tick(ctx, op, visits); err != nil {
				return nil, err
			}
			s.adjacent(u, func(r *model.Relation) {
				if !f.match(r) {
					return
				}
				v := r.Other(u)
				rv, seen := reached[v]
				switch {
				case !seen:
					reached[v] = reach{dist: d, first: step{u, r}}
					next = append(next, v)
				case rv.dist != d:
					return // an earlier layer (or u itself, for a self-loop): not a shortest step
				default:
					more[v] = append(more[v], step{u, r})
				}
			})
		}
		if _, ok := reached[q.To]; ok {
			break
		}
		frontier = next
	}
	if _, ok := reached[q.To]; !ok {
		return []*model.Path{}, nil
	}

	// Walk back from To to keep only the steps that lie on a shortest path to it, turned into
	// forward hops: hops[u][v] are the relations from u one layer closer to To, at v.
	hops := map[string]map[string][]*model.Relation{}
	queue := []string{q.To}
	queued := map[string]bool{q.To: true}
	for len(queue) > 0 {
		v := queue[0]
		queue = queue[1:]
		if v == q.From {
			continue // the start has no step into it
		}
		steps := more[v]
		for i := -1; i < len(steps); i++ {
			st := reached[v].first
			if i >= 0 {
				st = steps[i]
			}
			m := hops[st.node]
			if m == nil {
				m = map[string][]*model.Relation{}
				hops[st.node] = m
			}
			m[v] = append(m[v], st.rel)
			if !queued[st.node] {
				queued[st.node] = true
				queue = append(queue, st.node)
			}
		}
	}
	nextOf := make(map[string][]string, len(hops))
	for u, m := range hops {
		nextOf[u] = slices.Sorted(maps.Keys(m))
		for _, rs := range m {
			slices.SortFunc(rs, byRelationID)
		}
	}

	var found []*model.Path
	nodes := []string{q.From}
	// emit adds every path along nodes, one per choice of parallel relations, counting the
	// choices like an odometer so that relation sequences come out in lexicographic order.
	emit := func() {
		choice := make([]int, len(nodes)-1)
		for len(found) < model.MaxPathsExplored {
			p := &model.Path{Nodes: make([]model.Entity, len(nodes)), Relations: make([]*model.Relation, len(choice))}
			for i, id := range nodes {
				p.Nodes[i] = s.entities[id].e // copied below, once the page is known
			}
			for i, c := range choice {
				p.Relations[i] = hops[nodes[i]][nodes[i+1]][c]
			}
			found = append(found, p)
			i := len(choice) - 1
			for ; i >= 0; i-- {
				if choice[i]++; choice[i] < len(hops[nodes[i]][nodes[i+1]]) {
					break
				}
				choice[i] = 0
			}
			if i < 0 {
				return
			}
		}
	}
	var walk func(u string) error
	walk = func(u string) error {
		visits++
		if err := tick(ctx, op, visits); err != nil {
			return err
		}
		if u == q.To {
			emit()
			return nil
		}
		for _, v := range nextOf[u] {
			if len(found) >= model.MaxPathsExplored {
				return nil
			}
			nodes = append(nodes, v)
			if err := walk(v); err != nil {
				return err
			}
			nodes = nodes[:len(nodes)-1]
		}
		return nil
	}
	if err := walk(q.From); err != nil {
		return nil, err
	}

	model.SortPaths(found)
	found = found[:min(len(found), q.First)]
	for _, p := range found {
		for i, e := range p.Nodes {
			p.Nodes[i] = e.Clone()
		}
		for i, r := range p.Relations {
			p.Relations[i] = r.Clone()
		}
	}
	return found, nil
}
