package inmem

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/autograph-kg/autograph/graph/model"
)

// pager collects one keyset page of a listing while counting every row that matches, since
// TotalCount spans all pages. Rows are offered in the listing's order.
type pager[T any] struct {
	first int
	after *model.Cursor
	desc  bool
	items []T
	more  bool
	total int
}

// newPager starts a page of first rows (a normalised query's First) after the cursor.
func newPager[T any](first int, after *model.Cursor, desc bool) *pager[T] {
	return &pager[T]{first: first, after: after, desc: desc}
}

// offer counts a matching row and keeps it if it follows the cursor and the page has room;
// item is called only for kept rows, so rows on other pages are never copied.
func (p *pager[T]) offer(key, id string, item func() T) {
	p.total++
	if p.after != nil && !p.after.After(key, id, p.desc) {
		return
	}
	if len(p.items) < p.first {
		p.items = append(p.items, item())
		return
	}
	p.more = true
}

// inOrder yields the rows of a view ascending, or descending when desc is set: a descending
// ordering is the ascending one reversed, key and id alike.
func inOrder[T any](rows []T, desc bool) func(yield func(int, T) bool) {
	if desc {
		return slices.Backward(rows)
	}
	return slices.All(rows)
}

// set makes a membership set from a list; nil for an empty list, which does not filter.
func set[T comparable](xs []T) map[T]bool {
	if len(xs) == 0 {
		return nil
	}
	m := make(map[T]bool, len(xs))
	for _, x := range xs {
		m[x] = true
	}
	return m
}

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
	match := entityMatcher(q.Kind, q.Filter)
	key := func(r *entityRec) string {
		if order.Field == model.SortByName {
			return r.sortKey
		}
		return ""
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
	} else if order.Field == model.SortByName {
		rows = s.views.entsByName[q.Kind]
	} else {
		rows = s.views.entsByID[q.Kind]
	}
	p := newPager[model.Entity](q.First, after, order.Desc)
	for i, r := range inOrder(rows, order.Desc) {
		if err := tick(ctx, op, i+1); err != nil {
			return nil, err
		}
		if match(r) {
			p.offer(key(r), r.e.GetID(), r.e.Clone)
		}
	}
	return &model.EntityPage{Items: p.items, HasNextPage: p.more, TotalCount: p.total}, nil
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
	for i, r := range inOrder(rows, order.Desc) {
		if err := tick(ctx, op, i+1); err != nil {
			return nil, err
		}
		if (ids != nil && !ids[r.s.ID]) ||
			(publishers != nil && !publishers[r.s.PublisherID]) ||
			(title != "" && !strings.Contains(r.titleKey, title)) {
			continue
		}
		p.offer(key(r), r.s.ID, r.s.Clone)
	}
	return &model.SourcePage{Items: p.items, HasNextPage: p.more, TotalCount: p.total}, nil
}

// Relation returns a copy of the relation with the given id, or NOT_FOUND.
func (s *Store) Relation(ctx context.Context, id string) (*model.Relation, error) {
	const op = "inmem: relation"
	s.mu.RLock()
	defer s.mu.RUnlock()
	if err := s.ready(ctx, op); err != nil {
		return nil, err
	}
	r, ok := s.relations[id]
	if !ok {
		return nil, fmt.Errorf("%s: %w", op, model.NotFound("relation", id))
	}
	return r.Clone(), nil
}

// relFilter is a compiled RelationFilter; nil sets and a nil span do not filter.
type relFilter struct {
	ids, from, to, sources map[string]bool
	types                  map[model.RelationType]bool
	status                 map[model.RelationStatus]bool
	asOf                   *model.Span
}

// compileRelFilter prepares the relation filter of a normalised query.
func compileRelFilter(f model.RelationFilter) *relFilter {
	rf := &relFilter{
		ids: set(f.IDs), from: set(f.FromIDs), to: set(f.ToIDs), sources: set(f.SourceIDs),
		types: set(f.Types), status: set(f.Status),
	}
	if f.AsOf != nil {
		sp := model.SpanOf(*f.AsOf)
		rf.asOf = &sp
	}
	return rf
}

// match reports whether r passes every field of the filter.
func (f *relFilter) match(r *model.Relation) bool {
	switch {
	case f.ids != nil && !f.ids[r.ID],
		f.types != nil && !f.types[r.Type],
		f.status != nil && !f.status[r.Status],
		f.from != nil && !f.from[r.FromID],
		f.to != nil && !f.to[r.ToID],
		f.sources != nil && !slices.ContainsFunc(r.SourceIDs, func(id string) bool { return f.sources[id] }),
		f.asOf != nil && !r.Span().Overlaps(*f.asOf):
		return false
	}
	return true
}

// Relations lists one page of relations matching a filter, ordered by id.
func (s *Store) Relations(ctx context.Context, q model.RelationQuery) (*model.RelationPage, error) {
	const op = "inmem: relations"
	q, err := q.Normalize()
	if err != nil {
		return nil, fmt.Errorf("%s: %w", op, err)
	}
	s.mu.RLock()
	defer s.mu.RUnlock()
	if err := s.ready(ctx, op); err != nil {
		return nil, err
	}
	f := compileRelFilter(q.Filter)
	after, err := q.AfterCursor()
	if err != nil {
		return nil, fmt.Errorf("%s: %w", op, err)
	}
	// Start from the narrowest index the filter allows; the filter still checks every field.
	var rows []*model.Relation
	switch {
	case f.ids != nil:
		rows = s.collect(func(add func(*model.Relation)) {
			for id := range f.ids {
				if r, ok := s.relations[id]; ok {
					add(r)
				}
			}
		})
	case f.from != nil:
		rows = s.collect(func(add func(*model.Relation)) {
			for id := range f.from {
				for _, r := range s.byFrom[id] {
					add(r)
				}
			}
		})
	case f.to != nil:
		rows = s.collect(func(add func(*model.Relation)) {
			for id := range f.to {
				for _, r := range s.byTo[id] {
					add(r)
				}
			}
		})
	default:
		rows = s.views.relsByID
	}
	page, err := relationPage(ctx, op, rows, f, q.First, after)
	if err != nil {
		return nil, err
	}
	return page, nil
}

// collect gathers relations without duplicates and sorts them by id.
func (s *Store) collect(gen func(add func(*model.Relation))) []*model.Relation {
	seen := map[string]bool{}
	var out []*model.Relation
	gen(func(r *model.Relation) {
		if !seen[r.ID] {
			seen[r.ID] = true
			out = append(out, r)
		}
	})
	slices.SortFunc(out, byRelationID)
	return out
}

// relationPage pages through rows (sorted by id) that pass the filter.
func relationPage(ctx context.Context, op string, rows []*model.Relation, f *relFilter, first int, after *model.Cursor) (*model.RelationPage, error) {
	p := newPager[*model.Relation](first, after, false)
	for i, r := range rows {
		if err := tick(ctx, op, i+1); err != nil {
			return nil, err
		}
		if f.match(r) {
			p.offer("", r.ID, r.Clone)
		}
	}
	return &model.RelationPage{Items: p.items, HasNextPage: p.more, TotalCount: p.total}, nil
}

// RelationsOf pages through the relations of each entity, one page per requested id (empty for
// unknown ids). Direction OUT keeps relations from the entity, IN those to it, and BOTH (the
// default) either; a self-loop counts once.
func (s *Store) RelationsOf(ctx context.Context, ids []string, q model.RelationsOfQuery) (map[string]*model.RelationPage, error) {
	const op = "inmem: relations of"
	q, err := q.Normalize()
	if err != nil {
		return nil, fmt.Errorf("%s: %w", op, err)
	}
	s.mu.RLock()
	defer s.mu.RUnlock()
	if err := s.ready(ctx, op); err != nil {
		return nil, err
	}
	dir := q.Direction
	f := compileRelFilter(q.Filter)
	after, err := q.AfterCursor()
	if err != nil {
		return nil, fmt.Errorf("%s: %w", op, err)
	}
	out := make(map[string]*model.RelationPage, len(ids))
	for i, id := range ids {
		if err := tick(ctx, op, i+1); err != nil {
			return nil, err
		}
		if _, done := out[id]; done {
			continue
		}
		rows := s.collect(func(add func(*model.Relation)) {
			if dir != model.DirectionIn {
				for _, r := range s.byFrom[id] {
					add(r)
				}
			}
			if dir != model.DirectionOut {
				for _, r := range s.byTo[id] {
					add(r)
				}
			}
		})
		page, err := relationPage(ctx, op, rows, f, q.First, after)
		if err != nil {
			return nil, err
		}
		out[id] = page
	}
	return out, nil
}
