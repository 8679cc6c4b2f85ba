package graph_test

import (
	"bytes"
	"os"
	"testing"

	"github.com/vektah/gqlparser/v2/formatter"

	"github.com/autograph-kg/autograph/graph"
)

// TestSchemaSnapshot keeps the served schema in testdata/schema.golden.graphql, so every API
// change shows up as a diff in review (go test ./graph -update rewrites it).
func TestSchemaSnapshot(t *testing.T) {
	var buf bytes.Buffer
	formatter.NewFormatter(&buf, formatter.WithComments()).FormatSchema(graph.NewExecutableSchema(graph.Config{}).Schema())
	const golden = "testdata/schema.golden.graphql"
	if *update {
		if err := os.WriteFile(golden, buf.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatalf("%v (run go test ./graph -update to create it)", err)
	}
	if !bytes.Equal(buf.Bytes(), want) {
		t.Errorf("the served schema differs from %s; if the change is intended, run go test ./graph -update and review the diff", golden)
	}
}
