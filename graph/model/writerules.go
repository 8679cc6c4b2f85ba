package model

import (
	"fmt"
	"time"
)

// The rules of the Writer methods against the stored graph. Every store decides a write with
// these functions, in three steps, so that both refuse the same writes with the same codes and
// messages, in the same order:
//
//  1. The value on its own: CheckEntity, CheckSource or CheckRelation, before the store looks
//     at anything it holds. A store checks even when its caller did, since it cannot trust it.
//  2. The value against the graph: the store gathers the WriteFacts that the write's
//     WriteKeys name (EntityWriteKeys, SourceWriteKeys, RelationWriteKeys), within the write's
//     own transaction so that nothing changes between the facts and the write, and
//     CheckEntityWrite, CheckSourceWrite, CheckRelationAdd or CheckRelationUpdate decides: an
//     error, or whether the stored item already has the content. An unchanged write writes
//     nothing and moves no timestamp; the stored item, as it is, is the answer.
//  3. A relation of a hierarchical type that is written (not unchanged) may not close a
//     cycle: the store looks for a chain of the relation's type from its ToID back to its
//     FromID among the relations that stay once it is written (its own earlier version does
//     not), as FindChain does, and CheckNoCycle decides. A store may look before it writes
//     or after, inside the same transaction; this is the last check either way.
//
// Errors are BAD_USER_INPUT for a value that can never be written as it is and NOT_FOUND for a
// reference to an id that does not exist (it may exist later), with messages meant for the
// curator who sent the write. RemoveRelation and DeleteEntity have one rule each: NOT_FOUND
// (NotFound) when there is nothing with the id.

// Timestamp is t as every store records a CreatedAt or UpdatedAt: in UTC, truncated to whole
// microseconds (what both a Neo4j DateTime and the embedded store's records keep exactly), so
// that both stores report the same instant.
func Timestamp(t time.Time) time.Time { return t.UTC().Truncate(time.Microsecond) }

// WriteKeys names what a write must know about the stored graph.
type WriteKeys struct {
	// ID is the id the write stores under.
	ID string
	// SourceIDs are the sources the write cites, without repeats, in the order first cited.
	SourceIDs []string
	// RefIDs are the entities the write refers to (a country, a publisher, a relation's
	// endpoints), without repeats or empty ids.
	RefIDs []string
}

// EntityWriteKeys are the keys of an upsert of e: its id, the sources it cites and its
// country.
func EntityWriteKeys(e Entity) WriteKeys {
	return writeKeys(e.GetID(), e.Common().SourceIDs, CountryOf(e))
}

// SourceWriteKeys are the keys of an upsert of s: its id and its publisher.
func SourceWriteKeys(s *Source) WriteKeys { return writeKeys(s.ID, nil, s.PublisherID) }

// RelationWriteKeys are the keys of an add or update of r: its id, the sources it cites and
// its endpoints.
func RelationWriteKeys(r *Relation) WriteKeys {
	return writeKeys(r.ID, r.SourceIDs, r.FromID, r.ToID)
}

func writeKeys(id string, sourceIDs []string, refIDs ...string) WriteKeys {
	return WriteKeys{ID: id, SourceIDs: distinct(sourceIDs), RefIDs: distinct(refIDs)}
}

// distinct is ids without repeats and empty ids, in order; never nil.
func distinct(ids []string) []string {
	out := make([]string, 0, len(ids))
	seen := make(map[string]bool, len(ids))
	for _, id := range ids {
		if id != "" && !seen[id] {
			seen[id] = true
			out = append(out, id)
		}
	}
	return out
}

// WriteFacts is what the stored graph holds about a write's WriteKeys. The rules only read it,
// so a store may hand over its own values.
type WriteFacts struct {
	// Entity, Source and Relation are the stored items that hold WriteKeys.ID, nil for none.
	Entity   Entity
	Source   *Source
	Relation *Relation
	// Sources holds those of WriteKeys.SourceIDs that name a stored source.
	Sources map[string]bool
	// Kinds holds the kinds of those of WriteKeys.RefIDs that name a stored entity.
	Kinds map[string]EntityKind
}

// CheckEntityWrite decides an upsert of e, which passed CheckEntity, against f, the facts of
// EntityWriteKeys(e). In order:
//   - an id that belongs to an entity of another kind is BAD_USER_INPUT: an entity never
//     changes kind through a write, since its relations and references might no longer fit;
//   - an id that belongs to a source or a relation is BAD_USER_INPUT (ids are unique across
//     the graph, so that the node query finds anything by id);
//   - a cited source that does not exist is NOT_FOUND;
//   - a country that does not exist is NOT_FOUND, and one that is not a place BAD_USER_INPUT.
//
// unchanged reports that the stored entity already has e's content (SameEntity).
func CheckEntityWrite(e Entity, f *WriteFacts) (unchanged bool, err error) {
	id := e.GetID()
	if f.Entity != nil && f.Entity.Kind() != e.Kind() {
		return false, Errorf(CodeBadUserInput,
			"id %q already belongs to %s, which cannot become %s (its relations and references would no longer fit); choose another id",
			id, KindWithArticle(f.Entity.Kind()), KindWithArticle(e.Kind()))
	}
	if err := f.idFree(id, "entity"); err != nil {
		return false, err
	}
	if err := f.cited(fmt.Sprintf("entity %q", id), e.Common().SourceIDs); err != nil {
		return false, err
	}
	if err := f.ref(fmt.Sprintf("the country of %q", id), CountryOf(e), KindPlace); err != nil {
		return false, err
	}
	return f.Entity != nil && SameEntity(f.Entity, e), nil
}

// CheckSourceWrite decides an upsert of s, which passed CheckSource, against f, the facts of
// SourceWriteKeys(s): an id that belongs to an entity or a relation is BAD_USER_INPUT; a
// publisher that does not exist is NOT_FOUND, and one that is not an organization
// BAD_USER_INPUT. unchanged reports that the stored source already has s's content
// (SameSource).
func CheckSourceWrite(s *Source, f *WriteFacts) (unchanged bool, err error) {
	if err := f.idFree(s.ID, "source"); err != nil {
		return false, err
	}
	if err := f.ref(fmt.Sprintf("the publisher of source %q", s.ID), s.PublisherID, KindOrganization); err != nil {
		return false, err
	}
	return f.Source != nil && SameSource(f.Source, s), nil
}

// CheckRelationAdd decides AddRelation of r, which passed CheckRelation, against f, the facts
// of RelationWriteKeys(r). A relation stored under r.ID that states the same fact (SameFact:
// the cited sources taken as a set, as RelationID takes them) makes the add unchanged before
// anything else is checked, so a retried add is harmless; under other content the add is
// BAD_USER_INPUT, since changing a fact is UpdateRelation's job. A new relation is then
// checked against the graph (see checkRelation) and is never unchanged.
func CheckRelationAdd(r *Relation, f *WriteFacts) (unchanged bool, err error) {
	if old := f.Relation; old != nil {
		if SameFact(old, r) {
			return true, nil
		}
		return false, Errorf(CodeBadUserInput,
			"relation id %q already exists with different content; use updateRelation to change it", r.ID)
	}
	return false, f.checkRelation(r)
}

// CheckRelationUpdate decides UpdateRelation of r, which passed CheckRelation, against f, the
// facts of RelationWriteKeys(r): NOT_FOUND when no relation has the id; otherwise r is checked
// against the graph (see checkRelation) even when it changes nothing, and unchanged reports
// that the stored relation already has r's content (SameRelation: the cited sources in order,
// so a reordering is written). r may move to another type or other endpoints.
func CheckRelationUpdate(r *Relation, f *WriteFacts) (unchanged bool, err error) {
	if f.Relation == nil {
		return false, NotFound("relation", r.ID)
	}
	if err := f.checkRelation(r); err != nil {
		return false, err
	}
	return SameRelation(f.Relation, r), nil
}

// checkRelation checks a relation against the graph, in order: its id does not belong to an
// entity or a source (BAD_USER_INPUT); its start and then its end exist (NOT_FOUND); their
// kinds fit its type (CheckEndpoints); every cited source exists (NOT_FOUND).
func (f *WriteFacts) checkRelation(r *Relation) error {
	if err := f.idFree(r.ID, "relation"); err != nil {
		return err
	}
	from, ok := f.Kinds[r.FromID]
	if !ok {
		return Errorf(CodeNotFound, "the relation starts at %q, but there is no entity with that id", r.FromID)
	}
	to, ok := f.Kinds[r.ToID]
	if !ok {
		return Errorf(CodeNotFound, "the relation ends at %q, but there is no entity with that id", r.ToID)
	}
	if err := CheckEndpoints(r.Type, from, to); err != nil {
		return err
	}
	return f.cited("the relation", r.SourceIDs)
}

// idFree refuses an id that a stored item of another sort than what ("entity", "source" or
// "relation") holds.
func (f *WriteFacts) idFree(id, what string) error {
	holder := ""
	switch {
	case f.Entity != nil && what != "entity":
		holder = "an entity"
	case f.Source != nil && what != "source":
		holder = "a source"
	case f.Relation != nil && what != "relation":
		holder = "a relation"
	}
	if holder != "" {
		return Errorf(CodeBadUserInput, "id %q already belongs to %s; choose another id for the %s", id, holder, what)
	}
	return nil
}

// cited refuses a citation of a source that does not exist; who names the citing item.
func (f *WriteFacts) cited(who string, ids []string) error {
	for _, id := range ids {
		if !f.Sources[id] {
			return Errorf(CodeNotFound, "%s cites source %q, but there is no source with that id", who, id)
		}
	}
	return nil
}

// ref checks an attribute that names an entity of a given kind (a country, a publisher): empty
// is fine, an unknown id is NOT_FOUND, an entity of another kind is BAD_USER_INPUT.
func (f *WriteFacts) ref(what, id string, kind EntityKind) error {
	if id == "" {
		return nil
	}
	k, ok := f.Kinds[id]
	if !ok {
		return Errorf(CodeNotFound, "%s is %q, but there is no entity with that id", what, id)
	}
	if k != kind {
		return Errorf(CodeBadUserInput, "%s is %q, which is %s, not %s", what, id, KindWithArticle(k), KindWithArticle(kind))
	}
	return nil
}
