package graph

import (
	"context"

	"github.com/autograph-kg/autograph/graph/loader"
	"github.com/autograph-kg/autograph/graph/model"
)

func (r *queryResolver) Neighborhood(ctx context.Context, id string, depth *int, types []model.RelationType, asOf *model.Date, limit *int) (*model.Subgraph, error) {
	d, err := intArg("depth", depth, model.DefaultNeighborhoodDepth, 0, model.MaxNeighborhoodDepth)
	if err != nil {
		return nil, err
	}
	l, err := intArg("limit", limit, model.DefaultNeighborhoodLimit, 1, model.MaxNeighborhoodLimit)
	if err != nil {
		return nil, err
	}
	return r.Store.Neighborhood(ctx, model.NeighborhoodQuery{ID: id, Depth: d, Types: types, AsOf: asOf, Limit: l})
}

func (r *queryResolver) Paths(ctx context.Context, from string, to string, maxLength *int, types []model.RelationType, asOf *model.Date, first *int) ([]*model.Path, error) {
	ml, err := intArg("maxLength", maxLength, model.DefaultPathLength, 1, model.MaxPathLength)
	if err != nil {
		return nil, err
	}
	n, err := intArg("first", first, model.DefaultPaths, 1, model.MaxPaths)
	if err != nil {
		return nil, err
	}
	return r.Store.Paths(ctx, model.PathQuery{From: from, To: to, MaxLength: ml, Types: types, AsOf: asOf, First: n})
}

func (r *queryResolver) Timeline(ctx context.Context, id string, from *model.Date, to *model.Date) ([]*model.TimelineEntry, error) {
	if from != nil && to != nil && to.End() <= from.Start() {
		return nil, model.Errorf(model.CodeBadUserInput, "timeline: to %s is before from %s", to, from)
	}
	l := loader.For(ctx)
	e, err := l.Entity(ctx, id)
	if err != nil {
		return nil, err
	}
	rels, err := typedRelations(ctx, id, model.DirectionBoth, model.RelationFilter{})
	if err != nil {
		return nil, err
	}
	ids := make([]string, 0, len(rels))
	for _, rel := range rels {
		ids = append(ids, rel.FromID, rel.ToID)
	}
	ents, err := l.Entities(ctx, ids)
	if err != nil {
		return nil, err
	}
	byID := make(map[string]model.Entity, len(ents)+1)
	for _, x := range ents {
		byID[x.GetID()] = x
	}
	byID[id] = e
	entries := model.BuildTimeline(e, rels, byID, from, to)
	out := make([]*model.TimelineEntry, len(entries))
	for i := range entries {
		out[i] = &entries[i]
	}
	return out, nil
}
