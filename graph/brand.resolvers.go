package graph

import (
	"context"

	"github.com/autograph-kg/autograph/graph/model"
)

func (r *brandResolver) Sources(ctx context.Context, obj *model.Brand) ([]*model.Source, error) {
	return entitySources(ctx, obj)
}

func (r *brandResolver) Relations(ctx context.Context, obj *model.Brand, types []model.RelationType, direction *model.Direction, status []model.RelationStatus, asOf *model.Date, first *int, after *string) (*model.RelationConnection, error) {
	return entityRelations(ctx, obj.ID, types, direction, status, asOf, first, after)
}

func (r *brandResolver) Country(ctx context.Context, obj *model.Brand) (*model.Place, error) {
	return entityAs[*model.Place](ctx, obj.CountryID)
}

func (r *brandResolver) Owner(ctx context.Context, obj *model.Brand, asOf *model.Date) (*model.Organization, error) {
	return relatedOne[*model.Organization](ctx, obj.ID, model.DirectionIn, asOf, model.RelOwnsBrand)
}

func (r *brandResolver) Models(ctx context.Context, obj *model.Brand) ([]*model.VehicleModel, error) {
	return related[*model.VehicleModel](ctx, obj.ID, model.DirectionOut, nil, model.RelHasModel)
}

func (r *brandResolver) Assemblers(ctx context.Context, obj *model.Brand, status []model.RelationStatus, asOf *model.Date) ([]*model.Relation, error) {
	return typedRelations(ctx, obj.ID, model.DirectionIn, model.RelationFilter{Types: []model.RelationType{model.RelAssembles}, Status: status, AsOf: asOf})
}

func (r *queryResolver) Brand(ctx context.Context, id string) (*model.Brand, error) {
	return entityAs[*model.Brand](ctx, id)
}

func (r *queryResolver) Brands(ctx context.Context, where *model.BrandWhere, orderBy *model.EntityOrder, first *int, after *string) (*model.BrandConnection, error) {
	var f model.EntityFilter
	if where != nil {
		f = model.EntityFilter{IDs: where.Ids, NameContains: str(where.NameContains)}
		f.Attrs = append(f.Attrs, attr(model.AttrSegment, where.Segment)...)
		f.Attrs = append(f.Attrs, attr(model.AttrCountry, where.Country)...)
	}
	conn := &model.BrandConnection{Edges: []*model.BrandEdge{}}
	pi, total, err := entityPage(ctx, r.Store, model.KindBrand, f, entityOrder(orderBy), first, after, func(c string, n *model.Brand) {
		conn.Edges = append(conn.Edges, &model.BrandEdge{Cursor: c, Node: n})
	})
	if err != nil {
		return nil, err
	}
	conn.PageInfo, conn.TotalCount = pi, total
	return conn, nil
}

func (r *Resolver) Brand() BrandResolver { return &brandResolver{r} }

type brandResolver struct{ *Resolver }
