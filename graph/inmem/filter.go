package inmem

import (
	"cmp"
	"slices"
	"strings"

	"github.com/autograph-kg/autograph/graph/model"
)

// Composable filters (model.EntityWhere, model.RelationWhere), evaluated over the in-memory
// graph under the read lock. The leaf semantics are the model's Match methods; this file only
// walks the tree and the graph. Filters reach here normalised, so their text is folded and
// their bounds checked.

// evaluator evaluates one query's filters. It compiles each part of the filter tree once, on
// first use, since a listing evaluates the same tree for every row (and a relations filter
// for every relation of every row).
type evaluator struct {
	s *Store
	// flat and scope are the compiled flat fields of each RelationWhere and the scope of each
	// RelatedWhere.
	flat  map[*model.RelationWhere]*relFilter
	scope map[*model.RelatedWhere]*relFilter
}

// newEvaluator starts the evaluation of one query's filters; call it under the read lock.
// Its maps are made when a filter first needs them: most pages have no where filter.
func (s *Store) newEvaluator() *evaluator {
	return &evaluator{s: s}
}

// matchEntity reports whether the entity record satisfies w (nil holds for every entity).
func (s *evaluator) matchEntity(w *model.EntityWhere, r *entityRec) bool {
	if w == nil {
		return true
	}
	e := r.e
	if w.IDs != nil && !slices.Contains(w.IDs, e.GetID()) {
		return false
	}
	if w.Kind != nil && !slices.Contains(w.Kind, e.Kind()) {
		return false
	}
	if name := model.Normalize(w.NameContains); name != "" && !slices.ContainsFunc(r.keys, func(k string) bool { return strings.Contains(k, name) }) {
		return false
	}
	for _, a := range w.Attrs {
		if len(a.Values) > 0 && !slices.Contains(a.Values, model.AttrValue(e, a.Field)) {
			return false
		}
	}
	if w.Name != nil && !w.Name.MatchKeys(r.keys) {
		return false
	}
	if w.Founded != nil && !w.Founded.Match(model.FoundedOf(e)) {
		return false
	}
	if w.Relations != nil && !s.matchRelated(w.Relations, e.GetID()) {
		return false
	}
	for _, sub := range w.And {
		if !s.matchEntity(sub, r) {
			return false
		}
	}
	if w.Or != nil && !slices.ContainsFunc(w.Or, func(sub *model.EntityWhere) bool { return s.matchEntity(sub, r) }) {
		return false
	}
	if w.Not != nil && s.matchEntity(w.Not, r) {
		return false
	}
	return true
}

// eachRelation calls f with the relations of entity id in a direction, each once (a relation
// from the entity to itself is in both indexes), until f returns false.
func (s *evaluator) eachRelation(id string, dir model.Direction, f func(*model.Relation) bool) {
	if dir != model.DirectionIn {
		for _, r := range s.s.byFrom[id] {
			if !f(r) {
				return
			}
		}
	}
	if dir != model.DirectionOut {
		for _, r := range s.s.byTo[id] {
			if dir == model.DirectionBoth && r.FromID == id {
				continue // already seen as outgoing
			}
			if !f(r) {
				return
			}
		}
	}
}

// matchRelated evaluates a relations filter for the entity with the given id.
func (s *evaluator) matchRelated(w *model.RelatedWhere, id string) bool {
	scope, ok := s.scope[w]
	if !ok {
		scope = compileRelFilter(w.Scope())
		if s.scope == nil {
			s.scope = map[*model.RelatedWhere]*relFilter{}
		}
		s.scope[w] = scope
	}
	// Without a quantifier the filter asks for at least one relation in scope.
	someOnly := w.Some == nil && w.None == nil && w.All == nil && w.Count == nil && w.Others == nil
	var count int
	var others map[string]bool
	if w.Others != nil {
		others = map[string]bool{}
	}
	some, found, failed := false, false, false
	s.eachRelation(id, w.Direction, func(r *model.Relation) bool {
		if !scope.match(r) {
			return true
		}
		if someOnly {
			found = true
			return false
		}
		count++
		if others != nil {
			others[r.Other(id)] = true
		}
		if w.Some != nil && !some && s.matchRelation(w.Some, r, id) {
			some = true
		}
		if (w.None != nil && s.matchRelation(w.None, r, id)) || (w.All != nil && !s.matchRelation(w.All, r, id)) {
			failed = true
			return false
		}
		return true
	})
	if someOnly {
		return found
	}
	if failed || (w.Some != nil && !some) {
		return false
	}
	if !w.Count.Match(&count) {
		return false
	}
	if others != nil {
		n := len(others)
		if !w.Others.Match(&n) {
			return false
		}
	}
	return true
}

// matchRelation reports whether r satisfies w; self is the entity whose relation r is (Other
// is its other end), "" in the relations listing.
func (s *evaluator) matchRelation(w *model.RelationWhere, r *model.Relation, self string) bool {
	if w == nil {
		return true
	}
	flat, ok := s.flat[w]
	if !ok {
		flat = compileRelFilter(model.RelationFilter{
			IDs: w.IDs, Types: w.Types, Status: w.Status, AsOf: w.AsOf,
			FromIDs: w.From, ToIDs: w.To, SourceIDs: w.Sources,
		})
		if s.flat == nil {
			s.flat = map[*model.RelationWhere]*relFilter{}
		}
		s.flat[w] = flat
	}
	if !flat.match(r) {
		return false
	}
	switch {
	case w.ValidFrom != nil && !w.ValidFrom.Match(r.ValidFrom),
		w.ValidTo != nil && !w.ValidTo.Match(r.ValidTo),
		w.Period != nil && !w.Period.MatchSpan(r.Span()),
		w.Quantity != nil && !w.Quantity.Match(r.Quantity),
		w.Cites != nil && !s.matchCites(w.Cites, r),
		w.FromEntity != nil && !s.matchEndpoint(w.FromEntity, r.FromID),
		w.ToEntity != nil && !s.matchEndpoint(w.ToEntity, r.ToID),
		w.Other != nil && !s.matchEndpoint(w.Other, r.Other(self)):
		return false
	}
	for _, sub := range w.And {
		if !s.matchRelation(sub, r, self) {
			return false
		}
	}
	if w.Or != nil && !slices.ContainsFunc(w.Or, func(sub *model.RelationWhere) bool { return s.matchRelation(sub, r, self) }) {
		return false
	}
	if w.Not != nil && s.matchRelation(w.Not, r, self) {
		return false
	}
	return true
}

// matchEndpoint evaluates an entity filter on the entity with the given id; a missing entity
// matches nothing.
func (s *evaluator) matchEndpoint(w *model.EntityWhere, id string) bool {
	rec, ok := s.s.entities[id]
	return ok && s.matchEntity(w, rec)
}

// matchCites evaluates a sources quantifier over the stored sources r cites.
func (s *evaluator) matchCites(w *model.CitesWhere, r *model.Relation) bool {
	some := false
	for _, id := range r.SourceIDs {
		rec, ok := s.s.sources[id]
		if !ok {
			continue
		}
		if w.Some != nil && w.Some.Match(rec.s) {
			some = true
		}
		if w.None != nil && w.None.Match(rec.s) {
			return false
		}
		if w.All != nil && !w.All.Match(rec.s) {
			return false
		}
	}
	return w.Some == nil || some
}

// sortRelations returns rows ordered by (RelationOrderKey, id) ascending; iterating it
// backward gives the descending order. The id order needs no sort.
func sortRelations(rows []*model.Relation, o model.Order) []*model.Relation {
	if o.Field == "" || o.Field == model.SortByID {
		return rows
	}
	type keyed struct {
		key string
		r   *model.Relation
	}
	ks := make([]keyed, len(rows))
	for i, r := range rows {
		ks[i] = keyed{model.RelationOrderKey(r, o), r}
	}
	slices.SortFunc(ks, func(a, b keyed) int { return cmp.Or(cmp.Compare(a.key, b.key), cmp.Compare(a.r.ID, b.r.ID)) })
	out := make([]*model.Relation, len(ks))
	for i, k := range ks {
		out[i] = k.r
	}
	return out
}

// sortEntities returns rows ordered by (EntityOrderKey, id) ascending, for the orderings that
// have no prepared view.
func sortEntities(rows []*entityRec, o model.Order) []*entityRec {
	type keyed struct {
		key string
		r   *entityRec
	}
	ks := make([]keyed, len(rows))
	for i, r := range rows {
		ks[i] = keyed{model.EntityOrderKey(r.e, o), r}
	}
	slices.SortFunc(ks, func(a, b keyed) int {
		return cmp.Or(cmp.Compare(a.key, b.key), cmp.Compare(a.r.e.GetID(), b.r.e.GetID()))
	})
	out := make([]*entityRec, len(ks))
	for i, k := range ks {
		out[i] = k.r
	}
	return out
}
