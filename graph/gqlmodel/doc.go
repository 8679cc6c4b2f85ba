// Package gqlmodel holds the GraphQL shapes that are not part of the domain: connections and
// their edges, PageInfo, the where-filters of the listings and the mutation inputs. gqlgen
// generates it (models_gen.go) from schema/*.graphqls; the resolvers in package graph turn
// these shapes into the domain's queries and values (graph/model) and back, and no store sees
// them.
package gqlmodel
