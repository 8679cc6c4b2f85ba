package feed_test

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"go.uber.org/goleak"

	"github.com/autograph-kg/autograph/graph/feed"
	"github.com/autograph-kg/autograph/graph/model"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

// fakeHistory keeps revisions in memory and answers as History promises: numbers from 1, in
// order, a page at most First long. Only Revisions and HistoryBounds are used by the feed.
type fakeHistory struct {
	model.History // the methods the feed does not call panic

	mu    sync.Mutex
	revs  []*model.Revision
	floor int64
	// fail, while positive, makes that many calls in a row fail.
	fail      int
	calls     int
	revisions int // calls of Revisions
	// failSince makes Revisions fail for these values of Since.
	failSince map[int64]bool
}

var errDown = model.Errorf(model.CodeUnavailable, "the store is down")

// add records a revision touching the given items.
func (h *fakeHistory) add(touched ...model.Touched) int64 {
	h.mu.Lock()
	defer h.mu.Unlock()
	n := int64(len(h.revs) + 1)
	h.revs = append(h.revs, &model.Revision{Number: n, At: time.Unix(n, 0).UTC(), Operation: model.OpUpsertEntity, Actor: model.SystemActor(), Touched: touched})
	return n
}

func (h *fakeHistory) failNext(n int) {
	h.mu.Lock()
	h.fail = n
	h.mu.Unlock()
}

func (h *fakeHistory) call(ctx context.Context) error {
	h.calls++
	if err := ctx.Err(); err != nil {
		return err
	}
	if h.fail > 0 {
		h.fail--
		return errDown
	}
	return nil
}

func (h *fakeHistory) Revisions(ctx context.Context, q model.RevisionQuery) (*model.RevisionPage, error) {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.revisions++
	if err := h.call(ctx); err != nil {
		return nil, err
	}
	if h.failSince[q.Since] {
		return nil, errDown
	}
	q, _, err := q.Normalize()
	if err != nil {
		return nil, err
	}
	page := &model.RevisionPage{}
	for _, r := range h.revs {
		if r.Number <= q.Since || r.Number <= h.floor {
			continue
		}
		if len(page.Items) == q.First {
			page.HasNextPage = true
			break
		}
		page.Items = append(page.Items, r)
	}
	return page, nil
}

func (h *fakeHistory) HistoryBounds(ctx context.Context) (model.HistoryBounds, error) {
	h.mu.Lock()
	defer h.mu.Unlock()
	if err := h.call(ctx); err != nil {
		return model.HistoryBounds{}, err
	}
	return model.HistoryBounds{Last: int64(len(h.revs)), Floor: h.floor}, nil
}

func entity(id string, k model.EntityKind) model.Touched {
	return model.Touched{ID: id, Sort: model.SortEntity, Kind: k}
}

func relation(id string, t model.RelationType, ends ...string) model.Touched {
	return model.Touched{ID: id, Sort: model.SortRelation, Type: t, Ends: ends}
}

func newFeed(t *testing.T, h model.History, o feed.Options) *feed.Feed {
	t.Helper()
	if o.Interval == 0 {
		o.Interval = 5 * time.Millisecond
	}
	f := feed.New(h, o)
	t.Cleanup(f.Close)
	return f
}

func subscribe(t *testing.T, f *feed.Feed, filter feed.Filter, since *int64) *feed.Subscription {
	t.Helper()
	s, err := f.Subscribe(t.Context(), filter, since)
	if err != nil {
		t.Fatalf("Subscribe: %v", err)
	}
	t.Cleanup(s.Close)
	return s
}

// next is the subscription's next event within 2s.
func next(t *testing.T, s *feed.Subscription) feed.Event {
	t.Helper()
	ctx, cancel := context.WithTimeout(t.Context(), 2*time.Second)
	defer cancel()
	ev, err := s.Next(ctx)
	if err != nil {
		t.Fatalf("Next: %v", err)
	}
	return ev
}

// quiet says that no event comes within d.
func quiet(t *testing.T, s *feed.Subscription, d time.Duration) {
	t.Helper()
	ctx, cancel := context.WithTimeout(t.Context(), d)
	defer cancel()
	if ev, err := s.Next(ctx); err == nil {
		t.Fatalf("got an event for revision %d (ids %v), want none", ev.Revision.Number, ev.IDs)
	}
}

// settle lets a new feed's poller make its first step (it starts at once) and its new
// subscribers go live.
func settle() { time.Sleep(20 * time.Millisecond) }

func ptr(n int64) *int64 { return &n }

func TestFilters(t *testing.T) {
	h := &fakeHistory{}
	f := newFeed(t, h, feed.Options{})
	type sub struct {
		name   string
		filter feed.Filter
		s      *feed.Subscription
	}
	subs := []*sub{
		{name: "all"},
		{name: "ids", filter: feed.Filter{IDs: []string{"baic", "kaiyi"}}},
		{name: "kinds", filter: feed.Filter{Kinds: []model.EntityKind{model.KindPlant}}},
		{name: "types", filter: feed.Filter{Types: []model.RelationType{"ASSEMBLES"}}},
		{name: "kinds or ids", filter: feed.Filter{IDs: []string{"src-1"}, Kinds: []model.EntityKind{model.KindBrand}}},
	}
	for _, s := range subs {
		s.s = subscribe(t, f, s.filter, nil)
	}
	revs := [][]model.Touched{
		{entity("baic", model.KindOrganization)},
		{entity("avtotor-plant", model.KindPlant), entity("baic-x35", model.KindVehicleModel)},
		{relation("avtotor-assembles-kaiyi", "ASSEMBLES", "avtotor", "kaiyi")},
		{relation("baic-owns-foton", "OWNS", "baic", "foton")},
		{{ID: "src-1", Sort: model.SortSource}, entity("foton", model.KindBrand)},
	}
	for _, r := range revs {
		h.add(r...)
	}
	want := map[string][][]string{ // revision number - 1 -> ids; nil: not sent
		"all":          {{"baic"}, {"avtotor-plant", "baic-x35"}, {"avtotor-assembles-kaiyi"}, {"baic-owns-foton"}, {"src-1", "foton"}},
		"ids":          {{"baic"}, nil, {"avtotor-assembles-kaiyi"}, {"baic-owns-foton"}, nil},
		"kinds":        {nil, {"avtotor-plant"}, nil, nil, nil},
		"types":        {nil, nil, {"avtotor-assembles-kaiyi"}, nil, nil},
		"kinds or ids": {nil, nil, nil, nil, {"src-1", "foton"}},
	}
	for _, s := range subs {
		t.Run(s.name, func(t *testing.T) {
			for i, ids := range want[s.name] {
				if ids == nil {
					continue
				}
				ev := next(t, s.s)
				if ev.Revision.Number != int64(i+1) {
					t.Fatalf("got revision %d, want %d", ev.Revision.Number, i+1)
				}
				if diff := cmp.Diff(ids, ev.IDs); diff != "" {
					t.Errorf("revision %d ids (-want +got):\n%s", i+1, diff)
				}
				if ev.Count != len(ids) {
					t.Errorf("revision %d count = %d, want %d", i+1, ev.Count, len(ids))
				}
			}
			quiet(t, s.s, 30*time.Millisecond)
		})
	}
}

func TestFilterValidation(t *testing.T) {
	f := newFeed(t, &fakeHistory{}, feed.Options{})
	many := make([]string, feed.MaxFilterIDs+1)
	for i := range many {
		many[i] = fmt.Sprintf("e-%d", i)
	}
	for name, c := range map[string]struct {
		filter feed.Filter
		since  *int64
	}{
		"bad id":         {filter: feed.Filter{IDs: []string{"Not A Slug"}}},
		"too many ids":   {filter: feed.Filter{IDs: many}},
		"negative since": {since: ptr(-1)},
	} {
		t.Run(name, func(t *testing.T) {
			_, err := f.Subscribe(t.Context(), c.filter, c.since)
			if got := model.ErrorCode(err); got != model.CodeBadUserInput {
				t.Fatalf("error %v has code %s, want BAD_USER_INPUT", err, got)
			}
		})
	}
}

func TestEventIDsAreCapped(t *testing.T) {
	h := &fakeHistory{}
	f := newFeed(t, h, feed.Options{})
	s := subscribe(t, f, feed.Filter{}, nil)
	var touched []model.Touched
	for i := range feed.MaxEventIDs + 5 {
		touched = append(touched, entity(fmt.Sprintf("e-%05d", i), model.KindPlace))
	}
	h.add(touched...)
	ev := next(t, s)
	if len(ev.IDs) != feed.MaxEventIDs || ev.Count != feed.MaxEventIDs+5 {
		t.Fatalf("got %d ids and count %d, want %d and %d", len(ev.IDs), ev.Count, feed.MaxEventIDs, feed.MaxEventIDs+5)
	}
}

// numbers collects the revision numbers of n events.
func numbers(t *testing.T, s *feed.Subscription, n int) []int64 {
	t.Helper()
	var got []int64
	for range n {
		got = append(got, next(t, s).Revision.Number)
	}
	return got
}

func seq(from, to int64) []int64 {
	var out []int64
	for n := from; n <= to; n++ {
		out = append(out, n)
	}
	return out
}

func TestResumeHasNoGapAndNoDuplicate(t *testing.T) {
	h := &fakeHistory{}
	for i := range 250 {
		h.add(entity(fmt.Sprintf("e-%d", i), model.KindPlace))
	}
	f := newFeed(t, h, feed.Options{Interval: time.Millisecond, Buffer: 1000})
	// Writes go on while the subscriber replays, so that the switch to live happens while the
	// poller is delivering.
	stop := make(chan struct{})
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		for i := 0; ; i++ {
			select {
			case <-stop:
				return
			case <-time.After(100 * time.Microsecond):
			}
			if h.add(entity(fmt.Sprintf("w-%d", i), model.KindPlace)) >= 600 {
				return
			}
		}
	}()
	for _, since := range []int64{0, 10, 249} {
		s := subscribe(t, f, feed.Filter{}, ptr(since))
		got := numbers(t, s, int(600-since))
		if diff := cmp.Diff(seq(since+1, 600), got); diff != "" {
			close(stop)
			wg.Wait()
			t.Fatalf("since %d: revision numbers (-want +got):\n%s", since, diff)
		}
		quiet(t, s, 20*time.Millisecond)
	}
	close(stop)
	wg.Wait()
}

func TestResumeFromTheFuture(t *testing.T) {
	h := &fakeHistory{}
	h.add(entity("a", model.KindPlace))
	f := newFeed(t, h, feed.Options{})
	s := subscribe(t, f, feed.Filter{}, ptr(3))
	for range 4 {
		h.add(entity("b", model.KindPlace))
	}
	if got := numbers(t, s, 2); !cmp.Equal(got, []int64{4, 5}) {
		t.Fatalf("got revisions %v, want [4 5]: those after since", got)
	}
}

func TestSinceBeforeTheFloorIsRefused(t *testing.T) {
	h := &fakeHistory{floor: 5}
	for range 8 {
		h.add(entity("a", model.KindPlace))
	}
	f := newFeed(t, h, feed.Options{})
	_, err := f.Subscribe(t.Context(), feed.Filter{}, ptr(4))
	if model.ErrorCode(err) != model.CodeBadUserInput || !strings.Contains(err.Error(), "pruned") {
		t.Fatalf("since 4 with floor 5: got %v, want BAD_USER_INPUT saying history was pruned", err)
	}
	s := subscribe(t, f, feed.Filter{}, ptr(5))
	if got := numbers(t, s, 3); !cmp.Equal(got, []int64{6, 7, 8}) {
		t.Fatalf("since 5: got %v, want [6 7 8]", got)
	}
}

func TestSlowSubscriberIsEndedAndOthersGoOn(t *testing.T) {
	h := &fakeHistory{}
	f := newFeed(t, h, feed.Options{Buffer: 4})
	slow := subscribe(t, f, feed.Filter{}, nil)
	fast := subscribe(t, f, feed.Filter{}, nil)
	for i := range 10 {
		h.add(entity("a", model.KindPlace))
		if got := next(t, fast).Revision.Number; got != int64(i+1) {
			t.Fatalf("fast subscriber got revision %d, want %d", got, i+1)
		}
	}
	select {
	case <-slow.Done():
	case <-time.After(2 * time.Second):
		t.Fatal("the slow subscriber was not ended")
	}
	// What was buffered comes first, then the error saying where to resume.
	if got := numbers(t, slow, 4); !cmp.Equal(got, []int64{1, 2, 3, 4}) {
		t.Fatalf("slow subscriber got %v, want [1 2 3 4] before its end", got)
	}
	_, err := slow.Next(t.Context())
	if model.ErrorCode(err) != model.CodeUnavailable || !strings.Contains(err.Error(), "since: 4") {
		t.Fatalf("got %v, want UNAVAILABLE saying to resubscribe with since: 4", err)
	}
}

func TestPollerBacksOffAndRecovers(t *testing.T) {
	h := &fakeHistory{}
	logs := &lockedBuffer{}
	f := newFeed(t, h, feed.Options{Interval: 2 * time.Millisecond, MaxBackoff: 20 * time.Millisecond,
		Logger: slog.New(slog.NewTextHandler(logs, nil))})
	s := subscribe(t, f, feed.Filter{}, nil)
	settle()
	h.failNext(6)
	h.add(entity("a", model.KindPlace))
	if got := next(t, s).Revision.Number; got != 1 {
		t.Fatalf("after the store came back got revision %d, want 1", got)
	}
	// The recovery is logged once the step that delivered the event is done.
	for deadline := time.Now().Add(time.Second); time.Now().Before(deadline) && !strings.Contains(logs.String(), "reading history again"); {
		time.Sleep(time.Millisecond)
	}
	out := logs.String()
	if c := strings.Count(out, "reading history failed"); c != 6 {
		t.Errorf("logged %d failures, want 6:\n%s", c, out)
	}
	if !strings.Contains(out, "reading history again") {
		t.Errorf("the recovery was not logged:\n%s", out)
	}
	// Backing off, 6 failures take 2+4+8+16+20+20 ms at least.
	h.mu.Lock()
	calls := h.calls
	h.mu.Unlock()
	if calls > 40 {
		t.Errorf("the store was called %d times during 6 failures: the poller does not back off", calls)
	}
}

func TestStartsWhileTheStoreIsDown(t *testing.T) {
	h := &fakeHistory{}
	h.add(entity("a", model.KindPlace))
	h.failNext(3) // the poller's first calls
	f := newFeed(t, h, feed.Options{Interval: time.Millisecond})
	// Subscribe's own call may be one of the failing ones.
	var s *feed.Subscription
	for range 5 {
		var err error
		if s, err = f.Subscribe(t.Context(), feed.Filter{}, ptr(0)); err == nil {
			break
		}
		if model.ErrorCode(err) != model.CodeUnavailable {
			t.Fatalf("Subscribe: %v, want UNAVAILABLE while the store is down", err)
		}
	}
	if s == nil {
		t.Fatal("Subscribe kept failing after the store came back")
	}
	defer s.Close()
	h.add(entity("b", model.KindPlace))
	if got := numbers(t, s, 2); !cmp.Equal(got, []int64{1, 2}) {
		t.Fatalf("got %v, want [1 2]", got)
	}
}

func TestNotifyWakesThePoller(t *testing.T) {
	h := &fakeHistory{}
	f := newFeed(t, h, feed.Options{Interval: time.Hour})
	s := subscribe(t, f, feed.Filter{}, nil)
	settle()
	h.add(entity("a", model.KindPlace))
	quiet(t, s, 20*time.Millisecond)
	f.Notify()
	if got := next(t, s).Revision.Number; got != 1 {
		t.Fatalf("got revision %d, want 1", got)
	}
}

// A feed nobody listens to follows only where history ends: it never reads the revisions
// themselves, and a subscriber that comes later is served from there.
func TestIdleFeedReadsNoRevisions(t *testing.T) {
	h := &fakeHistory{}
	f := newFeed(t, h, feed.Options{})
	for range 50 {
		h.add(entity("a", model.KindPlace))
	}
	settle()
	settle()
	h.mu.Lock()
	read := h.revisions
	h.mu.Unlock()
	if read != 0 {
		t.Errorf("an idle feed called Revisions %d times, want 0", read)
	}
	s := subscribe(t, f, feed.Filter{}, nil)
	settle()
	h.add(entity("b", model.KindPlace))
	if got := next(t, s).Revision.Number; got != 51 {
		t.Fatalf("the first event after subscribing is revision %d, want 51", got)
	}
}

func TestEndings(t *testing.T) {
	t.Run("close", func(t *testing.T) {
		h := &fakeHistory{}
		f := feed.New(h, feed.Options{Interval: time.Millisecond})
		s, err := f.Subscribe(t.Context(), feed.Filter{}, nil)
		if err != nil {
			t.Fatal(err)
		}
		f.Close()
		if _, err := s.Next(t.Context()); !errors.Is(err, feed.ErrClosed) {
			t.Fatalf("Next after Close: %v, want ErrClosed", err)
		}
		if _, err := f.Subscribe(t.Context(), feed.Filter{}, nil); !errors.Is(err, feed.ErrClosed) {
			t.Fatalf("Subscribe after Close: %v, want ErrClosed", err)
		}
	})
	t.Run("close while replaying", func(t *testing.T) {
		h := &fakeHistory{}
		for range 300 {
			h.add(entity("a", model.KindPlace))
		}
		f := feed.New(h, feed.Options{Interval: time.Millisecond, Buffer: 2})
		if _, err := f.Subscribe(t.Context(), feed.Filter{}, ptr(0)); err != nil {
			t.Fatal(err)
		}
		time.Sleep(5 * time.Millisecond) // the replay blocks on the full buffer
		f.Close()                        // and must still stop (goleak checks)
	})
	t.Run("context", func(t *testing.T) {
		h := &fakeHistory{}
		f := newFeed(t, h, feed.Options{})
		ctx, cancel := context.WithCancel(t.Context())
		s, err := f.Subscribe(ctx, feed.Filter{}, nil)
		if err != nil {
			t.Fatal(err)
		}
		cancel()
		select {
		case <-s.Done():
		case <-time.After(2 * time.Second):
			t.Fatal("the subscription outlived its context")
		}
		if _, err := s.Next(t.Context()); !errors.Is(err, feed.ErrUnsubscribed) {
			t.Fatalf("Next: %v, want ErrUnsubscribed", err)
		}
	})
	t.Run("history fails during replay", func(t *testing.T) {
		h := &fakeHistory{failSince: map[int64]bool{2: true}}
		for range 5 {
			h.add(entity("a", model.KindPlace))
		}
		f := newFeed(t, h, feed.Options{})
		s := subscribe(t, f, feed.Filter{}, ptr(2))
		_, err := s.Next(t.Context())
		if model.ErrorCode(err) != model.CodeUnavailable || !strings.Contains(err.Error(), "since: 2") {
			t.Fatalf("got %v, want UNAVAILABLE saying to resubscribe with since: 2", err)
		}
	})
}

type lockedBuffer struct {
	mu sync.Mutex
	b  strings.Builder
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

// TestLargeRevisionsMatchAsSmallOnes: a revision touching many items is matched through an
// index; the events are the ones the rule gives, item by item.
func TestLargeRevisionsMatchAsSmallOnes(t *testing.T) {
	h := &fakeHistory{}
	f := newFeed(t, h, feed.Options{})
	filters := []feed.Filter{
		{IDs: []string{"e-007", "e-150"}},
		{Kinds: []model.EntityKind{model.KindPlant}},
		{Types: []model.RelationType{"OWNS"}},
		{IDs: []string{"e-003"}, Kinds: []model.EntityKind{model.KindBrand}, Types: []model.RelationType{"ASSEMBLES"}},
		{IDs: []string{"nobody"}},
	}
	var subs []*feed.Subscription
	for _, fl := range filters {
		subs = append(subs, subscribe(t, f, fl, nil))
	}
	settle()
	var touched []model.Touched
	kinds := []model.EntityKind{model.KindPlant, model.KindBrand, model.KindPlace}
	for i := range 200 {
		touched = append(touched, entity(fmt.Sprintf("e-%03d", i), kinds[i%3]))
	}
	types := []model.RelationType{"OWNS", "ASSEMBLES"}
	for i := range 100 {
		touched = append(touched, relation(fmt.Sprintf("r-%03d", i), types[i%2], fmt.Sprintf("e-%03d", i), fmt.Sprintf("e-%03d", 199-i)))
	}
	slices.SortFunc(touched, func(a, b model.Touched) int { return strings.Compare(a.ID, b.ID) })
	h.add(touched...)
	for i, fl := range filters {
		var want []string
		for _, tc := range touched {
			if matches(fl, tc) {
				want = append(want, tc.ID)
			}
		}
		if want == nil {
			quiet(t, subs[i], 30*time.Millisecond)
			continue
		}
		ev := next(t, subs[i])
		if diff := cmp.Diff(want, ev.IDs); diff != "" || ev.Count != len(want) {
			t.Errorf("filter %+v: count %d, ids (-want +got):\n%s", fl, ev.Count, diff)
		}
	}
}

// matches is the filter rule, item by item.
func matches(f feed.Filter, t model.Touched) bool {
	if slices.Contains(f.IDs, t.ID) || t.Sort == model.SortEntity && slices.Contains(f.Kinds, t.Kind) {
		return true
	}
	if t.Sort != model.SortRelation {
		return false
	}
	if slices.Contains(f.Types, t.Type) {
		return true
	}
	for _, e := range t.Ends {
		if slices.Contains(f.IDs, e) {
			return true
		}
	}
	return false
}

// BenchmarkFanOut measures one revision reaching 2000 subscribers (200 connections of 10
// subscriptions, the default limits), half of them filtered by id, from the store's answer
// to the last subscriber's Next.
func BenchmarkFanOut(b *testing.B) {
	h := &fakeHistory{}
	f := feed.New(h, feed.Options{Interval: time.Hour, Buffer: 4096})
	defer f.Close()
	const n = 2000
	var wg sync.WaitGroup
	got := make(chan struct{}, n)
	for i := range n {
		var fl feed.Filter
		if i%2 == 1 {
			fl.IDs = []string{fmt.Sprintf("e-%d", i%50)}
		}
		s, err := f.Subscribe(context.Background(), fl, nil)
		if err != nil {
			b.Fatal(err)
		}
		defer s.Close()
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				if _, err := s.Next(context.Background()); err != nil {
					return
				}
				got <- struct{}{}
			}
		}()
	}
	time.Sleep(50 * time.Millisecond)
	b.ResetTimer()
	for i := range b.N {
		h.add(entity(fmt.Sprintf("e-%d", i%50), model.KindPlace), relation(fmt.Sprintf("r-%d", i), "OWNS", fmt.Sprintf("e-%d", (i+1)%50), "z"))
		f.Notify()
		want := n/2 + 2*(n/2/50) // every unfiltered one, and the filtered ones following the two ids
		for range want {
			<-got
		}
	}
	b.StopTimer()
	f.Close()
	wg.Wait()
}
