// Package neo4jstore is the Neo4j implementation of model.Store: every method is parameterized
// Cypher run through neo4j-go-driver v5. What it answers and what it refuses is model's
// contract and model's rules (the write and import rules of graph/model decide every write
// from facts this store gathers), held by the storetest conformance suite. It needs Neo4j 5.26 or a later release, and
// the Cypher runs unchanged whether a database's default language is Cypher 5 or Cypher 25:
// CI runs every test on 5.26 and on the newest calendar release with Cypher 25 as default.
//
// # Layout
//
// The files mirror graph/inmem's, so that a field's Cypher here and its implementation in the
// embedded store have the same file name (Organization.assembles, a typed relation field, is
// RelationsOf: relations.go in both). Every statement sits beside the Go that runs it, its
// constant or builder in the same file as the method, and each is kept whole, for a
// representative set of inputs, under testdata/cypher (TestCypherGolden; -update rewrites):
//
//	store.go      Config, Open, Close, Ping, IsEmpty; sessions, transactions, error classes
//	entities.go   Entity, EntitiesByID, Entities
//	sources.go    Source, SourcesByID, Sources
//	relations.go  Relation, Relations, RelationsOf (every relation field of the API)
//	nested.go     ReadNested: a lookup's typed relation lists, every level, in one statement
//	search.go     Search
//	explore.go    Neighborhood, Paths
//	write.go      the model.Writer methods: the lookup of the write rules' facts, the writes
//	import.go     Import: the check of the import rules' facts, the batched merges
//	journal.go    the import journal: the run marker, undo records, rollback and recovery
//	history.go    model.History: revision numbers, headers and changes, their queries, Prune
//	hierarchy.go  the cycle check of writes and imports
//	page.go       keyset paging: the count-and-page results, cursors
//	schema.go     the constraints and indexes Open creates
//	whitelist.go  the only places where labels, types and path bounds enter Cypher text
//	mapping.go    records, nodes and relationships back to model values
//	params.go     model values to parameters and properties, content hashes
//	logger.go     the driver's log, through slog
//
// Each test file is named for the file it tests; statements_test.go holds the golden set and
// the checks every statement passes (the linter in cypherlint_test.go and the test server in
// statements_server_test.go run over the same set).
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
//	searchKeys  = model.SearchKeys(entity) what Search scores
//	searchText  = searchKeys joined by "\n" what NameContains and Search find candidates in,
//	                                       through a TEXT index (a query never holds "\n")
//	contentHash                            SHA-256 of the content, so re-imports can tell
//	createdAt, updatedAt                   Neo4j DateTime (UTC, whole microseconds), set by writes
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
// History (model.History, history.go) is kept in nodes no read of the graph sees: one
// :RevisionCounter {key, last, floor, floorAt}, a :Revision header per revision {number, at,
// operation, actorName, actorRole, actorVia, touched (JSON of a write's []model.Touched), run
// (an import's run id)}, and a :RevisionChange {number or run, itemId, before} per item it
// changed, before being the JSON of the model.Item it replaced (model.Item's own encoding,
// timestamps included), absent for an item the revision created. A write's changes carry its
// number; an import's carry its run id and its Touched entry each (so no property grows with
// the dataset), and are found through the header with that run, which commits last (see
// Store.Import).
//
// # Schema
//
// Open creates, idempotently (IF NOT EXISTS), a uniqueness constraint on id for :Entity, each
// kind label and :Source; range indexes on the properties that lookups and
// orderings use (Entity.nameKey, Entity.countryId, Source.titleKey, Source.publishedStart,
// Source.publisherId); an index on id for every relationship type, so a relation is found by
// id with one index seek per type; and a full-text index over Entity name and aliases for ad
// hoc Cypher users; a TEXT index on Entity.searchText, which answers CONTAINS (trigrams) for
// Search and NameContains; the import journal's constraint and indexes (journal.go); and
// history's: uniqueness on RevisionCounter.key and Revision.number, range indexes on
// Revision.at and .run and on RevisionChange (itemId, number), (itemId, run), number and run,
// so an item's history, PriorStates, a revision's changes and Prune are index seeks. Open
// also fills in searchText on entities a store of an earlier release wrote, and recovers an
// abandoned import.
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
//     UNWIND $ids, then correlated CALL subqueries for the page and the count of each. On a
//     first page the count is taken only for an entity whose page is full (a shorter page's
//     size is the total). RelationsOfWithEnds (model.EndsReader) is the same statement
//     returning the node at the other end of each relation too, so a typed relation field
//     (Brand.models) costs one round trip per level instead of two.
//   - Batches by id (EntitiesByID, SourcesByID) return their nodes collected in one record:
//     the driver spends about as much on a record as on the node in it.
//   - Search takes its candidates from the TEXT index on searchText (searchText CONTAINS $q
//     holds exactly when a search key contains the normalised query, since neither holds the
//     separator), and scores them in Cypher with the same CASE ladder as model.ScoreMatch over
//     searchKeys, so the answers and their order are the embedded store's. The full-text index
//     is not used: its analyzer tokenizes words, so it would miss matches inside a word ("enz"
//     in "benz") and disagree with model.Normalize.
//   - Neighborhood is one statement: a breadth-first walk of at most three levels, each a
//     subquery bounded by LIMIT (at most Limit new nodes), then the relations among the kept
//     nodes (capped at model.MaxSubgraphRelations+1). One round trip, and no path
//     enumeration, so a hub cannot blow the query up.
//   - Paths is one statement: both endpoints are looked up (for NOT_FOUND) and
//     allShortestPaths runs with a literal upper bound built from a validated length, capped
//     at model.MaxPathsExplored paths; Go orders them with model.SortPaths.
//   - Import writes in bounded transactions of Config.ImportBatchSize rows (2,000 by
//     default; Neo4j caps a transaction's memory), each one UNWIND ... MERGE statement plus
//     the statement that saves what it overwrites, two at a time (Config.ImportWorkers):
//     sources and entities, then relations. It stays all or nothing through an undo journal
//     (journal.go): every batch commits with the prior state of what it overwrites and the
//     ids it creates, and a failed, cancelled or abandoned import is rolled back from it
//     (an abandoned one by the next Open or Import, once its heartbeat is 30 s old). Each
//     batch also records, in its transaction, the history's change of every item it
//     changes; the import's revision header, with its number, commits in the final
//     transaction that marks the import committed, so a failed import leaves no revision
//     (its changes go with its journal). Readers
//     may see part of an import while it runs. Rows whose contentHash is unchanged are not
//     written at all, so importing the same dataset twice changes nothing, timestamps
//     included.
//
// # Writes
//
// Store also implements model.Writer. The write rules of graph/model (model.CheckEntityWrite
// and its siblings) decide every write: which checks, in which order, with which codes and
// messages; the store gathers their facts and applies the change. Each write is one managed
// write transaction (ExecuteWrite) on the configured database, with the caller's context:
//
//   - The value is checked on its own first (model.CheckEntity and friends), before any
//     round trip.
//   - The transaction's first statement takes the write's revision number by incrementing
//     the history's counter (history.go), which write-locks the counter until the
//     transaction ends: writes run one at a time from here to their commit, in number
//     order. Its last statement records the revision: the header and, for each item the
//     write changed, its content before (read by the lookup below, or for RemoveRelation and
//     DeleteEntity by a statement that reads the relation, or the entity with every relation
//     it has, before deleting them). A write that changes nothing, or is refused, ends the
//     transaction with an error, so it rolls back and the number is given back.
//   - In the transaction, one lookup statement reads everything the write depends on, the
//     model.WriteFacts of the write's model.WriteKeys: the entity, source or relation that
//     already holds the id, which cited sources exist, and the kinds of the referenced
//     entities (country, publisher, endpoints). The rule decides from that; a refusal is
//     returned from the transaction function, so the transaction rolls back and nothing is
//     half-written.
//   - Then one write statement writes and returns what is now stored, read back in the same
//     transaction. SET x = $props replaces every property, so a field left out is removed;
//     createdAt is carried over; labels and relationship types come from the whitelist only.
//     When the stored item already has the same content (compared as values: timestamps
//     aside, nil and empty lists alike, and for AddRelation the cited sources as a set, as
//     model.RelationID takes them) nothing is written and it is returned as it is, so an
//     identical write changes nothing, updatedAt included.
//   - A relation of a hierarchical type (SUBSIDIARY_OF, LOCATED_IN) is checked for cycles
//     after it is written, in the same transaction: a shortestPath statement looks for a
//     chain of that type back from its target to its source (hierarchy.go), and
//     model.CheckNoCycle decides; a refusal rolls the write back. Import runs the same check
//     over the hierarchical relations it wrote, when the graph held relations of that type
//     before.
//   - UpdateRelation that changes a relation's type or endpoints deletes the relationship
//     and creates the new one in the same transaction, keeping createdAt. DeleteEntity is a
//     DETACH DELETE that reports how many relations went.
//
// The driver runs a transaction function again after a transient error (a deadlock, a
// leader switch). That is safe: the failed attempt's transaction was rolled back, so the
// next one starts from the graph as it is, and what the function sends (parameters and
// timestamp) is fixed before the first attempt. The driver does not retry a commit whose
// outcome it could not learn (the connection died during it); that write reports
// UNAVAILABLE, and a client that repeats it gets the same answer for an upsert or an add
// (the same content again is a no-op), and NOT_FOUND for a remove or delete that had in fact
// gone through.
//
// Since every write holds the counter from before its lookup until it commits, the lookup
// reads the graph as the previous write left it, whatever the number of server processes
// on the database: two writes of the same new id cannot both pass their lookups, and what a
// revision keeps as before is what the previous revision wrote. The cost is that writes do
// not overlap (a write is a few round trips; measured in BenchmarkWriteLatency). Import's
// batches do not take the counter (only its final commit does), so a write that runs while
// an import writes may still meet the import's batch at read-committed isolation: Neo4j's
// locks keep the graph whole (a MERGE on a uniqueness-constrained id gives one node, which
// the later write replaces whole; a relation whose endpoint is deleted between the lookup
// and the write is refused, NOT_FOUND), but an entity and a source, or two relations of
// different types, created under one new id by the write and the import at the same instant
// are not ruled out (no constraint of Neo4j Community spans labels or relationship types),
// nor is the import's record of such an item's prior content exact.
//
// # Consistency
//
// Every session the store opens (writes, Import, and the reads, which run as auto-commit
// transactions retried as the driver retries a managed one: autocommit.go) is given the
// driver's ExecuteQuery bookmark manager, which the schema statements' ExecuteQuery uses by
// default. The manager records the bookmark of each committed
// transaction and every later transaction of the process starts with those bookmarks, so the
// server (on a cluster, whichever member answers, reader or writer) waits until it has
// applied them before it runs the transaction: a read that follows a write in this process
// sees it (causal consistency, read-your-writes). Reads are routed to readers and writes to
// the leader of the database. Bookmarks are per process: another server process reading the
// same cluster may see a write a moment later, unless the cluster is a single instance.
//
// Every CALL subquery names what it imports in a scope clause, CALL (x) { ... } or CALL () {
// ... } (Neo4j 5.23 and later); the importing WITH, deprecated since 5.21, is not used, so no
// statement draws a deprecation on either language (TestStatementsOnServer checks this on
// the test server).
//
// Errors follow model.Store: NOT_FOUND and BAD_USER_INPUT for the caller's mistakes,
// UNAVAILABLE when Neo4j cannot be reached (connectivity, transient errors, an expired context,
// rejected credentials), anything else internal. Client messages never contain Cypher; the
// driver's error is kept as the cause, for logs.
package neo4jstore
