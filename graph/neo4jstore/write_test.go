package neo4jstore

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"maps"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
	"github.com/neo4j/neo4j-go-driver/v5/neo4j"
	"github.com/neo4j/neo4j-go-driver/v5/neo4j/dbtype"

	"github.com/autograph-kg/autograph/graph/model"
)

// The tests below run the writes' transaction functions against a fake transaction that
// answers each statement as Neo4j would for a given graph, and check what they send, in
// which order, what they decide and what they return. No server is needed.

// now is the time the writes under test stamp.
var now = time.Date(2026, 3, 4, 5, 6, 7, 8000, time.UTC)

// fakeTx is a managed transaction that records the statements run in it and answers them
// with reply. Embedding the interface gives it the driver's unexported methods (never called).
type fakeTx struct {
	neo4j.ManagedTransaction
	runs  []fakeRun
	reply func(cypher string, params map[string]any) ([]*neo4j.Record, error)
}

type fakeRun struct {
	cypher string
	params map[string]any
}

func (f *fakeTx) Run(_ context.Context, cypher string, params map[string]any) (neo4j.ResultWithContext, error) {
	f.runs = append(f.runs, fakeRun{cypher, maps.Clone(params)}) // as sent, whatever happens to params later
	recs, err := f.reply(cypher, params)
	if err != nil {
		return nil, err
	}
	return &fakeResult{recs: recs}, nil
}

// statements names the statements run, for assertions.
func (f *fakeTx) statements() []string {
	var out []string
	for _, r := range f.runs {
		out = append(out, statementName(r.cypher))
	}
	return out
}

type fakeResult struct {
	neo4j.ResultWithContext
	recs []*neo4j.Record
}

func (r *fakeResult) Collect(context.Context) ([]*neo4j.Record, error) { return r.recs, nil }

func (r *fakeResult) Single(context.Context) (*neo4j.Record, error) {
	if len(r.recs) != 1 {
		return nil, fmt.Errorf("%d records", len(r.recs))
	}
	return r.recs[0], nil
}

// statementName tells the write statements apart.
func statementName(cypher string) string {
	switch {
	case cypher == cypherNextRevision:
		return "next revision"
	case cypher == cypherRecordRevision:
		return "record revision"
	case cypher == relationByIDQuery():
		return "relation"
	case cypher == cypherDeleteEntityPrior:
		return "entity prior"
	case cypher == writeLookupQuery():
		return "lookup"
	case cypher == deleteRelationQuery():
		return "delete relation"
	case cypher == cypherDeleteEntity:
		return "delete entity"
	case cypher == cypherUpsertSource:
		return "upsert source"
	case strings.Contains(cypher, "MERGE (n:Entity {id: $id})"):
		return "upsert entity"
	case strings.Contains(cypher, "MERGE (a)-[r:"):
		return "put relation"
	case strings.Contains(cypher, "shortestPath((b)-[:"):
		return "hierarchy chain"
	}
	return "unknown statement"
}

// graph is what the fake transaction's database holds: enough to answer the lookup and the
// writes.
type graph struct {
	entities  map[string]model.Entity
	sources   map[string]*model.Source
	relations map[string]*model.Relation
	// putReturnsNothing makes the relation write find no endpoints (deleted meanwhile).
	putReturnsNothing bool
}

// stored gives an item the timestamps it has in the fake database.
var storedAt = time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)

func (g *graph) tx() *fakeTx {
	f := &fakeTx{}
	f.reply = func(cypher string, p map[string]any) ([]*neo4j.Record, error) {
		switch statementName(cypher) {
		case "next revision":
			return []*neo4j.Record{{Keys: []string{"number"}, Values: []any{int64(7)}}}, nil
		case "record revision":
			return nil, nil
		case "relation":
			r, ok := g.relations[p["id"].(string)]
			if !ok {
				return nil, nil
			}
			return []*neo4j.Record{g.relationRecord(r)}, nil
		case "entity prior":
			id := p["id"].(string)
			e, ok := g.entities[id]
			if !ok {
				return nil, nil
			}
			rels := []any{}
			for _, r := range g.relations {
				if r.FromID == id || r.ToID == id {
					rec := g.relationRecord(r)
					rels = append(rels, map[string]any{"rel": rec.Values[0], "fromId": r.FromID, "toId": r.ToID})
				}
			}
			return []*neo4j.Record{{Keys: []string{"n", "relations"}, Values: []any{g.entityNode(e), rels}}}, nil
		case "lookup":
			return []*neo4j.Record{g.lookup(p)}, nil
		case "upsert entity", "upsert source":
			props := map[string]any{}
			for k, v := range p["props"].(map[string]any) {
				props[k] = v
			}
			n := writtenNode(props, p["now"].(time.Time))
			return []*neo4j.Record{{Keys: []string{"n"}, Values: []any{n}}}, nil
		case "put relation":
			if g.putReturnsNothing {
				return nil, nil
			}
			created := p["now"].(time.Time)
			if c, ok := p["createdAt"].(time.Time); ok {
				created = c
			}
			if old, ok := g.relations[p["id"].(string)]; ok && old.FromID == p["from"] && old.ToID == p["to"] && strings.Contains(cypher, ":"+string(old.Type)+" ") {
				created = old.CreatedAt
			}
			n := writtenNode(p["props"].(map[string]any), p["now"].(time.Time))
			n.Props["createdAt"] = created
			typ := strings.SplitN(strings.SplitN(cypher, "[r:", 2)[1], " ", 2)[0]
			r := dbtype.Relationship{Type: typ, Props: n.Props}
			return []*neo4j.Record{{Keys: []string{"r", "fromId", "toId"}, Values: []any{r, p["from"], p["to"]}}}, nil
		case "hierarchy chain":
			return g.chain(cypher, p), nil
		case "delete relation":
			n := int64(0)
			if _, ok := g.relations[p["id"].(string)]; ok {
				n = 1
			}
			return []*neo4j.Record{{Keys: []string{"removed"}, Values: []any{n}}}, nil
		case "delete entity":
			id := p["id"].(string)
			if _, ok := g.entities[id]; !ok {
				return nil, nil
			}
			n := int64(0)
			for _, r := range g.relations {
				if r.FromID == id || r.ToID == id {
					n++
				}
			}
			return []*neo4j.Record{{Keys: []string{"relations"}, Values: []any{n}}}, nil
		}
		return nil, fmt.Errorf("unexpected statement:\n%s", cypher)
	}
	return f
}

// writtenNode is a node (or relationship) as a write leaves it: the props, its hash and both
// timestamps at t (the fake does not carry createdAt over; the tests that care set it).
func writtenNode(props map[string]any, t time.Time) dbtype.Node {
	n := storedNode("1", nil, props)
	n.Props["createdAt"], n.Props["updatedAt"] = t, t
	return n
}

// chain answers cypherHierarchyChain from the graph. The fake does not keep what the
// transaction wrote, so each row's own stored relation is left out instead: a shortest chain
// back never runs through the written relation.
func (g *graph) chain(cypher string, p map[string]any) []*neo4j.Record {
	typ := model.RelationType(strings.SplitN(strings.SplitN(cypher, "[:", 2)[1], "*", 2)[0])
	for _, row := range p["rows"].([]map[string]any) {
		id := row["id"].(string)
		up := func(from string) []*model.Relation {
			var out []*model.Relation
			for _, r := range g.relations {
				if r.FromID == from && r.ID != id {
					out = append(out, r)
				}
			}
			return out
		}
		if c := model.FindChain(typ, row["to"].(string), row["from"].(string), up); c != nil {
			chain := make([]any, len(c))
			for i, x := range c {
				chain[i] = x
			}
			return []*neo4j.Record{{Keys: []string{"i", "id", "chain"}, Values: []any{row["i"], id, chain}}}
		}
	}
	return nil
}

// entityNode is a stored entity as the fake database returns it.
func (g *graph) entityNode(e model.Entity) dbtype.Node {
	props, _ := entityProps(e)
	n := storedNode("1", []string{labelEntity, e.Kind().Label()}, props)
	n.Props["createdAt"], n.Props["updatedAt"] = storedAt, storedAt
	return n
}

// relationRecord is a stored relation as a record with the columns r, fromId and toId.
func (g *graph) relationRecord(r *model.Relation) *neo4j.Record {
	rel := relationship("3", r, "1", "2")
	rel.Props["createdAt"], rel.Props["updatedAt"] = r.CreatedAt, r.UpdatedAt
	return &neo4j.Record{Keys: []string{"r", "fromId", "toId"}, Values: []any{rel, r.FromID, r.ToID}}
}

// lookup answers cypherWriteLookup from the graph.
func (g *graph) lookup(p map[string]any) *neo4j.Record {
	id := p["id"].(string)
	var entity, source any
	if e, ok := g.entities[id]; ok {
		entity = g.entityNode(e)
	}
	if s, ok := g.sources[id]; ok {
		n := storedNode("2", []string{labelSource}, sourceProps(s))
		n.Props["createdAt"], n.Props["updatedAt"] = storedAt, storedAt
		source = n
	}
	rels := []any{}
	if r, ok := g.relations[id]; ok {
		rec := g.relationRecord(r)
		rels = append(rels, map[string]any{"rel": rec.Values[0], "fromId": r.FromID, "toId": r.ToID})
	}
	known := []any{}
	for _, s := range p["sourceIds"].([]string) {
		if _, ok := g.sources[s]; ok {
			known = append(known, s)
		}
	}
	refs := []any{}
	for _, r := range p["refIds"].([]string) {
		if e, ok := g.entities[r]; ok {
			refs = append(refs, map[string]any{"id": r, "kind": string(e.Kind())})
		}
	}
	return &neo4j.Record{
		Keys:   []string{"entity", "source", "relations", "knownSources", "refs"},
		Values: []any{entity, source, rels, known, refs},
	}
}

// testGraph is a small graph: a country, an organization, a brand, a source and a relation.
func testGraph() *graph {
	russia := &model.Place{EntityBase: model.EntityBase{ID: "russia", Name: "Russia"}, Type: model.PlaceCountry}
	avtotor := &model.Organization{EntityBase: model.EntityBase{ID: "avtotor", Name: "Avtotor", SourceIDs: []string{"report"}},
		Type: model.OrgAssembler, CountryID: "russia"}
	baic := &model.Brand{EntityBase: model.EntityBase{ID: "baic", Name: "BAIC"}}
	kia := &model.Brand{EntityBase: model.EntityBase{ID: "kia", Name: "Kia"}}
	report := &model.Source{ID: "report", Title: "Report", PublishedOn: model.MustDate("2023-04-18"), PublisherID: "avtotor"}
	rel := &model.Relation{ID: "avtotor-assembles-baic", Type: model.RelAssembles, FromID: "avtotor", ToID: "baic",
		Status: model.StatusActive, SourceIDs: []string{"report"}, CreatedAt: storedAt, UpdatedAt: storedAt}
	return &graph{
		entities:  map[string]model.Entity{"russia": russia, "avtotor": avtotor, "baic": baic, "kia": kia},
		sources:   map[string]*model.Source{"report": report},
		relations: map[string]*model.Relation{rel.ID: rel},
	}
}

func TestWriteParams(t *testing.T) {
	org := &model.Organization{EntityBase: model.EntityBase{ID: "avtotor", Name: "Avtotor", SourceIDs: []string{"b", "a", "b"}},
		Type: model.OrgAssembler, CountryID: "russia"}
	w, err := entityWriteFor(org, now)
	if err != nil {
		t.Fatal(err)
	}
	props, _ := entityProps(org)
	if d := cmp.Diff(map[string]any{"id": "avtotor", "sourceIds": []string{"b", "a"}, "refIds": []string{"russia"}}, w.lookup); d != "" {
		t.Errorf("entity lookup params (-want +got):\n%s", d)
	}
	if d := cmp.Diff(map[string]any{"id": "avtotor", "props": props, "hash": contentHash(props), "now": now}, w.params); d != "" {
		t.Errorf("entity write params (-want +got):\n%s", d)
	}
	if want, _ := upsertEntityQuery(model.KindOrganization); w.cypher != want {
		t.Errorf("entity statement is not the organization's:\n%s", w.cypher)
	}
	noCountry, err := entityWriteFor(&model.Plant{EntityBase: model.EntityBase{ID: "p", Name: "P"}}, now)
	if err != nil {
		t.Fatal(err)
	}
	if d := cmp.Diff(map[string]any{"id": "p", "sourceIds": []string{}, "refIds": []string{}}, noCountry.lookup); d != "" {
		t.Errorf("lookup params without references (-want +got):\n%s", d)
	}

	src := &model.Source{ID: "s", Title: "T", PublishedOn: model.MustDate("2024"), PublisherID: "tass"}
	sw := sourceWriteFor(src, now)
	sp := sourceProps(src)
	if d := cmp.Diff(map[string]any{"id": "s", "sourceIds": []string{}, "refIds": []string{"tass"}}, sw.lookup); d != "" {
		t.Errorf("source lookup params (-want +got):\n%s", d)
	}
	if d := cmp.Diff(map[string]any{"id": "s", "props": sp, "hash": contentHash(sp), "now": now}, sw.params); d != "" {
		t.Errorf("source write params (-want +got):\n%s", d)
	}

	r := &model.Relation{ID: "r", Type: model.RelAssembles, FromID: "a", ToID: "a", Status: model.StatusActive, SourceIDs: []string{"s"}}
	rw, err := relationWriteFor(r, true, now)
	if err != nil {
		t.Fatal(err)
	}
	row := relationRow(r)
	if d := cmp.Diff(map[string]any{"id": "r", "sourceIds": []string{"s"}, "refIds": []string{"a"}}, rw.lookup); d != "" {
		t.Errorf("relation lookup params (-want +got):\n%s", d)
	}
	want := map[string]any{"id": "r", "from": "a", "to": "a", "props": row["props"], "hash": row["hash"], "now": now, "createdAt": nil}
	if d := cmp.Diff(want, rw.params); d != "" {
		t.Errorf("relation write params (-want +got):\n%s", d)
	}
	if want, _ := putRelationQuery(model.RelAssembles); rw.cypher != want {
		t.Errorf("relation statement is not the ASSEMBLES one:\n%s", rw.cypher)
	}

	// The values are copied: changing the input afterwards changes nothing that is sent.
	org.Name, src.Title, r.Note = "changed", "changed", "changed"
	if w.e.Common().Name != "Avtotor" || sw.src.Title != "T" || rw.r.Note != "" {
		t.Error("a write keeps a reference to its input")
	}
}

func TestStamp(t *testing.T) {
	s := &Store{now: func() time.Time {
		return time.Date(2026, 1, 2, 3, 4, 5, 123456789, time.FixedZone("MSK", 3*3600))
	}}
	if got, want := s.stamp(), time.Date(2026, 1, 2, 0, 4, 5, 123456000, time.UTC); !got.Equal(want) || got.Location() != time.UTC {
		t.Errorf("stamp() = %v, want %v in UTC", got, want)
	}
}

func TestLookupFromRecord(t *testing.T) {
	g := testGraph()
	rec := g.lookup(lookupParams(model.WriteKeys{ID: "avtotor-assembles-baic", SourceIDs: []string{"report", "nope"}, RefIDs: []string{"avtotor", "baic", "ghost"}}))
	lk, err := lookupFromRecord(rec)
	if err != nil {
		t.Fatal(err)
	}
	if lk.Entity != nil || lk.Source != nil || lk.Relation == nil {
		t.Fatalf("lookup = %+v", lk)
	}
	if d := cmp.Diff(g.relations["avtotor-assembles-baic"], lk.Relation); d != "" {
		t.Errorf("relation (-want +got):\n%s", d)
	}
	if d := cmp.Diff(map[string]bool{"report": true}, lk.Sources); d != "" {
		t.Errorf("known sources (-want +got):\n%s", d)
	}
	if d := cmp.Diff(map[string]model.EntityKind{"avtotor": model.KindOrganization, "baic": model.KindBrand}, lk.Kinds); d != "" {
		t.Errorf("kinds (-want +got):\n%s", d)
	}
	lk, err = lookupFromRecord(g.lookup(lookupParams(model.WriteKeys{ID: "avtotor"})))
	if err != nil || lk.Entity == nil || lk.Entity.GetID() != "avtotor" || !lk.Entity.Common().CreatedAt.Equal(storedAt) {
		t.Errorf("entity lookup = %+v, %v", lk, err)
	}
	lk, err = lookupFromRecord(g.lookup(lookupParams(model.WriteKeys{ID: "report"})))
	if err != nil || lk.Source == nil || lk.Source.Title != "Report" {
		t.Errorf("source lookup = %+v, %v", lk, err)
	}

	two := g.lookup(lookupParams(model.WriteKeys{ID: "avtotor-assembles-baic"}))
	rels := two.Values[2].([]any)
	two.Values[2] = append(rels, rels[0])
	if _, err := lookupFromRecord(two); err == nil {
		t.Error("two relationships with one id: no error")
	}
	bad := g.lookup(lookupParams(model.WriteKeys{ID: "x"}))
	bad.Values[0] = "not a node"
	if _, err := lookupFromRecord(bad); err == nil {
		t.Error("a string for a node: no error")
	}
}

// writeCase is one write against testGraph, with what it must send and answer.
type writeCase struct {
	name string
	// work builds the transaction function under test.
	work func(g *graph) func(neo4j.ManagedTransaction) (any, error)
	// setup changes the graph first.
	setup func(g *graph)
	// statements is the sequence of statements the work must run.
	statements []string
	code       model.Code // "" for success
	message    string     // a part of the error message
	check      func(t *testing.T, got any, runs []fakeRun)
}

func upsertEntity(e model.Entity) func(*graph) func(neo4j.ManagedTransaction) (any, error) {
	return func(*graph) func(neo4j.ManagedTransaction) (any, error) {
		w, err := entityWriteFor(e, now)
		if err != nil {
			panic(err)
		}
		work := w.work(context.Background())
		return func(tx neo4j.ManagedTransaction) (any, error) { return work(tx) }
	}
}

func upsertSource(s *model.Source) func(*graph) func(neo4j.ManagedTransaction) (any, error) {
	return func(*graph) func(neo4j.ManagedTransaction) (any, error) {
		work := sourceWriteFor(s, now).work(context.Background())
		return func(tx neo4j.ManagedTransaction) (any, error) { return work(tx) }
	}
}

func putRelation(r *model.Relation, update bool) func(*graph) func(neo4j.ManagedTransaction) (any, error) {
	return func(*graph) func(neo4j.ManagedTransaction) (any, error) {
		w, err := relationWriteFor(r, update, now)
		if err != nil {
			panic(err)
		}
		work := w.work(context.Background())
		return func(tx neo4j.ManagedTransaction) (any, error) { return work(tx) }
	}
}

func TestWriteWork(t *testing.T) {
	g0 := testGraph()
	avtotor := g0.entities["avtotor"].(*model.Organization)
	changedAvtotor := avtotor.Clone().(*model.Organization)
	changedAvtotor.Description = "Kaliningrad assembler."
	sameAvtotor := avtotor.Clone().(*model.Organization)
	sameAvtotor.Aliases = []string{} // empty is the same as none
	rel := g0.relations["avtotor-assembles-baic"]
	withRel := func(f func(r *model.Relation)) *model.Relation {
		c := rel.Clone()
		c.CreatedAt, c.UpdatedAt = time.Time{}, time.Time{}
		f(c)
		return c
	}
	newRel := withRel(func(r *model.Relation) { r.ID, r.ToID = "avtotor-assembles-kia", "kia" })
	lookupOnly := []string{"next revision", "lookup"}

	cases := []writeCase{
		{
			name:       "new entity",
			work:       upsertEntity(&model.Brand{EntityBase: model.EntityBase{ID: "haval", Name: "Haval", SourceIDs: []string{"report"}}, CountryID: "russia"}),
			statements: []string{"next revision", "lookup", "upsert entity", "record revision"},
			check: func(t *testing.T, got any, _ []fakeRun) {
				b := got.(*model.Brand)
				if b.ID != "haval" || b.CountryID != "russia" || !b.CreatedAt.Equal(now) || !b.UpdatedAt.Equal(now) {
					t.Errorf("new entity = %+v", b)
				}
			},
		},
		{
			name:       "identical entity: nothing written, stored one returned",
			work:       upsertEntity(sameAvtotor),
			statements: lookupOnly,
			check: func(t *testing.T, got any, _ []fakeRun) {
				e := got.(model.Entity)
				if !e.Common().UpdatedAt.Equal(storedAt) || e.Common().Name != "Avtotor" {
					t.Errorf("identical upsert returned %+v, want the stored entity", e)
				}
			},
		},
		{
			name:       "changed entity is written whole",
			work:       upsertEntity(changedAvtotor),
			statements: []string{"next revision", "lookup", "upsert entity", "record revision"},
			check: func(t *testing.T, got any, runs []fakeRun) {
				props := runs[2].params["props"].(map[string]any)
				if props["description"] != "Kaliningrad assembler." || props["countryId"] != "russia" {
					t.Errorf("written props = %v", props)
				}
			},
		},
		{
			name:       "another kind",
			work:       upsertEntity(&model.Brand{EntityBase: model.EntityBase{ID: "avtotor", Name: "Avtotor brand"}}),
			statements: lookupOnly, code: model.CodeBadUserInput,
			message: `id "avtotor" already belongs to an organization, which cannot become a brand`,
		},
		{
			name:       "id of a source",
			work:       upsertEntity(&model.Brand{EntityBase: model.EntityBase{ID: "report", Name: "R"}}),
			statements: lookupOnly, code: model.CodeBadUserInput,
			message: `id "report" already belongs to a source; choose another id for the entity`,
		},
		{
			name:       "id of a relation",
			work:       upsertEntity(&model.Brand{EntityBase: model.EntityBase{ID: "avtotor-assembles-baic", Name: "R"}}),
			statements: lookupOnly, code: model.CodeBadUserInput,
			message: `id "avtotor-assembles-baic" already belongs to a relation`,
		},
		{
			name: "unknown source is checked before the country",
			work: upsertEntity(&model.Brand{EntityBase: model.EntityBase{ID: "x", Name: "X", SourceIDs: []string{"report", "nope"}},
				CountryID: "atlantis"}),
			statements: lookupOnly, code: model.CodeNotFound,
			message: `entity "x" cites source "nope", but there is no source with that id`,
		},
		{
			name:       "unknown country",
			work:       upsertEntity(&model.Brand{EntityBase: model.EntityBase{ID: "x", Name: "X"}, CountryID: "atlantis"}),
			statements: lookupOnly, code: model.CodeNotFound,
			message: `the country of "x" is "atlantis", but there is no entity with that id`,
		},
		{
			name:       "country that is not a place",
			work:       upsertEntity(&model.Brand{EntityBase: model.EntityBase{ID: "x", Name: "X"}, CountryID: "avtotor"}),
			statements: lookupOnly, code: model.CodeBadUserInput,
			message: `the country of "x" is "avtotor", which is an organization, not a place`,
		},
		{
			name:       "new source",
			work:       upsertSource(&model.Source{ID: "new", Title: "New", PublishedOn: model.MustDate("2024"), PublisherID: "avtotor"}),
			statements: []string{"next revision", "lookup", "upsert source", "record revision"},
			check: func(t *testing.T, got any, _ []fakeRun) {
				if s := got.(*model.Source); s.ID != "new" || s.PublisherID != "avtotor" || !s.CreatedAt.Equal(now) {
					t.Errorf("new source = %+v", s)
				}
			},
		},
		{
			name:       "identical source",
			work:       upsertSource(g0.sources["report"].Clone()),
			statements: lookupOnly,
			check: func(t *testing.T, got any, _ []fakeRun) {
				if s := got.(*model.Source); !s.UpdatedAt.Equal(storedAt) {
					t.Errorf("identical source = %+v, want the stored one", s)
				}
			},
		},
		{
			name:       "source id of an entity",
			work:       upsertSource(&model.Source{ID: "kia", Title: "K", PublishedOn: model.MustDate("2024")}),
			statements: lookupOnly, code: model.CodeBadUserInput,
			message: `id "kia" already belongs to an entity; choose another id for the source`,
		},
		{
			name:       "unknown publisher",
			work:       upsertSource(&model.Source{ID: "s", Title: "S", PublishedOn: model.MustDate("2024"), PublisherID: "nobody"}),
			statements: lookupOnly, code: model.CodeNotFound,
			message: `the publisher of source "s" is "nobody", but there is no entity with that id`,
		},
		{
			name:       "publisher that is not an organization",
			work:       upsertSource(&model.Source{ID: "s", Title: "S", PublishedOn: model.MustDate("2024"), PublisherID: "kia"}),
			statements: lookupOnly, code: model.CodeBadUserInput,
			message: `the publisher of source "s" is "kia", which is a brand, not an organization`,
		},
		{
			name:       "add a new relation",
			work:       putRelation(newRel, false),
			statements: []string{"next revision", "lookup", "put relation", "record revision"},
			check: func(t *testing.T, got any, runs []fakeRun) {
				r := got.(*model.Relation)
				if r.ID != newRel.ID || r.Type != model.RelAssembles || r.ToID != "kia" || !r.CreatedAt.Equal(now) {
					t.Errorf("added %+v", r)
				}
				if runs[2].params["createdAt"] != nil {
					t.Errorf("a new relation carries createdAt %v", runs[2].params["createdAt"])
				}
			},
		},
		{
			name:       "add the same relation again: stored one returned, nothing checked or written",
			work:       putRelation(withRel(func(r *model.Relation) {}), false),
			setup:      func(g *graph) { delete(g.sources, "report") },
			statements: lookupOnly,
			check: func(t *testing.T, got any, _ []fakeRun) {
				if d := cmp.Diff(rel, got); d != "" {
					t.Errorf("re-add (-want +got):\n%s", d)
				}
			},
		},
		{
			name:       "add the same fact with its sources in another order: stored one returned",
			work:       putRelation(withRel(func(r *model.Relation) { r.SourceIDs = []string{"report", "report"} }), false),
			statements: lookupOnly,
			check: func(t *testing.T, got any, _ []fakeRun) {
				if d := cmp.Diff(rel, got); d != "" {
					t.Errorf("re-add (-want +got):\n%s", d)
				}
			},
		},
		{
			name:       "update with the sources in another order is written",
			work:       putRelation(withRel(func(r *model.Relation) { r.SourceIDs = []string{"report", "report"} }), true),
			statements: []string{"next revision", "lookup", "put relation", "record revision"},
		},
		{
			name:       "add under the id of a different relation",
			work:       putRelation(withRel(func(r *model.Relation) { r.Note = "other" }), false),
			statements: lookupOnly, code: model.CodeBadUserInput,
			message: `relation id "avtotor-assembles-baic" already exists with different content; use updateRelation to change it`,
		},
		{
			name:       "add under the id of an entity",
			work:       putRelation(withRel(func(r *model.Relation) { r.ID = "kia" }), false),
			statements: lookupOnly, code: model.CodeBadUserInput,
			message: `id "kia" already belongs to an entity; choose another id for the relation`,
		},
		{
			name: "unknown start is checked before the end and the sources",
			work: putRelation(withRel(func(r *model.Relation) {
				r.ID, r.FromID, r.ToID, r.SourceIDs = "n", "ghost", "ghost2", []string{"nope"}
			}), false),
			statements: lookupOnly, code: model.CodeNotFound,
			message: `the relation starts at "ghost", but there is no entity with that id`,
		},
		{
			name:       "unknown end",
			work:       putRelation(withRel(func(r *model.Relation) { r.ID, r.ToID = "n", "ghost" }), false),
			statements: lookupOnly, code: model.CodeNotFound,
			message: `the relation ends at "ghost", but there is no entity with that id`,
		},
		{
			name:       "kinds that do not fit are checked before the sources",
			work:       putRelation(withRel(func(r *model.Relation) { r.ID, r.Type, r.SourceIDs = "n", model.RelHasModel, []string{"nope"} }), false),
			statements: lookupOnly, code: model.CodeBadUserInput,
			message: `a HAS_MODEL relation goes from`,
		},
		{
			name:       "unknown cited source",
			work:       putRelation(withRel(func(r *model.Relation) { r.ID, r.SourceIDs = "n", []string{"report", "nope"} }), false),
			statements: lookupOnly, code: model.CodeNotFound,
			message: `the relation cites source "nope", but there is no source with that id`,
		},
		{
			name:       "update of a missing relation",
			work:       putRelation(withRel(func(r *model.Relation) { r.ID = "nope" }), true),
			statements: lookupOnly, code: model.CodeNotFound,
			message: `no relation with id "nope"`,
		},
		{
			name:       "update in place keeps the relationship",
			work:       putRelation(withRel(func(r *model.Relation) { r.Status = model.StatusEnded }), true),
			statements: []string{"next revision", "lookup", "put relation", "record revision"},
			check: func(t *testing.T, got any, runs []fakeRun) {
				r := got.(*model.Relation)
				if r.Status != model.StatusEnded || !r.CreatedAt.Equal(storedAt) || !r.UpdatedAt.Equal(now) {
					t.Errorf("updated %+v", r)
				}
				if runs[2].params["createdAt"] != nil {
					t.Errorf("an update in place sends createdAt %v", runs[2].params["createdAt"])
				}
			},
		},
		{
			name:       "update that moves the relation deletes it and recreates it with its createdAt",
			work:       putRelation(withRel(func(r *model.Relation) { r.ToID = "kia" }), true),
			statements: []string{"next revision", "lookup", "delete relation", "put relation", "record revision"},
			check: func(t *testing.T, got any, runs []fakeRun) {
				r := got.(*model.Relation)
				if r.ToID != "kia" || !r.CreatedAt.Equal(storedAt) || !r.UpdatedAt.Equal(now) {
					t.Errorf("moved %+v", r)
				}
				if runs[2].params["id"] != rel.ID || !runs[3].params["createdAt"].(time.Time).Equal(storedAt) {
					t.Errorf("delete params %v, put createdAt %v", runs[2].params, runs[3].params["createdAt"])
				}
			},
		},
		{
			name: "update to another type moves it too",
			work: putRelation(withRel(func(r *model.Relation) {
				r.Type, r.ToID = model.RelLocatedIn, "russia"
			}), true),
			statements: []string{"next revision", "lookup", "delete relation", "put relation", "hierarchy chain", "record revision"},
			check: func(t *testing.T, got any, runs []fakeRun) {
				if r := got.(*model.Relation); r.Type != model.RelLocatedIn || !r.CreatedAt.Equal(storedAt) {
					t.Errorf("retyped %+v", r)
				}
			},
		},
		{
			name:       "update to the same content checks, then writes nothing",
			work:       putRelation(withRel(func(r *model.Relation) {}), true),
			statements: lookupOnly,
			check: func(t *testing.T, got any, _ []fakeRun) {
				if d := cmp.Diff(rel, got); d != "" {
					t.Errorf("no-op update (-want +got):\n%s", d)
				}
			},
		},
		{
			name:       "update to the same content still checks the references",
			work:       putRelation(withRel(func(r *model.Relation) {}), true),
			setup:      func(g *graph) { delete(g.sources, "report") },
			statements: lookupOnly, code: model.CodeNotFound,
			message: `cites source "report"`,
		},
		{
			name:       "an endpoint deleted between the lookup and the write",
			work:       putRelation(newRel, false),
			setup:      func(g *graph) { g.putReturnsNothing = true },
			statements: []string{"next revision", "lookup", "put relation"}, code: model.CodeNotFound,
			message: "deleted meanwhile",
		},
		{
			name: "remove a relation",
			work: func(*graph) func(neo4j.ManagedTransaction) (any, error) {
				work := removeRelationWork(context.Background(), rel.ID, testRevision(model.OpRemoveRelation))
				return func(tx neo4j.ManagedTransaction) (any, error) { return work(tx) }
			},
			statements: []string{"next revision", "relation", "delete relation", "record revision"},
			check: func(t *testing.T, _ any, runs []fakeRun) {
				want := []model.Change{{ID: rel.ID, Before: model.Item{Relation: rel}}}
				checkRecorded(t, runs[3], model.OpRemoveRelation, want, []string{rel.ID})
			},
		},
		{
			name: "remove a missing relation",
			work: func(*graph) func(neo4j.ManagedTransaction) (any, error) {
				work := removeRelationWork(context.Background(), "nope", testRevision(model.OpRemoveRelation))
				return func(tx neo4j.ManagedTransaction) (any, error) { return work(tx) }
			},
			statements: []string{"next revision", "relation"}, code: model.CodeNotFound, message: `no relation with id "nope"`,
		},
		{
			name: "delete an entity",
			work: func(*graph) func(neo4j.ManagedTransaction) (any, error) {
				work := deleteEntityWork(context.Background(), "avtotor", testRevision(model.OpDeleteEntity))
				return func(tx neo4j.ManagedTransaction) (any, error) { return work(tx) }
			},
			statements: []string{"next revision", "entity prior", "delete entity", "record revision"},
			check: func(t *testing.T, got any, runs []fakeRun) {
				if got != 1 {
					t.Errorf("relations deleted = %v, want 1", got)
				}
				org := avtotor.Clone()
				org.Common().CreatedAt, org.Common().UpdatedAt = storedAt, storedAt
				want := []model.Change{{ID: "avtotor", Before: model.Item{Entity: org}}, {ID: rel.ID, Before: model.Item{Relation: rel}}}
				checkRecorded(t, runs[3], model.OpDeleteEntity, want, []string{"avtotor", rel.ID})
			},
		},
		{
			name: "delete a missing entity",
			work: func(*graph) func(neo4j.ManagedTransaction) (any, error) {
				work := deleteEntityWork(context.Background(), "nope", testRevision(model.OpDeleteEntity))
				return func(tx neo4j.ManagedTransaction) (any, error) { return work(tx) }
			},
			statements: []string{"next revision", "entity prior"}, code: model.CodeNotFound, message: `no entity with id "nope"`,
		},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			g := testGraph()
			if c.setup != nil {
				c.setup(g)
			}
			work := c.work(g)
			// The driver may run the function more than once: every attempt must send and
			// answer the same.
			var first []fakeRun
			for attempt := 1; attempt <= 2; attempt++ {
				tx := g.tx()
				got, err := work(tx)
				if d := cmp.Diff(c.statements, tx.statements()); d != "" {
					t.Errorf("attempt %d: statements (-want +got):\n%s", attempt, d)
				}
				// A write that records no revision must end its transaction with errNoChange,
				// so the number it took rolls back; one that records must not.
				var same *errNoChange
				if errors.As(err, &same) {
					got, err = same.value, nil
					if slices.Contains(c.statements, "record revision") {
						t.Errorf("attempt %d: a write that records a revision ended with errNoChange", attempt)
					}
				} else if err == nil && !slices.Contains(c.statements, "record revision") {
					t.Errorf("attempt %d: a write that changed nothing committed its transaction", attempt)
				}
				if c.code == "" {
					if err != nil {
						t.Fatalf("attempt %d: error %v", attempt, err)
					}
					if c.check != nil {
						c.check(t, got, tx.runs)
					}
				} else {
					var e *model.Error
					if model.ErrorCode(err) != c.code || !errors.As(err, &e) || !strings.Contains(e.Message, c.message) {
						t.Errorf("attempt %d: error %v, want %s containing %q", attempt, err, c.code, c.message)
					}
				}
				if attempt == 1 {
					first = tx.runs
				} else if d := cmp.Diff(first, tx.runs, cmp.AllowUnexported(fakeRun{}), cmpopts.EquateEmpty()); d != "" {
					t.Errorf("a retried attempt sent other statements or parameters (-first +retry):\n%s", d)
				}
			}
		})
	}
}

// testRevision is the revision of a write under test.
func testRevision(op model.Operation) revisionFor { return revisionFor{at: now, op: op} }

// checkRecorded checks the parameters of a cypherRecordRevision run: the operation, the
// number the write took, the touched ids and each item's content before, timestamps included.
func checkRecorded(t *testing.T, run fakeRun, op model.Operation, want []model.Change, touched []string) {
	t.Helper()
	p := run.params
	if p["operation"] != string(op) || p["number"] != int64(7) || !p["at"].(time.Time).Equal(now) || p["run"] != nil {
		t.Errorf("recorded header %v", p)
	}
	if p["actorName"] != "system" || p["actorVia"] != "system" {
		t.Errorf("recorded actor %v %v, want the system actor", p["actorName"], p["actorVia"])
	}
	var ts []model.Touched
	if err := json.Unmarshal([]byte(p["touched"].(string)), &ts); err != nil {
		t.Fatal(err)
	}
	var ids []string
	for _, x := range ts {
		ids = append(ids, x.ID)
	}
	if d := cmp.Diff(touched, ids); d != "" {
		t.Errorf("touched (-want +got):\n%s", d)
	}
	var got []model.Change
	for _, row := range p["changes"].([]any) {
		m := row.(map[string]any)
		c := model.Change{ID: m["id"].(string)}
		if b, ok := m["before"].(string); ok {
			if err := json.Unmarshal([]byte(b), &c.Before); err != nil {
				t.Fatal(err)
			}
		}
		got = append(got, c)
	}
	if d := cmp.Diff(want, got, cmpopts.EquateEmpty()); d != "" {
		t.Errorf("recorded changes (-want +got):\n%s", d)
	}
}

// TestRelationWorkKeepsItsParams checks that a move, which sends the stored createdAt, does
// so on a copy: a retried attempt that finds the relation already in place must send none.
func TestRelationWorkKeepsItsParams(t *testing.T) {
	g := testGraph()
	r := g.relations["avtotor-assembles-baic"].Clone()
	r.ToID = "kia"
	w, err := relationWriteFor(r, true, now)
	if err != nil {
		t.Fatal(err)
	}
	tx := g.tx()
	if _, err := w.work(t.Context())(tx); err != nil {
		t.Fatal(err)
	}
	if len(tx.runs) != 5 || tx.runs[3].params["createdAt"] == nil {
		t.Fatalf("the move did not send createdAt: %v", tx.statements())
	}
	if w.params["createdAt"] != nil {
		t.Errorf("the move changed the write's own parameters: createdAt = %v", w.params["createdAt"])
	}
}

// TestWriteWorkPassesDriverErrors checks that an error of the driver comes out of the
// transaction function as it is, so that ExecuteWrite can tell a transient one and retry.
func TestWriteWorkPassesDriverErrors(t *testing.T) {
	transient := &neo4j.Neo4jError{Code: "Neo.TransientError.Transaction.DeadlockDetected"}
	tx := &fakeTx{reply: func(string, map[string]any) ([]*neo4j.Record, error) { return nil, transient }}
	w, err := entityWriteFor(&model.Brand{EntityBase: model.EntityBase{ID: "b", Name: "B"}}, now)
	if err != nil {
		t.Fatal(err)
	}
	for name, work := range map[string]func() error{
		"upsert entity": func() error { _, err := w.work(t.Context())(tx); return err },
		"upsert source": func() error {
			_, err := sourceWriteFor(&model.Source{ID: "s", Title: "S", PublishedOn: model.MustDate("2024")}, now).work(t.Context())(tx)
			return err
		},
		"remove relation": func() error {
			_, err := removeRelationWork(t.Context(), "r", testRevision(model.OpRemoveRelation))(tx)
			return err
		},
		"delete entity": func() error {
			_, err := deleteEntityWork(t.Context(), "e", testRevision(model.OpDeleteEntity))(tx)
			return err
		},
	} {
		if err := work(); err != transient {
			t.Errorf("%s: error %v, want the driver's own", name, err)
		}
	}
}

// TestWritesCheckedBeforeTheDriver runs the writes on a store without a driver: bad input is
// refused with BAD_USER_INPUT, a closed store is UNAVAILABLE and a done context ends the call
// with its error, all before any round trip.
func TestWritesCheckedBeforeTheDriver(t *testing.T) {
	s := &Store{database: "neo4j", logger: slog.New(slog.DiscardHandler), now: time.Now}
	ctx := t.Context()
	okRel := &model.Relation{ID: "r", Type: model.RelAssembles, FromID: "a", ToID: "b", Status: model.StatusActive, SourceIDs: []string{"s"}}
	bad := map[string]func() error{
		"nil entity": func() error { _, err := s.UpsertEntity(ctx, nil); return err },
		"nil brand":  func() error { _, err := s.UpsertEntity(ctx, (*model.Brand)(nil)); return err },
		"entity, bad id": func() error {
			_, err := s.UpsertEntity(ctx, &model.Brand{EntityBase: model.EntityBase{ID: "Bad Id", Name: "x"}})
			return err
		},
		"entity, no name": func() error {
			_, err := s.UpsertEntity(ctx, &model.Brand{EntityBase: model.EntityBase{ID: "b"}})
			return err
		},
		"entity, bad enum": func() error {
			_, err := s.UpsertEntity(ctx, &model.Organization{EntityBase: model.EntityBase{ID: "o", Name: "O"}, Type: "CULT"})
			return err
		},
		"nil source":      func() error { _, err := s.UpsertSource(ctx, nil); return err },
		"source, no date": func() error { _, err := s.UpsertSource(ctx, &model.Source{ID: "s", Title: "T"}); return err },
		"nil relation":    func() error { _, err := s.AddRelation(ctx, nil); return err },
		"relation, bad type": func() error {
			r := okRel.Clone()
			r.Type = "KNOWS]->() //"
			_, err := s.AddRelation(ctx, r)
			return err
		},
		"relation, no source": func() error {
			r := okRel.Clone()
			r.SourceIDs = nil
			_, err := s.UpdateRelation(ctx, r)
			return err
		},
	}
	for name, call := range bad {
		if got := model.ErrorCode(call()); got != model.CodeBadUserInput {
			t.Errorf("%s: code %s, want BAD_USER_INPUT", name, got)
		}
	}
	var otherEntity struct{ model.Brand }
	if _, err := s.UpsertEntity(ctx, &otherEntity); model.ErrorCode(err) != model.CodeBadUserInput {
		t.Errorf("an entity of a foreign type: %v, want BAD_USER_INPUT", err)
	}

	writes := func(ctx context.Context) map[string]func() error {
		return map[string]func() error{
			"UpsertEntity": func() error {
				_, err := s.UpsertEntity(ctx, &model.Brand{EntityBase: model.EntityBase{ID: "b", Name: "B"}})
				return err
			},
			"UpsertSource": func() error {
				_, err := s.UpsertSource(ctx, &model.Source{ID: "s", Title: "T", PublishedOn: model.MustDate("2024")})
				return err
			},
			"AddRelation":    func() error { _, err := s.AddRelation(ctx, okRel); return err },
			"UpdateRelation": func() error { _, err := s.UpdateRelation(ctx, okRel); return err },
			"RemoveRelation": func() error { return s.RemoveRelation(ctx, "r") },
			"DeleteEntity":   func() error { _, err := s.DeleteEntity(ctx, "e"); return err },
		}
	}
	cancelled, cancel := context.WithCancel(ctx)
	cancel()
	for name, call := range writes(cancelled) {
		if err := call(); !errors.Is(err, context.Canceled) || model.ErrorCode(err) != model.CodeUnavailable {
			t.Errorf("%s with a cancelled context: %v, want UNAVAILABLE wrapping context.Canceled", name, err)
		}
	}
	s.closed.Store(true)
	for name, call := range writes(ctx) {
		if got := model.ErrorCode(call()); got != model.CodeUnavailable {
			t.Errorf("%s on a closed store: code %s, want UNAVAILABLE", name, got)
		}
	}
}

// TestSessionsShareExecuteQueryBookmarks checks the causal chain: the sessions the writes and
// the reads (autocommit.go) run in use one bookmark manager, the one ExecuteQuery uses by
// default, on the configured database. Making a driver does not connect.
func TestSessionsShareExecuteQueryBookmarks(t *testing.T) {
	d, err := neo4j.NewDriverWithContext("neo4j://127.0.0.1:1", neo4j.NoAuth())
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = d.Close(context.Background()) }()
	s := &Store{driver: d, database: "kg"}
	for _, mode := range []neo4j.AccessMode{neo4j.AccessModeWrite, neo4j.AccessModeRead} {
		c := s.sessionConfig(mode)
		if c.BookmarkManager == nil || c.BookmarkManager != d.ExecuteQueryBookmarkManager() {
			t.Errorf("mode %v: the session has its own bookmarks, not ExecuteQuery's", mode)
		}
		if c.DatabaseName != "kg" || c.AccessMode != mode {
			t.Errorf("session config = %+v", c)
		}
	}
}
