package neo4jstore

import (
	"context"
	"fmt"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"
	"github.com/neo4j/neo4j-go-driver/v5/neo4j/dbtype"

	"github.com/autograph-kg/autograph/graph/model"
)

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
	for _, rec := range recs {
		e, err := entityFromRecord(rec)
		if err != nil {
			return nil, fmt.Errorf("neo4j: %s: %w", op, err)
		}
		out[e.GetID()] = e
	}
	return out, nil
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
		total, nodes, err := pageColumns[dbtype.Node](rec)
		if err != nil {
			return nil, err
		}
		page := &model.EntityPage{TotalCount: total}
		first := q.First
		page.HasNextPage = len(nodes) > first
		for _, n := range nodes[:min(len(nodes), first)] {
			e, err := entityFromNode(n)
			if err != nil {
				return nil, err
			}
			page.Items = append(page.Items, e)
		}
		return page, nil
	})
}

// Search finds entities whose name or an alias contains the query, scored and ordered
// exactly like model.ScoreMatch and model.SortHits.
func (s *Store) Search(ctx context.Context, q model.SearchQuery) ([]model.SearchHit, error) {
	const op = "search"
	q, err := q.Normalize()
	if err != nil {
		return nil, fmt.Errorf("neo4j: %s: %w", op, err)
	}
	recs, err := s.read(ctx, op, cypherSearch, searchParams(q))
	if err != nil {
		return nil, err
	}
	hits := make([]model.SearchHit, 0, len(recs))
	for _, rec := range recs {
		e, err := entityFromRecord(rec)
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

// entityFromRecord maps the node in column n.
func entityFromRecord(rec *neo4j.Record) (model.Entity, error) {
	n, err := recordValue[dbtype.Node](rec, "n")
	if err != nil {
		return nil, err
	}
	return entityFromNode(n)
}

// pageColumns reads the total and page columns of a page statement.
func pageColumns[T any](rec *neo4j.Record) (int, []T, error) {
	total, err := recordValue[int64](rec, "total")
	if err != nil {
		return 0, nil, err
	}
	page, err := listOf[T](rec, "page")
	if err != nil {
		return 0, nil, err
	}
	return int(total), page, nil
}

// distinct returns ids without duplicates, in first-seen order, so a batch sends each id once.
func distinct(ids []string) []string {
	seen := make(map[string]bool, len(ids))
	out := make([]string, 0, len(ids))
	for _, id := range ids {
		if !seen[id] {
			seen[id] = true
			out = append(out, id)
		}
	}
	return out
}
