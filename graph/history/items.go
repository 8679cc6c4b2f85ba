// Package history reads the graph's past from the revisions a store keeps (model.History):
// an item's content right after any revision (ItemsAt), and a model.Reader over the whole
// graph as it stood at a revision (Past), built the same way over either store.
package history

import (
	"context"
	"slices"

	"github.com/autograph-kg/autograph/graph/model"
)

// Current reads items as they are now: what ItemsAt falls back on for items no later
// revision changed.
type Current interface {
	model.BatchReader
	Relations(ctx context.Context, q model.RelationQuery) (*model.RelationPage, error)
}

// ItemsAt gives the content of each of ids right after revision n: the Before of the first
// later revision that changed it, or its content now when none did. Ids that did not exist
// then are absent from the map.
func ItemsAt(ctx context.Context, h model.History, cur Current, n int64, ids []string) (map[string]model.Item, error) {
	ids = slices.Compact(slices.Sorted(slices.Values(ids)))
	out := make(map[string]model.Item, len(ids))
	if len(ids) == 0 {
		return out, nil
	}
	prior, err := h.PriorStates(ctx, n, ids)
	if err != nil {
		return nil, err
	}
	var rest []string
	for _, id := range ids {
		if it, ok := prior[id]; ok {
			if it.Exists() {
				out[id] = it
			}
			continue
		}
		rest = append(rest, id)
	}
	if len(rest) == 0 {
		return out, nil
	}
	now, err := CurrentItems(ctx, cur, rest)
	if err != nil {
		return nil, err
	}
	for id, it := range now {
		out[id] = it
	}
	return out, nil
}

// CurrentItems reads ids as they are now, whatever their sort; unknown ids are absent.
func CurrentItems(ctx context.Context, cur Current, ids []string) (map[string]model.Item, error) {
	out := make(map[string]model.Item, len(ids))
	ents, err := cur.EntitiesByID(ctx, ids)
	if err != nil {
		return nil, err
	}
	var rest []string
	for _, id := range ids {
		if e, ok := ents[id]; ok {
			out[id] = model.Item{Entity: e}
		} else {
			rest = append(rest, id)
		}
	}
	if len(rest) == 0 {
		return out, nil
	}
	srcs, err := cur.SourcesByID(ctx, rest)
	if err != nil {
		return nil, err
	}
	var rels []string
	for _, id := range rest {
		if s, ok := srcs[id]; ok {
			out[id] = model.Item{Source: s}
		} else {
			rels = append(rels, id)
		}
	}
	for start := 0; start < len(rels); start += model.MaxPageSize {
		chunk := rels[start:min(start+model.MaxPageSize, len(rels))]
		page, err := cur.Relations(ctx, model.RelationQuery{Filter: model.RelationFilter{IDs: chunk}, First: len(chunk)})
		if err != nil {
			return nil, err
		}
		for _, r := range page.Items {
			out[r.ID] = model.Item{Relation: r}
		}
	}
	return out, nil
}
