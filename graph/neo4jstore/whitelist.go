package neo4jstore

import (
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/autograph-kg/autograph/graph/model"
)

// Cypher cannot take labels, relationship types or variable-length bounds as parameters, so
// these few parts of a query are spliced into its text. They come only from the functions in
// this file, which accept nothing but values from the model's whitelists.

// entityLabel is the node label to match for a kind: :Entity for every kind.
func entityLabel(kind model.EntityKind) (string, error) {
	if kind == "" {
		return labelEntity, nil
	}
	if !kind.IsValid() {
		return "", model.Errorf(model.CodeBadUserInput, "unknown entity kind %q", kind)
	}
	return kind.Label(), nil
}

// relTypes renders the type part of a relationship pattern: "" for every type (an empty list
// does not filter), ":A|B" otherwise. Types are validated against model.AllRelationTypes and
// written in schema order without duplicates, so equal filters give equal query text and
// share a cached plan.
func relTypes(types []model.RelationType) (string, error) {
	if len(types) == 0 {
		return "", nil
	}
	for _, t := range types {
		if !t.IsValid() {
			return "", model.Errorf(model.CodeBadUserInput, "unknown relation type %q", t)
		}
	}
	var names []string
	for _, t := range model.AllRelationTypes() {
		if slices.Contains(types, t) {
			names = append(names, string(t))
		}
	}
	return ":" + strings.Join(names, "|"), nil
}

// strs turns enum values into strings for a parameter; the driver takes no named types.
func strs[T ~string](xs []T) []string {
	out := make([]string, len(xs))
	for i, x := range xs {
		out[i] = string(x)
	}
	return out
}

// pathLength renders the upper bound of a variable-length pattern. It must be a literal in
// Cypher; only 1..model.MaxPathLength is accepted.
func pathLength(n int) (string, error) {
	if n < 1 || n > model.MaxPathLength {
		return "", model.Errorf(model.CodeBadUserInput, "maxLength must be between 1 and %d, not %d", model.MaxPathLength, n)
	}
	return strconv.Itoa(n), nil
}

// unionPerType joins one branch per relationship type with UNION ALL.
func unionPerType(branch string) string {
	var b strings.Builder
	for i, t := range model.AllRelationTypes() {
		if i > 0 {
			b.WriteString("\n  UNION ALL")
		}
		fmt.Fprintf(&b, branch, t)
	}
	return b.String()
}
