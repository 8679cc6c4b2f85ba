package neo4jstore

import (
	"context"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"

	"github.com/autograph-kg/autograph/graph/neo4jstore/neo4jtest"
)

// TestStatementsOnServer has the test server plan (EXPLAIN: compile, never run) every
// complete statement the store sends (everyStatement), as TestCypherChecker lints them, and
// fails on any error and any warning the server returns, deprecations above all, so the
// statements run unchanged when a database moves to the next Cypher language (the newest
// release in CI has Cypher 25 as its default). Notes of lower severity (an unbounded shortestPath in the
// hierarchy check, say) are logged. Expected: the parameters an EXPLAIN is not given, and
// labels, types and properties an empty database does not know yet.
// Schema statements cannot be planned; Open runs them on every store the tests open.
func TestStatementsOnServer(t *testing.T) {
	srv := neo4jtest.Require(t)
	statements := everyStatement(t)
	auth := neo4j.NoAuth()
	if srv.Username != "" {
		auth = neo4j.BasicAuth(srv.Username, srv.Password, "")
	}
	driver, err := neo4j.NewDriverWithContext(srv.URI, auth)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	defer driver.Close(ctx)
	opts := []neo4j.ExecuteQueryConfigurationOption{neo4j.ExecuteQueryWithReadersRouting()}
	if srv.Database != "" {
		opts = append(opts, neo4j.ExecuteQueryWithDatabase(srv.Database))
	}
	names := make([]string, 0, len(statements))
	for name := range statements {
		names = append(names, name)
	}
	sort.Strings(names)
	planned, warned := 0, 0
	for _, name := range names {
		q := statements[name]
		if isSchemaStatement(q) {
			continue
		}
		res, err := neo4j.ExecuteQuery(ctx, driver, "EXPLAIN "+q, nil, neo4j.EagerResultTransformer, opts...)
		if err != nil {
			t.Errorf("%s: the server refused it: %v\n%s", name, err, q)
			continue
		}
		planned++
		for _, n := range res.Summary.Notifications() {
			switch {
			case n.Code() == "Neo.ClientNotification.Statement.ParameterNotProvided",
				// Names the database has not seen yet: they depend on its data (a fresh
				// database knows no property), not on the statement.
				strings.HasPrefix(n.Code(), "Neo.ClientNotification.Statement.Unknown"):
			case n.RawSeverityLevel() == "WARNING":
				warned++
				t.Errorf("%s: %s: %s\n%s", name, n.Code(), n.Description(), q)
			default:
				t.Logf("%s: %s (%s): %s", name, n.Code(), n.RawSeverityLevel(), n.Description())
			}
		}
	}
	t.Logf("%d statements planned by %s, %d warnings", planned, srv.URI, warned)
}

func isSchemaStatement(q string) bool {
	s := strings.ToUpper(strings.TrimSpace(q))
	for _, p := range []string{"CREATE CONSTRAINT", "CREATE INDEX", "CREATE RANGE", "CREATE TEXT", "CREATE FULLTEXT", "CREATE POINT", "CREATE LOOKUP", "DROP ", "SHOW "} {
		if strings.HasPrefix(s, p) {
			return true
		}
	}
	return false
}
