package graph

import (
	"context"
	"slices"
	"sync"

	"github.com/99designs/gqlgen/graphql"
	"github.com/vektah/gqlparser/v2/ast"

	"github.com/autograph-kg/autograph/graph/loader"
	"github.com/autograph-kg/autograph/graph/model"
)

// Reading ahead: a root field that looks an entity up by id (organization(id), brand(id), ...)
// looks at its selection before it resolves, and when the selection follows typed relation
// lists (Organization.brands, and Brand.models below them), reads the entity and every level
// of those lists with one store call (model.NestedReader) that fills the request's loaders.
// The resolvers of the lists then find their pages and entities cached, and ask the store
// nothing. Only the reading is shared: each field still resolves as without it, so a
// selection the read does not foresee (another field, an argument it cannot read) is answered
// by its own resolver as before, and the answer is the same either way.

// listPart is one relation query of a typed relation list: what related asks for.
type listPart struct {
	dir   model.Direction
	types []model.RelationType
}

// typedList is a field that lists the entities at the other end of typed relations (related
// and relatedOne): its relation queries, whether it takes asOf, and the object type of the
// entities it lists ("" for an interface, whose selection is not read ahead).
type typedList struct {
	parts  []listPart
	asOf   bool
	object string
}

// The typed relation lists, made once: typedListOf hands them out, and nothing changes them
// (a typed list's parts were two allocations each time a writer or a lookahead asked).
var (
	listOrganizationParent        = typedList{parts: []listPart{{model.DirectionOut, []model.RelationType{model.RelSubsidiaryOf}}}, asOf: true, object: "Organization"}
	listOrganizationSubsidiaries  = typedList{parts: []listPart{{model.DirectionIn, []model.RelationType{model.RelSubsidiaryOf}}}, asOf: true, object: "Organization"}
	listOrganizationJointVentures = typedList{parts: []listPart{{model.DirectionIn, []model.RelationType{model.RelJointVentureOf}}}, asOf: true, object: "Organization"}
	listOrganizationBrands        = typedList{parts: []listPart{{model.DirectionOut, []model.RelationType{model.RelOwnsBrand}}}, asOf: true, object: "Brand"}
	listOrganizationPlants        = typedList{parts: []listPart{{model.DirectionOut, []model.RelationType{model.RelOperates}}}, asOf: true, object: "Plant"}
	listOrganizationAgreements    = typedList{parts: []listPart{{model.DirectionOut, []model.RelationType{model.RelPartyTo}}}, asOf: false, object: "Agreement"}
	listBrandOwner                = typedList{parts: []listPart{{model.DirectionIn, []model.RelationType{model.RelOwnsBrand}}}, asOf: true, object: "Organization"}
	listBrandModels               = typedList{parts: []listPart{{model.DirectionOut, []model.RelationType{model.RelHasModel}}}, asOf: false, object: "VehicleModel"}
	listVehicleModelBrand         = typedList{parts: []listPart{{model.DirectionIn, []model.RelationType{model.RelHasModel}}}, asOf: false, object: "Brand"}
	listPlantOperator             = typedList{parts: []listPart{{model.DirectionIn, []model.RelationType{model.RelOperates}}}, asOf: true, object: "Organization"}
	listPlantLocation             = typedList{parts: []listPart{{model.DirectionOut, []model.RelationType{model.RelLocatedIn}}}, asOf: false, object: "Place"}
	listPlaceParent               = typedList{parts: []listPart{{model.DirectionOut, []model.RelationType{model.RelLocatedIn}}}, asOf: false, object: "Place"}
	listPlaceContains             = typedList{parts: []listPart{{model.DirectionIn, []model.RelationType{model.RelLocatedIn}}}, asOf: false, object: ""}
	listAgreementParties          = typedList{parts: []listPart{{model.DirectionIn, []model.RelationType{model.RelPartyTo}}}, asOf: false, object: "Organization"}
	listOrganizationPartners      = typedList{parts: []listPart{
		{model.DirectionOut, []model.RelationType{model.RelJointVentureOf}},
		{model.DirectionBoth, []model.RelationType{model.RelPartnersWith}},
	}, asOf: true, object: "Organization"}
)

// typedListOf is the typed relation list field of an object type, as its resolver reads it;
// TestTypedListsAskWhatTheirResolversAsk holds the two together.
func typedListOf(object, field string) (typedList, bool) {
	switch object + "." + field {
	case "Organization.parent":
		return listOrganizationParent, true
	case "Organization.subsidiaries":
		return listOrganizationSubsidiaries, true
	case "Organization.jointVentures":
		return listOrganizationJointVentures, true
	case "Organization.partners":
		return listOrganizationPartners, true
	case "Organization.brands":
		return listOrganizationBrands, true
	case "Organization.plants":
		return listOrganizationPlants, true
	case "Organization.agreements":
		return listOrganizationAgreements, true
	case "Brand.owner":
		return listBrandOwner, true
	case "Brand.models":
		return listBrandModels, true
	case "VehicleModel.brand":
		return listVehicleModelBrand, true
	case "Plant.operator":
		return listPlantOperator, true
	case "Plant.location":
		return listPlantLocation, true
	case "Place.parent":
		return listPlaceParent, true
	case "Place.contains":
		return listPlaceContains, true
	case "Agreement.parties":
		return listAgreementParties, true
	}
	return typedList{}, false
}

// relationListOf is the direction of the ASSEMBLES relations that a field listing them
// (typedRelations with status and asOf) follows from its object type.
func relationListOf(object, field string) (model.Direction, bool) {
	switch object + "." + field {
	case "Organization.assembles", "Plant.assembles":
		return model.DirectionOut, true
	case "Brand.assemblers", "VehicleModel.assemblers":
		return model.DirectionIn, true
	}
	return "", false
}

// relationListQuery is the query the resolver of a relation list field asks (see
// relationListOf), from its status and asOf arguments; false when an argument does not read,
// which the field's own resolution reports.
func relationListQuery(oc *graphql.OperationContext, f graphql.CollectedField, dir model.Direction) (model.RelationsOfQuery, bool) {
	args := f.ArgumentMap(oc.Variables)
	asOf, ok := dateArgument(args)
	if !ok {
		return model.RelationsOfQuery{}, false
	}
	var status []model.RelationStatus
	if v, ok := args["status"].([]any); ok {
		for _, x := range v {
			var st model.RelationStatus
			if err := st.UnmarshalGQL(x); err != nil {
				return model.RelationsOfQuery{}, false
			}
			status = append(status, st)
		}
	}
	return assemblyQuery(dir, status, asOf), true
}

// dateArgument is the asOf argument among a field's arguments, nil when it is not given or
// null; false when it does not read as a date, which the field's own resolution reports.
func dateArgument(args map[string]any) (*model.Date, bool) {
	v := args["asOf"]
	if v == nil {
		return nil, true
	}
	d := new(model.Date)
	if err := d.UnmarshalGQL(v); err != nil {
		return nil, false
	}
	return d, true
}

// assemblyQuery is the query of a relation list field (relationListOf) with its arguments,
// as its resolver asks it (TestRelationListsAskWhatTheirResolversAsk).
func assemblyQuery(dir model.Direction, status []model.RelationStatus, asOf *model.Date) model.RelationsOfQuery {
	f := model.RelationFilter{Types: []model.RelationType{model.RelAssembles}, Status: status, AsOf: asOf}
	return model.RelationsOfQuery{Direction: dir, Filter: f, First: model.MaxListSize}
}

// relatedQuery is the query related asks for one part of a typed list.
func relatedQuery(p listPart, asOf *model.Date) model.RelationsOfQuery {
	return model.RelationsOfQuery{Direction: p.dir, Filter: model.RelationFilter{Types: p.types, AsOf: asOf}, First: model.MaxListSize}
}

// implementorsOf is what an object type satisfies, for collecting the fields of a selection on
// it (fragments on its interfaces apply too).
func implementorsOf(object string) []string {
	switch object {
	case "Organization":
		return organizationImplementors
	case "Brand":
		return brandImplementors
	case "VehicleModel":
		return vehicleModelImplementors
	case "Plant":
		return plantImplementors
	case "Place":
		return placeImplementors
	case "Agreement":
		return agreementImplementors
	}
	return nil
}

// readAhead reads, for the root field being resolved (a lookup of the entity id of the given
// object type), the entity and the typed relation lists its selection follows, into the
// request's loaders (see above). It does nothing when the selection follows none. When the
// read fails, the resolvers ask as usual and meet the error themselves, except when the store
// is unavailable or the request's time is up: asking again would only wait again, so that
// error is returned, for the lookup to fail with at once.
func (r *Resolver) readAhead(ctx context.Context, id, object string) error {
	fc := graphql.GetFieldContext(ctx)
	if id == "" || fc == nil || !graphql.HasOperationContext(ctx) {
		return nil
	}
	trees := r.Plans.trees(graphql.GetOperationContext(ctx), fc.Field.Selections, object)
	if len(trees) == 0 {
		return nil
	}
	err := loader.For(ctx).ReadNested(ctx, r.reader(ctx), []string{id}, trees)
	if c := model.ErrorCode(err); c == model.CodeUnavailable || c == model.CodeTimeout {
		return err
	}
	return nil
}

// NestedPlans remembers the relation trees that lookups' selections read ahead (lookAhead),
// and what searches' and neighbourhoods' selections read (searchReads, subgraphReads): they
// are a function of the selection's nodes, the object type and the values of the
// operation's variables only, and gqlgen hands the same nodes to every request of a query
// text while its query cache keeps the document, so a lookup asked again does not collect its
// selection's fields and parse their arguments again (3 % of the load mix's CPU; working out a
// search's reads per request would cost a fifth of an embedded search's CPU). The trees it
// hands out are shared: nothing that reads them changes them. It holds on to the nodes it has
// seen, and starts afresh when it holds maxPlans; a nil *NestedPlans keeps nothing.
type NestedPlans struct {
	mu sync.RWMutex
	m  map[planKey][]plan
	n  int
}

// NewNestedPlans is an empty memo of read-ahead trees, for one server's queries.
func NewNestedPlans() *NestedPlans { return &NestedPlans{m: map[planKey][]plan{}} }

// planKey narrows a selection down to the few that start with the same node and have as
// many, on the same object type under the same variable values.
type planKey struct {
	first  ast.Selection
	n      int
	object string
	vars   string
}

// plan is what is remembered of a selection: the trees it reads ahead, or what a search's
// or a neighbourhood's selection reads.
type plan struct {
	sel   ast.SelectionSet
	trees []model.RelationsTree
	reads model.EntityFields
	// noRelations: a neighbourhood's selection reads no relations.
	noRelations bool
}

// maxPlans bounds the selections a NestedPlans holds; maxPlanVars the variables' key (past
// it the trees are made anew each time).
const (
	maxPlans    = 4096
	maxPlanVars = 512
)

// trees is lookAhead(oc, sel, object, 1), remembered.
func (p *NestedPlans) trees(oc *graphql.OperationContext, sel ast.SelectionSet, object string) []model.RelationsTree {
	return p.remember(oc, sel, object, func() plan { return plan{trees: lookAhead(oc, sel, object, 1)} }).trees
}

// searchReads is searchReads(oc, sel), remembered.
func (p *NestedPlans) searchReads(oc *graphql.OperationContext, sel ast.SelectionSet) model.EntityFields {
	return p.remember(oc, sel, "SearchHit", func() plan { return plan{reads: searchReads(oc, sel)} }).reads
}

// subgraphReads is subgraphReads(oc, sel), remembered.
func (p *NestedPlans) subgraphReads(oc *graphql.OperationContext, sel ast.SelectionSet) (model.EntityFields, bool) {
	e := p.remember(oc, sel, "Subgraph", func() plan {
		f, noRels := subgraphReads(oc, sel)
		return plan{reads: f, noRelations: noRels}
	})
	return e.reads, e.noRelations
}

// remember is the plan of sel on the object type (or what it is for), made by mk when not
// kept.
func (p *NestedPlans) remember(oc *graphql.OperationContext, sel ast.SelectionSet, object string, mk func() plan) plan {
	if p == nil || len(sel) == 0 || oc.Operation == nil {
		return mk()
	}
	vars, ok := VariablesKey(oc.Operation, oc.Variables, maxPlanVars)
	if !ok {
		return mk()
	}
	k := planKey{first: sel[0], n: len(sel), object: object, vars: vars}
	p.mu.RLock()
	for _, e := range p.m[k] {
		if slices.Equal(e.sel, sel) {
			p.mu.RUnlock()
			return e
		}
	}
	p.mu.RUnlock()
	e := mk()
	e.sel = slices.Clone(sel)
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.n >= maxPlans {
		p.m, p.n = map[planKey][]plan{}, 0
	}
	p.m[k] = append(p.m[k], e)
	p.n++
	return e
}

// lookAhead is the relation trees of the typed lists that a selection on an object type
// follows, level deep (at most model.MaxNestedLevels).
func lookAhead(oc *graphql.OperationContext, sel ast.SelectionSet, object string, level int) []model.RelationsTree {
	sat := implementorsOf(object)
	if sat == nil || level > model.MaxNestedLevels {
		return nil
	}
	var out []model.RelationsTree
	for _, f := range graphql.CollectFields(oc, sel, sat) {
		if dir, ok := relationListOf(object, f.Name); ok {
			if q, ok := relationListQuery(oc, f, dir); ok {
				out = addTree(out, model.RelationsTree{Query: q})
			}
			continue
		}
		tl, ok := typedListOf(object, f.Name)
		if !ok {
			continue
		}
		var asOf *model.Date
		if tl.asOf {
			if asOf, ok = dateArgument(f.ArgumentMap(oc.Variables)); !ok {
				continue // the field's own resolution reports it
			}
		}
		next := lookAhead(oc, f.Selections, tl.object, level+1)
		ends := listReads(oc, f.Selections, tl.object)
		for _, p := range tl.parts {
			out = addTree(out, model.RelationsTree{Query: relatedQuery(p, asOf), Next: slices.Clone(next), Ends: ends})
		}
	}
	return out
}

// addTree adds t to trees, merged into the tree of the same query when there is one (a list
// selected twice, under two aliases, is read once).
//
// Every tree it adds carries its query's key (model.RelationsTree.Key).
func addTree(trees []model.RelationsTree, t model.RelationsTree) []model.RelationsTree {
	if t.Key == "" {
		t.Key = t.Query.Key()
	}
	for i := range trees {
		if trees[i].Key == t.Key {
			trees[i].Ends = unionReads(trees[i].Ends, t.Ends)
			for _, n := range t.Next {
				trees[i].Next = addTree(trees[i].Next, n)
			}
			return trees
		}
	}
	return append(trees, t)
}

// listReads is what the selection of a typed relation list reads of the entities it lists
// (model.RelationsTree.Ends): zero, for everything, when they are not of one object type or
// the selection reads every field.
func listReads(oc *graphql.OperationContext, sel ast.SelectionSet, object string) model.EntityFields {
	sat := implementorsOf(object)
	if sat == nil {
		return 0
	}
	f := model.FieldID
	for _, c := range graphql.CollectFields(oc, sel, sat) {
		f |= entityFieldReads(object, c.Name)
	}
	if f == model.AllEntityFields {
		return 0
	}
	return f
}

// subgraphReads is what a neighbourhood's selection reads (model.NeighborhoodQuery.Nodes
// and NoRelations): of entities, what every selection on an entity anywhere under it reads
// together (zero for everything, their ids when none reads any); and whether it selects the
// relations at all. It is the
// whole subtree, not only nodes { ... }, because the direct writer takes the subgraph's
// nodes for the relations' ends and the sources' publishers it writes (knownEnds).
func subgraphReads(oc *graphql.OperationContext, sel ast.SelectionSet) (model.EntityFields, bool) {
	noRelations := true
	for _, f := range graphql.CollectFields(oc, sel, subgraphImplementors) {
		if f.Name == "relations" {
			noRelations = false
		}
	}
	switch nodes := entityReadsUnder(oc, sel, "Subgraph", 0); nodes {
	case model.AllEntityFields:
		return 0, noRelations
	case 0: // no entity field is selected: the nodes are only counted and announced
		return model.FieldID, noRelations
	default:
		return nodes, noRelations
	}
}

// searchReads is what a selection on the search hits reads of their entities
// (model.SearchQuery.Fields): zero, for everything, when it reads every field.
func searchReads(oc *graphql.OperationContext, sel ast.SelectionSet) model.EntityFields {
	switch f := entityReadsUnder(oc, sel, "SearchHit", 0); f {
	case model.AllEntityFields:
		return 0
	case 0: // only scores
		return model.FieldID
	default:
		return f
	}
}

// entityReadsUnder is what a selection on a value of the named type reads of the entities
// anywhere under it, itself included when it is an entity type: the union of entityFieldReads
// over every field selected on an entity, through fragments and every type an interface or
// union may hold; AllEntityFields when any reads everything, or the schema does not say.
func entityReadsUnder(oc *graphql.OperationContext, sel ast.SelectionSet, typeName string, depth int) model.EntityFields {
	def := parsedSchema.Types[typeName]
	if def == nil || depth > maxReadsDepth {
		return model.AllEntityFields
	}
	var f model.EntityFields
	for _, obj := range parsedSchema.GetPossibleTypes(def) {
		entity := implementorsOf(obj.Name) != nil
		for _, c := range graphql.CollectFields(oc, sel, satisfiedBy(obj)) {
			if entity {
				f |= model.FieldID | entityFieldReads(obj.Name, c.Name)
			}
			if len(c.Selections) > 0 {
				if c.Definition == nil {
					return model.AllEntityFields
				}
				f |= entityReadsUnder(oc, c.Selections, c.Definition.Type.Name(), depth+1)
			}
			if f == model.AllEntityFields {
				return f
			}
		}
	}
	return f
}

// maxReadsDepth bounds entityReadsUnder's descent; a deeper selection is taken to read
// everything (the complexity limit refuses far shallower ones).
const maxReadsDepth = 32

// satisfiedBy is the object type's name and those of the interfaces and unions it belongs to,
// which is what fragments on it may name.
func satisfiedBy(obj *ast.Definition) []string {
	if sat := implementorsOf(obj.Name); sat != nil {
		return sat
	}
	out := []string{obj.Name}
	for _, d := range parsedSchema.GetImplements(obj) {
		out = append(out, d.Name)
	}
	return out
}

// unionReads is what two selections read together: zero (everything) when either does.
func unionReads(a, b model.EntityFields) model.EntityFields {
	if a == 0 || b == 0 {
		return 0
	}
	return a | b
}

// entityFieldReads is what the field of an entity object type reads of the entity: a scalar
// its own field, a field that follows relations (or loads by the entity's id) only its id
// (model.FieldID, which every read carries), and a field not listed here everything.
// TestEveryEntityFieldSaysWhatItReads holds every field of the schema's entity types to a
// case here, so a new field must say what it reads.
func entityFieldReads(object, field string) model.EntityFields {
	switch field {
	case "id", "kind", "__typename", "relations":
		return model.FieldID
	case "name":
		return model.FieldName
	case "aliases":
		return model.FieldAliases
	case "description":
		return model.FieldDescription
	case "sources":
		return model.FieldSources
	case "createdAt":
		return model.FieldCreatedAt
	case "updatedAt":
		return model.FieldUpdatedAt
	}
	switch object + "." + field {
	case "Organization.type", "Organization.ownership", "Organization.founded", "Organization.country",
		"Brand.segment", "Brand.founded", "Brand.country",
		"VehicleModel.powertrain",
		"Plant.opened",
		"Place.type", "Place.countryCode",
		"Agreement.signedOn", "Agreement.announcedOn", "Agreement.provisions":
		return model.FieldOwn
	case "Organization.parent", "Organization.subsidiaries", "Organization.jointVentures", "Organization.partners",
		"Organization.brands", "Organization.plants", "Organization.agreements", "Organization.assembles",
		"Brand.owner", "Brand.models", "Brand.assemblers",
		"VehicleModel.brand", "VehicleModel.assemblers",
		"Plant.operator", "Plant.location", "Plant.assembles",
		"Place.parent", "Place.contains",
		"Agreement.parties":
		return model.FieldID
	}
	return model.AllEntityFields
}
