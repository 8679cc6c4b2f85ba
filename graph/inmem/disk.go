package inmem

import (
	"bytes"
	"cmp"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sync"
	"time"

	bolt "go.etcd.io/bbolt"
	berrors "go.etcd.io/bbolt/errors"

	"github.com/autograph-kg/autograph/graph/model"
)

// The file layout; the package comment describes it. Bump formatVersion with any change to
// it, so that a build refuses a file it would misread.
const (
	dbFileName    = "graph.db"
	formatVersion = "2"
	// formatVersion1 is the version before it: JSON records. This build reads such a file as
	// it is (the decoders read both encodings) and marks it version 2 at Open, since from then
	// on its writes are binary records, which a build that knows only version 1 would misread.
	formatVersion1  = "1"
	bucketMeta      = "meta"
	bucketEntities  = "entities"
	bucketSources   = "sources"
	bucketRelations = "relations"
	keyVersion      = "version"
	// bucketStaging holds, under the data buckets' names, what a first import into an empty
	// file has written so far: such an import goes in several transactions (stagingChunk
	// records each), so that it can stop between two, and its buckets replace the empty data
	// buckets in its last one. A staging bucket found at Open is an import that never
	// finished (or was cancelled); it is dropped. Builds that do not know it ignore it.
	bucketStaging = "import-staging"
	stagingChunk  = 10_000
	// lockTimeout is how long Open waits for another holder of the file to let it go before
	// saying that the data directory is in use; long enough to ride out a restart.
	lockTimeout = 2 * time.Second
)

// dataBuckets are the buckets that hold the graph, in the order Open creates them.
func dataBuckets() []string { return []string{bucketEntities, bucketSources, bucketRelations} }

// The records of format version 1, which Open still reads: the model types' own JSON, plus the
// timestamps, which the model types leave out of their JSON (the seed has none). The entity's
// kind says which type to decode. Version 2 writes binary records (codec.go).

type entityRecord struct {
	Kind      model.EntityKind `json:"kind"`
	Entity    json.RawMessage  `json:"entity"`
	CreatedAt time.Time        `json:"createdAt"`
	UpdatedAt time.Time        `json:"updatedAt"`
}

type sourceRecord struct {
	Source    *model.Source `json:"source"`
	CreatedAt time.Time     `json:"createdAt"`
	UpdatedAt time.Time     `json:"updatedAt"`
}

type relationRecord struct {
	Relation  *model.Relation `json:"relation"`
	CreatedAt time.Time       `json:"createdAt"`
	UpdatedAt time.Time       `json:"updatedAt"`
}

// Open opens the store kept in dir (created with mode 0750 if missing), in the file
// dir/graph.db (created if missing), and reads the whole graph into memory. It reports
// whether the file was empty, so that the caller can load a seed into a fresh data directory.
//
// The file stays open, and locked, until Close. While another store has it open, in this
// process or another, Open waits two seconds and then fails with "data directory <dir> is in
// use by another process". A file that is not a bbolt database, is corrupt, or has a format
// version this build does not know is refused with an error that says so, and left untouched.
func Open(ctx context.Context, dir string) (*Store, bool, error) {
	return OpenWith(ctx, dir, Options{})
}

// Options are the rarely wanted settings of OpenWith.
type Options struct {
	// Unsynced skips the sync of the file at each commit, so a crash may lose writes that
	// were acknowledged. It is for filling a data directory fast in benchmarks and tests;
	// the server never sets it.
	Unsynced bool
}

// OpenWith is Open with options.
func OpenWith(ctx context.Context, dir string, o Options) (*Store, bool, error) {
	return open(ctx, dir, bolt.Options{Timeout: lockTimeout, MmapFlags: mmapFlags, NoSync: o.Unsynced})
}

// open is Open with the bbolt options spelled out, so that tests can limit the file's size.
func open(ctx context.Context, dir string, opts bolt.Options) (*Store, bool, error) {
	const op = "inmem: open"
	if err := ctx.Err(); err != nil {
		return nil, false, fmt.Errorf("%s: %w", op, err)
	}
	if dir == "" {
		return nil, false, fmt.Errorf("%s: no data directory given", op)
	}
	if err := os.MkdirAll(dir, 0o750); err != nil {
		return nil, false, fmt.Errorf("%s: creating the data directory: %w", op, err)
	}
	path := filepath.Join(dir, dbFileName)
	db, err := openBolt(path, &opts)
	if errors.Is(err, berrors.ErrTimeout) {
		return nil, false, fmt.Errorf("%s: data directory %s is in use by another process (%s stayed locked for %v): %w", op, dir, path, opts.Timeout, err)
	}
	if err != nil {
		return nil, false, fmt.Errorf("%s: %s cannot be opened as a database (corrupt, or not a data file of this server): %w", op, path, err)
	}
	s := New()
	s.db = db
	empty, err := s.load(ctx, path)
	if err == nil {
		err = s.loadHistory()
	}
	if err != nil {
		return nil, false, errors.Join(fmt.Errorf("%s: %w", op, err), db.Close())
	}
	releaseMapping(db, path)
	return s, empty, nil
}

// openBolt opens the bbolt file, turning a panic into an error: bbolt panics on some
// corruptions of the file (a broken freelist page, for one), and a corrupt data file must be
// a clear startup error, not a crash. After such a panic bbolt has mapped the file and does
// not unmap it, and the mapping keeps the file's lock, so the file stays locked until the
// process exits; a server refuses to start on such a file anyway.
func openBolt(path string, opts *bolt.Options) (db *bolt.DB, err error) {
	defer func() {
		if p := recover(); p != nil {
			db, err = nil, fmt.Errorf("the file is corrupt: %v", p)
		}
	}()
	return bolt.Open(path, 0o600, opts)
}

// load checks the file's layout (creating it in a fresh file) and reads everything into
// memory, checking what the indexes rely on: records decode, keys match ids, and relation
// endpoints exist. It reports whether the file held nothing. s is not shared yet, so no lock.
func (s *Store) load(ctx context.Context, path string) (empty bool, err error) {
	defer func() {
		if p := recover(); p != nil {
			err = fmt.Errorf("%s is corrupt: %v", path, p)
		}
	}()
	fresh, staged, old := false, false, false
	err = s.db.View(func(tx *bolt.Tx) error {
		meta := tx.Bucket([]byte(bucketMeta))
		if meta == nil {
			// A file bbolt has just created has no buckets; one with other buckets is not ours.
			var names []string
			if err := tx.ForEach(func(name []byte, _ *bolt.Bucket) error {
				names = append(names, string(name))
				return nil
			}); err != nil {
				return err
			}
			if len(names) > 0 {
				return fmt.Errorf("%s is not a data file of this server (it has buckets %q and no %q)", path, names, bucketMeta)
			}
			fresh = true
			return nil
		}
		switch v := meta.Get([]byte(keyVersion)); string(v) {
		case formatVersion:
		case formatVersion1:
			old = true
		default:
			return fmt.Errorf("%s is in format version %q, and this build reads versions %s and %s only", path, v, formatVersion1, formatVersion)
		}
		for _, name := range dataBuckets() {
			if tx.Bucket([]byte(name)) == nil {
				return fmt.Errorf("%s is damaged: the %q bucket is missing", path, name)
			}
		}
		staged = tx.Bucket([]byte(bucketStaging)) != nil
		return nil
	})
	if err != nil {
		return false, err
	}
	if staged {
		if err := s.db.Update(dropStaging); err != nil {
			return false, fmt.Errorf("dropping the rest of an unfinished import from %s: %w", path, err)
		}
	}
	if old {
		err := s.db.Update(func(tx *bolt.Tx) error {
			return tx.Bucket([]byte(bucketMeta)).Put([]byte(keyVersion), []byte(formatVersion))
		})
		if err != nil {
			return false, fmt.Errorf("marking %s as format version %s: %w", path, formatVersion, err)
		}
	}
	if fresh {
		err := s.db.Update(func(tx *bolt.Tx) error {
			meta, err := tx.CreateBucket([]byte(bucketMeta))
			if err != nil {
				return err
			}
			if err := meta.Put([]byte(keyVersion), []byte(formatVersion)); err != nil {
				return err
			}
			for _, name := range dataBuckets() {
				if _, err := tx.CreateBucket([]byte(name)); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			return false, fmt.Errorf("initialising %s: %w", path, err)
		}
		return true, nil
	}

	c := &change{}
	// ids holds every entity id, for the endpoint check and so that relations share their
	// endpoints' id strings; shared interns the values many records repeat. The relations
	// (the larger half) are read in a transaction of their own on a second goroutine, beside
	// the entities and sources, with a table of their own. Once the entities are read
	// (entitiesRead(true)), ids is only read, and the relations' goroutine checks their
	// endpoints against it while the sources are read.
	ids, shared, slabs := strtab{}, strtab{}, newSlabs()
	var relErr error
	var wg sync.WaitGroup
	idsRead := make(chan bool, 1)
	sent := false
	entitiesRead := func(ok bool) {
		if !sent {
			sent = true
			idsRead <- ok
		}
	}
	defer entitiesRead(false) // whatever ends the load early, a panic included
	wg.Go(func() {
		defer func() {
			if p := recover(); p != nil {
				relErr = fmt.Errorf("%s is corrupt: %v", path, p)
			}
		}()
		relShared, relSlabs := strtab{}, newSlabs()
		relErr = s.db.View(func(tx *bolt.Tx) error {
			b := tx.Bucket([]byte(bucketRelations))
			if n := b.Stats().KeyN; n > 0 {
				c.relations = make([]*model.Relation, 0, n)
			}
			i := 0
			return b.ForEach(func(k, v []byte) error {
				if i++; tick(ctx, "loading", i) != nil {
					return fmt.Errorf("loading: %w", ctx.Err())
				}
				r, err := decodeRelation(relSlabs.str(k), v, relShared, nil, relSlabs)
				if err != nil {
					return err
				}
				c.relations = append(c.relations, r)
				return nil
			})
		})
		if relErr != nil || !<-idsRead {
			return
		}
		relErr = internEndpoints(c.relations, ids, path)
	})
	err = s.db.View(func(tx *bolt.Tx) error {
		i := 0
		each := func(bucket string, fn func(k, v []byte) error) error {
			return tx.Bucket([]byte(bucket)).ForEach(func(k, v []byte) error {
				i++
				if err := tick(ctx, "loading", i); err != nil {
					return err
				}
				return fn(k, v)
			})
		}
		if n := tx.Bucket([]byte(bucketEntities)).Stats().KeyN; n > 0 {
			c.entities = make([]model.Entity, 0, n)
			ids = make(strtab, n)
		}
		if err := each(bucketEntities, func(k, v []byte) error {
			id := ids.get(k)
			e, err := decodeEntity(id, v, shared, slabs)
			if err != nil {
				return err
			}
			c.entities = append(c.entities, e)
			return nil
		}); err != nil {
			return err
		}
		entitiesRead(true)
		return each(bucketSources, func(k, v []byte) error {
			src, err := decodeSource(string(k), v, shared)
			if err != nil {
				return err
			}
			c.sources = append(c.sources, src)
			return nil
		})
	})
	entitiesRead(false)
	wg.Wait()
	if err = cmp.Or(err, relErr); err != nil {
		return false, fmt.Errorf("reading %s: %w", path, err)
	}
	ids, shared = nil, nil
	s.apply(c)
	return c.size() == 0, nil
}

// internEndpoints checks that every relation's endpoints are entities of ids and makes them
// the entities' own id strings: one copy of each id.
func internEndpoints(rels []*model.Relation, ids strtab, path string) error {
	for _, r := range rels {
		from, okFrom := ids[r.FromID]
		to, okTo := ids[r.ToID]
		if !okFrom || !okTo {
			end := r.FromID
			if okFrom {
				end = r.ToID
			}
			return fmt.Errorf("%s is inconsistent: relation %q refers to entity %q, which is not in the file", path, r.ID, end)
		}
		r.FromID, r.ToID = from, to
	}
	return nil
}

// persist writes a change to the file in one bbolt transaction; bbolt syncs the file before
// Update returns, so once persist returns nil the change survives a crash. Records go in id
// order: bbolt splits its pages only when the transaction commits, so puts in random order
// into a large bucket shift ever larger in-memory pages, and an import grows quadratic.
// A done ctx stops persist between two records (checked every ctxCheckEvery) and once more
// just before the commit; the transaction then rolls back and the file is as it was.
func (s *Store) persist(ctx context.Context, c *change) error {
	recs := records(c)
	var ar arena
	return s.db.Update(func(tx *bolt.Tx) error {
		ents := tx.Bucket([]byte(bucketEntities))
		rels := tx.Bucket([]byte(bucketRelations))
		for _, id := range c.dropRelations {
			if err := rels.Delete([]byte(id)); err != nil {
				return fmt.Errorf("deleting relation %q: %w", id, err)
			}
		}
		for _, id := range c.dropEntities {
			if err := ents.Delete([]byte(id)); err != nil {
				return fmt.Errorf("deleting entity %q: %w", id, err)
			}
		}
		for i, r := range recs {
			if err := tick(ctx, "saving", i+1); err != nil {
				return err
			}
			v, err := ar.value(&r)
			if err != nil {
				return fmt.Errorf("encoding %s %q: %w", r.bucket, r.key, err)
			}
			if err := tx.Bucket([]byte(r.bucket)).Put([]byte(r.key), v); err != nil {
				return fmt.Errorf("writing %s %q: %w", r.bucket, r.key, err)
			}
		}
		if c.rev != nil {
			if err := putRevision(ctx, tx, c.rev, nil); err != nil {
				return fmt.Errorf("recording the revision: %w", err)
			}
		}
		// The last moment to stop: returning an error rolls the transaction back.
		if err := ctx.Err(); err != nil {
			return fmt.Errorf("saving: %w", err)
		}
		return nil
	})
}

// dropStaging deletes the staging bucket of an unfinished import, if there is one.
func dropStaging(tx *bolt.Tx) error {
	if tx.Bucket([]byte(bucketStaging)) == nil {
		return nil
	}
	return tx.DeleteBucket([]byte(bucketStaging))
}

// arena hands out the buffers records are encoded into, carved from large blocks: bbolt keeps
// a value it is given until the transaction ends, so each needs memory of its own, and one
// allocation per record would be a few million at a large import. Blocks start small and
// double up to 1 MiB, so that a write of one item does not allocate (and clear) a megabyte.
type arena struct {
	free  []byte
	block int
}

func (a *arena) value(r *record) ([]byte, error) {
	if cap(a.free) < 1024 {
		a.block = min(max(2*a.block, 4096), 1<<20)
		a.free = make([]byte, 0, a.block)
	}
	v, err := r.value(a.free)
	if err != nil {
		return nil, err
	}
	a.free = v[len(v):]
	return v, nil
}

// record is one item of a change as it goes to the file.
type record struct {
	bucket string
	key    string
	// value appends the record's value to a buffer and returns it.
	value func([]byte) ([]byte, error)
}

// records lists the items a change stores, bucket by bucket, each in id order (see persist).
func records(c *change) []record {
	out := make([]record, 0, len(c.sources)+len(c.entities)+len(c.relations))
	for _, src := range sortedByID(c.sources, func(s *model.Source) string { return s.ID }) {
		out = append(out, record{bucketSources, src.ID, func(b []byte) ([]byte, error) { return appendSource(b, src), nil }})
	}
	for _, e := range sortedByID(c.entities, model.Entity.GetID) {
		out = append(out, record{bucketEntities, e.GetID(), func(b []byte) ([]byte, error) { return appendEntity(b, e) }})
	}
	for _, r := range sortedByID(c.relations, func(r *model.Relation) string { return r.ID }) {
		out = append(out, record{bucketRelations, r.ID, func(b []byte) ([]byte, error) { return appendRelation(b, r), nil }})
	}
	return out
}

// persistStaged writes a large change (one without deletions) in several transactions,
// through the staging bucket (see bucketStaging), so that a done ctx stops it between two
// records however large it is, and the file keeps none of it. Each data bucket the change
// touches is rebuilt in the staging bucket: its stored records and the change's, merged in
// key order, the change's replacing stored ones. So are the history buckets of its revision's
// rows while they hold no more rows than it has (a first import, with or without the seed
// before it): the revision has a row in each per item, which in one transaction would make
// the last one long. The last transaction swaps the rebuilt buckets in and writes the
// revision's header (and its rows, when history held more than it); it frees the old
// buckets' pages and writes no record of the graph, so it is short.
func (s *Store) persistStaged(ctx context.Context, c *change) (err error) {
	defer func() {
		// A cancelled import leaves what it staged to the next Open (or staged import), which
		// drops it: freeing its pages takes time, and a cancel wants the store to stop now.
		if err != nil && ctx.Err() == nil {
			err = errors.Join(err, s.db.Update(dropStaging))
		}
	}()
	byBucket := map[string]rows{}
	var names []string
	recs := records(c)
	for i := 0; i < len(recs); {
		j := i + 1
		for j < len(recs) && recs[j].bucket == recs[i].bucket {
			j++
		}
		names = append(names, recs[i].bucket)
		byBucket[recs[i].bucket] = recordRows(recs[i:j])
		i = j
	}
	staged := map[string]bool{}
	err = s.db.Update(func(tx *bolt.Tx) error {
		if err := dropStaging(tx); err != nil {
			return err
		}
		staging, err := tx.CreateBucket([]byte(bucketStaging))
		if err != nil {
			return err
		}
		if c.rev != nil {
			if err := checkTouched(c.rev); err != nil {
				return err
			}
			for _, name := range []string{bucketRevisionChanges, bucketRevisionItems} {
				// Rebuilding a bucket copies its stored rows: worth it while they are no more
				// than the revision's own (the seed's before a first import, say).
				if b := tx.Bucket([]byte(name)); b == nil || !atMost(b, len(c.rev.changes)) {
					continue
				}
				r, err := historyRows(c.rev, name)
				if err != nil {
					return err
				}
				names = append(names, name)
				byBucket[name] = r
				staged[name] = true
			}
		}
		for _, name := range names {
			if _, err := staging.CreateBucket([]byte(name)); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return err
	}
	done := 0
	for _, name := range names {
		m := &merge{name: name, changed: byBucket[name]}
		for !m.finished() {
			err := s.db.Update(func(tx *bolt.Tx) error {
				return m.step(ctx, tx, &done)
			})
			if err != nil {
				return err
			}
			if err := ctx.Err(); err != nil {
				return fmt.Errorf("saving: %w", err)
			}
		}
	}
	return s.db.Update(func(tx *bolt.Tx) error {
		if err := ctx.Err(); err != nil {
			return fmt.Errorf("saving: %w", err)
		}
		staging := tx.Bucket([]byte(bucketStaging))
		for _, name := range names {
			if err := tx.DeleteBucket([]byte(name)); err != nil {
				return err
			}
			if err := tx.MoveBucket([]byte(name), staging, nil); err != nil {
				return err
			}
		}
		if c.rev != nil {
			if err := putRevision(ctx, tx, c.rev, staged); err != nil {
				return fmt.Errorf("recording the revision: %w", err)
			}
		}
		return tx.DeleteBucket([]byte(bucketStaging))
	})
}

// atMost reports whether b holds at most n keys, reading no more than n+1 of them.
func atMost(b *bolt.Bucket, n int) bool {
	c := b.Cursor()
	i := 0
	for k, _ := c.First(); k != nil; k, _ = c.Next() {
		if i++; i > n {
			return false
		}
	}
	return true
}

// rows is a list of records in key order, each made when asked for, so that the rows a
// revision derives from a change need no list of their own.
type rows struct {
	n  int
	at func(i int) record
}

func recordRows(recs []record) rows {
	return rows{n: len(recs), at: func(i int) record { return recs[i] }}
}

// merge rebuilds one data bucket in the staging bucket, stagingChunk records per step (one
// transaction each): the bucket's stored records and the change's, in key order.
type merge struct {
	name    string
	changed rows // the change's records for the bucket, in key order
	next    int  // the first of changed not written yet
	// after is the last stored key dealt with (nil before the first); storedDone says that
	// every stored key has been.
	after      []byte
	storedDone bool
}

func (m *merge) finished() bool { return m.storedDone && m.next == m.changed.n }

// step writes the next stagingChunk records; done counts records for the context checks.
func (m *merge) step(ctx context.Context, tx *bolt.Tx, done *int) error {
	dst := tx.Bucket([]byte(bucketStaging)).Bucket([]byte(m.name))
	// Records go in key order, always after the last: full pages, half as many as bbolt's
	// default fill leaves.
	dst.FillPercent = 1.0
	cur := tx.Bucket([]byte(m.name)).Cursor()
	var k, v []byte
	var ar arena
	if !m.storedDone {
		if m.after == nil {
			k, v = cur.First()
		} else if k, v = cur.Seek(m.after); k != nil && bytes.Equal(k, m.after) {
			k, v = cur.Next()
		}
	}
	for n := 0; n < stagingChunk && !m.finished(); n++ {
		*done++
		if err := tick(ctx, "saving", *done); err != nil {
			return err
		}
		if !m.storedDone && k == nil {
			m.storedDone = true
		}
		var r *record
		if m.next < m.changed.n {
			rec := m.changed.at(m.next)
			r = &rec
		}
		switch {
		case r != nil && (m.storedDone || r.key <= string(k)):
			if !m.storedDone && r.key == string(k) { // replaced: the stored one goes
				m.after = bytes.Clone(k)
				k, v = cur.Next()
			}
			val, err := ar.value(r)
			if err != nil {
				return fmt.Errorf("encoding %s %q: %w", r.bucket, r.key, err)
			}
			if err := dst.Put([]byte(r.key), val); err != nil {
				return fmt.Errorf("writing %s %q: %w", r.bucket, r.key, err)
			}
			m.next++
		case !m.storedDone:
			// Stored values live in the file's mapping, which a growing write may move.
			key := bytes.Clone(k)
			if err := dst.Put(key, bytes.Clone(v)); err != nil {
				return fmt.Errorf("copying %s %q: %w", m.name, key, err)
			}
			m.after = key
			k, v = cur.Next()
		}
	}
	if !m.storedDone && k == nil {
		m.storedDone = true
	}
	return nil
}

// decodeEntity decodes the entity record val stored under id, binary or (version 1) JSON.
// shared interns repeated values of binary records; slabs, when not nil, holds what the
// records of one load share (slabs).
func decodeEntity(id string, val []byte, shared strtab, slabs *slabs) (model.Entity, error) {
	if len(val) > 0 && val[0] == binaryTag {
		e, err := decodeEntityBinary(id, &dec{b: val[1:], shared: shared, slabs: slabs})
		if err != nil {
			return nil, fmt.Errorf("entity %q: %w", id, err)
		}
		return e, nil
	}
	var rec entityRecord
	if err := json.Unmarshal(val, &rec); err != nil {
		return nil, fmt.Errorf("entity %q: %w", id, err)
	}
	var e model.Entity
	switch rec.Kind {
	case model.KindOrganization:
		e = &model.Organization{}
	case model.KindBrand:
		e = &model.Brand{}
	case model.KindVehicleModel:
		e = &model.VehicleModel{}
	case model.KindPlant:
		e = &model.Plant{}
	case model.KindPlace:
		e = &model.Place{}
	case model.KindAgreement:
		e = &model.Agreement{}
	default:
		return nil, fmt.Errorf("entity %q: unknown kind %q", id, rec.Kind)
	}
	if err := json.Unmarshal(rec.Entity, e); err != nil {
		return nil, fmt.Errorf("entity %q: %w", id, err)
	}
	if e.GetID() != id {
		return nil, fmt.Errorf("entity %q: the record holds id %q", id, e.GetID())
	}
	b := e.Common()
	b.ID = id
	b.CreatedAt, b.UpdatedAt = rec.CreatedAt, rec.UpdatedAt
	return e, nil
}

// decodeSource is decodeEntity for sources.
func decodeSource(id string, val []byte, shared strtab) (*model.Source, error) {
	if len(val) > 0 && val[0] == binaryTag {
		src, err := decodeSourceBinary(id, &dec{b: val[1:], shared: shared})
		if err != nil {
			return nil, fmt.Errorf("source %q: %w", id, err)
		}
		return src, nil
	}
	var rec sourceRecord
	if err := json.Unmarshal(val, &rec); err != nil {
		return nil, fmt.Errorf("source %q: %w", id, err)
	}
	if rec.Source == nil || rec.Source.ID != id {
		return nil, fmt.Errorf("source %q: the record does not hold that source", id)
	}
	rec.Source.CreatedAt, rec.Source.UpdatedAt = rec.CreatedAt, rec.UpdatedAt
	return rec.Source, nil
}

// decodeRelation is decodeEntity for relations; ids, when not nil, holds the entity ids, whose
// strings the relation's endpoints then share.
func decodeRelation(id string, val []byte, shared, ids strtab, slabs *slabs) (*model.Relation, error) {
	if len(val) > 0 && val[0] == binaryTag {
		r, err := decodeRelationBinary(id, &dec{b: val[1:], shared: shared, ids: ids, slabs: slabs})
		if err != nil {
			return nil, fmt.Errorf("relation %q: %w", id, err)
		}
		return r, nil
	}
	var rec relationRecord
	if err := json.Unmarshal(val, &rec); err != nil {
		return nil, fmt.Errorf("relation %q: %w", id, err)
	}
	if rec.Relation == nil || rec.Relation.ID != id {
		return nil, fmt.Errorf("relation %q: the record does not hold that relation", id)
	}
	rec.Relation.CreatedAt, rec.Relation.UpdatedAt = rec.CreatedAt, rec.UpdatedAt
	return rec.Relation, nil
}
