package inmem

import (
	"context"
	"fmt"

	"github.com/autograph-kg/autograph/graph/model"
)

// The model.Writer methods. Each one, under the write lock, follows the write rules of
// graph/model (writerules.go): it checks the value on its own (model.CheckEntity and
// friends), gathers from the maps the model.WriteFacts of the write's keys (writeFacts) and
// lets the rule decide; a hierarchical relation that is written is then checked for cycles
// against the index (cycleChain). What is left is the store's own part: the change (nothing
// at all when the stored item already has the content), committed to the file first when
// there is one, then in memory. A refused write therefore changes nothing.

// UpsertEntity creates e or replaces the stored entity with its id, whole: fields left out
// of e are cleared. CreatedAt is kept and UpdatedAt moves only when the content changes, so an
// identical upsert changes nothing (model.CheckEntityWrite says what is refused).
func (s *Store) UpsertEntity(ctx context.Context, e model.Entity) (model.Entity, error) {
	const op = "inmem: upsert entity"
	s.wmu.Lock()
	defer s.wmu.Unlock()
	if err := s.ready(ctx, op); err != nil {
		return nil, err
	}
	if err := model.CheckEntity(e); err != nil {
		return nil, fmt.Errorf("%s: %w", op, err)
	}
	f := s.writeFacts(model.EntityWriteKeys(e))
	unchanged, err := model.CheckEntityWrite(e, f)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", op, err)
	}
	if unchanged {
		return f.Entity.Clone(), nil
	}
	n, _ := s.nextEntity(e, s.stamp())
	if err := s.commit(ctx, op, &change{entities: []model.Entity{n}, operation: model.OpUpsertEntity}); err != nil {
		return nil, err
	}
	return n.Clone(), nil
}

// UpsertSource creates or replaces a source like UpsertEntity (model.CheckSourceWrite says
// what is refused).
func (s *Store) UpsertSource(ctx context.Context, src *model.Source) (*model.Source, error) {
	const op = "inmem: upsert source"
	s.wmu.Lock()
	defer s.wmu.Unlock()
	if err := s.ready(ctx, op); err != nil {
		return nil, err
	}
	if err := model.CheckSource(src); err != nil {
		return nil, fmt.Errorf("%s: %w", op, err)
	}
	f := s.writeFacts(model.SourceWriteKeys(src))
	unchanged, err := model.CheckSourceWrite(src, f)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", op, err)
	}
	if unchanged {
		return f.Source.Clone(), nil
	}
	n, _ := s.nextSource(src, s.stamp())
	if err := s.commit(ctx, op, &change{sources: []*model.Source{n}, operation: model.OpUpsertSource}); err != nil {
		return nil, err
	}
	return n.Clone(), nil
}

// AddRelation creates a relation with id r.ID; the same fact again is returned unchanged
// (model.CheckRelationAdd).
func (s *Store) AddRelation(ctx context.Context, r *model.Relation) (*model.Relation, error) {
	return s.putRelation(ctx, "inmem: add relation", r, model.CheckRelationAdd)
}

// UpdateRelation replaces the relation with id r.ID, whole, keeping its CreatedAt; its type and
// endpoints may change (model.CheckRelationUpdate).
func (s *Store) UpdateRelation(ctx context.Context, r *model.Relation) (*model.Relation, error) {
	return s.putRelation(ctx, "inmem: update relation", r, model.CheckRelationUpdate)
}

// putRelation is AddRelation and UpdateRelation, told apart by their rule.
func (s *Store) putRelation(ctx context.Context, op string, r *model.Relation, rule func(*model.Relation, *model.WriteFacts) (bool, error)) (*model.Relation, error) {
	s.wmu.Lock()
	defer s.wmu.Unlock()
	if err := s.ready(ctx, op); err != nil {
		return nil, err
	}
	if err := model.CheckRelation(r); err != nil {
		return nil, fmt.Errorf("%s: %w", op, err)
	}
	f := s.writeFacts(model.RelationWriteKeys(r))
	unchanged, err := rule(r, f)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", op, err)
	}
	if unchanged {
		return f.Relation.Clone(), nil
	}
	if err := model.CheckNoCycle(r, s.cycleChain(r)); err != nil {
		return nil, fmt.Errorf("%s: %w", op, err)
	}
	n, _ := s.nextRelation(r, s.stamp())
	operation := model.OpAddRelation
	if f.Relation != nil {
		operation = model.OpUpdateRelation
	}
	if err := s.commit(ctx, op, &change{relations: []*model.Relation{n}, operation: operation}); err != nil {
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
	return s.commit(ctx, op, &change{dropRelations: []string{id}, operation: model.OpRemoveRelation})
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
	c := &change{dropEntities: []string{id}, operation: model.OpDeleteEntity}
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

// writeFacts reads from the maps what the write rules need to know about k. It hands over the
// stored values themselves: the rules only read them, and the write lock keeps them still.
func (s *Store) writeFacts(k model.WriteKeys) *model.WriteFacts {
	f := &model.WriteFacts{Relation: s.relations[k.ID], Sources: map[string]bool{}, Kinds: map[string]model.EntityKind{}}
	if rec, ok := s.entities[k.ID]; ok {
		f.Entity = rec.e
	}
	if rec, ok := s.sources[k.ID]; ok {
		f.Source = rec.s
	}
	for _, id := range k.SourceIDs {
		if _, ok := s.sources[id]; ok {
			f.Sources[id] = true
		}
	}
	for _, id := range k.RefIDs {
		if rec, ok := s.entities[id]; ok {
			f.Kinds[id] = rec.e.Kind()
		}
	}
	return f
}

// cycleChain is the chain that would make r, about to be written, close a cycle: relations of
// r's hierarchical type from r.ToID back to r.FromID among the stored ones, r's own earlier
// version aside since r replaces it; nil for none or for a type that is no hierarchy.
func (s *Store) cycleChain(r *model.Relation) []string {
	if !r.Type.Hierarchical() {
		return nil
	}
	return model.FindChain(r.Type, r.ToID, r.FromID, func(id string) []*model.Relation {
		var out []*model.Relation
		for _, x := range s.byFrom[id] {
			if x.ID != r.ID {
				out = append(out, x)
			}
		}
		return out
	})
}
