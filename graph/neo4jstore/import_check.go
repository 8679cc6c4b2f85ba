package neo4jstore

import (
	"context"
	"fmt"
	"slices"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"

	"github.com/autograph-kg/autograph/graph/model"
)

// importCheckParams are the parameters of cypherImportCheck for a dataset: the ids it gives
// each sort of item, and every entity's kind.
func importCheckParams(d *model.Dataset) map[string]any {
	var sourceIDs, entityIDs, relationIDs []string
	var kinds []any
	for _, s := range d.Sources {
		sourceIDs = append(sourceIDs, s.ID)
	}
	for _, e := range d.Entities() {
		entityIDs = append(entityIDs, e.GetID())
		kinds = append(kinds, map[string]any{"id": e.GetID(), "kind": string(e.Kind())})
	}
	for _, r := range d.Relations {
		relationIDs = append(relationIDs, r.ID)
	}
	return map[string]any{
		"notEntityIds":   nonNil(slices.Concat(sourceIDs, relationIDs)),
		"notSourceIds":   nonNil(slices.Concat(entityIDs, relationIDs)),
		"notRelationIds": nonNil(slices.Concat(sourceIDs, entityIDs)),
		"kinds":          nonNil(kinds),
	}
}

// nonNil sends an empty list rather than null, which UNWIND would also accept but reads worse.
func nonNil[T any](s []T) []T {
	if s == nil {
		return []T{}
	}
	return s
}

// checkImport gathers the model.ImportFacts of a dataset with cypherImportCheck, in one round
// trip, and lets model.CheckImport decide.
func checkImport(ctx context.Context, tx neo4j.ManagedTransaction, d *model.Dataset) error {
	res, err := tx.Run(ctx, importCheckQuery(), importCheckParams(d))
	if err != nil {
		return err
	}
	rec, err := res.Single(ctx)
	if err != nil {
		return err
	}
	f, err := importFactsFromRecord(rec)
	if err != nil {
		return fmt.Errorf("import check: %w", err)
	}
	return model.CheckImport(d, f)
}

// importFactsFromRecord maps the one record of cypherImportCheck.
func importFactsFromRecord(rec *neo4j.Record) (*model.ImportFacts, error) {
	f := &model.ImportFacts{}
	for _, col := range []struct {
		key string
		set *map[string]bool
	}{
		{"heldByEntity", &f.HeldByEntity},
		{"heldBySource", &f.HeldBySource},
		{"heldByRelation", &f.HeldByRelation},
	} {
		ids, err := listOf[string](rec, col.key)
		if err != nil {
			return nil, err
		}
		*col.set = map[string]bool{}
		for _, id := range ids {
			(*col.set)[id] = true
		}
	}
	retyped, err := listOf[map[string]any](rec, "retyped")
	if err != nil {
		return nil, err
	}
	for _, m := range retyped {
		e := model.RetypedEntity{ID: mapString(m, "id")}
		for _, x := range mapList(m, "rels") {
			r, _ := x.(map[string]any)
			e.Relations = append(e.Relations, model.StoredRelation{
				ID: mapString(r, "id"), Type: model.RelationType(mapString(r, "type")),
				FromID: mapString(r, "fromId"), FromKind: model.EntityKind(mapString(r, "fromKind")),
				ToID: mapString(r, "toId"), ToKind: model.EntityKind(mapString(r, "toKind")),
			})
		}
		e.CountryOf = mapStrings(m, "countryOf")
		e.PublisherOf = mapStrings(m, "publisherOf")
		f.Retyped = append(f.Retyped, e)
	}
	return f, nil
}

func mapString(m map[string]any, key string) string {
	s, _ := m[key].(string)
	return s
}

func mapList(m map[string]any, key string) []any {
	l, _ := m[key].([]any)
	return l
}

func mapStrings(m map[string]any, key string) []string {
	var out []string
	for _, x := range mapList(m, key) {
		s, _ := x.(string)
		out = append(out, s)
	}
	return out
}
