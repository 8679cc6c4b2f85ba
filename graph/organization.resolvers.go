package graph

import (
	"context"

	"github.com/autograph-kg/autograph/graph/model"
)

func (r *organizationResolver) Sources(ctx context.Context, obj *model.Organization) ([]*model.Source, error) {
	return entitySources(ctx, obj)
}

func (r *organizationResolver) Relations(ctx context.Context, obj *model.Organization, types []model.RelationType, direction *model.Direction, status []model.RelationStatus, asOf *model.Date, first *int, after *string) (*model.RelationConnection, error) {
	return entityRelations(ctx, obj.ID, types, direction, status, asOf, first, after)
}

func (r *organizationResolver) Country(ctx context.Context, obj *model.Organization) (*model.Place, error) {
	return entityAs[*model.Place](ctx, obj.CountryID)
}

func (r *organizationResolver) Parent(ctx context.Context, obj *model.Organization, asOf *model.Date) (*model.Organization, error) {
	return relatedOne[*model.Organization](ctx, obj.ID, model.DirectionOut, asOf, model.RelSubsidiaryOf)
}

func (r *organizationResolver) Subsidiaries(ctx context.Context, obj *model.Organization, asOf *model.Date) ([]*model.Organization, error) {
	return related[*model.Organization](ctx, obj.ID, model.DirectionIn, asOf, model.RelSubsidiaryOf)
}

func (r *organizationResolver) JointVentures(ctx context.Context, obj *model.Organization, asOf *model.Date) ([]*model.Organization, error) {
	return related[*model.Organization](ctx, obj.ID, model.DirectionIn, asOf, model.RelJointVentureOf)
}

func (r *organizationResolver) Partners(ctx context.Context, obj *model.Organization, asOf *model.Date) ([]*model.Organization, error) {
	jv, err := related[*model.Organization](ctx, obj.ID, model.DirectionOut, asOf, model.RelJointVentureOf)
	if err != nil {
		return nil, err
	}
	pw, err := related[*model.Organization](ctx, obj.ID, model.DirectionBoth, asOf, model.RelPartnersWith)
	if err != nil {
		return nil, err
	}
	for _, o := range pw {
		if !containsID(jv, o.ID) {
			jv = append(jv, o)
		}
	}
	return jv, nil
}

func (r *organizationResolver) Brands(ctx context.Context, obj *model.Organization, asOf *model.Date) ([]*model.Brand, error) {
	return related[*model.Brand](ctx, obj.ID, model.DirectionOut, asOf, model.RelOwnsBrand)
}

func (r *organizationResolver) Plants(ctx context.Context, obj *model.Organization, asOf *model.Date) ([]*model.Plant, error) {
	return related[*model.Plant](ctx, obj.ID, model.DirectionOut, asOf, model.RelOperates)
}

func (r *organizationResolver) Agreements(ctx context.Context, obj *model.Organization) ([]*model.Agreement, error) {
	return related[*model.Agreement](ctx, obj.ID, model.DirectionOut, nil, model.RelPartyTo)
}

func (r *organizationResolver) Assembles(ctx context.Context, obj *model.Organization, status []model.RelationStatus, asOf *model.Date) ([]*model.Relation, error) {
	return typedRelations(ctx, obj.ID, model.DirectionOut, model.RelationFilter{Types: []model.RelationType{model.RelAssembles}, Status: status, AsOf: asOf})
}

func (r *queryResolver) Organization(ctx context.Context, id string) (*model.Organization, error) {
	return entityAs[*model.Organization](ctx, id)
}

func (r *queryResolver) Organizations(ctx context.Context, where *model.OrganizationWhere, orderBy *model.EntityOrder, first *int, after *string) (*model.OrganizationConnection, error) {
	var f model.EntityFilter
	if where != nil {
		f = model.EntityFilter{IDs: where.Ids, NameContains: str(where.NameContains)}
		f.Attrs = append(f.Attrs, attr(model.AttrOrganizationType, where.Type)...)
		f.Attrs = append(f.Attrs, attr(model.AttrOwnership, where.Ownership)...)
		f.Attrs = append(f.Attrs, attr(model.AttrCountry, where.Country)...)
	}
	conn := &model.OrganizationConnection{Edges: []*model.OrganizationEdge{}}
	pi, total, err := entityPage(ctx, r.Store, model.KindOrganization, f, entityOrder(orderBy), first, after, func(c string, n *model.Organization) {
		conn.Edges = append(conn.Edges, &model.OrganizationEdge{Cursor: c, Node: n})
	})
	if err != nil {
		return nil, err
	}
	conn.PageInfo, conn.TotalCount = pi, total
	return conn, nil
}

func (r *Resolver) Organization() OrganizationResolver { return &organizationResolver{r} }

type organizationResolver struct{ *Resolver }

func containsID[N model.Entity](list []N, id string) bool {
	for _, e := range list {
		if e.GetID() == id {
			return true
		}
	}
	return false
}
