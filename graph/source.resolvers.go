package graph

import (
	"context"

	"github.com/autograph-kg/autograph/graph/model"
)

func (r *queryResolver) Source(ctx context.Context, id string) (*model.Source, error) {
	s, err := r.Store.Source(ctx, id)
	if model.IsNotFound(err) {
		return nil, nil
	}
	return s, err
}

func (r *queryResolver) Sources(ctx context.Context, where *model.SourceWhere, orderBy *model.SourceOrder, first *int, after *string) (*model.SourceConnection, error) {
	n, err := firstArg(first)
	if err != nil {
		return nil, err
	}
	var f model.SourceFilter
	if where != nil {
		f = model.SourceFilter{IDs: where.Ids, TitleContains: str(where.TitleContains), PublisherIDs: where.Publisher}
	}
	o := sourceOrder(orderBy)
	page, err := r.Store.Sources(ctx, model.SourceQuery{Filter: f, Order: o, First: max(n, 1), After: str(after)})
	if err != nil {
		return nil, err
	}
	items, hasNext := page.Items, page.HasNextPage
	if n == 0 {
		items, hasNext = nil, len(page.Items) > 0
	}
	conn := &model.SourceConnection{Edges: make([]*model.SourceEdge, 0, len(items)), TotalCount: page.TotalCount}
	cursors := make([]string, 0, len(items))
	for _, s := range items {
		c := model.SourceCursor(s, o)
		cursors = append(cursors, c)
		conn.Edges = append(conn.Edges, &model.SourceEdge{Cursor: c, Node: s})
	}
	conn.PageInfo = pageInfo(cursors, hasNext, str(after))
	return conn, nil
}

func (r *sourceResolver) Publisher(ctx context.Context, obj *model.Source) (*model.Organization, error) {
	return entityAs[*model.Organization](ctx, obj.PublisherID)
}

func (r *Resolver) Source() SourceResolver { return &sourceResolver{r} }

type sourceResolver struct{ *Resolver }
