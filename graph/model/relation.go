package model

import (
	"io"
	"slices"
	"strings"
	"time"
)

// RelationType is the type of a directed relation between two entities.
type RelationType string

// The relation types. The comment on each gives its direction.
const (
	RelSubsidiaryOf   RelationType = "SUBSIDIARY_OF"    // organization -> parent organization
	RelJointVentureOf RelationType = "JOINT_VENTURE_OF" // joint venture -> partner organization
	RelOwnsBrand      RelationType = "OWNS_BRAND"       // organization -> brand
	RelHasModel       RelationType = "HAS_MODEL"        // brand -> vehicle model
	RelAssembles      RelationType = "ASSEMBLES"        // organization or plant -> brand or model
	RelOperates       RelationType = "OPERATES"         // organization -> plant
	RelLocatedIn      RelationType = "LOCATED_IN"       // organization, plant or place -> place
	RelPartyTo        RelationType = "PARTY_TO"         // organization -> agreement
	RelPartnersWith   RelationType = "PARTNERS_WITH"    // organization -> organization
)

// AllRelationTypes lists the relation types in schema order, in a fresh slice the caller may
// change. Stores use it as the whitelist of relationship types that may appear in a query.
func AllRelationTypes() []RelationType { return slices.Clone(relationTypes) }

// relationTypes is the table behind AllRelationTypes: this package reads it in place, callers
// get copies.
var relationTypes = []RelationType{
	RelSubsidiaryOf, RelJointVentureOf, RelOwnsBrand, RelHasModel, RelAssembles,
	RelOperates, RelLocatedIn, RelPartyTo, RelPartnersWith,
}

// IsValid reports whether t is a known relation type.
func (t RelationType) IsValid() bool { return slices.Contains(relationTypes, t) }

// MarshalGQL implements graphql.Marshaler.
func (t RelationType) MarshalGQL(w io.Writer) { marshalEnum(w, string(t)) }

// UnmarshalGQL implements graphql.Unmarshaler.
func (t *RelationType) UnmarshalGQL(v any) (err error) {
	*t, err = unmarshalEnum(v, relationTypes, "RelationType")
	return err
}

// endpoints says which kinds a relation type may connect. It is the one table that seed
// validation and writes consult, through CheckEndpoints; Endpoints gives copies of its rows.
var endpoints = map[RelationType]struct{ from, to []EntityKind }{
	RelSubsidiaryOf:   {[]EntityKind{KindOrganization}, []EntityKind{KindOrganization}},
	RelJointVentureOf: {[]EntityKind{KindOrganization}, []EntityKind{KindOrganization}},
	RelOwnsBrand:      {[]EntityKind{KindOrganization}, []EntityKind{KindBrand}},
	RelHasModel:       {[]EntityKind{KindBrand}, []EntityKind{KindVehicleModel}},
	RelAssembles:      {[]EntityKind{KindOrganization, KindPlant}, []EntityKind{KindBrand, KindVehicleModel}},
	RelOperates:       {[]EntityKind{KindOrganization}, []EntityKind{KindPlant}},
	RelLocatedIn:      {[]EntityKind{KindOrganization, KindPlant, KindPlace}, []EntityKind{KindPlace}},
	RelPartyTo:        {[]EntityKind{KindOrganization}, []EntityKind{KindAgreement}},
	RelPartnersWith:   {[]EntityKind{KindOrganization}, []EntityKind{KindOrganization}},
}

// Endpoints says which kinds a relation of type t may start and end at, in fresh slices;
// ok is false for an unknown type.
func Endpoints(t RelationType) (from, to []EntityKind, ok bool) {
	e, ok := endpoints[t]
	return slices.Clone(e.from), slices.Clone(e.to), ok
}

// OtherEndKind is the kind of every entity at the other end of a relation of type t from an
// entity whose relations in direction dir are listed (OUT: those it starts, IN: those it
// ends), when the rule book allows only one kind there; false for BOTH, for several kinds
// and for an unknown type. The writes and imports hold every stored relation to the rule
// book (CheckEndpoints), an entity's change of kind included.
func OtherEndKind(t RelationType, dir Direction) (EntityKind, bool) {
	e, ok := endpoints[t]
	if !ok {
		return "", false
	}
	var kinds []EntityKind
	switch dir {
	case DirectionOut:
		kinds = e.to
	case DirectionIn:
		kinds = e.from
	}
	if len(kinds) != 1 {
		return "", false
	}
	return kinds[0], true
}

// CheckEndpoints returns a BAD_USER_INPUT error when a relation of type t may not go from an
// entity of kind from to one of kind to.
func CheckEndpoints(t RelationType, from, to EntityKind) error {
	e, ok := endpoints[t]
	if !ok {
		return Errorf(CodeBadUserInput, "unknown relation type %q", t)
	}
	if !slices.Contains(e.from, from) || !slices.Contains(e.to, to) {
		return Errorf(CodeBadUserInput, "a %s relation goes from %v to %v, not from %s to %s", t, e.from, e.to, from, to)
	}
	return nil
}

// Relation is a directed, typed, dated and sourced fact between two entities.
type Relation struct {
	ID     string         `json:"id"`
	Type   RelationType   `json:"type"`
	FromID string         `json:"from"`
	ToID   string         `json:"to"`
	Status RelationStatus `json:"status"`
	// ValidFrom and ValidTo bound the period the relation held or is planned for; nil is open.
	ValidFrom *Date `json:"validFrom,omitempty"`
	ValidTo   *Date `json:"validTo,omitempty"`
	// Quantity counts what the relation is about where a source gives a number
	// (for example "five more models").
	Quantity  *int      `json:"quantity,omitempty"`
	Note      string    `json:"note,omitempty"`
	SourceIDs []string  `json:"sources"`
	CreatedAt time.Time `json:"-"`
	UpdatedAt time.Time `json:"-"`
}

// IsNode marks relations as Relay nodes.
func (*Relation) IsNode() {}

// GetID returns the id.
func (r *Relation) GetID() string { return r.ID }

// Clone returns a deep copy.
func (r *Relation) Clone() *Relation {
	c := *r
	c.ValidFrom = cloneDate(r.ValidFrom)
	c.ValidTo = cloneDate(r.ValidTo)
	c.Quantity = clonePtr(r.Quantity)
	c.SourceIDs = slices.Clone(r.SourceIDs)
	return &c
}

// Other returns the endpoint of r that is not id (for a self-loop, id itself).
func (r *Relation) Other(id string) string {
	if r.FromID == id {
		return r.ToID
	}
	return r.FromID
}

// Span is the period the relation counts for in asOf queries: from the start of ValidFrom to
// the end of ValidTo, open where a bound is missing. A PLANNED relation counts from its target
// date: ValidFrom where given, otherwise the period ValidTo names ("by the end of 2023").
func (r *Relation) Span() Span {
	var s Span
	if r.ValidFrom != nil {
		s.Start = r.ValidFrom.Start()
	} else if r.Status == StatusPlanned && r.ValidTo != nil {
		s.Start = r.ValidTo.Start()
	}
	if r.ValidTo != nil {
		s.End = r.ValidTo.End()
	}
	return s
}

// OverlapsSpan is r.Span().Overlaps(o) without making the strings of r's span: a filter by
// date asks it of every relation it looks at.
func (r *Relation) OverlapsSpan(o Span) bool {
	var start, end dayKey
	hasStart, hasEnd := false, r.ValidTo != nil
	if r.ValidFrom != nil {
		start, hasStart = r.ValidFrom.startKey(), true
	} else if r.Status == StatusPlanned && r.ValidTo != nil {
		start, hasStart = r.ValidTo.startKey(), true
	}
	if hasEnd {
		end = r.ValidTo.endKey()
	}
	if hasStart && o.End != "" && string(start[:]) >= o.End {
		return false
	}
	if o.Start != "" && hasEnd && o.Start >= string(end[:]) {
		return false
	}
	return true
}

// HoldsAt reports whether r counts as of the period asOf names.
func (r *Relation) HoldsAt(asOf Date) bool { return r.Span().Overlaps(SpanOf(asOf)) }

// Hierarchical reports whether relations of type t form a hierarchy: an organization's parent
// companies, a place's enclosing places. Such relations may not loop back (a place inside
// itself, two companies each the other's subsidiary), whatever their periods.
func (t RelationType) Hierarchical() bool { return t == RelSubsidiaryOf || t == RelLocatedIn }

// CheckNotSelf refuses a relation from an entity to itself, of any type: no type means
// anything between an entity and itself (a place is not located in itself).
func CheckNotSelf(r *Relation) error {
	if r.FromID == r.ToID {
		return Errorf(CodeBadUserInput, "a %s relation cannot go from %q to itself", r.Type, r.FromID)
	}
	return nil
}

// CheckNoCycle is the cycle rule of hierarchical relation types. chain is what the store found
// when it looked for relations of r.Type leading from r.ToID back to r.FromID among the
// relations that stay when r is written (r's own earlier version excluded): the entity ids
// along the way, starting at r.ToID and ending at r.FromID, or nil when there is none. A chain
// means r would close a cycle, which is BAD_USER_INPUT.
func CheckNoCycle(r *Relation, chain []string) error {
	if !r.Type.Hierarchical() || len(chain) == 0 {
		return nil
	}
	return Errorf(CodeBadUserInput,
		"a %s relation from %q to %q would make a cycle: %s already leads from %q back to %q (%s); %s relations must form a hierarchy",
		r.Type, r.FromID, r.ToID, r.Type, r.ToID, r.FromID, strings.Join(chain, " → "), r.Type)
}

// FindChain looks for relations of type t leading from entity from to entity to, each
// followed from its FromID to its ToID: the shortest such chain as the entity ids along the
// way (from first, to last), or nil. up lists the relations of type t that start at an entity
// (the store's own index, or a dataset's). Relations are tried in id order, so the chain found
// is the same whatever order up gives them in.
func FindChain(t RelationType, from, to string, up func(id string) []*Relation) []string {
	if from == to {
		return []string{from}
	}
	prev := map[string]string{from: ""}
	queue := []string{from}
	for len(queue) > 0 {
		cur := queue[0]
		queue = queue[1:]
		next := slices.Clone(up(cur))
		slices.SortFunc(next, func(a, b *Relation) int { return strings.Compare(a.ID, b.ID) })
		for _, r := range next {
			if r.Type != t || r.FromID != cur {
				continue
			}
			if _, seen := prev[r.ToID]; seen {
				continue
			}
			prev[r.ToID] = cur
			if r.ToID == to {
				var chain []string
				for id := to; id != ""; id = prev[id] {
					chain = append(chain, id)
				}
				slices.Reverse(chain)
				return chain
			}
			queue = append(queue, r.ToID)
		}
	}
	return nil
}
