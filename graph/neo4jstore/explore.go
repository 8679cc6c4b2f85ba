package neo4jstore

import (
	"context"
	"errors"
	"fmt"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"
	"github.com/neo4j/neo4j-go-driver/v5/neo4j/dbtype"

	"github.com/autograph-kg/autograph/graph/model"
)

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
	nodes, err := listOf[dbtype.Node](rec, "nodes")
	if err != nil {
		return nil, err
	}
	byID := make(map[string]model.Entity, len(nodes))
	for _, n := range nodes {
		e, err := entityFromNode(n)
		if err != nil {
			return nil, err
		}
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

// collectStrings runs a statement in tx and returns the string column key of every record.
func collectStrings(ctx context.Context, tx neo4j.ManagedTransaction, cypher string, params map[string]any, key string) ([]string, error) {
	res, err := tx.Run(ctx, cypher, params)
	if err != nil {
		return nil, err
	}
	recs, err := res.Collect(ctx)
	if err != nil {
		return nil, err
	}
	out := make([]string, 0, len(recs))
	for _, rec := range recs {
		v, err := recordValue[string](rec, key)
		if err != nil {
			return nil, err
		}
		out = append(out, v)
	}
	return out, nil
}

// withParams merges parameter maps into a new one; later maps win.
func withParams(ms ...map[string]any) map[string]any {
	out := map[string]any{}
	for _, m := range ms {
		for k, v := range m {
			out[k] = v
		}
	}
	return out
}

// joinClose closes a session and joins its error to the work's.
func joinClose(ctx context.Context, err error, session neo4j.SessionWithContext) error {
	return errors.Join(err, session.Close(ctx))
}
