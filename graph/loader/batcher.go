package loader

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"sync/atomic"
	"time"

	"github.com/99designs/gqlgen/graphql"
)

// errNotFound marks a key the store did not return; the typed loaders turn it into NOT_FOUND
// or leave the key out.
var errNotFound = errors.New("loader: not found")

// resolved is the done of every entry that is resolved when it is made (primed, or known to
// be missing): a channel closed once, which nothing ever sends on or closes again.
var resolved = func() <-chan struct{} {
	c := make(chan struct{})
	close(c)
	return c
}()

// entry is one key's result, shared by every resolver that asks for the key in the request.
// done is closed once val and err are set; the entries of one batch share it, so that a batch
// of forty keys makes one channel, not forty.
type entry[V any] struct {
	done <-chan struct{}
	val  V
	err  error
}

// source is what a batcher loads from: the store call, and the announcements that tell it
// which keys are likely to be asked for together (see Loaders). Its implementations are
// one-pointer structs, so a batcher holds one without an allocation of its own.
type source[K comparable, V any] interface {
	// fetch makes one store call for keys and answers one value or one error per key; the
	// errors may be nil when there is none (see failed).
	fetch(ctx context.Context, keys []K) ([]V, []error)
	// siblings returns the keys announced together with k, nil when k was not announced; it
	// is called with the batcher's mu held and marks the group as used.
	siblings(k K) []K
	// seen is told what a batch returned before any of its waiters wake, so that it can
	// announce the keys the next level will ask for. It is called without mu.
	seen(keys []K, vals []V, errs []error)
}

// batcher loads values by key for one request, one store call per batch, and caches them.
// A key is fetched in one of three ways, chosen when it is first asked for:
//
//   - announced: the key belongs to a group of sibling keys that an earlier batch revealed
//     (the endpoints of the relations just loaded, the sources of the entities just loaded);
//     the first ask fetches the whole group at once, so the siblings find their values
//     cached and nobody waits;
//   - alone: the asking resolver is not inside a list, so no sibling can ask at the same
//     time; the key is fetched at once;
//   - gathered: otherwise the key joins a batch that is sent after the window wait, or
//     sooner when it reaches capacity.
//
// A batcher is a field of Loaders, ready at its zero value once src, wait and capacity are
// set: a request that never uses one pays nothing for it.
type batcher[K comparable, V any] struct {
	src      source[K, V]
	wait     time.Duration
	capacity int

	mu          sync.Mutex
	entries     map[K]*entry[V] // made on the first load: many requests never use a loader
	pending     []K
	pendingDone chan struct{} // the gathered batch's done, shared by its entries
	pendingCtx  context.Context
	timer       *time.Timer
	// windowed counts the batches sent because their window closed, rather than at once.
	windowed atomic.Int64
}

// loadOne is load of one key.
func (b *batcher[K, V]) loadOne(ctx context.Context, k K) *entry[V] {
	var out [1]*entry[V]
	b.loadInto(ctx, out[:], k)
	return out[0]
}

// load returns the entries of keys, in order, once they are all resolved.
func (b *batcher[K, V]) load(ctx context.Context, keys ...K) []*entry[V] {
	out := make([]*entry[V], len(keys))
	b.loadInto(ctx, out, keys...)
	return out
}

// loadAsked is load of exactly keys: the keys announced with them (siblings) are not fetched
// with them, and announcements are not grouped for it. It is for a caller that asks at once
// for everything it will read (graph's direct writer), for which grouping the announcements
// of hundreds of keys, only to find them among its own, was most of a load's time; what was
// announced stays pending for the resolvers that ask one key at a time.
func (b *batcher[K, V]) loadAsked(ctx context.Context, keys ...K) []*entry[V] {
	out := make([]*entry[V], len(keys))
	b.loadKeys(ctx, out, keys, false)
	return out
}

// loadInto fills out with the entries of keys, in order, once they are all resolved.
func (b *batcher[K, V]) loadInto(ctx context.Context, out []*entry[V], keys ...K) {
	b.loadKeys(ctx, out, keys, true)
}

// siblingsOf is b.src.siblings(k) when want is set, else none.
func (b *batcher[K, V]) siblingsOf(k K, want bool) []K {
	if !want {
		return nil
	}
	return b.src.siblings(k)
}

// loadKeys is loadInto, fetching the siblings of keys with them when siblings is set.
func (b *batcher[K, V]) loadKeys(ctx context.Context, out []*entry[V], keys []K, siblings bool) {
	alone := !inList(ctx)
	var now, full []K
	var nowDone, fullDone chan struct{}
	var spare []entry[V]
	b.mu.Lock()
	if b.entries == nil {
		b.entries = make(map[K]*entry[V], len(keys))
	}
	for i, k := range keys {
		if e, ok := b.entries[k]; ok {
			out[i] = e
			continue
		}
		if sib := b.siblingsOf(k, siblings); len(sib) > 0 {
			if nowDone == nil {
				nowDone = make(chan struct{})
			}
			// The group's entries in one block: they live and die with the request together.
			block := make([]entry[V], len(sib))
			if now == nil {
				now = make([]K, 0, len(sib)+len(keys)-i)
			}
			for j, s := range sib {
				if _, ok := b.entries[s]; !ok {
					block[j].done = nowDone
					b.entries[s] = &block[j]
					now = append(now, s)
				}
			}
			if e, ok := b.entries[k]; ok {
				out[i] = e
				continue
			}
		}
		if alone {
			if nowDone == nil {
				nowDone = make(chan struct{})
			}
			// The entries of the keys fetched now in blocks too: a writer's batch is
			// hundreds of keys.
			if len(spare) == 0 {
				spare = make([]entry[V], len(keys)-i)
			}
			e := &spare[0]
			spare = spare[1:]
			e.done = nowDone
			b.entries[k] = e
			out[i] = e
			switch {
			case len(keys) == 1 && now == nil:
				// One key (a lookup) and no siblings: the batch is keys itself, which
				// nothing keeps.
				now = keys
				continue
			case now == nil:
				now = make([]K, 0, len(keys)-i)
			}
			now = append(now, k)
			continue
		}
		if len(b.pending) == 0 {
			b.pendingDone = make(chan struct{})
			b.pendingCtx = ctx
			b.timer = time.AfterFunc(b.wait, b.flush)
		}
		e := &entry[V]{done: b.pendingDone}
		b.entries[k] = e
		out[i] = e
		b.pending = append(b.pending, k)
		if len(b.pending) >= b.capacity {
			full, fullDone = b.takePending()
		}
	}
	pctx := b.pendingCtx
	b.mu.Unlock()
	if len(full) > 0 {
		b.run(pctx, full, fullDone)
	}
	if len(now) > 0 {
		b.run(ctx, now, nowDone)
	}
	for _, e := range out {
		<-e.done
	}
}

// prime caches values fetched by another loader's batch (the entities that came with a page
// of relations) under keys not asked for yet, so that a later load finds them resolved. A
// key already asked for keeps its own fetch.
func (b *batcher[K, V]) prime(vals map[K]V) {
	if len(vals) == 0 {
		return
	}
	done := resolved
	block := make([]entry[V], 0, len(vals))
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.entries == nil {
		b.entries = make(map[K]*entry[V], len(vals))
	}
	for k, v := range vals {
		if _, ok := b.entries[k]; ok {
			continue
		}
		block = append(block, entry[V]{done: done, val: v})
		b.entries[k] = &block[len(block)-1]
	}
}

// takePending empties the gathered batch and returns its keys and done; mu must be held.
func (b *batcher[K, V]) takePending() ([]K, chan struct{}) {
	keys, done := b.pending, b.pendingDone
	b.pending, b.pendingDone = nil, nil
	if b.timer != nil {
		b.timer.Stop()
		b.timer = nil
	}
	return keys, done
}

// flush sends the gathered batch when its window closes.
func (b *batcher[K, V]) flush() {
	b.mu.Lock()
	ctx := b.pendingCtx
	keys, done := b.takePending()
	b.mu.Unlock()
	if len(keys) > 0 {
		b.windowed.Add(1)
		b.run(ctx, keys, done)
	}
}

// run makes one store call for keys, resolves their entries and closes done, which every
// one of them shares. A panic in the store call becomes every key's error, so that no waiter
// is left blocked.
func (b *batcher[K, V]) run(ctx context.Context, keys []K, done chan struct{}) {
	var vals []V
	var errs []error
	func() {
		defer func() {
			if r := recover(); r != nil {
				vals = nil
				errs = make([]error, len(keys))
				for i := range errs {
					errs[i] = fmt.Errorf("loader: batch failed: %v", r)
				}
			}
		}()
		vals, errs = b.src.fetch(ctx, keys)
	}()
	// seen announces into the other batchers (and this one), taking their locks: it runs
	// without mu, and before any waiter wakes.
	b.src.seen(keys, vals, errs)
	b.mu.Lock()
	for i, k := range keys {
		e := b.entries[k]
		if failed(errs, i) {
			e.err = errs[i]
		} else {
			e.val = vals[i]
		}
	}
	b.mu.Unlock()
	close(done)
}

// inList reports whether the resolver asking is inside a list, where siblings resolve
// concurrently and may ask for keys of their own. Outside a GraphQL request (no field
// context) it answers true, so that concurrent callers still share a batch.
func inList(ctx context.Context) bool {
	fc := graphql.GetFieldContext(ctx)
	if fc == nil {
		return true
	}
	for ; fc != nil; fc = fc.Parent {
		if fc.Index != nil {
			return true
		}
	}
	return false
}
