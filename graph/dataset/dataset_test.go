package dataset_test

import (
	"bytes"
	"context"
	"flag"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/autograph-kg/autograph/graph/dataset"
	"github.com/autograph-kg/autograph/graph/inmem"
	"github.com/autograph-kg/autograph/graph/model"
	neo4jstore "github.com/autograph-kg/autograph/graph/neo4jstore"
	"github.com/autograph-kg/autograph/graph/neo4jstore/neo4jtest"
	"github.com/autograph-kg/autograph/seed"
	"github.com/autograph-kg/autograph/seed/synth"
)

var update = flag.Bool("update", false, "rewrite the golden files under testdata/")

// golden compares got with testdata/name, or rewrites it under -update.
func golden(t *testing.T, name, got string) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if *update {
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (go test -update writes it)", err)
	}
	if diff := cmp.Diff(string(want), got); diff != "" {
		t.Errorf("%s differs (-want +got; go test -update rewrites it after an intended change):\n%s", path, diff)
	}
}

// check reads the files into one collection and checks it, against the store when st is
// not nil.
func check(t *testing.T, st dataset.Store, dryRun bool, files ...string) *dataset.Report {
	t.Helper()
	c := dataset.NewCollection()
	for _, name := range files {
		f, err := os.Open(name)
		if err != nil {
			t.Fatal(err)
		}
		err = c.Read(f, name, dataset.FormatOf(name), func() error { return nil }, nil)
		f.Close()
		if err != nil {
			t.Fatalf("reading %s: %v", name, err)
		}
	}
	var (
		rep *dataset.Report
		err error
	)
	if st == nil {
		rep, err = c.Check(context.Background(), nil)
	} else {
		rep, err = dataset.Import(context.Background(), c, st, dryRun)
	}
	if err != nil {
		t.Fatal(err)
	}
	return rep
}

func problemLines(rep *dataset.Report) string {
	var b strings.Builder
	for _, p := range rep.Problems {
		b.WriteString(p.String())
		b.WriteByte('\n')
	}
	return b.String()
}

// TestMalformedFile reads a JSON Lines file with twenty different faults, each on its own
// line, and pins the twenty problems: every one reported, at its line, with its id, in the
// words of the mutations' rules, and nothing written.
func TestMalformedFile(t *testing.T) {
	st := inmem.New()
	rep := check(t, st, false, "testdata/malformed.jsonl")
	if len(rep.Problems) != 20 {
		t.Errorf("%d problems, want 20:\n%s", len(rep.Problems), problemLines(rep))
	}
	lines := map[int]bool{}
	for _, p := range rep.Problems {
		lines[p.Line] = true
	}
	if len(lines) != 20 {
		t.Errorf("the problems are on %d distinct lines, want 20 (one per faulty record)", len(lines))
	}
	golden(t, "malformed.jsonl.golden", problemLines(rep))
	if rep.Imported {
		t.Error("a file with problems was imported")
	}
	if _, err := st.Entity(context.Background(), "org-ok"); !model.IsNotFound(err) {
		t.Errorf("the valid records of a file with problems were written: Entity(org-ok) = %v", err)
	}
}

// TestMalformedDocument is TestMalformedFile for the JSON dataset document: items are placed
// at the line their object starts on, and a syntax error ends the reading with its line.
func TestMalformedDocument(t *testing.T) {
	for _, name := range []string{"malformed.json", "truncated.json"} {
		t.Run(name, func(t *testing.T) {
			rep := check(t, nil, false, "testdata/"+name)
			golden(t, name+".golden", problemLines(rep))
		})
	}
}

// TestRoundTrip exports a dataset, imports the export into an empty store and exports again,
// on each store: the two exports are the same bytes, in JSON and through JSON Lines, and
// they decode to the dataset that was imported. A second import changes nothing.
func TestRoundTrip(t *testing.T) {
	d, err := seed.Dataset()
	if err != nil {
		t.Fatal(err)
	}
	more := synth.Generate(400, 7)
	d.Sources = append(d.Sources, more.Sources...)
	for _, e := range more.Entities() {
		d.Add(e)
	}
	d.Relations = append(d.Relations, more.Relations...)
	eachStore(t, func(t *testing.T, fresh func() model.Store) {
		ctx := context.Background()
		a := fresh()
		if err := a.Import(ctx, d); err != nil {
			t.Fatal(err)
		}
		first := export(t, a, dataset.Selection{}, dataset.WriteJSON)
		jsonl := export(t, a, dataset.Selection{}, dataset.WriteJSONL)

		for _, tc := range []struct {
			name string
			data []byte
			f    dataset.Format
		}{{"json", first, dataset.FormatJSON}, {"jsonl", jsonl, dataset.FormatJSONL}} {
			t.Run(tc.name, func(t *testing.T) {
				b := fresh()
				for range 2 {
					c := dataset.NewCollection()
					if err := c.Read(bytes.NewReader(tc.data), "export", tc.f, ctx.Err, nil); err != nil {
						t.Fatal(err)
					}
					rep, err := dataset.Import(ctx, c, b, false)
					if err != nil || len(rep.Problems) > 0 || !rep.Imported {
						t.Fatalf("importing the export: %v\n%s", err, problemLines(rep))
					}
					if rep.Stored != 0 {
						t.Errorf("an import into an empty store found %d stored items", rep.Stored)
					}
				}
				second := export(t, b, dataset.Selection{}, dataset.WriteJSON)
				if !bytes.Equal(first, second) {
					t.Errorf("export, import, export gave different bytes:\n%s", cmp.Diff(string(first), string(second)))
				}
			})
		}
		// The export holds everything of the dataset.
		c := dataset.NewCollection()
		if err := c.Read(bytes.NewReader(first), "export", dataset.FormatJSON, ctx.Err, nil); err != nil {
			t.Fatal(err)
		}
		want, _, err := dataset.Collect(ctx, memStore(t, d), dataset.Selection{})
		if err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff(want, &c.Dataset, ignoreStamps); diff != "" {
			t.Errorf("the export does not hold the dataset (-want +got):\n%s", diff)
		}
	})
}

// TestNeighbourhoodExport exports the neighbourhood of an entity: only what lies within the
// depth, with what it refers to, so that it imports into an empty store on its own.
func TestNeighbourhoodExport(t *testing.T) {
	eachStore(t, func(t *testing.T, fresh func() model.Store) {
		ctx := context.Background()
		a := fresh()
		if err := seed.Load(ctx, a); err != nil {
			t.Fatal(err)
		}
		asOf := model.MustDate("2021")
		data := export(t, a, dataset.Selection{IDs: []string{"avtotor"}, Depth: 1, AsOf: &asOf}, dataset.WriteJSONL)
		g, err := a.Neighborhood(ctx, model.NeighborhoodQuery{ID: "avtotor", Depth: 1, AsOf: &asOf})
		if err != nil {
			t.Fatal(err)
		}
		c := dataset.NewCollection()
		if err := c.Read(bytes.NewReader(data), "export", dataset.FormatJSONL, ctx.Err, nil); err != nil {
			t.Fatal(err)
		}
		rep, err := dataset.Import(ctx, c, fresh(), false) // on Neo4j, the same database emptied
		if err != nil || len(rep.Problems) > 0 {
			t.Fatalf("importing the neighbourhood into an empty store: %v\n%s", err, problemLines(rep))
		}
		var rels []string
		for _, r := range g.Relations {
			rels = append(rels, r.ID)
		}
		var got []string
		for _, r := range c.Dataset.Relations {
			got = append(got, r.ID)
		}
		if diff := cmp.Diff(rels, got); diff != "" || len(got) == 0 {
			t.Errorf("relations of the export (-neighborhood +export):\n%s", diff)
		}
		for _, r := range c.Dataset.Relations {
			if !r.HoldsAt(asOf) {
				t.Errorf("relation %s does not hold at %s", r.ID, asOf)
			}
		}
	})
}

var ignoreStamps = cmp.FilterPath(func(p cmp.Path) bool {
	s := p.Last().String()
	return s == ".CreatedAt" || s == ".UpdatedAt"
}, cmp.Ignore())

// memStore is an embedded store holding d.
func memStore(t *testing.T, d *model.Dataset) model.Store {
	t.Helper()
	s := inmem.New()
	if err := s.Import(context.Background(), d); err != nil {
		t.Fatal(err)
	}
	return s
}

func export(t *testing.T, r model.Reader, sel dataset.Selection, w func(io.Writer, *model.Dataset) error) []byte {
	t.Helper()
	d, _, err := dataset.Collect(context.Background(), r, sel)
	if err != nil {
		t.Fatal(err)
	}
	var b bytes.Buffer
	if err := w(&b, d); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// eachStore runs f on the embedded store (on disk) and on Neo4j (see package neo4jtest);
// fresh gives an empty store, and on Neo4j empties the one test database first.
func eachStore(t *testing.T, f func(t *testing.T, fresh func() model.Store)) {
	t.Run("embedded", func(t *testing.T) {
		f(t, func() model.Store {
			s, _, err := inmem.Open(context.Background(), t.TempDir())
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { _ = s.Close(context.Background()) })
			return s
		})
	})
	t.Run("neo4j", func(t *testing.T) {
		srv := neo4jtest.Use(t)
		var open *neo4jstore.Store
		f(t, func() model.Store {
			ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
			defer cancel()
			if open != nil {
				_ = open.Close(ctx)
			}
			if err := neo4jtest.Wipe(ctx, srv); err != nil {
				t.Fatal(err)
			}
			s, err := neo4jstore.Open(ctx, neo4jstore.Config{URI: srv.URI, Username: srv.Username, Password: srv.Password, Database: srv.Database})
			if err != nil {
				t.Fatal(err)
			}
			open = s
			t.Cleanup(func() { _ = s.Close(context.Background()) })
			return s
		})
	})
}
