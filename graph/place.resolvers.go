package graph

import (
	"context"

	"github.com/autograph-kg/autograph/graph/model"
)

func (r *placeResolver) Sources(ctx context.Context, obj *model.Place) ([]*model.Source, error) {
	return entitySources(ctx, obj)
}

func (r *placeResolver) Relations(ctx context.Context, obj *model.Place, types []model.RelationType, direction *model.Direction, status []model.RelationStatus, asOf *model.Date, first *int, after *string) (*model.RelationConnection, error) {
	return entityRelations(ctx, obj.ID, types, direction, status, asOf, first, after)
}

func (r *placeResolver) Parent(ctx context.Context, obj *model.Place) (*model.Place, error) {
	return relatedOne[*model.Place](ctx, obj.ID, model.DirectionOut, nil, model.RelLocatedIn)
}

func (r *placeResolver) Contains(ctx context.Context, obj *model.Place) ([]model.Entity, error) {
	return related[model.Entity](ctx, obj.ID, model.DirectionIn, nil, model.RelLocatedIn)
}

func (r *queryResolver) Place(ctx context.Context, id string) (*model.Place, error) {
	return entityAs[*model.Place](ctx, id)
}

func (r *queryResolver) Places(ctx context.Context, where *model.PlaceWhere, orderBy *model.EntityOrder, first *int, after *string) (*model.PlaceConnection, error) {
	var f model.EntityFilter
	if where != nil {
		f = model.EntityFilter{IDs: where.Ids, NameContains: str(where.NameContains), Attrs: attr(model.AttrPlaceType, where.Type)}
	}
	conn := &model.PlaceConnection{Edges: []*model.PlaceEdge{}}
	pi, total, err := entityPage(ctx, r.Store, model.KindPlace, f, entityOrder(orderBy), first, after, func(c string, n *model.Place) {
		conn.Edges = append(conn.Edges, &model.PlaceEdge{Cursor: c, Node: n})
	})
	if err != nil {
		return nil, err
	}
	conn.PageInfo, conn.TotalCount = pi, total
	return conn, nil
}

func (r *Resolver) Place() PlaceResolver { return &placeResolver{r} }

type placeResolver struct{ *Resolver }
