package inmem

import (
	"context"
	"fmt"
	"slices"

	"github.com/autograph-kg/autograph/graph/model"
)

// Import upserts a whole dataset, keyed by id. An item whose content (everything but the
// timestamps) equals the stored one is left alone, timestamps included, so importing the same
// dataset twice changes nothing. A new item gets CreatedAt and UpdatedAt set to the import's
// time; a changed one keeps CreatedAt and gets a new UpdatedAt. Nothing is ever deleted.
//
// The import rules of graph/model (importrules.go) decide what is refused: the store gathers
// their model.ImportFacts from its maps (importFacts) and looks for cycles in its index
// (checkHierarchies). All checks run before the first write, and the whole import is one
// transaction of the file (or, for a large first import, a staged one: see the package
// comment), so a refused or failed import changes nothing. A done ctx stops it, anywhere, with
// ctx's error and nothing changed; or, past the point where the file holds it all, with the
// store closed (UNAVAILABLE wrapping ctx's error) and the import loading at the next Open.
func (s *Store) Import(ctx context.Context, d *model.Dataset) error {
	const op = "inmem: import"
	s.wmu.Lock()
	defer s.wmu.Unlock()
	if err := s.ready(ctx, op); err != nil {
		return err
	}
	if err := model.CheckDataset(ctx, d); err != nil {
		return fmt.Errorf("%s: %w", op, err)
	}
	f, err := s.importFacts(ctx, d)
	if err != nil {
		return fmt.Errorf("%s: %w", op, err)
	}
	if err := model.CheckImport(d, f); err != nil {
		return fmt.Errorf("%s: %w", op, err)
	}
	if err := s.checkHierarchies(ctx, d); err != nil {
		return fmt.Errorf("%s: %w", op, err)
	}
	// Every step up to the file's commit checks the context, so a cancelled import (a server
	// told to stop while it loads a large dataset) stops within moments, with nothing written:
	// the file's transaction rolls back. Once it has committed, the change is applied in memory
	// whatever the context says.
	now := s.stamp()
	c := &change{operation: model.OpImport}
	i := 0
	for _, src := range d.Sources {
		if i++; tick(ctx, op, i) != nil {
			return fmt.Errorf("%s: %w", op, ctx.Err())
		}
		if n, ok := s.nextSource(src, now); ok {
			c.sources = append(c.sources, n)
		}
	}
	for _, e := range d.Entities() {
		if i++; tick(ctx, op, i) != nil {
			return fmt.Errorf("%s: %w", op, ctx.Err())
		}
		if n, ok := s.nextEntity(e, now); ok {
			c.entities = append(c.entities, n)
		}
	}
	for _, r := range d.Relations {
		if i++; tick(ctx, op, i) != nil {
			return fmt.Errorf("%s: %w", op, ctx.Err())
		}
		if n, ok := s.nextRelation(r, now); ok {
			c.relations = append(c.relations, n)
		}
	}
	return s.commit(ctx, op, c)
}

// importFacts reads from the maps what model.CheckImport needs to know about the stored graph.
// A done ctx stops it with ctx's error.
func (s *Store) importFacts(ctx context.Context, d *model.Dataset) (*model.ImportFacts, error) {
	f := &model.ImportFacts{HeldByEntity: map[string]bool{}, HeldBySource: map[string]bool{}, HeldByRelation: map[string]bool{}}
	held := func(id string) {
		if _, ok := s.entities[id]; ok {
			f.HeldByEntity[id] = true
		}
		if _, ok := s.sources[id]; ok {
			f.HeldBySource[id] = true
		}
		if _, ok := s.relations[id]; ok {
			f.HeldByRelation[id] = true
		}
	}
	retyped := map[string]*model.RetypedEntity{}
	for _, src := range d.Sources {
		held(src.ID)
	}
	for _, e := range d.Entities() {
		id := e.GetID()
		held(id)
		if old, ok := s.entities[id]; ok && old.e.Kind() != e.Kind() {
			retyped[id] = &model.RetypedEntity{ID: id}
		}
	}
	for _, r := range d.Relations {
		held(r.ID)
	}
	if len(retyped) == 0 {
		return f, nil
	}
	kind := func(id string) model.EntityKind { return s.entities[id].e.Kind() }
	for id, x := range retyped {
		s.adjacent(id, func(r *model.Relation) {
			x.Relations = append(x.Relations, model.StoredRelation{ID: r.ID, Type: r.Type,
				FromID: r.FromID, FromKind: kind(r.FromID), ToID: r.ToID, ToKind: kind(r.ToID)})
		})
	}
	i := 0
	for id, rec := range s.entities {
		i++
		if err := tick(ctx, "checking references", i); err != nil {
			return nil, err
		}
		if x := retyped[model.CountryOf(rec.e)]; x != nil {
			x.CountryOf = append(x.CountryOf, id)
		}
	}
	for id, rec := range s.sources {
		i++
		if err := tick(ctx, "checking references", i); err != nil {
			return nil, err
		}
		if x := retyped[rec.s.PublisherID]; x != nil {
			x.PublisherOf = append(x.PublisherOf, id)
		}
	}
	for _, x := range retyped {
		f.Retyped = append(f.Retyped, *x)
	}
	return f, nil
}

// checkHierarchies is the cycle rule of the import (model.CheckImportedCycle): each
// hierarchical relation the import writes is looked up, in dataset order, in the graph as it
// will be after the import, the dataset's hierarchical relations beside the stored ones that
// it does not replace.
func (s *Store) checkHierarchies(ctx context.Context, d *model.Dataset) error {
	if len(s.relations) == 0 {
		return nil // the graph after the import is the dataset's, which Validate checked
	}
	replaced := make(map[string]bool, len(d.Relations))
	for _, r := range d.Relations {
		replaced[r.ID] = true
	}
	incoming := map[string][]*model.Relation{}
	for _, r := range d.Relations {
		if r.Type.Hierarchical() {
			incoming[r.FromID] = append(incoming[r.FromID], r)
		}
	}
	up := func(id string) []*model.Relation {
		out := slices.Clone(incoming[id])
		for _, x := range s.byFrom[id] {
			if !replaced[x.ID] {
				out = append(out, x)
			}
		}
		return out
	}
	for i, r := range d.Relations {
		if err := tick(ctx, "checking hierarchies", i+1); err != nil {
			return err
		}
		if !r.Type.Hierarchical() {
			continue
		}
		if old, ok := s.relations[r.ID]; ok && model.SameRelation(old, r) {
			continue // not written
		}
		// Each search may walk a long chain: look at the context before every one.
		if err := ctx.Err(); err != nil {
			return fmt.Errorf("checking hierarchies: %w", err)
		}
		if err := model.CheckImportedCycle(r, model.FindChain(r.Type, r.ToID, r.FromID, up)); err != nil {
			return err
		}
	}
	return nil
}
