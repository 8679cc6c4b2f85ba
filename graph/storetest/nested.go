package storetest

import (
	"maps"
	"slices"
	"testing"
	"time"

	"github.com/autograph-kg/autograph/graph/instrument"
	"github.com/autograph-kg/autograph/graph/model"
)

// nestedWant is a nested read's answer as ids: the entities, and the pages of each level in
// the order of a depth-first walk of the trees (a level, then its Next).
type nestedWant struct {
	Entities []string
	Levels   []map[string]pageWant
}

// nestedGot flattens an answer the way nestedWant is written.
func nestedGot(n *model.Nested) nestedWant {
	out := nestedWant{Entities: slices.Sorted(maps.Keys(n.Entities))}
	var walk func([]model.TreePages)
	walk = func(ts []model.TreePages) {
		for _, tp := range ts {
			level := map[string]pageWant{}
			for id, p := range tp.Pages {
				level[id] = pageWant{relationIDs(p.Items), p.HasNextPage, p.TotalCount}
			}
			out.Levels = append(out.Levels, level)
			walk(tp.Next)
		}
	}
	walk(n.Trees)
	return out
}

// testNested checks model.ReadNested, the store's own NestedReader or the composition of its
// batch methods: the levels of typed relation lists below a set of entities, read at once.
func testNested(t *testing.T, s model.Store) {
	ctx := t.Context()
	q := func(dir model.Direction, asOf *model.Date, types ...model.RelationType) model.RelationsOfQuery {
		return model.RelationsOfQuery{Direction: dir, Filter: model.RelationFilter{Types: types, AsOf: asOf}, First: model.MaxListSize}
	}
	brands := q(model.DirectionOut, nil, model.RelOwnsBrand)
	models := q(model.DirectionOut, nil, model.RelHasModel)
	partners2013 := q(model.DirectionBoth, date("2013"), model.RelPartnersWith)
	cases := []struct {
		name  string
		ids   []string
		trees []model.RelationsTree
		want  nestedWant
	}{
		{"brands and their models, an unknown id", []string{"baic-motor", "mercedes-benz-group", "no-such-entity"},
			[]model.RelationsTree{{Query: brands, Next: []model.RelationsTree{{Query: models}}}},
			nestedWant{
				Entities: []string{"baic", "baic-motor", "baic-u5-plus", "baic-x35", "baic-x55", "mercedes-benz", "mercedes-benz-group", "mercedes-eqs"},
				Levels: []map[string]pageWant{
					{
						"baic-motor":          {[]string{"r-baic-motor-owns-baic"}, false, 1},
						"mercedes-benz-group": {[]string{"r-mercedes-group-owns-brand"}, false, 1},
						"no-such-entity":      {nil, false, 0},
					},
					{
						"baic":          {[]string{"r-baic-has-u5-plus", "r-baic-has-x35", "r-baic-has-x55"}, false, 3},
						"mercedes-benz": {[]string{"r-mercedes-has-eqs"}, false, 1},
					},
				},
			}},
		{"asOf on both levels, back to the root, and a sibling list", []string{"avtotor"},
			[]model.RelationsTree{
				{Query: partners2013, Next: []model.RelationsTree{{Query: partners2013}}},
				{Query: q(model.DirectionOut, nil, model.RelOperates), Next: []model.RelationsTree{{Query: q(model.DirectionOut, nil, model.RelLocatedIn)}}},
			},
			nestedWant{
				Entities: []string{"avtotor", "avtotor-plant", "baic-group", "kaliningrad", "mercedes-benz-group"},
				Levels: []map[string]pageWant{
					{"avtotor": {[]string{"r-avtotor-partners-baic-1", "r-avtotor-partners-mercedes"}, false, 2}},
					{
						"baic-group":          {[]string{"r-avtotor-partners-baic-1"}, false, 1},
						"mercedes-benz-group": {[]string{"r-avtotor-partners-mercedes"}, false, 1},
					},
					{"avtotor": {[]string{"r-avtotor-operates-plant"}, false, 1}},
					{"avtotor-plant": {[]string{"r-avtotor-plant-in-kaliningrad"}, false, 1}},
				},
			}},
		{"a full page is counted", []string{"baic"},
			[]model.RelationsTree{{Query: model.RelationsOfQuery{Direction: model.DirectionOut, Filter: model.RelationFilter{Types: []model.RelationType{model.RelHasModel}}, First: 2}}},
			nestedWant{
				Entities: []string{"baic", "baic-u5-plus", "baic-x35"},
				Levels:   []map[string]pageWant{{"baic": {[]string{"r-baic-has-u5-plus", "r-baic-has-x35"}, true, 3}}},
			}},
		{"a page of as many as there are, and one of more", []string{"baic", "baic-x35"},
			[]model.RelationsTree{
				{Query: model.RelationsOfQuery{Direction: model.DirectionOut, Filter: model.RelationFilter{Types: []model.RelationType{model.RelHasModel}}, First: 3}},
				{Query: model.RelationsOfQuery{Direction: model.DirectionIn, Filter: model.RelationFilter{Types: []model.RelationType{model.RelHasModel}}, First: 4}},
			},
			nestedWant{
				Entities: []string{"baic", "baic-u5-plus", "baic-x35", "baic-x55"},
				Levels: []map[string]pageWant{
					{"baic": {[]string{"r-baic-has-u5-plus", "r-baic-has-x35", "r-baic-has-x55"}, false, 3}, "baic-x35": {nil, false, 0}},
					{"baic": {nil, false, 0}, "baic-x35": {[]string{"r-baic-has-x35"}, false, 1}},
				},
			}},
		{"no relations: empty pages, an empty next level", []string{"monaco"},
			[]model.RelationsTree{{Query: brands, Next: []model.RelationsTree{{Query: models}}}},
			nestedWant{Entities: []string{"monaco"}, Levels: []map[string]pageWant{{"monaco": {nil, false, 0}}, {}}}},
		{"no trees: the entities alone", []string{"kia", "no-such-entity"}, nil,
			nestedWant{Entities: []string{"kia"}}},
		{"no ids", nil, []model.RelationsTree{{Query: brands}},
			nestedWant{Levels: []map[string]pageWant{{}}}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got, err := model.ReadNested(ctx, s, c.ids, c.trees)
			noErr(t, "ReadNested", err)
			diff(t, "answer", c.want, nestedGot(got))
			// The entities and pages are those of the store's other reads, whole.
			want, err := model.ComposeNested(ctx, s, c.ids, c.trees)
			noErr(t, "ComposeNested", err)
			diff(t, "against ComposeNested", want, got, contentOpts())
			// As the loaders read it: the store's shared answer, the same.
			shared, err := instrument.Wrap(s, nil).SharedReadNested(ctx, c.ids, c.trees)
			noErr(t, "SharedReadNested", err)
			diff(t, "SharedReadNested against ReadNested", got, shared, contentOpts())
		})
	}

	// Levels that ask for more than a first page of rows (a cursor, a count, an aggregate,
	// another order) give what the store's other reads give.
	after := model.RelationsOfQuery{Direction: model.DirectionOut, Filter: model.RelationFilter{Types: []model.RelationType{model.RelHasModel}}, First: 1}
	after.After = after.CursorAt("r-baic-has-u5-plus")
	others := map[string]model.RelationsTree{
		"after a cursor": {Query: after},
		"count only":     {Query: model.RelationsOfQuery{Direction: model.DirectionOut, CountOnly: true}},
		"aggregate":      {Query: model.RelationsOfQuery{Direction: model.DirectionBoth, Aggregate: &model.AggregateRequest{CountBy: []model.AggregateField{model.AggregateByType}}}},
		"ordered by type": {Query: model.RelationsOfQuery{Direction: model.DirectionOut, Order: model.Order{Field: model.SortByType, Desc: true}, First: 3},
			Next: []model.RelationsTree{{Query: models}}},
	}
	for name, tree := range others {
		t.Run(name, func(t *testing.T) {
			ids := []string{"baic", "avtotor"}
			got, err := model.ReadNested(ctx, s, ids, []model.RelationsTree{tree})
			noErr(t, "ReadNested", err)
			want, err := model.ComposeNested(ctx, s, ids, []model.RelationsTree{tree})
			noErr(t, "ComposeNested", err)
			diff(t, "against ComposeNested", want, got, contentOpts())
			if len(got.Trees) != 1 || len(got.Trees[0].Pages) != 2 {
				t.Errorf("ReadNested gave %d trees, want one with a page for each of %v", len(got.Trees), ids)
			}
		})
	}

	// A list of relations by status and date (organization(id) { assembles(status, asOf) })
	// gives what the store's other reads give, and filters.
	t.Run("assembly relations by status and date", func(t *testing.T) {
		ids := []string{"avtotor", "baic"}
		filtered := model.RelationsOfQuery{Direction: model.DirectionOut, Filter: model.RelationFilter{
			Types: []model.RelationType{model.RelAssembles}, Status: []model.RelationStatus{model.StatusActive, model.StatusPlanned}, AsOf: date("2023"),
		}, First: model.MaxListSize}
		all := q(model.DirectionOut, nil, model.RelAssembles)
		trees := []model.RelationsTree{{Query: filtered}, {Query: all}}
		got, err := model.ReadNested(ctx, s, ids, trees)
		noErr(t, "ReadNested", err)
		want, err := model.ComposeNested(ctx, s, ids, trees)
		noErr(t, "ComposeNested", err)
		diff(t, "against ComposeNested", want, got, contentOpts())
		if n, m := len(got.Trees[0].Pages["avtotor"].Items), len(got.Trees[1].Pages["avtotor"].Items); n == 0 || n >= m {
			t.Errorf("avtotor's assembly relations: %d by status and date, %d in all; want some, and fewer", n, m)
		}
	})

	// Trees that read only some fields of the other ends (Ends): a store may read only those,
	// and the slim relations, but what it gives agrees with the whole answer.
	parts := []struct {
		name       string
		outer, in  model.EntityFields
		wantFields model.EntityFields
	}{
		{"ids only", model.FieldID, model.FieldID, model.FieldID},
		{"names below, everything above", 0, model.FieldID | model.FieldName, model.FieldID | model.FieldName},
		{"sources and own fields", model.FieldID | model.FieldOwn, model.FieldID | model.FieldSources | model.FieldName,
			model.FieldID | model.FieldOwn | model.FieldSources | model.FieldName},
		{"every field, said", model.AllEntityFields, model.AllEntityFields, model.AllEntityFields},
	}
	for _, c := range parts {
		t.Run("read in part: "+c.name, func(t *testing.T) {
			ids := []string{"baic-motor", "mercedes-benz-group", "baic-group", "no-such-entity"}
			trees := []model.RelationsTree{{Query: brands, Ends: c.outer, Next: []model.RelationsTree{{Query: models, Ends: c.in}}}}
			got, err := model.ReadNested(ctx, s, ids, trees)
			noErr(t, "ReadNested", err)
			whole, err := model.ComposeNested(ctx, s, ids, []model.RelationsTree{{Query: brands, Next: []model.RelationsTree{{Query: models}}}})
			noErr(t, "ComposeNested", err)
			diff(t, "the ids and pages", nestedGot(whole), nestedGot(&model.Nested{Entities: union(got.Entities, got.Partial), Trees: got.Trees}))
			if len(got.Partial) > 0 && !got.PartialFields.Has(c.wantFields) {
				t.Errorf("PartialFields = %b, want at least %b", got.PartialFields, c.wantFields)
			}
			for id, e := range got.Entities {
				diff(t, "whole entity "+id, whole.Entities[id], e, contentOpts())
				if _, ok := got.Partial[id]; ok {
					t.Errorf("%s is both whole and in part", id)
				}
			}
			for id, e := range got.Partial {
				diff(t, "entity in part "+id, masked(whole.Entities[id], got.PartialFields), e, contentOpts())
			}
			var levels func(want, got []model.TreePages)
			levels = func(want, got []model.TreePages) {
				for i := range min(len(want), len(got)) {
					for id, p := range got[i].Pages {
						w := want[i].Pages[id]
						if w == nil {
							continue // the ids and pages differ: reported above
						}
						if got[i].Slim {
							diff(t, "slim page of "+id, slimRelations(w.Items), p.Items)
						} else {
							diff(t, "page of "+id, w, p, contentOpts())
						}
					}
					levels(want[i].Next, got[i].Next)
				}
			}
			levels(whole.Trees, got.Trees)
		})
	}

	t.Run("too deep", func(t *testing.T) {
		tree := model.RelationsTree{Query: brands}
		for range model.MaxNestedLevels {
			tree = model.RelationsTree{Query: brands, Next: []model.RelationsTree{tree}}
		}
		_, err := model.ReadNested(ctx, s, []string{"avtotor"}, []model.RelationsTree{tree})
		wantCode(t, "ReadNested of more than MaxNestedLevels levels", err, model.CodeBadUserInput)
	})
	t.Run("unknown direction", func(t *testing.T) {
		_, err := model.ReadNested(ctx, s, []string{"avtotor"}, []model.RelationsTree{{Query: model.RelationsOfQuery{Direction: "SIDEWAYS"}}})
		wantCode(t, "ReadNested of an unknown direction", err, model.CodeBadUserInput)
	})
}

// union is the entities of a and b together.
func union(a, b map[string]model.Entity) map[string]model.Entity {
	out := maps.Clone(a)
	if out == nil {
		out = map[string]model.Entity{}
	}
	maps.Copy(out, b)
	return out
}

// slimRelations is what a slim page keeps of relations (model.TreePages.Slim).
func slimRelations(rels []*model.Relation) []*model.Relation {
	out := make([]*model.Relation, len(rels))
	for i, r := range rels {
		out[i] = &model.Relation{ID: r.ID, Type: r.Type, Status: r.Status, FromID: r.FromID, ToID: r.ToID}
	}
	return out
}

// masked is e with only the fields f (and its id and kind) kept, as a read of those fields
// gives it: the other fields zero, but for an organization's or a place's type, which is
// always read.
func masked(e model.Entity, f model.EntityFields) model.Entity {
	if e == nil {
		return nil
	}
	c := e.Clone()
	b := c.Common()
	if !f.Has(model.FieldName) {
		b.Name = ""
	}
	if !f.Has(model.FieldAliases) {
		b.Aliases = nil
	}
	if !f.Has(model.FieldDescription) {
		b.Description = ""
	}
	if !f.Has(model.FieldSources) {
		b.SourceIDs = nil
	}
	if !f.Has(model.FieldCreatedAt) {
		b.CreatedAt = time.Time{}
	}
	if !f.Has(model.FieldUpdatedAt) {
		b.UpdatedAt = time.Time{}
	}
	if f.Has(model.FieldOwn) {
		return c
	}
	switch v := c.(type) {
	case *model.Organization:
		v.Ownership, v.Founded, v.CountryID = nil, nil, ""
	case *model.Brand:
		v.Segment, v.Founded, v.CountryID = nil, nil, ""
	case *model.VehicleModel:
		v.Powertrain = nil
	case *model.Plant:
		v.Opened = nil
	case *model.Place:
		v.CountryCode = ""
	case *model.Agreement:
		v.SignedOn, v.AnnouncedOn, v.Provisions = nil, nil, nil
	}
	return c
}
