// Package graph is the GraphQL layer: resolvers (thin: they check arguments, ask the store
// through the per-request loaders and shape connections), the HTTP handler with its limits,
// and the one error presenter that maps domain errors to extensions.code.
package graph

import (
	"log/slog"

	"github.com/autograph-kg/autograph/graph/model"
)

// Resolver holds the resolvers' dependencies. It has no mutable state: resolvers run
// concurrently.
type Resolver struct {
	// Store answers queries and applies mutations; the handler lets only requests with a
	// write token reach the mutations.
	Store  model.Store
	Logger *slog.Logger
}
