package dataset_test

import (
	"bytes"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"testing"

	"github.com/autograph-kg/autograph/graph/dataset"
	"github.com/autograph-kg/autograph/graph/neo4jstore/neo4jtest"
	"github.com/autograph-kg/autograph/seed"
)

// graphMLPython is the Python with networkx that .ci/run installs:
//
//	python3 -m venv graph/dataset/testdata/python/venv
//	graph/dataset/testdata/python/venv/bin/pip install -r graph/dataset/testdata/python/requirements.txt
var graphMLPython = filepath.Join("testdata", "python", "venv", "bin", "python")

// TestGraphMLReader reads the GraphML export of the seed back with a real GraphML reader,
// networkx's read_graphml: every node and edge is there, with its properties and their
// declared types (quantity an integer, text a string). Without the venv it skips, and fails
// under CI.
func TestGraphMLReader(t *testing.T) {
	if _, err := os.Stat(graphMLPython); err != nil {
		neo4jtest.SkipOrFail(t, "networkx is not installed for this test: run python3 -m venv graph/dataset/testdata/python/venv && "+
			"graph/dataset/testdata/python/venv/bin/pip install -r graph/dataset/testdata/python/requirements.txt (.ci/run does)")
	}
	d, err := seed.Dataset()
	if err != nil {
		t.Fatal(err)
	}
	d, _, err = dataset.Collect(t.Context(), memStore(t, d), dataset.Selection{})
	if err != nil {
		t.Fatal(err)
	}
	var b bytes.Buffer
	if err := dataset.WriteGraphML(&b, d); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "seed.graphml")
	if err := os.WriteFile(path, b.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	out, err := exec.CommandContext(t.Context(), graphMLPython, filepath.Join("testdata", "python", "read_graphml.py"), path).Output()
	if err != nil {
		var stderr []byte
		if ee, ok := err.(*exec.ExitError); ok {
			stderr = ee.Stderr
		}
		t.Fatalf("networkx could not read the export: %v\n%s", err, stderr)
	}
	type value [2]any // Python type name, value
	var got struct {
		Directed bool
		Nodes    int
		Edges    int
		Node     map[string]map[string]value
		Edge     map[string]map[string]any
	}
	if err := json.Unmarshal(out, &got); err != nil {
		t.Fatalf("decoding %s: %v", out, err)
	}
	if !got.Directed || got.Nodes != len(d.Sources)+len(d.Entities()) || got.Edges != len(d.Relations) {
		t.Errorf("networkx read a graph of %d nodes and %d edges (directed %v), want %d and %d, directed",
			got.Nodes, got.Edges, got.Directed, len(d.Sources)+len(d.Entities()), len(d.Relations))
	}
	avtotor := got.Node["avtotor"]
	for k, want := range map[string]value{
		"kind": {"str", "Organization"}, "label": {"str", "Avtotor"}, "name": {"str", "Avtotor"},
		"type": {"str", "ASSEMBLER"}, "founded": {"str", "1994"}, "countryId": {"str", "russia"},
		"aliases": {"str", `["Avtotor plant","Автотор"]`},
	} {
		if got := avtotor[k]; got != want {
			t.Errorf("node avtotor: %s = %v, want %v", k, got, want)
		}
	}
	if src := got.Node["tass-2023-04-18-avtotor-baic"]; src["kind"] != (value{"str", "Source"}) || src["publishedOn"] != (value{"str", "2023-04-18"}) {
		t.Errorf("source node: %v", src)
	}
	quantities := 0
	for _, r := range d.Relations {
		e, ok := got.Edge[r.ID]
		if !ok {
			t.Errorf("edge %s is missing", r.ID)
			continue
		}
		if e["source"] != r.FromID || e["target"] != r.ToID || e["type"].([]any)[1] != string(r.Type) {
			t.Errorf("edge %s: %v", r.ID, e)
		}
		if r.Quantity != nil {
			quantities++
			if q := e["quantity"].([]any); q[0] != "int" || q[1] != float64(*r.Quantity) {
				t.Errorf("edge %s: quantity %v, want the integer %d", r.ID, q, *r.Quantity)
			}
		}
	}
	if quantities == 0 {
		t.Error("the seed has no relation with a quantity: the int key is not exercised")
	}
}
