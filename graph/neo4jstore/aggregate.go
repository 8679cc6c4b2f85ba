package neo4jstore

import (
	"fmt"
	"slices"
	"strings"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"

	"github.com/autograph-kg/autograph/graph/model"
)

// Relation aggregates: one more subquery per grouping (and one for the date bounds) in the
// listing's own statement, over the same MATCH and WHERE as its count. Partial dates are
// stored as stated, whose string order is model.Date.Before's, so min and max on the strings
// are the bounds model.Aggregator computes.

// aggregateGroupBlock groups the matching relations by one expression: %[1]s is the
// subquery's scope, %[2]s the MATCH (and WITH DISTINCT) of the listing, %[3]s the grouping
// expression, %[4]s the column.
const aggregateGroupBlock = `
CALL %[1]s {
  %[2]s
  WITH %[3]s AS value, count(*) AS n
  ORDER BY value
  RETURN collect({value: value, count: n}) AS %[4]s
}`

// aggregateDatesBlock takes the bounds of validFrom and validTo: %[1]s and %[2]s as above,
// %[3]s the relationship variable.
const aggregateDatesBlock = `
CALL %[1]s {
  %[2]s
  RETURN min(%[3]s.validFrom) AS minValidFrom, max(%[3]s.validFrom) AS maxValidFrom,
    min(%[3]s.validTo) AS minValidTo, max(%[3]s.validTo) AS maxValidTo
}`

// aggregateExprs are the grouping expressions of the fields, on relationship variable %s.
var aggregateExprs = map[model.AggregateField]string{
	model.AggregateByType:     "type(%s)",
	model.AggregateByStatus:   "%s.status",
	model.AggregateByFromKind: "startNode(%s).kind",
	model.AggregateByToKind:   "endNode(%s).kind",
}

// groupColumn names the column of one grouping.
func groupColumn(f model.AggregateField) string { return "countBy" + string(f) }

// aggregateBlocks renders the subqueries of a checked aggregate request and the columns they
// add to the RETURN; both empty when there is no request.
func aggregateBlocks(scope, match, r string, req *model.AggregateRequest) (string, string) {
	if req == nil {
		return "", ""
	}
	var blocks, cols strings.Builder
	for _, f := range req.CountBy {
		expr, ok := aggregateExprs[f]
		if !ok {
			continue // Normalize refuses other fields
		}
		fmt.Fprintf(&blocks, aggregateGroupBlock, scope, match, fmt.Sprintf(expr, r), groupColumn(f))
		cols.WriteString(", " + groupColumn(f))
	}
	if req.Dates {
		fmt.Fprintf(&blocks, aggregateDatesBlock, scope, match, r)
		cols.WriteString(", minValidFrom, maxValidFrom, minValidTo, maxValidTo")
	}
	return blocks.String(), cols.String()
}

// aggregateFromRecord reads the aggregate columns of a record; nil without a request.
func aggregateFromRecord(rec *neo4j.Record, req *model.AggregateRequest) (*model.RelationAggregate, error) {
	if req == nil {
		return nil, nil
	}
	total, err := recordValue[int64](rec, "total")
	if err != nil {
		return nil, err
	}
	agg := &model.RelationAggregate{Count: int(total), Groups: map[model.AggregateField][]model.AggregateGroup{}}
	for _, f := range req.CountBy {
		list, err := listOf[map[string]any](rec, groupColumn(f))
		if err != nil {
			return nil, err
		}
		gs := make([]model.AggregateGroup, 0, len(list))
		for _, m := range list {
			v, _ := m["value"].(string)
			n, ok := m["count"].(int64)
			if !ok {
				return nil, fmt.Errorf("record value %q: count is a %T", groupColumn(f), m["count"])
			}
			gs = append(gs, model.AggregateGroup{Value: v, Count: int(n)})
		}
		agg.Groups[f] = gs
	}
	if req.Dates {
		for _, d := range []struct {
			col string
			dst **model.Date
		}{{"minValidFrom", &agg.ValidFrom.Min}, {"maxValidFrom", &agg.ValidFrom.Max}, {"minValidTo", &agg.ValidTo.Min}, {"maxValidTo", &agg.ValidTo.Max}} {
			s, isNil, err := neo4j.GetRecordValue[string](rec, d.col)
			if err != nil {
				return nil, fmt.Errorf("record value %q: %w", d.col, err)
			}
			if isNil {
				continue
			}
			v, err := model.ParseDate(s)
			if err != nil {
				return nil, fmt.Errorf("record value %q: stored date %q: %v", d.col, s, err)
			}
			*d.dst = &v
		}
	}
	return agg, nil
}

// Entity aggregates, in the same way: one subquery per grouping and one for the founding
// dates, over the listing's own MATCH and WHERE. An attribute that is missing or empty puts
// the entity in no group, as model.EntityAggregator does.

// entityAggregateGroupBlock groups the matching entities (node n) by one expression: %[1]s is
// the listing's MATCH and WHERE, %[2]s the grouping expression, %[3]s the column.
const entityAggregateGroupBlock = `
CALL () {
  %[1]s
  WITH %[2]s AS value, count(*) AS c
  WHERE value <> ''
  ORDER BY value
  RETURN collect({value: value, count: c}) AS %[3]s
}`

// entityAggregateFoundedBlock takes the bounds of the founding dates: %[1]s as above.
const entityAggregateFoundedBlock = `
CALL () {
  %[1]s
  RETURN min(n.founded) AS minFounded, max(n.founded) AS maxFounded
}`

// entityGroupExpr is the grouping expression of a field on node n; the attribute property
// names come from the model's table, checked against model.AttrFields.
func entityGroupExpr(f model.EntityAggregateField) (string, bool) {
	if f == model.EntityAggregateByKind {
		return "n.kind", true
	}
	attr := model.EntityAggregateAttr(f)
	if attr == "" || !slices.Contains(model.AttrFields(""), attr) {
		return "", false
	}
	return "coalesce(n." + attr + ", '')", true
}

// entityGroupColumn names the column of one entity grouping.
func entityGroupColumn(f model.EntityAggregateField) string { return "countBy" + string(f) }

// entityAggregateBlocks renders the subqueries of a checked entity aggregate request and the
// columns they add to the RETURN; both empty when there is no request.
func entityAggregateBlocks(match string, req *model.EntityAggregateRequest) (string, string) {
	if req == nil {
		return "", ""
	}
	var blocks, cols strings.Builder
	for _, f := range req.CountBy {
		expr, ok := entityGroupExpr(f)
		if !ok {
			continue // Normalize refuses other fields
		}
		fmt.Fprintf(&blocks, entityAggregateGroupBlock, match, expr, entityGroupColumn(f))
		cols.WriteString(", " + entityGroupColumn(f))
	}
	if req.Founded {
		fmt.Fprintf(&blocks, entityAggregateFoundedBlock, match)
		cols.WriteString(", minFounded, maxFounded")
	}
	return blocks.String(), cols.String()
}

// entityAggregateFromRecord reads the entity aggregate columns of a record; nil without a
// request.
func entityAggregateFromRecord(rec *neo4j.Record, req *model.EntityAggregateRequest) (*model.EntityAggregate, error) {
	if req == nil {
		return nil, nil
	}
	total, err := recordValue[int64](rec, "total")
	if err != nil {
		return nil, err
	}
	agg := &model.EntityAggregate{Count: int(total), Groups: map[model.EntityAggregateField][]model.AggregateGroup{}}
	for _, f := range req.CountBy {
		gs, err := groupsFromRecord(rec, entityGroupColumn(f))
		if err != nil {
			return nil, err
		}
		agg.Groups[f] = gs
	}
	if req.Founded {
		for _, d := range []struct {
			col string
			dst **model.Date
		}{{"minFounded", &agg.Founded.Min}, {"maxFounded", &agg.Founded.Max}} {
			if *d.dst, err = dateColumn(rec, d.col); err != nil {
				return nil, err
			}
		}
	}
	return agg, nil
}

// groupsFromRecord reads a column of {value, count} maps.
func groupsFromRecord(rec *neo4j.Record, col string) ([]model.AggregateGroup, error) {
	list, err := listOf[map[string]any](rec, col)
	if err != nil {
		return nil, err
	}
	gs := make([]model.AggregateGroup, 0, len(list))
	for _, m := range list {
		v, _ := m["value"].(string)
		n, ok := m["count"].(int64)
		if !ok {
			return nil, fmt.Errorf("record value %q: count is a %T", col, m["count"])
		}
		gs = append(gs, model.AggregateGroup{Value: v, Count: int(n)})
	}
	return gs, nil
}

// dateColumn reads a stored partial date; nil when the column is null.
func dateColumn(rec *neo4j.Record, col string) (*model.Date, error) {
	s, isNil, err := neo4j.GetRecordValue[string](rec, col)
	if err != nil {
		return nil, fmt.Errorf("record value %q: %w", col, err)
	}
	if isNil {
		return nil, nil
	}
	v, err := model.ParseDate(s)
	if err != nil {
		return nil, fmt.Errorf("record value %q: stored date %q: %v", col, s, err)
	}
	return &v, nil
}
