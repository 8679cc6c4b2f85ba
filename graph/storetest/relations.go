package storetest

import (
	"fmt"
	"maps"
	"slices"
	"testing"

	"github.com/autograph-kg/autograph/graph/model"
)

// Hand-made lists of relation ids (relations are always ordered by id).
var (
	// assemblesRels are the ASSEMBLES relations.
	assemblesRels = []string{
		"r-avtotor-assembles-baic", "r-avtotor-assembles-baic-u5-plus", "r-avtotor-assembles-baic-x35",
		"r-avtotor-assembles-baic-x55", "r-avtotor-assembles-kia", "r-avtotor-assembles-mercedes-benz",
		"r-gaz-assembles-skoda", "r-gaz-assembles-volkswagen", "r-haval-plant-assembles-f7",
		"r-haval-plant-assembles-jolion", "r-moskvich-plant-assembles-3",
	}
	// avtotorRels are the relations touching avtotor, every one of them from it.
	avtotorRels = []string{
		"r-avtotor-assembles-baic", "r-avtotor-assembles-baic-u5-plus", "r-avtotor-assembles-baic-x35",
		"r-avtotor-assembles-baic-x55", "r-avtotor-assembles-kia", "r-avtotor-assembles-mercedes-benz",
		"r-avtotor-in-kaliningrad", "r-avtotor-operates-plant", "r-avtotor-partners-baic-1",
		"r-avtotor-partners-baic-2", "r-avtotor-partners-mercedes", "r-avtotor-party-to-agreement",
	}
)

// testRelations checks relation listings: every filter field, asOf edge cases, paging and
// cursor errors.
func testRelations(t *testing.T, s model.Store) {
	ctx := t.Context()
	types := func(ts ...model.RelationType) []model.RelationType { return ts }
	// avtotorAssembles narrows to avtotor's six ASSEMBLES relations, whose periods cover every
	// asOf edge case:
	//   baic         ACTIVE  from 2023-04 (month)
	//   baic-u5-plus PLANNED from 2024
	//   baic-x35     ACTIVE  from 2023-04-04 (day)
	//   baic-x55     PLANNED with only validTo 2023: counts for 2023 only
	//   kia          ENDED   2004 .. 2022 (years)
	//   mercedes-benz ENDED  2012-10 .. 2022-03 (months)
	avtotorAssembles := func(asOf string) model.RelationFilter {
		return model.RelationFilter{FromIDs: []string{"avtotor"}, Types: types(model.RelAssembles), AsOf: date(asOf)}
	}
	all := make([]string, 0, 67)
	for _, r := range Fixture().Relations {
		all = append(all, r.ID)
	}
	slices.Sort(all)

	t.Run("Filters", func(t *testing.T) {
		cases := []struct {
			name string
			f    model.RelationFilter
			want []string
		}{
			{"no filter", model.RelationFilter{}, all},
			{"type", model.RelationFilter{Types: types(model.RelAssembles)}, assemblesRels},
			{"types are ORed", model.RelationFilter{Types: types(model.RelJointVentureOf, model.RelPartyTo)},
				[]string{"r-avtotor-party-to-agreement", "r-baic-group-party-to-agreement", "r-ford-sollers-jv-of-ford", "r-ford-sollers-jv-of-sollers", "r-gaz-party-to-contract", "r-vw-party-to-contract"}},
			{"status planned", model.RelationFilter{Status: []model.RelationStatus{model.StatusPlanned}},
				[]string{"r-avtotor-assembles-baic-u5-plus", "r-avtotor-assembles-baic-x55", "r-gaz-has-gazelle-e"}},
			{"status ended", model.RelationFilter{Status: []model.RelationStatus{model.StatusEnded}},
				[]string{"r-avtotor-assembles-kia", "r-avtotor-assembles-mercedes-benz", "r-avtotor-partners-baic-1", "r-avtotor-partners-mercedes",
					"r-avtovaz-subsidiary-of-renault", "r-ford-sollers-jv-of-ford", "r-ford-sollers-jv-of-sollers", "r-gaz-assembles-skoda",
					"r-gaz-assembles-volkswagen", "r-gaz-party-to-contract", "r-renault-operates-plant", "r-vw-party-to-contract"}},
			{"type and status are ANDed", model.RelationFilter{Types: types(model.RelAssembles), Status: []model.RelationStatus{model.StatusEnded}},
				[]string{"r-avtotor-assembles-kia", "r-avtotor-assembles-mercedes-benz", "r-gaz-assembles-skoda", "r-gaz-assembles-volkswagen"}},
			{"from", model.RelationFilter{FromIDs: []string{"haval-plant"}},
				[]string{"r-haval-plant-assembles-f7", "r-haval-plant-assembles-jolion", "r-haval-plant-in-tula"}},
			{"to", model.RelationFilter{ToIDs: []string{"russia"}},
				[]string{"r-kaliningrad-oblast-in-russia", "r-moscow-in-russia", "r-tula-in-russia"}},
			{"from and to: the parallel pair", model.RelationFilter{FromIDs: []string{"avtotor"}, ToIDs: []string{"baic-group"}},
				[]string{"r-avtotor-partners-baic-1", "r-avtotor-partners-baic-2"}},
			{"from is not to", model.RelationFilter{FromIDs: []string{"baic-group"}, Types: types(model.RelPartnersWith)}, nil},
			{"several from with a type", model.RelationFilter{FromIDs: []string{"avtotor", "gaz-group", "no-such-entity"}, Types: types(model.RelPartyTo)},
				[]string{"r-avtotor-party-to-agreement", "r-gaz-party-to-contract"}},
			{"an entity without relations", model.RelationFilter{FromIDs: []string{"monaco"}}, nil},
			{"ids", model.RelationFilter{IDs: []string{"r-tula-in-russia", "no-such-relation", "r-chain-1-2", "avtotor"}},
				[]string{"r-chain-1-2", "r-tula-in-russia"}},
			{"ids and type", model.RelationFilter{IDs: []string{"r-tula-in-russia", "r-gwm-owns-haval"}, Types: types(model.RelOwnsBrand)},
				[]string{"r-gwm-owns-haval"}},
			{"source", model.RelationFilter{SourceIDs: []string{"press-release-2023"}},
				[]string{"r-avtotor-assembles-baic", "r-avtotor-assembles-baic-u5-plus", "r-avtotor-assembles-baic-x55", "r-avtotor-partners-baic-2"}},
			{"sources are ORed, ANDed with type", model.RelationFilter{SourceIDs: []string{"press-release-2023", "autostat-2023-01"}, Types: types(model.RelHasModel)},
				[]string{"r-gaz-has-gazelle-next"}},

			{"asOf at validTo's year: ended that year still counts", avtotorAssembles("2022"),
				[]string{"r-avtotor-assembles-kia", "r-avtotor-assembles-mercedes-benz"}},
			{"asOf the last day of a month-precision validTo", avtotorAssembles("2022-03-31"),
				[]string{"r-avtotor-assembles-kia", "r-avtotor-assembles-mercedes-benz"}},
			{"asOf the month after validTo", avtotorAssembles("2022-04"),
				[]string{"r-avtotor-assembles-kia"}},
			{"asOf the year after validTo; planned-by-2023 counts in 2023", avtotorAssembles("2023"),
				[]string{"r-avtotor-assembles-baic", "r-avtotor-assembles-baic-x35", "r-avtotor-assembles-baic-x55"}},
			{"asOf the first day of a month-precision validFrom", avtotorAssembles("2023-04-01"),
				[]string{"r-avtotor-assembles-baic", "r-avtotor-assembles-baic-x55"}},
			{"asOf a day inside a month-precision validFrom", avtotorAssembles("2023-04-15"),
				[]string{"r-avtotor-assembles-baic", "r-avtotor-assembles-baic-x35", "r-avtotor-assembles-baic-x55"}},
			{"asOf the day before a month-precision validFrom", avtotorAssembles("2023-03-31"),
				[]string{"r-avtotor-assembles-baic-x55"}},
			{"asOf a month containing a day-precision validFrom", avtotorAssembles("2023-04"),
				[]string{"r-avtotor-assembles-baic", "r-avtotor-assembles-baic-x35", "r-avtotor-assembles-baic-x55"}},
			{"asOf the day before a day-precision validFrom", avtotorAssembles("2023-04-03"),
				[]string{"r-avtotor-assembles-baic", "r-avtotor-assembles-baic-x55"}},
			{"asOf after a planned-with-validTo-only target: gone; planned-from counts", avtotorAssembles("2024"),
				[]string{"r-avtotor-assembles-baic", "r-avtotor-assembles-baic-u5-plus", "r-avtotor-assembles-baic-x35"}},
			{"asOf before everything: planned-with-validTo-only is not open-ended", avtotorAssembles("2003"), nil},
			{"asOf far ahead: open-ended relations", avtotorAssembles("2100-12-31"),
				[]string{"r-avtotor-assembles-baic", "r-avtotor-assembles-baic-u5-plus", "r-avtotor-assembles-baic-x35"}},
			{"asOf early: ended with only validTo is open at the start", model.RelationFilter{Types: types(model.RelSubsidiaryOf), AsOf: date("1990")},
				[]string{"r-avtovaz-subsidiary-of-renault", "r-baic-motor-subsidiary-of-group", "r-haval-rus-subsidiary-of-gwm"}},
			{"asOf the year of a validFrom", model.RelationFilter{Types: types(model.RelSubsidiaryOf), AsOf: date("1991")},
				[]string{"r-avtovaz-subsidiary-of-renault", "r-baic-motor-subsidiary-of-group", "r-haval-rus-subsidiary-of-gwm", "r-skoda-auto-subsidiary-of-vw"}},
			{"asOf with status", model.RelationFilter{Types: types(model.RelSubsidiaryOf), AsOf: date("2023"), Status: []model.RelationStatus{model.StatusActive}},
				[]string{"r-baic-motor-subsidiary-of-group", "r-haval-rus-subsidiary-of-gwm", "r-skoda-auto-subsidiary-of-vw"}},
		}
		for _, c := range cases {
			t.Run(c.name, func(t *testing.T) {
				got, err := s.Relations(ctx, model.RelationQuery{Filter: c.f, First: 1000})
				noErr(t, "Relations", err)
				diff(t, "page", pageWant{c.want, false, len(c.want)}, pageWant{relationIDs(got.Items), got.HasNextPage, got.TotalCount})
			})
		}
	})

	t.Run("Paging", func(t *testing.T) {
		cases := []struct {
			name  string
			q     model.RelationQuery
			sizes []int
			want  []string
		}{
			{"everything, default page size", model.RelationQuery{}, []int{20, 20, 20, 7}, all},
			{"one type", model.RelationQuery{Filter: model.RelationFilter{Types: types(model.RelAssembles)}, First: 4}, []int{4, 4, 3}, assemblesRels},
			{"one by one", model.RelationQuery{Filter: model.RelationFilter{ToIDs: []string{"russia"}}, First: 1}, []int{1, 1, 1},
				[]string{"r-kaliningrad-oblast-in-russia", "r-moscow-in-russia", "r-tula-in-russia"}},
		}
		for _, c := range cases {
			t.Run(c.name, func(t *testing.T) {
				q := c.q
				var got []string
				var sizes []int
				for page := 1; ; page++ {
					if page > 10 {
						t.Fatal("more than 10 pages: the cursor does not advance")
					}
					p, err := s.Relations(ctx, q)
					noErr(t, fmt.Sprintf("Relations page %d", page), err)
					if p.TotalCount != len(c.want) {
						t.Errorf("page %d: TotalCount = %d, want %d", page, p.TotalCount, len(c.want))
					}
					got = append(got, relationIDs(p.Items)...)
					sizes = append(sizes, len(p.Items))
					if !p.HasNextPage || len(p.Items) == 0 {
						break
					}
					q.After = q.Cursor(p.Items[len(p.Items)-1])
				}
				diff(t, "page sizes", c.sizes, sizes)
				diff(t, "concatenated pages", c.want, got)
			})
		}
		// A cursor names a position, so it works for an id that is not a relation.
		p, err := s.Relations(ctx, model.RelationQuery{First: 2, After: model.RelationQuery{}.CursorAt("r-t")})
		noErr(t, "Relations after r-t", err)
		diff(t, "page after position r-t", pageWant{[]string{"r-tula-in-russia", "r-vw-owns-volkswagen"}, true, 67},
			pageWant{relationIDs(p.Items), p.HasNextPage, p.TotalCount})
	})

	t.Run("BadInput", func(t *testing.T) {
		avtotor, err := s.Entity(ctx, "avtotor")
		noErr(t, "Entity(avtotor)", err)
		for name, after := range map[string]string{
			"garbage cursor":        "***",
			"entity cursor":         model.EntityQuery{Order: model.Order{Field: model.SortByID}}.Cursor(avtotor),
			"empty id":              model.RelationQuery{}.CursorAt(""),
			"an entity's relations": model.RelationsOfQuery{}.CursorAt("r-t"),
			"another filter":        model.RelationQuery{Filter: model.RelationFilter{Types: []model.RelationType{model.RelAssembles}}}.CursorAt("r-t"),
		} {
			t.Run(name, func(t *testing.T) {
				_, err := s.Relations(ctx, model.RelationQuery{After: after})
				wantCode(t, "Relations", err, model.CodeBadUserInput)
			})
		}
	})
}

// testRelationsOf checks the batch relation pages: directions, an entity without relations,
// unknown ids, and one cursor and filter applied to every entity's page.
func testRelationsOf(t *testing.T, s model.Store) {
	ctx := t.Context()
	ids := []string{"avtotor", "baic-group", "monaco", "no-such-entity"}
	p1 := &model.Relation{ID: "r-avtotor-partners-baic-1"}
	cases := []struct {
		name string
		q    model.RelationsOfQuery
		want map[string]pageWant
	}{
		{"out", model.RelationsOfQuery{Direction: model.DirectionOut, First: 100}, map[string]pageWant{
			"avtotor":        {avtotorRels, false, 12},
			"baic-group":     {[]string{"r-baic-group-party-to-agreement"}, false, 1},
			"monaco":         {nil, false, 0},
			"no-such-entity": {nil, false, 0},
		}},
		{"in", model.RelationsOfQuery{Direction: model.DirectionIn, First: 100}, map[string]pageWant{
			"avtotor":        {nil, false, 0},
			"baic-group":     {[]string{"r-avtotor-partners-baic-1", "r-avtotor-partners-baic-2", "r-baic-motor-subsidiary-of-group"}, false, 3},
			"monaco":         {nil, false, 0},
			"no-such-entity": {nil, false, 0},
		}},
		{"both", model.RelationsOfQuery{Direction: model.DirectionBoth, First: 100}, map[string]pageWant{
			"avtotor":        {avtotorRels, false, 12},
			"baic-group":     {[]string{"r-avtotor-partners-baic-1", "r-avtotor-partners-baic-2", "r-baic-group-party-to-agreement", "r-baic-motor-subsidiary-of-group"}, false, 4},
			"monaco":         {nil, false, 0},
			"no-such-entity": {nil, false, 0},
		}},
		{"empty direction is both", model.RelationsOfQuery{First: 100}, map[string]pageWant{
			"avtotor":        {avtotorRels, false, 12},
			"baic-group":     {[]string{"r-avtotor-partners-baic-1", "r-avtotor-partners-baic-2", "r-baic-group-party-to-agreement", "r-baic-motor-subsidiary-of-group"}, false, 4},
			"monaco":         {nil, false, 0},
			"no-such-entity": {nil, false, 0},
		}},
		{"first page of each", model.RelationsOfQuery{First: 2}, map[string]pageWant{
			"avtotor":        {avtotorRels[:2], true, 12},
			"baic-group":     {[]string{"r-avtotor-partners-baic-1", "r-avtotor-partners-baic-2"}, true, 4},
			"monaco":         {nil, false, 0},
			"no-such-entity": {nil, false, 0},
		}},
		{"one cursor for every page", model.RelationsOfQuery{First: 2, After: model.RelationsOfQuery{}.Cursor(p1)}, map[string]pageWant{
			"avtotor":        {[]string{"r-avtotor-partners-baic-2", "r-avtotor-partners-mercedes"}, true, 12},
			"baic-group":     {[]string{"r-avtotor-partners-baic-2", "r-baic-group-party-to-agreement"}, true, 4},
			"monaco":         {nil, false, 0},
			"no-such-entity": {nil, false, 0},
		}},
		{"filtered", model.RelationsOfQuery{Direction: model.DirectionOut, Filter: model.RelationFilter{Types: []model.RelationType{model.RelPartnersWith, model.RelPartyTo}}}, map[string]pageWant{
			"avtotor":        {[]string{"r-avtotor-partners-baic-1", "r-avtotor-partners-baic-2", "r-avtotor-partners-mercedes", "r-avtotor-party-to-agreement"}, false, 4},
			"baic-group":     {[]string{"r-baic-group-party-to-agreement"}, false, 1},
			"monaco":         {nil, false, 0},
			"no-such-entity": {nil, false, 0},
		}},
		{"as of 2023", model.RelationsOfQuery{Filter: model.RelationFilter{AsOf: date("2023")}}, map[string]pageWant{
			"avtotor": {[]string{"r-avtotor-assembles-baic", "r-avtotor-assembles-baic-x35", "r-avtotor-assembles-baic-x55", "r-avtotor-in-kaliningrad",
				"r-avtotor-operates-plant", "r-avtotor-partners-baic-2", "r-avtotor-party-to-agreement"}, false, 7},
			"baic-group":     {[]string{"r-avtotor-partners-baic-2", "r-baic-group-party-to-agreement", "r-baic-motor-subsidiary-of-group"}, false, 3},
			"monaco":         {nil, false, 0},
			"no-such-entity": {nil, false, 0},
		}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got, err := s.RelationsOf(ctx, ids, c.q)
			noErr(t, "RelationsOf", err)
			diff(t, "keys", ids, slices.Sorted(maps.Keys(got)))
			for _, id := range ids {
				p := got[id]
				if p == nil {
					t.Errorf("RelationsOf()[%q] = nil, want a page (empty for unknown ids)", id)
					continue
				}
				diff(t, "page of "+id, c.want[id], pageWant{relationIDs(p.Items), p.HasNextPage, p.TotalCount})
			}
		})
	}

	// RelationsOfWithEnds (the store's own EndsReader, or RelationsOf then EntitiesByID)
	// gives RelationsOf's pages and exactly the entities at the other ends of their
	// relations, under every query above.
	for _, c := range cases {
		t.Run("WithEnds/"+c.name, func(t *testing.T) {
			pages, ends, err := model.RelationsOfWithEnds(ctx, s, ids, c.q)
			noErr(t, "RelationsOfWithEnds", err)
			want, err := s.RelationsOf(ctx, ids, c.q)
			noErr(t, "RelationsOf", err)
			diff(t, "pages", want, pages)
			var other []string
			for _, id := range ids {
				for _, r := range want[id].Items {
					other = append(other, r.Other(id))
				}
			}
			wantEnds := map[string]model.Entity{}
			if len(other) > 0 {
				wantEnds, err = s.EntitiesByID(ctx, other)
				noErr(t, "EntitiesByID", err)
			}
			if len(wantEnds) != len(slices.Compact(slices.Sorted(slices.Values(other)))) {
				t.Fatalf("the fixture's relations end at %d entities, EntitiesByID found %d", len(other), len(wantEnds))
			}
			diff(t, "ends", wantEnds, ends)
		})
	}

	t.Run("Paging", func(t *testing.T) {
		q := model.RelationsOfQuery{Direction: model.DirectionOut, First: 5}
		var all []string
		var sizes []int
		for page := 1; ; page++ {
			if page > 5 {
				t.Fatal("more than 5 pages: the cursor does not advance")
			}
			got, err := s.RelationsOf(ctx, []string{"avtotor"}, q)
			noErr(t, fmt.Sprintf("RelationsOf page %d", page), err)
			p := got["avtotor"]
			if p.TotalCount != 12 {
				t.Errorf("page %d: TotalCount = %d, want 12", page, p.TotalCount)
			}
			all = append(all, relationIDs(p.Items)...)
			sizes = append(sizes, len(p.Items))
			if !p.HasNextPage || len(p.Items) == 0 {
				break
			}
			q.After = q.Cursor(p.Items[len(p.Items)-1])
		}
		diff(t, "page sizes", []int{5, 5, 2}, sizes)
		diff(t, "concatenated pages", avtotorRels, all)
	})

	t.Run("BadInput", func(t *testing.T) {
		_, err := s.RelationsOf(ctx, ids, model.RelationsOfQuery{After: "not a cursor"})
		wantCode(t, "RelationsOf with a garbage cursor", err, model.CodeBadUserInput)
		avtotor, err := s.Entity(ctx, "avtotor")
		noErr(t, "Entity(avtotor)", err)
		_, err = s.RelationsOf(ctx, ids, model.RelationsOfQuery{After: model.EntityQuery{}.Cursor(avtotor)})
		wantCode(t, "RelationsOf with an entity cursor", err, model.CodeBadUserInput)
		_, err = s.RelationsOf(ctx, ids, model.RelationsOfQuery{After: model.RelationQuery{}.CursorAt("r-t")})
		wantCode(t, "RelationsOf with a cursor of the relations listing", err, model.CodeBadUserInput)
		_, err = s.RelationsOf(ctx, ids, model.RelationsOfQuery{Direction: model.DirectionOut, After: model.RelationsOfQuery{}.CursorAt("r-t")})
		wantCode(t, "RelationsOf with a cursor of another direction", err, model.CodeBadUserInput)
	})
}
