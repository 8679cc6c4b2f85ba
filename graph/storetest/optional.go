package storetest

import (
	"context"
	"testing"

	"github.com/autograph-kg/autograph/graph/model"
)

// OptionalTextIsNull reads a place, a source and a relation whose optional text a store holds
// as empty strings (written by hand, or by an older build, behind the store's back) and checks
// that every such field reads as null, as the model says of optional text (nullable.go). Each
// store's own test plants the empty strings in its own way and then calls it.
func OptionalTextIsNull(ctx context.Context, t *testing.T, s model.Reader, placeID, sourceID, relationID string) {
	t.Helper()
	e, err := s.Entity(ctx, placeID)
	if err != nil {
		t.Fatal(err)
	}
	place, ok := e.(*model.Place)
	if !ok {
		t.Fatalf("%s is a %T, not a place", placeID, e)
	}
	src, err := s.Source(ctx, sourceID)
	if err != nil {
		t.Fatal(err)
	}
	r, err := s.Relation(ctx, relationID)
	if err != nil {
		t.Fatal(err)
	}
	for what, v := range map[string]*string{
		"description": place.DescriptionOrNull(), "countryCode": place.CountryCodeOrNull(),
		"dateline": src.DatelineOrNull(), "url": src.URLOrNull(), "language": src.LanguageOrNull(), "note": r.NoteOrNull(),
	} {
		if v != nil {
			t.Errorf("%s = %q, want none", what, *v)
		}
	}
}
