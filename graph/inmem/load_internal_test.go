package inmem

import (
	"context"
	"slices"
	"sync/atomic"
	"testing"

	"github.com/autograph-kg/autograph/graph/model"
	"github.com/autograph-kg/autograph/graph/storetest"
	"github.com/autograph-kg/autograph/seed/synth"
)

// TestSortKeyIsTheFirstSearchKey holds newEntityRec's shortcut to the model: an entity's
// sort key, model.SortKey of its name, is its first search key, for names with accents,
// punctuation, case and spacing of every kind, and the empty name.
func TestSortKeyIsTheFirstSearchKey(t *testing.T) {
	var es []model.Entity
	es = append(es, storetest.Fixture().Entities()...)
	es = append(es, synth.Generate(500, 3).Entities()...)
	for _, name := range []string{"", " ", "  Škoda  Auto ", "Renault–Nissan", "ÄÖÜ ß", "Ｆｕｌｌ width", "a\tb\nc", "Citroën (DS)", "'quoted'", "日本語"} {
		es = append(es, &model.Organization{EntityBase: model.EntityBase{ID: "x", Name: name, Aliases: []string{"alias", name}}})
	}
	for _, e := range es {
		r := newEntityRec(e)
		if want := model.SortKey(e.Common().Name); r.sortKey != want {
			t.Errorf("%q: sort key %q, want %q", e.Common().Name, r.sortKey, want)
		}
	}
}

// TestBulkApplyIsTheSame applies a large change to an empty store, with the relations filled
// beside the entities and the entities' records worked out on both cores, and holds the
// result to the same change applied to a store that already held something (the loops one
// by one), item by item and view by view.
func TestBulkApplyIsTheSame(t *testing.T) {
	ctx := context.Background()
	d := synth.Generate(3000, 4)
	c := &change{sources: d.Sources, entities: d.Entities(), relations: d.Relations}
	bulk := New()
	if !bulk.applyContext(ctx, c) {
		t.Fatal("the bulk apply stopped")
	}
	// A store holding one relation-free entity takes the same change through the other path;
	// that entity then is the only difference.
	other := New()
	extra := &model.Organization{EntityBase: model.EntityBase{ID: "zz-extra", Name: "Extra"}}
	other.apply(&change{entities: []model.Entity{extra}})
	if !other.applyContext(ctx, c) {
		t.Fatal("the apply stopped")
	}
	other.apply(&change{dropEntities: []string{extra.ID}})
	if len(bulk.entities) != len(other.entities) || len(bulk.relations) != len(other.relations) || len(bulk.sources) != len(other.sources) {
		t.Fatalf("bulk %d/%d/%d, other %d/%d/%d", len(bulk.entities), len(bulk.relations), len(bulk.sources), len(other.entities), len(other.relations), len(other.sources))
	}
	for id, r := range other.entities {
		b := bulk.entities[id]
		if b == nil || b.e != r.e || b.sortKey != r.sortKey || len(b.keys) != len(r.keys) || bulk.byKind[r.e.Kind()][id] != b {
			t.Fatalf("entity %q differs", id)
		}
	}
	for id, r := range other.relations {
		if bulk.relations[id] != r {
			t.Fatalf("relation %q differs", id)
		}
	}
	for k, v := range other.views.entsByName {
		if len(bulk.views.entsByName[k]) != len(v) {
			t.Fatalf("view by name of %q: %d, want %d", k, len(bulk.views.entsByName[k]), len(v))
		}
		for i := range v {
			if bulk.views.entsByName[k][i].e != v[i].e {
				t.Fatalf("view by name of %q differs at %d", k, i)
			}
		}
	}
	for id, l := range other.byFrom {
		if len(bulk.byFrom[id]) != len(l) {
			t.Fatalf("relations from %q: %d, want %d", id, len(bulk.byFrom[id]), len(l))
		}
	}
}

// TestBulkApplyStops cancels bulk applies into an empty store at moments spread over them:
// each reports that it stopped and leaves no goroutine writing (the race detector watches
// the maps).
func TestBulkApplyStops(t *testing.T) {
	d := synth.Generate(3000, 4)
	for _, after := range []int64{1, 2, 5, 10, 20, 40} {
		ctx := &countdown{Context: context.Background(), left: after}
		s := New()
		c := &change{sources: d.Sources, entities: d.Entities(), relations: d.Relations}
		if s.applyContext(ctx, c) {
			t.Fatalf("a bulk apply cancelled after %d checks finished", after)
		}
		s.abandon()
	}
}

// countdown is a context whose Err is Canceled once it has been asked left times, from any
// goroutine.
type countdown struct {
	context.Context
	left int64
}

func (c *countdown) Err() error {
	if atomic.AddInt64(&c.left, -1) < 0 {
		return context.Canceled
	}
	return nil
}

// TestNewEntityRecsAreNewEntityRec holds the records a load builds in blocks, with their keys
// packed into one string each, to the records a single write builds.
func TestNewEntityRecsAreNewEntityRec(t *testing.T) {
	es := append(synth.Generate(2_000, 5).Entities(), &model.Organization{EntityBase: model.EntityBase{ID: "x", Name: "Škoda Auto", Aliases: []string{"Skoda", "ŠKODA AUTO", "Škoda a.s.", ""}}})
	recs := newEntityRecs(t.Context(), es)
	if len(recs) != len(es) {
		t.Fatalf("%d records of %d entities", len(recs), len(es))
	}
	for i, e := range es {
		got, want := recs[i], newEntityRec(e)
		if got.e != want.e || !slices.Equal(got.keys, want.keys) || got.sortKey != want.sortKey || cap(got.keys) != len(got.keys) {
			t.Fatalf("%s: record %+v, want %+v", e.GetID(), got, want)
		}
	}
}
