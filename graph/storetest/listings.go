package storetest

import (
	"encoding/base64"
	"fmt"
	"testing"

	"github.com/autograph-kg/autograph/graph/model"
)

// The fixture's organizations in each ordering, worked out by hand from their names' sort keys
// (normalised: accents dropped, lower case, punctuation to spaces) and ids.
var (
	// orgsByName is the NAME ordering: "Avtotor" and "AVTOTOR" tie and fall back to id order;
	// "Beijing Automotive Group" (baic-group) follows "BAIC Motor"; "Ford Sollers"
	// (sollers-ford) follows "Ford Motor Company"; "Škoda Auto" sorts as "skoda auto";
	// "Zhejiang Geely Holding Group" (geely) is last.
	orgsByName = []string{
		"autostat", "avtotor", "avtotor-holding", "avtovaz", "baic-motor", "baic-group", "chery",
		"derways", "ford-motor", "sollers-ford", "gaz-group", "great-wall-motor", "haval-motor-rus",
		"hyundai-motor", "interfax", "kamaz", "kia-corporation", "kommersant", "mercedes-benz-group",
		"minpromtorg", "moskvich", "renault-group", "skoda-auto", "sollers", "stellantis", "tagaz",
		"volkswagen-group", "geely",
	}
	// orgsByID is the ID ordering (byte order of the slugs).
	orgsByID = []string{
		"autostat", "avtotor", "avtotor-holding", "avtovaz", "baic-group", "baic-motor", "chery",
		"derways", "ford-motor", "gaz-group", "geely", "great-wall-motor", "haval-motor-rus",
		"hyundai-motor", "interfax", "kamaz", "kia-corporation", "kommersant", "mercedes-benz-group",
		"minpromtorg", "moskvich", "renault-group", "skoda-auto", "sollers", "sollers-ford",
		"stellantis", "tagaz", "volkswagen-group",
	}
)

// testEntities checks entity listings: kinds, filters, every ordering, keyset paging and
// cursor errors.
func testEntities(t *testing.T, s model.Store) {
	ctx := t.Context()
	var (
		byName     = model.Order{Field: model.SortByName}
		byNameDesc = model.Order{Field: model.SortByName, Desc: true}
		byID       = model.Order{Field: model.SortByID}
		byIDDesc   = model.Order{Field: model.SortByID, Desc: true}
	)
	org := model.KindOrganization
	attrs := func(field string, values ...string) model.AttrFilter {
		return model.AttrFilter{Field: field, Values: values}
	}

	t.Run("Listings", func(t *testing.T) {
		cases := []struct {
			name string
			q    model.EntityQuery
			want pageWant
		}{
			{"organizations by name", model.EntityQuery{Kind: org, Order: byName, First: 100},
				pageWant{orgsByName, false, 28}},
			{"organizations by name desc", model.EntityQuery{Kind: org, Order: byNameDesc, First: 100},
				pageWant{reversed(orgsByName), false, 28}},
			{"organizations by id", model.EntityQuery{Kind: org, Order: byID, First: 100},
				pageWant{orgsByID, false, 28}},
			{"organizations by id desc", model.EntityQuery{Kind: org, Order: byIDDesc, First: 100},
				pageWant{reversed(orgsByID), false, 28}},
			{"no order means by name", model.EntityQuery{Kind: org, First: 100},
				pageWant{orgsByName, false, 28}},
			{"first 0 means the default page size", model.EntityQuery{Kind: org, Order: byName},
				pageWant{orgsByName[:model.DefaultPageSize], true, 28}},
			{"exactly all rows: no next page", model.EntityQuery{Kind: org, Order: byID, First: 28},
				pageWant{orgsByID, false, 28}},
			{"one row short of all: next page", model.EntityQuery{Kind: org, Order: byID, First: 27},
				pageWant{orgsByID[:27], true, 28}},
			{"brands by name", model.EntityQuery{Kind: model.KindBrand, Order: byName, First: 100},
				pageWant{[]string{"baic", "citroen", "gaz", "haval", "jetour", "kia", "lada", "mercedes-benz", "moskvich-brand", "skoda", "volkswagen"}, false, 11}},
			{"places by id desc", model.EntityQuery{Kind: model.KindPlace, Order: byIDDesc, First: 4},
				pageWant{[]string{"tula-oblast", "russia", "nizhny-novgorod", "moscow"}, true, 18}},
			{"agreements by name", model.EntityQuery{Kind: model.KindAgreement, Order: byName},
				pageWant{[]string{"avtotor-baic-agreement", "gaz-vw-contract"}, false, 2}},
			{"every kind by id", model.EntityQuery{Order: byID, First: 5},
				pageWant{[]string{"autostat", "avtotor", "avtotor-baic-agreement", "avtotor-holding", "avtotor-plant"}, true, 75}},
			{"every kind by name", model.EntityQuery{Order: byName, First: 5},
				pageWant{[]string{"autostat", "avtotor", "avtotor-holding", "avtotor-baic-agreement", "avtotor-plant"}, true, 75}},
			{"name tie across kinds", model.EntityQuery{Order: byName, Filter: model.EntityFilter{NameContains: "moskvich"}},
				pageWant{[]string{"moskvich", "moskvich-brand", "moskvich-3", "moskvich-3e", "moskvich-plant"}, false, 5}},
			{"name tie across kinds desc", model.EntityQuery{Order: byNameDesc, Filter: model.EntityFilter{NameContains: "moskvich"}},
				pageWant{[]string{"moskvich-plant", "moskvich-3e", "moskvich-3", "moskvich-brand", "moskvich"}, false, 5}},

			{"ids filter keeps the kind", model.EntityQuery{Kind: org, Order: byName, Filter: model.EntityFilter{IDs: []string{"kamaz", "avtotor", "no-such-entity", "skoda"}}},
				pageWant{[]string{"avtotor", "kamaz"}, false, 2}},
			{"ids filter across kinds", model.EntityQuery{Order: byID, Filter: model.EntityFilter{IDs: []string{"skoda", "kamaz", "russia", "kamaz"}}},
				pageWant{[]string{"kamaz", "russia", "skoda"}, false, 3}},
			{"name contains, normalised", model.EntityQuery{Kind: org, Order: byName, Filter: model.EntityFilter{NameContains: "  MOTOR "}},
				pageWant{[]string{"baic-motor", "ford-motor", "great-wall-motor", "haval-motor-rus", "hyundai-motor"}, false, 5}},
			{"name contains matches aliases", model.EntityQuery{Kind: org, Order: byName, Filter: model.EntityFilter{NameContains: "Daimler"}},
				pageWant{[]string{"mercedes-benz-group"}, false, 1}},
			{"name contains ignores accents", model.EntityQuery{Order: byName, Filter: model.EntityFilter{NameContains: "SKODA"}},
				pageWant{[]string{"skoda", "skoda-auto"}, false, 2}},
			{"name contains an accented alias", model.EntityQuery{Kind: model.KindPlace, Order: byName, Filter: model.EntityFilter{NameContains: "konigs"}},
				pageWant{[]string{"kaliningrad"}, false, 1}},
			{"name contains with punctuation", model.EntityQuery{Order: byName, Filter: model.EntityFilter{NameContains: "mercedes-benz e"}},
				pageWant{[]string{"mercedes-eqs"}, false, 1}},
			{"ids and name contains", model.EntityQuery{Order: byName, Filter: model.EntityFilter{IDs: []string{"avtotor", "gaz-group", "baic-motor"}, NameContains: "group"}},
				pageWant{[]string{"gaz-group"}, false, 1}},
			{"attribute", model.EntityQuery{Kind: org, Order: byName, Filter: model.EntityFilter{Attrs: []model.AttrFilter{attrs(model.AttrOrganizationType, "PUBLISHER")}}},
				pageWant{[]string{"autostat", "interfax", "kommersant"}, false, 3}},
			{"attributes are ANDed", model.EntityQuery{Kind: org, Order: byName, Filter: model.EntityFilter{Attrs: []model.AttrFilter{attrs(model.AttrOrganizationType, "GROUP"), attrs(model.AttrCountry, "china")}}},
				pageWant{[]string{"baic-group", "geely"}, false, 2}},
			{"attribute values are ORed", model.EntityQuery{Kind: org, Order: byName, Filter: model.EntityFilter{Attrs: []model.AttrFilter{attrs(model.AttrOwnership, "STATE_OWNED", "JOINTLY_OWNED")}}},
				pageWant{[]string{"avtovaz", "baic-group", "chery", "sollers-ford", "minpromtorg", "moskvich"}, false, 6}},
			{"attribute without values does not filter", model.EntityQuery{Kind: org, Order: byName, First: 3, Filter: model.EntityFilter{Attrs: []model.AttrFilter{attrs(model.AttrOwnership)}}},
				pageWant{orgsByName[:3], true, 28}},
			{"brand segment", model.EntityQuery{Kind: model.KindBrand, Order: byName, Filter: model.EntityFilter{Attrs: []model.AttrFilter{attrs(model.AttrSegment, "COMMERCIAL")}}},
				pageWant{[]string{"gaz"}, false, 1}},
			{"brand country", model.EntityQuery{Kind: model.KindBrand, Order: byName, Filter: model.EntityFilter{Attrs: []model.AttrFilter{attrs(model.AttrCountry, "germany")}}},
				pageWant{[]string{"mercedes-benz", "volkswagen"}, false, 2}},
			{"model powertrain", model.EntityQuery{Kind: model.KindVehicleModel, Order: byName, Filter: model.EntityFilter{Attrs: []model.AttrFilter{attrs(model.AttrPowertrain, "BEV")}}},
				pageWant{[]string{"gazelle-e", "mercedes-eqs", "moskvich-3e"}, false, 3}},
			{"place type", model.EntityQuery{Kind: model.KindPlace, Order: byName, Filter: model.EntityFilter{Attrs: []model.AttrFilter{attrs(model.AttrPlaceType, "COUNTRY")}}},
				pageWant{[]string{"china", "czechia", "france", "germany", "monaco", "russia"}, false, 6}},
			{"no match", model.EntityQuery{Kind: org, Order: byName, Filter: model.EntityFilter{NameContains: "zzz"}},
				pageWant{nil, false, 0}},
		}
		for _, c := range cases {
			t.Run(c.name, func(t *testing.T) {
				got, err := s.Entities(ctx, c.q)
				noErr(t, "Entities", err)
				diff(t, "page", c.want, pageWant{entityIDs(got.Items), got.HasNextPage, got.TotalCount})
			})
		}
	})

	t.Run("Paging", func(t *testing.T) {
		cases := []struct {
			name  string
			q     model.EntityQuery
			sizes []int
			want  []string
		}{
			{"by name", model.EntityQuery{Kind: org, Order: byName, First: 10}, []int{10, 10, 8}, orgsByName},
			{"by name desc", model.EntityQuery{Kind: org, Order: byNameDesc, First: 10}, []int{10, 10, 8}, reversed(orgsByName)},
			{"by id", model.EntityQuery{Kind: org, Order: byID, First: 10}, []int{10, 10, 8}, orgsByID},
			{"by id desc", model.EntityQuery{Kind: org, Order: byIDDesc, First: 10}, []int{10, 10, 8}, reversed(orgsByID)},
			{"pages that divide the rows", model.EntityQuery{Kind: org, Order: byName, First: 7}, []int{7, 7, 7, 7}, orgsByName},
			{"filtered", model.EntityQuery{Kind: org, Order: byName, First: 2, Filter: model.EntityFilter{Attrs: []model.AttrFilter{attrs(model.AttrOwnership, "STATE_OWNED", "JOINTLY_OWNED")}}},
				[]int{2, 2, 2}, []string{"avtovaz", "baic-group", "chery", "sollers-ford", "minpromtorg", "moskvich"}},
		}
		for _, c := range cases {
			t.Run(c.name, func(t *testing.T) {
				var all []string
				var sizes []int
				q := c.q
				for page := 1; ; page++ {
					if page > 10 {
						t.Fatal("more than 10 pages: the cursor does not advance")
					}
					got, err := s.Entities(ctx, q)
					noErr(t, fmt.Sprintf("Entities page %d", page), err)
					if got.TotalCount != len(c.want) {
						t.Errorf("page %d: TotalCount = %d, want %d", page, got.TotalCount, len(c.want))
					}
					all = append(all, entityIDs(got.Items)...)
					sizes = append(sizes, len(got.Items))
					if !got.HasNextPage {
						break
					}
					if len(got.Items) == 0 {
						t.Fatalf("page %d: HasNextPage with no items", page)
					}
					q.After = q.Cursor(got.Items[len(got.Items)-1])
				}
				diff(t, "page sizes", c.sizes, sizes)
				diff(t, "concatenated pages", c.want, all)
			})
		}
	})

	t.Run("Cursors", func(t *testing.T) {
		kamaz, err := s.Entity(ctx, "kamaz")
		noErr(t, "Entity(kamaz)", err)
		geely, err := s.Entity(ctx, "geely")
		noErr(t, "Entity(geely)", err)
		cases := []struct {
			name string
			q    model.EntityQuery
			want pageWant
		}{
			{"after a row by name", model.EntityQuery{Kind: org, Order: byName, First: 3, After: model.EntityQuery{Kind: org, Order: byName}.Cursor(kamaz)},
				pageWant{[]string{"kia-corporation", "kommersant", "mercedes-benz-group"}, true, 28}},
			{"after a row by name desc", model.EntityQuery{Kind: org, Order: byNameDesc, First: 3, After: model.EntityQuery{Kind: org, Order: byNameDesc}.Cursor(kamaz)},
				pageWant{[]string{"interfax", "hyundai-motor", "haval-motor-rus"}, true, 28}},
			{"after a row by id", model.EntityQuery{Kind: org, Order: byID, First: 3, After: model.EntityQuery{Kind: org, Order: byID}.Cursor(geely)},
				pageWant{[]string{"great-wall-motor", "haval-motor-rus", "hyundai-motor"}, true, 28}},
			{"after the last row", model.EntityQuery{Kind: org, Order: byName, After: model.EntityQuery{Kind: org, Order: byName}.Cursor(geely)},
				pageWant{nil, false, 28}},
			{"a position, not a row: keyset", model.EntityQuery{Kind: org, Order: byName, First: 3,
				After: model.EntityQuery{Kind: org, Order: byName}.CursorAt("h", "zzz")},
				pageWant{[]string{"haval-motor-rus", "hyundai-motor", "interfax"}, true, 28}},
			{"a tie broken by id", model.EntityQuery{Kind: org, Order: byName, First: 2,
				After: model.EntityQuery{Kind: org, Order: byName}.CursorAt("avtotor", "avtotor")},
				pageWant{[]string{"avtotor-holding", "avtovaz"}, true, 28}},
			{"a tie broken by id desc", model.EntityQuery{Kind: org, Order: byNameDesc, First: 2,
				After: model.EntityQuery{Kind: org, Order: byNameDesc}.CursorAt("avtotor", "avtotor-holding")},
				pageWant{[]string{"avtotor", "autostat"}, false, 28}},
		}
		for _, c := range cases {
			t.Run(c.name, func(t *testing.T) {
				got, err := s.Entities(ctx, c.q)
				noErr(t, "Entities", err)
				diff(t, "page", c.want, pageWant{entityIDs(got.Items), got.HasNextPage, got.TotalCount})
			})
		}
	})

	t.Run("BadInput", func(t *testing.T) {
		avtotor, err := s.Entity(ctx, "avtotor")
		noErr(t, "Entity(avtotor)", err)
		rel, err := s.Relation(ctx, "r-tula-in-russia")
		noErr(t, "Relation(r-tula-in-russia)", err)
		src, err := s.Source(ctx, "kommersant-2022")
		noErr(t, "Source(kommersant-2022)", err)
		cases := []struct {
			name string
			q    model.EntityQuery
		}{
			{"cursor not base64", model.EntityQuery{Kind: org, Order: byName, After: "not a cursor!"}},
			{"cursor of the wrong shape", model.EntityQuery{Kind: org, Order: byName, After: base64.RawURLEncoding.EncodeToString([]byte(`["NAME:asc","x"]`))}},
			{"cursor for id order used by name", model.EntityQuery{Kind: org, Order: byName, After: model.EntityQuery{Kind: org, Order: byID}.Cursor(avtotor)}},
			{"cursor for asc used desc", model.EntityQuery{Kind: org, Order: byNameDesc, After: model.EntityQuery{Kind: org, Order: byName}.Cursor(avtotor)}},
			{"relation cursor", model.EntityQuery{Kind: org, Order: byID, After: model.RelationQuery{}.Cursor(rel)}},
			{"source title cursor", model.EntityQuery{Kind: org, Order: byName, After: model.SourceQuery{Order: model.Order{Field: model.SortByTitle}}.Cursor(src)}},
			{"cursor of another kind's listing", model.EntityQuery{Kind: org, Order: byName, After: model.EntityQuery{Kind: model.KindBrand, Order: byName}.Cursor(avtotor)}},
			{"cursor of every kind's listing", model.EntityQuery{Kind: org, Order: byName, After: model.EntityQuery{Order: byName}.Cursor(avtotor)}},
			{"cursor of another filter", model.EntityQuery{Kind: org, Order: byName, Filter: model.EntityFilter{NameContains: "a"},
				After: model.EntityQuery{Kind: org, Order: byName}.Cursor(avtotor)}},
			{"cursor of another attribute filter", model.EntityQuery{Kind: org, Order: byName, Filter: model.EntityFilter{Attrs: []model.AttrFilter{attrs(model.AttrOrganizationType, "GROUP")}},
				After: model.EntityQuery{Kind: org, Order: byName, Filter: model.EntityFilter{Attrs: []model.AttrFilter{attrs(model.AttrOrganizationType, "ASSEMBLER")}}}.Cursor(avtotor)}},
			{"unknown attribute", model.EntityQuery{Kind: org, Order: byName, Filter: model.EntityFilter{Attrs: []model.AttrFilter{attrs("bogus", "x")}}}},
		}
		for _, c := range cases {
			t.Run(c.name, func(t *testing.T) {
				_, err := s.Entities(ctx, c.q)
				wantCode(t, "Entities", err, model.CodeBadUserInput)
			})
		}
	})
}

// The fixture's sources in each ordering, by hand. Titles sort by their normalised form
// ("Élan or exit" as "elan or exit", "autostat: January" first although lower-case); three
// sources are published in a period starting 2023-01-01 ("2023", "2023-01", "2023-01-01") and
// fall back to id order.
var (
	sourcesByTitle = []string{"autostat-2023-01", "interfax-2023-04-04", "kommersant-2022", "vedomosti-2019", "press-release-2023", "zavod-digest-2023"}
	sourcesByDate  = []string{"vedomosti-2019", "kommersant-2022", "autostat-2023-01", "press-release-2023", "zavod-digest-2023", "interfax-2023-04-04"}
	sourcesByID    = []string{"autostat-2023-01", "interfax-2023-04-04", "kommersant-2022", "press-release-2023", "vedomosti-2019", "zavod-digest-2023"}
)

// testSources checks source listings: every ordering, filters, paging and cursor errors.
func testSources(t *testing.T, s model.Store) {
	ctx := t.Context()
	var (
		byTitle = model.Order{Field: model.SortByTitle}
		byDate  = model.Order{Field: model.SortByPublishedOn}
		byID    = model.Order{Field: model.SortByID}
		desc    = func(o model.Order) model.Order { o.Desc = true; return o }
	)
	t.Run("Listings", func(t *testing.T) {
		cases := []struct {
			name string
			q    model.SourceQuery
			want pageWant
		}{
			{"by title", model.SourceQuery{Order: byTitle}, pageWant{sourcesByTitle, false, 6}},
			{"by title desc", model.SourceQuery{Order: desc(byTitle)}, pageWant{reversed(sourcesByTitle), false, 6}},
			{"by publication date", model.SourceQuery{Order: byDate}, pageWant{sourcesByDate, false, 6}},
			{"by publication date desc", model.SourceQuery{Order: desc(byDate)}, pageWant{reversed(sourcesByDate), false, 6}},
			{"by id", model.SourceQuery{Order: byID}, pageWant{sourcesByID, false, 6}},
			{"no order means by publication date", model.SourceQuery{}, pageWant{sourcesByDate, false, 6}},
			{"by id desc", model.SourceQuery{Order: desc(byID)}, pageWant{reversed(sourcesByID), false, 6}},
			{"first 2", model.SourceQuery{Order: byDate, First: 2}, pageWant{sourcesByDate[:2], true, 6}},
			{"title contains, normalised", model.SourceQuery{Order: byTitle, Filter: model.SourceFilter{TitleContains: "AVTOTOR"}},
				pageWant{[]string{"interfax-2023-04-04", "press-release-2023"}, false, 2}},
			{"title contains ignores accents", model.SourceQuery{Order: byTitle, Filter: model.SourceFilter{TitleContains: "elan"}},
				pageWant{[]string{"kommersant-2022"}, false, 1}},
			{"title contains an accented word", model.SourceQuery{Order: byTitle, Filter: model.SourceFilter{TitleContains: "skoda cars"}},
				pageWant{[]string{"vedomosti-2019"}, false, 1}},
			{"publishers", model.SourceQuery{Order: byTitle, Filter: model.SourceFilter{PublisherIDs: []string{"kommersant", "interfax"}}},
				pageWant{[]string{"interfax-2023-04-04", "kommersant-2022"}, false, 2}},
			{"ids", model.SourceQuery{Order: byID, Filter: model.SourceFilter{IDs: []string{"vedomosti-2019", "no-such-source", "autostat-2023-01"}}},
				pageWant{[]string{"autostat-2023-01", "vedomosti-2019"}, false, 2}},
			{"fields are ANDed", model.SourceQuery{Order: byID, Filter: model.SourceFilter{TitleContains: "avtotor", PublisherIDs: []string{"avtotor"}}},
				pageWant{[]string{"press-release-2023"}, false, 1}},
		}
		for _, c := range cases {
			t.Run(c.name, func(t *testing.T) {
				got, err := s.Sources(ctx, c.q)
				noErr(t, "Sources", err)
				diff(t, "page", c.want, pageWant{sourceIDs(got.Items), got.HasNextPage, got.TotalCount})
			})
		}
	})

	t.Run("Paging", func(t *testing.T) {
		for _, c := range []struct {
			order model.Order
			want  []string
		}{
			{byTitle, sourcesByTitle}, {desc(byTitle), reversed(sourcesByTitle)},
			{byDate, sourcesByDate}, {desc(byDate), reversed(sourcesByDate)},
			{byID, sourcesByID}, {desc(byID), reversed(sourcesByID)},
		} {
			t.Run(fmt.Sprintf("%s desc=%v", c.order.Field, c.order.Desc), func(t *testing.T) {
				q := model.SourceQuery{Order: c.order, First: 4}
				var all []string
				var sizes []int
				for page := 1; ; page++ {
					if page > 5 {
						t.Fatal("more than 5 pages: the cursor does not advance")
					}
					got, err := s.Sources(ctx, q)
					noErr(t, fmt.Sprintf("Sources page %d", page), err)
					if got.TotalCount != 6 {
						t.Errorf("page %d: TotalCount = %d, want 6", page, got.TotalCount)
					}
					all = append(all, sourceIDs(got.Items)...)
					sizes = append(sizes, len(got.Items))
					if !got.HasNextPage || len(got.Items) == 0 {
						break
					}
					q.After = q.Cursor(got.Items[len(got.Items)-1])
				}
				diff(t, "page sizes", []int{4, 2}, sizes)
				diff(t, "concatenated pages", c.want, all)
			})
		}
	})

	t.Run("BadInput", func(t *testing.T) {
		src, err := s.Source(ctx, "kommersant-2022")
		noErr(t, "Source(kommersant-2022)", err)
		for name, q := range map[string]model.SourceQuery{
			"garbage cursor":              {Order: byTitle, After: "%%%"},
			"title cursor used by date":   {Order: byDate, After: model.SourceQuery{Order: byTitle}.Cursor(src)},
			"date cursor used desc":       {Order: desc(byDate), After: model.SourceQuery{Order: byDate}.Cursor(src)},
			"relation cursor for sources": {Order: byID, After: model.RelationQuery{}.CursorAt("r-tula-in-russia")},
			"entity cursor for sources":   {Order: byID, After: model.EntityQuery{Order: byID}.CursorAt("", "kommersant-2022")},
			"cursor of another filter": {Order: byDate, Filter: model.SourceFilter{PublisherIDs: []string{"kommersant"}},
				After: model.SourceQuery{Order: byDate}.Cursor(src)},
		} {
			t.Run(name, func(t *testing.T) {
				_, err := s.Sources(ctx, q)
				wantCode(t, "Sources", err, model.CodeBadUserInput)
			})
		}
	})
}
