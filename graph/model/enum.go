package model

import (
	"io"
	"slices"
	"strconv"
)

// The enums below are GraphQL enums bound to Go string types. Each knows its valid values, so
// input is checked once, at the edge, with a message that lists what is allowed.

func marshalEnum(w io.Writer, s string) { _, _ = io.WriteString(w, strconv.Quote(s)) }

func unmarshalEnum[T ~string](v any, all []T, what string) (T, error) {
	s, ok := v.(string)
	if !ok || !slices.Contains(all, T(s)) {
		return "", Errorf(CodeBadUserInput, "%v is not a valid %s (allowed: %v)", v, what, all)
	}
	return T(s), nil
}

// EntityKind names the kinds of entity in the graph.
type EntityKind string

// The entity kinds.
const (
	KindOrganization EntityKind = "ORGANIZATION"
	KindBrand        EntityKind = "BRAND"
	KindVehicleModel EntityKind = "VEHICLE_MODEL"
	KindPlant        EntityKind = "PLANT"
	KindPlace        EntityKind = "PLACE"
	KindAgreement    EntityKind = "AGREEMENT"
)

// AllEntityKinds lists every kind in schema order, in a fresh slice the caller may change.
func AllEntityKinds() []EntityKind { return slices.Clone(entityKinds) }

// entityKinds is the table behind AllEntityKinds: this package reads it in place, callers get copies.
var entityKinds = []EntityKind{KindOrganization, KindBrand, KindVehicleModel, KindPlant, KindPlace, KindAgreement}

// IsValid reports whether k is a known kind.
func (k EntityKind) IsValid() bool { return slices.Contains(entityKinds, k) }

// Label is the type name of the kind in GraphQL and its node label in Neo4j.
func (k EntityKind) Label() string {
	switch k {
	case KindOrganization:
		return "Organization"
	case KindBrand:
		return "Brand"
	case KindVehicleModel:
		return "VehicleModel"
	case KindPlant:
		return "Plant"
	case KindPlace:
		return "Place"
	case KindAgreement:
		return "Agreement"
	}
	return ""
}

// MarshalGQL implements graphql.Marshaler.
func (k EntityKind) MarshalGQL(w io.Writer) { marshalEnum(w, string(k)) }

// UnmarshalGQL implements graphql.Unmarshaler.
func (k *EntityKind) UnmarshalGQL(v any) (err error) {
	*k, err = unmarshalEnum(v, entityKinds, "EntityKind")
	return err
}

// Direction says which way to follow relations from an entity.
type Direction string

// The directions; BOTH is every fact about an entity.
const (
	DirectionOut  Direction = "OUT"
	DirectionIn   Direction = "IN"
	DirectionBoth Direction = "BOTH"
)

// AllDirections lists the directions, in a fresh slice the caller may change.
func AllDirections() []Direction { return slices.Clone(directions) }

// directions is the table behind AllDirections: this package reads it in place, callers get copies.
var directions = []Direction{DirectionOut, DirectionIn, DirectionBoth}

// MarshalGQL implements graphql.Marshaler.
func (d Direction) MarshalGQL(w io.Writer) { marshalEnum(w, string(d)) }

// UnmarshalGQL implements graphql.Unmarshaler.
func (d *Direction) UnmarshalGQL(v any) (err error) {
	*d, err = unmarshalEnum(v, directions, "Direction")
	return err
}

// RelationStatus says whether a relation holds, held or is planned.
type RelationStatus string

// The relation statuses.
const (
	StatusActive  RelationStatus = "ACTIVE"
	StatusEnded   RelationStatus = "ENDED"
	StatusPlanned RelationStatus = "PLANNED"
)

// AllRelationStatuses lists the statuses, in a fresh slice the caller may change.
func AllRelationStatuses() []RelationStatus { return slices.Clone(relationStatuses) }

// relationStatuses is the table behind AllRelationStatuses: this package reads it in place, callers get copies.
var relationStatuses = []RelationStatus{StatusActive, StatusEnded, StatusPlanned}

// IsValid reports whether s is a known status.
func (s RelationStatus) IsValid() bool { return slices.Contains(relationStatuses, s) }

// MarshalGQL implements graphql.Marshaler.
func (s RelationStatus) MarshalGQL(w io.Writer) { marshalEnum(w, string(s)) }

// UnmarshalGQL implements graphql.Unmarshaler.
func (s *RelationStatus) UnmarshalGQL(v any) (err error) {
	*s, err = unmarshalEnum(v, relationStatuses, "RelationStatus")
	return err
}

// OrganizationType classifies organizations.
type OrganizationType string

// The organization types.
const (
	OrgGroup          OrganizationType = "GROUP"
	OrgManufacturer   OrganizationType = "MANUFACTURER"
	OrgAssembler      OrganizationType = "ASSEMBLER"
	OrgJointVenture   OrganizationType = "JOINT_VENTURE"
	OrgGovernmentBody OrganizationType = "GOVERNMENT_BODY"
	OrgPublisher      OrganizationType = "PUBLISHER"
	OrgOther          OrganizationType = "OTHER"
)

// AllOrganizationTypes lists the organization types, in a fresh slice the caller may change.
func AllOrganizationTypes() []OrganizationType { return slices.Clone(organizationTypes) }

// organizationTypes is the table behind AllOrganizationTypes: this package reads it in place, callers get copies.
var organizationTypes = []OrganizationType{OrgGroup, OrgManufacturer, OrgAssembler, OrgJointVenture, OrgGovernmentBody, OrgPublisher, OrgOther}

// MarshalGQL implements graphql.Marshaler.
func (t OrganizationType) MarshalGQL(w io.Writer) { marshalEnum(w, string(t)) }

// UnmarshalGQL implements graphql.Unmarshaler.
func (t *OrganizationType) UnmarshalGQL(v any) (err error) {
	*t, err = unmarshalEnum(v, organizationTypes, "OrganizationType")
	return err
}

// Ownership says who owns an organization.
type Ownership string

// The ownership forms.
const (
	OwnershipStateOwned Ownership = "STATE_OWNED"
	OwnershipPrivate    Ownership = "PRIVATE"
	OwnershipPublic     Ownership = "PUBLICLY_LISTED"
	OwnershipJoint      Ownership = "JOINTLY_OWNED"
)

// AllOwnerships lists the ownership forms, in a fresh slice the caller may change.
func AllOwnerships() []Ownership { return slices.Clone(ownerships) }

// ownerships is the table behind AllOwnerships: this package reads it in place, callers get copies.
var ownerships = []Ownership{OwnershipStateOwned, OwnershipPrivate, OwnershipPublic, OwnershipJoint}

// MarshalGQL implements graphql.Marshaler.
func (o Ownership) MarshalGQL(w io.Writer) { marshalEnum(w, string(o)) }

// UnmarshalGQL implements graphql.Unmarshaler.
func (o *Ownership) UnmarshalGQL(v any) (err error) {
	*o, err = unmarshalEnum(v, ownerships, "Ownership")
	return err
}

// BrandSegment is the market a brand serves.
type BrandSegment string

// The brand segments.
const (
	SegmentPassenger  BrandSegment = "PASSENGER"
	SegmentCommercial BrandSegment = "COMMERCIAL"
	SegmentMixed      BrandSegment = "MIXED"
)

// AllBrandSegments lists the segments, in a fresh slice the caller may change.
func AllBrandSegments() []BrandSegment { return slices.Clone(brandSegments) }

// brandSegments is the table behind AllBrandSegments: this package reads it in place, callers get copies.
var brandSegments = []BrandSegment{SegmentPassenger, SegmentCommercial, SegmentMixed}

// MarshalGQL implements graphql.Marshaler.
func (s BrandSegment) MarshalGQL(w io.Writer) { marshalEnum(w, string(s)) }

// UnmarshalGQL implements graphql.Unmarshaler.
func (s *BrandSegment) UnmarshalGQL(v any) (err error) {
	*s, err = unmarshalEnum(v, brandSegments, "BrandSegment")
	return err
}

// Powertrain is what moves a vehicle.
type Powertrain string

// The powertrains.
const (
	PowertrainICE  Powertrain = "ICE"
	PowertrainHEV  Powertrain = "HEV"
	PowertrainPHEV Powertrain = "PHEV"
	PowertrainBEV  Powertrain = "BEV"
	PowertrainFCEV Powertrain = "FCEV"
)

// AllPowertrains lists the powertrains, in a fresh slice the caller may change.
func AllPowertrains() []Powertrain { return slices.Clone(powertrains) }

// powertrains is the table behind AllPowertrains: this package reads it in place, callers get copies.
var powertrains = []Powertrain{PowertrainICE, PowertrainHEV, PowertrainPHEV, PowertrainBEV, PowertrainFCEV}

// MarshalGQL implements graphql.Marshaler.
func (p Powertrain) MarshalGQL(w io.Writer) { marshalEnum(w, string(p)) }

// UnmarshalGQL implements graphql.Unmarshaler.
func (p *Powertrain) UnmarshalGQL(v any) (err error) {
	*p, err = unmarshalEnum(v, powertrains, "Powertrain")
	return err
}

// PlaceType is the level of a place.
type PlaceType string

// The place types.
const (
	PlaceCountry PlaceType = "COUNTRY"
	PlaceRegion  PlaceType = "REGION"
	PlaceCity    PlaceType = "CITY"
)

// AllPlaceTypes lists the place types, in a fresh slice the caller may change.
func AllPlaceTypes() []PlaceType { return slices.Clone(placeTypes) }

// placeTypes is the table behind AllPlaceTypes: this package reads it in place, callers get copies.
var placeTypes = []PlaceType{PlaceCountry, PlaceRegion, PlaceCity}

// MarshalGQL implements graphql.Marshaler.
func (p PlaceType) MarshalGQL(w io.Writer) { marshalEnum(w, string(p)) }

// UnmarshalGQL implements graphql.Unmarshaler.
func (p *PlaceType) UnmarshalGQL(v any) (err error) {
	*p, err = unmarshalEnum(v, placeTypes, "PlaceType")
	return err
}
