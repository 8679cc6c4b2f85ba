package httpapi

import (
	"context"
	"testing"

	gqlcomplexity "github.com/99designs/gqlgen/complexity"
	"github.com/vektah/gqlparser/v2"

	"github.com/autograph-kg/autograph/graph"
)

// TestDefaultCostedEstimatesTheSame checks that skipping the fields without a cost function
// changes no estimate: each query is estimated twice through the wrapper (the second time
// from what it remembered) and once without, with arguments given inline, by variables and
// left out, and with variables that do not parse.
func TestDefaultCostedEstimatesTheSame(t *testing.T) {
	es := graph.NewExecutableSchema(graph.Config{Resolvers: &graph.Resolver{}, Complexity: complexity()})
	wrapped := newDefaultCosted(es)
	cases := []struct {
		query string
		vars  map[string]any
	}{
		{`{ organization(id: "avtotor") { name description aliases country { name } } }`, nil},
		{`query($n: Int) { brands(first: $n) { edges { node { name relations(first: $n) { edges { node { from { name } to { name } sources { title } } } } } } } }`, map[string]any{"n": 7}},
		{`query($n: Int) { brands(first: $n) { edges { node { name relations(first: $n) { totalCount } } } } }`, map[string]any{"n": "seven"}},
		{`{ entity(id: "avtotor") { ... on Organization { assembles { to { name } } brands { models { name } } parent { name } } relations { totalCount } } }`, nil},
		{`{ neighborhood(id: "avtotor", limit: 500) { nodes { id } relations { id } } paths(from: "a", to: "b", maxLength: 3) { nodes { id } } search(query: "x") { score } }`, nil},
	}
	for _, c := range cases {
		doc, err := gqlparser.LoadQuery(es.Schema(), c.query)
		if err != nil {
			t.Fatalf("%s: %v", c.query, err)
		}
		op := doc.Operations[0]
		want := gqlcomplexity.Calculate(context.Background(), es, op, c.vars)
		for round := range 2 {
			if got := gqlcomplexity.Calculate(context.Background(), wrapped, op, c.vars); got != want {
				t.Errorf("%s (round %d): estimate %d, want %d", c.query, round, got, want)
			}
		}
	}
	if len(wrapped.plain) == 0 {
		t.Error("the wrapper remembered no field without a cost function")
	}
}
