package inmem

import (
	"context"
	"fmt"
	"slices"
	"sort"

	"github.com/autograph-kg/autograph/graph/model"
)

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

// relFilter is a compiled RelationFilter; nil sets and lists and a nil span do not filter.
// Types and statuses are short lists, which a scan checks faster than a map.
type relFilter struct {
	ids, from, to, sources map[string]bool
	types                  []model.RelationType
	status                 []model.RelationStatus
	asOf                   *model.Span
}

// compileRelFilter prepares the relation filter of a normalised query.
func compileRelFilter(f model.RelationFilter) *relFilter {
	rf := &relFilter{
		ids: set(f.IDs), from: set(f.FromIDs), to: set(f.ToIDs), sources: set(f.SourceIDs),
	}
	if len(f.Types) > 0 {
		rf.types = f.Types
	}
	if len(f.Status) > 0 {
		rf.status = f.Status
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
		f.types != nil && !slices.Contains(f.types, r.Type),
		f.status != nil && !slices.Contains(f.status, r.Status),
		f.from != nil && !f.from[r.FromID],
		f.to != nil && !f.to[r.ToID],
		f.sources != nil && !slices.ContainsFunc(r.SourceIDs, func(id string) bool { return f.sources[id] }),
		f.asOf != nil && !r.OverlapsSpan(*f.asOf):
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
	page, err := s.relationPage(ctx, op, rows, relPageQuery{f, q.Filter.Where, "", q.Order, q.Aggregate, q.CountOnly}, q.First, after)
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

// relPageQuery is what relationPage needs of a normalised relation query: the flat filter,
// the composable one (self is the entity whose relations are listed, "" for the listing of
// all relations), the order and the aggregate.
type relPageQuery struct {
	f         *relFilter
	where     *model.RelationWhere
	self      string
	order     model.Order
	aggregate *model.AggregateRequest
	countOnly bool
}

// relationPage pages through rows (sorted by id) that pass the filter, in the query's order.
func (s *Store) relationPage(ctx context.Context, op string, rows []*model.Relation, q relPageQuery, first int, after *model.Cursor) (*model.RelationPage, error) {
	if q.everyRowByID() {
		return relationPageByID(rows, q.order.Desc, first, after, copyRelation), nil
	}
	return s.relationPageWalk(ctx, op, rows, q, first, after, copyRelation)
}

// relationOut is what a page holds of a stored relation: a copy (copyRelation), or the
// stored relation itself for a model.SharedReader's caller (storedRelation).
type relationOut func(*model.Relation) *model.Relation

func copyRelation(r *model.Relation) *model.Relation   { return r.Clone() }
func storedRelation(r *model.Relation) *model.Relation { return r }

// everyRowByID says whether every row matches q (no filter, no where, no aggregate, not only
// a count) and q orders by id, the rows' own order: the page the explorer asks of a hub.
func (q relPageQuery) everyRowByID() bool {
	f := q.f
	return f.ids == nil && f.from == nil && f.to == nil && f.sources == nil && f.types == nil && f.status == nil && f.asOf == nil &&
		q.where == nil && q.aggregate == nil && !q.countOnly && (q.order.Field == "" || q.order.Field == model.SortByID)
}

// relationPageByID is relationPageWalk for a query of which every row is an answer, in the
// rows' order: the total is their number, and the page starts where the cursor is, found by
// binary search, instead of a walk of every row (5,913 of them on the 1M dataset's hub, for
// each page). The answer is the walk's, field for field (TestRelationPageByIDIsTheWalk).
func relationPageByID(rows []*model.Relation, desc bool, first int, after *model.Cursor, out relationOut) *model.RelationPage {
	n := len(rows)
	at := func(i int) *model.Relation {
		if desc {
			return rows[n-1-i]
		}
		return rows[i]
	}
	start := 0
	if after != nil {
		// Whether a row follows the cursor is false, then true, along the order.
		start = sort.Search(n, func(i int) bool { return after.After("", at(i).ID, desc) })
	}
	end := min(n, start+max(first, 0))
	var items []*model.Relation
	if end > start {
		items = make([]*model.Relation, 0, end-start)
	}
	for i := start; i < end; i++ {
		items = append(items, out(at(i)))
	}
	return &model.RelationPage{Items: items, HasNextPage: end < n, TotalCount: n}
}

// entityKind is the kind of the stored entity id, "" when there is none; s.mu is held.
func (s *Store) entityKind(id string) model.EntityKind {
	if rec, ok := s.entities[id]; ok {
		return rec.e.Kind()
	}
	return ""
}

// relationPageWalk is relationPage by a walk of every row.
func (s *Store) relationPageWalk(ctx context.Context, op string, rows []*model.Relation, q relPageQuery, first int, after *model.Cursor, out relationOut) (*model.RelationPage, error) {
	p := newPager[*model.Relation](first, after, q.order.Desc)
	if n := min(len(rows), first, 16); !q.countOnly && n > 0 {
		// Room for a short page at once: growing the list from nothing was three
		// allocations for a typical entity's dozen relations. A long page grows past it.
		p.items = make([]*model.Relation, 0, n)
	}
	var agg *model.Aggregator // nil (counting nothing) unless asked for
	if q.aggregate != nil {
		agg = model.NewAggregator(q.aggregate, s.entityKind)
	}
	ev := s.newEvaluator()
	rows = sortRelations(rows, q.order)
	for k := range rows {
		r := rowAt(rows, k, q.order.Desc)
		if err := tick(ctx, op, k+1); err != nil {
			return nil, err
		}
		if !q.f.match(r) || !ev.matchRelation(q.where, r, q.self) {
			continue
		}
		agg.Add(r)
		if q.countOnly {
			p.total++
			continue
		}
		if p.take(model.RelationOrderKey(r, q.order), r.ID) {
			p.items = append(p.items, out(r))
		}
	}
	if len(p.items) == 0 {
		p.items = nil // an empty page has no list, as the page by id has none
	}
	return &model.RelationPage{Items: p.items, HasNextPage: p.more, TotalCount: p.total, Aggregate: agg.Result()}, nil
}

// RelationsOf pages through the relations of each entity, one page per requested id (empty for
// unknown ids). Direction OUT keeps relations from the entity, IN those to it, and BOTH (the
// default) either; a self-loop counts once.
func (s *Store) RelationsOf(ctx context.Context, ids []string, q model.RelationsOfQuery) (map[string]*model.RelationPage, error) {
	const op = "inmem: relations of"
	s.mu.RLock()
	defer s.mu.RUnlock()
	return s.relationsOfLocked(ctx, op, ids, q, copyRelation)
}

// The typed relation fields read their pages and the entities at the other ends together.
var _ model.EndsReader = (*Store)(nil)

// RelationsOfWithEnds is RelationsOf plus the entities at the other ends of the relations on
// the pages (model.EndsReader), read under the same read lock: one store call for the typed
// relation fields instead of RelationsOf and then EntitiesByID, and the pages and the ends
// come from one state of the store.
func (s *Store) RelationsOfWithEnds(ctx context.Context, ids []string, q model.RelationsOfQuery) (map[string]*model.RelationPage, map[string]model.Entity, error) {
	const op = "inmem: relations of with ends"
	s.mu.RLock()
	defer s.mu.RUnlock()
	return s.relationsOfWithEndsLocked(ctx, op, ids, q, copyRelation, model.Entity.Clone)
}

// SharedRelationsOf implements model.SharedReader: RelationsOf, or RelationsOfWithEnds when
// ends is set, with the stored relations on the pages and the stored entities at their
// other ends; a change stores new relations and entities in place of the old (see apply in
// change.go), so none handed out here is ever changed.
func (s *Store) SharedRelationsOf(ctx context.Context, ids []string, q model.RelationsOfQuery, ends bool) (map[string]*model.RelationPage, map[string]model.Entity, error) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	if !ends {
		pages, err := s.relationsOfLocked(ctx, "inmem: relations of", ids, q, storedRelation)
		return pages, nil, err
	}
	return s.relationsOfWithEndsLocked(ctx, "inmem: relations of with ends", ids, q, storedRelation, func(e model.Entity) model.Entity { return e })
}

// relationsOfWithEndsLocked is RelationsOfWithEnds under the read lock the caller holds, with
// what out and endOut give of the stored relations and entities.
func (s *Store) relationsOfWithEndsLocked(ctx context.Context, op string, ids []string, q model.RelationsOfQuery, out relationOut, endOut func(model.Entity) model.Entity) (map[string]*model.RelationPage, map[string]model.Entity, error) {
	pages, err := s.relationsOfLocked(ctx, op, ids, q, out)
	if err != nil {
		return nil, nil, err
	}
	ends := map[string]model.Entity{}
	i := 0
	for id, p := range pages {
		for _, r := range p.Items {
			i++
			if err := tick(ctx, op, i); err != nil {
				return nil, nil, err
			}
			other := r.Other(id)
			if _, done := ends[other]; done {
				continue
			}
			if rec, ok := s.entities[other]; ok {
				ends[other] = endOut(rec.e)
			}
		}
	}
	return pages, ends, nil
}

// relationsOfLocked is RelationsOf under the read lock the caller holds, with what out gives
// of the stored relations on the pages.
func (s *Store) relationsOfLocked(ctx context.Context, op string, ids []string, q model.RelationsOfQuery, out relationOut) (map[string]*model.RelationPage, error) {
	q, err := q.Normalize()
	if err != nil {
		return nil, fmt.Errorf("%s: %w", op, err)
	}
	if err := s.ready(ctx, op); err != nil {
		return nil, err
	}
	dir := q.Direction
	f := compileRelFilter(q.Filter)
	after, err := q.AfterCursor()
	if err != nil {
		return nil, fmt.Errorf("%s: %w", op, err)
	}
	pages := make(map[string]*model.RelationPage, len(ids))
	for i, id := range ids {
		if err := tick(ctx, op, i+1); err != nil {
			return nil, err
		}
		if _, done := pages[id]; done {
			continue
		}
		pq := relPageQuery{f, q.Filter.Where, id, q.Order, q.Aggregate, q.CountOnly}
		ends := s.endsOf(id, dir)
		if pq.everyRowByID() {
			pages[id] = ends.page(q.Order.Desc, q.First, after, out)
			continue
		}
		page, err := s.relationPageWalk(ctx, op, ends.merged(), pq, q.First, after, out)
		if err != nil {
			return nil, err
		}
		pages[id] = page
	}
	return pages, nil
}
