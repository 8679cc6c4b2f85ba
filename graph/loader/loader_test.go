package loader_test

import (
	"context"
	"slices"
	"sync"
	"testing"

	"github.com/autograph-kg/autograph/graph/inmem"
	"github.com/autograph-kg/autograph/graph/instrument"
	"github.com/autograph-kg/autograph/graph/loader"
	"github.com/autograph-kg/autograph/graph/model"
	"github.com/autograph-kg/autograph/seed"
)

func newLoaders(t *testing.T) (context.Context, *loader.Loaders, *instrument.Counter) {
	t.Helper()
	store := inmem.New()
	if err := seed.Load(context.Background(), store); err != nil {
		t.Fatal(err)
	}
	ctx, counter := instrument.WithCounter(context.Background())
	return ctx, loader.New(instrument.Wrap(store, nil)), counter
}

func TestUnknownIDs(t *testing.T) {
	ctx, l, _ := newLoaders(t)
	if _, err := l.Entity(ctx, "nobody"); !model.IsNotFound(err) {
		t.Errorf("Entity(nobody) = %v, want NOT_FOUND", err)
	}
	if _, err := l.Source(ctx, "nothing"); !model.IsNotFound(err) {
		t.Errorf("Source(nothing) = %v, want NOT_FOUND", err)
	}
	ents, err := l.Entities(ctx, []string{"kia", "nobody", "bmw"})
	if err != nil || len(ents) != 2 || ents[0].GetID() != "kia" || ents[1].GetID() != "bmw" {
		t.Errorf("Entities = %v, %v; want kia and bmw in order", ents, err)
	}
}

func TestRelationsOfBatchesByQuery(t *testing.T) {
	ctx, l, counter := newLoaders(t)
	owns := model.RelationsOfQuery{Direction: model.DirectionIn, Filter: model.RelationFilter{Types: []model.RelationType{model.RelOwnsBrand}}, First: 10}
	assembles := model.RelationsOfQuery{Direction: model.DirectionIn, Filter: model.RelationFilter{Types: []model.RelationType{model.RelAssembles}}, First: 10}
	brands := []string{"baic", "arcfox", "kia", "bmw"}
	var wg sync.WaitGroup
	var mu sync.Mutex
	totals := map[string]int{}
	for _, id := range brands {
		for name, q := range map[string]model.RelationsOfQuery{"owns": owns, "assembles": assembles} {
			wg.Add(1)
			go func() {
				defer wg.Done()
				p, err := l.RelationsOf(ctx, id, q)
				if err != nil {
					t.Error(err)
					return
				}
				mu.Lock()
				totals[name+" "+id] = p.TotalCount
				mu.Unlock()
			}()
		}
	}
	wg.Wait()
	want := map[string]int{"owns baic": 1, "owns arcfox": 1, "owns kia": 0, "owns bmw": 0, "assembles baic": 3, "assembles arcfox": 0, "assembles kia": 1, "assembles bmw": 1}
	for k, v := range want {
		if totals[k] != v {
			t.Errorf("%s: %d relations, want %d", k, totals[k], v)
		}
	}
	// One call per distinct query (a slow machine may split a batch), not one per brand.
	if n := counter.Load(); n > 4 {
		t.Errorf("%d store calls for two distinct queries over four brands, want 2", n)
	}
}

func TestRelationsOfEqualQueriesShareABatch(t *testing.T) {
	ctx, l, counter := newLoaders(t)
	// The same question in four spellings: the order and repetitions of the types, and an
	// empty direction against BOTH, do not change the answer, so they are one query.
	types := []model.RelationType{model.RelOwnsBrand, model.RelAssembles}
	spellings := []model.RelationsOfQuery{
		{Filter: model.RelationFilter{Types: types}},
		{Direction: model.DirectionBoth, Filter: model.RelationFilter{Types: []model.RelationType{model.RelAssembles, model.RelOwnsBrand}}},
		{Direction: model.DirectionBoth, Filter: model.RelationFilter{Types: []model.RelationType{model.RelAssembles, model.RelOwnsBrand, model.RelAssembles}}},
		{Filter: model.RelationFilter{Types: types}, First: model.DefaultPageSize},
	}
	brands := []string{"baic", "arcfox", "kia", "bmw"}
	var wg sync.WaitGroup
	totals := make([]int, len(brands))
	for i, id := range brands {
		wg.Add(1)
		go func() {
			defer wg.Done()
			p, err := l.RelationsOf(ctx, id, spellings[i])
			if err != nil {
				t.Error(err)
				return
			}
			totals[i] = p.TotalCount
		}()
	}
	wg.Wait()
	if want := []int{4, 1, 1, 1}; !slices.Equal(totals, want) {
		t.Errorf("totals = %v, want %v", totals, want)
	}
	// One batch; a very slow machine may split it in two, never into one call per spelling.
	if n := counter.Load(); n > 2 {
		t.Errorf("%d store calls for one query in four spellings, want 1", n)
	}
}

// TestWithStoreBuildsOnFirstUse: the loaders of WithStore are one set per request, built when
// first asked for, from every goroutine of the request alike.
func TestWithStoreBuildsOnFirstUse(t *testing.T) {
	store := inmem.New()
	if err := seed.Load(context.Background(), store); err != nil {
		t.Fatal(err)
	}
	ctx, counter := instrument.WithCounter(context.Background())
	ctx = loader.WithStore(ctx, instrument.Wrap(store, nil))
	got := make([]*loader.Loaders, 8)
	var wg sync.WaitGroup
	for i := range got {
		wg.Add(1)
		go func() { defer wg.Done(); got[i] = loader.For(ctx) }()
	}
	wg.Wait()
	for _, l := range got[1:] {
		if l != got[0] || l == nil {
			t.Fatal("For gave different loaders within one request")
		}
	}
	if _, err := got[0].Entity(ctx, "avtotor"); err != nil {
		t.Fatal(err)
	}
	if _, err := loader.For(ctx).Entity(ctx, "avtotor"); err != nil {
		t.Fatal(err)
	}
	if n := counter.Load(); n != 1 {
		t.Fatalf("%d store calls: the second ask must come from the same loaders' cache", n)
	}
}

// TestAskedLoadsLeaveAnnouncementsPending checks EntitiesAsked and SourcesAsked: they fetch
// exactly the ids asked, not the ids announced with them, and those stay announced, so the
// resolvers that ask for them one at a time still share one batch.
func TestAskedLoadsLeaveAnnouncementsPending(t *testing.T) {
	store := inmem.New()
	ctx := context.Background()
	if err := seed.Load(ctx, store); err != nil {
		t.Fatal(err)
	}
	src := []string{"report-a", "report-b", "report-c", "report-d"}
	for _, id := range src {
		if _, err := store.UpsertSource(ctx, &model.Source{ID: id, Title: "Report " + id, PublishedOn: model.Date{Year: 2024}}); err != nil {
			t.Fatal(err)
		}
	}
	with := func() (context.Context, *loader.Loaders, *instrument.Counter) {
		ctx, counter := instrument.WithCounter(context.Background())
		return ctx, loader.New(instrument.Wrap(store, nil)), counter
	}
	ctx, l, counter := with()
	l.AnnounceRelations([]*model.Relation{{ID: "r1", SourceIDs: src}})

	got, err := l.SourcesAsked(ctx, src[:1])
	if err != nil || len(got) != 1 || got[0].ID != src[0] || counter.Load() != 1 {
		t.Fatalf("SourcesAsked(%s) = %v, %v after %d calls, want it alone in 1", src[0], got, err, counter.Load())
	}
	// The other three were announced together and are still: the first asked brings the rest.
	if s, err := l.Source(ctx, src[1]); err != nil || s.ID != src[1] || counter.Load() != 2 {
		t.Fatalf("Source(%s) = %v, %v after %d calls, want 2", src[1], s, err, counter.Load())
	}
	for _, id := range src[2:] {
		if s, err := l.Source(ctx, id); err != nil || s.ID != id {
			t.Fatalf("Source(%s) = %v, %v", id, s, err)
		}
	}
	if n := counter.Load(); n != 2 {
		t.Errorf("%d store calls for the announced sources, want 2 (the asked one, then the rest together)", n)
	}
	// Against Sources, which fetches the group of what it asks for.
	ctx2, l2, counter2 := with()
	l2.AnnounceRelations([]*model.Relation{{ID: "r1", SourceIDs: src}})
	if _, err := l2.Sources(ctx2, src[:1]); err != nil {
		t.Fatal(err)
	}
	for _, id := range src[1:] {
		if _, err := l2.Source(ctx2, id); err != nil {
			t.Fatal(err)
		}
	}
	if n := counter2.Load(); n != 1 {
		t.Errorf("Sources then Source: %d store calls, want 1 (the announced group at once)", n)
	}

	// EntitiesAsked: the same, with unknown ids left out.
	ctx3, l3, counter3 := with()
	l3.AnnounceRelations([]*model.Relation{{ID: "r2", FromID: "kia", ToID: "hyundai"}, {ID: "r3", FromID: "bmw", ToID: "kaiyi"}})
	ents, err := l3.EntitiesAsked(ctx3, []string{"kia", "nobody"})
	if err != nil || len(ents) != 1 || ents[0].GetID() != "kia" || counter3.Load() != 1 {
		t.Fatalf("EntitiesAsked(kia, nobody) = %v, %v after %d calls", ents, err, counter3.Load())
	}
	for _, id := range []string{"hyundai", "bmw", "kaiyi"} {
		if e, err := l3.Entity(ctx3, id); err != nil || e.GetID() != id {
			t.Fatalf("Entity(%s) = %v, %v", id, e, err)
		}
	}
	if n := counter3.Load(); n != 2 {
		t.Errorf("%d store calls, want 2 (kia alone, then the announced rest together)", n)
	}
}
