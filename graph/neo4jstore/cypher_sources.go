package neo4jstore

import (
	"fmt"
	"slices"

	"github.com/autograph-kg/autograph/graph/model"
)

// Source lookups and listings. Node variable n is always a source.
const (
	cypherSource = `
MATCH (n:Source {id: $id})
RETURN n`

	cypherSourcesByID = `
UNWIND $ids AS id
MATCH (n:Source {id: id})
RETURN n`

	// cypherSourcePage has the shape of cypherEntityPage; %[1]s is always Source.
	cypherSourcePage = cypherEntityPage

	sourceWhereIDs           = `n.id IN $ids`
	sourceWhereTitleContains = `n.titleKey CONTAINS $titleContains`
	sourceWherePublishers    = `n.publisherId IN $publisherIds`
	// sourceWherePublishersOrNone also keeps sources without a publisher, for a filter that
	// lists "" (the embedded store compares the empty PublisherID like any other value).
	sourceWherePublishersOrNone = `coalesce(n.publisherId, '') IN $publisherIds`

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
			return keyset{sourceAfterTitleDesc, sourceOrderTitleDesc}, nil
		}
		return keyset{sourceAfterTitleAsc, sourceOrderTitleAsc}, nil
	case model.SortByPublishedOn:
		if o.Desc {
			return keyset{sourceAfterPublishedDesc, sourceOrderPublishedDesc}, nil
		}
		return keyset{sourceAfterPublishedAsc, sourceOrderPublishedAsc}, nil
	case model.SortByID:
		if o.Desc {
			return keyset{sourceAfterIDDesc, sourceOrderIDDesc}, nil
		}
		return keyset{sourceAfterIDAsc, sourceOrderIDAsc}, nil
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
	return pageQuery(cypherSourcePage, labelSource, conds, ks, hasCursor), params, nil
}
