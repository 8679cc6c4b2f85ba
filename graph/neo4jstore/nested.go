package neo4jstore

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"

	"github.com/autograph-kg/autograph/graph/model"
)

// Nested reads (model.NestedReader): the entities a selection starts from and every level of
// the typed relation lists it follows, in one statement. Each level is a correlated subquery
// of the level above, run for each entity at the other end of the level above's relations,
// and its page comes back inside the relation that reached that entity, so one row per root
// carries the whole tree. A level is the statement of RelationsOfWithEnds for a first page
// (cypherRelationsOfFirstPage): the page first, counted only when it is full.

// cypherNested is the statement of a nested read: %[1]s the subqueries of the root trees (on
// e), %[2]s the list of their {total, page} maps.
const cypherNested = `
UNWIND $ids AS id
MATCH (e:Entity {id: id})%[1]s
RETURN id, e ` + entityFields + ` AS entity, [%[2]s] AS trees`

// cypherNestedLevel is one level: %[1]s the entity it starts from, %[2]s the pattern from it
// (r the relation, %[3]s the other end), %[4]s and %[5]s the filter's WHERE and the ORDER BY
// list, %[6]s the level's name (its parameters and columns are prefixed with it), %[7]s the
// subqueries of the next levels (on the other end), %[8]s the list of their {total, page}
// maps, %[9]s the indentation of the level, %[10]s the relation's projection (r) and %[11]s
// the other end's (see nestedBuilder.projections).
const cypherNestedLevel = `
%[9]sCALL (%[1]s) {
%[9]s  MATCH %[2]s%[4]s
%[9]s  WITH DISTINCT r, %[3]s
%[9]s  ORDER BY %[5]s
%[9]s  LIMIT $%[6]s_limit
%[9]s  WITH %[3]s, {rel: %[10]s, fromId: startNode(r).id, toId: endNode(r).id, end: %[3]s %[11]s} AS %[6]s_item%[7]s
%[9]s  RETURN collect(%[6]s_item%[8]s) AS %[6]s_page
%[9]s}
%[9]sCALL (%[1]s, %[6]s_page) {
%[9]s  WITH %[6]s_page
%[9]s  WHERE size(%[6]s_page) < $%[6]s_limit
%[9]s  RETURN size(%[6]s_page) AS %[6]s_total
%[9]s  UNION ALL
%[9]s  WITH %[1]s, %[6]s_page
%[9]s  WHERE size(%[6]s_page) >= $%[6]s_limit
%[9]s  MATCH %[2]s%[4]s
%[9]s  WITH %[1]s, count(DISTINCT r) AS %[6]s_total
%[9]s  RETURN %[6]s_total
%[9]s}`

// nestedOnePass says whether the nested statement answers a normalised query: a first page of
// rows (no cursor, no count-only page, no aggregate) with the flat filter, ordered by id, as
// the typed relation lists ask. Other trees are composed of the store's other methods.
func nestedOnePass(q model.RelationsOfQuery) bool {
	return q.After == "" && !q.CountOnly && q.Aggregate == nil && q.Filter.Where == nil &&
		(q.Order.Field == model.SortByID || q.Order.Field == "")
}

// renameParams prefixes the parameters of cond that are among params with prefix.
func renameParams(cond, prefix string, params map[string]any) string {
	var b strings.Builder
	for {
		i := strings.IndexByte(cond, '$')
		if i < 0 {
			b.WriteString(cond)
			return b.String()
		}
		j := i + 1
		for j < len(cond) && (cond[j] == '_' || 'a' <= cond[j] && cond[j] <= 'z' || 'A' <= cond[j] && cond[j] <= 'Z' || '0' <= cond[j] && cond[j] <= '9') {
			j++
		}
		b.WriteString(cond[:i+1])
		if _, ok := params[cond[i+1:j]]; ok {
			b.WriteString(prefix)
		}
		b.WriteString(cond[i+1 : j])
		cond = cond[j:]
	}
}

// nestedBuilder builds a nested statement: its parameters, the count of levels so far, which
// names each level, and the fields read of the other ends of the levels whose tree reads
// only some (the union of their Ends: an entity two such levels reach is read alike).
type nestedBuilder struct {
	params  map[string]any
	levels  int
	partial model.EntityFields
}

// slimRelationFields is the projection of a relationship r that a tree with Ends reads: what
// model.TreePages.Slim promises.
const slimRelationFields = `r {.id, .status, type: type(r)}`

// partialEntityFields is the map projection of the given fields of an entity, with its id and
// kind, and its type, which entityFromValue needs for an organization or a place.
func partialEntityFields(f model.EntityFields) string {
	b := strings.Builder{}
	b.WriteString("{.id, .kind, .type")
	for _, p := range []struct {
		f     model.EntityFields
		props string
	}{
		{model.FieldName, ".name"},
		{model.FieldAliases, ".aliases"},
		{model.FieldDescription, ".description"},
		{model.FieldSources, ".sourceIds"},
		{model.FieldCreatedAt, ".createdAt"},
		{model.FieldUpdatedAt, ".updatedAt"},
		{model.FieldOwn, ".ownership, .founded, .countryId, .segment, .powertrain, .opened, .countryCode, .signedOn, .announcedOn, .provisionsJson"},
	} {
		if f.Has(p.f) {
			b.WriteString(", ")
			b.WriteString(p.props)
		}
	}
	b.WriteString("}")
	return b.String()
}

// partialOf is the union of the Ends of the trees that have them, at every level.
func partialOf(trees []model.RelationsTree) model.EntityFields {
	var f model.EntityFields
	for _, t := range trees {
		f |= t.Ends | partialOf(t.Next)
	}
	return f
}

// projections are a level's projections of its relation and its other end: those of
// relationFields and entityFields, or, for a tree with Ends, the slim relation and the
// builder's partial fields (every field when they are all).
func (b *nestedBuilder) projections(t model.RelationsTree) (rel, end string) {
	if t.Ends == 0 {
		return relationFields, entityFields
	}
	if b.partial == model.AllEntityFields {
		return slimRelationFields, entityFields
	}
	return slimRelationFields, partialEntityFields(b.partial)
}

// trees renders the subqueries of trees (normalised) from the entity variable from at depth
// depth, and the list of their {total, page} maps.
func (b *nestedBuilder) trees(trees []model.RelationsTree, from string, depth int) (string, string, error) {
	var blocks, cols []string
	for _, t := range trees {
		block, col, err := b.level(t, from, depth)
		if err != nil {
			return "", "", err
		}
		blocks = append(blocks, block)
		cols = append(cols, col)
	}
	return strings.Join(blocks, ""), strings.Join(cols, ", "), nil
}

// level renders one tree's level and, inside it, its next levels.
func (b *nestedBuilder) level(t model.RelationsTree, from string, depth int) (string, string, error) {
	q := t.Query
	var pattern string
	switch q.Direction {
	case model.DirectionOut:
		pattern = "(%s)-[r%s]->(%s:Entity)"
	case model.DirectionIn:
		pattern = "(%s)<-[r%s]-(%s:Entity)"
	case model.DirectionBoth:
		pattern = "(%s)-[r%s]-(%s:Entity)"
	default:
		return "", "", fmt.Errorf("no pattern for the direction %q: the query was not normalised", q.Direction)
	}
	rf, err := compileRelFilter(q.Filter, false)
	if err != nil {
		return "", "", err
	}
	ks, err := relationKeyset(q.Order, "r")
	if err != nil {
		return "", "", err
	}
	name := fmt.Sprintf("l%d", b.levels)
	b.levels++
	// The filter's parameters are the level's own: two levels may filter on different dates.
	conds := make([]string, len(rf.conds))
	for i, c := range rf.conds {
		conds[i] = renameParams(c, name+"_", rf.params)
	}
	for k, v := range rf.params {
		b.params[name+"_"+k] = v
	}
	b.params[name+"_limit"] = int64(q.First + 1)
	end := fmt.Sprintf("o%d", depth)
	next, nextCols, err := b.trees(t.Next, end, depth+1)
	if err != nil {
		return "", "", err
	}
	indent := strings.Repeat("  ", depth)
	if nextCols != "" {
		nextCols = " {.*, next: [" + nextCols + "]}"
	}
	rel, endFields := b.projections(t)
	block := fmt.Sprintf(cypherNestedLevel, from, fmt.Sprintf(pattern, from, rf.types, end), end, where(conds), ks.order, name, next, nextCols, indent, rel, endFields)
	// where() indents for the top level; a nested level indents its conditions further.
	block = strings.ReplaceAll(block, "\n  WHERE ", "\n"+indent+"  WHERE ")
	block = strings.ReplaceAll(block, "\n    AND ", "\n"+indent+"    AND ")
	return block, fmt.Sprintf("{total: %[1]s_total, page: %[1]s_page}", name), nil
}

// nestedQuery builds the statement and parameters of a nested read for distinct ids and
// normalised trees that nestedOnePass accepts.
func nestedQuery(ids []string, trees []model.RelationsTree) (string, map[string]any, error) {
	b := &nestedBuilder{params: map[string]any{"ids": ids}, partial: partialOf(trees)}
	blocks, cols, err := b.trees(trees, "e", 0)
	if err != nil {
		return "", nil, err
	}
	return fmt.Sprintf(cypherNested, blocks, cols), b.params, nil
}

var _ model.NestedReader = (*Store)(nil)

// ReadNested reads the entities with the given ids and the levels of trees below them
// (model.NestedReader) with one statement, when every level asks for a first page ordered by
// id with the flat filter (nestedOnePass), as the typed relation lists do; other trees are
// model.ComposeNested.
func (s *Store) ReadNested(ctx context.Context, ids []string, trees []model.RelationsTree) (*model.Nested, error) {
	const op = "nested read"
	if err := model.CheckNested(trees); err != nil {
		return nil, fmt.Errorf("neo4j: %s: %w", op, err)
	}
	norm, ok := normaliseTrees(trees)
	if !ok {
		return model.ComposeNested(ctx, s, ids, trees)
	}
	ids = distinct(ids)
	out := &model.Nested{Entities: map[string]model.Entity{}, Trees: emptyTrees(norm)}
	if f := partialOf(norm); f != 0 && f != model.AllEntityFields {
		out.Partial, out.PartialFields = map[string]model.Entity{}, f
	}
	if len(ids) > 0 {
		cypher, params, err := nestedQuery(ids, norm)
		if err != nil {
			return nil, fmt.Errorf("neo4j: %s: %w", op, err)
		}
		recs, err := s.read(ctx, op, cypher, params)
		if err != nil {
			return nil, err
		}
		for _, rec := range recs {
			if err := nestedRecord(rec, norm, out); err != nil {
				return nil, fmt.Errorf("neo4j: %s: %w", op, err)
			}
		}
	}
	// An entity read whole at one level and in part at another is whole.
	for id := range out.Entities {
		delete(out.Partial, id)
	}
	// Every id asked has a page at the roots, empty when the entity is unknown.
	for i := range out.Trees {
		for _, id := range ids {
			if out.Trees[i].Pages[id] == nil {
				out.Trees[i].Pages[id] = &model.RelationPage{}
			}
		}
	}
	return out, nil
}

// normaliseTrees normalises every query of trees (CheckNested has accepted them); false when a
// level is not for the one statement (nestedOnePass).
func normaliseTrees(trees []model.RelationsTree) ([]model.RelationsTree, bool) {
	out := make([]model.RelationsTree, len(trees))
	for i, t := range trees {
		q, err := t.Query.Normalize()
		if err != nil || !nestedOnePass(q) {
			return nil, false
		}
		next, ok := normaliseTrees(t.Next)
		if !ok {
			return nil, false
		}
		out[i] = model.RelationsTree{Query: q, Next: next, Ends: t.Ends}
	}
	return out, true
}

// emptyTrees is the answer of trees before any page is read.
func emptyTrees(trees []model.RelationsTree) []model.TreePages {
	out := make([]model.TreePages, len(trees))
	for i, t := range trees {
		out[i] = model.TreePages{Pages: map[string]*model.RelationPage{}, Next: emptyTrees(t.Next)}
	}
	return out
}

// nestedRecord adds one root's row to out: the root entity and its trees.
func nestedRecord(rec *neo4j.Record, trees []model.RelationsTree, out *model.Nested) error {
	id, err := recordValue[string](rec, "id")
	if err != nil {
		return err
	}
	v, _ := rec.Get("entity")
	e, err := entityFromValue(v)
	if err != nil {
		return err
	}
	out.Entities[e.GetID()] = e
	cols, err := listOf[any](rec, "trees")
	if err != nil {
		return err
	}
	return nestedLevels(id, cols, trees, out.Trees, out)
}

// nestedLevels decodes the {total, page} maps of trees for the entity owner into answers,
// adding the other ends to out's Entities, or its Partial for a level read with the partial
// projection; an entity reached twice keeps the page decoded first (the same page).
func nestedLevels(owner string, cols []any, trees []model.RelationsTree, answers []model.TreePages, out *model.Nested) error {
	if len(cols) != len(trees) {
		return fmt.Errorf("%d levels below %q, want %d", len(cols), owner, len(trees))
	}
	for i, t := range trees {
		if answers[i].Pages[owner] != nil {
			continue
		}
		m, ok := cols[i].(map[string]any)
		if !ok {
			return fmt.Errorf("level below %q: expected a map, found %T", owner, cols[i])
		}
		total, ok := m["total"].(int64)
		if !ok {
			return fmt.Errorf("level below %q: expected a total, found %T", owner, m["total"])
		}
		list, ok := m["page"].([]any)
		if !ok {
			return fmt.Errorf("level below %q: expected a page, found %T", owner, m["page"])
		}
		q := t.Query
		shown := list[:min(len(list), q.First)]
		ents := out.Entities
		if t.Ends != 0 {
			answers[i].Slim = true
			if out.Partial != nil {
				ents = out.Partial
			}
		}
		if err := endsFromList(shown, ents); err != nil {
			return err
		}
		page, err := relationPage(int(total), list, q.First)
		if err != nil {
			return err
		}
		// The page was taken in order; collecting it after the next levels' subqueries is
		// not promised to keep that order, so it is restored here.
		slices.SortStableFunc(page.Items, func(a, b *model.Relation) int {
			if q.Order.Desc {
				return strings.Compare(b.ID, a.ID)
			}
			return strings.Compare(a.ID, b.ID)
		})
		answers[i].Pages[owner] = page
		if len(t.Next) == 0 {
			continue
		}
		for _, v := range shown {
			item, _ := v.(map[string]any) // endsFromList checked the shape
			end, _ := item["end"].(map[string]any)
			endID, _ := end["id"].(string)
			next, ok := item["next"].([]any)
			if !ok {
				return fmt.Errorf("relation below %q: expected its next levels, found %T", owner, item["next"])
			}
			if err := nestedLevels(endID, next, t.Next, answers[i].Next, out); err != nil {
				return err
			}
		}
	}
	return nil
}
