package neo4jstore

import (
	"testing"

	"github.com/autograph-kg/autograph/graph/storetest"
)

// TestWriteConformance runs the shared model.Writer suite against a real Neo4j, on the same
// throwaway database as TestConformance (NEO4J_TEST_*): every write's checks, codes and
// messages, idempotency with timestamps, read-your-writes through every read, concurrent
// writers, and refused writes leaving no trace.
func TestWriteConformance(t *testing.T) {
	cfg := testConfig(t)
	storetest.RunWrites(t, func(t *testing.T) storetest.WriteStore { return newTestStore(t, cfg) })
}
