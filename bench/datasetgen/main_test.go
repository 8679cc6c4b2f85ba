package main

import (
	"context"
	"os"
	"path/filepath"
	"testing"

	"github.com/autograph-kg/autograph/graph/dataset"
)

// TestGeneratedFileImports: the generated file is the same on every run and passes the
// import's checks on its own.
func TestGeneratedFileImports(t *testing.T) {
	dir := t.TempDir()
	a, b := filepath.Join(dir, "a.jsonl"), filepath.Join(dir, "b.jsonl")
	for _, p := range []string{a, b} {
		if err := run(500, 3, p); err != nil {
			t.Fatal(err)
		}
	}
	x, _ := os.ReadFile(a)
	y, _ := os.ReadFile(b)
	if string(x) != string(y) || len(x) == 0 {
		t.Fatal("two runs with the same arguments wrote different files")
	}
	f, err := os.Open(a)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	c := dataset.NewCollection()
	if err := c.Read(f, a, dataset.FormatJSONL, func() error { return nil }, nil); err != nil {
		t.Fatal(err)
	}
	rep, err := c.Check(context.Background(), nil)
	if err != nil || len(rep.Problems) > 0 || rep.Entities != 500 {
		t.Fatalf("report %+v, error %v", rep, err)
	}
}
