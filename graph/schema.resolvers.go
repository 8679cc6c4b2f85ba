package graph

import (
	"context"

	"github.com/autograph-kg/autograph/graph/loader"
	"github.com/autograph-kg/autograph/graph/model"
)

func (r *queryResolver) Node(ctx context.Context, id string) (model.Node, error) {
	e, err := loader.For(ctx).Entity(ctx, id)
	if err == nil {
		return e, nil
	}
	if !model.IsNotFound(err) {
		return nil, err
	}
	s, err := loader.For(ctx).Source(ctx, id)
	if err == nil {
		return s, nil
	}
	if !model.IsNotFound(err) {
		return nil, err
	}
	rel, err := r.Store.Relation(ctx, id)
	if model.IsNotFound(err) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	return rel, nil
}

func (r *queryResolver) Entity(ctx context.Context, id string) (model.Entity, error) {
	return entityAs[model.Entity](ctx, id)
}

func (r *Resolver) Query() QueryResolver { return &queryResolver{r} }

type queryResolver struct{ *Resolver }
