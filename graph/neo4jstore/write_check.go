package neo4jstore

import (
	"context"
	"fmt"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"
	"github.com/neo4j/neo4j-go-driver/v5/neo4j/dbtype"

	"github.com/autograph-kg/autograph/graph/model"
)

// writeLookup is what cypherWriteLookup found, read at the start of a write's transaction:
// everything the write is checked against. The checks are plain Go over it, so they are the
// same whatever the server, and testable without one.
type writeLookup struct {
	// entity, source and relation are the stored items that hold the write's id, or nil.
	entity   model.Entity
	source   *model.Source
	relation *model.Relation
	// knownSources are the cited sources that exist.
	knownSources map[string]bool
	// kinds are the kinds of the referenced entities that exist.
	kinds map[string]model.EntityKind
}

// lookupParams are the parameters of cypherWriteLookup: the id the write stores under, the
// sources it cites and the entities it refers to (empty references are left out).
func lookupParams(id string, sourceIDs, refIDs []string) map[string]any {
	var refs []string
	for _, r := range refIDs {
		if r != "" {
			refs = append(refs, r)
		}
	}
	return map[string]any{
		"id":        id,
		"sourceIds": distinct(sourceIDs),
		"refIds":    distinct(refs),
	}
}

// lookUp runs cypherWriteLookup in the write's transaction.
func lookUp(ctx context.Context, tx neo4j.ManagedTransaction, params map[string]any) (*writeLookup, error) {
	res, err := tx.Run(ctx, writeLookupQuery(), params)
	if err != nil {
		return nil, err
	}
	rec, err := res.Single(ctx)
	if err != nil {
		return nil, err
	}
	lk, err := lookupFromRecord(rec)
	if err != nil {
		return nil, fmt.Errorf("write lookup: %w", err)
	}
	return lk, nil
}

// lookupFromRecord maps the one record of cypherWriteLookup.
func lookupFromRecord(rec *neo4j.Record) (*writeLookup, error) {
	lk := &writeLookup{knownSources: map[string]bool{}, kinds: map[string]model.EntityKind{}}
	if n, ok, err := optionalNode(rec, "entity"); err != nil {
		return nil, err
	} else if ok {
		if lk.entity, err = entityFromNode(n); err != nil {
			return nil, err
		}
	}
	if n, ok, err := optionalNode(rec, "source"); err != nil {
		return nil, err
	} else if ok {
		if lk.source, err = sourceFromNode(n); err != nil {
			return nil, err
		}
	}
	rels, err := listOf[any](rec, "relations")
	if err != nil {
		return nil, err
	}
	switch len(rels) {
	case 0:
	case 1:
		if lk.relation, err = relationFromMap(rels[0]); err != nil {
			return nil, err
		}
	default:
		return nil, fmt.Errorf("%d relationships have the id of one relation", len(rels))
	}
	known, err := listOf[string](rec, "knownSources")
	if err != nil {
		return nil, err
	}
	for _, id := range known {
		lk.knownSources[id] = true
	}
	refs, err := listOf[map[string]any](rec, "refs")
	if err != nil {
		return nil, err
	}
	for _, m := range refs {
		lk.kinds[mapString(m, "id")] = model.EntityKind(mapString(m, "kind"))
	}
	return lk, nil
}

// optionalNode reads a node column that may be null.
func optionalNode(rec *neo4j.Record, key string) (dbtype.Node, bool, error) {
	v, isNil, err := neo4j.GetRecordValue[dbtype.Node](rec, key)
	if err != nil {
		return v, false, fmt.Errorf("record value %q: %w", key, err)
	}
	return v, !isNil, nil
}

// The checks below decide a write from its lookup, in the order the embedded store checks
// and with its messages: BAD_USER_INPUT for a value that can never be written as it is,
// NOT_FOUND for a reference to an id that does not exist (it may exist later).

// checkIDFree refuses an id that another sort of item than what ("entity", "source" or
// "relation") already holds: ids are unique across the graph.
func (lk *writeLookup) checkIDFree(id, what string) error {
	holder := ""
	switch {
	case lk.entity != nil && what != "entity":
		holder = "an entity"
	case lk.source != nil && what != "source":
		holder = "a source"
	case lk.relation != nil && what != "relation":
		holder = "a relation"
	}
	if holder != "" {
		return model.Errorf(model.CodeBadUserInput, "id %q already belongs to %s; choose another id for the %s", id, holder, what)
	}
	return nil
}

// checkCited refuses a citation of a source that does not exist; who names the citing item.
func (lk *writeLookup) checkCited(who string, ids []string) error {
	for _, id := range ids {
		if !lk.knownSources[id] {
			return model.Errorf(model.CodeNotFound, "%s cites source %q, but there is no source with that id", who, id)
		}
	}
	return nil
}

// checkRef checks an attribute that names an entity of a given kind (a country, a
// publisher): empty is fine, an unknown id is NOT_FOUND, an entity of another kind is
// BAD_USER_INPUT.
func (lk *writeLookup) checkRef(what, id string, kind model.EntityKind) error {
	if id == "" {
		return nil
	}
	k, ok := lk.kinds[id]
	if !ok {
		return model.Errorf(model.CodeNotFound, "%s is %q, but there is no entity with that id", what, id)
	}
	if k != kind {
		return model.Errorf(model.CodeBadUserInput, "%s is %q, which is %s, not %s", what, id, model.KindWithArticle(k), model.KindWithArticle(kind))
	}
	return nil
}

// checkEntity decides an upsert of e, which passed model.CheckEntity. It reports whether the
// stored entity already has e's content, in which case nothing is written and the stored one
// is returned as it is. An entity cannot change kind: its relations and references might no
// longer fit.
func (lk *writeLookup) checkEntity(e model.Entity) (unchanged bool, err error) {
	id := e.GetID()
	if lk.entity != nil && lk.entity.Kind() != e.Kind() {
		return false, model.Errorf(model.CodeBadUserInput,
			"id %q already belongs to %s, which cannot become %s (its relations and references would no longer fit); choose another id",
			id, model.KindWithArticle(lk.entity.Kind()), model.KindWithArticle(e.Kind()))
	}
	if err := lk.checkIDFree(id, "entity"); err != nil {
		return false, err
	}
	if err := lk.checkCited(fmt.Sprintf("entity %q", id), e.Common().SourceIDs); err != nil {
		return false, err
	}
	if err := lk.checkRef(fmt.Sprintf("the country of %q", id), model.CountryOf(e), model.KindPlace); err != nil {
		return false, err
	}
	return lk.entity != nil && model.SameEntity(lk.entity, e), nil
}

// checkSource decides an upsert of src, which passed model.CheckSource, like checkEntity.
func (lk *writeLookup) checkSource(src *model.Source) (unchanged bool, err error) {
	if err := lk.checkIDFree(src.ID, "source"); err != nil {
		return false, err
	}
	if err := lk.checkRef(fmt.Sprintf("the publisher of source %q", src.ID), src.PublisherID, model.KindOrganization); err != nil {
		return false, err
	}
	return lk.source != nil && model.SameSource(lk.source, src), nil
}

// checkRelation decides AddRelation (update false) and UpdateRelation (update true) of r,
// which passed model.CheckRelation. It reports whether the stored relation already has r's
// content, in which case it is returned as it is, and whether the write moves the relation
// to another type or other endpoints (then the old relationship is deleted and a new one
// created, keeping createdAt).
//
// Adding a relation that is already stored with the same content (cited sources taken as a
// set, as model.RelationID does) succeeds before anything else is checked, so a retried add
// is harmless; under another content it is refused, since changing a fact is
// UpdateRelation's job. An update checks everything, even when it changes nothing, and
// compares the sources in order (a reordering is written).
func (lk *writeLookup) checkRelation(r *model.Relation, update bool) (unchanged, moved bool, err error) {
	old := lk.relation
	switch {
	case !update && old != nil && model.SameFact(old, r):
		return true, false, nil
	case !update && old != nil:
		return false, false, model.Errorf(model.CodeBadUserInput,
			"relation id %q already exists with different content; use updateRelation to change it", r.ID)
	case update && old == nil:
		return false, false, model.NotFound("relation", r.ID)
	}
	if err := lk.checkIDFree(r.ID, "relation"); err != nil {
		return false, false, err
	}
	from, ok := lk.kinds[r.FromID]
	if !ok {
		return false, false, model.Errorf(model.CodeNotFound, "the relation starts at %q, but there is no entity with that id", r.FromID)
	}
	to, ok := lk.kinds[r.ToID]
	if !ok {
		return false, false, model.Errorf(model.CodeNotFound, "the relation ends at %q, but there is no entity with that id", r.ToID)
	}
	if err := model.CheckEndpoints(r.Type, from, to); err != nil {
		return false, false, err
	}
	if err := lk.checkCited("the relation", r.SourceIDs); err != nil {
		return false, false, err
	}
	if old != nil && model.SameRelation(old, r) {
		return true, false, nil
	}
	moved = old != nil && (old.Type != r.Type || old.FromID != r.FromID || old.ToID != r.ToID)
	return false, moved, nil
}
