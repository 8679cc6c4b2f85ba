package storetest

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/autograph-kg/autograph/graph/model"
	"github.com/autograph-kg/autograph/seed/synth"
)

// wantRefusal checks that err is BAD_USER_INPUT with a message that says says.
func wantRefusal(t *testing.T, what string, err error, says string) {
	t.Helper()
	wantCode(t, what, err, model.CodeBadUserInput)
	var de *model.Error
	if err != nil && (!errors.As(err, &de) || !strings.Contains(de.Message, says)) {
		t.Errorf("%s: error %q; want a message that says %s", what, err, says)
	}
}

// testHierarchies checks the rules of hierarchical relation types beyond the refusals of
// testRefused: what is allowed (replacing a relation by its reverse), and imports, which must
// refuse self-relations and cycles, whether within the dataset or through stored relations,
// and change nothing when they do.
func testHierarchies(t *testing.T, s WriteStore) {
	ctx := t.Context()
	digest := []string{"zavod-digest-2023"}
	locatedIn := func(id, from, to string) *model.Relation {
		return &model.Relation{ID: id, Type: model.RelLocatedIn, FromID: from, ToID: to, Status: model.StatusActive, SourceIDs: digest}
	}
	place := func(id string) *model.Place {
		return &model.Place{EntityBase: model.EntityBase{ID: id, Name: "Place " + id}, Type: model.PlaceCity}
	}

	t.Run("imports", func(t *testing.T) {
		before := takeSnapshot(t, s)
		// Datasets are self-contained: each case is the fixture again (which changes nothing)
		// with a few items added.
		with := func(places []*model.Place, rels ...*model.Relation) *model.Dataset {
			d := Fixture()
			d.Places = append(d.Places, places...)
			d.Relations = append(d.Relations, rels...)
			return d
		}
		cases := []struct {
			name string
			d    *model.Dataset
			says string
		}{
			{"a self-relation", with([]*model.Place{place("loop-a")}, locatedIn("r-loop", "loop-a", "loop-a")), `from "loop-a" to itself`},
			{"a cycle within the dataset", with([]*model.Place{place("loop-a"), place("loop-b"), place("loop-c")},
				locatedIn("r-loop-ab", "loop-a", "loop-b"), locatedIn("r-loop-bc", "loop-b", "loop-c"), locatedIn("r-loop-ca", "loop-c", "loop-a"),
			), "(loop-a → loop-b → loop-c)"},
		}
		// A dataset need not hold the whole graph: the stored relations it does not replace
		// stay, and a cycle may run through them.
		cases = append(cases, []struct {
			name string
			d    *model.Dataset
			says string
		}{
			{"a cycle through stored relations", fixturePart([]string{"russia", "kaliningrad"},
				locatedIn("r-russia-in-kaliningrad", "russia", "kaliningrad")), "(kaliningrad → kaliningrad-oblast → russia)"},
			{"a cycle through stored relations, first in dataset order", fixturePart([]string{"baic-group", "baic-motor", "russia", "moscow", "kaliningrad"},
				locatedIn("r-fine", "moscow", "russia"),
				&model.Relation{ID: "r-group-under-motor", Type: model.RelSubsidiaryOf, FromID: "baic-group", ToID: "baic-motor", Status: model.StatusActive, SourceIDs: digest},
				locatedIn("r-russia-in-kaliningrad", "russia", "kaliningrad"),
			), `from "baic-group" to "baic-motor"`},
		}...)
		for _, c := range cases {
			t.Run(c.name, func(t *testing.T) {
				err := s.Import(ctx, c.d)
				wantCode(t, "Import", err, model.CodeBadUserInput)
				if err != nil && !strings.Contains(err.Error(), c.says) {
					t.Errorf("Import: error %q; want one that says %s", err, c.says)
				}
				diff(t, "store after a refused import", before, takeSnapshot(t, s))
			})
		}
	})

	t.Run("a relation may be replaced by its reverse", func(t *testing.T) {
		// The stored version is what the write replaces, so it does not count as a way back.
		r := fixtureRelation("r-tula-in-russia")
		r.FromID, r.ToID = "russia", "tula-oblast"
		got, err := s.UpdateRelation(ctx, r)
		noErr(t, "UpdateRelation", err)
		diff(t, "reversed relation", r, got, contentOpts())
		noErr(t, "Import of the fixture, with the relation the right way round", s.Import(ctx, Fixture()))
		back, err := s.Relation(ctx, "r-tula-in-russia")
		noErr(t, "Relation", err)
		diff(t, "relation after the import", fixtureRelation("r-tula-in-russia"), back, contentOpts())
	})

	t.Run("a longer hierarchy is fine", func(t *testing.T) {
		_, err := s.AddRelation(ctx, locatedIn("r-oblast-in-somewhere", "russia", "monaco"))
		noErr(t, "AddRelation russia in monaco (odd, but no cycle)", err)
		_, err = s.AddRelation(ctx, locatedIn("r-monaco-in-kaliningrad", "monaco", "kaliningrad"))
		wantRefusal(t, "AddRelation monaco in kaliningrad", err, "(kaliningrad → kaliningrad-oblast → russia → monaco)")
	})
}

// fixturePart is a self-contained dataset of fixture entities (with the countries and sources
// they refer to, and the sources' publishers) and the given relations, which must cite only
// the fixture's sources.
func fixturePart(ids []string, rels ...*model.Relation) *model.Dataset {
	fx := Fixture()
	want := map[string]bool{}
	for _, id := range ids {
		want[id] = true
	}
	wantSrc := map[string]bool{}
	for _, r := range rels {
		for _, id := range r.SourceIDs {
			wantSrc[id] = true
		}
	}
	for grown := true; grown; {
		grown = false
		add := func(set map[string]bool, id string) {
			if id != "" && !set[id] {
				set[id], grown = true, true
			}
		}
		for _, e := range fx.Entities() {
			if want[e.GetID()] {
				add(want, model.CountryOf(e))
				for _, src := range e.Common().SourceIDs {
					add(wantSrc, src)
				}
			}
		}
		for _, src := range fx.Sources {
			if wantSrc[src.ID] {
				add(want, src.PublisherID)
			}
		}
	}
	d := &model.Dataset{Relations: rels}
	for _, e := range fx.Entities() {
		if want[e.GetID()] {
			d.Add(e)
		}
	}
	for _, src := range fx.Sources {
		if wantSrc[src.ID] {
			d.Sources = append(d.Sources, src)
		}
	}
	return d
}

// testRelationIDsAreReserved checks that no entity or source can take the id that AddRelation
// derives for a fact (model.RelationID), so that the fact can always be recorded.
func testRelationIDsAreReserved(t *testing.T, s WriteStore) {
	ctx := t.Context()
	before := takeSnapshot(t, s)
	fact := func() *model.Relation {
		r := &model.Relation{Type: model.RelAssembles, FromID: "avtotor", ToID: "haval", Status: model.StatusPlanned,
			ValidFrom: date("2030"), SourceIDs: []string{"zavod-digest-2023"}}
		r.ID = model.RelationID(r)
		return r
	}
	id := fact().ID
	_, err := s.UpsertEntity(ctx, &model.Brand{EntityBase: model.EntityBase{ID: id, Name: "Squatter"}})
	wantRefusal(t, "UpsertEntity with the fact's id", err, "reserved for relations")
	_, err = s.UpsertSource(ctx, &model.Source{ID: id, Title: "Squatter", PublishedOn: model.MustDate("2024")})
	wantRefusal(t, "UpsertSource with the fact's id", err, "reserved for relations")
	d := fixturePart([]string{"avtotor"})
	d.Places = append(d.Places, &model.Place{EntityBase: model.EntityBase{ID: id, Name: "Squatter"}, Type: model.PlaceCity})
	err = s.Import(ctx, d)
	wantCode(t, "Import of an entity with the fact's id", err, model.CodeBadUserInput)
	if err != nil && !strings.Contains(err.Error(), "reserved for relations") {
		t.Errorf("Import: error %q; want one that says the id is reserved for relations", err)
	}
	diff(t, "store after the refused writes", before, takeSnapshot(t, s))

	got, err := s.AddRelation(ctx, fact())
	noErr(t, "AddRelation of the fact", err)
	diff(t, "recorded fact", fact(), got, contentOpts())

	// Hand-picked relation ids in a dataset may have any slug, the derived shape included.
	r := fact()
	r.ID, r.ValidFrom = "kaliningrad-located-in-russia-0a1b2c3d", nil
	noErr(t, "Import of a relation with a derived-looking id", s.Import(ctx, fixturePart([]string{"avtotor", "haval"}, r)))
}

// testOptionalText checks that optional text left out or given empty is stored as absent and
// reads back as absent (the API shows it as null), however it is read.
func testOptionalText(t *testing.T, s WriteStore) {
	ctx := t.Context()
	place := &model.Place{EntityBase: model.EntityBase{ID: "bare-town", Name: "Bare Town", Description: ""}, Type: model.PlaceCity, CountryCode: ""}
	_, err := s.UpsertEntity(ctx, place)
	noErr(t, "UpsertEntity", err)
	src := &model.Source{ID: "bare-report", Title: "Bare report", PublishedOn: model.MustDate("2024"), Dateline: "", URL: "", Language: ""}
	_, err = s.UpsertSource(ctx, src)
	noErr(t, "UpsertSource", err)
	r := &model.Relation{ID: "r-bare-town-in-russia", Type: model.RelLocatedIn, FromID: "bare-town", ToID: "russia", Status: model.StatusActive,
		Note: "", SourceIDs: []string{"bare-report"}}
	_, err = s.AddRelation(ctx, r)
	noErr(t, "AddRelation", err)
	// A description that is cleared again goes too.
	withText := *place
	withText.Description = "A town."
	_, err = s.UpsertEntity(ctx, &withText)
	noErr(t, "UpsertEntity with a description", err)
	_, err = s.UpsertEntity(ctx, place)
	noErr(t, "UpsertEntity without it again", err)

	check := func(t *testing.T, e model.Entity, src *model.Source, r *model.Relation) {
		t.Helper()
		p := e.(*model.Place)
		for what, v := range map[string]*string{
			"description": p.DescriptionOrNull(), "countryCode": p.CountryCodeOrNull(),
			"dateline": src.DatelineOrNull(), "url": src.URLOrNull(), "language": src.LanguageOrNull(), "note": r.NoteOrNull(),
		} {
			if v != nil {
				t.Errorf("%s = %q, want none", what, *v)
			}
		}
	}
	e, err := s.Entity(ctx, "bare-town")
	noErr(t, "Entity", err)
	gotSrc, err := s.Source(ctx, "bare-report")
	noErr(t, "Source", err)
	gotRel, err := s.Relation(ctx, r.ID)
	noErr(t, "Relation", err)
	check(t, e, gotSrc, gotRel)
	page, err := s.Entities(ctx, model.EntityQuery{Kind: model.KindPlace, Filter: model.EntityFilter{IDs: []string{"bare-town"}}})
	noErr(t, "Entities", err)
	srcs, err := s.Sources(ctx, model.SourceQuery{Filter: model.SourceFilter{IDs: []string{"bare-report"}}})
	noErr(t, "Sources", err)
	of, err := s.RelationsOf(ctx, []string{"bare-town"}, model.RelationsOfQuery{})
	noErr(t, "RelationsOf", err)
	if len(page.Items) != 1 || len(srcs.Items) != 1 || len(of["bare-town"].Items) != 1 {
		t.Fatalf("listings found %d entities, %d sources, %d relations; want one of each", len(page.Items), len(srcs.Items), len(of["bare-town"].Items))
	}
	check(t, page.Items[0], srcs.Items[0], of["bare-town"].Items[0])
}

// ImportCancelEntities is the size of the synthetic dataset whose import testImportCancelled
// cancels: big enough that no store imports it before the first cancel.
const ImportCancelEntities = 100_000

// MaxCancelDelay is how long an import may go on after its context is cancelled before a test
// calls it a store that does not stop. It is a bound on hanging, not the speed target: how
// quickly an import stops (within 2 s on the embedded store) is a figure that bench/embedded's
// cancel phase prints, since a test that asserts wall time fails on a busy machine, not on
// slow code.
const MaxCancelDelay = 20 * time.Second

// testImportCancelled cancels the import of a large synthetic dataset at a few moments into
// it: each import must stop (within MaxCancelDelay, a bound on hanging; the time it took is
// logged) with the context's error and leave the store
// as it was, timestamps included (an import is all or nothing), or, if it had saved the whole
// dataset already, closed (UNAVAILABLE) rather than half loaded. A moment past the end of the
// import (a fast store) ends the test with the dataset imported.
func testImportCancelled(t *testing.T, s model.Store) {
	before := takeSnapshot(t, s)
	d := synth.Generate(ImportCancelEntities, 7)
	for _, after := range []time.Duration{0, 20 * time.Millisecond, 300 * time.Millisecond, 1500 * time.Millisecond, 4 * time.Second, 8 * time.Second} {
		ctx, cancel := context.WithCancel(t.Context())
		done := make(chan error, 1)
		go func() { done <- s.Import(ctx, d) }()
		var err error
		var cancelled time.Time
		select {
		case err = <-done:
		case <-time.After(after):
			cancelled = time.Now()
			cancel()
			select {
			case err = <-done:
			case <-time.After(time.Minute):
				t.Fatalf("cancelled %v into the import: still running a minute later", after)
			}
		}
		cancel()
		if cancelled.IsZero() {
			noErr(t, fmt.Sprintf("Import that finished before the cancel at %v", after), err)
			return
		}
		took := time.Since(cancelled)
		t.Logf("cancelled %v into the import: returned %v later with %v", after, took.Round(time.Millisecond), err)
		if took > MaxCancelDelay {
			t.Errorf("cancelled %v into the import: it returned %v later, want at most %v", after, took.Round(time.Millisecond), MaxCancelDelay)
		}
		if err == nil {
			// The cancel came as the import committed: it is all there.
			return
		}
		if !errors.Is(err, context.Canceled) {
			t.Fatalf("cancelled %v into the import: error = %v, want one wrapping context.Canceled", after, err)
		}
		if model.ErrorCode(s.Ping(t.Context())) == model.CodeUnavailable {
			// The store had the whole dataset saved and gave up loading it into memory, so it
			// closed (the embedded store does); what its file holds is the store's own test.
			return
		}
		diff(t, fmt.Sprintf("store after an import cancelled %v into it", after), before, takeSnapshot(t, s))
	}
}
