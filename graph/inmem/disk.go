package inmem

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"time"

	bolt "go.etcd.io/bbolt"
	berrors "go.etcd.io/bbolt/errors"

	"github.com/autograph-kg/autograph/graph/model"
)

// The file layout; the package comment describes it. Bump formatVersion with any change to
// it, so that a build refuses a file it would misread.
const (
	dbFileName      = "graph.db"
	formatVersion   = "1"
	bucketMeta      = "meta"
	bucketEntities  = "entities"
	bucketSources   = "sources"
	bucketRelations = "relations"
	keyVersion      = "version"
	// lockTimeout is how long Open waits for another holder of the file to let it go before
	// saying that the data directory is in use; long enough to ride out a restart.
	lockTimeout = 2 * time.Second
)

// dataBuckets are the buckets that hold the graph, in the order Open creates them.
func dataBuckets() []string { return []string{bucketEntities, bucketSources, bucketRelations} }

// Records as stored: the model types' own JSON, plus the timestamps, which the model types
// leave out of their JSON (the seed has none). The entity's kind says which type to decode.

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
	return open(ctx, dir, bolt.Options{Timeout: lockTimeout})
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
	if err != nil {
		return nil, false, errors.Join(fmt.Errorf("%s: %w", op, err), db.Close())
	}
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
	fresh := false
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
		if v := meta.Get([]byte(keyVersion)); string(v) != formatVersion {
			return fmt.Errorf("%s is in format version %q, and this build reads version %s only", path, v, formatVersion)
		}
		for _, name := range dataBuckets() {
			if tx.Bucket([]byte(name)) == nil {
				return fmt.Errorf("%s is damaged: the %q bucket is missing", path, name)
			}
		}
		return nil
	})
	if err != nil {
		return false, err
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
		if err := each(bucketEntities, func(k, v []byte) error {
			e, err := decodeEntity(k, v)
			if err != nil {
				return err
			}
			c.entities = append(c.entities, e)
			return nil
		}); err != nil {
			return err
		}
		if err := each(bucketSources, func(k, v []byte) error {
			src, err := decodeSource(k, v)
			if err != nil {
				return err
			}
			c.sources = append(c.sources, src)
			return nil
		}); err != nil {
			return err
		}
		return each(bucketRelations, func(k, v []byte) error {
			r, err := decodeRelation(k, v)
			if err != nil {
				return err
			}
			c.relations = append(c.relations, r)
			return nil
		})
	})
	if err != nil {
		return false, fmt.Errorf("reading %s: %w", path, err)
	}
	ids := make(map[string]bool, len(c.entities))
	for _, e := range c.entities {
		ids[e.GetID()] = true
	}
	for _, r := range c.relations {
		for _, end := range []string{r.FromID, r.ToID} {
			if !ids[end] {
				return false, fmt.Errorf("%s is inconsistent: relation %q refers to entity %q, which is not in the file", path, r.ID, end)
			}
		}
	}
	s.apply(c)
	return c.size() == 0, nil
}

// persist writes a change to the file in one bbolt transaction; bbolt syncs the file before
// Update returns, so once persist returns nil the change survives a crash.
func (s *Store) persist(c *change) error {
	return s.db.Update(func(tx *bolt.Tx) error {
		ents := tx.Bucket([]byte(bucketEntities))
		srcs := tx.Bucket([]byte(bucketSources))
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
		for _, src := range c.sources {
			v, err := json.Marshal(sourceRecord{Source: src, CreatedAt: src.CreatedAt, UpdatedAt: src.UpdatedAt})
			if err != nil {
				return fmt.Errorf("encoding source %q: %w", src.ID, err)
			}
			if err := srcs.Put([]byte(src.ID), v); err != nil {
				return fmt.Errorf("writing source %q: %w", src.ID, err)
			}
		}
		for _, e := range c.entities {
			v, err := encodeEntity(e)
			if err != nil {
				return fmt.Errorf("encoding entity %q: %w", e.GetID(), err)
			}
			if err := ents.Put([]byte(e.GetID()), v); err != nil {
				return fmt.Errorf("writing entity %q: %w", e.GetID(), err)
			}
		}
		for _, r := range c.relations {
			v, err := json.Marshal(relationRecord{Relation: r, CreatedAt: r.CreatedAt, UpdatedAt: r.UpdatedAt})
			if err != nil {
				return fmt.Errorf("encoding relation %q: %w", r.ID, err)
			}
			if err := rels.Put([]byte(r.ID), v); err != nil {
				return fmt.Errorf("writing relation %q: %w", r.ID, err)
			}
		}
		return nil
	})
}

func encodeEntity(e model.Entity) ([]byte, error) {
	raw, err := json.Marshal(e)
	if err != nil {
		return nil, err
	}
	b := e.Common()
	return json.Marshal(entityRecord{Kind: e.Kind(), Entity: raw, CreatedAt: b.CreatedAt, UpdatedAt: b.UpdatedAt})
}

func decodeEntity(key, val []byte) (model.Entity, error) {
	var rec entityRecord
	if err := json.Unmarshal(val, &rec); err != nil {
		return nil, fmt.Errorf("entity %q: %w", key, err)
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
		return nil, fmt.Errorf("entity %q: unknown kind %q", key, rec.Kind)
	}
	if err := json.Unmarshal(rec.Entity, e); err != nil {
		return nil, fmt.Errorf("entity %q: %w", key, err)
	}
	if e.GetID() != string(key) {
		return nil, fmt.Errorf("entity %q: the record holds id %q", key, e.GetID())
	}
	b := e.Common()
	b.CreatedAt, b.UpdatedAt = rec.CreatedAt, rec.UpdatedAt
	return e, nil
}

func decodeSource(key, val []byte) (*model.Source, error) {
	var rec sourceRecord
	if err := json.Unmarshal(val, &rec); err != nil {
		return nil, fmt.Errorf("source %q: %w", key, err)
	}
	if rec.Source == nil || rec.Source.ID != string(key) {
		return nil, fmt.Errorf("source %q: the record does not hold that source", key)
	}
	rec.Source.CreatedAt, rec.Source.UpdatedAt = rec.CreatedAt, rec.UpdatedAt
	return rec.Source, nil
}

func decodeRelation(key, val []byte) (*model.Relation, error) {
	var rec relationRecord
	if err := json.Unmarshal(val, &rec); err != nil {
		return nil, fmt.Errorf("relation %q: %w", key, err)
	}
	if rec.Relation == nil || rec.Relation.ID != string(key) {
		return nil, fmt.Errorf("relation %q: the record does not hold that relation", key)
	}
	rec.Relation.CreatedAt, rec.Relation.UpdatedAt = rec.CreatedAt, rec.UpdatedAt
	return rec.Relation, nil
}
