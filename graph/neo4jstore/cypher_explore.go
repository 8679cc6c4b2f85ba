package neo4jstore

import (
	"fmt"

	"github.com/autograph-kg/autograph/graph/model"
)

// Graph exploration: neighborhoods and shortest paths.
const (
	// cypherNeighborhoodLevel is one step of the breadth-first search: the entities one hop
	// from the frontier, over matching relations in either direction, that were not seen yet,
	// by id, at most $limit of them. %[1]s is the type part of the pattern, %[2]s an extra
	// condition (asOf) or nothing.
	cypherNeighborhoodLevel = `
UNWIND $frontier AS fid
MATCH (:Entity {id: fid})-[r%[1]s]-(o:Entity)
WHERE NOT o.id IN $seen%[2]s
RETURN DISTINCT o.id AS id
ORDER BY id
LIMIT $limit`

	// cypherNeighborhoodFetch returns the kept entities and the matching relations among them
	// (the induced subgraph), by id, at most $relLimit of them. %[1]s is the type part of the
	// pattern, %[2]s an extra condition (asOf) or nothing.
	cypherNeighborhoodFetch = `
CALL () {
  UNWIND $ids AS id
  MATCH (n:Entity {id: id})
  RETURN collect(n) AS nodes
}
CALL () {
  MATCH (a:Entity)-[r%[1]s]->(b:Entity)
  WHERE a.id IN $ids AND b.id IN $ids%[2]s
  WITH a, r, b
  ORDER BY r.id
  LIMIT $relLimit
  RETURN collect({rel: r, fromId: a.id, toId: b.id}) AS rels
}
RETURN nodes, rels`

	// cypherPaths looks both endpoints up (so an unknown one is NOT_FOUND rather than "no
	// path") and enumerates at most $maxPaths shortest paths between them, relations followed
	// in either direction. %[1]s is the type part of the pattern, %[2]s the maximum length (a
	// literal: Cypher takes no parameter there), %[3]s a WHERE on every relation of the path,
	// or nothing. allShortestPaths checks such a predicate during the search, so it returns
	// the shortest of the paths that match, not the matching ones among the shortest.
	cypherPaths = `
OPTIONAL MATCH (a:Entity {id: $from})
OPTIONAL MATCH (b:Entity {id: $to})
CALL (a, b) {
  WITH a, b
  WHERE a IS NOT NULL AND b IS NOT NULL
  MATCH p = allShortestPaths((a)-[%[1]s*..%[2]s]-(b))%[3]s
  WITH p
  LIMIT $maxPaths
  RETURN collect(p) AS paths
}
RETURN a IS NOT NULL AS fromFound, b IS NOT NULL AS toFound, paths`

	pathWhereAsOf = `
  WHERE all(r IN relationships(p) WHERE ` + relWhereAsOf + `)`
)

// neighborhoodQueries builds the level and fetch statements of a normalised neighborhood query
// (model.NeighborhoodQuery.Normalize) and the parameters they share (asOf).
func neighborhoodQueries(q model.NeighborhoodQuery) (level, fetch string, params map[string]any, err error) {
	types, err := relTypes(q.Types)
	if err != nil {
		return "", "", nil, err
	}
	params = map[string]any{}
	extra := ""
	if q.AsOf != nil {
		asOfParams(params, *q.AsOf)
		extra = " AND " + relWhereAsOf
	}
	level = fmt.Sprintf(cypherNeighborhoodLevel, types, extra)
	fetch = fmt.Sprintf(cypherNeighborhoodFetch, types, extra)
	return level, fetch, params, nil
}

// pathsQuery builds the statement and parameters of Paths between two distinct entities, for
// a normalised query (model.PathQuery.Normalize).
func pathsQuery(q model.PathQuery) (string, map[string]any, error) {
	types, err := relTypes(q.Types)
	if err != nil {
		return "", nil, err
	}
	length, err := pathLength(q.MaxLength)
	if err != nil {
		return "", nil, err
	}
	params := map[string]any{"from": q.From, "to": q.To, "maxPaths": int64(model.MaxPathsExplored)}
	cond := ""
	if q.AsOf != nil {
		asOfParams(params, *q.AsOf)
		cond = pathWhereAsOf
	}
	return fmt.Sprintf(cypherPaths, types, length, cond), params, nil
}
