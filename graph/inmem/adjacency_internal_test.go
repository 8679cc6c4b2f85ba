package inmem

import (
	"fmt"
	"maps"
	"slices"
	"testing"

	"github.com/autograph-kg/autograph/graph/model"
	"github.com/autograph-kg/autograph/graph/storetest"
	"github.com/autograph-kg/autograph/seed/synth"
)

// checkAdjacency compares the endpoint index with one computed from the relations: every
// entity's lists hold exactly its relations, in id order, and no list is empty.
func checkAdjacency(t *testing.T, s *Store, when string) {
	t.Helper()
	want := map[string][2][]string{}
	loops := map[string]int{}
	for _, r := range s.relations {
		if r.FromID == r.ToID {
			loops[r.FromID]++
		}
		w := want[r.FromID]
		w[0] = append(w[0], r.ID)
		want[r.FromID] = w
		w = want[r.ToID]
		w[1] = append(w[1], r.ID)
		want[r.ToID] = w
	}
	for id, w := range want {
		for i, a := range []adjacency{s.byFrom, s.byTo} {
			slices.Sort(w[i])
			var got []string
			for _, r := range a[id] {
				got = append(got, r.ID)
			}
			if !slices.Equal(got, w[i]) {
				t.Fatalf("%s: list %d of %s = %v, want %v", when, i, id, got, w[i])
			}
		}
	}
	if !maps.Equal(s.loops, loops) {
		t.Fatalf("%s: self-loops counted %v, want %v", when, s.loops, loops)
	}
	for i, a := range []adjacency{s.byFrom, s.byTo} {
		for id, rows := range a {
			if len(rows) == 0 || len(want[id][i]) == 0 {
				t.Fatalf("%s: list %d of %s is empty or stale: %d rows", when, i, id, len(rows))
			}
		}
	}
}

// TestAdjacencyStaysSorted builds the index in bulk (an import), patches it with small writes
// that add, move and remove relations, and rebuilds it with a large delete, checking it
// against the relations after each step.
func TestAdjacencyStaysSorted(t *testing.T) {
	ctx := t.Context()
	s := New()
	if err := s.Import(ctx, synth.Generate(10_000, 3)); err != nil {
		t.Fatal(err)
	}
	if err := s.Import(ctx, storetest.Fixture()); err != nil {
		t.Fatal(err)
	}
	checkAdjacency(t, s, "after the imports")

	// Relations added around a hub's existing ones, one moved to other ends, one removed.
	hub, deg := "", 0
	for id, rows := range s.byTo {
		if len(rows) > deg || len(rows) == deg && id < hub {
			hub, deg = id, len(rows)
		}
	}
	from := s.byTo[hub][0].FromID
	for i, id := range []string{"a-first", "zz-last", s.byTo[hub][deg/2].ID + "-between"} {
		r := &model.Relation{ID: id, Type: s.byTo[hub][0].Type, FromID: from, ToID: hub, Status: model.StatusActive, SourceIDs: []string{"kommersant-2022"}}
		if _, err := s.AddRelation(ctx, r); err != nil {
			t.Fatalf("relation %d: %v", i, err)
		}
		checkAdjacency(t, s, fmt.Sprintf("after adding %s", id))
	}
	moved := s.relations["a-first"].Clone()
	moved.FromID, moved.ToID = "avtotor", "russia"
	moved.Type = model.RelLocatedIn
	if _, err := s.UpdateRelation(ctx, moved); err != nil {
		t.Fatal(err)
	}
	checkAdjacency(t, s, "after moving a relation")
	if err := s.RemoveRelation(ctx, "zz-last"); err != nil {
		t.Fatal(err)
	}
	checkAdjacency(t, s, "after removing a relation")
	// Deleting the hub drops more relations than a patch handles: the index is rebuilt.
	if n, err := s.DeleteEntity(ctx, hub); err != nil || n <= patchLimit {
		t.Fatalf("DeleteEntity(%s) = %d, %v; want more than %d relations dropped", hub, n, err, patchLimit)
	}
	checkAdjacency(t, s, "after deleting the hub")
}
