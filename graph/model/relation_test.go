package model

import "testing"

func TestOtherEndKindFollowsTheRuleBook(t *testing.T) {
	for _, c := range []struct {
		t    RelationType
		dir  Direction
		want EntityKind
		ok   bool
	}{
		{RelOwnsBrand, DirectionOut, KindBrand, true},
		{RelOwnsBrand, DirectionIn, KindOrganization, true},
		{RelHasModel, DirectionOut, KindVehicleModel, true},
		{RelHasModel, DirectionIn, KindBrand, true},
		{RelOperates, DirectionOut, KindPlant, true},
		{RelPartyTo, DirectionOut, KindAgreement, true},
		{RelLocatedIn, DirectionOut, KindPlace, true},
		{RelLocatedIn, DirectionIn, "", false},  // organizations, plants and places
		{RelAssembles, DirectionOut, "", false}, // brands and models
		{RelOwnsBrand, DirectionBoth, "", false},
		{"NO_SUCH_TYPE", DirectionOut, "", false},
	} {
		got, ok := OtherEndKind(c.t, c.dir)
		if got != c.want || ok != c.ok {
			t.Errorf("OtherEndKind(%s, %s) = %q, %v; want %q, %v", c.t, c.dir, got, ok, c.want, c.ok)
		}
		if !ok {
			continue
		}
		// Every kind the rule book allows at the other end is the one given.
		for _, k := range []EntityKind{KindOrganization, KindBrand, KindVehicleModel, KindPlant, KindPlace, KindAgreement} {
			for _, self := range []EntityKind{KindOrganization, KindBrand, KindVehicleModel, KindPlant, KindPlace, KindAgreement} {
				from, to := self, k
				if c.dir == DirectionIn {
					from, to = k, self
				}
				if CheckEndpoints(c.t, from, to) == nil && k != got {
					t.Errorf("%s %s: the rule book allows %s at the other end, OtherEndKind says %s", c.t, c.dir, k, got)
				}
			}
		}
	}
}
