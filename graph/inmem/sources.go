package inmem

import (
	"context"
	"fmt"
	"strings"

	"github.com/autograph-kg/autograph/graph/model"
)

// Source returns a copy of the source with the given id, or NOT_FOUND.
func (s *Store) Source(ctx context.Context, id string) (*model.Source, error) {
	const op = "inmem: source"
	s.mu.RLock()
	defer s.mu.RUnlock()
	if err := s.ready(ctx, op); err != nil {
		return nil, err
	}
	r, ok := s.sources[id]
	if !ok {
		return nil, fmt.Errorf("%s: %w", op, model.NotFound("source", id))
	}
	return r.s.Clone(), nil
}

// SourcesByID returns copies of the sources with the given ids; unknown ids are absent.
func (s *Store) SourcesByID(ctx context.Context, ids []string) (map[string]*model.Source, error) {
	const op = "inmem: sources by id"
	s.mu.RLock()
	defer s.mu.RUnlock()
	if err := s.ready(ctx, op); err != nil {
		return nil, err
	}
	out := make(map[string]*model.Source, len(ids))
	for i, id := range ids {
		if err := tick(ctx, op, i+1); err != nil {
			return nil, err
		}
		if r, ok := s.sources[id]; ok {
			out[id] = r.s.Clone()
		}
	}
	return out, nil
}

// SharedSourcesByID implements model.SharedReader: the stored sources themselves, which a
// change replaces rather than changes.
func (s *Store) SharedSourcesByID(ctx context.Context, ids []string, out []*model.Source) error {
	const op = "inmem: sources by id"
	s.mu.RLock()
	defer s.mu.RUnlock()
	if err := s.ready(ctx, op); err != nil {
		return err
	}
	for i, id := range ids {
		if err := tick(ctx, op, i+1); err != nil {
			return err
		}
		out[i] = nil
		if r, ok := s.sources[id]; ok {
			out[i] = r.s
		}
	}
	return nil
}

// Sources lists one keyset page of sources, under the rules of model.SourceQuery.Normalize.
// TitleContains matches like an entity's NameContains: the normalised text is a substring of
// the normalised title.
func (s *Store) Sources(ctx context.Context, q model.SourceQuery) (*model.SourcePage, error) {
	const op = "inmem: sources"
	q, err := q.Normalize()
	if err != nil {
		return nil, fmt.Errorf("%s: %w", op, err)
	}
	s.mu.RLock()
	defer s.mu.RUnlock()
	if err := s.ready(ctx, op); err != nil {
		return nil, err
	}
	order := q.Order
	var rows []*sourceRec
	var key func(*sourceRec) string
	switch order.Field {
	case model.SortByTitle:
		rows, key = s.views.srcByTitle, func(r *sourceRec) string { return r.titleKey }
	case model.SortByPublishedOn:
		rows, key = s.views.srcByPub, func(r *sourceRec) string { return r.pubKey }
	default: // ID, the one other order Normalize lets through
		rows, key = s.views.srcByID, func(*sourceRec) string { return "" }
	}
	after, err := q.AfterCursor()
	if err != nil {
		return nil, fmt.Errorf("%s: %w", op, err)
	}
	ids, publishers := set(q.Filter.IDs), set(q.Filter.PublisherIDs)
	title := model.Normalize(q.Filter.TitleContains)
	p := newPager[*model.Source](q.First, after, order.Desc)
	for k := range rows {
		r := rowAt(rows, k, order.Desc)
		if err := tick(ctx, op, k+1); err != nil {
			return nil, err
		}
		if (ids != nil && !ids[r.s.ID]) ||
			(publishers != nil && !publishers[r.s.PublisherID]) ||
			(title != "" && !strings.Contains(r.titleKey, title)) {
			continue
		}
		if p.take(key(r), r.s.ID) {
			p.items = append(p.items, r.s.Clone())
		}
	}
	return &model.SourcePage{Items: p.items, HasNextPage: p.more, TotalCount: p.total}, nil
}
