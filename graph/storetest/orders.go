package storetest

import (
	"fmt"
	"testing"

	"github.com/autograph-kg/autograph/graph/model"
)

// testOrders checks the orderings beyond NAME and ID (entities by founding date and
// timestamps; relations by type, validFrom and validTo, unknown dates last either way), each
// paged through two rows at a time with the cursors, so keyset paging holds for every order.
func testOrders(t *testing.T, s model.Store) {
	ctx := t.Context()
	four := model.EntityFilter{IDs: []string{"avtotor", "gaz-group", "kamaz", "autostat"}}
	entityCases := []struct {
		name string
		q    model.EntityQuery
		want []string
	}{
		{"founded", model.EntityQuery{Kind: model.KindOrganization, Filter: four, Order: model.Order{Field: model.SortByFounded}},
			[]string{"gaz-group", "avtotor", "autostat", "kamaz"}},
		{"founded descending", model.EntityQuery{Kind: model.KindOrganization, Filter: four, Order: model.Order{Field: model.SortByFounded, Desc: true}},
			[]string{"avtotor", "gaz-group", "kamaz", "autostat"}},
		{"founded, every kind", model.EntityQuery{Filter: model.EntityFilter{Where: &model.EntityWhere{Founded: &model.DateFilter{Exists: ptr(true)}}}, Order: model.Order{Field: model.SortByFounded}},
			[]string{"gaz-group", "avtotor", "baic"}},
		// One import stamps every entity alike, so the id breaks every tie.
		{"created", model.EntityQuery{Kind: model.KindOrganization, Order: model.Order{Field: model.SortByCreatedAt}}, orgsByID},
		{"updated descending", model.EntityQuery{Kind: model.KindOrganization, Order: model.Order{Field: model.SortByUpdatedAt, Desc: true}}, reversed(orgsByID)},
	}
	for _, c := range entityCases {
		t.Run(c.name, func(t *testing.T) {
			var got []string
			q := c.q
			q.First = 2
			for range 20 {
				p, err := s.Entities(ctx, q)
				noErr(t, "Entities", err)
				got = append(got, entityIDs(p.Items)...)
				if p.TotalCount != len(c.want) {
					t.Errorf("TotalCount = %d, want %d", p.TotalCount, len(c.want))
				}
				if !p.HasNextPage {
					break
				}
				q.After = q.Cursor(p.Items[len(p.Items)-1])
			}
			diff(t, "paged entities", c.want, got)
		})
	}

	assembles := model.RelationFilter{FromIDs: []string{"avtotor"}, Types: []model.RelationType{model.RelAssembles}}
	const (
		baic = "r-avtotor-assembles-baic"
		u5   = "r-avtotor-assembles-baic-u5-plus"
		x35  = "r-avtotor-assembles-baic-x35"
		x55  = "r-avtotor-assembles-baic-x55"
		kia  = "r-avtotor-assembles-kia"
		mb   = "r-avtotor-assembles-mercedes-benz"
	)
	relationCases := []struct {
		name  string
		order model.Order
		want  []string
	}{
		{"validFrom", model.Order{Field: model.SortByValidFrom}, []string{kia, mb, baic, x35, u5, x55}},
		{"validFrom descending", model.Order{Field: model.SortByValidFrom, Desc: true}, []string{u5, x35, baic, mb, kia, x55}},
		{"validTo", model.Order{Field: model.SortByValidTo}, []string{kia, mb, x55, baic, u5, x35}},
		{"validTo descending", model.Order{Field: model.SortByValidTo, Desc: true}, []string{x55, mb, kia, x35, u5, baic}},
		{"id descending", model.Order{Field: model.SortByID, Desc: true}, []string{mb, kia, x55, x35, u5, baic}},
	}
	for _, c := range relationCases {
		t.Run("relations by "+c.name, func(t *testing.T) {
			var got []string
			q := model.RelationQuery{Filter: assembles, Order: c.order, First: 2}
			for range 10 {
				p, err := s.Relations(ctx, q)
				noErr(t, "Relations", err)
				got = append(got, relationIDs(p.Items)...)
				if !p.HasNextPage {
					break
				}
				q.After = q.Cursor(p.Items[len(p.Items)-1])
			}
			diff(t, "paged relations", c.want, got)
		})
		t.Run("relations of by "+c.name, func(t *testing.T) {
			var got []string
			q := model.RelationsOfQuery{Direction: model.DirectionOut, Filter: model.RelationFilter{Types: assembles.Types}, Order: c.order, First: 2}
			for range 10 {
				pages, err := s.RelationsOf(ctx, []string{"avtotor"}, q)
				noErr(t, "RelationsOf", err)
				p := pages["avtotor"]
				got = append(got, relationIDs(p.Items)...)
				if !p.HasNextPage {
					break
				}
				q.After = q.Cursor(p.Items[len(p.Items)-1])
			}
			diff(t, "paged relations of", c.want, got)
		})
	}
	t.Run("relations by type", func(t *testing.T) {
		p, err := s.Relations(ctx, model.RelationQuery{Filter: model.RelationFilter{ToIDs: []string{"baic-group", "kaliningrad"}}, Order: model.Order{Field: model.SortByType, Desc: true}, First: 100})
		noErr(t, "Relations", err)
		diff(t, "relations", []string{
			"r-baic-motor-subsidiary-of-group", "r-avtotor-partners-baic-2", "r-avtotor-partners-baic-1",
			"r-avtotor-plant-in-kaliningrad", "r-avtotor-in-kaliningrad",
		}, relationIDs(p.Items))
	})
}

// testAggregates checks relation aggregates and count-only pages on both listings.
func testAggregates(t *testing.T, s model.Store) {
	ctx := t.Context()
	req := &model.AggregateRequest{CountBy: []model.AggregateField{model.AggregateByType, model.AggregateByStatus, model.AggregateByToKind, model.AggregateByFromKind}, Dates: true}
	want := &model.RelationAggregate{
		Count: 12,
		Groups: map[model.AggregateField][]model.AggregateGroup{
			model.AggregateByType: {
				{Value: "ASSEMBLES", Count: 6}, {Value: "LOCATED_IN", Count: 1}, {Value: "OPERATES", Count: 1},
				{Value: "PARTNERS_WITH", Count: 3}, {Value: "PARTY_TO", Count: 1},
			},
			model.AggregateByStatus:   {{Value: "ACTIVE", Count: 6}, {Value: "ENDED", Count: 4}, {Value: "PLANNED", Count: 2}},
			model.AggregateByFromKind: {{Value: "ORGANIZATION", Count: 12}},
			// baic, kia, mercedes-benz; the three BAIC models; kaliningrad; the plant; the two
			// partners (three relations); the agreement.
			model.AggregateByToKind: {
				{Value: "AGREEMENT", Count: 1}, {Value: "BRAND", Count: 3}, {Value: "ORGANIZATION", Count: 3},
				{Value: "PLACE", Count: 1}, {Value: "PLANT", Count: 1}, {Value: "VEHICLE_MODEL", Count: 3},
			},
		},
		ValidFrom: model.DateBounds{Min: date("1996"), Max: date("2024")},
		ValidTo:   model.DateBounds{Min: date("2014"), Max: date("2023")},
	}
	for _, countOnly := range []bool{false, true} {
		pages, err := s.RelationsOf(ctx, []string{"avtotor", "monaco"}, model.RelationsOfQuery{First: 2, Aggregate: req, CountOnly: countOnly})
		noErr(t, "RelationsOf", err)
		p := pages["avtotor"]
		diff(t, "aggregate of avtotor's relations", want, p.Aggregate)
		if p.TotalCount != 12 {
			t.Errorf("TotalCount = %d, want 12", p.TotalCount)
		}
		if countOnly && len(p.Items) != 0 {
			t.Errorf("count only: %d items, want none", len(p.Items))
		}
		if !countOnly && len(p.Items) != 2 {
			t.Errorf("%d items, want 2", len(p.Items))
		}
		empty := &model.RelationAggregate{Groups: map[model.AggregateField][]model.AggregateGroup{
			model.AggregateByType: {}, model.AggregateByStatus: {}, model.AggregateByFromKind: {}, model.AggregateByToKind: {},
		}}
		diff(t, "aggregate of monaco's relations", empty, pages["monaco"].Aggregate)
	}
	for _, countOnly := range []bool{false, true} {
		p, err := s.Relations(ctx, model.RelationQuery{
			Filter:    model.RelationFilter{Types: []model.RelationType{model.RelAssembles}, AsOf: date("2023")},
			Aggregate: &model.AggregateRequest{CountBy: []model.AggregateField{model.AggregateByStatus}}, CountOnly: countOnly,
		})
		noErr(t, "Relations", err)
		// In 2023: avtotor's baic, x35 and x55 (planned for 2023), the two Haval ones and Moskvich 3.
		diff(t, "aggregate of assembly in 2023", &model.RelationAggregate{Count: 6, Groups: map[model.AggregateField][]model.AggregateGroup{
			model.AggregateByStatus: {{Value: "ACTIVE", Count: 5}, {Value: "PLANNED", Count: 1}},
		}}, p.Aggregate)
		if p.TotalCount != 6 || (countOnly && len(p.Items) > 0) {
			t.Errorf("TotalCount = %d with %d items (count only %v), want 6", p.TotalCount, len(p.Items), countOnly)
		}
	}
	p, err := s.Relations(ctx, model.RelationQuery{Filter: model.RelationFilter{IDs: []string{"r-avtotor-assembles-baic"}}})
	noErr(t, "Relations", err)
	if p.Aggregate != nil {
		t.Errorf("Aggregate = %+v without a request, want nil", p.Aggregate)
	}
}

// testEntityAggregates checks entity aggregates and count-only pages: groups by value,
// entities without a value in no group, the founding-date bounds, the listing's filters
// (flat and composable) respected, and fields a kind does not have refused.
func testEntityAggregates(t *testing.T, s model.Store) {
	ctx := t.Context()
	type g = model.AggregateGroup
	all := []model.EntityAggregateField{model.EntityAggregateByKind, model.EntityAggregateByCountry, model.EntityAggregateByType, model.EntityAggregateByOwnership}
	for _, countOnly := range []bool{false, true} {
		p, err := s.Entities(ctx, model.EntityQuery{Kind: model.KindOrganization, First: 2, CountOnly: countOnly,
			Aggregate: &model.EntityAggregateRequest{CountBy: all, Founded: true}})
		noErr(t, "Entities", err)
		// Four organizations have no country and Škoda Auto no ownership: in no group.
		diff(t, "aggregate of organizations", &model.EntityAggregate{
			Count: 28,
			Groups: map[model.EntityAggregateField][]g{
				model.EntityAggregateByKind:    {{Value: "ORGANIZATION", Count: 28}},
				model.EntityAggregateByCountry: {{Value: "china", Count: 5}, {Value: "czechia", Count: 1}, {Value: "france", Count: 1}, {Value: "germany", Count: 2}, {Value: "russia", Count: 15}},
				model.EntityAggregateByType: {{Value: "ASSEMBLER", Count: 3}, {Value: "GOVERNMENT_BODY", Count: 1}, {Value: "GROUP", Count: 7},
					{Value: "JOINT_VENTURE", Count: 1}, {Value: "MANUFACTURER", Count: 13}, {Value: "PUBLISHER", Count: 3}},
				model.EntityAggregateByOwnership: {{Value: "JOINTLY_OWNED", Count: 1}, {Value: "PRIVATE", Count: 10}, {Value: "PUBLICLY_LISTED", Count: 11}, {Value: "STATE_OWNED", Count: 5}},
			},
			Founded: model.DateBounds{Min: date("1932-01"), Max: date("1994")},
		}, p.Aggregate)
		if p.TotalCount != 28 || (countOnly && len(p.Items) != 0) || (!countOnly && len(p.Items) != 2) {
			t.Errorf("TotalCount = %d with %d items (count only %v), want 28 with 2 or none", p.TotalCount, len(p.Items), countOnly)
		}
		// The composable filter: every organization not based in Russia.
		p, err = s.Entities(ctx, model.EntityQuery{Kind: model.KindOrganization, CountOnly: countOnly,
			Filter:    model.EntityFilter{Where: &model.EntityWhere{Not: &model.EntityWhere{Attrs: []model.AttrFilter{{Field: model.AttrCountry, Values: []string{"russia"}}}}}},
			Aggregate: &model.EntityAggregateRequest{CountBy: []model.EntityAggregateField{model.EntityAggregateByCountry}, Founded: true}})
		noErr(t, "Entities", err)
		diff(t, "aggregate of organizations outside Russia", &model.EntityAggregate{
			Count:  13,
			Groups: map[model.EntityAggregateField][]g{model.EntityAggregateByCountry: {{Value: "china", Count: 5}, {Value: "czechia", Count: 1}, {Value: "france", Count: 1}, {Value: "germany", Count: 2}}},
		}, p.Aggregate)
		p, err = s.Entities(ctx, model.EntityQuery{Kind: model.KindBrand, CountOnly: countOnly,
			Aggregate: &model.EntityAggregateRequest{CountBy: []model.EntityAggregateField{model.EntityAggregateBySegment}, Founded: true}})
		noErr(t, "Entities", err)
		diff(t, "aggregate of brands", &model.EntityAggregate{
			Count:   11,
			Groups:  map[model.EntityAggregateField][]g{model.EntityAggregateBySegment: {{Value: "COMMERCIAL", Count: 1}, {Value: "MIXED", Count: 2}, {Value: "PASSENGER", Count: 8}}},
			Founded: model.DateBounds{Min: date("2009-03-16"), Max: date("2009-03-16")},
		}, p.Aggregate)
		// Every kind, by ids: one of each of four kinds; no founding date among the ones that
		// have none.
		p, err = s.Entities(ctx, model.EntityQuery{CountOnly: countOnly, Filter: model.EntityFilter{IDs: []string{"avtotor-plant", "china", "kia", "gazelle-e"}},
			Aggregate: &model.EntityAggregateRequest{CountBy: []model.EntityAggregateField{model.EntityAggregateByKind}, Founded: true}})
		noErr(t, "Entities", err)
		diff(t, "aggregate of four kinds", &model.EntityAggregate{
			Count: 4,
			Groups: map[model.EntityAggregateField][]g{model.EntityAggregateByKind: {
				{Value: "BRAND", Count: 1}, {Value: "PLACE", Count: 1}, {Value: "PLANT", Count: 1}, {Value: "VEHICLE_MODEL", Count: 1}}},
		}, p.Aggregate)
	}
	p, err := s.Entities(ctx, model.EntityQuery{Kind: model.KindPlant})
	noErr(t, "Entities", err)
	if p.Aggregate != nil {
		t.Errorf("Aggregate = %+v without a request, want nil", p.Aggregate)
	}
	for _, c := range []struct {
		kind  model.EntityKind
		field model.EntityAggregateField
		says  string
	}{
		{model.KindBrand, model.EntityAggregateByOwnership, "Brand entities cannot be counted by OWNERSHIP"},
		{"", model.EntityAggregateByCountry, "entities of every kind cannot be counted by COUNTRY"},
		{model.KindPlant, "COLOUR", `entities cannot be counted by "COLOUR"`},
	} {
		_, err := s.Entities(ctx, model.EntityQuery{Kind: c.kind, Aggregate: &model.EntityAggregateRequest{CountBy: []model.EntityAggregateField{c.field}}})
		wantRefusal(t, fmt.Sprintf("%s entities counted by %s", c.kind, c.field), err, c.says)
	}
}

func ptr[T any](v T) *T { return &v }
