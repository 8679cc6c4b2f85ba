package inmem

import (
	"context"
	"testing"

	"github.com/google/go-cmp/cmp"
	bolt "go.etcd.io/bbolt"

	"github.com/autograph-kg/autograph/graph/storetest"
	"github.com/autograph-kg/autograph/seed/synth"
)

// TestOpenDropsAnUnfinishedImport opens a data file in which a first import stopped half-way
// (the process was killed between two of its transactions): what it had staged is dropped,
// and the store holds what the file held before.
func TestOpenDropsAnUnfinishedImport(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	s, _, err := Open(ctx, dir)
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Import(ctx, storetest.Fixture()); err != nil {
		t.Fatal(err)
	}
	before := stateOf(t, s)
	err = s.db.Update(func(tx *bolt.Tx) error {
		staging, err := tx.CreateBucket([]byte(bucketStaging))
		if err != nil {
			return err
		}
		for _, name := range dataBuckets() {
			b, err := staging.CreateBucket([]byte(name))
			if err != nil {
				return err
			}
			if err := b.Put([]byte("half-imported"), []byte(`{}`)); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Close(ctx); err != nil {
		t.Fatal(err)
	}
	s, empty, err := Open(ctx, dir)
	if err != nil {
		t.Fatalf("Open with a staging bucket: %v", err)
	}
	defer s.Close(ctx)
	if empty {
		t.Error("Open reported an empty file")
	}
	if d := cmp.Diff(before, stateOf(t, s)); d != "" {
		t.Errorf("the store after Open differs from what the file held before (-before +after):\n%s", d)
	}
	err = s.db.View(func(tx *bolt.Tx) error {
		if tx.Bucket([]byte(bucketStaging)) != nil {
			t.Error("the staging bucket is still there")
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

// TestStagedImportKeepsAndReplaces imports, into a file that holds the fixture, a dataset
// large enough to go through the staging bucket which replaces some stored items and leaves
// others: reopened, the file holds exactly what memory held.
func TestStagedImportKeepsAndReplaces(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	s, _, err := Open(ctx, dir)
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Import(ctx, storetest.Fixture()); err != nil {
		t.Fatal(err)
	}
	d := synth.Generate(stagingChunk+5000, 3)
	fx := storetest.Fixture()
	fx.Organizations[1].Description = "Replaced by the large import."
	fx.Sources[0].Title = "Replaced too"
	fx.Relations[0].Note = "And this."
	// The fixture's entities and sources come again (a few changed); all its relations but
	// one stay as stored.
	d.Sources = append(d.Sources, fx.Sources...)
	for _, e := range fx.Entities() {
		d.Add(e)
	}
	d.Relations = append(d.Relations, fx.Relations[:1]...)
	if err := s.Import(ctx, d); err != nil {
		t.Fatal(err)
	}
	mem := stateOf(t, s)
	if err := s.Close(ctx); err != nil {
		t.Fatal(err)
	}
	s, _, err = Open(ctx, dir)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close(ctx)
	if diff := cmp.Diff(mem, stateOf(t, s)); diff != "" {
		t.Errorf("reopened store differs from memory before (-memory +file):\n%s", diff)
	}
	if n := len(mem.Entities); n != len(storetest.Fixture().Entities())+len(synth.Generate(stagingChunk+5000, 3).Entities()) {
		t.Errorf("%d entities after the import", n)
	}
	e, err := s.Entity(ctx, "avtotor")
	if err != nil || e.Common().Description != "Replaced by the large import." {
		t.Errorf("avtotor after the import: %+v, %v", e, err)
	}
}

// TestEmptyFieldsInOldRecordsReadAsAbsent opens a data file whose records spell optional text
// out as empty strings (as a hand-edited or older file may) and reads it as absent: null in
// the API.
func TestEmptyFieldsInOldRecordsReadAsAbsent(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	s, _, err := Open(ctx, dir)
	if err != nil {
		t.Fatal(err)
	}
	records := map[string]map[string]string{
		bucketEntities: {"town": `{"kind":"PLACE","entity":{"id":"town","name":"Town","description":"","sources":null,"type":"CITY","countryCode":""},"createdAt":"2024-01-01T00:00:00Z","updatedAt":"2024-01-01T00:00:00Z"}`,
			"country": `{"kind":"PLACE","entity":{"id":"country","name":"Country","sources":null,"type":"COUNTRY"},"createdAt":"2024-01-01T00:00:00Z","updatedAt":"2024-01-01T00:00:00Z"}`},
		bucketSources:   {"report": `{"source":{"id":"report","title":"Report","publishedOn":"2024","dateline":"","url":"","language":""},"createdAt":"2024-01-01T00:00:00Z","updatedAt":"2024-01-01T00:00:00Z"}`},
		bucketRelations: {"r": `{"relation":{"id":"r","type":"LOCATED_IN","from":"town","to":"country","status":"ACTIVE","note":"","sources":["report"]},"createdAt":"2024-01-01T00:00:00Z","updatedAt":"2024-01-01T00:00:00Z"}`},
	}
	err = s.db.Update(func(tx *bolt.Tx) error {
		for bucket, recs := range records {
			for k, v := range recs {
				if err := tx.Bucket([]byte(bucket)).Put([]byte(k), []byte(v)); err != nil {
					return err
				}
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Close(ctx); err != nil {
		t.Fatal(err)
	}
	s, _, err = Open(ctx, dir)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close(ctx)
	storetest.OptionalTextIsNull(ctx, t, s, "town", "report", "r")
}
