package neo4jstore

import (
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
	"github.com/neo4j/neo4j-go-driver/v5/neo4j"
	"github.com/neo4j/neo4j-go-driver/v5/neo4j/dbtype"

	"github.com/autograph-kg/autograph/graph/model"
	"github.com/autograph-kg/autograph/graph/storetest"
)

// The tests below hand-build what the driver would return for what Import writes, and check
// that mapping it back gives the model values that went in.

var (
	created = time.Date(2024, 1, 2, 3, 4, 5, 6000, time.UTC)
	updated = time.Date(2025, 6, 7, 8, 9, 10, 11000, time.UTC)
)

// storedNode is the node Import would write for props, as the driver returns it. The
// driver gives every list back as []any.
func storedNode(elementID string, labels []string, props map[string]any) dbtype.Node {
	p := map[string]any{"contentHash": contentHash(props), "createdAt": created, "updatedAt": updated}
	for k, v := range props {
		if l, ok := v.([]string); ok {
			list := make([]any, len(l))
			for i, s := range l {
				list[i] = s
			}
			v = list
		}
		p[k] = v
	}
	return dbtype.Node{ElementId: elementID, Labels: labels, Props: p}
}

func entityNode(t *testing.T, elementID string, e model.Entity) dbtype.Node {
	t.Helper()
	p, err := entityProps(e)
	if err != nil {
		t.Fatal(err)
	}
	return storedNode(elementID, []string{labelEntity, e.Kind().Label()}, p)
}

func relationship(elementID string, r *model.Relation, start, end string) dbtype.Relationship {
	n := storedNode(elementID, nil, relationProps(r))
	return dbtype.Relationship{ElementId: elementID, StartElementId: start, EndElementId: end, Type: string(r.Type), Props: n.Props}
}

// stamped returns e with the timestamps the stored node carries.
func stamped(e model.Entity) model.Entity {
	c := e.Clone()
	c.Common().CreatedAt, c.Common().UpdatedAt = created, updated
	return c
}

func TestEntityRoundTrip(t *testing.T) {
	fx := storetest.Fixture()
	// Lists as they were given: nil stays nil, empty stays empty.
	fx.Organizations[0].Aliases = []string{}
	fx.Organizations[0].SourceIDs = nil
	fx.Agreements[0].Provisions = []model.Provision{}
	for _, e := range fx.Entities() {
		t.Run(e.GetID(), func(t *testing.T) {
			got, err := entityFromNode(entityNode(t, "4:x:1", e))
			if err != nil {
				t.Fatal(err)
			}
			if d := cmp.Diff(stamped(e), got); d != "" {
				t.Errorf("round trip mismatch (-want +got):\n%s", d)
			}
		})
	}
}

func TestSourceAndRelationRoundTrip(t *testing.T) {
	fx := storetest.Fixture()
	for _, s := range fx.Sources {
		got, err := sourceFromNode(storedNode("1", []string{labelSource}, sourceProps(s)))
		if err != nil {
			t.Fatal(err)
		}
		want := s.Clone()
		want.CreatedAt, want.UpdatedAt = created, updated
		if d := cmp.Diff(want, got); d != "" {
			t.Errorf("source %s round trip mismatch (-want +got):\n%s", s.ID, d)
		}
	}
	for _, r := range fx.Relations {
		got, err := relationFromRel(relationship("9", r, "1", "2"), r.FromID, r.ToID)
		if err != nil {
			t.Fatal(err)
		}
		want := r.Clone()
		want.CreatedAt, want.UpdatedAt = created, updated
		if d := cmp.Diff(want, got); d != "" {
			t.Errorf("relation %s round trip mismatch (-want +got):\n%s", r.ID, d)
		}
	}
}

func TestRecordMapping(t *testing.T) {
	fx := storetest.Fixture()
	avtotor, rel := fx.Organizations[1], fx.Relations[6]
	node := entityNode(t, "4:x:1", avtotor)
	r := relationship("5:x:9", rel, "4:x:1", "4:x:2")

	// A page record, as cypherEntityPage returns it.
	page := &neo4j.Record{Keys: []string{"total", "page"}, Values: []any{int64(7), []any{node}}}
	total, nodes, err := pageColumns[dbtype.Node](page)
	if err != nil || total != 7 || len(nodes) != 1 {
		t.Fatalf("pageColumns = %d, %d nodes, %v", total, len(nodes), err)
	}
	// A relation record, as Relation returns it.
	rec := &neo4j.Record{Keys: []string{"r", "fromId", "toId"}, Values: []any{r, rel.FromID, rel.ToID}}
	got, err := relationFromRecord(rec)
	if err != nil {
		t.Fatal(err)
	}
	want := rel.Clone()
	want.CreatedAt, want.UpdatedAt = created, updated
	if d := cmp.Diff(want, got); d != "" {
		t.Errorf("relation record mismatch (-want +got):\n%s", d)
	}
	// A collected relation map, as pages and subgraphs return them.
	list := []any{map[string]any{"rel": r, "fromId": rel.FromID, "toId": rel.ToID}}
	rp, err := relationPage(3, list, 1)
	if err != nil {
		t.Fatal(err)
	}
	if rp.TotalCount != 3 || rp.HasNextPage || len(rp.Items) != 1 || rp.Items[0].ID != rel.ID {
		t.Errorf("relationPage = %+v", rp)
	}
	rp, err = relationPage(3, append(list, list[0]), 1)
	if err != nil || !rp.HasNextPage || len(rp.Items) != 1 {
		t.Errorf("relationPage with an extra row = %+v, %v; want one item and a next page", rp, err)
	}
	// A search hit.
	hit := &neo4j.Record{Keys: []string{"n", "score"}, Values: []any{node, 0.8}}
	e, err := entityFromRecord(hit)
	if err != nil || e.GetID() != "avtotor" {
		t.Errorf("entityFromRecord = %v, %v", e, err)
	}
	// Nulls and wrong types are errors, not zero values.
	for name, rec := range map[string]*neo4j.Record{
		"null node":    {Keys: []string{"n"}, Values: []any{nil}},
		"missing node": {Keys: []string{"m"}, Values: []any{node}},
		"wrong type":   {Keys: []string{"n"}, Values: []any{"avtotor"}},
	} {
		if _, err := entityFromRecord(rec); err == nil {
			t.Errorf("%s: entityFromRecord = nil error", name)
		}
	}
	if _, err := relationFromMap(map[string]any{"rel": r, "fromId": nil, "toId": "x"}); err == nil {
		t.Error("relationFromMap with a null endpoint = nil error")
	}
}

func TestBadStoredValues(t *testing.T) {
	fx := storetest.Fixture()
	for name, c := range map[string]struct {
		change func(map[string]any)
		want   []string
	}{
		"bad date":     {func(p map[string]any) { p["founded"] = "1994-13" }, []string{`"avtotor"`, `"founded"`}},
		"date type":    {func(p map[string]any) { p["founded"] = int64(1994) }, []string{`"avtotor"`, `"founded"`}},
		"no kind":      {func(p map[string]any) { delete(p, "kind") }, []string{`"avtotor"`, `"kind"`}},
		"unknown kind": {func(p map[string]any) { p["kind"] = "SPACESHIP" }, []string{`"avtotor"`, `"kind"`}},
		"list element": {func(p map[string]any) { p["aliases"] = []any{"a", int64(1)} }, []string{`"avtotor"`, `"aliases"`}},
		"timestamp":    {func(p map[string]any) { p["createdAt"] = "yesterday" }, []string{`"avtotor"`, `"createdAt"`}},
	} {
		t.Run(name, func(t *testing.T) {
			n := entityNode(t, "1", fx.Organizations[1])
			c.change(n.Props)
			_, err := entityFromNode(n)
			if err == nil {
				t.Fatal("entityFromNode = nil error")
			}
			for _, w := range c.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error %q does not name %s", err, w)
				}
			}
			if code := model.ErrorCode(err); code != model.CodeInternal {
				t.Errorf("error code = %s, want INTERNAL", code)
			}
		})
	}
	r := relationship("9", fx.Relations[0], "1", "2")
	r.Props["validTo"] = "someday"
	if _, err := relationFromRel(r, "a", "b"); err == nil || !strings.Contains(err.Error(), `"validTo"`) {
		t.Errorf("relation with a bad validTo: error = %v", err)
	}
	r = relationship("9", fx.Relations[0], "1", "2")
	r.Type = "KNOWS"
	if _, err := relationFromRel(r, "a", "b"); err == nil {
		t.Error("relation of an unknown type: error = nil")
	}
	bad := agreementNode(t, fx.Agreements[0])
	bad.Props["provisionsJson"] = "{"
	if _, err := entityFromNode(bad); err == nil || !strings.Contains(err.Error(), "provisionsJson") {
		t.Errorf("agreement with broken provisions: error = %v", err)
	}
}

func agreementNode(t *testing.T, a *model.Agreement) dbtype.Node {
	return entityNode(t, "1", a)
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
	rec := &neo4j.Record{Keys: []string{"nodes", "rels"}, Values: []any{
		[]any{entityNode(t, "2", b), entityNode(t, "1", a)},
		[]any{map[string]any{"rel": r, "fromId": rel.FromID, "toId": rel.ToID}},
	}}
	g, err := subgraphFromRecord(rec, a.ID, []string{a.ID, b.ID, "deleted-meanwhile"}, false)
	if err != nil {
		t.Fatal(err)
	}
	if len(g.Nodes) != 2 || g.Nodes[0].GetID() != a.ID || g.Nodes[1].GetID() != b.ID || len(g.Relations) != 1 || g.Truncated {
		t.Errorf("subgraph = %+v", g)
	}
	if _, err := subgraphFromRecord(rec, "no-such-entity", []string{"no-such-entity"}, false); !model.IsNotFound(err) {
		t.Errorf("subgraph without its centre: error = %v, want NOT_FOUND", err)
	}
	many := make([]any, model.MaxSubgraphRelations+1)
	for i := range many {
		many[i] = map[string]any{"rel": r, "fromId": rel.FromID, "toId": rel.ToID}
	}
	rec.Values[1] = many
	g, err = subgraphFromRecord(rec, a.ID, []string{a.ID, b.ID}, false)
	if err != nil || len(g.Relations) != model.MaxSubgraphRelations || !g.Truncated {
		t.Errorf("subgraph over the relation cap: %d relations, truncated %v, %v", len(g.Relations), g.Truncated, err)
	}
}

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
