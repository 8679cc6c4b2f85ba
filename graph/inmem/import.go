package inmem

import (
	"context"
	"fmt"
	"reflect"
	"time"

	"github.com/autograph-kg/autograph/graph/model"
)

// Import upserts a whole dataset, keyed by id. An item whose content (everything but the
// timestamps) equals the stored one is left alone, timestamps included, so importing the same
// dataset twice changes nothing. A new item gets CreatedAt and UpdatedAt set to the import's
// time; a changed one keeps CreatedAt and gets a new UpdatedAt. Nothing is ever deleted.
//
// The dataset must pass Validate. On top of that, Import refuses (BAD_USER_INPUT) what would
// corrupt the stored graph: an id that the store already uses for another sort of node, or an
// entity whose new kind breaks a stored relation or reference that the dataset does not
// replace. All checks run before the first write, so a refused import changes nothing.
func (s *Store) Import(ctx context.Context, d *model.Dataset) error {
	const op = "inmem: import"
	s.mu.Lock()
	defer s.mu.Unlock()
	if err := s.ready(ctx, op); err != nil {
		return err
	}
	if d == nil {
		return fmt.Errorf("%s: %w", op, model.Errorf(model.CodeBadUserInput, "no dataset to import"))
	}
	if err := d.Validate(); err != nil {
		return fmt.Errorf("%s: %w", op, &model.Error{Code: model.CodeBadUserInput, Message: "the dataset is invalid", Err: err})
	}
	if err := s.checkAgainstStore(ctx, d); err != nil {
		return fmt.Errorf("%s: %w", op, err)
	}
	// From here on nothing can fail, so the import is all or nothing. The context is not
	// consulted any more for the same reason: stopping half-way would leave half a dataset.
	now := s.now().UTC()
	changed := false
	for _, src := range d.Sources {
		old := s.sources[src.ID]
		if old != nil && sameSource(old.s, src) {
			continue
		}
		c := src.Clone()
		c.CreatedAt, c.UpdatedAt = now, now
		if old != nil {
			c.CreatedAt = old.s.CreatedAt
		}
		s.sources[c.ID] = &sourceRec{s: c, titleKey: model.SortKey(c.Title), pubKey: c.PublishedOn.Start()}
		changed = true
	}
	for _, e := range d.Entities() {
		if s.putEntity(e, now) {
			changed = true
		}
	}
	for _, r := range d.Relations {
		if s.putRelation(r, now) {
			changed = true
		}
	}
	if changed {
		s.rebuildViews()
	}
	return nil
}

// putEntity stores a copy of e unless the stored entity has the same content, keeping the kind
// index right when the kind changes. It reports whether anything changed.
func (s *Store) putEntity(e model.Entity, now time.Time) bool {
	id := e.GetID()
	old := s.entities[id]
	if old != nil && sameEntity(old.e, e) {
		return false
	}
	c := e.Clone()
	b := c.Common()
	b.CreatedAt, b.UpdatedAt = now, now
	if old != nil {
		b.CreatedAt = old.e.Common().CreatedAt
		if k := old.e.Kind(); k != c.Kind() {
			delete(s.byKind[k], id)
		}
	}
	rec := &entityRec{e: c, keys: model.SearchKeys(c), sortKey: model.SortKey(b.Name)}
	s.entities[id] = rec
	kind := s.byKind[c.Kind()]
	if kind == nil {
		kind = map[string]*entityRec{}
		s.byKind[c.Kind()] = kind
	}
	kind[id] = rec
	return true
}

// putRelation stores a copy of r unless the stored relation has the same content. When its
// endpoints change, the old endpoint index entries are removed before the new ones go in, so
// the relation is never found from an entity it no longer touches.
func (s *Store) putRelation(r *model.Relation, now time.Time) bool {
	old := s.relations[r.ID]
	if old != nil && sameRelation(old, r) {
		return false
	}
	c := r.Clone()
	c.CreatedAt, c.UpdatedAt = now, now
	if old != nil {
		c.CreatedAt = old.CreatedAt
		unindex(s.byFrom, old.FromID, old.ID)
		unindex(s.byTo, old.ToID, old.ID)
	}
	s.relations[c.ID] = c
	index(s.byFrom, c.FromID, c)
	index(s.byTo, c.ToID, c)
	return true
}

// index adds r to the endpoint index idx under entity id.
func index(idx map[string]map[string]*model.Relation, id string, r *model.Relation) {
	m := idx[id]
	if m == nil {
		m = map[string]*model.Relation{}
		idx[id] = m
	}
	m[r.ID] = r
}

// unindex removes relation relID from the endpoint index idx under entity id, dropping the
// entity's entry when it empties so the index does not grow with stale keys.
func unindex(idx map[string]map[string]*model.Relation, id, relID string) {
	m := idx[id]
	delete(m, relID)
	if len(m) == 0 {
		delete(idx, id)
	}
}

// checkAgainstStore refuses a (valid) dataset that would clash with what is stored: ids are
// unique across entities, sources and relations, and an entity that changes kind must still
// fit every stored relation and reference to it that the dataset does not replace.
func (s *Store) checkAgainstStore(ctx context.Context, d *model.Dataset) error {
	bad := func(format string, args ...any) error {
		return model.Errorf(model.CodeBadUserInput, format, args...)
	}
	for _, src := range d.Sources {
		if _, ok := s.entities[src.ID]; ok {
			return bad("source %q: the id is already used by an entity", src.ID)
		}
		if _, ok := s.relations[src.ID]; ok {
			return bad("source %q: the id is already used by a relation", src.ID)
		}
	}
	newKind := map[string]model.EntityKind{}
	for _, e := range d.Entities() {
		id := e.GetID()
		newKind[id] = e.Kind()
		if _, ok := s.sources[id]; ok {
			return bad("entity %q: the id is already used by a source", id)
		}
		if _, ok := s.relations[id]; ok {
			return bad("entity %q: the id is already used by a relation", id)
		}
	}
	replaced := map[string]bool{}
	for _, r := range d.Relations {
		replaced[r.ID] = true
		if _, ok := s.entities[r.ID]; ok {
			return bad("relation %q: the id is already used by an entity", r.ID)
		}
		if _, ok := s.sources[r.ID]; ok {
			return bad("relation %q: the id is already used by a source", r.ID)
		}
	}
	kindOf := func(id string) model.EntityKind {
		if k, ok := newKind[id]; ok {
			return k
		}
		if r, ok := s.entities[id]; ok {
			return r.e.Kind()
		}
		return ""
	}
	retyped := map[string]bool{}
	for id, k := range newKind {
		if old, ok := s.entities[id]; ok && old.e.Kind() != k {
			retyped[id] = true
		}
	}
	if len(retyped) == 0 {
		return nil
	}
	i := 0
	for id := range retyped {
		var err error
		s.adjacent(id, func(r *model.Relation) {
			if err != nil || replaced[r.ID] {
				return
			}
			if e := model.CheckEndpoints(r.Type, kindOf(r.FromID), kindOf(r.ToID)); e != nil {
				err = bad("entity %q: changing its kind to %s breaks stored relation %q: %v", id, newKind[id], r.ID, e)
			}
		})
		if err != nil {
			return err
		}
	}
	// References by attribute: countries must stay places and publishers organizations.
	for id, rec := range s.entities {
		i++
		if err := tick(ctx, "checking references", i); err != nil {
			return err
		}
		if _, ok := newKind[id]; ok {
			continue // replaced by the dataset, which Validate checked on its own
		}
		var country string
		switch v := rec.e.(type) {
		case *model.Organization:
			country = v.CountryID
		case *model.Brand:
			country = v.CountryID
		}
		if retyped[country] && kindOf(country) != model.KindPlace {
			return bad("entity %q: changing its kind to %s breaks the countryId of stored entity %q", country, newKind[country], id)
		}
	}
	for id, rec := range s.sources {
		if _, ok := newKind[id]; ok {
			continue
		}
		p := rec.s.PublisherID
		if retyped[p] && kindOf(p) != model.KindOrganization {
			return bad("entity %q: changing its kind to %s breaks the publisherId of stored source %q", p, newKind[p], id)
		}
	}
	return nil
}

// sameEntity reports whether two entities have the same content, ignoring timestamps and the
// difference between a nil and an empty list (JSON and Go literals disagree on those).
func sameEntity(a, b model.Entity) bool {
	return reflect.DeepEqual(canonEntity(a), canonEntity(b))
}

func canonEntity(e model.Entity) model.Entity {
	c := e.Clone()
	b := c.Common()
	b.CreatedAt, b.UpdatedAt = time.Time{}, time.Time{}
	b.Aliases = nilIfEmpty(b.Aliases)
	b.SourceIDs = nilIfEmpty(b.SourceIDs)
	if a, ok := c.(*model.Agreement); ok {
		a.Provisions = nilIfEmpty(a.Provisions)
	}
	return c
}

// sameSource reports whether two sources have the same content, ignoring timestamps.
func sameSource(a, b *model.Source) bool {
	x, y := *a, *b
	x.CreatedAt, x.UpdatedAt, y.CreatedAt, y.UpdatedAt = time.Time{}, time.Time{}, time.Time{}, time.Time{}
	return x == y
}

// sameRelation reports whether two relations have the same content, ignoring timestamps.
func sameRelation(a, b *model.Relation) bool {
	x, y := a.Clone(), b.Clone()
	for _, r := range []*model.Relation{x, y} {
		r.CreatedAt, r.UpdatedAt = time.Time{}, time.Time{}
		r.SourceIDs = nilIfEmpty(r.SourceIDs)
	}
	return reflect.DeepEqual(x, y)
}

func nilIfEmpty[T any](s []T) []T {
	if len(s) == 0 {
		return nil
	}
	return s
}
