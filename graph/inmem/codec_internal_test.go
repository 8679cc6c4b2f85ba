package inmem

import (
	"encoding/json"
	"fmt"
	"path/filepath"
	"reflect"
	"slices"
	"testing"
	"time"
	"unsafe"

	"github.com/google/go-cmp/cmp"
	bolt "go.etcd.io/bbolt"

	"github.com/autograph-kg/autograph/graph/model"
	"github.com/autograph-kg/autograph/graph/storetest"
)

// fill sets every field reachable from v (a pointer) to a value that is not its zero value,
// different for each field (n counts them), so that a round trip that drops or swaps a field
// shows. It reports the number of leaf fields it set.
func fill(t *testing.T, v reflect.Value, n *int) {
	t.Helper()
	switch v.Kind() {
	case reflect.Pointer:
		v.Set(reflect.New(v.Type().Elem()))
		fill(t, v.Elem(), n)
	case reflect.Struct:
		if v.Type() == reflect.TypeOf(time.Time{}) {
			*n++
			v.Set(reflect.ValueOf(time.Date(2020, 1, 2, 3, 4, 5, *n*1000, time.UTC)))
			return
		}
		for i := range v.NumField() {
			fill(t, v.Field(i), n)
		}
	case reflect.Slice:
		s := reflect.MakeSlice(v.Type(), 2, 2)
		for i := range 2 {
			fill(t, s.Index(i), n)
		}
		v.Set(s)
	case reflect.String:
		*n++
		v.SetString("s" + string(rune('A'+*n%26)) + string(rune('a'+*n/26)))
	case reflect.Int:
		*n++
		v.SetInt(int64(*n))
	default:
		t.Fatalf("fill: a field of kind %s: teach fill and codec.go about it", v.Kind())
	}
}

// TestCodecCoversEveryField round-trips an entity of every kind, a source and a relation with
// every field set through the binary records: a field added to a model type and not to
// codec.go comes back empty and fails here.
func TestCodecCoversEveryField(t *testing.T) {
	entities := []model.Entity{&model.Organization{}, &model.Brand{}, &model.VehicleModel{}, &model.Plant{}, &model.Place{}, &model.Agreement{}}
	for _, e := range entities {
		n := 0
		fill(t, reflect.ValueOf(e).Elem(), &n)
		// Dates are calendar dates (fill gives them small numbers, which suits), and the
		// timestamps carry the microseconds the store keeps.
		val, err := appendEntity(nil, e)
		if err != nil {
			t.Fatalf("%T: %v", e, err)
		}
		got, err := decodeEntity(e.GetID(), val, strtab{}, newSlabs())
		if err != nil {
			t.Fatalf("%T: %v", e, err)
		}
		if d := cmp.Diff(e, got); d != "" {
			t.Errorf("%T: the round trip changed it (-want +got):\n%s", e, d)
		}
		// A truncated record is an error, never a panic or a half-filled entity.
		for cut := range len(val) {
			if _, err := decodeEntity(e.GetID(), val[:cut], strtab{}, newSlabs()); err == nil {
				t.Errorf("%T cut to %d of %d bytes decoded without an error", e, cut, len(val))
				break
			}
		}
	}
	src := &model.Source{}
	n := 0
	fill(t, reflect.ValueOf(src).Elem(), &n)
	got, err := decodeSource(src.ID, appendSource(nil, src), strtab{})
	if err != nil {
		t.Fatal(err)
	}
	if d := cmp.Diff(src, got); d != "" {
		t.Errorf("source: the round trip changed it (-want +got):\n%s", d)
	}
	r := &model.Relation{}
	fill(t, reflect.ValueOf(r).Elem(), &n)
	ids := strtab{}
	ids.get([]byte(r.FromID))
	gotR, err := decodeRelation(r.ID, appendRelation(nil, r), strtab{}, ids, newSlabs())
	if err != nil {
		t.Fatal(err)
	}
	if d := cmp.Diff(r, gotR); d != "" {
		t.Errorf("relation: the round trip changed it (-want +got):\n%s", d)
	}
	// nil and empty slices stay what they were.
	r.SourceIDs = []string{}
	if gotR, _ := decodeRelation(r.ID, appendRelation(nil, r), nil, nil, nil); gotR.SourceIDs == nil {
		t.Error("an empty source list came back nil")
	}
	r.SourceIDs = nil
	if gotR, _ := decodeRelation(r.ID, appendRelation(nil, r), nil, nil, nil); gotR.SourceIDs != nil {
		t.Error("a nil source list came back non-nil")
	}
	// With slabs, records that repeat a date share one value of it; other dates stay apart.
	// Their lists come out of one block, each of capacity its length.
	sl := newSlabs()
	y1968, y2001 := model.Date{Year: 1968}, model.Date{Year: 2001, Month: 4}
	a := &model.Relation{ID: "a", ValidFrom: &y1968, ValidTo: &y2001, SourceIDs: []string{"s1", "s2"}}
	b := &model.Relation{ID: "b", ValidFrom: &y1968, SourceIDs: []string{"s3"}}
	gotA, errA := decodeRelation(a.ID, appendRelation(nil, a), nil, nil, sl)
	gotB, errB := decodeRelation(b.ID, appendRelation(nil, b), nil, nil, sl)
	if errA != nil || errB != nil {
		t.Fatal(errA, errB)
	}
	if d := cmp.Diff([]*model.Relation{a, b}, []*model.Relation{gotA, gotB}); d != "" {
		t.Errorf("interned dates: the round trip changed them (-want +got):\n%s", d)
	}
	if gotA.ValidFrom != gotB.ValidFrom || gotA.ValidFrom == gotA.ValidTo || gotA.ValidFrom == &y1968 {
		t.Errorf("dates not interned: %p %p %p", gotA.ValidFrom, gotB.ValidFrom, gotA.ValidTo)
	}
	next := uintptr(unsafe.Pointer(&gotA.SourceIDs[0])) + 2*unsafe.Sizeof("")
	// Optional enums share one pointer per value and type.
	pub, priv := model.Ownership("PUBLIC"), model.Ownership("PRIVATE")
	var shared []*model.Organization
	for i, o := range []*model.Ownership{&pub, &priv, &pub} {
		e := &model.Organization{EntityBase: model.EntityBase{ID: fmt.Sprint(i), Name: "n"}, Type: model.OrganizationType("OEM"), Ownership: o}
		val, err := appendEntity(nil, e)
		if err != nil {
			t.Fatal(err)
		}
		got, err := decodeEntity(e.ID, val, strtab{}, sl)
		if err != nil {
			t.Fatal(err)
		}
		if d := cmp.Diff(model.Entity(e), got); d != "" {
			t.Fatalf("shared enums: the round trip changed it (-want +got):\n%s", d)
		}
		shared = append(shared, got.(*model.Organization))
	}
	if shared[0].Ownership != shared[2].Ownership || shared[0].Ownership == shared[1].Ownership {
		t.Errorf("enums not shared by value: %p %p %p", shared[0].Ownership, shared[1].Ownership, shared[2].Ownership)
	}
	if cap(gotA.SourceIDs) != 2 || uintptr(unsafe.Pointer(&gotB.SourceIDs[0])) != next {
		t.Errorf("lists not carved from one block: cap %d", cap(gotA.SourceIDs))
	}
	if grown := append(gotA.SourceIDs, "s4"); gotB.SourceIDs[0] != "s3" || &grown[0] == &gotA.SourceIDs[0] {
		t.Error("an append to a carved list wrote over its neighbour")
	}
}

// writeVersion1 writes the graph of s into a new data file at dir in format version 1 (JSON
// records), as a build before version 2 wrote it.
func writeVersion1(t *testing.T, s *Store, dir string) {
	t.Helper()
	db, err := bolt.Open(filepath.Join(dir, dbFileName), 0o600, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	st := stateOf(t, s)
	err = db.Update(func(tx *bolt.Tx) error {
		meta, err := tx.CreateBucket([]byte(bucketMeta))
		if err != nil {
			return err
		}
		if err := meta.Put([]byte(keyVersion), []byte(formatVersion1)); err != nil {
			return err
		}
		b := map[string]*bolt.Bucket{}
		for _, name := range dataBuckets() {
			if b[name], err = tx.CreateBucket([]byte(name)); err != nil {
				return err
			}
		}
		put := func(bucket, key string, v any) error {
			val, err := json.Marshal(v)
			if err != nil {
				return err
			}
			return b[bucket].Put([]byte(key), val)
		}
		for _, e := range st.Entities {
			raw, err := json.Marshal(e)
			if err != nil {
				return err
			}
			c := e.Common()
			if err := put(bucketEntities, e.GetID(), entityRecord{Kind: e.Kind(), Entity: raw, CreatedAt: c.CreatedAt, UpdatedAt: c.UpdatedAt}); err != nil {
				return err
			}
		}
		for _, src := range st.Sources {
			if err := put(bucketSources, src.ID, sourceRecord{Source: src, CreatedAt: src.CreatedAt, UpdatedAt: src.UpdatedAt}); err != nil {
				return err
			}
		}
		for _, r := range st.Relations {
			if err := put(bucketRelations, r.ID, relationRecord{Relation: r, CreatedAt: r.CreatedAt, UpdatedAt: r.UpdatedAt}); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

// TestOpenReadsVersion1 opens a data file written in format version 1: the store holds what
// it held, the file is marked version 2, and a write after that (a binary record beside the
// JSON ones) reads back with the rest at the next Open.
func TestOpenReadsVersion1(t *testing.T) {
	ctx := t.Context()
	src := New()
	if err := src.Import(ctx, storetest.Fixture()); err != nil {
		t.Fatal(err)
	}
	want := stateOf(t, src)
	dir := t.TempDir()
	writeVersion1(t, src, dir)

	s, empty, err := Open(ctx, dir)
	if err != nil {
		t.Fatalf("Open of a version 1 file: %v", err)
	}
	if empty {
		t.Error("Open reported an empty file")
	}
	if d := cmp.Diff(want, stateOf(t, s)); d != "" {
		t.Errorf("the store differs from the version 1 file (-file +store):\n%s", d)
	}
	err = s.db.View(func(tx *bolt.Tx) error {
		if v := tx.Bucket([]byte(bucketMeta)).Get([]byte(keyVersion)); string(v) != formatVersion {
			t.Errorf("format version after Open = %q, want %q", v, formatVersion)
		}
		if v := tx.Bucket([]byte(bucketEntities)).Get([]byte("avtotor")); len(v) == 0 || v[0] != '{' {
			t.Errorf("the untouched record of avtotor is not the version 1 JSON any more: %q", v)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	e, err := s.Entity(ctx, "avtotor")
	if err != nil {
		t.Fatal(err)
	}
	e.Common().Description = "Rewritten after the format change."
	if _, err := s.UpsertEntity(ctx, e); err != nil {
		t.Fatal(err)
	}
	want = stateOf(t, s)
	if err := s.Close(ctx); err != nil {
		t.Fatal(err)
	}
	s, _, err = Open(ctx, dir)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close(ctx)
	if d := cmp.Diff(want, stateOf(t, s)); d != "" {
		t.Errorf("after a write and a reopen (-before +after):\n%s", d)
	}
	err = s.db.View(func(tx *bolt.Tx) error {
		if v := tx.Bucket([]byte(bucketEntities)).Get([]byte("avtotor")); len(v) == 0 || v[0] != binaryTag {
			t.Errorf("the rewritten record of avtotor is not binary: %q", v)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

// TestSlabsText checks that strings copied into a block of text keep their bytes as the
// block fills and a new one starts, and that the source bytes can change after the copy.
func TestSlabsText(t *testing.T) {
	sl := newSlabs()
	var want, got []string
	src := make([]byte, textBlock/16+1)
	for i := range 3 * textBlock / 100 {
		n := 1 + i%99
		if i%500 == 0 {
			n = len(src) // longer than a block's share: a string of its own
		}
		for j := range src[:n] {
			src[j] = byte('a' + (i+j)%26)
		}
		want = append(want, string(src[:n]))
		got = append(got, sl.str(src[:n]))
		src[0] = '!' // the record's bytes are the file's: they may change after
	}
	if !slices.Equal(got, want) {
		t.Fatal("strings in blocks of text changed")
	}
	if sl.str(nil) != "" {
		t.Fatal("no bytes are not the empty string")
	}
}
