package graph

import (
	"context"

	"github.com/99designs/gqlgen/graphql"
	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/gqlerror"
)

// depthLimit refuses operations nested deeper than Max fields before they run. Fragments are
// followed (validation has already refused fragment cycles; the visited set guards anyway).
type depthLimit struct{ Max int }

var _ interface {
	graphql.HandlerExtension
	graphql.OperationContextMutator
} = depthLimit{}

func (depthLimit) ExtensionName() string { return "DepthLimit" }

func (depthLimit) Validate(graphql.ExecutableSchema) error { return nil }

func (d depthLimit) MutateOperationContext(_ context.Context, oc *graphql.OperationContext) *gqlerror.Error {
	if oc.Operation == nil {
		return nil
	}
	if got := selectionDepth(oc.Operation.SelectionSet, map[string]bool{}); got > d.Max {
		err := gqlerror.Errorf("query is nested %d levels deep, more than the limit of %d", got, d.Max)
		err.Extensions = map[string]any{"code": "DEPTH_LIMIT_EXCEEDED"}
		return err
	}
	return nil
}

func selectionDepth(set ast.SelectionSet, visiting map[string]bool) int {
	best := 0
	for _, sel := range set {
		switch s := sel.(type) {
		case *ast.Field:
			best = max(best, 1+selectionDepth(s.SelectionSet, visiting))
		case *ast.InlineFragment:
			best = max(best, selectionDepth(s.SelectionSet, visiting))
		case *ast.FragmentSpread:
			if s.Definition == nil || visiting[s.Name] {
				continue
			}
			visiting[s.Name] = true
			best = max(best, selectionDepth(s.Definition.SelectionSet, visiting))
			delete(visiting, s.Name)
		}
	}
	return best
}
