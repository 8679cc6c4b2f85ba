package inmem

import (
	"encoding/json"
	"testing"

	"github.com/autograph-kg/autograph/graph/model"
)

// TestAppendTouchedIsJSONMarshal holds the hand-written encoding of a revision's Touched
// entries to json.Marshal's, byte for byte, with and without the optional fields and with
// strings that need escaping.
func TestAppendTouchedIsJSONMarshal(t *testing.T) {
	cases := []model.Touched{
		{ID: "org-toyota", Sort: model.SortEntity, Kind: model.KindOrganization},
		{ID: "src-1", Sort: model.SortSource},
		{ID: "rel-1", Sort: model.SortRelation, Type: "SUPPLIES", Ends: []string{"a", "b", "c"}},
		{ID: "weird \"id\" <&> \\ \u00e9 \x01", Sort: model.SortRelation, Ends: []string{"\u2028", "ok"}},
		{},
	}
	for _, c := range cases {
		want, err := json.Marshal(c)
		if err != nil {
			t.Fatal(err)
		}
		if got := appendTouched(nil, c); string(got) != string(want) {
			t.Errorf("appendTouched(%+v) = %s, want %s", c, got, want)
		}
	}
	if got, want := string(mustJSON(t, model.Item{})), "null"; got != want {
		t.Fatalf("the zero Item marshals as %s, and encodeChange writes %s for it", got, want)
	}
}

func mustJSON(t *testing.T, v any) []byte {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return b
}
