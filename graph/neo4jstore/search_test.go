package neo4jstore

import (
	"testing"

	"github.com/google/go-cmp/cmp"

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
	if got := p["kinds"].([]string); len(got) != len(model.AllEntityKinds()) || p["limit"] != int64(model.DefaultPageSize) {
		t.Errorf("no kinds means every kind and the default size; got kinds %v, limit %v", got, p["limit"])
	}
}
