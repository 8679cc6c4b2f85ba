package model

import (
	"slices"
	"testing"
)

// copies checks that get hands out a fresh copy each time: a caller that changes one cannot
// change what the package, or any other caller, sees.
func copies[T ~string](t *testing.T, name string, get func() []T) {
	t.Helper()
	first := get()
	if len(first) == 0 {
		t.Fatalf("%s is empty", name)
	}
	want := slices.Clone(first)
	first[0] = "CHANGED"
	if got := get(); !slices.Equal(got, want) {
		t.Errorf("%s after a caller changed its copy = %v, want %v", name, got, want)
	}
}

func TestTablesAreCopies(t *testing.T) {
	copies(t, "AllEntityKinds", AllEntityKinds)
	copies(t, "AllDirections", AllDirections)
	copies(t, "AllRelationStatuses", AllRelationStatuses)
	copies(t, "AllOrganizationTypes", AllOrganizationTypes)
	copies(t, "AllOwnerships", AllOwnerships)
	copies(t, "AllBrandSegments", AllBrandSegments)
	copies(t, "AllPowertrains", AllPowertrains)
	copies(t, "AllPlaceTypes", AllPlaceTypes)
	copies(t, "AllRelationTypes", AllRelationTypes)
	copies(t, "AllTimelineKinds", AllTimelineKinds)
	copies(t, "AttrFields(BRAND)", func() []string { return AttrFields(KindBrand) })
	copies(t, "AttrFields()", func() []string { return AttrFields("") })

	// The lists handed out change nothing the package checks against.
	kinds := AllEntityKinds()
	kinds[0] = "NOT_A_KIND"
	if !KindOrganization.IsValid() || EntityKind("NOT_A_KIND").IsValid() {
		t.Error("changing a copy of AllEntityKinds changed IsValid")
	}
	from, to, ok := Endpoints(RelOwnsBrand)
	if !ok || !slices.Equal(from, []EntityKind{KindOrganization}) || !slices.Equal(to, []EntityKind{KindBrand}) {
		t.Fatalf("Endpoints(OWNS_BRAND) = %v, %v, %v", from, to, ok)
	}
	from[0], to[0] = KindBrand, KindPlace
	if err := CheckEndpoints(RelOwnsBrand, KindOrganization, KindBrand); err != nil {
		t.Errorf("changing a copy of Endpoints changed CheckEndpoints: %v", err)
	}
	if _, _, ok := Endpoints("KNOWS"); ok {
		t.Error(`Endpoints("KNOWS") is known`)
	}
}

func TestAttrFields(t *testing.T) {
	for _, c := range []struct {
		kind EntityKind
		want []string
	}{
		{KindOrganization, []string{AttrOrganizationType, AttrOwnership, AttrCountry}},
		{KindBrand, []string{AttrSegment, AttrCountry}},
		{KindAgreement, nil},
		{"NOT_A_KIND", nil},
		{"", []string{AttrOrganizationType, AttrOwnership, AttrCountry, AttrSegment, AttrCountry, AttrPowertrain, AttrPlaceType}},
	} {
		if got := AttrFields(c.kind); !slices.Equal(got, c.want) {
			t.Errorf("AttrFields(%q) = %v, want %v", c.kind, got, c.want)
		}
	}
}
