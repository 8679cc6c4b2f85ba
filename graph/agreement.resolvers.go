package graph

import (
	"context"

	"github.com/autograph-kg/autograph/graph/model"
)

func (r *agreementResolver) Sources(ctx context.Context, obj *model.Agreement) ([]*model.Source, error) {
	return entitySources(ctx, obj)
}

func (r *agreementResolver) Relations(ctx context.Context, obj *model.Agreement, types []model.RelationType, direction *model.Direction, status []model.RelationStatus, asOf *model.Date, first *int, after *string) (*model.RelationConnection, error) {
	return entityRelations(ctx, obj.ID, types, direction, status, asOf, first, after)
}

func (r *agreementResolver) Parties(ctx context.Context, obj *model.Agreement) ([]*model.Organization, error) {
	return related[*model.Organization](ctx, obj.ID, model.DirectionIn, nil, model.RelPartyTo)
}

func (r *queryResolver) Agreement(ctx context.Context, id string) (*model.Agreement, error) {
	return entityAs[*model.Agreement](ctx, id)
}

func (r *queryResolver) Agreements(ctx context.Context, where *model.AgreementWhere, orderBy *model.EntityOrder, first *int, after *string) (*model.AgreementConnection, error) {
	var f model.EntityFilter
	if where != nil {
		f = model.EntityFilter{IDs: where.Ids, NameContains: str(where.NameContains)}
	}
	conn := &model.AgreementConnection{Edges: []*model.AgreementEdge{}}
	pi, total, err := entityPage(ctx, r.Store, model.KindAgreement, f, entityOrder(orderBy), first, after, func(c string, n *model.Agreement) {
		conn.Edges = append(conn.Edges, &model.AgreementEdge{Cursor: c, Node: n})
	})
	if err != nil {
		return nil, err
	}
	conn.PageInfo, conn.TotalCount = pi, total
	return conn, nil
}

func (r *Resolver) Agreement() AgreementResolver { return &agreementResolver{r} }

type agreementResolver struct{ *Resolver }
