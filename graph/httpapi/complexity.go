package httpapi

import (
	"context"
	"math"
	"reflect"
	"strings"
	"sync"
	"time"
	"weak"

	"github.com/99designs/gqlgen/graphql"
	"github.com/99designs/gqlgen/graphql/errcode"
	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/gqlerror"

	"github.com/autograph-kg/autograph/graph"
	"github.com/autograph-kg/autograph/graph/gqlmodel"
	"github.com/autograph-kg/autograph/graph/model"
)

// Complexity estimates: a list field costs its children times the number of items it may
// return. Out-of-range arguments are clamped here only for the estimate; the resolver then
// refuses them with BAD_USER_INPUT naming the limit, which tells the client more than a
// complexity error would.

// typedListSize is the assumed size of an unpaginated typed relation list (brands, models...).
const typedListSize = 10

// Base costs of the exploring fields, which scan or walk the graph whatever they return: a
// request may hold a few of them, not hundreds.
const (
	// pastCost is what reading the graph as it stood at knownAt adds to a root field: the
	// first read of a moment rebuilds that graph (graph/history), which costs as much as a
	// few explorations.
	pastCost         = 1000
	searchCost       = 200
	neighborhoodCost = 200
	pathsCost        = 500
	// importCost is the base cost of importDataset, which reads and checks up to 512 KiB of
	// records and writes them: a request may hold a few, and the complexity limit says so.
	importCost = 5000
)

// reportedProblems is how many problems an ImportReport lists at most.
const reportedProblems = 100

func times(child int, n *int, def, hi int) int {
	m := def
	if n != nil {
		m = min(max(*n, 1), hi)
	}
	return 1 + child*m
}

func pageCost(child int, first *int) int {
	return times(child, first, model.DefaultPageSize, model.MaxPageSize)
}

func listCost(child int) int { return 1 + child*typedListSize }

func relationsCost(child int, _ []model.RelationType, _ *model.Direction, _ []model.RelationStatus, _ *model.Date, where *model.RelationWhere, _ *model.Order, first *int, _ *string) int {
	return filterCost(where) + pageCost(child, first)
}

// Filters cost what they make a store do for each row it considers: one per condition or
// listed value, and relatedCost more for each step to an entity's relations, to the sources a
// relation cites or to a relation's endpoint (a subquery per row in Neo4j, a walk of the row's
// relations in the embedded store). A filter past model's bounds (MaxFilterHops and the like)
// is refused by the listing with a message naming the bound; its cost here is only what it
// would have cost up to maxFilterWalk levels.
const (
	relatedCost   = 100
	maxFilterWalk = 32
)

// filterCost walks any where input (the typed listings' inputs and the model's filter types
// alike, so a field added to one is counted without being listed here).
func filterCost(where any) int { return walkCost(reflect.ValueOf(where), 0) }

func walkCost(v reflect.Value, depth int) int {
	if depth > maxFilterWalk {
		return 0
	}
	switch v.Kind() {
	case reflect.Pointer, reflect.Interface:
		if v.IsNil() {
			return 0
		}
		cost := 0
		if t := v.Type(); t.Kind() == reflect.Pointer {
			// The filter inputs whose every occurrence is a step through the graph.
			switch t.Elem() {
			case reflect.TypeFor[model.RelatedWhere](), reflect.TypeFor[model.CitesWhere](), reflect.TypeFor[model.EntityWhere]():
				cost = relatedCost
			}
		}
		return cost + walkCost(v.Elem(), depth+1)
	case reflect.Struct:
		cost := 0
		for i := range v.NumField() {
			if v.Type().Field(i).IsExported() {
				cost += walkCost(v.Field(i), depth+1)
			}
		}
		return cost
	case reflect.Slice:
		cost := 0
		for i := range v.Len() {
			cost += max(1, walkCost(v.Index(i), depth+1))
		}
		return cost
	case reflect.String:
		if v.Len() > 0 {
			return 1
		}
	case reflect.Bool, reflect.Int, reflect.Int64:
		return 1
	}
	return 0
}

// aggregateCost is one grouping or date bound of a relation or entity aggregate: a pass over
// the matching relations or entities.
const aggregateCost = 20

func assemblyCost(child int, _ []model.RelationStatus, _ *model.Date) int { return listCost(child) }

func asOfListCost(child int, _ *model.Date) int { return listCost(child) }

// relationsCostTypes are the types whose relations field costs relationsCost, with the same
// arguments on every one (TestSharedCostsAreOneFunction checks both), so that the estimate of
// Entity.relations computes it once rather than once per type (see complexityLimit).
func relationsCostTypes() []string {
	return []string{"Organization", "Brand", "VehicleModel", "Plant", "Place", "Agreement"}
}

// complexity is the cost model of the schema's list fields, for the complexity limit.
func complexity() graph.ComplexityRoot {
	var c graph.ComplexityRoot
	c.Organization.Relations = relationsCost
	c.Mutation.ImportDataset = func(child int, _ string, _ *gqlmodel.DatasetFormat, _ *bool) int { return importCost + child }
	c.ImportReport.Problems = func(child int) int { return 1 + child*reportedProblems }
	c.Brand.Relations = relationsCost
	c.VehicleModel.Relations = relationsCost
	c.Plant.Relations = relationsCost
	c.Place.Relations = relationsCost
	c.Agreement.Relations = relationsCost

	c.Organization.Assembles = assemblyCost
	c.Plant.Assembles = assemblyCost
	c.Brand.Assemblers = assemblyCost
	c.VehicleModel.Assemblers = assemblyCost
	c.Organization.Brands = asOfListCost
	c.Organization.Subsidiaries = asOfListCost
	c.Organization.JointVentures = asOfListCost
	c.Organization.Partners = asOfListCost
	c.Organization.Plants = asOfListCost
	c.Organization.Agreements = listCost
	c.Brand.Models = listCost
	c.Place.Contains = listCost
	c.Agreement.Parties = listCost

	c.Query.Organizations = func(child int, where *gqlmodel.OrganizationWhere, _ *model.Order, first *int, _ *string, knownAt *time.Time) int {
		return knownAtCost(knownAt) + filterCost(where) + pageCost(child, first)
	}
	c.Query.Brands = func(child int, where *gqlmodel.BrandWhere, _ *model.Order, first *int, _ *string, knownAt *time.Time) int {
		return knownAtCost(knownAt) + filterCost(where) + pageCost(child, first)
	}
	c.Query.VehicleModels = func(child int, where *gqlmodel.VehicleModelWhere, _ *model.Order, first *int, _ *string, knownAt *time.Time) int {
		return knownAtCost(knownAt) + filterCost(where) + pageCost(child, first)
	}
	c.Query.Plants = func(child int, where *gqlmodel.PlantWhere, _ *model.Order, first *int, _ *string, knownAt *time.Time) int {
		return knownAtCost(knownAt) + filterCost(where) + pageCost(child, first)
	}
	c.Query.Places = func(child int, where *gqlmodel.PlaceWhere, _ *model.Order, first *int, _ *string, knownAt *time.Time) int {
		return knownAtCost(knownAt) + filterCost(where) + pageCost(child, first)
	}
	c.Query.Agreements = func(child int, where *gqlmodel.AgreementWhere, _ *model.Order, first *int, _ *string, knownAt *time.Time) int {
		return knownAtCost(knownAt) + filterCost(where) + pageCost(child, first)
	}
	c.Query.Sources = func(child int, _ *gqlmodel.SourceWhere, _ *model.Order, first *int, _ *string, knownAt *time.Time) int {
		return knownAtCost(knownAt) + pageCost(child, first)
	}
	c.Query.Relations = func(child int, where *model.RelationWhere, _ *model.Order, first *int, _ *string, knownAt *time.Time) int {
		return knownAtCost(knownAt) + filterCost(where) + pageCost(child, first)
	}
	// History: a page of revisions, and each revision's before and after read back (one
	// lookup each) and its changes paged.
	c.Query.History = func(child int, _ string, first *int, _ *string) int { return pageCost(child, first) }
	c.Query.Revisions = func(child int, _ *int, first *int, _ *string) int { return pageCost(child, first) }
	c.Revision.Changes = func(child int, first *int, _ *string) int { return pageCost(child, first) }
	c.Revision.Before = func(child int) int { return 2 + child }
	c.Revision.After = func(child int) int { return 2 + child }
	c.RelationAggregate.CountBy = func(child int, _ model.AggregateField) int { return aggregateCost + child }
	c.RelationAggregate.ValidFrom = func(child int) int { return aggregateCost + child }
	c.RelationAggregate.ValidTo = func(child int) int { return aggregateCost + child }
	c.EntityAggregate.CountBy = func(child int, _ model.EntityAggregateField) int { return aggregateCost + child }
	c.EntityAggregate.Founded = func(child int) int { return aggregateCost + child }
	c.Query.Search = func(child int, _ string, _ []model.EntityKind, first *int, knownAt *time.Time) int {
		return knownAtCost(knownAt) + searchCost + pageCost(child, first)
	}
	c.Query.Neighborhood = func(child int, _ string, _ *int, _ []model.RelationType, _ *model.Date, limit *int, knownAt *time.Time) int {
		// Nodes and relations grow with limit; a tenth of it per selected field is a fair
		// average for the sparse graphs this serves.
		return knownAtCost(knownAt) + neighborhoodCost + times(child, limit, model.DefaultNeighborhoodLimit, model.MaxNeighborhoodLimit)/10
	}
	c.Query.Paths = func(child int, _ string, _ string, maxLength *int, _ []model.RelationType, _ *model.Date, first *int, knownAt *time.Time) int {
		l := model.DefaultPathLength
		if maxLength != nil {
			l = min(max(*maxLength, 1), model.MaxPathLength)
		}
		return knownAtCost(knownAt) + pathsCost + times(child*l, first, model.DefaultPaths, model.MaxPaths)
	}
	return c
}

// knownAtCost is the extra cost of a root field read at a past moment.
func knownAtCost(knownAt *time.Time) int {
	if knownAt == nil {
		return 0
	}
	return pastCost
}

// defaultCosted wraps the executable schema so that the complexity estimate skips fields
// without a cost function of their own. The generated Complexity builds an execution context
// on every call, two allocations for every field of every request, only to find no function
// and answer false, the default cost (1 plus the children). A field without arguments that
// answered false once always will, so the wrapper remembers it and answers false itself; a
// field with arguments also answers false when they do not parse, so it is always asked.
type defaultCosted struct {
	graphql.ExecutableSchema
	mu    sync.RWMutex
	plain map[costKey]bool
}

type costKey struct{ typeName, field string }

func newDefaultCosted(es graphql.ExecutableSchema) *defaultCosted {
	return &defaultCosted{ExecutableSchema: es, plain: map[costKey]bool{}}
}

// Complexity is the wrapped schema's, or false for a field known to have no cost function.
func (d *defaultCosted) Complexity(ctx context.Context, typeName, field string, childComplexity int, args map[string]any) (int, bool) {
	k := costKey{typeName, field}
	d.mu.RLock()
	plain := d.plain[k]
	d.mu.RUnlock()
	if plain {
		return 0, false
	}
	n, ok := d.ExecutableSchema.Complexity(ctx, typeName, field, childComplexity, args)
	if !ok && !hasArguments(d.Schema(), typeName, field) {
		d.mu.Lock()
		d.plain[k] = true
		d.mu.Unlock()
	}
	return n, ok
}

// hasArguments reports whether the schema gives the field arguments; true when the field is
// unknown, so that nothing is remembered for it.
func hasArguments(s *ast.Schema, typeName, field string) bool {
	t := s.Types[typeName]
	if t == nil {
		return true
	}
	f := t.Fields.ForName(field)
	return f == nil || len(f.Arguments) > 0
}

// codeComplexityLimit is the code of an operation estimated to cost more than the limit.
const codeComplexityLimit = "COMPLEXITY_LIMIT_EXCEEDED"

// complexityLimit refuses, before it runs, an operation whose estimated cost is over limit.
// The estimate and the error are those of gqlgen's extension.FixedComplexityLimit
// (complexity.Calculate), made with less work, which TestComplexityLimitEstimatesAsGqlgen
// checks: the arguments of a field that takes none are not gathered into a map of their own
// (Calculate makes one for every field of every request), and an interface field whose
// implementations share one cost function and one argument list (relationsCostTypes) is
// costed once instead of once per implementation, each of which parsed its arguments again.
// A field that the cost model gives no cost function (costed) costs 1 plus its children
// without asking the schema, which would build an execution context, and without gathering
// its arguments: gqlgen's Complexity answers false for it whatever they are, and the estimate
// is the same.
//
// It records no statistics in the operation context; nothing reads them.
type complexityLimit struct {
	es     graphql.ExecutableSchema
	schema *ast.Schema
	limit  int
	shared map[costKey]bool
	// costed holds the fields with a cost function, and the interface fields of which an
	// implementation has one; nil when they could not be told (every field is then asked).
	costed map[costKey]bool
	// memo keeps the estimates of operations asked before; nil: none kept.
	memo *estimates
}

// estimates remembers the estimate of an operation under the values of its variables. The
// estimate is a function of the operation's text and those values only (every cost function
// reads its arguments and the children's cost, nothing of the request), and gqlgen hands
// the same parsed document to every request with the same query text while it keeps it in
// its query cache, so an operation asked again is not walked again: the walk parsed each
// costed field's arguments, some 3 % of an explorer page's CPU. The operation is held
// weakly (the query cache decides how long a document lives), and the memo is emptied when
// it reaches maxEstimates entries.
type estimates struct {
	mu sync.Mutex
	m  map[estimateKey]int
}

type estimateKey struct {
	op   weak.Pointer[ast.OperationDefinition]
	vars string
}

// maxEstimates bounds the memo of estimates; the key of variables is at most
// maxEstimateVars bytes long, past which the estimate is not kept.
const (
	maxEstimates    = 2048
	maxEstimateVars = 512
)

// key is the memo's key of op under vars; false when the values are not all scalars (a
// list or an input object) or too long, whose estimate is then made anew.
func (e *estimates) key(op *ast.OperationDefinition, vars map[string]any) (estimateKey, bool) {
	v, ok := graph.VariablesKey(op, vars, maxEstimateVars)
	return estimateKey{op: weak.Make(op), vars: v}, ok
}

func (e *estimates) get(k estimateKey) (int, bool) {
	e.mu.Lock()
	defer e.mu.Unlock()
	n, ok := e.m[k]
	return n, ok
}

func (e *estimates) put(k estimateKey, n int) {
	e.mu.Lock()
	defer e.mu.Unlock()
	if len(e.m) >= maxEstimates {
		clear(e.m)
	}
	e.m[k] = n
}

var _ interface {
	graphql.HandlerExtension
	graphql.OperationContextMutator
} = complexityLimit{}

// newComplexityLimit is the limit over es, whose cost model is root (the generated
// ComplexityRoot, as given to graph.Config; nil: not known, every field is asked).
func newComplexityLimit(es graphql.ExecutableSchema, root any, limit int) complexityLimit {
	c := complexityLimit{es: es, schema: es.Schema(), limit: limit, shared: map[costKey]bool{},
		memo: &estimates{m: map[estimateKey]int{}}}
	for _, t := range relationsCostTypes() {
		c.shared[costKey{t, "relations"}] = true
	}
	if root != nil {
		c.costed = costFunctions(c.schema, root)
	}
	return c
}

// costFunctions is the set of fields that root, a generated ComplexityRoot, gives a cost
// function, with the interface fields of which an implementation has one. root has a struct
// field per schema type, holding a func field per schema field, named as gqlgen names them in
// Go: the schema's names, initial upper-cased and initialisms in capitals ("id" is ID), so
// equal to them up to case. It is nil when a function's field cannot be told that way (none or
// two of the type's fields match its name), so that the estimate then asks for every field.
func costFunctions(s *ast.Schema, root any) map[costKey]bool {
	rv := reflect.ValueOf(root)
	if rv.Kind() == reflect.Pointer {
		rv = rv.Elem()
	}
	if rv.Kind() != reflect.Struct {
		return nil
	}
	out := map[costKey]bool{}
	for i := range rv.NumField() {
		fns := rv.Field(i)
		if fns.Kind() != reflect.Struct {
			return nil
		}
		t := schemaNamed(s, rv.Type().Field(i).Name)
		for j := range fns.NumField() {
			if fns.Field(j).Kind() != reflect.Func {
				return nil
			}
			if fns.Field(j).IsNil() {
				continue
			}
			if t == nil {
				return nil
			}
			var field string
			for _, f := range t.Fields {
				if strings.EqualFold(f.Name, fns.Type().Field(j).Name) {
					if field != "" {
						return nil
					}
					field = f.Name
				}
			}
			if field == "" {
				return nil
			}
			out[costKey{t.Name, field}] = true
			for _, iface := range s.Implements[t.Name] {
				out[costKey{iface.Name, field}] = true
			}
		}
	}
	// An interface without implementations costs 0 rather than 1 plus its children (the
	// dearest of none): its fields are asked.
	for _, t := range s.Types {
		if t.Kind == ast.Interface && len(s.GetPossibleTypes(t)) == 0 {
			for _, f := range t.Fields {
				out[costKey{t.Name, f.Name}] = true
			}
		}
	}
	return out
}

// schemaNamed is the schema's type of that name up to case, nil when there is none or more
// than one.
func schemaNamed(s *ast.Schema, name string) *ast.Definition {
	if t := s.Types[name]; t != nil {
		return t
	}
	var found *ast.Definition
	for n, t := range s.Types {
		if strings.EqualFold(n, name) {
			if found != nil {
				return nil
			}
			found = t
		}
	}
	return found
}

// asks says whether the estimate asks the schema for the cost of the field of the type or
// interface typeName: whether the field has a cost function, as far as is known.
func (c complexityLimit) asks(typeName, field string) bool {
	return c.costed == nil || c.costed[costKey{typeName, field}]
}

func (complexityLimit) ExtensionName() string { return "ComplexityLimit" }

func (complexityLimit) Validate(graphql.ExecutableSchema) error { return nil }

func (c complexityLimit) MutateOperationContext(ctx context.Context, oc *graphql.OperationContext) *gqlerror.Error {
	if oc.Operation == nil {
		return nil
	}
	if n := c.estimateOperation(ctx, oc.Operation, oc.Variables); n > c.limit {
		err := gqlerror.Errorf("operation has complexity %d, which exceeds the limit of %d", n, c.limit)
		errcode.Set(err, codeComplexityLimit)
		return err
	}
	return nil
}

// estimateOperation is the cost of an operation under the values of its variables, as
// remembered when it was asked before.
func (c complexityLimit) estimateOperation(ctx context.Context, op *ast.OperationDefinition, vars map[string]any) int {
	if c.memo == nil {
		return c.estimate(ctx, op.SelectionSet, vars)
	}
	k, ok := c.memo.key(op, vars)
	if ok {
		if n, ok := c.memo.get(k); ok {
			return n
		}
	}
	n := c.estimate(ctx, op.SelectionSet, vars)
	if ok {
		c.memo.put(k, n)
	}
	return n
}

// estimate is the cost of a selection set: the sum of its fields' costs, fragments expanded.
func (c complexityLimit) estimate(ctx context.Context, set ast.SelectionSet, vars map[string]any) int {
	total := 0
	for _, sel := range set {
		switch s := sel.(type) {
		case *ast.Field:
			t := c.schema.Types[s.Definition.Type.Name()]
			if t.Name == "__Schema" {
				continue
			}
			child := 0
			switch t.Kind {
			case ast.Object, ast.Interface, ast.Union:
				child = c.estimate(ctx, s.SelectionSet, vars)
			}
			if !c.asks(s.ObjectDefinition.Name, s.Name) {
				total = addCost(total, addCost(1, child))
				continue
			}
			var args map[string]any
			if len(s.Definition.Arguments) > 0 {
				args = s.ArgumentMap(vars)
			}
			if s.ObjectDefinition.Kind == ast.Interface {
				total = addCost(total, c.interfaceFieldCost(ctx, s.ObjectDefinition, s.Name, child, args))
			} else {
				total = addCost(total, c.fieldCost(ctx, s.ObjectDefinition.Name, s.Name, child, args))
			}
		case *ast.FragmentSpread:
			total = addCost(total, c.estimate(ctx, s.Definition.SelectionSet, vars))
		case *ast.InlineFragment:
			total = addCost(total, c.estimate(ctx, s.SelectionSet, vars))
		}
	}
	return total
}

// interfaceFieldCost is the cost of a field of an interface: the dearest of its
// implementations, since the estimate cannot know which one the field will resolve to.
func (c complexityLimit) interfaceFieldCost(ctx context.Context, def *ast.Definition, field string, child int, args map[string]any) int {
	dearest, shared := 0, -1
	for _, t := range c.schema.GetPossibleTypes(def) {
		var n int
		switch {
		case !c.shared[costKey{t.Name, field}]:
			n = c.fieldCost(ctx, t.Name, field, child, args)
		case shared < 0:
			shared = c.fieldCost(ctx, t.Name, field, child, args)
			n = shared
		default:
			n = shared
		}
		dearest = max(dearest, n)
	}
	return dearest
}

// fieldCost is a field's cost: its cost function's when it has one that answers at least 1,
// otherwise 1 plus its children's.
func (c complexityLimit) fieldCost(ctx context.Context, typeName, field string, child int, args map[string]any) int {
	if n, ok := c.es.Complexity(ctx, typeName, field, child, args); ok && n >= 1 {
		return n
	}
	return addCost(1, child)
}

// addCost adds two costs, saturating instead of overflowing (a document cannot wrap the
// estimate round to a small number) and ignoring a negative one, as gqlgen's estimate does.
func addCost(a, b int) int {
	switch {
	case a < 0 && b < 0:
		return 1
	case a < 0:
		return b
	case b < 0:
		return a
	case a > math.MaxInt-b:
		return math.MaxInt
	}
	return a + b
}
