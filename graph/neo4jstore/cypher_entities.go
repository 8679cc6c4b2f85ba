package neo4jstore

import (
	"fmt"
	"slices"
	"strings"

	"github.com/autograph-kg/autograph/graph/model"
)

// Entity lookups, listings and search. Node variable n is always an entity.
const (
	cypherPing = `RETURN 1 AS ok`

	// cypherCountEntities is answered from the count store, not by scanning.
	cypherCountEntities = `
MATCH (n:Entity)
RETURN count(n) AS count`

	cypherEntity = `
MATCH (n:Entity {id: $id})
RETURN n`

	cypherEntitiesByID = `
UNWIND $ids AS id
MATCH (n:Entity {id: id})
RETURN n`

	// cypherEntityPage counts every entity that matches the filter and returns one keyset
	// page, in one statement. %[1]s is the label, %[2]s the filter's WHERE (or nothing), %[3]s
	// the filter's WHERE with the keyset condition, %[4]s the ORDER BY list. collect keeps
	// the order of the rows it gathers.
	cypherEntityPage = `
CALL () {
  MATCH (n:%[1]s)%[2]s
  RETURN count(n) AS total
}
CALL () {
  MATCH (n:%[1]s)%[3]s
  WITH n
  ORDER BY %[4]s
  LIMIT $limit
  RETURN collect(n) AS page
}
RETURN total, page`

	// Filter conditions of an entity listing.
	entityWhereIDs          = `n.id IN $ids`
	entityWhereNameContains = `any(k IN n.searchKeys WHERE k CONTAINS $nameContains)`
	// entityWhereAttr is one attribute filter: %[1]s is a field from model.AttrFields, %[2]s
	// its parameter. A missing property reads as "", as model.AttrValue does.
	entityWhereAttr = `coalesce(n.%[1]s, '') IN $%[2]s`

	// Keyset conditions and orders: ties on the key are broken by id in the same direction.
	entityAfterNameAsc  = `(n.nameKey > $afterKey OR (n.nameKey = $afterKey AND n.id > $afterId))`
	entityAfterNameDesc = `(n.nameKey < $afterKey OR (n.nameKey = $afterKey AND n.id < $afterId))`
	entityAfterIDAsc    = `n.id > $afterId`
	entityAfterIDDesc   = `n.id < $afterId`
	entityOrderNameAsc  = `n.nameKey, n.id`
	entityOrderNameDesc = `n.nameKey DESC, n.id DESC`
	entityOrderIDAsc    = `n.id`
	entityOrderIDDesc   = `n.id DESC`

	// cypherSearch scores every entity of the wanted kinds that contains the query with the
	// ladder of model.ScoreMatch (best over name and aliases), then orders like
	// model.SortHits. The scores are parameters so they cannot drift from the model's.
	cypherSearch = `
MATCH (n:Entity)
WHERE n.kind IN $kinds
  AND any(k IN n.searchKeys WHERE k CONTAINS $q)
WITH n, [k IN n.searchKeys |
  CASE
    WHEN k = $q THEN $scoreExact
    WHEN k STARTS WITH $q THEN $scorePrefix
    WHEN k CONTAINS (' ' + $q) THEN $scoreWordPrefix
    WHEN k CONTAINS $q THEN $scoreSubstring
    ELSE 0.0
  END] AS scores
WITH n, reduce(best = 0.0, s IN scores | CASE WHEN s > best THEN s ELSE best END) AS score
RETURN n, score
ORDER BY score DESC, n.nameKey, n.id
LIMIT $limit`
)

// keyset is the pair of fragments that page through one ordering.
type keyset struct{ after, order string }

// entityKeyset gives the fragments of an entity ordering: every (field, desc) that
// model.EntityQuery.Normalize lets through.
func entityKeyset(o model.Order) (keyset, error) {
	switch {
	case o.Field == model.SortByName && !o.Desc:
		return keyset{entityAfterNameAsc, entityOrderNameAsc}, nil
	case o.Field == model.SortByName:
		return keyset{entityAfterNameDesc, entityOrderNameDesc}, nil
	case o.Field == model.SortByID && !o.Desc:
		return keyset{entityAfterIDAsc, entityOrderIDAsc}, nil
	case o.Field == model.SortByID:
		return keyset{entityAfterIDDesc, entityOrderIDDesc}, nil
	}
	return keyset{}, fmt.Errorf("no entity keyset for the order %v: the query was not normalised", o)
}

// where renders conditions as a WHERE clause on its own line, or nothing.
func where(conds []string) string {
	if len(conds) == 0 {
		return ""
	}
	return "\n  WHERE " + strings.Join(conds, "\n    AND ")
}

// pageQuery fills a page template: the filter's conditions for the count, the same plus the
// keyset condition (when there is a cursor) for the page.
func pageQuery(template, label string, filter []string, ks keyset, hasCursor bool) string {
	page := filter
	if hasCursor {
		page = append(append([]string(nil), filter...), ks.after)
	}
	return fmt.Sprintf(template, label, where(filter), where(page), ks.order)
}

// entitiesQuery builds the statement and parameters of Entities for a normalised query
// (model.EntityQuery.Normalize). Everything user-supplied is a parameter; the label, the
// attribute property names and the keyset fragments come from whitelists.
func entitiesQuery(q model.EntityQuery) (string, map[string]any, error) {
	label, err := entityLabel(q.Kind)
	if err != nil {
		return "", nil, err
	}
	ks, err := entityKeyset(q.Order)
	if err != nil {
		return "", nil, err
	}
	params := map[string]any{"limit": int64(q.First + 1)}
	hasCursor, err := cursorParams(params, q.AfterCursor)
	if err != nil {
		return "", nil, err
	}
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
	return pageQuery(cypherEntityPage, label, conds, ks, hasCursor), params, nil
}

// cursorParams decodes a query's after cursor (with its AfterCursor) into $afterKey and
// $afterId. It reports whether there was a cursor; a cursor of another listing is
// BAD_USER_INPUT.
func cursorParams(params map[string]any, decode func() (*model.Cursor, error)) (bool, error) {
	c, err := decode()
	if err != nil || c == nil {
		return false, err
	}
	params["afterKey"] = c.Key
	params["afterId"] = c.ID
	return true, nil
}

// searchParams builds the parameters of cypherSearch for a normalised query
// (model.SearchQuery.Normalize); an empty kind list means every kind.
func searchParams(q model.SearchQuery) map[string]any {
	kinds := q.Kinds
	if len(kinds) == 0 {
		kinds = model.AllEntityKinds()
	}
	return map[string]any{
		"q":               model.Normalize(q.Text),
		"kinds":           strs(kinds),
		"limit":           int64(q.First),
		"scoreExact":      model.ScoreExact,
		"scorePrefix":     model.ScorePrefix,
		"scoreWordPrefix": model.ScoreWordPrefix,
		"scoreSubstring":  model.ScoreSubstring,
	}
}
