package graph

import (
	"context"

	"github.com/autograph-kg/autograph/graph/model"
)

func (r *queryResolver) VehicleModel(ctx context.Context, id string) (*model.VehicleModel, error) {
	return entityAs[*model.VehicleModel](ctx, id)
}

func (r *queryResolver) VehicleModels(ctx context.Context, where *model.VehicleModelWhere, orderBy *model.EntityOrder, first *int, after *string) (*model.VehicleModelConnection, error) {
	var f model.EntityFilter
	if where != nil {
		f = model.EntityFilter{IDs: where.Ids, NameContains: str(where.NameContains), Attrs: attr(model.AttrPowertrain, where.Powertrain)}
	}
	conn := &model.VehicleModelConnection{Edges: []*model.VehicleModelEdge{}}
	pi, total, err := entityPage(ctx, r.Store, model.KindVehicleModel, f, entityOrder(orderBy), first, after, func(c string, n *model.VehicleModel) {
		conn.Edges = append(conn.Edges, &model.VehicleModelEdge{Cursor: c, Node: n})
	})
	if err != nil {
		return nil, err
	}
	conn.PageInfo, conn.TotalCount = pi, total
	return conn, nil
}

func (r *vehicleModelResolver) Sources(ctx context.Context, obj *model.VehicleModel) ([]*model.Source, error) {
	return entitySources(ctx, obj)
}

func (r *vehicleModelResolver) Relations(ctx context.Context, obj *model.VehicleModel, types []model.RelationType, direction *model.Direction, status []model.RelationStatus, asOf *model.Date, first *int, after *string) (*model.RelationConnection, error) {
	return entityRelations(ctx, obj.ID, types, direction, status, asOf, first, after)
}

func (r *vehicleModelResolver) Brand(ctx context.Context, obj *model.VehicleModel) (*model.Brand, error) {
	return relatedOne[*model.Brand](ctx, obj.ID, model.DirectionIn, nil, model.RelHasModel)
}

func (r *vehicleModelResolver) Assemblers(ctx context.Context, obj *model.VehicleModel, status []model.RelationStatus, asOf *model.Date) ([]*model.Relation, error) {
	return typedRelations(ctx, obj.ID, model.DirectionIn, model.RelationFilter{Types: []model.RelationType{model.RelAssembles}, Status: status, AsOf: asOf})
}

func (r *Resolver) VehicleModel() VehicleModelResolver { return &vehicleModelResolver{r} }

type vehicleModelResolver struct{ *Resolver }
