package neo4jstore

import (
	"context"
	"fmt"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"
	"github.com/neo4j/neo4j-go-driver/v5/neo4j/dbtype"

	"github.com/autograph-kg/autograph/graph/model"
)

// Graph exploration: neighborhoods and shortest paths.

// cypherNeighborhoodLevel is one step of the breadth-first search: the entities one hop
// from the frontier, over matching relations in either direction, that were not seen yet,
// by id, at most $limit of them. %[1]s is the type part of the pattern, %[2]s an extra
// condition (asOf) or nothing.
const cypherNeighborhoodLevel = `
UNWIND $frontier AS fid
MATCH (:Entity {id: fid})-[r%[1]s]-(o:Entity)
WHERE NOT o.id IN $seen%[2]s
RETURN DISTINCT o.id AS id
ORDER BY id
LIMIT $limit`

// cypherNeighborhoodFetch returns the kept entities and the matching relations among them
// (the induced subgraph), by id, at most $relLimit of them. %[1]s is the type part of the
// pattern, %[2]s an extra condition (asOf) or nothing. Entities and relations come back as
// their projections (entityFields, relationFields).
const cypherNeighborhoodFetch = `
CALL () {
  UNWIND $ids AS id
  MATCH (n:Entity {id: id})
  RETURN collect(n ` + entityFields + `) AS nodes
}
CALL () {
  MATCH (a:Entity)-[r%[1]s]->(b:Entity)
  WHERE a.id IN $ids AND b.id IN $ids%[2]s
  WITH a, r, b
  ORDER BY r.id
  LIMIT $relLimit
  RETURN collect({rel: ` + relationFields + `, fromId: a.id, toId: b.id}) AS rels
}
RETURN nodes, rels`

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

// Neighborhood returns the entities within Depth hops of an entity and the matching relations
// among them. It walks breadth-first, one bounded statement per level, inside one read
// transaction: level k asks for the unseen neighbours of level k-1, ordered by id, at most
// one more than the room left, so the first Limit nodes in (distance, id) order are kept and
// an extra one means Truncated. A last statement fetches the kept nodes and the relations
// among them. NOT_FOUND for an unknown id.
func (s *Store) Neighborhood(ctx context.Context, q model.NeighborhoodQuery) (*model.Subgraph, error) {
	const op = "neighborhood"
	q, err := q.Normalize()
	if err != nil {
		return nil, fmt.Errorf("neo4j: %s: %w", op, err)
	}
	if s.closed.Load() {
		return nil, errClosed(op)
	}
	level, fetch, shared, err := neighborhoodQueries(q)
	if err != nil {
		return nil, fmt.Errorf("neo4j: %s: %w", op, err)
	}
	limit := q.Limit
	session := s.session(ctx, neo4j.AccessModeRead)
	g, err := neo4j.ExecuteRead(ctx, session, func(tx neo4j.ManagedTransaction) (*model.Subgraph, error) {
		// The work may be retried: all state lives inside it.
		order := []string{q.ID}
		frontier := []string{q.ID}
		truncated := false
		for d := 0; d < q.Depth && len(frontier) > 0 && !truncated; d++ {
			room := limit - len(order)
			params := withParams(shared, map[string]any{"frontier": frontier, "seen": order, "limit": int64(room + 1)})
			next, err := collectStrings(ctx, tx, level, params, "id")
			if err != nil {
				return nil, err
			}
			if len(next) > room {
				next, truncated = next[:room], true
			}
			order = append(order, next...)
			frontier = next
		}
		params := withParams(shared, map[string]any{"ids": order, "relLimit": int64(model.MaxSubgraphRelations + 1)})
		res, err := tx.Run(ctx, fetch, params)
		if err != nil {
			return nil, err
		}
		rec, err := res.Single(ctx)
		if err != nil {
			return nil, err
		}
		return subgraphFromRecord(rec, q.ID, order, truncated)
	}, txTimeout(ctx)...)
	if err = joinClose(ctx, err, session); err != nil {
		return nil, wrapErr(ctx, op, err)
	}
	return g, nil
}

// subgraphFromRecord maps the fetch statement's nodes and rels columns, putting the nodes in
// breadth-first order and capping the relations.
func subgraphFromRecord(rec *neo4j.Record, centre string, order []string, truncated bool) (*model.Subgraph, error) {
	nodes, err := listOf[any](rec, "nodes")
	if err != nil {
		return nil, err
	}
	ents, err := entitiesFromList(nodes)
	if err != nil {
		return nil, err
	}
	byID := make(map[string]model.Entity, len(ents))
	for _, e := range ents {
		byID[e.GetID()] = e
	}
	if _, ok := byID[centre]; !ok {
		return nil, model.NotFound("entity", centre)
	}
	g := &model.Subgraph{Truncated: truncated}
	for _, id := range order {
		// An entity deleted between two levels is simply left out.
		if e, ok := byID[id]; ok {
			g.Nodes = append(g.Nodes, e)
		}
	}
	list, err := listOf[any](rec, "rels")
	if err != nil {
		return nil, err
	}
	if len(list) > model.MaxSubgraphRelations {
		list, g.Truncated = list[:model.MaxSubgraphRelations], true
	}
	if g.Relations, err = relationsFromList(list); err != nil {
		return nil, err
	}
	return g, nil
}

// cypherPaths looks both endpoints up (so an unknown one is NOT_FOUND rather than "no
// path") and enumerates at most $maxPaths shortest paths between them, relations followed
// in either direction. %[1]s is the type part of the pattern, %[2]s the maximum length (a
// literal: Cypher takes no parameter there), %[3]s a WHERE on every relation of the path,
// or nothing. allShortestPaths checks such a predicate during the search, so it returns
// the shortest of the paths that match, not the matching ones among the shortest.
const cypherPaths = `
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

const pathWhereAsOf = `
  WHERE all(r IN relationships(p) WHERE ` + relWhereAsOf + `)`

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

// Paths returns every shortest path (up to First, in model.SortPaths order) between two
// entities, relations followed in either direction, with one statement. NOT_FOUND for an
// unknown endpoint; From == To is one path of length 0.
func (s *Store) Paths(ctx context.Context, q model.PathQuery) ([]*model.Path, error) {
	const op = "paths"
	q, err := q.Normalize()
	if err != nil {
		return nil, fmt.Errorf("neo4j: %s: %w", op, err)
	}
	if q.From == q.To {
		// allShortestPaths refuses equal endpoints; the answer needs only the entity.
		e, err := s.Entity(ctx, q.From)
		if err != nil {
			return nil, err
		}
		return []*model.Path{{Nodes: []model.Entity{e}}}, nil
	}
	cypher, params, err := pathsQuery(q)
	if err != nil {
		return nil, fmt.Errorf("neo4j: %s: %w", op, err)
	}
	recs, err := s.read(ctx, op, cypher, params)
	if err != nil {
		return nil, err
	}
	paths, err := single(recs, op, func(rec *neo4j.Record) ([]*model.Path, error) {
		return pathsFromRecord(rec, q.From, q.To)
	})
	if err != nil {
		return nil, err
	}
	model.SortPaths(paths)
	return paths[:min(len(paths), q.First)], nil
}

// pathsFromRecord maps the fromFound, toFound and paths columns of cypherPaths. Every path
// is turned to start at from.
func pathsFromRecord(rec *neo4j.Record, from, to string) ([]*model.Path, error) {
	for _, end := range []struct{ col, id string }{{"fromFound", from}, {"toFound", to}} {
		found, err := recordValue[bool](rec, end.col)
		if err != nil {
			return nil, err
		}
		if !found {
			return nil, model.NotFound("entity", end.id)
		}
	}
	raw, err := listOf[dbtype.Path](rec, "paths")
	if err != nil {
		return nil, err
	}
	paths := make([]*model.Path, 0, len(raw))
	for _, p := range raw {
		mp, err := pathFromDB(p)
		if err != nil {
			return nil, err
		}
		if mp.Nodes[0].GetID() != from {
			reversePath(mp)
		}
		paths = append(paths, mp)
	}
	return paths, nil
}
