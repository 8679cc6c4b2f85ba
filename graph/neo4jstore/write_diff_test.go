package neo4jstore

import (
	"context"
	"errors"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/autograph-kg/autograph/graph/inmem"
	"github.com/autograph-kg/autograph/graph/model"
	"github.com/autograph-kg/autograph/graph/storetest"
)

// TestWritesAgreeWithTheEmbeddedStore sends the same writes to the embedded store and to this
// store's write logic (checks before the transaction, then the transaction function against a
// fake transaction over the same fixture graph), and requires the same outcome: the same
// error code and client message, or the same returned value (timestamps aside). It pins the
// order of the checks and the messages to the embedded store's without a server; what it
// cannot show is that Neo4j answers the statements as the fake does (TestWriteConformance does,
// against a server).
func TestWritesAgreeWithTheEmbeddedStore(t *testing.T) {
	if _, ok := any(inmem.New()).(model.Writer); !ok {
		t.Skip("the embedded store does not implement model.Writer")
	}
	for _, w := range diffWrites() {
		t.Run(w.name, func(t *testing.T) {
			ctx := t.Context()
			s := inmem.New()
			if err := s.Import(ctx, storetest.Fixture()); err != nil {
				t.Fatal(err)
			}
			want, wantErr := w.on(ctx, any(s).(model.Writer))
			got, gotErr := w.onNeo4j(fixtureGraph())
			if model.ErrorCode(gotErr) != model.ErrorCode(wantErr) || clientMessage(gotErr) != clientMessage(wantErr) {
				t.Fatalf("error:\n  neo4j: %v\n  inmem: %v", gotErr, wantErr)
			}
			if wantErr == nil {
				opts := cmp.Options{cmpopts.EquateEmpty(),
					cmpopts.IgnoreFields(model.EntityBase{}, "CreatedAt", "UpdatedAt"),
					cmpopts.IgnoreFields(model.Source{}, "CreatedAt", "UpdatedAt"),
					cmpopts.IgnoreFields(model.Relation{}, "CreatedAt", "UpdatedAt")}
				if d := cmp.Diff(want, got, opts); d != "" {
					t.Errorf("returned value (-inmem +neo4j):\n%s", d)
				}
			}
		})
	}
}

// clientMessage is what a client is shown of an error.
func clientMessage(err error) string {
	var e *model.Error
	if errors.As(err, &e) {
		return e.Message
	}
	if err != nil {
		return "(internal) " + err.Error()
	}
	return ""
}

// fixtureGraph is the conformance fixture as the fake transaction's database.
func fixtureGraph() *graph {
	d := storetest.Fixture()
	g := &graph{entities: map[string]model.Entity{}, sources: map[string]*model.Source{}, relations: map[string]*model.Relation{}}
	for _, e := range d.Entities() {
		g.entities[e.GetID()] = e
	}
	for _, s := range d.Sources {
		g.sources[s.ID] = s
	}
	for _, r := range d.Relations {
		r.CreatedAt, r.UpdatedAt = storedAt, storedAt
		g.relations[r.ID] = r
	}
	return g
}

// diffWrite is one write, sent to either store.
type diffWrite struct {
	name   string
	entity model.Entity
	source *model.Source
	rel    *model.Relation
	update bool
	remove string
	delete string
	// kind says which of the above is set: "entity", "source", "relation", "remove", "delete".
	kind string
}

func (w diffWrite) on(ctx context.Context, s model.Writer) (any, error) {
	switch w.kind {
	case "entity":
		return s.UpsertEntity(ctx, w.entity)
	case "source":
		return s.UpsertSource(ctx, w.source)
	case "relation":
		if w.update {
			return s.UpdateRelation(ctx, w.rel)
		}
		return s.AddRelation(ctx, w.rel)
	case "remove":
		return nil, s.RemoveRelation(ctx, w.remove)
	case "delete":
		return s.DeleteEntity(ctx, w.delete)
	}
	panic("unknown write kind " + w.kind)
}

func (w diffWrite) onNeo4j(g *graph) (any, error) {
	ctx := context.Background()
	switch w.kind {
	case "entity":
		p, err := prepareEntityWrite(w.entity, now)
		if err != nil {
			return nil, err
		}
		return p.work(ctx)(g.tx())
	case "source":
		p, err := prepareSourceWrite(w.source, now)
		if err != nil {
			return nil, err
		}
		return p.work(ctx)(g.tx())
	case "relation":
		p, err := prepareRelationWrite(w.rel, w.update, now)
		if err != nil {
			return nil, err
		}
		return p.work(ctx)(g.tx())
	case "remove":
		_, err := removeRelationWork(ctx, w.remove)(g.tx())
		return nil, err
	case "delete":
		return deleteEntityWork(ctx, w.delete)(g.tx())
	}
	panic("unknown write kind " + w.kind)
}

// diffWrites are writes of every method over the fixture: successes, no-ops and every sort
// of refusal, including inputs that fail two checks (to pin which comes first).
func diffWrites() []diffWrite {
	fixture := func(id string) model.Entity {
		for _, e := range storetest.Fixture().Entities() {
			if e.GetID() == id {
				return e
			}
		}
		panic(id)
	}
	fixtureRel := func(id string) *model.Relation {
		for _, r := range storetest.Fixture().Relations {
			if r.ID == id {
				return r
			}
		}
		panic(id)
	}
	fixtureSrc := func(id string) *model.Source {
		for _, s := range storetest.Fixture().Sources {
			if s.ID == id {
				return s
			}
		}
		panic(id)
	}
	ent := func(name string, e model.Entity) diffWrite {
		return diffWrite{name: "entity: " + name, kind: "entity", entity: e}
	}
	src := func(name string, mutate func(s *model.Source)) diffWrite {
		s := &model.Source{ID: "interfax-2024-02-01", Title: "Evolute starts production", PublisherID: "interfax",
			PublishedOn: model.MustDate("2024-02-01"), Language: "ru"}
		mutate(s)
		return diffWrite{name: "source: " + name, kind: "source", source: s}
	}
	newRel := func() *model.Relation {
		return &model.Relation{ID: "r-new", Type: model.RelAssembles, FromID: "avtotor", ToID: "haval",
			Status: model.StatusActive, SourceIDs: []string{"kommersant-2022"}}
	}
	add := func(name string, mutate func(r *model.Relation)) diffWrite {
		r := newRel()
		mutate(r)
		return diffWrite{name: "add: " + name, kind: "relation", rel: r}
	}
	update := func(name string, mutate func(r *model.Relation)) diffWrite {
		r := fixtureRel("r-tula-in-russia")
		mutate(r)
		return diffWrite{name: "update: " + name, kind: "relation", rel: r, update: true}
	}
	brand := func(id, name, country string, sources ...string) model.Entity {
		return &model.Brand{EntityBase: model.EntityBase{ID: id, Name: name, SourceIDs: sources}, CountryID: country}
	}
	place := func(id string) model.Entity {
		return &model.Place{EntityBase: model.EntityBase{ID: id, Name: "Somewhere"}, Type: model.PlaceCity}
	}
	kamaz := fixture("kamaz")
	kamaz.Common().Aliases, kamaz.Common().SourceIDs = []string{}, []string{}
	avtotorBare := &model.Organization{EntityBase: model.EntityBase{ID: "avtotor", Name: "Avtotor"}, Type: model.OrgAssembler}
	neg := -1
	var foreign struct{ model.Brand }

	return []diffWrite{
		ent("new brand", brand("evolute", "Evolute", "russia", "autostat-2023-01")),
		ent("new agreement with provisions", &model.Agreement{EntityBase: model.EntityBase{ID: "deal", Name: "Deal"},
			Provisions: []model.Provision{{Summary: "Build", Due: storetestDate("2025")}}}),
		ent("the same organization", fixture("avtotor")),
		ent("the same with empty lists", kamaz),
		ent("fields left out", avtotorBare),
		ent("nil", nil),
		ent("nil pointer", (*model.Plant)(nil)),
		ent("foreign type", &foreign),
		ent("id not a slug", brand("New Brand", "New", "")),
		ent("no name", brand("new-brand", "  ", "")),
		ent("unknown source", brand("new-brand", "New", "", "no-such-source")),
		ent("unknown source and unknown country", brand("new-brand", "New", "atlantis", "no-such-source")),
		ent("unknown organization type", &model.Organization{EntityBase: model.EntityBase{ID: "new-org", Name: "New"}, Type: "BANK"}),
		ent("id of another kind", brand("avtotor", "Avtotor brand", "")),
		ent("id of another kind with an unknown source", brand("avtotor", "Avtotor brand", "", "nope")),
		ent("kind change with nothing depending on it", &model.Plant{EntityBase: model.EntityBase{ID: "minpromtorg", Name: "Plant"}}),
		ent("kind change breaking relations", place("baic-x35")),
		ent("id of a source", place("kommersant-2022")),
		ent("id of a relation", place("r-tula-in-russia")),
		ent("brand country not a place", brand("new-brand", "New", "avtotor")),
		ent("organization country not a place", &model.Organization{EntityBase: model.EntityBase{ID: "new-org", Name: "New"},
			Type: model.OrgOther, CountryID: "kia"}),
		ent("unknown country", brand("new-brand", "New", "atlantis")),
		ent("existing entity with an unknown country", brand("kia", "Kia", "atlantis", "zavod-digest-2023")),
		ent("own id as country", brand("new-brand", "New", "new-brand")),

		src("new", func(*model.Source) {}),
		src("the same", func(s *model.Source) { *s = *fixtureSrc("kommersant-2022") }),
		src("fields left out", func(s *model.Source) {
			*s = model.Source{ID: "kommersant-2022", Title: "Élan or exit", PublishedOn: model.MustDate("2022-05")}
		}),
		src("id not a slug", func(s *model.Source) { s.ID = "Interfax 2024" }),
		src("no title", func(s *model.Source) { s.Title = "" }),
		src("no date", func(s *model.Source) { s.PublishedOn = model.Date{} }),
		src("bad url", func(s *model.Source) { s.URL = "ftp://example.org" }),
		src("id of an entity", func(s *model.Source) { s.ID = "avtotor" }),
		src("id of a relation", func(s *model.Source) { s.ID = "r-tula-in-russia" }),
		src("id of an entity and an unknown publisher", func(s *model.Source) { s.ID, s.PublisherID = "avtotor", "nobody" }),
		src("publisher not an organization", func(s *model.Source) { s.PublisherID = "russia" }),
		src("unknown publisher", func(s *model.Source) { s.PublisherID = "no-such-publisher" }),
		src("existing source with a bad publisher", func(s *model.Source) { *s = *fixtureSrc("kommersant-2022"); s.PublisherID = "kia" }),
		{name: "source: nil", kind: "source"},

		add("new", func(*model.Relation) {}),
		add("a fixture relation again", func(r *model.Relation) { *r = *fixtureRel("r-tula-in-russia") }),
		add("a fixture relation with its sources reordered", func(r *model.Relation) {
			*r = *fixtureRel("r-avtotor-assembles-baic")
			r.SourceIDs = append(r.SourceIDs, r.SourceIDs[0])
		}),
		add("id of a relation with other content", func(r *model.Relation) { *r = *fixtureRel("r-tula-in-russia"); r.Note = "changed" }),
		add("id of a relation with other content and an unknown endpoint", func(r *model.Relation) {
			*r = *fixtureRel("r-tula-in-russia")
			r.FromID = "atlantis"
		}),
		add("unknown from", func(r *model.Relation) { r.FromID = "no-such-org" }),
		add("unknown from and to", func(r *model.Relation) { r.FromID, r.ToID = "no-such-org", "no-such-brand" }),
		add("unknown to", func(r *model.Relation) { r.ToID = "no-such-brand" }),
		add("unknown source", func(r *model.Relation) { r.SourceIDs = []string{"kommersant-2022", "no-such-source"} }),
		add("unknown source and kinds that do not fit", func(r *model.Relation) {
			r.Type, r.SourceIDs = model.RelOwnsBrand, []string{"no-such-source"}
			r.FromID = "kia"
		}),
		add("no source", func(r *model.Relation) { r.SourceIDs = nil }),
		add("OWNS_BRAND from a brand", func(r *model.Relation) { r.Type, r.FromID = model.RelOwnsBrand, "kia" }),
		add("HAS_MODEL from an organization", func(r *model.Relation) { r.Type, r.ToID = model.RelHasModel, "baic-x35" }),
		add("LOCATED_IN to an organization", func(r *model.Relation) { r.Type, r.ToID = model.RelLocatedIn, "avtotor-holding" }),
		add("ASSEMBLES to a place", func(r *model.Relation) { r.FromID, r.ToID = "haval-plant", "tula-oblast" }),
		add("validTo before validFrom", func(r *model.Relation) { r.ValidFrom, r.ValidTo = storetestDate("2024"), storetestDate("2023") }),
		add("negative quantity", func(r *model.Relation) { r.Quantity = &neg }),
		add("unknown type", func(r *model.Relation) { r.Type = "BUILDS" }),
		add("unknown status", func(r *model.Relation) { r.Status = "RUMOURED" }),
		add("id not a slug", func(r *model.Relation) { r.ID = "R New" }),
		add("id of an entity", func(r *model.Relation) { r.ID = "avtotor" }),
		add("id of a source", func(r *model.Relation) { r.ID = "kommersant-2022" }),
		add("self-loop", func(r *model.Relation) { r.Type, r.FromID, r.ToID = model.RelLocatedIn, "russia", "russia" }),
		add("a cycle of places", func(r *model.Relation) { r.Type, r.FromID, r.ToID = model.RelLocatedIn, "russia", "kaliningrad" }),
		add("a cycle of subsidiaries", func(r *model.Relation) { r.Type, r.FromID, r.ToID = model.RelSubsidiaryOf, "baic-group", "baic-motor" }),
		add("a hierarchy without a cycle", func(r *model.Relation) { r.Type, r.FromID, r.ToID = model.RelSubsidiaryOf, "baic-motor", "avtotor" }),
		{name: "add: nil", kind: "relation"},

		update("unknown id", func(r *model.Relation) { r.ID = "no-such-relation" }),
		update("unknown id that is an entity's", func(r *model.Relation) { r.ID = "avtotor" }),
		update("unknown endpoint", func(r *model.Relation) { r.ToID = "atlantis" }),
		update("unknown source", func(r *model.Relation) { r.SourceIDs = []string{"no-such-source"} }),
		update("no source", func(r *model.Relation) { r.SourceIDs = []string{} }),
		update("type does not fit", func(r *model.Relation) { r.Type = model.RelOwnsBrand }),
		update("the same", func(*model.Relation) {}),
		update("a note", func(r *model.Relation) { r.Note = "changed" }),
		update("moved", func(r *model.Relation) { r.FromID = "kaliningrad" }),
		update("another type", func(r *model.Relation) { r.Type, r.FromID, r.ToID = model.RelOperates, "avtotor", "haval-plant" }),
		update("reversed", func(r *model.Relation) { r.FromID, r.ToID = r.ToID, r.FromID }),
		update("moved to close a cycle", func(r *model.Relation) { r.FromID, r.ToID = "russia", "kaliningrad" }),
		update("sources reordered", func(r *model.Relation) { r.SourceIDs = append(r.SourceIDs, "kommersant-2022") }),
		{name: "update: nil", kind: "relation", update: true},

		{name: "remove: a relation", kind: "remove", remove: "r-avtotor-partners-baic-1"},
		{name: "remove: unknown", kind: "remove", remove: "no-such-relation"},
		{name: "remove: an entity's id", kind: "remove", remove: "avtotor"},
		{name: "delete: the hub", kind: "delete", delete: "avtotor"},
		{name: "delete: an entity without relations", kind: "delete", delete: "monaco"},
		{name: "delete: no relations", kind: "delete", delete: "czechia"},
		{name: "delete: unknown", kind: "delete", delete: "no-such-entity"},
		{name: "delete: a source's id", kind: "delete", delete: "kommersant-2022"},
	}
}

func storetestDate(s string) *model.Date {
	d := model.MustDate(s)
	return &d
}
