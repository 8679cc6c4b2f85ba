package storetest

import (
	"fmt"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/autograph-kg/autograph/graph/model"
)

// subgraphWant is the expected shape of a neighborhood.
type subgraphWant struct {
	Nodes     []string
	Relations []string
	Truncated bool
}

// testNeighborhood checks depths, node order (centre, then distance, then id), Limit and
// Truncated (at every level, and past MaxSubgraphRelations), type and asOf filters on both
// the walk and the returned relations, self-loops and NOT_FOUND.
func testNeighborhood(t *testing.T, s model.Store) {
	ctx := t.Context()
	// avtotor's eleven neighbours in id order, and the eighteen relations among it and them:
	// its own twelve plus six between neighbours (plant-kaliningrad, baic-group-agreement,
	// baic's three models, Mercedes group-brand).
	avtotor1 := []string{
		"avtotor", "avtotor-baic-agreement", "avtotor-plant", "baic", "baic-group", "baic-u5-plus",
		"baic-x35", "baic-x55", "kaliningrad", "kia", "mercedes-benz", "mercedes-benz-group",
	}
	avtotor1Rels := append(append([]string{}, avtotorRels...),
		"r-avtotor-plant-in-kaliningrad", "r-baic-group-party-to-agreement", "r-baic-has-u5-plus",
		"r-baic-has-x35", "r-baic-has-x55", "r-mercedes-group-owns-brand")
	without := func(s []string, drop ...string) []string {
		var out []string
		for _, x := range s {
			keep := true
			for _, d := range drop {
				keep = keep && x != d
			}
			if keep {
				out = append(out, x)
			}
		}
		return out
	}
	// haval-plant: depth 1 reaches two models, the operator and the region; depth 2 the brand,
	// the brand's owner and the country.
	haval1 := []string{"haval-plant", "haval-f7", "haval-jolion", "haval-motor-rus", "tula-oblast"}
	haval1Rels := []string{"r-haval-plant-assembles-f7", "r-haval-plant-assembles-jolion", "r-haval-plant-in-tula", "r-haval-rus-operates-plant"}
	haval2 := append(append([]string{}, haval1...), "great-wall-motor", "haval", "russia")
	haval2Rels := []string{
		"r-gwm-owns-haval", "r-haval-has-f7", "r-haval-has-jolion", "r-haval-plant-assembles-f7",
		"r-haval-plant-assembles-jolion", "r-haval-plant-in-tula", "r-haval-rus-operates-plant",
		"r-haval-rus-subsidiary-of-gwm", "r-tula-in-russia",
	}
	assembles := []model.RelationType{model.RelAssembles}

	cases := []struct {
		name string
		q    model.NeighborhoodQuery
		want subgraphWant
	}{
		{"depth 0 is the entity alone", model.NeighborhoodQuery{ID: "avtotor", Depth: 0}, subgraphWant{[]string{"avtotor"}, nil, false}},
		{"an entity without relations", model.NeighborhoodQuery{ID: "monaco", Depth: 2}, subgraphWant{[]string{"monaco"}, nil, false}},
		{"depth 1 of the hub", model.NeighborhoodQuery{ID: "avtotor", Depth: 1}, subgraphWant{avtotor1, avtotor1Rels, false}},
		{"limit exactly the node count is not a cut", model.NeighborhoodQuery{ID: "avtotor", Depth: 1, Limit: 12}, subgraphWant{avtotor1, avtotor1Rels, false}},
		{"limit one short", model.NeighborhoodQuery{ID: "avtotor", Depth: 1, Limit: 11},
			subgraphWant{avtotor1[:11], without(avtotor1Rels, "r-avtotor-partners-mercedes", "r-mercedes-group-owns-brand"), true}},
		{"limit 5 keeps the first ids", model.NeighborhoodQuery{ID: "avtotor", Depth: 1, Limit: 5},
			subgraphWant{avtotor1[:5], []string{"r-avtotor-assembles-baic", "r-avtotor-operates-plant", "r-avtotor-partners-baic-1",
				"r-avtotor-partners-baic-2", "r-avtotor-party-to-agreement", "r-baic-group-party-to-agreement"}, true}},
		{"limit 1 is the centre", model.NeighborhoodQuery{ID: "avtotor", Depth: 1, Limit: 1}, subgraphWant{[]string{"avtotor"}, nil, true}},
		{"type filter", model.NeighborhoodQuery{ID: "avtotor", Depth: 1, Types: assembles},
			subgraphWant{[]string{"avtotor", "baic", "baic-u5-plus", "baic-x35", "baic-x55", "kia", "mercedes-benz"}, avtotorRels[:6], false}},
		{"type filter applies to relations among neighbours", model.NeighborhoodQuery{ID: "avtotor", Depth: 1, Types: []model.RelationType{model.RelAssembles, model.RelHasModel}},
			subgraphWant{[]string{"avtotor", "baic", "baic-u5-plus", "baic-x35", "baic-x55", "kia", "mercedes-benz"},
				append(append([]string{}, avtotorRels[:6]...), "r-baic-has-u5-plus", "r-baic-has-x35", "r-baic-has-x55"), false}},
		{"asOf", model.NeighborhoodQuery{ID: "avtotor", Depth: 1, AsOf: date("2023-06")},
			subgraphWant{[]string{"avtotor", "avtotor-baic-agreement", "avtotor-plant", "baic", "baic-group", "baic-x35", "baic-x55", "kaliningrad"},
				[]string{"r-avtotor-assembles-baic", "r-avtotor-assembles-baic-x35", "r-avtotor-assembles-baic-x55", "r-avtotor-in-kaliningrad",
					"r-avtotor-operates-plant", "r-avtotor-partners-baic-2", "r-avtotor-party-to-agreement", "r-avtotor-plant-in-kaliningrad",
					"r-baic-group-party-to-agreement", "r-baic-has-x35", "r-baic-has-x55"}, false}},
		{"depth 1", model.NeighborhoodQuery{ID: "haval-plant", Depth: 1}, subgraphWant{haval1, haval1Rels, false}},
		{"depth 2", model.NeighborhoodQuery{ID: "haval-plant", Depth: 2}, subgraphWant{haval2, haval2Rels, false}},
		{"limit cuts inside a layer", model.NeighborhoodQuery{ID: "haval-plant", Depth: 2, Limit: 6},
			subgraphWant{haval2[:6], []string{"r-haval-plant-assembles-f7", "r-haval-plant-assembles-jolion", "r-haval-plant-in-tula",
				"r-haval-rus-operates-plant", "r-haval-rus-subsidiary-of-gwm"}, true}},
		{"limit at a layer's end with more beyond", model.NeighborhoodQuery{ID: "haval-plant", Depth: 2, Limit: 5}, subgraphWant{haval1, haval1Rels, true}},
		{"asOf prunes the walk", model.NeighborhoodQuery{ID: "haval-plant", Depth: 2, AsOf: date("2020")},
			subgraphWant{[]string{"haval-plant", "haval-f7", "haval-motor-rus", "tula-oblast", "great-wall-motor", "haval", "russia"},
				[]string{"r-gwm-owns-haval", "r-haval-has-f7", "r-haval-plant-assembles-f7", "r-haval-plant-in-tula",
					"r-haval-rus-operates-plant", "r-haval-rus-subsidiary-of-gwm", "r-tula-in-russia"}, false}},
		{"asOf drops a relation between kept nodes", model.NeighborhoodQuery{ID: "haval-plant", Depth: 3, AsOf: date("2020")},
			subgraphWant{[]string{"haval-plant", "haval-f7", "haval-motor-rus", "tula-oblast", "great-wall-motor", "haval", "russia",
				"haval-jolion", "kaliningrad-oblast", "moscow"},
				[]string{"r-gwm-owns-haval", "r-haval-has-f7", "r-haval-has-jolion", "r-haval-plant-assembles-f7", "r-haval-plant-in-tula",
					"r-haval-rus-operates-plant", "r-haval-rus-subsidiary-of-gwm", "r-kaliningrad-oblast-in-russia", "r-moscow-in-russia",
					"r-tula-in-russia"}, false}},
		{"isolated chain end", model.NeighborhoodQuery{ID: "chain-1", Depth: 3},
			subgraphWant{[]string{"chain-1", "chain-2", "chain-3", "chain-4"}, []string{"r-chain-1-2", "r-chain-3-2", "r-chain-3-4"}, false}},
		{"limit exactly the node count at depth 3", model.NeighborhoodQuery{ID: "chain-1", Depth: 3, Limit: 4},
			subgraphWant{[]string{"chain-1", "chain-2", "chain-3", "chain-4"}, []string{"r-chain-1-2", "r-chain-3-2", "r-chain-3-4"}, false}},
		{"no room left for the third level", model.NeighborhoodQuery{ID: "chain-1", Depth: 3, Limit: 3},
			subgraphWant{[]string{"chain-1", "chain-2", "chain-3"}, []string{"r-chain-1-2", "r-chain-3-2"}, true}},
		{"limit cuts inside the third level", model.NeighborhoodQuery{ID: "haval-plant", Depth: 3, AsOf: date("2020"), Limit: 8},
			subgraphWant{[]string{"haval-plant", "haval-f7", "haval-motor-rus", "tula-oblast", "great-wall-motor", "haval", "russia", "haval-jolion"},
				[]string{"r-gwm-owns-haval", "r-haval-has-f7", "r-haval-has-jolion", "r-haval-plant-assembles-f7", "r-haval-plant-in-tula",
					"r-haval-rus-operates-plant", "r-haval-rus-subsidiary-of-gwm", "r-tula-in-russia"}, true}},
		{"a cut at the first level ends the walk", model.NeighborhoodQuery{ID: "avtotor", Depth: 2, Limit: 5},
			subgraphWant{avtotor1[:5], []string{"r-avtotor-assembles-baic", "r-avtotor-operates-plant", "r-avtotor-partners-baic-1",
				"r-avtotor-partners-baic-2", "r-avtotor-party-to-agreement", "r-baic-group-party-to-agreement"}, true}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			g, err := s.Neighborhood(ctx, c.q)
			noErr(t, "Neighborhood", err)
			diff(t, "subgraph", c.want, subgraphWant{entityIDs(g.Nodes), relationIDs(g.Relations), g.Truncated})
			readInPart(t, s, c.q, g)
		})
	}

	t.Run("NodesAreWholeEntities", func(t *testing.T) {
		g, err := s.Neighborhood(ctx, model.NeighborhoodQuery{ID: "avtotor", Depth: 1, Limit: 2})
		noErr(t, "Neighborhood", err)
		fx := Fixture()
		diff(t, "nodes", []model.Entity{fx.Organizations[1], fx.Agreements[0]}, g.Nodes, contentOpts())
	})
	t.Run("NotFound", func(t *testing.T) {
		_, err := s.Neighborhood(ctx, model.NeighborhoodQuery{ID: "no-such-entity", Depth: 1})
		if !model.IsNotFound(err) {
			t.Errorf("Neighborhood(no-such-entity) error = %v, want NOT_FOUND", err)
		}
	})
	// More parallel relations between two entities than a subgraph holds: the first
	// MaxSubgraphRelations by id are kept and Truncated is set. Last, since it adds to the store.
	t.Run("RelationCap", func(t *testing.T) {
		relID := func(i int) string {
			b := []byte("r-cap-00000")
			for k := len(b) - 1; i > 0; k-- {
				b[k], i = byte('0'+i%10), i/10
			}
			return string(b)
		}
		d := &model.Dataset{Sources: []*model.Source{{ID: "cap-source", Title: "Parallel relations", PublishedOn: model.MustDate("2024")}}}
		for _, id := range []string{"cap-a", "cap-b"} {
			d.Organizations = append(d.Organizations, &model.Organization{EntityBase: model.EntityBase{ID: id, Name: id, SourceIDs: []string{"cap-source"}}, Type: model.OrgOther})
		}
		for i := range model.MaxSubgraphRelations + 1 {
			d.Relations = append(d.Relations, &model.Relation{ID: relID(i), Type: model.RelPartnersWith, FromID: "cap-a", ToID: "cap-b",
				Status: model.StatusActive, SourceIDs: []string{"cap-source"}})
		}
		noErr(t, "Import", s.Import(ctx, d))
		g, err := s.Neighborhood(ctx, model.NeighborhoodQuery{ID: "cap-b", Depth: 1})
		noErr(t, "Neighborhood", err)
		ids := relationIDs(g.Relations)
		if len(ids) != model.MaxSubgraphRelations || ids[0] != relID(0) || ids[len(ids)-1] != relID(model.MaxSubgraphRelations-1) || !g.Truncated {
			t.Errorf("got %d relations (%v .. %v), truncated %v; want %s .. %s, truncated", len(ids), ids[:min(1, len(ids))], ids[max(0, len(ids)-1):],
				g.Truncated, relID(0), relID(model.MaxSubgraphRelations-1))
		}
		diff(t, "nodes", []string{"cap-b", "cap-a"}, entityIDs(g.Nodes))
		readInPart(t, s, model.NeighborhoodQuery{ID: "cap-b", Depth: 1}, g)
	})
}

// readInPart asks q again as callers that read only some fields of the nodes, or no
// relations, do (model.NeighborhoodQuery.Nodes and NoRelations), and holds the answers to the
// whole one: the same nodes in the same order, each either whole or with exactly the fields
// read; the same relations, or none when none are read; the same Truncated.
func readInPart(t *testing.T, s model.Store, q model.NeighborhoodQuery, whole *model.Subgraph) {
	t.Helper()
	for _, f := range []model.EntityFields{0, model.FieldID, model.FieldID | model.FieldName, model.FieldID | model.FieldSources | model.FieldOwn,
		model.AllEntityFields &^ model.FieldDescription} {
		for _, noRels := range []bool{false, true} {
			if f == 0 && !noRels {
				continue // q itself
			}
			pq := q
			pq.Nodes, pq.NoRelations = f, noRels
			g, err := s.Neighborhood(t.Context(), pq)
			noErr(t, "Neighborhood read in part", err)
			what := fmt.Sprintf("read in part (nodes %08b, no relations %v)", f, noRels)
			if g.Truncated != whole.Truncated {
				t.Errorf("%s: truncated %v, want %v", what, g.Truncated, whole.Truncated)
			}
			if !noRels || len(g.Relations) > 0 {
				diff(t, what+": relations", whole.Relations, g.Relations, contentOpts())
			}
			if len(g.Nodes) != len(whole.Nodes) {
				diff(t, what+": nodes", entityIDs(whole.Nodes), entityIDs(g.Nodes))
				continue
			}
			for i, e := range g.Nodes {
				w := whole.Nodes[i]
				if f == 0 || cmp.Equal(w, e, contentOpts()...) {
					diff(t, what+": node "+w.GetID(), w, e, contentOpts())
					continue
				}
				diff(t, what+": node "+w.GetID()+" in part", masked(w, f), e, contentOpts())
			}
		}
	}
}

// pathWant is the expected shape of a path.
type pathWant struct {
	Nodes     []string
	Relations []string
}

// testPaths checks shortest paths: direct and reversed relations, parallel relations, the
// diamond, length limits, filters, from == to, no path, and NOT_FOUND.
func testPaths(t *testing.T, s model.Store) {
	ctx := t.Context()
	partners1 := pathWant{[]string{"avtotor", "baic-group"}, []string{"r-avtotor-partners-baic-1"}}
	partners2 := pathWant{[]string{"avtotor", "baic-group"}, []string{"r-avtotor-partners-baic-2"}}
	viaContract := pathWant{[]string{"gaz-group", "gaz-vw-contract", "volkswagen-group"}, []string{"r-gaz-party-to-contract", "r-vw-party-to-contract"}}
	viaBrand := pathWant{[]string{"gaz-group", "volkswagen", "volkswagen-group"}, []string{"r-gaz-assembles-volkswagen", "r-vw-owns-volkswagen"}}
	chain := pathWant{
		[]string{"chain-1", "chain-2", "chain-3", "chain-4", "chain-5", "chain-6", "chain-7"},
		[]string{"r-chain-1-2", "r-chain-3-2", "r-chain-3-4", "r-chain-5-4", "r-chain-5-6", "r-chain-6-7"},
	}
	cases := []struct {
		name string
		q    model.PathQuery
		want []pathWant
	}{
		{"direct", model.PathQuery{From: "avtotor", To: "kaliningrad"},
			[]pathWant{{[]string{"avtotor", "kaliningrad"}, []string{"r-avtotor-in-kaliningrad"}}}},
		{"against the relation's direction", model.PathQuery{From: "kaliningrad", To: "avtotor"},
			[]pathWant{{[]string{"kaliningrad", "avtotor"}, []string{"r-avtotor-in-kaliningrad"}}}},
		{"two steps", model.PathQuery{From: "haval-plant", To: "russia"},
			[]pathWant{{[]string{"haval-plant", "tula-oblast", "russia"}, []string{"r-haval-plant-in-tula", "r-tula-in-russia"}}}},
		{"mixed directions", model.PathQuery{From: "skoda-auto", To: "gaz-group"},
			[]pathWant{{[]string{"skoda-auto", "skoda", "gaz-group"}, []string{"r-skoda-auto-owns-skoda", "r-gaz-assembles-skoda"}}}},
		{"parallel relations are two paths", model.PathQuery{From: "avtotor", To: "baic-group"}, []pathWant{partners1, partners2}},
		{"parallel relations on a longer path", model.PathQuery{From: "baic-x35", To: "baic-group"}, []pathWant{
			{[]string{"baic-x35", "avtotor", "baic-group"}, []string{"r-avtotor-assembles-baic-x35", "r-avtotor-partners-baic-1"}},
			{[]string{"baic-x35", "avtotor", "baic-group"}, []string{"r-avtotor-assembles-baic-x35", "r-avtotor-partners-baic-2"}},
		}},
		{"first 1", model.PathQuery{From: "avtotor", To: "baic-group", First: 1}, []pathWant{partners1}},
		{"asOf keeps one of the parallel relations", model.PathQuery{From: "avtotor", To: "baic-group", AsOf: date("2013")}, []pathWant{partners1}},
		{"asOf disconnects", model.PathQuery{From: "avtotor", To: "baic-group", AsOf: date("2020")}, nil},
		{"types force a longer path", model.PathQuery{From: "avtotor", To: "baic-group", Types: []model.RelationType{model.RelPartyTo}},
			[]pathWant{{[]string{"avtotor", "avtotor-baic-agreement", "baic-group"}, []string{"r-avtotor-party-to-agreement", "r-baic-group-party-to-agreement"}}}},
		{"diamond", model.PathQuery{From: "gaz-group", To: "volkswagen-group"}, []pathWant{viaContract, viaBrand}},
		{"diamond reversed", model.PathQuery{From: "volkswagen-group", To: "gaz-group"}, []pathWant{
			{[]string{"volkswagen-group", "gaz-vw-contract", "gaz-group"}, []string{"r-vw-party-to-contract", "r-gaz-party-to-contract"}},
			{[]string{"volkswagen-group", "volkswagen", "gaz-group"}, []string{"r-vw-owns-volkswagen", "r-gaz-assembles-volkswagen"}},
		}},
		{"diamond asOf one side", model.PathQuery{From: "gaz-group", To: "volkswagen-group", AsOf: date("2012")}, []pathWant{viaContract}},
		{"diamond types one side", model.PathQuery{From: "gaz-group", To: "volkswagen-group", Types: []model.RelationType{model.RelAssembles, model.RelOwnsBrand}}, []pathWant{viaBrand}},
		{"diamond asOf after both ended", model.PathQuery{From: "gaz-group", To: "volkswagen-group", AsOf: date("2023")}, nil},
		{"within the default length", model.PathQuery{From: "chain-1", To: "chain-5"}, []pathWant{{chain.Nodes[:5], chain.Relations[:4]}}},
		{"beyond the default length", model.PathQuery{From: "chain-1", To: "chain-7"}, nil},
		{"beyond the max length", model.PathQuery{From: "chain-1", To: "chain-7", MaxLength: 5}, nil},
		{"at the max length", model.PathQuery{From: "chain-1", To: "chain-7", MaxLength: 6}, []pathWant{chain}},
		{"at the max length reversed", model.PathQuery{From: "chain-7", To: "chain-1", MaxLength: 6},
			[]pathWant{{reversed(chain.Nodes), reversed(chain.Relations)}}},
		{"from is to", model.PathQuery{From: "avtotor", To: "avtotor"}, []pathWant{{[]string{"avtotor"}, nil}}},
		{"from is to without relations", model.PathQuery{From: "monaco", To: "monaco"}, []pathWant{{[]string{"monaco"}, nil}}},
		{"disconnected", model.PathQuery{From: "monaco", To: "russia", MaxLength: model.MaxPathLength}, nil},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			paths, err := s.Paths(ctx, c.q)
			noErr(t, "Paths", err)
			got := make([]pathWant, len(paths))
			for i, p := range paths {
				got[i] = pathWant{entityIDs(p.Nodes), relationIDs(p.Relations)}
				if len(p.Nodes) != len(p.Relations)+1 {
					t.Errorf("path %d: %d nodes and %d relations, want one node more than relations", i, len(p.Nodes), len(p.Relations))
					continue
				}
				for j, r := range p.Relations {
					a, b := p.Nodes[j].GetID(), p.Nodes[j+1].GetID()
					if !(r.FromID == a && r.ToID == b) && !(r.FromID == b && r.ToID == a) {
						t.Errorf("path %d: relation %s (%s -> %s) does not join %s and %s", i, r.ID, r.FromID, r.ToID, a, b)
					}
				}
			}
			diff(t, "paths", c.want, got)
		})
	}

	t.Run("NodesAreWholeEntities", func(t *testing.T) {
		paths, err := s.Paths(ctx, model.PathQuery{From: "avtotor", To: "kaliningrad"})
		noErr(t, "Paths", err)
		if len(paths) != 1 {
			t.Fatalf("Paths(avtotor, kaliningrad) = %d paths, want 1", len(paths))
		}
		fx := Fixture()
		diff(t, "nodes", []model.Entity{fx.Organizations[1], fx.Places[11]}, paths[0].Nodes, contentOpts())
		diff(t, "relations", []*model.Relation{fx.Relations[6]}, paths[0].Relations, contentOpts())
	})
	t.Run("NotFound", func(t *testing.T) {
		for name, q := range map[string]model.PathQuery{
			"unknown from":  {From: "no-such-entity", To: "avtotor"},
			"unknown to":    {From: "avtotor", To: "no-such-entity"},
			"unknown both":  {From: "no-such-entity", To: "no-such-entity"},
			"a relation id": {From: "avtotor", To: "r-avtotor-in-kaliningrad"},
		} {
			t.Run(name, func(t *testing.T) {
				_, err := s.Paths(ctx, q)
				if !model.IsNotFound(err) {
					t.Errorf("Paths(%s, %s) error = %v, want NOT_FOUND", q.From, q.To, err)
				}
			})
		}
	})
}
