package model

import (
	"io"
	"slices"
	"strings"
)

// AggregateField is what a relation aggregate groups by.
type AggregateField string

// The fields relations can be counted by.
const (
	AggregateByType   AggregateField = "TYPE"
	AggregateByStatus AggregateField = "STATUS"
	// AggregateByFromKind and AggregateByToKind group by the kind of an endpoint.
	AggregateByFromKind AggregateField = "FROM_KIND"
	AggregateByToKind   AggregateField = "TO_KIND"
)

// aggregateFields is the table behind the enum: this package reads it in place.
var aggregateFields = []AggregateField{AggregateByType, AggregateByStatus, AggregateByFromKind, AggregateByToKind}

// MarshalGQL implements graphql.Marshaler.
func (f AggregateField) MarshalGQL(w io.Writer) { marshalEnum(w, string(f)) }

// UnmarshalGQL implements graphql.Unmarshaler.
func (f *AggregateField) UnmarshalGQL(v any) (err error) {
	*f, err = unmarshalEnum(v, aggregateFields, "AggregateField")
	return err
}

// AggregateRequest says what to compute over every relation a query matches (all pages):
// the count always, a count per value of each CountBy field, and with Dates the earliest and
// latest validFrom and validTo.
type AggregateRequest struct {
	CountBy []AggregateField
	Dates   bool
}

// RelationAggregate is the answer to an AggregateRequest.
type RelationAggregate struct {
	Count int
	// Groups holds, for each requested field, one entry per value that occurs, ordered by
	// value.
	Groups map[AggregateField][]AggregateGroup
	// The bounds of the stated dates, in Date.Before order.
	ValidFrom DateBounds
	ValidTo   DateBounds
}

// CountBy is the groups of one field (none when the field was not requested).
func (a *RelationAggregate) CountBy(field AggregateField) []*AggregateGroup {
	gs := a.Groups[field]
	out := make([]*AggregateGroup, len(gs))
	for i := range gs {
		out[i] = &gs[i]
	}
	return out
}

// DateBounds are the earliest and latest of some dates; nil when none is known.
type DateBounds struct {
	Min *Date
	Max *Date
}

// AggregateGroup is one value of a field and how many relations have it.
type AggregateGroup struct {
	Value string
	Count int
}

// check refuses an unknown field and returns the request with each field once, in order.
func (a *AggregateRequest) check() (*AggregateRequest, error) {
	if a == nil {
		return nil, nil
	}
	out := &AggregateRequest{Dates: a.Dates}
	for _, f := range a.CountBy {
		if !slices.Contains(aggregateFields, f) {
			return nil, Errorf(CodeBadUserInput, "relations cannot be counted by %q (use TYPE, STATUS, FROM_KIND or TO_KIND)", f)
		}
		if !slices.Contains(out.CountBy, f) {
			out.CountBy = append(out.CountBy, f)
		}
	}
	slices.Sort(out.CountBy)
	return out, nil
}

// GroupValue is the value of field f for relation r; kindOf gives the kind of an entity by
// id ("" for an unknown one).
func GroupValue(r *Relation, f AggregateField, kindOf func(id string) EntityKind) string {
	switch f {
	case AggregateByType:
		return string(r.Type)
	case AggregateByFromKind:
		return string(kindOf(r.FromID))
	case AggregateByToKind:
		return string(kindOf(r.ToID))
	}
	return string(r.Status)
}

// Aggregator computes an Aggregate from the matching relations one at a time; the embedded
// store feeds it, and the rules for ties and unknown dates are written once here.
type Aggregator struct {
	req    *AggregateRequest
	kindOf func(id string) EntityKind
	agg    RelationAggregate
	counts map[AggregateField]map[string]int
}

// NewAggregator starts an aggregate for a checked request (nil when none was asked); kindOf
// gives the kind of an entity by id, for the kind groupings.
func NewAggregator(req *AggregateRequest, kindOf func(id string) EntityKind) *Aggregator {
	if req == nil {
		return nil
	}
	a := &Aggregator{req: req, kindOf: kindOf, counts: map[AggregateField]map[string]int{}}
	for _, f := range req.CountBy {
		a.counts[f] = map[string]int{}
	}
	return a
}

// Add counts one matching relation.
func (a *Aggregator) Add(r *Relation) {
	if a == nil {
		return
	}
	a.agg.Count++
	for f, m := range a.counts {
		m[GroupValue(r, f, a.kindOf)]++
	}
	if a.req.Dates {
		a.agg.ValidFrom.add(r.ValidFrom)
		a.agg.ValidTo.add(r.ValidTo)
	}
}

// add widens the bounds to take in d (nil: unknown, left out).
func (b *DateBounds) add(d *Date) {
	if d == nil {
		return
	}
	if b.Min == nil || d.Before(*b.Min) {
		c := *d
		b.Min = &c
	}
	if b.Max == nil || b.Max.Before(*d) {
		c := *d
		b.Max = &c
	}
}

// Result is the aggregate of what was added; nil for a nil Aggregator.
func (a *Aggregator) Result() *RelationAggregate {
	if a == nil {
		return nil
	}
	out := a.agg
	out.Groups = map[AggregateField][]AggregateGroup{}
	for f, m := range a.counts {
		out.Groups[f] = sortedGroups(m)
	}
	return &out
}

// EntityAggregateField is what an entity aggregate groups by.
type EntityAggregateField string

// The fields entities can be counted by. KIND applies to every listing; the others are the
// categorical attributes the listings filter by (AttrFields), and apply only to the kinds that
// have them.
const (
	EntityAggregateByKind       EntityAggregateField = "KIND"
	EntityAggregateByCountry    EntityAggregateField = "COUNTRY"
	EntityAggregateByType       EntityAggregateField = "TYPE"
	EntityAggregateByOwnership  EntityAggregateField = "OWNERSHIP"
	EntityAggregateBySegment    EntityAggregateField = "SEGMENT"
	EntityAggregateByPowertrain EntityAggregateField = "POWERTRAIN"
)

// entityAggregateFields is the table behind the enum, each field with the attribute it reads
// ("" for KIND, which every entity has).
var entityAggregateFields = []EntityAggregateField{EntityAggregateByKind, EntityAggregateByCountry, EntityAggregateByType,
	EntityAggregateByOwnership, EntityAggregateBySegment, EntityAggregateByPowertrain}

// entityAggregateAttrs maps the attribute fields to the attribute they read.
var entityAggregateAttrs = map[EntityAggregateField]string{
	EntityAggregateByCountry:    AttrCountry,
	EntityAggregateByType:       AttrOrganizationType, // the same property as AttrPlaceType
	EntityAggregateByOwnership:  AttrOwnership,
	EntityAggregateBySegment:    AttrSegment,
	EntityAggregateByPowertrain: AttrPowertrain,
}

// EntityAggregateAttr is the attribute (an AttrFields name, also the stored property) that f
// groups by; "" for KIND.
func EntityAggregateAttr(f EntityAggregateField) string { return entityAggregateAttrs[f] }

// MarshalGQL implements graphql.Marshaler.
func (f EntityAggregateField) MarshalGQL(w io.Writer) { marshalEnum(w, string(f)) }

// UnmarshalGQL implements graphql.Unmarshaler.
func (f *EntityAggregateField) UnmarshalGQL(v any) (err error) {
	*f, err = unmarshalEnum(v, entityAggregateFields, "EntityAggregateField")
	return err
}

// EntityAggregateRequest says what to compute over every entity a listing matches (all
// pages): the count always, a count per value of each CountBy field, and with Founded the
// earliest and latest founding dates.
type EntityAggregateRequest struct {
	CountBy []EntityAggregateField
	Founded bool
}

// EntityAggregate is the answer to an EntityAggregateRequest.
type EntityAggregate struct {
	Count int
	// Groups holds, for each requested field, one entry per value that occurs, ordered by
	// value; entities without a value (an unset ownership, say) are in no group.
	Groups map[EntityAggregateField][]AggregateGroup
	// Founded bounds the stated founding dates, in Date.Before order (only organizations and
	// brands have one).
	Founded DateBounds
}

// CountBy is the groups of one field (none when the field was not requested).
func (a *EntityAggregate) CountBy(field EntityAggregateField) []*AggregateGroup {
	gs := a.Groups[field]
	out := make([]*AggregateGroup, len(gs))
	for i := range gs {
		out[i] = &gs[i]
	}
	return out
}

// check refuses an unknown field or one the listed kind does not have (every field but KIND
// needs a kind that has its attribute), and returns the request with each field once, in
// order.
func (a *EntityAggregateRequest) check(kind EntityKind) (*EntityAggregateRequest, error) {
	if a == nil {
		return nil, nil
	}
	out := &EntityAggregateRequest{Founded: a.Founded}
	for _, f := range a.CountBy {
		if !slices.Contains(entityAggregateFields, f) {
			return nil, Errorf(CodeBadUserInput, "entities cannot be counted by %q (use KIND, COUNTRY, TYPE, OWNERSHIP, SEGMENT or POWERTRAIN)", f)
		}
		if attr := entityAggregateAttrs[f]; attr != "" && (kind == "" || !slices.Contains(AttrFields(kind), attr)) {
			what := "entities of every kind"
			if kind != "" {
				what = kind.Label() + " entities"
			}
			return nil, Errorf(CodeBadUserInput, "%s cannot be counted by %s: it is not one of their fields", what, f)
		}
		if !slices.Contains(out.CountBy, f) {
			out.CountBy = append(out.CountBy, f)
		}
	}
	slices.Sort(out.CountBy)
	return out, nil
}

// EntityGroupValue is the value of field f for entity e; "" when e has none.
func EntityGroupValue(e Entity, f EntityAggregateField) string {
	if f == EntityAggregateByKind {
		return string(e.Kind())
	}
	return AttrValue(e, entityAggregateAttrs[f])
}

// EntityAggregator computes an EntityAggregate from the matching entities one at a time, as
// Aggregator does for relations.
type EntityAggregator struct {
	req    *EntityAggregateRequest
	agg    EntityAggregate
	counts map[EntityAggregateField]map[string]int
}

// NewEntityAggregator starts an aggregate for a checked request (nil when none was asked).
func NewEntityAggregator(req *EntityAggregateRequest) *EntityAggregator {
	if req == nil {
		return nil
	}
	a := &EntityAggregator{req: req, counts: map[EntityAggregateField]map[string]int{}}
	for _, f := range req.CountBy {
		a.counts[f] = map[string]int{}
	}
	return a
}

// Add counts one matching entity.
func (a *EntityAggregator) Add(e Entity) {
	if a == nil {
		return
	}
	a.agg.Count++
	for f, m := range a.counts {
		if v := EntityGroupValue(e, f); v != "" {
			m[v]++
		}
	}
	if a.req.Founded {
		a.agg.Founded.add(FoundedOf(e))
	}
}

// Result is the aggregate of what was added; nil for a nil EntityAggregator.
func (a *EntityAggregator) Result() *EntityAggregate {
	if a == nil {
		return nil
	}
	out := a.agg
	out.Groups = map[EntityAggregateField][]AggregateGroup{}
	for f, m := range a.counts {
		out.Groups[f] = sortedGroups(m)
	}
	return &out
}

// sortedGroups lists counts by value.
func sortedGroups(m map[string]int) []AggregateGroup {
	gs := make([]AggregateGroup, 0, len(m))
	for v, n := range m {
		gs = append(gs, AggregateGroup{Value: v, Count: n})
	}
	slices.SortFunc(gs, func(x, y AggregateGroup) int { return strings.Compare(x.Value, y.Value) })
	return gs
}
