package httpapi

import (
	"context"
	"math"
	"reflect"
	"slices"
	"strings"
	"testing"

	gqlcomplexity "github.com/99designs/gqlgen/complexity"
	"github.com/99designs/gqlgen/graphql"
	"github.com/vektah/gqlparser/v2"
	"github.com/vektah/gqlparser/v2/ast"

	"github.com/autograph-kg/autograph/graph"
)

// TestDefaultCostedEstimatesTheSame checks that skipping the fields without a cost function
// changes no estimate: each query is estimated twice through the wrapper (the second time
// from what it remembered) and once without, with arguments given inline, by variables and
// left out, and with variables that do not parse.
func TestDefaultCostedEstimatesTheSame(t *testing.T) {
	es := graph.NewExecutableSchema(graph.Config{Resolvers: &graph.Resolver{}, Complexity: complexity()})
	wrapped := newDefaultCosted(es)
	cases := estimateCases()
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

// TestComplexityLimitEstimatesAsGqlgen: complexityLimit estimates every query as gqlgen's
// complexity.Calculate does, over the schema and over the wrapper, and refuses with
// FixedComplexityLimit's message and code.
func TestComplexityLimitEstimatesAsGqlgen(t *testing.T) {
	es := graph.NewExecutableSchema(graph.Config{Resolvers: &graph.Resolver{}, Complexity: complexity()})
	for i, over := range []graphql.ExecutableSchema{es, newDefaultCosted(es), es, newDefaultCosted(es)} {
		var root any // the cost model: not known, every field asked; then known
		if i >= 2 {
			root = complexity()
		}
		limit := newComplexityLimit(over, root, 100)
		for _, c := range estimateCases() {
			doc, errs := gqlparser.LoadQuery(es.Schema(), c.query)
			if errs != nil {
				t.Fatalf("%s: %v", c.query, errs)
			}
			op := doc.Operations[0]
			want := gqlcomplexity.Calculate(context.Background(), es, op, c.vars)
			if got := limit.estimate(context.Background(), op.SelectionSet, c.vars); got != want {
				t.Errorf("%s: estimate %d, gqlgen's %d", c.query, got, want)
			}
			err := limit.MutateOperationContext(context.Background(), &graphql.OperationContext{Doc: doc, Operation: op, Variables: c.vars})
			switch {
			case want <= 100 && err != nil:
				t.Errorf("%s (cost %d): refused under the limit: %v", c.query, want, err)
			case want > 100 && (err == nil || err.Extensions["code"] != codeComplexityLimit ||
				err.Message != "operation has complexity "+itoa(int64(want))+", which exceeds the limit of 100"):
				t.Errorf("%s (cost %d): error %+v", c.query, want, err)
			}
		}
	}
	if addCost(math.MaxInt-1, 5) != math.MaxInt || addCost(-3, 4) != 4 || addCost(4, -3) != 4 || addCost(-1, -1) != 1 {
		t.Error("addCost does not saturate or ignore negative costs")
	}
}

// TestCostFunctionsAreFound: every cost function of the cost model is found on its schema
// field, so that the estimate skips only the fields without one.
func TestCostFunctionsAreFound(t *testing.T) {
	es := graph.NewExecutableSchema(graph.Config{Resolvers: &graph.Resolver{}, Complexity: complexity()})
	costed := costFunctions(es.Schema(), complexity())
	if costed == nil {
		t.Fatal("the cost functions could not be told: every field is asked")
	}
	n := 0
	root := reflect.ValueOf(complexity())
	for i := range root.NumField() {
		for j := range root.Field(i).NumField() {
			if !root.Field(i).Field(j).IsNil() {
				n++
			}
		}
	}
	objects := 0
	for k := range costed {
		if es.Schema().Types[k.typeName].Kind == ast.Object {
			objects++
		}
	}
	if objects != n {
		t.Errorf("%d fields of object types found costed, for %d cost functions", objects, n)
	}
	for _, k := range []costKey{{"Query", "organizations"}, {"Organization", "relations"}, {"Entity", "relations"}, {"Revision", "before"}, {"RelationAggregate", "countBy"}} {
		if !costed[k] {
			t.Errorf("%s.%s has a cost function, not found", k.typeName, k.field)
		}
	}
	for _, k := range []costKey{{"Query", "organization"}, {"Query", "entity"}, {"Organization", "name"}, {"Entity", "name"}} {
		if costed[k] {
			t.Errorf("%s.%s has no cost function, but is found costed", k.typeName, k.field)
		}
	}
}

// TestSharedCostsAreOneFunction: the types in relationsCostTypes are all the implementations
// of Entity, their relations fields take the same arguments, and their cost is one function.
func TestSharedCostsAreOneFunction(t *testing.T) {
	es := graph.NewExecutableSchema(graph.Config{Resolvers: &graph.Resolver{}, Complexity: complexity()})
	s := es.Schema()
	types := relationsCostTypes()
	var impls []string
	for _, d := range s.GetPossibleTypes(s.Types["Entity"]) {
		impls = append(impls, d.Name)
	}
	sorted := slices.Clone(types)
	slices.Sort(sorted)
	slices.Sort(impls)
	if !slices.Equal(impls, sorted) {
		t.Fatalf("Entity's implementations are %v, relationsCostTypes %v", impls, sorted)
	}
	root := reflect.ValueOf(complexity())
	var fn uintptr
	want := argumentList(s.Types["Entity"].Fields.ForName("relations").Arguments)
	for _, name := range types {
		f := root.FieldByName(name).FieldByName("Relations")
		if !f.IsValid() || f.IsNil() {
			t.Fatalf("%s.relations has no cost function", name)
		}
		if fn == 0 {
			fn = f.Pointer()
		} else if f.Pointer() != fn {
			t.Errorf("%s.relations has a cost function of its own", name)
		}
		if got := argumentList(s.Types[name].Fields.ForName("relations").Arguments); got != want {
			t.Errorf("%s.relations takes (%s), Entity.relations (%s)", name, got, want)
		}
	}
}

func argumentList(args ast.ArgumentDefinitionList) string {
	var b strings.Builder
	for _, a := range args {
		b.WriteString(a.Name + ": " + a.Type.String())
		if a.DefaultValue != nil {
			b.WriteString(" = " + a.DefaultValue.String())
		}
		b.WriteString(", ")
	}
	return b.String()
}

type estimateCase struct {
	query string
	vars  map[string]any
}

func estimateCases() []estimateCase {
	return []estimateCase{
		{`{ organization(id: "avtotor") { name description aliases country { name } } }`, nil},
		{`query($n: Int) { brands(first: $n) { edges { node { name relations(first: $n) { edges { node { from { name } to { name } sources { title } } } } } } } }`, map[string]any{"n": 7}},
		{`query($n: Int) { brands(first: $n) { edges { node { name relations(first: $n) { totalCount } } } } }`, map[string]any{"n": "seven"}},
		{`{ entity(id: "avtotor") { ... on Organization { assembles { to { name } } brands { models { name } } parent { name } } relations { totalCount } } }`, nil},
		{`{ neighborhood(id: "avtotor", limit: 500) { nodes { id } relations { id } } paths(from: "a", to: "b", maxLength: 3) { nodes { id } } search(query: "x") { score } }`, nil},
		{`query($id: ID!, $asOf: Date, $after: String) { entity(id: $id) { id relations(asOf: $asOf, first: 20, after: $after) { totalCount edges { node { ...R } } } } } fragment R on Relation { id from { id name } to { id } sources { id publisher { name } } }`, map[string]any{"id": "avtotor"}},
		{`query($n: Int) { entity(id: "kia") { relations(first: $n) { edges { node { from { relations(first: 100, where: {types: [ASSEMBLES]}) { totalCount } } } } } ... on Brand { few: relations(first: 3) { totalCount } } } }`, map[string]any{"n": 50}},
		{`query($n: Int) { entity(id: "kia") { relations(first: $n) { totalCount } } }`, map[string]any{"n": "many"}},
		{`{ a: entity(id: "kia") { relations(first: 100) { edges { node { to { relations(first: 100) { edges { node { to { relations(first: 100) { totalCount } } } } } } } } } } }`, nil},
		{`{ __schema { types { name } } __type(name: "Brand") { name fields { name } } __typename }`, nil},
		{`{ organizations(first: 100, knownAt: "2024-01-01T00:00:00Z") { edges { node { name brands { models { name } } } } } }`, nil},
	}
}

// TestRememberedEstimatesFollowTheVariables asks one parsed operation again and again with
// variables that change its cost, absent, null and of each scalar kind, and wants from the
// memo each time the estimate the walk makes, and the limit applied to it.
func TestRememberedEstimatesFollowTheVariables(t *testing.T) {
	es := graph.NewExecutableSchema(graph.Config{Resolvers: &graph.Resolver{}, Complexity: complexity()})
	limit := newComplexityLimit(newDefaultCosted(es), complexity(), 1000)
	doc, errs := gqlparser.LoadQuery(es.Schema(), `query($n: Int, $m: Int, $asOf: Date, $types: [RelationType!]) {
  brands(first: $n) { edges { node { name relations(first: $m, asOf: $asOf, types: $types) { edges { node { from { name } to { name } } } } } } }
}`)
	if errs != nil {
		t.Fatal(errs)
	}
	op := doc.Operations[0]
	varsList := []map[string]any{
		{"n": 5, "m": 5}, {"n": 50, "m": 5}, {"n": 5, "m": 5}, {"n": 5, "m": 100},
		{"n": 5}, {"n": 5, "m": nil}, {"n": int64(40), "m": 40}, {"n": 5, "m": 5, "asOf": "2021"},
		{"n": 5, "m": 5, "types": []any{"ASSEMBLES"}}, {"n": 100, "m": 100}, {"n": 5, "m": 5},
	}
	for round := range 2 {
		for _, vars := range varsList {
			want := limit.estimate(context.Background(), op.SelectionSet, vars)
			if got := limit.estimateOperation(context.Background(), op, vars); got != want {
				t.Errorf("round %d, %v: remembered estimate %d, the walk's %d", round, vars, got, want)
			}
			err := limit.MutateOperationContext(context.Background(), &graphql.OperationContext{Doc: doc, Operation: op, Variables: vars})
			if (want > 1000) != (err != nil) {
				t.Errorf("round %d, %v (cost %d): error %v", round, vars, want, err)
			}
		}
	}
	if n := len(limit.memo.m); n == 0 || n > len(varsList) {
		t.Errorf("%d estimates remembered for %d sets of variables", n, len(varsList))
	}
}
