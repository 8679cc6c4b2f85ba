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
func importSynthetic(ctx context.Context, store model.Store, n int) error {
	return store.Import(ctx, synth.Generate(n, 1))
}
