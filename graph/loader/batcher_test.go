package loader

import (
	"context"
	"errors"
	"slices"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/99designs/gqlgen/graphql"
	"github.com/autograph-kg/autograph/graph/inmem"
	"github.com/autograph-kg/autograph/graph/model"
	"github.com/autograph-kg/autograph/seed"
)

// countingStore counts the batch calls made to the seed, and can fail or panic on entities.
type countingStore struct {
	model.BatchReader
	calls    atomic.Int64
	entities atomic.Int64
	fail     error
	panics   bool
}

func (s *countingStore) EntitiesByID(ctx context.Context, ids []string) (map[string]model.Entity, error) {
	s.calls.Add(1)
	s.entities.Add(1)
	if s.panics {
		panic("store broke")
	}
	if s.fail != nil {
		return nil, s.fail
	}
	return s.BatchReader.EntitiesByID(ctx, ids)
}

func (s *countingStore) SourcesByID(ctx context.Context, ids []string) (map[string]*model.Source, error) {
	s.calls.Add(1)
	return s.BatchReader.SourcesByID(ctx, ids)
}

func (s *countingStore) RelationsOf(ctx context.Context, ids []string, q model.RelationsOfQuery) (map[string]*model.RelationPage, error) {
	s.calls.Add(1)
	return s.BatchReader.RelationsOf(ctx, ids, q)
}

func seedStore(t *testing.T) *countingStore {
	t.Helper()
	store := inmem.New()
	if err := seed.Load(context.Background(), store); err != nil {
		t.Fatal(err)
	}
	return &countingStore{BatchReader: store}
}

// fieldCtx is the context of a resolver at a path with no list index, or inside a list.
func fieldCtx(inList bool) context.Context {
	ctx := graphql.WithFieldContext(context.Background(), &graphql.FieldContext{Object: "Query"})
	if inList {
		i := 3
		ctx = graphql.WithFieldContext(ctx, &graphql.FieldContext{Object: "Relation", Index: &i})
		ctx = graphql.WithFieldContext(ctx, &graphql.FieldContext{Object: "Relation"})
	}
	return ctx
}

// The window is an hour in these tests: a load that returns did not wait for it.

func TestLoadOutsideAListIsFetchedAtOnce(t *testing.T) {
	store := seedStore(t)
	l := newLoaders(store, time.Hour)
	e, err := l.Entity(fieldCtx(false), "avtotor")
	if err != nil || e.GetID() != "avtotor" {
		t.Fatalf("Entity = %v, %v", e, err)
	}
	if _, err := l.Source(fieldCtx(false), "nothing"); !model.IsNotFound(err) {
		t.Errorf("Source(nothing) = %v, want NOT_FOUND", err)
	}
	if n := store.calls.Load(); n != 2 {
		t.Errorf("%d store calls, want 2", n)
	}
}

func TestAnnouncedSiblingsAreFetchedInOneCallWithoutWaiting(t *testing.T) {
	store := seedStore(t)
	l := newLoaders(store, time.Hour)
	page, err := l.RelationsOf(fieldCtx(false), "baic-group", model.RelationsOfQuery{First: 100})
	if err != nil {
		t.Fatal(err)
	}
	if len(page.Items) < 3 {
		t.Fatalf("baic-group has %d relations; the test wants several", len(page.Items))
	}
	// Every relation's endpoints and sources, asked for concurrently from inside a list, as
	// the Relation.from/to/sources resolvers do: one entity call and one source call.
	var wg sync.WaitGroup
	for _, r := range page.Items {
		wg.Add(3)
		go func() {
			defer wg.Done()
			if e, err := l.Entity(fieldCtx(true), r.FromID); err != nil || e.GetID() != r.FromID {
				t.Errorf("from %q = %v, %v", r.FromID, e, err)
			}
		}()
		go func() {
			defer wg.Done()
			if e, err := l.Entity(fieldCtx(true), r.ToID); err != nil || e.GetID() != r.ToID {
				t.Errorf("to %q = %v, %v", r.ToID, e, err)
			}
		}()
		go func() {
			defer wg.Done()
			if s, err := l.Sources(fieldCtx(true), r.SourceIDs); err != nil || len(s) != len(r.SourceIDs) {
				t.Errorf("sources %v = %v, %v", r.SourceIDs, s, err)
			}
		}()
	}
	wg.Wait()
	if n := store.calls.Load(); n != 3 {
		t.Errorf("%d store calls, want 3 (relations, entities, sources)", n)
	}
	// The endpoints' relations under one query, from inside a list: one call for them all.
	ends := map[string]bool{}
	for _, r := range page.Items {
		ends[r.FromID], ends[r.ToID] = true, true
	}
	for id := range ends {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if _, err := l.RelationsOf(fieldCtx(true), id, model.RelationsOfQuery{Direction: model.DirectionOut, First: 5}); err != nil {
				t.Error(err)
			}
		}()
	}
	wg.Wait()
	if n := store.calls.Load(); n != 4 {
		t.Errorf("%d store calls, want 4", n)
	}
}

func TestAnnouncedBatchErrorsReachEveryWaiter(t *testing.T) {
	for _, tc := range []struct {
		name  string
		spoil func(*countingStore)
	}{
		{"error", func(s *countingStore) { s.fail = errors.New("store down") }},
		{"panic", func(s *countingStore) { s.panics = true }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			store := seedStore(t)
			l := newLoaders(store, time.Hour)
			page, err := l.RelationsOf(fieldCtx(false), "baic-group", model.RelationsOfQuery{First: 100})
			if err != nil {
				t.Fatal(err)
			}
			tc.spoil(store)
			var wg sync.WaitGroup
			for _, r := range page.Items {
				wg.Add(1)
				go func() {
					defer wg.Done()
					if _, err := l.Entity(fieldCtx(true), r.ToID); err == nil || model.IsNotFound(err) {
						t.Errorf("to %q: error %v, want the store's failure", r.ToID, err)
					}
				}()
			}
			wg.Wait()
			if n := store.entities.Load(); n != 1 {
				t.Errorf("%d entity calls, want 1", n)
			}
		})
	}
}

// pendingKeys is how many keys wait in b's gathered batch.
func pendingKeys[K comparable, V any](b *batcher[K, V]) int {
	b.mu.Lock()
	defer b.mu.Unlock()
	return len(b.pending)
}

// closeWindow fires b's window timer now, as if the window had elapsed.
func closeWindow[K comparable, V any](t *testing.T, b *batcher[K, V]) {
	t.Helper()
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.timer == nil {
		t.Fatal("no window is open")
	}
	b.timer.Reset(0)
}

// waitPending waits until n keys are gathered in b's batch; the loads are goroutines that
// block inside the loader, so the test watches the batch instead of the clock.
func waitPending[K comparable, V any](t *testing.T, b *batcher[K, V], n int) {
	t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for pendingKeys(b) < n {
		if time.Now().After(deadline) {
			t.Fatalf("%d keys gathered after 30 s, want %d", pendingKeys(b), n)
		}
		time.Sleep(time.Millisecond)
	}
}

var concurrentIDs = []string{"avtotor", "baic-group", "kia", "hyundai", "bmw", "kaiyi", "baic", "russia"}

// loadConcurrently loads every id from its own goroutine and returns a function that waits
// for them and checks their answers.
func loadConcurrently(t *testing.T, l *Loaders, ids []string) func() {
	var wg sync.WaitGroup
	got := make([]model.Entity, len(ids))
	errs := make([]error, len(ids))
	for i, id := range ids {
		wg.Add(1)
		go func() {
			defer wg.Done()
			got[i], errs[i] = l.Entity(context.Background(), id)
		}()
	}
	return func() {
		t.Helper()
		wg.Wait()
		for i, id := range ids {
			if errs[i] != nil || got[i] == nil || got[i].GetID() != id {
				t.Errorf("Entity(%q) = %v, %v", id, got[i], errs[i])
			}
		}
	}
}

func TestConcurrentLoadsShareOneCallWhenTheWindowCloses(t *testing.T) {
	store := seedStore(t)
	l := newLoaders(store, time.Hour)
	check := loadConcurrently(t, l, concurrentIDs)
	waitPending(t, &l.entities, len(concurrentIDs))
	if n := store.calls.Load(); n != 0 {
		t.Fatalf("%d store calls before the window closed, want 0", n)
	}
	closeWindow(t, &l.entities)
	check()
	if n := store.calls.Load(); n != 1 {
		t.Errorf("%d store calls for %d concurrent loads, want 1", n, len(concurrentIDs))
	}
	// A second load of the same id is served from the request's cache.
	if _, err := l.Entity(context.Background(), "kia"); err != nil || store.calls.Load() != 1 {
		t.Errorf("cached load: %v, %d calls, want 1", err, store.calls.Load())
	}
}

func TestAFullBatchIsSentWithoutWaitingForTheWindow(t *testing.T) {
	store := seedStore(t)
	l := newLoaders(store, time.Hour)
	l.entities.capacity = len(concurrentIDs)
	// The window is an hour: the loads return only because the batch filled up.
	loadConcurrently(t, l, concurrentIDs)()
	if n := store.calls.Load(); n != 1 {
		t.Errorf("%d store calls for a full batch of %d, want 1", n, len(concurrentIDs))
	}
	if pendingKeys(&l.entities) != 0 {
		t.Error("keys left gathered after the batch was sent")
	}
}

// TestGroupByAskKeepsOrderAndIndexes: a batch's keys are grouped by their way of asking, in
// the order the ways first appear, each group with the indexes of its keys in order.
func TestGroupByAskKeepsOrderAndIndexes(t *testing.T) {
	a := relAsk{query: "a"}
	b := relAsk{query: "a", ends: true}
	c := relAsk{query: "c"}
	if g := groupByAsk(nil); g != nil {
		t.Fatalf("no keys: %v", g)
	}
	one := groupByAsk([]relKey{{id: "x", relAsk: a}, {id: "y", relAsk: a}, {id: "z", relAsk: a}})
	if len(one) != 1 || one[0].ask != a || !slices.Equal(one[0].idx, []int{0, 1, 2}) {
		t.Fatalf("one way of asking: %+v", one)
	}
	mixed := groupByAsk([]relKey{{id: "x", relAsk: b}, {id: "y", relAsk: a}, {id: "z", relAsk: b}, {id: "w", relAsk: c}, {id: "v", relAsk: a}})
	want := []askGroup{{ask: b, idx: []int{0, 2}}, {ask: a, idx: []int{1, 4}}, {ask: c, idx: []int{3}}}
	if len(mixed) != len(want) {
		t.Fatalf("mixed: %+v, want %+v", mixed, want)
	}
	for i := range want {
		if mixed[i].ask != want[i].ask || !slices.Equal(mixed[i].idx, want[i].idx) {
			t.Fatalf("mixed group %d: %+v, want %+v", i, mixed[i], want[i])
		}
	}
}

// TestAlignSharedErrorsOnlyWhenSomethingFailed: a batch that found every key has no list of
// errors; a missing key is errNotFound, and a batch's error is every key's, with no values.
func TestAlignSharedErrorsOnlyWhenSomethingFailed(t *testing.T) {
	x, y := "x", "y"
	if errs := alignShared([]*string{&x, &y}, nil); errs != nil {
		t.Fatalf("everything found: %v", errs)
	}
	vals := []*string{&x, nil}
	errs := alignShared(vals, nil)
	if len(errs) != 2 || errs[0] != nil || !errors.Is(errs[1], errNotFound) || vals[0] != &x {
		t.Fatalf("one missing: %v %v", vals, errs)
	}
	boom := errors.New("boom")
	vals = []*string{&x, &y}
	errs = alignShared(vals, boom)
	if len(errs) != 2 || errs[0] != boom || errs[1] != boom || vals[0] != nil || vals[1] != nil {
		t.Fatalf("a failed batch: %v %v", vals, errs)
	}
}
