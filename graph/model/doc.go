// Package model is the vocabulary of the knowledge graph and its rule book: entities, sources,
// relations, the partial-date type, filters and pages, the Store interface both backends
// implement, the rules every store decides by, and the domain errors that the GraphQL layer
// maps to error codes in one place.
//
// It imports nothing else from this module, so every other package can depend on it.
//
// # The rule book
//
// What a store answers and what it refuses is decided here, once, and both stores (graph/inmem
// and graph/neo4jstore) call these functions rather than restate them; a store only gathers the
// facts a rule needs and applies the change. The doc comments of these functions are the
// specification, and their tests (table-driven, without any store) hold them to it:
//
//   - query.go: the query rules, one Normalize per query type (defaults, bounds, unknown
//     kinds, types, statuses, directions, order fields and attributes); cursor.go checks the
//     cursors.
//   - write.go: a written value on its own (CheckEntity, CheckSource, CheckRelation, the size
//     limits, RelationID); writerules.go: a write against the stored graph, decided from the
//     WriteFacts a store gathers for the write's WriteKeys (CheckEntityWrite,
//     CheckSourceWrite, CheckRelationAdd, CheckRelationUpdate), and the timestamps every store
//     records (Timestamp).
//   - importrules.go: an import (CheckDataset, CheckImport over ImportFacts,
//     CheckImportedCycle).
//   - relation.go: which kinds a relation type connects (CheckEndpoints), self-relations
//     (CheckNotSelf) and hierarchies (FindChain, CheckNoCycle); dataset.go: a dataset as a
//     whole (Validate).
//   - same.go: when a write changes nothing (SameEntity, SameSource, SameRelation, SameFact);
//     search.go: matching and ranking (Normalize, SearchKeys, ScoreMatch, SortHits); store.go:
//     the orders, pages and filters every listing follows (and SortPaths); timeline.go: an
//     entity's timeline (BuildTimeline).
//
// The enum lists (AllEntityKinds and the like), the endpoint table (Endpoints) and the
// filterable attributes (AttrFields) are handed out as fresh copies, so no caller can change
// what the rules check against.
package model
