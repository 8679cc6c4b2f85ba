package neo4jstore

import (
	"context"
	"fmt"
	"strings"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"
	"github.com/neo4j/neo4j-go-driver/v5/neo4j/dbtype"

	"github.com/autograph-kg/autograph/graph/model"
)

// Graph exploration: neighborhoods and shortest paths.

// neighborhoodStart opens the neighborhood statement, which walks breadth-first in Cypher: it
// binds the centre (no row at all for an unknown id); one neighborhoodLevel block per level of
// Depth follows, and neighborhoodRelations ends it. nodes is the walk so far (the centre, then
// each level by id), frontier the last level, truncated whether a level had more candidates
// than room.
const neighborhoodStart = `
MATCH (c:Entity {id: $id})
WITH [c] AS nodes, [c] AS frontier, false AS truncated`

// neighborhoodLevel is one level of the walk: the entities one hop from the frontier, over
// matching relations in either direction, that are not in nodes yet, by id, at most $limit of
// them; of those the first room (Limit minus the nodes kept) join nodes and make the next
// frontier, and one more means truncated. $limit is enough at every level: the room is at most
// Limit-1 (the centre is kept), so the first room+1 candidates by id are among the first
// Limit. Once truncated, a level finds nothing. %[1]s is the type part of the pattern, %[2]s
// an extra condition (asOf) or nothing.
const neighborhoodLevel = `
CALL (nodes, frontier, truncated) {
  UNWIND frontier AS f
  MATCH (f)-[r%[1]s]-(o:Entity)
  WHERE NOT truncated AND NOT o IN nodes%[2]s
  WITH DISTINCT o
  ORDER BY o.id
  LIMIT $limit
  RETURN collect(o) AS next
}
WITH nodes, next, truncated, $limit - size(nodes) AS room
WITH nodes + next[..room] AS nodes, next[..room] AS frontier, truncated OR size(next) > room AS truncated`

// neighborhoodRelations returns the kept entities in walk order and the matching relations
// among them (each found once, from its start node), by id, at most $relLimit of them.
// Relations come back as their projection (relationFields), entities as %[3]s: entityFields,
// or the fields the caller reads (partialEntityFields). %[1]s is the type part of the
// pattern, %[2]s an extra condition (asOf) or nothing.
const neighborhoodRelations = `
CALL (nodes) {
  UNWIND nodes AS a
  MATCH (a)-[r%[1]s]->(b:Entity)
  WHERE b IN nodes%[2]s
  WITH a, r, b
  ORDER BY r.id
  LIMIT $relLimit
  RETURN collect({rel: ` + relationFields + `, fromId: a.id, toId: b.id}) AS rels
}
RETURN [n IN nodes | n %[3]s] AS nodes, truncated, rels`

// neighborhoodRelationCount ends the statement instead of neighborhoodRelations when the
// caller reads no relations (model.NeighborhoodQuery.NoRelations): the matching relations
// among the kept nodes are only counted, up to $relLimit, which is enough to say whether
// model.MaxSubgraphRelations would cut them (no sort, no projection). %[1]s and %[2]s are as
// there, %[3]s the nodes' projection.
const neighborhoodRelationCount = `
CALL (nodes) {
  UNWIND nodes AS a
  MATCH (a)-[r%[1]s]->(b:Entity)
  WHERE b IN nodes%[2]s
  WITH r
  LIMIT $relLimit
  RETURN count(r) AS relCount
}
RETURN [n IN nodes | n %[3]s] AS nodes, truncated OR relCount >= $relLimit AS truncated, [] AS rels`

// neighborhoodQuery builds the one statement of a normalised neighborhood query
// (model.NeighborhoodQuery.Normalize), for its depth, types, asOf and what the caller reads
// (Nodes, NoRelations), and its parameters.
func neighborhoodQuery(q model.NeighborhoodQuery) (string, map[string]any, error) {
	types, err := relTypes(q.Types)
	if err != nil {
		return "", nil, err
	}
	params := map[string]any{"id": q.ID, "limit": int64(q.Limit), "relLimit": int64(model.MaxSubgraphRelations + 1)}
	extra := ""
	if q.AsOf != nil {
		asOfParams(params, *q.AsOf)
		extra = " AND " + relWhereAsOf
	}
	var b strings.Builder
	b.WriteString(neighborhoodStart)
	for range q.Depth {
		fmt.Fprintf(&b, neighborhoodLevel, types, extra)
	}
	nodes := entityFields
	if q.Nodes != 0 && q.Nodes != model.AllEntityFields {
		nodes = partialEntityFields(q.Nodes)
	}
	end := neighborhoodRelations
	if q.NoRelations {
		end = neighborhoodRelationCount
	}
	fmt.Fprintf(&b, end, types, extra, nodes)
	return b.String(), params, nil
}

// Neighborhood returns the entities within Depth hops of an entity and the matching relations
// among them, with one statement (neighborhoodQuery), one round trip: a breadth-first walk in
// which level k asks for the unseen neighbours of level k-1, ordered by id, at most Limit of
// them, so the first Limit nodes in (distance, id) order are kept and an extra one means
// Truncated; then the relations among the kept nodes, capped at model.MaxSubgraphRelations
// (one more means Truncated). What it costs: each level reads the relations of its frontier
// and the relations part those of the kept nodes, and each relation read has its other end
// looked up in the list of kept nodes, linearly (up to Limit comparisons); no path is
// enumerated, so a hub cannot blow the query up. The nodes carry only the fields q.Nodes
// names when it names some, and when q.NoRelations the relations are counted, not returned.
// NOT_FOUND for an unknown id.
func (s *Store) Neighborhood(ctx context.Context, q model.NeighborhoodQuery) (*model.Subgraph, error) {
	const op = "neighborhood"
	q, err := q.Normalize()
	if err != nil {
		return nil, fmt.Errorf("neo4j: %s: %w", op, err)
	}
	cypher, params, err := neighborhoodQuery(q)
	if err != nil {
		return nil, fmt.Errorf("neo4j: %s: %w", op, err)
	}
	recs, err := s.read(ctx, op, cypher, params)
	if err != nil {
		return nil, err
	}
	if len(recs) == 0 { // the centre's MATCH found nothing
		return nil, fmt.Errorf("neo4j: %s: %w", op, model.NotFound("entity", q.ID))
	}
	return single(recs, op, subgraphFromRecord)
}

// subgraphFromRecord maps the nodes, truncated and rels columns of the neighborhood statement,
// capping the relations.
func subgraphFromRecord(rec *neo4j.Record) (*model.Subgraph, error) {
	nodes, err := listOf[any](rec, "nodes")
	if err != nil {
		return nil, err
	}
	truncated, err := recordValue[bool](rec, "truncated")
	if err != nil {
		return nil, err
	}
	g := &model.Subgraph{Truncated: truncated}
	if g.Nodes, err = entitiesFromList(nodes); err != nil {
		return nil, err
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
