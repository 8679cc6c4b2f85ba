//go:build !synth

package main

import (
	"context"
	"errors"

	"github.com/autograph-kg/autograph/graph/model"
)

// The production binary has no synthetic data generator (seed/synth stays out of its
// imports): KG_SYNTHETIC_ENTITIES above 0 is a configuration error here, and needs a binary
// built with -tags synth (synthetic.go), as bench/run-load.sh builds it.

// syntheticBuild says that this binary has no generator.
const syntheticBuild = false

// importSynthetic refuses: there is nothing to generate the dataset with. loadConfig refuses
// the setting before the store opens, so this answers only a caller that skipped it.
func importSynthetic(context.Context, model.Store, int) error {
	return errors.New(noSyntheticGenerator)
}
