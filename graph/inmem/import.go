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
// The dataset must pass Validate. On top of that, Import refuses (BAD_USER_INPUT) what would
// corrupt the stored graph: an id that the store already uses for another sort of node, or an
// entity whose new kind breaks a stored relation or reference that the dataset does not
// replace. All checks run before the first write, and the whole import is one transaction of
// the file (or, for a large first import, a staged one: see the package comment), so a refused
// or failed import changes nothing. A done ctx stops it, anywhere, with ctx's error and nothing
// changed; or, past the point where the file holds it all, with the store closed (UNAVAILABLE
// wrapping ctx's error) and the import loading at the next Open.
func (s *Store) Import(ctx context.Context, d *model.Dataset) error {
	const op = "inmem: import"
	s.wmu.Lock()
	defer s.wmu.Unlock()
	if err := s.ready(ctx, op); err != nil {
		return err
	}
	if d == nil {
		return fmt.Errorf("%s: %w", op, model.Errorf(model.CodeBadUserInput, "no dataset to import"))
	}
	if err := d.ValidateContext(ctx); err != nil {
		if ctx.Err() != nil {
			return fmt.Errorf("%s: %w", op, err)
		}
		return fmt.Errorf("%s: %w", op, &model.Error{Code: model.CodeBadUserInput, Message: "the dataset is invalid", Err: err})
	}
	if err := s.checkAgainstStore(ctx, d); err != nil {
		return fmt.Errorf("%s: %w", op, err)
	}
	// Every step up to the file's commit checks the context, so a cancelled import (a server
	// told to stop while it loads a large dataset) stops within moments, with nothing written:
	// the file's transaction rolls back. Once it has committed, the change is applied in memory
	// whatever the context says.
	now := s.stamp()
	c := &change{}
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
	if err := s.checkHierarchies(ctx, d, replaced); err != nil {
		return err
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
	replacedSources := make(map[string]bool, len(d.Sources))
	for _, src := range d.Sources {
		replacedSources[src.ID] = true
	}
	for id, rec := range s.sources {
		if replacedSources[id] {
			continue // replaced by the dataset, which Validate checked on its own
		}
		p := rec.s.PublisherID
		if retyped[p] && kindOf(p) != model.KindOrganization {
			return bad("entity %q: changing its kind to %s breaks the publisherId of stored source %q", p, newKind[p], id)
		}
	}
	return nil
}

// checkHierarchies refuses a dataset whose hierarchical relations close a cycle with the
// stored ones. Validate has refused cycles within the dataset; what is left are cycles through
// stored relations that the dataset does not replace. Every such cycle runs through a relation
// the import writes (a stored cycle made only of relations the import leaves alone predates
// the rule and is not the dataset's doing), so each relation that the import writes and
// that is hierarchical is checked, in dataset order, against the graph as it will be after the
// import; the first that lies on a cycle is refused.
func (s *Store) checkHierarchies(ctx context.Context, d *model.Dataset, replaced map[string]bool) error {
	if len(s.relations) == 0 {
		return nil // the graph after the import is the dataset's, which Validate checked
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
		if err := model.CheckNoCycle(r, model.FindChain(r.Type, r.ToID, r.FromID, up)); err != nil {
			return fmt.Errorf("relation %q: %w", r.ID, err)
		}
	}
	return nil
}
