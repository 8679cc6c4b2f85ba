package graph

import (
	"context"

	"github.com/autograph-kg/autograph/graph/model"
)

func (r *queryResolver) Search(ctx context.Context, query string, kinds []model.EntityKind, first *int) ([]*model.SearchHit, error) {
	n, err := intArg("first", first, model.DefaultPageSize, 1, model.MaxPageSize)
	if err != nil {
		return nil, err
	}
	hits, err := r.Store.Search(ctx, model.SearchQuery{Text: query, Kinds: kinds, First: n})
	if err != nil {
		return nil, err
	}
	out := make([]*model.SearchHit, len(hits))
	for i := range hits {
		out[i] = &hits[i]
	}
	return out, nil
}
