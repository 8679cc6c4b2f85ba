package loader

import (
	"reflect"
	"testing"
	"time"

	"github.com/autograph-kg/autograph/graph/model"
)

// TestHeldAnswersAreTheLoadersWithoutFetching holds HeldRelatedPage and HeldEntitiesReading to
// RelatedPage and EntitiesReading: the same values once they are fetched, nothing before,
// and never a store call of their own.
func TestHeldAnswersAreTheLoadersWithoutFetching(t *testing.T) {
	store := seedStore(t)
	l := newLoaders(partialReader{store}, time.Hour)
	ctx := fieldCtx(false)
	brands := model.RelationsOfQuery{Direction: model.DirectionOut, Filter: model.RelationFilter{Types: []model.RelationType{model.RelOwnsBrand}}, First: model.MaxListSize}
	names := model.FieldID | model.FieldName
	if _, ok := l.HeldRelatedPage("baic-group", brands); ok {
		t.Error("HeldRelatedPage before anything was fetched: held")
	}
	if _, ok := l.HeldEntitiesReading([]string{"baic"}, names); ok {
		t.Error("HeldEntitiesReading before anything was fetched: held")
	}
	if err := l.ReadNested(ctx, partialReader{store}, []string{"baic-group"}, []model.RelationsTree{{Query: brands, Ends: names}}); err != nil {
		t.Fatal(err)
	}
	calls := store.calls.Load()
	held, ok := l.HeldRelatedPage("baic-group", brands)
	if !ok {
		t.Fatal("HeldRelatedPage after the nested read: not held")
	}
	if _, ok := l.HeldRelatedPage("baic-group", model.RelationsOfQuery{Direction: model.DirectionIn, First: model.MaxListSize}); ok {
		t.Error("HeldRelatedPage of another query: held")
	}
	ids := []string{}
	for _, r := range held.Items {
		ids = append(ids, r.Other("baic-group"))
	}
	ids = append(ids, "no-such-entity")
	heldNames, ok := l.HeldEntitiesReading(ids, names)
	if ok {
		t.Error("HeldEntitiesReading with an id never fetched: held")
	}
	heldNames, ok = l.HeldEntitiesReading(ids[:len(ids)-1], names)
	if !ok || len(heldNames) != len(ids)-1 {
		t.Fatalf("HeldEntitiesReading(names) = %d entities, %v; want %d", len(heldNames), ok, len(ids)-1)
	}
	if _, ok := l.HeldEntitiesReading(ids[:1], model.AllEntityFields); ok {
		t.Error("HeldEntitiesReading of every field of an entity read in part: held")
	}
	if n := store.calls.Load() - calls; n != 0 {
		t.Errorf("the held answers cost %d store calls, want 0", n)
	}
	page, err := l.RelatedPage(ctx, "baic-group", brands)
	if err != nil || page != held {
		t.Errorf("RelatedPage = %p, %v; the held page is %p", page, err, held)
	}
	got, err := l.EntitiesReading(ctx, ids, func() model.EntityFields { return names })
	if err != nil || !reflect.DeepEqual(got, heldNames) {
		t.Errorf("EntitiesReading(names) = %v, %v; held %v", got, err, heldNames)
	}
	// Once fetched, an unknown id is left out, as EntitiesReading leaves it out.
	again, ok := l.HeldEntitiesReading(ids, names)
	if !ok || !reflect.DeepEqual(again, heldNames) {
		t.Errorf("HeldEntitiesReading with the unknown id fetched = %v, %v; want %v", again, ok, heldNames)
	}
}
