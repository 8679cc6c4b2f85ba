package model

import (
	"encoding/json"
	"slices"
	"strconv"
)

// The query rules. Every query type has one Normalize method that checks the query and fills
// in its defaults; both stores call it first thing in the matching Store method and work only
// from what it returns, so a default or a refusal is written once, here, and the stores cannot
// drift apart. Normalize is pure (no store is consulted) and idempotent. Refusals are
// BAD_USER_INPUT with a message that says what is allowed. Cursors are checked by the query's
// AfterCursor, which the stores call next (see cursor.go).

// firstOr is the page-size rule: First <= 0 means def.
func firstOr(first, def int) int {
	if first <= 0 {
		return def
	}
	return first
}

// inRange refuses v outside lo..hi, naming the argument as the API does.
func inRange(name string, v, lo, hi int) error {
	if v < lo || v > hi {
		return Errorf(CodeBadUserInput, "%s must be between %d and %d (got %d)", name, lo, hi, v)
	}
	return nil
}

// checkKind refuses a kind outside the enum; the empty kind (every kind) is allowed when
// empty says so.
func checkKind(k EntityKind, empty bool) error {
	if (k == "" && empty) || k.IsValid() {
		return nil
	}
	return Errorf(CodeBadUserInput, "unknown entity kind %q", k)
}

// checkKinds refuses a kind list with an unknown kind and returns it without duplicates, in
// the order given.
func checkKinds(kinds []EntityKind) ([]EntityKind, error) {
	var out []EntityKind
	for _, k := range kinds {
		if err := checkKind(k, false); err != nil {
			return nil, err
		}
		if !slices.Contains(out, k) {
			out = append(out, k)
		}
	}
	return out, nil
}

// checkTypes refuses a relation type outside the enum.
func checkTypes(types []RelationType) error {
	for _, t := range types {
		if !t.IsValid() {
			return Errorf(CodeBadUserInput, "unknown relation type %q", t)
		}
	}
	return nil
}

// sortOrder is o with an empty field replaced by def.
func sortOrder(o Order, def SortField) Order {
	if o.Field == "" {
		o.Field = def
	}
	return o
}

// Normalize checks an entity listing and fills in its defaults: the order field NAME when
// empty, First DefaultPageSize when <= 0. BAD_USER_INPUT for a kind outside the enum, an order
// field other than NAME or ID, an attribute field the kind cannot be filtered on (the
// listing of every kind accepts every kind's fields), or an aggregate field the kind does
// not have (the listing of every kind is counted by KIND alone); the aggregate's fields are
// kept once each, in order.
func (q EntityQuery) Normalize() (EntityQuery, error) {
	if err := checkKind(q.Kind, true); err != nil {
		return q, err
	}
	q.Order = q.SortOrder()
	switch q.Order.Field {
	case SortByName, SortByID, SortByFounded, SortByCreatedAt, SortByUpdatedAt:
	default:
		return q, Errorf(CodeBadUserInput, "entities cannot be ordered by %s (use NAME, ID, FOUNDED, CREATED_AT or UPDATED_AT)", q.Order.Field)
	}
	w, err := NormalizeEntityWhere(q.Filter.Where)
	if err != nil {
		return q, err
	}
	q.Filter.Where = w
	allowed := AttrFields(q.Kind)
	for _, a := range q.Filter.Attrs {
		if !slices.Contains(allowed, a.Field) {
			what := "entities"
			if q.Kind != "" {
				what = q.Kind.Label() + " entities"
			}
			return q, Errorf(CodeBadUserInput, "%s have no filterable attribute %q", what, a.Field)
		}
	}
	if q.Aggregate, err = q.Aggregate.check(q.Kind); err != nil {
		return q, err
	}
	q.First = firstOr(q.First, DefaultPageSize)
	return q, nil
}

// Normalize checks a source listing and fills in its defaults: the order field PUBLISHED_ON
// when empty (ascending unless Desc), First DefaultPageSize when <= 0. BAD_USER_INPUT for an
// order field other than TITLE, PUBLISHED_ON or ID.
func (q SourceQuery) Normalize() (SourceQuery, error) {
	q.Order = q.SortOrder()
	switch q.Order.Field {
	case SortByTitle, SortByPublishedOn, SortByID:
	default:
		return q, Errorf(CodeBadUserInput, "sources cannot be ordered by %s (use TITLE, PUBLISHED_ON or ID)", q.Order.Field)
	}
	q.First = firstOr(q.First, DefaultPageSize)
	return q, nil
}

// Check refuses a relation filter naming a relation type or status outside the enums.
func (f RelationFilter) Check() error {
	if err := checkTypes(f.Types); err != nil {
		return err
	}
	for _, s := range f.Status {
		if !s.IsValid() {
			return Errorf(CodeBadUserInput, "unknown relation status %q", s)
		}
	}
	return nil
}

// checkRelationOrder fills in the default relation order (ID ascending) and refuses a field
// relations are not ordered by.
func checkRelationOrder(o Order) (Order, error) {
	o = sortOrder(o, SortByID)
	switch o.Field {
	case SortByID, SortByType, SortByValidFrom, SortByValidTo:
		return o, nil
	}
	return o, Errorf(CodeBadUserInput, "relations cannot be ordered by %s (use ID, TYPE, VALID_FROM or VALID_TO)", o.Field)
}

// normalizeRelations is what the two relation listings share: the filter (Check and its
// Where, Other allowed or not), the order and the aggregate request.
func normalizeRelations(f *RelationFilter, o *Order, agg **AggregateRequest, other bool) error {
	if err := f.Check(); err != nil {
		return err
	}
	w, err := NormalizeRelationWhere(f.Where, other)
	if err != nil {
		return err
	}
	f.Where = w
	if *o, err = checkRelationOrder(*o); err != nil {
		return err
	}
	*agg, err = (*agg).check()
	return err
}

// Normalize checks a relation listing (RelationFilter.Check, its Where without Other, its
// order and aggregate) and fills in First: DefaultPageSize when <= 0; the order ID ascending
// when empty.
func (q RelationQuery) Normalize() (RelationQuery, error) {
	if err := normalizeRelations(&q.Filter, &q.Order, &q.Aggregate, false); err != nil {
		return q, err
	}
	q.First = firstOr(q.First, DefaultPageSize)
	return q, nil
}

// direction is d with the default, BOTH, in place of the empty direction.
func direction(d Direction) Direction {
	if d == "" {
		return DirectionBoth
	}
	return d
}

// Normalize checks a query for entities' relations and fills in its defaults: the direction
// BOTH when empty, First DefaultPageSize when <= 0. BAD_USER_INPUT for a direction outside
// the enum or a bad filter (RelationFilter.Check).
func (q RelationsOfQuery) Normalize() (RelationsOfQuery, error) {
	q.Direction = direction(q.Direction)
	switch q.Direction {
	case DirectionOut, DirectionIn, DirectionBoth:
	default:
		return q, Errorf(CodeBadUserInput, "unknown direction %q", q.Direction)
	}
	if err := normalizeRelations(&q.Filter, &q.Order, &q.Aggregate, true); err != nil {
		return q, err
	}
	q.First = firstOr(q.First, DefaultPageSize)
	return q, nil
}

// RelationsOfKey is the comparable form of a RelationsOfQuery (see Key).
type RelationsOfKey string

// Key is a comparable form of q, for maps and batching: two queries have the same key exactly
// when they ask for the same pages. What does not change the answer does not change the key:
// the order and repetitions of a filter's values (they are ORed), an empty direction against
// BOTH, First <= 0 against DefaultPageSize. Every value is quoted, so no choice of ids can
// make two different queries share a key.
func (q RelationsOfQuery) Key() RelationsOfKey {
	// Written into one buffer: every typed relation list asks its key, the loaders again
	// for each batch.
	b := make([]byte, 0, 128)
	b = keyField(b, "direction", string(direction(q.Direction)))
	b = keyList(b, "ids", q.Filter.IDs)
	b = keyList(b, "types", q.Filter.Types)
	b = keyList(b, "status", q.Filter.Status)
	if q.Filter.AsOf != nil {
		// keyField's quoting of the date's digits and dashes, appended in place.
		b = append(b, `asOf="`...)
		b, _ = q.Filter.AsOf.AppendText(b)
		b = append(b, `";`...)
	} else {
		b = append(b, "asOf=;"...)
	}
	b = keyList(b, "from", q.Filter.FromIDs)
	b = keyList(b, "to", q.Filter.ToIDs)
	b = keyList(b, "sources", q.Filter.SourceIDs)
	b = keyField(b, "first", strconv.Itoa(firstOr(q.First, DefaultPageSize)))
	b = keyField(b, "after", q.After)
	// The newer arguments, in one JSON value each; absent ones add nothing, so the keys of
	// queries without them are what they always were (and cost no encoding).
	if q.Filter.Where != nil {
		if j, _ := json.Marshal(q.Filter.Where); string(j) != "null" {
			b = keyField(b, "where", string(j))
		}
	}
	if q.Aggregate != nil {
		if j, _ := json.Marshal(q.Aggregate); string(j) != "null" {
			b = keyField(b, "aggregate", string(j))
		}
	}
	if o := sortOrder(q.Order, SortByID); o != (Order{Field: SortByID}) {
		b = keyField(b, "order", orderTag(o))
	}
	if q.CountOnly {
		b = append(b, "countOnly=;"...)
	}
	return RelationsOfKey(b)
}

// keyField appends `name="value";` to a key.
func keyField(b []byte, name, value string) []byte {
	b = append(b, name...)
	b = append(b, '=')
	b = strconv.AppendQuote(b, value)
	return append(b, ';')
}

// keyList appends `name="v1","v2";` to a key, with values in canonical order (sorted, each
// once) so that the same set makes the same key.
func keyList[T ~string](b []byte, name string, values []T) []byte {
	if len(values) > 1 && !canonicalAlready(values) {
		values = canonical(values)
	}
	b = append(b, name...)
	b = append(b, '=')
	for i, v := range values {
		if i > 0 {
			b = append(b, ',')
		}
		b = strconv.AppendQuote(b, string(v))
	}
	return append(b, ';')
}

// canonicalAlready reports whether xs is sorted with no value twice.
func canonicalAlready[T ~string](xs []T) bool {
	for i := 1; i < len(xs); i++ {
		if xs[i-1] >= xs[i] {
			return false
		}
	}
	return true
}

// Normalize checks a search and fills in its defaults: Kinds without duplicates (empty: every
// kind), First DefaultPageSize when <= 0. Text stays as the user wrote it (stores match
// Normalize(Text)); BAD_USER_INPUT when it is not valid UTF-8, is longer than MaxSearchLength
// characters or has no letter or digit (PrepareSearch), or for a kind outside the enum.
func (q SearchQuery) Normalize() (SearchQuery, error) {
	if _, err := PrepareSearch(q.Text); err != nil {
		return q, err
	}
	kinds, err := checkKinds(q.Kinds)
	if err != nil {
		return q, err
	}
	q.Kinds = kinds
	q.First = firstOr(q.First, DefaultPageSize)
	return q, nil
}

// Normalize checks a neighborhood query and fills in Limit: DefaultNeighborhoodLimit when
// <= 0. BAD_USER_INPUT for a Depth outside 0..MaxNeighborhoodDepth, a Limit over
// MaxNeighborhoodLimit or a relation type outside the enum. These bounds keep every walk
// small whoever asks, so the stores honour them as the API does.
func (q NeighborhoodQuery) Normalize() (NeighborhoodQuery, error) {
	if err := inRange("depth", q.Depth, 0, MaxNeighborhoodDepth); err != nil {
		return q, err
	}
	q.Limit = firstOr(q.Limit, DefaultNeighborhoodLimit)
	if err := inRange("limit", q.Limit, 1, MaxNeighborhoodLimit); err != nil {
		return q, err
	}
	if err := checkTypes(q.Types); err != nil {
		return q, err
	}
	return q, nil
}

// Normalize checks a path query and fills in its defaults: MaxLength DefaultPathLength and
// First DefaultPaths when <= 0. BAD_USER_INPUT for a MaxLength over MaxPathLength, a First
// over MaxPaths or a relation type outside the enum; the checks hold when From == To too, so
// a bad argument fails whatever the endpoints.
func (q PathQuery) Normalize() (PathQuery, error) {
	q.MaxLength = firstOr(q.MaxLength, DefaultPathLength)
	if err := inRange("maxLength", q.MaxLength, 1, MaxPathLength); err != nil {
		return q, err
	}
	q.First = firstOr(q.First, DefaultPaths)
	if err := inRange("first", q.First, 1, MaxPaths); err != nil {
		return q, err
	}
	if err := checkTypes(q.Types); err != nil {
		return q, err
	}
	return q, nil
}

// TimelineQuery asks for the dated events of an entity (BuildTimeline) whose date overlaps
// the window [From, To]; either bound may be nil (open).
type TimelineQuery struct {
	ID   string
	From *Date
	To   *Date
}

// Normalize refuses a window that ends before it starts (BAD_USER_INPUT). A window of one
// period, From == To, is allowed.
func (q TimelineQuery) Normalize() (TimelineQuery, error) {
	if q.From != nil && q.To != nil && q.To.End() <= q.From.Start() {
		return q, Errorf(CodeBadUserInput, "timeline: to %s is before from %s", q.To, q.From)
	}
	return q, nil
}
