//go:build synth

package main

import (
	"context"

	"github.com/autograph-kg/autograph/graph/model"
	"github.com/autograph-kg/autograph/seed/synth"
)

// A binary built with -tags synth (bench/run-load.sh builds one) can add a generated dataset
// to its store at start, KG_SYNTHETIC_ENTITIES entities of it, for load tests and benchmarks.
// The production binary is built without the tag and carries no generator (synthetic_off.go).

// syntheticBuild says that this binary has the generator.
const syntheticBuild = true

// importSynthetic generates the synthetic dataset of n entities (seed/synth, seed 1) and
// imports it into store.
// Generating takes seconds at a million entities and cannot be interrupted, so it runs on
// its own: a server told to stop meanwhile returns at once, and the generator's goroutine
// ends with the process.
func importSynthetic(ctx context.Context, store model.Store, n int) error {
	generated := make(chan *model.Dataset, 1)
	go func() { generated <- synth.Generate(n, 1) }()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case d := <-generated:
		return store.Import(ctx, d)
	}
}
