package graph

import (
	"context"

	"github.com/autograph-kg/autograph/graph/gqlmodel"
	"github.com/autograph-kg/autograph/graph/model"
)

// The helpers of the history resolvers (history.resolvers.go).

// history is the store's history, or UNAVAILABLE when the server keeps none.
func (r *Resolver) history() (model.History, error) {
	if r.History == nil {
		return nil, model.Errorf(model.CodeUnavailable, "this server keeps no history")
	}
	return r.History, nil
}

// focus is the id whose before and after a revision shows: the listing's, or the
// revision's only item.
func (r *revisionResolver) focus(obj *gqlmodel.Revision) string {
	if obj.Focus != "" {
		return obj.Focus
	}
	if len(obj.Touched) == 1 {
		return obj.Touched[0].ID
	}
	return ""
}

// focusChange is what the revision did to its focus item; false when it has none.
func (r *revisionResolver) focusChange(ctx context.Context, obj *gqlmodel.Revision) (model.Change, bool, error) {
	id := r.focus(obj)
	if id == "" {
		return model.Change{}, false, nil
	}
	h, err := r.history()
	if err != nil {
		return model.Change{}, false, err
	}
	cs, err := h.Changes(ctx, obj.Number, []string{id})
	if err != nil || len(cs) == 0 {
		return model.Change{}, false, err
	}
	return cs[0], true, nil
}

// revisionConnection runs a revision listing; focus is the id a history listing is about.
func (r *queryResolver) revisionConnection(ctx context.Context, q model.RevisionQuery, focus string, first *int, after *string) (*gqlmodel.RevisionConnection, error) {
	h, err := r.history()
	if err != nil {
		return nil, err
	}
	n, err := firstArg(first)
	if err != nil {
		return nil, err
	}
	q.First, q.After = max(n, 1), str(after)
	page, err := h.Revisions(ctx, q)
	if err != nil {
		return nil, err
	}
	items, hasNext := visible(page.Items, page.HasNextPage, n)
	conn := &gqlmodel.RevisionConnection{Edges: make([]*gqlmodel.RevisionEdge, 0, len(items)), Nodes: make([]*gqlmodel.Revision, 0, len(items))}
	cursors := make([]string, 0, len(items))
	for _, rev := range items {
		c := model.RevisionCursor(rev.Number)
		node := &gqlmodel.Revision{Revision: rev, Focus: focus}
		cursors = append(cursors, c)
		conn.Edges = append(conn.Edges, &gqlmodel.RevisionEdge{Cursor: c, Node: node})
		conn.Nodes = append(conn.Nodes, node)
	}
	conn.PageInfo = pageInfo(cursors, hasNext, str(after))
	return conn, nil
}
