package inmem

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/autograph-kg/autograph/graph/model"
)

// Entity returns a copy of the entity with the given id, or NOT_FOUND.
func (s *Store) Entity(ctx context.Context, id string) (model.Entity, error) {
	const op = "inmem: entity"
	s.mu.RLock()
	defer s.mu.RUnlock()
	if err := s.ready(ctx, op); err != nil {
		return nil, err
	}
	r, ok := s.entities[id]
	if !ok {
		return nil, fmt.Errorf("%s: %w", op, model.NotFound("entity", id))
	}
	return r.e.Clone(), nil
}

// EntitiesByID returns copies of the entities with the given ids; unknown ids are absent.
func (s *Store) EntitiesByID(ctx context.Context, ids []string) (map[string]model.Entity, error) {
	const op = "inmem: entities by id"
	s.mu.RLock()
	defer s.mu.RUnlock()
	if err := s.ready(ctx, op); err != nil {
		return nil, err
	}
	out := make(map[string]model.Entity, len(ids))
	for i, id := range ids {
		if err := tick(ctx, op, i+1); err != nil {
			return nil, err
		}
		if r, ok := s.entities[id]; ok {
			if _, done := out[id]; !done {
				out[id] = r.e.Clone()
			}
		}
	}
	return out, nil
}

var _ model.SharedReader = (*Store)(nil)

// SharedEntitiesByID implements model.SharedReader: the stored entities themselves. A change
// stores new entities (see apply in change.go), so one handed out here is never changed.
func (s *Store) SharedEntitiesByID(ctx context.Context, ids []string, out []model.Entity) error {
	const op = "inmem: entities by id"
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
		if r, ok := s.entities[id]; ok {
			out[i] = r.e
		}
	}
	return nil
}

// Entities lists one keyset page of entities of a kind (or of every kind), under the rules
// of model.EntityQuery.Normalize.
func (s *Store) Entities(ctx context.Context, q model.EntityQuery) (*model.EntityPage, error) {
	const op = "inmem: entities"
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
	after, err := q.AfterCursor()
	if err != nil {
		return nil, fmt.Errorf("%s: %w", op, err)
	}
	flat := entityMatcher(q.Kind, q.Filter)
	ev := s.newEvaluator()
	match := func(r *entityRec) bool { return flat(r) && ev.matchEntity(q.Filter.Where, r) }
	key := func(r *entityRec) string {
		switch order.Field {
		case model.SortByName:
			return r.sortKey
		case model.SortByID:
			return ""
		}
		return model.EntityOrderKey(r.e, order)
	}
	var rows []*entityRec
	if len(q.Filter.IDs) > 0 {
		// A few named ids: look them up and sort them rather than scan the whole view.
		seen := make(map[string]bool, len(q.Filter.IDs))
		for _, id := range q.Filter.IDs {
			if r, ok := s.entities[id]; ok && !seen[id] {
				seen[id] = true
				rows = append(rows, r)
			}
		}
		slices.SortFunc(rows, func(a, b *entityRec) int {
			return cmp.Or(cmp.Compare(key(a), key(b)), cmp.Compare(a.e.GetID(), b.e.GetID()))
		})
	} else if q.CountOnly {
		rows = s.views.entsByID[q.Kind] // counted, not ordered
	} else if order.Field == model.SortByName {
		rows = s.views.entsByName[q.Kind]
	} else if order.Field == model.SortByID {
		rows = s.views.entsByID[q.Kind]
	} else {
		rows = sortEntities(s.views.entsByID[q.Kind], order)
	}
	p := newPager[model.Entity](q.First, after, order.Desc)
	agg := model.NewEntityAggregator(q.Aggregate)
	for k := range rows {
		r := rowAt(rows, k, order.Desc)
		if err := tick(ctx, op, k+1); err != nil {
			return nil, err
		}
		if !match(r) {
			continue
		}
		agg.Add(r.e)
		if q.CountOnly {
			p.total++
			continue
		}
		if p.take(key(r), r.e.GetID()) {
			p.items = append(p.items, r.e.Clone())
		}
	}
	return &model.EntityPage{Items: p.items, HasNextPage: p.more, TotalCount: p.total, Aggregate: agg.Result()}, nil
}

// entityMatcher compiles the filter of a normalised entity query (and its kind) into a
// predicate.
func entityMatcher(kind model.EntityKind, f model.EntityFilter) func(*entityRec) bool {
	type attr struct {
		field  string
		values map[string]bool
	}
	var attrs []attr
	for _, a := range f.Attrs {
		if len(a.Values) > 0 {
			attrs = append(attrs, attr{a.Field, set(a.Values)})
		}
	}
	ids := set(f.IDs)
	name := model.Normalize(f.NameContains)
	return func(r *entityRec) bool {
		if kind != "" && r.e.Kind() != kind {
			return false
		}
		if ids != nil && !ids[r.e.GetID()] {
			return false
		}
		if name != "" && !slices.ContainsFunc(r.keys, func(k string) bool { return strings.Contains(k, name) }) {
			return false
		}
		for _, a := range attrs {
			if !a.values[model.AttrValue(r.e, a.field)] {
				return false
			}
		}
		return true
	}
}
