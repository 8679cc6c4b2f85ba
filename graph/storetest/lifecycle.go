package storetest

import (
	"testing"
	"time"

	"github.com/autograph-kg/autograph/graph/model"
)

// snapshot is everything a store holds, timestamps included, as the listings return it.
type snapshot struct {
	Entities  []model.Entity
	Sources   []*model.Source
	Relations []*model.Relation
}

func takeSnapshot(t *testing.T, s model.Store) snapshot {
	t.Helper()
	ctx := t.Context()
	es, err := s.Entities(ctx, model.EntityQuery{Order: model.Order{Field: model.SortByID}, First: 10000})
	noErr(t, "Entities", err)
	ss, err := s.Sources(ctx, model.SourceQuery{Order: model.Order{Field: model.SortByID}, First: 10000})
	noErr(t, "Sources", err)
	rs, err := s.Relations(ctx, model.RelationQuery{First: 10000})
	noErr(t, "Relations", err)
	return snapshot{es.Items, ss.Items, rs.Items}
}

// testImport checks upserts on a fresh store: idempotency (timestamps included), updates of
// changed items only, relations whose endpoints move, renames, additions that leave cursors
// valid, and that the store keeps its own copy of what it was given.
func testImport(t *testing.T, s model.Store) {
	ctx := t.Context()
	fx := Fixture()
	noErr(t, "Import", s.Import(ctx, fx))

	// The store must not keep references into the dataset it was given.
	fx.Organizations[1].Name = "Changed"
	fx.Organizations[1].Aliases[0] = "changed"
	fx.Relations[0].ValidFrom.Year = 1900
	fx.Relations[0].SourceIDs[0] = "changed"
	fx.Sources[0].Title = "Changed"
	t.Run("CopiesOnTheWayIn", func(t *testing.T) {
		e, err := s.Entity(ctx, "avtotor")
		noErr(t, "Entity(avtotor)", err)
		diff(t, "Entity(avtotor)", Fixture().Organizations[1], e, contentOpts())
		r, err := s.Relation(ctx, "r-avtotor-assembles-baic")
		noErr(t, "Relation", err)
		diff(t, "Relation(r-avtotor-assembles-baic)", Fixture().Relations[0], r, contentOpts())
		src, err := s.Source(ctx, "autostat-2023-01")
		noErr(t, "Source", err)
		diff(t, "Source(autostat-2023-01)", Fixture().Sources[0], src, contentOpts())
	})

	before := takeSnapshot(t, s)
	t.Run("Idempotent", func(t *testing.T) {
		if len(before.Entities) != 75 || len(before.Sources) != 6 || len(before.Relations) != 67 {
			t.Fatalf("after one import: %d entities, %d sources, %d relations; want 75, 6, 67",
				len(before.Entities), len(before.Sources), len(before.Relations))
		}
		time.Sleep(5 * time.Millisecond) // so that a wrongly refreshed timestamp would differ
		noErr(t, "second Import", s.Import(ctx, Fixture()))
		diff(t, "store after importing the same dataset again", before, takeSnapshot(t, s))
	})

	t.Run("UpdatesChangedItemsOnly", func(t *testing.T) {
		old, err := s.Entity(ctx, "avtotor")
		noErr(t, "Entity(avtotor)", err)
		oldKamaz, err := s.Entity(ctx, "kamaz")
		noErr(t, "Entity(kamaz)", err)
		oldRel, err := s.Relation(ctx, "r-tula-in-russia")
		noErr(t, "Relation(r-tula-in-russia)", err)
		oldSrc, err := s.Source(ctx, "kommersant-2022")
		noErr(t, "Source(kommersant-2022)", err)
		time.Sleep(5 * time.Millisecond)

		d := Fixture()
		d.Organizations[1].Description = "Assembles cars in Kaliningrad since 1996."
		d.Relations[0].Note = "Started with the X35."
		d.Sources[2].URL = "https://example.org/kommersant/elan"
		noErr(t, "Import", s.Import(ctx, d))

		src, err := s.Source(ctx, "kommersant-2022")
		noErr(t, "Source(kommersant-2022)", err)
		if src.URL != d.Sources[2].URL || !src.CreatedAt.Equal(oldSrc.CreatedAt) || !src.UpdatedAt.After(oldSrc.UpdatedAt) {
			t.Errorf("kommersant-2022 URL, CreatedAt, UpdatedAt = %q, %v, %v; want the new URL, CreatedAt kept at %v, UpdatedAt after %v",
				src.URL, src.CreatedAt, src.UpdatedAt, oldSrc.CreatedAt, oldSrc.UpdatedAt)
		}

		got, err := s.Entity(ctx, "avtotor")
		noErr(t, "Entity(avtotor)", err)
		if got.Common().Description != "Assembles cars in Kaliningrad since 1996." {
			t.Errorf("avtotor Description = %q, want the imported one", got.Common().Description)
		}
		if !got.Common().CreatedAt.Equal(old.Common().CreatedAt) {
			t.Errorf("avtotor CreatedAt = %v, want it kept at %v", got.Common().CreatedAt, old.Common().CreatedAt)
		}
		if !got.Common().UpdatedAt.After(old.Common().UpdatedAt) {
			t.Errorf("avtotor UpdatedAt = %v, want after %v", got.Common().UpdatedAt, old.Common().UpdatedAt)
		}
		r, err := s.Relation(ctx, "r-avtotor-assembles-baic")
		noErr(t, "Relation", err)
		if r.Note != "Started with the X35." || !r.UpdatedAt.After(r.CreatedAt) {
			t.Errorf("r-avtotor-assembles-baic Note, CreatedAt, UpdatedAt = %q, %v, %v; want the new note and UpdatedAt after CreatedAt", r.Note, r.CreatedAt, r.UpdatedAt)
		}
		kamaz, err := s.Entity(ctx, "kamaz")
		noErr(t, "Entity(kamaz)", err)
		diff(t, "unchanged kamaz, timestamps included", oldKamaz, kamaz)
		rel, err := s.Relation(ctx, "r-tula-in-russia")
		noErr(t, "Relation(r-tula-in-russia)", err)
		diff(t, "unchanged r-tula-in-russia, timestamps included", oldRel, rel)
	})

	t.Run("RelationEndpointMoves", func(t *testing.T) {
		d := Fixture()
		d.Organizations[1].Description = "Assembles cars in Kaliningrad since 1996."
		d.Relations[0].Note = "Started with the X35."
		d.Sources[2].URL = "https://example.org/kommersant/elan"
		d.Relations[6].FromID = "avtotor-holding" // r-avtotor-in-kaliningrad
		noErr(t, "Import", s.Import(ctx, d))

		r, err := s.Relation(ctx, "r-avtotor-in-kaliningrad")
		noErr(t, "Relation", err)
		if r.FromID != "avtotor-holding" {
			t.Errorf("FromID = %q, want avtotor-holding", r.FromID)
		}
		of, err := s.RelationsOf(ctx, []string{"avtotor", "avtotor-holding", "kaliningrad"}, model.RelationsOfQuery{First: 100})
		noErr(t, "RelationsOf", err)
		diff(t, "relations of avtotor", without1(avtotorRels, "r-avtotor-in-kaliningrad"), relationIDs(of["avtotor"].Items))
		diff(t, "relations of avtotor-holding", []string{"r-avtotor-in-kaliningrad"}, relationIDs(of["avtotor-holding"].Items))
		diff(t, "relations of kaliningrad", []string{"r-avtotor-in-kaliningrad", "r-avtotor-plant-in-kaliningrad", "r-kaliningrad-in-oblast"}, relationIDs(of["kaliningrad"].Items))
		page, err := s.Relations(ctx, model.RelationQuery{Filter: model.RelationFilter{FromIDs: []string{"avtotor"}, Types: []model.RelationType{model.RelLocatedIn}}})
		noErr(t, "Relations", err)
		diff(t, "LOCATED_IN from avtotor", []string(nil), relationIDs(page.Items))
		g, err := s.Neighborhood(ctx, model.NeighborhoodQuery{ID: "avtotor-holding", Depth: 1})
		noErr(t, "Neighborhood", err)
		diff(t, "neighborhood of avtotor-holding", []string{"avtotor-holding", "kaliningrad"}, entityIDs(g.Nodes))
		paths, err := s.Paths(ctx, model.PathQuery{From: "avtotor", To: "kaliningrad"})
		noErr(t, "Paths", err)
		var got []pathWant
		for _, p := range paths {
			got = append(got, pathWant{entityIDs(p.Nodes), relationIDs(p.Relations)})
		}
		diff(t, "paths from avtotor to kaliningrad now go through the plant",
			[]pathWant{{[]string{"avtotor", "avtotor-plant", "kaliningrad"}, []string{"r-avtotor-operates-plant", "r-avtotor-plant-in-kaliningrad"}}}, got)
	})

	t.Run("RenameUpdatesSearchAndOrder", func(t *testing.T) {
		d := Fixture()
		d.Organizations[1].Description = "Assembles cars in Kaliningrad since 1996."
		d.Relations[0].Note = "Started with the X35."
		d.Sources[2].URL = "https://example.org/kommersant/elan"
		d.Relations[6].FromID = "avtotor-holding"
		d.Organizations[7].Name = "Abacus Derways" // derways
		noErr(t, "Import", s.Import(ctx, d))

		hits, err := s.Search(ctx, model.SearchQuery{Text: "abacus"})
		noErr(t, "Search", err)
		if len(hits) != 1 || hits[0].Entity.GetID() != "derways" || hits[0].Score != model.ScorePrefix {
			t.Errorf("Search(abacus) = %v, want derways with a prefix score", hits)
		}
		hits, err = s.Search(ctx, model.SearchQuery{Text: "derways"})
		noErr(t, "Search", err)
		if len(hits) != 1 || hits[0].Score != model.ScoreWordPrefix {
			t.Errorf("Search(derways) = %v, want derways with a word-prefix score now", hits)
		}
		page, err := s.Entities(ctx, model.EntityQuery{Kind: model.KindOrganization, Order: model.Order{Field: model.SortByName}, First: 2})
		noErr(t, "Entities", err)
		diff(t, "organizations by name", []string{"derways", "autostat"}, entityIDs(page.Items))
	})

	t.Run("CursorSurvivesAnAddition", func(t *testing.T) {
		byName := model.Order{Field: model.SortByName}
		q := model.EntityQuery{Kind: model.KindOrganization, Order: byName, First: 10}
		first, err := s.Entities(ctx, q)
		noErr(t, "Entities", err)
		q.After = q.Cursor(first.Items[len(first.Items)-1])
		// Aurus sorts first, before the cursor: an offset would shift, a keyset does not.
		add := &model.Dataset{Organizations: []*model.Organization{{
			EntityBase: model.EntityBase{ID: "aurus", Name: "Aurus"},
			Type:       model.OrgManufacturer,
		}}}
		noErr(t, "Import(aurus)", s.Import(ctx, add))
		second, err := s.Entities(ctx, q)
		noErr(t, "Entities", err)
		// derways was renamed "Abacus Derways" above and moved to the front, so the first page
		// ends at sollers-ford ("Ford Sollers").
		diff(t, "last of the first page", "sollers-ford", first.Items[len(first.Items)-1].GetID())
		want := pageWant{
			[]string{"gaz-group", "great-wall-motor", "haval-motor-rus", "hyundai-motor", "interfax", "kamaz", "kia-corporation", "kommersant", "mercedes-benz-group", "minpromtorg"},
			true, 29,
		}
		diff(t, "page after the cursor", want, pageWant{entityIDs(second.Items), second.HasNextPage, second.TotalCount})
		top, err := s.Entities(ctx, model.EntityQuery{Kind: model.KindOrganization, Order: byName, First: 2})
		noErr(t, "Entities", err)
		diff(t, "first page now", []string{"derways", "aurus"}, entityIDs(top.Items))
	})
}

// without1 returns s without the item drop.
func without1(s []string, drop string) []string {
	var out []string
	for _, x := range s {
		if x != drop {
			out = append(out, x)
		}
	}
	return out
}

// testCopies checks that every value a store returns is the caller's own: changing it does not
// change what the store returns next.
func testCopies(t *testing.T, s model.Store) {
	ctx := t.Context()
	fx := Fixture()
	avtotor, x55Rel, kommersant := fx.Organizations[1], fx.Relations[3], fx.Sources[2]

	scribbleEntity := func(e model.Entity) {
		b := e.Common()
		b.Name = "scribbled"
		if len(b.Aliases) > 0 {
			b.Aliases[0] = "scribbled"
		}
		if len(b.SourceIDs) > 0 {
			b.SourceIDs[0] = "scribbled"
		}
		if o, ok := e.(*model.Organization); ok {
			if o.Founded != nil {
				o.Founded.Year = 1
			}
			if o.Ownership != nil {
				*o.Ownership = "scribbled"
			}
		}
	}
	scribbleRelation := func(r *model.Relation) {
		r.FromID = "scribbled"
		if r.ValidTo != nil {
			r.ValidTo.Year = 1
		}
		if r.Quantity != nil {
			*r.Quantity = -1
		}
		if len(r.SourceIDs) > 0 {
			r.SourceIDs[0] = "scribbled"
		}
	}
	check := func(t *testing.T) {
		t.Helper()
		e, err := s.Entity(ctx, "avtotor")
		noErr(t, "Entity(avtotor)", err)
		diff(t, "Entity(avtotor) after scribbling on returned values", avtotor, e, contentOpts())
		r, err := s.Relation(ctx, x55Rel.ID)
		noErr(t, "Relation", err)
		diff(t, "Relation after scribbling on returned values", x55Rel, r, contentOpts())
		src, err := s.Source(ctx, kommersant.ID)
		noErr(t, "Source", err)
		diff(t, "Source after scribbling on returned values", kommersant, src, contentOpts())
	}

	cases := map[string]func(t *testing.T){
		"Entity": func(t *testing.T) {
			e, err := s.Entity(ctx, "avtotor")
			noErr(t, "Entity", err)
			scribbleEntity(e)
		},
		"EntitiesByID": func(t *testing.T) {
			m, err := s.EntitiesByID(ctx, []string{"avtotor"})
			noErr(t, "EntitiesByID", err)
			scribbleEntity(m["avtotor"])
		},
		"Entities": func(t *testing.T) {
			p, err := s.Entities(ctx, model.EntityQuery{Filter: model.EntityFilter{IDs: []string{"avtotor"}}})
			noErr(t, "Entities", err)
			for _, e := range p.Items {
				scribbleEntity(e)
			}
		},
		"Search": func(t *testing.T) {
			hits, err := s.Search(ctx, model.SearchQuery{Text: "avtotor"})
			noErr(t, "Search", err)
			for _, h := range hits {
				scribbleEntity(h.Entity)
			}
		},
		"Neighborhood": func(t *testing.T) {
			g, err := s.Neighborhood(ctx, model.NeighborhoodQuery{ID: "avtotor", Depth: 1})
			noErr(t, "Neighborhood", err)
			for _, e := range g.Nodes {
				scribbleEntity(e)
			}
			for _, r := range g.Relations {
				scribbleRelation(r)
			}
		},
		"Paths": func(t *testing.T) {
			ps, err := s.Paths(ctx, model.PathQuery{From: "avtotor", To: "baic-x55"})
			noErr(t, "Paths", err)
			for _, p := range ps {
				for _, e := range p.Nodes {
					scribbleEntity(e)
				}
				for _, r := range p.Relations {
					scribbleRelation(r)
				}
			}
		},
		"Relation": func(t *testing.T) {
			r, err := s.Relation(ctx, x55Rel.ID)
			noErr(t, "Relation", err)
			scribbleRelation(r)
		},
		"Relations": func(t *testing.T) {
			p, err := s.Relations(ctx, model.RelationQuery{Filter: model.RelationFilter{IDs: []string{x55Rel.ID}}})
			noErr(t, "Relations", err)
			for _, r := range p.Items {
				scribbleRelation(r)
			}
		},
		"RelationsOf": func(t *testing.T) {
			m, err := s.RelationsOf(ctx, []string{"avtotor"}, model.RelationsOfQuery{First: 100})
			noErr(t, "RelationsOf", err)
			for _, r := range m["avtotor"].Items {
				scribbleRelation(r)
			}
		},
		"Source": func(t *testing.T) {
			src, err := s.Source(ctx, kommersant.ID)
			noErr(t, "Source", err)
			src.Title = "scribbled"
		},
		"SourcesByID": func(t *testing.T) {
			m, err := s.SourcesByID(ctx, []string{kommersant.ID})
			noErr(t, "SourcesByID", err)
			m[kommersant.ID].Title = "scribbled"
		},
		"Sources": func(t *testing.T) {
			p, err := s.Sources(ctx, model.SourceQuery{})
			noErr(t, "Sources", err)
			for _, src := range p.Items {
				src.Title = "scribbled"
				src.PublishedOn.Year = 1
			}
		},
	}
	for name, scribble := range cases {
		t.Run(name, func(t *testing.T) {
			scribble(t)
			check(t)
		})
	}
}
