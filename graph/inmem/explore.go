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
	kept := map[string]bool{q.ID: true}
	order := []string{q.ID}
	frontier := []string{q.ID}
	truncated := false
	visits := 0
	// Whole layers are found before any is cut, so "the first Limit in (distance, id) order"
	// is exact: every node of a nearer layer comes before any node of a farther one.
	for d := 1; d <= q.Depth && len(frontier) > 0 && !truncated; d++ {
		layer := map[string]bool{}
		for _, u := range frontier {
			visits++
			if err := tick(ctx, op, visits); err != nil {
				return nil, err
			}
			s.adjacent(u, func(r *model.Relation) {
				if v := r.Other(u); !kept[v] && f.match(r) {
					layer[v] = true
				}
			})
		}
		next := slices.Sorted(maps.Keys(layer))
		if room := limit - len(order); len(next) > room {
			next, truncated = next[:room], true
		}
		for _, v := range next {
			kept[v] = true
		}
		order = append(order, next...)
		frontier = next
	}

	rels := map[string]*model.Relation{}
	for _, u := range order {
		visits++
		if err := tick(ctx, op, visits); err != nil {
			return nil, err
		}
		s.adjacent(u, func(r *model.Relation) {
			if kept[r.Other(u)] && f.match(r) {
				rels[r.ID] = r
			}
		})
	}
	sorted := slices.SortedFunc(maps.Values(rels), byRelationID)
	if len(sorted) > model.MaxSubgraphRelations {
		sorted, truncated = sorted[:model.MaxSubgraphRelations], true
	}

	g := &model.Subgraph{
		Nodes:     make([]model.Entity, len(order)),
		Relations: make([]*model.Relation, len(sorted)),
		Truncated: truncated,
	}
	for i, id := range order {
		g.Nodes[i] = s.entities[id].e.Clone()
	}
	for i, r := range sorted {
		g.Relations[i] = r.Clone()
	}
	return g, nil
}

// step is one way of reaching a node on a shortest path: from node, over rel.
type step struct {
	node string
	rel  *model.Relation
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

	dist := map[string]int{q.From: 0}
	preds := map[string][]step{}
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
				if dv, seen := dist[v]; !seen {
					dist[v] = d
					next = append(next, v)
				} else if dv != d {
					return // an earlier layer (or u itself, for a self-loop): not a shortest step
				}
				preds[v] = append(preds[v], step{u, r})
			})
		}
		if _, ok := dist[q.To]; ok {
			break
		}
		frontier = next
	}
	if _, ok := dist[q.To]; !ok {
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
		for _, st := range preds[v] {
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
