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
		if n := len(s.relationsOf(id, model.DirectionBoth)); n > most || (n == most && id < hub) {
			hub, most = id, n
		}
	}
	if most < 20 {
		t.Fatalf("the busiest entity has %d relations; the test wants a hub", most)
	}
	lists := map[string][]*model.Relation{"hub": s.relationsOf(hub, model.DirectionBoth), "all": s.views.relsByID, "none": nil}
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
						want, err := s.relationPageWalk(ctx, "test", rows, q, first, after)
						if err != nil {
							t.Fatal(err)
						}
						got := relationPageByID(rows, desc, first, after)
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
