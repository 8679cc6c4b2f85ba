package model

import (
	"context"
	"slices"
	"strings"
)

// Limits that every Store honours and the API refuses to exceed. Arguments over a limit are
// refused with BAD_USER_INPUT at the GraphQL edge, never clamped.
const (
	DefaultPageSize          = 20
	MaxPageSize              = 100
	DefaultPathLength        = 4
	MaxPathLength            = 6
	DefaultPaths             = 10
	MaxPaths                 = 100
	DefaultNeighborhoodDepth = 1
	MaxNeighborhoodDepth     = 3
	DefaultNeighborhoodLimit = 100
	MaxNeighborhoodLimit     = 1000
	// MaxSubgraphRelations caps the relations of one neighborhood; past it, Truncated is set.
	MaxSubgraphRelations = 5000
	// MaxListSize caps the unpaginated typed lists (Organization.brands and the like).
	MaxListSize = 1000
	// MaxPathsExplored caps how many shortest paths a store enumerates before ordering them.
	MaxPathsExplored = 1000
	MaxSearchLength  = 200
)

// Store is the knowledge graph's storage. Both backends (the embedded store and Neo4j)
// implement it with identical semantics, checked by the storetest conformance suite.
//
// Every method takes the request's context and stops when it is done. Unless a method says
// otherwise, errors are *Error with code NOT_FOUND or BAD_USER_INPUT for the caller's mistakes,
// UNAVAILABLE when the backend cannot be reached, and anything else is internal.
//
// Shared rules, so both stores agree to the letter. The defaults and refusals of a query are
// its Normalize method's (query.go), which every query method calls before anything else:
//   - Pages: First <= 0 means DefaultPageSize; stores do not enforce MaxPageSize (the API does,
//     and the typed relation lists ask for MaxListSize at once).
//     TotalCount counts every row matching the filter, across pages. HasNextPage says whether
//     a row follows the last one returned. After is a cursor that the query's Cursor method
//     made for the same listing (what is listed, its ordering and its other arguments, First
//     aside); any other cursor is BAD_USER_INPUT (see cursor.go).
//   - Filters: the fields of a filter are ANDed; the values within one list are ORed; an empty
//     list or string does not filter.
//   - Entity NameContains: Normalize(text) is a substring of one of SearchKeys(entity).
//   - Entity Attrs: AttrValue(entity, Field) is one of Values.
//   - Relation AsOf: relation.HoldsAt(asOf), i.e. relation.Span() overlaps SpanOf(asOf).
//   - Orders: entities by (SortKey(name), id) or id; sources by (SortKey(title), id),
//     (publishedOn.Start(), id) or id; relations always by id. Desc reverses key and id alike.
//     An empty sort field means NAME for entities and PUBLISHED_ON (ascending unless Desc)
//     for sources; a field the listing does not sort by is BAD_USER_INPUT.
//   - Unknown values are BAD_USER_INPUT: an entity kind, relation type, status or direction
//     outside the enums, or an attribute field not in AttrFields of the listed kind.
//   - Exploring is bounded: Depth, Limit, MaxLength and the First of Paths out of the range
//     of their Max constants are BAD_USER_INPUT, as in the API.
//   - Source TitleContains: Normalize(text) is a substring of Normalize(title).
//   - Returned values are copies: callers may change them without affecting the store. The
//     one exception is the optional SharedReader, whose values are the stored ones, read-only.
//
// Store is the sum of its parts, and each consumer holds only the part it uses: the resolvers
// a Reader and a Writer, the per-request loaders a BatchReader, seed.Load an Importer. The
// whole Store is held only where it is opened, instrumented and closed: server.go and the
// HTTP handler it builds.
type Store interface {
	Reader
	Writer
	Importer
	History
	Lifecycle
}

// Reader is the read side of a store: lookups, listings and the graph questions. The
// resolvers read through it; its batch methods (BatchReader) are what the per-request
// loaders call.
type Reader interface {
	BatchReader

	// Entity returns the entity with the given id, or NOT_FOUND. Never (nil, nil).
	Entity(ctx context.Context, id string) (Entity, error)
	// Entities lists entities of one kind (or all kinds) matching a filter, in the requested
	// order, one keyset page at a time. A cursor of another listing is BAD_USER_INPUT.
	Entities(ctx context.Context, q EntityQuery) (*EntityPage, error)

	// Source returns the source with the given id, or NOT_FOUND.
	Source(ctx context.Context, id string) (*Source, error)
	// Sources lists sources one keyset page at a time.
	Sources(ctx context.Context, q SourceQuery) (*SourcePage, error)

	// Relation returns the relation with the given id, or NOT_FOUND.
	Relation(ctx context.Context, id string) (*Relation, error)
	// Relations lists relations matching a filter, ordered by id, one keyset page at a time.
	Relations(ctx context.Context, q RelationQuery) (*RelationPage, error)

	// Search finds entities whose name or an alias contains the query, ranked: exact match,
	// then prefix, then word prefix, then any substring (see ScoreMatch). An empty query after
	// normalisation is BAD_USER_INPUT.
	Search(ctx context.Context, q SearchQuery) ([]SearchHit, error)
	// Neighborhood returns the entities within Depth hops of an entity (relations followed in
	// both directions) and the matching relations among them. NOT_FOUND for an unknown id.
	Neighborhood(ctx context.Context, q NeighborhoodQuery) (*Subgraph, error)
	// Paths returns every shortest path (up to First) between two entities, relations followed
	// in both directions. NOT_FOUND for an unknown endpoint; an empty list when none is within
	// MaxLength.
	Paths(ctx context.Context, q PathQuery) ([]*Path, error)
}

// BatchReader holds the batch lookups that one request's loaders coalesce many field reads
// into (see graph/loader): one call for many ids.
type BatchReader interface {
	// EntitiesByID returns the entities with the given ids, keyed by id; unknown ids are absent
	// from the map (no error). It is the batch method behind the per-request entity loader.
	EntitiesByID(ctx context.Context, ids []string) (map[string]Entity, error)
	// SourcesByID is the batch lookup for sources; unknown ids are absent from the map.
	SourcesByID(ctx context.Context, ids []string) (map[string]*Source, error)
	// RelationsOf pages through the relations of each of several entities at once (one page per
	// entity, keyed by entity id; every requested id has an entry, empty for unknown ids). It is
	// the batch method behind Entity.relations and the typed relation fields.
	RelationsOf(ctx context.Context, ids []string, q RelationsOfQuery) (map[string]*RelationPage, error)
}

// EndsReader is an optional batch method of a BatchReader, for the typed relation fields
// (Organization.brands, Brand.models) that always show the entity at the other end of each
// relation: a store that can read the relations and those entities in one round trip (the
// Neo4j store joins them in one statement) offers it. RelationsOfWithEnds gives the same
// answer for every BatchReader.
type EndsReader interface {
	// RelationsOfWithEnds is RelationsOf, plus the entity at the other end of every relation
	// on the pages (for a self-loop, the entity itself), keyed by id.
	RelationsOfWithEnds(ctx context.Context, ids []string, q RelationsOfQuery) (map[string]*RelationPage, map[string]Entity, error)
}

// RelationsOfWithEnds reads the pages of RelationsOf and the entities at the other end of
// their relations: through the store's EndsReader when it has one, else by RelationsOf and
// then EntitiesByID of the other ends.
func RelationsOfWithEnds(ctx context.Context, r BatchReader, ids []string, q RelationsOfQuery) (map[string]*RelationPage, map[string]Entity, error) {
	if er, ok := r.(EndsReader); ok {
		return er.RelationsOfWithEnds(ctx, ids, q)
	}
	pages, err := r.RelationsOf(ctx, ids, q)
	if err != nil {
		return nil, nil, err
	}
	var ends []string
	for id, p := range pages {
		for _, rel := range p.Items {
			ends = append(ends, rel.Other(id))
		}
	}
	if len(ends) == 0 {
		return pages, map[string]Entity{}, nil
	}
	ents, err := r.EntitiesByID(ctx, ends)
	if err != nil {
		return nil, nil, err
	}
	return pages, ents, nil
}

// Importer loads whole datasets: the seed at start-up and bulk imports.
type Importer interface {
	// Import upserts a whole dataset: entities, sources and relations, keyed by id. Importing
	// the same dataset twice changes nothing. The dataset must already be valid (Validate).
	// BAD_USER_INPUT, with nothing written, when it clashes with the stored graph: among
	// others, when a hierarchical relation it writes lies on a cycle with the stored relations
	// it does not replace (the first such relation in dataset order is named).
	//
	// An import is all or nothing: when it fails or its context is done, the graph is left as
	// it was. It need not be isolated while it runs: a store that writes a large dataset in
	// several transactions (the Neo4j store does; the embedded store does not) may let
	// readers see part of the import while it runs or while a failed one is rolled back, and
	// a write another client makes meanwhile to an item the import overwrites is lost if the
	// import rolls back. Such a store says how it keeps the promise across a crash.
	Import(ctx context.Context, d *Dataset) error
}

// Lifecycle is what the server needs to run a store: readiness and shutdown.
type Lifecycle interface {
	// Ping reports whether the store can answer; UNAVAILABLE when it cannot.
	Ping(ctx context.Context) error
	// Close releases the store's resources.
	Close(ctx context.Context) error
}

// SortField is a field a connection can be ordered by.
type SortField string

// The sort fields. Ties are always broken by id, so every order is total and cursors are stable.
const (
	SortByName        SortField = "NAME"
	SortByID          SortField = "ID"
	SortByTitle       SortField = "TITLE"
	SortByPublishedOn SortField = "PUBLISHED_ON"
	// SortByFounded orders entities by founding date (Date.Before order), unknown dates last
	// in either direction; only organizations and brands have one.
	SortByFounded SortField = "FOUNDED"
	// SortByCreatedAt and SortByUpdatedAt order entities by their stored timestamps.
	SortByCreatedAt SortField = "CREATED_AT"
	SortByUpdatedAt SortField = "UPDATED_AT"
	// SortByType, SortByValidFrom and SortByValidTo order relations; unknown dates come last
	// in either direction.
	SortByType      SortField = "TYPE"
	SortByValidFrom SortField = "VALID_FROM"
	SortByValidTo   SortField = "VALID_TO"
)

// Order is a connection's ordering.
type Order struct {
	Field SortField
	Desc  bool
}

// EntityFilter narrows an entity listing. Empty fields do not filter.
type EntityFilter struct {
	IDs []string
	// NameContains keeps entities whose normalised name or an alias contains the normalised text.
	NameContains string
	// Attrs keeps entities whose attribute Field is one of Values (see AttrFields).
	Attrs []AttrFilter
	// Where is a composable filter (see EntityWhere), ANDed with the fields above; nil does
	// not filter.
	Where *EntityWhere
}

// AttrFilter matches one categorical attribute against a set of values.
type AttrFilter struct {
	Field  string
	Values []string
}

// EntityQuery asks for one page of entities. Order.Field is NAME or ID.
type EntityQuery struct {
	Kind   EntityKind // empty: every kind
	Filter EntityFilter
	Order  Order
	First  int
	After  string
	// Aggregate asks for counts and founding-date bounds over every matching entity
	// (EntityPage.Aggregate); nil asks for none.
	Aggregate *EntityAggregateRequest
	// CountOnly asks for TotalCount (and Aggregate) alone: no row is read.
	CountOnly bool
}

// EntityPage is one page of entities plus what Relay's PageInfo needs.
type EntityPage struct {
	Items       []Entity
	HasNextPage bool
	TotalCount  int
	// Aggregate answers the query's Aggregate; nil when it asked for none.
	Aggregate *EntityAggregate
}

// SourceFilter narrows a source listing.
type SourceFilter struct {
	IDs           []string
	TitleContains string
	PublisherIDs  []string
}

// SourceQuery asks for one page of sources. Order.Field is TITLE, PUBLISHED_ON or ID.
type SourceQuery struct {
	Filter SourceFilter
	Order  Order
	First  int
	After  string
}

// SourcePage is one page of sources.
type SourcePage struct {
	Items       []*Source
	HasNextPage bool
	TotalCount  int
}

// RelationFilter narrows relations. Empty fields do not filter.
type RelationFilter struct {
	IDs    []string
	Types  []RelationType
	Status []RelationStatus
	// AsOf keeps relations whose Span overlaps the period the date names.
	AsOf *Date
	// FromIDs and ToIDs keep relations starting or ending at one of these entities.
	FromIDs []string
	ToIDs   []string
	// SourceIDs keeps relations citing at least one of these sources.
	SourceIDs []string
	// Where is a composable filter (see RelationWhere), ANDed with the fields above; nil does
	// not filter.
	Where *RelationWhere
}

// RelationQuery asks for one page of relations. Order.Field is ID (the default), TYPE,
// VALID_FROM or VALID_TO; ties are broken by id.
type RelationQuery struct {
	Filter RelationFilter
	Order  Order
	First  int
	After  string
	// Aggregate asks for counts and date bounds over every matching relation (RelationPage.
	// Aggregate); nil asks for none.
	Aggregate *AggregateRequest
	// CountOnly asks for TotalCount (and Aggregate) alone: no row is read.
	CountOnly bool
}

// RelationsOfQuery asks for one page of each entity's relations, ordered by id. Direction OUT
// keeps relations from the entity, IN those to it, BOTH (or empty) either; a relation from an
// entity to itself counts once.
type RelationsOfQuery struct {
	Direction Direction
	Filter    RelationFilter
	// Order is as in RelationQuery.
	Order     Order
	First     int
	After     string
	Aggregate *AggregateRequest
	CountOnly bool
}

// RelationPage is one page of relations.
type RelationPage struct {
	Items       []*Relation
	HasNextPage bool
	TotalCount  int
	// Aggregate answers the query's Aggregate; nil when it asked for none.
	Aggregate *RelationAggregate
}

// SearchQuery asks for entities by a fragment of a name or alias. Text is raw user text
// (Normalize checks it with PrepareSearch; stores match Normalize(Text)); Kinds empty means
// all kinds; First <= 0 means DefaultPageSize.
// Hits have score ScoreMatch(query, SearchKeys(entity)) > 0 and are ordered by SortHits.
type SearchQuery struct {
	Text  string
	Kinds []EntityKind
	First int
	// Fields, when not zero, says that the caller reads only these fields of the hits'
	// entities (and their id and kind): a store may read that much and leave the other fields
	// at their zero values. Zero asks for whole entities.
	Fields EntityFields
}

// SearchHit is one search result with its score in (0, 1].
type SearchHit struct {
	Entity Entity
	Score  float64
}

// NeighborhoodQuery asks for the subgraph around an entity. Depth 0 is the entity alone, and
// at most MaxNeighborhoodDepth; Limit <= 0 means DefaultNeighborhoodLimit and counts nodes, the
// centre included, at most MaxNeighborhoodLimit. Only
// relations matching Types and AsOf are followed and returned. When more than Limit entities
// are within Depth, the first Limit in breadth-first order (distance, then id) are kept and
// Truncated is set. Relations are every matching relation with both ends among the kept nodes,
// ordered by id; past MaxSubgraphRelations the rest are dropped and Truncated is set.
type NeighborhoodQuery struct {
	ID    string
	Depth int
	Types []RelationType
	AsOf  *Date
	Limit int
	// Nodes, when not zero, says that the caller reads only these fields of the nodes (and
	// their id and kind): a store may read that much and leave the other fields at their zero
	// values. Zero asks for whole entities.
	Nodes EntityFields
	// NoRelations says that the caller does not read Relations: a store may leave it empty.
	// Truncated is the same either way (MaxSubgraphRelations still counts).
	NoRelations bool
}

// Subgraph is a set of entities and the relations among them, ready to draw. Nodes come in
// breadth-first order (the centre first, then by distance, then by id); relations by id.
type Subgraph struct {
	Nodes     []Entity
	Relations []*Relation
	// Truncated says that Limit (or MaxSubgraphRelations) cut the result short.
	Truncated bool
}

// PathQuery asks for the shortest paths between two entities. MaxLength <= 0 means
// DefaultPathLength, at most MaxPathLength; First <= 0 means DefaultPaths, at most MaxPaths. Every relation on a path matches Types and
// AsOf; relations are followed in either direction, and two relations between the same pair of
// entities make two paths. From == To gives one path of length 0. Paths are ordered by
// SortPaths over at most MaxPathsExplored enumerated shortest paths.
type PathQuery struct {
	From      string
	To        string
	MaxLength int
	Types     []RelationType
	AsOf      *Date
	First     int
}

// Path is a chain of entities joined by relations: Relations[i] joins Nodes[i] and Nodes[i+1],
// in either direction.
type Path struct {
	Nodes     []Entity
	Relations []*Relation
}

// Length is the number of relations in the path.
func (p *Path) Length() int { return len(p.Relations) }

// SortPaths puts paths in the order every store returns them: by the sequence of node ids,
// then by the sequence of relation ids. Stores enumerate (up to MaxPathsExplored) shortest
// paths, sort them with this, and keep the first First.
func SortPaths(ps []*Path) {
	key := func(p *Path) (string, string) {
		var n, r strings.Builder
		for _, e := range p.Nodes {
			n.WriteString(e.GetID())
			n.WriteByte(0)
		}
		for _, x := range p.Relations {
			r.WriteString(x.ID)
			r.WriteByte(0)
		}
		return n.String(), r.String()
	}
	slices.SortStableFunc(ps, func(a, b *Path) int {
		an, ar := key(a)
		bn, br := key(b)
		if c := strings.Compare(an, bn); c != 0 {
			return c
		}
		return strings.Compare(ar, br)
	})
}
