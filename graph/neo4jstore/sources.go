package neo4jstore

import (
	"context"
	"fmt"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"
	"github.com/neo4j/neo4j-go-driver/v5/neo4j/dbtype"

	"github.com/autograph-kg/autograph/graph/model"
)

// Source returns the source with the given id, or NOT_FOUND.
func (s *Store) Source(ctx context.Context, id string) (*model.Source, error) {
	const op = "source"
	recs, err := s.read(ctx, op, cypherSource, map[string]any{"id": id})
	if err != nil {
		return nil, err
	}
	if len(recs) == 0 {
		return nil, fmt.Errorf("neo4j: %s: %w", op, model.NotFound("source", id))
	}
	return sourceFromRecord(recs[0])
}

// SourcesByID returns the sources with the given ids; unknown ids are absent from the map.
func (s *Store) SourcesByID(ctx context.Context, ids []string) (map[string]*model.Source, error) {
	const op = "sources by id"
	ids = distinct(ids)
	out := make(map[string]*model.Source, len(ids))
	if len(ids) == 0 {
		return out, nil
	}
	recs, err := s.read(ctx, op, cypherSourcesByID, map[string]any{"ids": ids})
	if err != nil {
		return nil, err
	}
	for _, rec := range recs {
		src, err := sourceFromRecord(rec)
		if err != nil {
			return nil, fmt.Errorf("neo4j: %s: %w", op, err)
		}
		out[src.ID] = src
	}
	return out, nil
}

// Sources lists one keyset page of sources, under the rules of model.SourceQuery.Normalize.
func (s *Store) Sources(ctx context.Context, q model.SourceQuery) (*model.SourcePage, error) {
	const op = "sources"
	q, err := q.Normalize()
	if err != nil {
		return nil, fmt.Errorf("neo4j: %s: %w", op, err)
	}
	cypher, params, err := sourcesQuery(q)
	if err != nil {
		return nil, fmt.Errorf("neo4j: %s: %w", op, err)
	}
	recs, err := s.read(ctx, op, cypher, params)
	if err != nil {
		return nil, err
	}
	return single(recs, op, func(rec *neo4j.Record) (*model.SourcePage, error) {
		total, nodes, err := pageColumns[dbtype.Node](rec)
		if err != nil {
			return nil, err
		}
		page := &model.SourcePage{TotalCount: total}
		first := q.First
		page.HasNextPage = len(nodes) > first
		for _, n := range nodes[:min(len(nodes), first)] {
			src, err := sourceFromNode(n)
			if err != nil {
				return nil, err
			}
			page.Items = append(page.Items, src)
		}
		return page, nil
	})
}

// sourceFromRecord maps the node in column n.
func sourceFromRecord(rec *neo4j.Record) (*model.Source, error) {
	n, err := recordValue[dbtype.Node](rec, "n")
	if err != nil {
		return nil, err
	}
	return sourceFromNode(n)
}
