package instrument

import (
	"context"

	"github.com/autograph-kg/autograph/graph/model"
)

var _ model.NestedReader = (*Store)(nil)

// ReadNested implements model.NestedReader: one counted call when the wrapped store has the
// method, else model.ComposeNested through this wrapper, each of its calls counted.
func (s *Store) ReadNested(ctx context.Context, ids []string, trees []model.RelationsTree) (*model.Nested, error) {
	nr, ok := s.inner.(model.NestedReader)
	if !ok {
		return model.ComposeNested(ctx, s, ids, trees)
	}
	return call(ctx, s, "ReadNested", func() (*model.Nested, error) { return nr.ReadNested(ctx, ids, trees) })
}

// SharedReadNested implements model.SharedReader, counted as ReadNested: the wrapped store's
// shared answer when it has the method, else its ReadNested (or model.ComposeNested through
// this wrapper, as ReadNested does), whose copies are as good for a reader that changes
// nothing.
func (s *Store) SharedReadNested(ctx context.Context, ids []string, trees []model.RelationsTree) (*model.Nested, error) {
	sr, ok := s.inner.(model.SharedReader)
	if !ok {
		return s.ReadNested(ctx, ids, trees)
	}
	return call(ctx, s, "ReadNested", func() (*model.Nested, error) { return sr.SharedReadNested(ctx, ids, trees) })
}
