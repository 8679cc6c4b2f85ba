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
}
