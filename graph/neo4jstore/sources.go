package neo4jstore

import (
	"context"
	"fmt"
	"slices"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"
	"github.com/neo4j/neo4j-go-driver/v5/neo4j/dbtype"

	"github.com/autograph-kg/autograph/graph/model"
)

// Source lookups and listings. Node variable n is always a source.

// cypherSource is the statement of Source.
const cypherSource = `
MATCH (n:Source {id: $id})
RETURN n`

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

// cypherSourcesByID is the statement of SourcesByID; one record, like cypherEntitiesByID.
const cypherSourcesByID = `
UNWIND $ids AS id
MATCH (n:Source {id: id})
RETURN collect(n) AS nodes`

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
	nodes, err := single(recs, op, func(rec *neo4j.Record) ([]dbtype.Node, error) { return listOf[dbtype.Node](rec, "nodes") })
	if err != nil {
		return nil, err
	}
	for _, n := range nodes {
		src, err := sourceFromNode(n)
		if err != nil {
			return nil, fmt.Errorf("neo4j: %s: %w", op, err)
		}
		out[src.ID] = src
	}
	return out, nil
}

const (
	// cypherSourcePage has the shape of cypherEntityPage, with whole nodes (sourceFromNode);
	// %[1]s is always Source.
	cypherSourcePage = pageStatementHead + pageStatementTail

	// Filter conditions of a source listing.
	sourceWhereIDs           = `n.id IN $ids`
	sourceWhereTitleContains = `n.titleKey CONTAINS $titleContains`
	sourceWherePublishers    = `n.publisherId IN $publisherIds`

	// sourceWherePublishersOrNone also keeps sources without a publisher, for a filter that
	// lists "": a source without a publisher has the PublisherID "", which a filter matches
	// like any other value.
	sourceWherePublishersOrNone = `coalesce(n.publisherId, '') IN $publisherIds`

	// Keyset conditions and orders: ties on the key are broken by id in the same direction.
	sourceAfterTitleAsc      = `(n.titleKey > $afterKey OR (n.titleKey = $afterKey AND n.id > $afterId))`
	sourceAfterTitleDesc     = `(n.titleKey < $afterKey OR (n.titleKey = $afterKey AND n.id < $afterId))`
	sourceAfterPublishedAsc  = `(n.publishedStart > $afterKey OR (n.publishedStart = $afterKey AND n.id > $afterId))`
	sourceAfterPublishedDesc = `(n.publishedStart < $afterKey OR (n.publishedStart = $afterKey AND n.id < $afterId))`
	sourceAfterIDAsc         = `n.id > $afterId`
	sourceAfterIDDesc        = `n.id < $afterId`
	sourceOrderTitleAsc      = `n.titleKey, n.id`
	sourceOrderTitleDesc     = `n.titleKey DESC, n.id DESC`
	sourceOrderPublishedAsc  = `n.publishedStart, n.id`
	sourceOrderPublishedDesc = `n.publishedStart DESC, n.id DESC`
	sourceOrderIDAsc         = `n.id`
	sourceOrderIDDesc        = `n.id DESC`
)

// sourceKeyset maps a source ordering (one that model.SourceQuery.Normalize lets through) to
// its fragments.
func sourceKeyset(o model.Order) (keyset, error) {
	switch o.Field {
	case model.SortByTitle:
		if o.Desc {
			return keyset{after: sourceAfterTitleDesc, order: sourceOrderTitleDesc}, nil
		}
		return keyset{after: sourceAfterTitleAsc, order: sourceOrderTitleAsc}, nil
	case model.SortByPublishedOn:
		if o.Desc {
			return keyset{after: sourceAfterPublishedDesc, order: sourceOrderPublishedDesc}, nil
		}
		return keyset{after: sourceAfterPublishedAsc, order: sourceOrderPublishedAsc}, nil
	case model.SortByID:
		if o.Desc {
			return keyset{after: sourceAfterIDDesc, order: sourceOrderIDDesc}, nil
		}
		return keyset{after: sourceAfterIDAsc, order: sourceOrderIDAsc}, nil
	}
	return keyset{}, fmt.Errorf("no source keyset for the order %v: the query was not normalised", o)
}

// sourcesQuery builds the statement and parameters of Sources for a normalised query
// (model.SourceQuery.Normalize); TitleContains matches the normalised title like NameContains
// matches names.
func sourcesQuery(q model.SourceQuery) (string, map[string]any, error) {
	ks, err := sourceKeyset(q.Order)
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
		conds = append(conds, sourceWhereIDs)
		params["ids"] = q.Filter.IDs
	}
	if text := model.Normalize(q.Filter.TitleContains); text != "" {
		conds = append(conds, sourceWhereTitleContains)
		params["titleContains"] = text
	}
	if len(q.Filter.PublisherIDs) > 0 {
		if slices.Contains(q.Filter.PublisherIDs, "") {
			conds = append(conds, sourceWherePublishersOrNone)
		} else {
			conds = append(conds, sourceWherePublishers)
		}
		params["publisherIds"] = q.Filter.PublisherIDs
	}
	return pageQuery(cypherSourcePage, labelSource, conds, ks, hasCursor, "", ""), params, nil
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
	items, total, next, err := readPage(ctx, s, op, cypher, params, q.First, sourceFromNode)
	if err != nil {
		return nil, err
	}
	return &model.SourcePage{Items: items, TotalCount: total, HasNextPage: next}, nil
}

// sourceFromRecord maps the node in column n.
func sourceFromRecord(rec *neo4j.Record) (*model.Source, error) {
	n, err := recordValue[dbtype.Node](rec, "n")
	if err != nil {
		return nil, err
	}
	return sourceFromNode(n)
}
