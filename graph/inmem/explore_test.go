package inmem_test

import (
	"context"
	"fmt"
	"maps"
	"math/rand/v2"
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

// referenceNeighborhood is Neighborhood written the obvious way: whole layers found, each
// sorted by id and cut to the room left, then every matching relation between kept nodes, by
// id, cut to MaxSubgraphRelations.
func referenceNeighborhood(d *model.Dataset, q model.NeighborhoodQuery) (nodes, rels []string, truncated bool) {
	match := func(r *model.Relation) bool {
		if len(q.Types) > 0 && !slices.Contains(q.Types, r.Type) {
			return false
		}
		return q.AsOf == nil || r.Span().Overlaps(model.SpanOf(*q.AsOf))
	}
	kept := map[string]bool{q.ID: true}
	nodes = []string{q.ID}
	frontier := []string{q.ID}
	for depth := 1; depth <= q.Depth && len(frontier) > 0 && !truncated; depth++ {
		layer := map[string]bool{}
		for _, r := range d.Relations {
			if !match(r) {
				continue
			}
			for _, u := range frontier {
				if r.FromID == u && !kept[r.ToID] {
					layer[r.ToID] = true
				}
				if r.ToID == u && !kept[r.FromID] {
					layer[r.FromID] = true
				}
			}
		}
		next := slices.Sorted(maps.Keys(layer))
		if room := q.Limit - len(nodes); len(next) > room {
			next, truncated = next[:room], true
		}
		for _, v := range next {
			kept[v] = true
		}
		nodes = append(nodes, next...)
		frontier = next
	}
	for _, r := range d.Relations {
		if match(r) && kept[r.FromID] && kept[r.ToID] {
			rels = append(rels, r.ID)
		}
	}
	slices.Sort(rels)
	if len(rels) > model.MaxSubgraphRelations {
		rels, truncated = rels[:model.MaxSubgraphRelations], true
	}
	return nodes, rels, truncated
}

// TestNeighborhoodMatchesReference holds Neighborhood, which keeps only the first ids of a
// layer and walks one end of each relation, to the reference on a graph with hubs (a few
// entities joined to most others, and to each other) and parallel relations, at every depth, for limits that cut the first layer, a later one or none, with and without filters.
func TestNeighborhoodMatchesReference(t *testing.T) {
	ctx := t.Context()
	rng := rand.New(rand.NewPCG(9, 4))
	d := &model.Dataset{Sources: []*model.Source{{ID: "src", Title: "Synthetic", PublishedOn: model.MustDate("2024")}}}
	const n = 400
	id := func(i int) string { return fmt.Sprintf("o%03d", i) }
	for i := range n {
		d.Organizations = append(d.Organizations, &model.Organization{EntityBase: model.EntityBase{ID: id(i), Name: id(i)}, Type: model.OrgOther})
	}
	types := []model.RelationType{model.RelPartnersWith, model.RelJointVentureOf}
	rel := func(from, to string) {
		r := &model.Relation{ID: fmt.Sprintf("r%05d", rng.IntN(100_000)), Type: types[rng.IntN(len(types))], FromID: from, ToID: to, Status: model.StatusActive, SourceIDs: []string{"src"}}
		if rng.IntN(2) == 0 {
			from := model.Date{Year: 2000 + rng.IntN(25)}
			r.ValidFrom = &from
		}
		for _, o := range d.Relations {
			if o.ID == r.ID {
				return
			}
		}
		d.Relations = append(d.Relations, r)
	}
	hubs := []int{7, 150, 399}
	for _, h := range hubs {
		for i := range n {
			if i != h && rng.IntN(10) < 7 {
				if rng.IntN(2) == 0 {
					rel(id(h), id(i))
				} else {
					rel(id(i), id(h))
				}
			}
		}
	}
	for range 600 {
		a, b := rng.IntN(n), rng.IntN(n)
		if a == b {
			continue // relations never join an entity to itself (model.CheckNotSelf)
		}
		rel(id(a), id(b))
		if rng.IntN(8) == 0 {
			rel(id(a), id(b))
		}
	}
	if err := d.Validate(); err != nil {
		t.Fatal(err)
	}
	st := inmem.New()
	t.Cleanup(func() { _ = st.Close(ctx) })
	if err := st.Import(ctx, d); err != nil {
		t.Fatal(err)
	}
	asOf := model.Date{Year: 2012}
	centres := append([]int{0, 1, 200}, hubs...)
	asked := 0
	for _, c := range centres {
		for depth := 0; depth <= model.MaxNeighborhoodDepth; depth++ {
			for _, limit := range []int{1, 2, 5, 40, 200, 280, model.MaxNeighborhoodLimit} {
				for _, q := range []model.NeighborhoodQuery{
					{ID: id(c), Depth: depth, Limit: limit},
					{ID: id(c), Depth: depth, Limit: limit, Types: types[:1]},
					{ID: id(c), Depth: depth, Limit: limit, Types: types[1:], AsOf: &asOf},
				} {
					g, err := st.Neighborhood(ctx, q)
					if err != nil {
						t.Fatal(err)
					}
					var nodes, rels []string
					for _, e := range g.Nodes {
						nodes = append(nodes, e.GetID())
					}
					for _, r := range g.Relations {
						rels = append(rels, r.ID)
					}
					wn, wr, wt := referenceNeighborhood(d, q)
					if !slices.Equal(nodes, wn) || !slices.Equal(rels, wr) || g.Truncated != wt {
						t.Fatalf("Neighborhood(%+v):\n got %d nodes %v, %d relations, truncated %v\nwant %d nodes %v, %d relations, truncated %v",
							q, len(nodes), nodes, len(rels), g.Truncated, len(wn), wn, len(wr), wt)
					}
					asked++
				}
			}
		}
	}
	t.Logf("%d neighbourhoods compared", asked)
}
