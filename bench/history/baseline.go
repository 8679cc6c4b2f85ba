//go:build baseline

package main

import (
	"context"
	"math/rand/v2"

	"github.com/autograph-kg/autograph/graph/inmem"
)

// more is empty in a baseline build: the store it is compiled against keeps no history.
func more(ctx context.Context, s *inmem.Store, _ string, _ []string, _, _, _ int, _ *rand.Rand) error {
	return s.Close(ctx)
}
