package inmem

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	bolt "go.etcd.io/bbolt"
	berrors "go.etcd.io/bbolt/errors"

	"github.com/autograph-kg/autograph/graph/model"
	"github.com/autograph-kg/autograph/graph/storetest"
)

// state is everything a store holds, timestamps included, read through its own listings.
type state struct {
	Entities  []model.Entity
	Sources   []*model.Source
	Relations []*model.Relation
}

func stateOf(t *testing.T, s *Store) state {
	t.Helper()
	ctx := t.Context()
	es, err := s.Entities(ctx, model.EntityQuery{Order: model.Order{Field: model.SortByID}, First: 1 << 20})
	if err != nil {
		t.Fatal(err)
	}
	ss, err := s.Sources(ctx, model.SourceQuery{Order: model.Order{Field: model.SortByID}, First: 1 << 20})
	if err != nil {
		t.Fatal(err)
	}
	rs, err := s.Relations(ctx, model.RelationQuery{First: 1 << 20})
	if err != nil {
		t.Fatal(err)
	}
	return state{es.Items, ss.Items, rs.Items}
}

// writes is one successful-looking call of each write method against the fixture, each of
// which would change the store.
func writes(ctx context.Context, s *Store) map[string]func() error {
	big := strings.Repeat("A long description that needs pages of its own. ", 100)
	return map[string]func() error{
		"UpsertEntity": func() error {
			_, err := s.UpsertEntity(ctx, &model.Plant{EntityBase: model.EntityBase{ID: "new-plant", Name: "New plant", Description: big}})
			return err
		},
		"UpsertSource": func() error {
			_, err := s.UpsertSource(ctx, &model.Source{ID: "new-source", Title: "New", PublishedOn: model.Date{Year: 2024}})
			return err
		},
		"AddRelation": func() error {
			_, err := s.AddRelation(ctx, &model.Relation{ID: "r-new", Type: model.RelLocatedIn, FromID: "moscow", ToID: "russia", Status: model.StatusActive, Note: big[:1000], SourceIDs: []string{"kommersant-2022"}})
			return err
		},
		"UpdateRelation": func() error {
			_, err := s.UpdateRelation(ctx, &model.Relation{ID: "r-tula-in-russia", Type: model.RelLocatedIn, FromID: "moscow", ToID: "russia", Status: model.StatusEnded, SourceIDs: []string{"kommersant-2022"}})
			return err
		},
		"RemoveRelation": func() error { return s.RemoveRelation(ctx, "r-tula-in-russia") },
		"DeleteEntity":   func() error { _, err := s.DeleteEntity(ctx, "avtotor"); return err },
		"Import":         func() error { return s.Import(ctx, storetest.Fixture()) },
	}
}

// TestFailedCommitChangesNothing makes the file refuse writes and checks that every write
// method then fails with INTERNAL, naming its operation, and leaves memory and the file as
// they were. Two realistic failures: the file cannot grow (a full disk; bbolt's MaxSize makes
// the commit fail where a full disk would) and the database has gone away under the store.
func TestFailedCommitChangesNothing(t *testing.T) {
	ctx := t.Context()
	dir := t.TempDir()
	s, _, err := Open(ctx, dir)
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Import(ctx, storetest.Fixture()); err != nil {
		t.Fatal(err)
	}
	if err := s.Close(ctx); err != nil {
		t.Fatal(err)
	}
	info, err := os.Stat(filepath.Join(dir, dbFileName))
	if err != nil {
		t.Fatal(err)
	}

	t.Run("disk full", func(t *testing.T) {
		// MaxSize as big as the file is: a write that needs the file to grow fails, as it
		// would on a full disk. Writes this big cannot fit in the file's free pages.
		s, _, err := open(ctx, dir, bolt.Options{Timeout: time.Second, MaxSize: int(info.Size())})
		if err != nil {
			t.Fatal(err)
		}
		huge := strings.Repeat("x", model.MaxDescriptionLength)
		var aliases []string
		for i := range model.MaxAliases {
			aliases = append(aliases, fmt.Sprintf("%02d %s", i, strings.Repeat("y", model.MaxNameLength-3)))
		}
		before := stateOf(t, s)
		calls := map[string]func() error{
			"UpsertEntity": func() error {
				_, err := s.UpsertEntity(ctx, &model.Plant{EntityBase: model.EntityBase{ID: "huge-plant", Name: "Huge", Aliases: aliases, Description: huge}})
				return err
			},
			"Import": func() error {
				d := storetest.Fixture()
				for _, e := range d.Entities() {
					e.Common().Description = huge
				}
				return s.Import(ctx, d)
			},
		}
		for _, name := range slices.Sorted(maps.Keys(calls)) {
			checkFailed(t, name, calls[name](), berrors.ErrMaxSizeReached)
			if d := cmp.Diff(before, stateOf(t, s)); d != "" {
				t.Errorf("%s: a failed commit changed memory (-before +after):\n%s", name, d)
			}
		}
		// Once the disk has room again (the file may grow), a small write goes through, and the
		// file holds what memory holds. (Whether it fits without growing depends on the free
		// pages the import happened to leave.)
		s.db.MaxSize = 0
		if err := s.RemoveRelation(ctx, "r-chain-6-7"); err != nil {
			t.Errorf("RemoveRelation after failed commits = %v", err)
		}
		after := stateOf(t, s)
		if err := s.Close(ctx); err != nil {
			t.Fatal(err)
		}
		s, _, err = Open(ctx, dir)
		if err != nil {
			t.Fatal(err)
		}
		defer s.Close(ctx)
		if d := cmp.Diff(after, stateOf(t, s)); d != "" {
			t.Errorf("the file after failed commits (-memory +file):\n%s", d)
		}
	})

	t.Run("database gone", func(t *testing.T) {
		s, _, err := Open(ctx, dir)
		if err != nil {
			t.Fatal(err)
		}
		before := stateOf(t, s)
		if err := s.db.Close(); err != nil {
			t.Fatal(err)
		}
		calls := writes(ctx, s)
		calls["Import"] = func() error {
			d := storetest.Fixture()
			d.Organizations[0].Description = "Changed."
			return s.Import(ctx, d)
		}
		for _, name := range slices.Sorted(maps.Keys(calls)) {
			checkFailed(t, name, calls[name](), berrors.ErrDatabaseNotOpen)
		}
		if d := cmp.Diff(before, stateOf(t, s)); d != "" {
			t.Errorf("failed commits changed memory (-before +after):\n%s", d)
		}
		if err := s.Ping(ctx); err != nil {
			t.Errorf("Ping after failed commits = %v; reads still work", err)
		}
	})
}

// checkFailed checks the error of a write whose commit failed.
func checkFailed(t *testing.T, name string, err, cause error) {
	t.Helper()
	op := "inmem: " + strings.ToLower(strings.Join(splitCamel(name), " "))
	switch {
	case err == nil:
		t.Errorf("%s = nil, want the commit to fail", name)
	case model.ErrorCode(err) != model.CodeInternal:
		t.Errorf("%s = %v (code %s), want INTERNAL", name, err, model.ErrorCode(err))
	case !strings.HasPrefix(err.Error(), op+": "):
		t.Errorf("%s = %q, want it to start with the operation %q", name, err, op)
	case !errors.Is(err, cause):
		t.Errorf("%s = %v, want it to wrap %v", name, err, cause)
	}
}

// splitCamel splits "UpsertEntity" into "Upsert", "Entity".
func splitCamel(s string) []string {
	var out []string
	start := 0
	for i := 1; i < len(s); i++ {
		if s[i] >= 'A' && s[i] <= 'Z' {
			out = append(out, s[start:i])
			start = i
		}
	}
	return append(out, s[start:])
}

// TestTimestampsAreMicroseconds pins the clock and checks that stored timestamps are UTC and
// truncated to microseconds, the precision JSON and Neo4j keep, and survive a reopen exactly.
func TestTimestampsAreMicroseconds(t *testing.T) {
	ctx := t.Context()
	dir := t.TempDir()
	s, _, err := Open(ctx, dir)
	if err != nil {
		t.Fatal(err)
	}
	at := time.Date(2024, 2, 29, 13, 14, 15, 123456789, time.FixedZone("MSK", 3*3600))
	s.now = func() time.Time { return at }
	e, err := s.UpsertEntity(ctx, &model.Place{EntityBase: model.EntityBase{ID: "russia", Name: "Russia"}, Type: model.PlaceCountry})
	if err != nil {
		t.Fatal(err)
	}
	want := time.Date(2024, 2, 29, 10, 14, 15, 123456000, time.UTC)
	if got := e.Common().CreatedAt; !got.Equal(want) || got.Location() != time.UTC {
		t.Errorf("CreatedAt = %v, want %v", got, want)
	}
	at = at.Add(time.Hour)
	e, err = s.UpsertEntity(ctx, &model.Place{EntityBase: model.EntityBase{ID: "russia", Name: "Russian Federation"}, Type: model.PlaceCountry})
	if err != nil {
		t.Fatal(err)
	}
	if c, u := e.Common().CreatedAt, e.Common().UpdatedAt; !c.Equal(want) || !u.Equal(want.Add(time.Hour)) {
		t.Errorf("after a change: CreatedAt, UpdatedAt = %v, %v; want %v, %v", c, u, want, want.Add(time.Hour))
	}
	s.Close(ctx)
	s, _, err = Open(ctx, dir)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close(ctx)
	got, err := s.Entity(ctx, "russia")
	if err != nil {
		t.Fatal(err)
	}
	if d := cmp.Diff(e, got); d != "" {
		t.Errorf("entity after reopening (-written +read):\n%s", d)
	}
}

// TestPatchedViewsMatchRebuilt runs a random mix of small writes, which patch the sorted views
// in place, and after each compares every view with one rebuilt from scratch.
func TestPatchedViewsMatchRebuilt(t *testing.T) {
	ctx := t.Context()
	s := New()
	if err := s.Import(ctx, storetest.Fixture()); err != nil {
		t.Fatal(err)
	}
	rng := rand.New(rand.NewPCG(3, 4))
	names := []string{"Alpha", "alpha", "Beta", "Zeta", "Ägir", "Moscow", "Avtotor", "Lada", "Omega Works"}
	places := []string{"russia", "china", "moscow", "kaliningrad", "germany"}
	for i := range 400 {
		id := fmt.Sprintf("p-%d", rng.IntN(30))
		var err error
		switch op := rng.IntN(6); op {
		case 0, 1:
			_, err = s.UpsertEntity(ctx, &model.Place{EntityBase: model.EntityBase{ID: id, Name: names[rng.IntN(len(names))]}, Type: model.PlaceCity})
		case 2:
			_, err = s.UpsertSource(ctx, &model.Source{ID: "src-" + id, Title: names[rng.IntN(len(names))], PublishedOn: model.Date{Year: 2000 + rng.IntN(5)}})
		case 3:
			_, err = s.AddRelation(ctx, &model.Relation{ID: "r-" + id, Type: model.RelLocatedIn, FromID: id, ToID: places[rng.IntN(len(places))], Status: model.StatusActive, SourceIDs: []string{"kommersant-2022"}})
		case 4:
			_, err = s.UpdateRelation(ctx, &model.Relation{ID: "r-" + id, Type: model.RelLocatedIn, FromID: places[rng.IntN(len(places))], ToID: id, Status: model.StatusActive, SourceIDs: []string{"kommersant-2022"}})
		case 5:
			_, err = s.DeleteEntity(ctx, id)
		}
		if err != nil && model.ErrorCode(err) != model.CodeNotFound && model.ErrorCode(err) != model.CodeBadUserInput {
			t.Fatalf("write %d: %v", i, err)
		}
		patched := s.views
		s.rebuildViews()
		if d := cmp.Diff(viewIDs(s.views), viewIDs(patched)); d != "" {
			t.Fatalf("after write %d the patched views differ from rebuilt ones (-rebuilt +patched):\n%s", i, d)
		}
		s.views = patched // keep patching the patched views
	}
}

// viewIDs lists the ids in every view, in order.
func viewIDs(v views) map[string][]string {
	out := map[string][]string{}
	for k, rows := range v.entsByName {
		for _, r := range rows {
			out["name/"+string(k)] = append(out["name/"+string(k)], r.e.GetID())
		}
	}
	for k, rows := range v.entsByID {
		for _, r := range rows {
			out["id/"+string(k)] = append(out["id/"+string(k)], r.e.GetID())
		}
	}
	for name, rows := range map[string][]*sourceRec{"title": v.srcByTitle, "pub": v.srcByPub, "sid": v.srcByID} {
		for _, r := range rows {
			out[name] = append(out[name], r.s.ID)
		}
	}
	for _, r := range v.relsByID {
		out["rel"] = append(out["rel"], r.ID)
	}
	for k, ids := range out {
		if len(ids) == 0 {
			delete(out, k) // a kind that emptied is an empty view patched, absent rebuilt
		}
	}
	return out
}

// TestReadsDoNotWaitForWrites holds the write lock, as a write does while its commit goes to
// disk, and checks that reads still answer.
func TestReadsDoNotWaitForWrites(t *testing.T) {
	s := New()
	if err := s.Import(t.Context(), storetest.Fixture()); err != nil {
		t.Fatal(err)
	}
	s.wmu.Lock()
	defer s.wmu.Unlock()
	done := make(chan error, 1)
	go func() {
		_, err := s.Search(t.Context(), model.SearchQuery{Text: "gaz"})
		if err == nil {
			_, err = s.Neighborhood(t.Context(), model.NeighborhoodQuery{ID: "avtotor", Depth: 2})
		}
		done <- err
	}()
	select {
	case err := <-done:
		if err != nil {
			t.Fatal(err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("reads waited for the write lock")
	}
}
