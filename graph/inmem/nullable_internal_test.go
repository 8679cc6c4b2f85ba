package inmem

import (
	"context"
	"testing"

	bolt "go.etcd.io/bbolt"
)

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
	e, err := s.Entity(ctx, "town")
	if err != nil {
		t.Fatal(err)
	}
	src, err := s.Source(ctx, "report")
	if err != nil {
		t.Fatal(err)
	}
	r, err := s.Relation(ctx, "r")
	if err != nil {
		t.Fatal(err)
	}
	town := e.(interface {
		DescriptionOrNull() *string
		CountryCodeOrNull() *string
	})
	for what, v := range map[string]*string{
		"description": town.DescriptionOrNull(), "countryCode": town.CountryCodeOrNull(),
		"dateline": src.DatelineOrNull(), "url": src.URLOrNull(), "language": src.LanguageOrNull(), "note": r.NoteOrNull(),
	} {
		if v != nil {
			t.Errorf("%s = %q, want none", what, *v)
		}
	}
}
