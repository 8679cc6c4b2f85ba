package graph

import (
	"context"
	"slices"

	"github.com/99designs/gqlgen/graphql"
	"github.com/vektah/gqlparser/v2/ast"

	"github.com/autograph-kg/autograph/graph/gqlmodel"
	"github.com/autograph-kg/autograph/graph/loader"
	"github.com/autograph-kg/autograph/graph/model"
)

// visible is what a page of a connection shows when the client asked for first = n. For
// first: 0 the store was asked for one row, so that hasNextPage can still tell whether any
// row follows; none is shown.
func visible[T any](items []T, hasNext bool, n int) ([]T, bool) {
	if n == 0 {
		return nil, len(items) > 0
	}
	return items, hasNext
}

// pageInfo builds Relay page information from a page's first and last cursors.
func pageInfo(cursors []string, hasNext bool, after string) *gqlmodel.PageInfo {
	pi := &gqlmodel.PageInfo{HasNextPage: hasNext, HasPreviousPage: after != ""}
	if len(cursors) > 0 {
		pi.StartCursor = &cursors[0]
		pi.EndCursor = &cursors[len(cursors)-1]
	}
	return pi
}

// entityPage runs an entity listing for one kind and hands each node with its cursor to edge.
// first == 0 asks only for totalCount; without orderBy the listing has the rules' default
// order (NAME ascending). A connection asked only for totalCount or its aggregate
// (entityConnectionWants) is counted, not read; the aggregate returned is never nil.
func entityPage[N model.Entity](ctx context.Context, s model.Reader, kind model.EntityKind, filter model.EntityFilter, orderBy *model.Order, first *int, after *string, edge func(cursor string, n N)) (*gqlmodel.PageInfo, int, *model.EntityAggregate, error) {
	n, err := firstArg(first)
	if err != nil {
		return nil, 0, nil, err
	}
	rows, agg := entityConnectionWants(ctx)
	q := model.EntityQuery{Kind: kind, Filter: filter, Order: orderOr(orderBy, model.Order{}), First: max(n, 1), After: str(after), Aggregate: agg, CountOnly: !rows}
	page, err := s.Entities(ctx, q)
	if err != nil {
		return nil, 0, nil, err
	}
	items, hasNext := visible(page.Items, page.HasNextPage, n)
	loader.For(ctx).AnnounceEntities(items)
	cursors := make([]string, 0, len(items))
	cursor := q.Cursors()
	for _, e := range items {
		if v, ok := e.(N); ok {
			c := cursor(e)
			cursors = append(cursors, c)
			edge(c, v)
		}
	}
	a := page.Aggregate
	if a == nil {
		a = &model.EntityAggregate{Count: page.TotalCount}
	}
	return pageInfo(cursors, hasNext, str(after)), page.TotalCount, a, nil
}

// relationConnection shapes a relation page as a Relay connection; cursor is the cursor of a
// relation in the listing the page comes from. Only the cursors the connection's selection
// (ctx's field) may show are made (cursorsWanted): a page of the explorer shows its end cursor
// and none of its edges', and encoding twenty cursors was a tenth of its allocations.
func relationConnection(ctx context.Context, page *model.RelationPage, n int, after *string, cursor func(*model.Relation) string) *gqlmodel.RelationConnection {
	items, hasNext := visible(page.Items, page.HasNextPage, n)
	want := cursorsWanted(ctx)
	conn := &gqlmodel.RelationConnection{Edges: make([]*gqlmodel.RelationEdge, 0, len(items)), TotalCount: page.TotalCount}
	var cursors []string
	if want.edges {
		cursors = make([]string, 0, len(items))
	}
	// The edges in one block: a page of twenty was twenty allocations.
	block := make([]gqlmodel.RelationEdge, len(items))
	for i, r := range items {
		e := &block[i]
		e.Node = r
		if want.edges {
			e.Cursor = cursor(r)
			cursors = append(cursors, e.Cursor)
		}
		conn.Edges = append(conn.Edges, e)
	}
	if !want.edges && len(items) > 0 {
		// pageInfo's ends, the only ones shown; an end not shown has the empty cursor.
		first, last := "", ""
		if want.start {
			first = cursor(items[0])
		}
		if want.end {
			last = cursor(items[len(items)-1])
		}
		cursors = []string{first, last}
	}
	conn.PageInfo = pageInfo(cursors, hasNext, str(after))
	return conn
}

// wantedCursors says which cursors of a connection its selection may show: the edges', the
// page's start cursor, its end cursor.
type wantedCursors struct{ edges, start, end bool }

// cursorsWanted is the cursors the selection of ctx's field (a connection) may show; all of
// them outside a field. It reads the selection as written, fragments included and directives
// not: a cursor that @skip or @include may leave out is made.
func cursorsWanted(ctx context.Context) wantedCursors {
	fc := graphql.GetFieldContext(ctx)
	if fc == nil || fc.Field.Field == nil {
		return wantedCursors{true, true, true}
	}
	sel := fc.Field.Selections
	return wantedCursors{
		edges: selectsWithin(sel, "edges", "cursor"),
		start: selectsWithin(sel, "pageInfo", "startCursor"),
		end:   selectsWithin(sel, "pageInfo", "endCursor"),
	}
}

// selectsWithin says whether sel may select field inner under a field named outer, as
// selects reads selections.
func selectsWithin(sel ast.SelectionSet, outer, inner string) bool {
	return anyField(sel, func(f *ast.Field) bool { return f.Name == outer && selects(f.SelectionSet, inner) })
}

// selects says whether sel may select the field name: a field of that name at its level,
// directly or through fragments, whatever its directives say (a field that @skip or @include
// may leave out counts as selected). It errs towards yes, for work a field's absence spares.
func selects(sel ast.SelectionSet, name string) bool {
	return anyField(sel, func(f *ast.Field) bool { return f.Name == name })
}

// anyField says whether match holds for a field at sel's level, directly or through
// fragments; a fragment spread whose definition is unknown counts as a match.
func anyField(sel ast.SelectionSet, match func(*ast.Field) bool) bool {
	for _, s := range sel {
		switch s := s.(type) {
		case *ast.Field:
			if match(s) {
				return true
			}
		case *ast.InlineFragment:
			if anyField(s.SelectionSet, match) {
				return true
			}
		case *ast.FragmentSpread:
			if s.Definition == nil || anyField(s.Definition.SelectionSet, match) {
				return true
			}
		}
	}
	return false
}

// entityRelations resolves Entity.relations for any kind, through the batching loader: the
// arguments and where are ANDed (model.RelationFilter), and what the client selected decides
// whether rows are read and what is aggregated (connectionWants).
func entityRelations(ctx context.Context, id string, types []model.RelationType, direction *model.Direction, status []model.RelationStatus, asOf *model.Date, where *model.RelationWhere, orderBy *model.Order, first *int, after *string) (*gqlmodel.RelationConnection, error) {
	n, err := firstArg(first)
	if err != nil {
		return nil, err
	}
	dir := model.DirectionBoth
	if direction != nil {
		dir = *direction
	}
	rows, agg := connectionWants(ctx)
	q := model.RelationsOfQuery{
		Direction: dir,
		Filter:    model.RelationFilter{Types: types, Status: status, AsOf: asOf, Where: where},
		Order:     orderOr(orderBy, model.Order{}),
		First:     max(n, 1),
		After:     str(after),
		Aggregate: agg,
		CountOnly: !rows,
	}
	page, err := loader.For(ctx).RelationsOf(ctx, id, q)
	if err != nil {
		return nil, err
	}
	return withAggregate(relationConnection(ctx, page, n, after, q.Cursors()), page), nil
}

// entitySources resolves the sources an entity cites.
func entitySources(ctx context.Context, e model.Entity) ([]*model.Source, error) {
	return loader.For(ctx).Sources(ctx, e.Common().SourceIDs)
}

// typedRelations lists one entity's relations of the given types and direction (unpaginated,
// up to MaxListSize), for the typed relation fields such as Organization.assembles.
func typedRelations(ctx context.Context, id string, dir model.Direction, f model.RelationFilter) ([]*model.Relation, error) {
	q := model.RelationsOfQuery{Direction: dir, Filter: f, First: model.MaxListSize}
	l := loader.For(ctx)
	load := l.RelationsOf
	if otherEndSelected(ctx, dir) {
		// The entities at the other ends are shown too: they come with the relations, and the
		// endpoints are then found in the request's cache.
		load = l.RelationsOfWithEnds
	}
	page, err := load(ctx, id, q)
	if err != nil {
		return nil, err
	}
	return page.Items, nil
}

// related lists the distinct entities of type N at the other end of an entity's relations of
// the given types, in relation-id order, preferring ACTIVE relations first.
func related[N model.Entity](ctx context.Context, id string, dir model.Direction, asOf *model.Date, types ...model.RelationType) ([]N, error) {
	// The entities at the other ends are what this field shows: they come with the relations.
	// Of the relations it reads only their status and ends, and of those entities what its
	// selection reads: a nested read may have brought no more (see readAhead).
	ld := loader.For(ctx)
	page, err := ld.RelatedPage(ctx, id, model.RelationsOfQuery{Direction: dir, Filter: model.RelationFilter{Types: types, AsOf: asOf}, First: model.MaxListSize})
	if err != nil {
		return nil, err
	}
	ids := relatedIDs(id, page.Items)
	ents, err := ld.EntitiesReading(ctx, ids, func() model.EntityFields { return listedReads(ctx) })
	if err != nil {
		return nil, err
	}
	out := make([]N, 0, len(ents))
	for _, e := range ents {
		if v, ok := e.(N); ok {
			out = append(out, v)
		}
	}
	return out, nil
}

// relatedIDs is the entities at the other ends of id's relations rels, each once, those of
// the active relations first: the order of a typed relation list.
func relatedIDs(id string, rels []*model.Relation) []string {
	ids := make([]string, 0, len(rels))
	// A short list is searched for an id already listed rather than kept in a set.
	const short = 32
	var seen map[string]bool
	if len(rels) > short {
		seen = make(map[string]bool, len(rels))
	}
	for pass := 0; pass < 2; pass++ {
		for _, r := range rels {
			if (r.Status == model.StatusActive) != (pass == 0) {
				continue
			}
			o := r.Other(id)
			if seen != nil {
				if seen[o] {
					continue
				}
				seen[o] = true
			} else if slices.Contains(ids, o) {
				continue
			}
			ids = append(ids, o)
		}
	}
	return ids
}

// listedReads is what the selection of the typed relation list being resolved reads of the
// entities it lists (listReads), every field when the field is not a typed relation list.
func listedReads(ctx context.Context) model.EntityFields {
	fc := graphql.GetFieldContext(ctx)
	if fc == nil || fc.Field.Field == nil || !graphql.HasOperationContext(ctx) {
		return model.AllEntityFields
	}
	tl, ok := typedListOf(fc.Object, fc.Field.Name)
	if !ok {
		return model.AllEntityFields
	}
	if f := listReads(graphql.GetOperationContext(ctx), fc.Field.Selections, tl.object); f != 0 {
		return f
	}
	return model.AllEntityFields
}

// relatedOne is related's first result, or nil.
func relatedOne[N model.Entity](ctx context.Context, id string, dir model.Direction, asOf *model.Date, types ...model.RelationType) (N, error) {
	var zero N
	all, err := related[N](ctx, id, dir, asOf, types...)
	if err != nil || len(all) == 0 {
		return zero, err
	}
	return all[0], nil
}

// entityAs loads an entity by id and returns it if it is of type N; nil (no error) for an
// unknown id or another kind, as nullable lookups want.
func entityAs[N model.Entity](ctx context.Context, id string) (N, error) {
	var zero N
	if id == "" {
		return zero, nil
	}
	e, err := loader.For(ctx).Entity(ctx, id)
	if model.IsNotFound(err) {
		return zero, nil
	}
	if err != nil {
		return zero, err
	}
	v, _ := e.(N)
	return v, nil
}

// containsID reports whether list holds an entity with the given id.
func containsID[N model.Entity](list []N, id string) bool {
	for _, e := range list {
		if e.GetID() == id {
			return true
		}
	}
	return false
}

// otherEndSelected says whether the list of relations being resolved shows the entity at the
// other end of its relations from the entity whose field it is: to for relations out of it,
// from for relations into it, either for both directions.
func otherEndSelected(ctx context.Context, dir model.Direction) bool {
	fc := graphql.GetFieldContext(ctx)
	if fc == nil || !graphql.HasOperationContext(ctx) {
		return false
	}
	oc := graphql.GetOperationContext(ctx)
	for _, f := range graphql.CollectFields(oc, fc.Field.Selections, []string{"Relation"}) {
		switch {
		case f.Name == "to" && dir != model.DirectionIn, f.Name == "from" && dir != model.DirectionOut:
			return true
		}
	}
	return false
}
