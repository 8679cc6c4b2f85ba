package graph

import (
	"testing"

	"github.com/99designs/gqlgen/graphql"
	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/parser"
)

func TestFieldCollectionsKnowSelectionsByTheirNodes(t *testing.T) {
	doc, err := parser.ParseQuery(&ast.Source{Input: `
query A { a { x y ...F } b { x y ... on T @include(if: true) { z } } }
fragment F on T { z }
fragment G on T @deprecated { z }`})
	if err != nil {
		t.Fatal(err)
	}
	op := doc.Operations[0].SelectionSet
	a, b := op[0].(*ast.Field).SelectionSet, op[1].(*ast.Field).SelectionSet
	impl, other := []string{"T"}, []string{"U"}
	c := newFieldCollections()
	fa := []graphql.CollectedField{{Field: a[0].(*ast.Field)}}
	c.put(doc, impl, collection{sel: a, fields: fa})
	// The executor's own copy of the same nodes finds it; other nodes or another type do not.
	copied := append(ast.SelectionSet(nil), a...)
	if e, ok := c.get(copied, impl); !ok || len(e.fields) != 1 || e.fields[0].Field != fa[0].Field {
		t.Errorf("a copy of the same nodes: %v, %v", e, ok)
	}
	if _, ok := c.get(copied, other); ok {
		t.Error("found for another type")
	}
	swapped := ast.SelectionSet{a[1], a[0], a[2]}
	if _, ok := c.get(swapped, impl); ok {
		t.Error("found for the same nodes in another order")
	}
	if _, ok := c.get(ast.SelectionSet{a[0], a[1], b[2]}, impl); ok {
		t.Error("found for a selection that ends otherwise")
	}
	// A directive anywhere, a fragment's included, keeps a selection out.
	c.put(doc, impl, collection{sel: b})
	if _, ok := c.get(b, impl); ok {
		t.Error("kept a selection with @include")
	}
	withG := ast.SelectionSet{&ast.FragmentSpread{Name: "G"}}
	if withoutDirectives(doc, withG, 0) {
		t.Error("a fragment whose definition has a directive counts as plain")
	}
	if withoutDirectives(doc, ast.SelectionSet{&ast.FragmentSpread{Name: "Missing"}}, 0) {
		t.Error("a fragment the document does not define counts as plain")
	}
	if !withoutDirectives(doc, a, 0) {
		t.Error("a plain selection with a plain fragment counts as directed")
	}
	// The cache starts afresh at its bound.
	for i := range maxCollections {
		f := &ast.Field{Name: "f", Alias: string(rune('a' + i%26))}
		c.put(doc, impl, collection{sel: ast.SelectionSet{f}})
	}
	if c.n > maxCollections {
		t.Errorf("holds %d selection sets, bound %d", c.n, maxCollections)
	}
	if _, ok := c.get(a, impl); ok {
		t.Error("still holds the first selection after the bound was reached")
	}
	var none *fieldCollections
	none.put(doc, impl, collection{sel: a})
	if _, ok := none.get(a, impl); ok {
		t.Error("a nil cache found something")
	}
}
