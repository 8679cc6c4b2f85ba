package model

import "context"

// SharedReader is an optional part of a BatchReader: the batch lookups of a store that never
// changes a value once it has stored it (a write stores new values in place of the old), so
// that it can hand out the stored values themselves instead of copies. The embedded store
// offers it; at a million entities, copying each entity and source a page shows (its struct,
// its lists, its dates, from memory the request has not touched yet) was a tenth of the
// page's CPU.
//
// The values it returns are read-only, for every caller and for ever: changing one would
// change the store. The per-request loaders (graph/loader) and the neighbourhood resolver are
// its callers: the loaders treat what they cache as read-only already, since one cached value
// is handed to every resolver of the request that asks for it, and a subgraph is only
// written out.
type SharedReader interface {
	// SharedEntitiesByID sets out[i] to the stored entity with id ids[i], nil for an unknown
	// id; out has the length of ids.
	SharedEntitiesByID(ctx context.Context, ids []string, out []Entity) error
	// SharedSourcesByID is SharedEntitiesByID for sources.
	SharedSourcesByID(ctx context.Context, ids []string, out []*Source) error
	// SharedRelationsOf is BatchReader.RelationsOf with the stored relations on the pages (the
	// map, the pages and their lists are the caller's); with ends set it is
	// RelationsOfWithEnds, with the stored entities at the other ends too, and without, the
	// map of ends is nil. An explorer page of twenty relations was forty allocations in copies.
	SharedRelationsOf(ctx context.Context, ids []string, q RelationsOfQuery, ends bool) (map[string]*RelationPage, map[string]Entity, error)
	// SharedNeighborhood is Reader.Neighborhood with the stored nodes and relations in the
	// subgraph (the subgraph and its lists are the caller's): a hub's neighbourhood of 200
	// nodes and their relations was a third of its store time in copies.
	SharedNeighborhood(ctx context.Context, q NeighborhoodQuery) (*Subgraph, error)
	// SharedReadNested is ReadNested with the stored entities and relations in the answer
	// (its maps, pages and lists are the caller's): a lookup that follows three relation
	// lists was a fifth of its allocations in copies.
	SharedReadNested(ctx context.Context, ids []string, trees []RelationsTree) (*Nested, error)
}

// ComposeSharedNested is ComposeNested through sr's shared lookups: the answer that a
// SharedReader's SharedReadNested gives when it has no nested read of its own.
func ComposeSharedNested(ctx context.Context, sr SharedReader, r BatchReader, ids []string, trees []RelationsTree) (*Nested, error) {
	return ComposeNested(ctx, sharedBatch{r, sr}, ids, trees)
}

// sharedBatch is a BatchReader whose entity lookups and relations with their ends are a
// SharedReader's.
type sharedBatch struct {
	BatchReader
	sr SharedReader
}

func (b sharedBatch) EntitiesByID(ctx context.Context, ids []string) (map[string]Entity, error) {
	out := make([]Entity, len(ids))
	if err := b.sr.SharedEntitiesByID(ctx, ids, out); err != nil {
		return nil, err
	}
	m := make(map[string]Entity, len(ids))
	for _, e := range out {
		if e != nil {
			m[e.GetID()] = e
		}
	}
	return m, nil
}

func (b sharedBatch) RelationsOf(ctx context.Context, ids []string, q RelationsOfQuery) (map[string]*RelationPage, error) {
	pages, _, err := b.sr.SharedRelationsOf(ctx, ids, q, false)
	return pages, err
}

func (b sharedBatch) RelationsOfWithEnds(ctx context.Context, ids []string, q RelationsOfQuery) (map[string]*RelationPage, map[string]Entity, error) {
	return b.sr.SharedRelationsOf(ctx, ids, q, true)
}
