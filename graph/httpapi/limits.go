package httpapi

import (
	"context"

	"github.com/99designs/gqlgen/graphql"
	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/gqlerror"
)

// queryLimits refuses operations that nest deeper than MaxDepth fields or select more than
// MaxFields fields (aliases and fragments expanded), before they run and before the
// complexity estimate, which walks every expanded field. Each fragment is measured once and
// remembered, so a "fragment bomb" (fragments spreading the next one many times over) is
// measured in linear time and refused instead of expanding exponentially.
type queryLimits struct {
	MaxDepth  int
	MaxFields int
}

var _ interface {
	graphql.HandlerExtension
	graphql.OperationContextMutator
} = queryLimits{}

func (queryLimits) ExtensionName() string { return "QueryLimits" }

func (queryLimits) Validate(graphql.ExecutableSchema) error { return nil }

func (l queryLimits) MutateOperationContext(_ context.Context, oc *graphql.OperationContext) *gqlerror.Error {
	if oc.Operation == nil {
		return nil
	}
	m := measurer{cap: l.MaxFields + 1, frags: map[string]size{}, busy: map[string]bool{}}
	s := m.set(oc.Operation.SelectionSet)
	if s.depth > l.MaxDepth {
		return limitError("DEPTH_LIMIT_EXCEEDED", "query is nested %d levels deep, more than the limit of %d", s.depth, l.MaxDepth)
	}
	if s.fields > l.MaxFields {
		return limitError("FIELD_LIMIT_EXCEEDED", "query selects more than %d fields (aliases and fragments counted)", l.MaxFields)
	}
	return nil
}

func limitError(code, format string, args ...any) *gqlerror.Error {
	err := gqlerror.Errorf(format, args...)
	err.Extensions = map[string]any{"code": code}
	return err
}

// size is the depth and the field count of a selection set, the count saturating at cap.
type size struct{ depth, fields int }

type measurer struct {
	cap   int
	frags map[string]size
	busy  map[string]bool
}

func (m *measurer) add(a, b int) int { return min(a+b, m.cap) }

func (m *measurer) set(set ast.SelectionSet) size {
	var out size
	for _, sel := range set {
		var s size
		switch x := sel.(type) {
		case *ast.Field:
			c := m.set(x.SelectionSet)
			s = size{depth: 1 + c.depth, fields: m.add(1, c.fields)}
		case *ast.InlineFragment:
			s = m.set(x.SelectionSet)
		case *ast.FragmentSpread:
			s = m.fragment(x)
		}
		out.depth = max(out.depth, s.depth)
		out.fields = m.add(out.fields, s.fields)
	}
	return out
}

func (m *measurer) fragment(f *ast.FragmentSpread) size {
	if s, ok := m.frags[f.Name]; ok {
		return s
	}
	// Validation refuses fragment cycles; the busy set guards anyway.
	if f.Definition == nil || m.busy[f.Name] {
		return size{}
	}
	m.busy[f.Name] = true
	s := m.set(f.Definition.SelectionSet)
	delete(m.busy, f.Name)
	m.frags[f.Name] = s
	return s
}

// codeIntrospectionDisabled is the code of an introspection query on a server that has
// introspection turned off (KG_INTROSPECTION=false).
const codeIntrospectionDisabled = "INTROSPECTION_DISABLED"

// refuseIntrospection refuses, before execution, an operation that asks for __schema or
// __type when introspection is off: the client asked for what this server does not offer,
// which is neither a server error nor worth a log line at ERROR. __typename stays allowed.
type refuseIntrospection struct{}

var _ interface {
	graphql.HandlerExtension
	graphql.OperationContextMutator
} = refuseIntrospection{}

func (refuseIntrospection) ExtensionName() string { return "RefuseIntrospection" }

func (refuseIntrospection) Validate(graphql.ExecutableSchema) error { return nil }

func (refuseIntrospection) MutateOperationContext(_ context.Context, oc *graphql.OperationContext) *gqlerror.Error {
	if oc.Operation == nil || !asksIntrospection(oc.Operation.SelectionSet, map[string]bool{}) {
		return nil
	}
	return limitError(codeIntrospectionDisabled, "introspection is disabled on this server: __schema and __type cannot be queried (the schema is in the project's documentation)")
}

// asksIntrospection reports whether a root selection set selects __schema or __type, directly
// or through fragments. Only the root type has them.
func asksIntrospection(set ast.SelectionSet, seen map[string]bool) bool {
	for _, sel := range set {
		switch x := sel.(type) {
		case *ast.Field:
			if x.Name == "__schema" || x.Name == "__type" {
				return true
			}
		case *ast.InlineFragment:
			if asksIntrospection(x.SelectionSet, seen) {
				return true
			}
		case *ast.FragmentSpread:
			if x.Definition != nil && !seen[x.Name] {
				seen[x.Name] = true
				if asksIntrospection(x.Definition.SelectionSet, seen) {
					return true
				}
			}
		}
	}
	return false
}
