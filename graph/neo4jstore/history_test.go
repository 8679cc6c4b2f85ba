package neo4jstore

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/autograph-kg/autograph/graph/model"
	"github.com/autograph-kg/autograph/graph/neo4jstore/neo4jtest"
	"github.com/autograph-kg/autograph/graph/storetest"
)

// The tests below run against the test server: what a write records, and that it records it
// in its own transaction (a refused or idempotent write records nothing, numbers have no gaps
// under concurrent writes of two stores, an import that fails leaves nothing), what the
// queries answer, and what Prune forgets.

// countNodes counts the nodes with label in the test database.
func countNodes(t *testing.T, s *Store, label string) int64 {
	t.Helper()
	if !slices.Contains([]string{labelRevision, labelRevisionChange, labelRevisionCounter}, label) {
		t.Fatalf("countNodes(%q): not a history label", label)
	}
	recs, err := s.read(t.Context(), "test", "MATCH (n:"+label+") RETURN count(n) AS n", nil)
	if err != nil {
		t.Fatal(err)
	}
	n, err := recordValue[int64](recs[0], "n")
	if err != nil {
		t.Fatal(err)
	}
	return n
}

// allRevisions lists every revision q keeps, page by page (of two unless q says), following
// the cursors.
func allRevisions(t *testing.T, s *Store, q model.RevisionQuery) []*model.Revision {
	t.Helper()
	var out []*model.Revision
	if q.First == 0 {
		q.First = 2
	}
	for {
		page, err := s.Revisions(t.Context(), q)
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, page.Items...)
		if !page.HasNextPage {
			return out
		}
		q.After = model.RevisionCursor(page.Items[len(page.Items)-1].Number)
	}
}

// numbers are the revisions' numbers.
func numbers(revs []*model.Revision) []int64 {
	var out []int64
	for _, r := range revs {
		out = append(out, r.Number)
	}
	return out
}

// sameItems compares items exactly, timestamps included.
var sameItems = cmpopts.EquateEmpty()

func TestHistoryOfWrites(t *testing.T) {
	s := newTestStore(t)
	ctx := model.WithActor(t.Context(), model.Actor{Name: "alice", Role: model.RoleCurator, Via: "token"})
	if b, err := s.HistoryBounds(ctx); err != nil || b != (model.HistoryBounds{}) {
		t.Fatalf("bounds of an empty store = %+v, %v", b, err)
	}
	if _, err := s.Changes(ctx, 1, nil); model.ErrorCode(err) != model.CodeNotFound {
		t.Errorf("Changes(1) on an empty store = %v, want NOT_FOUND", err)
	}
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	_, err := s.UpsertEntity(ctx, &model.Place{EntityBase: model.EntityBase{ID: "russia", Name: "Russia"}, Type: model.PlaceCountry})
	must(err)
	org, err := s.UpsertEntity(ctx, &model.Organization{EntityBase: model.EntityBase{ID: "avtotor", Name: "Avtotor"}, Type: model.OrgAssembler, CountryID: "russia"})
	must(err)
	_, err = s.UpsertSource(ctx, &model.Source{ID: "report", Title: "Report", PublishedOn: model.MustDate("2023"), PublisherID: "avtotor"})
	must(err)
	_, err = s.UpsertEntity(ctx, &model.Place{EntityBase: model.EntityBase{ID: "kaliningrad", Name: "Kaliningrad"}, Type: model.PlaceCity})
	must(err)
	rel, err := s.AddRelation(ctx, &model.Relation{ID: "avtotor-in-russia", Type: model.RelLocatedIn, FromID: "avtotor", ToID: "russia",
		Status: model.StatusActive, SourceIDs: []string{"report"}})
	must(err)
	// 5 revisions so far. An identical write and refused writes record nothing.
	if _, err := s.UpsertEntity(ctx, org.Clone()); err != nil {
		t.Fatal(err)
	}
	if _, err := s.AddRelation(ctx, rel.Clone()); err != nil {
		t.Fatal(err)
	}
	if _, err := s.UpsertEntity(ctx, &model.Brand{EntityBase: model.EntityBase{ID: "avtotor", Name: "A brand now"}}); model.ErrorCode(err) != model.CodeBadUserInput {
		t.Fatalf("retyping write = %v, want BAD_USER_INPUT", err)
	}
	if err := s.RemoveRelation(ctx, "nope"); model.ErrorCode(err) != model.CodeNotFound {
		t.Fatalf("remove of nothing = %v", err)
	}
	cyclic := &model.Relation{ID: "russia-in-avtotor", Type: model.RelLocatedIn, FromID: "russia", ToID: "avtotor", Status: model.StatusActive, SourceIDs: []string{"report"}}
	if _, err := s.AddRelation(ctx, cyclic); model.ErrorCode(err) != model.CodeBadUserInput {
		t.Fatalf("cyclic relation = %v, want BAD_USER_INPUT", err)
	}
	if b, err := s.HistoryBounds(ctx); err != nil || b.Last != 5 || !b.LastAt.Equal(rel.UpdatedAt) {
		t.Fatalf("after 5 writes and 5 that changed nothing: bounds %+v, %v; want Last 5 at %v", b, err, rel.UpdatedAt)
	}
	if n := countNodes(t, s, labelRevisionChange); n != 5 {
		t.Errorf("%d changes recorded, want 5", n)
	}

	moved := rel.Clone()
	moved.ToID = "kaliningrad"
	movedRel, err := s.UpdateRelation(ctx, moved) // 6
	must(err)
	renamed := org.Clone()
	renamed.Common().Name = "Avtotor JSC"
	renamedOrg, err := s.UpsertEntity(ctx, renamed) // 7
	must(err)
	n, err := s.DeleteEntity(ctx, "avtotor") // 8: with its relation
	must(err)
	if n != 1 {
		t.Fatalf("DeleteEntity removed %d relations, want 1", n)
	}

	revs := allRevisions(t, s, model.RevisionQuery{})
	if d := cmp.Diff([]int64{1, 2, 3, 4, 5, 6, 7, 8}, numbers(revs)); d != "" {
		t.Fatalf("revision numbers (-want +got):\n%s", d)
	}
	ops := []model.Operation{model.OpUpsertEntity, model.OpUpsertEntity, model.OpUpsertSource, model.OpUpsertEntity,
		model.OpAddRelation, model.OpUpdateRelation, model.OpUpsertEntity, model.OpDeleteEntity}
	for i, r := range revs {
		if r.Operation != ops[i] || r.Actor != (model.Actor{Name: "alice", Role: model.RoleCurator, Via: "token"}) {
			t.Errorf("revision %d: %s by %+v, want %s by alice", r.Number, r.Operation, r.Actor, ops[i])
		}
	}
	wantTouched := []model.Touched{
		{ID: "avtotor", Sort: model.SortEntity, Kind: model.KindOrganization},
		{ID: "avtotor-in-russia", Sort: model.SortRelation, Type: model.RelLocatedIn, Ends: []string{"avtotor", "kaliningrad"}},
	}
	if d := cmp.Diff(wantTouched, revs[7].Touched); d != "" {
		t.Errorf("the deletion's touched (-want +got):\n%s", d)
	}
	if d := cmp.Diff([]string{"avtotor-in-russia"}, revs[5].IDs()); d != "" || !slices.Equal(revs[5].Touched[0].Ends, []string{"avtotor", "kaliningrad", "russia"}) {
		t.Errorf("the move touched %+v, want the relation with both old and new ends", revs[5].Touched)
	}

	t.Run("changes keep the content before, timestamps included", func(t *testing.T) {
		for _, c := range []struct {
			number int64
			ids    []string
			want   []model.Change
		}{
			{1, nil, []model.Change{{ID: "russia"}}},
			{6, nil, []model.Change{{ID: "avtotor-in-russia", Before: model.Item{Relation: rel}}}},
			{7, []string{"avtotor", "nope"}, []model.Change{{ID: "avtotor", Before: model.Item{Entity: org}}}},
			{8, nil, []model.Change{{ID: "avtotor", Before: model.Item{Entity: renamedOrg}}, {ID: "avtotor-in-russia", Before: model.Item{Relation: movedRel}}}},
			{8, []string{"avtotor-in-russia"}, []model.Change{{ID: "avtotor-in-russia", Before: model.Item{Relation: movedRel}}}},
		} {
			got, err := s.Changes(ctx, c.number, c.ids)
			if err != nil {
				t.Fatal(err)
			}
			if d := cmp.Diff(c.want, got, sameItems); d != "" {
				t.Errorf("Changes(%d, %v) (-want +got):\n%s", c.number, c.ids, d)
			}
		}
		if _, err := s.Changes(ctx, 9, nil); model.ErrorCode(err) != model.CodeNotFound {
			t.Errorf("Changes(9) = %v, want NOT_FOUND", err)
		}
		if got, err := s.Changes(ctx, 8, []string{"russia"}); err != nil || len(got) != 0 {
			t.Errorf("Changes(8, an id it did not change) = %v, %v; want none", got, err)
		}
	})

	t.Run("prior states give the graph as it stood", func(t *testing.T) {
		for _, c := range []struct {
			number int64
			ids    []string
			want   map[string]model.Item
		}{
			{0, []string{"russia", "avtotor"}, map[string]model.Item{"russia": {}, "avtotor": {}}},
			{5, []string{"avtotor", "avtotor-in-russia", "russia", "report", "nope"},
				map[string]model.Item{"avtotor": {Entity: org}, "avtotor-in-russia": {Relation: rel}}},
			{6, nil, map[string]model.Item{"avtotor": {Entity: org}, "avtotor-in-russia": {Relation: movedRel}}},
			{8, nil, map[string]model.Item{}},
			{3, nil, map[string]model.Item{"kaliningrad": {}, "avtotor": {Entity: org}, "avtotor-in-russia": {}}},
		} {
			got, err := s.PriorStates(ctx, c.number, c.ids)
			if err != nil {
				t.Fatal(err)
			}
			if d := cmp.Diff(c.want, got, sameItems); d != "" {
				t.Errorf("PriorStates(%d, %v) (-want +got):\n%s", c.number, c.ids, d)
			}
		}
	})

	t.Run("listings", func(t *testing.T) {
		for _, c := range []struct {
			q    model.RevisionQuery
			want []int64
		}{
			{model.RevisionQuery{Desc: true}, []int64{8, 7, 6, 5, 4, 3, 2, 1}},
			{model.RevisionQuery{ID: "avtotor"}, []int64{2, 7, 8}},
			{model.RevisionQuery{ID: "avtotor-in-russia", Desc: true}, []int64{8, 6, 5}},
			{model.RevisionQuery{Since: 2, Until: 6}, []int64{3, 4, 5, 6}},
			{model.RevisionQuery{Since: 2, Until: 6, Desc: true}, []int64{6, 5, 4, 3}},
			{model.RevisionQuery{ID: "avtotor", Since: 2}, []int64{7, 8}},
			{model.RevisionQuery{ID: "nope"}, nil},
		} {
			if d := cmp.Diff(c.want, numbers(allRevisions(t, s, c.q))); d != "" {
				t.Errorf("Revisions(%+v) (-want +got):\n%s", c.q, d)
			}
		}
		page, err := s.Revisions(ctx, model.RevisionQuery{First: 3, Desc: true, After: model.RevisionCursor(5)})
		if err != nil || !slices.Equal(numbers(page.Items), []int64{4, 3, 2}) || !page.HasNextPage {
			t.Errorf("a page after 5, newest first = %v, %v", page, err)
		}
		for _, q := range []model.RevisionQuery{{After: "x"}, {First: model.MaxPageSize + 1}, {Since: -1}, {ID: "Bad Id"}} {
			if _, err := s.Revisions(ctx, q); model.ErrorCode(err) != model.CodeBadUserInput {
				t.Errorf("Revisions(%+v) = %v, want BAD_USER_INPUT", q, err)
			}
		}
	})
}

// TestRevisionNumbersUnderConcurrentWrites writes from two stores on one database at once,
// most to the same entity: numbers run from 1 with no gap, and each revision's before is what
// the previous one wrote (the writes ran one at a time, from their lookup on), so no write's
// content is missing from the history.
func TestRevisionNumbersUnderConcurrentWrites(t *testing.T) {
	cfg := testConfig(t)
	a, err := Open(t.Context(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	defer a.Close(context.Background())
	b, err := Open(t.Context(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close(context.Background())
	const perWorker, workers = 15, 4
	var (
		wg      sync.WaitGroup
		mu      sync.Mutex
		written []string
	)
	errs := make(chan error, workers)
	for w := range workers {
		s := a
		if w%2 == 1 {
			s = b
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range perWorker {
				name := fmt.Sprintf("Org %d-%d", w, i)
				if _, err := s.UpsertEntity(t.Context(), &model.Organization{EntityBase: model.EntityBase{ID: "org", Name: name}, Type: model.OrgGroup}); err != nil {
					errs <- err
					return
				}
				mu.Lock()
				written = append(written, name)
				mu.Unlock()
				// A write of another entity, then its idempotent repeat, which takes a
				// number and gives it back.
				other := &model.Organization{EntityBase: model.EntityBase{ID: fmt.Sprintf("other-%d-%d", w, i), Name: name}, Type: model.OrgGroup}
				for range 2 {
					if _, err := s.UpsertEntity(t.Context(), other.Clone()); err != nil {
						errs <- err
						return
					}
				}
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Fatal(err)
	}
	revs := allRevisions(t, a, model.RevisionQuery{ID: "org", First: 100})
	all := allRevisions(t, b, model.RevisionQuery{First: 100})
	if len(all) != 2*perWorker*workers || all[0].Number != 1 || all[len(all)-1].Number != int64(len(all)) {
		t.Fatalf("%d revisions numbered %d to %d, want %d from 1", len(all), all[0].Number, all[len(all)-1].Number, 2*perWorker*workers)
	}
	// Each name was written once, so each must be found once: as the before of the revision
	// after the one that wrote it, or as the name now. Two writes that both found the same
	// name before them would leave one name found twice and another never.
	var found []string
	for i, r := range revs {
		c, err := a.Changes(t.Context(), r.Number, []string{"org"})
		if err != nil || len(c) != 1 {
			t.Fatalf("Changes(%d) = %v, %v", r.Number, c, err)
		}
		if name := nameOf(c[0].Before); i == 0 && name != "" {
			t.Errorf("the first revision of org found %q before it", name)
		} else if i > 0 {
			found = append(found, name)
		}
	}
	now, err := a.Entity(t.Context(), "org")
	if err != nil {
		t.Fatal(err)
	}
	found = append(found, now.Common().Name)
	slices.Sort(found)
	slices.Sort(written)
	if d := cmp.Diff(written, found); d != "" {
		t.Errorf("names written (-) and found before a revision or now (+):\n%s", d)
	}
}

// nameOf is the name of an entity item, "" for Item{}.
func nameOf(it model.Item) string {
	if it.Entity == nil {
		return ""
	}
	return it.Entity.Common().Name
}

func TestImportHistory(t *testing.T) {
	neo4jtest.Require(t)
	cfg := testConfig(t)
	cfg.ImportBatchSize = 4
	ctx := model.WithActor(t.Context(), model.Actor{Name: "loader", Role: model.RoleAdmin, Via: "cli"})
	s, err := Open(ctx, cfg)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close(context.Background())
	first := storetest.Fixture()
	if err := s.Import(ctx, first); err != nil {
		t.Fatal(err)
	}
	items := len(first.Sources) + len(first.Entities()) + len(first.Relations)
	revs := allRevisions(t, s, model.RevisionQuery{})
	if len(revs) != 1 || revs[0].Operation != model.OpImport || revs[0].Actor.Name != "loader" || len(revs[0].Touched) != items {
		t.Fatalf("after the first import: %+v; want one IMPORT by loader touching %d items", revs, items)
	}
	changes, err := s.Changes(ctx, 1, nil)
	if err != nil || len(changes) != items {
		t.Fatalf("Changes(1) = %d changes, %v; want %d", len(changes), err, items)
	}
	for _, c := range changes {
		if c.Before.Exists() {
			t.Errorf("the first import found %q before it", c.ID)
		}
	}
	if got := numbers(allRevisions(t, s, model.RevisionQuery{ID: "avtotor"})); !slices.Equal(got, []int64{1}) {
		t.Errorf("revisions of avtotor = %v, want [1]", got)
	}
	// Items the changed fixture changes, as the first import left them.
	changedEntity := changedFixture().Entities()[0].GetID()
	stored := map[string]model.Item{}
	for _, id := range []string{changedEntity, "r-tula-in-russia", "r-moscow-in-russia"} {
		if e, err := s.Entity(ctx, id); err == nil {
			stored[id] = model.Item{Entity: e}
		} else if r, err := s.Relation(ctx, id); err == nil {
			stored[id] = model.Item{Relation: r}
		} else {
			t.Fatal(err)
		}
	}
	src, err := s.Source(ctx, first.Sources[0].ID)
	if err != nil {
		t.Fatal(err)
	}
	stored[src.ID] = model.Item{Source: src}

	if err := s.Import(ctx, storetest.Fixture()); err != nil {
		t.Fatal(err)
	}
	if b, _ := s.HistoryBounds(ctx); b.Last != 1 {
		t.Fatalf("an import that changes nothing recorded a revision: bounds %+v", b)
	}

	t.Run("an import that fails leaves no revision", func(t *testing.T) {
		boom := errors.New("the server fell over")
		before, err := s.HistoryBounds(ctx)
		if err != nil || before.Importing {
			t.Fatalf("bounds before the import: %+v, %v", before, err)
		}
		var during model.HistoryBounds
		s.importHook = func(batch int) error {
			if batch == 3 {
				during, _ = s.HistoryBounds(ctx)
				return boom
			}
			return nil
		}
		defer func() { s.importHook = nil }()
		changesBefore := countNodes(t, s, labelRevisionChange)
		if err := s.Import(ctx, changedFixture()); !errors.Is(err, boom) {
			t.Fatalf("Import = %v", err)
		}
		// Readers can tell that part of an import may be showing, and that one began since.
		if !during.Importing || during.Imports != before.Imports+1 || during.Last != before.Last {
			t.Errorf("bounds during the import %+v, before it %+v: want importing, one more import, the same revision", during, before)
		}
		if after, err := s.HistoryBounds(ctx); err != nil || after.Importing || after.Imports != during.Imports || after.Last != before.Last {
			t.Errorf("bounds after the rolled-back import %+v, %v: want no import under way, %d imports, revision %d", after, err, during.Imports, before.Last)
		}
		if n := countNodes(t, s, labelRevisionChange); n != changesBefore {
			t.Errorf("the failed import left %d changes behind", n-changesBefore)
		}
		if n := countNodes(t, s, labelRevision); n != 1 {
			t.Errorf("%d revisions after a failed import, want 1", n)
		}
	})

	changed := changedFixture()
	if err := s.Import(ctx, changed); err != nil {
		t.Fatal(err)
	}
	revs = allRevisions(t, s, model.RevisionQuery{Since: 1})
	if len(revs) != 1 || revs[0].Number != 2 {
		t.Fatalf("after the changed import: %v", numbers(revs))
	}
	changes, err = s.Changes(ctx, 2, nil)
	if err != nil {
		t.Fatal(err)
	}
	byID := map[string]model.Change{}
	for _, c := range changes {
		byID[c.ID] = c
	}
	if len(changes) != len(revs[0].Touched) || len(changes) >= items {
		t.Errorf("the changed import recorded %d changes and touched %d, of %d items: only those it changed belong", len(changes), len(revs[0].Touched), items)
	}
	if _, ok := byID["r-kaliningrad-in-oblast"]; ok {
		t.Error("an unchanged relation was recorded as changed")
	}
	if c, ok := byID["new-town-03"]; !ok || c.Before.Exists() {
		t.Errorf("a new entity's change = %+v, %v", c, ok)
	}
	for id, want := range stored {
		if d := cmp.Diff(want, byID[id].Before, sameItems); d != "" {
			t.Errorf("the changed import's before of %s (-want +got):\n%s", id, d)
		}
	}
	for _, tc := range revs[0].Touched {
		if tc.ID == "r-tula-in-russia" && !slices.Equal(tc.Ends, []string{"kaliningrad-oblast", "russia", "tula-oblast"}) {
			t.Errorf("the moved relation touched %v", tc.Ends)
		}
	}
	prior, err := s.PriorStates(ctx, 1, []string{changedEntity, "r-tula-in-russia", "new-town-03", "r-kaliningrad-in-oblast"})
	if err != nil {
		t.Fatal(err)
	}
	if d := cmp.Diff(map[string]model.Item{changedEntity: stored[changedEntity], "r-tula-in-russia": stored["r-tula-in-russia"], "new-town-03": {}}, prior, sameItems); d != "" {
		t.Errorf("PriorStates(1) (-want +got):\n%s", d)
	}
	all, err := s.PriorStates(ctx, 1, nil)
	if err != nil || len(all) != len(changes) {
		t.Errorf("PriorStates(1, all) = %d items, %v; want %d", len(all), err, len(changes))
	}
	if got := numbers(allRevisions(t, s, model.RevisionQuery{ID: "r-tula-in-russia", Desc: true})); !slices.Equal(got, []int64{2, 1}) {
		t.Errorf("revisions of r-tula-in-russia = %v, want [2 1]", got)
	}
	// A write after the import comes after it.
	if _, err := s.UpsertEntity(ctx, &model.Place{EntityBase: model.EntityBase{ID: "new-town-03", Name: "Renamed"}, Type: model.PlaceCity}); err != nil {
		t.Fatal(err)
	}
	prior, err = s.PriorStates(ctx, 2, []string{"new-town-03"})
	if err != nil || prior["new-town-03"].Entity == nil || prior["new-town-03"].Entity.Common().Name != "New Town new-town-03" {
		t.Errorf("PriorStates(2, new-town-03) = %+v, %v; want the imported town", prior, err)
	}
}

func TestPrune(t *testing.T) {
	s := newTestStore(t)
	ctx := t.Context()
	day := time.Date(2026, 1, 1, 12, 0, 0, 0, time.UTC)
	var clock time.Time
	s.now = func() time.Time { return clock }
	for i := range 6 {
		clock = day.Add(time.Duration(i) * 24 * time.Hour)
		if _, err := s.UpsertEntity(ctx, &model.Organization{EntityBase: model.EntityBase{ID: "org", Name: fmt.Sprintf("Org %d", i)}, Type: model.OrgGroup}); err != nil {
			t.Fatal(err)
		}
	}
	at := func(moment time.Time, want int64) {
		t.Helper()
		if n, err := s.RevisionAt(ctx, moment); err != nil || n != want {
			t.Errorf("RevisionAt(%v) = %d, %v; want %d", moment, n, err, want)
		}
	}
	at(day.Add(-time.Hour), 0)
	at(day, 1)
	at(day.Add(2*24*time.Hour+time.Hour), 3)
	at(day.Add(1000*24*time.Hour), 6)
	if n, err := s.Prune(ctx, day); err != nil || n != 0 {
		t.Fatalf("Prune before the first = %d, %v", n, err)
	}
	n, err := s.Prune(ctx, day.Add(2*24*time.Hour+time.Minute)) // revisions 1, 2 and 3
	if err != nil || n != 3 {
		t.Fatalf("Prune = %d, %v; want 3", n, err)
	}
	b, err := s.HistoryBounds(ctx)
	want := model.HistoryBounds{Last: 6, LastAt: day.Add(5 * 24 * time.Hour), Floor: 3, FloorAt: day.Add(2 * 24 * time.Hour)}
	if err != nil || b != want {
		t.Errorf("bounds after the prune = %+v, %v; want %+v", b, err, want)
	}
	if got := numbers(allRevisions(t, s, model.RevisionQuery{})); !slices.Equal(got, []int64{4, 5, 6}) {
		t.Errorf("kept revisions %v, want [4 5 6]", got)
	}
	// The floor's own revision is pruned, but it is still the moment the graph stood at then.
	at(day.Add(24*time.Hour), 0)
	at(day.Add(2*24*time.Hour+time.Hour), 3)
	at(day.Add(3*24*time.Hour), 4)
	if _, err := s.Changes(ctx, 3, nil); model.ErrorCode(err) != model.CodeNotFound {
		t.Errorf("Changes of a pruned revision = %v, want NOT_FOUND", err)
	}
	if prior, err := s.PriorStates(ctx, 3, nil); err != nil || prior["org"].Entity.Common().Name != "Org 2" {
		t.Errorf("the graph at the floor = %+v, %v; want Org 2", prior, err)
	}
	// However old, the newest revision stays; the graph is untouched.
	n, err = s.Prune(ctx, day.Add(100*24*time.Hour))
	if err != nil || n != 2 {
		t.Fatalf("Prune of everything = %d, %v; want 2", n, err)
	}
	if got := numbers(allRevisions(t, s, model.RevisionQuery{})); !slices.Equal(got, []int64{6}) {
		t.Errorf("kept revisions %v, want [6]", got)
	}
	if n := countNodes(t, s, labelRevisionChange); n != 1 {
		t.Errorf("%d changes kept, want 1", n)
	}
	if e, err := s.Entity(ctx, "org"); err != nil || e.Common().Name != "Org 5" {
		t.Errorf("the graph after pruning: %+v, %v", e, err)
	}
	clock = day.Add(200 * 24 * time.Hour)
	if _, err := s.UpsertEntity(ctx, &model.Organization{EntityBase: model.EntityBase{ID: "org", Name: "Org 6"}, Type: model.OrgGroup}); err != nil {
		t.Fatal(err)
	}
	if b, _ := s.HistoryBounds(ctx); b.Last != 7 || b.Floor != 5 {
		t.Errorf("after a prune, the next write is %+v; want Last 7 over Floor 5", b)
	}
}
