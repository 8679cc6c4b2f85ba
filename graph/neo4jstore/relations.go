package neo4jstore

import (
	"context"
	"fmt"
	"slices"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"

	"github.com/autograph-kg/autograph/graph/model"
)

// Relation lookups and listings. Relationship variable r is always a relation, a and b its
// start and end entities. A relation comes back as a map {rel, fromId, toId}: the driver's
// Relationship carries only internal node ids, and the entity ids are what the model needs.

// relByIDBranch finds a relation of one type by id through that type's id index. Relation
// ids are unique across types, so the union of one branch per type finds it with
// len(model.AllRelationTypes) index seeks rather than a scan of every relationship.
const relByIDBranch = `
  MATCH (a:Entity)-[r:%s {id: $id}]->(b:Entity)
  RETURN r, a.id AS fromId, b.id AS toId`

// cypherRelation is the statement of Relation: %s is the union of relByIDBranch over every
// type (relationByIDQuery).
const cypherRelation = `
CALL () {%s
}
RETURN r, fromId, toId`

// relationByIDQuery is the statement of Relation: the union of relByIDBranch for every type.
func relationByIDQuery() string {
	return fmt.Sprintf(cypherRelation, unionPerType(relByIDBranch))
}

// Relation returns the relation with the given id, or NOT_FOUND.
func (s *Store) Relation(ctx context.Context, id string) (*model.Relation, error) {
	const op = "relation"
	recs, err := s.read(ctx, op, relationByIDQuery(), map[string]any{"id": id})
	if err != nil {
		return nil, err
	}
	if len(recs) == 0 {
		return nil, fmt.Errorf("neo4j: %s: %w", op, model.NotFound("relation", id))
	}
	r, err := relationFromRecord(recs[0])
	if err != nil {
		return nil, fmt.Errorf("neo4j: %s: %w", op, err)
	}
	return r, nil
}

// cypherRelationPage counts and pages relations like cypherEntityPage: %[1]s is the type
// part of the pattern, %[2]s the filter's WHERE, %[3]s the same with the keyset condition,
// %[4]s the ORDER BY list, %[5]s the aggregate subqueries and %[6]s their columns (both
// empty without an aggregate).
const cypherRelationPage = `
CALL () {
  MATCH (a:Entity)-[r%[1]s]->(b:Entity)%[2]s
  RETURN count(r) AS total
}
CALL () {
  MATCH (a:Entity)-[r%[1]s]->(b:Entity)%[3]s
  WITH a, r, b
  ORDER BY %[4]s
  LIMIT $limit
  RETURN collect({rel: ` + relationFields + `, fromId: a.id, toId: b.id}) AS page
}%[5]s
RETURN total, page%[6]s`

// cypherRelationCount is cypherRelationPage when only the count (and aggregates) are asked
// for: no row is read, and the page is empty.
const cypherRelationCount = `
CALL () {
  MATCH (a:Entity)-[r%[1]s]->(b:Entity)%[2]s
  RETURN count(r) AS total
}%[5]s
RETURN total, [] AS page%[6]s`

const (
	// Filter conditions on a relation r.
	relWhereIDs     = `r.id IN $relationIds`
	relWhereStatus  = `r.status IN $status`
	relWhereSources = `any(s IN r.sourceIds WHERE s IN $sourceIds)`

	// relWhereAsOf is model.Span.Overlaps of the relation's span and the asOf date's span,
	// on the same YYYY-MM-DD strings; a missing bound is unbounded.
	relWhereAsOf = `(r.spanStart IS NULL OR r.spanStart < $asOfEnd) AND (r.spanEnd IS NULL OR r.spanEnd > $asOfStart)`

	// Endpoint conditions where the endpoints are bound (a, b) and where they are not.
	relWhereFrom      = `a.id IN $fromIds`
	relWhereTo        = `b.id IN $toIds`
	relWhereFromStart = `startNode(r).id IN $fromIds`
	relWhereToEnd     = `endNode(r).id IN $toIds`
)

// relFilter is a relation filter compiled to Cypher: the type part of the pattern, the WHERE
// conditions and their parameters.
type relFilter struct {
	types  string
	conds  []string
	params map[string]any
}

// compileRelFilter renders the filter of a normalised query (model.RelationFilter.Check);
// the types go through the whitelist. bound says whether the pattern binds the endpoints as a
// and b; where it does not, they are startNode(r) and endNode(r).
func compileRelFilter(f model.RelationFilter, bound bool) (*relFilter, error) {
	types, err := relTypes(f.Types)
	if err != nil {
		return nil, err
	}
	rf := &relFilter{types: types, params: map[string]any{}}
	add := func(cond, name string, value any) {
		rf.conds = append(rf.conds, cond)
		rf.params[name] = value
	}
	if len(f.IDs) > 0 {
		add(relWhereIDs, "relationIds", f.IDs)
	}
	if len(f.Status) > 0 {
		add(relWhereStatus, "status", strs(f.Status))
	}
	if len(f.FromIDs) > 0 {
		add(pick(bound, relWhereFrom, relWhereFromStart), "fromIds", f.FromIDs)
	}
	if len(f.ToIDs) > 0 {
		add(pick(bound, relWhereTo, relWhereToEnd), "toIds", f.ToIDs)
	}
	if len(f.SourceIDs) > 0 {
		add(relWhereSources, "sourceIds", f.SourceIDs)
	}
	if f.AsOf != nil {
		asOfParams(rf.params, *f.AsOf)
		rf.conds = append(rf.conds, relWhereAsOf)
	}
	return rf, nil
}

// asOfParams sets the parameters of relWhereAsOf: the span the date names.
func asOfParams(params map[string]any, d model.Date) {
	sp := model.SpanOf(d)
	params["asOfStart"] = sp.Start
	params["asOfEnd"] = sp.End
}

func pick(cond bool, yes, no string) string {
	if cond {
		return yes
	}
	return no
}

// withAfter returns conds plus the keyset condition after when there is a cursor.
func withAfter(conds []string, hasCursor bool, after string) []string {
	if !hasCursor {
		return conds
	}
	return append(slices.Clone(conds), after)
}

// relationConds adds a normalised query's composable filter to the compiled flat one, on
// relationship r of entity self ("" for the listing of all relations).
func relationConds(rf *relFilter, w *model.RelationWhere, self string) error {
	if w == nil {
		return nil
	}
	c, err := newWhereBuilder(rf.params).relation(w, "r", self, "")
	if err != nil {
		return err
	}
	rf.conds = append(rf.conds, c)
	return nil
}

// relationsQuery builds the statement and parameters of Relations for a normalised query
// (model.RelationQuery.Normalize).
func relationsQuery(q model.RelationQuery) (string, map[string]any, error) {
	rf, err := compileRelFilter(q.Filter, true)
	if err != nil {
		return "", nil, err
	}
	if err := relationConds(rf, q.Filter.Where, ""); err != nil {
		return "", nil, err
	}
	ks, err := relationKeyset(q.Order, "r")
	if err != nil {
		return "", nil, err
	}
	params := rf.params
	params["limit"] = int64(q.First + 1)
	hasCursor, err := cursorParams(params, q.AfterCursor)
	if err != nil {
		return "", nil, err
	}
	if q.Order.Field == model.SortByID {
		delete(params, "afterKey") // ordered by id alone
	}
	dateKeyParams(params, q.Order)
	match := fmt.Sprintf("MATCH (a:Entity)-[r%s]->(b:Entity)%s", rf.types, where(rf.conds))
	blocks, cols := aggregateBlocks("()", match, "r", q.Aggregate)
	template := cypherRelationPage
	if q.CountOnly {
		template = cypherRelationCount
	}
	cypher := fmt.Sprintf(template, rf.types, where(rf.conds), where(withAfter(rf.conds, hasCursor, ks.after)), ks.order, blocks, cols)
	return cypher, params, nil
}

// Relations lists relations matching a filter, ordered by id, one keyset page at a time,
// under the rules of model.RelationQuery.Normalize.
func (s *Store) Relations(ctx context.Context, q model.RelationQuery) (*model.RelationPage, error) {
	const op = "relations"
	q, err := q.Normalize()
	if err != nil {
		return nil, fmt.Errorf("neo4j: %s: %w", op, err)
	}
	cypher, params, err := relationsQuery(q)
	if err != nil {
		return nil, fmt.Errorf("neo4j: %s: %w", op, err)
	}
	recs, err := s.read(ctx, op, cypher, params)
	if err != nil {
		return nil, err
	}
	return single(recs, op, func(rec *neo4j.Record) (*model.RelationPage, error) {
		total, list, err := pageColumns[any](rec)
		if err != nil {
			return nil, err
		}
		page, err := relationPage(total, list, q.First)
		if err != nil {
			return nil, err
		}
		page.Aggregate, err = aggregateFromRecord(rec, q.Aggregate)
		return page, err
	})
}

// cypherRelationsOf pages the relations of many entities in one statement: per entity, a
// correlated subquery counts its matching relations and another takes one page. Unknown
// ids give no row; the Go side gives them an empty page. %[9]s is DISTINCT when both
// directions are followed (relDistinct), so that a self-loop counts once. %[1]s is the
// pattern from e (relOfOut, relOfIn or relOfBoth), %[2]s and %[3]s the filter's WHERE without and with the keyset condition,
// %[4]s the ORDER BY list, %[5]s and %[6]s the aggregate subqueries and their columns, and
// %[7]s and %[8]s what RelationsOfWithEnds adds: the other end o of each relation, kept
// through DISTINCT (a self-loop followed both ways has the same o twice) and returned with it.
const cypherRelationsOf = `
UNWIND $ids AS id
MATCH (e:Entity {id: id})
CALL (e) {
  MATCH %[1]s%[2]s
  RETURN count(%[9]sr) AS total
}
CALL (e) {
  MATCH %[1]s%[3]s
  WITH %[9]sr%[7]s
  ORDER BY %[4]s
  LIMIT $limit
  RETURN collect({rel: ` + relationFields + `, fromId: startNode(r).id, toId: endNode(r).id%[8]s}) AS page
}%[5]s
RETURN id, total, page%[6]s`

// cypherRelationsOfFirstPage is cypherRelationsOf for a first page (no cursor), with the
// same verbs: the page is taken first, and a page shorter than $limit holds every matching
// relation, so its size is the total; only an entity with a full page has its relations
// counted. The typed relation fields ask for up to model.MaxListSize relations, so they
// are almost never counted. The count is grouped by e so that the branch not taken gives no
// row (a count without grouping gives 0 even over no rows).
const cypherRelationsOfFirstPage = `
UNWIND $ids AS id
MATCH (e:Entity {id: id})
CALL (e) {
  MATCH %[1]s%[3]s
  WITH %[9]sr%[7]s
  ORDER BY %[4]s
  LIMIT $limit
  RETURN collect({rel: ` + relationFields + `, fromId: startNode(r).id, toId: endNode(r).id%[8]s}) AS page
}
CALL (e, page) {
  WITH page
  WHERE size(page) < $limit
  RETURN size(page) AS total
  UNION ALL
  WITH e, page
  WHERE size(page) >= $limit
  MATCH %[1]s%[2]s
  WITH e, count(%[9]sr) AS total
  RETURN total
}%[5]s
RETURN id, total, page%[6]s`

// cypherRelationsOfCount is cypherRelationsOf when only the counts (and aggregates) are
// asked for: no row is read.
const cypherRelationsOfCount = `
UNWIND $ids AS id
MATCH (e:Entity {id: id})
CALL (e) {
  MATCH %[1]s%[2]s
  RETURN count(%[9]sr) AS total
}%[5]s
RETURN id, total, [] AS page%[6]s`

// relDistinct is "DISTINCT " for a pattern that follows both directions, where a relation
// from an entity to itself matches twice, and "" for one direction, where no relation can.
func relDistinct(dir model.Direction) string {
	if dir == model.DirectionBoth {
		return "DISTINCT "
	}
	return ""
}

const (
	// The patterns of RelationsOf, by direction; %s is the type part, o the other end.
	relOfOut  = `(e)-[r%s]->(o:Entity)`
	relOfIn   = `(e)<-[r%s]-(o:Entity)`
	relOfBoth = `(e)-[r%s]-(o:Entity)`
)

// relationsOfQuery builds the statement and parameters of RelationsOf for distinct ids and a
// normalised query (model.RelationsOfQuery.Normalize); with ends, each relation on a page
// comes with the node at its other end (RelationsOfWithEnds).
func relationsOfQuery(ids []string, q model.RelationsOfQuery, ends bool) (string, map[string]any, error) {
	var pattern string
	switch q.Direction {
	case model.DirectionOut:
		pattern = relOfOut
	case model.DirectionIn:
		pattern = relOfIn
	case model.DirectionBoth:
		pattern = relOfBoth
	default:
		return "", nil, fmt.Errorf("no pattern for the direction %q: the query was not normalised", q.Direction)
	}
	rf, err := compileRelFilter(q.Filter, false)
	if err != nil {
		return "", nil, err
	}
	if err := relationConds(rf, q.Filter.Where, "e"); err != nil {
		return "", nil, err
	}
	ks, err := relationKeyset(q.Order, "r")
	if err != nil {
		return "", nil, err
	}
	params := rf.params
	params["ids"] = ids
	params["limit"] = int64(q.First + 1)
	hasCursor, err := cursorParams(params, q.AfterCursor)
	if err != nil {
		return "", nil, err
	}
	if q.Order.Field == model.SortByID {
		delete(params, "afterKey")
	}
	dateKeyParams(params, q.Order)
	pat := fmt.Sprintf(pattern, rf.types)
	distinct := relDistinct(q.Direction)
	blocks, cols := aggregateBlocks("(e)", "MATCH "+pat+where(rf.conds)+"\n  WITH "+distinct+"r", "r", q.Aggregate)
	template := cypherRelationsOf
	switch {
	case q.CountOnly:
		template = cypherRelationsOfCount
	case !hasCursor:
		template = cypherRelationsOfFirstPage
	}
	keepEnd, returnEnd := "", ""
	if ends && !q.CountOnly {
		keepEnd, returnEnd = ", o", ", end: o "+entityFields
	}
	cypher := fmt.Sprintf(template, pat, where(rf.conds), where(withAfter(rf.conds, hasCursor, ks.after)), ks.order, blocks, cols, keepEnd, returnEnd, distinct)
	return cypher, params, nil
}

// RelationsOf pages through the relations of several entities in one round trip: one page per
// requested id, empty for unknown ids. Direction OUT keeps relations from the entity, IN those
// to it, BOTH (the default) either; a self-loop counts once.
func (s *Store) RelationsOf(ctx context.Context, ids []string, q model.RelationsOfQuery) (map[string]*model.RelationPage, error) {
	pages, _, err := s.relationsOf(ctx, "relations of", ids, q, false)
	return pages, err
}

// RelationsOfWithEnds is RelationsOf with the entities at the other ends of the relations on
// the pages (model.EndsReader), read by the same statement: the typed relation fields get a
// level of the answer in one round trip instead of two.
func (s *Store) RelationsOfWithEnds(ctx context.Context, ids []string, q model.RelationsOfQuery) (map[string]*model.RelationPage, map[string]model.Entity, error) {
	return s.relationsOf(ctx, "relations of with ends", ids, q, true)
}

// relationsOf is RelationsOf, and with ends RelationsOfWithEnds.
func (s *Store) relationsOf(ctx context.Context, op string, ids []string, q model.RelationsOfQuery, ends bool) (map[string]*model.RelationPage, map[string]model.Entity, error) {
	q, err := q.Normalize()
	if err != nil {
		return nil, nil, fmt.Errorf("neo4j: %s: %w", op, err)
	}
	ids = distinct(ids)
	cypher, params, err := relationsOfQuery(ids, q, ends)
	if err != nil {
		return nil, nil, fmt.Errorf("neo4j: %s: %w", op, err)
	}
	out := make(map[string]*model.RelationPage, len(ids))
	endsOut := map[string]model.Entity{}
	if len(ids) > 0 {
		recs, err := s.read(ctx, op, cypher, params)
		if err != nil {
			return nil, nil, err
		}
		for _, rec := range recs {
			id, err := recordValue[string](rec, "id")
			if err != nil {
				return nil, nil, fmt.Errorf("neo4j: %s: %w", op, err)
			}
			total, list, err := pageColumns[any](rec)
			if err != nil {
				return nil, nil, fmt.Errorf("neo4j: %s: %w", op, err)
			}
			if ends {
				if err := endsFromList(list[:min(len(list), q.First)], endsOut); err != nil {
					return nil, nil, fmt.Errorf("neo4j: %s: %w", op, err)
				}
			}
			if out[id], err = relationPage(total, list, q.First); err != nil {
				return nil, nil, fmt.Errorf("neo4j: %s: %w", op, err)
			}
			if out[id].Aggregate, err = aggregateFromRecord(rec, q.Aggregate); err != nil {
				return nil, nil, fmt.Errorf("neo4j: %s: %w", op, err)
			}
		}
	}
	for _, id := range ids {
		if out[id] == nil {
			out[id] = &model.RelationPage{Aggregate: model.NewAggregator(q.Aggregate, nil).Result()}
		}
	}
	return out, endsOut, nil
}

// endsFromList adds the other ends carried by a collected page of relation maps (the end
// entry of each) to ends, decoding each node once.
func endsFromList(list []any, ends map[string]model.Entity) error {
	for _, v := range list {
		m, ok := v.(map[string]any)
		if !ok {
			return fmt.Errorf("expected a relation map, found %T", v)
		}
		n, ok := m["end"].(map[string]any)
		if !ok {
			return fmt.Errorf("relation map: expected the other end's projection, found %T", m["end"])
		}
		if id, _ := n["id"].(string); id != "" {
			if _, seen := ends[id]; seen {
				continue
			}
		}
		e, err := entityFromValue(n)
		if err != nil {
			return err
		}
		ends[e.GetID()] = e
	}
	return nil
}

// relationPage maps a collected page of relation maps, which holds up to first+1 entries (first
// is a normalised query's First): the extra one only says that another page follows.
func relationPage(total int, list []any, first int) (*model.RelationPage, error) {
	page := &model.RelationPage{TotalCount: total, HasNextPage: len(list) > first}
	items, err := relationsFromList(list[:min(len(list), first)])
	if err != nil {
		return nil, err
	}
	if len(items) > 0 {
		page.Items = items
	}
	return page, nil
}
