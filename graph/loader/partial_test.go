package loader

import (
	"context"
	"testing"
	"time"

	"github.com/autograph-kg/autograph/graph/model"
)

// partialReader answers a nested read as a store that reads in part would: the other ends
// with their names only, and a slim page.
type partialReader struct {
	*countingStore
}

func (r partialReader) ReadNested(ctx context.Context, ids []string, trees []model.RelationsTree) (*model.Nested, error) {
	whole, err := model.ComposeNested(ctx, r.countingStore.BatchReader, ids, trees)
	if err != nil {
		return nil, err
	}
	out := &model.Nested{Entities: map[string]model.Entity{}, Partial: map[string]model.Entity{}, PartialFields: model.FieldID | model.FieldName}
	for _, id := range ids {
		out.Entities[id] = whole.Entities[id]
	}
	for id, e := range whole.Entities {
		if _, ok := out.Entities[id]; !ok {
			out.Partial[id] = &model.Brand{EntityBase: model.EntityBase{ID: id, Name: e.Common().Name}}
		}
	}
	for _, tp := range whole.Trees {
		slim := model.TreePages{Pages: map[string]*model.RelationPage{}, Slim: true}
		for id, p := range tp.Pages {
			c := *p
			c.Items = nil
			for _, r := range p.Items {
				c.Items = append(c.Items, &model.Relation{ID: r.ID, Type: r.Type, Status: r.Status, FromID: r.FromID, ToID: r.ToID})
			}
			slim.Pages[id] = &c
		}
		out.Trees = append(out.Trees, slim)
	}
	return out, nil
}

func TestEntitiesReadInPartServeOnlyWhatTheyHold(t *testing.T) {
	store := seedStore(t)
	l := newLoaders(partialReader{store}, time.Hour)
	ctx := fieldCtx(false)
	brands := model.RelationsOfQuery{Direction: model.DirectionOut, Filter: model.RelationFilter{Types: []model.RelationType{model.RelOwnsBrand}}, First: model.MaxListSize}
	if err := l.ReadNested(ctx, partialReader{store}, []string{"baic-group"}, []model.RelationsTree{{Query: brands, Ends: model.FieldID | model.FieldName}}); err != nil {
		t.Fatal(err)
	}
	calls := store.calls.Load()
	page, err := l.RelatedPage(ctx, "baic-group", brands)
	if err != nil || len(page.Items) == 0 {
		t.Fatalf("RelatedPage = %v, %v", page, err)
	}
	var ids []string
	for _, r := range page.Items {
		ids = append(ids, r.ToID)
		if r.SourceIDs != nil {
			t.Errorf("relation %s is not the slim one the nested read primed", r.ID)
		}
	}
	named, err := l.EntitiesReading(ctx, ids, func() model.EntityFields { return model.FieldID | model.FieldName })
	if err != nil || len(named) != len(ids) {
		t.Fatalf("EntitiesReading(names) = %d entities, %v; want %d", len(named), err, len(ids))
	}
	if n := store.calls.Load() - calls; n != 0 {
		t.Errorf("the slim page and the names cost %d store calls, want 0", n)
	}
	for _, e := range named {
		if e.Common().Name == "" || e.Common().SourceIDs != nil {
			t.Errorf("%s: not the entity read in part: %+v", e.GetID(), e)
		}
	}
	// A caller that reads more, or everything, gets whole entities, with a store call.
	for _, need := range []model.EntityFields{model.FieldID | model.FieldSources, model.AllEntityFields} {
		got, err := l.EntitiesReading(ctx, ids, func() model.EntityFields { return need })
		if err != nil || len(got) != len(ids) {
			t.Fatalf("EntitiesReading(%b) = %d entities, %v", need, len(got), err)
		}
		for _, e := range got {
			if len(e.Common().SourceIDs) == 0 {
				t.Errorf("EntitiesReading(%b): %s has no sources: read in part", need, e.GetID())
			}
		}
	}
	whole, err := l.Entities(ctx, ids)
	if err != nil || len(whole) != len(ids) || len(whole[0].Common().SourceIDs) == 0 {
		t.Fatalf("Entities = %v, %v: want the whole entities", whole, err)
	}
	// And the whole page is a page of its own.
	before := store.calls.Load()
	full, err := l.RelationsOfWithEnds(ctx, "baic-group", brands)
	if err != nil || len(full.Items) != len(page.Items) || full.Items[0].SourceIDs == nil {
		t.Fatalf("RelationsOfWithEnds = %v, %v: want the whole page", full, err)
	}
	if store.calls.Load() == before {
		t.Error("the whole page was served by the slim one")
	}
}
