package storetest

import (
	"strings"
	"testing"

	"github.com/autograph-kg/autograph/graph/model"
)

// testFilters checks the composable filters (model.EntityWhere, model.RelationWhere): boolean
// combinations, text, date and number operators with their unknown-value rules, relations
// filters with every quantifier and nesting, sources, and the refusals. Every expected list is
// worked out by hand from the fixture.
func testFilters(t *testing.T, s model.Store) {
	ctx := t.Context()
	str := func(v string) *string { return &v }
	num := func(v int) *int { return &v }
	yes, no := true, false
	org, brand, place := model.KindOrganization, model.KindBrand, model.KindPlace
	types := func(ts ...model.RelationType) []model.RelationType { return ts }
	groups := []model.AttrFilter{{Field: model.AttrOrganizationType, Values: []string{"GROUP"}}}

	t.Run("Entities", func(t *testing.T) {
		cases := []struct {
			name  string
			kind  model.EntityKind
			where *model.EntityWhere
			want  []string // in NAME order
			total int      // when want is left out, the count alone
		}{
			{name: "OR of a name and an id", kind: org, where: &model.EntityWhere{Or: []*model.EntityWhere{
				{Name: &model.TextFilter{Eq: str("AVTOTOR")}}, {IDs: []string{"kamaz"}},
			}}, want: []string{"avtotor", "avtotor-holding", "kamaz"}},
			{name: "OR of nothing holds for nothing", kind: org, where: &model.EntityWhere{Or: []*model.EntityWhere{}}, want: nil},
			{name: "empty lists do not filter, at any depth", kind: org, where: &model.EntityWhere{IDs: []string{}, Kind: []model.EntityKind{}, Name: &model.TextFilter{In: []string{}},
				Relations: &model.RelatedWhere{Types: []model.RelationType{}, Some: &model.RelationWhere{IDs: []string{}, Types: types(model.RelOperates), Sources: []string{},
					Cites: &model.CitesWhere{Some: &model.SourceMatch{IDs: []string{}, Publisher: []string{}}}}}},
				want: []string{"avtotor", "gaz-group", "haval-motor-rus", "moskvich", "renault-group"}},
			{name: "NOT keeps unknown values", kind: org, where: &model.EntityWhere{Attrs: groups, Not: &model.EntityWhere{
				Attrs: []model.AttrFilter{{Field: model.AttrCountry, Values: []string{"germany", "france"}}},
			}}, want: []string{"avtotor-holding", "baic-group", "stellantis", "geely"}},
			{name: "AND", kind: org, where: &model.EntityWhere{And: []*model.EntityWhere{
				{Attrs: groups}, {Name: &model.TextFilter{Contains: str("group")}},
			}}, want: []string{"baic-group", "mercedes-benz-group", "renault-group", "volkswagen-group", "geely"}},
			{name: "startsWith", kind: org, where: &model.EntityWhere{Name: &model.TextFilter{StartsWith: str("Ha")}}, want: []string{"haval-motor-rus"}},
			{name: "contains", kind: org, where: &model.EntityWhere{Name: &model.TextFilter{Contains: str("MOTOR")}},
				want: []string{"baic-motor", "ford-motor", "great-wall-motor", "haval-motor-rus", "hyundai-motor"}},
			{name: "contains ignores accents", kind: org, where: &model.EntityWhere{Name: &model.TextFilter{Contains: str("SKODA")}}, want: []string{"skoda-auto"}},
			{name: "in matches aliases", kind: org, where: &model.EntityWhere{Name: &model.TextFilter{In: []string{"Daimler", "kamaz"}}}, want: []string{"kamaz", "mercedes-benz-group"}},
			{name: "kind", where: &model.EntityWhere{Kind: []model.EntityKind{brand}, Name: &model.TextFilter{StartsWith: str("m")}}, want: []string{"mercedes-benz", "moskvich-brand"}},
			{name: "founded before a day", where: &model.EntityWhere{Founded: &model.DateFilter{Before: date("1994-01-01")}}, want: []string{"gaz-group"}},
			{name: "founded before the year after", where: &model.EntityWhere{Founded: &model.DateFilter{Before: date("1995")}}, want: []string{"avtotor", "gaz-group"}},
			{name: "founded after a year", where: &model.EntityWhere{Founded: &model.DateFilter{After: date("1993")}}, want: []string{"avtotor", "baic"}},
			{name: "founded overlaps a month", where: &model.EntityWhere{Founded: &model.DateFilter{Overlaps: date("1994-06")}}, want: []string{"avtotor"}},
			{name: "a day inside the month does not start after it", kind: brand, where: &model.EntityWhere{Founded: &model.DateFilter{After: date("2009-03")}}, want: nil},
			{name: "founded overlaps", kind: brand, where: &model.EntityWhere{Founded: &model.DateFilter{Overlaps: date("2009-03")}}, want: []string{"baic"}},
			{name: "founded unknown", kind: org, where: &model.EntityWhere{Founded: &model.DateFilter{Exists: &no}}, total: 26},
			{name: "founded known", kind: org, where: &model.EntityWhere{Founded: &model.DateFilter{Exists: &yes}}, want: []string{"avtotor", "gaz-group"}},
			{name: "NOT of a date keeps unknown dates", kind: org, where: &model.EntityWhere{Not: &model.EntityWhere{Founded: &model.DateFilter{After: date("1900")}}}, total: 26},

			{name: "relations in scope", kind: org, where: &model.EntityWhere{Relations: &model.RelatedWhere{
				Direction: model.DirectionOut, Types: types(model.RelAssembles), AsOf: date("2023"),
			}}, want: []string{"avtotor"}},
			{name: "relations in scope, another year", kind: org, where: &model.EntityWhere{Relations: &model.RelatedWhere{
				Direction: model.DirectionOut, Types: types(model.RelAssembles), AsOf: date("2020"),
			}}, want: []string{"avtotor", "gaz-group"}},
			{name: "some, two hops", kind: org, where: &model.EntityWhere{Relations: &model.RelatedWhere{
				Direction: model.DirectionOut, Types: types(model.RelAssembles), AsOf: date("2023"),
				Some: &model.RelationWhere{Other: &model.EntityWhere{Relations: &model.RelatedWhere{
					Direction: model.DirectionIn, Types: types(model.RelOwnsBrand),
					Some: &model.RelationWhere{Other: &model.EntityWhere{IDs: []string{"baic-motor"}}},
				}}},
			}}, want: []string{"avtotor"}},
			{name: "some, two hops, another owner", kind: org, where: &model.EntityWhere{Relations: &model.RelatedWhere{
				Direction: model.DirectionOut, Types: types(model.RelAssembles),
				Some: &model.RelationWhere{Other: &model.EntityWhere{Relations: &model.RelatedWhere{
					Direction: model.DirectionIn, Types: types(model.RelOwnsBrand),
					Some: &model.RelationWhere{Other: &model.EntityWhere{Name: &model.TextFilter{Eq: str("VW Group")}}},
				}}},
			}}, want: []string{"gaz-group"}},
			{name: "three hops", kind: brand, where: &model.EntityWhere{Relations: &model.RelatedWhere{
				Direction: model.DirectionIn, Types: types(model.RelOwnsBrand),
				Some: &model.RelationWhere{Other: &model.EntityWhere{Relations: &model.RelatedWhere{
					Direction: model.DirectionOut, Types: types(model.RelSubsidiaryOf),
					Some: &model.RelationWhere{Other: &model.EntityWhere{Relations: &model.RelatedWhere{
						Direction: model.DirectionOut, Types: types(model.RelPartyTo),
					}}},
				}}},
			}}, want: []string{"baic", "skoda"}},
			{name: "some and none", kind: org, where: &model.EntityWhere{Relations: &model.RelatedWhere{
				Direction: model.DirectionOut, Types: types(model.RelAssembles),
				Some: &model.RelationWhere{}, None: &model.RelationWhere{Status: []model.RelationStatus{model.StatusEnded}},
			}}, want: nil},
			{name: "none alone holds without relations", kind: org, where: &model.EntityWhere{Relations: &model.RelatedWhere{
				Direction: model.DirectionOut, Types: types(model.RelAssembles),
				None: &model.RelationWhere{Status: []model.RelationStatus{model.StatusEnded}},
			}}, total: 26},
			{name: "all holds without relations", kind: org, where: &model.EntityWhere{Relations: &model.RelatedWhere{
				Direction: model.DirectionOut, Types: types(model.RelAssembles),
				All: &model.RelationWhere{Status: []model.RelationStatus{model.StatusEnded}},
			}}, total: 27},
			{name: "all and a count", kind: org, where: &model.EntityWhere{Relations: &model.RelatedWhere{
				Direction: model.DirectionOut, Types: types(model.RelAssembles),
				All: &model.RelationWhere{Status: []model.RelationStatus{model.StatusEnded}}, Count: &model.IntFilter{Gte: num(1)},
			}}, want: []string{"gaz-group"}},
			{name: "count", kind: brand, where: &model.EntityWhere{Relations: &model.RelatedWhere{
				Direction: model.DirectionIn, Types: types(model.RelAssembles), Count: &model.IntFilter{Gt: num(0)},
			}}, want: []string{"baic", "kia", "mercedes-benz", "skoda", "volkswagen"}},
			{name: "others", kind: place, where: &model.EntityWhere{Relations: &model.RelatedWhere{
				Direction: model.DirectionIn, Types: types(model.RelLocatedIn), Others: &model.IntFilter{Gte: num(2)},
			}}, want: []string{"chain-2", "chain-4", "kaliningrad", "russia"}},
			{name: "count counts parallel relations", kind: org, where: &model.EntityWhere{Relations: &model.RelatedWhere{
				Types: types(model.RelPartnersWith), Count: &model.IntFilter{Eq: num(3)},
			}}, want: []string{"avtotor"}},
			{name: "others counts entities once", kind: org, where: &model.EntityWhere{Relations: &model.RelatedWhere{
				Types: types(model.RelPartnersWith), Others: &model.IntFilter{Gte: num(3)},
			}}, want: nil},
			{name: "others, both directions", kind: org, where: &model.EntityWhere{Relations: &model.RelatedWhere{
				Types: types(model.RelPartnersWith), Others: &model.IntFilter{Eq: num(1)},
			}}, want: []string{"baic-group", "mercedes-benz-group"}},
			{name: "relation properties and sources", kind: org, where: &model.EntityWhere{Relations: &model.RelatedWhere{
				Direction: model.DirectionOut, Status: []model.RelationStatus{model.StatusEnded},
				Some: &model.RelationWhere{Period: &model.DateFilter{Before: date("2020")}, Cites: &model.CitesWhere{Some: &model.SourceMatch{PublishedOn: &model.DateFilter{Before: date("2020")}}}},
			}}, want: []string{"avtotor", "sollers-ford"}},
		}
		for _, c := range cases {
			t.Run(c.name, func(t *testing.T) {
				p, err := s.Entities(ctx, model.EntityQuery{Kind: c.kind, Filter: model.EntityFilter{Where: c.where}, First: 200})
				noErr(t, "Entities", err)
				if c.want != nil || c.total == 0 {
					diff(t, "entities", c.want, entityIDs(p.Items))
					if p.TotalCount != len(c.want) {
						t.Errorf("TotalCount = %d, want %d", p.TotalCount, len(c.want))
					}
					return
				}
				if p.TotalCount != c.total || len(p.Items) != c.total {
					t.Errorf("TotalCount = %d with %d items, want %d", p.TotalCount, len(p.Items), c.total)
				}
			})
		}
	})

	t.Run("Relations", func(t *testing.T) {
		kinds := func(ks ...model.EntityKind) *model.EntityWhere { return &model.EntityWhere{Kind: ks} }
		cases := []struct {
			name  string
			where *model.RelationWhere
			want  []string
		}{
			{"validFrom after a month", &model.RelationWhere{ValidFrom: &model.DateFilter{After: date("2023-03")}}, []string{
				"r-avtotor-assembles-baic", "r-avtotor-assembles-baic-u5-plus", "r-avtotor-assembles-baic-x35",
				"r-avtotor-party-to-agreement", "r-baic-group-party-to-agreement", "r-gaz-has-gazelle-e",
			}},
			{"quantity", &model.RelationWhere{Quantity: &model.IntFilter{Gte: num(1)}}, []string{"r-avtotor-assembles-baic-x55"}},
			{"quantity below", &model.RelationWhere{Quantity: &model.IntFilter{Lt: num(5)}}, nil},
			{"validTo unknown", &model.RelationWhere{From: []string{"avtotor"}, Types: types(model.RelAssembles), ValidTo: &model.DateFilter{Exists: &no}}, []string{
				"r-avtotor-assembles-baic", "r-avtotor-assembles-baic-u5-plus", "r-avtotor-assembles-baic-x35",
			}},
			{"NOT of a date keeps unknown dates", &model.RelationWhere{Types: types(model.RelAssembles), Not: &model.RelationWhere{ValidFrom: &model.DateFilter{After: date("2000")}}},
				[]string{"r-avtotor-assembles-baic-x55"}},
			{"period before", &model.RelationWhere{Period: &model.DateFilter{Before: date("2022-06")}}, []string{
				"r-avtotor-assembles-mercedes-benz", "r-avtotor-partners-baic-1", "r-avtotor-partners-mercedes",
				"r-avtovaz-subsidiary-of-renault", "r-ford-sollers-jv-of-ford", "r-ford-sollers-jv-of-sollers", "r-renault-operates-plant",
			}},
			{"period after", &model.RelationWhere{Period: &model.DateFilter{After: date("2023")}}, []string{"r-avtotor-assembles-baic-u5-plus", "r-gaz-has-gazelle-e"}},
			{"cites some", &model.RelationWhere{Cites: &model.CitesWhere{Some: &model.SourceMatch{Publisher: []string{"interfax"}, PublishedOn: &model.DateFilter{After: date("2023-03")}}}}, []string{
				"r-avtotor-assembles-baic", "r-avtotor-assembles-baic-x35", "r-avtotor-in-kaliningrad",
				"r-avtotor-operates-plant", "r-avtotor-party-to-agreement", "r-baic-group-party-to-agreement",
			}},
			{"cites all", &model.RelationWhere{Types: types(model.RelAssembles), Cites: &model.CitesWhere{All: &model.SourceMatch{PublishedOn: &model.DateFilter{Before: date("2023")}}}}, []string{
				"r-avtotor-assembles-kia", "r-avtotor-assembles-mercedes-benz", "r-gaz-assembles-skoda", "r-gaz-assembles-volkswagen",
			}},
			{"cites none", &model.RelationWhere{From: []string{"avtotor"}, Cites: &model.CitesWhere{None: &model.SourceMatch{IDs: []string{"press-release-2023", "interfax-2023-04-04"}}}}, []string{
				"r-avtotor-assembles-kia", "r-avtotor-assembles-mercedes-benz", "r-avtotor-partners-baic-1", "r-avtotor-partners-mercedes",
			}},
			{"fromEntity", &model.RelationWhere{Types: types(model.RelAssembles), FromEntity: kinds(model.KindPlant)}, []string{
				"r-haval-plant-assembles-f7", "r-haval-plant-assembles-jolion", "r-moskvich-plant-assembles-3",
			}},
			{"toEntity", &model.RelationWhere{Types: types(model.RelAssembles), ToEntity: &model.EntityWhere{Name: &model.TextFilter{StartsWith: str("BAIC")}}}, []string{
				"r-avtotor-assembles-baic", "r-avtotor-assembles-baic-u5-plus", "r-avtotor-assembles-baic-x35", "r-avtotor-assembles-baic-x55",
			}},
			{"OR", &model.RelationWhere{From: []string{"avtotor"}, Or: []*model.RelationWhere{{Types: types(model.RelOperates)}, {Quantity: &model.IntFilter{Gte: num(1)}}}},
				[]string{"r-avtotor-assembles-baic-x55", "r-avtotor-operates-plant"}},
		}
		for _, c := range cases {
			t.Run(c.name, func(t *testing.T) {
				p, err := s.Relations(ctx, model.RelationQuery{Filter: model.RelationFilter{Where: c.where}, First: 200})
				noErr(t, "Relations", err)
				diff(t, "relations", c.want, relationIDs(p.Items))
				if p.TotalCount != len(c.want) {
					t.Errorf("TotalCount = %d, want %d", p.TotalCount, len(c.want))
				}
			})
		}
	})

	t.Run("RelationsOf", func(t *testing.T) {
		q := model.RelationsOfQuery{Direction: model.DirectionOut, First: 100, Filter: model.RelationFilter{
			Where: &model.RelationWhere{Other: &model.EntityWhere{Kind: []model.EntityKind{brand}}},
		}}
		got, err := s.RelationsOf(ctx, []string{"avtotor", "gaz-group", "monaco"}, q)
		noErr(t, "RelationsOf", err)
		diff(t, "avtotor", []string{"r-avtotor-assembles-baic", "r-avtotor-assembles-kia", "r-avtotor-assembles-mercedes-benz"}, relationIDs(got["avtotor"].Items))
		diff(t, "gaz-group", []string{"r-gaz-assembles-skoda", "r-gaz-assembles-volkswagen", "r-gaz-owns-gaz"}, relationIDs(got["gaz-group"].Items))
		diff(t, "monaco", []string(nil), relationIDs(got["monaco"].Items))
		in := model.RelationsOfQuery{Direction: model.DirectionIn, First: 100, Filter: model.RelationFilter{
			Where: &model.RelationWhere{Other: &model.EntityWhere{Name: &model.TextFilter{Contains: str("avtotor")}}},
		}}
		got, err = s.RelationsOf(ctx, []string{"baic-group"}, in)
		noErr(t, "RelationsOf", err)
		diff(t, "baic-group", []string{"r-avtotor-partners-baic-1", "r-avtotor-partners-baic-2"}, relationIDs(got["baic-group"].Items))
	})

	t.Run("Refusals", func(t *testing.T) {
		deep := &model.EntityWhere{}
		w := deep
		for range model.MaxFilterHops + 1 {
			w.Relations = &model.RelatedWhere{Some: &model.RelationWhere{Other: &model.EntityWhere{}}}
			w = w.Relations.Some.Other
		}
		many := make([]string, model.MaxFilterValues+1)
		for i := range many {
			many[i] = "x"
		}
		nested := &model.EntityWhere{}
		w = nested
		for range model.MaxFilterDepth + 1 {
			w.Not = &model.EntityWhere{}
			w = w.Not
		}
		wide := &model.EntityWhere{}
		for range model.MaxFilterConditions {
			wide.And = append(wide.And, &model.EntityWhere{IDs: []string{"a"}})
		}
		long := strings.Repeat("a", model.MaxFilterText+1)
		for name, c := range map[string]struct {
			where *model.EntityWhere
			says  string
		}{
			"too many hops":    {deep, "the limit is 3"},
			"a huge in list":   {&model.EntityWhere{Name: &model.TextFilter{In: many}}, "the limit is 100"},
			"too many ids":     {&model.EntityWhere{IDs: many}, "the limit is 100"},
			"nested too deep":  {nested, "the limit is 8"},
			"too wide":         {wide, "the limit is 64"},
			"a long string":    {&model.EntityWhere{Name: &model.TextFilter{Contains: &long}}, "the limit is 200"},
			"an unknown kind":  {&model.EntityWhere{Kind: []model.EntityKind{"CAR"}}, `unknown entity kind "CAR"`},
			"a bad direction":  {&model.EntityWhere{Relations: &model.RelatedWhere{Direction: "UP"}}, `unknown direction "UP"`},
			"an unknown type":  {&model.EntityWhere{Relations: &model.RelatedWhere{Types: types("KNOWS")}}, `unknown relation type "KNOWS"`},
			"an unknown field": {&model.EntityWhere{Attrs: []model.AttrFilter{{Field: "name", Values: []string{"x"}}}}, `no filterable attribute "name"`},
		} {
			_, err := s.Entities(ctx, model.EntityQuery{Filter: model.EntityFilter{Where: c.where}})
			wantRefusal(t, name, err, c.says)
		}
		_, err := s.Relations(ctx, model.RelationQuery{Filter: model.RelationFilter{Where: &model.RelationWhere{Other: &model.EntityWhere{}}}})
		wantRefusal(t, "other in the relations listing", err, "other is only for an entity's relations")
		_, err = s.Relations(ctx, model.RelationQuery{Filter: model.RelationFilter{Where: &model.RelationWhere{Period: &model.DateFilter{Exists: &yes}}}})
		wantRefusal(t, "exists on a period", err, "period has no exists operator")
		_, err = s.Relations(ctx, model.RelationQuery{Order: model.Order{Field: model.SortByName}})
		wantRefusal(t, "relations by name", err, "relations cannot be ordered by NAME")
		_, err = s.RelationsOf(ctx, []string{"avtotor"}, model.RelationsOfQuery{Aggregate: &model.AggregateRequest{CountBy: []model.AggregateField{"COLOUR"}}})
		wantRefusal(t, "an unknown aggregate", err, `relations cannot be counted by "COLOUR"`)
	})
}
