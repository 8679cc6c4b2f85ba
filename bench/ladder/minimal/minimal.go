// Package minimal is the ladder's minimal gqlgen server: `type Query { hello: String! }`,
// served the way autograph serves its own schema (handler.New, the POST transport, an LRU
// cache of parsed queries) and nothing else, so the ladder can tell what gqlgen costs from
// what autograph adds on top.
package minimal

//go:generate go tool gqlgen generate --config gqlgen.yml

import (
	"context"
	"net/http"

	"github.com/99designs/gqlgen/graphql/handler"
	"github.com/99designs/gqlgen/graphql/handler/lru"
	"github.com/99designs/gqlgen/graphql/handler/transport"
	"github.com/vektah/gqlparser/v2/ast"
)

// Resolver answers the one field.
type Resolver struct{}

// Query is the root resolver.
func (r *Resolver) Query() QueryResolver { return r }

// Hello answers a constant: the cost measured is gqlgen's, not the resolver's.
func (r *Resolver) Hello(context.Context) (string, error) { return "world", nil }

// Handler serves the schema on POST with JSON bodies, caching up to 1000 parsed queries.
func Handler() http.Handler {
	srv := handler.New(NewExecutableSchema(Config{Resolvers: &Resolver{}}))
	srv.AddTransport(transport.POST{})
	srv.SetQueryCache(lru.New[*ast.QueryDocument](1000))
	return srv
}
