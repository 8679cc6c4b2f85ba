package inmem

import (
	"context"

	"github.com/autograph-kg/autograph/graph/model"
)

var _ model.NestedReader = (*Store)(nil)

// ReadNested answers a nested read (model.NestedReader) as model.ComposeNested does, from the
// store's own batch methods: in memory a level costs no round trip, so one call of the store
// serves the whole selection without a plan of its own.
func (s *Store) ReadNested(ctx context.Context, ids []string, trees []model.RelationsTree) (*model.Nested, error) {
	return model.ComposeNested(ctx, s, ids, trees)
}

// SharedReadNested implements model.SharedReader: ReadNested with the stored entities and
// relations, which a change replaces rather than alters (see SharedRelationsOf).
func (s *Store) SharedReadNested(ctx context.Context, ids []string, trees []model.RelationsTree) (*model.Nested, error) {
	return model.ComposeSharedNested(ctx, s, s, ids, trees)
}
