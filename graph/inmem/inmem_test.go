package inmem_test

import (
	"context"
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/autograph-kg/autograph/graph/inmem"
	"github.com/autograph-kg/autograph/graph/model"
	"github.com/autograph-kg/autograph/graph/storetest"
)

func TestConformance(t *testing.T) {
	t.Run("Memory", func(t *testing.T) {
		storetest.Run(t, func(t *testing.T) model.Store { return inmem.New() })
	})
	t.Run("File", func(t *testing.T) {
		storetest.Run(t, func(t *testing.T) model.Store { return openTemp(t) })
	})
}

// openTemp opens a file-backed store in a fresh temporary directory, closed at the end of the
// test unless the test closed it.
func openTemp(t *testing.T) *inmem.Store {
	t.Helper()
	s, empty, err := inmem.Open(t.Context(), t.TempDir())
	if err != nil {
		t.Fatalf("Open = %v", err)
	}
	if !empty {
		t.Fatalf("Open of a new directory reports a non-empty store")
	}
	t.Cleanup(func() { _ = s.Close(context.Background()) })
	return s
}

// loaded returns a store holding the conformance fixture.
func loaded(t testing.TB) *inmem.Store {
	t.Helper()
	s := inmem.New()
	if err := s.Import(context.Background(), storetest.Fixture()); err != nil {
		t.Fatalf("Import(Fixture()) = %v", err)
	}
	return s
}

// TestConcurrentReadsDuringImport runs every kind of read from many goroutines while imports
// alternate between two versions of the fixture. Under -race it proves the locking; the
// assertions prove that readers never see half an import.
func TestConcurrentReadsDuringImport(t *testing.T) {
	s := loaded(t)
	ctx := t.Context()
	changed := storetest.Fixture()
	changed.Organizations[1].Description = "changed"
	changed.Relations[6].FromID = "avtotor-holding" // r-avtotor-in-kaliningrad moves

	var wg sync.WaitGroup
	stop := make(chan struct{})
	errs := make(chan error, 64)
	report := func(err error) {
		select {
		case errs <- err:
		default:
		}
	}
	for g := range 8 {
		wg.Go(func() {
			for i := 0; ; i++ {
				select {
				case <-stop:
					return
				default:
				}
				switch (g + i) % 6 {
				case 0:
					p, err := s.Entities(ctx, model.EntityQuery{Kind: model.KindOrganization, First: 5})
					if err != nil || p.TotalCount != 28 {
						report(fmt.Errorf("Entities: total %v, err %v", p, err))
					}
				case 1:
					hits, err := s.Search(ctx, model.SearchQuery{Text: "gaz"})
					if err != nil || len(hits) != 7 {
						report(fmt.Errorf("Search: %d hits, err %v", len(hits), err))
					}
				case 2:
					g, err := s.Neighborhood(ctx, model.NeighborhoodQuery{ID: "avtotor", Depth: 2})
					if err != nil || len(g.Nodes) == 0 {
						report(fmt.Errorf("Neighborhood: %v", err))
					}
				case 3:
					// Before and after the move, avtotor reaches kaliningrad; never by zero paths.
					ps, err := s.Paths(ctx, model.PathQuery{From: "avtotor", To: "kaliningrad"})
					if err != nil || len(ps) != 1 {
						report(fmt.Errorf("Paths: %d paths, err %v", len(ps), err))
					}
				case 4:
					// The relation is indexed under exactly one of its possible sources.
					m, err := s.RelationsOf(ctx, []string{"avtotor", "avtotor-holding"}, model.RelationsOfQuery{Filter: model.RelationFilter{IDs: []string{"r-avtotor-in-kaliningrad"}}})
					if err != nil || m["avtotor"].TotalCount+m["avtotor-holding"].TotalCount != 1 {
						report(fmt.Errorf("RelationsOf: %v", err))
					}
				case 5:
					if _, err := s.Entity(ctx, "avtotor"); err != nil {
						report(err)
					}
				}
			}
		})
	}
	for i := range 200 {
		d := storetest.Fixture()
		if i%2 == 1 {
			d = changed
		}
		if err := s.Import(ctx, d); err != nil {
			t.Fatalf("Import %d: %v", i, err)
		}
	}
	close(stop)
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
}

// TestSearchOrderMatchesSortHits holds the store's search order (computed with precomputed
// sort keys) to model.SortHits over a broad query on synthetic data.
func TestSearchOrderMatchesSortHits(t *testing.T) {
	s := inmem.New()
	if err := s.Import(t.Context(), synthetic(2000)); err != nil {
		t.Fatal(err)
	}
	for _, q := range []string{"a", "ko", "vel", "mo"} {
		hits, err := s.Search(t.Context(), model.SearchQuery{Text: q, First: 100000})
		if err != nil {
			t.Fatal(err)
		}
		if len(hits) < 50 {
			t.Fatalf("Search(%q) = %d hits; the check needs a broad query", q, len(hits))
		}
		want := slices.Clone(hits)
		model.SortHits(want)
		for i := range hits {
			if hits[i].Entity.GetID() != want[i].Entity.GetID() {
				t.Fatalf("Search(%q) hit %d = %s, model.SortHits puts %s there", q, i, hits[i].Entity.GetID(), want[i].Entity.GetID())
			}
		}
	}
}

// TestImportRefusesAndChangesNothing checks the embedded store's own guards: an invalid
// dataset, ids that clash across node sorts and a kind change that would break a stored
// relation are BAD_USER_INPUT, and the store is left as it was.
func TestImportRefusesAndChangesNothing(t *testing.T) {
	ctx := t.Context()
	cases := map[string]*model.Dataset{
		"nil dataset": nil,
		"invalid dataset": func() *model.Dataset {
			d := storetest.Fixture()
			d.Relations[0].ToID = "no-such-entity"
			return d
		}(),
		"entity id used by a relation":   {Places: []*model.Place{{EntityBase: model.EntityBase{ID: "r-tula-in-russia", Name: "X"}, Type: model.PlaceCity}}},
		"source id used by an entity":    {Sources: []*model.Source{{ID: "avtotor", Title: "X", PublishedOn: model.MustDate("2020")}}},
		"kind change breaks a relation":  {Places: []*model.Place{{EntityBase: model.EntityBase{ID: "baic-x35", Name: "X"}, Type: model.PlaceCity}}},
		"kind change breaks a country":   {Brands: []*model.Brand{{EntityBase: model.EntityBase{ID: "czechia", Name: "X"}}}},
		"kind change breaks a publisher": {Brands: []*model.Brand{{EntityBase: model.EntityBase{ID: "interfax", Name: "X"}}}},
	}
	for name, d := range cases {
		t.Run(name, func(t *testing.T) {
			s := loaded(t)
			before := dump(t, s)
			err := s.Import(ctx, d)
			if model.ErrorCode(err) != model.CodeBadUserInput {
				t.Fatalf("Import = %v (code %s), want BAD_USER_INPUT", err, model.ErrorCode(err))
			}
			if d := cmp.Diff(before, dump(t, s)); d != "" {
				t.Errorf("a refused import changed the store (-before +after):\n%s", d)
			}
		})
	}
}

// TestKindChange checks that an entity may change kind when nothing stored depends on it, and
// that the kind index follows.
func TestKindChange(t *testing.T) {
	s := loaded(t)
	ctx := t.Context()
	d := &model.Dataset{Plants: []*model.Plant{{EntityBase: model.EntityBase{ID: "minpromtorg", Name: "Ministry Plant"}}}}
	if err := s.Import(ctx, d); err != nil {
		t.Fatalf("Import = %v", err)
	}
	e, err := s.Entity(ctx, "minpromtorg")
	if err != nil || e.Kind() != model.KindPlant {
		t.Fatalf("Entity(minpromtorg) = %v, %v; want a plant", e, err)
	}
	orgs, _ := s.Entities(ctx, model.EntityQuery{Kind: model.KindOrganization, First: 100})
	plants, _ := s.Entities(ctx, model.EntityQuery{Kind: model.KindPlant, First: 100})
	if orgs.TotalCount != 27 || plants.TotalCount != 5 {
		t.Errorf("organizations, plants = %d, %d; want 27, 5", orgs.TotalCount, plants.TotalCount)
	}
}

// dump returns everything the store holds, timestamps included, for before/after comparisons.
func dump(t *testing.T, s *inmem.Store) snapshot {
	t.Helper()
	ctx := t.Context()
	es, err := s.Entities(ctx, model.EntityQuery{Order: model.Order{Field: model.SortByID}, First: 100000})
	if err != nil {
		t.Fatal(err)
	}
	rs, err := s.Relations(ctx, model.RelationQuery{First: 100000})
	if err != nil {
		t.Fatal(err)
	}
	ss, err := s.Sources(ctx, model.SourceQuery{First: 100000})
	if err != nil {
		t.Fatal(err)
	}
	return snapshot{es.Items, rs.Items, ss.Items}
}

// snapshot is the whole content of a store.
type snapshot struct {
	Entities  []model.Entity
	Relations []*model.Relation
	Sources   []*model.Source
}

func TestCloseTwice(t *testing.T) {
	s := inmem.New()
	if err := s.Close(t.Context()); err != nil {
		t.Fatalf("Close = %v", err)
	}
	if err := s.Close(t.Context()); model.ErrorCode(err) != model.CodeUnavailable {
		t.Errorf("second Close = %v, want UNAVAILABLE", err)
	}
}

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

// synthetic builds a deterministic automotive-looking graph of about n entities: places in a
// tree, organizations owning brands, brands with models, plants located in places, operated by
// organizations and assembling models, and some partnerships. Names are made of syllables so
// that searches hit a realistic spread of scores.
func synthetic(n int) *model.Dataset {
	rng := rand.New(rand.NewPCG(1, 2))
	syll := []string{"ka", "vel", "mo", "tor", "ri", "an", "ba", "zu", "len", "ko", "dar", "is", "ne", "gra", "sol", "vi"}
	name := func() string {
		var b strings.Builder
		for w := range 1 + rng.IntN(2) {
			if w > 0 {
				b.WriteByte(' ')
			}
			for range 2 + rng.IntN(2) {
				b.WriteString(syll[rng.IntN(len(syll))])
			}
		}
		s := b.String()
		return strings.ToUpper(s[:1]) + s[1:]
	}
	d := &model.Dataset{Sources: []*model.Source{{ID: "src", Title: "Synthetic", PublishedOn: model.MustDate("2024")}}}
	rels := 0
	link := func(t model.RelationType, from, to string) {
		rels++
		r := &model.Relation{ID: fmt.Sprintf("rel-%06d", rels), Type: t, FromID: from, ToID: to, Status: model.StatusActive, SourceIDs: []string{"src"}}
		if rels%3 == 0 {
			y := model.Date{Year: 1990 + rels%35}
			r.ValidFrom = &y
		}
		d.Relations = append(d.Relations, r)
	}
	places, orgs, brands, models, plants := n/20, n/10, n/5, n/2, n/10
	for i := range places {
		id := fmt.Sprintf("place-%d", i)
		d.Places = append(d.Places, &model.Place{EntityBase: model.EntityBase{ID: id, Name: name()}, Type: model.PlaceRegion})
		if i > 0 {
			link(model.RelLocatedIn, id, fmt.Sprintf("place-%d", rng.IntN(i)))
		}
	}
	for i := range orgs {
		id := fmt.Sprintf("org-%d", i)
		d.Organizations = append(d.Organizations, &model.Organization{EntityBase: model.EntityBase{ID: id, Name: name() + " Group", Aliases: []string{name()}}, Type: model.OrgManufacturer})
		link(model.RelLocatedIn, id, fmt.Sprintf("place-%d", rng.IntN(places)))
		if i > 0 && rng.IntN(2) == 0 {
			link(model.RelPartnersWith, id, fmt.Sprintf("org-%d", rng.IntN(i)))
		}
	}
	for i := range brands {
		id := fmt.Sprintf("brand-%d", i)
		d.Brands = append(d.Brands, &model.Brand{EntityBase: model.EntityBase{ID: id, Name: name()}})
		link(model.RelOwnsBrand, fmt.Sprintf("org-%d", rng.IntN(orgs)), id)
	}
	for i := range plants {
		id := fmt.Sprintf("plant-%d", i)
		d.Plants = append(d.Plants, &model.Plant{EntityBase: model.EntityBase{ID: id, Name: name() + " Plant"}})
		link(model.RelLocatedIn, id, fmt.Sprintf("place-%d", rng.IntN(places)))
		link(model.RelOperates, fmt.Sprintf("org-%d", rng.IntN(orgs)), id)
	}
	for i := range models {
		id := fmt.Sprintf("model-%d", i)
		d.VehicleModels = append(d.VehicleModels, &model.VehicleModel{EntityBase: model.EntityBase{ID: id, Name: name()}})
		link(model.RelHasModel, fmt.Sprintf("brand-%d", rng.IntN(brands)), id)
		link(model.RelAssembles, fmt.Sprintf("plant-%d", rng.IntN(plants)), id)
	}
	return d
}

// benchStore is a store over a synthetic graph of a few thousand entities.
func benchStore(b *testing.B) *inmem.Store {
	b.Helper()
	s := inmem.New()
	d := synthetic(4000)
	if err := d.Validate(); err != nil {
		b.Fatal(err)
	}
	if err := s.Import(context.Background(), d); err != nil {
		b.Fatal(err)
	}
	return s
}

func BenchmarkSearch(b *testing.B) {
	s := benchStore(b)
	ctx := context.Background()
	for _, q := range []string{"ka", "velmo", "torri plant"} {
		b.Run(q, func(b *testing.B) {
			for b.Loop() {
				if _, err := s.Search(ctx, model.SearchQuery{Text: q}); err != nil {
					b.Fatal(err)
				}
			}
		})
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
