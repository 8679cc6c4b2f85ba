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
			c, _, err := relationsOfQuery([]string{"a"}, normalised(t, model.RelationsOfQuery{Aggregate: a, CountOnly: true}))
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
