// Package storetest is the conformance suite of model.Store: one set of tests that every
// backend (the embedded store and Neo4j) must pass, so that both keep the shared semantics
// written down in the model package to the letter.
//
// A backend's test calls Run with a constructor of fresh, empty stores; Run covers the reads
// and the writes (model.Writer). The suite imports its own fixture (see Fixture) once
// per top-level group, then check exact results worked out by hand from that fixture, never by
// re-running an algorithm like the one under test: a wrong implementation must fail here
// rather than agree with itself.
package storetest

import (
	"context"
	"errors"
	"maps"
	"slices"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/autograph-kg/autograph/graph/model"
)

// Run runs the conformance suite against the stores newStore makes. newStore must return a
// new, empty store each time it is called (the suite imports into it and may close it); it is
// called once per top-level group, so a remote backend pays for a handful of imports only.
// Cleaning the store up afterwards is newStore's business (t.Cleanup).
func Run(t *testing.T, newStore func(t *testing.T) model.Store) {
	t.Helper()
	loaded := func(t *testing.T) model.Store {
		t.Helper()
		s := newStore(t)
		if err := s.Import(t.Context(), Fixture()); err != nil {
			t.Fatalf("Import(Fixture()) = %v, want nil", err)
		}
		return s
	}
	t.Run("Fixture", testFixture)
	t.Run("Lookups", func(t *testing.T) { testLookups(t, loaded(t)) })
	t.Run("Entities", func(t *testing.T) { testEntities(t, loaded(t)) })
	t.Run("Sources", func(t *testing.T) { testSources(t, loaded(t)) })
	t.Run("Relations", func(t *testing.T) { testRelations(t, loaded(t)) })
	t.Run("RelationsOf", func(t *testing.T) { testRelationsOf(t, loaded(t)) })
	t.Run("Nested", func(t *testing.T) { testNested(t, loaded(t)) })
	t.Run("Search", func(t *testing.T) { testSearch(t, loaded(t)) })
	t.Run("Neighborhood", func(t *testing.T) { testNeighborhood(t, loaded(t)) })
	t.Run("Paths", func(t *testing.T) { testPaths(t, loaded(t)) })
	t.Run("QueryRules", func(t *testing.T) { testQueryRules(t, loaded(t)) })
	t.Run("Filters", func(t *testing.T) { testFilters(t, loaded(t)) })
	t.Run("Orders", func(t *testing.T) { testOrders(t, loaded(t)) })
	t.Run("Aggregates", func(t *testing.T) { testAggregates(t, loaded(t)) })
	t.Run("EntityAggregates", func(t *testing.T) { testEntityAggregates(t, loaded(t)) })
	t.Run("Copies", func(t *testing.T) { testCopies(t, loaded(t)) })
	t.Run("Shared", func(t *testing.T) { testShared(t, loaded(t)) })
	t.Run("Import", func(t *testing.T) { testImport(t, newStore(t)) })
	t.Run("ImportCancelled", func(t *testing.T) { testImportCancelled(t, loaded(t)) })
	t.Run("Context", func(t *testing.T) { testContext(t, loaded(t)) })
	t.Run("Close", func(t *testing.T) { testClose(t, loaded(t)) })
	t.Run("Writes", func(t *testing.T) { runWrites(t, newStore) })
	t.Run("History", func(t *testing.T) { runHistory(t, newStore) })
}

// contentOpts compares stored values with the fixture's: timestamps are the store's own. (diff
// always adds cmpopts.EquateEmpty, since a backend may give back an empty list where the
// fixture has none.)
func contentOpts() cmp.Options {
	return cmp.Options{
		cmpopts.IgnoreFields(model.EntityBase{}, "CreatedAt", "UpdatedAt"),
		cmpopts.IgnoreFields(model.Source{}, "CreatedAt", "UpdatedAt"),
		cmpopts.IgnoreFields(model.Relation{}, "CreatedAt", "UpdatedAt"),
	}
}

// date parses a partial date literal into a pointer, for queries.
func date(s string) *model.Date {
	d := model.MustDate(s)
	return &d
}

// Lists of ids, the shape most assertions take.

func entityIDs(es []model.Entity) []string {
	out := make([]string, len(es))
	for i, e := range es {
		out[i] = e.GetID()
	}
	return out
}

func relationIDs(rs []*model.Relation) []string {
	out := make([]string, len(rs))
	for i, r := range rs {
		out[i] = r.ID
	}
	return out
}

func sourceIDs(ss []*model.Source) []string {
	out := make([]string, len(ss))
	for i, s := range ss {
		out[i] = s.ID
	}
	return out
}

// reversed returns a reversed copy; a descending order is the ascending one reversed, ties
// included, so the hand-written ascending lists serve both directions.
func reversed(s []string) []string {
	r := slices.Clone(s)
	slices.Reverse(r)
	return r
}

// diff reports a mismatch between want and got with the (-want +got) convention.
func diff(t *testing.T, what string, want, got any, opts ...cmp.Option) {
	t.Helper()
	if d := cmp.Diff(want, got, append(opts, cmpopts.EquateEmpty())...); d != "" {
		t.Errorf("%s mismatch (-want +got):\n%s", what, d)
	}
}

// wantCode checks that err is a domain error with the given code.
func wantCode(t *testing.T, what string, err error, code model.Code) {
	t.Helper()
	if err == nil {
		t.Errorf("%s: error = nil, want %s", what, code)
		return
	}
	if got := model.ErrorCode(err); got != code {
		t.Errorf("%s: error code = %s (%v), want %s", what, got, err, code)
	}
}

// noErr stops the test on an unexpected error.
func noErr(t *testing.T, what string, err error) {
	t.Helper()
	if err != nil {
		t.Fatalf("%s: unexpected error: %v", what, err)
	}
}

// pageWant is the expected shape of one page of any connection.
type pageWant struct {
	IDs         []string
	HasNextPage bool
	TotalCount  int
}

// testFixture checks the fixture itself: valid, fresh on every call, and of the size the
// hand-derived expectations below assume.
func testFixture(t *testing.T) {
	d := Fixture()
	if err := d.Validate(); err != nil {
		t.Fatalf("Fixture().Validate() = %v, want nil", err)
	}
	counts := map[string]int{
		"sources": len(d.Sources), "organizations": len(d.Organizations), "brands": len(d.Brands),
		"vehicleModels": len(d.VehicleModels), "plants": len(d.Plants), "places": len(d.Places),
		"agreements": len(d.Agreements), "entities": len(d.Entities()), "relations": len(d.Relations),
	}
	want := map[string]int{
		"sources": 6, "organizations": 28, "brands": 11, "vehicleModels": 12, "plants": 4,
		"places": 18, "agreements": 2, "entities": 75, "relations": 67,
	}
	diff(t, "fixture sizes", want, counts)

	d.Organizations[1].Name = "changed"
	d.Relations[0].ValidFrom.Year = 1900
	again := Fixture()
	if got := again.Organizations[1].Name; got != "Avtotor" {
		t.Errorf("Fixture() after changing an earlier result: Organizations[1].Name = %q, want %q", got, "Avtotor")
	}
	if got := again.Relations[0].ValidFrom.String(); got != "2023-04" {
		t.Errorf("Fixture() after changing an earlier result: Relations[0].ValidFrom = %s, want 2023-04", got)
	}
}

// testContext checks that a done context stops every kind of call with the context's error.
func testContext(t *testing.T, s model.Store) {
	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	calls := map[string]func() error{
		"Ping":         func() error { return s.Ping(ctx) },
		"Entity":       func() error { _, err := s.Entity(ctx, "avtotor"); return err },
		"EntitiesByID": func() error { _, err := s.EntitiesByID(ctx, []string{"avtotor"}); return err },
		"Entities":     func() error { _, err := s.Entities(ctx, model.EntityQuery{}); return err },
		"Sources":      func() error { _, err := s.Sources(ctx, model.SourceQuery{}); return err },
		"Relations":    func() error { _, err := s.Relations(ctx, model.RelationQuery{}); return err },
		"RelationsOf":  func() error { _, err := s.RelationsOf(ctx, []string{"avtotor"}, model.RelationsOfQuery{}); return err },
		"Search":       func() error { _, err := s.Search(ctx, model.SearchQuery{Text: "gaz"}); return err },
		"Neighborhood": func() error {
			_, err := s.Neighborhood(ctx, model.NeighborhoodQuery{ID: "avtotor", Depth: 2})
			return err
		},
		"Paths": func() error { _, err := s.Paths(ctx, model.PathQuery{From: "chain-1", To: "chain-5"}); return err },
	}
	for _, name := range slices.Sorted(maps.Keys(calls)) {
		t.Run(name, func(t *testing.T) {
			err := calls[name]()
			if !errors.Is(err, context.Canceled) {
				t.Errorf("%s with a cancelled context: error = %v, want one wrapping context.Canceled", name, err)
			}
		})
	}
}

// testClose checks that a closed store answers UNAVAILABLE to everything.
func testClose(t *testing.T, s model.Store) {
	ctx := t.Context()
	if err := s.Ping(ctx); err != nil {
		t.Fatalf("Ping before Close = %v, want nil", err)
	}
	if err := s.Close(ctx); err != nil {
		t.Fatalf("Close = %v, want nil", err)
	}
	calls := map[string]func() error{
		"Ping":         func() error { return s.Ping(ctx) },
		"Entity":       func() error { _, err := s.Entity(ctx, "avtotor"); return err },
		"EntitiesByID": func() error { _, err := s.EntitiesByID(ctx, []string{"avtotor"}); return err },
		"Entities":     func() error { _, err := s.Entities(ctx, model.EntityQuery{}); return err },
		"Source":       func() error { _, err := s.Source(ctx, "kommersant-2022"); return err },
		"SourcesByID":  func() error { _, err := s.SourcesByID(ctx, []string{"kommersant-2022"}); return err },
		"Sources":      func() error { _, err := s.Sources(ctx, model.SourceQuery{}); return err },
		"Relation":     func() error { _, err := s.Relation(ctx, "r-tula-in-russia"); return err },
		"Relations":    func() error { _, err := s.Relations(ctx, model.RelationQuery{}); return err },
		"RelationsOf":  func() error { _, err := s.RelationsOf(ctx, []string{"avtotor"}, model.RelationsOfQuery{}); return err },
		"Search":       func() error { _, err := s.Search(ctx, model.SearchQuery{Text: "gaz"}); return err },
		"Neighborhood": func() error { _, err := s.Neighborhood(ctx, model.NeighborhoodQuery{ID: "avtotor"}); return err },
		"Paths":        func() error { _, err := s.Paths(ctx, model.PathQuery{From: "chain-1", To: "chain-5"}); return err },
		"Import":       func() error { return s.Import(ctx, Fixture()) },
	}
	for _, name := range slices.Sorted(maps.Keys(calls)) {
		t.Run(name, func(t *testing.T) {
			wantCode(t, name+" after Close", calls[name](), model.CodeUnavailable)
		})
	}
}
