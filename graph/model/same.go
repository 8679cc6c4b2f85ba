package model

import (
	"reflect"
	"slices"
	"strings"
	"time"
)

// The helpers below define, once for both stores, when a write changes nothing and which
// values a store accepts at all: the embedded store and Neo4j must agree on both, or an
// identical upsert would move UpdatedAt in one and not the other.

// CheckEntityValue refuses a nil entity, a nil pointer and a type other than the six kinds:
// no store could write such a value or read it back.
func CheckEntityValue(e Entity) error {
	isNil := false
	switch v := e.(type) {
	case *Organization:
		isNil = v == nil
	case *Brand:
		isNil = v == nil
	case *VehicleModel:
		isNil = v == nil
	case *Plant:
		isNil = v == nil
	case *Place:
		isNil = v == nil
	case *Agreement:
		isNil = v == nil
	case nil:
		isNil = true
	default:
		return Errorf(CodeBadUserInput, "an entity of type %T cannot be stored", e)
	}
	if isNil {
		return Errorf(CodeBadUserInput, "no entity given")
	}
	return nil
}

// KindWithArticle names a kind with its article, for messages: "an organization", "a vehicle
// model".
func KindWithArticle(k EntityKind) string {
	name := strings.ToLower(strings.ReplaceAll(string(k), "_", " "))
	if name == "" {
		return "an unknown kind"
	}
	if strings.ContainsRune("aeiou", rune(name[0])) {
		return "an " + name
	}
	return "a " + name
}

// CountryOf is the countryId of the kinds that have one.
func CountryOf(e Entity) string {
	switch v := e.(type) {
	case *Organization:
		return v.CountryID
	case *Brand:
		return v.CountryID
	}
	return ""
}

// CanonicalEntity is the form of an entity that stores keep and compare: a deep copy without
// timestamps, with empty lists as nil (JSON and Go literals disagree on nil and empty lists).
func CanonicalEntity(e Entity) Entity {
	c := e.Clone()
	b := c.Common()
	b.CreatedAt, b.UpdatedAt = time.Time{}, time.Time{}
	b.Aliases = nilIfEmpty(b.Aliases)
	b.SourceIDs = nilIfEmpty(b.SourceIDs)
	if a, ok := c.(*Agreement); ok {
		a.Provisions = nilIfEmpty(a.Provisions)
	}
	return c
}

// CanonicalSource is a copy of a source without timestamps.
func CanonicalSource(s *Source) *Source {
	c := s.Clone()
	c.CreatedAt, c.UpdatedAt = time.Time{}, time.Time{}
	return c
}

// CanonicalRelation is a copy of a relation without timestamps, empty source lists as nil.
func CanonicalRelation(r *Relation) *Relation {
	c := r.Clone()
	c.CreatedAt, c.UpdatedAt = time.Time{}, time.Time{}
	c.SourceIDs = nilIfEmpty(c.SourceIDs)
	return c
}

// SameEntity reports whether two entities have the same content, ignoring timestamps and the
// difference between a nil and an empty list.
func SameEntity(a, b Entity) bool {
	return reflect.DeepEqual(CanonicalEntity(a), CanonicalEntity(b))
}

// SameSource reports whether two sources have the same content, ignoring timestamps.
func SameSource(a, b *Source) bool { return *CanonicalSource(a) == *CanonicalSource(b) }

// SameRelation reports whether two relations have the same content, ignoring timestamps.
func SameRelation(a, b *Relation) bool {
	return reflect.DeepEqual(CanonicalRelation(a), CanonicalRelation(b))
}

// SameFact reports whether two relations state the same fact: the same content, with the
// cited sources taken as a set. It is RelationID's notion of sameness, so adding a relation
// again with its sources in another order (the same id) is a no-op.
func SameFact(a, b *Relation) bool {
	x, y := CanonicalRelation(a), CanonicalRelation(b)
	for _, r := range []*Relation{x, y} {
		slices.Sort(r.SourceIDs)
		r.SourceIDs = slices.Compact(r.SourceIDs)
	}
	return reflect.DeepEqual(x, y)
}

func nilIfEmpty[T any](s []T) []T {
	if len(s) == 0 {
		return nil
	}
	return s
}
