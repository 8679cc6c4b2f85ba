package inmem

import (
	"bytes"
	"context"
	"encoding/binary"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"time"

	bolt "go.etcd.io/bbolt"

	"github.com/autograph-kg/autograph/graph/model"
)

// History (model.History). Every commit of a write records a revision in the same bbolt
// transaction as the change itself (the last one, for a staged import), so a write whose
// revision cannot be stored fails whole. A store without a file keeps its revisions in memory.
//
// The file keeps three buckets of history, which older builds ignore:
//   - revisions: big-endian number -> the time in Unix nanoseconds (8 bytes, big-endian), so
//     that a moment is found by binary search without decoding, then the header
//     (revisionHeader, JSON);
//   - revision-changes: number + id -> the item's Touched entry and its content before the
//     revision: a uvarint length, the Touched entry's JSON, then model.Item's JSON ("null" for
//     an item the revision created). The header keeps only the count of the items, so that it
//     stays small for an import of millions of items (bbolt rewrites a leaf with its values
//     when a neighbouring key is added);
//   - revision-items: id + 0x00 + number -> nothing; the index that finds, for an id, the
//     first revision after a given one that changed it.
//
// and the meta key history-floor: the newest pruned revision's number and time.

var _ model.History = (*Store)(nil)

const (
	bucketRevisions       = "revisions"
	bucketRevisionChanges = "revision-changes"
	bucketRevisionItems   = "revision-items"
	keyHistoryFloor       = "history-floor"
)

func historyBuckets() []string {
	return []string{bucketRevisions, bucketRevisionChanges, bucketRevisionItems}
}

// histState is what the store knows of its history.
type histState struct {
	// written is the newest revision committed (to the file, when there is one); last and
	// lastAt the newest one applied in memory, which is what readers are shown. written is
	// guarded by wmu, the rest by mu.
	written int64
	last    int64
	lastAt  time.Time
	floor   int64
	floorAt time.Time

	// The revisions of a store without a file, kept in memory: headers in number order,
	// each item's content before each revision, and per id the numbers that changed it.
	revs    []*model.Revision
	befores map[int64]map[string]model.Item
	byItem  map[string][]int64
}

// revisionHeader is how a revision's header is stored in the file.
type revisionHeader struct {
	At        time.Time       `json:"at"`
	Operation model.Operation `json:"operation"`
	Actor     model.Actor     `json:"actor"`
	Count     int             `json:"count"`
}

// encodeChange is the value of a revision-changes record.
func encodeChange(t model.Touched, before model.Item) ([]byte, error) {
	b, _, err := appendChange(nil, nil, t, before)
	return b, err
}

// appendChange appends the value of a revision-changes record to b; scratch is a buffer to
// reuse for the Touched entry's JSON, returned for the next call.
func appendChange(b, scratch []byte, t model.Touched, before model.Item) (out, scratchOut []byte, err error) {
	tj := appendTouched(scratch[:0], t)
	// An item the revision created has no prior content: every item of a first import,
	// millions of records, for which json.Marshal's round trip through Item.MarshalJSON was
	// most of the encoding.
	bj := []byte("null")
	if before.Exists() {
		if bj, err = json.Marshal(before); err != nil {
			return nil, tj, err
		}
	}
	b = binary.AppendUvarint(b, uint64(len(tj)))
	return append(append(b, tj...), bj...), tj, nil
}

// appendTouched appends t as json.Marshal writes it (the same fields, names and omissions),
// without reflection: a revision of an import has one per item.
func appendTouched(b []byte, t model.Touched) []byte {
	b = append(b, `{"id":`...)
	b = appendJSONString(b, t.ID)
	b = append(b, `,"sort":`...)
	b = appendJSONString(b, t.Sort)
	if t.Kind != "" {
		b = append(b, `,"kind":`...)
		b = appendJSONString(b, string(t.Kind))
	}
	if t.Type != "" {
		b = append(b, `,"type":`...)
		b = appendJSONString(b, string(t.Type))
	}
	if len(t.Ends) > 0 {
		b = append(b, `,"ends":[`...)
		for i, e := range t.Ends {
			if i > 0 {
				b = append(b, ',')
			}
			b = appendJSONString(b, e)
		}
		b = append(b, ']')
	}
	return append(b, '}')
}

// appendJSONString appends s as a JSON string. Ids, sorts, kinds and types are plain ASCII,
// which needs no escaping; anything else goes through encoding/json, so that the text is what
// json.Marshal would write.
func appendJSONString(b []byte, s string) []byte {
	for i := 0; i < len(s); i++ {
		if c := s[i]; c < 0x20 || c >= 0x7f || c == '"' || c == '\\' || c == '<' || c == '>' || c == '&' {
			j, _ := json.Marshal(s) // a string always marshals
			return append(b, j...)
		}
	}
	b = append(b, '"')
	b = append(b, s...)
	return append(b, '"')
}

// splitChange cuts a revision-changes value into its Touched JSON and its Item JSON.
func splitChange(v []byte) (touched, before []byte, err error) {
	n, k := binary.Uvarint(v)
	if k <= 0 || uint64(len(v)-k) < n {
		return nil, nil, fmt.Errorf("a history record is damaged")
	}
	return v[k : k+int(n)], v[k+int(n):], nil
}

func decodeBefore(v []byte) (model.Item, error) {
	_, b, err := splitChange(v)
	var it model.Item
	if err == nil {
		err = json.Unmarshal(b, &it)
	}
	return it, err
}

// pendingRevision is the revision a change records: its header and each item's content
// before, in id order.
type pendingRevision struct {
	rev     *model.Revision
	changes []model.Change
}

func revKey(n int64) []byte { return binary.BigEndian.AppendUint64(nil, uint64(n)) }

func changeKey(n int64, id string) []byte { return append(revKey(n), id...) }

func itemKey(id string, n int64) []byte {
	return binary.BigEndian.AppendUint64(append([]byte(id), 0), uint64(n))
}

// revisionFor works out the revision c records: the next number, the time, the context's
// actor, and every item's stored content before c. The caller holds wmu.
//
// It uses model.NewRevisionOf rather than model.NewRevision's map of each item's content
// after c: the changes are sorted with their contents after beside them, which a first import
// of millions of items spends less on than on the map.
func (s *Store) revisionFor(ctx context.Context, op model.Operation, c *change) *pendingRevision {
	type changed struct {
		id    string
		after model.Item
	}
	items := make([]changed, 0, c.size())
	for _, e := range c.entities {
		items = append(items, changed{e.GetID(), model.Item{Entity: e}})
	}
	for _, src := range c.sources {
		items = append(items, changed{src.ID, model.Item{Source: src}})
	}
	for _, r := range c.relations {
		items = append(items, changed{r.ID, model.Item{Relation: r}})
	}
	for _, id := range c.dropEntities {
		items = append(items, changed{id: id})
	}
	for _, id := range c.dropRelations {
		items = append(items, changed{id: id})
	}
	// Stable, so that of an id listed twice the last listing is its content after, as in a
	// map filled in this order.
	slices.SortStableFunc(items, func(a, b changed) int { return strings.Compare(a.id, b.id) })
	for i := len(items) - 2; i >= 0; i-- {
		if items[i].id == items[i+1].id {
			items[i].after = items[i+1].after
		}
	}
	changes := make([]model.Change, len(items))
	after := make([]model.Item, len(items))
	for i, it := range items {
		changes[i], after[i] = model.Change{ID: it.id, Before: s.storedItem(it.id)}, it.after
	}
	at := s.stamp()
	s.mu.RLock()
	if at.Before(s.hist.lastAt) {
		at = s.hist.lastAt // the clock stepped back: revisions keep time order
	}
	s.mu.RUnlock()
	return &pendingRevision{rev: model.NewRevisionOf(ctx, s.hist.written+1, at, op, changes, after), changes: changes}
}

// storedItem is the item stored under id, or the zero Item.
func (s *Store) storedItem(id string) model.Item {
	if rec, ok := s.entities[id]; ok {
		return model.Item{Entity: rec.e}
	}
	if rec, ok := s.sources[id]; ok {
		return model.Item{Source: rec.s}
	}
	if r, ok := s.relations[id]; ok {
		return model.Item{Relation: r}
	}
	return model.Item{}
}

// putRevision writes a revision into the file's history buckets, in tx: its header, and the
// rows of each history bucket not in staged (a staged import has written those already, see
// historyRows). A done ctx stops it between two records (the caller's transaction then rolls
// back).
func putRevision(ctx context.Context, tx *bolt.Tx, p *pendingRevision, staged map[string]bool) error {
	h := revisionHeader{At: p.rev.At, Operation: p.rev.Operation, Actor: p.rev.Actor, Count: len(p.changes)}
	raw, err := json.Marshal(h)
	if err != nil {
		return fmt.Errorf("encoding revision %d: %w", p.rev.Number, err)
	}
	revs := tx.Bucket([]byte(bucketRevisions))
	if revs == nil || tx.Bucket([]byte(bucketRevisionChanges)) == nil || tx.Bucket([]byte(bucketRevisionItems)) == nil {
		return fmt.Errorf("the history buckets are missing")
	}
	if err := checkTouched(p); err != nil {
		return err
	}
	val := binary.BigEndian.AppendUint64(make([]byte, 0, 8+len(raw)), uint64(p.rev.At.UnixNano()))
	if err := revs.Put(revKey(p.rev.Number), append(val, raw...)); err != nil {
		return err
	}
	for _, name := range []string{bucketRevisionChanges, bucketRevisionItems} {
		if staged[name] {
			continue
		}
		rows, err := historyRows(p, name)
		if err != nil {
			return err
		}
		b := tx.Bucket([]byte(name))
		var ar arena
		for i := range rows.n {
			if err := tick(ctx, "recording the revision", i+1); err != nil {
				return err
			}
			r := rows.at(i)
			v, err := ar.value(&r)
			if err != nil {
				return err
			}
			if err := b.Put([]byte(r.key), v); err != nil {
				return err
			}
		}
	}
	return nil
}

// checkTouched checks that a revision's changes and its Touched entries name the same items
// in the same order, which the history rows rely on.
func checkTouched(p *pendingRevision) error {
	if len(p.rev.Touched) != len(p.changes) {
		return fmt.Errorf("revision %d: it touched %d items and changed %d", p.rev.Number, len(p.rev.Touched), len(p.changes))
	}
	for i, c := range p.changes {
		if p.rev.Touched[i].ID != c.ID {
			return fmt.Errorf("revision %d: its changes and what it touched disagree at %q", p.rev.Number, c.ID)
		}
	}
	return nil
}

// historyRows lists a revision's rows of the history bucket name (revision-changes or
// revision-items), in key order, each encoded when asked for: an import of millions of items
// has as many rows in each. The changes are in id order, and so are both buckets' keys:
// revision-changes' are the number then the id, and revision-items' the id, a 0x00 byte and
// the number, which sort as the ids do unless an id holds a 0x00 byte (then they are sorted).
func historyRows(p *pendingRevision, name string) (rows, error) {
	n := p.rev.Number
	switch name {
	case bucketRevisionChanges:
		var scratch []byte
		return rows{n: len(p.changes), at: func(i int) record {
			c, t := p.changes[i], p.rev.Touched[i]
			return record{bucket: name, key: string(changeKey(n, c.ID)), value: func(b []byte) ([]byte, error) {
				var err error
				b, scratch, err = appendChange(b, scratch, t, c.Before)
				if err != nil {
					return nil, fmt.Errorf("encoding the prior content of %q: %w", c.ID, err)
				}
				return b, nil
			}}
		}}, nil
	case bucketRevisionItems:
		none := func(b []byte) ([]byte, error) { return b, nil }
		for _, c := range p.changes {
			if strings.IndexByte(c.ID, 0) >= 0 {
				// Then the keys need a sort of their own.
				keys := make([]string, len(p.changes))
				for i, c := range p.changes {
					keys[i] = string(itemKey(c.ID, n))
				}
				slices.Sort(keys)
				return rows{n: len(keys), at: func(i int) record { return record{bucket: name, key: keys[i], value: none} }}, nil
			}
		}
		return rows{n: len(p.changes), at: func(i int) record {
			return record{bucket: name, key: string(itemKey(p.changes[i].ID, n)), value: none}
		}}, nil
	}
	return rows{}, fmt.Errorf("%q is not a history bucket of rows", name)
}

// recorded makes a committed revision visible; the caller holds mu for writing. A store
// without a file keeps it in memory.
func (s *Store) recorded(p *pendingRevision) {
	if p == nil {
		return
	}
	n := p.rev.Number
	if s.db == nil {
		if s.hist.befores == nil {
			s.hist.befores, s.hist.byItem = map[int64]map[string]model.Item{}, map[string][]int64{}
		}
		s.hist.revs = append(s.hist.revs, p.rev)
		m := make(map[string]model.Item, len(p.changes))
		for _, c := range p.changes {
			m[c.ID] = c.Before
			s.hist.byItem[c.ID] = append(s.hist.byItem[c.ID], n)
		}
		s.hist.befores[n] = m
	}
	s.hist.last, s.hist.lastAt = n, p.rev.At
}

// loadHistory reads the history bounds from the file at Open, creating the history buckets
// in a file that has none.
func (s *Store) loadHistory() error {
	return s.db.Update(func(tx *bolt.Tx) error {
		for _, name := range historyBuckets() {
			if _, err := tx.CreateBucketIfNotExists([]byte(name)); err != nil {
				return err
			}
		}
		if v := tx.Bucket([]byte(bucketMeta)).Get([]byte(keyHistoryFloor)); len(v) >= 8 {
			s.hist.floor = int64(binary.BigEndian.Uint64(v))
			if err := s.hist.floorAt.UnmarshalBinary(v[8:]); err != nil {
				return fmt.Errorf("reading the history floor: %w", err)
			}
		}
		k, v := tx.Bucket([]byte(bucketRevisions)).Cursor().Last()
		if k != nil {
			if len(v) < 8 {
				return fmt.Errorf("the newest revision's record is damaged")
			}
			s.hist.last, s.hist.lastAt = int64(binary.BigEndian.Uint64(k)), time.Unix(0, int64(binary.BigEndian.Uint64(v))).UTC()
		} else if s.hist.floor > 0 {
			s.hist.last, s.hist.lastAt = s.hist.floor, s.hist.floorAt
		}
		s.hist.written = s.hist.last
		return nil
	})
}

// bounds reads the visible history bounds.
func (s *Store) bounds() (last, floor int64) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	return s.hist.last, s.hist.floor
}

// HistoryBounds reports the newest revision and how far back history reaches.
func (s *Store) HistoryBounds(ctx context.Context) (model.HistoryBounds, error) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	if err := s.ready(ctx, "inmem: history bounds"); err != nil {
		return model.HistoryBounds{}, err
	}
	return model.HistoryBounds{Last: s.hist.last, LastAt: s.hist.lastAt, Floor: s.hist.floor, FloorAt: s.hist.floorAt}, nil
}

// RevisionAt is the newest revision recorded at or before t (0 when none), by binary search
// over the kept revisions, which are in time order.
func (s *Store) RevisionAt(ctx context.Context, t time.Time) (int64, error) {
	const op = "inmem: revision at"
	if err := s.readyRLocked(ctx, op); err != nil {
		return 0, err
	}
	s.mu.RLock()
	last, floor, lastAt := s.hist.last, s.hist.floor, s.hist.lastAt
	s.mu.RUnlock()
	if last == floor {
		return 0, nil
	}
	if !t.Before(lastAt) {
		return last, nil
	}
	at, done, err := s.revisionTimes()
	if err != nil {
		return 0, fmt.Errorf("%s: %w", op, err)
	}
	defer done()
	// The answer is in [floor, last): lo is at or before t (floor stands for "none"), hi after.
	lo, hi := floor, last
	for hi-lo > 1 {
		mid := lo + (hi-lo)/2
		a, err := at(mid)
		if err != nil {
			return 0, fmt.Errorf("%s: %w", op, err)
		}
		if a.After(t) {
			hi = mid
		} else {
			lo = mid
		}
	}
	if lo == floor {
		// floor's own revision was pruned: whether it is at or before t is FloorAt's to say.
		s.mu.RLock()
		floorAt := s.hist.floorAt
		s.mu.RUnlock()
		if floor == 0 || floorAt.After(t) {
			return 0, nil
		}
	}
	return lo, nil
}

// revisionTimes gives a function that reads when a kept revision was recorded (from the
// 8-byte prefix of its record, without decoding it), and one to call when done with it.
func (s *Store) revisionTimes() (at func(n int64) (time.Time, error), done func(), err error) {
	if s.db == nil {
		s.mu.RLock()
		revs, floor := s.hist.revs, s.hist.floor
		s.mu.RUnlock()
		return func(n int64) (time.Time, error) {
			if i := n - floor - 1; i >= 0 && i < int64(len(revs)) {
				return revs[i].At, nil
			}
			return time.Time{}, fmt.Errorf("revision %d is not kept", n)
		}, func() {}, nil
	}
	tx, err := s.db.Begin(false)
	if err != nil {
		return nil, nil, err
	}
	b := tx.Bucket([]byte(bucketRevisions))
	return func(n int64) (time.Time, error) {
		v := b.Get(revKey(n))
		if len(v) < 8 {
			return time.Time{}, fmt.Errorf("revision %d is missing or damaged", n)
		}
		return time.Unix(0, int64(binary.BigEndian.Uint64(v))).UTC(), nil
	}, func() { _ = tx.Rollback() }, nil
}

// Revisions lists revision headers matching q.
func (s *Store) Revisions(ctx context.Context, q model.RevisionQuery) (*model.RevisionPage, error) {
	const op = "inmem: revisions"
	q, after, err := q.Normalize()
	if err != nil {
		return nil, fmt.Errorf("%s: %w", op, err)
	}
	if err := s.readyRLocked(ctx, op); err != nil {
		return nil, err
	}
	last, floor := s.bounds()
	// The numbers to look at, in the listing's order: every kept one, or the id's.
	lo, hi := max(q.Since, floor)+1, last
	if q.Until > 0 {
		hi = min(hi, q.Until)
	}
	if q.Desc && after > 0 {
		hi = min(hi, after-1)
	} else if after > 0 {
		lo = max(lo, after+1)
	}
	page := &model.RevisionPage{}
	if lo > hi {
		return page, nil
	}
	numbers, err := s.revisionNumbers(ctx, q, lo, hi)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", op, err)
	}
	if len(numbers) > q.First {
		numbers, page.HasNextPage = numbers[:q.First], true
	}
	page.Items, err = s.headers(numbers)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", op, err)
	}
	return page, nil
}

// readyRLocked is ready under a read lock of its own.
func (s *Store) readyRLocked(ctx context.Context, op string) error {
	s.mu.RLock()
	defer s.mu.RUnlock()
	return s.ready(ctx, op)
}

// revisionNumbers lists up to q.First+1 numbers in [lo, hi] that q keeps, in q's order.
func (s *Store) revisionNumbers(ctx context.Context, q model.RevisionQuery, lo, hi int64) ([]int64, error) {
	want := q.First + 1
	var out []int64
	if q.ID == "" {
		for i := int64(0); i < int64(want) && lo+i <= hi; i++ {
			if q.Desc {
				out = append(out, hi-i)
			} else {
				out = append(out, lo+i)
			}
		}
		return out, nil
	}
	if s.db == nil {
		s.mu.RLock()
		all := s.hist.byItem[q.ID]
		s.mu.RUnlock()
		for i := range all {
			j := i
			if q.Desc {
				j = len(all) - 1 - i
			}
			if n := all[j]; n >= lo && n <= hi {
				out = append(out, n)
				if len(out) == want {
					break
				}
			}
		}
		return out, nil
	}
	prefix := append([]byte(q.ID), 0)
	err := s.db.View(func(tx *bolt.Tx) error {
		c := tx.Bucket([]byte(bucketRevisionItems)).Cursor()
		i := 0
		if q.Desc {
			k, _ := c.Seek(itemKey(q.ID, hi+1))
			if k == nil {
				k, _ = c.Last()
			} else {
				k, _ = c.Prev()
			}
			for ; k != nil && bytes.HasPrefix(k, prefix) && len(k) == len(prefix)+8; k, _ = c.Prev() {
				if i++; tick(ctx, "", i) != nil {
					return ctx.Err()
				}
				n := int64(binary.BigEndian.Uint64(k[len(prefix):]))
				if n < lo {
					break
				}
				if n <= hi {
					out = append(out, n)
					if len(out) == want {
						break
					}
				}
			}
			return nil
		}
		for k, _ := c.Seek(itemKey(q.ID, lo)); k != nil && bytes.HasPrefix(k, prefix) && len(k) == len(prefix)+8; k, _ = c.Next() {
			if i++; tick(ctx, "", i) != nil {
				return ctx.Err()
			}
			n := int64(binary.BigEndian.Uint64(k[len(prefix):]))
			if n > hi {
				break
			}
			out = append(out, n)
			if len(out) == want {
				break
			}
		}
		return nil
	})
	return out, err
}

// headers reads the headers of the revisions numbered ns (all of them kept).
func (s *Store) headers(ns []int64) ([]*model.Revision, error) {
	out := make([]*model.Revision, 0, len(ns))
	if s.db == nil {
		s.mu.RLock()
		defer s.mu.RUnlock()
		base := s.hist.floor + 1
		for _, n := range ns {
			i := n - base
			if i < 0 || i >= int64(len(s.hist.revs)) {
				continue
			}
			r := *s.hist.revs[i]
			r.Touched = slices.Clone(r.Touched)
			out = append(out, &r)
		}
		return out, nil
	}
	err := s.db.View(func(tx *bolt.Tx) error {
		b := tx.Bucket([]byte(bucketRevisions))
		chs := tx.Bucket([]byte(bucketRevisionChanges))
		for _, n := range ns {
			v := b.Get(revKey(n))
			if v == nil {
				continue
			}
			var h revisionHeader
			if len(v) < 8 {
				return fmt.Errorf("revision %d is damaged", n)
			}
			if err := json.Unmarshal(v[8:], &h); err != nil {
				return fmt.Errorf("revision %d is damaged: %w", n, err)
			}
			r := &model.Revision{Number: n, At: h.At, Operation: h.Operation, Actor: h.Actor, Touched: make([]model.Touched, 0, h.Count)}
			prefix := revKey(n)
			c := chs.Cursor()
			for k, v := c.Seek(prefix); k != nil && bytes.HasPrefix(k, prefix); k, v = c.Next() {
				tj, _, err := splitChange(v)
				var t model.Touched
				if err == nil {
					err = json.Unmarshal(tj, &t)
				}
				if err != nil {
					return fmt.Errorf("revision %d's record of %q is damaged: %w", n, k[8:], err)
				}
				r.Touched = append(r.Touched, t)
			}
			out = append(out, r)
		}
		return nil
	})
	return out, err
}

// Changes returns what revision number did to each of ids (every item when ids is empty).
func (s *Store) Changes(ctx context.Context, number int64, ids []string) ([]model.Change, error) {
	const op = "inmem: revision changes"
	if err := s.readyRLocked(ctx, op); err != nil {
		return nil, err
	}
	last, floor := s.bounds()
	if number <= floor || number > last {
		return nil, fmt.Errorf("%s: %w", op, model.Errorf(model.CodeNotFound, "no revision numbered %d is kept", number))
	}
	ids = slices.Compact(slices.Sorted(slices.Values(ids)))
	var out []model.Change
	if s.db == nil {
		s.mu.RLock()
		defer s.mu.RUnlock()
		m := s.hist.befores[number]
		if len(ids) == 0 {
			ids = slices.Sorted(func(yield func(string) bool) {
				for id := range m {
					if !yield(id) {
						return
					}
				}
			})
		}
		for _, id := range ids {
			if it, ok := m[id]; ok {
				out = append(out, model.Change{ID: id, Before: it.Clone()})
			}
		}
		return out, nil
	}
	err := s.db.View(func(tx *bolt.Tx) error {
		b := tx.Bucket([]byte(bucketRevisionChanges))
		decode := func(id string, v []byte) error {
			it, err := decodeBefore(v)
			if err != nil {
				return fmt.Errorf("revision %d's record of %q is damaged: %w", number, id, err)
			}
			out = append(out, model.Change{ID: id, Before: it})
			return nil
		}
		if len(ids) > 0 {
			for _, id := range ids {
				if v := b.Get(changeKey(number, id)); v != nil {
					if err := decode(id, v); err != nil {
						return err
					}
				}
			}
			return nil
		}
		prefix := revKey(number)
		c := b.Cursor()
		i := 0
		for k, v := c.Seek(prefix); k != nil && bytes.HasPrefix(k, prefix); k, v = c.Next() {
			if i++; tick(ctx, "", i) != nil {
				return ctx.Err()
			}
			if err := decode(string(k[8:]), v); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("%s: %w", op, err)
	}
	return out, nil
}

// PriorStates gives each id changed after number its content before the first such change.
func (s *Store) PriorStates(ctx context.Context, number int64, ids []string) (map[string]model.Item, error) {
	const op = "inmem: prior states"
	if err := s.readyRLocked(ctx, op); err != nil {
		return nil, err
	}
	last, floor := s.bounds()
	if number < floor {
		return nil, fmt.Errorf("%s: %w", op, model.Errorf(model.CodeBadUserInput, "history before revision %d has been pruned", floor))
	}
	out := map[string]model.Item{}
	if number >= last {
		return out, nil
	}
	if s.db == nil {
		s.mu.RLock()
		defer s.mu.RUnlock()
		if len(ids) == 0 {
			for n := number + 1; n <= last; n++ {
				for id, it := range s.hist.befores[n] {
					if _, seen := out[id]; !seen {
						out[id] = it.Clone()
					}
				}
			}
			return out, nil
		}
		for _, id := range ids {
			ns := s.hist.byItem[id]
			i, _ := slices.BinarySearch(ns, number+1)
			if i < len(ns) && ns[i] <= last {
				out[id] = s.hist.befores[ns[i]][id].Clone()
			}
		}
		return out, nil
	}
	err := s.db.View(func(tx *bolt.Tx) error {
		chs := tx.Bucket([]byte(bucketRevisionChanges))
		put := func(id string, v []byte) error {
			it, err := decodeBefore(v)
			if err != nil {
				return fmt.Errorf("a record of %q in history is damaged: %w", id, err)
			}
			out[id] = it
			return nil
		}
		if len(ids) == 0 {
			c := chs.Cursor()
			i := 0
			for k, v := c.Seek(revKey(number + 1)); k != nil; k, v = c.Next() {
				if i++; tick(ctx, "", i) != nil {
					return ctx.Err()
				}
				if int64(binary.BigEndian.Uint64(k[:8])) > last {
					break
				}
				id := string(k[8:])
				if _, seen := out[id]; !seen {
					if err := put(id, v); err != nil {
						return err
					}
				}
			}
			return nil
		}
		c := tx.Bucket([]byte(bucketRevisionItems)).Cursor()
		for i, id := range ids {
			if tick(ctx, "", i+1) != nil {
				return ctx.Err()
			}
			prefix := append([]byte(id), 0)
			k, _ := c.Seek(itemKey(id, number+1))
			if k == nil || !bytes.HasPrefix(k, prefix) || len(k) != len(prefix)+8 {
				continue
			}
			n := int64(binary.BigEndian.Uint64(k[len(prefix):]))
			if n > last {
				continue
			}
			if v := chs.Get(changeKey(n, id)); v != nil {
				if err := put(id, v); err != nil {
					return err
				}
			}
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("%s: %w", op, err)
	}
	return out, nil
}

// Prune forgets the revisions recorded before t, the newest one aside.
func (s *Store) Prune(ctx context.Context, before time.Time) (int, error) {
	const op = "inmem: prune history"
	s.wmu.Lock()
	defer s.wmu.Unlock()
	if err := s.readyRLocked(ctx, op); err != nil {
		return 0, err
	}
	last, floor := s.bounds()
	// The newest revision to prune: the last one recorded before t (at or before the
	// nanosecond before it), never the newest of all.
	upto, err := s.RevisionAt(ctx, before.Add(-time.Nanosecond))
	if err != nil {
		return 0, err
	}
	upto = min(upto, last-1)
	if upto <= floor {
		return 0, nil
	}
	at, done, err := s.revisionTimes()
	if err != nil {
		return 0, fmt.Errorf("%s: %w", op, err)
	}
	upAt, err := at(upto)
	done()
	if err != nil {
		return 0, fmt.Errorf("%s: %w", op, err)
	}
	if s.db != nil {
		err := s.db.Update(func(tx *bolt.Tx) error {
			revs, chs, items := tx.Bucket([]byte(bucketRevisions)), tx.Bucket([]byte(bucketRevisionChanges)), tx.Bucket([]byte(bucketRevisionItems))
			for n := floor + 1; n <= upto; n++ {
				if err := ctx.Err(); err != nil {
					return err
				}
				prefix := revKey(n)
				c := chs.Cursor()
				var ids []string
				for k, _ := c.Seek(prefix); k != nil && bytes.HasPrefix(k, prefix); k, _ = c.Next() {
					ids = append(ids, string(k[8:]))
				}
				for _, id := range ids {
					if err := chs.Delete(changeKey(n, id)); err != nil {
						return err
					}
					if err := items.Delete(itemKey(id, n)); err != nil {
						return err
					}
				}
				if err := revs.Delete(prefix); err != nil {
					return err
				}
			}
			at, err := upAt.MarshalBinary()
			if err != nil {
				return err
			}
			return tx.Bucket([]byte(bucketMeta)).Put([]byte(keyHistoryFloor), append(revKey(upto), at...))
		})
		if err != nil {
			return 0, fmt.Errorf("%s: %w", op, &model.Error{Code: model.CodeInternal, Message: "history could not be pruned", Err: err})
		}
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.db == nil {
		k := int(upto - floor)
		for _, r := range s.hist.revs[:k] {
			for _, t := range r.Touched {
				ns := s.hist.byItem[t.ID]
				i, _ := slices.BinarySearch(ns, upto+1)
				if rest := ns[i:]; len(rest) == 0 {
					delete(s.hist.byItem, t.ID)
				} else {
					s.hist.byItem[t.ID] = rest
				}
			}
			delete(s.hist.befores, r.Number)
		}
		s.hist.revs = slices.Clone(s.hist.revs[k:])
	}
	s.hist.floor, s.hist.floorAt = upto, upAt
	return int(upto - floor), nil
}

// Restore builds a store without a file that holds d's items exactly as given, timestamps
// included: a picture of the graph as it once stood (graph/history builds the past with it).
// No write rule is applied, since the items obeyed them when they were written, and no
// revision is recorded.
func Restore(ctx context.Context, d *model.Dataset) (*Store, error) {
	s := New()
	c := &change{sources: d.Sources, entities: d.Entities(), relations: d.Relations}
	if !s.applyContext(ctx, c) {
		return nil, fmt.Errorf("inmem: restore: %w", ctx.Err())
	}
	return s, nil
}
