package model

import (
	"slices"
	"strings"
)

// Composable filters. An EntityWhere or RelationWhere is a tree: its fields are ANDed, And
// and Or combine sub-filters, Not negates one, and RelatedWhere steps from an entity to its
// relations (and, through Other, to the entities at their other end). The GraphQL inputs of
// the same names bind to these types, so the resolvers pass them on untouched; the rules
// (bounds, defaults, refusals) are checkWhere's, run by the queries' Normalize, and the leaf
// semantics are the Match methods below, which the embedded store calls and the Neo4j store
// translates. Every leaf is two-valued: an unknown (null) value matches no operator, so NOT
// of a leaf holds for it.

// Bounds of a filter, whoever sends it: a filter past one of them is refused before any
// store work (BAD_USER_INPUT naming the limit), and the complexity limit counts it too.
const (
	// MaxFilterHops bounds how many relation filters (RelatedWhere) may nest, each stepping
	// from an entity to its relations and on to the entities at their other end.
	MaxFilterHops = 3
	// MaxFilterDepth bounds the nesting of AND, OR and NOT.
	MaxFilterDepth = 8
	// MaxFilterConditions bounds the conditions (operators and sub-filters) of one filter.
	MaxFilterConditions = 64
	// MaxFilterValues bounds each list of values (in, ids, types, ...).
	MaxFilterValues = 100
	// MaxFilterText bounds each string operand, in characters.
	MaxFilterText = MaxSearchLength
)

// TextFilter matches a name (or a title) through Normalize, so case, accents and punctuation
// do not matter: Eq and In compare whole normalised texts, Contains and StartsWith parts of
// them. An empty In does not filter, like every empty list. An entity's name matches when its name or one of its aliases (SearchKeys) does.
type TextFilter struct {
	Eq         *string
	In         []string
	Contains   *string
	StartsWith *string
}

// MatchKeys reports whether one of the normalised keys satisfies every operator of a
// normalised filter (checkWhere folds the operands).
func (f *TextFilter) MatchKeys(keys []string) bool {
	if f == nil {
		return true
	}
	for _, k := range keys {
		if f.matchKey(k) {
			return true
		}
	}
	return false
}

func (f *TextFilter) matchKey(k string) bool {
	switch {
	case f.Eq != nil && k != *f.Eq,
		f.In != nil && !slices.Contains(f.In, k),
		f.Contains != nil && !strings.Contains(k, *f.Contains),
		f.StartsWith != nil && !strings.HasPrefix(k, *f.StartsWith):
		return false
	}
	return true
}

// DateFilter compares a partial date as the period it names (see Date): Before keeps dates
// whose whole period ends before the operand's starts, After those whose period starts after
// the operand's ends, Overlaps those sharing at least one day with it. On a relation's period
// (RelationWhere.Period) the same words apply to its Span, open ends unbounded. An unknown
// date matches no operator; Exists alone keeps known (true) or unknown (false) dates.
type DateFilter struct {
	Before   *Date
	After    *Date
	Overlaps *Date
	Exists   *bool
}

// Match reports whether the date d (nil when unknown) satisfies every operator.
func (f *DateFilter) Match(d *Date) bool {
	if f == nil {
		return true
	}
	if f.Exists != nil && *f.Exists != (d != nil) {
		return false
	}
	if d == nil {
		return f.Before == nil && f.After == nil && f.Overlaps == nil
	}
	return f.MatchSpan(SpanOf(*d))
}

// MatchSpan reports whether the span s satisfies Before, After and Overlaps (Exists aside):
// Before needs a bounded end, After a bounded start.
func (f *DateFilter) MatchSpan(s Span) bool {
	if f == nil {
		return true
	}
	if f.Before != nil && (s.End == "" || s.End > f.Before.Start()) {
		return false
	}
	if f.After != nil && (s.Start == "" || s.Start < f.After.End()) {
		return false
	}
	if f.Overlaps != nil && !s.Overlaps(SpanOf(*f.Overlaps)) {
		return false
	}
	return true
}

// IntFilter compares a whole number; an unknown number matches no operator.
type IntFilter struct {
	Eq  *int
	Lt  *int
	Lte *int
	Gt  *int
	Gte *int
}

// Match reports whether n (nil when unknown) satisfies every operator; an empty filter
// matches everything, unknown numbers included.
func (f *IntFilter) Match(n *int) bool {
	if f == nil || f.empty() {
		return true
	}
	if n == nil {
		return false
	}
	v := *n
	switch {
	case f.Eq != nil && v != *f.Eq,
		f.Lt != nil && v >= *f.Lt,
		f.Lte != nil && v > *f.Lte,
		f.Gt != nil && v <= *f.Gt,
		f.Gte != nil && v < *f.Gte:
		return false
	}
	return true
}

func (f *IntFilter) empty() bool {
	return f.Eq == nil && f.Lt == nil && f.Lte == nil && f.Gt == nil && f.Gte == nil
}

// EntityWhere is a composable entity filter: every field given must hold.
type EntityWhere struct {
	And []*EntityWhere
	Or  []*EntityWhere
	Not *EntityWhere
	IDs []string
	// Kind keeps entities of one of these kinds.
	Kind []EntityKind
	// Name matches the name or an alias (TextFilter).
	Name *TextFilter
	// NameContains and Attrs are the flat filters of the typed listings' where inputs, as in
	// EntityFilter, for their nested AND, OR and NOT.
	NameContains string
	Attrs        []AttrFilter
	// Founded is an organization's or brand's founding date; other kinds have none.
	Founded *DateFilter
	// Relations looks at the entity's relations (RelatedWhere).
	Relations *RelatedWhere
}

// RelatedWhere holds for an entity when its relations in scope (Direction, Types, Status,
// AsOf) satisfy every quantifier given: Some, at least one of them matches; None, none does;
// All, every one does (true when there are none); Count and Others bound how many relations
// in scope there are and how many distinct entities they lead to. With no quantifier it holds
// when there is at least one relation in scope. A relation from an entity to itself counts
// once, with the entity itself at the other end.
type RelatedWhere struct {
	Direction Direction
	Types     []RelationType
	Status    []RelationStatus
	AsOf      *Date
	Some      *RelationWhere
	None      *RelationWhere
	All       *RelationWhere
	Count     *IntFilter
	Others    *IntFilter
}

// Scope is the part of the filter that says which relations are looked at, as a RelationFilter.
func (w *RelatedWhere) Scope() RelationFilter {
	return RelationFilter{Types: w.Types, Status: w.Status, AsOf: w.AsOf}
}

// RelationWhere is a composable relation filter: every field given must hold. Its first
// fields are RelationFilter's flat ones.
type RelationWhere struct {
	And []*RelationWhere
	Or  []*RelationWhere
	Not *RelationWhere

	IDs     []string
	Types   []RelationType
	Status  []RelationStatus
	AsOf    *Date
	From    []string
	To      []string
	Sources []string

	// ValidFrom and ValidTo compare the stated dates; Period the relation's Span.
	ValidFrom *DateFilter
	ValidTo   *DateFilter
	Period    *DateFilter
	Quantity  *IntFilter
	// Cites looks at the sources the relation cites.
	Cites *CitesWhere
	// FromEntity and ToEntity filter the endpoints; Other, inside an entity's relations (its
	// relation fields and RelatedWhere), the endpoint that is not that entity.
	FromEntity *EntityWhere
	ToEntity   *EntityWhere
	Other      *EntityWhere
}

// CitesWhere quantifies over the stored sources a relation cites, like RelatedWhere: Some,
// at least one matches; None, none does; All, every one does. A cited id with no stored
// source is not looked at.
type CitesWhere struct {
	Some *SourceMatch
	None *SourceMatch
	All  *SourceMatch
}

// SourceMatch is a condition on one source: every field given must hold.
type SourceMatch struct {
	IDs         []string
	Publisher   []string
	PublishedOn *DateFilter
}

// Match reports whether the source satisfies every field.
func (m *SourceMatch) Match(s *Source) bool {
	if m == nil {
		return true
	}
	switch {
	case m.IDs != nil && !slices.Contains(m.IDs, s.ID),
		m.Publisher != nil && !slices.Contains(m.Publisher, s.PublisherID):
		return false
	}
	d := s.PublishedOn
	return m.PublishedOn.Match(&d)
}

// FoundedOf is the founding date of e: organizations and brands have one, maybe unknown.
func FoundedOf(e Entity) *Date {
	switch v := e.(type) {
	case *Organization:
		return v.Founded
	case *Brand:
		return v.Founded
	}
	return nil
}

// whereCheck walks a filter once for Normalize: it refuses what is out of bounds or outside
// the enums and returns a copy with the defaults filled in and the text operands folded, so
// the caller's filter is never changed and the stores match on normalised text.
type whereCheck struct {
	conds int
}

// refuse is the refusal of a filter past one of its bounds; the message names the limit.
func refuseLimit(what string, limit int) error {
	return Errorf(CodeBadUserInput, "filter too large: %s (the limit is %d)", what, limit)
}

func (c *whereCheck) count(n int) error {
	c.conds += n
	if c.conds > MaxFilterConditions {
		return refuseLimit("too many conditions", MaxFilterConditions)
	}
	return nil
}

func (c *whereCheck) nest(depth int) error {
	if depth > MaxFilterDepth {
		return refuseLimit("AND, OR and NOT nested too deep", MaxFilterDepth)
	}
	return nil
}

func checkValues[T any](name string, xs []T) error {
	if len(xs) > MaxFilterValues {
		return refuseLimit(name+" lists too many values", MaxFilterValues)
	}
	return nil
}

// nonEmpty is xs, or nil when it is empty: as everywhere in the API, an empty list does not
// filter, at any depth of a filter.
func nonEmpty[T any](xs []T) []T {
	if len(xs) == 0 {
		return nil
	}
	return xs
}

// foldText checks and folds one operand of a TextFilter.
func foldText(p *string) (*string, error) {
	if p == nil {
		return nil, nil
	}
	if len([]rune(*p)) > MaxFilterText {
		return nil, refuseLimit("a text operand is too long", MaxFilterText)
	}
	s := Normalize(*p)
	return &s, nil
}

func (c *whereCheck) text(f *TextFilter) (*TextFilter, error) {
	if f == nil {
		return nil, nil
	}
	if err := checkValues("in", f.In); err != nil {
		return nil, err
	}
	out := &TextFilter{}
	var err error
	if out.Eq, err = foldText(f.Eq); err != nil {
		return nil, err
	}
	if out.Contains, err = foldText(f.Contains); err != nil {
		return nil, err
	}
	if out.StartsWith, err = foldText(f.StartsWith); err != nil {
		return nil, err
	}
	if len(f.In) > 0 {
		out.In = make([]string, 0, len(f.In))
		for i := range f.In {
			v, err := foldText(&f.In[i])
			if err != nil {
				return nil, err
			}
			out.In = append(out.In, *v)
		}
	}
	return out, c.count(1)
}

func (c *whereCheck) date(f *DateFilter) (*DateFilter, error) {
	if f == nil {
		return nil, nil
	}
	cp := *f
	return &cp, c.count(1)
}

func (c *whereCheck) integer(f *IntFilter) (*IntFilter, error) {
	if f == nil {
		return nil, nil
	}
	cp := *f
	return &cp, c.count(1)
}

// entity checks an entity filter at AND/OR/NOT depth and relation hop count hops.
func (c *whereCheck) entity(w *EntityWhere, depth, hops int) (*EntityWhere, error) {
	if w == nil {
		return nil, nil
	}
	if err := c.nest(depth); err != nil {
		return nil, err
	}
	if err := c.count(1); err != nil {
		return nil, err
	}
	out := &EntityWhere{IDs: nonEmpty(w.IDs), NameContains: w.NameContains}
	if err := checkValues("ids", w.IDs); err != nil {
		return nil, err
	}
	if err := checkValues("kind", w.Kind); err != nil {
		return nil, err
	}
	for _, k := range w.Kind {
		if err := checkKind(k, false); err != nil {
			return nil, err
		}
	}
	out.Kind = nonEmpty(w.Kind)
	if len([]rune(w.NameContains)) > MaxFilterText {
		return nil, refuseLimit("nameContains is too long", MaxFilterText)
	}
	for _, a := range w.Attrs {
		if !isAttrField(a.Field) {
			return nil, Errorf(CodeBadUserInput, "entities have no filterable attribute %q", a.Field)
		}
		if err := checkValues(a.Field, a.Values); err != nil {
			return nil, err
		}
	}
	out.Attrs = w.Attrs
	var err error
	if out.Name, err = c.text(w.Name); err != nil {
		return nil, err
	}
	if out.Founded, err = c.date(w.Founded); err != nil {
		return nil, err
	}
	if out.Relations, err = c.related(w.Relations, depth, hops); err != nil {
		return nil, err
	}
	for _, sub := range w.And {
		s, err := c.entity(sub, depth+1, hops)
		if err != nil {
			return nil, err
		}
		if s != nil {
			out.And = append(out.And, s)
		}
	}
	for _, sub := range w.Or {
		s, err := c.entity(sub, depth+1, hops)
		if err != nil {
			return nil, err
		}
		if s != nil {
			out.Or = append(out.Or, s)
		}
	}
	if w.Or != nil && out.Or == nil {
		out.Or = []*EntityWhere{} // OR of nothing holds for nothing
	}
	if out.Not, err = c.entity(w.Not, depth+1, hops); err != nil {
		return nil, err
	}
	return out, nil
}

// isAttrField reports whether f is an attribute field of some kind.
func isAttrField(f string) bool { return slices.Contains(AttrFields(""), f) }

func (c *whereCheck) related(w *RelatedWhere, depth, hops int) (*RelatedWhere, error) {
	if w == nil {
		return nil, nil
	}
	if hops+1 > MaxFilterHops {
		return nil, refuseLimit("relation filters nested too deep", MaxFilterHops)
	}
	if err := c.count(1); err != nil {
		return nil, err
	}
	out := *w
	out.Types, out.Status = nonEmpty(w.Types), nonEmpty(w.Status)
	out.Direction = direction(w.Direction)
	switch out.Direction {
	case DirectionOut, DirectionIn, DirectionBoth:
	default:
		return nil, Errorf(CodeBadUserInput, "unknown direction %q", w.Direction)
	}
	if err := (RelationFilter{Types: w.Types, Status: w.Status}).Check(); err != nil {
		return nil, err
	}
	if err := checkValues("types", w.Types); err != nil {
		return nil, err
	}
	var err error
	if out.Some, err = c.relation(w.Some, depth+1, hops+1, true); err != nil {
		return nil, err
	}
	if out.None, err = c.relation(w.None, depth+1, hops+1, true); err != nil {
		return nil, err
	}
	if out.All, err = c.relation(w.All, depth+1, hops+1, true); err != nil {
		return nil, err
	}
	if out.Count, err = c.integer(w.Count); err != nil {
		return nil, err
	}
	if out.Others, err = c.integer(w.Others); err != nil {
		return nil, err
	}
	return &out, nil
}

// relation checks a relation filter; other says whether Other has an entity to refer to.
func (c *whereCheck) relation(w *RelationWhere, depth, hops int, other bool) (*RelationWhere, error) {
	if w == nil {
		return nil, nil
	}
	if err := c.nest(depth); err != nil {
		return nil, err
	}
	if err := c.count(1); err != nil {
		return nil, err
	}
	if err := (RelationFilter{Types: w.Types, Status: w.Status}).Check(); err != nil {
		return nil, err
	}
	for name, xs := range map[string][]string{"ids": w.IDs, "from": w.From, "to": w.To, "sources": w.Sources} {
		if err := checkValues(name, xs); err != nil {
			return nil, err
		}
	}
	if err := checkValues("types", w.Types); err != nil {
		return nil, err
	}
	out := *w
	out.And, out.Or = nil, nil
	out.IDs, out.Types, out.Status = nonEmpty(w.IDs), nonEmpty(w.Types), nonEmpty(w.Status)
	out.From, out.To, out.Sources = nonEmpty(w.From), nonEmpty(w.To), nonEmpty(w.Sources)
	var err error
	if out.ValidFrom, err = c.date(w.ValidFrom); err != nil {
		return nil, err
	}
	if out.ValidTo, err = c.date(w.ValidTo); err != nil {
		return nil, err
	}
	if w.Period != nil && w.Period.Exists != nil {
		return nil, Errorf(CodeBadUserInput, "period has no exists operator: every relation has a period (open when its dates are unknown); use validFrom or validTo")
	}
	if out.Period, err = c.date(w.Period); err != nil {
		return nil, err
	}
	if out.Quantity, err = c.integer(w.Quantity); err != nil {
		return nil, err
	}
	if out.Cites, err = c.cites(w.Cites); err != nil {
		return nil, err
	}
	for _, e := range []struct {
		dst **EntityWhere
		src *EntityWhere
	}{{&out.FromEntity, w.FromEntity}, {&out.ToEntity, w.ToEntity}, {&out.Other, w.Other}} {
		if *e.dst, err = c.entity(e.src, depth+1, hops); err != nil {
			return nil, err
		}
	}
	if w.Other != nil && !other {
		return nil, Errorf(CodeBadUserInput, "other is only for an entity's relations (its relations field or a relations filter); use fromEntity or toEntity")
	}
	for _, sub := range w.And {
		s, err := c.relation(sub, depth+1, hops, other)
		if err != nil {
			return nil, err
		}
		if s != nil {
			out.And = append(out.And, s)
		}
	}
	for _, sub := range w.Or {
		s, err := c.relation(sub, depth+1, hops, other)
		if err != nil {
			return nil, err
		}
		if s != nil {
			out.Or = append(out.Or, s)
		}
	}
	if w.Or != nil && out.Or == nil {
		out.Or = []*RelationWhere{}
	}
	if out.Not, err = c.relation(w.Not, depth+1, hops, other); err != nil {
		return nil, err
	}
	return &out, nil
}

func (c *whereCheck) cites(w *CitesWhere) (*CitesWhere, error) {
	if w == nil {
		return nil, nil
	}
	out := &CitesWhere{}
	for _, m := range []struct {
		dst **SourceMatch
		src *SourceMatch
	}{{&out.Some, w.Some}, {&out.None, w.None}, {&out.All, w.All}} {
		if m.src == nil {
			continue
		}
		if err := checkValues("ids", m.src.IDs); err != nil {
			return nil, err
		}
		if err := checkValues("publisher", m.src.Publisher); err != nil {
			return nil, err
		}
		cp := *m.src
		cp.IDs, cp.Publisher = nonEmpty(m.src.IDs), nonEmpty(m.src.Publisher)
		var err error
		if cp.PublishedOn, err = c.date(m.src.PublishedOn); err != nil {
			return nil, err
		}
		if err := c.count(1); err != nil {
			return nil, err
		}
		*m.dst = &cp
	}
	return out, nil
}

// NormalizeEntityWhere checks an entity filter under the rules of an entity listing (see
// EntityQuery.Normalize); exported for the complexity estimate, which refuses early.
func NormalizeEntityWhere(w *EntityWhere) (*EntityWhere, error) {
	var c whereCheck
	return c.entity(w, 0, 0)
}

// NormalizeRelationWhere checks a relation filter; other says whether Other may be used (an
// entity's relations) or not (the relations listing).
func NormalizeRelationWhere(w *RelationWhere, other bool) (*RelationWhere, error) {
	var c whereCheck
	return c.relation(w, 0, 0, other)
}
