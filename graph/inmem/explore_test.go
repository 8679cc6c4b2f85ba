package inmem_test

import (
	"context"
	"fmt"
	"slices"
	"testing"

	"github.com/autograph-kg/autograph/graph/inmem"
	"github.com/autograph-kg/autograph/graph/model"
)

// layered builds a graph with many shortest paths: a source, `layers` layers of `width`
// organizations each joined to every organization of the next layer, and a sink. There are
// width^layers shortest paths of length layers+1.
func layered(width, layers int) *model.Dataset {
	d := &model.Dataset{Sources: []*model.Source{{ID: "src", Title: "Synthetic", PublishedOn: model.MustDate("2024")}}}
	org := func(id string) {
		d.Organizations = append(d.Organizations, &model.Organization{EntityBase: model.EntityBase{ID: id, Name: id}, Type: model.OrgOther})
	}
	name := func(l, i int) string { return fmt.Sprintf("l%d-n%d", l, i) }
	org("source")
	org("sink")
	n := 0
	link := func(from, to string) {
		n++
		d.Relations = append(d.Relations, &model.Relation{ID: fmt.Sprintf("r-%05d", n), Type: model.RelPartnersWith, FromID: from, ToID: to, Status: model.StatusActive, SourceIDs: []string{"src"}})
	}
	for l := range layers {
		for i := range width {
			org(name(l, i))
			if l == 0 {
				link("source", name(l, i))
			} else {
				for j := range width {
					link(name(l-1, j), name(l, i))
				}
			}
			if l == layers-1 {
				link(name(l, i), "sink")
			}
		}
	}
	return d
}

// TestPathsExploreTheFirstPaths checks the MaxPathsExplored cap: with 4^5 = 1024 shortest paths
// the store explores 1000, and those are the first in SortPaths order, so the page is exact.
func TestPathsExploreTheFirstPaths(t *testing.T) {
	s := inmem.New()
	if err := s.Import(t.Context(), layered(4, 5)); err != nil {
		t.Fatal(err)
	}
	ps, err := s.Paths(t.Context(), model.PathQuery{From: "source", To: "sink", MaxLength: 6, First: model.MaxPaths})
	if err != nil {
		t.Fatal(err)
	}
	if len(ps) != model.MaxPaths {
		t.Fatalf("got %d paths, want %d", len(ps), model.MaxPaths)
	}
	// In SortPaths order the last layer varies fastest: path k picks, in layer l, node
	// (k / 4^(4-l)) % 4.
	for k, p := range ps {
		want := []string{"source"}
		for l := range 5 {
			pow := 1
			for range 4 - l {
				pow *= 4
			}
			want = append(want, fmt.Sprintf("l%d-n%d", l, (k/pow)%4))
		}
		want = append(want, "sink")
		var got []string
		for _, e := range p.Nodes {
			got = append(got, e.GetID())
		}
		if !slices.Equal(got, want) {
			t.Fatalf("path %d = %v, want %v", k, got, want)
		}
	}
}

// TestNeighborhoodRelationCap checks MaxSubgraphRelations with more parallel relations than it
// allows between two entities.
func TestNeighborhoodRelationCap(t *testing.T) {
	d := &model.Dataset{Sources: []*model.Source{{ID: "src", Title: "Synthetic", PublishedOn: model.MustDate("2024")}}}
	for _, id := range []string{"a", "b"} {
		d.Organizations = append(d.Organizations, &model.Organization{EntityBase: model.EntityBase{ID: id, Name: id}, Type: model.OrgOther})
	}
	for i := range model.MaxSubgraphRelations + 1 {
		d.Relations = append(d.Relations, &model.Relation{ID: fmt.Sprintf("r-%05d", i), Type: model.RelPartnersWith, FromID: "a", ToID: "b", Status: model.StatusActive, SourceIDs: []string{"src"}})
	}
	s := inmem.New()
	if err := s.Import(t.Context(), d); err != nil {
		t.Fatal(err)
	}
	g, err := s.Neighborhood(t.Context(), model.NeighborhoodQuery{ID: "a", Depth: 1})
	if err != nil {
		t.Fatal(err)
	}
	if len(g.Nodes) != 2 || len(g.Relations) != model.MaxSubgraphRelations || !g.Truncated {
		t.Errorf("got %d nodes, %d relations, truncated %v; want 2, %d, true", len(g.Nodes), len(g.Relations), g.Truncated, model.MaxSubgraphRelations)
	}
	if last := g.Relations[len(g.Relations)-1].ID; last != fmt.Sprintf("r-%05d", model.MaxSubgraphRelations-1) {
		t.Errorf("last relation = %s, want the %dth by id", last, model.MaxSubgraphRelations)
	}
}

func BenchmarkNeighborhood(b *testing.B) {
	s := benchStore(b)
	ctx := context.Background()
	for depth := 1; depth <= model.MaxNeighborhoodDepth; depth++ {
		b.Run(fmt.Sprintf("depth=%d", depth), func(b *testing.B) {
			for b.Loop() {
				if _, err := s.Neighborhood(ctx, model.NeighborhoodQuery{ID: "org-7", Depth: depth}); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

func BenchmarkPaths(b *testing.B) {
	s := benchStore(b)
	ctx := context.Background()
	for _, q := range []model.PathQuery{
		{From: "model-1", To: "model-2", MaxLength: model.MaxPathLength},
		{From: "place-3", To: "model-1999", MaxLength: model.MaxPathLength},
		{From: "org-1", To: "org-300", MaxLength: model.MaxPathLength, AsOf: &model.Date{Year: 2020}},
	} {
		b.Run(q.From+"-"+q.To, func(b *testing.B) {
			for b.Loop() {
				if _, err := s.Paths(ctx, q); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
