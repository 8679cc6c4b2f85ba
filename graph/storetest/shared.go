package storetest

import (
	"fmt"
	"testing"

	"github.com/autograph-kg/autograph/graph/instrument"
	"github.com/autograph-kg/autograph/graph/model"
)

// testShared checks model.SharedReader as the loaders and resolvers see it: through the
// instrumented store, which is the store's own SharedReader when it has one (the embedded
// store) and copies from its batch lookups otherwise (Neo4j). Its answers are those of
// EntitiesByID, SourcesByID, RelationsOf, RelationsOfWithEnds and Neighborhood (ids in the
// order asked); and a value it handed out is never changed afterwards, by an upsert of the
// same id, a deletion or an import, since it may be the stored value itself.
func testShared(t *testing.T, s model.Store) {
	ctx := t.Context()
	var sr model.SharedReader = instrument.Wrap(s, nil)
	fx := Fixture()

	ids := []string{"avtotor", "no-such-entity", "baic-x55", "avtotor", "kaliningrad"}
	ents := make([]model.Entity, len(ids))
	noErr(t, "SharedEntitiesByID", sr.SharedEntitiesByID(ctx, ids, ents))
	copies, err := s.EntitiesByID(ctx, ids)
	noErr(t, "EntitiesByID", err)
	for i, id := range ids {
		if want := copies[id]; want == nil {
			if ents[i] != nil {
				t.Errorf("SharedEntitiesByID: %s = %v, want nil (unknown id)", id, ents[i])
			}
			continue
		}
		diff(t, "SharedEntitiesByID: "+id, copies[id], ents[i])
	}
	srcIDs := []string{fx.Sources[2].ID, "no-such-source", fx.Sources[0].ID}
	srcs := make([]*model.Source, len(srcIDs))
	noErr(t, "SharedSourcesByID", sr.SharedSourcesByID(ctx, srcIDs, srcs))
	srcCopies, err := s.SourcesByID(ctx, srcIDs)
	noErr(t, "SourcesByID", err)
	for i, id := range srcIDs {
		if want := srcCopies[id]; want == nil {
			if srcs[i] != nil {
				t.Errorf("SharedSourcesByID: %s = %v, want nil (unknown id)", id, srcs[i])
			}
			continue
		}
		diff(t, "SharedSourcesByID: "+id, srcCopies[id], srcs[i])
	}

	nq := model.NeighborhoodQuery{ID: "avtotor", Depth: 2, Limit: 50}
	heldG, err := sr.SharedNeighborhood(ctx, nq)
	noErr(t, "SharedNeighborhood", err)
	copyG, err := s.Neighborhood(ctx, nq)
	noErr(t, "Neighborhood", err)
	diff(t, "SharedNeighborhood(avtotor, depth 2)", copyG, heldG)
	if len(heldG.Nodes) < 3 || len(heldG.Relations) < 3 {
		t.Fatalf("SharedNeighborhood(avtotor, depth 2): %d nodes, %d relations; want a few of each", len(heldG.Nodes), len(heldG.Relations))
	}

	// Pages of relations, every row (the explorer's page) and filtered, without and with the
	// entities at their other ends.
	relIDs := []string{"avtotor", "no-such-entity", "baic"}
	relQueries := []model.RelationsOfQuery{
		{First: 50},
		{Direction: model.DirectionOut, Filter: model.RelationFilter{Types: []model.RelationType{model.RelAssembles, model.RelHasModel}}, First: 50},
	}
	var heldPages []map[string]*model.RelationPage
	var heldEnds []map[string]model.Entity
	for _, q := range relQueries {
		pages, none, err := sr.SharedRelationsOf(ctx, relIDs, q, false)
		noErr(t, "SharedRelationsOf", err)
		want, err := s.RelationsOf(ctx, relIDs, q)
		noErr(t, "RelationsOf", err)
		diff(t, fmt.Sprintf("SharedRelationsOf(%+v)", q), want, pages)
		if none != nil {
			t.Errorf("SharedRelationsOf(%+v) without ends: ends %v, want nil", q, none)
		}
		pages, ends, err := sr.SharedRelationsOf(ctx, relIDs, q, true)
		noErr(t, "SharedRelationsOf with ends", err)
		wantPages, wantEnds, err := model.RelationsOfWithEnds(ctx, s, relIDs, q)
		noErr(t, "RelationsOfWithEnds", err)
		diff(t, fmt.Sprintf("SharedRelationsOf(%+v) with ends: pages", q), wantPages, pages)
		diff(t, fmt.Sprintf("SharedRelationsOf(%+v) with ends: ends", q), wantEnds, ends)
		if len(pages["avtotor"].Items) == 0 || len(ends) == 0 {
			t.Fatalf("SharedRelationsOf(%+v): %d relations of avtotor, %d ends; want some", q, len(pages["avtotor"].Items), len(ends))
		}
		heldPages, heldEnds = append(heldPages, pages), append(heldEnds, ends)
	}
	var wantPages []map[string]*model.RelationPage
	var wantEnds []map[string]model.Entity
	for i := range heldPages {
		pages := map[string]*model.RelationPage{}
		for id, p := range heldPages[i] {
			c := *p
			c.Items = nil
			for _, r := range p.Items {
				c.Items = append(c.Items, r.Clone())
			}
			pages[id] = &c
		}
		ends := map[string]model.Entity{}
		for id, e := range heldEnds[i] {
			ends[id] = e.Clone()
		}
		wantPages, wantEnds = append(wantPages, pages), append(wantEnds, ends)
	}

	// What was handed out, as it was: the writes below must leave it so.
	heldEnt, heldSrc, heldModel := ents[0], srcs[0], ents[2]
	wantEnt, wantSrc, wantModel := heldEnt.Clone(), heldSrc.Clone(), heldModel.Clone()
	wantG := &model.Subgraph{Truncated: heldG.Truncated}
	for _, n := range heldG.Nodes {
		wantG.Nodes = append(wantG.Nodes, n.Clone())
	}
	for _, r := range heldG.Relations {
		wantG.Relations = append(wantG.Relations, r.Clone())
	}

	renamed := wantEnt.Clone()
	renamed.Common().Name = "Avtotor renamed"
	renamed.Common().Aliases = append(renamed.Common().Aliases, "a new alias")
	if _, err := s.UpsertEntity(ctx, renamed); err != nil {
		t.Fatalf("UpsertEntity(renamed avtotor) = %v", err)
	}
	retitled := wantSrc.Clone()
	retitled.Title = "A new title"
	if _, err := s.UpsertSource(ctx, retitled); err != nil {
		t.Fatalf("UpsertSource(retitled) = %v", err)
	}
	if _, err := s.DeleteEntity(ctx, "baic-x55"); err != nil {
		t.Fatalf("DeleteEntity(baic-x55) = %v", err)
	}
	moved := wantG.Relations[0].Clone()
	moved.Note = "a note written later"
	if _, err := s.UpdateRelation(ctx, moved); err != nil {
		t.Fatalf("UpdateRelation(%s) = %v", moved.ID, err)
	}
	diff(t, "a neighbourhood handed out, after writes to its nodes and relations", wantG, heldG)
	diff(t, "an entity handed out, after an upsert of its id", wantEnt, heldEnt)
	diff(t, "a source handed out, after an upsert of its id", wantSrc, heldSrc)
	diff(t, "an entity handed out, after its deletion", wantModel, heldModel)
	for i := range heldPages {
		diff(t, "pages of relations handed out, after writes to their relations and ends", wantPages[i], heldPages[i])
		diff(t, "the ends of relations handed out, after writes to them", wantEnds[i], heldEnds[i])
	}

	// And the next ask sees the writes.
	now := make([]model.Entity, 2)
	noErr(t, "SharedEntitiesByID after the writes", sr.SharedEntitiesByID(ctx, []string{"avtotor", "baic-x55"}, now))
	if now[0] == nil || now[0].Common().Name != "Avtotor renamed" {
		t.Errorf("SharedEntitiesByID(avtotor) after the upsert = %v, want the new name", now[0])
	}
	if now[1] != nil {
		t.Errorf("SharedEntitiesByID(baic-x55) after its deletion = %v, want nil", now[1])
	}
	nowSrc := make([]*model.Source, 1)
	noErr(t, "SharedSourcesByID after the writes", sr.SharedSourcesByID(ctx, srcIDs[:1], nowSrc))
	if nowSrc[0] == nil || nowSrc[0].Title != "A new title" {
		t.Errorf("SharedSourcesByID(%s) after the upsert = %v, want the new title", srcIDs[0], nowSrc[0])
	}
}
