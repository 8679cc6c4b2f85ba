package neo4jstore

import (
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/neo4j/neo4j-go-driver/v5/neo4j"
	"github.com/neo4j/neo4j-go-driver/v5/neo4j/dbtype"

	"github.com/autograph-kg/autograph/graph/model"
	"github.com/autograph-kg/autograph/graph/neo4jstore/neo4jtest"
	"github.com/autograph-kg/autograph/graph/storetest"
)

// Most tests below hand-build what the driver would return for what Import writes, and check
// that mapping it back gives the model values that went in; the last reads, from the test
// server, values that no write of this store makes.

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

// TestEmptyPropertiesReadAsAbsent reads optional text that a graph holds as empty-string
// properties (written by hand, or by an older build) the same as absent: null in the API.
func TestEmptyPropertiesReadAsAbsent(t *testing.T) {
	neo4jtest.Require(t)
	ctx := t.Context()
	s := newTestStore(t)
	if err := s.Import(ctx, storetest.Fixture()); err != nil {
		t.Fatal(err)
	}
	for _, cypher := range []string{
		`MATCH (n:Entity {id: 'russia'}) SET n.description = '', n.countryCode = ''`,
		`MATCH (n:Source {id: 'kommersant-2022'}) SET n.dateline = '', n.url = '', n.language = ''`,
		`MATCH ()-[r:LOCATED_IN {id: 'r-tula-in-russia'}]->() SET r.note = ''`,
	} {
		if _, err := neo4j.ExecuteQuery(ctx, s.driver, cypher, nil, neo4j.EagerResultTransformer, neo4j.ExecuteQueryWithDatabase(s.database)); err != nil {
			t.Fatalf("%s: %v", cypher, err)
		}
	}
	storetest.OptionalTextIsNull(ctx, t, s, "russia", "kommersant-2022", "r-tula-in-russia")
}
