package neo4jstore

import (
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/autograph-kg/autograph/graph/model"
)

// TestRelationsQueries checks the parameters of relation listings; the statements are golden
// (TestCypherGolden).
func TestRelationsQueries(t *testing.T) {
	date := model.MustDate("2023")
	rq := model.RelationQuery{
		Filter: model.RelationFilter{
			IDs: []string{"r1"}, Types: []model.RelationType{model.RelOwnsBrand, model.RelSubsidiaryOf, model.RelOwnsBrand},
			Status: []model.RelationStatus{model.StatusPlanned}, AsOf: &date,
			FromIDs: []string{"a"}, ToIDs: []string{"b"}, SourceIDs: []string{"s"},
		},
		First: 3,
	}
	rq.After = rq.CursorAt("r0")
	_, params, err := relationsQuery(normalised(t, rq))
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]any{
		"relationIds": []string{"r1"}, "status": []string{"PLANNED"}, "fromIds": []string{"a"}, "toIds": []string{"b"},
		"sourceIds": []string{"s"}, "asOfStart": "2023-01-01", "asOfEnd": "2024-01-01", "limit": int64(4), "afterId": "r0",
	}
	if d := cmp.Diff(want, params); d != "" {
		t.Errorf("params mismatch (-want +got):\n%s", d)
	}

	_, params, err = relationsOfQuery([]string{"x", "y"}, normalised(t, model.RelationsOfQuery{
		Direction: model.DirectionIn,
		Filter:    model.RelationFilter{IDs: []string{"r1"}, FromIDs: []string{"a"}},
	}), false)
	if err != nil {
		t.Fatal(err)
	}
	if d := cmp.Diff(map[string]any{"ids": []string{"x", "y"}, "relationIds": []string{"r1"}, "fromIds": []string{"a"}, "limit": int64(model.DefaultPageSize + 1)}, params); d != "" {
		t.Errorf("relations of: params mismatch (-want +got):\n%s", d)
	}
}
