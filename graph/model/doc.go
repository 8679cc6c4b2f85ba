// Package model is the vocabulary of the knowledge graph: entities, sources, relations, the
// partial-date type, filters and pages, the Store interface both backends implement, and the
// domain errors that the GraphQL layer maps to error codes in one place.
//
// It imports nothing else from this module, so every other package can depend on it.
package model
