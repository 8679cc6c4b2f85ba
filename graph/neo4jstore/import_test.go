package neo4jstore

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"maps"
	"slices"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
	"github.com/neo4j/neo4j-go-driver/v5/neo4j"

	"github.com/autograph-kg/autograph/graph/model"
	"github.com/autograph-kg/autograph/graph/neo4jstore/neo4jtest"
	"github.com/autograph-kg/autograph/graph/storetest"
	"github.com/autograph-kg/autograph/seed/synth"
)

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

func TestImportRows(t *testing.T) {
	fx := storetest.Fixture()
	rows, err := buildImportRows(t.Context(), fx)
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, k := range model.AllEntityKinds() {
		n += len(rows.entities[k])
	}
	m := 0
	for _, typ := range model.AllRelationTypes() {
		m += len(rows.byType[typ])
	}
	if len(rows.sources) != len(fx.Sources) || n != len(fx.Entities()) || len(rows.relations) != len(fx.Relations) || m != len(fx.Relations) {
		t.Errorf("rows: %d sources, %d entities, %d relations (%d by type)", len(rows.sources), n, len(rows.relations), m)
	}
	fx.Relations[0].Type = "KNOWS"
	if _, err := buildImportRows(t.Context(), fx); model.ErrorCode(err) != model.CodeBadUserInput {
		t.Errorf("relation of an unknown type: error = %v, want BAD_USER_INPUT", err)
	}
}

// graphState is everything the test database holds, labels and every property included
// (timestamps and content hashes too), in a stable order: what "the import changed nothing"
// means at the level of the graph.
type graphState struct {
	Nodes []map[string]any
	Rels  []map[string]any
}

func readGraphState(t *testing.T, s *Store) graphState {
	t.Helper()
	var g graphState
	nodes, err := s.read(t.Context(), "test", `
MATCH (n)
WITH n, labels(n) AS labels ORDER BY n.id
RETURN labels, properties(n) AS props`, nil)
	if err != nil {
		t.Fatal(err)
	}
	for _, rec := range nodes {
		labels, _ := rec.Get("labels")
		props, _ := rec.Get("props")
		ls := labels.([]any)
		slices.SortFunc(ls, func(a, b any) int { return strings.Compare(a.(string), b.(string)) })
		if slices.Contains(ls, any(labelRevisionCounter)) {
			// The count of imports begun (HistoryBounds.Imports) moves with every import, one
			// rolled back included: that is what it is for.
			p := maps.Clone(props.(map[string]any))
			delete(p, "imports")
			props = p
		}
		g.Nodes = append(g.Nodes, map[string]any{"labels": ls, "props": props})
	}
	rels, err := s.read(t.Context(), "test", `
MATCH (a)-[r]->(b)
RETURN type(r) AS type, a.id AS from, b.id AS to, properties(r) AS props
ORDER BY r.id`, nil)
	if err != nil {
		t.Fatal(err)
	}
	for _, rec := range rels {
		g.Rels = append(g.Rels, rec.AsMap())
	}
	return g
}

// changedFixture is the fixture with changes of every sort an import makes: entities and a
// source whose content changes, new entities and relations, a relation whose content changes
// and one that moves to another endpoint.
func changedFixture() *model.Dataset {
	d := storetest.Fixture()
	for i, e := range d.Entities() {
		if i%3 == 0 {
			e.Common().Description = "changed by the second import"
		}
	}
	d.Sources[0].Title += " (revised)"
	var cited []string
	for _, r := range d.Relations {
		switch r.ID {
		case "r-tula-in-russia":
			r.ToID = "kaliningrad-oblast"
		case "r-moscow-in-russia":
			r.Note = "changed by the second import"
		}
		cited = r.SourceIDs
	}
	for i := range 12 {
		id := fmt.Sprintf("new-town-%02d", i)
		d.Places = append(d.Places, &model.Place{EntityBase: model.EntityBase{ID: id, Name: "New Town " + id}, Type: model.PlaceCity})
		d.Relations = append(d.Relations, &model.Relation{ID: "r-" + id + "-in-russia", Type: model.RelLocatedIn,
			FromID: id, ToID: "russia", Status: model.StatusActive, SourceIDs: cited})
	}
	return d
}

// importBatchCount is how many write batches Import makes of d with batches of n rows.
func importBatchCount(t *testing.T, d *model.Dataset, n int) int {
	t.Helper()
	rows, err := buildImportRows(t.Context(), d)
	if err != nil {
		t.Fatal(err)
	}
	k := len(batches(rows.sources, n)) + len(batches(rows.relations, n))
	for _, kind := range model.AllEntityKinds() {
		k += len(batches(rows.entities[kind], n))
	}
	return k
}

// journalLeft counts the nodes of the import journal in the database.
func journalLeft(t *testing.T, s *Store) int64 {
	t.Helper()
	recs, err := s.read(t.Context(), "test", `
MATCH (n) WHERE n:ImportRun OR n:ImportJournal OR n:ImportPrior
RETURN count(n) AS n`, nil)
	if err != nil {
		t.Fatal(err)
	}
	n, err := recordValue[int64](recs[0], "n")
	if err != nil {
		t.Fatal(err)
	}
	return n
}

// TestImportInBatchesIsAllOrNothing imports, in batches of three rows, a dataset that changes
// a stored graph in every way an import can, and stops it partway: a batch that fails late,
// a context cancelled midway, the cycle check refusing it after every batch was written, a
// process that dies (recovered by the next Open). Each time the graph must be exactly as it
// was, every label and property included, and no journal left; then the import that is let
// finish lands whole, and a second one changes nothing.
func TestImportInBatchesIsAllOrNothing(t *testing.T) {
	neo4jtest.Require(t)
	cfg := testConfig(t)
	cfg.ImportBatchSize = 3
	ctx := t.Context()
	s, err := Open(ctx, cfg)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close(context.Background())
	if err := s.Import(ctx, storetest.Fixture()); err != nil {
		t.Fatal(err)
	}
	before := readGraphState(t, s)
	d := changedFixture()
	total := importBatchCount(t, d, cfg.ImportBatchSize)
	if total < 10 {
		t.Fatalf("the changed fixture makes only %d batches of %d", total, cfg.ImportBatchSize)
	}
	unchanged := func(t *testing.T, what string) {
		t.Helper()
		if d := cmp.Diff(before, readGraphState(t, s)); d != "" {
			t.Errorf("%s: the graph changed (-before +after):\n%s", what, d)
		}
		if n := journalLeft(t, s); n != 0 {
			t.Errorf("%s: %d journal nodes left", what, n)
		}
	}

	t.Run("a late batch fails", func(t *testing.T) {
		boom := errors.New("the server fell over")
		var ran atomic.Int64
		s.importHook = func(batch int) error {
			ran.Store(max(ran.Load(), int64(batch)))
			if batch == total {
				return boom
			}
			return nil
		}
		defer func() { s.importHook = nil }()
		err := s.Import(ctx, d)
		if !errors.Is(err, boom) || ran.Load() != int64(total) {
			t.Fatalf("Import = %v after batch %d; want the failure of batch %d", err, ran.Load(), total)
		}
		unchanged(t, "after the last batch failed")
	})

	t.Run("the context is cancelled midway", func(t *testing.T) {
		cctx, cancel := context.WithCancel(ctx)
		defer cancel()
		s.importHook = func(batch int) error {
			if batch == total/2 {
				cancel()
			}
			return nil
		}
		defer func() { s.importHook = nil }()
		err := s.Import(cctx, d)
		if !errors.Is(err, context.Canceled) {
			t.Fatalf("Import = %v; want one wrapping context.Canceled", err)
		}
		unchanged(t, "after a cancel midway")
	})

	t.Run("the cycle check refuses it after the last batch", func(t *testing.T) {
		// Kaliningrad lies in its oblast, which lies in Russia: stored relations the dataset
		// leaves out, so only the graph after the import has the cycle.
		cyclic := changedFixture()
		cyclic.Relations = slices.DeleteFunc(cyclic.Relations, func(r *model.Relation) bool {
			return r.ID == "r-kaliningrad-in-oblast" || r.ID == "r-kaliningrad-oblast-in-russia"
		})
		cyclic.Relations = append(cyclic.Relations, &model.Relation{ID: "r-russia-in-kaliningrad", Type: model.RelLocatedIn,
			FromID: "russia", ToID: "kaliningrad", Status: model.StatusActive, SourceIDs: cyclic.Relations[0].SourceIDs})
		var ran atomic.Int64
		s.importHook = func(batch int) error { ran.Store(max(ran.Load(), int64(batch))); return nil }
		defer func() { s.importHook = nil }()
		err := s.Import(ctx, cyclic)
		if model.ErrorCode(err) != model.CodeBadUserInput || !strings.Contains(err.Error(), "r-russia-in-kaliningrad") {
			t.Fatalf("Import = %v; want BAD_USER_INPUT naming r-russia-in-kaliningrad", err)
		}
		if ran.Load() != int64(importBatchCount(t, cyclic, cfg.ImportBatchSize)) {
			t.Errorf("the refusal came after batch %d, want after every batch", ran.Load())
		}
		unchanged(t, "after the cycle check refused it")
	})

	t.Run("the process dies midway and the next Open rolls it back", func(t *testing.T) {
		s.importHook = func(batch int) error {
			if batch == total-1 {
				return errSimulatedCrash
			}
			return nil
		}
		err := s.Import(ctx, d)
		s.importHook = nil
		if !errors.Is(err, errSimulatedCrash) {
			t.Fatalf("Import = %v; want the simulated crash", err)
		}
		if journalLeft(t, s) == 0 {
			t.Fatal("the crashed import left no journal")
		}
		if cmp.Equal(before, readGraphState(t, s)) {
			t.Fatal("the crashed import wrote nothing; the test tests nothing")
		}
		// The dead process's heartbeat stops; age it past the lease rather than wait.
		if _, err := rawWriteTx(ctx, s, func(tx neo4j.ManagedTransaction) (struct{}, error) {
			_, err := collect(ctx, tx, `MATCH (m:ImportRun) SET m.heartbeat = datetime() - duration({hours: 1})`, nil)
			return struct{}{}, err
		}); err != nil {
			t.Fatal(err)
		}
		s2, err := Open(ctx, cfg)
		if err != nil {
			t.Fatal(err)
		}
		defer s2.Close(context.Background())
		unchanged(t, "after the next Open")
	})

	t.Run("the import that finishes lands whole, and again changes nothing", func(t *testing.T) {
		if err := s.Import(ctx, d); err != nil {
			t.Fatal(err)
		}
		if n := journalLeft(t, s); n != 0 {
			t.Errorf("%d journal nodes left after a successful import", n)
		}
		r, err := s.Relation(ctx, "r-tula-in-russia")
		if err != nil || r.ToID != "kaliningrad-oblast" {
			t.Errorf("moved relation = %+v, %v; want it to end at kaliningrad-oblast", r, err)
		}
		e, err := s.Entity(ctx, "new-town-11")
		if err != nil || e.Common().Name != "New Town new-town-11" {
			t.Errorf("new entity = %+v, %v", e, err)
		}
		after := readGraphState(t, s)
		if err := s.Import(ctx, d); err != nil {
			t.Fatal(err)
		}
		if d := cmp.Diff(after, readGraphState(t, s)); d != "" {
			t.Errorf("the second import changed the graph (-first +second):\n%s", d)
		}
	})
}

// TestImportWaitsForARunningOne starts two imports at once: the journal's marker lets one run
// at a time, and both succeed.
func TestImportWaitsForARunningOne(t *testing.T) {
	s := newTestStore(t)
	ctx := t.Context()
	errs := make(chan error, 2)
	for range 2 {
		go func() { errs <- s.Import(ctx, changedFixture()) }()
	}
	for range 2 {
		if err := <-errs; err != nil {
			t.Errorf("Import = %v", err)
		}
	}
	if n := journalLeft(t, s); n != 0 {
		t.Errorf("%d journal nodes left", n)
	}
}

func TestDeadlocked(t *testing.T) {
	dl := &neo4j.Neo4jError{Code: "Neo.TransientError.Transaction.DeadlockDetected"}
	other := &neo4j.Neo4jError{Code: "Neo.ClientError.Statement.SyntaxError"}
	for _, c := range []struct {
		err  error
		want bool
	}{
		{dl, true},
		{fmt.Errorf("batch: %w", dl), true},
		{&neo4j.TransactionExecutionLimit{Cause: "timeout", Errors: []error{other, dl}}, true},
		{&neo4j.TransactionExecutionLimit{Cause: "timeout", Errors: []error{dl, other}}, false},
		{other, false},
		{errors.New("plain"), false},
	} {
		if got := deadlocked(c.err); got != c.want {
			t.Errorf("deadlocked(%v) = %v, want %v", c.err, got, c.want)
		}
	}
	calls := 0
	_, err := retryDeadlocks(t.Context(), func() (int, error) {
		if calls++; calls < 3 {
			return 0, dl
		}
		return 1, nil
	})
	if err != nil || calls != 3 {
		t.Errorf("retryDeadlocks: %v after %d calls, want success on the third", err, calls)
	}
	calls = 0
	if _, err := retryDeadlocks(t.Context(), func() (int, error) { calls++; return 0, other }); err != other || calls != 1 {
		t.Errorf("retryDeadlocks of another error: %v after %d calls, want it at once", err, calls)
	}
}

// importEntities is the size of BenchmarkImportSynth's dataset.
var importEntities = flag.Int("import-entities", 100_000, "entities of BenchmarkImportSynth's synthetic dataset")

// BenchmarkImportSynth times Import of a synthetic dataset (seed/synth, -import-entities
// entities, with its sources and relations) into the emptied test database: the first
// import, the same again (which changes nothing), and one that changes a tenth of the
// entities (whose prior content the journal and the history keep). Run it once:
//
//	go test ./graph/neo4jstore -run '^$' -bench ImportSynth -benchtime 1x -timeout 30m
func BenchmarkImportSynth(b *testing.B) {
	s := newTestStore(b)
	ctx := b.Context()
	d := synth.Generate(*importEntities, 1)
	changed := synth.Generate(*importEntities, 1)
	for i, e := range changed.Entities() {
		if i%10 == 0 {
			e.Common().Description = "changed by the benchmark"
		}
	}
	items := len(d.Sources) + len(d.Entities()) + len(d.Relations)
	srv, _ := neo4jtest.Lookup()
	for _, step := range []struct {
		name  string
		d     *model.Dataset
		fresh bool
	}{{"first", d, true}, {"again", d, false}, {"changed", changed, false}} {
		b.Run(step.name, func(b *testing.B) {
			for range b.N {
				if step.fresh {
					b.StopTimer()
					if err := neo4jtest.Wipe(ctx, srv); err != nil {
						b.Fatal(err)
					}
					b.StartTimer()
				}
				if err := s.Import(ctx, step.d); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(items), "items")
		})
	}
}

// TestFreshRow checks the row of an item that is not stored: its props gain the content hash
// and the timestamps, and the row it came from is left as it was (a retried batch reuses it).
func TestFreshRow(t *testing.T) {
	now := time.Date(2026, 12, 2, 1, 0, 0, 0, time.UTC)
	r := relationRow(&model.Relation{ID: "r1", Type: model.RelLocatedIn, FromID: "a", ToID: "b", Status: model.StatusActive})
	got := freshRow(r, now)
	want := map[string]any{
		"from": "a", "to": "b",
		"props": map[string]any{"id": "r1", "status": "ACTIVE", "contentHash": r["hash"], "createdAt": now, "updatedAt": now},
	}
	if d := cmp.Diff(want, got); d != "" {
		t.Errorf("fresh relation row (-want +got):\n%s", d)
	}
	if _, ok := r["props"].(map[string]any)["contentHash"]; ok {
		t.Error("freshRow wrote into the row it was given")
	}
	e, err := entityRow(&model.Place{EntityBase: model.EntityBase{ID: "p1", Name: "P"}, Type: model.PlaceCity})
	if err != nil {
		t.Fatal(err)
	}
	got = freshRow(e, now)
	if _, ok := got["from"]; ok {
		t.Errorf("fresh entity row %v has endpoints", got)
	}
	if p := got["props"].(map[string]any); p["id"] != "p1" || p["contentHash"] != e["hash"] || p["createdAt"] != now || p["updatedAt"] != now {
		t.Errorf("fresh entity props = %v", p)
	}
}

// TestImportCreatesWhatMergeWrites imports the fixture twice over: once into an empty
// database, where every item is new and written by the create statements, and once over a
// stale version of every item, where the merge statements overwrite them. The items must be
// the same, label for label and property for property; only the timestamps' values differ.
func TestImportCreatesWhatMergeWrites(t *testing.T) {
	neo4jtest.Require(t)
	cfg := testConfig(t)
	cfg.ImportBatchSize = 4
	ctx := t.Context()
	s, err := Open(ctx, cfg)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close(context.Background())
	items := func() graphState {
		t.Helper()
		g := readGraphState(t, s)
		var out graphState
		stamps := func(p any) map[string]any {
			m := maps.Clone(p.(map[string]any))
			for _, k := range []string{"createdAt", "updatedAt"} {
				if _, ok := m[k]; !ok {
					t.Errorf("%v has no %s", m["id"], k)
				}
				delete(m, k)
			}
			return m
		}
		for _, n := range g.Nodes {
			ls := n["labels"].([]any)
			if slices.Contains(ls, any(labelEntity)) || slices.Contains(ls, any("Source")) {
				out.Nodes = append(out.Nodes, map[string]any{"labels": ls, "props": stamps(n["props"])})
			}
		}
		for _, r := range g.Rels {
			r = maps.Clone(r)
			r["props"] = stamps(r["props"])
			out.Rels = append(out.Rels, r)
		}
		return out
	}
	empty := func() {
		t.Helper()
		if _, err := rawWriteTx(ctx, s, func(tx neo4j.ManagedTransaction) (struct{}, error) {
			_, err := collect(ctx, tx, `MATCH (n) DETACH DELETE n`, nil)
			return struct{}{}, err
		}); err != nil {
			t.Fatal(err)
		}
	}

	empty()
	if err := s.Import(ctx, storetest.Fixture()); err != nil {
		t.Fatal(err)
	}
	created := items()

	empty()
	stale := storetest.Fixture()
	for _, e := range stale.Entities() {
		e.Common().Description = "stale"
	}
	for _, src := range stale.Sources {
		src.Title += " (stale)"
	}
	for _, r := range stale.Relations {
		r.Note = "stale"
	}
	if err := s.Import(ctx, stale); err != nil {
		t.Fatal(err)
	}
	if err := s.Import(ctx, storetest.Fixture()); err != nil {
		t.Fatal(err)
	}
	merged := items()
	if len(created.Nodes) == 0 || len(created.Rels) == 0 {
		t.Fatalf("the fixture left %d nodes and %d relationships; the test tests nothing", len(created.Nodes), len(created.Rels))
	}
	if d := cmp.Diff(merged, created); d != "" {
		t.Errorf("created items differ from merged ones (-merged +created):\n%s", d)
	}
}

// TestRelationHubOrder checks that relation rows are grouped by their busier endpoint, and
// that the rows given are left in their order.
func TestRelationHubOrder(t *testing.T) {
	rel := func(id, from, to string) map[string]any { return map[string]any{"id": id, "from": from, "to": to} }
	rows := []map[string]any{
		rel("r1", "plant-1", "city-b"),
		rel("r2", "brand-x", "model-1"),
		rel("r3", "plant-2", "city-a"),
		rel("r4", "plant-3", "city-b"),
		rel("r5", "brand-x", "model-2"),
		rel("r6", "plant-4", "city-a"),
		rel("r7", "plant-5", "city-b"),
	}
	hubs := relationHubs(rows)
	var got []string
	for _, row := range hubs.order(rows) {
		got = append(got, row["id"].(string))
	}
	// city-b (3 rows) and city-a, brand-x (2 each) are hubs; plants and models are not.
	want := []string{"r2", "r5", "r3", "r6", "r1", "r4", "r7"}
	if !slices.Equal(got, want) {
		t.Errorf("order = %v, want %v", got, want)
	}
	if rows[0]["id"] != "r1" || rows[1]["id"] != "r2" {
		t.Error("order sorted the rows it was given")
	}
	if h, o := hubs.hub(rel("r8", "model-1", "brand-x")); h != "brand-x" || o != "model-1" {
		t.Errorf("hub of model-1 > brand-x = %s, %s", h, o)
	}
}
