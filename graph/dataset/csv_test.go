package dataset_test

import (
	"bytes"
	"fmt"
	"io"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/autograph-kg/autograph/graph/dataset"
	"github.com/autograph-kg/autograph/graph/neo4jstore/neo4jtest"
	"github.com/autograph-kg/autograph/seed"
	"github.com/autograph-kg/autograph/seed/synth"
)

// TestNeoAdminImport loads the CSV export into a new database with neo4j-admin database
// import, the release the Neo4j tests run on (.ci/neo4j/server admin, in a scratch home: the
// test server is not touched): every node, relationship and property is imported.
func TestNeoAdminImport(t *testing.T) {
	srv := neo4jtest.Require(t)
	version := os.Getenv("NEO4J_TEST_VERSION")
	u, err := url.Parse(srv.URI)
	if version == "" || err != nil || u.Port() == "" {
		neo4jtest.SkipOrFail(t, "NEO4J_TEST_VERSION and a NEO4J_TEST_URI with a port name the .ci/neo4j/server whose neo4j-admin this test runs")
	}
	d, err := seed.Dataset()
	if err != nil {
		t.Fatal(err)
	}
	more := synth.Generate(200, 9)
	d.Sources = append(d.Sources, more.Sources...)
	for _, e := range more.Entities() {
		d.Add(e)
	}
	d.Relations = append(d.Relations, more.Relations...)
	dir := t.TempDir()
	err = dataset.WriteCSV(func(name string) (io.WriteCloser, error) { return os.Create(filepath.Join(dir, name)) }, d)
	if err != nil {
		t.Fatal(err)
	}
	launcher, err := filepath.Abs("../../.ci/neo4j/server")
	if err != nil {
		t.Fatal(err)
	}
	if err := exec.CommandContext(t.Context(), launcher, "status", version, u.Port()).Run(); err != nil {
		neo4jtest.SkipOrFail(t, fmt.Sprintf("the Neo4j test server is not one .ci/neo4j/server started (status %s %s: %v), so its neo4j-admin is not at hand", version, u.Port(), err))
	}
	cmd := exec.CommandContext(t.Context(), launcher, append([]string{"admin", version, u.Port()}, dataset.NeoAdminArgs("csvcheck", dir)...)...)
	cmd.Dir = dir
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	if err := cmd.Run(); err != nil {
		t.Fatalf("neo4j-admin: %v\n%s", err, out.String())
	}
	text := out.String()
	for _, want := range []string{
		"IMPORT DONE",
		fmt.Sprintf("%d nodes", len(d.Sources)+len(d.Entities())),
		fmt.Sprintf("%d relationships", len(d.Relations)),
	} {
		if !strings.Contains(text, want) {
			t.Errorf("neo4j-admin's report lacks %q:\n%s", want, text[max(0, len(text)-2000):])
		}
	}
	if strings.Contains(text, "bad.log") || strings.Contains(strings.ToLower(text), "skipped") {
		t.Errorf("neo4j-admin skipped input:\n%s", text[max(0, len(text)-2000):])
	}
}
