package model

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// normalizer is what every query type has.
type normalizer[Q any] interface{ Normalize() (Q, error) }

// normalCase is one query and what its Normalize must give: the normalised query, or a
// BAD_USER_INPUT error whose message contains refusal.
type normalCase[Q normalizer[Q]] struct {
	name    string
	q       Q
	want    Q
	refusal string
}

func runNormal[Q normalizer[Q]](t *testing.T, cases []normalCase[Q]) {
	t.Helper()
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got, err := c.q.Normalize()
			if c.refusal != "" {
				if ErrorCode(err) != CodeBadUserInput || !strings.Contains(err.Error(), c.refusal) {
					t.Fatalf("Normalize() error = %v, want BAD_USER_INPUT saying %q", err, c.refusal)
				}
				return
			}
			if err != nil {
				t.Fatalf("Normalize() error = %v", err)
			}
			if d := cmp.Diff(c.want, got); d != "" {
				t.Errorf("Normalize() mismatch (-want +got):\n%s", d)
			}
			again, err := got.Normalize()
			if err != nil {
				t.Fatalf("Normalize() of a normalised query: %v", err)
			}
			if d := cmp.Diff(got, again); d != "" {
				t.Errorf("Normalize() is not idempotent (-once +twice):\n%s", d)
			}
		})
	}
}

func TestEntityQueryNormalize(t *testing.T) {
	attrs := func(field string) EntityFilter {
		return EntityFilter{Attrs: []AttrFilter{{Field: field, Values: []string{"x"}}}}
	}
	runNormal(t, []normalCase[EntityQuery]{
		{name: "defaults", q: EntityQuery{},
			want: EntityQuery{Order: Order{Field: SortByName}, First: DefaultPageSize}},
		{name: "negative first is the default", q: EntityQuery{Kind: KindBrand, First: -3},
			want: EntityQuery{Kind: KindBrand, Order: Order{Field: SortByName}, First: DefaultPageSize}},
		{name: "given values are kept", q: EntityQuery{Kind: KindPlace, Order: Order{Field: SortByID, Desc: true}, First: 500, After: "c"},
			want: EntityQuery{Kind: KindPlace, Order: Order{Field: SortByID, Desc: true}, First: 500, After: "c"}},
		{name: "a descending default field", q: EntityQuery{Order: Order{Desc: true}},
			want: EntityQuery{Order: Order{Field: SortByName, Desc: true}, First: DefaultPageSize}},
		{name: "the kind's attribute", q: EntityQuery{Kind: KindBrand, Filter: attrs(AttrSegment)},
			want: EntityQuery{Kind: KindBrand, Filter: attrs(AttrSegment), Order: Order{Field: SortByName}, First: DefaultPageSize}},
		{name: "any kind's attribute in the listing of all kinds", q: EntityQuery{Filter: attrs(AttrPowertrain)},
			want: EntityQuery{Filter: attrs(AttrPowertrain), Order: Order{Field: SortByName}, First: DefaultPageSize}},
		{name: "unknown kind", q: EntityQuery{Kind: "SPACESHIP"}, refusal: `unknown entity kind "SPACESHIP"`},
		{name: "order of sources", q: EntityQuery{Order: Order{Field: SortByTitle}}, refusal: "entities cannot be ordered by TITLE (use NAME, ID, FOUNDED, CREATED_AT or UPDATED_AT)"},
		{name: "another kind's attribute", q: EntityQuery{Kind: KindPlant, Filter: attrs(AttrPlaceType)}, refusal: `Plant entities have no filterable attribute "type"`},
		{name: "no attribute at all", q: EntityQuery{Filter: attrs("name")}, refusal: `entities have no filterable attribute "name"`},
		{name: "aggregate fields once, in order", q: EntityQuery{Kind: KindOrganization, Aggregate: &EntityAggregateRequest{
			CountBy: []EntityAggregateField{EntityAggregateByOwnership, EntityAggregateByKind, EntityAggregateByOwnership, EntityAggregateByCountry}, Founded: true}},
			want: EntityQuery{Kind: KindOrganization, Order: Order{Field: SortByName}, First: DefaultPageSize, Aggregate: &EntityAggregateRequest{
				CountBy: []EntityAggregateField{EntityAggregateByCountry, EntityAggregateByKind, EntityAggregateByOwnership}, Founded: true}}},
		{name: "a place's type", q: EntityQuery{Kind: KindPlace, Aggregate: &EntityAggregateRequest{CountBy: []EntityAggregateField{EntityAggregateByType}}},
			want: EntityQuery{Kind: KindPlace, Order: Order{Field: SortByName}, First: DefaultPageSize, Aggregate: &EntityAggregateRequest{CountBy: []EntityAggregateField{EntityAggregateByType}}}},
		{name: "kind in the listing of all kinds", q: EntityQuery{Aggregate: &EntityAggregateRequest{CountBy: []EntityAggregateField{EntityAggregateByKind}}},
			want: EntityQuery{Order: Order{Field: SortByName}, First: DefaultPageSize, Aggregate: &EntityAggregateRequest{CountBy: []EntityAggregateField{EntityAggregateByKind}}}},
		{name: "another kind's aggregate field", q: EntityQuery{Kind: KindPlant, Aggregate: &EntityAggregateRequest{CountBy: []EntityAggregateField{EntityAggregateByCountry}}},
			refusal: "Plant entities cannot be counted by COUNTRY: it is not one of their fields"},
		{name: "an attribute in the listing of all kinds", q: EntityQuery{Aggregate: &EntityAggregateRequest{CountBy: []EntityAggregateField{EntityAggregateBySegment}}},
			refusal: "entities of every kind cannot be counted by SEGMENT"},
		{name: "an unknown aggregate field", q: EntityQuery{Kind: KindBrand, Aggregate: &EntityAggregateRequest{CountBy: []EntityAggregateField{"COLOUR"}}},
			refusal: `entities cannot be counted by "COLOUR" (use KIND, COUNTRY, TYPE, OWNERSHIP, SEGMENT or POWERTRAIN)`},
	})
}

// TestEntityAggregator checks the embedded store's rules for entity aggregates: groups by
// value, no group for a missing value, founding dates bounded in Date.Before order.
func TestEntityAggregator(t *testing.T) {
	d := func(s string) *Date { v := MustDate(s); return &v }
	own := OwnershipPrivate
	a := NewEntityAggregator(&EntityAggregateRequest{CountBy: []EntityAggregateField{EntityAggregateByOwnership, EntityAggregateByKind}, Founded: true})
	a.Add(&Organization{Type: OrgGroup, Ownership: &own, Founded: d("1994-05")})
	a.Add(&Organization{Type: OrgGroup, Founded: d("1994")})
	a.Add(&Organization{Type: OrgPublisher, Ownership: &own})
	want := &EntityAggregate{Count: 3, Groups: map[EntityAggregateField][]AggregateGroup{
		EntityAggregateByOwnership: {{Value: "PRIVATE", Count: 2}},
		EntityAggregateByKind:      {{Value: "ORGANIZATION", Count: 3}},
	}, Founded: DateBounds{Min: d("1994"), Max: d("1994-05")}}
	if diff := cmp.Diff(want, a.Result()); diff != "" {
		t.Errorf("Result() mismatch (-want +got):\n%s", diff)
	}
	if got := NewEntityAggregator(nil).Result(); got != nil {
		t.Errorf("Result() without a request = %+v, want nil", got)
	}
}

func TestSourceQueryNormalize(t *testing.T) {
	runNormal(t, []normalCase[SourceQuery]{
		{name: "defaults", q: SourceQuery{}, want: SourceQuery{Order: Order{Field: SortByPublishedOn}, First: DefaultPageSize}},
		{name: "given values are kept", q: SourceQuery{Order: Order{Field: SortByTitle, Desc: true}, First: 3},
			want: SourceQuery{Order: Order{Field: SortByTitle, Desc: true}, First: 3}},
		{name: "by id", q: SourceQuery{Order: Order{Field: SortByID}}, want: SourceQuery{Order: Order{Field: SortByID}, First: DefaultPageSize}},
		{name: "order of entities", q: SourceQuery{Order: Order{Field: SortByName}}, refusal: "sources cannot be ordered by NAME (use TITLE, PUBLISHED_ON or ID)"},
	})
}

func TestRelationQueriesNormalize(t *testing.T) {
	asOf := MustDate("2023")
	full := RelationFilter{IDs: []string{"r"}, Types: []RelationType{RelAssembles}, Status: []RelationStatus{StatusEnded}, AsOf: &asOf}
	runNormal(t, []normalCase[RelationQuery]{
		{name: "defaults", q: RelationQuery{}, want: RelationQuery{Order: Order{Field: SortByID}, First: DefaultPageSize}},
		{name: "a full filter", q: RelationQuery{Filter: full, First: 1}, want: RelationQuery{Filter: full, Order: Order{Field: SortByID}, First: 1}},
		{name: "unknown type", q: RelationQuery{Filter: RelationFilter{Types: []RelationType{RelOwnsBrand, "KNOWS"}}}, refusal: `unknown relation type "KNOWS"`},
		{name: "unknown status", q: RelationQuery{Filter: RelationFilter{Status: []RelationStatus{"MAYBE"}}}, refusal: `unknown relation status "MAYBE"`},
	})
	runNormal(t, []normalCase[RelationsOfQuery]{
		{name: "defaults", q: RelationsOfQuery{}, want: RelationsOfQuery{Direction: DirectionBoth, Order: Order{Field: SortByID}, First: DefaultPageSize}},
		{name: "given values are kept", q: RelationsOfQuery{Direction: DirectionIn, Filter: full, First: MaxListSize},
			want: RelationsOfQuery{Direction: DirectionIn, Filter: full, Order: Order{Field: SortByID}, First: MaxListSize}},
		{name: "unknown direction", q: RelationsOfQuery{Direction: "SIDEWAYS"}, refusal: `unknown direction "SIDEWAYS"`},
		{name: "unknown type", q: RelationsOfQuery{Filter: RelationFilter{Types: []RelationType{"knows"}}}, refusal: `unknown relation type "knows"`},
	})
}

func TestSearchQueryNormalize(t *testing.T) {
	runNormal(t, []normalCase[SearchQuery]{
		{name: "defaults; the text is kept as written", q: SearchQuery{Text: "  Škoda "}, want: SearchQuery{Text: "  Škoda ", First: DefaultPageSize}},
		{name: "kinds without duplicates, in the order given", q: SearchQuery{Text: "x", Kinds: []EntityKind{KindBrand, KindPlace, KindBrand}, First: 3},
			want: SearchQuery{Text: "x", Kinds: []EntityKind{KindBrand, KindPlace}, First: 3}},
		{name: "nothing to search", q: SearchQuery{Text: " ?! "}, refusal: "at least one letter or digit"},
		{name: "too long", q: SearchQuery{Text: strings.Repeat("a", MaxSearchLength+1)}, refusal: "longer than 200 characters"},
		{name: "not UTF-8", q: SearchQuery{Text: "a\xffb"}, refusal: "not valid UTF-8"},
		{name: "unknown kind", q: SearchQuery{Text: "x", Kinds: []EntityKind{"Entity"}}, refusal: `unknown entity kind "Entity"`},
		{name: "the empty kind", q: SearchQuery{Text: "x", Kinds: []EntityKind{""}}, refusal: `unknown entity kind ""`},
	})
}

func TestExploreQueriesNormalize(t *testing.T) {
	runNormal(t, []normalCase[NeighborhoodQuery]{
		{name: "defaults", q: NeighborhoodQuery{ID: "a"}, want: NeighborhoodQuery{ID: "a", Limit: DefaultNeighborhoodLimit}},
		{name: "the bounds", q: NeighborhoodQuery{ID: "a", Depth: MaxNeighborhoodDepth, Limit: MaxNeighborhoodLimit},
			want: NeighborhoodQuery{ID: "a", Depth: MaxNeighborhoodDepth, Limit: MaxNeighborhoodLimit}},
		{name: "negative depth", q: NeighborhoodQuery{Depth: -1}, refusal: "depth must be between 0 and 3 (got -1)"},
		{name: "too deep", q: NeighborhoodQuery{Depth: MaxNeighborhoodDepth + 1}, refusal: "depth must be between 0 and 3 (got 4)"},
		{name: "too many nodes", q: NeighborhoodQuery{Limit: MaxNeighborhoodLimit + 1}, refusal: "limit must be between 1 and 1000 (got 1001)"},
		{name: "unknown type", q: NeighborhoodQuery{Types: []RelationType{"KNOWS"}}, refusal: `unknown relation type "KNOWS"`},
	})
	runNormal(t, []normalCase[PathQuery]{
		{name: "defaults", q: PathQuery{From: "a", To: "b"}, want: PathQuery{From: "a", To: "b", MaxLength: DefaultPathLength, First: DefaultPaths}},
		{name: "negative values are the defaults", q: PathQuery{From: "a", To: "a", MaxLength: -1, First: -1},
			want: PathQuery{From: "a", To: "a", MaxLength: DefaultPathLength, First: DefaultPaths}},
		{name: "the bounds", q: PathQuery{MaxLength: MaxPathLength, First: MaxPaths}, want: PathQuery{MaxLength: MaxPathLength, First: MaxPaths}},
		{name: "too long", q: PathQuery{MaxLength: MaxPathLength + 1}, refusal: "maxLength must be between 1 and 6 (got 7)"},
		{name: "too many", q: PathQuery{First: MaxPaths + 1}, refusal: "first must be between 1 and 100 (got 101)"},
		{name: "unknown type, from and to equal", q: PathQuery{From: "a", To: "a", Types: []RelationType{"knows"}}, refusal: `unknown relation type "knows"`},
	})
	d := func(s string) *Date { v := MustDate(s); return &v }
	runNormal(t, []normalCase[TimelineQuery]{
		{name: "open", q: TimelineQuery{ID: "a"}, want: TimelineQuery{ID: "a"}},
		{name: "one period", q: TimelineQuery{From: d("2023"), To: d("2023")}, want: TimelineQuery{From: d("2023"), To: d("2023")}},
		{name: "a month inside its year", q: TimelineQuery{From: d("2023"), To: d("2023-01")}, want: TimelineQuery{From: d("2023"), To: d("2023-01")}},
		{name: "backwards", q: TimelineQuery{From: d("2023"), To: d("2022")}, refusal: "timeline: to 2022 is before from 2023"},
	})
}

func TestRelationsOfKey(t *testing.T) {
	asOf, other := MustDate("2023"), MustDate("2023-01")
	base := RelationsOfQuery{Filter: RelationFilter{Types: []RelationType{RelAssembles, RelOwnsBrand}, FromIDs: []string{"a", "b"}}}
	same := []RelationsOfQuery{
		{Direction: DirectionBoth, Filter: RelationFilter{Types: []RelationType{RelOwnsBrand, RelAssembles}, FromIDs: []string{"b", "a"}}},
		{Filter: RelationFilter{Types: []RelationType{RelAssembles, RelOwnsBrand, RelAssembles}, FromIDs: []string{"a", "b", "a"}}},
		{Filter: RelationFilter{Types: []RelationType{RelAssembles, RelOwnsBrand}, FromIDs: []string{"a", "b"}}, First: DefaultPageSize},
		{Filter: RelationFilter{Types: []RelationType{RelAssembles, RelOwnsBrand}, FromIDs: []string{"a", "b"}, IDs: []string{}}, First: -1},
	}
	for i, q := range same {
		if q.Key() != base.Key() {
			t.Errorf("same[%d].Key() = %q, want %q", i, q.Key(), base.Key())
		}
	}
	differ := map[string]RelationsOfQuery{
		"direction":     {Direction: DirectionOut, Filter: base.Filter},
		"bad direction": {Direction: "SIDEWAYS", Filter: base.Filter},
		"types":         {Filter: RelationFilter{Types: []RelationType{RelAssembles}, FromIDs: base.Filter.FromIDs}},
		"from ids":      {Filter: RelationFilter{Types: base.Filter.Types, FromIDs: []string{"a"}}},
		"to ids":        {Filter: RelationFilter{Types: base.Filter.Types, ToIDs: []string{"a", "b"}}},
		"an empty id":   {Filter: RelationFilter{Types: base.Filter.Types, FromIDs: []string{"a", "b", ""}}},
		"ids":           {Filter: RelationFilter{Types: base.Filter.Types, FromIDs: base.Filter.FromIDs, IDs: []string{"a"}}},
		"sources":       {Filter: RelationFilter{Types: base.Filter.Types, FromIDs: base.Filter.FromIDs, SourceIDs: []string{"a"}}},
		"status":        {Filter: RelationFilter{Types: base.Filter.Types, FromIDs: base.Filter.FromIDs, Status: []RelationStatus{StatusActive}}},
		"asOf":          {Filter: RelationFilter{Types: base.Filter.Types, FromIDs: base.Filter.FromIDs, AsOf: &asOf}},
		"first":         {Filter: base.Filter, First: 5},
		"after":         {Filter: base.Filter, After: "x"},
		// Values that would run together if they were simply joined.
		"one id with a comma": {Filter: RelationFilter{Types: base.Filter.Types, FromIDs: []string{`a","b`}}},
	}
	seen := map[RelationsOfKey]string{base.Key(): "base"}
	for name, q := range differ {
		if prev, ok := seen[q.Key()]; ok {
			t.Errorf("%s has the key of %s: %q", name, prev, q.Key())
		}
		seen[q.Key()] = name
	}
	a := RelationsOfQuery{Filter: RelationFilter{AsOf: &asOf}}
	b := RelationsOfQuery{Filter: RelationFilter{AsOf: &other}}
	if a.Key() == b.Key() {
		t.Errorf("asOf 2023 and 2023-01 share the key %q", a.Key())
	}
	// The key is a value, not a pointer: another asOf pointer to the same date shares it.
	again := MustDate("2023")
	if c := (RelationsOfQuery{Filter: RelationFilter{AsOf: &again}}); c.Key() != a.Key() {
		t.Errorf("equal asOf dates give keys %q and %q", a.Key(), c.Key())
	}
}
