package neo4jstore

import (
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"testing"

	"github.com/autograph-kg/autograph/graph/neo4jstore/neo4jtest"
)

// TestCypherChecker runs Neo4j's own Cypher linter (@neo4j-cypher/language-support, the
// parser and semantic analysis of Neo4j's editors) over every complete statement
// (everyStatement: the golden set and the builders' spread; fragments and templates are
// checked in the statements built from them): syntax errors, unknown variables, clauses in
// the wrong order.
// The linter knows the Cypher 5 grammar; TestCypher25Forms and TestStatementsOnServer hold
// the statements to the forms Cypher 25 runs too. It needs Node.js and the package installed
// beside lint.js:
//
//	cd graph/neo4jstore/testdata/cypherlint && npm ci
//
// and is skipped without them (under CI, or with CYPHER_LINT=1, that is a failure instead).
func TestCypherChecker(t *testing.T) {
	dir := filepath.Join("testdata", "cypherlint")
	node, err := exec.LookPath("node")
	_, statErr := os.Stat(filepath.Join(dir, "node_modules", "@neo4j-cypher", "language-support", "package.json"))
	if err != nil || statErr != nil {
		msg := "needs node and `npm ci` in " + dir + " to run Neo4j's Cypher linter"
		if os.Getenv("CYPHER_LINT") != "" {
			t.Fatal(msg)
		}
		neo4jtest.SkipOrFail(t, msg)
	}
	statements := everyStatement(t)
	b, err := json.Marshal(statements)
	if err != nil {
		t.Fatal(err)
	}
	file := filepath.Join(t.TempDir(), "statements.json")
	if err := os.WriteFile(file, b, 0o600); err != nil {
		t.Fatal(err)
	}
	cmd := exec.CommandContext(t.Context(), node, "lint.js", file)
	cmd.Dir = dir
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("the Cypher linter refused statements (%v):\n%s", err, out)
	}
	t.Logf("%d statements linted:\n%s", len(statements), out)
}
