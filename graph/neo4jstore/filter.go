package neo4jstore

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/autograph-kg/autograph/graph/model"
)

// Composable filters (model.EntityWhere, model.RelationWhere) compiled to one Cypher boolean
// expression, spliced into the listing's WHERE. Every operand is a parameter ($w0, $w1, ...);
// what is spliced is fixed text, variable names made here, property names from
// model.AttrFields and relation types through relTypes. Steps to related entities are
// EXISTS and COUNT subqueries, so a listing stays one statement.
//
// Cypher's logic has three values and the model's two: every leaf is written so that it is
// true or false, never null (an unknown value matches no operator), or NOT would let
// different rows through than the embedded store does.

// whereBuilder accumulates the parameters of one statement's filters and names its
// variables.
type whereBuilder struct {
	params map[string]any
	n      int // parameters made
	vars   int // variables made
}

func newWhereBuilder(params map[string]any) *whereBuilder {
	return &whereBuilder{params: params}
}

// param stores v and returns its placeholder.
func (b *whereBuilder) param(v any) string {
	name := fmt.Sprintf("w%d", b.n)
	b.n++
	b.params[name] = v
	return "$" + name
}

// fresh is a new variable name with the given prefix.
func (b *whereBuilder) fresh(prefix string) string {
	b.vars++
	return fmt.Sprintf("%s%d", prefix, b.vars)
}

// and joins conditions; none is true.
func and(conds []string) string {
	switch len(conds) {
	case 0:
		return "true"
	case 1:
		return conds[0]
	}
	return "(" + strings.Join(conds, " AND ") + ")"
}

// Partial dates are stored as stated ("2023", "2023-04", "2023-04-04"). Padding one gives the
// first day of its period and an upper bound of its last day that compares with real days as
// the last day does ("2023-02" pads to "2023-02-31"): model.Date.Start and End on the server.
// The paddings are parameters ($padStart, $padLast: datePads), like every value.
const (
	dateStartKey = `%[1]s + substring($padStart, size(%[1]s) - 4)`
	dateLastKey  = `%[1]s + substring($padLast, size(%[1]s) - 4)`
)

// datePads sets the parameters of dateStartKey and dateLastKey.
func datePads(params map[string]any) {
	params["padStart"] = "-01-01"
	params["padLast"] = "-12-31"
}

// date compiles a DateFilter on the partial-date property v (model.DateFilter.Match).
func (b *whereBuilder) date(v string, f *model.DateFilter) string {
	var conds []string
	if f.Exists != nil {
		if *f.Exists {
			conds = append(conds, v+" IS NOT NULL")
		} else {
			conds = append(conds, v+" IS NULL")
		}
	}
	datePads(b.params)
	start, last := fmt.Sprintf(dateStartKey, v), fmt.Sprintf(dateLastKey, v)
	if f.Before != nil {
		conds = append(conds, fmt.Sprintf("(%s IS NOT NULL AND %s < %s)", v, last, b.param(f.Before.Start())))
	}
	if f.After != nil {
		conds = append(conds, fmt.Sprintf("(%s IS NOT NULL AND %s >= %s)", v, start, b.param(f.After.End())))
	}
	if f.Overlaps != nil {
		sp := model.SpanOf(*f.Overlaps)
		conds = append(conds, fmt.Sprintf("(%s IS NOT NULL AND %s < %s AND %s >= %s)", v, start, b.param(sp.End), last, b.param(sp.Start)))
	}
	return and(conds)
}

// span compiles a DateFilter on a relation's stored span (model.DateFilter.MatchSpan).
func (b *whereBuilder) span(r string, f *model.DateFilter) string {
	var conds []string
	if f.Before != nil {
		conds = append(conds, fmt.Sprintf("(%[1]s.spanEnd IS NOT NULL AND %[1]s.spanEnd <= %[2]s)", r, b.param(f.Before.Start())))
	}
	if f.After != nil {
		conds = append(conds, fmt.Sprintf("(%[1]s.spanStart IS NOT NULL AND %[1]s.spanStart >= %[2]s)", r, b.param(f.After.End())))
	}
	if f.Overlaps != nil {
		conds = append(conds, b.asOf(r, *f.Overlaps))
	}
	return and(conds)
}

// asOf is relWhereAsOf on relation r with its own parameters.
func (b *whereBuilder) asOf(r string, d model.Date) string {
	sp := model.SpanOf(d)
	return fmt.Sprintf("((%[1]s.spanStart IS NULL OR %[1]s.spanStart < %[2]s) AND (%[1]s.spanEnd IS NULL OR %[1]s.spanEnd > %[3]s))", r, b.param(sp.End), b.param(sp.Start))
}

// integer compiles an IntFilter on the expression x (model.IntFilter.Match).
func (b *whereBuilder) integer(x string, f *model.IntFilter) string {
	var conds []string
	for _, op := range []struct {
		v  *int
		op string
	}{{f.Eq, "="}, {f.Lt, "<"}, {f.Lte, "<="}, {f.Gt, ">"}, {f.Gte, ">="}} {
		if op.v != nil {
			conds = append(conds, fmt.Sprintf("%s %s %s", x, op.op, b.param(int64(*op.v))))
		}
	}
	if len(conds) == 0 {
		return "true"
	}
	return and(append([]string{x + " IS NOT NULL"}, conds...))
}

// text compiles a TextFilter on the normalised keys in the list expression keys.
func (b *whereBuilder) text(keys string, f *model.TextFilter) string {
	var conds []string
	if f.Eq != nil {
		conds = append(conds, "k = "+b.param(*f.Eq))
	}
	if f.In != nil {
		conds = append(conds, "k IN "+b.param(nonNil(f.In)))
	}
	if f.Contains != nil {
		conds = append(conds, "k CONTAINS "+b.param(*f.Contains))
	}
	if f.StartsWith != nil {
		conds = append(conds, "k STARTS WITH "+b.param(*f.StartsWith))
	}
	return fmt.Sprintf("any(k IN coalesce(%s, []) WHERE %s)", keys, and(conds))
}

// entity compiles an entity filter on node variable n.
func (b *whereBuilder) entity(w *model.EntityWhere, n string) (string, error) {
	if w == nil {
		return "true", nil
	}
	var conds []string
	if w.IDs != nil {
		conds = append(conds, n+".id IN "+b.param(nonNil(w.IDs)))
	}
	if w.Kind != nil {
		conds = append(conds, n+".kind IN "+b.param(strs(w.Kind)))
	}
	if name := model.Normalize(w.NameContains); name != "" {
		conds = append(conds, fmt.Sprintf("any(k IN coalesce(%s.searchKeys, []) WHERE k CONTAINS %s)", n, b.param(name)))
	}
	for _, a := range w.Attrs {
		if !slices.Contains(model.AttrFields(""), a.Field) {
			return "", fmt.Errorf("%q is not an attribute field: the filter was not normalised", a.Field)
		}
		if len(a.Values) > 0 {
			conds = append(conds, fmt.Sprintf("coalesce(%s.%s, '') IN %s", n, a.Field, b.param(a.Values)))
		}
	}
	if w.Name != nil {
		conds = append(conds, b.text(n+".searchKeys", w.Name))
	}
	if w.Founded != nil {
		conds = append(conds, b.date(n+".founded", w.Founded))
	}
	if w.Relations != nil {
		c, err := b.related(w.Relations, n)
		if err != nil {
			return "", err
		}
		conds = append(conds, c)
	}
	for _, sub := range w.And {
		c, err := b.entity(sub, n)
		if err != nil {
			return "", err
		}
		conds = append(conds, c)
	}
	if w.Or != nil {
		var ors []string
		for _, sub := range w.Or {
			c, err := b.entity(sub, n)
			if err != nil {
				return "", err
			}
			ors = append(ors, c)
		}
		conds = append(conds, or(ors))
	}
	if w.Not != nil {
		c, err := b.entity(w.Not, n)
		if err != nil {
			return "", err
		}
		conds = append(conds, "NOT "+c)
	}
	return and(conds), nil
}

// or joins alternatives; none is false.
func or(conds []string) string {
	if len(conds) == 0 {
		return "false"
	}
	return "(" + strings.Join(conds, " OR ") + ")"
}

// relatedPatterns are the patterns from an entity to its relations, by direction: %[1]s the
// entity, %[2]s the relation, %[3]s its types, %[4]s the other end.
var relatedPatterns = map[model.Direction]string{
	model.DirectionOut:  `(%[1]s)-[%[2]s%[3]s]->(%[4]s:Entity)`,
	model.DirectionIn:   `(%[1]s)<-[%[2]s%[3]s]-(%[4]s:Entity)`,
	model.DirectionBoth: `(%[1]s)-[%[2]s%[3]s]-(%[4]s:Entity)`,
}

// related compiles a relations filter on the entity n (model.RelatedWhere).
func (b *whereBuilder) related(w *model.RelatedWhere, n string) (string, error) {
	types, err := relTypes(w.Types)
	if err != nil {
		return "", err
	}
	tmpl, ok := relatedPatterns[w.Direction]
	if !ok {
		return "", fmt.Errorf("no pattern for the direction %q: the filter was not normalised", w.Direction)
	}
	r, o := b.fresh("r"), b.fresh("o")
	pattern := fmt.Sprintf(tmpl, n, r, types, o)
	var scope []string
	if len(w.Status) > 0 {
		scope = append(scope, r+".status IN "+b.param(strs(w.Status)))
	}
	if w.AsOf != nil {
		scope = append(scope, b.asOf(r, *w.AsOf))
	}
	sub := func(extra string) string {
		conds := slices.Clone(scope)
		if extra != "" {
			conds = append(conds, extra)
		}
		if len(conds) == 0 {
			return "MATCH " + pattern
		}
		return "MATCH " + pattern + " WHERE " + strings.Join(conds, " AND ")
	}
	if w.Some == nil && w.None == nil && w.All == nil && w.Count == nil && w.Others == nil {
		return "EXISTS { " + sub("") + " }", nil
	}
	var conds []string
	if w.Some != nil {
		c, err := b.relation(w.Some, r, n, o)
		if err != nil {
			return "", err
		}
		conds = append(conds, "EXISTS { "+sub(c)+" }")
	}
	if w.None != nil {
		c, err := b.relation(w.None, r, n, o)
		if err != nil {
			return "", err
		}
		conds = append(conds, "NOT EXISTS { "+sub(c)+" }")
	}
	if w.All != nil {
		c, err := b.relation(w.All, r, n, o)
		if err != nil {
			return "", err
		}
		conds = append(conds, "NOT EXISTS { "+sub("NOT "+c)+" }")
	}
	// A count is taken once and compared in a one-element list, however many operators
	// there are.
	count := func(v string, f *model.IntFilter) string {
		c := b.fresh("c")
		return fmt.Sprintf("any(%s IN [COUNT { %s RETURN DISTINCT %s }] WHERE %s)", c, sub(""), v, b.integer(c, f))
	}
	if w.Count != nil {
		conds = append(conds, count(r, w.Count))
	}
	if w.Others != nil {
		conds = append(conds, count(o, w.Others))
	}
	return and(conds), nil
}

// relation compiles a relation filter on relationship variable r. self and other name the
// entity whose relations these are and the node at the other end, when the pattern binds
// them ("" otherwise; Normalize refuses Other where there is no self).
func (b *whereBuilder) relation(w *model.RelationWhere, r, self, other string) (string, error) {
	if w == nil {
		return "true", nil
	}
	var conds []string
	if w.IDs != nil {
		conds = append(conds, r+".id IN "+b.param(nonNil(w.IDs)))
	}
	if len(w.Types) > 0 {
		conds = append(conds, "type("+r+") IN "+b.param(strs(w.Types)))
	}
	if len(w.Status) > 0 {
		conds = append(conds, r+".status IN "+b.param(strs(w.Status)))
	}
	if w.AsOf != nil {
		conds = append(conds, b.asOf(r, *w.AsOf))
	}
	if len(w.From) > 0 {
		conds = append(conds, "startNode("+r+").id IN "+b.param(w.From))
	}
	if len(w.To) > 0 {
		conds = append(conds, "endNode("+r+").id IN "+b.param(w.To))
	}
	if len(w.Sources) > 0 {
		conds = append(conds, fmt.Sprintf("any(s IN coalesce(%s.sourceIds, []) WHERE s IN %s)", r, b.param(w.Sources)))
	}
	if w.ValidFrom != nil {
		conds = append(conds, b.date(r+".validFrom", w.ValidFrom))
	}
	if w.ValidTo != nil {
		conds = append(conds, b.date(r+".validTo", w.ValidTo))
	}
	if w.Period != nil {
		conds = append(conds, b.span(r, w.Period))
	}
	if w.Quantity != nil {
		conds = append(conds, b.integer(r+".quantity", w.Quantity))
	}
	if w.Cites != nil {
		conds = append(conds, b.cites(w.Cites, r)...)
	}
	endpoint := func(ew *model.EntityWhere, pattern string) error {
		x := b.fresh("x")
		c, err := b.entity(ew, x)
		if err != nil {
			return err
		}
		conds = append(conds, fmt.Sprintf("EXISTS { MATCH "+pattern+" WHERE %[3]s }", x, r, c))
		return nil
	}
	if w.FromEntity != nil {
		if err := endpoint(w.FromEntity, "(%[1]s:Entity)-[%[2]s]->(:Entity)"); err != nil {
			return "", err
		}
	}
	if w.ToEntity != nil {
		if err := endpoint(w.ToEntity, "(:Entity)-[%[2]s]->(%[1]s:Entity)"); err != nil {
			return "", err
		}
	}
	if w.Other != nil {
		switch {
		case other != "":
			c, err := b.entity(w.Other, other)
			if err != nil {
				return "", err
			}
			conds = append(conds, c)
		case self != "":
			if err := endpoint(w.Other, "("+self+")-[%[2]s]-(%[1]s:Entity)"); err != nil {
				return "", err
			}
		default:
			return "", fmt.Errorf("other without an entity: the filter was not normalised")
		}
	}
	for _, sub := range w.And {
		c, err := b.relation(sub, r, self, other)
		if err != nil {
			return "", err
		}
		conds = append(conds, c)
	}
	if w.Or != nil {
		var ors []string
		for _, sub := range w.Or {
			c, err := b.relation(sub, r, self, other)
			if err != nil {
				return "", err
			}
			ors = append(ors, c)
		}
		conds = append(conds, or(ors))
	}
	if w.Not != nil {
		c, err := b.relation(w.Not, r, self, other)
		if err != nil {
			return "", err
		}
		conds = append(conds, "NOT "+c)
	}
	return and(conds), nil
}

// cites compiles a sources quantifier on relation r: the stored sources whose id it cites.
func (b *whereBuilder) cites(w *model.CitesWhere, r string) []string {
	var conds []string
	sub := func(cond string) string {
		s := b.fresh("s")
		return fmt.Sprintf("EXISTS { MATCH (%[1]s:Source) WHERE %[1]s.id IN coalesce(%[2]s.sourceIds, []) AND %[3]s }", s, r, strings.ReplaceAll(cond, "%[1]s", s))
	}
	if w.Some != nil {
		conds = append(conds, sub(b.source(w.Some)))
	}
	if w.None != nil {
		conds = append(conds, "NOT "+sub(b.source(w.None)))
	}
	if w.All != nil {
		conds = append(conds, "NOT "+sub("NOT "+b.source(w.All)))
	}
	return conds
}

// source compiles a source condition with the placeholder %[1]s for the source variable
// (cites replaces it).
func (b *whereBuilder) source(m *model.SourceMatch) string {
	var conds []string
	if m.IDs != nil {
		conds = append(conds, "%[1]s.id IN "+b.param(nonNil(m.IDs)))
	}
	if m.Publisher != nil {
		conds = append(conds, "coalesce(%[1]s.publisherId, '') IN "+b.param(nonNil(m.Publisher)))
	}
	if m.PublishedOn != nil {
		conds = append(conds, b.date("%[1]s.publishedOn", m.PublishedOn))
	}
	return and(conds)
}

// Orders beyond the prepared ones: the key expression of each field, with the same keys as
// model.EntityOrderKey and model.RelationOrderKey (model.DateOrderKey's prefixes are the
// parameters $keyKnown and $keyUnknown: dateKeyParams), so both stores page alike.
const dateOrderKey = `CASE WHEN %[1]s IS NULL THEN $keyUnknown ELSE $keyKnown + %[1]s END`

// dateKeyParams sets the parameters of dateOrderKey for an ordering; nothing for an ordering
// by another field.
func dateKeyParams(params map[string]any, o model.Order) {
	switch o.Field {
	case model.SortByFounded, model.SortByValidFrom, model.SortByValidTo:
	default:
		return
	}
	known := model.DateOrderKey(&model.Date{Year: 1}, o.Desc)
	params["keyKnown"] = known[:1]
	params["keyUnknown"] = model.DateOrderKey(nil, o.Desc)
}

// orderKeyset is the keyset of ordering by the expression key (then by id, the variable's
// id property) in either direction; param is the cursor key's placeholder.
func orderKeyset(key, id, param string, desc bool) keyset {
	if desc {
		return keyset{
			after: fmt.Sprintf("(%[1]s < %[3]s OR (%[1]s = %[3]s AND %[2]s < $afterId))", key, id, param),
			order: key + " DESC, " + id + " DESC",
		}
	}
	return keyset{
		after: fmt.Sprintf("(%[1]s > %[3]s OR (%[1]s = %[3]s AND %[2]s > $afterId))", key, id, param),
		order: key + ", " + id,
	}
}

// dateKey is the order key expression of the partial-date property v.
func dateKey(v string) string { return fmt.Sprintf(dateOrderKey, v) }

// entityOrderKeyset is the keyset of the entity orderings that entityKeyset does not have. A
// timestamp's cursor key is read back into a time ($afterTime), so the comparison is on the
// stored DateTime.
func entityOrderKeyset(o model.Order) (keyset, bool) {
	switch o.Field {
	case model.SortByFounded:
		return orderKeyset(dateKey("n.founded"), "n.id", "$afterKey", o.Desc), true
	case model.SortByCreatedAt:
		return orderKeyset("n.createdAt", "n.id", "$afterTime", o.Desc), true
	case model.SortByUpdatedAt:
		return orderKeyset("n.updatedAt", "n.id", "$afterTime", o.Desc), true
	}
	return keyset{}, false
}

// afterTime sets $afterTime from a timestamp ordering's cursor key.
func afterTime(params map[string]any, o model.Order) error {
	if o.Field != model.SortByCreatedAt && o.Field != model.SortByUpdatedAt {
		return nil
	}
	key, ok := params["afterKey"].(string)
	if !ok {
		return nil
	}
	t, err := time.Parse(model.TimeKeyLayout, key)
	if err != nil {
		return model.Errorf(model.CodeBadUserInput, "invalid cursor: pass an endCursor of the same query")
	}
	delete(params, "afterKey")
	params["afterTime"] = t
	return nil
}

// relationKeyset is the keyset of a relation ordering on relationship variable r.
func relationKeyset(o model.Order, r string) (keyset, error) {
	switch o.Field {
	case model.SortByID, "":
		if o.Desc {
			return keyset{after: r + ".id < $afterId", order: r + ".id DESC"}, nil
		}
		return keyset{after: r + ".id > $afterId", order: r + ".id"}, nil
	case model.SortByType:
		return orderKeyset("type("+r+")", r+".id", "$afterKey", o.Desc), nil
	case model.SortByValidFrom:
		return orderKeyset(dateKey(r+".validFrom"), r+".id", "$afterKey", o.Desc), nil
	case model.SortByValidTo:
		return orderKeyset(dateKey(r+".validTo"), r+".id", "$afterKey", o.Desc), nil
	}
	return keyset{}, fmt.Errorf("no relation keyset for the order %v: the query was not normalised", o)
}
