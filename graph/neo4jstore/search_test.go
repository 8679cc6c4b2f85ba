package neo4jstore

import (
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/neo4j/neo4j-go-driver/v5/neo4j"

	"github.com/autograph-kg/autograph/graph/model"
)

func TestSearchParams(t *testing.T) {
	p := searchParams(normalised(t, model.SearchQuery{Text: "  Škoda ", Kinds: []model.EntityKind{model.KindBrand, model.KindBrand, model.KindOrganization}, First: 3}))
	want := map[string]any{
		"q": "skoda", "kinds": []string{"BRAND", "ORGANIZATION"}, "limit": int64(3),
		"scoreExact": model.ScoreExact, "scorePrefix": model.ScorePrefix,
		"scoreWordPrefix": model.ScoreWordPrefix, "scoreSubstring": model.ScoreSubstring,
	}
	if d := cmp.Diff(want, p); d != "" {
		t.Errorf("params mismatch (-want +got):\n%s", d)
	}
	p = searchParams(normalised(t, model.SearchQuery{Text: "x"}))
	if kinds, ok := p["kinds"]; ok || p["limit"] != int64(model.DefaultPageSize) {
		t.Errorf("no kinds means no kind test and the default size; got kinds %v, limit %v", kinds, p["limit"])
	}
	if q := searchStatement(normalised(t, model.SearchQuery{Text: "x"})); strings.Contains(q, "$kinds") {
		t.Errorf("a search of every kind tests the kind:\n%s", q)
	}
}

// TestSearchUsesTheTextIndex has the server plan Search's and NameContains' statements and
// checks that their candidates come from the TEXT index on searchText, not a scan of
// every entity.
func TestSearchUsesTheTextIndex(t *testing.T) {
	s := newTestStore(t)
	ctx := t.Context()
	list, params, err := entitiesQuery(normalised(t, model.EntityQuery{Filter: model.EntityFilter{NameContains: "bai"}}))
	if err != nil {
		t.Fatal(err)
	}
	for name, c := range map[string]struct {
		q      string
		params map[string]any
	}{
		"search":       {searchStatement(normalised(t, model.SearchQuery{Text: "bai"})), searchParams(normalised(t, model.SearchQuery{Text: "bai"}))},
		"search kinds": {searchStatement(normalised(t, model.SearchQuery{Text: "bai", Kinds: []model.EntityKind{model.KindBrand}, Fields: model.FieldName})), searchParams(normalised(t, model.SearchQuery{Text: "bai", Kinds: []model.EntityKind{model.KindBrand}}))},
		"nameContains": {list, params},
	} {
		res, err := neo4j.ExecuteQuery(ctx, s.driver, "EXPLAIN "+c.q, c.params, neo4j.EagerResultTransformer,
			neo4j.ExecuteQueryWithDatabase(s.database))
		if err != nil {
			t.Fatal(err)
		}
		var ops []string
		var walk func(p neo4j.Plan)
		walk = func(p neo4j.Plan) {
			ops = append(ops, p.Operator())
			for _, c := range p.Children() {
				walk(c)
			}
		}
		walk(res.Summary.Plan())
		if !slices.ContainsFunc(ops, func(op string) bool { return strings.HasPrefix(op, "NodeIndexContainsScan") }) {
			t.Errorf("%s is planned without the text index: %v", name, ops)
		}
	}
}
