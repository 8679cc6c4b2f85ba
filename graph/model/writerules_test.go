package model

import (
	"errors"
	"reflect"
	"slices"
	"testing"
	"time"
)

// storedGraph is a small stored graph for the write rules: what a store would hold.
type storedGraph struct {
	entities  map[string]Entity
	sources   map[string]*Source
	relations map[string]*Relation
}

// facts gathers the WriteFacts of k from the graph, as a store does.
func (g *storedGraph) facts(k WriteKeys) *WriteFacts {
	f := &WriteFacts{Entity: g.entities[k.ID], Source: g.sources[k.ID], Relation: g.relations[k.ID],
		Sources: map[string]bool{}, Kinds: map[string]EntityKind{}}
	for _, id := range k.SourceIDs {
		if g.sources[id] != nil {
			f.Sources[id] = true
		}
	}
	for _, id := range k.RefIDs {
		if e := g.entities[id]; e != nil {
			f.Kinds[id] = e.Kind()
		}
	}
	return f
}

func testGraph() *storedGraph {
	g := &storedGraph{entities: map[string]Entity{}, sources: map[string]*Source{}, relations: map[string]*Relation{}}
	for _, e := range []Entity{
		&Place{EntityBase: EntityBase{ID: "russia", Name: "Russia"}, Type: PlaceCountry},
		&Place{EntityBase: EntityBase{ID: "kaliningrad", Name: "Kaliningrad"}, Type: PlaceCity},
		&Organization{EntityBase: EntityBase{ID: "avtotor", Name: "Avtotor", SourceIDs: []string{"report"}},
			Type: OrgAssembler, CountryID: "russia"},
		&Organization{EntityBase: EntityBase{ID: "tass", Name: "TASS"}, Type: OrgPublisher},
		&Brand{EntityBase: EntityBase{ID: "kia", Name: "Kia"}},
		&Brand{EntityBase: EntityBase{ID: "baic", Name: "BAIC"}},
		&Plant{EntityBase: EntityBase{ID: "plant", Name: "Plant"}},
	} {
		g.entities[e.GetID()] = e
	}
	for _, s := range []*Source{
		{ID: "report", Title: "Report", PublishedOn: MustDate("2023-04-18"), PublisherID: "tass"},
		{ID: "digest", Title: "Digest", PublishedOn: MustDate("2023")},
	} {
		g.sources[s.ID] = s
	}
	for _, r := range []*Relation{
		{ID: "r-assembles", Type: RelAssembles, FromID: "avtotor", ToID: "kia", Status: StatusActive,
			SourceIDs: []string{"report", "digest"}},
		{ID: "r-located", Type: RelLocatedIn, FromID: "kaliningrad", ToID: "russia", Status: StatusActive,
			SourceIDs: []string{"report"}},
	} {
		g.relations[r.ID] = r
	}
	return g
}

// verdict is what a rule decided: unchanged, or the code and client message of its error.
type verdict struct {
	Unchanged bool
	Code      Code
	Message   string
}

func verdictOf(unchanged bool, err error) verdict {
	if err == nil {
		return verdict{Unchanged: unchanged}
	}
	var e *Error
	if !errors.As(err, &e) {
		return verdict{Code: CodeInternal, Message: err.Error()}
	}
	return verdict{Unchanged: unchanged, Code: e.Code, Message: e.Message}
}

func written() verdict { return verdict{} }

func refused(code Code, message string) verdict { return verdict{Code: code, Message: message} }

func TestCheckEntityWrite(t *testing.T) {
	brand := func(id, country string, sources ...string) Entity {
		return &Brand{EntityBase: EntityBase{ID: id, Name: "New", SourceIDs: sources}, CountryID: country}
	}
	avtotor := func(change func(*Organization)) Entity {
		e := testGraph().entities["avtotor"].Clone().(*Organization)
		change(e)
		return e
	}
	for _, c := range []struct {
		name string
		e    Entity
		want verdict
	}{
		{"new brand", brand("evolute", "russia", "report"), written()},
		{"the same organization", avtotor(func(*Organization) {}), verdict{Unchanged: true}},
		{"the same with empty lists and timestamps", avtotor(func(o *Organization) {
			o.Aliases, o.CreatedAt = []string{}, time.Now()
		}), verdict{Unchanged: true}},
		{"fields left out", avtotor(func(o *Organization) { o.CountryID, o.SourceIDs = "", nil }), written()},
		{"a new kind with nothing depending on it", &Plant{EntityBase: EntityBase{ID: "evolute", Name: "Plant"}}, written()},
		{"id of another kind", brand("avtotor", ""), refused(CodeBadUserInput,
			`id "avtotor" already belongs to an organization, which cannot become a brand (its relations and references would no longer fit); choose another id`)},
		{"id of another kind comes before an unknown source", brand("avtotor", "", "nope"), refused(CodeBadUserInput,
			`id "avtotor" already belongs to an organization, which cannot become a brand (its relations and references would no longer fit); choose another id`)},
		{"id of a source", brand("report", ""), refused(CodeBadUserInput,
			`id "report" already belongs to a source; choose another id for the entity`)},
		{"id of a relation", brand("r-assembles", ""), refused(CodeBadUserInput,
			`id "r-assembles" already belongs to a relation; choose another id for the entity`)},
		{"unknown source", brand("evolute", "", "report", "nope"), refused(CodeNotFound,
			`entity "evolute" cites source "nope", but there is no source with that id`)},
		{"unknown source comes before an unknown country", brand("evolute", "atlantis", "nope"), refused(CodeNotFound,
			`entity "evolute" cites source "nope", but there is no source with that id`)},
		{"unknown country", brand("evolute", "atlantis"), refused(CodeNotFound,
			`the country of "evolute" is "atlantis", but there is no entity with that id`)},
		{"its own id as country", brand("evolute", "evolute"), refused(CodeNotFound,
			`the country of "evolute" is "evolute", but there is no entity with that id`)},
		{"brand country not a place", brand("evolute", "avtotor"), refused(CodeBadUserInput,
			`the country of "evolute" is "avtotor", which is an organization, not a place`)},
		{"organization country not a place", avtotor(func(o *Organization) { o.CountryID = "kia" }), refused(CodeBadUserInput,
			`the country of "avtotor" is "kia", which is a brand, not a place`)},
		{"stored entity given an unknown country", avtotor(func(o *Organization) { o.CountryID = "atlantis" }), refused(CodeNotFound,
			`the country of "avtotor" is "atlantis", but there is no entity with that id`)},
	} {
		t.Run(c.name, func(t *testing.T) {
			g := testGraph()
			if got := verdictOf(CheckEntityWrite(c.e, g.facts(EntityWriteKeys(c.e)))); got != c.want {
				t.Errorf("CheckEntityWrite = %+v, want %+v", got, c.want)
			}
		})
	}
}

func TestCheckSourceWrite(t *testing.T) {
	src := func(change func(*Source)) *Source {
		s := &Source{ID: "interfax", Title: "Evolute starts production", PublisherID: "tass", PublishedOn: MustDate("2024-02-01")}
		change(s)
		return s
	}
	for _, c := range []struct {
		name string
		s    *Source
		want verdict
	}{
		{"new", src(func(*Source) {}), written()},
		{"without a publisher", src(func(s *Source) { s.PublisherID = "" }), written()},
		{"the same", src(func(s *Source) { *s = *testGraph().sources["report"]; s.UpdatedAt = time.Now() }), verdict{Unchanged: true}},
		{"fields left out", src(func(s *Source) { *s = *testGraph().sources["report"]; s.PublisherID = "" }), written()},
		{"id of an entity", src(func(s *Source) { s.ID = "avtotor" }), refused(CodeBadUserInput,
			`id "avtotor" already belongs to an entity; choose another id for the source`)},
		{"id of an entity comes before an unknown publisher", src(func(s *Source) { s.ID, s.PublisherID = "avtotor", "nobody" }),
			refused(CodeBadUserInput, `id "avtotor" already belongs to an entity; choose another id for the source`)},
		{"id of a relation", src(func(s *Source) { s.ID = "r-located" }), refused(CodeBadUserInput,
			`id "r-located" already belongs to a relation; choose another id for the source`)},
		{"unknown publisher", src(func(s *Source) { s.PublisherID = "nobody" }), refused(CodeNotFound,
			`the publisher of source "interfax" is "nobody", but there is no entity with that id`)},
		{"publisher not an organization", src(func(s *Source) { s.PublisherID = "russia" }), refused(CodeBadUserInput,
			`the publisher of source "interfax" is "russia", which is a place, not an organization`)},
	} {
		t.Run(c.name, func(t *testing.T) {
			if got := verdictOf(CheckSourceWrite(c.s, testGraph().facts(SourceWriteKeys(c.s)))); got != c.want {
				t.Errorf("CheckSourceWrite = %+v, want %+v", got, c.want)
			}
		})
	}
}

func TestCheckRelationWrite(t *testing.T) {
	newRel := func(change func(*Relation)) *Relation {
		r := &Relation{ID: "r-new", Type: RelAssembles, FromID: "avtotor", ToID: "baic", Status: StatusActive, SourceIDs: []string{"report"}}
		change(r)
		return r
	}
	stored := func(id string, change func(*Relation)) *Relation {
		r := testGraph().relations[id].Clone()
		change(r)
		return r
	}
	same := func(*Relation) {}
	// Checks that add and update share, for a relation under a new id (add) or a stored one.
	shared := []struct {
		name   string
		change func(*Relation)
		want   verdict
	}{
		{"unknown start", func(r *Relation) { r.FromID = "nobody" }, refused(CodeNotFound,
			`the relation starts at "nobody", but there is no entity with that id`)},
		{"unknown start comes before an unknown end and source", func(r *Relation) {
			r.FromID, r.ToID, r.SourceIDs = "nobody", "nothing", []string{"nope"}
		}, refused(CodeNotFound, `the relation starts at "nobody", but there is no entity with that id`)},
		{"unknown end", func(r *Relation) { r.ToID = "nothing" }, refused(CodeNotFound,
			`the relation ends at "nothing", but there is no entity with that id`)},
		{"kinds that do not fit come before an unknown source", func(r *Relation) {
			r.Type, r.SourceIDs = RelHasModel, []string{"nope"}
		}, refused(CodeBadUserInput, `a HAS_MODEL relation goes from [BRAND] to [VEHICLE_MODEL], not from ORGANIZATION to BRAND`)},
		{"ASSEMBLES from a plant to a place", func(r *Relation) { r.FromID, r.ToID = "plant", "russia" }, refused(CodeBadUserInput,
			`a ASSEMBLES relation goes from [ORGANIZATION PLANT] to [BRAND VEHICLE_MODEL], not from PLANT to PLACE`)},
		{"unknown source", func(r *Relation) { r.SourceIDs = []string{"report", "nope"} }, refused(CodeNotFound,
			`the relation cites source "nope", but there is no source with that id`)},
	}
	type rcase struct {
		name string
		r    *Relation
		want verdict
	}
	adds := []rcase{
		{"new", newRel(same), written()},
		{"a stored relation again", stored("r-assembles", same), verdict{Unchanged: true}},
		{"a stored relation with its sources reordered and repeated", stored("r-assembles", func(r *Relation) {
			r.SourceIDs = []string{"digest", "report", "digest"}
		}), verdict{Unchanged: true}},
		{"a stored id with other content", stored("r-assembles", func(r *Relation) { r.Note = "changed" }), refused(CodeBadUserInput,
			`relation id "r-assembles" already exists with different content; use updateRelation to change it`)},
		{"a stored id with other content comes before an unknown start", stored("r-assembles", func(r *Relation) { r.FromID = "nobody" }),
			refused(CodeBadUserInput, `relation id "r-assembles" already exists with different content; use updateRelation to change it`)},
		{"id of an entity", newRel(func(r *Relation) { r.ID = "kia" }), refused(CodeBadUserInput,
			`id "kia" already belongs to an entity; choose another id for the relation`)},
		{"id of a source comes before an unknown start", newRel(func(r *Relation) { r.ID, r.FromID = "report", "nobody" }),
			refused(CodeBadUserInput, `id "report" already belongs to a source; choose another id for the relation`)},
	}
	updates := []rcase{
		{"unknown id", newRel(same), refused(CodeNotFound, `no relation with id "r-new"`)},
		{"unknown id that is an entity's", newRel(func(r *Relation) { r.ID = "kia" }), refused(CodeNotFound, `no relation with id "kia"`)},
		{"the same", stored("r-assembles", same), verdict{Unchanged: true}},
		{"the same with other timestamps", stored("r-assembles", func(r *Relation) { r.UpdatedAt = time.Now() }), verdict{Unchanged: true}},
		{"sources reordered are written", stored("r-assembles", func(r *Relation) { slices.Reverse(r.SourceIDs) }), written()},
		{"a note", stored("r-assembles", func(r *Relation) { r.Note = "changed" }), written()},
		{"moved to another end", stored("r-assembles", func(r *Relation) { r.ToID = "baic" }), written()},
		{"another type", stored("r-assembles", func(r *Relation) { r.Type, r.ToID = RelLocatedIn, "russia" }), written()},
	}
	for _, s := range shared {
		adds = append(adds, rcase{s.name, newRel(s.change), s.want})
		updates = append(updates, rcase{s.name, stored("r-assembles", s.change), s.want})
	}
	for _, c := range adds {
		t.Run("add: "+c.name, func(t *testing.T) {
			if got := verdictOf(CheckRelationAdd(c.r, testGraph().facts(RelationWriteKeys(c.r)))); got != c.want {
				t.Errorf("CheckRelationAdd = %+v, want %+v", got, c.want)
			}
		})
	}
	for _, c := range updates {
		t.Run("update: "+c.name, func(t *testing.T) {
			if got := verdictOf(CheckRelationUpdate(c.r, testGraph().facts(RelationWriteKeys(c.r)))); got != c.want {
				t.Errorf("CheckRelationUpdate = %+v, want %+v", got, c.want)
			}
		})
	}
	t.Run("update: the same still checks the references", func(t *testing.T) {
		g := testGraph()
		delete(g.sources, "digest")
		r := stored("r-assembles", same)
		want := refused(CodeNotFound, `the relation cites source "digest", but there is no source with that id`)
		if got := verdictOf(CheckRelationUpdate(r, g.facts(RelationWriteKeys(r)))); got != want {
			t.Errorf("CheckRelationUpdate = %+v, want %+v", got, want)
		}
	})
}

func TestWriteKeys(t *testing.T) {
	for _, c := range []struct {
		name string
		got  WriteKeys
		want WriteKeys
	}{
		{"organization with a country", EntityWriteKeys(&Organization{EntityBase: EntityBase{ID: "o", SourceIDs: []string{"b", "a", "b"}},
			CountryID: "russia"}), WriteKeys{ID: "o", SourceIDs: []string{"b", "a"}, RefIDs: []string{"russia"}}},
		{"brand with a country", EntityWriteKeys(&Brand{EntityBase: EntityBase{ID: "b"}, CountryID: "china"}),
			WriteKeys{ID: "b", SourceIDs: []string{}, RefIDs: []string{"china"}}},
		{"plant without references", EntityWriteKeys(&Plant{EntityBase: EntityBase{ID: "p"}}),
			WriteKeys{ID: "p", SourceIDs: []string{}, RefIDs: []string{}}},
		{"source with a publisher", SourceWriteKeys(&Source{ID: "s", PublisherID: "tass"}),
			WriteKeys{ID: "s", SourceIDs: []string{}, RefIDs: []string{"tass"}}},
		{"source without a publisher", SourceWriteKeys(&Source{ID: "s"}), WriteKeys{ID: "s", SourceIDs: []string{}, RefIDs: []string{}}},
		{"relation", RelationWriteKeys(&Relation{ID: "r", FromID: "a", ToID: "b", SourceIDs: []string{"s", "s"}}),
			WriteKeys{ID: "r", SourceIDs: []string{"s"}, RefIDs: []string{"a", "b"}}},
		{"relation from an entity to itself", RelationWriteKeys(&Relation{ID: "r", FromID: "a", ToID: "a"}),
			WriteKeys{ID: "r", SourceIDs: []string{}, RefIDs: []string{"a"}}},
	} {
		if !reflect.DeepEqual(c.got, c.want) {
			t.Errorf("%s: keys %#v, want %#v", c.name, c.got, c.want)
		}
	}
}

func TestTimestamp(t *testing.T) {
	in := time.Date(2026, 1, 2, 3, 4, 5, 123456789, time.FixedZone("MSK", 3*3600))
	got := Timestamp(in)
	if want := time.Date(2026, 1, 2, 0, 4, 5, 123456000, time.UTC); !got.Equal(want) || got.Location() != time.UTC {
		t.Errorf("Timestamp(%v) = %v, want %v in UTC", in, got, want)
	}
}

func TestSameness(t *testing.T) {
	for k, want := range map[EntityKind]string{
		KindOrganization: "an organization", KindVehicleModel: "a vehicle model",
		KindAgreement: "an agreement", KindPlace: "a place", "": "an unknown kind",
	} {
		if got := KindWithArticle(k); got != want {
			t.Errorf("KindWithArticle(%s) = %q, want %q", k, got, want)
		}
	}
	now := time.Now()
	a := &Agreement{EntityBase: EntityBase{ID: "a", Name: "A", CreatedAt: now}, Provisions: []Provision{}}
	b := &Agreement{EntityBase: EntityBase{ID: "a", Name: "A", Aliases: []string{}}}
	if !SameEntity(a, b) {
		t.Error("timestamps or empty lists count as content")
	}
	b.Description = "d"
	if SameEntity(a, b) {
		t.Error("a changed description is not a change")
	}
	r1 := &Relation{ID: "r", Type: RelAssembles, FromID: "a", ToID: "b", SourceIDs: []string{}}
	r2 := &Relation{ID: "r", Type: RelAssembles, FromID: "a", ToID: "b", UpdatedAt: now}
	if !SameRelation(r1, r2) {
		t.Error("relations differing in timestamps and empty lists are not the same")
	}
	r2.ToID = "c"
	if SameRelation(r1, r2) {
		t.Error("a moved relation is the same")
	}
	s1 := &Source{ID: "s", Title: "T", CreatedAt: now}
	if !SameSource(s1, &Source{ID: "s", Title: "T"}) || SameSource(s1, &Source{ID: "s", Title: "U"}) {
		t.Error("SameSource")
	}
}

func TestCheckOnItsOwnRefusesNil(t *testing.T) {
	var foreign struct{ Brand }
	for name, err := range map[string]error{
		"nil entity":   CheckEntity(nil),
		"nil brand":    CheckEntity((*Brand)(nil)),
		"foreign type": CheckEntity(&foreign),
		"nil source":   CheckSource(nil),
		"nil relation": CheckRelation(nil),
	} {
		if ErrorCode(err) != CodeBadUserInput {
			t.Errorf("%s: %v, want BAD_USER_INPUT", name, err)
		}
	}
}
