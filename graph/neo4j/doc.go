// Package neo4jstore is the Neo4j implementation of model.Store: every method is parameterized
// Cypher run through neo4j-go-driver v5, and it answers exactly like the embedded store (the
// storetest conformance suite runs against both). The Cypher runs unchanged on Neo4j 4.4 and
// 5.x: no elementId(), no COUNT{}/COLLECT{} subqueries, no type predicates, no dynamic labels.
//
// # Graph layout
//
// Entities are nodes labelled :Entity plus their kind's label (:Organization, :Brand,
// :VehicleModel, :Plant, :Place, :Agreement — model.EntityKind.Label). Their properties:
//
//	id, kind, name, aliases (list), description, sourceIds (list)
//	type, ownership, founded, countryId, segment, powertrain, opened, countryCode,
//	signedOn, announcedOn                  kind-specific fields, named as model's JSON tags
//	provisionsJson                         an Agreement's provisions as a JSON string
//	nameKey     = model.SortKey(name)      the NAME ordering's key
//	searchKeys  = model.SearchKeys(entity) what NameContains and Search match against
//	contentHash                            SHA-256 of the content, so re-imports can tell
//	createdAt, updatedAt                   Neo4j DateTime (UTC), set by Import
//
// Sources are :Source nodes with id, title, publisherId, publishedOn, dateline, url,
// language, plus titleKey = SortKey(title) and publishedStart = PublishedOn.Start() for the
// TITLE and PUBLISHED_ON orderings, contentHash, createdAt and updatedAt.
//
// Relations are relationships whose type is the model.RelationType (SUBSIDIARY_OF, ...), from
// the relation's from entity to its to entity, with properties id, status, validFrom, validTo,
// quantity, note, sourceIds, contentHash, createdAt, updatedAt, and spanStart/spanEnd: the
// relation's model.Span, absent where unbounded. An asOf filter is the same half-open string
// comparison as model.Span.Overlaps:
//
//	(r.spanStart IS NULL OR r.spanStart < $asOfEnd) AND (r.spanEnd IS NULL OR r.spanEnd > $asOfStart)
//
// Partial dates (validFrom, founded, publishedOn, ...) are stored as their String() form and
// read back with model.ParseDate. A list that was empty stays an empty list and an absent one
// stays absent, so values round-trip exactly.
//
// # Schema
//
// Open creates, idempotently (IF NOT EXISTS), a uniqueness constraint on id for :Entity, each
// kind label and :Source; range (4.4: b-tree) indexes on the properties that lookups and
// orderings use (Entity.nameKey, Entity.countryId, Source.titleKey, Source.publishedStart,
// Source.publisherId); an index on id for every relationship type, so a relation is found by
// id with one index seek per type; and a full-text index over Entity name and aliases for ad
// hoc Cypher users. Neo4j 4.4 is the oldest server supported: it is the first with the
// FOR ... REQUIRE constraint syntax, and CREATE FULLTEXT INDEX exists since 4.3.
//
// # Query design
//
//   - Labels and relationship types never come from user text: they are validated against
//     model.AllEntityKinds and model.AllRelationTypes and spliced into a handful of constant
//     templates; every value is a parameter.
//   - Listings are keyset pages (no SKIP): the cursor's (key, id) becomes a WHERE on
//     (nameKey, id) or the like, ORDER BY the same, LIMIT first+1 to learn HasNextPage. The
//     total count and the page come from one statement with two uncorrelated CALL subqueries,
//     so a page costs one round trip.
//   - RelationsOf pages the relations of every requested entity in one statement:
//     UNWIND $ids, then correlated CALL subqueries for the count and the page of each.
//   - Search scans :Entity and scores in Cypher with the same CASE ladder as
//     model.ScoreMatch over searchKeys. The full-text index is not used for candidates: its
//     analyzer tokenizes words, so it would miss matches inside a word ("enz" in "benz") and
//     disagree with model.Normalize; exact answers matter more than an index here.
//   - Neighborhood is a breadth-first search, one statement per level inside one read
//     transaction, each statement bounded by LIMIT (at most Limit+1 new nodes), then one
//     statement fetches the kept nodes and the relations among them (capped at
//     model.MaxSubgraphRelations+1). Depth+1 round trips at most, and no path enumeration, so
//     a hub cannot blow the query up.
//   - Paths is one statement: both endpoints are looked up (for NOT_FOUND) and
//     allShortestPaths runs with a literal upper bound built from a validated length, capped
//     at model.MaxPathsExplored paths; Go orders them with model.SortPaths.
//   - Import is one write transaction (all or nothing, like the embedded store), made of
//     batched UNWIND ... MERGE statements. Rows whose contentHash is unchanged are not written
//     at all, so importing the same dataset twice changes nothing, timestamps included.
//
// Correlated subqueries use the importing-WITH form (CALL { WITH x ... }), the only one 4.4
// knows. Neo4j 5.21 and later run it but return a deprecation notification suggesting
// CALL (x) { ... }, which 4.4 cannot parse; a server set to the Cypher 25 language would
// refuse it, so such a database must keep Cypher 5 as its default language.
//
// Errors follow model.Store: NOT_FOUND and BAD_USER_INPUT for the caller's mistakes,
// UNAVAILABLE when Neo4j cannot be reached (connectivity, transient errors, an expired context,
// rejected credentials), anything else internal. Client messages never contain Cypher; the
// driver's error is kept as the cause, for logs.
package neo4jstore
