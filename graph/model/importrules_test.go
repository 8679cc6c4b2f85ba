package model

import (
	"context"
	"errors"
	"strings"
	"testing"
)

func TestCheckDataset(t *testing.T) {
	valid := &Dataset{Sources: []*Source{{ID: "s", Title: "S", PublishedOn: MustDate("2024")}}}
	invalid := &Dataset{Sources: []*Source{{ID: "Not A Slug", Title: ""}}}
	cancelled, cancel := context.WithCancel(context.Background())
	cancel()
	for _, c := range []struct {
		name string
		ctx  context.Context
		d    *Dataset
		want verdict
	}{
		{"valid", context.Background(), valid, written()},
		{"none", context.Background(), nil, refused(CodeBadUserInput, "no dataset to import")},
		{"invalid", context.Background(), invalid, refused(CodeBadUserInput, "the dataset is invalid")},
	} {
		if got := verdictOf(false, CheckDataset(c.ctx, c.d)); got != c.want {
			t.Errorf("%s: CheckDataset = %+v, want %+v", c.name, got, c.want)
		}
	}
	var e *Error
	if err := CheckDataset(context.Background(), invalid); !errors.As(err, &e) || !strings.Contains(e.Err.Error(), "no title") {
		t.Errorf("CheckDataset of an invalid dataset = %v, want every problem in its cause", err)
	}
	if err := CheckDataset(cancelled, valid); !errors.Is(err, context.Canceled) || errors.As(err, &e) {
		t.Errorf("CheckDataset with a done context = %v, want the context's error alone", err)
	}
}

func TestCheckImport(t *testing.T) {
	// The dataset: a source, two entities and a relation. "kaliningrad" and "plant" are stored
	// with other kinds (a place and a plant); the facts say what depends on them.
	dataset := func() *Dataset {
		d := &Dataset{
			Sources:   []*Source{{ID: "report"}},
			Plants:    []*Plant{{EntityBase: EntityBase{ID: "kaliningrad"}}},
			Relations: []*Relation{{ID: "r-new"}},
		}
		d.Add(&Organization{EntityBase: EntityBase{ID: "plant"}})
		return d
	}
	located := StoredRelation{ID: "r-located", Type: RelLocatedIn,
		FromID: "avtotor", FromKind: KindOrganization, ToID: "kaliningrad", ToKind: KindPlace}
	assembles := StoredRelation{ID: "r-assembles", Type: RelAssembles,
		FromID: "plant", FromKind: KindPlant, ToID: "kia", ToKind: KindBrand}
	held := func(ids ...string) map[string]bool {
		m := map[string]bool{}
		for _, id := range ids {
			m[id] = true
		}
		return m
	}
	for _, c := range []struct {
		name    string
		facts   ImportFacts
		dataset func(d *Dataset)
		want    verdict
	}{
		{"nothing stored", ImportFacts{}, nil, written()},
		{"ids held by items of the same sort", ImportFacts{HeldByEntity: held("kaliningrad", "plant"),
			HeldBySource: held("report"), HeldByRelation: held("r-new")}, nil, written()},
		{"a source's id held by an entity", ImportFacts{HeldByEntity: held("report")}, nil,
			refused(CodeBadUserInput, `source "report": the id is already used by an entity`)},
		{"a source's id held by a relation", ImportFacts{HeldByRelation: held("report")}, nil,
			refused(CodeBadUserInput, `source "report": the id is already used by a relation`)},
		{"an entity's id held by a source", ImportFacts{HeldBySource: held("plant")}, nil,
			refused(CodeBadUserInput, `entity "plant": the id is already used by a source`)},
		{"an entity's id held by a relation", ImportFacts{HeldByRelation: held("kaliningrad")}, nil,
			refused(CodeBadUserInput, `entity "kaliningrad": the id is already used by a relation`)},
		{"a relation's id held by an entity", ImportFacts{HeldByEntity: held("r-new")}, nil,
			refused(CodeBadUserInput, `relation "r-new": the id is already used by an entity`)},
		{"a relation's id held by a source", ImportFacts{HeldBySource: held("r-new")}, nil,
			refused(CodeBadUserInput, `relation "r-new": the id is already used by a source`)},
		{"sources come before entities", ImportFacts{HeldBySource: held("plant"), HeldByEntity: held("report")}, nil,
			refused(CodeBadUserInput, `source "report": the id is already used by an entity`)},
		{"id clashes come before kinds", ImportFacts{HeldBySource: held("r-new"),
			Retyped: []RetypedEntity{{ID: "kaliningrad", Relations: []StoredRelation{located}}}}, nil,
			refused(CodeBadUserInput, `relation "r-new": the id is already used by a source`)},
		{"a new kind breaking a stored relation", ImportFacts{Retyped: []RetypedEntity{{ID: "kaliningrad", Relations: []StoredRelation{located}}}}, nil,
			refused(CodeBadUserInput, `entity "kaliningrad": changing its kind to PLANT breaks stored relation "r-located": a LOCATED_IN relation goes from [ORGANIZATION PLANT PLACE] to [PLACE], not from ORGANIZATION to PLANT`)},
		{"a new kind whose broken relation the dataset replaces", ImportFacts{Retyped: []RetypedEntity{{ID: "kaliningrad", Relations: []StoredRelation{located}}}},
			func(d *Dataset) { d.Relations = append(d.Relations, &Relation{ID: "r-located"}) }, written()},
		{"a new kind that still fits a stored relation", ImportFacts{Retyped: []RetypedEntity{{ID: "plant", Relations: []StoredRelation{assembles}}}},
			nil, written()},
		{"a relation whose other end is given a kind that does not fit", ImportFacts{Retyped: []RetypedEntity{{ID: "plant", Relations: []StoredRelation{assembles}}}},
			func(d *Dataset) { d.Add(&Place{EntityBase: EntityBase{ID: "kia"}}) },
			refused(CodeBadUserInput, `entity "plant": changing its kind to ORGANIZATION breaks stored relation "r-assembles": a ASSEMBLES relation goes from [ORGANIZATION PLANT] to [BRAND VEHICLE_MODEL], not from ORGANIZATION to PLACE`)},
		{"a country that is no longer a place", ImportFacts{Retyped: []RetypedEntity{{ID: "kaliningrad", CountryOf: []string{"avtotor"}}}}, nil,
			refused(CodeBadUserInput, `entity "kaliningrad": changing its kind to PLANT breaks the countryId of stored entity "avtotor"`)},
		{"a country whose referrer the dataset replaces", ImportFacts{Retyped: []RetypedEntity{{ID: "kaliningrad", CountryOf: []string{"plant"}}}},
			nil, written()},
		{"a country that becomes a place", ImportFacts{Retyped: []RetypedEntity{{ID: "plant", CountryOf: []string{"avtotor"}}}},
			func(d *Dataset) { d.Organizations = nil; d.Add(&Place{EntityBase: EntityBase{ID: "plant"}}) }, written()},
		{"a publisher that is no longer an organization", ImportFacts{Retyped: []RetypedEntity{{ID: "kaliningrad", PublisherOf: []string{"digest"}}}}, nil,
			refused(CodeBadUserInput, `entity "kaliningrad": changing its kind to PLANT breaks the publisherId of stored source "digest"`)},
		{"a publisher whose source the dataset replaces", ImportFacts{Retyped: []RetypedEntity{{ID: "kaliningrad", PublisherOf: []string{"report"}}}},
			nil, written()},
		{"a publisher that becomes an organization", ImportFacts{Retyped: []RetypedEntity{{ID: "plant", PublisherOf: []string{"digest"}}}},
			nil, written()},
		{"entities in id order, then relations, countries and publishers in id order", ImportFacts{Retyped: []RetypedEntity{
			{ID: "plant", Relations: []StoredRelation{assembles}},
			{ID: "kaliningrad", PublisherOf: []string{"zeta", "alpha"}, CountryOf: []string{"zeta", "beta"},
				Relations: []StoredRelation{{ID: "r-z", Type: RelLocatedIn, FromID: "avtotor", FromKind: KindOrganization, ToID: "kaliningrad", ToKind: KindPlace}, located}},
		}}, func(d *Dataset) { d.Add(&Place{EntityBase: EntityBase{ID: "kia"}}) },
			refused(CodeBadUserInput, `entity "kaliningrad": changing its kind to PLANT breaks stored relation "r-located": a LOCATED_IN relation goes from [ORGANIZATION PLANT PLACE] to [PLACE], not from ORGANIZATION to PLANT`)},
		{"countries in id order", ImportFacts{Retyped: []RetypedEntity{{ID: "kaliningrad", CountryOf: []string{"zeta", "beta"}, PublisherOf: []string{"alpha"}}}}, nil,
			refused(CodeBadUserInput, `entity "kaliningrad": changing its kind to PLANT breaks the countryId of stored entity "beta"`)},
		{"publishers in id order", ImportFacts{Retyped: []RetypedEntity{{ID: "kaliningrad", PublisherOf: []string{"zeta", "alpha"}}}}, nil,
			refused(CodeBadUserInput, `entity "kaliningrad": changing its kind to PLANT breaks the publisherId of stored source "alpha"`)},
	} {
		t.Run(c.name, func(t *testing.T) {
			d := dataset()
			if c.dataset != nil {
				c.dataset(d)
			}
			facts := c.facts
			if got := verdictOf(false, CheckImport(d, &facts)); got != c.want {
				t.Errorf("CheckImport = %+v\nwant %+v", got, c.want)
			}
		})
	}
}

func TestCheckImportedCycle(t *testing.T) {
	r := &Relation{ID: "r-loop", Type: RelLocatedIn, FromID: "russia", ToID: "kaliningrad"}
	if err := CheckImportedCycle(r, nil); err != nil {
		t.Errorf("no chain: %v", err)
	}
	err := CheckImportedCycle(r, []string{"kaliningrad", "russia"})
	want := `relation "r-loop": a LOCATED_IN relation from "russia" to "kaliningrad" would make a cycle: LOCATED_IN already leads from "kaliningrad" back to "russia" (kaliningrad → russia); LOCATED_IN relations must form a hierarchy`
	if ErrorCode(err) != CodeBadUserInput || err.Error() != want {
		t.Errorf("CheckImportedCycle = %v\nwant BAD_USER_INPUT %s", err, want)
	}
	if err := CheckImportedCycle(&Relation{ID: "r", Type: RelPartnersWith, FromID: "a", ToID: "b"}, []string{"b", "a"}); err != nil {
		t.Errorf("a type that is no hierarchy: %v", err)
	}
}
