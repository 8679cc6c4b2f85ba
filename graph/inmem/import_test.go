package inmem_test

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/autograph-kg/autograph/graph/inmem"
	"github.com/autograph-kg/autograph/graph/model"
	"github.com/autograph-kg/autograph/graph/storetest"
	"github.com/autograph-kg/autograph/seed/synth"
)

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

// counts is what a store holds, in numbers.
type counts struct{ Entities, Sources, Relations int }

func countsOf(t *testing.T, s model.Store) counts {
	t.Helper()
	ctx := t.Context()
	e, err := s.Entities(ctx, model.EntityQuery{First: 1})
	if err != nil {
		t.Fatal(err)
	}
	src, err := s.Sources(ctx, model.SourceQuery{First: 1})
	if err != nil {
		t.Fatal(err)
	}
	r, err := s.Relations(ctx, model.RelationQuery{First: 1})
	if err != nil {
		t.Fatal(err)
	}
	return counts{e.TotalCount, src.TotalCount, r.TotalCount}
}

// TestCancelledImportLeavesTheFileWhole cancels imports of a synthetic dataset at moments
// spread over the import, into an empty data directory (a first start) and into one that
// holds the fixture. Each must stop within storetest.MaxCancelDelay with the context's error,
// and the directory, reopened, must hold what it held before or the whole dataset: never a
// part. Then an import that is left alone finishes.
func TestCancelledImportLeavesTheFileWhole(t *testing.T) {
	if testing.Short() {
		t.Skip("imports a large synthetic dataset")
	}
	ctx := context.Background()
	// Large enough to go through the staging bucket (it has several times stagingChunk
	// records), small enough to import a few times over.
	d := synth.Generate(40_000, 11)
	whole := counts{len(d.Entities()), len(d.Sources), len(d.Relations)}
	for _, start := range []string{"empty", "fixture"} {
		t.Run(start, func(t *testing.T) {
			dir := t.TempDir()
			s, _, err := inmem.Open(ctx, dir)
			if err != nil {
				t.Fatal(err)
			}
			var before counts
			if start == "fixture" {
				if err := s.Import(ctx, storetest.Fixture()); err != nil {
					t.Fatal(err)
				}
				before = countsOf(t, s)
			}
			for _, after := range []time.Duration{50 * time.Millisecond, 300 * time.Millisecond, 800 * time.Millisecond, 1500 * time.Millisecond, 3 * time.Second} {
				cctx, cancel := context.WithCancel(ctx)
				timer := time.AfterFunc(after, cancel)
				t0 := time.Now()
				err := s.Import(cctx, d)
				took := time.Since(t0)
				timer.Stop()
				cancel()
				if err == nil {
					t.Logf("cancel at %v: the import had finished (%v)", after, took.Round(time.Millisecond))
					if got := countsOf(t, s); got != (counts{before.Entities + whole.Entities, before.Sources + whole.Sources, before.Relations + whole.Relations}) {
						t.Errorf("after the import: %+v", got)
					}
					break
				}
				if !errors.Is(err, context.Canceled) {
					t.Fatalf("cancel at %v: %v, want a context error", after, err)
				}
				if late := took - after; late > storetest.MaxCancelDelay {
					t.Errorf("cancel at %v: the import returned %v after the cancel, want at most %v", after, late.Round(time.Millisecond), storetest.MaxCancelDelay)
				}
				t.Logf("cancel at %v: returned after %v: %v", after, took.Round(time.Millisecond), err)
				_ = s.Close(ctx) // UNAVAILABLE when the import closed the store
				s, _, err = inmem.Open(ctx, dir)
				if err != nil {
					t.Fatalf("reopening after the cancel at %v: %v", after, err)
				}
				got := countsOf(t, s)
				full := counts{before.Entities + whole.Entities, before.Sources + whole.Sources, before.Relations + whole.Relations}
				switch got {
				case before:
				case full:
					t.Logf("cancel at %v: the import had been saved whole", after)
				default:
					t.Fatalf("reopened after the cancel at %v: %+v, want %+v (before) or %+v (all of it)", after, got, before, full)
				}
				if got == full {
					break
				}
			}
			noErr := func(err error) {
				t.Helper()
				if err != nil {
					t.Fatal(err)
				}
			}
			noErr(s.Import(ctx, d))
			want := countsOf(t, s)
			noErr(s.Close(ctx))
			s, _, err = inmem.Open(ctx, dir)
			noErr(err)
			defer s.Close(ctx)
			if got := countsOf(t, s); got != want {
				t.Errorf("reopened after the import: %+v, want %+v", got, want)
			}
		})
	}
}
