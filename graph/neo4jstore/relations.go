package neo4jstore

import (
	"context"
	"fmt"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"

	"github.com/autograph-kg/autograph/graph/model"
)

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
		return relationPage(total, list, q.First)
	})
}

// RelationsOf pages through the relations of several entities in one round trip: one page per
// requested id, empty for unknown ids. Direction OUT keeps relations from the entity, IN those
// to it, BOTH (the default) either; a self-loop counts once.
func (s *Store) RelationsOf(ctx context.Context, ids []string, q model.RelationsOfQuery) (map[string]*model.RelationPage, error) {
	const op = "relations of"
	q, err := q.Normalize()
	if err != nil {
		return nil, fmt.Errorf("neo4j: %s: %w", op, err)
	}
	ids = distinct(ids)
	cypher, params, err := relationsOfQuery(ids, q)
	if err != nil {
		return nil, fmt.Errorf("neo4j: %s: %w", op, err)
	}
	out := make(map[string]*model.RelationPage, len(ids))
	if len(ids) > 0 {
		recs, err := s.read(ctx, op, cypher, params)
		if err != nil {
			return nil, err
		}
		for _, rec := range recs {
			id, err := recordValue[string](rec, "id")
			if err != nil {
				return nil, fmt.Errorf("neo4j: %s: %w", op, err)
			}
			total, list, err := pageColumns[any](rec)
			if err != nil {
				return nil, fmt.Errorf("neo4j: %s: %w", op, err)
			}
			if out[id], err = relationPage(total, list, q.First); err != nil {
				return nil, fmt.Errorf("neo4j: %s: %w", op, err)
			}
		}
	}
	for _, id := range ids {
		if out[id] == nil {
			out[id] = &model.RelationPage{}
		}
	}
	return out, nil
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
