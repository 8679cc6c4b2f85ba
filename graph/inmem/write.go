package inmem

import (
	"context"
	"fmt"

	"github.com/autograph-kg/autograph/graph/model"
)

// The model.Writer methods. Each one, under the write lock:
//  1. checks the value on its own again (model.CheckEntity and friends), since a store must
//     not trust its caller to have done it;
//  2. checks it against the store: references resolve to entities of the right kind, cited
//     sources exist, ids are not taken by another sort of node;
//  3. works out the change (nothing at all when the stored item already has the content);
//  4. commits it: to the file first when there is one, then in memory.
//
// A refused write therefore changes nothing. Errors are BAD_USER_INPUT for a value that can
// never be written as it is and NOT_FOUND for a reference to an id that does not exist (it
// may exist later), with messages meant for the curator who sent the write.

// UpsertEntity creates e or replaces the stored entity with its id, whole: fields left out
// of e are cleared. CreatedAt is kept and UpdatedAt moves only when the content changes, so an
// identical upsert changes nothing. The id may not belong to a source, a relation or an entity
// of another kind (changing kind could break the entity's relations and references).
func (s *Store) UpsertEntity(ctx context.Context, e model.Entity) (model.Entity, error) {
	const op = "inmem: upsert entity"
	s.wmu.Lock()
	defer s.wmu.Unlock()
	if err := s.ready(ctx, op); err != nil {
		return nil, err
	}
	if err := s.checkEntity(e); err != nil {
		return nil, fmt.Errorf("%s: %w", op, err)
	}
	n, changed := s.nextEntity(e, s.stamp())
	if !changed {
		return s.entities[e.GetID()].e.Clone(), nil
	}
	if err := s.commit(ctx, op, &change{entities: []model.Entity{n}}); err != nil {
		return nil, err
	}
	return n.Clone(), nil
}

// UpsertSource creates or replaces a source with the same rules as UpsertEntity. The
// publisher, when given, must be an organization.
func (s *Store) UpsertSource(ctx context.Context, src *model.Source) (*model.Source, error) {
	const op = "inmem: upsert source"
	s.wmu.Lock()
	defer s.wmu.Unlock()
	if err := s.ready(ctx, op); err != nil {
		return nil, err
	}
	if err := s.checkSource(src); err != nil {
		return nil, fmt.Errorf("%s: %w", op, err)
	}
	n, changed := s.nextSource(src, s.stamp())
	if !changed {
		return s.sources[src.ID].s.Clone(), nil
	}
	if err := s.commit(ctx, op, &change{sources: []*model.Source{n}}); err != nil {
		return nil, err
	}
	return n.Clone(), nil
}

// AddRelation creates a relation with id r.ID. When a relation with that id exists with the
// same content (cited sources compared as a set, as model.RelationID does), it is returned
// unchanged, so a retried add is harmless; with other content the add is refused
// (BAD_USER_INPUT), since changing a fact is UpdateRelation's job.
func (s *Store) AddRelation(ctx context.Context, r *model.Relation) (*model.Relation, error) {
	const op = "inmem: add relation"
	s.wmu.Lock()
	defer s.wmu.Unlock()
	if err := s.ready(ctx, op); err != nil {
		return nil, err
	}
	if r == nil {
		return nil, fmt.Errorf("%s: %w", op, model.Errorf(model.CodeBadUserInput, "no relation given"))
	}
	if err := model.CheckRelation(r); err != nil {
		return nil, fmt.Errorf("%s: %w", op, err)
	}
	if old, ok := s.relations[r.ID]; ok {
		if model.SameFact(old, r) {
			return old.Clone(), nil
		}
		return nil, fmt.Errorf("%s: %w", op, model.Errorf(model.CodeBadUserInput,
			"relation id %q already exists with different content; use updateRelation to change it", r.ID))
	}
	if err := s.checkRelationRefs(r); err != nil {
		return nil, fmt.Errorf("%s: %w", op, err)
	}
	n, _ := s.nextRelation(r, s.stamp())
	if err := s.commit(ctx, op, &change{relations: []*model.Relation{n}}); err != nil {
		return nil, err
	}
	return n.Clone(), nil
}

// UpdateRelation replaces the relation with id r.ID, whole, keeping its CreatedAt; its
// endpoints may change. NOT_FOUND when there is none; otherwise the checks of AddRelation.
func (s *Store) UpdateRelation(ctx context.Context, r *model.Relation) (*model.Relation, error) {
	const op = "inmem: update relation"
	s.wmu.Lock()
	defer s.wmu.Unlock()
	if err := s.ready(ctx, op); err != nil {
		return nil, err
	}
	if r == nil {
		return nil, fmt.Errorf("%s: %w", op, model.Errorf(model.CodeBadUserInput, "no relation given"))
	}
	if err := model.CheckRelation(r); err != nil {
		return nil, fmt.Errorf("%s: %w", op, err)
	}
	old, ok := s.relations[r.ID]
	if !ok {
		return nil, fmt.Errorf("%s: %w", op, model.NotFound("relation", r.ID))
	}
	if err := s.checkRelationRefs(r); err != nil {
		return nil, fmt.Errorf("%s: %w", op, err)
	}
	n, changed := s.nextRelation(r, s.stamp())
	if !changed {
		return old.Clone(), nil
	}
	if err := s.commit(ctx, op, &change{relations: []*model.Relation{n}}); err != nil {
		return nil, err
	}
	return n.Clone(), nil
}

// RemoveRelation deletes a relation; NOT_FOUND when there is none.
func (s *Store) RemoveRelation(ctx context.Context, id string) error {
	const op = "inmem: remove relation"
	s.wmu.Lock()
	defer s.wmu.Unlock()
	if err := s.ready(ctx, op); err != nil {
		return err
	}
	if _, ok := s.relations[id]; !ok {
		return fmt.Errorf("%s: %w", op, model.NotFound("relation", id))
	}
	return s.commit(ctx, op, &change{dropRelations: []string{id}})
}

// DeleteEntity deletes an entity with every relation that starts or ends at it, and reports
// how many relations went (a self-loop counts once). NOT_FOUND when there is none. Countries
// and publishers that named the entity keep its id, as the contract says; it resolves to
// nothing until an entity with that id exists again.
func (s *Store) DeleteEntity(ctx context.Context, id string) (int, error) {
	const op = "inmem: delete entity"
	s.wmu.Lock()
	defer s.wmu.Unlock()
	if err := s.ready(ctx, op); err != nil {
		return 0, err
	}
	if _, ok := s.entities[id]; !ok {
		return 0, fmt.Errorf("%s: %w", op, model.NotFound("entity", id))
	}
	seen := map[string]bool{}
	c := &change{dropEntities: []string{id}}
	s.adjacent(id, func(r *model.Relation) {
		if !seen[r.ID] {
			seen[r.ID] = true
			c.dropRelations = append(c.dropRelations, r.ID)
		}
	})
	if err := s.commit(ctx, op, c); err != nil {
		return 0, err
	}
	return len(c.dropRelations), nil
}

// checkEntity checks an entity on its own and against the store.
func (s *Store) checkEntity(e model.Entity) error {
	if err := model.CheckEntityValue(e); err != nil {
		return err
	}
	if err := model.CheckEntity(e); err != nil {
		return err
	}
	id := e.GetID()
	if old, ok := s.entities[id]; ok && old.e.Kind() != e.Kind() {
		return model.Errorf(model.CodeBadUserInput,
			"id %q already belongs to %s, which cannot become %s (its relations and references would no longer fit); choose another id",
			id, model.KindWithArticle(old.e.Kind()), model.KindWithArticle(e.Kind()))
	}
	if err := s.idFree(id, "entity"); err != nil {
		return err
	}
	if err := s.checkCited(fmt.Sprintf("entity %q", id), e.Common().SourceIDs); err != nil {
		return err
	}
	var country string
	switch v := e.(type) {
	case *model.Organization:
		country = v.CountryID
	case *model.Brand:
		country = v.CountryID
	}
	return s.checkRef(fmt.Sprintf("the country of %q", id), country, model.KindPlace)
}

// checkSource checks a source on its own and against the store.
func (s *Store) checkSource(src *model.Source) error {
	if src == nil {
		return model.Errorf(model.CodeBadUserInput, "no source given")
	}
	if err := model.CheckSource(src); err != nil {
		return err
	}
	if err := s.idFree(src.ID, "source"); err != nil {
		return err
	}
	return s.checkRef(fmt.Sprintf("the publisher of source %q", src.ID), src.PublisherID, model.KindOrganization)
}

// checkRelationRefs checks what a (valid) relation refers to: its id is not an entity's or a
// source's, both endpoints exist and fit the relation type, every cited source exists, and a
// hierarchical relation closes no cycle with the stored ones (its own earlier version aside,
// since it replaces that).
func (s *Store) checkRelationRefs(r *model.Relation) error {
	if err := s.idFree(r.ID, "relation"); err != nil {
		return err
	}
	from, ok := s.entities[r.FromID]
	if !ok {
		return model.Errorf(model.CodeNotFound, "the relation starts at %q, but there is no entity with that id", r.FromID)
	}
	to, ok := s.entities[r.ToID]
	if !ok {
		return model.Errorf(model.CodeNotFound, "the relation ends at %q, but there is no entity with that id", r.ToID)
	}
	if err := model.CheckEndpoints(r.Type, from.e.Kind(), to.e.Kind()); err != nil {
		return err
	}
	if err := s.checkCited("the relation", r.SourceIDs); err != nil {
		return err
	}
	if !r.Type.Hierarchical() {
		return nil
	}
	chain := model.FindChain(r.Type, r.ToID, r.FromID, func(id string) []*model.Relation {
		var out []*model.Relation
		for _, x := range s.byFrom[id] {
			if x.ID != r.ID {
				out = append(out, x)
			}
		}
		return out
	})
	return model.CheckNoCycle(r, chain)
}

// idFree refuses an id that another sort of node than what (entity, source or relation)
// already has; ids are unique across the graph because the node query finds anything by id.
func (s *Store) idFree(id, what string) error {
	holder := ""
	if _, ok := s.entities[id]; ok && what != "entity" {
		holder = "an entity"
	} else if _, ok := s.sources[id]; ok && what != "source" {
		holder = "a source"
	} else if _, ok := s.relations[id]; ok && what != "relation" {
		holder = "a relation"
	}
	if holder != "" {
		return model.Errorf(model.CodeBadUserInput, "id %q already belongs to %s; choose another id for the %s", id, holder, what)
	}
	return nil
}

// checkCited refuses a citation of a source that does not exist.
func (s *Store) checkCited(who string, ids []string) error {
	for _, id := range ids {
		if _, ok := s.sources[id]; !ok {
			return model.Errorf(model.CodeNotFound, "%s cites source %q, but there is no source with that id", who, id)
		}
	}
	return nil
}

// checkRef checks an attribute that names an entity of a given kind (a country, a
// publisher): empty is fine, an unknown id is NOT_FOUND, an entity of another kind is
// BAD_USER_INPUT.
func (s *Store) checkRef(what, id string, kind model.EntityKind) error {
	if id == "" {
		return nil
	}
	rec, ok := s.entities[id]
	if !ok {
		return model.Errorf(model.CodeNotFound, "%s is %q, but there is no entity with that id", what, id)
	}
	if k := rec.e.Kind(); k != kind {
		return model.Errorf(model.CodeBadUserInput, "%s is %q, which is %s, not %s", what, id, model.KindWithArticle(k), model.KindWithArticle(kind))
	}
	return nil
}
