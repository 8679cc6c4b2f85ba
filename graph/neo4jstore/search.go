package neo4jstore

import (
	"context"
	"fmt"

	"github.com/autograph-kg/autograph/graph/model"
)

// searchStatement scores every entity of the wanted kinds that contains the query with the
// ladder of model.ScoreMatch (best over name and aliases), then orders like
// model.SortHits. The scores are parameters so they cannot drift from the model's. The
// candidates come from the TEXT index on searchText (entity_search_text), which holds the
// query exactly when a search key does (searchTextSep). Without kinds every entity is a
// candidate and the kind is not tested. The hits come as entityFields projections (whole
// nodes would carry the search keys and text too, which no caller reads), or with only the
// fields q.Fields names: a search box shows a name, and a hit's other properties were most
// of what the statement sent and the server decoded.
func searchStatement(q model.SearchQuery) string {
	kinds := ""
	if len(q.Kinds) > 0 {
		kinds = "\n  AND n.kind IN $kinds"
	}
	hit := entityFields
	if q.Fields != 0 && q.Fields != model.AllEntityFields {
		hit = partialEntityFields(q.Fields)
	}
	return `
MATCH (n:Entity)
WHERE n.searchText CONTAINS $q` + kinds + `
WITH n, [k IN n.searchKeys |
  CASE
    WHEN k = $q THEN $scoreExact
    WHEN k STARTS WITH $q THEN $scorePrefix
    WHEN k CONTAINS (' ' + $q) THEN $scoreWordPrefix
    WHEN k CONTAINS $q THEN $scoreSubstring
    ELSE 0.0
  END] AS scores
WITH n, reduce(best = 0.0, s IN scores | CASE WHEN s > best THEN s ELSE best END) AS score
RETURN n ` + hit + ` AS hit, score
ORDER BY score DESC, n.nameKey, n.id
LIMIT $limit`
}

// searchParams builds the parameters of searchStatement for a normalised query
// (model.SearchQuery.Normalize).
func searchParams(q model.SearchQuery) map[string]any {
	p := map[string]any{
		"q":               model.Normalize(q.Text),
		"limit":           int64(q.First),
		"scoreExact":      model.ScoreExact,
		"scorePrefix":     model.ScorePrefix,
		"scoreWordPrefix": model.ScoreWordPrefix,
		"scoreSubstring":  model.ScoreSubstring,
	}
	if len(q.Kinds) > 0 {
		p["kinds"] = strs(q.Kinds)
	}
	return p
}

// Search finds entities whose name or an alias contains the query, scored and ordered
// exactly like model.ScoreMatch and model.SortHits.
func (s *Store) Search(ctx context.Context, q model.SearchQuery) ([]model.SearchHit, error) {
	const op = "search"
	q, err := q.Normalize()
	if err != nil {
		return nil, fmt.Errorf("neo4j: %s: %w", op, err)
	}
	recs, err := s.read(ctx, op, searchStatement(q), searchParams(q))
	if err != nil {
		return nil, err
	}
	hits := make([]model.SearchHit, 0, len(recs))
	for _, rec := range recs {
		hit, _ := rec.Get("hit")
		e, err := entityFromValue(hit)
		if err != nil {
			return nil, fmt.Errorf("neo4j: %s: %w", op, err)
		}
		score, err := recordValue[float64](rec, "score")
		if err != nil {
			return nil, fmt.Errorf("neo4j: %s: %w", op, err)
		}
		hits = append(hits, model.SearchHit{Entity: e, Score: score})
	}
	return hits, nil
}
