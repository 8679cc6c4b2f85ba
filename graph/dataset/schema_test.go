package dataset_test

import (
	"bytes"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/autograph-kg/autograph/graph/dataset"
	"github.com/autograph-kg/autograph/graph/model"
	"github.com/autograph-kg/autograph/graph/neo4jstore/neo4jtest"
	"github.com/autograph-kg/autograph/seed"
	"github.com/autograph-kg/autograph/seed/synth"
)

const schemaFile = "../../docs/dataset.schema.json"

// TestDatasetSchemaEnums: the enums of docs/dataset.schema.json are the domain's.
func TestDatasetSchemaEnums(t *testing.T) {
	b, err := os.ReadFile(schemaFile)
	if err != nil {
		t.Fatal(err)
	}
	var s struct {
		Defs map[string]struct {
			Enum []string `json:"enum"`
		} `json:"$defs"`
	}
	if err := json.Unmarshal(b, &s); err != nil {
		t.Fatal(err)
	}
	strs := func(xs ...any) []string {
		var out []string
		for _, x := range xs {
			switch v := x.(type) {
			case []model.OrganizationType:
				for _, y := range v {
					out = append(out, string(y))
				}
			case []model.Ownership:
				for _, y := range v {
					out = append(out, string(y))
				}
			case []model.BrandSegment:
				for _, y := range v {
					out = append(out, string(y))
				}
			case []model.Powertrain:
				for _, y := range v {
					out = append(out, string(y))
				}
			case []model.PlaceType:
				out = append(out, "") // a place of no known level
				for _, y := range v {
					out = append(out, string(y))
				}
			case []model.RelationType:
				for _, y := range v {
					out = append(out, string(y))
				}
			case []model.RelationStatus:
				for _, y := range v {
					out = append(out, string(y))
				}
			}
		}
		return out
	}
	for name, want := range map[string][]string{
		"organizationType": strs(model.AllOrganizationTypes()),
		"ownership":        strs(model.AllOwnerships()),
		"brandSegment":     strs(model.AllBrandSegments()),
		"powertrain":       strs(model.AllPowertrains()),
		"placeType":        strs(model.AllPlaceTypes()),
		"relationType":     strs(model.AllRelationTypes()),
		"relationStatus":   strs(model.AllRelationStatuses()),
	} {
		if got := s.Defs[name].Enum; !slices.Equal(got, want) {
			t.Errorf("%s: the schema has %q, the domain %q", name, got, want)
		}
	}
}

// TestDatasetSchema validates the seed and exports of both formats against
// docs/dataset.schema.json with a JSON Schema validator (Python's jsonschema, installed with
// networkx, see graphml_test.go), and checks that the malformed file fails it.
func TestDatasetSchema(t *testing.T) {
	if _, err := os.Stat(graphMLPython); err != nil {
		neo4jtest.SkipOrFail(t, "jsonschema is not installed for this test: run python3 -m venv graph/dataset/testdata/python/venv && "+
			"graph/dataset/testdata/python/venv/bin/pip install -r graph/dataset/testdata/python/requirements.txt (.ci/run does)")
	}
	d, err := seed.Dataset()
	if err != nil {
		t.Fatal(err)
	}
	more := synth.Generate(300, 5)
	d.Sources = append(d.Sources, more.Sources...)
	for _, e := range more.Entities() {
		d.Add(e)
	}
	d.Relations = append(d.Relations, more.Relations...)
	dir := t.TempDir()
	for name, w := range map[string]func(*bytes.Buffer) error{
		"export.json":  func(b *bytes.Buffer) error { return dataset.WriteJSON(b, d) },
		"export.jsonl": func(b *bytes.Buffer) error { return dataset.WriteJSONL(b, d) },
	} {
		var b bytes.Buffer
		if err := w(&b); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, name), b.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	validate := func(files ...string) (string, error) {
		args := append([]string{filepath.Join("testdata", "python", "validate_dataset.py"), schemaFile}, files...)
		out, err := exec.CommandContext(t.Context(), graphMLPython, args...).CombinedOutput()
		return string(out), err
	}
	if out, err := validate("../../seed/graph.json", filepath.Join(dir, "export.json"), filepath.Join(dir, "export.jsonl")); err != nil {
		t.Errorf("valid datasets fail the schema: %v\n%s", err, out)
	}
	// The schema sees the faults of one record's shape; the rules across records (unknown
	// references, duplicates, endpoint kinds, cycles, periods) and real dates are the import's.
	out, err := validate("testdata/malformed.jsonl")
	var lines []string
	for _, l := range strings.Split(strings.TrimSpace(out), "\n") {
		if f := strings.SplitN(l, ":", 3); len(f) == 3 {
			lines = append(lines, f[1])
		}
	}
	want := []string{"5", "6", "7", "8", "9", "11", "12", "13", "14", "15", "19", "22"}
	if err == nil || !slices.Equal(lines, want) {
		t.Errorf("the schema refuses lines %v of the malformed file, want %v (%v)\n%s", lines, want, err, out)
	}
}
