package neo4jstore

import (
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
	"github.com/neo4j/neo4j-go-driver/v5/neo4j"

	"github.com/autograph-kg/autograph/graph/model"
	"github.com/autograph-kg/autograph/graph/storetest"
)

func TestImportFactsFromRecord(t *testing.T) {
	rec := &neo4j.Record{
		Keys: []string{"heldByEntity", "heldBySource", "heldByRelation", "retyped"},
		Values: []any{
			[]any{"tass"}, []any{}, []any{"avtotor", "baic"},
			[]any{map[string]any{
				"id": "kaliningrad",
				"rels": []any{map[string]any{
					"id": "r-avtotor-in-kaliningrad", "type": "LOCATED_IN",
					"fromId": "avtotor", "fromKind": "ORGANIZATION", "toId": "kaliningrad", "toKind": "PLACE",
				}},
				"countryOf":   []any{"avtotor"},
				"publisherOf": []any{},
			}},
		},
	}
	got, err := importFactsFromRecord(rec)
	if err != nil {
		t.Fatal(err)
	}
	want := &model.ImportFacts{
		HeldByEntity:   map[string]bool{"tass": true},
		HeldBySource:   map[string]bool{},
		HeldByRelation: map[string]bool{"avtotor": true, "baic": true},
		Retyped: []model.RetypedEntity{{
			ID: "kaliningrad",
			Relations: []model.StoredRelation{{ID: "r-avtotor-in-kaliningrad", Type: model.RelLocatedIn,
				FromID: "avtotor", FromKind: model.KindOrganization, ToID: "kaliningrad", ToKind: model.KindPlace}},
			CountryOf: []string{"avtotor"},
		}},
	}
	if d := cmp.Diff(want, got, cmpopts.EquateEmpty()); d != "" {
		t.Errorf("import facts (-want +got):\n%s", d)
	}
	rec.Values[0] = "not a list"
	if _, err := importFactsFromRecord(rec); err == nil {
		t.Error("a string for a list of ids: no error")
	}
}

func TestImportRows(t *testing.T) {
	fx := storetest.Fixture()
	rows, err := buildImportRows(t.Context(), fx)
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, k := range model.AllEntityKinds() {
		n += len(rows.entities[k])
	}
	m := 0
	for _, typ := range model.AllRelationTypes() {
		m += len(rows.byType[typ])
	}
	if len(rows.sources) != len(fx.Sources) || n != len(fx.Entities()) || len(rows.relations) != len(fx.Relations) || m != len(fx.Relations) {
		t.Errorf("rows: %d sources, %d entities, %d relations (%d by type)", len(rows.sources), n, len(rows.relations), m)
	}
	fx.Relations[0].Type = "KNOWS"
	if _, err := buildImportRows(t.Context(), fx); model.ErrorCode(err) != model.CodeBadUserInput {
		t.Errorf("relation of an unknown type: error = %v, want BAD_USER_INPUT", err)
	}
}
