package storetest

import (
	"testing"

	"github.com/autograph-kg/autograph/graph/model"
)

// testQueryRules checks that every query method applies its query's Normalize: each query
// below breaks one rule of graph/model/query.go and must be refused with BAD_USER_INPUT, by
// both stores alike, before the store looks anything up (an unknown id does not turn the
// refusal into NOT_FOUND).
func testQueryRules(t *testing.T, s model.Store) {
	ctx := t.Context()
	knows := []model.RelationType{"KNOWS"}
	calls := map[string]func() error{
		"Entities: unknown kind": func() error {
			_, err := s.Entities(ctx, model.EntityQuery{Kind: "SPACESHIP"})
			return err
		},
		"Entities: order of sources": func() error {
			_, err := s.Entities(ctx, model.EntityQuery{Order: model.Order{Field: model.SortByPublishedOn}})
			return err
		},
		"Entities: another kind's attribute": func() error {
			_, err := s.Entities(ctx, model.EntityQuery{Kind: model.KindPlant, Filter: model.EntityFilter{Attrs: []model.AttrFilter{{Field: model.AttrSegment, Values: []string{"PASSENGER"}}}}})
			return err
		},
		"Sources: order of entities": func() error {
			_, err := s.Sources(ctx, model.SourceQuery{Order: model.Order{Field: model.SortByName}})
			return err
		},
		"Relations: unknown type": func() error {
			_, err := s.Relations(ctx, model.RelationQuery{Filter: model.RelationFilter{Types: knows}})
			return err
		},
		"Relations: unknown status": func() error {
			_, err := s.Relations(ctx, model.RelationQuery{Filter: model.RelationFilter{Status: []model.RelationStatus{"MAYBE"}}})
			return err
		},
		"RelationsOf: unknown direction": func() error {
			_, err := s.RelationsOf(ctx, []string{"avtotor"}, model.RelationsOfQuery{Direction: "SIDEWAYS"})
			return err
		},
		"RelationsOf: unknown status": func() error {
			_, err := s.RelationsOf(ctx, []string{"avtotor"}, model.RelationsOfQuery{Filter: model.RelationFilter{Status: []model.RelationStatus{"active"}}})
			return err
		},
		"Search: unknown kind": func() error {
			_, err := s.Search(ctx, model.SearchQuery{Text: "avtotor", Kinds: []model.EntityKind{model.KindBrand, "Entity"}})
			return err
		},
		"Neighborhood: unknown type of an unknown entity": func() error {
			_, err := s.Neighborhood(ctx, model.NeighborhoodQuery{ID: "no-such-entity", Depth: 1, Types: knows})
			return err
		},
		"Neighborhood: negative depth": func() error {
			_, err := s.Neighborhood(ctx, model.NeighborhoodQuery{ID: "avtotor", Depth: -1})
			return err
		},
		"Neighborhood: too deep": func() error {
			_, err := s.Neighborhood(ctx, model.NeighborhoodQuery{ID: "avtotor", Depth: model.MaxNeighborhoodDepth + 1})
			return err
		},
		"Neighborhood: too many nodes": func() error {
			_, err := s.Neighborhood(ctx, model.NeighborhoodQuery{ID: "avtotor", Depth: 1, Limit: model.MaxNeighborhoodLimit + 1})
			return err
		},
		"Paths: too long": func() error {
			_, err := s.Paths(ctx, model.PathQuery{From: "chain-1", To: "chain-7", MaxLength: model.MaxPathLength + 1})
			return err
		},
		"Paths: too many": func() error {
			_, err := s.Paths(ctx, model.PathQuery{From: "avtotor", To: "baic-group", First: model.MaxPaths + 1})
			return err
		},
		"Paths: unknown type between unknown entities": func() error {
			_, err := s.Paths(ctx, model.PathQuery{From: "no-such-entity", To: "nor-this-one", Types: knows})
			return err
		},
		"Paths: too long from an entity to itself": func() error {
			_, err := s.Paths(ctx, model.PathQuery{From: "avtotor", To: "avtotor", MaxLength: model.MaxPathLength + 1})
			return err
		},
	}
	for name, call := range calls {
		t.Run(name, func(t *testing.T) {
			wantCode(t, name, call(), model.CodeBadUserInput)
		})
	}
}
