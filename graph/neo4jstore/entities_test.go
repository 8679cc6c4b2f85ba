package neo4jstore

import (
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/autograph-kg/autograph/graph/model"
)

// TestEntitiesQuery checks the parameters of entity listings; the statements are golden
// (TestCypherGolden).
func TestEntitiesQuery(t *testing.T) {
	avtotor := &model.Organization{EntityBase: model.EntityBase{ID: "avtotor", Name: "Avtotor"}}
	byName := model.Order{Field: model.SortByName}
	cases := []struct {
		name       string
		q          model.EntityQuery
		wantParams map[string]any
	}{
		{
			name:       "defaults: every kind by name, first page",
			q:          model.EntityQuery{},
			wantParams: map[string]any{"limit": int64(model.DefaultPageSize + 1)},
		},
		{
			name: "cursor by name",
			q:    model.EntityQuery{Kind: model.KindOrganization, Order: byName, First: 5, After: model.EntityQuery{Kind: model.KindOrganization, Order: byName}.Cursor(avtotor)},
			wantParams: map[string]any{
				"limit": int64(6), "afterKey": "avtotor", "afterId": "avtotor",
			},
		},
		{
			name: "cursor by id descending",
			q: model.EntityQuery{Order: model.Order{Field: model.SortByID, Desc: true},
				After: model.EntityQuery{Order: model.Order{Field: model.SortByID, Desc: true}}.Cursor(avtotor)},
			wantParams: map[string]any{"limit": int64(model.DefaultPageSize + 1), "afterKey": "", "afterId": "avtotor"},
		},
		{
			name: "filters",
			q: model.EntityQuery{Kind: model.KindOrganization, Filter: model.EntityFilter{
				IDs: []string{"a", "b"}, NameContains: "  Mercedes-BENZ ",
				Attrs: []model.AttrFilter{{Field: "type", Values: []string{"GROUP"}}, {Field: "ownership"}, {Field: "countryId", Values: []string{"china", ""}}},
			}},
			wantParams: map[string]any{
				"limit": int64(model.DefaultPageSize + 1), "ids": []string{"a", "b"}, "nameContains": "mercedes benz",
				"attr0": []string{"GROUP"}, "attr2": []string{"china", ""},
			},
		},
		{
			name:       "name filter that normalises to nothing does not filter",
			q:          model.EntityQuery{Filter: model.EntityFilter{NameContains: " -- "}},
			wantParams: map[string]any{"limit": int64(model.DefaultPageSize + 1)},
		},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, params, err := entitiesQuery(normalised(t, c.q))
			if err != nil {
				t.Fatal(err)
			}
			if d := cmp.Diff(c.wantParams, params); d != "" {
				t.Errorf("params mismatch (-want +got):\n%s", d)
			}
		})
	}
}
