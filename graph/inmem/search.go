package inmem

import (
	"cmp"
	"context"
	"fmt"
	"math/bits"
	"slices"
	"sync"

	"github.com/autograph-kg/autograph/graph/model"
)

// searchIndex is the trigram index behind Search. Without it every search scored every
// entity (0.7–1.2 s at 1M entities, see docs/PERFORMANCE.md); with it a search scores only
// the entities whose keys contain every trigram of the query.
//
// Trigrams are byte trigrams of the normalised search keys (model.SearchKeys), because
// model.ScoreMatch matches with strings.Contains, which compares bytes: if a query is a
// substring of a key, every 3-byte window of the query is a 3-byte window of the key, so the
// entities holding all of the query's trigrams are a superset of the matches, never fewer.
// Each key is indexed with one NUL byte appended (Normalize never produces NUL) so that a
// two-byte query also finds the keys it ends: "ab" is in a key exactly when some trigram
// "ab?" is, NUL included. One-byte queries are not indexed: a single letter matches most
// entities, so an index would not cut the work, and Search scans instead.
//
// Every candidate is scored with model.ScoreMatch, so the index only narrows the set of
// entities to score and results are exactly those of a full scan.
//
// The index lives under the store's locks like the other indexes: apply maintains it (entry
// by entry for small writes, rebuilt after large ones), Search reads it under the read lock.
type searchIndex struct {
	// recs maps a slot, the compact id posting lists hold, to the entity's current record;
	// nil marks a free slot. A record's slot is in entityRec.slot.
	recs []*entityRec
	// free lists free slots, reused before recs grows, so recs stays as long as the store
	// is large rather than as long as it ever was.
	free []uint32
	// grams maps a trigram (three bytes, big-endian in the low 24 bits) to the slots of the
	// entities that have it, in increasing order, each once.
	grams map[uint32][]uint32
	// prefix finds the best hits of most short queries without the trigrams (search_prefix.go).
	prefix prefixIndex
}

// trigram packs three bytes into a posting key.
func trigram(a, b, c byte) uint32 { return uint32(a)<<16 | uint32(b)<<8 | uint32(c) }

// gramsOf appends to buf the distinct trigrams of keys, each key with a NUL appended, sorted.
func gramsOf(keys []string, buf []uint32) []uint32 {
	buf = buf[:0]
	for _, k := range keys {
		for i := 0; i+2 <= len(k); i++ {
			var c byte // the NUL after the key
			if i+2 < len(k) {
				c = k[i+2]
			}
			buf = append(buf, trigram(k[i], k[i+1], c))
		}
	}
	slices.Sort(buf)
	return slices.Compact(buf)
}

// rebuild indexes recs from scratch, slot i for recs[i]. The caller passes the records in
// name order (the entsByName view), so that after a rebuild the candidates of a search come
// in the order hits sort by within a score, and the top-k selection rarely has to replace
// one. Posting lists are counted first and then carved out of one allocation with exact
// capacities: no append slack, and one pointer-free block for the garbage collector.
func (x *searchIndex) rebuild(recs []*entityRec) {
	x.recs = slices.Clone(recs)
	x.free = nil
	count := map[uint32]int{}
	var buf []uint32
	total := 0
	for _, r := range recs {
		buf = gramsOf(r.keys, buf)
		for _, g := range buf {
			count[g]++
		}
		total += len(buf)
	}
	block := make([]uint32, 0, total)
	x.grams = make(map[uint32][]uint32, len(count))
	for g, n := range count {
		// The three-index slice caps each list at its own length, so a later insert into it
		// reallocates instead of overwriting its neighbour in the block.
		x.grams[g] = block[len(block) : len(block) : len(block)+n]
		block = block[:len(block)+n]
	}
	// The prefix arrays (mostly a sort) are built beside the posting lists.
	var wg sync.WaitGroup
	wg.Go(func() { x.prefix.rebuild(recs) })
	for i, r := range recs {
		r.slot = uint32(i)
		buf = gramsOf(r.keys, buf)
		for _, g := range buf {
			x.grams[g] = append(x.grams[g], uint32(i))
		}
	}
	wg.Wait()
}

// add indexes a new record under a free slot.
func (x *searchIndex) add(r *entityRec) {
	if n := len(x.free); n > 0 {
		r.slot = x.free[n-1]
		x.free = x.free[:n-1]
		x.recs[r.slot] = r
	} else {
		r.slot = uint32(len(x.recs))
		x.recs = append(x.recs, r)
	}
	for _, g := range gramsOf(r.keys, nil) {
		x.grams[g] = insertSlot(x.grams[g], r.slot)
	}
	x.prefix.add(r.keys, r.slot)
}

// replace puts r, a new version of old, in old's slot, changing only the posting lists of
// the trigrams that the new keys gained or lost.
func (x *searchIndex) replace(old, r *entityRec) {
	r.slot = old.slot
	x.recs[r.slot] = r
	if slices.Equal(old.keys, r.keys) {
		return
	}
	x.prefix.remove(old.keys, r.slot)
	x.prefix.add(r.keys, r.slot)
	was, is := gramsOf(old.keys, nil), gramsOf(r.keys, nil)
	for _, g := range was {
		if _, ok := slices.BinarySearch(is, g); !ok {
			x.dropSlot(g, r.slot)
		}
	}
	for _, g := range is {
		if _, ok := slices.BinarySearch(was, g); !ok {
			x.grams[g] = insertSlot(x.grams[g], r.slot)
		}
	}
}

// remove takes a deleted record out of the index and frees its slot.
func (x *searchIndex) remove(old *entityRec) {
	for _, g := range gramsOf(old.keys, nil) {
		x.dropSlot(g, old.slot)
	}
	x.prefix.remove(old.keys, old.slot)
	x.recs[old.slot] = nil
	x.free = append(x.free, old.slot)
}

// insertSlot adds slot to a sorted posting list.
func insertSlot(list []uint32, slot uint32) []uint32 {
	i, ok := slices.BinarySearch(list, slot)
	if ok {
		return list
	}
	return slices.Insert(list, i, slot)
}

// dropSlot removes slot from g's posting list, and the list when it empties so that the map
// does not keep trigrams nobody has any more.
func (x *searchIndex) dropSlot(g, slot uint32) {
	list := x.grams[g]
	if i, ok := slices.BinarySearch(list, slot); ok {
		list = slices.Delete(list, i, i+1)
	}
	if len(list) == 0 {
		delete(x.grams, g)
	} else {
		x.grams[g] = list
	}
}

// candidates returns the slots of the entities that may match the normalised query q, of two
// or more bytes (one-byte queries are not indexed), in increasing order.
func (x *searchIndex) candidates(q string) []uint32 {
	switch {
	case len(q) < 2:
		panic("inmem: search index asked for a one-byte query")
	case len(q) == 2:
		lists := x.pairLists(q)
		if len(lists) == 1 {
			return lists[0]
		}
		// The union of the "ab?" lists, through a bitmap over slots: the lists overlap (an
		// entity with "abc" and "abd"), and the bitmap both dedupes and sorts them.
		words := make([]uint64, (len(x.recs)+63)/64)
		for _, l := range lists {
			for _, s := range l {
				words[s/64] |= 1 << (s % 64)
			}
		}
		var out []uint32
		for i, w := range words {
			for w != 0 {
				out = append(out, uint32(i*64+bits.TrailingZeros64(w)))
				w &= w - 1
			}
		}
		return out
	}
	lists := x.queryLists(q)
	if len(lists) == 0 {
		return nil
	}
	// Shortest first: the result is never longer than the shortest list, and every later
	// step only shrinks it.
	slices.SortFunc(lists, func(a, b []uint32) int { return cmp.Compare(len(a), len(b)) })
	out := slices.Clone(lists[0])
	for _, l := range lists[1:] {
		if len(out) == 0 {
			break
		}
		out = intersect(out, l)
	}
	return out
}

// queryLists returns the posting lists of the distinct trigrams of a query of three or more
// bytes, or none when one of them is not indexed (then nothing matches).
func (x *searchIndex) queryLists(q string) [][]uint32 {
	var lists [][]uint32
	seen := make([]uint32, 0, len(q))
	for i := 0; i+3 <= len(q); i++ {
		g := trigram(q[i], q[i+1], q[i+2])
		if slices.Contains(seen, g) {
			continue
		}
		seen = append(seen, g)
		l := x.grams[g]
		if len(l) == 0 {
			return nil
		}
		lists = append(lists, l)
	}
	return lists
}

// pairLists returns the posting lists of every trigram that starts with the two bytes of q:
// 256 map probes, cheap next to scoring.
func (x *searchIndex) pairLists(q string) [][]uint32 {
	var lists [][]uint32
	for c := range 256 {
		if l := x.grams[trigram(q[0], q[1], byte(c))]; len(l) > 0 {
			lists = append(lists, l)
		}
	}
	return lists
}

// costEstimate is an upper bound on the number of candidates for q, for choosing between the
// index and a scan of the asked kinds; -1 means every entity.
func (x *searchIndex) costEstimate(q string) int {
	switch {
	case len(q) < 2:
		return -1
	case len(q) == 2:
		n := 0
		for _, l := range x.pairLists(q) {
			n += len(l)
		}
		return n
	}
	lists := x.queryLists(q)
	if len(lists) == 0 {
		return 0
	}
	n := len(lists[0])
	for _, l := range lists[1:] {
		n = min(n, len(l))
	}
	return n
}

// intersect keeps the slots of a (sorted) that are in b (sorted), writing over a. When b is
// much longer it gallops through b by binary search instead of merging, so that a rare
// trigram against a common one costs len(a)·log(len(b)), not len(b).
func intersect(a, b []uint32) []uint32 {
	out := a[:0]
	j := 0
	if len(b) > 16*len(a) {
		for _, s := range a {
			k, ok := slices.BinarySearch(b[j:], s)
			j += k
			if ok {
				out = append(out, s)
			}
			if j >= len(b) {
				break
			}
		}
		return out
	}
	for _, s := range a {
		for j < len(b) && b[j] < s {
			j++
		}
		if j == len(b) {
			break
		}
		if b[j] == s {
			out = append(out, s)
		}
	}
	return out
}

// hit is a search match with the keys it sorts by.
type hit struct {
	rec   *entityRec
	score float64
}

// hitOrder is the order of model.SortHits (score down, then sort key of the name, then id),
// computed with the sort keys stored at write time: SortHits itself would normalise both
// names on every comparison. TestSearchOrderMatchesSortHits holds the two orders together.
func hitOrder(a, b hit) int {
	return cmp.Or(cmp.Compare(b.score, a.score), cmp.Compare(a.rec.sortKey, b.rec.sortKey), cmp.Compare(a.rec.e.GetID(), b.rec.e.GetID()))
}

// topHits keeps the k best hits seen, as a heap with the worst of them at the root. A broad
// query matches hundreds of thousands of entities at 1M; sorting them all to return 20 cost
// more than finding them, and the heap makes it one comparison per hit that does not make
// the cut.
type topHits struct {
	k    int
	heap []hit
}

func (t *topHits) push(h hit) {
	if len(t.heap) < t.k {
		t.heap = append(t.heap, h)
		// Sift up: the parent must not be better than the child.
		for i := len(t.heap) - 1; i > 0; {
			p := (i - 1) / 2
			if hitOrder(t.heap[p], t.heap[i]) >= 0 {
				break
			}
			t.heap[p], t.heap[i] = t.heap[i], t.heap[p]
			i = p
		}
		return
	}
	if hitOrder(h, t.heap[0]) >= 0 {
		return
	}
	t.heap[0] = h
	for i := 0; ; {
		w, l, r := i, 2*i+1, 2*i+2
		if l < len(t.heap) && hitOrder(t.heap[l], t.heap[w]) > 0 {
			w = l
		}
		if r < len(t.heap) && hitOrder(t.heap[r], t.heap[w]) > 0 {
			w = r
		}
		if w == i {
			return
		}
		t.heap[i], t.heap[w] = t.heap[w], t.heap[i]
		i = w
	}
}

// sorted returns the kept hits best first.
func (t *topHits) sorted() []hit {
	slices.SortFunc(t.heap, hitOrder)
	return t.heap
}

// Search finds entities whose name or an alias contains the query, scored by model.ScoreMatch
// over the precomputed search keys, in the order of model.SortHits. The trigram index
// (searchIndex) picks the entities to score, unless a scan is cheaper: for one-byte queries,
// and when the asked kinds hold fewer entities than the index would offer.
func (s *Store) Search(ctx context.Context, q model.SearchQuery) ([]model.SearchHit, error) {
	const op = "inmem: search"
	q, err := q.Normalize()
	if err != nil {
		return nil, fmt.Errorf("%s: %w", op, err)
	}
	s.mu.RLock()
	defer s.mu.RUnlock()
	if err := s.ready(ctx, op); err != nil {
		return nil, err
	}
	text := model.Normalize(q.Text)
	kinds := q.Kinds
	kindSize := 0
	for _, k := range kinds {
		kindSize += len(s.byKind[k])
	}
	top := topHits{k: q.First}
	i := 0
	score := func(r *entityRec) error {
		i++
		if err := tick(ctx, op, i); err != nil {
			return err
		}
		if sc := model.ScoreMatch(text, r.keys); sc > 0 {
			top.push(hit{r, sc})
		}
		return nil
	}

	// When enough entities have a key, or else a word, that starts with the query, the best
	// hits are among them (prefixIndex): score those alone, and of the keys only as many as
	// can make the cut.
	if top, ok, err := s.topByPrefix(ctx, op, text, kinds, q.First); err != nil || ok {
		if err != nil {
			return nil, err
		}
		return searchHits(top.sorted()), nil
	}
	if cands := s.search.byPrefix(text, kinds, q.First); cands != nil {
		for _, slot := range cands {
			if err := score(s.search.recs[slot]); err != nil {
				return nil, err
			}
		}
		return searchHits(top.sorted()), nil
	}
	est := s.search.costEstimate(text)
	switch {
	case len(kinds) > 0 && (est < 0 || kindSize <= est):
		// The asked kinds are fewer than the candidates: score them all.
		for _, k := range kinds {
			for _, r := range s.byKind[k] {
				if err := score(r); err != nil {
					return nil, err
				}
			}
		}
	case est < 0:
		// One byte, every kind: score everything, from the slot array, which is contiguous.
		for _, r := range s.search.recs {
			if r != nil {
				if err := score(r); err != nil {
					return nil, err
				}
			}
		}
	default:
		slots := s.search.candidates(text)
		for _, slot := range slots {
			r := s.search.recs[slot]
			if r == nil || (len(kinds) > 0 && !slices.Contains(kinds, r.e.Kind())) {
				continue
			}
			if err := score(r); err != nil {
				return nil, err
			}
		}
	}
	return searchHits(top.sorted()), nil
}

// searchHits copies the kept hits out.
func searchHits(hits []hit) []model.SearchHit {
	out := make([]model.SearchHit, len(hits))
	for i, h := range hits {
		out[i] = model.SearchHit{Entity: h.rec.e.Clone(), Score: h.score}
	}
	return out
}

// byPrefix returns the slots of the entities of the asked kinds (any, when none are asked
// for) with a key that starts with q, if there are at least first of them; else of those
// with a key or a word that does, if there are that many; else nil. Every entity it leaves
// out scores below every one it returns (see prefixIndex).
func (x *searchIndex) byPrefix(q string, kinds []model.EntityKind, first int) []uint32 {
	if q == "" || first <= 0 {
		return nil
	}
	seen := map[uint32]bool{}
	var out []uint32
	take := func(slot uint32) {
		if seen[slot] {
			return
		}
		seen[slot] = true
		if r := x.recs[slot]; r != nil && (len(kinds) == 0 || slices.Contains(kinds, r.e.Kind())) {
			out = append(out, slot)
		}
	}
	starting(x.prefix.names, q, take)
	starting(x.prefix.aliases, q, take)
	if len(out) >= first {
		return out
	}
	starting(x.prefix.words, q, take)
	if len(out) >= first {
		return out
	}
	return nil
}

// topByPrefix keeps the best first hits of q, of the asked kinds (any, when none are asked
// for), among the entities with a key that starts with q; ok says there were at least first
// such entities, so that they are the best hits of all (see prefixIndex). When there are
// fewer, ok is false and Search goes on to the words (byPrefix).
//
// Such an entity scores ScoreExact or ScorePrefix by its name key alone, unless an alias of it
// starts with q too. So the aliases that start with q are scored first, wherever their
// entities sort; then the names that start with q are walked in text order, which is the
// order of hits within a score (a name key is the sort key), and the walk stops at the first
// name that, scoring what its key scores, would not beat the worst hit kept: every later name
// scores no more and sorts after it. At 1M entities a three-letter query has thousands of
// names that start with it, of which the walk reads a few more than first.
func (s *Store) topByPrefix(ctx context.Context, op, q string, kinds []model.EntityKind, first int) (*topHits, bool, error) {
	x := &s.search
	top := &topHits{k: first}
	if q == "" || first <= 0 {
		return top, false, nil
	}
	wanted := func(r *entityRec) bool {
		return r != nil && (len(kinds) == 0 || slices.Contains(kinds, r.e.Kind()))
	}
	i := 0
	var byAlias map[uint32]bool // the entities scored through an alias
	if aliases := startingRange(x.prefix.aliases, q); len(aliases) > 0 {
		byAlias = make(map[uint32]bool, len(aliases))
		for _, ref := range aliases {
			i++
			if err := tick(ctx, op, i); err != nil {
				return nil, false, err
			}
			if r := x.recs[ref.slot]; wanted(r) && !byAlias[ref.slot] {
				byAlias[ref.slot] = true
				top.push(hit{r, model.ScoreMatch(q, r.keys)})
			}
		}
	}
	for _, ref := range startingRange(x.prefix.names, q) {
		i++
		if err := tick(ctx, op, i); err != nil {
			return nil, false, err
		}
		if len(top.heap) == first {
			// The best a name from here on can score, and where it sorts at the earliest.
			best, worst := model.ScorePrefix, top.heap[0]
			if ref.text == q {
				best = model.ScoreExact
			}
			if best < worst.score || best == worst.score && ref.text > worst.rec.sortKey {
				break
			}
		}
		if r := x.recs[ref.slot]; wanted(r) && !byAlias[ref.slot] {
			top.push(hit{r, model.ScoreMatch(q, r.keys)})
		}
	}
	return top, len(top.heap) == first, nil
}
