package neo4jstore

import (
	"context"
	"testing"
	"time"

	"github.com/autograph-kg/autograph/graph/model"
	"github.com/autograph-kg/autograph/graph/neo4jstore/neo4jtest"
	"github.com/autograph-kg/autograph/graph/storetest"
)

// TestConformance runs the shared store suite against a real Neo4j: the test database named
// by the NEO4J_TEST_* variables (see package neo4jtest), emptied before and after each case.
func TestConformance(t *testing.T) {
	neo4jtest.Require(t)
	storetest.Run(t, func(t *testing.T) model.Store { return newTestStore(t) })
}

// TestNoFixtureLeftBehind checks that a test gives the database back empty, so a server
// started on it afterwards with KG_SEED=auto finds an empty database and loads the seed.
func TestNoFixtureLeftBehind(t *testing.T) {
	var srv neo4jtest.Server
	t.Run("a test that writes", func(t *testing.T) {
		s := newTestStore(t)
		d := &model.Dataset{Sources: []*model.Source{{ID: "src", Title: "A source", PublishedOn: model.MustDate("2024")}}}
		d.Add(&model.Organization{EntityBase: model.EntityBase{ID: "org", Name: "An organization"}, Type: model.OrgGroup})
		if err := s.Import(context.Background(), d); err != nil {
			t.Fatal(err)
		}
		srv, _ = neo4jtest.Lookup()
	})
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	// Another package's test may hold the database by now; what matters is that none of this
	// test's nodes remain, whoever holds it.
	found, err := neo4jtest.Count(ctx, srv, "org", "src")
	if err != nil {
		t.Fatal(err)
	}
	if found != 0 {
		t.Errorf("after the test, %d of its nodes remain in the database", found)
	}
}

// testConfig is the store configuration for the test server.
func testConfig(t *testing.T) Config {
	t.Helper()
	s := neo4jtest.Use(t)
	return Config{
		URI:            s.URI,
		Username:       s.Username,
		Password:       s.Password,
		Database:       s.Database,
		AcquireTimeout: 10 * time.Second,
	}
}

// newTestStore opens a store on the emptied test database; the database is emptied again
// when the test ends.
func newTestStore(t *testing.T) *Store {
	t.Helper()
	cfg := testConfig(t)
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	s, err := Open(ctx, cfg)
	if err != nil {
		t.Fatalf("Open(%s) = %v", cfg, err)
	}
	t.Cleanup(func() {
		// The suite may have closed the store already; that error means nothing here.
		_ = s.Close(context.Background())
	})
	return s
}
