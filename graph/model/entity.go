package model

import (
	"slices"
	"time"
)

// Node is anything with a globally unique id: entities, sources and relations.
type Node interface {
	IsNode()
	GetID() string
}

// Entity is a thing in the graph: an organization, brand, vehicle model, plant, place or
// agreement. Its concrete type is one of the pointer types below.
type Entity interface {
	Node
	IsEntity()
	// Kind says which concrete type the entity is.
	Kind() EntityKind
	// Common gives the fields every entity has.
	Common() *EntityBase
	// Clone returns a deep copy, so a store never shares memory with its callers.
	Clone() Entity
}

// EntityBase holds the fields every entity has.
type EntityBase struct {
	// ID is a stable, readable slug such as "avtotor", unique across all kinds.
	ID          string   `json:"id"`
	Name        string   `json:"name"`
	Aliases     []string `json:"aliases,omitempty"`
	Description string   `json:"description,omitempty"`
	// SourceIDs name the sources that describe the entity itself.
	SourceIDs []string  `json:"sources"`
	CreatedAt time.Time `json:"-"`
	UpdatedAt time.Time `json:"-"`
}

// IsNode marks entities as Relay nodes.
func (*EntityBase) IsNode() {}

// IsEntity marks the Entity interface.
func (*EntityBase) IsEntity() {}

// GetID returns the id.
func (b *EntityBase) GetID() string { return b.ID }

// Common returns the base itself; concrete kinds inherit it by embedding.
func (b *EntityBase) Common() *EntityBase { return b }

func (b EntityBase) clone() EntityBase {
	b.Aliases = slices.Clone(b.Aliases)
	b.SourceIDs = slices.Clone(b.SourceIDs)
	return b
}

func cloneDate(d *Date) *Date {
	if d == nil {
		return nil
	}
	c := *d
	return &c
}

func clonePtr[T any](p *T) *T {
	if p == nil {
		return nil
	}
	c := *p
	return &c
}

// Organization is a company, group, joint venture, government body or publisher.
type Organization struct {
	EntityBase
	Type      OrganizationType `json:"type"`
	Ownership *Ownership       `json:"ownership,omitempty"`
	Founded   *Date            `json:"founded,omitempty"`
	// CountryID is the id of the Place (a country) the organization is based in.
	CountryID string `json:"countryId,omitempty"`
}

// Kind implements Entity.
func (*Organization) Kind() EntityKind { return KindOrganization }

// Clone implements Entity.
func (o *Organization) Clone() Entity {
	c := *o
	c.EntityBase = o.EntityBase.clone()
	c.Ownership = clonePtr(o.Ownership)
	c.Founded = cloneDate(o.Founded)
	return &c
}

// Brand is a marque under which vehicles are sold.
type Brand struct {
	EntityBase
	Segment *BrandSegment `json:"segment,omitempty"`
	Founded *Date         `json:"founded,omitempty"`
	// CountryID is the id of the Place (a country) the brand comes from.
	CountryID string `json:"countryId,omitempty"`
}

// Kind implements Entity.
func (*Brand) Kind() EntityKind { return KindBrand }

// Clone implements Entity.
func (b *Brand) Clone() Entity {
	c := *b
	c.EntityBase = b.EntityBase.clone()
	c.Segment = clonePtr(b.Segment)
	c.Founded = cloneDate(b.Founded)
	return &c
}

// VehicleModel is a model line of a brand.
type VehicleModel struct {
	EntityBase
	Powertrain *Powertrain `json:"powertrain,omitempty"`
}

// Kind implements Entity.
func (*VehicleModel) Kind() EntityKind { return KindVehicleModel }

// Clone implements Entity.
func (m *VehicleModel) Clone() Entity {
	c := *m
	c.EntityBase = m.EntityBase.clone()
	c.Powertrain = clonePtr(m.Powertrain)
	return &c
}

// Plant is a factory site.
type Plant struct {
	EntityBase
	Opened *Date `json:"opened,omitempty"`
}

// Kind implements Entity.
func (*Plant) Kind() EntityKind { return KindPlant }

// Clone implements Entity.
func (p *Plant) Clone() Entity {
	c := *p
	c.EntityBase = p.EntityBase.clone()
	c.Opened = cloneDate(p.Opened)
	return &c
}

// Place is a country, region or city.
type Place struct {
	EntityBase
	Type PlaceType `json:"type"`
	// CountryCode is the ISO 3166-1 alpha-2 code, for countries.
	CountryCode string `json:"countryCode,omitempty"`
}

// Kind implements Entity.
func (*Place) Kind() EntityKind { return KindPlace }

// Clone implements Entity.
func (p *Place) Clone() Entity {
	c := *p
	c.EntityBase = p.EntityBase.clone()
	return &c
}

// Agreement is a deal between parties; the parties are PARTY_TO relations.
type Agreement struct {
	EntityBase
	// SignedOn is when it was signed, where a source says so.
	SignedOn *Date `json:"signedOn,omitempty"`
	// AnnouncedOn is when it was first made public.
	AnnouncedOn *Date       `json:"announcedOn,omitempty"`
	Provisions  []Provision `json:"provisions,omitempty"`
}

// Provision is one thing an agreement provides for, with its due date where stated.
type Provision struct {
	Summary string `json:"summary"`
	Due     *Date  `json:"due,omitempty"`
}

// Kind implements Entity.
func (*Agreement) Kind() EntityKind { return KindAgreement }

// Clone implements Entity.
func (a *Agreement) Clone() Entity {
	c := *a
	c.EntityBase = a.EntityBase.clone()
	c.SignedOn = cloneDate(a.SignedOn)
	c.AnnouncedOn = cloneDate(a.AnnouncedOn)
	c.Provisions = make([]Provision, len(a.Provisions))
	for i, p := range a.Provisions {
		c.Provisions[i] = Provision{Summary: p.Summary, Due: cloneDate(p.Due)}
	}
	if a.Provisions == nil {
		c.Provisions = nil
	}
	return &c
}

// Source is a publication that states facts: every relation cites at least one.
type Source struct {
	ID    string `json:"id"`
	Title string `json:"title"`
	// PublisherID is the id of the publishing Organization, where it is in the graph.
	PublisherID string `json:"publisherId,omitempty"`
	PublishedOn Date   `json:"publishedOn"`
	// Dateline is the place the report was filed from.
	Dateline  string    `json:"dateline,omitempty"`
	URL       string    `json:"url,omitempty"`
	Language  string    `json:"language,omitempty"`
	CreatedAt time.Time `json:"-"`
	UpdatedAt time.Time `json:"-"`
}

// IsNode marks sources as Relay nodes.
func (*Source) IsNode() {}

// GetID returns the id.
func (s *Source) GetID() string { return s.ID }

// Clone returns a copy.
func (s *Source) Clone() *Source {
	c := *s
	return &c
}

// Attribute filters: each kind has a few categorical fields that list queries filter on. The
// field names are the stored property names in both stores, and the only ones accepted.
const (
	AttrOrganizationType = "type"
	AttrOwnership        = "ownership"
	AttrCountry          = "countryId"
	AttrSegment          = "segment"
	AttrPowertrain       = "powertrain"
	AttrPlaceType        = "type"
)

// AttrFields lists the filterable attribute fields of a listing of one kind, or of every kind
// when kind is empty (each kind's fields in schema order, so a name two kinds share comes
// twice), in a fresh slice; none for a kind without any (or an unknown one).
func AttrFields(kind EntityKind) []string {
	if kind != "" {
		return slices.Clone(attrFields[kind])
	}
	var all []string
	for _, k := range entityKinds {
		all = append(all, attrFields[k]...)
	}
	return all
}

// attrFields is the table behind AttrFields.
var attrFields = map[EntityKind][]string{
	KindOrganization: {AttrOrganizationType, AttrOwnership, AttrCountry},
	KindBrand:        {AttrSegment, AttrCountry},
	KindVehicleModel: {AttrPowertrain},
	KindPlace:        {AttrPlaceType},
}

// AttrValue reads a filterable attribute of e; "" when e does not have it or it is unset.
func AttrValue(e Entity, field string) string {
	switch v := e.(type) {
	case *Organization:
		switch field {
		case AttrOrganizationType:
			return string(v.Type)
		case AttrOwnership:
			if v.Ownership != nil {
				return string(*v.Ownership)
			}
		case AttrCountry:
			return v.CountryID
		}
	case *Brand:
		switch field {
		case AttrSegment:
			if v.Segment != nil {
				return string(*v.Segment)
			}
		case AttrCountry:
			return v.CountryID
		}
	case *VehicleModel:
		if field == AttrPowertrain && v.Powertrain != nil {
			return string(*v.Powertrain)
		}
	case *Place:
		if field == AttrPlaceType {
			return string(v.Type)
		}
	}
	return ""
}
