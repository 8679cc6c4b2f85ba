package dataset_test

import (
	"bytes"
	"context"
	"testing"

	"github.com/autograph-kg/autograph/graph/dataset"
	"github.com/autograph-kg/autograph/seed/synth"
)

// benchFile is a synthetic dataset of 100k entities as JSON Lines (about 250k records).
func benchFile(b *testing.B) []byte {
	b.Helper()
	var buf bytes.Buffer
	if err := dataset.WriteJSONL(&buf, synth.Generate(100_000, 1)); err != nil {
		b.Fatal(err)
	}
	return buf.Bytes()
}

// BenchmarkReadJSONL measures reading and checking each record on its own.
func BenchmarkReadJSONL(b *testing.B) {
	data := benchFile(b)
	b.SetBytes(int64(len(data)))
	b.ResetTimer()
	for b.Loop() {
		c := dataset.NewCollection()
		if err := c.Read(bytes.NewReader(data), "bench.jsonl", dataset.FormatJSONL, func() error { return nil }, nil); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkCheck measures the checks of the whole dataset (Validate and the placing of its
// problems), without a store.
func BenchmarkCheck(b *testing.B) {
	data := benchFile(b)
	b.ResetTimer()
	for b.Loop() {
		b.StopTimer()
		c := dataset.NewCollection()
		if err := c.Read(bytes.NewReader(data), "bench.jsonl", dataset.FormatJSONL, func() error { return nil }, nil); err != nil {
			b.Fatal(err)
		}
		b.StartTimer()
		rep, err := c.Check(context.Background(), nil)
		if err != nil || len(rep.Problems) > 0 {
			b.Fatal(err, rep.Problems)
		}
	}
}
