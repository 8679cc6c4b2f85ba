// Package inmem is the embedded store: a complete, in-process implementation of model.Store
// and model.Writer that keeps the whole knowledge graph in memory, optionally backed by a
// file so that it survives restarts and crashes.
//
// It is not a mock. It implements every method with the semantics written down in model.Store
// and model.Writer, decides what it refuses by the rule book of graph/model (the query, write
// and import rules: it only gathers their facts from its maps and applies the change) and
// passes the storetest conformance suite, so the server can run without a database
// (development, tests, small deployments).
//
// Data is copied on the way in and on the way out (with the model's Clone methods): callers
// never share memory with the store, so they may change what they pass in or get back.
//
// # Layout
//
// The files mirror graph/neo4jstore's, so that a field's implementation here and its Cypher
// there have the same file name (Organization.assembles, a typed relation field, is
// RelationsOf: relations.go in both):
//
//	store.go      Store, New, Ping, Close; the maps, their sorted views and the adjacency index
//	entities.go   Entity, EntitiesByID, Entities
//	sources.go    Source, SourcesByID, Sources
//	relations.go  Relation, Relations, RelationsOf, RelationsOfWithEnds (every relation field of the API)
//	search.go     Search and its trigram index
//	explore.go    Neighborhood, Paths
//	write.go      the model.Writer methods: the facts of the write rules, the cycle search
//	import.go     Import: the facts of the import rules, the cycle search
//	page.go       keyset paging over the sorted views
//	change.go     the effect of a write or an import, applied to the maps, views and indexes
//	disk.go       Open and the bbolt file: loading, committing, staged imports
//	codec.go      the binary records of format version 2
//	adjacency.go  relations by endpoint, in id order
//	neighbours.go a hub's relations by their other end, built as neighbourhoods walk it
//	search_prefix.go  the name, alias and word arrays that answer most short searches
//	prebuild.go   a large import built in memory while the file takes it
//	nested.go     ReadNested, composed of the batch methods
//
// Each test file is named for the file it tests; disk_internal_test.go, write_internal_test.go
// and import_internal_test.go look inside the store.
//
// # Concurrency
//
// A Store is safe for concurrent use. Reads share a sync.RWMutex over the in-memory graph.
// Writes (the model.Writer methods, Import and Close) are serialized by a second mutex, the
// write lock: a write checks everything first, works out its whole effect (timestamps
// included), makes it durable, and only then takes the read-write mutex for the moment it
// takes to apply that effect in memory. So readers see the graph before a write or after it,
// never half of one, and they never wait for the disk.
//
// # Durability
//
// New returns a store that lives in memory only. Open backs it with a bbolt database file,
// <dir>/graph.db: every write is committed to the file in one bbolt transaction (bbolt syncs
// the file on commit) before it is applied in memory and acknowledged, so a write that
// returned success survives a crash of the process, kill -9 included, and one that returned
// an error changed neither the file nor memory. At start the whole file is read back into
// memory, so reads never touch the disk. The file is locked while a store has it open: a
// second process (or a second Open in the same one) fails with "data directory ... is in
// use by another process".
//
// Import stops when its context is done (a server told to stop while it loads a dataset),
// within moments, and leaves the file as it was: its checks and the writing of its records
// look at the context as they go, and the file's transaction rolls back. A large first
// import into an empty file is written in several transactions into a staging bucket that its
// last transaction swaps in, so it can stop at any point; a staging bucket left by a crash is
// dropped at Open. Once the file holds a large import, a done context also stops loading it
// into memory: the store then closes itself, and the import loads at the next Open.
//
// # On-disk format
//
// The file holds four buckets, keyed by id:
//
//	meta       "version" -> "2" (the format version; Open reads 1 and 2 and refuses any other)
//	entities   id -> binary record: kind, then the entity's fields (codec.go)
//	sources    id -> binary record of the source
//	relations  id -> binary record of the relation
//	import-staging  entities, sources, relations as above, only while a first import is
//	                written (see Import above); never read. It also rebuilds the history
//	                buckets of rows (history.go) while they hold fewer rows than the
//	                import's revision, so that its last transaction writes only the header
//
// A binary record starts with the byte 0x01 and holds the model type's fields in declaration
// order, timestamps included (microseconds since the epoch, UTC, the precision the store keeps
// them in), but not the id, which is its key; codec.go spells the encoding out. Version 1
// stored JSON instead: {"kind": ..., "entity": {...}, "createdAt": ..., "updatedAt": ...}
// for an entity, {"source": {...}, ...} and {"relation": {...}, ...} for the others, the
// model types' own JSON (the seed's format) with RFC 3339 timestamps. Open reads both
// encodings (a JSON record starts with '{'), so a version 1 file is read as it is; it is
// marked version 2 at Open, and its records turn binary as writes replace them. A change of
// layout must bump the version, so that an older build refuses a newer file instead of
// misreading it.
//
// Reading a file is most of a restart, so Open reads the relations beside the entities, on
// a second goroutine, and a load (like a first import) builds the views and indexes on both
// cores; a large import into a small store is built in memory while the file takes it
// (prebuild.go).
package inmem
