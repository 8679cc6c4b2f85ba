package storetest

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"reflect"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/autograph-kg/autograph/graph/model"
)

// WriteStore is the store the write cases use: every model.Store is one, since the Store
// interface includes model.Writer.
type WriteStore = model.Store

// runWrites runs the write cases of the suite (model.Writer) against the stores newStore
// makes, which must be new and empty; the suite imports the fixture into each. Run calls it.
//
// Every case states its expected result exactly, worked out by hand from the fixture. Writes
// that must be refused are checked for their error code, for a message naming what was wrong,
// and for leaving no trace: the whole store, timestamps included, is compared before and after.
func runWrites(t *testing.T, newStore func(t *testing.T) WriteStore) {
	t.Helper()
	loaded := func(t *testing.T) WriteStore {
		t.Helper()
		s := newStore(t)
		if err := s.Import(t.Context(), Fixture()); err != nil {
			t.Fatalf("Import(Fixture()) = %v, want nil", err)
		}
		return s
	}
	t.Run("UpsertNew", func(t *testing.T) { testUpsertNew(t, loaded(t)) })
	t.Run("UpsertSame", func(t *testing.T) { testUpsertSame(t, loaded(t)) })
	t.Run("UpsertChanged", func(t *testing.T) { testUpsertChanged(t, loaded(t)) })
	t.Run("Refused", func(t *testing.T) { testRefused(t, loaded(t)) })
	t.Run("Hierarchies", func(t *testing.T) { testHierarchies(t, loaded(t)) })
	t.Run("RelationIDsAreReserved", func(t *testing.T) { testRelationIDsAreReserved(t, loaded(t)) })
	t.Run("OptionalText", func(t *testing.T) { testOptionalText(t, loaded(t)) })
	t.Run("AddRelation", func(t *testing.T) { testAddRelation(t, loaded(t)) })
	t.Run("UpdateRelation", func(t *testing.T) { testUpdateRelation(t, loaded(t)) })
	t.Run("RemoveRelation", func(t *testing.T) { testRemoveRelation(t, loaded(t)) })
	t.Run("DeleteEntity", func(t *testing.T) { testDeleteEntity(t, loaded(t)) })
	t.Run("ConcurrentWriters", func(t *testing.T) { testConcurrentWriters(t, loaded(t)) })
	t.Run("Context", func(t *testing.T) { testWriteContext(t, loaded(t)) })
	t.Run("Close", func(t *testing.T) { testWriteClose(t, loaded(t)) })
}

// tick is how long the write tests wait between two writes whose timestamps must differ (or
// must not), so that a wrongly refreshed or wrongly kept timestamp shows.
const tick = 5 * time.Millisecond

// newEntities returns one new entity of each kind, none in the fixture, each with a name and
// an alias that no fixture entity matches exactly; every field its kind has is set, and every
// reference resolves in the fixture.
func newEntities() []model.Entity {
	own := model.OwnershipPrivate
	seg := model.SegmentPassenger
	pt := model.PowertrainBEV
	return []model.Entity{
		&model.Organization{
			EntityBase: model.EntityBase{ID: "tavria-motors", Name: "Tavria Motors", Aliases: []string{"Таврия Моторс"},
				Description: "Assembler in Crimea.", SourceIDs: []string{"kommersant-2022"}},
			Type: model.OrgAssembler, Ownership: &own, Founded: date("2015-07"), CountryID: "russia",
		},
		&model.Brand{
			EntityBase: model.EntityBase{ID: "evolute", Name: "Evolute", Aliases: []string{"Эволют"}, SourceIDs: []string{"autostat-2023-01"}},
			Segment:    &seg, Founded: date("2022"), CountryID: "russia",
		},
		&model.VehicleModel{
			EntityBase: model.EntityBase{ID: "evolute-i-pro", Name: "Evolute i-Pro", Aliases: []string{"i-Pro"}},
			Powertrain: &pt,
		},
		&model.Plant{
			EntityBase: model.EntityBase{ID: "lipetsk-plant", Name: "Lipetsk Plant", Aliases: []string{"Motorinvest"}, Description: "In the Lipetsk special economic zone."},
			Opened:     date("2022-12-15"),
		},
		&model.Place{
			EntityBase: model.EntityBase{ID: "lipetsk-oblast", Name: "Lipetsk Oblast", Aliases: []string{"Липецкая область"}},
			Type:       model.PlaceRegion,
		},
		&model.Agreement{
			EntityBase: model.EntityBase{ID: "evolute-localisation", Name: "Evolute localisation agreement", Aliases: []string{"Evolute deal"},
				SourceIDs: []string{"autostat-2023-01"}},
			SignedOn: date("2022-10"), AnnouncedOn: date("2022-09-01"),
			Provisions: []model.Provision{{Summary: "Localise battery assembly", Due: date("2025")}, {Summary: "Open a dealer network"}},
		},
	}
}

// newSource is a source that is not in the fixture, published by a fixture organization.
func newSource() *model.Source {
	return &model.Source{
		ID: "interfax-2024-02-01", Title: "Evolute starts production in Lipetsk", PublisherID: "interfax",
		PublishedOn: model.MustDate("2024-02-01"), Dateline: "Lipetsk", URL: "https://example.org/interfax/evolute", Language: "ru",
	}
}

// fixtureEntity returns a fresh copy of a fixture entity.
func fixtureEntity(id string) model.Entity {
	for _, e := range Fixture().Entities() {
		if e.GetID() == id {
			return e
		}
	}
	panic("storetest: no fixture entity " + id)
}

// fixtureRelation returns a fresh copy of a fixture relation.
func fixtureRelation(id string) *model.Relation {
	for _, r := range Fixture().Relations {
		if r.ID == id {
			return r
		}
	}
	panic("storetest: no fixture relation " + id)
}

// fixtureSource returns a fresh copy of a fixture source.
func fixtureSource(id string) *model.Source {
	for _, s := range Fixture().Sources {
		if s.ID == id {
			return s
		}
	}
	panic("storetest: no fixture source " + id)
}

// checkNewStamps checks the timestamps of a newly created item: set, and equal.
func checkNewStamps(t *testing.T, what string, created, updated time.Time) {
	t.Helper()
	if created.IsZero() || !updated.Equal(created) {
		t.Errorf("%s: CreatedAt, UpdatedAt = %v, %v; want both set to the same time", what, created, updated)
	}
}

// checkUpdatedStamps checks the timestamps of an item whose content changed: CreatedAt kept,
// UpdatedAt moved forward.
func checkUpdatedStamps(t *testing.T, what string, oldCreated, oldUpdated, created, updated time.Time) {
	t.Helper()
	if !created.Equal(oldCreated) || !updated.After(oldUpdated) {
		t.Errorf("%s: CreatedAt, UpdatedAt = %v, %v; want CreatedAt kept at %v and UpdatedAt after %v",
			what, created, updated, oldCreated, oldUpdated)
	}
}

// hitIDs lists the ids of search hits with their scores, the shape search assertions take.
func hitIDs(hits []model.SearchHit) []string {
	out := make([]string, len(hits))
	for i, h := range hits {
		out[i] = fmt.Sprintf("%s %.1f", h.Entity.GetID(), h.Score)
	}
	return out
}

// testUpsertNew creates one entity of each kind and a source, and reads each back through
// every lookup, listing and search; it also checks that the store keeps its own copies.
func testUpsertNew(t *testing.T, s WriteStore) {
	ctx := t.Context()
	counts := map[model.EntityKind]int{
		model.KindOrganization: 28, model.KindBrand: 11, model.KindVehicleModel: 12,
		model.KindPlant: 4, model.KindPlace: 18, model.KindAgreement: 2,
	}
	for i, in := range newEntities() {
		kind, id := in.Kind(), in.GetID()
		t.Run(string(kind), func(t *testing.T) {
			got, err := s.UpsertEntity(ctx, in)
			noErr(t, "UpsertEntity", err)
			if reflect.TypeOf(got) != reflect.TypeOf(in) {
				t.Fatalf("UpsertEntity returned a %T, want a %T", got, in)
			}
			want := newEntities()[i]
			diff(t, "returned entity", want, got, contentOpts())
			checkNewStamps(t, "new "+id, got.Common().CreatedAt, got.Common().UpdatedAt)
			stored := got.Clone()

			// Neither what was passed in nor what came back is the store's.
			in.Common().Name, in.Common().Aliases[0] = "scribbled", "scribbled"
			got.Common().Name, got.Common().Aliases[0] = "scribbled", "scribbled"

			e, err := s.Entity(ctx, id)
			noErr(t, "Entity", err)
			diff(t, "Entity after UpsertEntity, timestamps included", stored, e)
			m, err := s.EntitiesByID(ctx, []string{id, "avtotor"})
			noErr(t, "EntitiesByID", err)
			diff(t, "EntitiesByID", []string{"avtotor", id}, slices.Sorted(maps.Keys(m)))
			diff(t, "EntitiesByID["+id+"]", stored, m[id])
			page, err := s.Entities(ctx, model.EntityQuery{Kind: kind, Filter: model.EntityFilter{IDs: []string{id}}})
			noErr(t, "Entities", err)
			diff(t, "Entities filtered by id", pageWant{[]string{id}, false, 1}, pageWant{entityIDs(page.Items), page.HasNextPage, page.TotalCount})
			if len(page.Items) == 1 {
				diff(t, "Entities item", stored, page.Items[0])
			}
			all, err := s.Entities(ctx, model.EntityQuery{Kind: kind, First: 1})
			noErr(t, "Entities", err)
			if all.TotalCount != counts[kind]+1 {
				t.Errorf("%s entities: TotalCount = %d, want %d", kind, all.TotalCount, counts[kind]+1)
			}
			for _, text := range []string{want.Common().Name, want.Common().Aliases[0]} {
				hits, err := s.Search(ctx, model.SearchQuery{Text: text, Kinds: []model.EntityKind{kind}, First: 1})
				noErr(t, "Search", err)
				diff(t, "Search("+text+")", []string{id + " 1.0"}, hitIDs(hits))
			}
		})
	}

	t.Run("Source", func(t *testing.T) {
		in := newSource()
		got, err := s.UpsertSource(ctx, in)
		noErr(t, "UpsertSource", err)
		diff(t, "returned source", newSource(), got, contentOpts())
		checkNewStamps(t, "new source", got.CreatedAt, got.UpdatedAt)
		stored := got.Clone()
		in.Title, got.Title = "scribbled", "scribbled"

		src, err := s.Source(ctx, stored.ID)
		noErr(t, "Source", err)
		diff(t, "Source after UpsertSource, timestamps included", stored, src)
		m, err := s.SourcesByID(ctx, []string{stored.ID})
		noErr(t, "SourcesByID", err)
		diff(t, "SourcesByID", map[string]*model.Source{stored.ID: stored}, m)
		page, err := s.Sources(ctx, model.SourceQuery{Filter: model.SourceFilter{PublisherIDs: []string{"interfax"}}, Order: model.Order{Field: model.SortByID}})
		noErr(t, "Sources", err)
		diff(t, "sources published by interfax", pageWant{[]string{"interfax-2023-04-04", stored.ID}, false, 2},
			pageWant{sourceIDs(page.Items), page.HasNextPage, page.TotalCount})
		page, err = s.Sources(ctx, model.SourceQuery{Filter: model.SourceFilter{TitleContains: "evolute"}})
		noErr(t, "Sources", err)
		diff(t, "sources titled evolute", []string{stored.ID}, sourceIDs(page.Items))
		// A relation may cite the new source at once.
		r := &model.Relation{ID: "r-evolute-in-lipetsk", Type: model.RelLocatedIn, FromID: "lipetsk-plant", ToID: "lipetsk-oblast",
			Status: model.StatusActive, SourceIDs: []string{stored.ID}}
		_, err = s.AddRelation(ctx, r)
		noErr(t, "AddRelation citing the new source", err)
	})
}

// testUpsertSame checks that writing what is stored changes nothing, timestamps included,
// for fixture items and for new ones, and that nil and empty lists count as the same.
func testUpsertSame(t *testing.T, s WriteStore) {
	ctx := t.Context()
	before := takeSnapshot(t, s)
	stored := func(id string) model.Entity {
		t.Helper()
		e, err := s.Entity(ctx, id)
		noErr(t, "Entity("+id+")", err)
		return e
	}
	kamaz := fixtureEntity("kamaz")
	kamaz.Common().Aliases, kamaz.Common().SourceIDs = []string{}, []string{}
	gazVW := fixtureEntity("gaz-vw-contract").(*model.Agreement)
	gazVW.Provisions = []model.Provision{}
	entities := map[string]model.Entity{
		"organization with aliases, sources and a date": fixtureEntity("avtotor"),
		"brand":                       fixtureEntity("baic"),
		"agreement with provisions":   fixtureEntity("avtotor-baic-agreement"),
		"empty lists instead of none": kamaz,
		"empty provisions":            gazVW,
	}
	time.Sleep(tick)
	for _, name := range slices.Sorted(maps.Keys(entities)) {
		t.Run(name, func(t *testing.T) {
			e := entities[name]
			want := stored(e.GetID())
			got, err := s.UpsertEntity(ctx, e)
			noErr(t, "UpsertEntity", err)
			diff(t, "returned entity, timestamps included", want, got)
		})
	}
	t.Run("source", func(t *testing.T) {
		want, err := s.Source(ctx, "kommersant-2022")
		noErr(t, "Source", err)
		got, err := s.UpsertSource(ctx, fixtureSource("kommersant-2022"))
		noErr(t, "UpsertSource", err)
		diff(t, "returned source, timestamps included", want, got)
	})
	diff(t, "store after upserting what it holds", before, takeSnapshot(t, s))

	t.Run("new entity twice", func(t *testing.T) {
		e := newEntities()[5]
		first, err := s.UpsertEntity(ctx, e)
		noErr(t, "first UpsertEntity", err)
		time.Sleep(tick)
		second, err := s.UpsertEntity(ctx, newEntities()[5])
		noErr(t, "second UpsertEntity", err)
		diff(t, "second upsert, timestamps included", first, second)
		e2, err := s.Entity(ctx, e.GetID())
		noErr(t, "Entity", err)
		diff(t, "stored entity, timestamps included", first, e2)
	})
	t.Run("new source twice", func(t *testing.T) {
		first, err := s.UpsertSource(ctx, newSource())
		noErr(t, "first UpsertSource", err)
		time.Sleep(tick)
		second, err := s.UpsertSource(ctx, newSource())
		noErr(t, "second UpsertSource", err)
		diff(t, "second upsert, timestamps included", first, second)
	})
}

// testUpsertChanged checks replacement: fields left out are cleared, CreatedAt is kept,
// UpdatedAt moves, and listings and search follow the new content.
func testUpsertChanged(t *testing.T, s WriteStore) {
	ctx := t.Context()
	old, err := s.Entity(ctx, "avtotor")
	noErr(t, "Entity(avtotor)", err)
	oldRel, err := s.Relation(ctx, "r-avtotor-in-kaliningrad")
	noErr(t, "Relation", err)
	time.Sleep(tick)

	t.Run("fields left out are cleared", func(t *testing.T) {
		in := &model.Organization{
			EntityBase: model.EntityBase{ID: "avtotor", Name: "Avtotor", Description: "Car assembler in Kaliningrad since 1996."},
			Type:       model.OrgAssembler,
		}
		got, err := s.UpsertEntity(ctx, in)
		noErr(t, "UpsertEntity", err)
		want := &model.Organization{
			EntityBase: model.EntityBase{ID: "avtotor", Name: "Avtotor", Description: "Car assembler in Kaliningrad since 1996."},
			Type:       model.OrgAssembler,
		}
		diff(t, "returned entity", want, got, contentOpts())
		checkUpdatedStamps(t, "avtotor", old.Common().CreatedAt, old.Common().UpdatedAt, got.Common().CreatedAt, got.Common().UpdatedAt)
		e, err := s.Entity(ctx, "avtotor")
		noErr(t, "Entity", err)
		diff(t, "stored entity, timestamps included", got, e)

		page, err := s.Entities(ctx, model.EntityQuery{
			Kind: model.KindOrganization, Order: model.Order{Field: model.SortByID}, First: 100,
			Filter: model.EntityFilter{Attrs: []model.AttrFilter{{Field: model.AttrCountry, Values: []string{"russia"}}}},
		})
		noErr(t, "Entities", err)
		diff(t, "organizations in russia (avtotor's country was cleared)",
			[]string{"autostat", "avtotor-holding", "avtovaz", "derways", "gaz-group", "haval-motor-rus", "interfax", "kamaz",
				"kommersant", "minpromtorg", "moskvich", "sollers", "sollers-ford", "tagaz"},
			entityIDs(page.Items))
		hits, err := s.Search(ctx, model.SearchQuery{Text: "Автотор"})
		noErr(t, "Search", err)
		diff(t, "Search of the cleared alias", []string(nil), hitIDs(hits))

		// The entity's relations are not the entity: they stay, untouched.
		of, err := s.RelationsOf(ctx, []string{"avtotor"}, model.RelationsOfQuery{First: 100})
		noErr(t, "RelationsOf", err)
		diff(t, "relations of avtotor", avtotorRels, relationIDs(of["avtotor"].Items))
		r, err := s.Relation(ctx, "r-avtotor-in-kaliningrad")
		noErr(t, "Relation", err)
		diff(t, "relation of avtotor, timestamps included", oldRel, r)
	})

	t.Run("rename", func(t *testing.T) {
		kamaz := fixtureEntity("kamaz")
		kamaz.Common().Name = "Kama Automobile Plant"
		_, err := s.UpsertEntity(ctx, kamaz)
		noErr(t, "UpsertEntity", err)
		hits, err := s.Search(ctx, model.SearchQuery{Text: "kama automobile"})
		noErr(t, "Search", err)
		diff(t, "Search(kama automobile)", []string{"kamaz 0.8"}, hitIDs(hits))
		hits, err = s.Search(ctx, model.SearchQuery{Text: "kamaz"})
		noErr(t, "Search", err)
		diff(t, "Search(kamaz), the old name", []string(nil), hitIDs(hits))
		page, err := s.Entities(ctx, model.EntityQuery{Kind: model.KindOrganization, Filter: model.EntityFilter{NameContains: "automobile"}})
		noErr(t, "Entities", err)
		diff(t, "organizations named automobile", []string{"chery", "kamaz"}, entityIDs(page.Items))
	})

	t.Run("source", func(t *testing.T) {
		oldSrc, err := s.Source(ctx, "kommersant-2022")
		noErr(t, "Source", err)
		in := &model.Source{ID: "kommersant-2022", Title: "Élan or exit: foreign carmakers in Russia", PublishedOn: model.MustDate("2022-05")}
		got, err := s.UpsertSource(ctx, in)
		noErr(t, "UpsertSource", err)
		diff(t, "returned source (publisher and language cleared)", in, got, contentOpts())
		checkUpdatedStamps(t, "kommersant-2022", oldSrc.CreatedAt, oldSrc.UpdatedAt, got.CreatedAt, got.UpdatedAt)
		page, err := s.Sources(ctx, model.SourceQuery{Filter: model.SourceFilter{PublisherIDs: []string{"kommersant"}}})
		noErr(t, "Sources", err)
		diff(t, "sources published by kommersant", []string(nil), sourceIDs(page.Items))
	})
}

// refusal is one write that must be refused.
type refusal struct {
	name string
	call func(ctx context.Context, s WriteStore) error
	code model.Code
	// says is a part of the message that tells the curator what was wrong.
	says string
}

// refusals lists invalid writes of every method. Dates cannot be impossible at this level
// (model.Date values are parsed at the edge), so there is no case for them.
func refusals() []refusal {
	const digest = "zavod-digest-2023"
	rel := func(mutate func(r *model.Relation)) *model.Relation {
		r := &model.Relation{ID: "r-new", Type: model.RelAssembles, FromID: "avtotor", ToID: "haval",
			Status: model.StatusActive, SourceIDs: []string{"kommersant-2022"}}
		mutate(r)
		return r
	}
	add := func(mutate func(r *model.Relation)) func(context.Context, WriteStore) error {
		return func(ctx context.Context, s WriteStore) error { _, err := s.AddRelation(ctx, rel(mutate)); return err }
	}
	update := func(mutate func(r *model.Relation)) func(context.Context, WriteStore) error {
		return func(ctx context.Context, s WriteStore) error {
			r := fixtureRelation("r-tula-in-russia")
			mutate(r)
			_, err := s.UpdateRelation(ctx, r)
			return err
		}
	}
	upsert := func(e model.Entity) func(context.Context, WriteStore) error {
		return func(ctx context.Context, s WriteStore) error { _, err := s.UpsertEntity(ctx, e); return err }
	}
	brand := func(id, name, country string, sources ...string) model.Entity {
		return &model.Brand{EntityBase: model.EntityBase{ID: id, Name: name, SourceIDs: sources}, CountryID: country}
	}
	place := func(id string) model.Entity {
		return &model.Place{EntityBase: model.EntityBase{ID: id, Name: "Somewhere"}, Type: model.PlaceCity}
	}
	source := func(mutate func(s *model.Source)) func(context.Context, WriteStore) error {
		return func(ctx context.Context, s WriteStore) error {
			src := newSource()
			mutate(src)
			_, err := s.UpsertSource(ctx, src)
			return err
		}
	}
	neg := -1
	bad, notFound := model.CodeBadUserInput, model.CodeNotFound
	return []refusal{
		// Relations: references.
		{"add: unknown from", add(func(r *model.Relation) { r.FromID = "no-such-org" }), notFound, `"no-such-org"`},
		{"add: unknown to", add(func(r *model.Relation) { r.ToID = "no-such-brand" }), notFound, `"no-such-brand"`},
		{"add: unknown source", add(func(r *model.Relation) { r.SourceIDs = []string{"kommersant-2022", "no-such-source"} }), notFound, `"no-such-source"`},
		{"add: no source", add(func(r *model.Relation) { r.SourceIDs = nil }), bad, "source"},
		// Relations: endpoint kinds, one case per rule that a curator is likely to get wrong.
		{"add: OWNS_BRAND from a brand", add(func(r *model.Relation) { r.Type, r.FromID = model.RelOwnsBrand, "kia" }), bad, "OWNS_BRAND"},
		{"add: HAS_MODEL from an organization", add(func(r *model.Relation) { r.Type, r.ToID = model.RelHasModel, "baic-x35" }), bad, "HAS_MODEL"},
		{"add: LOCATED_IN from a brand", add(func(r *model.Relation) { r.Type, r.FromID, r.ToID = model.RelLocatedIn, "kia", "russia" }), bad, "LOCATED_IN"},
		{"add: LOCATED_IN to an organization", add(func(r *model.Relation) { r.Type, r.ToID = model.RelLocatedIn, "avtotor-holding" }), bad, "LOCATED_IN"},
		{"add: PARTY_TO to an organization", add(func(r *model.Relation) { r.Type, r.ToID = model.RelPartyTo, "baic-group" }), bad, "PARTY_TO"},
		{"add: OPERATES to a brand", add(func(r *model.Relation) { r.Type = model.RelOperates }), bad, "OPERATES"},
		{"add: ASSEMBLES to a place", add(func(r *model.Relation) { r.FromID, r.ToID = "haval-plant", "tula-oblast" }), bad, "ASSEMBLES"},
		{"add: SUBSIDIARY_OF to a plant", add(func(r *model.Relation) { r.Type, r.ToID = model.RelSubsidiaryOf, "gaz-plant" }), bad, "SUBSIDIARY_OF"},
		// Relations: no self-relations, no cycles in hierarchies.
		{"add: a relation to itself", add(func(r *model.Relation) { r.Type, r.ToID = model.RelPartnersWith, "avtotor" }), bad, `from "avtotor" to itself`},
		{"add: a place in itself", add(func(r *model.Relation) { r.Type, r.FromID, r.ToID = model.RelLocatedIn, "kaliningrad", "kaliningrad" }), bad, "itself"},
		{"add: LOCATED_IN closing a cycle", add(func(r *model.Relation) { r.Type, r.FromID, r.ToID = model.RelLocatedIn, "russia", "kaliningrad" }),
			bad, "cycle: LOCATED_IN already leads from \"kaliningrad\" back to \"russia\" (kaliningrad → kaliningrad-oblast → russia)"},
		{"add: SUBSIDIARY_OF both ways", add(func(r *model.Relation) { r.Type, r.FromID, r.ToID = model.RelSubsidiaryOf, "baic-group", "baic-motor" }),
			bad, "(baic-motor → baic-group)"},
		{"add: an ended SUBSIDIARY_OF closing a cycle still counts", add(func(r *model.Relation) {
			r.Type, r.FromID, r.ToID, r.Status, r.ValidTo = model.RelSubsidiaryOf, "renault-group", "avtovaz", model.StatusEnded, date("1999")
		}), bad, "cycle"},
		{"update: a relation to itself", update(func(r *model.Relation) { r.FromID, r.ToID = "tula-oblast", "tula-oblast" }), bad, "itself"},
		{"update: moved so that it closes a cycle", update(func(r *model.Relation) { r.FromID, r.ToID = "russia", "kaliningrad" }),
			bad, "(kaliningrad → kaliningrad-oblast → russia)"},
		// Relations: content.
		{"add: validTo before validFrom", add(func(r *model.Relation) { r.ValidFrom, r.ValidTo = date("2024"), date("2023") }), bad, "before validFrom"},
		{"add: negative quantity", add(func(r *model.Relation) { r.Quantity = &neg }), bad, "negative"},
		{"add: unknown type", add(func(r *model.Relation) { r.Type = "BUILDS" }), bad, "BUILDS"},
		{"add: unknown status", add(func(r *model.Relation) { r.Status = "RUMOURED" }), bad, "RUMOURED"},
		// Relations: ids.
		{"add: id not a slug", add(func(r *model.Relation) { r.ID = "R New" }), bad, "slug"},
		{"add: id of an entity", add(func(r *model.Relation) { r.ID = "avtotor" }), bad, `"avtotor"`},
		{"add: id of a source", add(func(r *model.Relation) { r.ID = "kommersant-2022" }), bad, `"kommersant-2022"`},
		{"add: id of a relation with other content", add(func(r *model.Relation) {
			*r = *fixtureRelation("r-tula-in-russia")
			r.Note = "changed"
		}), bad, `"r-tula-in-russia"`},
		// Relations: updates and removals.
		{"update: unknown id", update(func(r *model.Relation) { r.ID = "no-such-relation" }), notFound, `"no-such-relation"`},
		{"update: unknown endpoint", update(func(r *model.Relation) { r.ToID = "atlantis" }), notFound, `"atlantis"`},
		{"update: unknown source", update(func(r *model.Relation) { r.SourceIDs = []string{"no-such-source"} }), notFound, `"no-such-source"`},
		{"update: no source", update(func(r *model.Relation) { r.SourceIDs = []string{} }), bad, "source"},
		{"update: type does not fit", update(func(r *model.Relation) { r.Type = model.RelOwnsBrand }), bad, "OWNS_BRAND"},
		{"update: validTo before validFrom", update(func(r *model.Relation) { r.ValidFrom, r.ValidTo = date("2020-05"), date("2020-04") }), bad, "before validFrom"},
		{"remove: unknown id", func(ctx context.Context, s WriteStore) error { return s.RemoveRelation(ctx, "no-such-relation") }, notFound, `"no-such-relation"`},
		// Entities.
		{"upsert: id not a slug", upsert(brand("New Brand", "New", "")), bad, "slug"},
		{"upsert: no name", upsert(brand("new-brand", "  ", "")), bad, "name"},
		{"upsert: unknown source", upsert(brand("new-brand", "New", "", "no-such-source")), notFound, `"no-such-source"`},
		{"upsert: unknown organization type", upsert(&model.Organization{EntityBase: model.EntityBase{ID: "new-org", Name: "New"}, Type: "BANK"}), bad, "BANK"},
		{"upsert: id of another kind", upsert(brand("avtotor", "Avtotor brand", "")), bad, `"avtotor"`},
		{"upsert: kind change with nothing depending on it", upsert(&model.Plant{EntityBase: model.EntityBase{ID: "minpromtorg", Name: "Ministry Plant"}}), bad, `"minpromtorg"`},
		{"upsert: kind change breaking relations", upsert(place("baic-x35")), bad, `"baic-x35"`},
		{"upsert: id of a source", upsert(place("kommersant-2022")), bad, `"kommersant-2022"`},
		{"upsert: id of a relation", upsert(place("r-tula-in-russia")), bad, `"r-tula-in-russia"`},
		{"upsert: id of the shape of a derived relation id", upsert(place("avtotor-assembles-haval-0123abcd")), bad, "reserved for relations"},
		{"upsert: brand country not a place", upsert(brand("new-brand", "New", "avtotor")), bad, `"avtotor"`},
		{"upsert: organization country not a place", upsert(&model.Organization{EntityBase: model.EntityBase{ID: "new-org", Name: "New"}, Type: model.OrgOther, CountryID: "kia"}), bad, `"kia"`},
		{"upsert: unknown country", upsert(brand("new-brand", "New", "atlantis")), notFound, `"atlantis"`},
		{"upsert: existing entity with an unknown country", upsert(brand("kia", "Kia", "atlantis", digest)), notFound, `"atlantis"`},
		{"delete: unknown id", func(ctx context.Context, s WriteStore) error {
			_, err := s.DeleteEntity(ctx, "no-such-entity")
			return err
		}, notFound, `"no-such-entity"`},
		// Sources.
		{"source: id not a slug", source(func(s *model.Source) { s.ID = "Interfax 2024" }), bad, "slug"},
		{"source: no title", source(func(s *model.Source) { s.Title = "" }), bad, "title"},
		{"source: no date", source(func(s *model.Source) { s.PublishedOn = model.Date{} }), bad, "publishedOn"},
		{"source: bad url", source(func(s *model.Source) { s.URL = "ftp://example.org" }), bad, "url"},
		{"source: id of an entity", source(func(s *model.Source) { s.ID = "avtotor" }), bad, `"avtotor"`},
		{"source: id of a relation", source(func(s *model.Source) { s.ID = "r-tula-in-russia" }), bad, `"r-tula-in-russia"`},
		{"source: id of the shape of a derived relation id", source(func(s *model.Source) { s.ID = "kaliningrad-located-in-russia-9f8e7d6c" }), bad, "reserved for relations"},
		{"source: publisher not an organization", source(func(s *model.Source) { s.PublisherID = "russia" }), bad, `"russia"`},
		{"source: unknown publisher", source(func(s *model.Source) { s.PublisherID = "no-such-publisher" }), notFound, `"no-such-publisher"`},
		{"source: existing source with a bad publisher", source(func(s *model.Source) { *s = *fixtureSource("kommersant-2022"); s.PublisherID = "kia" }), bad, `"kia"`},
	}
}

// testRefused sends every invalid write and checks its code, its message and that the store,
// timestamps included, is as it was.
func testRefused(t *testing.T, s WriteStore) {
	ctx := t.Context()
	before := takeSnapshot(t, s)
	for _, tc := range refusals() {
		t.Run(tc.name, func(t *testing.T) {
			err := tc.call(ctx, s)
			wantCode(t, tc.name, err, tc.code)
			var de *model.Error
			if err != nil && (!errors.As(err, &de) || !strings.Contains(de.Message, tc.says)) {
				t.Errorf("%s: error %q; want a message that says %s", tc.name, err, tc.says)
			}
			diff(t, "store after a refused write", before, takeSnapshot(t, s))
		})
	}
}

// testAddRelation checks that adding a relation is idempotent (the same fact twice, even with
// its sources in another order, is one relation with its first timestamps) and visible at
// once in every read.
func testAddRelation(t *testing.T, s WriteStore) {
	ctx := t.Context()
	newRel := func() *model.Relation {
		r := &model.Relation{Type: model.RelAssembles, FromID: "haval-plant", ToID: "haval", Status: model.StatusActive,
			ValidFrom: date("2019-06"), SourceIDs: []string{"autostat-2023-01", "zavod-digest-2023"}}
		r.ID = model.RelationID(r)
		return r
	}
	id := newRel().ID
	first, err := s.AddRelation(ctx, newRel())
	noErr(t, "AddRelation", err)
	diff(t, "returned relation", newRel(), first, contentOpts())
	checkNewStamps(t, "new relation", first.CreatedAt, first.UpdatedAt)
	stored := first.Clone()
	first.SourceIDs[0], first.FromID = "scribbled", "scribbled"

	got, err := s.Relation(ctx, id)
	noErr(t, "Relation", err)
	diff(t, "Relation after AddRelation, timestamps included", stored, got)

	time.Sleep(tick)
	t.Run("same fact again", func(t *testing.T) {
		again, err := s.AddRelation(ctx, newRel())
		noErr(t, "AddRelation again", err)
		diff(t, "second add, timestamps included", stored, again)
		reordered := newRel()
		slices.Reverse(reordered.SourceIDs)
		again, err = s.AddRelation(ctx, reordered)
		noErr(t, "AddRelation with the sources in another order", err)
		diff(t, "add with the sources in another order, timestamps included", stored, again)
	})
	t.Run("reads", func(t *testing.T) {
		page, err := s.Relations(ctx, model.RelationQuery{Filter: model.RelationFilter{FromIDs: []string{"haval-plant"}, ToIDs: []string{"haval"}}})
		noErr(t, "Relations", err)
		diff(t, "relations from haval-plant to haval", pageWant{[]string{id}, false, 1}, pageWant{relationIDs(page.Items), page.HasNextPage, page.TotalCount})
		all, err := s.Relations(ctx, model.RelationQuery{First: 1})
		noErr(t, "Relations", err)
		if all.TotalCount != 68 {
			t.Errorf("relations: TotalCount = %d, want 68", all.TotalCount)
		}
		of, err := s.RelationsOf(ctx, []string{"haval"}, model.RelationsOfQuery{Direction: model.DirectionIn, First: 100})
		noErr(t, "RelationsOf", err)
		diff(t, "relations into haval", []string{id, "r-gwm-owns-haval"}, relationIDs(of["haval"].Items))
		g, err := s.Neighborhood(ctx, model.NeighborhoodQuery{ID: "haval-plant", Depth: 1})
		noErr(t, "Neighborhood", err)
		diff(t, "neighbours of haval-plant", []string{"haval-plant", "haval", "haval-f7", "haval-jolion", "haval-motor-rus", "tula-oblast"}, entityIDs(g.Nodes))
		ps, err := s.Paths(ctx, model.PathQuery{From: "haval-plant", To: "great-wall-motor"})
		noErr(t, "Paths", err)
		var paths []pathWant
		for _, p := range ps {
			paths = append(paths, pathWant{entityIDs(p.Nodes), relationIDs(p.Relations)})
		}
		diff(t, "paths from haval-plant to great-wall-motor", []pathWant{
			{[]string{"haval-plant", "haval", "great-wall-motor"}, []string{id, "r-gwm-owns-haval"}},
			{[]string{"haval-plant", "haval-motor-rus", "great-wall-motor"}, []string{"r-haval-rus-operates-plant", "r-haval-rus-subsidiary-of-gwm"}},
		}, paths)
	})
}

// testUpdateRelation moves a relation to other endpoints and checks every index follows.
func testUpdateRelation(t *testing.T, s WriteStore) {
	ctx := t.Context()
	const id = "r-avtotor-in-kaliningrad"
	old, err := s.Relation(ctx, id)
	noErr(t, "Relation", err)
	time.Sleep(tick)
	moved := func() *model.Relation {
		return &model.Relation{ID: id, Type: model.RelLocatedIn, FromID: "avtotor-holding", ToID: "kaliningrad-oblast",
			Status: model.StatusActive, ValidFrom: date("2008"), SourceIDs: []string{"interfax-2023-04-04"}}
	}
	got, err := s.UpdateRelation(ctx, moved())
	noErr(t, "UpdateRelation", err)
	diff(t, "returned relation", moved(), got, contentOpts())
	checkUpdatedStamps(t, id, old.CreatedAt, old.UpdatedAt, got.CreatedAt, got.UpdatedAt)
	r, err := s.Relation(ctx, id)
	noErr(t, "Relation", err)
	diff(t, "stored relation, timestamps included", got, r)

	of, err := s.RelationsOf(ctx, []string{"avtotor", "avtotor-holding", "kaliningrad", "kaliningrad-oblast"}, model.RelationsOfQuery{First: 100})
	noErr(t, "RelationsOf", err)
	diff(t, "relations of avtotor", without1(avtotorRels, id), relationIDs(of["avtotor"].Items))
	diff(t, "relations of avtotor-holding", []string{id}, relationIDs(of["avtotor-holding"].Items))
	diff(t, "relations of kaliningrad", []string{"r-avtotor-plant-in-kaliningrad", "r-kaliningrad-in-oblast"}, relationIDs(of["kaliningrad"].Items))
	diff(t, "relations of kaliningrad-oblast", []string{id, "r-kaliningrad-in-oblast", "r-kaliningrad-oblast-in-russia"}, relationIDs(of["kaliningrad-oblast"].Items))
	page, err := s.Relations(ctx, model.RelationQuery{Filter: model.RelationFilter{FromIDs: []string{"avtotor"}, Types: []model.RelationType{model.RelLocatedIn}}})
	noErr(t, "Relations", err)
	diff(t, "LOCATED_IN from avtotor", []string(nil), relationIDs(page.Items))
	page, err = s.Relations(ctx, model.RelationQuery{Filter: model.RelationFilter{ToIDs: []string{"kaliningrad-oblast"}, AsOf: date("2010")}})
	noErr(t, "Relations", err)
	diff(t, "relations into kaliningrad-oblast as of 2010", []string{id, "r-kaliningrad-in-oblast"}, relationIDs(page.Items))
	g, err := s.Neighborhood(ctx, model.NeighborhoodQuery{ID: "avtotor-holding", Depth: 1})
	noErr(t, "Neighborhood", err)
	diff(t, "neighbours of avtotor-holding", []string{"avtotor-holding", "kaliningrad-oblast"}, entityIDs(g.Nodes))

	t.Run("same content again", func(t *testing.T) {
		time.Sleep(tick)
		again, err := s.UpdateRelation(ctx, moved())
		noErr(t, "UpdateRelation", err)
		diff(t, "second update, timestamps included", got, again)
	})
	t.Run("fields left out are cleared", func(t *testing.T) {
		in := moved()
		in.ValidFrom = nil
		cleared, err := s.UpdateRelation(ctx, in)
		noErr(t, "UpdateRelation", err)
		if cleared.ValidFrom != nil {
			t.Errorf("ValidFrom = %v, want it cleared", cleared.ValidFrom)
		}
	})
}

// testRemoveRelation removes one of two parallel relations.
func testRemoveRelation(t *testing.T, s WriteStore) {
	ctx := t.Context()
	const id = "r-avtotor-partners-baic-1"
	noErr(t, "RemoveRelation", s.RemoveRelation(ctx, id))
	_, err := s.Relation(ctx, id)
	wantCode(t, "Relation after RemoveRelation", err, model.CodeNotFound)
	wantCode(t, "RemoveRelation again", s.RemoveRelation(ctx, id), model.CodeNotFound)
	of, err := s.RelationsOf(ctx, []string{"avtotor", "baic-group"}, model.RelationsOfQuery{Filter: model.RelationFilter{Types: []model.RelationType{model.RelPartnersWith}}})
	noErr(t, "RelationsOf", err)
	diff(t, "partners of avtotor", []string{"r-avtotor-partners-baic-2", "r-avtotor-partners-mercedes"}, relationIDs(of["avtotor"].Items))
	diff(t, "partners of baic-group", []string{"r-avtotor-partners-baic-2"}, relationIDs(of["baic-group"].Items))
	ps, err := s.Paths(ctx, model.PathQuery{From: "avtotor", To: "baic-group"})
	noErr(t, "Paths", err)
	var paths []pathWant
	for _, p := range ps {
		paths = append(paths, pathWant{entityIDs(p.Nodes), relationIDs(p.Relations)})
	}
	diff(t, "paths from avtotor to baic-group", []pathWant{{[]string{"avtotor", "baic-group"}, []string{"r-avtotor-partners-baic-2"}}}, paths)
	all, err := s.Relations(ctx, model.RelationQuery{First: 1})
	noErr(t, "Relations", err)
	if all.TotalCount != 66 {
		t.Errorf("relations: TotalCount = %d, want 66", all.TotalCount)
	}
}

// testDeleteEntity deletes the hub and checks that its relations are gone from every read,
// then an entity without relations and the references that stay.
func testDeleteEntity(t *testing.T, s WriteStore) {
	ctx := t.Context()
	n, err := s.DeleteEntity(ctx, "avtotor")
	noErr(t, "DeleteEntity(avtotor)", err)
	if n != 12 {
		t.Errorf("DeleteEntity(avtotor) = %d relations, want 12", n)
	}
	_, err = s.Entity(ctx, "avtotor")
	wantCode(t, "Entity(avtotor)", err, model.CodeNotFound)
	m, err := s.EntitiesByID(ctx, []string{"avtotor", "kia"})
	noErr(t, "EntitiesByID", err)
	diff(t, "EntitiesByID", []string{"kia"}, slices.Sorted(maps.Keys(m)))
	orgs, err := s.Entities(ctx, model.EntityQuery{Kind: model.KindOrganization, First: 1})
	noErr(t, "Entities", err)
	if orgs.TotalCount != 27 {
		t.Errorf("organizations: TotalCount = %d, want 27", orgs.TotalCount)
	}
	hits, err := s.Search(ctx, model.SearchQuery{Text: "avtotor"})
	noErr(t, "Search", err)
	diff(t, "Search(avtotor)", []string{"avtotor-holding 1.0", "avtotor-baic-agreement 0.8", "avtotor-plant 0.8"}, hitIDs(hits))

	for _, id := range avtotorRels {
		_, err := s.Relation(ctx, id)
		wantCode(t, "Relation("+id+")", err, model.CodeNotFound)
	}
	all, err := s.Relations(ctx, model.RelationQuery{First: 1})
	noErr(t, "Relations", err)
	if all.TotalCount != 55 {
		t.Errorf("relations: TotalCount = %d, want 55", all.TotalCount)
	}
	page, err := s.Relations(ctx, model.RelationQuery{Filter: model.RelationFilter{SourceIDs: []string{"press-release-2023"}}})
	noErr(t, "Relations", err)
	diff(t, "relations citing press-release-2023", []string(nil), relationIDs(page.Items))
	of, err := s.RelationsOf(ctx, []string{"avtotor", "kaliningrad"}, model.RelationsOfQuery{First: 100})
	noErr(t, "RelationsOf", err)
	diff(t, "relations of avtotor", pageWant{nil, false, 0}, pageWant{relationIDs(of["avtotor"].Items), of["avtotor"].HasNextPage, of["avtotor"].TotalCount})
	diff(t, "relations of kaliningrad", []string{"r-avtotor-plant-in-kaliningrad", "r-kaliningrad-in-oblast"}, relationIDs(of["kaliningrad"].Items))
	_, err = s.Neighborhood(ctx, model.NeighborhoodQuery{ID: "avtotor", Depth: 1})
	wantCode(t, "Neighborhood(avtotor)", err, model.CodeNotFound)
	g, err := s.Neighborhood(ctx, model.NeighborhoodQuery{ID: "kaliningrad", Depth: 1})
	noErr(t, "Neighborhood", err)
	diff(t, "neighborhood of kaliningrad", subgraphWant{
		[]string{"kaliningrad", "avtotor-plant", "kaliningrad-oblast"},
		[]string{"r-avtotor-plant-in-kaliningrad", "r-kaliningrad-in-oblast"}, false,
	}, subgraphWant{entityIDs(g.Nodes), relationIDs(g.Relations), g.Truncated})
	// The only way from the plant to the BAIC X35 within four steps was through avtotor.
	ps, err := s.Paths(ctx, model.PathQuery{From: "avtotor-plant", To: "baic-x35"})
	noErr(t, "Paths", err)
	diff(t, "paths from avtotor-plant to baic-x35", 0, len(ps))
	_, err = s.Paths(ctx, model.PathQuery{From: "avtotor", To: "baic"})
	wantCode(t, "Paths from avtotor", err, model.CodeNotFound)
	_, err = s.DeleteEntity(ctx, "avtotor")
	wantCode(t, "DeleteEntity(avtotor) again", err, model.CodeNotFound)

	t.Run("references stay", func(t *testing.T) {
		src, err := s.Source(ctx, "press-release-2023")
		noErr(t, "Source", err)
		if src.PublisherID != "avtotor" {
			t.Errorf("press-release-2023 PublisherID = %q, want avtotor kept", src.PublisherID)
		}
		n, err := s.DeleteEntity(ctx, "czechia")
		noErr(t, "DeleteEntity(czechia)", err)
		if n != 0 {
			t.Errorf("DeleteEntity(czechia) = %d relations, want 0", n)
		}
		e, err := s.Entity(ctx, "skoda-auto")
		noErr(t, "Entity(skoda-auto)", err)
		if c := e.(*model.Organization).CountryID; c != "czechia" {
			t.Errorf("skoda-auto CountryID = %q, want czechia kept", c)
		}
	})
	t.Run("an entity without relations", func(t *testing.T) {
		n, err := s.DeleteEntity(ctx, "monaco")
		noErr(t, "DeleteEntity(monaco)", err)
		if n != 0 {
			t.Errorf("DeleteEntity(monaco) = %d relations, want 0", n)
		}
	})
	t.Run("the id is free again", func(t *testing.T) {
		b := &model.Brand{EntityBase: model.EntityBase{ID: "monaco", Name: "Monaco Motors"}}
		got, err := s.UpsertEntity(ctx, b)
		noErr(t, "UpsertEntity", err)
		checkNewStamps(t, "new monaco", got.Common().CreatedAt, got.Common().UpdatedAt)
	})
}

// testConcurrentWriters runs many writers at once, each reading its own write right after it,
// then checks that every acknowledged write is there.
func testConcurrentWriters(t *testing.T, s WriteStore) {
	ctx := t.Context()
	const writers, each = 8, 50
	var wg sync.WaitGroup
	for g := range writers {
		wg.Go(func() {
			for i := range each {
				id := fmt.Sprintf("writer-%d-%d", g, i)
				if i%2 == 0 {
					e := &model.Organization{EntityBase: model.EntityBase{ID: id, Name: "Writer " + id, SourceIDs: []string{"zavod-digest-2023"}},
						Type: model.OrgOther, CountryID: "russia"}
					if _, err := s.UpsertEntity(ctx, e); err != nil {
						t.Errorf("UpsertEntity(%s) = %v", id, err)
						return
					}
					if _, err := s.Entity(ctx, id); err != nil {
						t.Errorf("Entity(%s) right after its upsert = %v", id, err)
					}
					continue
				}
				r := &model.Relation{ID: "r-" + id, Type: model.RelPartnersWith, FromID: fmt.Sprintf("writer-%d-%d", g, i-1), ToID: "avtotor",
					Status: model.StatusActive, SourceIDs: []string{"zavod-digest-2023"}}
				if _, err := s.AddRelation(ctx, r); err != nil {
					t.Errorf("AddRelation(%s) = %v", r.ID, err)
					return
				}
				if _, err := s.Relation(ctx, r.ID); err != nil {
					t.Errorf("Relation(%s) right after its add = %v", r.ID, err)
				}
			}
		})
	}
	wg.Wait()
	var ids []string
	for g := range writers {
		for i := 0; i < each; i += 2 {
			ids = append(ids, fmt.Sprintf("writer-%d-%d", g, i))
		}
	}
	m, err := s.EntitiesByID(ctx, ids)
	noErr(t, "EntitiesByID", err)
	if len(m) != len(ids) {
		t.Errorf("EntitiesByID found %d of the %d written entities", len(m), len(ids))
	}
	orgs, err := s.Entities(ctx, model.EntityQuery{Kind: model.KindOrganization, First: 1})
	noErr(t, "Entities", err)
	if want := 28 + writers*each/2; orgs.TotalCount != want {
		t.Errorf("organizations: TotalCount = %d, want %d", orgs.TotalCount, want)
	}
	into, err := s.Relations(ctx, model.RelationQuery{Filter: model.RelationFilter{ToIDs: []string{"avtotor"}}, First: 1})
	noErr(t, "Relations", err)
	if want := writers * each / 2; into.TotalCount != want {
		t.Errorf("relations into avtotor: TotalCount = %d, want %d", into.TotalCount, want)
	}
	of, err := s.RelationsOf(ctx, []string{"avtotor"}, model.RelationsOfQuery{First: 1})
	noErr(t, "RelationsOf", err)
	if want := len(avtotorRels) + writers*each/2; of["avtotor"].TotalCount != want {
		t.Errorf("relations of avtotor: TotalCount = %d, want %d", of["avtotor"].TotalCount, want)
	}
}

// writeCalls is one valid call of each write method, for the context and close checks.
func writeCalls(ctx context.Context, s WriteStore) map[string]func() error {
	return map[string]func() error{
		"UpsertEntity": func() error { _, err := s.UpsertEntity(ctx, newEntities()[0]); return err },
		"UpsertSource": func() error { _, err := s.UpsertSource(ctx, newSource()); return err },
		"AddRelation": func() error {
			r := fixtureRelation("r-tula-in-russia")
			r.ID = "r-tula-in-russia-2"
			_, err := s.AddRelation(ctx, r)
			return err
		},
		"UpdateRelation": func() error {
			r := fixtureRelation("r-tula-in-russia")
			r.Note = "changed"
			_, err := s.UpdateRelation(ctx, r)
			return err
		},
		"RemoveRelation": func() error { return s.RemoveRelation(ctx, "r-tula-in-russia") },
		"DeleteEntity":   func() error { _, err := s.DeleteEntity(ctx, "avtotor"); return err },
	}
}

// testWriteContext checks that a done context stops every write before it changes anything.
func testWriteContext(t *testing.T, s WriteStore) {
	before := takeSnapshot(t, s)
	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	calls := writeCalls(ctx, s)
	for _, name := range slices.Sorted(maps.Keys(calls)) {
		t.Run(name, func(t *testing.T) {
			if err := calls[name](); !errors.Is(err, context.Canceled) {
				t.Errorf("%s with a cancelled context: error = %v, want one wrapping context.Canceled", name, err)
			}
		})
	}
	diff(t, "store after writes with a cancelled context", before, takeSnapshot(t, s))
}

// testWriteClose checks that a closed store refuses every write with UNAVAILABLE.
func testWriteClose(t *testing.T, s WriteStore) {
	ctx := t.Context()
	noErr(t, "Close", s.Close(ctx))
	calls := writeCalls(ctx, s)
	for _, name := range slices.Sorted(maps.Keys(calls)) {
		t.Run(name, func(t *testing.T) {
			wantCode(t, name+" after Close", calls[name](), model.CodeUnavailable)
		})
	}
}
