// Package feed follows a store's history (model.History) and fans its revisions out to
// subscribers: the change feed behind the GraphQL subscription `changes`.
//
// One Feed per server polls History.Revisions for what came after the last revision it saw.
// Polling the stored revisions, rather than listening to the local writes, is what makes a
// write through another server on the same Neo4j database reach this server's subscribers
// (Neo4j Community has no change data capture), and it cannot miss a write: History promises
// that a revision is never visible before one with a smaller number. Notify wakes the poller
// at once after a local write, so local subscribers do not wait for the next tick.
//
// A subscriber may start from a revision number (resume after a disconnect): the revisions
// after it are read from the store, page by page, and once the reader has caught up with the
// poller the subscriber is served live, with neither a gap nor a duplicate between the two.
// Each subscriber has a bounded buffer; one that falls so far behind that its buffer is full
// is ended with an error saying where to resume, so that a slow reader neither holds back the
// others nor makes the server hold an unbounded backlog for it.
package feed

import (
	"context"
	"errors"
	"log/slog"
	"slices"
	"sync"
	"time"

	"github.com/autograph-kg/autograph/graph/model"
)

// Options configure a Feed. Zero values take the defaults.
type Options struct {
	// Interval is how often the store is polled for new revisions (default 200ms).
	Interval time.Duration
	// MaxBackoff bounds the wait between polls while the store fails (default 5s); the wait
	// doubles from Interval with each failure in a row.
	MaxBackoff time.Duration
	// Buffer is how many events a subscriber may have waiting before it is ended (default 256).
	Buffer int
	// CallTimeout bounds each store call the feed makes (default 10s).
	CallTimeout time.Duration
	Logger      *slog.Logger
}

// Defaults.
const (
	DefaultInterval    = 200 * time.Millisecond
	DefaultMaxBackoff  = 5 * time.Second
	DefaultBuffer      = 256
	DefaultCallTimeout = 10 * time.Second
	// MaxEventIDs bounds the ids of one event: an import may change a million items, and a
	// notice listing them all would be megabytes. Event.Count has the full number.
	MaxEventIDs = 1000
	// MaxFilterIDs bounds the ids a subscriber may follow.
	MaxFilterIDs = 1000
	// replayAttempts is how many reads in a row a subscriber's replay tries before it ends the
	// subscription (the client resumes later with since).
	replayAttempts = 3
	// pageSize is how many revisions one store call asks for (History's largest page).
	pageSize = model.MaxPageSize
)

func (o *Options) defaults() {
	if o.Interval <= 0 {
		o.Interval = DefaultInterval
	}
	if o.MaxBackoff <= 0 {
		o.MaxBackoff = DefaultMaxBackoff
	}
	if o.MaxBackoff < o.Interval {
		o.MaxBackoff = o.Interval
	}
	if o.Buffer <= 0 {
		o.Buffer = DefaultBuffer
	}
	if o.CallTimeout <= 0 {
		o.CallTimeout = DefaultCallTimeout
	}
	if o.Logger == nil {
		o.Logger = slog.New(slog.DiscardHandler)
	}
}

// Event is one revision that matched a subscriber's filter.
type Event struct {
	Revision *model.Revision
	// IDs are the ids of the revision's items that matched, in id order, at most MaxEventIDs.
	IDs []string
	// Count is how many items matched (len(IDs) unless the list was cut at MaxEventIDs).
	Count int
}

// Filter says which revisions a subscriber wants. A revision matches when it changes an item
// of IDs (an entity also when a relation from or to it changes), an entity of one of Kinds,
// or a relation of one of Types; an empty Filter matches every revision.
type Filter struct {
	IDs   []string
	Kinds []model.EntityKind
	Types []model.RelationType
}

// Validate refuses a filter no subscriber should hold.
func (f Filter) Validate() error {
	if len(f.IDs) > MaxFilterIDs {
		return model.Errorf(model.CodeBadUserInput, "ids may list at most %d ids, got %d", MaxFilterIDs, len(f.IDs))
	}
	for _, id := range f.IDs {
		if err := model.CheckID(id); err != nil {
			return err
		}
	}
	return nil
}

// matcher is a Filter made ready for matching.
type matcher struct {
	all   bool
	ids   map[string]bool
	kinds map[model.EntityKind]bool
	types map[model.RelationType]bool
}

func newMatcher(f Filter) matcher {
	m := matcher{all: len(f.IDs) == 0 && len(f.Kinds) == 0 && len(f.Types) == 0}
	m.ids = make(map[string]bool, len(f.IDs))
	for _, id := range f.IDs {
		m.ids[id] = true
	}
	m.kinds = make(map[model.EntityKind]bool, len(f.Kinds))
	for _, k := range f.Kinds {
		m.kinds[k] = true
	}
	m.types = make(map[model.RelationType]bool, len(f.Types))
	for _, t := range f.Types {
		m.types[t] = true
	}
	return m
}

// touches says whether the filter wants the item t.
func (m matcher) touches(t model.Touched) bool {
	if m.all || m.ids[t.ID] {
		return true
	}
	switch t.Sort {
	case model.SortEntity:
		return m.kinds[t.Kind]
	case model.SortRelation:
		if m.types[t.Type] {
			return true
		}
		return slices.ContainsFunc(t.Ends, func(id string) bool { return m.ids[id] })
	}
	return false
}

// match is the event the filter makes of rev; false when nothing in it matched. ix, when
// not nil, is rev's index, which makes a filter cost what it names rather than what the
// revision touched.
func (m matcher) match(rev *model.Revision, ix *revIndex) (Event, bool) {
	ev := Event{Revision: rev}
	switch {
	case m.all:
		ev.Count = len(rev.Touched)
		ev.IDs = make([]string, 0, min(ev.Count, MaxEventIDs))
		for _, t := range rev.Touched[:min(ev.Count, MaxEventIDs)] {
			ev.IDs = append(ev.IDs, t.ID)
		}
	case ix != nil:
		var at []int
		for id := range m.ids {
			at = append(at, ix.byID[id]...)
		}
		for k := range m.kinds {
			at = append(at, ix.byKind[k]...)
		}
		for t := range m.types {
			at = append(at, ix.byType[t]...)
		}
		slices.Sort(at)
		at = slices.Compact(at)
		ev.Count = len(at)
		for _, i := range at[:min(len(at), MaxEventIDs)] {
			ev.IDs = append(ev.IDs, rev.Touched[i].ID)
		}
	default:
		for _, t := range rev.Touched {
			if !m.touches(t) {
				continue
			}
			ev.Count++
			if len(ev.IDs) < MaxEventIDs {
				ev.IDs = append(ev.IDs, t.ID)
			}
		}
	}
	if ev.Count == 0 {
		return Event{}, false
	}
	if ev.IDs == nil {
		ev.IDs = []string{}
	}
	return ev, true
}

// indexFrom is how many items a revision touches before the poller indexes it for its
// filtered subscribers (an import may touch a million).
const indexFrom = 64

// revIndex finds a revision's items (their positions in Touched) by id, relation end, entity
// kind and relation type.
type revIndex struct {
	byID   map[string][]int
	byKind map[model.EntityKind][]int
	byType map[model.RelationType][]int
}

func newRevIndex(rev *model.Revision) *revIndex {
	ix := &revIndex{byID: map[string][]int{}, byKind: map[model.EntityKind][]int{}, byType: map[model.RelationType][]int{}}
	for i, t := range rev.Touched {
		ix.byID[t.ID] = append(ix.byID[t.ID], i)
		switch t.Sort {
		case model.SortEntity:
			ix.byKind[t.Kind] = append(ix.byKind[t.Kind], i)
		case model.SortRelation:
			ix.byType[t.Type] = append(ix.byType[t.Type], i)
			for _, end := range t.Ends {
				ix.byID[end] = append(ix.byID[end], i)
			}
		}
	}
	return ix
}

// Feed follows a History and serves its revisions to subscribers. It is safe for concurrent
// use; Close stops it.
type Feed struct {
	h    model.History
	opts Options

	ctx    context.Context // ends at Close
	cancel context.CancelFunc
	wg     sync.WaitGroup
	wake   chan struct{}

	mu    sync.Mutex
	ready bool  // last is known
	last  int64 // the newest revision delivered to the live subscribers
	subs  map[*Subscription]struct{}
	// stepped is closed (and replaced) after each of the poller's successful steps.
	stepped chan struct{}
}

// New starts a feed following h; Close stops it. The feed begins at h's newest revision.
func New(h model.History, opts Options) *Feed {
	opts.defaults()
	ctx, cancel := context.WithCancel(context.Background())
	f := &Feed{h: h, opts: opts, ctx: ctx, cancel: cancel, wake: make(chan struct{}, 1), subs: map[*Subscription]struct{}{}, stepped: make(chan struct{})}
	f.wg.Add(1)
	go f.poll()
	return f
}

// Notify wakes the poller now (after a local write) instead of at its next tick. It never
// blocks.
func (f *Feed) Notify() {
	select {
	case f.wake <- struct{}{}:
	default:
	}
}

// Subscribers is how many subscriptions the feed serves now (those still replaying
// included).
func (f *Feed) Subscribers() int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return len(f.subs)
}

// Done is closed when the feed is closed: streams built on it may end then.
func (f *Feed) Done() <-chan struct{} { return f.ctx.Done() }

// Close stops the poller and ends every subscription with ErrClosed, and waits for the feed's
// goroutines to finish.
func (f *Feed) Close() {
	f.cancel()
	f.mu.Lock()
	for s := range f.subs {
		s.end(ErrClosed)
		delete(f.subs, s)
	}
	f.mu.Unlock()
	f.wg.Wait()
}

// ErrClosed ends the subscriptions of a feed that was closed (the server is shutting down).
var ErrClosed = model.Errorf(model.CodeUnavailable, "the server is shutting down: resubscribe, with since, to another server or later")

// poll follows the store until Close.
func (f *Feed) poll() {
	defer f.wg.Done()
	failures := 0
	timer := time.NewTimer(0)
	defer timer.Stop()
	for {
		select {
		case <-f.ctx.Done():
			return
		case <-timer.C:
		case <-f.wake:
			if !timer.Stop() {
				select {
				case <-timer.C:
				default:
				}
			}
		}
		wait := f.opts.Interval
		switch err := f.step(); {
		case err != nil && f.ctx.Err() != nil:
			return
		case err != nil:
			failures++
			wait = backoff(f.opts.Interval, f.opts.MaxBackoff, failures)
			f.opts.Logger.Warn("change feed: reading history failed; retrying", "error", err.Error(), "failures", failures, "retryIn", wait.String())
		default:
			f.mu.Lock()
			close(f.stepped)
			f.stepped = make(chan struct{})
			f.mu.Unlock()
			if failures > 0 {
				f.opts.Logger.Info("change feed: reading history again", "after", failures)
				failures = 0
			}
		}
		timer.Reset(wait)
	}
}

// backoff is the wait after n failures in a row: base doubled n-1 times, at most max.
func backoff(base, max time.Duration, n int) time.Duration {
	d := base
	for i := 1; i < n && d < max; i++ {
		d *= 2
	}
	return min(d, max)
}

// bounds reads where history ends, within one call's timeout.
func (f *Feed) bounds() (model.HistoryBounds, error) {
	ctx, cancel := context.WithTimeout(f.ctx, f.opts.CallTimeout)
	defer cancel()
	return f.h.HistoryBounds(ctx)
}

// step reads every revision after the last one delivered and delivers them in order.
func (f *Feed) step() error {
	f.mu.Lock()
	ready, last, idle := f.ready, f.last, len(f.subs) == 0
	f.mu.Unlock()
	if idle {
		// No one listens: only keep up with where history ends, without reading what the
		// revisions touched (an import's may be millions of items). A subscriber that joins
		// meanwhile is served from last as usual.
		b, err := f.bounds()
		if err != nil {
			return err
		}
		f.mu.Lock()
		if len(f.subs) == 0 {
			f.ready, f.last = true, max(f.last, b.Last)
			f.mu.Unlock()
			return nil
		}
		f.mu.Unlock()
	}
	if !ready {
		b, err := f.bounds()
		if err != nil {
			return err
		}
		f.mu.Lock()
		f.ready, f.last = true, b.Last
		last = b.Last
		f.mu.Unlock()
	}
	for {
		ctx, cancel := context.WithTimeout(f.ctx, f.opts.CallTimeout)
		page, err := f.h.Revisions(ctx, model.RevisionQuery{Since: last, First: pageSize})
		cancel()
		if err != nil {
			return err
		}
		for _, rev := range page.Items {
			if rev.Number <= last {
				continue
			}
			f.deliver(rev)
			last = rev.Number
		}
		if !page.HasNextPage || len(page.Items) == 0 {
			return nil
		}
	}
}

// deliver hands rev to every live subscriber and records it as the last delivered; a
// subscriber whose buffer is full is ended.
func (f *Feed) deliver(rev *model.Revision) {
	f.mu.Lock()
	defer f.mu.Unlock()
	var ix *revIndex
	for s := range f.subs {
		if s.replaying || rev.Number <= s.pos {
			continue
		}
		s.pos = rev.Number
		if ix == nil && !s.m.all && len(rev.Touched) >= indexFrom {
			ix = newRevIndex(rev)
		}
		ev, ok := s.m.match(rev, ix)
		if !ok {
			continue
		}
		select {
		case s.c <- ev:
		default:
			s.end(s.overflowError(rev.Number - 1))
			delete(f.subs, s)
		}
	}
	f.last = rev.Number
}

// Subscribe starts a subscription to the revisions filter matches: those after since when
// since is not nil (read from the store first), then the live ones. It refuses, with
// BAD_USER_INPUT, a filter Validate refuses, a negative since, and a since older than what
// history keeps (HistoryBounds.Floor); with UNAVAILABLE a feed that is closed or a store that
// cannot say what history it keeps. The subscription lasts until ctx ends, the caller
// closes it, or the feed ends it (Next says why).
func (f *Feed) Subscribe(ctx context.Context, filter Filter, since *int64) (*Subscription, error) {
	if err := filter.Validate(); err != nil {
		return nil, err
	}
	if since != nil && *since < 0 {
		return nil, model.Errorf(model.CodeBadUserInput, "since must not be negative, got %d", *since)
	}
	if f.ctx.Err() != nil {
		return nil, ErrClosed
	}
	bctx, cancel := context.WithTimeout(ctx, f.opts.CallTimeout)
	b, err := f.h.HistoryBounds(bctx)
	cancel()
	if err != nil {
		return nil, err
	}
	pos := b.Last
	if since != nil {
		if *since < b.Floor {
			return nil, model.Errorf(model.CodeBadUserInput, "since %d is older than the history this server keeps: revisions up to %d were pruned; subscribe without since and reload what you follow", *since, b.Floor)
		}
		pos = *since
	}
	s := &Subscription{f: f, m: newMatcher(filter), c: make(chan Event, f.opts.Buffer), done: make(chan struct{}), pos: pos, replaying: true}
	// Dropped when the subscription ends some other way, so a long-lived ctx does not keep it.
	s.stopMu.Lock()
	s.stop = context.AfterFunc(ctx, s.Close)
	s.stopMu.Unlock()
	f.mu.Lock()
	if f.ctx.Err() != nil {
		f.mu.Unlock()
		s.end(ErrClosed)
		return nil, ErrClosed
	}
	select {
	case <-s.done:
		// ctx ended already.
		f.mu.Unlock()
		return nil, ctx.Err()
	default:
	}
	f.subs[s] = struct{}{}
	if f.ready && s.pos >= f.last {
		s.replaying = false
	}
	replay := s.replaying
	if replay {
		f.wg.Add(1)
	}
	f.mu.Unlock()
	if replay {
		go s.replay()
	}
	return s, nil
}

// Subscription is one subscriber's view of the feed.
type Subscription struct {
	f *Feed
	m matcher
	c chan Event

	once sync.Once
	done chan struct{}
	err  error
	// stop drops the AfterFunc that ends the subscription with its ctx.
	stopMu sync.Mutex
	stop   func() bool

	// Guarded by f.mu.
	pos       int64 // the newest revision considered for this subscriber
	replaying bool  // revisions are still being read from the store for it
}

// Next waits for the subscription's next event. The error says why the subscription ended:
// the caller's ctx, Close (ErrUnsubscribed), the feed's Close (ErrClosed), a full buffer or
// a failed read of history (UNAVAILABLE, with the number to resume from). Events already
// waiting are handed out before the error.
func (s *Subscription) Next(ctx context.Context) (Event, error) {
	select {
	case ev := <-s.c:
		return ev, nil
	default:
	}
	select {
	case ev := <-s.c:
		return ev, nil
	case <-s.done:
		select {
		case ev := <-s.c:
			return ev, nil
		default:
			return Event{}, s.err
		}
	case <-ctx.Done():
		return Event{}, ctx.Err()
	}
}

// Done is closed when the subscription has ended.
func (s *Subscription) Done() <-chan struct{} { return s.done }

// ErrUnsubscribed ends a subscription its holder closed.
var ErrUnsubscribed = errors.New("feed: unsubscribed")

// Close ends the subscription; it is safe to call more than once.
func (s *Subscription) Close() { s.finish(ErrUnsubscribed) }

// finish ends the subscription with err and drops it from the feed.
func (s *Subscription) finish(err error) {
	s.end(err)
	s.f.mu.Lock()
	delete(s.f.subs, s)
	s.f.mu.Unlock()
}

// end records why the subscription ended; the first reason wins. The feed's lock may be held.
func (s *Subscription) end(err error) {
	s.once.Do(func() {
		s.err = err
		close(s.done)
		s.stopMu.Lock()
		stop := s.stop
		s.stopMu.Unlock()
		if stop != nil {
			stop()
		}
	})
}

func (s *Subscription) overflowError(resume int64) error {
	return model.Errorf(model.CodeUnavailable, "this subscription fell more than %d events behind and was ended: resubscribe with since: %d", s.f.opts.Buffer, resume)
}

// replay reads the revisions after the subscriber's position from the store and hands them
// to it, until it has caught up with the poller; then the poller serves it.
func (s *Subscription) replay() {
	defer s.f.wg.Done()
	f := s.f
	failures := 0
	for {
		f.mu.Lock()
		pos := s.pos
		if f.ready && pos >= f.last {
			s.replaying = false
			f.mu.Unlock()
			return
		}
		f.mu.Unlock()
		ctx, cancel := context.WithTimeout(f.ctx, f.opts.CallTimeout)
		page, err := f.h.Revisions(ctx, model.RevisionQuery{Since: pos, First: pageSize})
		cancel()
		if err != nil {
			if f.ctx.Err() != nil {
				return
			}
			failures++
			f.opts.Logger.Warn("change feed: replaying history for a subscriber failed", "error", err.Error(), "since", pos, "failures", failures)
			if failures < replayAttempts {
				select {
				case <-time.After(backoff(f.opts.Interval, f.opts.MaxBackoff, failures)):
					continue
				case <-s.done:
					return
				case <-f.ctx.Done():
					return
				}
			}
			s.finish(model.Errorf(model.CodeUnavailable, "the history could not be read: resubscribe with since: %d", pos))
			return
		}
		failures = 0
		if len(page.Items) == 0 {
			f.mu.Lock()
			gap := f.ready && pos < f.last
			f.mu.Unlock()
			if gap {
				// The poller saw revisions the store no longer has: they were pruned meanwhile.
				s.finish(model.Errorf(model.CodeBadUserInput, "the revisions after %d were pruned while they were being read; subscribe without since and reload what you follow", pos))
				return
			}
			// The poller is starting: wait for it to know where history ends rather than spin.
			f.mu.Lock()
			stepped := f.stepped
			f.mu.Unlock()
			select {
			case <-stepped:
				continue
			case <-s.done:
				return
			case <-f.ctx.Done():
				return
			}
		}
		for _, rev := range page.Items {
			if rev.Number <= pos {
				continue
			}
			pos = rev.Number
			ev, ok := s.m.match(rev, nil)
			if ok {
				select {
				case s.c <- ev:
				case <-s.done:
					return
				case <-f.ctx.Done():
					return
				}
			}
			f.mu.Lock()
			s.pos = pos
			f.mu.Unlock()
		}
	}
}
