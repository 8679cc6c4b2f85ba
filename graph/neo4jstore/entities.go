package neo4jstore

import (
	"context"
	"fmt"
	"slices"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"

	"github.com/autograph-kg/autograph/graph/model"
)

// Entity lookups and listings. Node variable n is always an entity.

// cypherEntity is the statement of Entity: the entity as its projection (entityFields).
const cypherEntity = `
MATCH (n:Entity {id: $id})
RETURN n ` + entityFields + ` AS n`

// Entity returns the entity with the given id, or NOT_FOUND.
func (s *Store) Entity(ctx context.Context, id string) (model.Entity, error) {
	const op = "entity"
	recs, err := s.read(ctx, op, cypherEntity, map[string]any{"id": id})
	if err != nil {
		return nil, err
	}
	if len(recs) == 0 {
		return nil, fmt.Errorf("neo4j: %s: %w", op, model.NotFound("entity", id))
	}
	return entityFromRecord(recs[0])
}

// cypherEntitiesByID is the statement of EntitiesByID. The nodes come back collected in one
// record: the driver spends about as much per record as per node it decodes, so one record
// of 181 nodes costs less than half of 181 records, on both sides of the connection. Each is
// its projection (entityFields).
const cypherEntitiesByID = `
UNWIND $ids AS id
MATCH (n:Entity {id: id})
RETURN collect(n ` + entityFields + `) AS nodes`

// EntitiesByID returns the entities with the given ids, keyed by id; unknown ids are absent.
func (s *Store) EntitiesByID(ctx context.Context, ids []string) (map[string]model.Entity, error) {
	const op = "entities by id"
	ids = distinct(ids)
	out := make(map[string]model.Entity, len(ids))
	if len(ids) == 0 {
		return out, nil
	}
	recs, err := s.read(ctx, op, cypherEntitiesByID, map[string]any{"ids": ids})
	if err != nil {
		return nil, err
	}
	nodes, err := single(recs, op, func(rec *neo4j.Record) ([]any, error) { return listOf[any](rec, "nodes") })
	if err != nil {
		return nil, err
	}
	ents, err := entitiesFromList(nodes)
	if err != nil {
		return nil, fmt.Errorf("neo4j: %s: %w", op, err)
	}
	for _, e := range ents {
		out[e.GetID()] = e
	}
	return out, nil
}

// cypherEntityPage counts every entity that matches the filter and returns one keyset
// page, in one statement. %[1]s is the label, %[2]s the filter's WHERE (or nothing), %[3]s
// the filter's WHERE with the keyset condition, %[4]s the ORDER BY list, %[5]s the aggregate
// subqueries and %[6]s their columns (both empty without an aggregate). collect keeps the
// order of the rows it gathers; each entity is its projection (entityFields).
const cypherEntityPage = pageStatementHead + ` ` + entityFields + pageStatementTail

// pageStatementHead and pageStatementTail are a listing's statement around what each row
// of its page is collected as: the entity listing collects projections, the source listing
// whole nodes (cypherSourcePage).
const (
	pageStatementHead = `
CALL () {
  MATCH (n:%[1]s)%[2]s
  RETURN count(n) AS total
}
CALL () {
  MATCH (n:%[1]s)%[3]s
  WITH n
  ORDER BY %[4]s
  LIMIT $limit
  RETURN collect(n`
	pageStatementTail = `) AS page
}%[5]s
RETURN total, page%[6]s`
)

// cypherEntityCount is cypherEntityPage when only the count (and aggregates) are asked for:
// no row is read, and the page is empty.
const cypherEntityCount = `
CALL () {
  MATCH (n:%[1]s)%[2]s
  RETURN count(n) AS total
}%[5]s
RETURN total, [] AS page%[6]s`

const (
	// Filter conditions of an entity listing.
	entityWhereIDs          = `n.id IN $ids`
	entityWhereNameContains = `n.searchText CONTAINS $nameContains`

	// entityWhereAttr is one attribute filter: %[1]s is a field from model.AttrFields, %[2]s
	// its parameter. A missing property reads as "", as model.AttrValue does.
	entityWhereAttr = `coalesce(n.%[1]s, '') IN $%[2]s`

	// Keyset conditions and orders: ties on the key are broken by id in the same direction.
	// The conditions on the name are written as a range on nameKey and an id that exists, so
	// that the (nameKey, id) range index of the label (schemaStatements) serves the page in
	// order and stops at its LIMIT, instead of sorting every entity of the label; the scan
	// conditions do the same for a first page. Every stored entity has both properties
	// (nodeParams), so they filter nothing out.
	entityAfterNameAsc  = `n.nameKey >= $afterKey AND n.id IS NOT NULL AND (n.nameKey > $afterKey OR n.id > $afterId)`
	entityAfterNameDesc = `n.nameKey <= $afterKey AND n.id IS NOT NULL AND (n.nameKey < $afterKey OR n.id < $afterId)`
	entityScanName      = `n.nameKey IS NOT NULL AND n.id IS NOT NULL`
	entityAfterIDAsc    = `n.id > $afterId`
	entityAfterIDDesc   = `n.id < $afterId`
	entityScanID        = `n.id IS NOT NULL`
	entityOrderNameAsc  = `n.nameKey, n.id`
	entityOrderNameDesc = `n.nameKey DESC, n.id DESC`
	entityOrderIDAsc    = `n.id`
	entityOrderIDDesc   = `n.id DESC`
)

// entityKeyset gives the fragments of an entity ordering: every (field, desc) that
// model.EntityQuery.Normalize lets through.
func entityKeyset(o model.Order) (keyset, error) {
	switch {
	case o.Field == model.SortByName && !o.Desc:
		return keyset{entityAfterNameAsc, entityOrderNameAsc, entityScanName}, nil
	case o.Field == model.SortByName:
		return keyset{entityAfterNameDesc, entityOrderNameDesc, entityScanName}, nil
	case o.Field == model.SortByID && !o.Desc:
		return keyset{entityAfterIDAsc, entityOrderIDAsc, entityScanID}, nil
	case o.Field == model.SortByID:
		return keyset{entityAfterIDDesc, entityOrderIDDesc, entityScanID}, nil
	}
	return keyset{}, fmt.Errorf("no entity keyset for the order %v: the query was not normalised", o)
}

// entitiesQuery builds the statement and parameters of Entities for a normalised query
// (model.EntityQuery.Normalize). Everything user-supplied is a parameter; the label, the
// attribute property names and the keyset fragments come from whitelists.
func entitiesQuery(q model.EntityQuery) (string, map[string]any, error) {
	label, err := entityLabel(q.Kind)
	if err != nil {
		return "", nil, err
	}
	ks, ok := entityOrderKeyset(q.Order)
	if !ok {
		if ks, err = entityKeyset(q.Order); err != nil {
			return "", nil, err
		}
	}
	params := map[string]any{"limit": int64(q.First + 1)}
	hasCursor, err := cursorParams(params, q.AfterCursor)
	if err != nil {
		return "", nil, err
	}
	if err := afterTime(params, q.Order); err != nil {
		return "", nil, err
	}
	dateKeyParams(params, q.Order)
	var conds []string
	if len(q.Filter.IDs) > 0 {
		conds = append(conds, entityWhereIDs)
		params["ids"] = q.Filter.IDs
	}
	if text := model.Normalize(q.Filter.NameContains); text != "" {
		conds = append(conds, entityWhereNameContains)
		params["nameContains"] = text
	}
	allowed := model.AttrFields(q.Kind)
	for i, a := range q.Filter.Attrs {
		if !slices.Contains(allowed, a.Field) {
			// Normalize refuses it; the property name is spliced, so it is checked again.
			return "", nil, fmt.Errorf("%q is not an attribute of %q entities: the query was not normalised", a.Field, q.Kind)
		}
		if len(a.Values) == 0 {
			continue // an empty list does not filter
		}
		name := fmt.Sprintf("attr%d", i)
		conds = append(conds, fmt.Sprintf(entityWhereAttr, a.Field, name))
		params[name] = a.Values
	}
	if q.Filter.Where != nil {
		c, err := newWhereBuilder(params).entity(q.Filter.Where, "n")
		if err != nil {
			return "", nil, err
		}
		conds = append(conds, c)
	}
	template := cypherEntityPage
	if q.CountOnly {
		template = cypherEntityCount
	}
	blocks, cols := entityAggregateBlocks(fmt.Sprintf("MATCH (n:%s)%s", label, where(conds)), q.Aggregate)
	return pageQuery(template, label, conds, ks, hasCursor, blocks, cols), params, nil
}

// Entities lists one keyset page of entities of a kind (or of every kind), under the rules of
// model.EntityQuery.Normalize.
func (s *Store) Entities(ctx context.Context, q model.EntityQuery) (*model.EntityPage, error) {
	const op = "entities"
	q, err := q.Normalize()
	if err != nil {
		return nil, fmt.Errorf("neo4j: %s: %w", op, err)
	}
	cypher, params, err := entitiesQuery(q)
	if err != nil {
		return nil, fmt.Errorf("neo4j: %s: %w", op, err)
	}
	recs, err := s.read(ctx, op, cypher, params)
	if err != nil {
		return nil, err
	}
	return single(recs, op, func(rec *neo4j.Record) (*model.EntityPage, error) {
		total, nodes, err := pageColumns[any](rec)
		if err != nil {
			return nil, err
		}
		page := &model.EntityPage{TotalCount: total, HasNextPage: len(nodes) > q.First}
		if nodes = nodes[:min(len(nodes), q.First)]; len(nodes) > 0 {
			if page.Items, err = entitiesFromList(nodes); err != nil {
				return nil, err
			}
		}
		page.Aggregate, err = entityAggregateFromRecord(rec, q.Aggregate)
		return page, err
	})
}

// entityFromRecord maps the entity in column n: a node, or its projection (entityFromValue).
func entityFromRecord(rec *neo4j.Record) (model.Entity, error) {
	n, ok := rec.Get("n")
	if !ok || n == nil {
		return nil, fmt.Errorf("record value %q is missing or null", "n")
	}
	return entityFromValue(n)
}
