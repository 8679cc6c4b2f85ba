package graph

import (
	"context"

	"github.com/autograph-kg/autograph/graph/model"
)

func (r *plantResolver) Sources(ctx context.Context, obj *model.Plant) ([]*model.Source, error) {
	return entitySources(ctx, obj)
}

func (r *plantResolver) Relations(ctx context.Context, obj *model.Plant, types []model.RelationType, direction *model.Direction, status []model.RelationStatus, asOf *model.Date, first *int, after *string) (*model.RelationConnection, error) {
	return entityRelations(ctx, obj.ID, types, direction, status, asOf, first, after)
}

func (r *plantResolver) Operator(ctx context.Context, obj *model.Plant, asOf *model.Date) (*model.Organization, error) {
	return relatedOne[*model.Organization](ctx, obj.ID, model.DirectionIn, asOf, model.RelOperates)
}

func (r *plantResolver) Location(ctx context.Context, obj *model.Plant) (*model.Place, error) {
	return relatedOne[*model.Place](ctx, obj.ID, model.DirectionOut, nil, model.RelLocatedIn)
}

func (r *plantResolver) Assembles(ctx context.Context, obj *model.Plant, status []model.RelationStatus, asOf *model.Date) ([]*model.Relation, error) {
	return typedRelations(ctx, obj.ID, model.DirectionOut, model.RelationFilter{Types: []model.RelationType{model.RelAssembles}, Status: status, AsOf: asOf})
}

func (r *queryResolver) Plant(ctx context.Context, id string) (*model.Plant, error) {
	return entityAs[*model.Plant](ctx, id)
}

func (r *queryResolver) Plants(ctx context.Context, where *model.PlantWhere, orderBy *model.EntityOrder, first *int, after *string) (*model.PlantConnection, error) {
	var f model.EntityFilter
	if where != nil {
		f = model.EntityFilter{IDs: where.Ids, NameContains: str(where.NameContains)}
	}
	conn := &model.PlantConnection{Edges: []*model.PlantEdge{}}
	pi, total, err := entityPage(ctx, r.Store, model.KindPlant, f, entityOrder(orderBy), first, after, func(c string, n *model.Plant) {
		conn.Edges = append(conn.Edges, &model.PlantEdge{Cursor: c, Node: n})
	})
	if err != nil {
		return nil, err
	}
	conn.PageInfo, conn.TotalCount = pi, total
	return conn, nil
}

func (r *Resolver) Plant() PlantResolver { return &plantResolver{r} }

type plantResolver struct{ *Resolver }
