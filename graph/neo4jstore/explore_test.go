package neo4jstore

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/neo4j/neo4j-go-driver/v5/neo4j"
	"github.com/neo4j/neo4j-go-driver/v5/neo4j/dbtype"

	"github.com/autograph-kg/autograph/graph/model"
	"github.com/autograph-kg/autograph/graph/storetest"
)

// TestExploreQueries checks the parameters of the exploration statements and the shape of the
// neighborhood statement for each depth (one level block per level, the types and the asOf
// condition on every level and on the relations); the statements are golden
// (TestCypherGolden).
func TestExploreQueries(t *testing.T) {
	date := model.MustDate("2020-02-29")
	for depth := 0; depth <= model.MaxNeighborhoodDepth; depth++ {
		for _, v := range []struct {
			name  string
			types []model.RelationType
			asOf  *model.Date
			part  string // the pattern's relation part, on every level and on the relations
			cond  int    // how many times the asOf condition appears
		}{
			{"untyped", nil, nil, "-[r]-", 0},
			{"typed asOf", []model.RelationType{model.RelLocatedIn}, &date, "-[r:LOCATED_IN]-", depth + 1},
		} {
			q := normalised(t, model.NeighborhoodQuery{ID: "avtotor", Depth: depth, Limit: 7, Types: v.types, AsOf: v.asOf})
			c, params, err := neighborhoodQuery(q)
			if err != nil {
				t.Fatal(err)
			}
			want := map[string]any{"id": "avtotor", "limit": int64(7), "relLimit": int64(model.MaxSubgraphRelations + 1)}
			if v.asOf != nil {
				want["asOfStart"], want["asOfEnd"] = "2020-02-29", "2020-03-01"
			}
			if d := cmp.Diff(want, params); d != "" {
				t.Errorf("depth %d %s: params mismatch (-want +got):\n%s", depth, v.name, d)
			}
			if n := strings.Count(c, "CALL (nodes, frontier, truncated) {"); n != depth {
				t.Errorf("depth %d %s: %d level blocks, want %d:\n%s", depth, v.name, n, depth, c)
			}
			if n := strings.Count(c, v.part); n != depth+1 {
				t.Errorf("depth %d %s: %q %d times, want %d (every level and the relations):\n%s", depth, v.name, v.part, n, depth+1, c)
			}
			if n := strings.Count(c, relWhereAsOf); n != v.cond {
				t.Errorf("depth %d %s: the asOf condition %d times, want %d:\n%s", depth, v.name, n, v.cond, c)
			}
			if !strings.HasPrefix(c, neighborhoodStart) || !strings.HasSuffix(c, "RETURN [n IN nodes | n "+entityFields+"] AS nodes, truncated, rels") {
				t.Errorf("depth %d %s: statement does not start at the centre and return nodes, truncated and rels:\n%s", depth, v.name, c)
			}
		}
	}
	_, params, err := pathsQuery(normalised(t, model.PathQuery{From: "a", To: "b"}))
	if err != nil {
		t.Fatal(err)
	}
	if d := cmp.Diff(map[string]any{"from": "a", "to": "b", "maxPaths": int64(model.MaxPathsExplored)}, params); d != "" {
		t.Errorf("paths params mismatch (-want +got):\n%s", d)
	}
}

// TestPathMapping builds the driver's view of avtotor -[ASSEMBLES]-> baic-x35 <-[HAS_MODEL]-
// baic: the distinct nodes in an order that is not the path's, relationships in path order
// pointing both ways.
func TestPathMapping(t *testing.T) {
	fx := storetest.Fixture()
	byID := map[string]model.Entity{}
	for _, e := range fx.Entities() {
		byID[e.GetID()] = e
	}
	rels := map[string]*model.Relation{}
	for _, r := range fx.Relations {
		rels[r.ID] = r
	}
	avtotor := entityNode(t, "n1", byID["avtotor"])
	x35 := entityNode(t, "n2", byID["baic-x35"])
	baic := entityNode(t, "n3", byID["baic"])
	assembles := rels["r-avtotor-assembles-baic-x35"]
	hasModel := rels["r-baic-has-x35"]
	if assembles == nil || hasModel == nil {
		t.Fatal("fixture relations not found")
	}
	p := dbtype.Path{
		Nodes: []dbtype.Node{avtotor, baic, x35},
		Relationships: []dbtype.Relationship{
			relationship("r1", assembles, "n1", "n2"),
			relationship("r2", hasModel, "n3", "n2"),
		},
	}
	got, err := pathFromDB(p)
	if err != nil {
		t.Fatal(err)
	}
	ids := func(p *model.Path) (nodes, relations []string) {
		for _, e := range p.Nodes {
			nodes = append(nodes, e.GetID())
		}
		for _, r := range p.Relations {
			relations = append(relations, r.ID+":"+r.FromID+">"+r.ToID)
		}
		return nodes, relations
	}
	nodes, relations := ids(got)
	if d := cmp.Diff([]string{"avtotor", "baic-x35", "baic"}, nodes); d != "" {
		t.Errorf("nodes mismatch (-want +got):\n%s", d)
	}
	if d := cmp.Diff([]string{"r-avtotor-assembles-baic-x35:avtotor>baic-x35", "r-baic-has-x35:baic>baic-x35"}, relations); d != "" {
		t.Errorf("relations mismatch (-want +got):\n%s", d)
	}
	if d := cmp.Diff(stamped(byID["baic"]), got.Nodes[2]); d != "" {
		t.Errorf("whole entity mismatch (-want +got):\n%s", d)
	}

	reversePath(got)
	nodes, _ = ids(got)
	if d := cmp.Diff([]string{"baic", "baic-x35", "avtotor"}, nodes); d != "" {
		t.Errorf("reversed nodes mismatch (-want +got):\n%s", d)
	}

	// Paths as cypherPaths returns them, with an endpoint check and the path turned around.
	rec := &neo4j.Record{Keys: []string{"fromFound", "toFound", "paths"}, Values: []any{true, true, []any{p}}}
	paths, err := pathsFromRecord(rec, "baic", "avtotor")
	if err != nil || len(paths) != 1 || paths[0].Nodes[0].GetID() != "baic" {
		t.Errorf("pathsFromRecord = %v, %v; want one path from baic", paths, err)
	}
	rec.Values[1] = false
	if _, err := pathsFromRecord(rec, "baic", "nowhere"); !model.IsNotFound(err) || !strings.Contains(err.Error(), "nowhere") {
		t.Errorf("pathsFromRecord with an unknown end: error = %v, want NOT_FOUND naming it", err)
	}

	// A length-0 path and a broken one.
	if got, err := pathFromDB(dbtype.Path{Nodes: []dbtype.Node{avtotor}}); err != nil || len(got.Nodes) != 1 || len(got.Relations) != 0 {
		t.Errorf("length-0 path = %v, %v", got, err)
	}
	broken := p
	broken.Relationships = []dbtype.Relationship{relationship("r2", hasModel, "n3", "n2")}
	if _, err := pathFromDB(broken); err == nil {
		t.Error("path whose relationship does not touch the start: error = nil")
	}
}

func TestSubgraphMapping(t *testing.T) {
	fx := storetest.Fixture()
	a, b := fx.Organizations[1], fx.Places[11]
	rel := fx.Relations[6]
	r := relationship("r", rel, "1", "2")
	rec := &neo4j.Record{Keys: []string{"nodes", "truncated", "rels"}, Values: []any{
		[]any{entityNode(t, "2", b), entityNode(t, "1", a)},
		false,
		[]any{map[string]any{"rel": r, "fromId": rel.FromID, "toId": rel.ToID}},
	}}
	g, err := subgraphFromRecord(rec)
	if err != nil {
		t.Fatal(err)
	}
	// The nodes stay in the statement's (walk) order.
	if len(g.Nodes) != 2 || g.Nodes[0].GetID() != b.ID || g.Nodes[1].GetID() != a.ID || len(g.Relations) != 1 || g.Truncated {
		t.Errorf("subgraph = %+v", g)
	}
	if g.Relations[0].ID != rel.ID || g.Relations[0].FromID != rel.FromID || g.Relations[0].ToID != rel.ToID {
		t.Errorf("relation = %+v, want %s from %s to %s", g.Relations[0], rel.ID, rel.FromID, rel.ToID)
	}
	rec.Values[1] = true
	if g, err = subgraphFromRecord(rec); err != nil || !g.Truncated {
		t.Errorf("subgraph of a cut walk: truncated %v, %v; want true", g != nil && g.Truncated, err)
	}
	rec.Values[1] = false
	many := make([]any, model.MaxSubgraphRelations+1)
	for i := range many {
		many[i] = map[string]any{"rel": r, "fromId": rel.FromID, "toId": rel.ToID}
	}
	rec.Values[2] = many
	g, err = subgraphFromRecord(rec)
	if err != nil || len(g.Relations) != model.MaxSubgraphRelations || !g.Truncated {
		t.Errorf("subgraph over the relation cap: %d relations, truncated %v, %v", len(g.Relations), g.Truncated, err)
	}
	rec.Values[2] = many[:model.MaxSubgraphRelations]
	g, err = subgraphFromRecord(rec)
	if err != nil || len(g.Relations) != model.MaxSubgraphRelations || g.Truncated {
		t.Errorf("subgraph at the relation cap: %d relations, truncated %v, %v; want not truncated", len(g.Relations), g.Truncated, err)
	}
}
