package inmem

import (
	"context"
	"fmt"
	"testing"

	"github.com/autograph-kg/autograph/graph/model"
	"github.com/autograph-kg/autograph/seed/synth"
)

// BenchmarkNeighbourWalk measures one node's walk in a layer of a neighbourhood, through the
// endpoint lists (lists) and through the neighbour index (index, the cache lookup included),
// for the entities of the 100k synthetic dataset in bands of relations, to choose
// neighbourMin: in a layer that is cut already (cut: the index stops at its first entry, the
// lists are walked whole, each relation a comparison) and in one where every other end is kept
// already (kept: both walk every relation and look its other end up); and the cost of building
// a node's list (build), which the first walk of it pays. It reports ns per node. Run with:
//
//	go test -run '^$' -bench NeighbourWalk ./graph/inmem/
func BenchmarkNeighbourWalk(b *testing.B) {
	s := New()
	if err := s.Import(context.Background(), synth.Generate(100_000, 1)); err != nil {
		b.Fatal(err)
	}
	bands := []int{4, 8, 16, 32, 512, 1024}
	picked := map[int][]string{}
	for _, r := range s.views.entsByID[""] {
		id := r.e.GetID()
		d := len(s.byFrom[id]) + len(s.byTo[id])
		for _, lo := range bands {
			if d >= lo && d < 2*lo && len(picked[lo]) < 2000 {
				picked[lo] = append(picked[lo], id)
			}
		}
	}
	f := compileRelFilter(model.RelationFilter{})
	s.nbrs.min = 1
	defer func() { s.nbrs.min = 0 }()
	// cut is a layer past its room: it keeps the 200 smallest ids and was offered another, so
	// nearly every other end is beyond it, as in the second layer of a large neighbourhood.
	cut := smallestIDs{k: 200}
	for _, r := range s.views.entsByID[""][:201] {
		cut.offer(r.e.GetID())
	}
	// all is every entity kept, so that nothing is offered and both walks see every relation.
	all := make(map[string]bool, len(s.entities))
	for id := range s.entities {
		all[id] = true
	}
	for _, lo := range bands {
		ids := picked[lo]
		for _, id := range ids {
			s.neighbours(id) // built before the clock starts
		}
		b.Run(fmt.Sprintf("relations=%d-%d/build", lo, 2*lo-1), func(b *testing.B) {
			for i := range b.N {
				u := ids[i%len(ids)]
				s.nbrs.drop(u)
				s.neighbours(u)
			}
		})
		for _, c := range []struct {
			name  string
			layer smallestIDs
			kept  map[string]bool
		}{{"cut", cut, map[string]bool{}}, {"kept", smallestIDs{k: 1000}, all}} {
			layer, kept := c.layer, c.kept
			b.Run(fmt.Sprintf("relations=%d-%d/%s/lists", lo, 2*lo-1, c.name), func(b *testing.B) {
				for i := range b.N {
					u := ids[i%len(ids)]
					s.adjacent(u, func(r *model.Relation) {
						if v := r.Other(u); !layer.beyond(v) && !kept[v] && f.match(r) {
							layer.offer(v)
						}
					})
				}
			})
			b.Run(fmt.Sprintf("relations=%d-%d/%s/index", lo, 2*lo-1, c.name), func(b *testing.B) {
				for i := range b.N {
					u := ids[i%len(ids)]
					for _, n := range s.neighbours(u) {
						if layer.beyond(n.other) {
							break
						}
						if !kept[n.other] && f.match(n.rel) {
							layer.offer(n.other)
						}
					}
				}
			})
		}
	}
}

// BenchmarkNeighbourLookup measures the cache's lookup of a built list, from one goroutine and
// from as many as there are cores at once, all readers of the store as under its read lock.
func BenchmarkNeighbourLookup(b *testing.B) {
	g, d := newNBGraph(1)
	s := New()
	if err := s.Import(context.Background(), d); err != nil {
		b.Fatal(err)
	}
	for _, h := range g.hubs {
		s.neighbours(h)
	}
	b.Run("serial", func(b *testing.B) {
		for i := range b.N {
			s.neighbours(g.hubs[i%len(g.hubs)])
		}
	})
	b.Run("parallel", func(b *testing.B) {
		b.RunParallel(func(pb *testing.PB) {
			for i := 0; pb.Next(); i++ {
				s.neighbours(g.hubs[i%len(g.hubs)])
			}
		})
	})
}
