package neo4jstore

import (
	"testing"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"

	"github.com/autograph-kg/autograph/graph/neo4jstore/neo4jtest"
	"github.com/autograph-kg/autograph/graph/storetest"
)

// TestEmptyPropertiesReadAsAbsent reads optional text that a graph holds as empty-string
// properties (written by hand, or by an older build) the same as absent: null in the API.
func TestEmptyPropertiesReadAsAbsent(t *testing.T) {
	neo4jtest.Require(t)
	ctx := t.Context()
	s := newTestStore(t)
	if err := s.Import(ctx, storetest.Fixture()); err != nil {
		t.Fatal(err)
	}
	for _, cypher := range []string{
		`MATCH (n:Entity {id: 'russia'}) SET n.description = '', n.countryCode = ''`,
		`MATCH (n:Source {id: 'kommersant-2022'}) SET n.dateline = '', n.url = '', n.language = ''`,
		`MATCH ()-[r:LOCATED_IN {id: 'r-tula-in-russia'}]->() SET r.note = ''`,
	} {
		if _, err := neo4j.ExecuteQuery(ctx, s.driver, cypher, nil, neo4j.EagerResultTransformer, neo4j.ExecuteQueryWithDatabase(s.database)); err != nil {
			t.Fatalf("%s: %v", cypher, err)
		}
	}
	e, err := s.Entity(ctx, "russia")
	if err != nil {
		t.Fatal(err)
	}
	src, err := s.Source(ctx, "kommersant-2022")
	if err != nil {
		t.Fatal(err)
	}
	r, err := s.Relation(ctx, "r-tula-in-russia")
	if err != nil {
		t.Fatal(err)
	}
	place, ok := e.(interface {
		DescriptionOrNull() *string
		CountryCodeOrNull() *string
	})
	if !ok {
		t.Fatalf("russia is a %T", e)
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
