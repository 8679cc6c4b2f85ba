package graph

import (
	"context"

	"github.com/autograph-kg/autograph/graph/loader"
	"github.com/autograph-kg/autograph/graph/model"
)

func (r *queryResolver) Relation(ctx context.Context, id string) (*model.Relation, error) {
	rel, err := r.Store.Relation(ctx, id)
	if model.IsNotFound(err) {
		return nil, nil
	}
	return rel, err
}

func (r *queryResolver) Relations(ctx context.Context, where *model.RelationWhere, first *int, after *string) (*model.RelationConnection, error) {
	n, err := firstArg(first)
	if err != nil {
		return nil, err
	}
	var f model.RelationFilter
	if where != nil {
		f = model.RelationFilter{IDs: where.Ids, Types: where.Types, Status: where.Status, AsOf: where.AsOf, FromIDs: where.From, ToIDs: where.To, SourceIDs: where.Sources}
	}
	page, err := r.Store.Relations(ctx, model.RelationQuery{Filter: f, First: max(n, 1), After: str(after)})
	if err != nil {
		return nil, err
	}
	return relationConnection(page, n, after), nil
}

func (r *relationResolver) From(ctx context.Context, obj *model.Relation) (model.Entity, error) {
	return loader.For(ctx).Entity(ctx, obj.FromID)
}

func (r *relationResolver) To(ctx context.Context, obj *model.Relation) (model.Entity, error) {
	return loader.For(ctx).Entity(ctx, obj.ToID)
}

func (r *relationResolver) Sources(ctx context.Context, obj *model.Relation) ([]*model.Source, error) {
	return loader.For(ctx).Sources(ctx, obj.SourceIDs)
}

func (r *Resolver) Relation() RelationResolver { return &relationResolver{r} }

type relationResolver struct{ *Resolver }
