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

// SharedNeighborhood implements model.SharedReader, counted as Neighborhood.
func (s *Store) SharedNeighborhood(ctx context.Context, q model.NeighborhoodQuery) (*model.Subgraph, error) {
	return call(ctx, s, "Neighborhood", func() (*model.Subgraph, error) {
		if sr, ok := s.inner.(model.SharedReader); ok {
			return sr.SharedNeighborhood(ctx, q)
		}
		return s.inner.Neighborhood(ctx, q)
	})
}
