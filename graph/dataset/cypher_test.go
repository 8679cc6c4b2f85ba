package dataset_test

import (
	"bytes"
	"context"
	"strings"
	"testing"
	"time"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"

	"github.com/autograph-kg/autograph/graph/dataset"
	neo4jstore "github.com/autograph-kg/autograph/graph/neo4jstore"
	"github.com/autograph-kg/autograph/graph/neo4jstore/neo4jtest"
	"github.com/autograph-kg/autograph/seed"
)

// TestCypherScriptRuns runs the Cypher export of the seed, statement by statement, on the
// Neo4j test database, twice: it is valid Cypher, it creates one node per entity and source
// and one relationship per relation with their properties, and running it again changes
// nothing. The store is opened first, so the database keeps the store's own constraints
// (the script's are equivalent, and then do nothing).
func TestCypherScriptRuns(t *testing.T) {
	srv := neo4jtest.Use(t)
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	st, err := neo4jstore.Open(ctx, neo4jstore.Config{URI: srv.URI, Username: srv.Username, Password: srv.Password, Database: srv.Database})
	if err != nil {
		t.Fatal(err)
	}
	if err := st.Close(ctx); err != nil {
		t.Fatal(err)
	}
	d, err := seed.Dataset()
	if err != nil {
		t.Fatal(err)
	}
	var b bytes.Buffer
	if err := dataset.WriteCypher(&b, d); err != nil {
		t.Fatal(err)
	}
	auth := neo4j.NoAuth()
	if srv.Username != "" {
		auth = neo4j.BasicAuth(srv.Username, srv.Password, "")
	}
	drv, err := neo4j.NewDriverWithContext(srv.URI, auth)
	if err != nil {
		t.Fatal(err)
	}
	defer drv.Close(ctx)
	run := func(cypher string) *neo4j.EagerResult {
		t.Helper()
		res, err := neo4j.ExecuteQuery(ctx, drv, cypher, nil, neo4j.EagerResultTransformer, neo4j.ExecuteQueryWithDatabase(srv.Database))
		if err != nil {
			t.Fatalf("%s: %v", cypher, err)
		}
		return res
	}
	count := func() (nodes, rels int64) {
		t.Helper()
		n, _ := run(`MATCH (n) RETURN count(n) AS c`).Records[0].Get("c")
		r, _ := run(`MATCH ()-[r]->() RETURN count(r) AS c`).Records[0].Get("c")
		return n.(int64), r.(int64)
	}
	for range 2 {
		for _, stmt := range strings.Split(strings.TrimSpace(b.String()), "\n") {
			if strings.HasPrefix(stmt, "//") {
				continue
			}
			run(strings.TrimSuffix(stmt, ";"))
		}
		nodes, rels := count()
		if nodes != int64(len(d.Sources)+len(d.Entities())) || rels != int64(len(d.Relations)) {
			t.Errorf("the script made %d nodes and %d relationships, want %d and %d", nodes, rels, len(d.Sources)+len(d.Entities()), len(d.Relations))
		}
	}
	rec := run(`MATCH (a:Entity:Organization {id: "avtotor"})-[r:ASSEMBLES {id: "avtotor-assembles-baic"}]->(b:Brand {id: "baic"})
		RETURN a.name AS name, a.aliases AS aliases, a.founded AS founded, r.status AS status, r.validFrom AS validFrom, r.sources AS sources`).Records
	if len(rec) != 1 {
		t.Fatalf("avtotor ASSEMBLES baic: %d rows", len(rec))
	}
	got := rec[0].AsMap()
	want := map[string]any{
		"name": "Avtotor", "aliases": []any{"Avtotor plant", "Автотор"}, "founded": "1994",
		"status": "ACTIVE", "validFrom": "2023-04-04", "sources": []any{"tass-2023-04-18-avtotor-baic"},
	}
	for k, v := range want {
		if g := got[k]; !equalValues(g, v) {
			t.Errorf("%s = %#v, want %#v", k, g, v)
		}
	}
}

func equalValues(a, b any) bool {
	al, aok := a.([]any)
	bl, bok := b.([]any)
	if aok && bok {
		if len(al) != len(bl) {
			return false
		}
		for i := range al {
			if al[i] != bl[i] {
				return false
			}
		}
		return true
	}
	return a == b
}
