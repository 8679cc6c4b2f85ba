package neo4jstore

import (
	"strings"
	"testing"

	"github.com/autograph-kg/autograph/graph/model"
)

// TestCountOnlyReadsNoRows checks that a relation listing asked for counts alone is a count
// statement: it collects no relation and has no page (no LIMIT), aggregates or not.
func TestCountOnlyReadsNoRows(t *testing.T) {
	agg := &model.AggregateRequest{CountBy: []model.AggregateField{model.AggregateByType}, Dates: true}
	for name, build := range map[string]func(*model.AggregateRequest) (string, error){
		"relations": func(a *model.AggregateRequest) (string, error) {
			c, _, err := relationsQuery(normalised(t, model.RelationQuery{Aggregate: a, CountOnly: true}))
			return c, err
		},
		"relations of": func(a *model.AggregateRequest) (string, error) {
			c, _, err := relationsOfQuery([]string{"a"}, normalised(t, model.RelationsOfQuery{Aggregate: a, CountOnly: true}), false)
			return c, err
		},
	} {
		for _, a := range []*model.AggregateRequest{nil, agg} {
			c, err := build(a)
			if err != nil {
				t.Fatal(err)
			}
			if strings.Contains(c, "LIMIT") || strings.Contains(c, "{rel: r") || (a == nil && strings.Contains(c, "collect(")) {
				t.Errorf("%s, count only (aggregate %v): the statement reads rows:\n%s", name, a != nil, c)
			}
			if !strings.Contains(c, "count(") {
				t.Errorf("%s, count only: the statement does not count:\n%s", name, c)
			}
		}
	}
}

// TestEntityCountOnlyReadsNoRows checks that an entity listing asked for its count (and
// aggregate) alone is a counting statement: no page, no LIMIT, no node collected.
func TestEntityCountOnlyReadsNoRows(t *testing.T) {
	agg := &model.EntityAggregateRequest{CountBy: []model.EntityAggregateField{model.EntityAggregateByKind}, Founded: true}
	for _, kind := range []model.EntityKind{"", model.KindOrganization} {
		for _, a := range []*model.EntityAggregateRequest{nil, agg} {
			c, _, err := entitiesQuery(normalised(t, model.EntityQuery{Kind: kind, Aggregate: a, CountOnly: true}))
			if err != nil {
				t.Fatal(err)
			}
			if strings.Contains(c, "LIMIT") || strings.Contains(c, "collect(n)") || (a == nil && strings.Contains(c, "collect(")) {
				t.Errorf("entities of %q, count only (aggregate %v): the statement reads rows:\n%s", kind, a != nil, c)
			}
			if !strings.Contains(c, "count(n)") || (a != nil && !strings.Contains(c, "min(n.founded)")) {
				t.Errorf("entities of %q, count only: the statement does not count or aggregate:\n%s", kind, c)
			}
		}
	}
}
