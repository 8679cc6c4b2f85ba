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
// (cypherRelationsOfFirstPage): the page first, counted only when it is full. A level whose
// tree has Ends returns its items as lists instead of maps (nestedBuilder.item).

// cypherNested is the statement of a nested read: %[1]s the subqueries of the root trees (on
// e), %[2]s the list of their {total, page} maps.
const cypherNested = `
UNWIND $ids AS id
MATCH (e:Entity {id: id})%[1]s
RETURN id, e ` + entityFields + ` AS entity, [%[2]s] AS trees`

// cypherNestedLevel is one level: %[1]s the entity it starts from, %[2]s the pattern from it
// (r the relation, %[3]s the other end), %[4]s and %[5]s the filter's WHERE and the ORDER BY
// list, %[6]s the level's name (its parameters and columns are prefixed with it), %[7]s the
// subqueries of the next levels (on the other end), %[8]s what adds their {total, page} maps
// to an item, %[9]s the indentation of the level, %[10]s an item of the page: the relation
// with its other end (see nestedBuilder.item), and %[11]s "DISTINCT " for a level in both
// directions, where a relation from an entity to itself matches twice.
const cypherNestedLevel = `
%[9]sCALL (%[1]s) {
%[9]s  MATCH %[2]s%[4]s
%[9]s  WITH %[11]sr, %[3]s
%[9]s  ORDER BY %[5]s
%[9]s  LIMIT $%[6]s_limit
%[9]s  WITH %[3]s, %[10]s AS %[6]s_item%[7]s
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
%[9]s  WITH %[1]s, count(%[11]sr) AS %[6]s_total
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

// partialEntityFields is the map projection of the given fields of an entity, with its id and
// kind, and its type, which entityFromValue needs for an organization or a place.
func partialEntityFields(f model.EntityFields) string {
	return "{." + strings.Join(entityKeys(f), ", .") + "}"
}

// entityKeys is the properties of an entity that a read of the given fields projects, in
// order: id, kind and type first, then by field (every property of entityFields for all).
func entityKeys(f model.EntityFields) []string {
	keys := []string{"id", "kind", "type"}
	for _, p := range []struct {
		f     model.EntityFields
		props []string
	}{
		{model.FieldName, []string{"name"}},
		{model.FieldAliases, []string{"aliases"}},
		{model.FieldDescription, []string{"description"}},
		{model.FieldSources, []string{"sourceIds"}},
		{model.FieldCreatedAt, []string{"createdAt"}},
		{model.FieldUpdatedAt, []string{"updatedAt"}},
		{model.FieldOwn, []string{"ownership", "founded", "countryId", "segment", "powertrain", "opened", "countryCode", "signedOn", "announcedOn", "provisionsJson"}},
	} {
		if f.Has(p.f) {
			keys = append(keys, p.props...)
		}
	}
	return keys
}

// partialOf is the union of the Ends of the trees that have them, at every level.
func partialOf(trees []model.RelationsTree) model.EntityFields {
	var f model.EntityFields
	for _, t := range trees {
		f |= t.Ends | partialOf(t.Next)
	}
	return f
}

// item is the expression of one item of a level's page, for the relation r and its other end
// end, and what adds the next levels' columns (cols, when there are some) to it. A tree without
// Ends gets a map: the relation's relationFields projection, its ends' ids and the other end's
// entityFields projection. A tree with Ends gets a slim item, a list that
// slimPage decodes: the relation's id, type and status, whether it starts at the other end
// (the type and the start null where the level fixes them, slimFixed),
// and the values of the other end's entityKeys for the builder's partial fields (for every
// field when they are all); no key is repeated in every item, so the page is about a third
// of the bytes to encode, send and decode.
func (b *nestedBuilder) item(t model.RelationsTree, end, cols string) (string, string) {
	if t.Ends == 0 {
		expr := "{rel: " + relationFields + ", fromId: startNode(r).id, toId: endNode(r).id, end: " + end + " " + entityFields + "}"
		if cols == "" {
			return expr, ""
		}
		return expr, " {.*, next: [" + cols + "]}"
	}
	keys := slimKeysOf(b.partial).of(t.Query)
	vals := make([]string, len(keys))
	for i, k := range keys {
		vals[i] = end + "." + k
	}
	// What the level fixes is left out (null): the type when it follows one, which end starts
	// the relation when it has a direction (slimFixed).
	typ, reversed := "type(r)", "startNode(r) = "+end
	fixedType, fixedReversed := slimFixed(t.Query)
	if fixedType != "" {
		typ = "null"
	}
	if fixedReversed != nil {
		reversed = "null"
	}
	expr := "[r.id, " + typ + ", r.status, " + reversed + ", [" + strings.Join(vals, ", ") + "]]"
	if cols == "" {
		return expr, ""
	}
	return expr, " + [[" + cols + "]]"
}

// The positions of a slim item (nestedBuilder.item).
const (
	slimRelID = iota
	slimRelType
	slimRelStatus
	slimReversed
	slimEnd
	slimNext
)

// slimFixed is what a slim item of a level leaves out as null: the relation's type when the
// level follows one (typ), and whether the relation starts at the other end when the level has
// a direction (reversed: an incoming relation starts there).
func slimFixed(q model.RelationsOfQuery) (typ model.RelationType, reversed *bool) {
	if len(q.Filter.Types) == 1 {
		typ = q.Filter.Types[0]
	}
	if q.Direction != model.DirectionBoth {
		in := q.Direction == model.DirectionIn
		reversed = &in
	}
	return typ, reversed
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
	item, addNext := b.item(t, end, nextCols)
	distinct := relDistinct(q.Direction)
	block := fmt.Sprintf(cypherNestedLevel, from, fmt.Sprintf(pattern, from, rf.types, end), end, where(conds), ks.order, name, next, addNext, indent, item, distinct)
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
	out := &model.Nested{Trees: emptyTrees(norm)}
	partial := partialOf(norm)
	if partial != 0 && partial != model.AllEntityFields {
		out.PartialFields = partial
	}
	var recs []*neo4j.Record
	if len(ids) > 0 {
		cypher, params, err := nestedQuery(ids, norm)
		if err != nil {
			return nil, fmt.Errorf("neo4j: %s: %w", op, err)
		}
		if recs, err = s.read(ctx, op, cypher, params); err != nil {
			return nil, err
		}
	}
	// The maps of the other ends are made to the size of what came, rather than grown.
	items := 0
	for _, rec := range recs {
		v, _ := rec.Get("trees")
		items += nestedItems(v)
	}
	if out.PartialFields != 0 {
		out.Entities, out.Partial = make(map[string]model.Entity, len(recs)), make(map[string]model.Entity, items)
	} else {
		out.Entities = make(map[string]model.Entity, len(recs)+items)
	}
	if len(recs) > 0 {
		keys := slimKeys(out)
		for _, rec := range recs {
			if err := nestedRecord(rec, norm, out, keys); err != nil {
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

// nestedRecord adds one root's row to out: the root entity and its trees; keys are those of
// the other ends in slim items (slimKeys).
func nestedRecord(rec *neo4j.Record, trees []model.RelationsTree, out *model.Nested, keys slimEndKeys) error {
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
	return nestedLevels(id, cols, trees, out.Trees, out, keys)
}

// nestedItems counts the items of the pages in v, a record's trees or an item's next levels,
// at every depth; a value of another shape counts none (nestedLevels reports it).
func nestedItems(v any) int {
	n := 0
	switch v := v.(type) {
	case []any:
		for _, x := range v {
			n += nestedItems(x)
		}
	case map[string]any:
		page, _ := v["page"].([]any)
		n += len(page)
		for _, item := range page {
			switch item := item.(type) {
			case []any:
				if len(item) > slimNext {
					n += nestedItems(item[slimNext])
				}
			case map[string]any:
				n += nestedItems(item["next"])
			}
		}
	}
	return n
}

// nestedLevels decodes the {total, page} maps of trees for the entity owner into answers,
// adding the other ends to out's Entities, or its Partial for a level read with the partial
// projection; an entity reached twice keeps the page decoded first (the same page). keys are
// those of the other ends in slim items (slimKeys).
func nestedLevels(owner string, cols []any, trees []model.RelationsTree, answers []model.TreePages, out *model.Nested, keys slimEndKeys) error {
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
		var page *model.RelationPage
		var nexts [][]any
		if t.Ends != 0 {
			answers[i].Slim = true
			ents := out.Entities
			if out.Partial != nil {
				ents = out.Partial
			}
			var err error
			kind, _ := fixedEnd(q)
			if page, nexts, err = slimPage(owner, int(total), list, q, len(t.Next) > 0, keys.of(q), kind, ents); err != nil {
				return err
			}
		} else {
			if err := endsFromList(shown, out.Entities); err != nil {
				return err
			}
			var err error
			if page, err = relationPage(int(total), list, q.First); err != nil {
				return err
			}
			if len(t.Next) > 0 {
				for _, v := range shown {
					item, _ := v.(map[string]any) // endsFromList checked the shape
					next, ok := item["next"].([]any)
					if !ok {
						return fmt.Errorf("relation below %q: expected its next levels, found %T", owner, item["next"])
					}
					nexts = append(nexts, next)
				}
			}
		}
		// nexts is in the order the page came in: the ends' ids are taken before the sort.
		ends := make([]string, len(nexts))
		for j := range nexts {
			ends[j] = page.Items[j].Other(owner)
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
		for j, next := range nexts {
			if err := nestedLevels(ends[j], next, t.Next, answers[i].Next, out, keys); err != nil {
				return err
			}
		}
	}
	return nil
}

// slimKeys is the keys of the other ends in slim items: those of the read's partial fields, or
// of every field when it reads them all (nestedBuilder.item).
func slimKeys(out *model.Nested) slimEndKeys {
	if out.PartialFields != 0 {
		return slimKeysOf(out.PartialFields)
	}
	return slimKeysOf(model.AllEntityFields)
}

// slimEndKeys is the keys of the other ends in the slim items of a read of some fields: all
// (entityKeys), and those of a level whose other ends' kind the rule book fixes (fixedEnd),
// which leave out the kind and the type. Of the models of 13 brands (207 items), reading the
// two properties was a sixth of Neo4j's CPU for the statement.
type slimEndKeys struct {
	all, fixed []string
}

func slimKeysOf(f model.EntityFields) slimEndKeys {
	all := entityKeys(f)
	fixed := make([]string, 0, len(all))
	for _, k := range all {
		if k != "kind" && k != "type" {
			fixed = append(fixed, k)
		}
	}
	return slimEndKeys{all: all, fixed: fixed}
}

// of is the keys of the other ends at a level of the query q.
func (k slimEndKeys) of(q model.RelationsOfQuery) []string {
	if _, ok := fixedEnd(q); ok {
		return k.fixed
	}
	return k.all
}

// fixedEnd is the kind of every entity at the other end of the relations a level of q lists,
// when the rule book fixes it (model.OtherEndKind) to one that needs no type to be read
// (entityFromValue reads an organization's or a place's type).
func fixedEnd(q model.RelationsOfQuery) (model.EntityKind, bool) {
	if len(q.Filter.Types) != 1 {
		return "", false
	}
	k, ok := model.OtherEndKind(q.Filter.Types[0], q.Direction)
	if !ok || k == model.KindOrganization || k == model.KindPlace {
		return "", false
	}
	return k, true
}

// slimPage decodes a page of slim items (nestedBuilder.item) of the entity owner under q: its
// relations, with the other ends added to ends (an entity there already is kept), and, when
// withNext, each shown item's next levels, in the page's order. kind is the other ends'
// kind when the level leaves it out (fixedEnd), else "".
func slimPage(owner string, total int, list []any, q model.RelationsOfQuery, withNext bool, keys []string, kind model.EntityKind, ends map[string]model.Entity) (*model.RelationPage, [][]any, error) {
	page := &model.RelationPage{TotalCount: total, HasNextPage: len(list) > q.First}
	shown := list[:min(len(list), q.First)]
	var block []model.Relation // the page's relations, in one allocation
	if len(shown) > 0 {
		page.Items = make([]*model.Relation, 0, len(shown))
		block = make([]model.Relation, len(shown))
	}
	fixedType, fixedReversed := slimFixed(q)
	var nexts [][]any
	for _, v := range shown {
		item, ok := v.([]any)
		if !ok || len(item) < slimEnd+1 || withNext && len(item) < slimNext+1 {
			return nil, nil, fmt.Errorf("relation below %q: expected a slim item, found %T of %d", owner, v, len(item))
		}
		id, ok1 := item[slimRelID].(string)
		typ, ok2 := string(fixedType), fixedType != ""
		if !ok2 {
			typ, ok2 = item[slimRelType].(string)
		}
		status, ok3 := item[slimRelStatus].(string)
		var reversed, ok4 bool
		if fixedReversed != nil {
			reversed, ok4 = *fixedReversed, true
		} else {
			reversed, ok4 = item[slimReversed].(bool)
		}
		vals, ok5 := item[slimEnd].([]any)
		if !ok1 || !ok2 || !ok3 || !ok4 || !ok5 || len(vals) != len(keys) {
			return nil, nil, fmt.Errorf("relation below %q: a slim item of the wrong shape", owner)
		}
		endID, _ := vals[0].(string)
		if endID == "" {
			return nil, nil, fmt.Errorf("relation %q below %q: the other end has no id", id, owner)
		}
		r := &block[len(page.Items)]
		*r = model.Relation{ID: id, Type: model.RelationType(typ), Status: model.RelationStatus(status), FromID: owner, ToID: endID}
		if reversed {
			r.FromID, r.ToID = endID, owner
		}
		if !r.Type.IsValid() {
			return nil, nil, fmt.Errorf("relation %q: unknown relationship type %q", id, typ)
		}
		page.Items = append(page.Items, r)
		if _, seen := ends[endID]; !seen {
			p := slimProps(keys, vals, string(kind))
			e, err := entityFromProps(&p)
			if err != nil {
				return nil, nil, err
			}
			ends[endID] = e
		}
		if withNext {
			next, ok := item[slimNext].([]any)
			if !ok {
				return nil, nil, fmt.Errorf("relation below %q: expected its next levels, found %T", owner, item[slimNext])
			}
			nexts = append(nexts, next)
		}
	}
	return page, nexts, nil
}
