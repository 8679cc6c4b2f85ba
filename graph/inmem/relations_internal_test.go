package inmem

import (
	"reflect"
	"testing"

	"github.com/autograph-kg/autograph/graph/model"
	"github.com/autograph-kg/autograph/seed/synth"
)

// TestRelationPageByIDIsTheWalk holds the binary-search page of an unfiltered, id-ordered
// query to the walk of every row: for the busiest entity's relations and for all relations,
// both directions, page sizes from 0 to past the end, and cursors before the first row, on
// rows, between rows, past the last row, and of another ordering.
func TestRelationPageByIDIsTheWalk(t *testing.T) {
	ctx := t.Context()
	s := New()
	if err := s.Import(ctx, synth.Generate(3_000, 7)); err != nil {
		t.Fatal(err)
	}
	hub, most := "", 0
	for id := range s.entities {
		if n := s.endsOf(id, model.DirectionBoth).len(); n > most || (n == most && id < hub) {
			hub, most = id, n
		}
	}
	if most < 20 {
		t.Fatalf("the busiest entity has %d relations; the test wants a hub", most)
	}
	lists := map[string][]*model.Relation{"hub": s.endsOf(hub, model.DirectionBoth).merged(), "all": s.views.relsByID, "none": nil}
	for name, rows := range lists {
		cursors := []*model.Cursor{nil, {Key: "", ID: ""}, {Key: "", ID: "~~~~"}, {Key: "1999", ID: "x"}}
		for i := 0; i < len(rows); i += max(1, len(rows)/7) {
			cursors = append(cursors, &model.Cursor{ID: rows[i].ID}, &model.Cursor{ID: rows[i].ID + "\x00"})
		}
		for _, desc := range []bool{false, true} {
			for _, order := range []model.Order{{Desc: desc}, {Field: model.SortByID, Desc: desc}} {
				q := relPageQuery{f: compileRelFilter(model.RelationFilter{}), order: order}
				if !q.everyRowByID() {
					t.Fatalf("%+v does not take the fast path", order)
				}
				for _, first := range []int{0, 1, 20, len(rows) + 1} {
					for _, after := range cursors {
						want, err := s.relationPageWalk(ctx, "test", rows, q, first, after, copyRelation)
						if err != nil {
							t.Fatal(err)
						}
						got := relationPageByID(rows, desc, first, after, copyRelation)
						if !reflect.DeepEqual(got, want) {
							t.Fatalf("%s, order %+v, first %d, after %+v: by id %+v, walk %+v", name, order, first, after, got, want)
						}
					}
				}
			}
		}
	}
	q := relPageQuery{f: compileRelFilter(model.RelationFilter{Types: []model.RelationType{"X"}})}
	if q.everyRowByID() {
		t.Fatal("a filtered query takes the fast path")
	}
}

// TestEndListsPageIsTheMergedPage holds the page of an entity's relations in both directions,
// taken from its two lists without merging them, to the page of the merged list: for an
// entity with relations out and in and self-loops among them, every page size and cursor
// (before, on, between and after its rows), both orders and all three directions.
func TestEndListsPageIsTheMergedPage(t *testing.T) {
	ctx := t.Context()
	s := New()
	if err := s.Import(ctx, synth.Generate(3_000, 7)); err != nil {
		t.Fatal(err)
	}
	hub, most := "", 0
	for id, rows := range s.byFrom {
		if n := min(len(rows), len(s.byTo[id])); n > most || (n == most && id < hub) {
			hub, most = id, n
		}
	}
	if most < 3 {
		t.Fatalf("no entity has relations both ways: %d", most)
	}
	// Self-loops with ids among the hub's others, first and last included. The rules refuse
	// them (model.CheckNotSelf), so they go in below the writes; the index still holds one
	// exactly, as a file written before the rule could.
	src := s.byFrom[hub][0].SourceIDs
	var loops []*model.Relation
	for _, id := range []string{"0-loop", s.byTo[hub][1].ID + "-loop", s.byFrom[hub][1].ID + "-loop", "~loop"} {
		loops = append(loops, &model.Relation{ID: id, Type: model.RelPartnersWith, FromID: hub, ToID: hub, Status: model.StatusActive, SourceIDs: src})
	}
	s.apply(&change{relations: loops})
	if got := s.loops[hub]; got != 4 {
		t.Fatalf("%s has %d self-loops counted, want 4", hub, got)
	}
	for _, dir := range []model.Direction{model.DirectionBoth, model.DirectionOut, model.DirectionIn} {
		ends := s.endsOf(hub, dir)
		rows := ends.merged()
		if len(rows) != ends.len() {
			t.Fatalf("%s: %d merged rows, len %d", dir, len(rows), ends.len())
		}
		cursors := []*model.Cursor{nil, {ID: ""}, {ID: "~~~~"}}
		for _, r := range rows {
			cursors = append(cursors, &model.Cursor{ID: r.ID}, &model.Cursor{ID: r.ID + "\x00"})
		}
		for _, desc := range []bool{false, true} {
			for _, first := range []int{0, 1, 2, 3, 20, len(rows), len(rows) + 1} {
				for _, after := range cursors {
					want := relationPageByID(rows, desc, first, after, copyRelation)
					if got := ends.page(desc, first, after, copyRelation); !reflect.DeepEqual(got, want) {
						t.Fatalf("%s, desc %v, first %d, after %+v: two lists %+v, merged %+v", dir, desc, first, after, got, want)
					}
				}
			}
		}
	}
	s.apply(&change{dropRelations: []string{"0-loop", "~loop"}})
	if got := s.loops[hub]; got != 2 {
		t.Fatalf("%s has %d self-loops counted after removing two, want 2", hub, got)
	}
}
