// Package graph is the GraphQL schema's resolvers: thin functions that check their arguments,
// ask the store through the per-request loaders (graph/loader) and shape the answers
// (connections, edges and the other GraphQL-only shapes of graph/gqlmodel). The executable
// schema gqlgen generates from schema/*.graphqls (generated.go) calls them; package
// graph/httpapi serves it over HTTP, with the limits, the request scope and the error
// presenter.
package graph

import (
	"log/slog"

	"github.com/autograph-kg/autograph/graph/feed"
	"github.com/autograph-kg/autograph/graph/history"
	"github.com/autograph-kg/autograph/graph/model"
)

// Resolver holds the resolvers' dependencies. It has no mutable state but Plans, a memo safe
// for concurrent use: resolvers run concurrently.
type Resolver struct {
	// Reader answers the queries (through the loaders where a field batches).
	Reader model.Reader
	// Writer applies the mutations; the handler lets only requests with a write token reach
	// them.
	Writer model.Writer
	// Importer loads the datasets of importDataset, behind the same write token.
	Importer model.Importer
	// History answers the history queries and reads the past (knownAt); nil on a server that
	// keeps none.
	History model.History
	// Pasts reads the graph as it stood at a past moment (knownAt; see KnownAt); nil with
	// History.
	Pasts *history.Pasts
	// Feed serves the subscription `changes`; nil on a server that keeps no history.
	Feed   *feed.Feed
	Logger *slog.Logger
	// Plans remembers what lookups read ahead (see NestedPlans); nil keeps nothing.
	Plans *NestedPlans
}
