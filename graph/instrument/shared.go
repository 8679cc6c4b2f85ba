package instrument

import (
	"context"

	"github.com/autograph-kg/autograph/graph/model"
)

var _ model.SharedReader = (*Store)(nil)

// SharedEntitiesByID implements model.SharedReader, counted as EntitiesByID (it is the same
// question): the wrapped store's shared values when it has the method, else copies from its
// EntitiesByID, which are as good for a reader that changes nothing.
func (s *Store) SharedEntitiesByID(ctx context.Context, ids []string, out []model.Entity) error {
	return callErr(ctx, s, "EntitiesByID", func() error {
		if sr, ok := s.inner.(model.SharedReader); ok {
			return sr.SharedEntitiesByID(ctx, ids, out)
		}
		got, err := s.inner.EntitiesByID(ctx, ids)
		for i, id := range ids {
			out[i] = got[id]
		}
		return err
	})
}

// SharedSourcesByID implements model.SharedReader, counted as SourcesByID.
func (s *Store) SharedSourcesByID(ctx context.Context, ids []string, out []*model.Source) error {
	return callErr(ctx, s, "SourcesByID", func() error {
		if sr, ok := s.inner.(model.SharedReader); ok {
			return sr.SharedSourcesByID(ctx, ids, out)
		}
		got, err := s.inner.SourcesByID(ctx, ids)
		for i, id := range ids {
			out[i] = got[id]
		}
		return err
	})
}

// SharedRelationsOf implements model.SharedReader, counted as RelationsOf, or as
// RelationsOfWithEnds when ends is set: the wrapped store's shared values when it has the
// method, else copies from the same counted methods that RelationsOf and RelationsOfWithEnds
// call.
func (s *Store) SharedRelationsOf(ctx context.Context, ids []string, q model.RelationsOfQuery, ends bool) (map[string]*model.RelationPage, map[string]model.Entity, error) {
	sr, ok := s.inner.(model.SharedReader)
	switch {
	case !ok && ends:
		return s.RelationsOfWithEnds(ctx, ids, q)
	case !ok:
		pages, err := s.RelationsOf(ctx, ids, q)
		return pages, nil, err
	}
	method := "RelationsOf"
	if ends {
		method = "RelationsOfWithEnds"
	}
	type both struct {
		pages map[string]*model.RelationPage
		ends  map[string]model.Entity
	}
	got, err := call(ctx, s, method, func() (both, error) {
		p, e, err := sr.SharedRelationsOf(ctx, ids, q, ends)
		return both{p, e}, err
	})
	return got.pages, got.ends, err
}

// SharedNeighborhood implements model.SharedReader, counted as Neighborhood.
func (s *Store) SharedNeighborhood(ctx context.Context, q model.NeighborhoodQuery) (*model.Subgraph, error) {
	return call(ctx, s, "Neighborhood", func() (*model.Subgraph, error) {
		if sr, ok := s.inner.(model.SharedReader); ok {
			return sr.SharedNeighborhood(ctx, q)
		}
		return s.inner.Neighborhood(ctx, q)
	})
}
