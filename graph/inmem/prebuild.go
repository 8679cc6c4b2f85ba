package inmem

import (
	"context"

	"github.com/autograph-kg/autograph/graph/model"
)

// prebuilds reports whether commit builds the graph after c on the side, while the file
// takes c, instead of applying c in place once the file has it: for a large change to a
// store no larger than the change (a first import, or a load on top of the seed). Then the
// two halves of an import, the file's and memory's, each seconds long at a million
// entities, run at the same time, and readers keep the old graph until the new one is whole
// instead of waiting for it. For a small change to a large store, copying the store would
// cost more than applying the change.
func (s *Store) prebuilds(c *change) bool {
	return s.db != nil && c.size() > patchLimit && len(s.entities)+len(s.sources)+len(s.relations) <= c.size()
}

// prebuild starts building, on a goroutine, a store that holds the graph after c: the
// stored items (read now, under the caller's write lock, so that nothing changes them), then
// c. The channel yields it, or nil when ctx stopped the build. The goroutine reads only c and
// the items it was handed, which are never changed in place, so the caller may return
// before it ends.
func (s *Store) prebuild(ctx context.Context, c *change) <-chan *Store {
	base := &change{
		entities:  make([]model.Entity, 0, len(s.entities)),
		sources:   make([]*model.Source, 0, len(s.sources)),
		relations: make([]*model.Relation, 0, len(s.relations)),
	}
	for _, r := range s.entities {
		base.entities = append(base.entities, r.e)
	}
	for _, r := range s.sources {
		base.sources = append(base.sources, r.s)
	}
	for _, r := range s.relations {
		base.relations = append(base.relations, r)
	}
	out := make(chan *Store, 1)
	go func() {
		n := New()
		if base.size() > 0 && !n.applyContext(ctx, base) {
			out <- nil
			return
		}
		if !n.applyContext(ctx, c) {
			n = nil
		}
		out <- n
	}()
	return out
}

// adopt makes s hold n's graph; the caller holds both of s's locks and n is not shared.
// Every field that apply maintains is here (TestAdoptTakesEveryField).
func (s *Store) adopt(n *Store) {
	s.entities, s.byKind, s.sources, s.relations = n.entities, n.byKind, n.sources, n.relations
	s.byFrom, s.byTo, s.loops = n.byFrom, n.byTo, n.loops
	s.nbrs.reset() // its lists are of the graph s held
	s.views, s.search = n.views, n.search
}
