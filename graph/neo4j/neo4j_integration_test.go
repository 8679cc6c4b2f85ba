package neo4jstore

import (
	"context"
	"os"
	"testing"
	"time"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"

	"github.com/autograph-kg/autograph/graph/model"
	"github.com/autograph-kg/autograph/graph/storetest"
)

// TestConformance runs the shared store suite against a real Neo4j. It needs a throwaway
// database, named by NEO4J_TEST_* variables and never by NEO4J_URI, because every store it
// makes starts by deleting everything in that database.
func TestConformance(t *testing.T) {
	cfg := testConfig(t)
	storetest.Run(t, func(t *testing.T) model.Store { return newTestStore(t, cfg) })
}

// testConfig reads the NEO4J_TEST_* variables, and skips the test when they name no server.
func testConfig(t *testing.T) Config {
	t.Helper()
	uri := os.Getenv("NEO4J_TEST_URI")
	if uri == "" {
		t.Skip("set NEO4J_TEST_URI (and NEO4J_TEST_USERNAME, NEO4J_TEST_PASSWORD, NEO4J_TEST_DATABASE) to a throwaway Neo4j database to run the conformance suite against Neo4j")
	}
	return Config{
		URI:            uri,
		Username:       os.Getenv("NEO4J_TEST_USERNAME"),
		Password:       os.Getenv("NEO4J_TEST_PASSWORD"),
		Database:       os.Getenv("NEO4J_TEST_DATABASE"),
		AcquireTimeout: 10 * time.Second,
	}
}

// newTestStore opens a store on the test database and empties the database.
func newTestStore(t *testing.T, cfg Config) *Store {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	s, err := Open(ctx, cfg)
	if err != nil {
		t.Fatalf("Open(%s) = %v", cfg, err)
	}
	if err := wipe(ctx, s); err != nil {
		_ = s.Close(ctx)
		t.Fatalf("wiping the test database: %v", err)
	}
	t.Cleanup(func() {
		// The suite may have closed the store already; that error means nothing here.
		_ = s.Close(context.Background())
	})
	return s
}

// cypherWipeBatch deletes up to 10000 nodes and their relationships; repeated until nothing is
// left, it empties a database without one huge transaction.
const cypherWipeBatch = `
MATCH (n)
WITH n LIMIT 10000
DETACH DELETE n
RETURN count(*) AS deleted`

// wipe deletes every node and relationship of the store's database, keeping the schema.
func wipe(ctx context.Context, s *Store) error {
	for {
		res, err := neo4j.ExecuteQuery(ctx, s.driver, cypherWipeBatch, nil, neo4j.EagerResultTransformer,
			neo4j.ExecuteQueryWithWritersRouting(), neo4j.ExecuteQueryWithDatabase(s.database))
		if err != nil {
			return err
		}
		n, err := single(res.Records, "wipe", func(r *neo4j.Record) (int64, error) { return recordValue[int64](r, "deleted") })
		if err != nil {
			return err
		}
		if n == 0 {
			return nil
		}
	}
}
