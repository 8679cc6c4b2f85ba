package model

import (
	"cmp"
	"context"
	"fmt"
	"slices"
)

// The rules of Store.Import. Every store decides an import with these functions, in order,
// before it writes anything that stays:
//
//  1. CheckDataset: the dataset on its own (Validate).
//  2. CheckImport: the dataset against the ImportFacts that the store gathers from the stored
//     graph: no id that the graph holds for another sort of item, and no entity whose new kind
//     breaks a stored relation or reference that the dataset does not replace.
//  3. Cycles: every relation of a hierarchical type that the import writes (one whose stored
//     version, if any, has other content), in dataset order, is checked against the graph as
//     it will be after the import: a chain of its type from its ToID back to its FromID (as
//     FindChain finds it) makes CheckImportedCycle refuse it. The first such relation is
//     named. Validate has refused cycles within the dataset, so only cycles through stored
//     relations that the dataset does not replace are left, and each runs through a relation
//     the import writes (a stored cycle of relations the import leaves alone predates the
//     rule and is not the import's doing). A store may look before it writes or after, inside
//     the same transaction, which then rolls back.
//
// Each refusal is BAD_USER_INPUT and leaves the graph as it was.

// CheckDataset is the first check of Import: a dataset is given and passes ValidateContext. A
// done ctx ends it with ctx's error alone; an invalid dataset is BAD_USER_INPUT, with every
// problem in its cause.
func CheckDataset(ctx context.Context, d *Dataset) error {
	if d == nil {
		return Errorf(CodeBadUserInput, "no dataset to import")
	}
	if err := d.ValidateContext(ctx); err != nil {
		if ctx.Err() != nil {
			return err
		}
		return &Error{Code: CodeBadUserInput, Message: "the dataset is invalid", Err: err}
	}
	return nil
}

// ImportFacts is what the stored graph holds that a dataset must fit, as the store found it
// before the import wrote anything. The rules only read it.
type ImportFacts struct {
	// HeldByEntity, HeldBySource and HeldByRelation hold the ids of the dataset's items that a
	// stored entity, source or relation holds. A store may leave out an id that the dataset
	// gives an item of the same sort (a source's id held by a stored source): the rules look
	// only at ids held by another sort of item.
	HeldByEntity, HeldBySource, HeldByRelation map[string]bool
	// Retyped has an entry for every stored entity whose kind the dataset changes, in any
	// order.
	Retyped []RetypedEntity
}

// RetypedEntity is what depends on the kind of a stored entity that an import gives another
// kind.
type RetypedEntity struct {
	ID string
	// Relations are the stored relations that start or end at it.
	Relations []StoredRelation
	// CountryOf are the ids of the stored entities whose countryId is ID.
	CountryOf []string
	// PublisherOf are the ids of the stored sources whose publisherId is ID.
	PublisherOf []string
}

// StoredRelation is a stored relation as the kind rules see it: its type and its endpoints
// with their stored kinds.
type StoredRelation struct {
	ID               string
	Type             RelationType
	FromID, ToID     string
	FromKind, ToKind EntityKind
}

// CheckImport decides whether d, which passed CheckDataset, fits the stored graph that f
// describes. It refuses, with BAD_USER_INPUT and the first reason found:
//   - an id the dataset uses for a source, an entity or a relation (in that order, each in
//     dataset order) that the graph holds for another sort of item;
//   - an entity whose new kind no longer fits, as CheckEndpoints says, a stored relation at it
//     that the dataset does not replace (the other endpoint taken with its kind after the
//     import), or that is not a place while a stored entity that the dataset does not replace
//     names it as its country, or not an organization while a stored source that the dataset
//     does not replace names it as its publisher. Entities are checked in id order, and for
//     each the relations, the countries and the publishers, each in id order, so the same
//     clash always gives the same message.
func CheckImport(d *Dataset, f *ImportFacts) error {
	bad := func(format string, args ...any) error {
		return Errorf(CodeBadUserInput, format, args...)
	}
	for _, s := range d.Sources {
		if f.HeldByEntity[s.ID] {
			return bad("source %q: the id is already used by an entity", s.ID)
		}
		if f.HeldByRelation[s.ID] {
			return bad("source %q: the id is already used by a relation", s.ID)
		}
	}
	newKind := map[string]EntityKind{}
	for _, e := range d.Entities() {
		id := e.GetID()
		newKind[id] = e.Kind()
		if f.HeldBySource[id] {
			return bad("entity %q: the id is already used by a source", id)
		}
		if f.HeldByRelation[id] {
			return bad("entity %q: the id is already used by a relation", id)
		}
	}
	replaced := map[string]bool{}
	for _, r := range d.Relations {
		replaced[r.ID] = true
		if f.HeldByEntity[r.ID] {
			return bad("relation %q: the id is already used by an entity", r.ID)
		}
		if f.HeldBySource[r.ID] {
			return bad("relation %q: the id is already used by a source", r.ID)
		}
	}
	replacedSources := map[string]bool{}
	for _, s := range d.Sources {
		replacedSources[s.ID] = true
	}
	kindAfter := func(id string, stored EntityKind) EntityKind {
		if k, ok := newKind[id]; ok {
			return k
		}
		return stored
	}
	retyped := slices.Clone(f.Retyped)
	slices.SortFunc(retyped, func(a, b RetypedEntity) int { return cmp.Compare(a.ID, b.ID) })
	for _, e := range retyped {
		kind := newKind[e.ID]
		rels := slices.Clone(e.Relations)
		slices.SortFunc(rels, func(a, b StoredRelation) int { return cmp.Compare(a.ID, b.ID) })
		for _, r := range rels {
			if replaced[r.ID] {
				continue
			}
			if err := CheckEndpoints(r.Type, kindAfter(r.FromID, r.FromKind), kindAfter(r.ToID, r.ToKind)); err != nil {
				return bad("entity %q: changing its kind to %s breaks stored relation %q: %v", e.ID, kind, r.ID, err)
			}
		}
		for _, x := range sorted(e.CountryOf) {
			if _, ok := newKind[x]; !ok && kind != KindPlace {
				return bad("entity %q: changing its kind to %s breaks the countryId of stored entity %q", e.ID, kind, x)
			}
		}
		for _, x := range sorted(e.PublisherOf) {
			if !replacedSources[x] && kind != KindOrganization {
				return bad("entity %q: changing its kind to %s breaks the publisherId of stored source %q", e.ID, kind, x)
			}
		}
	}
	return nil
}

// CheckImportedCycle is the cycle rule of Import for r, a relation of the dataset that the
// import writes: chain is what the store found when it looked for relations of r.Type leading
// from r.ToID back to r.FromID in the graph as it will be after the import (nil for none). A
// chain is BAD_USER_INPUT naming r (CheckNoCycle).
func CheckImportedCycle(r *Relation, chain []string) error {
	if err := CheckNoCycle(r, chain); err != nil {
		return fmt.Errorf("relation %q: %w", r.ID, err)
	}
	return nil
}

func sorted(ids []string) []string {
	out := slices.Clone(ids)
	slices.Sort(out)
	return out
}
